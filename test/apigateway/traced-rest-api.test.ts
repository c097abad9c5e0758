import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RestApiTracing, TracedRestApi } from '../../src';
import { newStack, warningsMatching, withMethod } from '../util';

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

  test('a custom format with the trace id draws no warning', () => {
    const stack = newStack();
    withMethod(new TracedRestApi(stack, 'Api', {
      accessLogFormat: apigw.AccessLogFormat.custom('{"trace":"$context.xrayTraceId","status":"$context.status"}'),
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
});
