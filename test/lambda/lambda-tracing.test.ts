import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, LambdaTracingOptions, TracedFunction } from '../../src';
import { errorOf, IMAGE_DIR, newStack, warningsMatching, xrayWritePolicyCount, zipFunctionProps } from '../util';

/** A deploy-time string: a parameter of the stack, so the template stays valid. */
function param(scope: Stack, id: string): string {
  return (scope.node.tryFindChild(id) as CfnParameter | undefined ?? new CfnParameter(scope, id)).valueAsString;
}

function functionProps(stack: any): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties;
}

describe('LambdaTracing.enable on existing functions', () => {
  test('a plain function gets active tracing and the stack policy', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    LambdaTracing.enable(fn);
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(xrayWritePolicyCount(stack)).toBe(1);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('a function created with tracing keeps its mode and gets a warning about the inline statement, not a second policy', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.PASS_THROUGH });
    LambdaTracing.enable(fn);
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'PassThrough' });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(warningsMatching(stack, 'aws-cdk-lib adds an inline statement on "*" for the tracing prop')).toHaveLength(1);
  });

  test('a function created with tracing DISABLED is traced: aws-cdk-lib renders DISABLED like no mode, and the call is explicit', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.DISABLED });
    LambdaTracing.enable(fn);
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('a container-image function takes active tracing', () => {
    const stack = newStack();
    const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromImageAsset(IMAGE_DIR) });
    LambdaTracing.enable(fn, { annotationKeys: ['tenant'] });
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(functionProps(stack).Environment.Variables).toEqual({ XRAY_ANNOTATION_KEYS: 'tenant' });
  });

  test('a container-image function cannot take the OpenTelemetry layer: the error says what to do', () => {
    const stack = newStack();
    const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromImageAsset(IMAGE_DIR) });
    expect(() => LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot() }))
      .toThrow(/\[Stack\/Fn\] instrumentation cannot add the AWS Distro for OpenTelemetry layer to a container-image function .*install the AWS Distro for OpenTelemetry in the image/);
  });

  test('declared annotation keys are readable for policies', () => {
    const stack = newStack();
    const fn = new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), annotationKeys: ['a', 'b_2'] });
    expect(LambdaTracing.declaredAnnotationKeys(fn)).toEqual(['a', 'b_2']);
    expect(LambdaTracing.declaredAnnotationKeys(new lambda.Function(stack, 'Plain', zipFunctionProps()))).toEqual([]);
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', {
      Metadata: { 'cdk-xray-constructs:tracing': { instrumentation: 'activeOnly', annotationKeys: ['a', 'b_2'] } },
    });
  });
});

describe('validation', () => {
  test.each([
    ['activeOnly', LambdaInstrumentation.activeOnly()],
    ['xraySdk', LambdaInstrumentation.xraySdk()],
  ])('serviceName with %s is an error', (kind, instrumentation) => {
    const stack = newStack();
    expect(() => new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation, serviceName: 'x' }))
      .toThrow(new RegExp(`serviceName has no effect with LambdaInstrumentation.${kind}\\(\\) \\(got "x"\\)`));
  });

  test('serviceName boundaries: 200 characters pass, 201 and bad characters fail, empty fails', () => {
    const ok = newStack();
    new TracedFunction(ok, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: 'a'.repeat(200) });
    new TracedFunction(ok, 'Fn2', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: 'orders-api:v2 / eu@1' });
    for (const bad of ['a'.repeat(201), 'orders$api', '']) {
      expect(() => new TracedFunction(newStack(), 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: bad }))
        .toThrow(/serviceName must be 1 to 200 characters/);
    }
  });

  test('annotation keys: charset, length, duplicates and the 50-key limit, reported together', () => {
    const stack = newStack();
    const keys = ['ok_key', 'has space', 'dot.key', 'ok_key', 'x'.repeat(501), ''];
    let message = '';
    try {
      new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), annotationKeys: keys });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toMatch(/^5 problems:/);
    expect(message).toContain('[Stack/Fn] annotationKeys[1] may contain only letters, digits and underscores (got "has space"). X-Ray filter expressions cannot match other characters and some SDKs drop such keys; use "has_space".');
    expect(message).toContain('annotationKeys[2] may contain only letters, digits and underscores (got "dot.key")');
    expect(message).toContain('annotationKeys[3] is declared twice (got "ok_key")');
    expect(message).toContain('annotationKeys[4] must be 1 to 500 characters long');
    expect(message).toContain('annotationKeys[5] must be 1 to 500 characters long (got "")');
  });

  test('annotation keys: 50 pass, 51 fail; a 500-character key passes', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    new TracedFunction(newStack(), 'Fn', { ...zipFunctionProps(), annotationKeys: [...keys.slice(1), 'y'.repeat(500)] });
    expect(() => new TracedFunction(newStack(), 'Fn', { ...zipFunctionProps(), annotationKeys: [...keys, 'k50'] }))
      .toThrow(/annotationKeys declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/);
  });

  test('annotation keys that do not fit in Lambda\'s 4 KB environment are refused', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(450, 'k'));
    expect(() => new TracedFunction(newStack(), 'Fn', { ...zipFunctionProps(), annotationKeys: long }))
      .toThrow(/\[Stack\/Fn\] environment totals 4529 bytes of keys and values, over Lambda's 4096-byte limit on all of a function's variables; cdk-xray-constructs adds 4529 of them \(got "4529 bytes"\)/);
  });

  test('annotation keys: a token key passes and reaches the environment', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), annotationKeys: ['fixed', param(stack, 'KeyParam')] });
    expect(functionProps(stack).Environment.Variables.XRAY_ANNOTATION_KEYS).toEqual({ 'Fn::Join': ['', ['fixed,', { Ref: 'KeyParam' }]] });
  });
});

/** The roles an X-Ray write policy of the stack is attached to. */
function writePolicyRoles(stack: Stack): unknown[] {
  const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .filter(p => JSON.stringify(p.Properties.PolicyDocument).includes('xray:PutTraceSegments'));
  return policies.flatMap(p => p.Properties.Roles ?? []);
}

describe('IAM is decided from the role\'s statements, not from the tracing mode', () => {
  test('a mode set through the L1 gets the XRayWritePolicy, not the inline-statement warning', () => {
    // GIVEN a function whose mode was set on its CfnFunction: aws-cdk-lib added no statement
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'Active' };
    // WHEN
    LambdaTracing.enable(fn);
    // THEN the mode is kept and the role may write traces
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(writePolicyRoles(stack)).toEqual([{ Ref: expect.stringMatching(/^FnServiceRole/) }]);
    expect(warningsMatching(stack, 'already had a tracing mode')).toHaveLength(0);
  });

  test('a role that already allows X-Ray through an AWS managed policy gets no second grant and no warning', () => {
    // GIVEN
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess')],
    });
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), role });
    // WHEN
    LambdaTracing.enable(fn);
    // THEN
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(warningsMatching(stack, 'cdk-xray-constructs')).toHaveLength(0);
  });

  test('a statement of the user\'s own on the role counts; one limited by a condition does not', () => {
    // GIVEN
    const stack = newStack();
    const own = new lambda.Function(stack, 'Own', zipFunctionProps());
    own.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] }));
    const conditional = new lambda.Function(stack, 'Conditional', zipFunctionProps());
    conditional.addToRolePolicy(new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'], conditions: { Bool: { 'aws:SecureTransport': 'true' } },
    }));
    // WHEN
    LambdaTracing.enable(own);
    LambdaTracing.enable(conditional);
    // THEN only the conditional one gets the stack's policy
    expect(writePolicyRoles(stack)).toEqual([{ Ref: expect.stringMatching(/^ConditionalServiceRole/) }]);
  });

  test('aws-cdk-lib\'s statement is found in its own policy too (@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy)', () => {
    // GIVEN
    const app = new App({ context: { '@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy': true } });
    const stack = new Stack(app, 'Stack');
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.ACTIVE });
    // WHEN
    LambdaTracing.enable(fn);
    // THEN no second grant; the advisory says how to use the stack's policy instead
    expect(writePolicyRoles(stack)).toEqual([]);
    expect(xrayWritePolicyCount(stack)).toBe(1);
    expect(warningsMatching(stack, 'already had a tracing mode (Active)')).toHaveLength(1);
  });
});

describe('functions of every kind', () => {
  test.each([
    ['Function.fromFunctionArn', (s: Stack) => lambda.Function.fromFunctionArn(s, 'Imported', 'arn:aws:lambda:eu-west-1:111111111111:function:orders')],
    ['Function.fromFunctionAttributes', (s: Stack) => lambda.Function.fromFunctionAttributes(s, 'Imported', {
      functionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:orders', sameEnvironment: true,
    })],
    ['Version.fromVersionArn', (s: Stack) => lambda.Version.fromVersionArn(s, 'Imported', 'arn:aws:lambda:eu-west-1:111111111111:function:orders:3')],
    ['an alias of an imported version', (s: Stack) => new lambda.Alias(s, 'Imported', {
      aliasName: 'live', version: lambda.Version.fromVersionArn(s, 'V', 'arn:aws:lambda:eu-west-1:111111111111:function:orders:3'),
    })],
  ])('%s: a house-format error, not a TypeError', (_kind, make) => {
    // GIVEN
    const stack = newStack();
    const fn = make(stack);
    // WHEN
    const message = errorOf(() => LambdaTracing.enable(fn));
    // THEN
    expect(message).toMatch(/^\[Stack\/Imported\] fn is an imported function \(Function.fromFunctionArn or fromFunctionAttributes\): its tracing and role cannot be changed from this app \(got "arn:aws:lambda:eu-west-1:111111111111:function:orders(:3)?"\)\. Turn tracing on where the function is defined/);
    expect(LambdaTracing.declaredAnnotationKeys(fn)).toEqual([]);
  });

  test('a Version and an Alias trace their function', () => {
    // GIVEN
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    // WHEN
    LambdaTracing.enable(alias, { annotationKeys: ['tenant'] });
    LambdaTracing.enable(fn.currentVersion, { annotationKeys: ['tenant'] });
    // THEN
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(functionProps(stack).Environment.Variables).toEqual({ XRAY_ANNOTATION_KEYS: 'tenant' });
    expect(LambdaTracing.declaredAnnotationKeys(alias)).toEqual(['tenant']);
    expect(xrayWritePolicyCount(stack)).toBe(1);
  });

  test('a SingletonFunction traces the one function it stands for', () => {
    // GIVEN
    const stack = newStack();
    const one = new lambda.SingletonFunction(stack, 'One', { ...zipFunctionProps(), uuid: '6a9f2b8e-4a55-4e9f-9d59-0c7f1d1e2a3b' });
    const two = new lambda.SingletonFunction(stack, 'Two', { ...zipFunctionProps(), uuid: '6a9f2b8e-4a55-4e9f-9d59-0c7f1d1e2a3b' });
    // WHEN
    LambdaTracing.enable(one);
    LambdaTracing.enable(two);
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(writePolicyRoles(stack)).toHaveLength(1);
  });

  test('a subclass of lambda.Function (as NodejsFunction is) is traced like a Function', () => {
    // GIVEN
    class BundledFunction extends lambda.Function {}
    const stack = newStack();
    const fn = new BundledFunction(stack, 'Fn', zipFunctionProps());
    // WHEN
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.powertools() });
    // THEN
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    expect(functionProps(stack).Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('Fn');
  });
});

describe('aws-cdk-lib\'s refusals come in the house format', () => {
  test('a sixth layer: the path, the layer and what to do', () => {
    // GIVEN a function with five layers already
    const stack = newStack('eu-west-1');
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    for (let i = 1; i <= 5; i++) {
      fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, `arn:aws:lambda:eu-west-1:111111111111:layer:l${i}:1`));
    }
    // WHEN
    const message = errorOf(() => LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot() }));
    // THEN
    expect(message).toMatch(/^\[Stack\/Fn\] instrumentation is refused by aws-cdk-lib: Unable to add layer: this lambda function already uses 5 layers \(got "arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:13"\)\. The AWS Distro for OpenTelemetry layer cannot be added: a function takes at most 5 layers/);
    expect(message.match(/Stack\/Fn/g)).toHaveLength(1);
  });

  test('an edge function keeps deploying: the library\'s variables are dropped at the edge', () => {
    // GIVEN
    const stack = newStack('us-east-1');
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.powertools(), annotationKeys: ['tenant'] });
    // WHEN the function is used at the edge
    new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: {
        origin: new origins.HttpOrigin('example.com'),
        edgeLambdas: [{ functionVersion: fn.currentVersion, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }],
      },
    });
    // THEN synthesis works (aws-cdk-lib refused the variables before) and the function has none
    expect(functionProps(stack).Environment).toBeUndefined();
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
  });
});

describe('Lambda\'s 4 KB total of all environment variables', () => {
  /** A value that makes the function's variables total `bytes`, with the key `USER_VALUE` (10 bytes). */
  const userValue = (bytes: number) => 'v'.repeat(bytes - 'USER_VALUE'.length);

  test('the user\'s variables and the library\'s are counted together', () => {
    // GIVEN 4000 bytes of the user's own
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), environment: { USER_VALUE: userValue(4000) } });
    // WHEN Powertools adds its four variables
    const message = errorOf(() => LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.powertools() }));
    // THEN
    expect(message).toMatch(/^\[Stack\/Fn\] environment totals 4\d{3} bytes of keys and values, over Lambda's 4096-byte limit on all of a function's variables; cdk-xray-constructs adds \d+ of them/);
  });

  test('variables added after tracing was enabled are counted at synthesis, with the path named once', () => {
    // GIVEN
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    LambdaTracing.enable(fn, { annotationKeys: ['tenant'] });
    // WHEN
    fn.addEnvironment('USER_VALUE', userValue(4096));
    // THEN
    const message = errorOf(() => (stack.node.root as App).synth());
    expect(message).toContain('[Stack/Fn] environment totals 4122 bytes of keys and values, over Lambda\'s 4096-byte limit');
    expect(message.match(/Stack\/Fn/g)).toHaveLength(1);
  });

  test('a value known only at deploy time is not measured', () => {
    // GIVEN
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), environment: { TOKEN_VALUE: param(stack, 'Big'), USER_VALUE: userValue(4096 - 11 - 'XRAY_ANNOTATION_KEYS'.length - 1) } });
    // WHEN
    LambdaTracing.enable(fn, { annotationKeys: ['k'] });
    // THEN
    expect(functionProps(stack).Environment.Variables.TOKEN_VALUE).toEqual({ Ref: 'Big' });
  });
});

describe('values a JavaScript or Python caller can pass', () => {
  test('no function at all: a house-format error, not a TypeError', () => {
    expect(errorOf(() => LambdaTracing.enable(undefined as any)))
      .toMatch(/^\[LambdaTracing.enable\] fn must be a Lambda function construct \(got undefined\)\. Pass a lambda.Function/);
  });

  test('null options are the defaults', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    LambdaTracing.enable(fn, null as any);
    expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('an empty entry in annotationKeys names its index', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    expect(errorOf(() => LambdaTracing.enable(fn, { annotationKeys: ['ok', undefined as any] })))
      .toMatch(/^\[Stack\/Fn\] annotationKeys\[1\] must be a string \(got undefined\)\. Remove the empty entry/);
  });
});

describe('LambdaTracing.enable: table-driven validation (bad / boundary / token)', () => {
  const zip = (s: Stack) => new lambda.Function(s, 'Fn', zipFunctionProps());
  const image = (s: Stack) => new lambda.DockerImageFunction(s, 'Fn', { code: lambda.DockerImageCode.fromImageAsset(IMAGE_DIR) });
  /** A function whose environment, with XRAY_ANNOTATION_KEYS=k added (21 bytes), totals `bytes`. */
  const withEnvironment = (bytes: number) => (s: Stack) => new lambda.Function(s, 'Fn', {
    ...zipFunctionProps(), environment: { USER_VALUE: 'v'.repeat(bytes - 'USER_VALUE'.length - 'XRAY_ANNOTATION_KEYS'.length - 1) },
  });
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
  const powertools = LambdaInstrumentation.powertools();

  test.each<[string, string, (s: Stack) => lambda.IFunction, (s: Stack) => LambdaTracingOptions, RegExp | undefined]>([
    // fn
    ['fn', 'bad: an imported function', s => lambda.Function.fromFunctionArn(s, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:f'), () => ({}),
      /^\[Stack\/Fn\] fn is an imported function/],
    ['fn', 'boundary: a Version of a function of this app passes', s => zip(s).currentVersion, () => ({}), undefined],
    ['fn', 'boundary: a Version imported by ARN fails', s => lambda.Version.fromVersionArn(s, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:f:1'), () => ({}),
      /^\[Stack\/Fn\] fn is an imported function/],
    // serviceName
    ['serviceName', 'bad: a tab', zip, () => ({ instrumentation: powertools, serviceName: 'a\tb' }), /^\[Stack\/Fn\] serviceName must be 1 to 200 characters/],
    ['serviceName', 'boundary: 200 characters pass', zip, () => ({ instrumentation: powertools, serviceName: 'n'.repeat(200) }), undefined],
    ['serviceName', 'boundary: 201 characters fail', zip, () => ({ instrumentation: powertools, serviceName: 'n'.repeat(201) }), /serviceName must be 1 to 200/],
    ['serviceName', 'token passes', zip, s => ({ instrumentation: powertools, serviceName: param(s, 'Name') }), undefined],
    // annotationKeys
    ['annotationKeys', 'bad: a dash', zip, () => ({ annotationKeys: ['a-b'] }), /annotationKeys\[0\] may contain only letters, digits and underscores \(got "a-b"\)\. .*use "a_b"/],
    ['annotationKeys', 'boundary: 50 keys pass', zip, () => ({ annotationKeys: keys(50) }), undefined],
    ['annotationKeys', 'boundary: 51 keys fail', zip, () => ({ annotationKeys: keys(51) }), /annotationKeys declares more keys than X-Ray indexes per trace \(50\)/],
    ['annotationKeys', 'token passes', zip, s => ({ annotationKeys: new CfnParameter(s, 'Keys', { type: 'CommaDelimitedList' }).valueAsList }), undefined],
    // instrumentation
    ['instrumentation', 'bad: the OpenTelemetry layer on an image function', image, () => ({ instrumentation: LambdaInstrumentation.adot() }),
      /^\[Stack\/Fn\] instrumentation cannot add the AWS Distro for OpenTelemetry layer to a container-image function/],
    ['instrumentation', 'boundary: activeOnly on an image function passes', image, () => ({ instrumentation: LambdaInstrumentation.activeOnly() }), undefined],
    // environment (4 KB total with the library's variables)
    ['environment', 'bad: far over with the library\'s variable', withEnvironment(6000), () => ({ annotationKeys: ['k'] }),
      /^\[Stack\/Fn\] environment totals 6000 bytes .*cdk-xray-constructs adds 21 of them \(got "6000 bytes"\)/],
    ['environment', 'boundary: 4096 bytes pass', withEnvironment(4096), () => ({ annotationKeys: ['k'] }), undefined],
    ['environment', 'boundary: 4097 bytes fail', withEnvironment(4097), () => ({ annotationKeys: ['k'] }), /environment totals 4097 bytes/],
    ['environment', 'token: a deploy-time key list is not measured', withEnvironment(4096), s => ({ annotationKeys: new CfnParameter(s, 'Keys', { type: 'CommaDelimitedList' }).valueAsList }), undefined],
  ])('%s — %s', (_prop, _case, makeFunction, options, error) => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const fn = makeFunction(stack);
    // WHEN
    const message = errorOf(() => {
      LambdaTracing.enable(fn, options(stack));
      Template.fromStack(stack);
    });
    // THEN
    if (error === undefined) {
      expect(message).toBe('');
      expect(functionProps(stack).TracingConfig).toEqual({ Mode: 'Active' });
    } else {
      expect(message).toMatch(error);
    }
  });
});
