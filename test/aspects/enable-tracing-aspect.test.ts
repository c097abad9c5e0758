import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { EnableTracingAspect, LambdaInstrumentation, XRayChecks } from '../../src';
import { zipFunctionProps } from '../util';

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
    expect(xrayFindings(stack)).toEqual(['XRay-EcsTaskTraceCollector', 'XRay-LambdaTracing']);
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
    expect(() => EnableTracingAspect.exempt(fn, 'no')).toThrow(/reason must explain the exemption in at least 10 characters \(got "no"\)/);
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
