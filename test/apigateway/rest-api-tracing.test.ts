import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RestApiTracing } from '../../src';
import { newStack, warningsMatching, withMethod } from '../util';

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

  test('a stage explicitly created with tracing off is turned on: the call is the explicit intent', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: false } }));
    RestApiTracing.enable(api.deploymentStage);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('a raw CfnStage', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deploy: false }));
    const deployment = new apigw.Deployment(stack, 'Dep', { api });
    const cfnStage = new apigw.CfnStage(stack, 'Raw', { restApiId: api.restApiId, deploymentId: deployment.deploymentId, stageName: 'raw' });
    RestApiTracing.enable(cfnStage, { accessLogFormat: RestApiTracing.accessLogFormat() });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'raw', TracingEnabled: true, AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('an HTTP API is refused with the reason and what to do', () => {
    const stack = newStack();
    const http = new apigwv2.HttpApi(stack, 'Http');
    expect(() => RestApiTracing.enable(http))
      .toThrow(/\[Stack\/Http\] api is an API Gateway HTTP or WebSocket API, which AWS X-Ray cannot trace \(got "AWS::ApiGatewayV2::Api"\)\. X-Ray supports REST APIs only/);
    expect(() => RestApiTracing.enable(http.defaultStage!)).toThrow(/AWS X-Ray cannot trace \(got "AWS::ApiGatewayV2::Stage"\)/);
  });

  test('a WebSocket API is refused too', () => {
    const stack = newStack();
    const ws = new apigwv2.WebSocketApi(stack, 'Ws');
    expect(() => RestApiTracing.enable(ws)).toThrow(/AWS X-Ray cannot trace/);
  });

  test('something else is refused with the accepted types', () => {
    const stack = newStack();
    expect(() => RestApiTracing.enable(new logs.LogGroup(stack, 'Lg')))
      .toThrow(/\[Stack\/Lg\] api is not a REST API or REST API stage \(got "AWS::Logs::LogGroup"\)\. Pass an apigateway.RestApi/);
  });

  test('a RestApi without a deployment stage is refused with the fix', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api', { deploy: false }));
    expect(() => RestApiTracing.enable(api)).toThrow(/\[Stack\/Api\] api has no deployment stage to trace .*RestApiTracing.enableStage/);
  });

  test('a token access-log format is accepted without a warning', () => {
    const stack = newStack();
    const api = withMethod(new apigw.RestApi(stack, 'Api'));
    RestApiTracing.enable(api, { accessLogFormat: apigw.AccessLogFormat.custom(Token.asString({ Ref: 'FormatParam' })) });
    expect(warningsMatching(stack, 'xrayTraceId')).toHaveLength(0);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { AccessLogSetting: Match.objectLike({ Format: { Ref: 'FormatParam' } }) });
  });
});

test('a SpecRestApi is traced like a RestApi', () => {
  const stack = newStack();
  const api = new apigw.SpecRestApi(stack, 'Spec', {
    apiDefinition: apigw.ApiDefinition.fromInline({ openapi: '3.0.2', info: { title: 'x', version: '1' }, paths: {} }),
  });
  RestApiTracing.enable(api);
  Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
});
