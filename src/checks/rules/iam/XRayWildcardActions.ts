import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** No IAM policy allows `xray:*` or another X-Ray action wildcard (grant the actions a principal needs). */
export default named('XRayWildcardActions', (resource: TemplateResource): NagRuleCompliance => {
  const documents = policyDocuments(resource);
  if (documents === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const wildcard = documents.some(doc => ([] as any[]).concat(doc?.Statement ?? []).some(st =>
    st?.Effect === 'Allow' && ([] as unknown[]).concat(st.Action ?? []).some(a => typeof a === 'string' && /^xray:.*\*/i.test(a))));
  return wildcard ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});

/** The policy documents an IAM resource holds, or undefined when it holds none. */
export function policyDocuments(resource: TemplateResource): any[] | undefined {
  switch (resource.type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [resource.properties.PolicyDocument];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      const policies = resource.properties.Policies;
      return (Array.isArray(policies) ? policies : []).map((p: any) => p?.PolicyDocument);
    default:
      return undefined;
  }
}
