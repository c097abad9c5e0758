import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RestApiTracing, RestApiTracingOptions } from '../../src';
import { errorOf, newStack, resourcesOfType, warningsMatching, withMethod, zipFunctionProps } from '../util';

const TRACE_FORMAT = '{"requestId":"$context.requestId","trace":"$context.xrayTraceId"}';

function stages(stack: Stack): any[] {
  return resourcesOfType(stack, 'AWS::ApiGateway::Stage').map(([, r]) => r.Properties);
}

describe('RestApiTracing.enable', () => {
  test('an existing RestApi: its deployment stage is traced, twice changes nothing', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    RestApiTracing.enable(api);
    const before = JSON.stringify(Template.fromStack(stack).toJSON());
    RestApiTracing.enable(api);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toEqual(before);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('xrayTraceId') }),
    });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('twice with the same log-group options changes nothing and warns about nothing', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    const options = { accessLogRetention: logs.RetentionDays.ONE_WEEK, accessLogEncryptionKey: new kms.Key(stack, 'Key') };
    RestApiTracing.enable(api, options);
    const before = JSON.stringify(Template.fromStack(stack).toJSON());
    RestApiTracing.enable(api, options);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toEqual(before);
    expect(warningsMatching(stack, 'ignored')).toEqual([]);
  });

  test('a second call with a different retention or key for the created group warns that they are ignored', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    RestApiTracing.enable(api, { accessLogRetention: logs.RetentionDays.ONE_WEEK });
    RestApiTracing.enable(api, { accessLogRetention: logs.RetentionDays.ONE_YEAR, accessLogEncryptionKey: new kms.Key(stack, 'Key') });
    expect(warningsMatching(stack, 'so accessLogRetention, accessLogEncryptionKey are ignored')).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('a stage explicitly created with tracing off is turned on: the call is the explicit intent', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: false } }));
    RestApiTracing.enableStage(api.deploymentStage);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('a raw CfnStage', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deploy: false }));
    const deployment = new apigw.Deployment(stack, 'Dep', { api });
    const cfnStage = new apigw.CfnStage(stack, 'Raw', { restApiId: api.restApiId, deploymentId: deployment.deploymentId, stageName: 'raw' });
    RestApiTracing.enableCfnStage(cfnStage, { accessLogFormat: RestApiTracing.accessLogFormat() });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'raw', TracingEnabled: true, AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('an HTTP API is refused with the reason and what to do', () => {
    const stack = newStack();
    const http = new apigwv2.HttpApi(stack, 'Http');
    expect(() => RestApiTracing.enable(http as any))
      .toThrow(/\[Stack\/Http\] api is an API Gateway HTTP or WebSocket API, which AWS X-Ray cannot trace \(got "AWS::ApiGatewayV2::Api"\)\. X-Ray supports REST APIs only/);
    expect(() => RestApiTracing.enableStage(http.defaultStage! as any)).toThrow(/AWS X-Ray cannot trace \(got "AWS::ApiGatewayV2::Stage"\)/);
  });

  test('a WebSocket API is refused too', () => {
    const stack = newStack();
    const ws = new apigwv2.WebSocketApi(stack, 'Ws');
    expect(() => RestApiTracing.enable(ws as any)).toThrow(/AWS X-Ray cannot trace/);
  });

  test('something else is refused with the accepted types', () => {
    const stack = newStack();
    expect(() => RestApiTracing.enable(new logs.LogGroup(stack, 'Lg') as any))
      .toThrow(/\[Stack\/Lg\] api is not a REST API or REST API stage \(got "AWS::Logs::LogGroup"\)\. Pass an apigateway.RestApi/);
  });

  test('a RestApi without any stage is refused with the fix', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deploy: false }));
    expect(errorOf(() => RestApiTracing.enable(api))).toBe('[Stack/Api] api has no stage to trace yet (deploy: false and no apigateway.Stage ' +
      'for it) (got "no stage"). Create its stages first and call RestApiTracing.enable(api) after them, or call RestApiTracing.enableStage(stage) on each.');
  });

  test('a token access-log format is accepted without a warning', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    const format = new CfnParameter(stack, 'FormatParam');
    RestApiTracing.enable(api, { accessLogFormat: apigw.AccessLogFormat.custom(format.valueAsString) });
    expect(warningsMatching(stack, 'xrayTraceId')).toHaveLength(0);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { AccessLogSetting: Match.objectLike({ Format: { Ref: 'FormatParam' } }) });
  });
});

describe('RestApiTracing.enable: imported and hand-made APIs and stages', () => {
  // Regression: an imported stage has no CfnStage, and enable()/enableStage() crashed with a TypeError.
  test('regression: an imported stage is refused in the house format, not with a TypeError', () => {
    // GIVEN
    const stack = newStack();
    const api = apigw.RestApi.fromRestApiId(stack, 'Imported', 'abc123');
    const stage = apigw.Stage.fromStageAttributes(stack, 'Stage', { stageName: 'prod', restApi: api });
    // WHEN
    const viaEnable = errorOf(() => RestApiTracing.enableStage(stage));
    const viaEnableStage = errorOf(() => RestApiTracing.enableStage(stage as apigw.Stage));
    // THEN
    expect(viaEnable).toBe('[Stack/Stage] stage is imported (Stage.fromStageAttributes), so this app cannot change its tracing (got "prod"). ' +
      'Turn tracing on where the stage is defined: TracedRestApi or RestApiTracing.enableStage(stage) in the app that creates it, or ' +
      'TracingEnabled: true in its template.');
    expect(viaEnableStage).toBe(viaEnable);
  });

  test.each([
    ['fromRestApiId', (s: Stack) => apigw.RestApi.fromRestApiId(s, 'Imported', 'abc123')],
    ['fromRestApiAttributes', (s: Stack) => apigw.RestApi.fromRestApiAttributes(s, 'Imported', { restApiId: 'abc123', rootResourceId: 'root' })],
  ])('regression: an API imported with %s and no stage here is refused saying to trace it where it is defined', (_name, importApi) => {
    const stack = newStack();
    const message = errorOf(() => RestApiTracing.enable(importApi(stack)));
    expect(message).toMatch(/^\[Stack\/Imported\] api is imported \(RestApi.fromRestApiId or fromRestApiAttributes\) and has no stage in this app, so this app cannot change its tracing \(got "abc123"\)\. Turn tracing on where the API is defined/);
  });

  test('a stage this app creates for an imported API is traced through the API', () => {
    const stack = newStack();
    const api = apigw.RestApi.fromRestApiAttributes(stack, 'Imported', { restApiId: 'abc123', rootResourceId: 'root' });
    const deployment = new apigw.Deployment(stack, 'Dep', { api });
    new apigw.Stage(stack, 'Canary', { deployment, stageName: 'canary' });
    RestApiTracing.enable(api);
    expect(stages(stack)).toEqual([expect.objectContaining({ RestApiId: 'abc123', StageName: 'canary', TracingEnabled: true })]);
  });

  test('deploy: false with a manual Deployment and two Stages: enable(api) traces both, each with its own log group', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deploy: false }));
    const deployment = new apigw.Deployment(stack, 'Dep', { api });
    new apigw.Stage(stack, 'Blue', { deployment, stageName: 'blue' });
    new apigw.Stage(stack, 'Green', { deployment, stageName: 'green' });
    RestApiTracing.enable(api);
    expect(stages(stack).map(s => [s.StageName, s.TracingEnabled, JSON.stringify(s.AccessLogSetting.DestinationArn)])).toEqual([
      ['blue', true, expect.stringContaining('BlueAccessLogs')],
      ['green', true, expect.stringContaining('GreenAccessLogs')],
    ]);
  });

  test('a deployed RestApi with an extra stage: the deployment stage and the extra stage are traced', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    new apigw.Stage(stack, 'Beta', { deployment: api.latestDeployment!, stageName: 'beta' });
    RestApiTracing.enable(api);
    expect(stages(stack).map(s => [s.StageName, s.TracingEnabled])).toEqual([['prod', true], ['beta', true]]);
  });

  test('a LambdaRestApi is traced', () => {
    const stack = newStack();
    const api = new apigw.LambdaRestApi(stack, 'Api', { handler: new lambda.Function(stack, 'Fn', zipFunctionProps()) });
    RestApiTracing.enable(api);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true, AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('xrayTraceId') }) });
  });

  test('a SpecRestApi is traced like a RestApi', () => {
    const stack = newStack();
    const api = new apigw.SpecRestApi(stack, 'Spec', {
      apiDefinition: apigw.ApiDefinition.fromInline({ openapi: '3.0.2', info: { title: 'x', version: '1' }, paths: {} }),
    });
    RestApiTracing.enable(api);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('a CfnRestApi: its CfnStages are traced', () => {
    const stack = newStack();
    const api = new apigw.CfnRestApi(stack, 'L1', { name: 'l1' });
    new apigw.CfnStage(stack, 'S1', { restApiId: api.ref, stageName: 's1', deploymentId: 'd' });
    RestApiTracing.enableCfnRestApi(api);
    expect(stages(stack)).toEqual([expect.objectContaining({ StageName: 's1', TracingEnabled: true })]);
  });
});

describe('RestApiTracing.enable on a stage that already has an access log', () => {
  function stageWithAccessLog(stack: Stack, format: apigw.AccessLogFormat): apigw.RestApi {
    return withMethod(new apigw.RestApi(stack, 'Api', {
      deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(stack, 'Existing')), accessLogFormat: format },
    }));
  }

  test('a requested format replaces the format and keeps the destination', () => {
    const stack = newStack();
    const api = stageWithAccessLog(stack, apigw.AccessLogFormat.clf());
    RestApiTracing.enable(api, { accessLogFormat: apigw.AccessLogFormat.custom(TRACE_FORMAT) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Existing'), 'Arn'] }, Format: TRACE_FORMAT },
    });
    expect(warningsMatching(stack, 'does not include')).toEqual([]);
  });

  test('log-group options, which cannot apply, draw a warning naming them', () => {
    const stack = newStack();
    const api = stageWithAccessLog(stack, apigw.AccessLogFormat.custom(TRACE_FORMAT));
    RestApiTracing.enable(api, { accessLogRetention: logs.RetentionDays.ONE_DAY, accessLogEncryptionKey: new kms.Key(stack, 'Key') });
    const warnings = warningsMatching(stack, 'so accessLogRetention, accessLogEncryptionKey are ignored');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[ack: cdk-xray-constructs::accessLogOptionsIgnored]');
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('regression: an L1 stage whose own format lacks the request id fails synthesis with the path instead of the deployment', () => {
    const stack = newStack();
    const cfnStage = new apigw.CfnStage(stack, 'Raw', {
      restApiId: 'abc',
      deploymentId: 'd',
      stageName: 'raw',
      accessLogSetting: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:x', format: '$context.status' },
    });
    expect(errorOf(() => RestApiTracing.enableCfnStage(cfnStage))).toMatch(
      /^\[Stack\/Raw\] accessLogSetting.format must include \$context.requestId or \$context.extendedRequestId, as aws-cdk-lib's Stage and API Gateway require \(got "\$context.status"\)\./);
  });

  test('an L1 stage with a destination and no format gets the trace-aware format', () => {
    const stack = newStack();
    const cfnStage = new apigw.CfnStage(stack, 'Raw', {
      restApiId: 'abc', deploymentId: 'd', stageName: 'raw', accessLogSetting: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:x' },
    });
    RestApiTracing.enableCfnStage(cfnStage);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:x', Format: Match.stringLikeRegexp('xrayTraceId') },
    });
  });
});

/** Deploy-time values: one parameter of a stack, made on first use (an unused parameter draws a cfn-lint warning). */
function tokens(stack: Stack): { readonly str: string; readonly num: number } {
  return {
    get str() { return (stack.node.tryFindChild('S') as CfnParameter ?? new CfnParameter(stack, 'S')).valueAsString; },
    get num() { return (stack.node.tryFindChild('N') as CfnParameter ?? new CfnParameter(stack, 'N', { type: 'Number' })).valueAsNumber; },
  };
}

const padFormat = (bytes: number) => {
  const base = '{"requestId":"$context.requestId","pad":""}';
  return apigw.AccessLogFormat.custom(base.replace('"pad":""', `"pad":"${'x'.repeat(bytes - base.length)}"`));
};

/** Every validated option of RestApiTracing.enable, on a RestApi's deployment stage in eu-west-1. */
const CASES: Array<[string, 'bad' | 'boundary' | 'token', (s: Stack) => RestApiTracingOptions, RegExp | undefined]> = [
  ['accessLogFormat', 'bad', () => ({ accessLogFormat: apigw.AccessLogFormat.custom('$context.xrayTraceId $context.status') }), /^\[Stack\/Api\/DeploymentStage.prod\] accessLogFormat must include \$context.requestId or \$context.extendedRequestId/],
  ['accessLogFormat', 'bad', () => ({ accessLogFormat: '$context.requestId' as any }), /accessLogFormat must be an apigateway.AccessLogFormat, not a string/],
  ['accessLogFormat', 'boundary', () => ({ accessLogFormat: padFormat(3072) }), undefined],
  ['accessLogFormat', 'boundary', () => ({ accessLogFormat: padFormat(3073) }), /accessLogFormat must be at most 3072 bytes/],
  ['accessLogFormat', 'token', s => ({ accessLogFormat: apigw.AccessLogFormat.custom(tokens(s).str) }), undefined],

  ['accessLogGroup', 'bad', () => ({ accessLogGroup: 'arn:aws:logs:eu-west-1:111111111111:log-group:x' as any }), /accessLogGroup must be a logs.ILogGroup \(got "arn:aws:logs:eu-west-1:111111111111:log-group:x"\)/],
  ['accessLogGroup', 'boundary', s => ({ accessLogGroup: logs.LogGroup.fromLogGroupArn(s, 'G', 'arn:aws:logs:eu-west-1:111111111111:log-group:x') }), undefined],
  ['accessLogGroup', 'boundary', s => ({ accessLogGroup: logs.LogGroup.fromLogGroupArn(s, 'G', 'arn:aws:logs:eu-west-1:222222222222:log-group:x') }), /accessLogGroup is in account 222222222222, but API Gateway writes access logs only to a log group of the stage's region and account, which is in 111111111111/],
  ['accessLogGroup', 'token', s => ({ accessLogGroup: logs.LogGroup.fromLogGroupArn(s, 'G', tokens(s).str) }), undefined],

  ['accessLogRetention', 'bad', () => ({ accessLogRetention: -7 as logs.RetentionDays }), /accessLogRetention must be one of the logs.RetentionDays values CloudWatch Logs accepts \(got -7\)/],
  ['accessLogRetention', 'boundary', () => ({ accessLogRetention: logs.RetentionDays.ONE_DAY }), undefined],
  ['accessLogRetention', 'boundary', () => ({ accessLogRetention: 0 as logs.RetentionDays }), /accessLogRetention must be one of/],
  ['accessLogRetention', 'token', s => ({ accessLogRetention: tokens(s).num as logs.RetentionDays }), undefined],

  ['accessLogEncryptionKey', 'bad', s => ({ accessLogEncryptionKey: new kms.Key(s, 'K', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }) }), /accessLogEncryptionKey must be a symmetric encryption key.*\(got "HMAC_256"\)/],
  ['accessLogEncryptionKey', 'bad', () => ({ accessLogEncryptionKey: 'alias/logs' as any }), /accessLogEncryptionKey must be a kms.IKey \(got "alias\/logs"\)/],
  ['accessLogEncryptionKey', 'boundary', s => ({ accessLogEncryptionKey: new kms.Key(s, 'K', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT }) }), undefined],
  ['accessLogEncryptionKey', 'boundary', s => ({ accessLogEncryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') }), /accessLogEncryptionKey is in region eu-west-2/],
  ['accessLogEncryptionKey', 'token', s => ({ accessLogEncryptionKey: kms.Key.fromKeyArn(s, 'K', tokens(s).str) }), undefined],

  ['accessLogGroup + accessLogEncryptionKey', 'bad', s => ({
    accessLogGroup: new logs.LogGroup(s, 'G'), accessLogEncryptionKey: new kms.Key(s, 'K'),
  }), /accessLogEncryptionKey applies only to the log group created when accessLogGroup is not given/],
];

describe('RestApiTracing.enable validation (table)', () => {
  test.each(CASES)('%s: %s case %#', (_prop, _kind, build, expected) => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    // WHEN
    const message = errorOf(() => RestApiTracing.enable(api, build(stack)));
    // THEN
    if (expected === undefined) {
      expect(message).toBe('');
      Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    } else {
      expect(message).toMatch(expected);
      expect(message).toMatch(/^(\d+ problems:\n {2}- )?\[Stack\/Api\/DeploymentStage.prod\] \S+ .* \(got .*\)\. \S/);
      // Nothing was changed by a refused call.
      expect(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage', { Properties: { TracingEnabled: true } })).toEqual({});
    }
  });

  test('every validated option has a bad, a boundary and a token case', () => {
    const kinds = new Map<string, Set<string>>();
    for (const [prop, kind] of CASES) {
      kinds.set(prop, (kinds.get(prop) ?? new Set()).add(kind));
    }
    for (const [prop, set] of kinds) {
      if (!prop.includes(' + ')) {
        expect([prop, [...set].sort()]).toEqual([prop, ['bad', 'boundary', 'token']]);
      }
    }
  });

  test('a token api is refused as not a REST API, never a TypeError', () => {
    const stack = newStack();
    expect(errorOf(() => RestApiTracing.enable(Token.asAny({ Ref: 'X' }) as any))).toBe('[RestApiTracing.enable] api must be a REST API or ' +
      'REST API stage construct (got <token>). Pass an apigateway.RestApi, SpecRestApi, LambdaRestApi, Stage, CfnRestApi or CfnStage.');
    expect(errorOf(() => RestApiTracing.enable(undefined as any))).toMatch(/^\[RestApiTracing.enable\] api must be .* \(got undefined\)/);
    expect(errorOf(() => RestApiTracing.enable(stack as any))).toMatch(/^\[Stack\] api is not a REST API or REST API stage \(got "aws-cdk-lib.Stack"\)/);
  });
});
