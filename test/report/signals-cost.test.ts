import * as fs from 'fs';
import * as path from 'path';
import { tempDir, writeAssembly } from './fixtures';
import { main } from '../../src/cli/cdk-xray';
import { readCloudAssembly, ReportInputError } from '../../src/report/assembly';
import { parseTrafficProfile, TrafficProfile } from '../../src/report/cost';
import { renderHtml } from '../../src/report/html';
import { createReport } from '../../src/report/report';
import { renderText } from '../../src/report/text';

/** One rule sampling half of its requests, with no reservoir; with the config when `indexing` is given. */
function assembly(indexing?: unknown): string {
  return writeAssembly({
    S: {
      Resources: {
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'half', Priority: 1, FixedRate: 0.5, ReservoirSize: 0 } } },
        ...(indexing !== undefined ? { Search: { Type: 'AWS::XRay::TransactionSearchConfig', Properties: indexing === null ? {} : { IndexingPercentage: indexing } } } : {}),
      },
    },
  });
}

function report(dir: string, profile: Omit<TrafficProfile, 'rules'>) {
  return createReport(readCloudAssembly(dir), { traffic: { profile: { rules: { half: { requestsPerSecond: 20 } }, ...profile }, source: 't.json' } });
}

// 20 requests/s × 0.5 = 10 traces/s; over the default 31-day month (2,678,400 s): 26,784,000 traces.
const TRACES = 26_784_000;

describe('cdk-xray report: Transaction Search and Application Signals in the cost section', () => {
  test('the indexing percentage comes from the assembly\'s AWS::XRay::TransactionSearchConfig when the profile gives none', () => {
    // GIVEN IndexingPercentage 10 in the assembly, 10 spans of 1,024 bytes per trace in the profile
    // WHEN
    const cost = report(assembly(10), { transactionSearch: { spansPerTrace: 10, averageSpanSizeBytes: 1024 } }).cost!;

    // THEN indexed 10 % = 2,678,400; beyond 1 %: 9 % = 2,410,560 × $5 / 10^6 = $12.0528
    expect(cost.tracesRecordedPerMonth).toBe(TRACES);
    expect(cost.transactionSearchConfig).toEqual({ stackId: 'S', logicalId: 'Search', indexingPercentage: 10 });
    expect(cost.transactionSearch!.indexingPercentage).toBe(10);
    expect(cost.transactionSearch!.indexingPercentageFrom).toBe('assembly');
    expect(cost.transactionSearch!.billableTracesIndexedPerMonth).toBeCloseTo(2_410_560, 3);
    expect(cost.transactionSearch!.indexingCostUsd).toBeCloseTo(12.0528, 9);
    // spans 267,840,000 × 1,024 B / 2^30 = 255.43212890625 GB, not priced
    expect(cost.transactionSearch!.spanGigabytesIngestedPerMonth).toBeCloseTo(255.43212890625, 9);
    expect(cost.unpricedItems).toEqual(['span ingestion']);
    expect(cost.recordingCostUsd).toBe(0);
    expect(cost.monthlyCostUsd).toBeCloseTo(12.0528, 9);
  });

  test('the profile\'s indexing percentage wins; a span price and Application Signals are priced when given', () => {
    // GIVEN / WHEN
    const cost = report(assembly(10), {
      transactionSearch: { spansPerTrace: 10, averageSpanSizeBytes: 1024, indexingPercentage: 1, spanIngestionPricePerGb: 2 },
      applicationSignals: { requestsPerMonth: 100_000_000, pricePerMillionSignals: 3 },
    }).cost!;

    // THEN 255.43212890625 GB × $2 = $510.8642578125; 100,000,000 signals × $3 / 10^6 = $300; indexing at the free 1 %: $0
    expect(cost.transactionSearch!.indexingPercentageFrom).toBe('profile');
    expect(cost.transactionSearch!.spanIngestionCostUsd).toBeCloseTo(510.8642578125, 9);
    expect(cost.transactionSearch!.indexingCostUsd).toBe(0);
    expect(cost.applicationSignals).toEqual({ signalsPerMonth: 100_000_000, costUsd: 300 });
    expect(cost.monthlyCostUsd).toBeCloseTo(810.8642578125, 9);
    expect(cost.unpricedItems).toEqual([]);
  });

  test('a config whose IndexingPercentage is a deploy-time value, or absent, leaves the free default', () => {
    for (const config of [{ Ref: 'Pct' }, null]) {
      const cost = report(assembly(config), { transactionSearch: { spansPerTrace: 1, averageSpanSizeBytes: 100 } }).cost!;
      expect(cost.transactionSearch!.indexingPercentageFrom).toBe('default');
      expect(cost.transactionSearch!.indexingPercentage).toBe(1);
      expect(cost.transactionSearchConfig).toEqual({ stackId: 'S', logicalId: 'Search' });
    }
  });

  test('text and HTML: the counts in the table, where the indexing came from, what is not priced', () => {
    // GIVEN
    const r = report(assembly(10), { transactionSearch: { spansPerTrace: 10, averageSpanSizeBytes: 1024 }, applicationSignals: {} });

    // WHEN
    const text = renderText(r, { mermaid: false });
    const html = renderHtml(r);

    // THEN
    expect(text).toMatch(/Spans ingested \(aws\/spans\)\s+267,840,000/);
    expect(text).toMatch(/Traces indexed \(10 %\)\s+2,678,400/);
    expect(text).toMatch(/Application Signals signals\s+53,568,000/);
    expect(text).toContain('  Transaction Search: indexing 10 % from S/Search (AWS::XRay::TransactionSearchConfig).');
    expect(text).toContain('  Not priced (no price given, not in the total): span ingestion, Application Signals.');
    expect(html).toContain('<td>Transaction Search span ingestion</td><td class="num">not priced</td>');
    expect(html).toContain('<td>Transaction Search indexing (10 %, 1 % free)</td><td class="num">$12.05</td>');
  });

  test('an assembly with Transaction Search on and a profile without it: the report says what to add', () => {
    const text = renderText(report(assembly(5), {}), { mermaid: false });
    expect(text).toContain('  Transaction Search is on in S/Search (IndexingPercentage 5): give "transactionSearch" { "spansPerTrace", "averageSpanSizeBytes" }');
  });

  test('the traffic file\'s transactionSearch and applicationSignals are checked; every problem listed', () => {
    let error: Error | undefined;
    try {
      parseTrafficProfile({
        rules: {},
        transactionSearch: { spansPerTrace: '10', sizeBytes: 1 },
        applicationSignals: 5,
      }, 't.json');
    } catch (e: any) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReportInputError);
    expect(error!.message.split('\n')).toEqual([
      't.json is not a valid traffic profile:',
      '  - transactionSearch: unknown key "sizeBytes" (expected spansPerTrace, averageSpanSizeBytes, indexingPercentage, spanIngestionPricePerGb, indexedTracesPricePerMillion)',
      '  - transactionSearch.spansPerTrace must be a number (got "10")',
      '  - transactionSearch.averageSpanSizeBytes must be a number (got undefined)',
      '  - "applicationSignals" must be an object of requestsPerMonth, pricePerMillionSignals (got 5)',
    ]);
  });

  test('a value out of range in the file exits 3 with the estimate\'s message; JSON carries the new parts', () => {
    // GIVEN
    const dir = assembly(10);
    const bad = path.join(tempDir(), 'bad.json');
    const rules = { half: { requestsPerSecond: 20 } };
    fs.writeFileSync(bad, JSON.stringify({ rules, transactionSearch: { spansPerTrace: 0, averageSpanSizeBytes: 1 } }));
    const good = path.join(tempDir(), 'good.json');
    fs.writeFileSync(good, JSON.stringify({ rules, transactionSearch: { spansPerTrace: 10, averageSpanSizeBytes: 1024 } }));
    const run = (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = main(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
      return { code, stdout, stderr };
    };

    // WHEN
    const refused = run(['report', dir, '--traffic', bad]);
    const json = run(['report', dir, '--traffic', good, '--format', 'json']);

    // THEN
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('transactionSearch.spansPerTrace must be more than 0 and at most 10,000 (got 0)');
    expect(json.code).toBe(0);
    const cost = JSON.parse(json.stdout).cost;
    expect(cost.transactionSearch.indexingPercentage).toBe(10);
    expect(cost.unpricedItems).toEqual(['span ingestion']);
  });
});
