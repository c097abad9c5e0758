import { statusLikeAttributes } from '../../../private/sampling';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** A sampling rule has no attribute that looks like a response status (sampling is decided before any response). */
export default named('SamplingRuleStatusAttribute', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::XRay::SamplingRule') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const declared = resource.properties.SamplingRule?.Attributes;
  const attributes = declared !== null && typeof declared === 'object' ? declared : {};
  return statusLikeAttributes(attributes).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
