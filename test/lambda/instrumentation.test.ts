import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AdotLambdaLanguage, LambdaInstrumentation, TracedFunction } from '../../src';
import { newStack, warningsMatching, zipFunctionProps } from '../util';

function functionProps(stack: any): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties;
}

describe('instrumentations', () => {
  test('activeOnly sets no variables beyond the annotation keys', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', zipFunctionProps());
    expect(functionProps(stack).Environment).toBeUndefined();
  });

  test('xraySdk warns about the end of support with the way out', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.xraySdk() });
    const warnings = warningsMatching(stack, '2027-02-25');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/LambdaInstrumentation.adot\(\)/);
  });

  test('powertools: service name, response capture off, error capture on', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: 'orders' });
    expect(functionProps(stack).Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'orders',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'true',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'true',
    });
  });

  test('powertools without a service name uses the construct id; switches are overridable', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Checkout', {
      ...zipFunctionProps(),
      instrumentation: LambdaInstrumentation.powertools({ captureResponse: true, captureError: false, captureHttpsRequests: false }),
    });
    expect(functionProps(stack).Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'Checkout',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'true',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
    });
  });

  test('a user-set variable is kept and reported', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(),
      environment: { POWERTOOLS_SERVICE_NAME: 'mine', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' },
      instrumentation: LambdaInstrumentation.powertools(),
      serviceName: 'theirs',
    });
    expect(functionProps(stack).Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('mine');
    const warnings = warningsMatching(stack, 'is already set');
    // The equal value (capture response "false") is not reported.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/POWERTOOLS_SERVICE_NAME is already set to "mine"; it is kept instead of "theirs"/);
  });

  test('adot in a known region: the pinned layer ARN and the exec wrapper', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(lambda.Runtime.PYTHON_3_13), instrumentation: LambdaInstrumentation.adot(), serviceName: 'orders',
    });
    const props = functionProps(stack);
    expect(props.Layers).toEqual(['arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:22']);
    expect(props.Environment.Variables).toEqual({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
      OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
      OTEL_SERVICE_NAME: 'orders',
    });
    expect(Template.fromStack(stack).toJSON().Mappings).toBeUndefined();
  });

  test.each([
    [lambda.Runtime.NODEJS_22_X, 'AWSOpenTelemetryDistroJs:13'],
    [lambda.Runtime.JAVA_21, 'AWSOpenTelemetryDistroJava:13'],
    [lambda.Runtime.DOTNET_8, 'AWSOpenTelemetryDistroDotNet:12'],
    [lambda.Runtime.PYTHON_3_12, 'AWSOpenTelemetryDistroPython:25'],
  ])('adot picks the layer from the runtime family (%s)', (runtime, layer) => {
    const stack = newStack('us-east-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(runtime), instrumentation: LambdaInstrumentation.adot() });
    expect(functionProps(stack).Layers).toEqual([`arn:aws:lambda:us-east-1:615299751070:layer:${layer}`]);
  });

  test('adot in China uses the aws-cn partition and the regional publisher', () => {
    const stack = newStack('cn-north-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    expect(functionProps(stack).Layers).toEqual(['arn:aws-cn:lambda:cn-north-1:440179912924:layer:AWSOpenTelemetryDistroJs:6']);
  });

  test('adot in an environment-agnostic stack resolves through a CloudFormation mapping', () => {
    const stack = newStack();
    new TracedFunction(stack, 'A', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    new TracedFunction(stack, 'B', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    const template = Template.fromStack(stack).toJSON();
    expect(functionProps(stack).Layers).toEqual([{ 'Fn::FindInMap': ['CdkXRayAdotLayersJs', { Ref: 'AWS::Region' }, 'arn'] }]);
    expect(Object.keys(template.Mappings)).toEqual(['CdkXRayAdotLayersJs']);
    expect(template.Mappings.CdkXRayAdotLayersJs['us-east-1']).toEqual({ arn: 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroJs:13' });
    expect(Object.keys(template.Mappings.CdkXRayAdotLayersJs).length).toBeGreaterThanOrEqual(30);
  });

  test('adot in a region without a pinned layer: the error names the override', () => {
    const stack = newStack('us-gov-west-1');
    expect(() => new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() }))
      .toThrow(/\[Stack\/Fn\] instrumentation has no pinned AWSOpenTelemetryDistroJs layer for region us-gov-west-1 .*Pass LambdaInstrumentation.adot\(\{ layerArn \}\)/);
  });

  test('adot layerArn overrides the pinned layer (tokens too)', () => {
    const stack = newStack('us-gov-west-1');
    const arn = Token.asString({ Ref: 'LayerParam' });
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ layerArn: arn }) });
    expect(functionProps(stack).Layers).toEqual([{ Ref: 'LayerParam' }]);
  });

  test('adot .NET on arm64 is refused: the layer is x86_64 only', () => {
    const stack = newStack('us-east-1');
    expect(() => new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(lambda.Runtime.DOTNET_8), architecture: lambda.Architecture.ARM_64, instrumentation: LambdaInstrumentation.adot(),
    })).toThrow(/\[Stack\/Fn\] instrumentation needs an x86_64 function.*\(got "arm64"\)/);
  });

  test('adot on a runtime without a layer asks for a language; an explicit language works', () => {
    const stack = newStack('us-east-1');
    expect(() => new TracedFunction(stack, 'Ruby', { ...zipFunctionProps(lambda.Runtime.RUBY_3_3), instrumentation: LambdaInstrumentation.adot() }))
      .toThrow(/cannot pick an AWS Distro for OpenTelemetry layer for this runtime \(got "ruby3.3"\)/);
    new TracedFunction(stack, 'Custom', {
      ...zipFunctionProps(lambda.Runtime.PROVIDED_AL2023),
      instrumentation: LambdaInstrumentation.adot({ language: AdotLambdaLanguage.JAVA }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: [Match.stringLikeRegexp('AWSOpenTelemetryDistroJava')],
    });
  });
});
