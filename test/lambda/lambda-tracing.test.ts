import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, TracedFunction } from '../../src';
import { IMAGE_DIR, newStack, warningsMatching, xrayWritePolicyCount, zipFunctionProps } from '../util';

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
    expect(message).toContain('[Stack/Fn] annotationKeys[1] may contain only letters, digits and underscores (got "has space"). X-Ray filters cannot match other characters and some SDKs drop such keys; use "has_space".');
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
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), annotationKeys: ['fixed', Token.asString({ Ref: 'KeyParam' })] });
    expect(functionProps(stack).Environment.Variables.XRAY_ANNOTATION_KEYS).toEqual({ 'Fn::Join': ['', ['fixed,', { Ref: 'KeyParam' }]] });
  });
});
