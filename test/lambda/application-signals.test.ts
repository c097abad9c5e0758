import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation, LambdaTracing, TracedFunction } from '../../src';
import { errorOf, newStack, warningsMatching, zipFunctionProps } from '../util';

function variables(stack: Stack): Record<string, unknown> {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
}

function signalsPolicies(stack: Stack): any[] {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .filter(p => JSON.stringify(p.Properties.PolicyDocument).includes('application-signals'));
}

describe('Application Signals on Lambda', () => {
  test('turns the signals on and attaches the log-group writes of this account and Region only', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }) });
    expect(variables(stack)).toEqual({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
      AWS_REDACT_SPAN_ATTRIBUTES: 'aws.auth.account.access_key',
      OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true',
    });
    const policies = signalsPolicies(stack);
    expect(policies).toHaveLength(1);
    const group = ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
      ':log-group:/aws/application-signals/data'];
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'ApplicationSignalsMetrics',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [{ 'Fn::Join': ['', group] }, { 'Fn::Join': ['', [...group.slice(0, -1), ':log-group:/aws/application-signals/data:*']] }],
    }]);
    // Attached to the function's role, beside the X-Ray writes every traced function gets.
    const roleId = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    expect(policies[0].Properties.Roles).toEqual([{ Ref: roleId }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] })] },
      Roles: [{ Ref: roleId }],
    });
  });

  test('off by default, even though the layer turns it on when the variable is missing', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    expect(variables(stack).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('false');
    expect(signalsPolicies(stack)).toHaveLength(0);
  });

  test('two functions of a stack share one Application Signals policy', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'A', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }) });
    new TracedFunction(stack, 'B', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }) });
    const policies = signalsPolicies(stack);
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toHaveLength(2);
  });

  test('an immutable imported role gets a warning that names what to grant', () => {
    const stack = newStack('eu-west-1');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/fixed', { mutable: false });
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), role });
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }) });
    const warnings = warningsMatching(stack, '/aws/application-signals/data');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on the \/aws\/application-signals\/data log group/);
    expect(signalsPolicies(stack)[0]?.Properties.Roles).toBeUndefined();
  });

  test('a flag that is not a boolean is an error naming the option', () => {
    const stack = newStack('eu-west-1');
    expect(errorOf(() => new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ applicationSignals: 'yes' as any }),
    }))).toMatch(/applicationSignals.*must be true or false.*"yes"/s);
  });
});

describe('direct export to the X-Ray OTLP endpoint on Lambda', () => {
  test('points the layer at the endpoint of the known Region', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ directExport: true }) });
    expect(variables(stack)).toEqual({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
      AWS_REDACT_SPAN_ATTRIBUTES: 'aws.auth.account.access_key',
      OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://xray.eu-west-1.amazonaws.com/v1/traces',
    });
  });

  test('in an environment-agnostic stack the Region is a deploy-time value', () => {
    const stack = new Stack();
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ directExport: true }) });
    expect(variables(stack).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toEqual({
      'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.amazonaws.com/v1/traces']],
    });
  });

  test('refused in a China Region, where the SDK would not sign the export', () => {
    const stack = newStack('cn-north-1');
    expect(errorOf(() => new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ directExport: true }),
    }))).toMatch(/directExport.*China Region.*cn-north-1.*TraceCollector\.adot/s);
  });

  test('with Application Signals as well: a warning about paying for the spans twice', () => {
    const stack = newStack('eu-west-1');
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ directExport: true, applicationSignals: true }),
    });
    expect(warningsMatching(stack, 'paid for twice')).toHaveLength(1);
    expect(variables(stack).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
  });
});
