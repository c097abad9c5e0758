import { CfnOutput, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { logicalIdOf, propertiesOf } from './rule-helpers';
import { buildTraceGraph, READ_TYPES } from '../graph/build';
import { ContinuityBreak, ContinuityFinding, StackTemplate, TraceGraph, TraceNode } from '../graph/model';
import { TRACING_METADATA_KEY } from '../private/metadata';

/** The trace graph of the app being validated, with its nodes and findings by the resource they are about. */
export interface TraceFacts {
  readonly graph: TraceGraph;
  readonly nodeByResource: Map<CfnResource, TraceNode>;
  readonly findingsByResource: Map<CfnResource, ContinuityFinding[]>;
}

export const EMPTY_TRACE_FACTS: TraceFacts = {
  graph: { nodes: [], edges: [], findings: [] },
  nodeByResource: new Map(),
  findingsByResource: new Map(),
};

/** The metadata the graph reads besides the construct path (how this library instrumented a function). */
const READ_METADATA = [TRACING_METADATA_KEY];

/**
 * Builds the trace graph of the whole app `scope` belongs to, from the same CloudFormation the templates hold: the
 * resources the graph reads, rendered once per validation run (and shared with the rules), and the stacks' exports
 * (for cross-stack references). Stacks are identified by construct path, so stacks in different stages never clash.
 */
export function collectTraceFacts(scope: IConstruct): TraceFacts {
  const templates = new Map<Stack, { Resources: Record<string, any>; Outputs: Record<string, any> }>();
  const resourceByKey = new Map<string, CfnResource>();
  const templateOf = (stack: Stack) => {
    let t = templates.get(stack);
    if (t === undefined) {
      t = { Resources: {}, Outputs: {} };
      templates.set(stack, t);
    }
    return t;
  };
  for (const construct of scope.node.root.node.findAll()) {
    const nestedStackResource = CfnResource.isCfnResource(construct) && construct.cfnResourceType === 'AWS::CloudFormation::Stack';
    if (CfnResource.isCfnResource(construct) && (READ_TYPES.has(construct.cfnResourceType) || nestedStackResource)) {
      const stack = Stack.of(construct);
      const logicalId = logicalIdOf(construct);
      const metadata: Record<string, any> = { 'aws:cdk:path': construct.node.path };
      for (const key of READ_METADATA) {
        const value = construct.getMetadata(key);
        if (value !== undefined) {
          metadata[key] = value;
        }
      }
      templateOf(stack).Resources[logicalId] = { Type: construct.cfnResourceType, Properties: propertiesOf(construct), Metadata: metadata };
      resourceByKey.set(`${stack.node.path}/${logicalId}`, construct);
    } else if (construct instanceof CfnOutput && (construct.exportName !== undefined || NestedStack.isNestedStack(Stack.of(construct)))) {
      const stack = Stack.of(construct);
      Object.assign(templateOf(stack).Outputs, stack.resolve((construct as any)._toCloudFormation()).Outputs ?? {});
    }
  }
  const stacks: StackTemplate[] = [...templates].map(([stack, template]) => {
    // A nested stack's parameters and outputs are wired through the parent's AWS::CloudFormation::Stack resource.
    const resource = NestedStack.isNestedStack(stack) ? stack.nestedStackResource : undefined;
    return resource === undefined
      ? { stackId: stack.node.path, template }
      : { stackId: stack.node.path, template, parent: { stackId: Stack.of(resource).node.path, logicalId: logicalIdOf(resource) } };
  });
  const graph = buildTraceGraph(stacks);
  const nodeByResource = new Map<CfnResource, TraceNode>();
  const byId = new Map<string, CfnResource>();
  for (const n of graph.nodes) {
    const resource = resourceByKey.get(n.id);
    if (resource !== undefined) {
      nodeByResource.set(resource, n);
      byId.set(n.id, resource);
    }
  }
  const findingsByResource = new Map<CfnResource, ContinuityFinding[]>();
  for (const f of graph.findings) {
    const resource = byId.get(f.nodeId);
    if (resource !== undefined) {
      findingsByResource.set(resource, [...(findingsByResource.get(resource) ?? []), f]);
    }
  }
  return { graph, nodeByResource, findingsByResource };
}

/**
 * The compliance of one resource for one kind of trace break: not applicable unless the resource is a node of the
 * trace graph that `appliesTo` accepts, else non-compliant when the graph found that break on it.
 */
export function continuityCompliance(facts: TraceFacts, node: CfnResource, kind: ContinuityBreak,
  appliesTo: (traceNode: TraceNode) => boolean): NagRuleCompliance {
  const traceNode = facts.nodeByResource.get(node);
  if (traceNode === undefined || !appliesTo(traceNode)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(node) ?? []).some(f => f.kind === kind);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
