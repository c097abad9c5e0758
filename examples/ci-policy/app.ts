import { App, Validations } from 'aws-cdk-lib';
import { MONTHLY_BUDGET_USD, REQUESTS_PER_SECOND_BY_RULE, CiPolicyStack } from './stack';
import { XRayChecks } from '../../src';

// The CI gate: `cdk synth` exits non-zero while XRayChecks finds anything unacknowledged.
//   CDK_OUTDIR=out npx ts-node examples/ci-policy/app.ts                        -> passes (acknowledged)
//   CDK_CONTEXT_JSON='{"acknowledge":"false"}' CDK_OUTDIR=out npx ts-node ...    -> fails with the three findings
const app = new App();
new CiPolicyStack(app, 'CiPolicy', { acknowledge: app.node.tryGetContext('acknowledge') !== 'false' });
Validations.of(app).addPlugins(new XRayChecks(app, {
  monthlyBudgetUsd: MONTHLY_BUDGET_USD,
  requestsPerSecondByRule: REQUESTS_PER_SECOND_BY_RULE,
}));
app.synth();
