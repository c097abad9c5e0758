import { Token } from 'aws-cdk-lib';
import { TraceCostEstimate } from '../../src/cost/trace-cost-estimate';
import { SampledTraffic, TraceCostEstimateProps } from '../../src/cost/trace-cost-estimate-props';

const DAY = 86_400;

/** One rule with the given traffic; other fields default to a flat 10% with no reservoir. */
function rule(overrides: Partial<SampledTraffic> = {}): SampledTraffic {
  return { name: 'Default', requestsPerSecond: 10, fixedRate: 0.1, reservoirPerSecond: 0, ...overrides };
}

/** The message of the error `fn` throws, for exact comparison (`toThrow('...')` only checks a substring). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

describe('TraceCostEstimate: sampling formula', () => {
  test('below the reservoir every request is recorded', () => {
    // GIVEN 3 req/s against a reservoir of 5
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 3, reservoirPerSecond: 5 })], secondsPerMonth: 1_000 });

    // THEN
    expect(estimate.rules[0].tracesRecordedPerMonth).toBe(3_000);
    expect(estimate.rules[0].effectiveSampleRatio).toBe(1);
  });

  test('above the reservoir the fixed rate applies to the rest only', () => {
    // GIVEN 101 req/s, reservoir 1, 5%: 1 + 100 × 0.05 = 6 traces/s
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: 101, reservoirPerSecond: 1, fixedRate: 0.05 })],
      secondsPerMonth: 1_000,
    });

    // THEN
    expect(estimate.rules[0]).toEqual({
      name: 'Default',
      requestsPerMonth: 101_000,
      tracesRecordedPerMonth: 6_000,
      errorTracesRecordedPerMonth: 0,
      effectiveSampleRatio: 6 / 101,
    });
  });

  test('fixed rate 0 keeps only the reservoir; fixed rate 1 keeps everything', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [
        rule({ name: 'ReservoirOnly', requestsPerSecond: 50, reservoirPerSecond: 2, fixedRate: 0 }),
        rule({ name: 'All', requestsPerSecond: 50, reservoirPerSecond: 0, fixedRate: 1 }),
      ],
      secondsPerMonth: 10,
    });
    expect(estimate.rules.map(r => r.tracesRecordedPerMonth)).toEqual([20, 500]);
    expect(estimate.rules.map(r => r.effectiveSampleRatio)).toEqual([0.04, 1]);
  });

  test('a rule that matches nothing records nothing and has ratio 0', () => {
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 0, reservoirPerSecond: 1 })] });
    expect(estimate.rules[0]).toMatchObject({ requestsPerMonth: 0, tracesRecordedPerMonth: 0, effectiveSampleRatio: 0 });
    expect(estimate.monthlyCostUsd).toBe(0);
  });

  test('error traces are the recorded traces times the error ratio (head sampling does not favour errors)', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: 100, fixedRate: 0.5, errorRatio: 0.02 })],
      secondsPerMonth: 1_000,
    });
    expect(estimate.rules[0].tracesRecordedPerMonth).toBe(50_000);
    expect(estimate.rules[0].errorTracesRecordedPerMonth).toBeCloseTo(1_000, 9);
    expect(estimate.errorTracesRecordedPerMonth).toBeCloseTo(1_000, 9);
  });

  test('totals add up the rules, in the order given', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [
        rule({ name: 'Checkout', requestsPerSecond: 40, reservoirPerSecond: 5, fixedRate: 0.2, errorRatio: 0.01 }),
        rule({ name: 'Default', requestsPerSecond: 300, reservoirPerSecond: 1, fixedRate: 0.05 }),
      ],
      secondsPerMonth: 100,
    });
    expect(estimate.rules.map(r => r.name)).toEqual(['Checkout', 'Default']);
    // 5 + 35 × 0.2 = 12/s and 1 + 299 × 0.05 = 15.95/s
    expect(estimate.tracesRecordedPerMonth).toBeCloseTo(2_795, 9);
    expect(estimate.requestsPerMonth).toBe(34_000);
    expect(estimate.errorTracesRecordedPerMonth).toBeCloseTo(12, 9);
  });

  test('the month is 31 days unless told otherwise', () => {
    const byDefault = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 1, fixedRate: 1 })] });
    const thirtyDays = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 1, fixedRate: 1 })], secondsPerMonth: 30 * DAY });
    expect(byDefault.secondsPerMonth).toBe(2_678_400);
    expect(byDefault.tracesRecordedPerMonth).toBe(2_678_400);
    expect(thirtyDays.tracesRecordedPerMonth).toBe(2_592_000);
  });
});

describe('TraceCostEstimate: pricing', () => {
  test('recording is $5.00 per million beyond 100,000 free', () => {
    // 1,100,000 recorded → 1,000,000 billable
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 1_100, fixedRate: 1 })], secondsPerMonth: 1_000 });
    expect(estimate.billableTracesRecordedPerMonth).toBe(1_000_000);
    expect(estimate.recordingCostUsd).toBeCloseTo(5, 12);
    expect(estimate.monthlyCostUsd).toBeCloseTo(5, 12);
  });

  test('retrieval and scanning share one free pool and are $0.50 per million beyond it', () => {
    // 1,500,000 + 1,500,000 read, 1,000,000 free → 2,000,000 billable, split in proportion
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [], retrievedTracesPerMonth: 1_500_000, scannedTracesPerMonth: 1_500_000 });
    expect(estimate.billableTracesRetrievedOrScannedPerMonth).toBe(2_000_000);
    expect(estimate.retrievalCostUsd).toBeCloseTo(0.5, 12);
    expect(estimate.scanningCostUsd).toBeCloseTo(0.5, 12);
    expect(estimate.monthlyCostUsd).toBeCloseTo(1, 12);
  });

  test('with different prices the free pool is split in proportion to the counts', () => {
    // 1,000,000 retrieved + 3,000,000 scanned; 2,000,000 free → half of each is billable
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [],
      retrievedTracesPerMonth: 1_000_000,
      scannedTracesPerMonth: 3_000_000,
      pricing: { tracesRetrievedPerMillion: 2, tracesScannedPerMillion: 1, freeTracesRetrievedOrScannedPerMonth: 2_000_000 },
    });
    expect(estimate.retrievalCostUsd).toBeCloseTo(1, 12);
    expect(estimate.scanningCostUsd).toBeCloseTo(1.5, 12);
  });

  test('Insights is $1.00 per million recorded traces, with no free tier, and only when turned on', () => {
    const props: TraceCostEstimateProps = { traffic: [rule({ requestsPerSecond: 50, fixedRate: 1 })], secondsPerMonth: 1_000 };
    const off = TraceCostEstimate.fromTraffic(props);
    const on = TraceCostEstimate.fromTraffic({ ...props, insightsEnabled: true });
    expect(off.insightsTracesPerMonth).toBe(0);
    expect(off.insightsCostUsd).toBe(0);
    expect(on.insightsTracesPerMonth).toBe(50_000);
    expect(on.insightsCostUsd).toBeCloseTo(0.05, 12);
    expect(on.recordingCostUsd).toBe(0);
  });

  test('custom prices replace only the fields given', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: 2_000, fixedRate: 1 })],
      secondsPerMonth: 1_000,
      retrievedTracesPerMonth: 2_000_000,
      pricing: { tracesRecordedPerMillion: 6, freeTracesRecordedPerMonth: 0, tracesRetrievedPerMillion: undefined },
    });
    expect(estimate.recordingCostUsd).toBeCloseTo(12, 12);
    expect(estimate.retrievalCostUsd).toBeCloseTo(0.5, 12);
  });

  test('dollar fields are not rounded', () => {
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 100_001, fixedRate: 1 })], secondsPerMonth: 1 });
    expect(estimate.recordingCostUsd).toBeCloseTo(0.000005, 15);
  });
});

// Worked example "Example 1 - X-Ray tracing" on https://aws.amazon.com/xray/pricing/ (read 2026-11-21 from stored
// copies of the page, figures identical in the de, cn, vi and jp editions). It assumes a 31-day month:
//   2,000 requests/hour × 24 hours × 31 days × 10% = 148,800 traces recorded; 148,800 − 100,000 free = 48,800 billable;
//   48,800 × $0.000005 = $0.24.
//   Scanned 100 queries × 200 traces × 31 days = 620,000; retrieved 100 queries × 50 traces × 31 days = 155,000;
//   775,000 − 1,000,000 free = 0 billable → $0.
//   Insights on: 148,800 traces × $0.000001 = $0.15. Total $0.24 + $0.15 = $0.39.
describe('TraceCostEstimate: the AWS pricing page example', () => {
  const example: TraceCostEstimateProps = {
    // a flat 10%: the page's sampling rate has no reservoir
    traffic: [{ name: 'Default', requestsPerSecond: 2_000 / 3_600, fixedRate: 0.1, reservoirPerSecond: 0 }],
    retrievedTracesPerMonth: 100 * 50 * 31,
    scannedTracesPerMonth: 100 * 200 * 31,
    insightsEnabled: true,
  };

  test('traces recorded, billable, retrieved and scanned', () => {
    const estimate = TraceCostEstimate.fromTraffic(example);
    expect(estimate.tracesRecordedPerMonth).toBeCloseTo(148_800, 6);
    expect(estimate.billableTracesRecordedPerMonth).toBeCloseTo(48_800, 6);
    expect(estimate.tracesRetrievedPerMonth).toBe(155_000);
    expect(estimate.tracesScannedPerMonth).toBe(620_000);
    expect(estimate.billableTracesRetrievedOrScannedPerMonth).toBe(0);
    expect(estimate.insightsTracesPerMonth).toBeCloseTo(148_800, 6);
  });

  test('dollars to the cent: $0.24 + $0 + $0.15 = $0.39', () => {
    const estimate = TraceCostEstimate.fromTraffic(example);
    expect(estimate.recordingCostUsd).toBeCloseTo(0.244, 10);
    expect(cents(estimate.recordingCostUsd)).toBe(0.24);
    expect(estimate.retrievalCostUsd + estimate.scanningCostUsd).toBe(0);
    expect(estimate.insightsCostUsd).toBeCloseTo(0.1488, 10);
    expect(cents(estimate.insightsCostUsd)).toBe(0.15);
    expect(cents(estimate.monthlyCostUsd)).toBe(0.39);
    expect(estimate.toTable()).toMatch(/^Total per month\s+\$0\.39$/m);
  });

  test('without Insights the example costs $0.24', () => {
    const estimate = TraceCostEstimate.fromTraffic({ ...example, insightsEnabled: false });
    expect(cents(estimate.monthlyCostUsd)).toBe(0.24);
  });
});

describe('TraceCostEstimate: free tier boundaries', () => {
  function recorded(traces: number): TraceCostEstimate {
    return TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: traces, fixedRate: 1 })], secondsPerMonth: 1 });
  }

  test('exactly 100,000 recorded traces cost $0', () => {
    expect(recorded(100_000).billableTracesRecordedPerMonth).toBe(0);
    expect(recorded(100_000).monthlyCostUsd).toBe(0);
  });

  test('100,001 recorded traces cost one trace', () => {
    expect(recorded(100_001).billableTracesRecordedPerMonth).toBe(1);
    expect(recorded(100_001).monthlyCostUsd).toBeCloseTo(0.000005, 15);
  });

  test('fewer traces than the free tier never cost less than $0', () => {
    expect(recorded(10).billableTracesRecordedPerMonth).toBe(0);
    expect(recorded(10).recordingCostUsd).toBe(0);
  });

  test('exactly 1,000,000 retrieved plus scanned cost $0; one more costs one trace', () => {
    const atLimit = TraceCostEstimate.fromTraffic({ traffic: [], retrievedTracesPerMonth: 400_000, scannedTracesPerMonth: 600_000 });
    const over = TraceCostEstimate.fromTraffic({ traffic: [], retrievedTracesPerMonth: 400_000, scannedTracesPerMonth: 600_001 });
    expect(atLimit.monthlyCostUsd).toBe(0);
    expect(over.billableTracesRetrievedOrScannedPerMonth).toBe(1);
    expect(over.monthlyCostUsd).toBeCloseTo(0.0000005, 15);
  });

  test('a free tier of 0 bills from the first trace', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: 1, fixedRate: 1 })],
      secondsPerMonth: 1,
      pricing: { freeTracesRecordedPerMonth: 0 },
    });
    expect(estimate.recordingCostUsd).toBeCloseTo(0.000005, 15);
  });
});

describe('TraceCostEstimate: validation', () => {
  const at = (traffic: Partial<SampledTraffic>, index = 0) => () => {
    const list = [rule({ name: 'A' }), rule({ name: 'B' }), rule({ name: 'C' })];
    list[index] = rule({ name: list[index].name, ...traffic });
    return TraceCostEstimate.fromTraffic({ traffic: list });
  };

  test('negative requests per second', () => {
    expect(errorOf(at({ requestsPerSecond: -1 }))).toEqual('[TraceCostEstimate] traffic[0].requestsPerSecond must be 0 or more (got -1). '
      + 'Pass the average requests per second this rule matches, e.g. 50.');
  });

  test('fixed rate above 1', () => {
    expect(errorOf(at({ fixedRate: 1.5 }))).toEqual('[TraceCostEstimate] traffic[0].fixedRate must be between 0 and 1 (got 1.5). '
      + 'Pass a ratio, e.g. 0.05 for 5%.');
    expect(errorOf(at({ fixedRate: 5 }, 2))).toEqual('[TraceCostEstimate] traffic[2].fixedRate must be between 0 and 1 (got 5). '
      + 'Pass a ratio, e.g. 0.05 for 5%.');
    expect(errorOf(at({ fixedRate: -0.1 }))).toEqual('[TraceCostEstimate] traffic[0].fixedRate must be between 0 and 1 (got -0.1). '
      + 'Pass a ratio, e.g. 0.05 for 5%.');
  });

  test('negative or fractional reservoir', () => {
    expect(errorOf(at({ reservoirPerSecond: -1 }))).toEqual('[TraceCostEstimate] traffic[0].reservoirPerSecond must be a whole number, 0 or more '
      + '(got -1). Pass the rule\'s ReservoirSize in traces per second, e.g. 1.');
    expect(errorOf(at({ reservoirPerSecond: 0.5 }))).toEqual('[TraceCostEstimate] traffic[0].reservoirPerSecond must be a whole number, 0 or more '
      + '(got 0.5). Pass the rule\'s ReservoirSize in traces per second, e.g. 1.');
  });

  test('NaN and Infinity', () => {
    expect(errorOf(at({ requestsPerSecond: NaN }))).toEqual('[TraceCostEstimate] traffic[0].requestsPerSecond must be a finite number (got NaN). '
      + 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
    expect(errorOf(at({ fixedRate: NaN }, 1))).toEqual('[TraceCostEstimate] traffic[1].fixedRate must be a finite number (got NaN). '
      + 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
    expect(errorOf(at({ reservoirPerSecond: Infinity }))).toEqual('[TraceCostEstimate] traffic[0].reservoirPerSecond must be a finite number '
      + '(got Infinity). Pass a plain number; NaN and Infinity usually come from a division by zero.');
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], scannedTracesPerMonth: Infinity }))).toEqual(
      '[TraceCostEstimate] scannedTracesPerMonth must be a finite number (got Infinity). '
      + 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
  });

  test('error ratio above 1', () => {
    expect(errorOf(at({ errorRatio: 2 }))).toEqual('[TraceCostEstimate] traffic[0].errorRatio must be between 0 and 1 (got 2). '
      + 'Pass a ratio, e.g. 0.02 for 2% failed requests.');
  });

  test('rates of exactly 0 and 1 are accepted', () => {
    for (const value of [0, 1]) {
      expect(() => at({ fixedRate: value, errorRatio: value })()).not.toThrow();
    }
    expect(() => at({ requestsPerSecond: 0, reservoirPerSecond: 0 })()).not.toThrow();
  });

  test('empty and duplicate rule names', () => {
    expect(errorOf(at({ name: '' }))).toEqual('[TraceCostEstimate] traffic[0].name must not be empty (got ""). '
      + 'Pass the sampling rule\'s name, e.g. "Default".');
    expect(errorOf(at({ name: 'A' }, 2))).toEqual('[TraceCostEstimate] traffic[2].name is already used by traffic[0] (got "A"). '
      + 'Give each rule one entry; split traffic by rule, first match wins.');
  });

  test('month length, counts and prices', () => {
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], secondsPerMonth: 0 }))).toEqual(
      '[TraceCostEstimate] secondsPerMonth must be greater than 0 (got 0). Pass e.g. 2592000 for a 30-day month.');
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], retrievedTracesPerMonth: -5 }))).toEqual(
      '[TraceCostEstimate] retrievedTracesPerMonth must be 0 or more (got -5). Pass a count of traces per month, e.g. 155000.');
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], pricing: { tracesRecordedPerMillion: -5 } }))).toEqual(
      '[TraceCostEstimate] pricing.tracesRecordedPerMillion must be 0 or more (got -5). Pass a price in USD per million traces, e.g. 5 for $5.00.');
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], pricing: { freeTracesRecordedPerMonth: NaN } }))).toEqual(
      '[TraceCostEstimate] pricing.freeTracesRecordedPerMonth must be a finite number (got NaN). '
      + 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
  });

  test('traffic must be a list', () => {
    expect(errorOf(() => TraceCostEstimate.fromTraffic({} as TraceCostEstimateProps))).toEqual(
      '[TraceCostEstimate] traffic must be a list of sampled traffic (got undefined). Pass one entry per sampling rule, or [] for none.');
  });

  test('several problems are reported together', () => {
    const message = errorOf(() => TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: -1 }), rule({ name: 'Other', fixedRate: 1.5, errorRatio: 2 })],
    }));
    expect(message.split('\n')).toEqual([
      '3 problems:',
      expect.stringContaining('traffic[0].requestsPerSecond must be 0 or more (got -1)'),
      expect.stringContaining('traffic[1].fixedRate must be between 0 and 1 (got 1.5)'),
      expect.stringContaining('traffic[1].errorRatio must be between 0 and 1 (got 2)'),
    ]);
  });
});

describe('TraceCostEstimate: isOverBudget', () => {
  // 1,100,000 recorded → exactly $5.00
  const estimate = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 1_100_000, fixedRate: 1 })], secondsPerMonth: 1 });

  test('over only when the cost is strictly greater than the budget', () => {
    expect(estimate.monthlyCostUsd).toBe(5);
    expect(estimate.isOverBudget(4.99)).toBe(true);
    expect(estimate.isOverBudget(5)).toBe(false);
    expect(estimate.isOverBudget(100)).toBe(false);
  });

  test('a free estimate is within a budget of 0', () => {
    expect(TraceCostEstimate.fromTraffic({ traffic: [] }).isOverBudget(0)).toBe(false);
    expect(estimate.isOverBudget(0)).toBe(true);
  });

  test('rejects a negative or non-finite budget', () => {
    expect(errorOf(() => estimate.isOverBudget(-1))).toEqual(
      '[TraceCostEstimate] monthlyBudgetUsd must be 0 or more (got -1). Pass the monthly budget in USD, e.g. 25.');
    expect(errorOf(() => estimate.isOverBudget(NaN))).toEqual('[TraceCostEstimate] monthlyBudgetUsd must be a finite number (got NaN). '
      + 'Pass a plain number; NaN and Infinity usually come from a division by zero.');
  });
});

describe('TraceCostEstimate: toTable', () => {
  const estimate = TraceCostEstimate.fromTraffic({
    traffic: [
      rule({ name: 'Checkout', requestsPerSecond: 40, reservoirPerSecond: 5, fixedRate: 0.2, errorRatio: 0.01 }),
      rule({ name: 'Default', requestsPerSecond: 300, reservoirPerSecond: 1, fixedRate: 0.05 }),
    ],
    retrievedTracesPerMonth: 200_000,
    scannedTracesPerMonth: 3_000_000,
  });
  const table = estimate.toTable();

  test('one row per rule with requests, traces, error traces and the effective ratio', () => {
    expect(table).toMatch(/^Checkout\s+107,136,000\s+32,140,800\s+321,408\s+30\.00%$/m);
    expect(table).toMatch(/^Default\s+803,520,000\s+42,720,480\s+0\s+5\.32%$/m);
    expect(table).toMatch(/^Total\s+910,656,000\s+74,861,280\s+321,408\s+8\.22%$/m);
  });

  test('trace totals, then dollars rounded to cents', () => {
    expect(table).toMatch(/^Traces retrieved\s+200,000$/m);
    expect(table).toMatch(/^Traces scanned\s+3,000,000$/m);
    expect(table).toMatch(/^Retrieved\/scanned beyond free tier\s+2,200,000$/m);
    expect(table).toMatch(/^Recording\s+\$373\.81$/m);
    expect(table).toMatch(/^Retrieval\s+\$0\.07$/m);
    expect(table).toMatch(/^Scanning\s+\$1\.03$/m);
    expect(table).toMatch(/^Insights\s+\$0\.00$/m);
    expect(table).toMatch(/^Total per month\s+\$374\.91$/m);
    // the numeric fields keep their precision
    expect(estimate.recordingCostUsd).toBeCloseTo(373.8064, 9);
  });

  test('states the month length and aligns columns', () => {
    const lines = table.split('\n');
    expect(lines[0]).toBe('X-Ray trace cost estimate, 31-day month');
    expect(lines[1]).toMatch(/^Rule\s+Requests\/month\s+Traces recorded\/month\s+Error traces\/month\s+Effective ratio$/);
    const ruleRows = lines.slice(1, 7);
    expect(new Set(ruleRows.map(l => l.length)).size).toBe(1);
  });

  test('thousands separators in dollars and half-cent rounding up', () => {
    // 201,100,000 recorded → $1,005.00; 100,000 + 1,000 → $0.005 → $0.01
    const big = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 201_100_000, fixedRate: 1 })], secondsPerMonth: 1 });
    const halfCent = TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 101_000, fixedRate: 1 })], secondsPerMonth: 1 });
    expect(big.toTable()).toMatch(/^Total per month\s+\$1,005\.00$/m);
    expect(halfCent.toTable()).toMatch(/^Total per month\s+\$0\.01$/m);
  });

  test('an estimate without rules still prints', () => {
    expect(TraceCostEstimate.fromTraffic({ traffic: [], secondsPerMonth: 30 * DAY }).toTable()).toMatch(/30-day month[\s\S]*Total per month\s+\$0\.00/);
  });
});

describe('TraceCostEstimate: bad input is an error in the house format, never a crash or a garbage figure', () => {
  test('an undefined traffic entry is named, not a TypeError', () => {
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [undefined as any] }))).toBe(
      '[TraceCostEstimate] traffic[0] must be an object with name, requestsPerSecond, fixedRate and reservoirPerSecond (got undefined). ' +
      'Pass one entry per sampling rule, e.g. { name: "Default", requestsPerSecond: 20, fixedRate: 0.05, reservoirPerSecond: 1 }.');
  });

  test('no props, or props that are not an object', () => {
    expect(errorOf(() => TraceCostEstimate.fromTraffic(undefined as any))).toMatch(/^\[TraceCostEstimate\] props must be an object with traffic \(got undefined\)/);
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [], pricing: null as any }))).toMatch(/pricing must be an object of prices \(got null\)/);
  });

  test('1e305 requests per second is refused instead of printing an infinite cost', () => {
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: 1e305 })] }))).toBe(
      '[TraceCostEstimate] traffic[0].requestsPerSecond must be at most 1,000,000,000 (got 1e+305). ' +
      'Pass the average requests per second this rule matches, e.g. 50.');
  });

  test('the largest inputs still give finite, printable figures', () => {
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [rule({ requestsPerSecond: 1e9, fixedRate: 1 })],
      retrievedTracesPerMonth: 1e16,
      scannedTracesPerMonth: 1e16,
      insightsEnabled: true,
      pricing: { tracesRecordedPerMillion: 1e6, tracesRetrievedPerMillion: 1e6, tracesScannedPerMillion: 1e6, insightsTracesPerMillion: 1e6 },
    });
    expect(Number.isFinite(estimate.monthlyCostUsd)).toBe(true);
    expect(estimate.toTable()).not.toMatch(/undefined|NaN|Infinity|infinite/);
    expect(estimate.toTable()).toMatch(/Total per month\s+\$2\.54e\+16/);
  });

  test('a token is refused with a message saying it has no value at synth (never read as -1.888e+289)', () => {
    const message = errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [rule({ requestsPerSecond: Token.asNumber({ Ref: 'Rps' }) })] }));
    expect(message).toBe('[TraceCostEstimate] traffic[0].requestsPerSecond must be known at synth time to estimate costs (got <token>). ' +
      'Pass the plain number the estimate should use; a deploy-time value (a parameter) has no value yet.');
    expect(message).not.toMatch(/e\+289/);
    expect(errorOf(() => TraceCostEstimate.fromTraffic({ traffic: [] }).isOverBudget(Token.asNumber({ Ref: 'Budget' }))))
      .toMatch(/monthlyBudgetUsd must be known at synth time to estimate costs \(got <token>\)/);
  });

  test('isOverBudget refuses NaN, Infinity and negative budgets', () => {
    const estimate = TraceCostEstimate.fromTraffic({ traffic: [] });
    expect(errorOf(() => estimate.isOverBudget(NaN))).toMatch(/monthlyBudgetUsd must be a finite number \(got NaN\)/);
    expect(errorOf(() => estimate.isOverBudget(Infinity))).toMatch(/monthlyBudgetUsd must be a finite number \(got Infinity\)/);
    expect(errorOf(() => estimate.isOverBudget(-1))).toMatch(/monthlyBudgetUsd must be 0 or more \(got -1\)/);
    expect(estimate.isOverBudget(0)).toBe(false);
  });

  test('trafficOf without a rule is an error naming what to pass', () => {
    expect(errorOf(() => TraceCostEstimate.trafficOf(undefined as any, 1))).toMatch(/^\[TraceCostEstimate\] rule must be a SamplingRule of this app \(got undefined\)/);
  });
});

describe('TraceCostEstimate props: validation table (bad, boundary, token)', () => {
  const ok = (extra: Partial<TraceCostEstimateProps>): TraceCostEstimateProps => ({ traffic: [rule()], ...extra });
  const withRule = (r: Partial<SampledTraffic>): TraceCostEstimateProps => ({ traffic: [rule(r)] });
  const token = Token.asNumber({ Ref: 'N' });
  const tokenError = /must be known at synth time to estimate costs \(got <token>\)/;
  const cases: Array<[string, TraceCostEstimateProps, RegExp | null]> = [
    ['traffic bad: not a list', { traffic: {} as any }, /traffic must be a list of sampled traffic \(got \{\}\)/],
    ['traffic boundary: [] passes', { traffic: [] }, null],
    ['traffic token: a list token has no entries at synth', { traffic: Token.asList({ Ref: 'L' }) as any }, /traffic must be a list of sampled traffic \(got <token>\)/],
    ['name bad: empty', withRule({ name: '' }), /traffic\[0\]\.name must not be empty \(got ""\)/],
    ['name bad: twice', { traffic: [rule(), rule()] }, /traffic\[1\]\.name is already used by traffic\[0\]/],
    ['name boundary: one character passes', withRule({ name: 'a' }), null],
    ['name token', withRule({ name: Token.asString({ Ref: 'Name' }) }), /traffic\[0\]\.name must be known at synth time \(got <token>\)/],
    ['requestsPerSecond bad: NaN', withRule({ requestsPerSecond: NaN }), /requestsPerSecond must be a finite number \(got NaN\)/],
    ['requestsPerSecond boundary: 0 passes', withRule({ requestsPerSecond: 0 }), null],
    ['requestsPerSecond boundary: -0.001 fails', withRule({ requestsPerSecond: -0.001 }), /requestsPerSecond must be 0 or more \(got -0\.001\)/],
    ['requestsPerSecond boundary: 1,000,000,000 passes', withRule({ requestsPerSecond: 1e9 }), null],
    ['requestsPerSecond boundary: 1,000,000,001 fails', withRule({ requestsPerSecond: 1e9 + 1 }), /requestsPerSecond must be at most 1,000,000,000 \(got 1000000001\)/],
    ['requestsPerSecond token', withRule({ requestsPerSecond: token }), tokenError],
    ['fixedRate bad: undefined', withRule({ fixedRate: undefined as any }), /fixedRate must be a finite number \(got undefined\)/],
    ['fixedRate boundary: 1 passes', withRule({ fixedRate: 1 }), null],
    ['fixedRate boundary: 1.0001 fails', withRule({ fixedRate: 1.0001 }), /fixedRate must be between 0 and 1 \(got 1\.0001\)/],
    ['fixedRate token', withRule({ fixedRate: token }), tokenError],
    ['reservoirPerSecond bad: 1.5', withRule({ reservoirPerSecond: 1.5 }), /reservoirPerSecond must be a whole number, 0 or more \(got 1\.5\)/],
    ['reservoirPerSecond boundary: 0 passes', withRule({ reservoirPerSecond: 0 }), null],
    ['reservoirPerSecond boundary: -1 fails', withRule({ reservoirPerSecond: -1 }), /reservoirPerSecond must be a whole number, 0 or more \(got -1\)/],
    ['reservoirPerSecond token', withRule({ reservoirPerSecond: token }), tokenError],
    ['errorRatio bad: Infinity', withRule({ errorRatio: Infinity }), /errorRatio must be a finite number \(got Infinity\)/],
    ['errorRatio boundary: 1 passes', withRule({ errorRatio: 1 }), null],
    ['errorRatio boundary: 1.01 fails', withRule({ errorRatio: 1.01 }), /errorRatio must be between 0 and 1 \(got 1\.01\)/],
    ['errorRatio token', withRule({ errorRatio: token }), tokenError],
    ['retrievedTracesPerMonth bad: -1', ok({ retrievedTracesPerMonth: -1 }), /retrievedTracesPerMonth must be 0 or more \(got -1\)/],
    ['retrievedTracesPerMonth boundary: 1e16 passes', ok({ retrievedTracesPerMonth: 1e16 }), null],
    ['retrievedTracesPerMonth boundary: above 1e16 fails', ok({ retrievedTracesPerMonth: 1.0000000000000002e16 }), /retrievedTracesPerMonth must be at most 1\.00e\+16/],
    ['retrievedTracesPerMonth token', ok({ retrievedTracesPerMonth: token }), tokenError],
    ['scannedTracesPerMonth bad: NaN', ok({ scannedTracesPerMonth: NaN }), /scannedTracesPerMonth must be a finite number \(got NaN\)/],
    ['scannedTracesPerMonth boundary: 0 passes', ok({ scannedTracesPerMonth: 0 }), null],
    ['scannedTracesPerMonth boundary: above 1e16 fails', ok({ scannedTracesPerMonth: 2e16 }), /scannedTracesPerMonth must be at most 1\.00e\+16/],
    ['scannedTracesPerMonth token', ok({ scannedTracesPerMonth: token }), tokenError],
    ['secondsPerMonth bad: 0', ok({ secondsPerMonth: 0 }), /secondsPerMonth must be greater than 0 \(got 0\)/],
    ['secondsPerMonth boundary: 2,678,400 (31 days) passes', ok({ secondsPerMonth: 2_678_400 }), null],
    ['secondsPerMonth boundary: 2,678,401 fails', ok({ secondsPerMonth: 2_678_401 }), /secondsPerMonth must be at most 2,678,400 \(31 days\) \(got 2678401\)/],
    ['secondsPerMonth token', ok({ secondsPerMonth: token }), tokenError],
    ['insightsEnabled bad: "yes"', ok({ insightsEnabled: 'yes' as any }), /insightsEnabled must be true or false \(got "yes"\)/],
    ['pricing.tracesRecordedPerMillion bad: -5', ok({ pricing: { tracesRecordedPerMillion: -5 } }), /pricing\.tracesRecordedPerMillion must be 0 or more \(got -5\)/],
    ['pricing.tracesRecordedPerMillion boundary: 1,000,000 passes', ok({ pricing: { tracesRecordedPerMillion: 1e6 } }), null],
    ['pricing.tracesRecordedPerMillion boundary: 1,000,001 fails', ok({ pricing: { tracesRecordedPerMillion: 1e6 + 1 } }), /must be at most 1,000,000 \(got 1000001\)/],
    ['pricing.tracesRecordedPerMillion token', ok({ pricing: { tracesRecordedPerMillion: token } }), tokenError],
    ['pricing.tracesRetrievedPerMillion bad: NaN', ok({ pricing: { tracesRetrievedPerMillion: NaN } }), /tracesRetrievedPerMillion must be a finite number/],
    ['pricing.tracesRetrievedPerMillion boundary: 0 passes', ok({ pricing: { tracesRetrievedPerMillion: 0 } }), null],
    ['pricing.tracesRetrievedPerMillion boundary: 1,000,001 fails', ok({ pricing: { tracesRetrievedPerMillion: 1e6 + 1 } }), /tracesRetrievedPerMillion must be at most 1,000,000/],
    ['pricing.tracesRetrievedPerMillion token', ok({ pricing: { tracesRetrievedPerMillion: token } }), tokenError],
    ['pricing.tracesScannedPerMillion bad: -0.5', ok({ pricing: { tracesScannedPerMillion: -0.5 } }), /tracesScannedPerMillion must be 0 or more/],
    ['pricing.tracesScannedPerMillion boundary: 1,000,000 passes', ok({ pricing: { tracesScannedPerMillion: 1e6 } }), null],
    ['pricing.tracesScannedPerMillion boundary: 1,000,001 fails', ok({ pricing: { tracesScannedPerMillion: 1e6 + 1 } }), /tracesScannedPerMillion must be at most 1,000,000/],
    ['pricing.tracesScannedPerMillion token', ok({ pricing: { tracesScannedPerMillion: token } }), tokenError],
    ['pricing.insightsTracesPerMillion bad: Infinity', ok({ pricing: { insightsTracesPerMillion: Infinity } }), /insightsTracesPerMillion must be a finite number/],
    ['pricing.insightsTracesPerMillion boundary: 1,000,000 passes', ok({ pricing: { insightsTracesPerMillion: 1e6 } }), null],
    ['pricing.insightsTracesPerMillion boundary: 1,000,001 fails', ok({ pricing: { insightsTracesPerMillion: 1e6 + 1 } }), /insightsTracesPerMillion must be at most 1,000,000/],
    ['pricing.insightsTracesPerMillion token', ok({ pricing: { insightsTracesPerMillion: token } }), tokenError],
    ['pricing.freeTracesRecordedPerMonth bad: -1', ok({ pricing: { freeTracesRecordedPerMonth: -1 } }), /freeTracesRecordedPerMonth must be 0 or more/],
    ['pricing.freeTracesRecordedPerMonth boundary: 1e16 passes', ok({ pricing: { freeTracesRecordedPerMonth: 1e16 } }), null],
    ['pricing.freeTracesRecordedPerMonth boundary: 2e16 fails', ok({ pricing: { freeTracesRecordedPerMonth: 2e16 } }), /freeTracesRecordedPerMonth must be at most 1\.00e\+16/],
    ['pricing.freeTracesRecordedPerMonth token', ok({ pricing: { freeTracesRecordedPerMonth: token } }), tokenError],
    ['pricing.freeTracesRetrievedOrScannedPerMonth bad: NaN', ok({ pricing: { freeTracesRetrievedOrScannedPerMonth: NaN } }), /freeTracesRetrievedOrScannedPerMonth must be a finite number/],
    ['pricing.freeTracesRetrievedOrScannedPerMonth boundary: 0 passes', ok({ pricing: { freeTracesRetrievedOrScannedPerMonth: 0 } }), null],
    ['pricing.freeTracesRetrievedOrScannedPerMonth boundary: 2e16 fails', ok({ pricing: { freeTracesRetrievedOrScannedPerMonth: 2e16 } }), /must be at most 1\.00e\+16/],
    ['pricing.freeTracesRetrievedOrScannedPerMonth token', ok({ pricing: { freeTracesRetrievedOrScannedPerMonth: token } }), tokenError],
  ];

  test.each(cases)('%s', (_, props, error) => {
    if (error === null) {
      const estimate = TraceCostEstimate.fromTraffic(props);
      expect(Number.isFinite(estimate.monthlyCostUsd)).toBe(true);
    } else {
      expect(errorOf(() => TraceCostEstimate.fromTraffic(props))).toMatch(new RegExp(`^\\[TraceCostEstimate\\] .*${error.source}`));
    }
  });
});
