import { Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, TracedFunction } from '../../src';
import { newStack, warningsMatching, xrayWritePolicyCount, zipFunctionProps } from '../util';

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

  test('the function is a real lambda.Function: grants and environment work as usual', () => {
    const stack = newStack();
    const fn = new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), environment: { A: 'b' } });
    fn.addEnvironment('C', 'd');
    expect(fn).toBeInstanceOf(lambda.Function);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { A: 'b', C: 'd' } } });
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
    const name = Token.asString({ Ref: 'ServiceNameParam' });
    const keys = Token.asList({ 'Fn::Split': [',', 'a,b'] });
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: name, annotationKeys: keys,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: { Ref: 'ServiceNameParam' }, XRAY_ANNOTATION_KEYS: { 'Fn::Join': [',', { 'Fn::Split': [',', 'a,b'] }] } } },
    });
  });
});
