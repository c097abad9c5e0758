import { Token } from 'aws-cdk-lib';
import { checkKnownFinite, validateEstimateProps } from './validation';
import { describe, ProblemCollector } from '../private/errors';
import { formatCount as count, formatPercent as percent, formatUsd as usd } from '../private/format';
import type { SamplingRule } from '../xray/sampling-rule';

/**
 * X-Ray prices in USD. Prices are 0 to 1,000,000 per million traces; free tiers 0 to 10^16 traces.
 *
 * The defaults are the public prices on https://aws.amazon.com/xray/pricing/ (checked 2026-11-21). The page quotes
 * them without naming a Region; pass your own when your bill shows other rates.
 *
 * @see https://aws.amazon.com/xray/pricing/
 */
export interface XRayPricing {
  /**
   * Price of one million traces recorded, beyond the free tier.
   *
   * @default 5.00
   */
  readonly tracesRecordedPerMillion?: number;

  /**
   * Price of one million traces retrieved (full trace data read with `BatchGetTraces` or in the console), beyond the
   * free tier.
   *
   * @default 0.50
   */
  readonly tracesRetrievedPerMillion?: number;

  /**
   * Price of one million traces scanned (trace summaries read by `GetTraceSummaries`, e.g. the console's filtered
   * trace list), beyond the free tier.
   *
   * @default 0.50
   */
  readonly tracesScannedPerMillion?: number;

  /**
   * Price of one million traces processed by X-Ray Insights. The pricing page lists no free tier for Insights.
   *
   * @default 1.00
   */
  readonly insightsTracesPerMillion?: number;

  /**
   * Traces recorded free each month (perpetual free tier, per account). Pass 0 when other workloads of the account
   * already use it up.
   *
   * @default 100000
   */
  readonly freeTracesRecordedPerMonth?: number;

  /**
   * Traces retrieved or scanned free each month. The pricing page states one allowance for both ("the first 1,000,000
   * traces retrieved or scanned each month are free") and its worked example adds retrieved and scanned traces
   * before subtracting it, so this is one shared pool.
   *
   * @default 1000000
   */
  readonly freeTracesRetrievedOrScannedPerMonth?: number;
}

/**
 * One sampling rule and the traffic it matches.
 *
 * X-Ray applies the first matching rule in ascending priority, so give each request to exactly one entry: the
 * traffic of a catch-all rule such as `Default` is what the rules before it did not match.
 */
export interface SampledTraffic {
  /**
   * The sampling rule's name, used in the breakdown. Names must be unique within one estimate.
   */
  readonly name: string;

  /**
   * Average requests per second that this rule matches, over all instances of the service: 0 to 1,000,000,000.
   */
  readonly requestsPerSecond: number;

  /**
   * The rule's `FixedRate`: the share of requests sampled once the reservoir is used up, between 0 and 1.
   */
  readonly fixedRate: number;

  /**
   * The rule's `ReservoirSize`: traces per second sampled before the fixed rate applies. A whole number, 0 or more.
   *
   * With centralized sampling rules X-Ray shares one reservoir among all instances using the rule. Rules read from a
   * local file give each instance its own reservoir; pass the reservoir times the number of instances then.
   */
  readonly reservoirPerSecond: number;

  /**
   * Share of the matched requests that fail, between 0 and 1. Used only to report how many recorded traces show an
   * error: X-Ray samples at the start of a request (head sampling), before the outcome is known, so failed requests
   * are recorded at the same rate as the others.
   *
   * @default 0
   */
  readonly errorRatio?: number;
}

/**
 * What to estimate: the traffic of each sampling rule, how traces are read and which prices apply.
 */
export interface TraceCostEstimateProps {
  /**
   * The traffic matched by each sampling rule.
   */
  readonly traffic: SampledTraffic[];

  /**
   * Traces whose full data is read each month (`BatchGetTraces`, opening traces in the console). On the pricing page
   * 100 queries a day that each open 50 traces, over a 31-day month, make 155,000. At most 10^16.
   *
   * @default 0
   */
  readonly retrievedTracesPerMonth?: number;

  /**
   * Traces scanned each month by queries over trace summaries (`GetTraceSummaries`, filter expressions in the
   * console's trace list). A query scans every trace in its time range, so this depends on how often people and
   * dashboards query and over which window, not on how many traces are recorded; no default derived from the
   * recorded traces would be right. Count it from your query habits: on the pricing page 100 queries a day, each
   * over the last hour's 200 traces, over a 31-day month, make 620,000. At most 10^16.
   *
   * @default 0
   */
  readonly scannedTracesPerMonth?: number;

  /**
   * Whether X-Ray Insights is turned on. Insights processes every trace of a group that has it turned on; this
   * estimate assumes those groups cover every recorded trace (as the `Default` group does), so it is an upper bound
   * when Insights runs on narrower groups only.
   *
   * @default false
   */
  readonly insightsEnabled?: boolean;

  /**
   * Prices and free tiers.
   *
   * @default - the public prices, see `XRayPricing`
   */
  readonly pricing?: XRayPricing;

  /**
   * Length of the month in seconds. The default is 31 days, the month the pricing page's worked example uses
   * (2,000 requests an hour × 24 hours × 31 days), so the defaults reproduce its figures. Pass 2592000 for a 30-day
   * month or 2629746 for an average (365.2425-day year) month. More than 0 and at most 2678400 (31 days).
   *
   * @default 2678400
   */
  readonly secondsPerMonth?: number;
}

/**
 * The estimate for one sampling rule.
 */
export interface RuleEstimate {
  /** The sampling rule's name. */
  readonly name: string;

  /** Requests per month that the rule matches. */
  readonly requestsPerMonth: number;

  /** Traces recorded per month: the reservoir's share plus the fixed rate's share of the rest. */
  readonly tracesRecordedPerMonth: number;

  /** Recorded traces per month that show a failed request (recorded traces × error ratio). */
  readonly errorTracesRecordedPerMonth: number;

  /** Recorded traces divided by matched requests, between 0 and 1 (0 when the rule matches no request). */
  readonly effectiveSampleRatio: number;
}

const PER_MILLION = 1_000_000;

const SECONDS_PER_DAY = 86_400;
const DEFAULT_SECONDS_PER_MONTH = 31 * SECONDS_PER_DAY;
const ORIGIN = 'TraceCostEstimate';

/** The public prices; see XRayPricing for the source. */
const DEFAULT_PRICING: Required<XRayPricing> = {
  tracesRecordedPerMillion: 5.0,
  tracesRetrievedPerMillion: 0.5,
  tracesScannedPerMillion: 0.5,
  insightsTracesPerMillion: 1.0,
  freeTracesRecordedPerMonth: 100_000,
  freeTracesRetrievedOrScannedPerMonth: 1_000_000,
};

/**
 * A monthly X-Ray cost estimate for a set of sampling rules (head sampling, as X-Ray sampling rules do it).
 *
 * Per rule and second: `sampled = min(rps, reservoir) + max(0, rps − reservoir) × fixedRate`, times the seconds of a
 * month. The free tiers are subtracted before pricing and no charge goes below zero. Dollar fields are not rounded;
 * `toTable()` rounds to cents for display.
 *
 * The model uses the average request rate. Traffic that comes in bursts leaves reservoir capacity unused in quiet
 * seconds, so for a given average the real count is at most this estimate.
 */
export class TraceCostEstimate {
  /**
   * Estimates the monthly cost of the given traffic. Throws one error listing every invalid input: values out of
   * range, NaN or Infinity, missing entries, and values known only at deploy time (tokens), which an estimate made at
   * synth cannot use.
   */
  public static fromTraffic(props: TraceCostEstimateProps): TraceCostEstimate {
    return new TraceCostEstimate(props);
  }

  /**
   * The traffic one sampling rule of this app matches: its name, fixed rate and reservoir, with the given request
   * rate. The rule's values must be known at synth time (not tokens).
   *
   * @param rule the rule
   * @param requestsPerSecond average requests per second the rule matches (first match wins)
   * @param errorRatio share of those requests that fail, 0–1
   */
  public static trafficOf(rule: SamplingRule, requestsPerSecond: number, errorRatio?: number): SampledTraffic {
    if (rule === null || typeof rule !== 'object' || rule.node === undefined || rule.fixedRate === undefined) {
      throw new Error(`[${ORIGIN}] rule must be a SamplingRule of this app (got ${describe(rule)}). ` +
        'Pass the SamplingRule construct, or give SampledTraffic values directly for rules defined elsewhere.');
    }
    const name = Token.isUnresolved(rule.samplingRuleName) ? rule.node.path : rule.samplingRuleName;
    if (Token.isUnresolved(rule.fixedRate.fraction) || Token.isUnresolved(rule.reservoirSize)) {
      throw new Error(`[${rule.node.path}] fixedRate and reservoirSize must be known at synth time to estimate costs (got <token>). ` +
        'Pass SampledTraffic values directly for rules whose values come from parameters.');
    }
    return { name, requestsPerSecond, fixedRate: rule.fixedRate.fraction, reservoirPerSecond: rule.reservoirSize, errorRatio };
  }

  /** The estimate for each rule, in the order given. */
  public readonly rules: RuleEstimate[];

  /** Length of the month used, in seconds. */
  public readonly secondsPerMonth: number;

  /** Requests per month over all rules. */
  public readonly requestsPerMonth: number;

  /** Traces recorded per month over all rules, before the free tier. */
  public readonly tracesRecordedPerMonth: number;

  /** Recorded traces per month that show a failed request, over all rules. */
  public readonly errorTracesRecordedPerMonth: number;

  /** Traces recorded per month beyond the free tier. */
  public readonly billableTracesRecordedPerMonth: number;

  /** Traces retrieved per month, before the free tier. */
  public readonly tracesRetrievedPerMonth: number;

  /** Traces scanned per month, before the free tier. */
  public readonly tracesScannedPerMonth: number;

  /** Traces retrieved or scanned per month beyond the shared free tier. */
  public readonly billableTracesRetrievedOrScannedPerMonth: number;

  /** Traces processed by Insights per month (every recorded trace when Insights is on, else 0). */
  public readonly insightsTracesPerMonth: number;

  /** Cost of recording traces per month, in USD. */
  public readonly recordingCostUsd: number;

  /**
   * Cost of retrieving traces per month, in USD. The shared free tier is split between retrieval and scanning in
   * proportion to their counts; with the public prices (equal for both) the split does not change the total.
   */
  public readonly retrievalCostUsd: number;

  /** Cost of scanning traces per month, in USD (see `retrievalCostUsd` for the free-tier split). */
  public readonly scanningCostUsd: number;

  /** Cost of Insights per month, in USD. */
  public readonly insightsCostUsd: number;

  /** Total cost per month after the free tiers, in USD. */
  public readonly monthlyCostUsd: number;

  private constructor(props: TraceCostEstimateProps) {
    const problems = new ProblemCollector(ORIGIN);
    validateEstimateProps(props, problems);
    problems.throwIfAny();

    const pricing: Required<XRayPricing> = { ...DEFAULT_PRICING, ...definedOnly(props.pricing ?? {}) };
    const seconds = props.secondsPerMonth ?? DEFAULT_SECONDS_PER_MONTH;
    this.secondsPerMonth = seconds;

    this.rules = props.traffic.map(t => estimateRule(t, seconds));
    this.requestsPerMonth = sum(this.rules.map(r => r.requestsPerMonth));
    this.tracesRecordedPerMonth = sum(this.rules.map(r => r.tracesRecordedPerMonth));
    this.errorTracesRecordedPerMonth = sum(this.rules.map(r => r.errorTracesRecordedPerMonth));

    this.billableTracesRecordedPerMonth = Math.max(0, this.tracesRecordedPerMonth - pricing.freeTracesRecordedPerMonth);
    this.recordingCostUsd = this.billableTracesRecordedPerMonth * pricing.tracesRecordedPerMillion / PER_MILLION;

    this.tracesRetrievedPerMonth = props.retrievedTracesPerMonth ?? 0;
    this.tracesScannedPerMonth = props.scannedTracesPerMonth ?? 0;
    const readTotal = this.tracesRetrievedPerMonth + this.tracesScannedPerMonth;
    this.billableTracesRetrievedOrScannedPerMonth = Math.max(0, readTotal - pricing.freeTracesRetrievedOrScannedPerMonth);
    const billableShare = readTotal > 0 ? this.billableTracesRetrievedOrScannedPerMonth / readTotal : 0;
    this.retrievalCostUsd = this.tracesRetrievedPerMonth * billableShare * pricing.tracesRetrievedPerMillion / PER_MILLION;
    this.scanningCostUsd = this.tracesScannedPerMonth * billableShare * pricing.tracesScannedPerMillion / PER_MILLION;

    this.insightsTracesPerMonth = props.insightsEnabled ? this.tracesRecordedPerMonth : 0;
    this.insightsCostUsd = this.insightsTracesPerMonth * pricing.insightsTracesPerMillion / PER_MILLION;

    this.monthlyCostUsd = this.recordingCostUsd + this.retrievalCostUsd + this.scanningCostUsd + this.insightsCostUsd;
  }

  /**
   * Whether the estimated monthly cost is strictly greater than the budget (a cost equal to the budget is within it).
   *
   * @param monthlyBudgetUsd the budget per month in USD, 0 or more
   */
  public isOverBudget(monthlyBudgetUsd: number): boolean {
    const problems = new ProblemCollector(ORIGIN);
    checkKnownFinite(problems, 'monthlyBudgetUsd', monthlyBudgetUsd, true);
    if (problems.ok && monthlyBudgetUsd < 0) {
      problems.add('monthlyBudgetUsd', 'must be 0 or more', monthlyBudgetUsd, 'Pass the monthly budget in USD, e.g. 25.');
    }
    problems.throwIfAny();
    return this.monthlyCostUsd > monthlyBudgetUsd;
  }

  /**
   * A plain-text table: per rule the requests, traces recorded and error traces per month and the effective sample
   * ratio, then the totals and the cost of each item in USD, rounded to cents.
   */
  public toTable(): string {
    const header = ['Rule', 'Requests/month', 'Traces recorded/month', 'Error traces/month', 'Effective ratio'];
    const rows = this.rules.map(r => [
      r.name, count(r.requestsPerMonth), count(r.tracesRecordedPerMonth), count(r.errorTracesRecordedPerMonth),
      percent(r.effectiveSampleRatio),
    ]);
    const totalRatio = this.requestsPerMonth > 0 ? this.tracesRecordedPerMonth / this.requestsPerMonth : 0;
    const total = ['Total', count(this.requestsPerMonth), count(this.tracesRecordedPerMonth),
      count(this.errorTracesRecordedPerMonth), percent(totalRatio)];
    const days = Number((this.secondsPerMonth / SECONDS_PER_DAY).toFixed(2));

    const lines = [
      `X-Ray trace cost estimate, ${days}-day month`,
      ...alignColumns([header, null, ...rows, null, total]),
      '',
      ...alignColumns([
        ['Traces recorded beyond free tier', count(this.billableTracesRecordedPerMonth)],
        ['Traces retrieved', count(this.tracesRetrievedPerMonth)],
        ['Traces scanned', count(this.tracesScannedPerMonth)],
        ['Retrieved/scanned beyond free tier', count(this.billableTracesRetrievedOrScannedPerMonth)],
        ['Insights traces', count(this.insightsTracesPerMonth)],
      ]),
      '',
      ...alignColumns([
        ['Recording', usd(this.recordingCostUsd)],
        ['Retrieval', usd(this.retrievalCostUsd)],
        ['Scanning', usd(this.scanningCostUsd)],
        ['Insights', usd(this.insightsCostUsd)],
        null,
        ['Total per month', usd(this.monthlyCostUsd)],
      ]),
    ];
    return lines.join('\n');
  }
}

function estimateRule(t: SampledTraffic, seconds: number): RuleEstimate {
  const rps = t.requestsPerSecond;
  const sampledPerSecond = Math.min(rps, t.reservoirPerSecond) + Math.max(0, rps - t.reservoirPerSecond) * t.fixedRate;
  const tracesRecordedPerMonth = sampledPerSecond * seconds;
  return {
    name: t.name,
    requestsPerMonth: rps * seconds,
    tracesRecordedPerMonth,
    errorTracesRecordedPerMonth: tracesRecordedPerMonth * (t.errorRatio ?? 0),
    effectiveSampleRatio: rps > 0 ? sampledPerSecond / rps : 0,
  };
}

/** Drops keys set to `undefined`, so they do not override the defaults when spread. */
function definedOnly(pricing: XRayPricing): XRayPricing {
  return Object.fromEntries(Object.entries(pricing).filter(([, v]) => v !== undefined));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Pads cells into columns: the first column left-aligned, the others right-aligned; `null` draws a rule. */
function alignColumns(rows: Array<string[] | null>): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row?.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  }
  return rows.map(row => (row ?? widths.map(w => '-'.repeat(w)))
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join('  ')
    .trimEnd());
}
