import { App, AspectPriority, Aspects, CfnParameter, Fn, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { EnableTracingAspect, EnableTracingAspectProps, LambdaInstrumentation, LambdaTracingOptions, XRayChecks } from '../../src';
import { errorOf, warningsMatching, zipFunctionProps } from '../util';

/** An app with one of everything the aspect traces, none of it traced. */
function untracedApp(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new lambda.Function(stack, 'Fn', zipFunctionProps());
  const role = new iam.Role(stack, 'RawRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new lambda.CfnFunction(stack, 'Raw', { role: role.roleArn, code: { zipFile: 'exports.handler = async () => ({});' }, runtime: 'nodejs22.x', handler: 'index.handler' });
  new apigw.RestApi(stack, 'Api').root.addMethod('GET');
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
  new appsync.GraphqlApi(stack, 'Gql', { name: 'g', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/../checks/schema.graphql`)) });
  new sns.Topic(stack, 'Topic');
  new sns.Topic(stack, 'Fifo', { fifo: true, topicName: 'f' });
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
  return { app, stack };
}

function xrayFindings(stack: Stack): string[] {
  return new XRayChecks(stack.node.root).validateScope(stack).violations.map((v: any) => v.ruleName).sort();
}

describe('EnableTracingAspect', () => {
  test('turns tracing on everywhere it is missing, so XRayChecks finds nothing', () => {
    // GIVEN
    const { app, stack } = untracedApp();
    // WHEN
    Aspects.of(app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    const template = Template.fromStack(stack);
    // THEN
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, 2);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true });
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { TracingConfig: 'Active' }, 1);
    template.resourceCountIs('AWS::XRay::ResourcePolicy', 1);
    const td = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0];
    expect(td.Properties.ContainerDefinitions.map((c: any) => c.Name).sort()).toEqual(['App', 'otel-collector'].sort());
    expect(xrayFindings(stack)).toEqual([]);
  });

  test('one X-Ray write policy for the stack, attached to the function, raw-function, state-machine and task roles', () => {
    const { app, stack } = untracedApp();
    Aspects.of(app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    const write = policies.filter(p => JSON.stringify(p).includes('xray:PutTraceSegments'));
    expect(write).toHaveLength(1);
    expect(write[0].Properties.Roles).toHaveLength(4);
  });

  test('applying it twice gives the same template', () => {
    const once = untracedApp();
    Aspects.of(once.app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    const twice = untracedApp();
    Aspects.of(twice.app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    Aspects.of(twice.app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    expect(Template.fromStack(twice.stack).toJSON()).toEqual(Template.fromStack(once.stack).toJSON());
  });

  test('per-service switches: off leaves the resource alone; ECS is off by default', () => {
    const { app, stack } = untracedApp();
    Aspects.of(app).add(new EnableTracingAspect({ lambda: { enabled: false }, sns: { enabled: false } }), { priority: AspectPriority.MUTATING });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, 0);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { TracingConfig: 'Active' }, 0);
    expect(xrayFindings(stack)).toEqual(['XRay-EcsTaskTraceCollector', 'XRay-LambdaFunctionUntraced']);
  });

  test('explicit intent wins: a PassThrough function keeps its mode; instrumentation options apply to the functions it traces', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new lambda.Function(stack, 'Pass', { ...zipFunctionProps(), tracing: lambda.Tracing.PASS_THROUGH });
    new lambda.Function(stack, 'Plain', zipFunctionProps());
    Aspects.of(app).add(new EnableTracingAspect({ lambda: { tracing: { instrumentation: LambdaInstrumentation.powertools() } } }),
      { priority: AspectPriority.MUTATING });
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const byId = (prefix: string) => Object.entries<any>(fns).find(([id]) => id.startsWith(prefix))![1].Properties;
    expect(byId('Pass').TracingConfig).toEqual({ Mode: 'PassThrough' });
    expect(byId('Plain').TracingConfig).toEqual({ Mode: 'Active' });
    expect(byId('Plain').Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('Plain');
  });

  test('an exempted subtree is left alone; the reason must say something', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const fn = new lambda.Function(stack, 'Cron', zipFunctionProps());
    EnableTracingAspect.exempt(fn, 'Nightly cleanup job, nothing calls it.');
    Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, 0);
    expect(fn.node.metadata.find(m => m.type === 'cdk-xray-constructs:tracing-exempt')?.data).toBe('Nightly cleanup job, nothing calls it.');
    expect(() => EnableTracingAspect.exempt(fn, 'no')).toThrow(/\[S\/Cron\] reason must explain the exemption in at least 10 characters \(got "no"\)/);
  });

  test('ECS tasks EcsTracing refuses for their platform are skipped, as NONE is: NAT, and Windows with the pinned Linux images', () => {
    // GIVEN
    const { app, stack } = newApp();
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3');
    const none = new ecs.Ec2TaskDefinition(stack, 'None', { networkMode: ecs.NetworkMode.NONE });
    const nat = new ecs.Ec2TaskDefinition(stack, 'Nat', { networkMode: ecs.NetworkMode.NAT });
    const windows = new ecs.FargateTaskDefinition(stack, 'Windows', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const linux = new ecs.FargateTaskDefinition(stack, 'Linux');
    for (const task of [none, nat, windows, linux]) {
      task.addContainer('App', { image, memoryReservationMiB: 256 });
    }
    // WHEN
    applyAspect(app, { ecs: { enabled: true } });
    // THEN: synthesis passes, and only the Linux task gets a sidecar
    const tasks = Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition');
    const sidecars = Object.entries<any>(tasks)
      .filter(([, t]) => t.Properties.ContainerDefinitions.some((c: any) => c.Name === 'otel-collector'))
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(sidecars).toEqual(['Linux']);
  });

  test('it adds no aspects and reports nothing', () => {
    const { app, stack } = untracedApp();
    Aspects.of(app).add(new EnableTracingAspect({ ecs: { enabled: true } }), { priority: AspectPriority.MUTATING });
    app.synth();
    // aws-cdk-lib's roles carry an internal aspect of their own; none of this library's aspects is added below the app.
    const ours = stack.node.findAll().flatMap(c => Aspects.of(c).all).filter(a => /Tracing/.test(a.constructor.name));
    expect(ours).toEqual([]);
    const messages = stack.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning' || m.type === 'aws:cdk:error'));
    // No finding: only the advisories of what it added (the SNS resource policy's quota, the small task's sidecar share).
    expect(messages.filter(m => m.type === 'aws:cdk:error')).toEqual([]);
    expect(messages.map(m => /\[ack: ([^\]]+)\]/.exec(String(m.data))?.[1]).sort())
      .toEqual(['cdk-xray-constructs::resourcePolicyQuota', 'cdk-xray-constructs::sidecarShare']);
  });
});

/** A deploy-time string: a parameter of the stack, so the template stays valid. */
function param(scope: Stack, id: string): string {
  return (scope.node.tryFindChild(id) as CfnParameter | undefined ?? new CfnParameter(scope, id)).valueAsString;
}

function applyAspect(app: App, props: EnableTracingAspectProps = {}): void {
  Aspects.of(app).add(new EnableTracingAspect(props), { priority: AspectPriority.MUTATING });
}

function newApp(context: Record<string, unknown> = {}): { app: App; stack: Stack } {
  const app = new App({ context });
  return { app, stack: new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } }) };
}

/** The logical ids of the roles a customer-managed policy holding `action` is attached to. */
function rolesWith(stack: Stack, action: string): string[] {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .filter(p => JSON.stringify(p.Properties.PolicyDocument).includes(action))
    .flatMap(p => (p.Properties.Roles ?? []).map((r: any) => r.Ref))
    .sort();
}

function resourceProps(stack: Stack, type: string, idPrefix: string): any {
  return Object.entries<any>(Template.fromStack(stack).findResources(type)).find(([id]) => id.startsWith(idPrefix))![1].Properties;
}

function stackWarnings(stack: Stack, text: string): string[] {
  return warningsMatching(stack, text);
}

const INLINE_CODE = { zipFile: 'exports.handler = async () => ({});' };
const DEFINITION = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

describe('EnableTracingAspect: IAM follows the role\'s statements, whatever set the mode', () => {
  test('a function whose mode was set on the L1 gets the X-Ray write policy; its mode is kept', () => {
    // GIVEN
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'PassThrough' };
    // WHEN
    applyAspect(app);
    // THEN
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Fn').TracingConfig).toEqual({ Mode: 'PassThrough' });
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^FnServiceRole/)]);
  });

  test('a function created with a tracing prop is left as it is: aws-cdk-lib\'s statement already allows the writes', () => {
    const { app, stack } = newApp();
    new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.ACTIVE });
    applyAspect(app);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(stackWarnings(stack, 'cdk-xray-constructs')).toEqual([]);
  });

  test('a state machine whose tracing was enabled on the L1 gets the write and sampling-read policies', () => {
    // GIVEN
    const { app, stack } = newApp();
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    (machine.node.defaultChild as sfn.CfnStateMachine).tracingConfiguration = { enabled: true };
    // WHEN
    applyAspect(app);
    // THEN
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^MachineRole/)]);
    expect(rolesWith(stack, 'xray:GetSamplingRules')).toEqual([expect.stringMatching(/^MachineRole/)]);
  });

  test('a state machine created with tracingEnabled: true is left as it is', () => {
    const { app, stack } = newApp();
    new sfn.StateMachine(stack, 'Machine', { tracingEnabled: true, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    applyAspect(app);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('a raw CfnFunction with a mode already set and a Role of this app gets the write policy', () => {
    const { app, stack } = newApp();
    const role = new iam.Role(stack, 'RawRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new lambda.CfnFunction(stack, 'Raw', { role: role.roleArn, code: INLINE_CODE, runtime: 'nodejs22.x', handler: 'index.handler', tracingConfig: { mode: 'Active' } });
    applyAspect(app);
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^RawRole/)]);
  });
  test('a raw CfnFunction whose role is written as Fn::GetAtt of a Role\'s logical id gets the write policy', () => {
    const { app, stack } = newApp();
    const role = new iam.Role(stack, 'RawRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const logicalId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    new lambda.CfnFunction(stack, 'Raw', { role: Fn.getAtt(logicalId, 'Arn').toString(), code: INLINE_CODE, runtime: 'nodejs22.x', handler: 'index.handler' });
    applyAspect(app);
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([logicalId]);
  });
});

describe('EnableTracingAspect: roles it cannot change are reported', () => {
  test.each([
    ['a literal ARN', (_s: Stack) => 'arn:aws:iam::222222222222:role/shared', /its role \(arn:aws:iam::222222222222:role\/shared\)/],
    ['an export of another stack', () => Fn.importValue('SharedRoleArn'), /its role \(imported from the export "SharedRoleArn"\)/],
    ['a parameter', (s: Stack) => param(s, 'RoleArnParam'), /its role \(the value of "RoleArnParam"\)/],
  ])('a raw CfnFunction whose role is %s: tracing on and a warning with what to grant', (_kind, roleArn, role) => {
    // GIVEN
    const { app, stack } = newApp();
    new lambda.CfnFunction(stack, 'Raw', { role: roleArn(stack), code: INLINE_CODE, runtime: 'nodejs22.x', handler: 'index.handler' });
    // WHEN
    applyAspect(app);
    // THEN
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Raw').TracingConfig).toEqual({ Mode: 'Active' });
    const warnings = stackWarnings(stack, 'is not a Role made in this app');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(role);
    expect(warnings[0]).toMatch(/Tracing is on for this function, .* grant xray:PutTraceSegments, xray:PutTelemetryRecords on "\*" to it, or its traces will be rejected\..*\[ack: cdk-xray-constructs::importedPrincipal\]/);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('an imported mutable role that aws-cdk-lib\'s tracing prop granted through a policy of this app: no warning', () => {
    // GIVEN
    const { app, stack } = newApp();
    const shared = iam.Role.fromRoleArn(stack, 'Shared', 'arn:aws:iam::111111111111:role/shared');
    new lambda.Function(stack, 'Granted', { ...zipFunctionProps(), role: shared, tracing: lambda.Tracing.ACTIVE });
    const frozen = iam.Role.fromRoleArn(stack, 'Frozen', 'arn:aws:iam::111111111111:role/frozen', { mutable: false });
    new lambda.Function(stack, 'NotGranted', { ...zipFunctionProps(), role: frozen, tracing: lambda.Tracing.ACTIVE });
    // WHEN
    applyAspect(app);
    // THEN only the immutable one, which aws-cdk-lib could not grant, is reported
    const warnings = stackWarnings(stack, 'is not a Role made in this app');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('its role (arn:aws:iam::111111111111:role/frozen)');
  });

  test('a raw CfnFunction whose role is a raw CfnRole: the warning names the CfnRole and how to attach', () => {
    const { app, stack } = newApp();
    const cfnRole = new iam.CfnRole(stack, 'L1Role', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
    new lambda.CfnFunction(stack, 'Raw', { role: cfnRole.attrArn, code: INLINE_CODE, runtime: 'nodejs22.x', handler: 'index.handler' });
    applyAspect(app);
    const warnings = stackWarnings(stack, 'is not a Role made in this app');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/its role \(CfnRole S\/L1Role\).*add the XRayWritePolicy's managedPolicyArn to that CfnRole's managedPolicyArns/);
  });

  test('an sfn.StateMachine with an imported role: one warning listing the write and sampling-read actions', () => {
    // GIVEN
    const { app, stack } = newApp();
    new sfn.StateMachine(stack, 'Machine', {
      role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/machines', { mutable: false }),
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
    });
    // WHEN
    applyAspect(app);
    // THEN
    const warnings = stackWarnings(stack, 'is not a Role made in this app');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Tracing is on for this state machine, but its role \(arn:aws:iam::111111111111:role\/machines\).*xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets on "\*"/);
    expect(resourceProps(stack, 'AWS::StepFunctions::StateMachine', 'Machine').TracingConfiguration).toEqual({ Enabled: true });
  });

  test('a raw CfnStateMachine with a Role of this app gets the policies, as a raw CfnFunction does', () => {
    const { app, stack } = newApp();
    const role = new iam.Role(stack, 'MachineRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    new sfn.CfnStateMachine(stack, 'Raw', { roleArn: role.roleArn, definitionString: DEFINITION });
    applyAspect(app);
    expect(resourceProps(stack, 'AWS::StepFunctions::StateMachine', 'Raw').TracingConfiguration).toEqual({ Enabled: true });
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^MachineRole/)]);
    expect(rolesWith(stack, 'xray:GetSamplingTargets')).toEqual([expect.stringMatching(/^MachineRole/)]);
  });

  test('a raw CfnStateMachine with an imported role: tracing on and a warning', () => {
    const { app, stack } = newApp();
    new sfn.CfnStateMachine(stack, 'Raw', { roleArn: 'arn:aws:iam::111111111111:role/machines', definitionString: DEFINITION });
    applyAspect(app);
    expect(stackWarnings(stack, 'its role (arn:aws:iam::111111111111:role/machines)')).toHaveLength(1);
  });
});

describe('EnableTracingAspect: explicit intent wins', () => {
  const METADATA_FLAG = { '@aws-cdk/core:enableAdditionalMetadataCollection': true };

  test('Tracing.DISABLED is kept when aws-cdk-lib records construct props', () => {
    // GIVEN aws-cdk-lib renders DISABLED as no TracingConfig; the construct-props metadata is its only record
    const { app, stack } = newApp(METADATA_FLAG);
    new lambda.Function(stack, 'Off', { ...zipFunctionProps(), tracing: lambda.Tracing.DISABLED });
    new lambda.Function(stack, 'Unset', zipFunctionProps());
    // WHEN
    applyAspect(app);
    // THEN
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Off').TracingConfig).toBeUndefined();
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Unset').TracingConfig).toEqual({ Mode: 'Active' });
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^UnsetServiceRole/)]);
  });

  test('without that record, DISABLED cannot be told from unset: exempt() keeps such a function untraced', () => {
    const { app, stack } = newApp();
    new lambda.Function(stack, 'Off', { ...zipFunctionProps(), tracing: lambda.Tracing.DISABLED });
    const exempted = new lambda.Function(stack, 'Exempted', { ...zipFunctionProps(), tracing: lambda.Tracing.DISABLED });
    EnableTracingAspect.exempt(exempted, 'Internal cleanup job, nothing calls it.');
    applyAspect(app);
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Off').TracingConfig).toEqual({ Mode: 'Active' });
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Exempted').TracingConfig).toBeUndefined();
  });

  test('tracingEnabled: false on a state machine, xrayEnabled: false on AppSync and tracingEnabled: false on a REST stage are kept', () => {
    // GIVEN
    const { app, stack } = newApp();
    new sfn.StateMachine(stack, 'Machine', { tracingEnabled: false, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    new appsync.GraphqlApi(stack, 'Gql', { name: 'g', xrayEnabled: false, definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/../checks/schema.graphql`)) });
    new apigw.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: false } }).root.addMethod('GET');
    // WHEN
    applyAspect(app);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: false } });
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: false });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('a deploy-time tracing setting counts as explicit', () => {
    const { app, stack } = newApp();
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    (machine.node.defaultChild as sfn.CfnStateMachine).tracingConfiguration = { enabled: new CfnParameter(stack, 'TraceParam', { allowedValues: ['true', 'false'] }).valueAsString as any };
    applyAspect(app);
    expect(resourceProps(stack, 'AWS::StepFunctions::StateMachine', 'Machine').TracingConfiguration).toEqual({ Enabled: { Ref: 'TraceParam' } });
    // It may be on at deploy time, so the role may write.
    expect(rolesWith(stack, 'xray:PutTraceSegments')).toEqual([expect.stringMatching(/^MachineRole/)]);
  });
});

describe('EnableTracingAspect: values a JavaScript or Python caller can pass', () => {
  test('null props are the defaults', () => {
    const { app, stack } = newApp();
    new lambda.Function(stack, 'Fn', zipFunctionProps());
    Aspects.of(app).add(new EnableTracingAspect(null as any), { priority: AspectPriority.MUTATING });
    expect(resourceProps(stack, 'AWS::Lambda::Function', 'Fn').TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('exempt without a construct: a house-format error', () => {
    expect(errorOf(() => EnableTracingAspect.exempt(undefined as any, 'Nightly cleanup job, nothing calls it.')))
      .toMatch(/^\[EnableTracingAspect.exempt\] scope must be a construct \(got undefined\)/);
  });
});

describe('EnableTracingAspect: table-driven validation (bad / boundary / token)', () => {
  test.each<[string, string, string, RegExp | undefined]>([
    ['reason', 'bad: too short', 'no', /^\[S\/Cron\] reason must explain the exemption in at least 10 characters \(got "no"\)\. Say why/],
    ['reason', 'bad: only spaces', ' '.repeat(12), /reason must explain the exemption/],
    ['reason', 'boundary: 9 characters fail', 'a'.repeat(9), /reason must explain the exemption/],
    ['reason', 'boundary: 10 characters pass', 'a'.repeat(10), undefined],
    ['reason', 'boundary: surrounding spaces do not count', `  ${'a'.repeat(9)}  `, /reason must explain the exemption/],
    ['reason', 'token passes', Token.asString({ 'Fn::ImportValue': 'ExemptionReason' }), undefined],
  ])('exempt %s — %s', (_prop, _case, reason, error) => {
    const { stack } = newApp();
    const fn = new lambda.Function(stack, 'Cron', zipFunctionProps());
    const message = errorOf(() => EnableTracingAspect.exempt(fn, reason));
    if (error === undefined) {
      expect(message).toBe('');
    } else {
      expect(message).toMatch(error);
    }
  });

  test.each<[string, string, (_s: Stack) => LambdaTracingOptions, RegExp | undefined]>([
    ['lambda.tracing.serviceName', 'bad: a newline', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.powertools(), serviceName: 'a\nb' }), /^\[S\/Fn\] serviceName must be 1 to 200 characters/],
    ['lambda.tracing.serviceName', 'boundary: 200 characters pass', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.powertools(), serviceName: 's'.repeat(200) }), undefined],
    ['lambda.tracing.serviceName', 'boundary: 201 characters fail', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.powertools(), serviceName: 's'.repeat(201) }), /serviceName must be 1 to 200/],
    ['lambda.tracing.serviceName', 'token passes', (s: Stack) => ({ instrumentation: LambdaInstrumentation.powertools(), serviceName: param(s, 'N') }), undefined],
    ['lambda.tracing.annotationKeys', 'bad: a space', (_s: Stack) => ({ annotationKeys: ['has space'] }), /^\[S\/Fn\] annotationKeys\[0\] may contain only letters, digits and underscores/],
    ['lambda.tracing.annotationKeys', 'boundary: 50 keys pass', (_s: Stack) => ({ annotationKeys: Array.from({ length: 50 }, (_, i) => `k${i}`) }), undefined],
    ['lambda.tracing.annotationKeys', 'boundary: 51 keys fail', (_s: Stack) => ({ annotationKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }), /more keys than X-Ray indexes per trace \(50\)/],
    ['lambda.tracing.annotationKeys', 'token passes', (s: Stack) => ({ annotationKeys: new CfnParameter(s, 'Keys', { type: 'CommaDelimitedList' }).valueAsList }), undefined],
    ['lambda.tracing.instrumentation', 'bad: a layer of another region', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroJs:13' }) }),
      /^\[S\/Fn\] layerArn is in aws:us-east-1, but the function deploys to aws:eu-west-1/],
    ['lambda.tracing.instrumentation', 'boundary: a layer of the stack\'s region passes', (_s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:1' }) }), undefined],
    ['lambda.tracing.instrumentation', 'token passes', (s: Stack) => ({ instrumentation: LambdaInstrumentation.adot({ layerArn: param(s, 'Layer') }) }), undefined],
  ])('props %s — %s', (_prop, _case, tracing, error) => {
    // GIVEN
    const { app, stack } = newApp();
    new lambda.Function(stack, 'Fn', zipFunctionProps());
    applyAspect(app, { lambda: { tracing: tracing(stack) } });
    // WHEN
    const message = errorOf(() => Template.fromStack(stack));
    // THEN
    if (error === undefined) {
      expect(message).toBe('');
      expect(resourceProps(stack, 'AWS::Lambda::Function', 'Fn').TracingConfig).toEqual({ Mode: 'Active' });
    } else {
      expect(message).toMatch(error);
    }
  });
});
