import { App, CfnParameter, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, TracedFunction, TracedFunctionProps } from '../../src';
import { errorOf, newStack, warningsMatching, xrayWritePolicyCount, zipFunctionProps } from '../util';

/** A deploy-time string: a parameter of the stack, so the template stays valid. */
function param(scope: Stack, id: string): string {
  return (scope.node.tryFindChild(id) as CfnParameter | undefined ?? new CfnParameter(scope, id)).valueAsString;
}

/** A deploy-time number: a Number parameter of the stack. */
function numberParam(scope: Stack, id: string): number {
  return new CfnParameter(scope, id, { type: 'Number' }).valueAsNumber;
}

describe('TracedFunction', () => {
  test('defaults: active tracing, the stack policy attached, no inline X-Ray statement', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new TracedFunction(stack, 'Fn', zipFunctionProps());
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*', Sid: 'XRayWrite' }],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('FnServiceRole') }],
    });
    // aws-cdk-lib's per-function default policy with the X-Ray statement is not created at all.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(xrayWritePolicyCount(stack)).toBe(1);
  });

  test('the function waits for the X-Ray policy before it can be invoked', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', zipFunctionProps());
    const fn = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    expect(fn.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^XRayWritePolicy/)]));
  });

  test('many functions share one policy per stack', () => {
    const stack = newStack();
    for (let i = 0; i < 5; i++) {
      new TracedFunction(stack, `Fn${i}`, zipFunctionProps());
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(policy.Properties.Roles).toHaveLength(5);
    expect(xrayWritePolicyCount(stack)).toBe(1);
  });

  test('each stack gets its own policy', () => {
    const stack = newStack();
    const other = new Stack(stack.node.root as any, 'Other');
    new TracedFunction(stack, 'A', zipFunctionProps());
    new TracedFunction(other, 'B', zipFunctionProps());
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    Template.fromStack(other).resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  });

  test('PASS_THROUGH is kept', () => {
    const stack = newStack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.PASS_THROUGH });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('DISABLED is an error that says what to use instead', () => {
    const stack = newStack();
    expect(() => new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.DISABLED }))
      .toThrow(/\[Stack\/Fn\] tracing cannot be DISABLED on a traced function \(got "Tracing.DISABLED"\)\. Use lambda.Function/);
  });

  test('aws-cdk-lib adotInstrumentation is refused with the replacement', () => {
    const stack = newStack();
    expect(() => new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(),
      adotInstrumentation: {
        layerVersion: lambda.AdotLayerVersion.fromJavaScriptSdkLayerVersion(lambda.AdotLambdaLayerJavaScriptSdkVersion.LATEST),
        execWrapper: lambda.AdotLambdaExecWrapper.REGULAR_HANDLER,
      },
    })).toThrow(/\[Stack\/Fn\] adotInstrumentation .*Pass instrumentation: LambdaInstrumentation.adot\(\) instead/);
  });

  test('a user-given role gets the policy', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), role });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^Role') }] });
  });

  test('an imported role gets a warning that says how to grant, and no policy is attached', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/existing', { mutable: false });
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), role });
    const warnings = warningsMatching(stack, 'is not a Role made in this app');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/its role \(arn:aws:iam::111111111111:role\/existing\).*attach the customer-managed policy created by XRayWritePolicy where that role is defined, or grant xray:PutTraceSegments, xray:PutTelemetryRecords on "\*"/);
    expect(warnings[0]).toContain('[ack: cdk-xray-constructs::importedPrincipal]');
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(policy?.Properties?.Roles ?? []).toHaveLength(0);
  });

  test('a role imported as mutable from the stack\'s account gets the XRayWritePolicy attached, with no warning', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/existing');
    // WHEN
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), role });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['existing'] });
    expect(warningsMatching(stack, 'is not a Role made in this app')).toEqual([]);
  });

  test('the function is a real lambda.Function: grants and environment work as usual', () => {
    const stack = newStack();
    const fn = new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), environment: { AA: 'b' } });
    fn.addEnvironment('CC', 'd');
    expect(fn).toBeInstanceOf(lambda.Function);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { AA: 'b', CC: 'd' } } });
  });

  test('enabling again changes nothing', () => {
    const stack = newStack('eu-west-1');
    const fn = new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot(), serviceName: 'svc', annotationKeys: ['k'],
    });
    const before = JSON.stringify(Template.fromStack(stack).toJSON());
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot(), serviceName: 'svc', annotationKeys: ['k'] });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toEqual(before);
    expect(warningsMatching(stack, 'already set')).toHaveLength(0);
  });

  test('tokens pass validation', () => {
    const stack = newStack();
    const name = param(stack, 'ServiceNameParam');
    const keys = Token.asList({ 'Fn::Split': [',', 'a,b'] });
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: name, annotationKeys: keys,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: { Ref: 'ServiceNameParam' }, XRAY_ANNOTATION_KEYS: { 'Fn::Join': [',', { 'Fn::Split': [',', 'a,b'] }] } } },
    });
  });
});

describe('service names reach environment variables only as X-Ray segment names', () => {
  test.each([
    ['a newline', 'orders\napi'],
    ['a tab', 'orders\tapi'],
    ['a carriage return', 'orders\rapi'],
    ['a non-breaking space', 'orders\u00a0api'],
  ])('%s is refused (only a space passes)', (_what, serviceName) => {
    // GIVEN / WHEN
    const message = errorOf(() => new TracedFunction(newStack(), 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot(), serviceName,
    }));
    // THEN
    expect(message).toMatch(/^\[Stack\/Fn\] serviceName must be 1 to 200 characters of letters, digits, spaces and .* \(no newline or tab\)/);
  });

  test('a space passes into OTEL_SERVICE_NAME', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot(), serviceName: 'orders api' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { OTEL_SERVICE_NAME: 'orders api' } } });
  });

  test('the default Powertools service name (the construct id) loses what X-Ray refuses', () => {
    // GIVEN a construct id with characters no segment name may hold
    const stack = newStack();
    // WHEN
    new TracedFunction(stack, 'Orders$Api\nv2', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools() });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'Orders_Api_v2' } } });
  });
});

describe('TracedFunction: values a JavaScript or Python caller can pass', () => {
  test('aws-cdk-lib\'s own errors from the props carry the path, which never starts with "/" under the app', () => {
    // GIVEN a function made directly under the app, where aws-cdk-lib refuses its role for want of a stack
    const app = new App();
    // WHEN
    const message = errorOf(() => new TracedFunction(app as any, 'Fn', zipFunctionProps()));
    // THEN
    expect(message).toMatch(/^\[Fn\] props is refused by aws-cdk-lib: .*should be created in the scope of a Stack.*\. Fix the lambda\.FunctionProps/);
  });


  test('no props: a house-format error, not a TypeError', () => {
    expect(errorOf(() => new TracedFunction(newStack(), 'Fn', undefined as any)))
      .toMatch(/^\[Stack\/Fn\] props are required \(got undefined\)\. Pass at least runtime, handler and code/);
  });
});

describe('TracedFunction: table-driven validation (bad / boundary / token)', () => {
  const powertools = LambdaInstrumentation.powertools();
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
  /** A user variable that makes the function's environment (with no library variables) exactly `bytes` long. */
  const envOf = (bytes: number) => ({ USER_VALUE: 'v'.repeat(bytes - 'USER_VALUE'.length) });

  test.each<[string, string, (_s: Stack) => Partial<TracedFunctionProps>, RegExp | undefined]>([
    // tracing
    ['tracing', 'bad: DISABLED', (_s: Stack) => ({ tracing: lambda.Tracing.DISABLED }), /\[Stack\/Fn\] tracing cannot be DISABLED on a traced function/],
    ['tracing', 'boundary: PASS_THROUGH passes', (_s: Stack) => ({ tracing: lambda.Tracing.PASS_THROUGH }), undefined],
    // adotInstrumentation
    ['adotInstrumentation', 'bad: aws-cdk-lib\'s legacy layer', (_s: Stack) => ({
      adotInstrumentation: {
        layerVersion: lambda.AdotLayerVersion.fromJavaScriptSdkLayerVersion(lambda.AdotLambdaLayerJavaScriptSdkVersion.LATEST),
        execWrapper: lambda.AdotLambdaExecWrapper.REGULAR_HANDLER,
      },
    }), /\[Stack\/Fn\] adotInstrumentation is aws-cdk-lib's legacy ADOT layer/],
    ['adotInstrumentation', 'boundary: instrumentation: adot() instead passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot() }), undefined],
    // serviceName
    ['serviceName', 'bad: a dollar sign', (_s: Stack) => ({ instrumentation: powertools, serviceName: 'orders$api' }), /serviceName must be 1 to 200 characters/],
    ['serviceName', 'bad: empty', (_s: Stack) => ({ instrumentation: powertools, serviceName: '' }), /serviceName must be 1 to 200 characters .*\(got ""\)/],
    ['serviceName', 'boundary: 200 characters pass', (_s: Stack) => ({ instrumentation: powertools, serviceName: 'a'.repeat(200) }), undefined],
    ['serviceName', 'boundary: 201 characters fail', (_s: Stack) => ({ instrumentation: powertools, serviceName: 'a'.repeat(201) }), /serviceName must be 1 to 200 characters/],
    ['serviceName', 'boundary: every allowed symbol passes', (_s: Stack) => ({ instrumentation: powertools, serviceName: 'Ünï 9 _.:/%&#=+\\-@' }), undefined],
    ['serviceName', 'token passes', (s: Stack) => ({ instrumentation: powertools, serviceName: param(s, 'Name') }), undefined],
    // annotationKeys
    ['annotationKeys', 'bad: a dot', (_s: Stack) => ({ annotationKeys: ['dot.key'] }), /annotationKeys\[0\] may contain only letters, digits and underscores \(got "dot.key"\)/],
    ['annotationKeys', 'boundary: 50 keys pass', (_s: Stack) => ({ annotationKeys: keys(50) }), undefined],
    ['annotationKeys', 'boundary: 51 keys fail', (_s: Stack) => ({ annotationKeys: keys(51) }), /annotationKeys declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/],
    ['annotationKeys', 'boundary: a 500-character key passes', (_s: Stack) => ({ annotationKeys: ['k'.repeat(500)] }), undefined],
    ['annotationKeys', 'boundary: a 501-character key fails', (_s: Stack) => ({ annotationKeys: ['k'.repeat(501)] }), /annotationKeys\[0\] must be 1 to 500 characters long/],
    ['annotationKeys', 'token: a list token passes', (_s: Stack) => ({ annotationKeys: Token.asList({ 'Fn::Split': [',', 'a,b'] }) }), undefined],
    ['annotationKeys', 'token: a token key passes', (s: Stack) => ({ annotationKeys: ['a', param(s, 'Key')] }), undefined],
    // environment (Lambda's 4 KB total, keys and values)
    ['environment', 'bad: far over', (_s: Stack) => ({ environment: envOf(5000) }), /\[Stack\/Fn\] environment totals 5000 bytes of keys and values, over Lambda's 4096-byte limit/],
    ['environment', 'boundary: 4096 bytes pass', (_s: Stack) => ({ environment: envOf(4096) }), undefined],
    ['environment', 'boundary: 4097 bytes fail', (_s: Stack) => ({ environment: envOf(4097) }), /environment totals 4097 bytes .*\(got "4097 bytes"\)/],
    ['environment', 'boundary: multi-byte characters count as bytes', (_s: Stack) => ({ environment: { USER_VALUE: 'é'.repeat(2044) } }), /environment totals 4098 bytes/],
    ['environment', 'token: a deploy-time value is not measured', (s: Stack) => ({ environment: { ...envOf(4096 - 'TOKEN'.length), TOKEN: param(s, 'Big') } }), undefined],
    // Lambda limits aws-cdk-lib does not check (or checks naming no path): checked before aws-cdk-lib sees the props
    ['timeout', 'bad: not whole seconds (aws-cdk-lib\'s own error has no path)', (_s: Stack) => ({ timeout: Duration.millis(1500) }),
      /^\[Stack\/Fn\] timeout must be a whole number of seconds .*\(got "1 second 500 millis"\)\. Pass Duration\.seconds\(2\)/],
    ['timeout', 'boundary: 1 second passes', (_s: Stack) => ({ timeout: Duration.seconds(1) }), undefined],
    ['timeout', 'boundary: 0 seconds fail', (_s: Stack) => ({ timeout: Duration.seconds(0) }), /^\[Stack\/Fn\] timeout must be 1 to 900 seconds/],
    ['timeout', 'boundary: 15 minutes pass', (_s: Stack) => ({ timeout: Duration.minutes(15) }), undefined],
    ['timeout', 'boundary: 901 seconds fail', (_s: Stack) => ({ timeout: Duration.seconds(901) }), /^\[Stack\/Fn\] timeout must be 1 to 900 seconds \(15 minutes\), Lambda's limit \(got "15 minutes 1 second"\)/],
    ['timeout', 'token passes', (s: Stack) => ({ timeout: Duration.seconds(numberParam(s, 'Timeout')) }), undefined],
    ['memorySize', 'bad: 64 MB', (_s: Stack) => ({ memorySize: 64 }), /^\[Stack\/Fn\] memorySize must be a whole number of MB from 128 to 10240 \(got 64\)/],
    ['memorySize', 'bad: not whole', (_s: Stack) => ({ memorySize: 1024.5 }), /memorySize must be a whole number of MB .*\(got 1024\.5\)/],
    ['memorySize', 'boundary: 128 MB pass', (_s: Stack) => ({ memorySize: 128 }), undefined],
    ['memorySize', 'boundary: 127 MB fail', (_s: Stack) => ({ memorySize: 127 }), /memorySize must be a whole number of MB from 128 to 10240 \(got 127\)/],
    ['memorySize', 'boundary: 10240 MB pass', (_s: Stack) => ({ memorySize: 10240 }), undefined],
    ['memorySize', 'boundary: 10241 MB fail', (_s: Stack) => ({ memorySize: 10241 }), /memorySize must be a whole number of MB from 128 to 10240 \(got 10241\)/],
    ['memorySize', 'token passes', (s: Stack) => ({ memorySize: numberParam(s, 'Memory') }), undefined],
    ['ephemeralStorageSize', 'bad: 100 MiB (aws-cdk-lib prints [object Object])', (_s: Stack) => ({ ephemeralStorageSize: Size.mebibytes(100) }),
      /^\[Stack\/Fn\] ephemeralStorageSize must be a whole number of MiB from 512 to 10240 \(got 100\)/],
    ['ephemeralStorageSize', 'boundary: 512 MiB pass', (_s: Stack) => ({ ephemeralStorageSize: Size.mebibytes(512) }), undefined],
    ['ephemeralStorageSize', 'boundary: 511 MiB fail', (_s: Stack) => ({ ephemeralStorageSize: Size.mebibytes(511) }), /ephemeralStorageSize must be .* \(got 511\)/],
    ['ephemeralStorageSize', 'boundary: 10 GiB pass', (_s: Stack) => ({ ephemeralStorageSize: Size.gibibytes(10) }), undefined],
    ['ephemeralStorageSize', 'boundary: 10241 MiB fail', (_s: Stack) => ({ ephemeralStorageSize: Size.mebibytes(10241) }), /ephemeralStorageSize must be .* \(got 10241\)/],
    ['ephemeralStorageSize', 'token passes', (s: Stack) => ({ ephemeralStorageSize: Size.mebibytes(numberParam(s, 'Storage')) }), undefined],
    ['reservedConcurrentExecutions', 'bad: -1', (_s: Stack) => ({ reservedConcurrentExecutions: -1 }),
      /^\[Stack\/Fn\] reservedConcurrentExecutions must be a whole number, 0 or more \(got -1\)/],
    ['reservedConcurrentExecutions', 'boundary: 0 passes', (_s: Stack) => ({ reservedConcurrentExecutions: 0 }), undefined],
    ['reservedConcurrentExecutions', 'token passes', (s: Stack) => ({ reservedConcurrentExecutions: numberParam(s, 'Reserved') }), undefined],
  ])('%s — %s', (_prop, _case, props, error) => {
    // GIVEN
    const stack = newStack('eu-west-1');
    // WHEN
    const message = errorOf(() => {
      new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), ...props(stack) });
      Template.fromStack(stack);
    });
    // THEN
    if (error === undefined) {
      expect(message).toBe('');
    } else {
      expect(message).toMatch(error);
    }
  });
});
