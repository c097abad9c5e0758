import { renderSummary, summarizeTemplate } from '../../scripts/lib/trace-summary';

describe('trace summary of a template', () => {
  const template = {
    Resources: {
      Traced: {
        Type: 'AWS::Lambda::Function',
        Properties: { TracingConfig: { Mode: 'Active' }, Layers: ['arn:layer'] },
        Metadata: { 'cdk-xray-constructs:tracing': { instrumentation: 'adot', serviceName: 'svc', annotationKeys: ['a', 'b'] } },
      },
      Plain: { Type: 'AWS::Lambda::Function', Properties: {} },
      CdkTraced: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'PassThrough' } } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: true, AccessLogSetting: { Format: '{"t":"$context.xrayTraceId"}' } } },
      Dark: { Type: 'AWS::ApiGateway::Stage', Properties: {} },
      Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
      Managed: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }] }, Roles: ['a', 'b'] },
      },
      Inline: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'xray:*', Resource: '*' }] } }] },
      },
      Unrelated: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } },
    },
  };

  test('reads functions, stages, HTTP APIs and X-Ray write policies', () => {
    const summary = summarizeTemplate('S', template);
    expect(summary.functions).toEqual([
      { logicalId: 'Traced', mode: 'Active', instrumentation: 'adot', serviceName: 'svc', annotationKeys: ['a', 'b'], layers: 1 },
      { logicalId: 'Plain', mode: 'off', instrumentation: '-', serviceName: undefined, annotationKeys: [], layers: 0 },
      { logicalId: 'CdkTraced', mode: 'PassThrough', instrumentation: 'aws-cdk-lib', serviceName: undefined, annotationKeys: [], layers: 0 },
    ]);
    expect(summary.stages).toEqual([
      { logicalId: 'Stage', tracing: true, accessLogHasTraceId: true },
      { logicalId: 'Dark', tracing: false, accessLogHasTraceId: false },
    ]);
    expect(summary.httpApis).toEqual(['Http']);
    expect(summary.xrayWritePolicies).toEqual([
      { logicalId: 'Managed', type: 'AWS::IAM::ManagedPolicy', principals: 2 },
      { logicalId: 'Inline', type: 'AWS::IAM::Role', principals: 1 },
    ]);
  });

  test('renders counts a person can read', () => {
    const text = renderSummary(summarizeTemplate('S', template));
    expect(text).toContain('Lambda functions traced: 2/3');
    expect(text).toContain('REST API stages traced: 1/2');
    expect(text).toMatch(/Dark\s+tracing=OFF accessLogTraceId=no/);
    expect(text).toContain('HTTP/WebSocket APIs (X-Ray cannot trace them): Http');
    expect(text).toContain('IAM policies granting xray:PutTraceSegments: 2');
  });
});
