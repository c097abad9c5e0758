import { AnnotationFinding, AnnotationFindingKind, AnnotationFindingLevel } from '../../../policy/annotation-policy';
import { TemplateResource } from '../../../template/model';
import type { AppFacts } from '../../app-facts';
import { NagRuleCompliance, NagRuleResult } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/** The granular finding id of a policy finding: `denied:user_email`. */
export function findingId(f: AnnotationFinding): string {
  return `${f.kind}:${f.key}`;
}

/** The policy's error findings about the keys a resource declares or references (the budget excluded). */
export function keyFindingsOf(facts: AppFacts, resource: TemplateResource): AnnotationFinding[] {
  const keys = facts.keysByResource.get(resource.key) ?? [];
  return facts.policyFindings
    .filter(f => f.kind !== AnnotationFindingKind.BUDGET && f.level === AnnotationFindingLevel.ERROR && keys.includes(f.key));
}

/**
 * Every annotation key a resource declares (functions, ECS tasks and the collector configuration a task runs) or
 * references (group filter expressions) passes the annotation policy: X-Ray charset, no denied pattern without a
 * written override, allowed, and not unbounded. Findings are granular: `XRay-AnnotationKeyPolicy[denied:user_email]`,
 * each with the policy's own message (the key, why, what to do).
 */
export default named('AnnotationKeyPolicy', (resource: TemplateResource, { facts }: RuleContext): NagRuleResult => {
  if (!facts.keysByResource.has(resource.key)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = keyFindingsOf(facts, resource).map(findingId);
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
});
