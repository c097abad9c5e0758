import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as xray from 'aws-cdk-lib/aws-xray';
import {
  AdotCollectorConfig, EcsTracing, FilterExpression, LambdaInstrumentation, SamplingRule, TraceCollector, TracedFunction, TraceGroup, XRayChecks,
  XRayGrants,
} from '../../src';
import { ChecksRun } from '../../src/checks/checks-run';
import { buildTraceGraph } from '../../src/graph/build';
import { AnnotationKeySource } from '../../src/policy/annotation-policy';
import { readAnnotationKeys } from '../../src/template/annotation-keys';
import { readTemplateFacts } from '../../src/template/facts';
import { TemplateModel } from '../../src/template/model';
import { readAssembly, readTemplateFiles, TemplateInputError } from '../../src/template/read';
import { zipFunctionProps } from '../util';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-xray-template-'));
}

/**
 * An app with what every reader reads: a stack with an environment and one without, a stack in a Stage, a nested
 * stack, sampling rules, a group, functions with tracing metadata and declared keys, an ECS task whose collector
 * configuration sits in an SSM parameter, a write policy and an acknowledgment.
 */
function buildApp(outdir: string, context: Record<string, unknown> = {}): App {
  const app = new App({ outdir, context });
  const orders = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new TracedFunction(orders, 'Checkout', {
    ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), serviceName: 'checkout', annotationKeys: ['tenant_tier', 'user_email'],
  });
  new sqs.Queue(orders, 'Jobs').grantSendMessages(fn);
  new SamplingRule(orders, 'Api', { samplingRuleName: 'orders-api', priority: 100, serviceName: 'checkout' });
  new TraceGroup(orders, 'Errors', { groupName: 'errors', filterExpression: FilterExpression.fromString('annotation.tenant_tier = "gold"'), insights: true });
  Validations.of(fn).acknowledge({ id: 'XRay-AnnotationKeyPolicy[denied:user_email]', reason: 'Synthetic users only.' });

  const inner = new NestedStack(orders, 'Inner');
  new TracedFunction(inner, 'Worker', zipFunctionProps());

  const prod = new Stack(new Stage(app, 'Prod'), 'Tasks');
  const task = new ecs.FargateTaskDefinition(prod, 'Task');
  task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
  EcsTracing.enable(task, { annotationKeys: ['route'], collector: TraceCollector.adot({ config: new AdotCollectorConfig({ annotationKeys: ['route', 'client_ip'] }) }) });
  new xray.CfnSamplingRule(prod, 'Raw', {
    samplingRule: {
      ruleName: 'raw',
      priority: 100,
      fixedRate: 0.5,
      reservoirSize: 1,
      serviceName: '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      resourceArn: '*',
      version: 1,
    },
  });
  XRayGrants.write(new iam.Role(prod, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
  return app;
}

/** The model the pack reads during synthesis: the one its validation run was built on. */
function modelOfPluginRun(app: App): TemplateModel {
  const spy = jest.spyOn(ChecksRun, 'ofValidationContext');
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const exitCode = process.exitCode;
  try {
    Validations.of(app).addPlugins(new XRayChecks(app));
    try {
      app.synth();
    } catch (e: any) {
      if (e?.name !== 'ValidationFailed') {
        throw e;
      }
    }
    expect(spy).toHaveBeenCalledTimes(1);
    return spy.mock.results[0].value.model;
  } finally {
    process.exitCode = exitCode;
    spy.mockRestore();
    errors.mockRestore();
  }
}

/** What the readers derive from a model, in a form to compare (in a stable order: readers may list stacks differently). */
function factsOf(model: TemplateModel) {
  const graph = buildTraceGraph(model);
  const sorted = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const facts = readTemplateFacts(model);
  const bySource = (f: { stackId: string; logicalId: string }) => `${f.stackId}/${f.logicalId}`;
  return {
    stacks: sorted([...model.stacks], s => s.stackId).map(s => ({
      stackId: s.stackId,
      path: s.path,
      displayName: s.displayName,
      stackName: s.stackName,
      environment: s.environment,
      account: s.account,
      region: s.region,
      parent: s.parent,
      acknowledgments: s.acknowledgments,
    })),
    resources: sorted(model.resources.map(r => ({ key: r.key, type: r.type, path: r.path, properties: r.properties })), r => r.key),
    facts: {
      samplingRules: sorted(facts.samplingRules, bySource),
      groups: sorted(facts.groups, bySource),
      writePolicies: sorted(facts.writePolicies, bySource),
    },
    annotationKeys: sorted(readAnnotationKeys(model).usages, u => `${u.source} ${u.kind} ${u.key}`),
    nodes: sorted(graph.nodes, n => n.id),
    edges: sorted(graph.edges, e => `${e.from} ${e.to} ${e.kind}`),
    findings: sorted(graph.findings, f => `${f.nodeId} ${f.kind}`),
  };
}

describe('one model of the synthesized templates, read the same way during synthesis and from a cloud assembly', () => {
  test.each([
    ['without path metadata (an app run without the CDK CLI)', {}],
    ['with path metadata, as the CDK CLI synthesizes', { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }],
  ])('the plugin run and the assembly directory give the same stacks, resources and facts (%s)', (_, context) => {
    // GIVEN
    const outdir = tempDir();
    const app = buildApp(outdir, context);
    // WHEN
    const duringSynthesis = modelOfPluginRun(app);
    const fromAssembly = readAssembly(outdir);
    // THEN
    expect(factsOf(duringSynthesis)).toEqual(factsOf(fromAssembly));
    expect(duringSynthesis.stacks.map(s => s.displayName).sort()).toEqual(['Orders', 'Orders/Inner', 'Prod/Tasks']);
  });

  const outdir = tempDir();
  const app = buildApp(outdir);
  app.synth();
  const model = readAssembly(outdir);
  const orders = model.stacks.find(s => s.displayName === 'Orders')!;
  const inner = model.stacks.find(s => s.displayName === 'Orders/Inner')!;
  const tasks = model.stacks.find(s => s.displayName === 'Prod/Tasks')!;

  test('per stack: id, construct path, environment; a nested stack names the resource that creates it', () => {
    expect(orders).toMatchObject({ path: 'Orders', account: '111111111111', region: 'eu-west-1', environment: 'aws://111111111111/eu-west-1' });
    expect(tasks).toMatchObject({ path: 'Prod/Tasks', environment: 'aws://unknown-account/unknown-region' });
    expect(tasks.account).toBeUndefined();
    expect(tasks.region).toBeUndefined();
    expect(inner).toMatchObject({ path: 'Orders/Inner', account: '111111111111', parent: { stackId: orders.stackId } });
    expect(model.stackAt('Prod/Tasks')).toBe(tasks);
    expect(model.stack(tasks.stackId)).toBe(tasks);
  });

  test('per resource: key, logical id, type, properties, metadata and construct path (also in nested stacks)', () => {
    const checkout = model.resourceAt('Orders/Checkout/Resource')!;
    expect(checkout).toMatchObject({ key: `${orders.stackId}/${checkout.logicalId}`, stackId: orders.stackId, type: 'AWS::Lambda::Function' });
    expect(checkout.properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(checkout.metadata['cdk-xray-constructs:tracing']).toMatchObject({ serviceName: 'checkout' });
    expect(model.resourceIn(orders.stackId, checkout.logicalId)).toBe(checkout);
    expect(model.resource(checkout.key)).toBe(checkout);
    expect(model.resourceAt('Orders/Inner/Worker/Resource')).toMatchObject({ stackId: inner.stackId, type: 'AWS::Lambda::Function' });
    expect(model.ofType('AWS::XRay::SamplingRule').map(r => r.path).sort()).toEqual(['Orders/Api/Resource', 'Prod/Tasks/Raw']);
  });

  test('facts: sampling rules, groups and write policies of every stack', () => {
    const facts = readTemplateFacts(model);
    expect(facts.samplingRules.map(r => [r.ruleName, r.priority, r.path]).sort()).toEqual([['orders-api', 100, 'Orders/Api/Resource'], ['raw', 100, 'Prod/Tasks/Raw']]);
    expect(facts.groups).toEqual([expect.objectContaining({ groupName: 'errors', insights: true, filterExpression: 'annotation.tenant_tier = "gold"' })]);
    expect(facts.writePolicies.map(p => p.stackId)).toEqual(expect.arrayContaining([orders.stackId, tasks.stackId]));
  });

  test('annotation keys by source: a function\'s XRAY_ANNOTATION_KEYS, a task\'s containers, its collector (SSM parameter), a group filter', () => {
    const usages = readAnnotationKeys(model).usages.map(u => `${u.kind} ${u.key} ${u.source}`);
    expect(usages).toEqual(expect.arrayContaining([
      `${AnnotationKeySource.LAMBDA_FUNCTION} tenant_tier Orders/Checkout/Resource`,
      `${AnnotationKeySource.LAMBDA_FUNCTION} user_email Orders/Checkout/Resource`,
      `${AnnotationKeySource.ECS_TASK} route Prod/Tasks/Task/Resource`,
      `${AnnotationKeySource.COLLECTOR} client_ip Prod/Tasks/Task/Resource`,
      `${AnnotationKeySource.GROUP_FILTER} tenant_tier Orders/Errors/Resource`,
    ]));
    // A key is counted once per resource, from the first source that declares it.
    expect(usages.filter(u => u.includes(' route '))).toEqual([`${AnnotationKeySource.ECS_TASK} route Prod/Tasks/Task/Resource`]);
  });

  test('acknowledgments by construct path, whichever prefix aws-cdk-lib recorded', () => {
    expect(orders.acknowledgments['Orders/Checkout']).toEqual({ 'XRay-AnnotationKeyPolicy[denied:user_email]': 'Synthetic users only.' });
  });

  test('trace nodes carry their details', () => {
    const node = buildTraceGraph(model).nodes.find(n => n.path === 'Orders/Checkout/Resource')!;
    // The declared keys, then the ones Powertools Tracer records itself.
    expect(node.details).toMatchObject({
      tracingMode: 'Active', serviceName: 'checkout', annotationKeys: ['tenant_tier', 'user_email', 'ColdStart', 'Service'],
    });
    const task = buildTraceGraph(model).nodes.find(n => n.path === 'Prod/Tasks/Task/Resource')!;
    expect(task.details).toMatchObject({ collector: 'ADOT collector', annotationKeys: ['route'] });
  });
});

describe('readTemplateFiles: the templates a synthesis hands to its validation plugins', () => {
  test('stackTemplates (aws-cdk-lib 2.262 and later) give the same stacks as the manifest beside the templates', () => {
    const outdir = tempDir();
    buildApp(outdir).synth();
    const fromAssembly = readAssembly(outdir);
    const topLevel = fromAssembly.stacks.filter(s => s.parent === undefined);
    const sources = topLevel.map(s => ({
      templatePath: path.join(outdir, s.templateFile),
      stackPath: s.path,
      ...(s.account ? { account: s.account } : {}),
      ...(s.region ? { region: s.region } : {}),
    }));
    expect(factsOf(readTemplateFiles(sources))).toEqual(factsOf(fromAssembly));
    // templatePaths alone (aws-cdk-lib before 2.262) read the same
    expect(factsOf(readTemplateFiles(sources.map(s => ({ templatePath: s.templatePath }))))).toEqual(factsOf(fromAssembly));
  });

  test('a template with no manifest beside it is a stack named after its file, with what its source says', () => {
    const dir = tempDir();
    const file = path.join(dir, 'Moved.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'aws:cdk:path': 'S/Fn/Resource' } } } }));
    const model = readTemplateFiles([{ templatePath: file, stackPath: 'S', account: '111111111111', region: 'eu-west-1' }]);
    expect(model.stacks).toEqual([expect.objectContaining({
      stackId: 'Moved', path: 'S', displayName: 'S', account: '111111111111', region: 'eu-west-1', environment: 'aws://111111111111/eu-west-1',
    })]);
    expect(model.resourceAt('S/Fn/Resource')).toMatchObject({ key: 'Moved/Fn', type: 'AWS::Lambda::Function' });
  });

  test('an unreadable template is an input error naming the file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{ nope');
    expect(() => readTemplateFiles([{ templatePath: path.join(dir, 'Broken.template.json') }])).toThrow(TemplateInputError);
    expect(() => readTemplateFiles([{ templatePath: path.join(dir, 'Broken.template.json') }])).toThrow(/Broken\.template\.json is not valid JSON/);
  });
});

describe('TemplateModel', () => {
  test('templates in memory: paths from aws:cdk:path metadata, odd resources skipped, lookups by type', () => {
    const model = TemplateModel.ofTemplates({
      A: { Resources: { Q: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'A/Q/Resource' } }, Odd: { Properties: {} }, T: { Type: 'AWS::SNS::Topic' } } },
      B: { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: 'not an object' } } },
    });
    expect(model.resources.map(r => r.key)).toEqual(['A/Q', 'A/T', 'B/Q']);
    expect(model.resourceAt('A/Q/Resource')?.key).toBe('A/Q');
    expect(model.resourceIn('B', 'Q')?.properties).toEqual({});
    expect(model.ofType('AWS::SQS::Queue').map(r => r.key)).toEqual(['A/Q', 'B/Q']);
    expect(model.ofType('AWS::SNS::Topic', 'AWS::SQS::Queue').map(r => r.key)).toEqual(['A/Q', 'A/T', 'B/Q']);
    expect(model.stackAt('A')).toBeUndefined();
  });
});
