import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildTraceGraph } from '../../src/graph/build';
import { TraceGraph, TraceNode } from '../../src/graph/model';
import { TemplateModel } from '../../src/template/model';
import { zipFunctionProps } from '../util';

/** An app whose templates carry construct paths, as the CDK CLI synthesizes them. */
export function cliApp(): App {
  return new App({ context: { 'aws:cdk:enable-path-metadata': true } });
}

/** A function with a tracing mode (undefined: none set). */
export function fn(scope: Stack, id: string, tracing?: lambda.Tracing): lambda.Function {
  return new lambda.Function(scope, id, { ...zipFunctionProps(), ...(tracing !== undefined ? { tracing } : {}), timeout: Duration.seconds(10) });
}

/** The graph of an app's stacks, read back from its synthesized cloud assembly. */
export function graphOf(app: App): TraceGraph {
  const assembly = app.synth();
  return buildTraceGraph(TemplateModel.ofStacks(assembly.stacks.map(s => ({ stackId: s.stackName, template: s.template }))));
}

/** The graph of raw templates by stack id. */
export function graphOfTemplates(templates: { [stackId: string]: any }): TraceGraph {
  return buildTraceGraph(TemplateModel.ofTemplates(templates));
}

/** `from -kind-> to` by label, sorted. */
export function edges(graph: TraceGraph): string[] {
  const label = (id: string) => graph.nodes.find(n => n.id === id)?.label ?? `?${id}`;
  return graph.edges.map(e => `${label(e.from)} -${e.kind}-> ${label(e.to)}`).sort();
}

/** `kind label` of each finding, sorted. */
export function breaks(graph: TraceGraph): string[] {
  const label = (id: string) => graph.nodes.find(n => n.id === id)?.label ?? `?${id}`;
  return graph.findings.map(f => `${f.kind} ${label(f.nodeId)}`).sort();
}

export function node(graph: TraceGraph, label: string): TraceNode {
  const found = graph.nodes.find(n => n.label === label);
  if (found === undefined) {
    throw new Error(`no node ${label} among ${graph.nodes.map(n => n.label).join(', ')}`);
  }
  return found;
}
