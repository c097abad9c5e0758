import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

/** A Lambda function has a tracing mode (Active, or PassThrough when its callers decide). */
export default named('LambdaFunctionUntraced', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const mode = propertiesOf(node).TracingConfig?.Mode;
  return mode === 'Active' || mode === 'PassThrough' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
