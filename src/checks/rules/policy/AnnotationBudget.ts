import { AnnotationFindingKind } from '../../../policy/annotation-policy';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * The distinct annotation keys declared across the whole app (a trace can cross every service) fit in the policy's
 * per-trace budget (at most 50, X-Ray's limit). Reported on every resource that declares keys.
 */
export default named('AnnotationBudget', (resource: TemplateResource, { facts }: RuleContext): NagRuleCompliance => {
  if (!facts.keysByResource.has(resource.key)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const over = facts.policyFindings.some(f => f.kind === AnnotationFindingKind.BUDGET);
  return over ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
