import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AnnotationFindingKind, AnnotationFindingLevel } from '../../../policy/annotation-policy';
import { AppFacts } from '../../app-facts';
import { named } from '../../rule-helpers';

/**
 * Every annotation key a resource declares (functions, ECS tasks) or references (group filter expressions) passes the
 * annotation policy: X-Ray charset, no denied pattern without a written override, allowed, and not unbounded.
 * Findings are granular: `XRay-AnnotationKeyPolicy[denied:user_email]`.
 */
export default (facts: AppFacts) => named('AnnotationKeyPolicy', (node: CfnResource): NagRuleResult => {
  const keys = facts.keysByResource.get(node.node.path);
  if (keys === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = facts.policyFindings
    .filter(f => f.kind !== AnnotationFindingKind.BUDGET && f.level === AnnotationFindingLevel.ERROR && keys.includes(f.key))
    .map(f => `${f.kind}:${f.key}`);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
});
