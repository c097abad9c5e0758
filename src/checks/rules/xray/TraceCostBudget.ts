import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance, NagRuleResult } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/** The finding when the estimate needs a value known only at deploy time (reported as a warning). */
export const DEPLOY_TIME_VALUE = 'deployTimeValue';

/**
 * The app's sampling rules, with the traffic profile given to the pack, cost at most the monthly budget (Insights
 * included when a group of the app has it on). Reported on every rule of the profile when the estimate is over
 * budget; `XRay-TraceCostBudget[deployTimeValue]` when a value the estimate needs is known only at deploy time.
 * Names of the profile that are no rule of the app are reported by the pack (`XRay-TraceCostBudget[unknownRule:<name>]`).
 */
export default named('TraceCostBudget', (resource: TemplateResource, context: RuleContext): NagRuleResult => {
  const self = context.facts.samplingRuleByResource.get(resource.key);
  const v = self === undefined ? undefined : context.cost();
  if (self === undefined || v === undefined || !v.estimatedRules.has(self.ruleName)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (v.notKnown !== undefined) {
    return [DEPLOY_TIME_VALUE];
  }
  return v.overBudget ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
