import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

const XRAY_MANAGED_POLICIES = /policy\/(AWSXRayDaemonWriteAccess|AWSXrayWriteOnlyAccess|AWSXrayFullAccess|AWSXrayReadOnlyAccess)\b/i;

/** No role, user or group uses an AWS managed X-Ray policy where the stack's `XRayWritePolicy` should be used. */
export default named('XRayManagedPolicies', (resource: TemplateResource): NagRuleCompliance => {
  if (!['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.type)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const declared = resource.properties.ManagedPolicyArns;
  const arns: unknown[] = Array.isArray(declared) ? declared : [];
  const uses = arns.some(arn => XRAY_MANAGED_POLICIES.test(typeof arn === 'string' ? arn : JSON.stringify(arn).replace(/"/g, '')));
  return uses ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
