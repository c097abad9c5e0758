import { EdgeCollector } from './edges';
import { findContinuityBreaks } from './findings';
import { TraceEdge, TraceGraph, TraceNode, TraceNodeDetails, TraceState } from './model';
import { classify, NODE_TYPES } from './nodes';
import { DEFAULT_EVENT_BUS, TemplateIndex, TemplateResource } from './template';
import { TemplateModel } from '../template/model';

/** The resource types the builder reads besides the node types: wiring, grants and stages. */
export const READ_TYPES: ReadonlySet<string> = new Set([
  ...NODE_TYPES,
  'AWS::ApiGateway::Method', 'AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Integration',
  'AWS::AppSync::DataSource', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'AWS::SNS::Subscription', 'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::EKS::Addon', 'Custom::AWSCDK-EKS-KubernetesResource',
]);

/** Construct path segments that name no construct of the user's (the L1 under an L2, an L2's default child). */
const FILLER_SEGMENTS = new Set(['Resource', 'Default']);

/** The path segments of a node, without the stack's own path and the filler segments at the end. */
function segments(path: string | undefined, logicalId: string): string[] {
  if (path === undefined) {
    return [logicalId];
  }
  const parts = path.split('/');
  while (parts.length > 1 && FILLER_SEGMENTS.has(parts[parts.length - 1])) {
    parts.pop();
  }
  return parts;
}

/**
 * Labels: each node's last meaningful path segment (or its logical id), lengthened with parent segments where two
 * nodes would share a label.
 */
function labels(resources: Array<{ key: string; path?: string; logicalId: string }>): Map<string, string> {
  const parts = new Map(resources.map(r => [r.key, segments(r.path, r.logicalId)]));
  const depth = new Map(resources.map(r => [r.key, 1]));
  const label = (key: string) => parts.get(key)!.slice(-depth.get(key)!).join('/');
  for (let round = 0; round < 8; round++) {
    const byLabel = new Map<string, string[]>();
    resources.forEach(r => byLabel.set(label(r.key), [...(byLabel.get(label(r.key)) ?? []), r.key]));
    let changed = false;
    for (const keys of byLabel.values()) {
      for (const key of keys.length > 1 ? keys : []) {
        if (depth.get(key)! < parts.get(key)!.length) {
          depth.set(key, depth.get(key)! + 1);
          changed = true;
        }
      }
    }
    if (!changed) {
      break;
    }
  }
  return new Map(resources.map(r => [r.key, label(r.key)]));
}

/**
 * Builds the static trace graph of an app from its stacks' templates: a node for every resource that takes part in
 * a request path (see `TraceState` for what each state means), an edge for every way one hands a request to another,
 * and the continuity findings (see `findContinuityBreaks`).
 *
 * Reads the template model only, so it works on the cloud assembly of any CDK app (and on templates not made with
 * CDK), and inside `XRayChecks` on the templates the synthesis wrote. Cross-stack references resolve through the
 * exporting stack's Outputs.
 */
export function buildTraceGraph(model: TemplateModel): TraceGraph {
  const index = new TemplateIndex(model);
  const resources = index.resources.filter(r => NODE_TYPES.has(r.type));
  const keys = new Set([...resources.map(r => r.key), DEFAULT_EVENT_BUS]);
  const edges = new EdgeCollector(index, k => keys.has(k)).collect();

  const taskDefinitionOf = (service: TemplateResource) =>
    index.refs(service.stackId, service.properties.TaskDefinition).find(k => index.get(k)?.type === 'AWS::ECS::TaskDefinition');

  // The default event bus becomes a node of the stack that first refers to it.
  const busEdge = edges.find(e => e.from === DEFAULT_EVENT_BUS || e.to === DEFAULT_EVENT_BUS);
  const busStack = busEdge === undefined ? undefined : index.get(busEdge.from === DEFAULT_EVENT_BUS ? busEdge.to : busEdge.from)!.stackId;
  const busId = `${busStack}/${DEFAULT_EVENT_BUS}`;

  const named = labels(resources.map(r => ({ key: r.key, path: r.path, logicalId: r.logicalId })));
  const nodes: TraceNode[] = [];
  for (const r of resources) {
    let state: TraceState;
    let how: string;
    let taskDefinition: string | undefined;
    let details: TraceNodeDetails | undefined;
    if (r.type === 'AWS::ECS::Service') {
      const taskKey = taskDefinitionOf(r);
      const task = taskKey === undefined ? undefined : classify(index, index.get(taskKey)!);
      state = task?.state ?? TraceState.UNTRACED;
      how = taskKey === undefined || task === undefined ? 'task definition not in the assembly' : `task definition ${named.get(taskKey)}: ${task.how}`;
      taskDefinition = taskKey;
    } else {
      ({ state, how, details } = classify(index, r)!);
    }
    nodes.push({
      id: r.key,
      stackId: r.stackId,
      logicalId: r.logicalId,
      type: r.type,
      label: named.get(r.key)!,
      ...(r.path !== undefined ? { path: r.path } : {}),
      state,
      how,
      ...(taskDefinition !== undefined ? { taskDefinition } : {}),
      ...(details !== undefined ? { details } : {}),
    });
  }
  if (busStack !== undefined) {
    nodes.push({
      id: busId,
      stackId: busStack,
      logicalId: DEFAULT_EVENT_BUS,
      type: 'AWS::Events::EventBus',
      label: 'default event bus',
      state: TraceState.PASS_THROUGH,
      how: 'the account\'s default bus: forwards the context of PutEvents',
      virtual: true,
    });
  }
  const rename = (k: string) => (k === DEFAULT_EVENT_BUS ? busId : k);
  const finalEdges: TraceEdge[] = edges.map(e => ({ from: rename(e.from), to: rename(e.to), kind: e.kind }));
  return { nodes, edges: finalEdges, findings: findContinuityBreaks(nodes, finalEdges) };
}
