import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { TraceCostEstimate } from '../../../cost/trace-cost-estimate';
import { AppFacts } from '../../app-facts';
import { named } from '../../rule-helpers';

/**
 * The app's sampling rules, with the traffic profile given to the pack, cost at most the monthly budget. Reported on
 * every rule of the profile when the estimate is over budget.
 */
export default (facts: AppFacts, budgetUsd: number | undefined, requestsPerSecond: { [ruleName: string]: number }) =>
  named('TraceCostBudget', (node: CfnResource): NagRuleCompliance => {
    const self = facts.samplingRules.find(r => r.node === node);
    if (self === undefined || budgetUsd === undefined || requestsPerSecond[self.name] === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const traffic = facts.samplingRules
      .filter(r => requestsPerSecond[r.name] !== undefined && typeof r.fixedRate === 'number' && typeof r.reservoirSize === 'number')
      .map(r => ({
        name: r.name,
        requestsPerSecond: requestsPerSecond[r.name],
        fixedRate: r.fixedRate as number,
        reservoirPerSecond: r.reservoirSize as number,
      }));
    return TraceCostEstimate.fromTraffic({ traffic }).isOverBudget(budgetUsd) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  });
