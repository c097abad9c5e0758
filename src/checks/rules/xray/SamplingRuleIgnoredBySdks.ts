import { reasonsSdksIgnore } from '../../../private/sampling';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** A sampling rule the X-Ray SDKs apply: its ResourceARN is `*` and it has no Attributes. */
export default named('SamplingRuleIgnoredBySdks', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::XRay::SamplingRule') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const rule = resource.properties.SamplingRule ?? {};
  const attributes = rule.Attributes !== null && typeof rule.Attributes === 'object' ? rule.Attributes : undefined;
  return reasonsSdksIgnore(rule.ResourceARN, attributes).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
