import { edge, graphOf, node, writeAssembly } from './fixtures';
import { ContinuityBreak, EdgeKind, TraceState } from '../../src/graph/model';
import { readCloudAssembly } from '../../src/report/assembly';
import { createReport, toJson } from '../../src/report/report';
import { renderText } from '../../src/report/text';
import { TemplateModel } from '../../src/template/model';

/** Two stacks: an API stack whose function sends to a queue in a worker stack, whose consumer is untraced. */
function twoStacks() {
  const dir = writeAssembly({
    Api: {
      Resources: {
        Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: true, AccessLogSetting: { Format: '{"t":"$context.xrayTraceId"}' } } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { TracingConfig: { Mode: 'Active' }, Layers: ['arn:layer'] },
          Metadata: { 'cdk-xray-constructs:tracing': { instrumentation: 'adot', serviceName: 'orders', annotationKeys: ['tier', 'kind'] } },
        },
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'orders', Priority: 10, FixedRate: 0.1, ReservoirSize: 2 } } },
      },
    },
    Worker: {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Consumer: { Type: 'AWS::Lambda::Function', Properties: {} },
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      },
    },
  });
  const stage = node('Api', 'Stage', 'AWS::ApiGateway::Stage', TraceState.TRACED, 'TracingEnabled', 'Api/Rest/DeploymentStage.prod/Resource');
  const fn = node('Api', 'Fn', 'AWS::Lambda::Function', TraceState.TRACED, 'Active, ADOT layer', 'Api/Fn/Resource',
    { tracingMode: 'Active', serviceName: 'orders', annotationKeys: ['tier', 'kind'], layers: 1 });
  const queue = node('Worker', 'Queue', 'AWS::SQS::Queue', TraceState.PASS_THROUGH, 'forwards the trace header');
  const consumer = node('Worker', 'Consumer', 'AWS::Lambda::Function', TraceState.UNTRACED, 'no tracing mode');
  const http = node('Worker', 'Http', 'AWS::ApiGatewayV2::Api', TraceState.UNSUPPORTED, 'X-Ray cannot trace HTTP APIs');
  const graph = graphOf([stage, fn, queue, consumer, http], [
    edge(stage, fn, EdgeKind.INTEGRATION), edge(fn, queue, EdgeKind.SEND), edge(queue, consumer, EdgeKind.EVENT_SOURCE),
  ], [
    { kind: ContinuityBreak.UNTRACED_HOP, nodeId: consumer.id, message: 'Consumer records nothing: turn on active tracing.' },
    { kind: ContinuityBreak.HTTP_API_ENTRY, nodeId: http.id, message: 'Http starts requests X-Ray cannot trace.' },
  ]);
  return { assembly: readCloudAssembly(dir), graph };
}

describe('createReport', () => {
  const { assembly, graph } = twoStacks();
  const report = createReport(assembly, { assemblyName: 'cdk.out', graph });
  const [api, worker] = report.stacks;

  test('coverage per stack: every node with its state and how, counted by state and by type', () => {
    expect(api.nodes.map(n => [n.logicalId, n.typeName, n.state, n.how])).toEqual([
      ['Fn', 'Lambda function', 'traced', 'Active, ADOT layer'],
      ['Stage', 'REST API stage', 'traced', 'TracingEnabled'],
    ]);
    expect(worker.coverage).toEqual({
      total: 3,
      traced: 0,
      passThrough: 1,
      untraced: 1,
      unsupported: 1,
      downstream: 0,
      byType: [
        { type: 'AWS::ApiGatewayV2::Api', typeName: 'HTTP/WebSocket API', total: 1, traced: 0, passThrough: 0, untraced: 0, unsupported: 1, downstream: 0 },
        { type: 'AWS::Lambda::Function', typeName: 'Lambda function', total: 1, traced: 0, passThrough: 0, untraced: 1, unsupported: 0, downstream: 0 },
        { type: 'AWS::SQS::Queue', typeName: 'SQS queue', total: 1, traced: 0, passThrough: 1, untraced: 0, unsupported: 0, downstream: 0 },
      ],
    });
  });

  test('details from the trace node, not the template: service name, annotation keys and layers', () => {
    expect(api.nodes.find(n => n.logicalId === 'Fn')!.details).toEqual(['service=orders', 'annotations=tier,kind', 'layers=1']);
    expect(api.nodes.find(n => n.logicalId === 'Stage')!.details).toEqual([]);
  });

  test('edges crossing stacks appear in both stacks, with the other stack\'s node as a neighbour', () => {
    expect(api.edges).toEqual([
      { from: 'Api/Stage', to: 'Api/Fn', kind: 'integration' },
      { from: 'Api/Fn', to: 'Worker/Queue', kind: 'send' },
    ]);
    expect(api.neighbours.map(n => n.id)).toEqual(['Worker/Queue']);
    expect(worker.neighbours.map(n => n.id)).toEqual(['Api/Fn']);
  });

  test('findings are those of cdk-xray check (default options): rule id, level, the resource, the message', () => {
    expect(worker.findings).toEqual([
      {
        rule: 'XRay-LambdaFunctionUntraced',
        level: 'error',
        nodeId: 'Worker/Consumer',
        logicalId: 'Consumer',
        message: 'The Lambda function has no X-Ray tracing mode.',
      },
    ]);
    expect(api.findings).toEqual([]);
  });

  test('totals over the stacks; edges counted once', () => {
    expect(report.totals).toEqual({
      stacks: 2,
      total: 5,
      traced: 2,
      passThrough: 1,
      untraced: 1,
      unsupported: 1,
      downstream: 0,
      edges: 3,
      findings: 1,
      acknowledgedFindings: 0,
      failingFindings: 1,
    });
  });

  test('sampling rules and X-Ray write policies of each stack', () => {
    expect(api.samplingRules).toEqual([expect.objectContaining({ ruleName: 'orders', priority: 10, fixedRate: 0.1, reservoirSize: 2 })]);
    expect(worker.samplingRules).toEqual([]);
  });

  test('--stack narrows the stacks reported; the graph still spans the app', () => {
    const only = createReport(assembly, { graph, stacks: ['Worker'] });
    expect(only.stacks.map(s => s.stackId)).toEqual(['Worker']);
    expect(only.stacks[0].neighbours.map(n => n.id)).toEqual(['Api/Fn']);
    expect(() => createReport(assembly, { graph, stacks: ['Nope'] })).toThrow('No stack named Nope in the assembly. Stacks: Api, Worker.');
  });

  test('a finding acknowledged on the resource or a scope above it counts as acknowledged, with its reason', () => {
    const acked = new TemplateModel(assembly.directory, assembly.stacks.map(s => (s.stackId === 'Worker'
      ? { ...s, resourcePaths: { Consumer: 'Worker/Consumer/Resource' }, acknowledgments: { 'Worker/Consumer': { 'XRay-LambdaFunctionUntraced': 'Traced by its caller.' } } } : s)));
    const r = createReport(acked, { graph });
    expect(r.stacks[1].findings[0]).toMatchObject({ rule: 'XRay-LambdaFunctionUntraced', path: 'Worker/Consumer/Resource', acknowledged: 'Traced by its caller.' });
    expect(r.totals).toMatchObject({ findings: 0, acknowledgedFindings: 1, failingFindings: 0 });
  });

  test('text: per stack the coverage table, the Mermaid map, findings, rules and policies; then totals', () => {
    const text = renderText(report);
    expect(text).toContain('Stack Api (aws://unknown-account/unknown-region, Api.template.json)');
    expect(text).toContain('  Coverage: 3 node(s): 0 traced, 1 pass-through, 1 untraced, 1 unsupported, 0 downstream');
    expect(text).toMatch(/ {4}Lambda function {8}1\/1 traced\n {4}REST API stage {9}1\/1 traced\n/);
    expect(text).toMatch(/ {4}Lambda function {8}0\/1 traced \(1 untraced\)\n/);
    expect(text).toMatch(/traced +Lambda function +Api\/Fn\/Resource +Active, ADOT layer +service=orders; annotations=tier,kind; layers=1/);
    expect(text).toContain('  Service map (Mermaid):\n    flowchart LR\n');
    expect(text).toContain('  Findings: 1\n    XRay-LambdaFunctionUntraced (error) [Consumer] The Lambda function has no X-Ray tracing mode.');
    expect(text).toMatch(/Sampling rules: 1 \(first match in ascending priority\)\n +Priority +Rule +Reservoir\/s +Fixed rate +Matches\n[- ]+\n +10 +orders +2 +10\.00% +everything/);
    expect(text).toContain('Total: 2 stack(s), 5 node(s) (2 traced, 1 pass-through, 1 untraced, 1 unsupported, 0 downstream), 3 edge(s), 1 finding(s) (1 error(s))');
  });

  test('text without Mermaid lists the edges', () => {
    expect(renderText(report, { mermaid: false })).toContain('  Service map: 2 edge(s)\n    Api/Stage --integration--> Api/Fn\n    Api/Fn --send--> Worker/Queue');
  });

  test('JSON: one document with a stable shape', () => {
    const json = JSON.parse(toJson(report));
    expect(Object.keys(json)).toEqual(['schemaVersion', 'assembly', 'totals', 'stacks', 'migration']);
    expect(json.schemaVersion).toBe(2);
    expect(Object.keys(json.stacks[0])).toEqual([
      'stackId', 'displayName', 'stackName', 'environment', 'templateFile', 'coverage', 'nodes', 'neighbours', 'edges', 'findings',
      'samplingRules', 'groups', 'xrayWritePolicies', 'notModelled', 'mermaid',
    ]);
    expect(Object.keys(json.stacks[0].nodes[0])).toEqual(['id', 'stackId', 'logicalId', 'type', 'typeName', 'label', 'path', 'state', 'how', 'details']);
  });
});

describe('report built by the trace graph from templates alone', () => {
  test('Lambda functions: only Active is traced; details from the library metadata; no path without path metadata', () => {
    const dir = writeAssembly({
      S: {
        Resources: {
          Traced: {
            Type: 'AWS::Lambda::Function',
            Properties: { TracingConfig: { Mode: 'Active' }, Layers: ['arn:layer'] },
            Metadata: { 'cdk-xray-constructs:tracing': { instrumentation: 'adot', serviceName: 'svc', annotationKeys: ['a', 'b'] } },
          },
          Plain: { Type: 'AWS::Lambda::Function', Properties: {} },
          CdkTraced: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'PassThrough' } } },
        },
      },
    });
    const report = createReport(readCloudAssembly(dir));
    const byId = Object.fromEntries(report.stacks[0].nodes.map(n => [n.logicalId, n]));
    expect(byId.Traced).toMatchObject({ state: 'traced', label: 'Traced', details: ['service=svc', 'annotations=a,b', 'layers=1'] });
    expect(byId.Traced.path).toBeUndefined();
    expect(byId.Plain.details).toEqual([]);
    expect([byId.Plain.state, byId.CdkTraced.state]).not.toContain('traced');
    expect(renderText(report)).toMatch(/Lambda function +1\/3 traced \(/);
  });

  test('a REST API lists its stages and whether their access log carries the trace id; env-declared annotation keys count', () => {
    const dir = writeAssembly({
      S: {
        Resources: {
          Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
          Prod: {
            Type: 'AWS::ApiGateway::Stage',
            Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', TracingEnabled: true, AccessLogSetting: { Format: '{"t":"$context.xrayTraceId"}' } },
          },
          Dev: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev', AccessLogSetting: { Format: '$context.requestId' } } },
          Test: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'test' } },
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { XRAY_ANNOTATION_KEYS: 'tier, kind' } } } },
        },
      },
    });
    const byId = Object.fromEntries(createReport(readCloudAssembly(dir)).stacks[0].nodes.map(n => [n.logicalId, n]));
    expect(byId.Api.details).toEqual(['stage prod: access log trace id=yes', 'stage dev: access log trace id=no', 'stage test: no access log']);
    expect(byId.Fn.details).toEqual(['annotations=tier,kind']);
  });
});
