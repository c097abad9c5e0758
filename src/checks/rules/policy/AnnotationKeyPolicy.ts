import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AnnotationFinding, AnnotationFindingKind, AnnotationFindingLevel } from '../../../policy/annotation-policy';
import { AppFacts } from '../../app-facts';
import { named } from '../../rule-helpers';

/** The granular finding id of a policy finding: `denied:user_email`. */
export function findingId(f: AnnotationFinding): string {
  return `${f.kind}:${f.key}`;
}

/** The policy's error findings about the keys a resource declares or references (the budget excluded). */
export function keyFindingsOf(facts: AppFacts, node: CfnResource): AnnotationFinding[] {
  const keys = facts.keysByResource.get(node.node.path) ?? [];
  return facts.policyFindings
    .filter(f => f.kind !== AnnotationFindingKind.BUDGET && f.level === AnnotationFindingLevel.ERROR && keys.includes(f.key));
}

/**
 * Every annotation key a resource declares (functions, ECS tasks and the collector configuration a task runs) or
 * references (group filter expressions) passes the annotation policy: X-Ray charset, no denied pattern without a
 * written override, allowed, and not unbounded. Findings are granular: `XRay-AnnotationKeyPolicy[denied:user_email]`,
 * each with the policy's own message (the key, why, what to do).
 */
export default (facts: AppFacts) => named('AnnotationKeyPolicy', (node: CfnResource): NagRuleResult => {
  if (!facts.keysByResource.has(node.node.path)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = keyFindingsOf(facts, node).map(findingId);
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
});
