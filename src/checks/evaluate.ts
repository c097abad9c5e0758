import { DEFAULT_RULE_NAME } from './cost-facts';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from './nag-values';
import { RuleContext } from './rule-helpers';
import { RuleEntry, RULES } from './rule-table';
import { renderValue } from '../private/errors';
import { PACK_NAME } from '../template/acknowledgments';
import { TemplateResource } from '../template/model';

/** One finding of one rule on one resource of the template model, before acknowledgments. */
export interface RuleFinding {
  /** `XRay-<Rule>`, or `XRay-<Rule>[<finding>]` for a granular finding. */
  readonly ruleId: string;
  readonly level: NagMessageLevel;
  /** The rule's info, the occurrence's detail and, when verbose, the explanation. */
  readonly description: string;
  /** How to fix it: the rule's explanation. */
  readonly fix: string;
  /** Machine-readable context of the occurrence (`ruleMetadata` in the validation report). */
  readonly metadata?: { readonly [key: string]: string };
}

/** The id of a rule: `XRay-<the rule function's name>`. */
export function ruleIdOf(entry: RuleEntry): string {
  return `${PACK_NAME}-${entry.rule.name}`;
}

/**
 * The findings of every rule of the pack on one resource, in `RULES.md` order: reads the model and the run's context
 * only, so the same findings come from a synthesis and from a cloud assembly. A rule that throws gives a finding that
 * says so at the rule's level, never a failed validation.
 */
export function findingsOf(resource: TemplateResource, context: RuleContext, verbose = false): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const entry of RULES) {
    const ruleId = ruleIdOf(entry);
    let result: NagRuleResult;
    try {
      result = entry.rule(resource, context);
    } catch (e: any) {
      findings.push({ ruleId, level: entry.level, description: `${entry.info} The rule could not be evaluated: ${e?.message ?? e}`, fix: entry.explanation });
      continue;
    }
    if (result === NagRuleCompliance.NON_COMPLIANT) {
      findings.push(finding(entry, ruleId, entry.level, resource, context, undefined, verbose));
    } else if (Array.isArray(result)) {
      for (const granular of result) {
        findings.push(finding(entry, `${ruleId}[${granular}]`, entry.levelOf?.(granular) ?? entry.level, resource, context, granular, verbose));
      }
    }
  }
  return findings;
}

function finding(entry: RuleEntry, ruleId: string, level: NagMessageLevel, resource: TemplateResource, context: RuleContext,
  granular: string | undefined, verbose: boolean): RuleFinding {
  const detail = entry.detail?.(resource, context, granular);
  const metadata = entry.context?.(resource, context, granular);
  return {
    ruleId,
    level,
    description: [entry.info, detail, verbose ? entry.explanation : undefined].filter(p => p !== undefined).join(' '),
    fix: entry.explanation,
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/**
 * The findings about the pack's own options rather than one resource: each name in `requestsPerSecondByRule` that is
 * no sampling rule of the app (`XRay-TraceCostBudget[unknownRule:<name>]`), reported by the caller on every sampling
 * rule of the app, or on its stacks when it has none.
 */
export function unknownRuleFindings(context: RuleContext): RuleFinding[] {
  const verdict = context.cost();
  if (verdict === undefined) {
    return [];
  }
  const known = context.facts.samplingRules.map(r => r.ruleName).sort();
  return verdict.unknownRules.map(name => ({
    ruleId: `${PACK_NAME}-TraceCostBudget[unknownRule:${name}]`,
    level: NagMessageLevel.ERROR,
    description: `requestsPerSecondByRule names ${renderValue(name)}, which is no sampling rule of the app, so its traffic is not estimated. ` +
      `Rules of the app: ${known.length > 0 ? known.join(', ') : 'none'} (and ${DEFAULT_RULE_NAME}, X-Ray's default rule). ` +
      'Fix the name or remove the entry.',
    fix: 'Give requestsPerSecondByRule the names of the app\'s sampling rules (their RuleName).',
    metadata: { unknownRule: name },
  }));
}
