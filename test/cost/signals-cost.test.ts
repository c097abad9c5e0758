import { Token } from 'aws-cdk-lib';
import { TraceCostEstimate, TraceCostEstimateProps } from '../../src';

/** A 30-day month, and one rule that records every request: 100 requests/s → 100 × 2,592,000 = 259,200,000 traces. */
const SECONDS = 30 * 86_400;
const everything = { name: 'all', requestsPerSecond: 100, fixedRate: 1, reservoirPerSecond: 0 };
const TRACES = 100 * SECONDS;

function estimate(extra: Partial<TraceCostEstimateProps>): TraceCostEstimate {
  return TraceCostEstimate.fromTraffic({ traffic: [everything], secondsPerMonth: SECONDS, ...extra });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected an error');
}

describe('TraceCostEstimate: CloudWatch Transaction Search', () => {
  test('spans, gigabytes and indexing beyond the free 1 %, with recording billed as span ingestion', () => {
    // GIVEN 10 spans of 1,024 bytes per trace, 5 % indexed, a span price of $0.50 per GB
    // WHEN
    const e = estimate({ transactionSearch: { spansPerTrace: 10, averageSpanSizeBytes: 1024, indexingPercentage: 5, spanIngestionPricePerGb: 0.5 } });

    // THEN spans = 259,200,000 × 10 = 2,592,000,000; bytes = × 1,024; GB = 2,592,000,000 / 2^20 = 2,471.923828125
    expect(e.tracesRecordedPerMonth).toBe(259_200_000);
    expect(e.transactionSearch!.spansIngestedPerMonth).toBe(2_592_000_000);
    expect(e.transactionSearch!.spanGigabytesIngestedPerMonth).toBeCloseTo(2471.923828125, 9);
    expect(e.transactionSearch!.spanIngestionCostUsd).toBeCloseTo(1235.9619140625, 9);
    // indexed: 5 % of 259,200,000 = 12,960,000; beyond 1 %: 4 % = 10,368,000 at X-Ray's $5.00 per million = $51.84
    expect(e.transactionSearch!.tracesIndexedPerMonth).toBeCloseTo(12_960_000, 3);
    expect(e.transactionSearch!.billableTracesIndexedPerMonth).toBeCloseTo(10_368_000, 3);
    expect(e.transactionSearch!.indexingCostUsd).toBeCloseTo(51.84, 9);
    // no X-Ray recording charge: 259,200,000 traces would otherwise cost (259,200,000 − 100,000) × $5 / 10^6 = $1,295.50
    expect(e.billableTracesRecordedPerMonth).toBe(0);
    expect(e.recordingCostUsd).toBe(0);
    expect(e.monthlyCostUsd).toBeCloseTo(1235.9619140625 + 51.84, 9);
    expect(e.unpricedItems).toEqual([]);
  });

  test('the default indexing is the free 1 %: nothing to pay for it; without a span price the GB are counted, not priced', () => {
    // GIVEN / WHEN
    const e = estimate({ transactionSearch: { spansPerTrace: 4, averageSpanSizeBytes: 2048 } });

    // THEN 1 % of 259,200,000 = 2,592,000 indexed, all free; 259,200,000 × 4 × 2,048 / 2^30 = 1,977.5390625 GB
    expect(e.transactionSearch!.indexingPercentage).toBe(1);
    expect(e.transactionSearch!.tracesIndexedPerMonth).toBeCloseTo(2_592_000, 3);
    expect(e.transactionSearch!.billableTracesIndexedPerMonth).toBe(0);
    expect(e.transactionSearch!.indexingCostUsd).toBe(0);
    expect(e.transactionSearch!.spanGigabytesIngestedPerMonth).toBeCloseTo(1977.5390625, 9);
    expect(e.transactionSearch!.spanIngestionCostUsd).toBeUndefined();
    expect(e.unpricedItems).toEqual(['span ingestion']);
    expect(e.monthlyCostUsd).toBe(0);
    expect(e.toTable()).toContain('Span ingestion');
    expect(e.toTable()).toMatch(/Span ingestion\s+not priced/);
    expect(e.toTable()).toMatch(/Total per month \(priced items\)\s+\$0\.00/);
  });

  test('indexing at 100 % with a given price per million indexed traces; at 0 % nothing is indexed', () => {
    // GIVEN / WHEN
    const all = estimate({
      transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1, indexingPercentage: 100, indexedTracesPricePerMillion: 2 },
    });
    const none = estimate({ transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1, indexingPercentage: 0 } });

    // THEN 99 % of 259,200,000 = 256,608,000 beyond the free share, × $2 / 10^6 = $513.216
    expect(all.transactionSearch!.billableTracesIndexedPerMonth).toBeCloseTo(256_608_000, 3);
    expect(all.transactionSearch!.indexingCostUsd).toBeCloseTo(513.216, 9);
    expect(none.transactionSearch!.tracesIndexedPerMonth).toBe(0);
    expect(none.transactionSearch!.indexingCostUsd).toBe(0);
  });

  test('without transactionSearch nothing changes: X-Ray recording as before', () => {
    const e = estimate({});
    expect(e.transactionSearch).toBeUndefined();
    expect(e.recordingCostUsd).toBeCloseTo((TRACES - 100_000) * 5 / 1_000_000, 9);
  });
});

describe('TraceCostEstimate: CloudWatch Application Signals', () => {
  test('signals are the given requests; priced when a price is given', () => {
    // GIVEN / WHEN 300,000,000 requests at $1.50 per million (a test price) = $450
    const e = estimate({ applicationSignals: { requestsPerMonth: 300_000_000, pricePerMillionSignals: 1.5 } });

    // THEN
    expect(e.applicationSignals).toEqual({ signalsPerMonth: 300_000_000, costUsd: 450 });
    expect(e.monthlyCostUsd).toBeCloseTo((TRACES - 100_000) * 5 / 1_000_000 + 450, 9);
    expect(e.toTable()).toMatch(/Application Signals\s+\$450\.00/);
  });

  test('by default the sampled traffic\'s requests, not priced', () => {
    const e = estimate({ applicationSignals: {} });
    expect(e.applicationSignals).toEqual({ signalsPerMonth: 259_200_000 });
    expect(e.unpricedItems).toEqual(['Application Signals']);
    expect(e.toTable()).toMatch(/Application Signals\s+not priced/);
  });
});

describe('TraceCostEstimate: validation of transactionSearch and applicationSignals', () => {
  const token = Token.asNumber({ Ref: 'N' });
  test.each([
    ['spansPerTrace 0', { transactionSearch: { spansPerTrace: 0, averageSpanSizeBytes: 1 } }, /transactionSearch\.spansPerTrace must be more than 0 and at most 10,000 \(got 0\)/],
    ['spansPerTrace 10,001', { transactionSearch: { spansPerTrace: 10_001, averageSpanSizeBytes: 1 } }, /transactionSearch\.spansPerTrace must be more than 0 and at most 10,000 \(got 10001\)/],
    ['spansPerTrace missing', { transactionSearch: { averageSpanSizeBytes: 1 } as any }, /transactionSearch\.spansPerTrace must be a finite number \(got undefined\)/],
    ['span size 0', { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 0 } }, /transactionSearch\.averageSpanSizeBytes must be more than 0 and at most 1,048,576 \(got 0\)/],
    ['span size over 1 MiB', { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1_048_577 } }, /averageSpanSizeBytes must be more than 0 and at most 1,048,576/],
    ['indexing 101', { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1, indexingPercentage: 101 } }, /transactionSearch\.indexingPercentage must be at most 100 \(got 101\)/],
    ['indexing −1', { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1, indexingPercentage: -1 } }, /transactionSearch\.indexingPercentage must be 0 or more \(got -1\)/],
    ['negative span price', { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 1, spanIngestionPricePerGb: -0.1 } }, /spanIngestionPricePerGb must be 0 or more/],
    ['token spans', { transactionSearch: { spansPerTrace: token, averageSpanSizeBytes: 1 } }, /transactionSearch\.spansPerTrace must be known at synth time to estimate costs \(got <token>\)/],
    ['not an object', { transactionSearch: 5 as any }, /transactionSearch must be an object with spansPerTrace and averageSpanSizeBytes \(got 5\)/],
    ['signals not an object', { applicationSignals: [] as any }, /applicationSignals must be an object/],
    ['negative requests', { applicationSignals: { requestsPerMonth: -1 } }, /applicationSignals\.requestsPerMonth must be 0 or more \(got -1\)/],
    ['token requests', { applicationSignals: { requestsPerMonth: token } }, /applicationSignals\.requestsPerMonth must be known at synth time/],
    ['NaN price', { applicationSignals: { pricePerMillionSignals: NaN } }, /applicationSignals\.pricePerMillionSignals must be a finite number/],
  ])('%s is refused with the path, the value and the fix', (_name, extra, message) => {
    expect(errorOf(() => estimate(extra as Partial<TraceCostEstimateProps>))).toMatch(message);
  });

  test('the boundaries pass: 10,000 spans, 1 MiB spans, 0 and 100 %, prices of 0', () => {
    expect(() => estimate({
      transactionSearch: {
        spansPerTrace: 10_000, averageSpanSizeBytes: 1_048_576, indexingPercentage: 100, spanIngestionPricePerGb: 0, indexedTracesPricePerMillion: 0,
      },
      applicationSignals: { requestsPerMonth: 0, pricePerMillionSignals: 0 },
    })).not.toThrow();
    expect(() => estimate({ transactionSearch: { spansPerTrace: 0.5, averageSpanSizeBytes: 1, indexingPercentage: 0 } })).not.toThrow();
  });

  test('several problems are reported together', () => {
    const message = errorOf(() => estimate({
      transactionSearch: { spansPerTrace: 0, averageSpanSizeBytes: 0 },
      applicationSignals: { requestsPerMonth: -1 },
    }));
    expect(message).toContain('spansPerTrace');
    expect(message).toContain('averageSpanSizeBytes');
    expect(message).toContain('requestsPerMonth');
  });
});
