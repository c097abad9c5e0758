import { Token } from 'aws-cdk-lib';
import { MAX_PRICE_PER_MILLION, MAX_REQUESTS_PER_SECOND, MAX_TRACES_PER_MONTH } from './limits';
import type { ApplicationSignalsTraffic, SampledTraffic, TraceCostEstimateProps, TransactionSearchTraffic, XRayPricing } from './trace-cost-estimate-props';
import { ProblemCollector } from '../private/errors';
import { formatCount as count } from '../private/format';

/** The most spans of one trace Transaction Search shows. */
export const MAX_SPANS_PER_TRACE = 10_000;

/** The largest average span size an input may give: 1 MiB. */
export const MAX_SPAN_SIZE_BYTES = 1_048_576;

/** The longest month: 31 days, in seconds. */
const MAX_SECONDS_PER_MONTH = 31 * 86_400;

/** Records every problem of an estimate's props in `problems`; true when there is none. */
export function validateEstimateProps(props: TraceCostEstimateProps, problems: ProblemCollector): boolean {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    problems.add('props', 'must be an object with traffic', props, 'Pass { traffic: [{ name, requestsPerSecond, fixedRate, reservoirPerSecond }] }.');
    return false;
  }
  if (!Array.isArray(props.traffic) || Token.isUnresolved(props.traffic)) {
    problems.add('traffic', 'must be a list of sampled traffic', props.traffic, 'Pass one entry per sampling rule, or [] for none.');
  } else {
    const seen = new Map<string, number>();
    props.traffic.forEach((t, i) => validateTraffic(t, `traffic[${i}]`, i, seen, problems));
  }
  const countFix = (example: string) => `Pass a count of traces per month, e.g. ${example}.`;
  checkRange(problems, 'retrievedTracesPerMonth', props.retrievedTracesPerMonth, 0, MAX_TRACES_PER_MONTH, countFix('155000'));
  checkRange(problems, 'scannedTracesPerMonth', props.scannedTracesPerMonth, 0, MAX_TRACES_PER_MONTH, countFix('620000'));
  if (checkKnownFinite(problems, 'secondsPerMonth', props.secondsPerMonth)) {
    if (props.secondsPerMonth <= 0) {
      problems.add('secondsPerMonth', 'must be greater than 0', props.secondsPerMonth, 'Pass e.g. 2592000 for a 30-day month.');
    } else if (props.secondsPerMonth > MAX_SECONDS_PER_MONTH) {
      problems.add('secondsPerMonth', `must be at most ${count(MAX_SECONDS_PER_MONTH)} (31 days)`, props.secondsPerMonth,
        'Pass the length of one month, e.g. 2592000 for 30 days; estimate longer periods month by month.');
    }
  }
  if (props.insightsEnabled !== undefined && typeof props.insightsEnabled !== 'boolean') {
    problems.add('insightsEnabled', 'must be true or false', props.insightsEnabled, 'Pass true when X-Ray Insights is on.');
  }
  validateTransactionSearch(props.transactionSearch, problems);
  validateApplicationSignals(props.applicationSignals, problems);
  const p: XRayPricing | undefined = props.pricing;
  if (p !== undefined && (p === null || typeof p !== 'object' || Array.isArray(p))) {
    problems.add('pricing', 'must be an object of prices', p, 'Pass e.g. { tracesRecordedPerMillion: 5 }, or leave pricing out.');
    return problems.ok;
  }
  const priceFix = 'Pass a price in USD per million traces, e.g. 5 for $5.00.';
  checkRange(problems, 'pricing.tracesRecordedPerMillion', p?.tracesRecordedPerMillion, 0, MAX_PRICE_PER_MILLION, priceFix);
  checkRange(problems, 'pricing.tracesRetrievedPerMillion', p?.tracesRetrievedPerMillion, 0, MAX_PRICE_PER_MILLION, priceFix);
  checkRange(problems, 'pricing.tracesScannedPerMillion', p?.tracesScannedPerMillion, 0, MAX_PRICE_PER_MILLION, priceFix);
  checkRange(problems, 'pricing.insightsTracesPerMillion', p?.insightsTracesPerMillion, 0, MAX_PRICE_PER_MILLION, priceFix);
  const freeFix = 'Pass a count of traces per month, or 0 when the free tier is used up elsewhere.';
  checkRange(problems, 'pricing.freeTracesRecordedPerMonth', p?.freeTracesRecordedPerMonth, 0, MAX_TRACES_PER_MONTH, freeFix);
  checkRange(problems, 'pricing.freeTracesRetrievedOrScannedPerMonth', p?.freeTracesRetrievedOrScannedPerMonth, 0, MAX_TRACES_PER_MONTH, freeFix);
  return problems.ok;
}

function isStruct(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function validateTransactionSearch(ts: TransactionSearchTraffic | undefined, problems: ProblemCollector): void {
  if (ts === undefined) {
    return;
  }
  if (!isStruct(ts)) {
    problems.add('transactionSearch', 'must be an object with spansPerTrace and averageSpanSizeBytes', ts,
      'Pass e.g. { spansPerTrace: 12, averageSpanSizeBytes: 1200 }, or leave transactionSearch out.');
    return;
  }
  if (checkKnownFinite(problems, 'transactionSearch.spansPerTrace', ts.spansPerTrace, true)
    && (ts.spansPerTrace <= 0 || ts.spansPerTrace > MAX_SPANS_PER_TRACE)) {
    problems.add('transactionSearch.spansPerTrace', `must be more than 0 and at most ${count(MAX_SPANS_PER_TRACE)}`, ts.spansPerTrace,
      'Pass the average number of spans one request makes across its services, e.g. 12.');
  }
  if (checkKnownFinite(problems, 'transactionSearch.averageSpanSizeBytes', ts.averageSpanSizeBytes, true)
    && (ts.averageSpanSizeBytes <= 0 || ts.averageSpanSizeBytes > MAX_SPAN_SIZE_BYTES)) {
    problems.add('transactionSearch.averageSpanSizeBytes', `must be more than 0 and at most ${count(MAX_SPAN_SIZE_BYTES)}`,
      ts.averageSpanSizeBytes, 'Pass the average size of one ingested span in bytes, e.g. 1200 (IncomingBytes / IncomingLogEvents of aws/spans).');
  }
  checkRange(problems, 'transactionSearch.indexingPercentage', ts.indexingPercentage, 0, 100,
    'Pass a percentage from 0 to 100, e.g. 1 for the free 1 %.');
  const priceFix = 'Pass a price in USD, e.g. the one on your bill, or leave it out.';
  checkRange(problems, 'transactionSearch.spanIngestionPricePerGb', ts.spanIngestionPricePerGb, 0, MAX_PRICE_PER_MILLION, priceFix);
  checkRange(problems, 'transactionSearch.indexedTracesPricePerMillion', ts.indexedTracesPricePerMillion, 0, MAX_PRICE_PER_MILLION, priceFix);
}

function validateApplicationSignals(as: ApplicationSignalsTraffic | undefined, problems: ProblemCollector): void {
  if (as === undefined) {
    return;
  }
  if (!isStruct(as)) {
    problems.add('applicationSignals', 'must be an object', as, 'Pass e.g. { requestsPerMonth: 50000000 }, or {} for the sampled traffic\'s requests.');
    return;
  }
  checkRange(problems, 'applicationSignals.requestsPerMonth', as.requestsPerMonth, 0, MAX_TRACES_PER_MONTH,
    'Pass the inbound and outbound requests per month of the instrumented services, e.g. 50000000.');
  checkRange(problems, 'applicationSignals.pricePerMillionSignals', as.pricePerMillionSignals, 0, MAX_PRICE_PER_MILLION,
    'Pass a price in USD per million signals, e.g. the one on your bill, or leave it out.');
}

function validateTraffic(t: SampledTraffic, at: string, index: number, seen: Map<string, number>, problems: ProblemCollector): void {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) {
    problems.add(at, 'must be an object with name, requestsPerSecond, fixedRate and reservoirPerSecond', t,
      'Pass one entry per sampling rule, e.g. { name: "Default", requestsPerSecond: 20, fixedRate: 0.05, reservoirPerSecond: 1 }.');
    return;
  }
  if (typeof t.name !== 'string' || t.name.length === 0 || Token.isUnresolved(t.name)) {
    problems.add(`${at}.name`, Token.isUnresolved(t.name) ? 'must be known at synth time' : 'must not be empty', t.name,
      'Pass the sampling rule\'s name, e.g. "Default".');
  } else if (seen.has(t.name)) {
    problems.add(`${at}.name`, `is already used by traffic[${seen.get(t.name)}]`, t.name,
      'Give each rule one entry; split traffic by rule, first match wins.');
  } else {
    seen.set(t.name, index);
  }
  checkRange(problems, `${at}.requestsPerSecond`, t.requestsPerSecond, 0, MAX_REQUESTS_PER_SECOND,
    'Pass the average requests per second this rule matches, e.g. 50.', true);
  checkRange(problems, `${at}.fixedRate`, t.fixedRate, 0, 1, 'Pass a ratio, e.g. 0.05 for 5%.', true);
  if (checkKnownFinite(problems, `${at}.reservoirPerSecond`, t.reservoirPerSecond, true)
    && (t.reservoirPerSecond < 0 || !Number.isInteger(t.reservoirPerSecond))) {
    problems.add(`${at}.reservoirPerSecond`, 'must be a whole number, 0 or more', t.reservoirPerSecond,
      'Pass the rule\'s ReservoirSize in traces per second, e.g. 1.');
  }
  checkRange(problems, `${at}.errorRatio`, t.errorRatio, 0, 1, 'Pass a ratio, e.g. 0.02 for 2% failed requests.');
}

/**
 * Records a problem unless `value` is a finite number known at synth time; `undefined` passes unless `required`.
 * True when usable. A token is refused with its own message: an estimate is made at synth, where it has no value.
 */
export function checkKnownFinite(problems: ProblemCollector, prop: string, value: number | undefined, required = false): value is number {
  if (value === undefined && !required) {
    return false;
  }
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    problems.add(prop, 'must be known at synth time to estimate costs', value,
      'Pass the plain number the estimate should use; a deploy-time value (a parameter) has no value yet.');
    return false;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.add(prop, 'must be a finite number', value, 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
    return false;
  }
  return true;
}

function checkRange(problems: ProblemCollector, prop: string, value: number | undefined, min: number, max: number, fix: string,
  required = false): void {
  if (!checkKnownFinite(problems, prop, value, required)) {
    return;
  }
  if (min === 0 && max === 1 && (value < 0 || value > 1)) {
    problems.add(prop, 'must be between 0 and 1', value, fix);
  } else if (value < min) {
    problems.add(prop, `must be ${count(min)} or more`, value, fix);
  } else if (value > max) {
    problems.add(prop, `must be at most ${count(max)}`, value, fix);
  }
}
