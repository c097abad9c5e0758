import { App, CfnParameter, Duration, Lazy, RemovalPolicy, Size, Stack, Token, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RestApiTracing, TracedRestApi, TracedRestApiProps } from '../../src';
import { errorOf, newStack, warningsMatching, withMethod } from '../util';

const TRACE_FORMAT = '{"requestId":"$context.requestId","trace":"$context.xrayTraceId"}';

describe('TracedRestApi', () => {
  test('defaults: tracing on, JSON access log with the trace id into a log group with a retention, ERROR execution logging', () => {
    const stack = newStack();
    withMethod(new TracedRestApi(stack, 'Api'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiDeploymentStageprodAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('"xrayTraceId":"\\$context.xrayTraceId"'),
      },
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR' })],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const format = JSON.parse(Object.values<any>(template.findResources('AWS::ApiGateway::Stage'))[0].Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', xrayTraceId: '$context.xrayTraceId', status: '$context.status' });
  });

  test('a user logging level, retention and log group are kept', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Mine');
    withMethod(new TracedRestApi(stack, 'Api', {
      deployOptions: { loggingLevel: apigw.MethodLoggingLevel.INFO },
      accessLogGroup: group,
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } },
      MethodSettings: [Match.objectLike({ LoggingLevel: 'INFO' })],
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('a user access-log destination is kept; a format without the trace id draws a warning', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Mine');
    withMethod(new TracedRestApi(stack, 'Api', {
      deployOptions: {
        accessLogDestination: new apigw.LogGroupLogDestination(group),
        accessLogFormat: apigw.AccessLogFormat.clf(),
      },
    }));
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
    const warnings = warningsMatching(stack, 'does not include $context.xrayTraceId');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[ack: cdk-xray-constructs::accessLogWithoutTraceId]');
  });

  test('a custom format with the request id and the trace id draws no warning', () => {
    const stack = newStack();
    withMethod(new TracedRestApi(stack, 'Api', {
      accessLogFormat: apigw.AccessLogFormat.custom(TRACE_FORMAT),
      accessLogRetention: logs.RetentionDays.ONE_WEEK,
    }));
    expect(warningsMatching(stack, 'xrayTraceId')).toHaveLength(0);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the warning can be acknowledged with a reason', () => {
    const stack = newStack();
    const api = new TracedRestApi(stack, 'Api', { accessLogFormat: apigw.AccessLogFormat.clf() });
    withMethod(api);
    expect(warningsMatching(stack, 'does not include')).toHaveLength(1);
    Validations.of(api).acknowledge({ id: 'cdk-xray-constructs::accessLogWithoutTraceId', reason: 'CLF is parsed by our SIEM' });
    expect(warningsMatching(stack, 'does not include')).toHaveLength(0);
  });

  test('tracingEnabled: false is an error', () => {
    expect(() => new TracedRestApi(newStack(), 'Api', { deployOptions: { tracingEnabled: false } }))
      .toThrow(/\[Stack\/Api\] deployOptions.tracingEnabled cannot be false on a traced REST API \(got false\)\. Remove it/);
  });

  test('deploy: false warns; the stages created later are enabled with enableStage', () => {
    const stack = newStack();
    const api = withMethod(new TracedRestApi(stack, 'Api', { deploy: false }));
    const stage = new apigw.Stage(stack, 'Live', { deployment: new apigw.Deployment(stack, 'Deployment', { api }), stageName: 'live' });
    RestApiTracing.enableStage(stage);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'live', TracingEnabled: true });
    expect(warningsMatching(stack, 'no stage to trace')).toHaveLength(1);
  });

  // Regression: the traced stage wrote CfnStage.accessLogSetting directly, so a format aws-cdk-lib's Stage refuses
  // (no $context.requestId / $context.extendedRequestId) synthesized and failed at deployment.
  test('regression: an access-log format without the request id fails synthesis with the path, as aws-cdk-lib\'s Stage does', () => {
    // GIVEN
    const format = apigw.AccessLogFormat.custom('{"trace":"$context.xrayTraceId","status":"$context.status"}');
    // WHEN
    const message = errorOf(() => new TracedRestApi(newStack(), 'Api', { accessLogFormat: format }));
    // THEN
    expect(message).toBe('[Stack/Api] accessLogFormat must include $context.requestId or $context.extendedRequestId, as aws-cdk-lib\'s ' +
      'Stage and API Gateway require (got "{\\"trace\\":\\"$context.xrayTraceId\\",\\"status\\":\\"$context.status\\"}"). ' +
      'Add AccessLogFormat.contextRequestId() (or "$context.requestId") to the format, or use RestApiTracing.accessLogFormat().');
  });

  test('regression: deployOptions.accessLogFormat without a destination goes to the traced log group instead of aws-cdk-lib\'s raw error', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    withMethod(new TracedRestApi(stack, 'Api', { deployOptions: { accessLogFormat: apigw.AccessLogFormat.custom(TRACE_FORMAT) } }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] }, Format: TRACE_FORMAT },
    });
  });

  test('regression: aws-cdk-lib\'s own stage errors are reported with the path (methodOptions path, cache size with the cluster off)', () => {
    // GIVEN / WHEN
    const message = errorOf(() => new TracedRestApi(newStack(), 'Api', {
      deployOptions: { methodOptions: { 'orders/GET': {} }, cacheClusterEnabled: false, cacheClusterSize: '0.5' },
    }));
    // THEN: both problems at once, each with the path, the value and the fix
    expect(message).toMatch(/^2 problems:/);
    expect(message).toContain('[Stack/Api] deployOptions.methodOptions must be a path of the form /{resource}/{method}');
    expect(message).toContain('(got "orders/GET")');
    expect(message).toContain('[Stack/Api] deployOptions.cacheClusterSize is set while cacheClusterEnabled is false (got "0.5")');
  });

  test('regression: a cache TTL that is not whole seconds is refused with the path instead of crashing in toSeconds()', () => {
    expect(errorOf(() => new TracedRestApi(newStack(), 'Api', { deployOptions: { cacheTtl: Duration.millis(1500) } })))
      .toMatch(/^\[Stack\/Api\] deployOptions.cacheTtl must be whole seconds from 0 to 3600 \(API caching TTL\) \(got "1\.5 seconds"\)\. Pass Duration.seconds/);
  });

  test('regression: a raw string where an AccessLogFormat or a log group is expected is refused with the fix', () => {
    const stack = newStack();
    const message = errorOf(() => new TracedRestApi(stack, 'Api', {
      accessLogFormat: '$context.requestId' as any,
      accessLogGroup: 'arn:aws:logs:us-east-1:111111111111:log-group:mine' as any,
    }));
    expect(message).toContain('[Stack/Api] accessLogFormat must be an apigateway.AccessLogFormat, not a string (got "$context.requestId"). Wrap the text');
    expect(message).toContain('[Stack/Api] accessLogGroup must be a logs.ILogGroup (got "arn:aws:logs:us-east-1:111111111111:log-group:mine"). Pass a logs.LogGroup, or import one');
  });

  test('deploy: false with deployOptions or tracing options is refused in the house format (aws-cdk-lib\'s own error named no path)', () => {
    const message = errorOf(() => new TracedRestApi(newStack(), 'Api', {
      deploy: false, deployOptions: { stageName: 'x' }, accessLogRetention: logs.RetentionDays.ONE_DAY,
    }));
    expect(message).toContain('[Stack/Api] deployOptions cannot be set when deploy is false');
    expect(message).toContain('[Stack/Api] accessLogRetention has no stage to apply to when deploy is false (got 1). Pass it to RestApiTracing.enable(stage, { accessLogRetention })');
  });

  test('the path is right for an API made directly under a stage-less scope (no leading slash)', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(errorOf(() => new TracedRestApi(stack, 'Api', { deployOptions: { stageName: 'a b' } }))).toMatch(/^\[S\/Api\] deployOptions.stageName/);
  });

  test('regression: a token stage name, which aws-cdk-lib\'s RestApi puts in a construct id and crashed on, is written to the stage', () => {
    // GIVEN
    const stack = newStack();
    const name = new CfnParameter(stack, 'StageName');
    // WHEN
    const api = withMethod(new TracedRestApi(stack, 'Api', { deployOptions: { stageName: name.valueAsString } }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: { Ref: 'StageName' }, TracingEnabled: true });
    expect(api.deploymentStage.node.id).toBe('DeploymentStage.prod');
  });

  test('an empty stage name is aws-cdk-lib\'s default, prod, and is accepted', () => {
    const stack = newStack();
    withMethod(new TracedRestApi(stack, 'Api', { deployOptions: { stageName: '' } }));
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });

  test('accessLogEncryptionKey: the created group is encrypted and the key lets CloudWatch Logs of this region use it', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const key = new kms.Key(stack, 'LogsKey');
    // WHEN
    withMethod(new TracedRestApi(stack, 'Api', { accessLogEncryptionKey: key }));
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] }, RetentionInDays: 30 });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:*']] } } },
        })]),
      },
    });
  });

  test('accessLogEncryptionKey: an imported key draws a warning saying what its key policy needs', () => {
    const stack = newStack('eu-west-1');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    withMethod(new TracedRestApi(stack, 'Api', { accessLogEncryptionKey: key }));
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: key.keyArn });
    const warnings = warningsMatching(stack, 'whose key policy this app cannot change');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Make sure it lets logs.eu-west-1.amazonaws.com use the key');
  });
});

/** Deploy-time values: one parameter of a stack, made on first use (an unused parameter draws a cfn-lint warning). */
function tokens(stack: Stack): { readonly str: string; readonly num: number } {
  return {
    get str() { return (stack.node.tryFindChild('S') as CfnParameter ?? new CfnParameter(stack, 'S')).valueAsString; },
    get num() { return (stack.node.tryFindChild('N') as CfnParameter ?? new CfnParameter(stack, 'N', { type: 'Number' })).valueAsNumber; },
  };
}

const OTHER_REGION_GROUP = (s: Stack) => logs.LogGroup.fromLogGroupArn(s, 'G', 'arn:aws:logs:us-west-2:111111111111:log-group:other');
const SAME_REGION_GROUP = (s: Stack) => logs.LogGroup.fromLogGroupArn(s, 'G', 'arn:aws:logs:eu-west-1:111111111111:log-group:mine');
const padFormat = (bytes: number) => {
  const base = '{"requestId":"$context.requestId","pad":""}';
  return apigw.AccessLogFormat.custom(base.replace('"pad":""', `"pad":"${'x'.repeat(bytes - base.length)}"`));
};
const manyVariables = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, 'x']));

/**
 * Every validated prop of TracedRestApi: [prop, case kind, props, expected error (undefined: accepted)].
 * Bad: a wrong value; boundary: the limit passes and one past it fails; token: a deploy-time value passes.
 */
const CASES: Array<[string, 'bad' | 'boundary' | 'token', (s: Stack) => TracedRestApiProps, RegExp | undefined]> = [
  ['deployOptions.tracingEnabled', 'bad', () => ({ deployOptions: { tracingEnabled: false } }), /deployOptions.tracingEnabled cannot be false/],
  ['deployOptions.tracingEnabled', 'boundary', () => ({ deployOptions: { tracingEnabled: true } }), undefined],
  ['deployOptions.tracingEnabled', 'token', () => ({ deployOptions: { tracingEnabled: Lazy.any({ produce: () => true }) as any } }), undefined],

  ['deployOptions.stageName', 'bad', () => ({ deployOptions: { stageName: 'prod stage' } }), /deployOptions.stageName must be 1 to 128 letters, digits, hyphens or underscores \(got "prod stage"\)/],
  ['deployOptions.stageName', 'boundary', () => ({ deployOptions: { stageName: 'a'.repeat(128) } }), undefined],
  ['deployOptions.stageName', 'boundary', () => ({ deployOptions: { stageName: 'a'.repeat(129) } }), /deployOptions.stageName must be 1 to 128/],
  ['deployOptions.stageName', 'token', s => ({ deployOptions: { stageName: tokens(s).str } }), undefined],

  ['deployOptions.variables (name)', 'bad', () => ({ deployOptions: { variables: { 'backend-url': 'x' } } }), /deployOptions.variables names must be 1 to 64 letters, digits or underscores \(got "backend-url"\)/],
  ['deployOptions.variables (name)', 'boundary', () => ({ deployOptions: { variables: { ['n'.repeat(64)]: 'x' } } }), undefined],
  ['deployOptions.variables (name)', 'boundary', () => ({ deployOptions: { variables: { ['n'.repeat(65)]: 'x' } } }), /deployOptions.variables names must be 1 to 64/],
  ['deployOptions.variables (name)', 'token', s => ({ deployOptions: { variables: Token.asAny({ Ref: tokens(s).str }) as any } }), undefined],

  ['deployOptions.variables (value)', 'bad', () => ({ deployOptions: { variables: { url: 'https://x.example.com/a b' } } }), /deployOptions.variables.url must be 1 to 512 characters of A-Z a-z 0-9/],
  ['deployOptions.variables (value)', 'boundary', () => ({ deployOptions: { variables: { url: 'v'.repeat(512) } } }), undefined],
  ['deployOptions.variables (value)', 'boundary', () => ({ deployOptions: { variables: { url: 'v'.repeat(513) } } }), /deployOptions.variables.url must be 1 to 512/],
  ['deployOptions.variables (value)', 'token', s => ({ deployOptions: { variables: { url: tokens(s).str } } }), undefined],

  ['deployOptions.variables (count)', 'bad', () => ({ deployOptions: { variables: manyVariables(500) } }), /deployOptions.variables must hold at most 100 variables.*\(got 500\)/],
  ['deployOptions.variables (count)', 'boundary', () => ({ deployOptions: { variables: manyVariables(100) } }), undefined],
  ['deployOptions.variables (count)', 'boundary', () => ({ deployOptions: { variables: manyVariables(101) } }), /at most 100 variables/],
  ['deployOptions.variables (count)', 'token', s => ({ deployOptions: { variables: { ...manyVariables(99), last: tokens(s).str } } }), undefined],

  ['deployOptions.throttlingRateLimit', 'bad', () => ({ deployOptions: { throttlingRateLimit: NaN } }), /deployOptions.throttlingRateLimit must be a number of requests per second of 0 or more \(got NaN\)/],
  ['deployOptions.throttlingRateLimit', 'boundary', () => ({ deployOptions: { throttlingRateLimit: 0 } }), undefined],
  ['deployOptions.throttlingRateLimit', 'boundary', () => ({ deployOptions: { throttlingRateLimit: -0.5 } }), /throttlingRateLimit must be/],
  ['deployOptions.throttlingRateLimit', 'token', s => ({ deployOptions: { throttlingRateLimit: tokens(s).num } }), undefined],

  ['deployOptions.throttlingBurstLimit', 'bad', () => ({ deployOptions: { throttlingBurstLimit: 1.5 } }), /deployOptions.throttlingBurstLimit must be a whole number of requests of 0 or more \(got 1.5\)/],
  ['deployOptions.throttlingBurstLimit', 'boundary', () => ({ deployOptions: { throttlingBurstLimit: 0 } }), undefined],
  ['deployOptions.throttlingBurstLimit', 'boundary', () => ({ deployOptions: { throttlingBurstLimit: -1 } }), /throttlingBurstLimit must be/],
  ['deployOptions.throttlingBurstLimit', 'token', s => ({ deployOptions: { throttlingBurstLimit: tokens(s).num } }), undefined],

  ['deployOptions.cacheTtl', 'bad', () => ({ deployOptions: { cacheTtl: Duration.millis(1500) } }), /deployOptions.cacheTtl must be whole seconds/],
  ['deployOptions.cacheTtl', 'boundary', () => ({ deployOptions: { cacheTtl: Duration.seconds(3600) } }), undefined],
  ['deployOptions.cacheTtl', 'boundary', () => ({ deployOptions: { cacheTtl: Duration.seconds(3601) } }), /cacheTtl must be whole seconds from 0 to 3600/],
  ['deployOptions.cacheTtl', 'token', s => ({ deployOptions: { cacheTtl: Duration.seconds(tokens(s).num) } }), undefined],

  ['deployOptions.cacheClusterSize', 'bad', () => ({ deployOptions: { cacheClusterSize: '2' } }), /deployOptions.cacheClusterSize must be one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237 \(GB\) \(got "2"\)/],
  ['deployOptions.cacheClusterSize', 'boundary', () => ({ deployOptions: { cacheClusterSize: '237' } }), undefined],
  ['deployOptions.cacheClusterSize', 'boundary', () => ({ deployOptions: { cacheClusterSize: '238' } }), /cacheClusterSize must be one of/],
  ['deployOptions.cacheClusterSize', 'token', s => ({ deployOptions: { cacheClusterSize: tokens(s).str } }), undefined],

  ['deployOptions.cachingEnabled', 'bad', () => ({ deployOptions: { cachingEnabled: true, cacheClusterEnabled: false } }), /deployOptions.cachingEnabled is true while cacheClusterEnabled is false/],
  ['deployOptions.cachingEnabled', 'boundary', () => ({ deployOptions: { cachingEnabled: true, cacheClusterEnabled: true } }), undefined],
  ['deployOptions.cachingEnabled', 'token', () => ({ deployOptions: { cachingEnabled: Lazy.any({ produce: () => true }) as any, cacheClusterEnabled: true } }), undefined],

  ['deployOptions.methodOptions (path)', 'bad', () => ({ deployOptions: { methodOptions: { '/orders/FETCH': {} } } }), /deployOptions.methodOptions must be a path of the form \/\{resource\}\/\{method\}.*\(got "\/orders\/FETCH"\)/],
  ['deployOptions.methodOptions (path)', 'boundary', () => ({ deployOptions: { methodOptions: { '/*/*': { metricsEnabled: true } } } }), undefined],
  ['deployOptions.methodOptions (path)', 'boundary', () => ({ deployOptions: { methodOptions: { '/GET': {} } } }), /deployOptions.methodOptions must be a path/],
  ['deployOptions.methodOptions (path)', 'token', s => ({ deployOptions: { methodOptions: { '/orders/GET': { throttlingRateLimit: tokens(s).num } } } }), undefined],

  ['deployOptions.methodOptions[].throttlingBurstLimit', 'bad', () => ({ deployOptions: { methodOptions: { '/orders/GET': { throttlingBurstLimit: -10 } } } }), /deployOptions.methodOptions\["\/orders\/GET"\].throttlingBurstLimit must be a whole number/],
  ['deployOptions.methodOptions[].throttlingBurstLimit', 'boundary', () => ({ deployOptions: { methodOptions: { '/orders/GET': { throttlingBurstLimit: 0 } } } }), undefined],
  ['deployOptions.methodOptions[].throttlingBurstLimit', 'boundary', () => ({ deployOptions: { methodOptions: { '/orders/GET': { throttlingBurstLimit: -1 } } } }), /throttlingBurstLimit must be a whole number/],
  ['deployOptions.methodOptions[].throttlingBurstLimit', 'token', s => ({ deployOptions: { methodOptions: { '/orders/GET': { throttlingBurstLimit: tokens(s).num } } } }), undefined],

  ['deployOptions.methodOptions[].cacheTtl', 'bad', () => ({ deployOptions: { methodOptions: { '/orders/GET': { cacheTtl: Duration.hours(2) } } } }), /methodOptions\["\/orders\/GET"\].cacheTtl must be whole seconds from 0 to 3600/],
  ['deployOptions.methodOptions[].cacheTtl', 'boundary', () => ({ deployOptions: { methodOptions: { '/orders/GET': { cacheTtl: Duration.seconds(0) } } } }), undefined],
  ['deployOptions.methodOptions[].cacheTtl', 'boundary', () => ({ deployOptions: { methodOptions: { '/orders/GET': { cacheTtl: Duration.seconds(3601) } } } }), /cacheTtl must be whole seconds/],
  ['deployOptions.methodOptions[].cacheTtl', 'token', s => ({ deployOptions: { methodOptions: { '/orders/GET': { cacheTtl: Duration.seconds(tokens(s).num) } } } }), undefined],

  ['deployOptions.methodOptions[].cachingEnabled', 'bad', () => ({ deployOptions: { cacheClusterEnabled: false, methodOptions: { '/orders/GET': { cachingEnabled: true } } } }), /methodOptions\["\/orders\/GET"\].cachingEnabled is true while the stage's cacheClusterEnabled is false/],
  ['deployOptions.methodOptions[].cachingEnabled', 'boundary', () => ({ deployOptions: { cacheClusterEnabled: false, methodOptions: { '/orders/GET': { cachingEnabled: false } } } }), undefined],
  ['deployOptions.methodOptions[].cachingEnabled', 'token', () => ({ deployOptions: { methodOptions: { '/orders/GET': { cachingEnabled: Lazy.any({ produce: () => true }) as any } } } }), undefined],

  ['deployOptions.accessLogFormat', 'bad', () => ({ deployOptions: { accessLogFormat: apigw.AccessLogFormat.custom('$context.status') } }), /deployOptions.accessLogFormat must include \$context.requestId or \$context.extendedRequestId/],
  ['deployOptions.accessLogFormat', 'boundary', () => ({ deployOptions: { accessLogFormat: padFormat(3072) } }), undefined],
  ['deployOptions.accessLogFormat', 'boundary', () => ({ deployOptions: { accessLogFormat: padFormat(3073) } }), /deployOptions.accessLogFormat must be at most 3072 bytes.*\(it is 3073 bytes\)/],
  ['deployOptions.accessLogFormat', 'token', s => ({ deployOptions: { accessLogFormat: apigw.AccessLogFormat.custom(tokens(s).str) } }), undefined],

  ['deployOptions.accessLogDestination', 'bad', () => ({ deployOptions: { accessLogDestination: 'arn:aws:logs:eu-west-1:111111111111:log-group:x' as any } }),
    /deployOptions.accessLogDestination must be an apigateway.IAccessLogDestination \(got "arn:aws:logs:eu-west-1:111111111111:log-group:x"\)\. Wrap the log group/],
  ['deployOptions.accessLogDestination', 'boundary', s => ({ deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(SAME_REGION_GROUP(s)) } }), undefined],
  ['deployOptions.accessLogDestination', 'token', s => ({
    deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(logs.LogGroup.fromLogGroupArn(s, 'G', tokens(s).str)) },
  }), undefined],

  ['accessLogFormat', 'bad', () => ({ accessLogFormat: apigw.AccessLogFormat.custom('{"ip":"$context.identity.sourceIp"}') }), /^\[Stack\/Api\] accessLogFormat must include \$context.requestId or \$context.extendedRequestId/],
  ['accessLogFormat', 'boundary', () => ({ accessLogFormat: padFormat(3072) }), undefined],
  ['accessLogFormat', 'boundary', () => ({ accessLogFormat: padFormat(3073) }), /^\[Stack\/Api\] accessLogFormat must be at most 3072 bytes/],
  ['accessLogFormat', 'token', s => ({ accessLogFormat: apigw.AccessLogFormat.custom(tokens(s).str) }), undefined],

  ['accessLogGroup', 'bad', () => ({ accessLogGroup: { logGroupName: 'mine' } as any }), /accessLogGroup must be a logs.ILogGroup/],
  ['accessLogGroup', 'boundary', s => ({ accessLogGroup: SAME_REGION_GROUP(s) }), undefined],
  ['accessLogGroup', 'boundary', s => ({ accessLogGroup: OTHER_REGION_GROUP(s) }), /accessLogGroup is in region us-west-2, but API Gateway writes access logs only to a log group of the stage's region and account, which is in eu-west-1 \(got "us-west-2"\)/],
  ['accessLogGroup', 'token', s => ({ accessLogGroup: logs.LogGroup.fromLogGroupArn(s, 'G', tokens(s).str) }), undefined],

  ['accessLogRetention', 'bad', () => ({ accessLogRetention: 42 as logs.RetentionDays }), /accessLogRetention must be one of the logs.RetentionDays values CloudWatch Logs accepts \(got 42\)/],
  ['accessLogRetention', 'boundary', () => ({ accessLogRetention: logs.RetentionDays.TEN_YEARS }), undefined],
  ['accessLogRetention', 'boundary', () => ({ accessLogRetention: (logs.RetentionDays.TEN_YEARS + 1) as logs.RetentionDays }), /accessLogRetention must be one of/],
  ['accessLogRetention', 'token', s => ({ accessLogRetention: tokens(s).num as logs.RetentionDays }), undefined],
  ['accessLogRetention', 'bad', s => ({ accessLogGroup: SAME_REGION_GROUP(s), accessLogRetention: logs.RetentionDays.ONE_DAY }), /accessLogRetention applies only to the log group created when accessLogGroup is not given/],

  ['accessLogEncryptionKey', 'bad', s => ({ accessLogEncryptionKey: new kms.Key(s, 'K', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY }) }), /accessLogEncryptionKey must be a symmetric encryption key: CloudWatch Logs does not support asymmetric or HMAC keys \(got "RSA_2048"\)/],
  ['accessLogEncryptionKey', 'bad', s => ({ accessLogGroup: SAME_REGION_GROUP(s), accessLogEncryptionKey: new kms.Key(s, 'K') }), /accessLogEncryptionKey applies only to the log group created when accessLogGroup is not given \(got <construct Stack\/K>\)/],
  ['accessLogEncryptionKey', 'boundary', s => ({ accessLogEncryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') }), undefined],
  ['accessLogEncryptionKey', 'boundary', s => ({ accessLogEncryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') }), /accessLogEncryptionKey is in region us-east-1, but CloudWatch Logs uses only keys of the log group's region and account/],
  ['accessLogEncryptionKey', 'token', s => ({ accessLogEncryptionKey: kms.Key.fromKeyArn(s, 'K', tokens(s).str) }), undefined],

  ['minCompressionSize', 'bad', () => ({ minCompressionSize: Size.bytes(1.5) }), /minCompressionSize must be a whole number of bytes from 0 to 10485760 \(10 MiB\) \(got "1.5 bytes"\)/],
  ['minCompressionSize', 'boundary', () => ({ minCompressionSize: Size.mebibytes(10) }), undefined],
  ['minCompressionSize', 'boundary', () => ({ minCompressionSize: Size.bytes(10 * 1024 * 1024 + 1) }), /minCompressionSize must be a whole number of bytes from 0 to 10485760/],
  ['minCompressionSize', 'token', s => ({ minCompressionSize: Size.bytes(tokens(s).num) }), undefined],

  ['minimumCompressionSize', 'bad', () => ({ minimumCompressionSize: -1 }), /minimumCompressionSize must be a whole number of bytes from 0 to 10485760 \(10 MiB\) \(got -1\)/],
  ['minimumCompressionSize', 'boundary', () => ({ minimumCompressionSize: 0 }), undefined],
  ['minimumCompressionSize', 'boundary', () => ({ minimumCompressionSize: 10 * 1024 * 1024 + 1 }), /minimumCompressionSize must be a whole number/],
  ['minimumCompressionSize', 'token', s => ({ minimumCompressionSize: tokens(s).num }), undefined],

  ['minCompressionSize + minimumCompressionSize', 'bad', () => ({ minCompressionSize: Size.bytes(1), minimumCompressionSize: 1 }), /minimumCompressionSize cannot be combined with minCompressionSize/],
  ['endpointTypes + endpointConfiguration', 'bad', () => ({
    endpointTypes: [apigw.EndpointType.REGIONAL], endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
  }), /endpointTypes cannot be combined with endpointConfiguration/],
  ['endpointConfiguration.ipAddressType + types', 'bad', () => ({
    endpointConfiguration: { types: [apigw.EndpointType.PRIVATE], ipAddressType: apigw.IpAddressType.IPV4 },
  }), /endpointConfiguration.ipAddressType must be DUAL_STACK for a private API \(got "ipv4"\)/],
  ['cloudWatchRole + cloudWatchRoleRemovalPolicy', 'bad', () => ({ cloudWatchRole: false, cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY }),
    /cloudWatchRoleRemovalPolicy applies only when cloudWatchRole is true \(got "destroy"\)/],

  ['deployOptions.accessLogDestination + accessLogGroup', 'bad', s => ({
    deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(s, 'D')) }, accessLogGroup: SAME_REGION_GROUP(s),
  }), /accessLogGroup cannot be combined with deployOptions.accessLogDestination/],
  ['deployOptions.accessLogFormat + accessLogFormat', 'bad', () => ({
    deployOptions: { accessLogFormat: apigw.AccessLogFormat.clf() }, accessLogFormat: apigw.AccessLogFormat.clf(),
  }), /accessLogFormat is given twice/],
];

describe('TracedRestApi validation (table)', () => {
  test.each(CASES)('%s: %s case %#', (_prop, _kind, build, expected) => {
    // GIVEN
    const stack = newStack('eu-west-1');
    // WHEN
    const message = errorOf(() => withMethod(new TracedRestApi(stack, 'Api', build(stack))));
    // THEN
    if (expected === undefined) {
      expect(message).toBe('');
      Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    } else {
      expect(message).toMatch(expected);
      expect(message).toMatch(/^(\d+ problems:\n {2}- )?\[Stack\/Api\] \S+ .* \(got .*\)\. \S/);
    }
  });

  test('every validated prop has a bad, a boundary and a token case', () => {
    const kinds = new Map<string, Set<string>>();
    for (const [prop, kind] of CASES) {
      kinds.set(prop, (kinds.get(prop) ?? new Set()).add(kind));
    }
    const conflicts = [...kinds.keys()].filter(p => p.includes(' + '));
    for (const [prop, set] of kinds) {
      if (!conflicts.includes(prop)) {
        expect([prop, [...set].sort()]).toEqual([prop, ['bad', 'boundary', 'token']]);
      }
    }
  });
});
