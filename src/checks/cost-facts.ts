import { Token } from 'aws-cdk-lib';
import type { AppFacts } from './app-facts';
import { TraceCostEstimate } from '../cost/trace-cost-estimate';
import { SampledTraffic } from '../cost/trace-cost-estimate-props';
import { formatCount, formatUsd } from '../private/format';

/** X-Ray's `Default` rule as every account has it until changed: 1 request per second, then 5 %. */
export const DEFAULT_RULE_NAME = 'Default';
const DEFAULT_RULE = { fixedRate: 0.05, reservoirPerSecond: 1 };

/** The cost check's verdict for one validation run, computed once from the app's facts. */
export interface CostVerdict {
  /** The names of the app's rules the estimate covers. */
  readonly estimatedRules: ReadonlySet<string>;
  /** Names in `requestsPerSecondByRule` that are neither a sampling rule of the app nor `Default`. */
  readonly unknownRules: string[];
  /** Why no estimate can be made at synth: a value known only at deploy time. */
  readonly notKnown?: string;
  /** The estimate is strictly over the budget. */
  readonly overBudget: boolean;
  /** The estimate against the budget, for the finding's message. */
  readonly summary: string;
  /** The same as machine-readable context of the finding (`ruleMetadata` in the validation report). */
  readonly context: { [key: string]: string };
}

/**
 * Estimates the app's monthly X-Ray cost from its sampling rules and the traffic given to the pack, with Insights when
 * any X-Ray group of the app has it on (Insights processes the traces of its groups; counting every recorded trace is
 * an upper bound). `Default` is X-Ray's default rule unless the app defines one by that name.
 *
 * @param resolve resolves a number given to the pack as a token (a `Lazy` has a value at validation time; a parameter
 *                does not); without it, any token counts as a deploy-time value
 */
export function costVerdict(facts: AppFacts, budget: number, requestsPerSecondByRule: { [ruleName: string]: number },
  resolve: (value: number) => unknown = value => value): CostVerdict {
  const byName = new Map(facts.samplingRules.map(r => [r.ruleName, r]));
  const resolveNumber = (value: number) => resolveKnownNumber(value, resolve);
  const unknownRules = Object.keys(requestsPerSecondByRule).filter(n => !byName.has(n) && n !== DEFAULT_RULE_NAME).sort();
  const resolvedBudget = resolveNumber(budget);
  const traffic: SampledTraffic[] = [];
  const deployTime: string[] = resolvedBudget === undefined ? ['monthlyBudgetUsd'] : [];
  for (const [name, rawRps] of Object.entries(requestsPerSecondByRule)) {
    const rule = byName.get(name);
    if (rule === undefined && name !== DEFAULT_RULE_NAME) {
      continue;
    }
    const rps = resolveNumber(rawRps);
    const fixedRate = rule === undefined ? DEFAULT_RULE.fixedRate : rule.fixedRate;
    const reservoir = rule === undefined ? DEFAULT_RULE.reservoirPerSecond : rule.reservoirSize;
    if (rps === undefined) {
      deployTime.push(`requestsPerSecondByRule["${name}"]`);
    }
    if (!isKnownNumber(fixedRate) || !isKnownNumber(reservoir)) {
      deployTime.push(`the FixedRate or ReservoirSize of sampling rule "${name}"`);
    }
    if (rps !== undefined && isKnownNumber(fixedRate) && isKnownNumber(reservoir)) {
      traffic.push({ name, requestsPerSecond: rps, fixedRate, reservoirPerSecond: reservoir });
    }
  }
  const estimatedRules = new Set(traffic.map(t => t.name));
  if (deployTime.length > 0) {
    return {
      estimatedRules: new Set(Object.keys(requestsPerSecondByRule).filter(n => byName.has(n))),
      unknownRules,
      notKnown: deployTime.join(', '),
      overBudget: false,
      summary: `The cost check cannot run at synth: ${deployTime.join(', ')} ${deployTime.length > 1 ? 'are' : 'is'} known only at deploy time.`,
      context: { deployTimeValues: deployTime.join(', ') },
    };
  }
  const insights = facts.groups.some(g => g.insights);
  let estimate: TraceCostEstimate;
  try {
    estimate = TraceCostEstimate.fromTraffic({ traffic, insightsEnabled: insights });
  } catch (e: any) {
    // A rule's own values out of range (a raw rule with FixedRate 5): CloudFormation refuses it too; say so on the rules.
    return {
      estimatedRules,
      unknownRules,
      overBudget: true,
      summary: `The estimate cannot be made from the app's sampling rules: ${String(e?.message ?? e).replace(/\n\s*/g, ' ')}`,
      context: { invalidInput: 'true' },
    };
  }
  const parts = [
    `${formatCount(estimate.tracesRecordedPerMonth)} traces recorded`,
    `recording ${formatUsd(estimate.recordingCostUsd)}`,
    ...(insights ? [`Insights ${formatUsd(estimate.insightsCostUsd)} (a group of the app has Insights on)`] : []),
  ];
  const over = estimate.isOverBudget(resolvedBudget!);
  return {
    estimatedRules,
    unknownRules,
    overBudget: over,
    context: {
      estimatedMonthlyCostUsd: estimate.monthlyCostUsd.toFixed(2),
      monthlyBudgetUsd: resolvedBudget!.toFixed(2),
      insightsCostUsd: estimate.insightsCostUsd.toFixed(2),
      rules: [...estimatedRules].join(','),
    },
    summary: `Estimated ${formatUsd(estimate.monthlyCostUsd)} a month (${parts.join(', ')}) for ${[...estimatedRules].join(', ') || 'no rule'}, ` +
      `${over ? 'over' : 'within'} the monthly budget of ${formatUsd(resolvedBudget!)}.`,
  };
}

function isKnownNumber(value: unknown): value is number {
  return typeof value === 'number' && !Token.isUnresolved(value) && Number.isFinite(value);
}

/** A number given to the pack, resolved at validation time; undefined when it is known only at deploy time. */
function resolveKnownNumber(value: number, resolve: (value: number) => unknown): number | undefined {
  if (!Token.isUnresolved(value)) {
    return value;
  }
  const resolved = resolve(value);
  return isKnownNumber(resolved) ? resolved : undefined;
}
