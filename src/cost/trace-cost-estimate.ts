import { Token } from 'aws-cdk-lib';
import {
  ApplicationSignalsEstimate, RuleEstimate, SampledTraffic, TraceCostEstimateProps, TransactionSearchEstimate, XRayPricing,
} from './trace-cost-estimate-props';
import { checkKnownFinite, validateEstimateProps } from './validation';
import { renderValue, ProblemCollector } from '../private/errors';
import { formatCount as count, formatPercent as percent, formatUsd as usd } from '../private/format';
import type { SamplingRule } from '../xray/sampling-rule';

const PER_MILLION = 1_000_000;

/** A GB of ingested spans, counted as 2^30 bytes. */
const BYTES_PER_GB = 1024 ** 3;

/** The share of spans Transaction Search indexes free, in percent. */
const FREE_INDEXING_PERCENTAGE = 1;

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
      throw new Error(`[${ORIGIN}] rule must be a SamplingRule of this app (got ${renderValue(rule)}). ` +
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

  /**
   * What CloudWatch Transaction Search adds, when it is on (`transactionSearch` was given). Trace recording is then
   * billed as span ingestion, so `recordingCostUsd` is 0.
   */
  public readonly transactionSearch?: TransactionSearchEstimate;

  /** What CloudWatch Application Signals adds, when `applicationSignals` was given. */
  public readonly applicationSignals?: ApplicationSignalsEstimate;

  /**
   * Items counted but not priced because no price was given (`span ingestion`, `Application Signals`): their cost is
   * not in `monthlyCostUsd`.
   */
  public readonly unpricedItems: string[];

  /** Total cost per month after the free tiers, in USD: every priced item. */
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

    const ts = props.transactionSearch;
    // With Transaction Search on, spans are billed as CloudWatch span ingestion, not as X-Ray traces recorded.
    this.billableTracesRecordedPerMonth = ts !== undefined ? 0 : Math.max(0, this.tracesRecordedPerMonth - pricing.freeTracesRecordedPerMonth);
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

    const unpriced: string[] = [];
    if (ts !== undefined) {
      const spans = this.tracesRecordedPerMonth * ts.spansPerTrace;
      const gigabytes = spans * ts.averageSpanSizeBytes / BYTES_PER_GB;
      const indexing = ts.indexingPercentage ?? FREE_INDEXING_PERCENTAGE;
      const billableIndexed = this.tracesRecordedPerMonth * Math.max(0, indexing - FREE_INDEXING_PERCENTAGE) / 100;
      const spanCost = ts.spanIngestionPricePerGb === undefined ? undefined : gigabytes * ts.spanIngestionPricePerGb;
      if (spanCost === undefined) {
        unpriced.push('span ingestion');
      }
      this.transactionSearch = {
        spansIngestedPerMonth: spans,
        spanGigabytesIngestedPerMonth: gigabytes,
        indexingPercentage: indexing,
        tracesIndexedPerMonth: this.tracesRecordedPerMonth * indexing / 100,
        billableTracesIndexedPerMonth: billableIndexed,
        ...(spanCost !== undefined ? { spanIngestionCostUsd: spanCost } : {}),
        indexingCostUsd: billableIndexed * (ts.indexedTracesPricePerMillion ?? pricing.tracesRecordedPerMillion) / PER_MILLION,
      };
    }
    const as = props.applicationSignals;
    if (as !== undefined) {
      const signals = as.requestsPerMonth ?? this.requestsPerMonth;
      const cost = as.pricePerMillionSignals === undefined ? undefined : signals * as.pricePerMillionSignals / PER_MILLION;
      if (cost === undefined) {
        unpriced.push('Application Signals');
      }
      this.applicationSignals = { signalsPerMonth: signals, ...(cost !== undefined ? { costUsd: cost } : {}) };
    }
    this.unpricedItems = unpriced;

    this.monthlyCostUsd = this.recordingCostUsd + this.retrievalCostUsd + this.scanningCostUsd + this.insightsCostUsd
      + (this.transactionSearch?.spanIngestionCostUsd ?? 0) + (this.transactionSearch?.indexingCostUsd ?? 0)
      + (this.applicationSignals?.costUsd ?? 0);
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
      ...this.signalsLines(),
      '',
      ...alignColumns([
        [this.transactionSearch ? 'Recording (billed as span ingestion)' : 'Recording', usd(this.recordingCostUsd)],
        ['Retrieval', usd(this.retrievalCostUsd)],
        ['Scanning', usd(this.scanningCostUsd)],
        ['Insights', usd(this.insightsCostUsd)],
        ...(this.transactionSearch ? [
          ['Span ingestion', priced(this.transactionSearch.spanIngestionCostUsd)],
          ['Indexing beyond 1 %', usd(this.transactionSearch.indexingCostUsd)],
        ] : []),
        ...(this.applicationSignals ? [['Application Signals', priced(this.applicationSignals.costUsd)]] : []),
        null,
        [this.unpricedItems.length > 0 ? 'Total per month (priced items)' : 'Total per month', usd(this.monthlyCostUsd)],
      ]),
    ];
    return lines.join('\n');
  }

  /** The counts of Transaction Search and Application Signals, when estimated. */
  private signalsLines(): string[] {
    const ts = this.transactionSearch;
    const rows: string[][] = [
      ...(ts ? [
        ['Spans ingested (aws/spans)', count(ts.spansIngestedPerMonth)],
        ['Span GB ingested', ts.spanGigabytesIngestedPerMonth.toFixed(2)],
        [`Traces indexed (${ts.indexingPercentage} %)`, count(ts.tracesIndexedPerMonth)],
        ['Traces indexed beyond free 1 %', count(ts.billableTracesIndexedPerMonth)],
      ] : []),
      ...(this.applicationSignals ? [['Application Signals signals', count(this.applicationSignals.signalsPerMonth)]] : []),
    ];
    return rows.length === 0 ? [] : ['', ...alignColumns(rows)];
  }
}

/** A cost, or `not priced` when no price was given. */
function priced(costUsd: number | undefined): string {
  return costUsd === undefined ? 'not priced' : usd(costUsd);
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
