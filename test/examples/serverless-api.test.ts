import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ServerlessApiStack } from '../../examples/serverless-api/stack';
import { assemblyOfTemplates } from '../../src/report/assembly';
import { createReport } from '../../src/report/report';
import { acknowledgedIds } from '../util';

/** Constructs made by cdk-xray-constructs itself (not by aws-cdk-lib classes it extends, nor by the app). */
const LIBRARY_MADE = [/\/XRayWritePolicy(\/|$)/, /\/AccessLogs(\/|$)/, /\/AdotLayer$/, /\/CdkXRayAdotLayers/, /\/PowertoolsLayer$/, /\/CdkXRayPowertoolsLayers/];

function findings(stack: Stack): Array<{ rule: string; path: string }> {
  const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
  // validateScope reports violatingResources; the synth-time report calls them violatingConstructs.
  return report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((c: any) => ({ rule: v.ruleName as string, path: c.constructPath as string })));
}

function acknowledgments(root: IConstruct): Array<{ path: string; ids: string[] }> {
  return root.node.findAll()
    .map(c => ({ path: c.node.path, ids: acknowledgedIds(c) }))
    .filter(x => x.ids.length > 0);
}

describe('examples/serverless-api', () => {
  const stack = new ServerlessApiStack(new App(), 'ServerlessApi');
  const template = Template.fromStack(stack);
  const [report] = createReport(assemblyOfTemplates({ ServerlessApi: template.toJSON() })).stacks;
  const functions = report.nodes.filter(n => n.type === 'AWS::Lambda::Function');

  test('every function has active tracing and the right instrumentation', () => {
    expect(functions).toHaveLength(2);
    expect(functions.map(f => [f.state, f.details[0]])).toEqual(expect.arrayContaining([
      ['traced', 'service=items-writer'],
      ['traced', 'service=items-reader'],
    ]));
    expect(functions.find(f => f.details[0] === 'service=items-writer')!.how).toMatch(/Powertools/);
    expect(functions.find(f => f.details[0] === 'service=items-reader')!.how).toMatch(/ADOT/);
  });

  test('the writer gets the Tracer from the Powertools layer (a mapping by region), the reader the distro\'s layer; no node_modules in the asset', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const layersOf = (handler: string) => Object.values<any>(fns).find(f => f.Properties.Handler === handler)!.Properties.Layers;
    expect(layersOf('write-item.handler')).toEqual([
      { 'Fn::FindInMap': ['CdkXRayPowertoolsLayersAWSLambdaPowertoolsTypeScriptV2', { Ref: 'AWS::Region' }, 'arn'] },
    ]);
    expect(layersOf('read-item.handler')).toEqual([{ 'Fn::FindInMap': ['CdkXRayAdotLayersJs', { Ref: 'AWS::Region' }, 'arn'] }]);
  });

  test('the handlers\' own node_modules stay out of the asset (the Tracer comes from the layer)', () => {
    // GIVEN installed dependencies in the handlers folder, as `npm ci` leaves them
    const modules = path.join(__dirname, '..', '..', 'examples', 'serverless-api', 'handlers', 'node_modules');
    const made = !fs.existsSync(modules);
    if (made) {
      fs.mkdirSync(path.join(modules, 'probe'), { recursive: true });
      fs.writeFileSync(path.join(modules, 'probe', 'index.js'), '');
    }
    try {
      // WHEN the app synthesizes
      const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
      const probe = new ServerlessApiStack(app, 'ServerlessApi');
      const assembly = app.synth();
      // THEN the staged asset of the functions has the handlers and no node_modules
      const code = Object.values<any>(Template.fromStack(probe).findResources('AWS::Lambda::Function'))[0].Metadata['aws:asset:path'];
      const staged = fs.readdirSync(path.join(assembly.directory, code));
      expect(staged).toEqual(expect.arrayContaining(['write-item.js', 'read-item.js']));
      expect(staged).not.toContain('node_modules');
    } finally {
      if (made) {
        fs.rmSync(modules, { recursive: true, force: true });
      }
    }
  });

  test('the writer\'s indexed keys: the declared item_kind and the two the Tracer records, within the default policy', () => {
    const writer = functions.find(f => f.details[0] === 'service=items-writer')!;
    expect(writer.details).toEqual(expect.arrayContaining([expect.stringContaining('item_kind')]));
    const metadata = Object.values<any>(template.findResources('AWS::Lambda::Function'))
      .find(f => f.Properties.Handler === 'write-item.handler')!.Metadata['cdk-xray-constructs:tracing'];
    expect(metadata.recordedAnnotations).toEqual({ by: 'Powertools Tracer', keys: ['ColdStart', 'Service'] });
  });

  test('the stage has tracing on and a trace-aware access log', () => {
    const apis = report.nodes.filter(n => n.type === 'AWS::ApiGateway::RestApi');
    expect(apis.map(a => [a.state, a.details])).toEqual([['traced', ['stage prod: access log trace id=yes']]]);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('exactly one policy in the stack carries xray:PutTraceSegments, attached to both function roles', () => {
    expect(report.xrayWritePolicies).toEqual([expect.objectContaining({ type: 'AWS::IAM::ManagedPolicy', principals: 2 })]);
  });

  test('routes: POST /items and GET /items/{pk}, IAM-authorized and validated', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'AWS_IAM', RequestParameters: { 'method.request.path.pk': true } });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{pk}' });
  });

  test('cdk-nag AwsSolutions: no finding at all once the app records its acknowledgments', () => {
    expect(findings(stack)).toEqual([]);
  });

  test('cdk-nag AwsSolutions without the app\'s acknowledgments: none of the findings is on a construct the library made', () => {
    const bare = new ServerlessApiStack(new App(), 'ServerlessApi', { acknowledgeFindings: false });
    const all = findings(bare);
    expect(all.map(f => f.rule).sort()).toEqual(['AwsSolutions-APIG3', 'AwsSolutions-COG4', 'AwsSolutions-COG4']);
    expect(all.filter(f => LIBRARY_MADE.some(p => p.test(f.path)))).toEqual([]);
  });

  test('the only acknowledgment on a construct the library made is IAM5 on the X-Ray write policy resource itself', () => {
    const onLibrary = acknowledgments(stack).filter(a => LIBRARY_MADE.some(p => p.test(a.path)));
    expect(onLibrary).toEqual([{ path: 'ServerlessApi/XRayWritePolicy/Resource/Resource', ids: ['AwsSolutions-IAM5[Resource::*]'] }]);
  });
});
