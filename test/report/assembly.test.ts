import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { tempDir, writeAssembly } from './fixtures';
import { buildTraceGraph } from '../../src/graph/build';
import { readCloudAssembly, ReportInputError } from '../../src/report/assembly';
import { TemplateModel } from '../../src/template/model';

function fn(scope: Stack, id: string, tracing?: lambda.Tracing): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    ...(tracing !== undefined ? { tracing } : {}),
  });
}

/** An app with a top-level stack and a stack inside a Stage (a nested cloud assembly). */
function synthWithStage(context: Record<string, unknown> = {}): string {
  const outdir = tempDir();
  const app = new App({ outdir, context });
  const top = new Stack(app, 'Top');
  new sqs.Queue(top, 'Jobs');
  const prod = new Stage(app, 'Prod');
  const service = new Stack(prod, 'Service', { stackName: 'prod-service' });
  const handler = fn(service, 'Handler');
  Validations.of(handler).acknowledge({ id: 'XRay-TraceUntracedHop', reason: 'Sampled by the caller.' });
  app.synth();
  return outdir;
}

function byName(assembly: TemplateModel, displayName: string) {
  return assembly.stacks.find(s => s.displayName === displayName)!;
}

describe('readCloudAssembly', () => {
  test.each([
    ['without asset metadata', {}],
    ['with path and asset metadata, as the CDK CLI synthesizes', { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }],
  ])('reads nested stacks from their asset template files, wired to their parent (%s)', (_, context) => {
    const outdir = tempDir();
    const app = new App({ outdir, context });
    const prod = new Stage(app, 'Prod');
    const service = new Stack(prod, 'Service');
    const jobs = new sqs.Queue(service, 'Jobs');
    const inner = new NestedStack(service, 'Inner');
    const worker = fn(inner, 'Worker', lambda.Tracing.ACTIVE);
    jobs.grantSendMessages(worker);
    const api = new apigateway.RestApi(service, 'Api', { deployOptions: { tracingEnabled: true } });
    api.root.addMethod('GET', new apigateway.LambdaIntegration(worker));
    app.synth();

    const assembly = readCloudAssembly(outdir);
    expect(assembly.stacks.map(s => s.displayName)).toEqual(['Prod/Service', 'Prod/Service/Inner']);
    const nested = byName(assembly, 'Prod/Service/Inner');
    expect(nested.templateFile).toMatch(/^assembly-Prod\/.*\.nested\.template\.json$/);
    expect(nested.parent).toEqual({ stackId: byName(assembly, 'Prod/Service').stackId, logicalId: expect.stringMatching(/^InnerNestedStack/) });
    const [logicalId] = Object.entries<any>(nested.template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    expect(nested.resourcePaths[logicalId]).toBe('Prod/Service/Inner/Worker/Resource');

    const graph = buildTraceGraph(assembly);
    const label = (id: string) => graph.nodes.find(n => n.id === id)!.label;
    expect(graph.edges.map(e => `${label(e.from)} -${e.kind}-> ${label(e.to)}`).sort()).toEqual([
      'Api -integration-> Worker',
      'Worker -send-> Jobs',
    ]);
  });

  test('a nested stack whose template file is missing is unusable input', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const service = new Stack(app, 'Service');
    fn(new NestedStack(service, 'Inner'), 'Worker');
    app.synth();
    const file = fs.readdirSync(outdir).find(f => f.endsWith('.nested.template.json'))!;
    fs.rmSync(path.join(outdir, file));
    expect(() => readCloudAssembly(outdir)).toThrow(ReportInputError);
    expect(() => readCloudAssembly(outdir)).toThrow(/nested\.template\.json cannot be read/);
  });

  test('reads top-level stacks and the stacks of nested Stage assemblies', () => {
    const assembly = readCloudAssembly(synthWithStage());
    expect(assembly.stacks.map(s => [s.displayName, s.stackName]).sort()).toEqual([
      ['Prod/Service', 'prod-service'],
      ['Top', 'Top'],
    ]);
    const service = byName(assembly, 'Prod/Service');
    expect(service.templateFile).toMatch(/^assembly-Prod\/.*\.template\.json$/);
    expect(Object.values<any>(service.template.Resources).map(r => r.Type)).toContain('AWS::Lambda::Function');
    expect(service.path).toBe('Prod/Service');
  });

  test('construct paths come from the stack metadata when the templates carry no aws:cdk:path', () => {
    const assembly = readCloudAssembly(synthWithStage());
    const service = byName(assembly, 'Prod/Service');
    const [logicalId, resource] = Object.entries<any>(service.template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    expect(service.resourcePaths[logicalId]).toBe('Prod/Service/Handler/Resource');
    expect(resource.Metadata['aws:cdk:path']).toBe('Prod/Service/Handler/Resource');
  });

  test('templates that carry aws:cdk:path keep it', () => {
    const assembly = readCloudAssembly(synthWithStage({ 'aws:cdk:enable-path-metadata': true }));
    const top = byName(assembly, 'Top');
    const [logicalId, resource] = Object.entries<any>(top.template.Resources).find(([, r]) => r.Type === 'AWS::SQS::Queue')!;
    expect(resource.Metadata['aws:cdk:path']).toBe('Top/Jobs/Resource');
    expect(top.resourcePaths[logicalId]).toBe('Top/Jobs/Resource');
  });

  test('reads rule acknowledgments by construct path', () => {
    const service = byName(readCloudAssembly(synthWithStage()), 'Prod/Service');
    expect(service.acknowledgments['Prod/Service/Handler']).toEqual({ 'XRay-TraceUntracedHop': 'Sampled by the caller.' });
  });

  test('an assembly without metadata files and without path metadata (as other tools and languages may write it)', () => {
    const dir = writeAssembly({ Api: { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } } } });
    const [stack] = readCloudAssembly(dir).stacks;
    expect(stack).toMatchObject({ stackId: 'Api', displayName: 'Api', stackName: 'Api', templateFile: 'Api.template.json', resourcePaths: {} });
    expect(stack.template.Resources.Fn).toEqual({ Type: 'AWS::Lambda::Function', Properties: {} });
  });

  test('clear errors for a missing directory, a directory that is not an assembly and a broken template', () => {
    expect(() => readCloudAssembly('/nonexistent/cdk.out')).toThrow(ReportInputError);
    expect(() => readCloudAssembly('/nonexistent/cdk.out')).toThrow(/is not a directory.*cdk synth/);
    expect(() => readCloudAssembly(tempDir())).toThrow(/manifest\.json not found: the directory is not a cloud assembly/);
    const dir = writeAssembly({ Broken: {} });
    fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{ nope');
    expect(() => readCloudAssembly(dir)).toThrow(/Broken\.template\.json is not valid JSON/);
  });
});
