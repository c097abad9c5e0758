import { ReportInputError } from './assembly';
import { estimateCost, TransactionSearchConfigFact } from './cost';
import { renderMermaid } from './mermaid';
import { migrationReport } from './migration';
import type { AppReport, CoverageCounts, EdgeReport, FindingReport, NodeReport, NotModelledCount, ReportOptions, StackReport } from './report-types';
import { AssemblyFinding, checkAssembly } from '../checks/assembly-findings';
import { NagMessageLevel } from '../checks/nag-values';
import { buildTraceGraph, READ_TYPES } from '../graph/build';
import { ContinuityBreak, TraceGraph, TraceNode, TraceNodeDetails, TraceState } from '../graph/model';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { factsOfStack, readTemplateFacts, TemplateFacts } from '../template/facts';
import { TemplateModel, TemplateResource, TemplateStack } from '../template/model';

export type {
  AppReport, CoverageCounts, EdgeReport, FindingReport, NodeReport, NotModelledCount, ReportOptions, ReportTotals, StackReport,
} from './report-types';

/**
 * Builds the report of an assembly (the template model `readCloudAssembly` reads): the trace graph and the facts of its
 * templates. Throws `ReportInputError` for unknown stacks or an unusable traffic profile.
 */
export function createReport(assembly: TemplateModel, options: ReportOptions = {}): AppReport {
  const graph = options.graph ?? buildTraceGraph(assembly);
  const facts = readTemplateFacts(assembly);
  const selected = selectStacks(assembly.stacks, options.stacks);
  const nodeReports = new Map(graph.nodes.map(n => [n.id, nodeReport(n)]));

  // The rules of `cdk-xray check` with default options, on the same model: the app-wide rules read every stack.
  const checked = checkAssembly(assembly, { policy: new AnnotationPolicy({ allowUndeclaredKeys: true }) }, false,
    new Set(selected.map(s => s.stackId)));
  const stacks = selected.map(stack => stackReport(assembly, stack, graph, nodeReports, facts, checked.filter(f => f.stackId === stack.stackId)));
  const rules = stacks.flatMap(s => s.samplingRules);
  // Insights processes the traces of the groups that have it on: a profile that does not say uses what the assembly's groups say.
  const insightsInAssembly = stacks.some(s => s.groups.some(g => g.insights));
  const cost = options.traffic
    ? estimateCost(rules, options.traffic.profile, options.traffic.source, insightsInAssembly, transactionSearchConfigOf(assembly))
    : undefined;

  const counts = countStates(stacks.flatMap(s => s.nodes));
  const findings = stacks.flatMap(s => s.findings);
  return {
    schemaVersion: 2,
    assembly: options.assemblyName ?? assembly.directory,
    totals: {
      stacks: stacks.length,
      ...counts,
      edges: new Set(stacks.flatMap(s => s.edges.map(edgeKey))).size,
      findings: findings.filter(f => f.acknowledged === undefined).length,
      acknowledgedFindings: findings.filter(f => f.acknowledged !== undefined).length,
      failingFindings: findings.filter(f => f.acknowledged === undefined && f.level === 'error').length,
    },
    stacks,
    migration: migrationReport(assembly, new Set(selected.map(s => s.stackId)), findings, typeNameOf),
    ...(cost ? { cost } : {}),
  };
}

/**
 * The assembly's `AWS::XRay::TransactionSearchConfig` (an account and Region singleton): the first one with a literal
 * `IndexingPercentage`, else the first one.
 */
function transactionSearchConfigOf(model: TemplateModel): TransactionSearchConfigFact | undefined {
  const configs = model.ofType('AWS::XRay::TransactionSearchConfig');
  const config = configs.find(r => typeof r.properties.IndexingPercentage === 'number') ?? configs[0];
  if (config === undefined) {
    return undefined;
  }
  const pct = config.properties.IndexingPercentage;
  return { stackId: config.stackId, logicalId: config.logicalId, ...(typeof pct === 'number' ? { indexingPercentage: pct } : {}) };
}

/** The report as the `--format json` document. */
export function toJson(report: AppReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** The `XRayChecks` rule id of a continuity break. */
export function ruleIdOf(kind: ContinuityBreak): string {
  return `XRay-Trace${kind}`;
}

/** The continuity break of each trace rule's id. */
const CONTINUITY_KINDS: ReadonlyMap<string, ContinuityBreak> = new Map(Object.values(ContinuityBreak).map(k => [ruleIdOf(k), k]));

const LEVELS: Record<NagMessageLevel, FindingReport['level']> = {
  [NagMessageLevel.ERROR]: 'error',
  [NagMessageLevel.WARN]: 'warning',
  [NagMessageLevel.INFO]: 'info',
};

const TYPE_NAMES: Record<string, string> = {
  'AWS::ApiGateway::RestApi': 'REST API',
  'AWS::ApiGateway::Stage': 'REST API stage',
  'AWS::ApiGateway::Method': 'REST API method',
  'AWS::ApiGatewayV2::Api': 'HTTP/WebSocket API',
  'AWS::ApiGatewayV2::Stage': 'HTTP/WebSocket API stage',
  'AWS::AppSync::GraphQLApi': 'AppSync API',
  'AWS::Lambda::Function': 'Lambda function',
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::SNS::Topic': 'SNS topic',
  'AWS::Events::EventBus': 'EventBridge bus',
  'AWS::Events::Rule': 'EventBridge rule',
  'AWS::Scheduler::Schedule': 'EventBridge schedule',
  'AWS::StepFunctions::StateMachine': 'state machine',
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::Kinesis::Stream': 'Kinesis stream',
  'AWS::ECS::Service': 'ECS service',
  'AWS::ECS::TaskDefinition': 'ECS task definition',
  'AWS::EKS::Cluster': 'EKS cluster',
  'Custom::AWSCDK-EKS-Cluster': 'EKS cluster',
  'Custom::AWSCDK-EKS-KubernetesResource': 'Kubernetes manifest',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load balancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'target group',
  'AWS::S3::Bucket': 'S3 bucket',
};

/** A CloudFormation type for people: `AWS::SQS::Queue` -> `SQS queue`. */
export function typeNameOf(type: string): string {
  return TYPE_NAMES[type] ?? type.replace(/^AWS::/, '').replace(/::/g, ' ');
}

const STATE_ORDER: TraceState[] = [TraceState.TRACED, TraceState.PASS_THROUGH, TraceState.UNTRACED, TraceState.UNSUPPORTED, TraceState.DOWNSTREAM];

function countStates(nodes: Array<{ state: TraceState }>): CoverageCounts {
  const n = (state: TraceState) => nodes.filter(x => x.state === state).length;
  return {
    total: nodes.length,
    traced: n(TraceState.TRACED),
    passThrough: n(TraceState.PASS_THROUGH),
    untraced: n(TraceState.UNTRACED),
    unsupported: n(TraceState.UNSUPPORTED),
    downstream: n(TraceState.DOWNSTREAM),
  };
}

/** The stacks named (artifact id, display name or stack name), or all when none is; throws `ReportInputError` for a name no stack has. */
export function selectStacks(stacks: readonly TemplateStack[], wanted: string[] | undefined): TemplateStack[] {
  if (!wanted || wanted.length === 0) {
    return [...stacks];
  }
  const unknown = wanted.filter(w => !stacks.some(s => matchesStack(s, w)));
  if (unknown.length > 0) {
    throw new ReportInputError(`No stack named ${unknown.join(', ')} in the assembly. Stacks: ${stacks.map(s => s.displayName).join(', ') || 'none'}.`);
  }
  return stacks.filter(s => wanted.some(w => matchesStack(s, w)));
}

function matchesStack(stack: TemplateStack, name: string): boolean {
  return stack.stackId === name || stack.displayName === name || stack.stackName === name;
}

function stackReport(model: TemplateModel, stack: TemplateStack, graph: TraceGraph, nodeReports: Map<string, NodeReport>,
  appFacts: TemplateFacts, checked: AssemblyFinding[]): StackReport {
  const nodes = [...nodeReports.values()].filter(n => n.stackId === stack.stackId).sort(byPath);
  const ids = new Set(nodes.map(n => n.id));
  const edges = graph.edges.filter(e => ids.has(e.from) || ids.has(e.to)).map(e => ({ from: e.from, to: e.to, kind: e.kind }));
  const neighbourIds = new Set(edges.flatMap(e => [e.from, e.to]).filter(id => !ids.has(id)));
  const neighbours = [...neighbourIds].map(id => nodeReports.get(id)).filter((n): n is NodeReport => n !== undefined).sort(byPath);

  const findings: FindingReport[] = checked.map(f => {
    const kind = CONTINUITY_KINDS.get(f.ruleId);
    return {
      rule: f.ruleId,
      level: LEVELS[f.level],
      ...(kind !== undefined ? { kind } : {}),
      nodeId: f.logicalId !== undefined ? `${f.stackId}/${f.logicalId}` : f.stackId,
      ...(f.logicalId !== undefined ? { logicalId: f.logicalId } : {}),
      ...(f.path !== undefined ? { path: f.path } : {}),
      message: f.message,
      ...(f.acknowledged !== undefined ? { acknowledged: f.acknowledged } : {}),
    };
  });

  const types = [...new Set(nodes.map(n => n.type))].sort((a, b) => typeNameOf(a).localeCompare(typeNameOf(b)));
  const facts = factsOfStack(appFacts, stack);
  return {
    stackId: stack.stackId,
    displayName: stack.displayName,
    stackName: stack.stackName,
    ...(stack.environment !== undefined ? { environment: stack.environment } : {}),
    templateFile: stack.templateFile,
    coverage: {
      ...countStates(nodes),
      byType: types.map(type => ({ type, typeName: typeNameOf(type), ...countStates(nodes.filter(n => n.type === type)) })),
    },
    nodes,
    neighbours,
    edges,
    findings,
    samplingRules: facts.samplingRules,
    groups: facts.groups,
    xrayWritePolicies: facts.writePolicies,
    notModelled: notModelledOf(model.resources.filter(r => r.stackId === stack.stackId)),
    mermaid: renderMermaid(nodes, neighbours, edges),
  };
}

/** Types the report reads besides the graph's: sampling rules and groups (its own sections), nested stacks (followed). */
const REPORTED_TYPES: ReadonlySet<string> = new Set([...READ_TYPES, 'AWS::XRay::SamplingRule', 'AWS::XRay::Group',
  'AWS::CloudFormation::Stack', 'AWS::CDK::Metadata']);

function notModelledOf(resources: readonly TemplateResource[]): NotModelledCount[] {
  const counts = new Map<string, number>();
  for (const { type } of resources) {
    if (!REPORTED_TYPES.has(type)) {
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([type, count]) => ({ type, count }));
}

function byPath(a: NodeReport, b: NodeReport): number {
  return (a.path ?? a.logicalId).localeCompare(b.path ?? b.logicalId) || STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state);
}

function edgeKey(e: EdgeReport): string {
  return `${e.from} ${e.to} ${e.kind}`;
}

function nodeReport(node: TraceNode): NodeReport {
  return {
    id: node.id,
    stackId: node.stackId,
    logicalId: node.logicalId,
    type: node.type,
    typeName: typeNameOf(node.type),
    label: node.label,
    ...(node.path !== undefined ? { path: node.path } : {}),
    state: node.state,
    how: node.how,
    details: detailsOf(node.type, node.details ?? {}),
  };
}

/**
 * A node's details for people: a function's service name, annotation keys and layer count; a REST API's stages and
 * whether their access log carries the trace id; how each container of a task definition sends traces. (A service's
 * containers are listed once, on the task definition its `how` names.)
 */
function detailsOf(type: string, details: TraceNodeDetails): string[] {
  switch (type) {
    case 'AWS::Lambda::Function':
      return [
        details.serviceName !== undefined ? `service=${details.serviceName}` : undefined,
        details.annotationKeys !== undefined && details.annotationKeys.length > 0 ? `annotations=${details.annotationKeys.join(',')}` : undefined,
        details.layers !== undefined && details.layers > 0 ? `layers=${details.layers}` : undefined,
      ].filter((d): d is string => d !== undefined);
    case 'AWS::ApiGateway::RestApi':
      return (details.stages ?? []).map(stage => `stage ${stage.name}: ${accessLogDetail(stage.accessLog)}`);
    case 'AWS::ECS::TaskDefinition':
      return (details.containers ?? []).filter(c => c.sendsTracesTo !== undefined).map(c => `${c.name}: ${c.sendsTracesTo}`);
    default:
      return [];
  }
}

/** Whether a REST API stage writes an access log that carries the trace id (to find a request's trace from its log line). */
function accessLogDetail(accessLog: { readonly carriesTraceId: boolean } | undefined): string {
  return accessLog === undefined ? 'no access log' : `access log trace id=${accessLog.carriesTraceId ? 'yes' : 'no'}`;
}
