import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

const XRAY_MANAGED_POLICIES = /policy\/(AWSXRayDaemonWriteAccess|AWSXrayWriteOnlyAccess|AWSXrayFullAccess|AWSXrayReadOnlyAccess)\b/i;

/** No role, user or group uses an AWS managed X-Ray policy where the stack's `XRayWritePolicy` should be used. */
export default named('XRayManagedPolicies', (node: CfnResource): NagRuleCompliance => {
  if (!['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const declared = propertiesOf(node).ManagedPolicyArns;
  const arns: unknown[] = Array.isArray(declared) ? declared : [];
  const uses = arns.some(arn => XRAY_MANAGED_POLICIES.test(typeof arn === 'string' ? arn : JSON.stringify(arn).replace(/"/g, '')));
  return uses ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
