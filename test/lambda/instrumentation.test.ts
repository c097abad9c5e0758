import { Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AdotLambdaLanguage, LambdaInstrumentation, TracedFunction } from '../../src';
import { errorOf, newStack, warningsMatching, zipFunctionProps } from '../util';

/** A deploy-time string: a parameter of the stack, so the template stays valid. */
function param(scope: Stack, id: string): string {
  return (scope.node.tryFindChild(id) as CfnParameter | undefined ?? new CfnParameter(scope, id)).valueAsString;
}

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
      AWS_REDACT_SPAN_ATTRIBUTES: 'aws.auth.account.access_key',
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
    const arn = param(stack, 'LayerParam');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ layerArn: arn }) });
    expect(functionProps(stack).Layers).toEqual([{ Ref: 'LayerParam' }]);
  });

  test('adot .NET on arm64 is refused with the pinned layer: the pinned layer is x86_64 only', () => {
    const stack = newStack('us-east-1');
    expect(() => new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(lambda.Runtime.DOTNET_8), architecture: lambda.Architecture.ARM_64, instrumentation: LambdaInstrumentation.adot(),
    })).toThrow(/\[Stack\/Fn\] instrumentation needs an x86_64 function: the pinned .NET .*\(got "arm64"\)\. Use architecture: lambda.Architecture.X86_64, or pass LambdaInstrumentation.adot\(\{ layerArn \}\) with a .NET layer built for arm64\./);
  });

  test('adot .NET on arm64 with a layerArn is accepted, as the error message promises', () => {
    // GIVEN
    const stack = newStack('us-east-1');
    const layerArn = 'arn:aws:lambda:us-east-1:111111111111:layer:otel-dotnet-arm64:4';
    // WHEN
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(lambda.Runtime.DOTNET_8),
      architecture: lambda.Architecture.ARM_64,
      instrumentation: LambdaInstrumentation.adot({ layerArn }),
    });
    // THEN
    expect(functionProps(stack).Layers).toEqual([layerArn]);
    expect(functionProps(stack).Architectures).toEqual(['arm64']);
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

describe('LambdaInstrumentation: table-driven validation (bad / boundary / token)', () => {
  const js = (name: string, version = '13', region = 'eu-west-1') => `arn:aws:lambda:${region}:615299751070:layer:${name}:${version}`;
  /** A layer version ARN of exactly `length` characters. */
  const arnOfLength = (length: number) => js('L'.repeat(length - js('').length));
  const partlyTokenArn = Fn.join(':', ['arn:aws:lambda', Aws.REGION, '615299751070:layer:AWSOpenTelemetryDistroJs:13']);

  test.each<[string, string, (_s: Stack) => Partial<lambda.FunctionProps> & { instrumentation: LambdaInstrumentation }, RegExp | undefined]>([
    // layerArn
    ['layerArn', 'bad: not an ARN', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: 'AWSOpenTelemetryDistroJs:13' }) }),
      /\[Stack\/Fn\] layerArn must be the ARN of a Lambda layer version, arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> .*\(got "AWSOpenTelemetryDistroJs:13"\)\. Copy the LayerVersionArn/],
    ['layerArn', 'bad: a function ARN, not a layer', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: 'arn:aws:lambda:eu-west-1:615299751070:function:otel' }) }),
      /layerArn must be the ARN of a Lambda layer version/],
    ['layerArn', 'bad: another region', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: js('AWSOpenTelemetryDistroJs', '13', 'us-east-1') }) }),
      /\[Stack\/Fn\] layerArn is in aws:us-east-1, but the function deploys to aws:eu-west-1; Lambda only takes layers of its own region .*Use the layer version published in eu-west-1/],
    ['layerArn', 'bad: another partition', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: 'arn:aws-cn:lambda:eu-west-1:615299751070:layer:x:1' }) }),
      /layerArn is in aws-cn:eu-west-1, but the function deploys to aws:eu-west-1/],
    ['layerArn', 'boundary: version 0 fails', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: js('x', '0') }) }), /versions start at 1/],
    ['layerArn', 'boundary: version 1 passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: js('x', '1') }) }), undefined],
    ['layerArn', 'boundary: 140 characters pass', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: arnOfLength(140) }) }), undefined],
    ['layerArn', 'boundary: 141 characters fail', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: arnOfLength(141) }) }),
      /layerArn must be at most 140 characters/],
    ['layerArn', 'token: a parameter passes', (s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: param(s, 'LayerArn') }) }), undefined],
    ['layerArn', 'token: an ARN with the region as a token passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: partlyTokenArn }) }), undefined],
    // language
    ['language', 'bad: Python layer on a Node.js runtime', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ language: AdotLambdaLanguage.PYTHON }) }),
      /\[Stack\/Fn\] language does not match the function's runtime nodejs22.x \(got "python"\)\. Omit language to use the js layer/],
    ['language', 'bad: not a published language', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ language: 'ruby' as AdotLambdaLanguage }) }),
      /\[Stack\/Fn\] language is not a language the AWS Lambda Layer for OpenTelemetry is published for \(got "ruby"\)\. Pass one of AdotLambdaLanguage.PYTHON/],
    ['language', 'boundary: the runtime\'s own language passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ language: AdotLambdaLanguage.NODEJS }) }), undefined],
    ['language', 'boundary: any language on a custom runtime passes', (_s: Stack) => ({
      runtime: lambda.Runtime.PROVIDED_AL2023, instrumentation: LambdaInstrumentation.adot({ language: AdotLambdaLanguage.JAVA }),
    }), undefined],
    // architecture (.NET)
    ['architecture', 'bad: .NET arm64 with the pinned layer', (_s: Stack) => ({
      runtime: lambda.Runtime.DOTNET_8, architecture: lambda.Architecture.ARM_64, instrumentation: LambdaInstrumentation.adot(),
    }), /instrumentation needs an x86_64 function/],
    ['architecture', 'boundary: .NET x86_64 with the pinned layer passes', (_s: Stack) => ({
      runtime: lambda.Runtime.DOTNET_8, architecture: lambda.Architecture.X86_64, instrumentation: LambdaInstrumentation.adot(),
    }), undefined],
    ['architecture', 'token: .NET arm64 with a token layerArn passes', (s: Stack) => ({
      runtime: lambda.Runtime.DOTNET_8, architecture: lambda.Architecture.ARM_64, instrumentation: LambdaInstrumentation.adot({ layerArn: param(s, 'LayerArn') }),
    }), undefined],
    // the kind: serviceName only where the instrumentation has one
    ['kind', 'bad: serviceName with activeOnly()', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.activeOnly(), serviceName: 'orders' } as any),
      /serviceName has no effect with LambdaInstrumentation.activeOnly\(\) \(got "orders"\)/],
    ['kind', 'boundary: serviceName with adot() passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot(), serviceName: 'orders' } as any), undefined],
    ['kind', 'token: a token serviceName with powertools() passes', (s: Stack) => ({ instrumentation: LambdaInstrumentation.powertools(), serviceName: param(s, 'Name') } as any), undefined],
  ])('%s — %s', (_prop, _case, props, error) => {
    // GIVEN
    const stack = newStack('eu-west-1');
    // WHEN
    const message = errorOf(() => new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), ...props(stack) }));
    // THEN
    if (error === undefined) {
      expect(message).toBe('');
      expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    } else {
      expect(message).toMatch(error);
    }
  });
});

test('instrumentations print as they are written in code, and say which take a service name', () => {
  const all = [LambdaInstrumentation.activeOnly(), LambdaInstrumentation.xraySdk(), LambdaInstrumentation.powertools(), LambdaInstrumentation.adot()];
  expect(all.map(String)).toEqual(['LambdaInstrumentation.activeOnly()', 'LambdaInstrumentation.xraySdk()',
    'LambdaInstrumentation.powertools()', 'LambdaInstrumentation.adot()']);
  expect(all.map(i => i.supportsServiceName)).toEqual([false, false, true, true]);
});
