import { accountRegionOf, TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/** No two sampling rules of the app share a priority in one account and region (their order would be undefined). */
export default named('SamplingRulePriorityUnique', (resource: TemplateResource, { facts, model }: RuleContext): NagRuleCompliance => {
  const self = facts.samplingRuleByResource.get(resource.key);
  if (self === undefined || self.priority === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const environment = accountRegionOf(model.stack(self.stackId));
  const clash = facts.samplingRules.some(r => r !== self && r.priority === self.priority && accountRegionOf(model.stack(r.stackId)) === environment);
  return clash ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
