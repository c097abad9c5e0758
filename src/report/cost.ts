import { ReportInputError } from './assembly';
import { TraceCostEstimate } from '../cost/trace-cost-estimate';
import {
  ApplicationSignalsEstimate, ApplicationSignalsTraffic, RuleEstimate, SampledTraffic, TransactionSearchEstimate, TransactionSearchTraffic,
} from '../cost/trace-cost-estimate-props';
import type { SamplingRuleFact } from '../template/facts';

/**
 * A traffic profile: the requests each sampling rule matches, and how traces are read. The JSON file `--traffic`
 * takes has this shape; `--rps`, `--error-ratio`, `--retrieved`, `--scanned` and `--insights` override its values.
 */
export interface TrafficProfile {
  /** Free text, ignored. */
  readonly description?: string;
  /** Traffic by sampling rule name (first match wins: give each request to one rule). */
  readonly rules: Readonly<Record<string, RuleTraffic>>;
  readonly retrievedTracesPerMonth?: number;
  readonly scannedTracesPerMonth?: number;
  readonly insightsEnabled?: boolean;
  /**
   * CloudWatch Transaction Search is on: spans per trace and their size (`TransactionSearchTraffic`). Without
   * `indexingPercentage`, the assembly's `AWS::XRay::TransactionSearchConfig` gives it, else the free 1 %.
   */
  readonly transactionSearch?: TransactionSearchTraffic;
  /** CloudWatch Application Signals instruments the services (`ApplicationSignalsTraffic`). */
  readonly applicationSignals?: ApplicationSignalsTraffic;
}

/** An `AWS::XRay::TransactionSearchConfig` of the assembly. */
export interface TransactionSearchConfigFact {
  readonly stackId: string;
  readonly logicalId: string;
  /** Its `IndexingPercentage`; undefined when absent or not a literal number. */
  readonly indexingPercentage?: number;
}

export interface RuleTraffic {
  /** Average requests per second the rule matches. */
  readonly requestsPerSecond: number;
  /** Share of those requests that fail, 0–1. */
  readonly errorRatio?: number;
  /**
   * The rule's fixed rate, for a rule the assembly does not define (managed elsewhere) or whose rate is not a literal.
   * For `Default` without a value, X-Ray's default rule applies (5 %).
   */
  readonly fixedRate?: number;
  /** The rule's reservoir per second, like `fixedRate` (X-Ray's default rule: 1). */
  readonly reservoirPerSecond?: number;
}

/** The cost section of a report. */
export interface CostReport {
  /** Where the traffic came from: the file name and/or `command line`. */
  readonly source: string;
  readonly rules: CostRuleReport[];
  /** Sampling rules of the assembly the profile gives no traffic for (left out of the estimate). */
  readonly rulesWithoutTraffic: string[];
  readonly secondsPerMonth: number;
  readonly requestsPerMonth: number;
  readonly tracesRecordedPerMonth: number;
  readonly errorTracesRecordedPerMonth: number;
  readonly billableTracesRecordedPerMonth: number;
  readonly tracesRetrievedPerMonth: number;
  readonly tracesScannedPerMonth: number;
  readonly billableTracesRetrievedOrScannedPerMonth: number;
  readonly insightsTracesPerMonth: number;
  readonly recordingCostUsd: number;
  readonly retrievalCostUsd: number;
  readonly scanningCostUsd: number;
  readonly insightsCostUsd: number;
  readonly monthlyCostUsd: number;
  /** Transaction Search's spans, indexing and their cost, when the profile turns it on. */
  readonly transactionSearch?: TransactionSearchEstimate & {
    /** Where the indexing percentage came from: the profile, the assembly's config, or the free default. */
    readonly indexingPercentageFrom: 'profile' | 'assembly' | 'default';
  };
  /** Application Signals' signals and their cost, when the profile turns it on. */
  readonly applicationSignals?: ApplicationSignalsEstimate;
  /** Items counted without a price (their cost is not in `monthlyCostUsd`). */
  readonly unpricedItems: string[];
  /** The assembly's `AWS::XRay::TransactionSearchConfig`, when it has one. */
  readonly transactionSearchConfig?: TransactionSearchConfigFact;
  /** The estimate as a plain-text table (`TraceCostEstimate.toTable()`). */
  readonly table: string;
}

export interface CostRuleReport extends RuleEstimate {
  /** The stack defining the rule; absent for `Default` and rules described only by the profile. */
  readonly stackId?: string;
  readonly requestsPerSecond: number;
  readonly errorRatio: number;
  readonly fixedRate: number;
  readonly reservoirPerSecond: number;
}

/** X-Ray's `Default` rule as every account has it until changed: 1 request per second, then 5 %. */
const DEFAULT_RULE = { name: 'Default', fixedRate: 0.05, reservoirPerSecond: 1 };

/** Overrides from the command line. */
export interface TrafficOverrides {
  readonly requestsPerSecond?: ReadonlyMap<string, number>;
  readonly errorRatio?: ReadonlyMap<string, number>;
  readonly retrievedTracesPerMonth?: number;
  readonly scannedTracesPerMonth?: number;
  readonly insightsEnabled?: boolean;
}

/**
 * Checks a parsed traffic file and returns it as a profile. Throws `ReportInputError` listing every problem.
 *
 * @param source the file name, for messages
 */
export function parseTrafficProfile(json: unknown, source: string): TrafficProfile {
  const problems: string[] = [];
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ReportInputError(`${source}: a traffic profile must be a JSON object with "rules" (got ${typeName(json)}).`);
  }
  const obj = json as Record<string, any>;
  const known = ['description', 'rules', 'retrievedTracesPerMonth', 'scannedTracesPerMonth', 'insightsEnabled', 'transactionSearch', 'applicationSignals'];
  for (const key of Object.keys(obj).filter(k => !known.includes(k))) {
    problems.push(`unknown key "${key}" (expected ${known.join(', ')})`);
  }
  const rules: Record<string, RuleTraffic> = {};
  if (obj.rules === undefined) {
    problems.push('"rules" is missing: give an object of sampling rule name -> { "requestsPerSecond": n }');
  } else if (!obj.rules || typeof obj.rules !== 'object' || Array.isArray(obj.rules)) {
    problems.push(`"rules" must be an object of sampling rule name -> { "requestsPerSecond": n } (got ${typeName(obj.rules)})`);
  } else {
    for (const [name, entry] of Object.entries<any>(obj.rules)) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.push(`rules.${name} must be an object with "requestsPerSecond" (got ${typeName(entry)})`);
        continue;
      }
      const ruleKeys = ['requestsPerSecond', 'errorRatio', 'fixedRate', 'reservoirPerSecond'];
      for (const key of Object.keys(entry).filter(k => !ruleKeys.includes(k))) {
        problems.push(`rules.${name}: unknown key "${key}" (expected ${ruleKeys.join(', ')})`);
      }
      if (typeof entry.requestsPerSecond !== 'number') {
        problems.push(`rules.${name}.requestsPerSecond must be a number (got ${typeName(entry.requestsPerSecond)})`);
      }
      for (const key of ['errorRatio', 'fixedRate', 'reservoirPerSecond']) {
        if (entry[key] !== undefined && typeof entry[key] !== 'number') {
          problems.push(`rules.${name}.${key} must be a number (got ${typeName(entry[key])})`);
        }
      }
      rules[name] = entry;
    }
  }
  for (const key of ['retrievedTracesPerMonth', 'scannedTracesPerMonth']) {
    if (obj[key] !== undefined && typeof obj[key] !== 'number') {
      problems.push(`"${key}" must be a number (got ${typeName(obj[key])})`);
    }
  }
  if (obj.insightsEnabled !== undefined && typeof obj.insightsEnabled !== 'boolean') {
    problems.push(`"insightsEnabled" must be true or false (got ${typeName(obj.insightsEnabled)})`);
  }
  checkNumbers(obj, 'transactionSearch',
    ['spansPerTrace', 'averageSpanSizeBytes', 'indexingPercentage', 'spanIngestionPricePerGb', 'indexedTracesPricePerMillion'],
    ['spansPerTrace', 'averageSpanSizeBytes'], problems);
  checkNumbers(obj, 'applicationSignals', ['requestsPerMonth', 'pricePerMillionSignals'], [], problems);
  if (problems.length > 0) {
    throw new ReportInputError(`${source} is not a valid traffic profile:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
  return {
    description: typeof obj.description === 'string' ? obj.description : undefined,
    rules,
    retrievedTracesPerMonth: obj.retrievedTracesPerMonth,
    scannedTracesPerMonth: obj.scannedTracesPerMonth,
    insightsEnabled: obj.insightsEnabled,
    ...(obj.transactionSearch !== undefined ? { transactionSearch: obj.transactionSearch } : {}),
    ...(obj.applicationSignals !== undefined ? { applicationSignals: obj.applicationSignals } : {}),
  };
}

/** Records the problems of an optional object of numbers at `obj[key]`: unknown keys, non-numbers, missing required keys. */
function checkNumbers(obj: Record<string, any>, key: string, keys: string[], required: string[], problems: string[]): void {
  const value = obj[key];
  if (value === undefined) {
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`"${key}" must be an object of ${keys.join(', ')} (got ${typeName(value)})`);
    return;
  }
  for (const k of Object.keys(value).filter(name => !keys.includes(name))) {
    problems.push(`${key}: unknown key "${k}" (expected ${keys.join(', ')})`);
  }
  for (const k of keys) {
    if (value[k] === undefined ? required.includes(k) : typeof value[k] !== 'number') {
      problems.push(`${key}.${k} must be a number (got ${typeName(value[k])})`);
    }
  }
}

/** Applies command-line overrides to a profile (or to an empty one). */
export function applyOverrides(profile: TrafficProfile | undefined, overrides: TrafficOverrides): TrafficProfile {
  const rules: Record<string, RuleTraffic> = { ...profile?.rules };
  for (const [name, rps] of overrides.requestsPerSecond ?? []) {
    rules[name] = { ...rules[name], requestsPerSecond: rps };
  }
  for (const [name, ratio] of overrides.errorRatio ?? []) {
    if (rules[name] === undefined) {
      throw new ReportInputError(`--error-ratio ${name}=${ratio}: the traffic profile gives rule "${name}" no requests per second. ` +
        `Add --rps ${name}=<requests per second>.`);
    }
    rules[name] = { ...rules[name], errorRatio: ratio };
  }
  return {
    description: profile?.description,
    rules,
    retrievedTracesPerMonth: overrides.retrievedTracesPerMonth ?? profile?.retrievedTracesPerMonth,
    scannedTracesPerMonth: overrides.scannedTracesPerMonth ?? profile?.scannedTracesPerMonth,
    insightsEnabled: overrides.insightsEnabled ?? profile?.insightsEnabled,
    ...(profile?.transactionSearch !== undefined ? { transactionSearch: profile.transactionSearch } : {}),
    ...(profile?.applicationSignals !== undefined ? { applicationSignals: profile.applicationSignals } : {}),
  };
}

/**
 * Estimates the monthly cost of the assembly's sampling rules for a traffic profile, with `TraceCostEstimate`.
 *
 * Sampling rules and the free tier belong to an account and Region, not a stack, so the estimate covers every rule of
 * the assembly that the profile gives traffic for. A profile entry for a rule the assembly does not define needs
 * `fixedRate` and `reservoirPerSecond`, except `Default` (X-Ray's default rule). Insights counts when the profile
 * turns it on, or, when the profile does not say, when a group of the assembly has it on (`insightsInAssembly`).
 * Transaction Search is estimated when the profile gives `transactionSearch`; its indexing percentage is the profile's,
 * else the assembly's `AWS::XRay::TransactionSearchConfig` (`transactionSearchConfig`), else the free 1 %.
 * Throws `ReportInputError`.
 */
export function estimateCost(rules: SamplingRuleFact[], profile: TrafficProfile, source: string, insightsInAssembly = false,
  transactionSearchConfig?: TransactionSearchConfigFact): CostReport {
  const byName = new Map<string, SamplingRuleFact>();
  for (const rule of rules) {
    const other = byName.get(rule.ruleName);
    if (other && (other.fixedRate !== rule.fixedRate || other.reservoirSize !== rule.reservoirSize)) {
      throw new ReportInputError(`Sampling rule "${rule.ruleName}" is defined differently in stacks ${other.stackId} and ${rule.stackId}; ` +
        'the cost estimate cannot tell which one the traffic is for. Pass --stack to report on one of them.');
    }
    byName.set(rule.ruleName, other ?? rule);
  }

  const problems: string[] = [];
  const traffic: SampledTraffic[] = [];
  const stackIds: Array<string | undefined> = [];
  for (const [name, t] of Object.entries(profile.rules)) {
    const rule = byName.get(name);
    const fixedRate = t.fixedRate ?? rule?.fixedRate ?? (name === DEFAULT_RULE.name && !rule ? DEFAULT_RULE.fixedRate : undefined);
    const reservoir = t.reservoirPerSecond ?? rule?.reservoirSize
      ?? (name === DEFAULT_RULE.name && !rule ? DEFAULT_RULE.reservoirPerSecond : undefined);
    if (fixedRate === undefined || reservoir === undefined) {
      problems.push(rule
        ? `rule "${name}" (stack ${rule.stackId}) has no literal FixedRate/ReservoirSize in its template; give "fixedRate" and "reservoirPerSecond" in the traffic profile`
        : `no sampling rule named "${name}" in the assembly (rules: ${[...byName.keys()].join(', ') || 'none'}); ` +
          'fix the name, or give "fixedRate" and "reservoirPerSecond" for a rule defined elsewhere');
      continue;
    }
    stackIds.push(rule?.stackId);
    traffic.push({ name, requestsPerSecond: t.requestsPerSecond, errorRatio: t.errorRatio, fixedRate, reservoirPerSecond: reservoir });
  }
  if (problems.length > 0) {
    throw new ReportInputError(`Traffic profile (${source}):\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }

  const ts = profile.transactionSearch;
  const fromAssembly = transactionSearchConfig?.indexingPercentage;
  const indexingPercentageFrom = ts?.indexingPercentage !== undefined ? 'profile' : fromAssembly !== undefined ? 'assembly' : 'default';
  let estimate: TraceCostEstimate;
  try {
    estimate = TraceCostEstimate.fromTraffic({
      traffic,
      retrievedTracesPerMonth: profile.retrievedTracesPerMonth,
      scannedTracesPerMonth: profile.scannedTracesPerMonth,
      insightsEnabled: profile.insightsEnabled ?? insightsInAssembly,
      ...(ts !== undefined ? { transactionSearch: { ...ts, indexingPercentage: ts.indexingPercentage ?? fromAssembly } } : {}),
      ...(profile.applicationSignals !== undefined ? { applicationSignals: profile.applicationSignals } : {}),
    });
  } catch (e: any) {
    throw new ReportInputError(`Traffic profile (${source}) is not usable:\n  ${String(e.message).replace(/\n/g, '\n  ')}`);
  }
  const withTraffic = new Set(traffic.map(t => t.name));
  return {
    source,
    rules: estimate.rules.map((r, i) => ({
      ...(stackIds[i] !== undefined ? { stackId: stackIds[i] } : {}),
      name: r.name,
      requestsPerSecond: traffic[i].requestsPerSecond,
      errorRatio: traffic[i].errorRatio ?? 0,
      fixedRate: traffic[i].fixedRate,
      reservoirPerSecond: traffic[i].reservoirPerSecond,
      requestsPerMonth: r.requestsPerMonth,
      tracesRecordedPerMonth: r.tracesRecordedPerMonth,
      errorTracesRecordedPerMonth: r.errorTracesRecordedPerMonth,
      effectiveSampleRatio: r.effectiveSampleRatio,
    })),
    rulesWithoutTraffic: [...byName.keys()].filter(n => !withTraffic.has(n)),
    secondsPerMonth: estimate.secondsPerMonth,
    requestsPerMonth: estimate.requestsPerMonth,
    tracesRecordedPerMonth: estimate.tracesRecordedPerMonth,
    errorTracesRecordedPerMonth: estimate.errorTracesRecordedPerMonth,
    billableTracesRecordedPerMonth: estimate.billableTracesRecordedPerMonth,
    tracesRetrievedPerMonth: estimate.tracesRetrievedPerMonth,
    tracesScannedPerMonth: estimate.tracesScannedPerMonth,
    billableTracesRetrievedOrScannedPerMonth: estimate.billableTracesRetrievedOrScannedPerMonth,
    insightsTracesPerMonth: estimate.insightsTracesPerMonth,
    recordingCostUsd: estimate.recordingCostUsd,
    retrievalCostUsd: estimate.retrievalCostUsd,
    scanningCostUsd: estimate.scanningCostUsd,
    insightsCostUsd: estimate.insightsCostUsd,
    monthlyCostUsd: estimate.monthlyCostUsd,
    ...(estimate.transactionSearch !== undefined ? { transactionSearch: { ...estimate.transactionSearch, indexingPercentageFrom } } : {}),
    ...(estimate.applicationSignals !== undefined ? { applicationSignals: estimate.applicationSignals } : {}),
    unpricedItems: estimate.unpricedItems,
    ...(transactionSearchConfig !== undefined ? { transactionSearchConfig } : {}),
    table: estimate.toTable(),
  };
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? 'an object' : String(value);
}
