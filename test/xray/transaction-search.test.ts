import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { envStack, expectCase, expectCompleteTable, numberToken, stringToken, ValidationCase } from './util';
import { ApplicationSignalsDiscovery, TransactionSearch } from '../../src';
import { ENABLED_OUTSIDE_METADATA } from '../../src/private/enabled-outside';
import { newStack, warningsMatching } from '../util';

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

describe('TransactionSearch: adopting what exists', () => {
  test('enabledOutsideApp records the feature in the template metadata and deploys nothing', () => {
    // GIVEN
    const stack = envStack();
    // WHEN
    TransactionSearch.enabledOutsideApp(stack, 'turned on in the console by the platform team');
    // THEN
    const template = Template.fromStack(stack).toJSON();
    expect(template.Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ TransactionSearch: 'turned on in the console by the platform team' });
    expect(template.Resources ?? {}).toEqual({});
  });

  test('enabledOutsideApp for both features keeps both in one metadata entry', () => {
    const stack = envStack();
    TransactionSearch.enabledOutsideApp(stack, 'console');
    ApplicationSignalsDiscovery.enabledOutsideApp(stack, 'baseline');
    expect(Template.fromStack(stack).toJSON().Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ TransactionSearch: 'console', ApplicationSignalsDiscovery: 'baseline' });
  });

  test.each(['', ' \t', null])('enabledOutsideApp refuses the reason %p', (reason) => {
    expect(() => TransactionSearch.enabledOutsideApp(envStack(), reason as any))
      .toThrow(/^\[Stack\] TransactionSearch\.enabledOutsideApp reason must be a non-empty string/);
  });

  test('enabledOutsideApp takes a token reason', () => {
    const stack = envStack();
    TransactionSearch.enabledOutsideApp(stack, stringToken(stack, 'Why'));
    expect(Template.fromStack(stack).toJSON().Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ TransactionSearch: { Ref: 'Why' } });
  });

  test('logsResourcePolicy: false deploys only the config, with no dependency', () => {
    const stack = envStack();
    new TransactionSearch(stack, 'Search', { logsResourcePolicy: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    const config = Object.values<any>(template.findResources('AWS::XRay::TransactionSearchConfig'))[0];
    expect(config.DependsOn).toBeUndefined();
  });

  test('logsResourcePolicy must be a boolean', () => {
    expect(() => new TransactionSearch(envStack(), 'Search', { logsResourcePolicy: 'no' as any }))
      .toThrow(/^\[Stack\/Search\] logsResourcePolicy must be true or false \(got "no"\)/);
  });
});

describe('TransactionSearch: the aws/spans KMS key', () => {
  test('a key of the app is rendered as CloudWatchLogsConfiguration.SpansLogGroupKmsKeyId (its ARN) and lets CloudWatch Logs use it for aws/spans', () => {
    // GIVEN
    const stack = envStack();
    const key = new kms.Key(stack, 'Key');
    // WHEN
    new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: key });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::XRay::TransactionSearchConfig', {
      IndexingPercentage: 1,
      CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchLogsSpansLogGroup',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', Match.arrayWith([':log-group:aws/spans'])] } } },
        })]),
      },
    });
    expect(warningsMatching(stack, 'key policy')).toEqual([]);
  });

  test('no key: no CloudWatchLogsConfiguration', () => {
    const stack = envStack();
    new TransactionSearch(stack, 'Search');
    const config = Object.values<any>(Template.fromStack(stack).findResources('AWS::XRay::TransactionSearchConfig'))[0];
    expect(config.Properties.CloudWatchLogsConfiguration).toBeUndefined();
  });

  test('an imported key is rendered as given and draws a warning about its key policy', () => {
    const stack = envStack();
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', arn) });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::TransactionSearchConfig', { CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: arn } });
    expect(warningsMatching(stack, 'its key policy cannot be changed here')).toHaveLength(1);
  });

  test.each<[string, (s: Stack) => unknown, RegExp]>([
    ['an alias of the app', s => new kms.Alias(s, 'Alias', { aliasName: 'alias/spans', targetKey: new kms.Key(s, 'Key') }), /spansLogGroupEncryptionKey is an alias, and X-Ray takes a key ARN only \(got <construct Stack\/Alias>\)\. Pass the key itself/],
    ['an imported alias', s => kms.Alias.fromAliasName(s, 'Alias', 'alias/spans'), /spansLogGroupEncryptionKey is an alias/],
    ['an asymmetric key', s => new kms.Key(s, 'Key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY }), /spansLogGroupEncryptionKey must be a symmetric encryption key \(SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT\) \(got "RSA_2048\/SIGN_VERIFY"\)/],
    ['an HMAC key', s => new kms.Key(s, 'Key', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }), /must be a symmetric encryption key/],
    ['not a key', () => 'arn:aws:kms:eu-west-1:111111111111:key/x', /spansLogGroupEncryptionKey must be a KMS key/],
  ])('refuses %s', (_what, key, expected) => {
    const stack = envStack();
    expect(() => new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: key(stack) as any })).toThrow(expected);
  });

  test('a key ARN from a parameter (a token) is rendered as given', () => {
    const stack = envStack();
    new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', stringToken(stack, 'KeyArn')) });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::TransactionSearchConfig', { CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: { Ref: 'KeyArn' } } });
  });
});

describe('TransactionSearch and enabledOutsideApp together', () => {
  test('deploying it in a stack that also declares it enabled outside the app fails synthesis', () => {
    const stack = envStack();
    new TransactionSearch(stack, 'Search');
    TransactionSearch.enabledOutsideApp(stack, 'console');
    expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Search\] TransactionSearch is deployed here, but stack Stack declares Transaction Search enabled outside the app for the same account and region \(got "Stack"\)\. Keep one/);
  });

  test('declaring Discovery outside the app does not conflict with TransactionSearch', () => {
    const stack = envStack();
    new TransactionSearch(stack, 'Search');
    ApplicationSignalsDiscovery.enabledOutsideApp(stack, 'console');
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
