import { edge, graphOf, node, writeAssembly } from './fixtures';
import { EdgeKind, TraceState } from '../../src/graph/model';
import { readCloudAssembly } from '../../src/report/assembly';
import { renderHtml } from '../../src/report/html';
import { layeredLayout } from '../../src/report/layout';
import { renderMermaid } from '../../src/report/mermaid';
import { createReport, NodeReport } from '../../src/report/report';

function nodeReport(id: string, state: TraceState, label = id): NodeReport {
  return { id: `S/${id}`, stackId: 'S', logicalId: id, type: 'AWS::Lambda::Function', typeName: 'Lambda function', label, state, how: 'x', details: [] };
}

describe('Mermaid service map', () => {
  test('nodes classed by state, edges labelled by kind, other stacks dashed', () => {
    const a = nodeReport('A', TraceState.TRACED);
    const b = nodeReport('B', TraceState.UNTRACED, 'say "hi" <b>|[x]');
    const ext = { ...nodeReport('Q', TraceState.PASS_THROUGH), id: 'T/Q', stackId: 'T' };
    const text = renderMermaid([a, b], [ext], [
      { from: a.id, to: b.id, kind: EdgeKind.INVOKE }, { from: b.id, to: ext.id, kind: EdgeKind.SEND }, { from: a.id, to: 'X/missing', kind: EdgeKind.SEND },
    ]);
    expect(text.split('\n')).toEqual([
      'flowchart LR',
      '  n0["A<br/><small>Lambda function · traced</small>"]',
      '  class n0 traced',
      '  n1["say #34;hi#34; #60;b#62;#124;#91;x#93;<br/><small>Lambda function · untraced</small>"]',
      '  class n1 untraced',
      '  n2["T/Q<br/><small>Lambda function · pass-through</small>"]',
      '  class n2 passThrough,external',
      '  n0 -->|invoke| n1',
      '  n1 -->|send| n2',
      expect.stringMatching(/^ {2}classDef traced /),
      expect.stringMatching(/^ {2}classDef passThrough /),
      expect.stringMatching(/^ {2}classDef untraced /),
      expect.stringMatching(/^ {2}classDef unsupported /),
      expect.stringMatching(/^ {2}classDef downstream /),
      '  classDef external stroke-dasharray:5 3',
    ]);
  });
});

describe('layered layout', () => {
  test('requests flow left to right: each edge goes to a later layer; loose nodes go below', () => {
    const layout = layeredLayout(['api', 'fn', 'queue', 'worker', 'table', 'alone'], [
      { from: 'api', to: 'fn' }, { from: 'fn', to: 'queue' }, { from: 'queue', to: 'worker' }, { from: 'fn', to: 'table' }, { from: 'worker', to: 'table' },
    ]);
    const at = Object.fromEntries(layout.nodes.map(n => [n.id, n]));
    expect([at.api.layer, at.fn.layer, at.queue.layer, at.worker.layer, at.table.layer]).toEqual([0, 1, 2, 3, 4]);
    expect(at.alone.layer).toBe(-1);
    expect(at.alone.y).toBeGreaterThan(Math.max(...layout.nodes.filter(n => n.layer >= 0).map(n => n.y + n.height)));
    for (const n of layout.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges).toHaveLength(5);
    expect(layout.edges[0].path).toMatch(/^M [\d.]+ [\d.]+ C /);
  });

  test('cycles and self-loops are drawn without looping forever; nodes of a layer do not overlap', () => {
    const layout = layeredLayout(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'a', to: 'c' }, { from: 'a', to: 'd' }, { from: 'c', to: 'c' }]);
    const at = Object.fromEntries(layout.nodes.map(n => [n.id, n]));
    expect(at.a.layer).toBe(0);
    expect([at.b.layer, at.c.layer, at.d.layer]).toEqual([1, 1, 1]);
    const ys = [at.b.y, at.c.y, at.d.y].sort((x, y) => x - y);
    expect(ys[1] - ys[0]).toBeGreaterThanOrEqual(at.b.height);
    expect(ys[2] - ys[1]).toBeGreaterThanOrEqual(at.b.height);
    expect(layout.edges).toHaveLength(5);
  });

  test('an empty graph has only margins', () => {
    expect(layeredLayout([], [])).toMatchObject({ nodes: [], edges: [], width: 48, height: 24 });
  });
});

describe('HTML report', () => {
  const dir = writeAssembly({
    S: {
      Resources: {
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'r<1>', Priority: 1, FixedRate: 0.5, ReservoirSize: 1 } } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'aws:cdk:path': 'S/Fn/Resource' } },
      },
    },
  });
  const api = node('S', 'Api', 'AWS::ApiGateway::Stage', TraceState.TRACED, 'TracingEnabled');
  const fn = node('S', 'Fn', 'AWS::Lambda::Function', TraceState.UNTRACED, 'no <tracing>', 'S/Fn/Resource');
  const graph = graphOf([api, fn], [edge(api, fn, EdgeKind.INTEGRATION)],
    [{ kind: 'UntracedHop' as any, nodeId: fn.id, message: 'Fn & co record nothing.' }]);
  const html = renderHtml(createReport(readCloudAssembly(dir), { assemblyName: 'cdk.out', graph }));

  test('self-contained: no scripts, no external stylesheets, fonts or images', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|@import|\bsrc=|url\((?!#)|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  test('an SVG service map with nodes and edges carrying data attributes', () => {
    expect(html).toContain('<svg class="service-map"');
    expect(html).toMatch(/<g class="node" data-id="S\/Api" data-state="traced" data-type="AWS::ApiGateway::Stage"/);
    expect(html).toMatch(/<g class="node" data-id="S\/Fn" data-state="untraced" data-type="AWS::Lambda::Function"/);
    expect(html).toMatch(/<g class="edge" data-from="S\/Api" data-to="S\/Fn" data-kind="integration"><path d="M [^"]+" marker-end="url\(#arrow-0\)"\/>/);
    expect(html).toContain('>integration</text>');
  });

  test('coverage table, findings and sampling rules, with text escaped', () => {
    expect(html).toContain('<tr data-id="S/Fn"><td class="state-untraced">untraced</td><td>Lambda function</td><td><code>S/Fn/Resource</code></td><td>no &lt;tracing&gt;</td>');
    expect(html).toContain('<li class="finding" data-rule="XRay-LambdaFunctionUntraced" data-level="error" data-node="S/Fn"><span class="rule">XRay-LambdaFunctionUntraced</span> (error) <code>S/Fn/Resource</code>: The Lambda function has no X-Ray tracing mode.</li>');
    expect(html).toContain('<td>r&lt;1&gt;</td>');
    expect(html).toContain('data-findings="1"');
  });
});
