import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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

  test('boundaries 0 and 100 and a token pass', () => {
    new TransactionSearch(newStack(), 'S', { indexingPercentage: 0 });
    new TransactionSearch(newStack(), 'S', { indexingPercentage: 100 });
    new TransactionSearch(newStack(), 'S', { indexingPercentage: Token.asNumber({ Ref: 'Pct' }) });
  });

  test('one per account and region in an app', () => {
    const app = new App();
    new TransactionSearch(new Stack(app, 'A'), 'Search');
    expect(() => new TransactionSearch(new Stack(app, 'B'), 'Search')).toThrow(/already configured .* at A\/Search/);
  });
});
