import { Token } from 'aws-cdk-lib';
import type { XRayChecksProps } from './xray-checks-props';
import { MAX_REQUESTS_PER_SECOND } from '../cost/limits';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { ProblemCollector } from '../private/errors';

/** The most characters a sampling rule name has (CloudFormation `RuleName`). */
const MAX_RULE_NAME_LENGTH = 32;

/** Checks the pack's props in the house format; deploy-time values (tokens) pass. */
export function validateXRayChecksProps(props: XRayChecksProps): void {
  const problems = new ProblemCollector('XRayChecks');
  const budget = props.monthlyBudgetUsd;
  if (budget !== undefined && !Token.isUnresolved(budget) && !(typeof budget === 'number' && Number.isFinite(budget) && budget >= 0)) {
    problems.add('monthlyBudgetUsd', 'must be a finite number of 0 or more', budget, 'Pass the monthly X-Ray budget in USD, e.g. 100.');
  }
  const rps = props.requestsPerSecondByRule;
  if (rps !== undefined && (rps === null || typeof rps !== 'object' || Array.isArray(rps))) {
    problems.add('requestsPerSecondByRule', 'must be an object of sampling rule name to requests per second', rps,
      'Pass e.g. { "orders-api": 150, Default: 5 }.');
  } else if (rps !== undefined) {
    for (const [name, value] of Object.entries(rps)) {
      const at = `requestsPerSecondByRule[${JSON.stringify(name)}]`;
      if (!Token.isUnresolved(name) && (name.length === 0 || name.length > MAX_RULE_NAME_LENGTH)) {
        problems.add(at, `must name a sampling rule: 1 to ${MAX_RULE_NAME_LENGTH} characters`, name,
          'Use the rule\'s RuleName (SamplingRule samplingRuleName), or Default for X-Ray\'s default rule.');
      }
      if (!Token.isUnresolved(value)
        && !(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_REQUESTS_PER_SECOND)) {
        problems.add(at, `must be a number of requests per second from 0 to ${MAX_REQUESTS_PER_SECOND.toLocaleString('en-US')}`, value,
          'Pass the average requests per second the rule matches, e.g. 150.');
      }
    }
  }
  if (budget !== undefined && (rps === undefined || (typeof rps === 'object' && rps !== null && Object.keys(rps).length === 0))) {
    problems.add('requestsPerSecondByRule', 'is required with monthlyBudgetUsd: without traffic there is nothing to estimate', rps,
      'Pass the requests per second of each sampling rule, e.g. { "orders-api": 150, Default: 5 }, or leave monthlyBudgetUsd out.');
  }
  if (budget === undefined && rps !== undefined) {
    problems.add('monthlyBudgetUsd', 'is required with requestsPerSecondByRule: without a budget the cost check does not run', budget,
      'Pass the monthly X-Ray budget in USD, e.g. 100, or leave requestsPerSecondByRule out.');
  }
  if (props.annotationPolicy !== undefined && !(props.annotationPolicy instanceof AnnotationPolicy)) {
    problems.add('annotationPolicy', 'must be an AnnotationPolicy', props.annotationPolicy,
      'Pass new AnnotationPolicy({ allowedKeys: [...] }).');
  }
  if (props.warningsFail !== undefined && typeof props.warningsFail !== 'boolean') {
    problems.add('warningsFail', 'must be true or false', props.warningsFail, 'Pass true to fail the synthesis on Warning-level findings too.');
  }
  problems.throwIfAny();
}
