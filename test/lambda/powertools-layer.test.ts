import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, TracedFunction } from '../../src';
import { errorOf, newStack, warningsMatching, zipFunctionProps } from '../util';

function functionProps(stack: Stack): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties;
}

function functionMetadata(stack: Stack): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Metadata['cdk-xray-constructs:tracing'];
}

describe('LambdaInstrumentation.powertools(): the Powertools layer', () => {
  test('off by default: no layer', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools() });
    expect(functionProps(stack).Layers).toBeUndefined();
  });

  test('layer: true on Node.js in a known region: the pinned TypeScript layer of the commercial publisher', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    expect(functionProps(stack).Layers).toEqual(['arn:aws:lambda:eu-west-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:48']);
  });

  test('GovCloud and China: their own publishers and partitions', () => {
    const gov = newStack('us-gov-west-1');
    new TracedFunction(gov, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    expect(functionProps(gov).Layers).toEqual(['arn:aws-us-gov:lambda:us-gov-west-1:165093116878:layer:AWSLambdaPowertoolsTypeScriptV2:48']);
    const cn = newStack('cn-north-1');
    new TracedFunction(cn, 'Fn', { ...zipFunctionProps(lambda.Runtime.PYTHON_3_13), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    expect(functionProps(cn).Layers).toEqual(['arn:aws-cn:lambda:cn-north-1:498634801083:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:37']);
  });

  test('Python: one layer per Python version and architecture', () => {
    const stack = newStack('us-east-1');
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(lambda.Runtime.PYTHON_3_12),
      architecture: lambda.Architecture.ARM_64,
      instrumentation: LambdaInstrumentation.powertools({ layer: true }),
    });
    expect(functionProps(stack).Layers).toEqual(['arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:37']);
  });

  test('environment-agnostic stack: a mapping by region, shared by the functions of the stack', () => {
    const stack = new Stack(undefined, 'Agnostic');
    new TracedFunction(stack, 'A', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    new TracedFunction(stack, 'B', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    const template = Template.fromStack(stack).toJSON();
    const mapping = template.Mappings.CdkXRayPowertoolsLayersAWSLambdaPowertoolsTypeScriptV2;
    expect(mapping['me-central-1'].arn).toBe('arn:aws:lambda:me-central-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:45');
    expect(mapping['us-gov-east-1'].arn).toBe('arn:aws-us-gov:lambda:us-gov-east-1:165087284144:layer:AWSLambdaPowertoolsTypeScriptV2:48');
    for (const fn of Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Layers).toEqual([{ 'Fn::FindInMap': ['CdkXRayPowertoolsLayersAWSLambdaPowertoolsTypeScriptV2', { Ref: 'AWS::Region' }, 'arn'] }]);
    }
  });

  test('layerArn overrides the pinned layer and adds it; a token passes; enabling twice adds one layer', () => {
    const stack = newStack('eu-west-1');
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:layer:MyPowertools:3';
    const fn = new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layerArn: arn }) });
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.powertools({ layerArn: arn }) });
    expect(functionProps(stack).Layers).toEqual([arn]);
    const tokens = newStack('eu-west-1');
    const param = new CfnParameter(tokens, 'Layer').valueAsString;
    new TracedFunction(tokens, 'Fn', { ...zipFunctionProps(lambda.Runtime.JAVA_21), instrumentation: LambdaInstrumentation.powertools({ layerArn: param }) });
    expect(functionProps(tokens).Layers).toEqual([{ Ref: 'Layer' }]);
  });

  test('refusals: a layer of another region, a malformed ARN, a runtime without a layer, an image function, an unsupported Python', () => {
    const powertools = (runtime: lambda.Runtime, options: any) => errorOf(() => new TracedFunction(newStack('eu-west-1'), 'Fn', {
      ...zipFunctionProps(runtime), instrumentation: LambdaInstrumentation.powertools(options),
    }));
    expect(powertools(lambda.Runtime.NODEJS_22_X, { layerArn: 'arn:aws:lambda:us-east-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:48' }))
      .toMatch(/\[Stack\/Fn\] layerArn is in aws:us-east-1, but the function deploys to aws:eu-west-1/);
    expect(powertools(lambda.Runtime.NODEJS_22_X, { layerArn: 'AWSLambdaPowertoolsTypeScriptV2:48' })).toMatch(/layerArn must be the ARN of a Lambda layer version/);
    expect(powertools(lambda.Runtime.NODEJS_22_X, { layer: 'yes' })).toMatch(/layer must be true or false/);
    expect(powertools(lambda.Runtime.JAVA_21, { layer: true })).toMatch(/layer has no Powertools for AWS Lambda layer for the runtime java21.*Node.js and Python only/);
    expect(powertools(lambda.Runtime.PYTHON_3_9, { layer: true })).toMatch(/no Powertools for AWS Lambda \(Python\) v3 layer for the runtime python3.9/);
    expect(errorOf(() => new TracedFunction(newStack('eu-west-1'), 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) })))
      .toBe('');
    expect(errorOf(() => new TracedFunction(newStack('ap-east-2'), 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) })))
      .toMatch(/has no pinned AWSLambdaPowertoolsTypeScriptV2 layer for region ap-east-2.*LambdaInstrumentation.powertools\(\{ layerArn \}\)/);
    const image = newStack('eu-west-1');
    expect(errorOf(() => new TracedFunction(image, 'Fn', {
      runtime: lambda.Runtime.FROM_IMAGE,
      handler: lambda.Handler.FROM_IMAGE,
      code: lambda.Code.fromEcrImage(new ecr.Repository(image, 'Repo')),
      instrumentation: LambdaInstrumentation.powertools({ layer: true }),
    }))).toMatch(/cannot add the Powertools for AWS Lambda layer to a container-image function/);
  });
});

describe('LambdaInstrumentation.powertools(): the annotations the Tracer records by itself', () => {
  test('recorded in the function\'s tracing metadata, with what records them', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), annotationKeys: ['tenant_tier'] });
    expect(functionMetadata(stack)).toEqual({
      instrumentation: 'powertools',
      annotationKeys: ['tenant_tier'],
      recordedAnnotations: { by: 'Powertools Tracer', keys: ['ColdStart', 'Service'] },
    });
  });

  test('other instrumentations record none', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    expect(functionMetadata(stack).recordedAnnotations).toBeUndefined();
  });
});

describe('LambdaInstrumentation.adot(): the access key ID redacted', () => {
  test('AWS_REDACT_SPAN_ATTRIBUTES names aws.auth.account.access_key', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    expect(functionProps(stack).Environment.Variables.AWS_REDACT_SPAN_ATTRIBUTES).toBe('aws.auth.account.access_key');
  });

  test('a user\'s list is kept and the attribute appended, once, with no warning', () => {
    const stack = newStack('eu-west-1');
    const fn = new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), environment: { AWS_REDACT_SPAN_ATTRIBUTES: 'user.email, http.request.*' }, instrumentation: LambdaInstrumentation.adot(),
    });
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot() });
    expect(functionProps(stack).Environment.Variables.AWS_REDACT_SPAN_ATTRIBUTES).toBe('user.email,http.request.*,aws.auth.account.access_key');
    expect(warningsMatching(stack, 'AWS_REDACT_SPAN_ATTRIBUTES')).toEqual([]);
  });

  test('a user\'s list that already covers it (a wildcard) is left as it is', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), environment: { AWS_REDACT_SPAN_ATTRIBUTES: 'aws.auth.*' }, instrumentation: LambdaInstrumentation.adot(),
    });
    expect(functionProps(stack).Environment.Variables.AWS_REDACT_SPAN_ATTRIBUTES).toBe('aws.auth.*');
  });

  test('a deploy-time user value is kept, with a warning naming the attribute', () => {
    const stack = newStack('eu-west-1');
    const value = new CfnParameter(stack, 'Redact').valueAsString;
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), environment: { AWS_REDACT_SPAN_ATTRIBUTES: value }, instrumentation: LambdaInstrumentation.adot(),
    });
    expect(functionProps(stack).Environment.Variables.AWS_REDACT_SPAN_ATTRIBUTES).toEqual({ Ref: 'Redact' });
    expect(warningsMatching(stack, 'aws.auth.account.access_key')).toHaveLength(1);
  });
});

describe('the Powertools layer and the OpenTelemetry layer on one function', () => {
  test('enabled with powertools({ layer: true }) and then adot(): both layers', () => {
    const stack = newStack('eu-west-1');
    const fn = new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools({ layer: true }) });
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot() });
    expect(functionProps(stack).Layers).toEqual([
      'arn:aws:lambda:eu-west-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:48',
      'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:13',
    ]);
  });
});
