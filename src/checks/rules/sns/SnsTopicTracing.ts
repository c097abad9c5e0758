import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

/** A standard SNS topic has Active tracing (FIFO topics cannot have it). */
export default named('SnsTopicTracing', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::SNS::Topic') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props.FifoTopic === true) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return props.TracingConfig === 'Active' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
