import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectCase, expectCompleteTable, numberToken, ValidationCase } from './util';
import { TransactionSearch } from '../../src';
import { newStack } from '../util';

describe('TransactionSearch', () => {
  test('the config depends on a CloudWatch Logs resource policy for X-Ray', () => {
    const stack = newStack();
    new TransactionSearch(stack, 'Search', { indexingPercentage: 10 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::XRay::TransactionSearchConfig', { IndexingPercentage: 10 });
    const config = Object.values<any>(template.findResources('AWS::XRay::TransactionSearchConfig'))[0];
    expect(config.DependsOn).toEqual([expect.stringMatching(/^SearchLogsResourcePolicy/)]);
    const policy = Object.values<any>(template.findResources('AWS::Logs::ResourcePolicy'))[0];
    const json = JSON.stringify(policy.Properties.PolicyDocument);
    expect(json).toContain('xray.amazonaws.com');
    expect(json).toContain('logs:PutLogEvents');
    expect(json).toContain('log-group:aws/spans:*');
    expect(json).toContain('log-group:/aws/application-signals/data:*');
    expect(json).toContain('aws:SourceAccount');
  });

  test('defaults to the free 1 %', () => {
    const stack = newStack();
    new TransactionSearch(stack, 'Search');
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::TransactionSearchConfig', { IndexingPercentage: 1 });
  });

  test.each([-1, 101, Number.NaN])('indexingPercentage %p is refused', (value) => {
    expect(() => new TransactionSearch(newStack(), 'Search', { indexingPercentage: value }))
      .toThrow(/\[Stack\/Search\] indexingPercentage must be between 0 and 100/);
  });

  test('boundaries 0 and 100 and a token are rendered as given', () => {
    // GIVEN
    const cases: Array<[number | ((s: Stack) => number), unknown]> = [
      [0, 0],
      [100, 100],
      [s => new CfnParameter(s, 'Pct', { type: 'Number' }).valueAsNumber, { Ref: 'Pct' }],
    ];
    for (const [value, rendered] of cases) {
      const stack = newStack();
      // WHEN
      new TransactionSearch(stack, 'S', { indexingPercentage: typeof value === 'function' ? value(stack) : value });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::XRay::TransactionSearchConfig', { IndexingPercentage: rendered });
    }
  });

  test('one per account and region in an app', () => {
    const app = new App();
    new TransactionSearch(new Stack(app, 'A'), 'Search');
    expect(() => new TransactionSearch(new Stack(app, 'B'), 'Search')).toThrow(/^\[B\/Search\] TransactionSearch is a second Transaction Search configuration for .*, after the one at A\/Search \(got "A\/Search"\)\. An account and region/);
  });
});

describe('TransactionSearch validation table', () => {
  const ts = (indexingPercentage: unknown) => (s: Stack) => new TransactionSearch(s, 'Search', { indexingPercentage: indexingPercentage as number });
  const rows: ValidationCase[] = [
    ['indexingPercentage', 'bad', ts('10'), /^\[Stack\/Search\] indexingPercentage must be between 0 and 100 \(got "10"\)\. It is a percentage/],
    ['indexingPercentage', 'bad', ts(Number.NaN), /indexingPercentage must be between 0 and 100 \(got NaN\)/],
    ['indexingPercentage', 'boundary', ts(0), undefined],
    ['indexingPercentage', 'boundary', ts(-0.01), /indexingPercentage must be between 0 and 100 \(got -0.01\)/],
    ['indexingPercentage', 'boundary', ts(100), undefined],
    ['indexingPercentage', 'boundary', ts(100.01), /indexingPercentage must be between 0 and 100 \(got 100.01\)/],
    ['indexingPercentage', 'token', s => new TransactionSearch(s, 'Search', { indexingPercentage: numberToken(s, 'Pct') }), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
