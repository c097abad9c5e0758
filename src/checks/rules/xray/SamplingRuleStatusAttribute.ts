import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { statusLikeAttributes } from '../../../private/sampling';
import { named, propertiesOf } from '../../rule-helpers';

/** A sampling rule has no attribute that looks like a response status (sampling is decided before any response). */
export default named('SamplingRuleStatusAttribute', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::XRay::SamplingRule') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const declared = propertiesOf(node).SamplingRule?.Attributes;
  const attributes = declared !== null && typeof declared === 'object' ? declared : {};
  return statusLikeAttributes(attributes).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
