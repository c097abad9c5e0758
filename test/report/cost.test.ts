import { TraceCostEstimate } from '../../src/cost';
import { ReportInputError } from '../../src/report/assembly';
import { applyOverrides, estimateCost, parseTrafficProfile } from '../../src/report/cost';
import { SamplingRuleFact } from '../../src/template/facts';

const RULES: SamplingRuleFact[] = [
  { stackId: 'S', logicalId: 'Api', ruleName: 'orders-api', priority: 100, fixedRate: 0.05, reservoirSize: 2, matches: 'everything' },
  { stackId: 'S', logicalId: 'Health', ruleName: 'orders-health', priority: 10, fixedRate: 0, reservoirSize: 0, matches: 'URLPath=/health' },
];

describe('traffic profile', () => {
  test('a valid file parses; every problem is listed at once', () => {
    expect(parseTrafficProfile({ rules: { a: { requestsPerSecond: 1 } }, insightsEnabled: true }, 't.json')).toEqual({
      description: undefined,
      rules: { a: { requestsPerSecond: 1 } },
      retrievedTracesPerMonth: undefined,
      scannedTracesPerMonth: undefined,
      insightsEnabled: true,
    });
    let error: Error | undefined;
    try {
      parseTrafficProfile({ rules: { a: { requestsPerSecond: '1', rps: 2 }, b: 3 }, scanned: 1, insightsEnabled: 'yes' }, 't.json');
    } catch (e: any) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReportInputError);
    expect(error!.message.split('\n')).toEqual([
      't.json is not a valid traffic profile:',
      '  - unknown key "scanned" (expected description, rules, retrievedTracesPerMonth, scannedTracesPerMonth, insightsEnabled, transactionSearch, applicationSignals)',
      '  - rules.a: unknown key "rps" (expected requestsPerSecond, errorRatio, fixedRate, reservoirPerSecond)',
      '  - rules.a.requestsPerSecond must be a number (got "1")',
      '  - rules.b must be an object with "requestsPerSecond" (got 3)',
      '  - "insightsEnabled" must be true or false (got "yes")',
    ]);
    expect(() => parseTrafficProfile([], 't.json')).toThrow('t.json: a traffic profile must be a JSON object with "rules" (got an array).');
  });

  test('command-line values override the file', () => {
    const file = parseTrafficProfile({ rules: { 'orders-api': { requestsPerSecond: 10, errorRatio: 0.5 } }, scannedTracesPerMonth: 5 }, 't.json');
    const merged = applyOverrides(file, {
      requestsPerSecond: new Map([['orders-api', 20], ['Default', 3]]), errorRatio: new Map([['Default', 0.1]]), insightsEnabled: true,
    });
    expect(merged.rules).toEqual({ 'orders-api': { requestsPerSecond: 20, errorRatio: 0.5 }, 'Default': { requestsPerSecond: 3, errorRatio: 0.1 } });
    expect(merged).toMatchObject({ scannedTracesPerMonth: 5, insightsEnabled: true });
    expect(() => applyOverrides(undefined, { errorRatio: new Map([['x', 0.1]]) })).toThrow('Add --rps x=<requests per second>.');
  });
});

describe('estimateCost', () => {
  test('uses the rules\' fixed rate and reservoir from the templates and gives the figures of TraceCostEstimate', () => {
    const profile = { rules: { 'orders-api': { requestsPerSecond: 150, errorRatio: 0.01 } }, retrievedTracesPerMonth: 50000, insightsEnabled: true };
    const cost = estimateCost(RULES, profile, 'traffic.json');
    const expected = TraceCostEstimate.fromTraffic({
      traffic: [{ name: 'orders-api', requestsPerSecond: 150, errorRatio: 0.01, fixedRate: 0.05, reservoirPerSecond: 2 }],
      retrievedTracesPerMonth: 50000,
      insightsEnabled: true,
    });
    expect(cost.monthlyCostUsd).toBeCloseTo(expected.monthlyCostUsd, 10);
    expect(cost.table).toBe(expected.toTable());
    expect(cost.rules).toEqual([expect.objectContaining({ stackId: 'S', name: 'orders-api', fixedRate: 0.05, reservoirPerSecond: 2, errorRatio: 0.01 })]);
    expect(cost.rulesWithoutTraffic).toEqual(['orders-health']);
    expect(cost.source).toBe('traffic.json');
  });

  test('Default is X-Ray\'s default rule unless the app defines one; other rules need their rate and reservoir', () => {
    const cost = estimateCost(RULES, { rules: { Default: { requestsPerSecond: 10 }, elsewhere: { requestsPerSecond: 1, fixedRate: 1, reservoirPerSecond: 0 } } }, 'cli');
    expect(cost.rules.map(r => [r.name, r.stackId, r.fixedRate, r.reservoirPerSecond])).toEqual([['Default', undefined, 0.05, 1], ['elsewhere', undefined, 1, 0]]);
    expect(cost.rules[0].tracesRecordedPerMonth).toBeCloseTo((1 + 9 * 0.05) * 31 * 86400, 3);
  });

  test('unknown rule names and invalid numbers are input errors naming the rule', () => {
    expect(() => estimateCost(RULES, { rules: { 'orders-apj': { requestsPerSecond: 1 } } }, 'cli'))
      .toThrow('no sampling rule named "orders-apj" in the assembly (rules: orders-api, orders-health)');
    expect(() => estimateCost(RULES, { rules: { 'orders-api': { requestsPerSecond: -1 } } }, 'cli')).toThrow(/requestsPerSecond must be 0 or more/);
    const tokenRule = [{ ...RULES[0], fixedRate: undefined }];
    expect(() => estimateCost(tokenRule, { rules: { 'orders-api': { requestsPerSecond: 1 } } }, 'cli'))
      .toThrow('rule "orders-api" (stack S) has no literal FixedRate/ReservoirSize in its template');
  });
});
