import { NagRuleCompliance } from './nag-values';
import { buildTraceGraph } from '../graph/build';
import { ContinuityBreak, ContinuityFinding, TraceGraph, TraceNode } from '../graph/model';
import { TemplateModel, TemplateResource } from '../template/model';

/** The trace graph of the app being validated, with its nodes and findings by the resource (key) they are about. */
export interface TraceFacts {
  readonly graph: TraceGraph;
  /** Nodes by id, which is the key (`<stackId>/<logicalId>`) of the resource a node stands for. */
  readonly nodeByResource: ReadonlyMap<string, TraceNode>;
  readonly findingsByResource: ReadonlyMap<string, ContinuityFinding[]>;
  /** The task definitions an ECS service of the app runs (node ids). */
  readonly taskDefinitionsOfServices: ReadonlySet<string>;
}

/**
 * Builds the trace graph of the whole app from the template model, the same graph `cdk-xray report` builds from the
 * assembly directory. Stacks are identified by their artifact ids, so stacks in different stages never clash.
 */
export function collectTraceFacts(model: TemplateModel): TraceFacts {
  const graph = buildTraceGraph(model);
  const findingsByResource = new Map<string, ContinuityFinding[]>();
  for (const f of graph.findings) {
    const known = findingsByResource.get(f.nodeId);
    if (known === undefined) {
      findingsByResource.set(f.nodeId, [f]);
    } else {
      known.push(f);
    }
  }
  return {
    graph,
    nodeByResource: new Map(graph.nodes.map(n => [n.id, n])),
    findingsByResource,
    taskDefinitionsOfServices: new Set(graph.nodes.map(n => n.taskDefinition).filter((id): id is string => id !== undefined)),
  };
}

/**
 * The compliance of one resource for one kind of trace break: not applicable unless the resource is a node of the
 * trace graph that `appliesTo` accepts, else non-compliant when the graph found that break on it.
 */
export function continuityCompliance(facts: TraceFacts, resource: TemplateResource, kind: ContinuityBreak,
  appliesTo: (traceNode: TraceNode) => boolean): NagRuleCompliance {
  const traceNode = facts.nodeByResource.get(resource.key);
  if (traceNode === undefined || !appliesTo(traceNode)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(resource.key) ?? []).some(f => f.kind === kind);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
