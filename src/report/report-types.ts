import type { CostReport, TrafficProfile } from './cost';
import type { ContinuityBreak, EdgeKind, TraceGraph, TraceState } from '../graph/model';
import type { GroupFact, SamplingRuleFact, WritePolicyFact } from '../template/facts';
import type { MigrationPart } from '../template/migration';

/**
 * The report on one cloud assembly: per stack the coverage (every node of the trace graph with its state and how it is
 * traced), the expected service map, the findings of the `XRayChecks` rules (as `cdk-xray check` finds them with default
 * options), the sampling rules and groups; and the estimated monthly cost for a traffic profile. `toJson` of this object
 * is the `--format json` output (schemaVersion 2: from 1, `findings` holds every rule's findings, not only trace
 * continuity ones, each with a `level`; `kind` is set on trace-continuity findings only). Fields added since, within
 * version 2: `migration`, and the `transactionSearch` and `applicationSignals` parts of `cost`.
 */
export interface AppReport {
  /** Changes only when a field is removed or changes meaning; fields may be added. */
  readonly schemaVersion: 2;
  /** The assembly directory as given. */
  readonly assembly: string;
  readonly totals: ReportTotals;
  readonly stacks: StackReport[];
  /** What uses an X-Ray SDK or the X-Ray daemon in the reported stacks, and what replaces it. */
  readonly migration: MigrationReport;
  /** Present when a traffic profile was given. */
  readonly cost?: CostReport;
}

export interface CoverageCounts {
  readonly total: number;
  readonly traced: number;
  readonly passThrough: number;
  readonly untraced: number;
  readonly unsupported: number;
  readonly downstream: number;
}

export interface ReportTotals extends CoverageCounts {
  readonly stacks: number;
  readonly edges: number;
  /** Findings not acknowledged; `--strict` fails when this is above 0. */
  /** Unacknowledged findings, at every level. */
  readonly findings: number;
  readonly acknowledgedFindings: number;
  /** Unacknowledged Error-level findings: what fails `cdk-xray check` with default options, and `report --strict`. */
  readonly failingFindings: number;
}

export interface NodeReport {
  /** `<stackId>/<logicalId>`, as in the edges. */
  readonly id: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly type: string;
  /** `type` for people, e.g. `Lambda function`. */
  readonly typeName: string;
  readonly label: string;
  readonly path?: string;
  /** `traced`, `pass-through`, `untraced`, `unsupported` or `downstream`. */
  readonly state: TraceState;
  readonly how: string;
  /** More about the node, from its trace-graph node's details: service name and annotation keys, access-log trace id, containers. */
  readonly details: string[];
}

export interface EdgeReport {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface FindingReport {
  /** The `XRayChecks` finding id, e.g. `XRay-TraceUntracedHop` or `XRay-AnnotationKeyPolicy[denied:user_email]`. */
  readonly rule: string;
  /** The rule's level for this finding. */
  readonly level: 'error' | 'warning' | 'info';
  /** For a trace-continuity finding, where the trace breaks. */
  readonly kind?: ContinuityBreak;
  /** The resource's key (`<stackId>/<logicalId>`, the id of its trace-graph node), or the stack id for a finding about the stack. */
  readonly nodeId: string;
  /** The resource's logical id; absent for a finding about the stack. */
  readonly logicalId?: string;
  /** The construct path of the resource, when known. */
  readonly path?: string;
  readonly message: string;
  /** The reason given with `Validations.of(scope).acknowledge(...)`, when the rule is acknowledged on the resource or a scope above it. */
  readonly acknowledged?: string;
}

export interface StackReport {
  readonly stackId: string;
  readonly displayName: string;
  readonly stackName: string;
  readonly environment?: string;
  readonly templateFile: string;
  readonly coverage: CoverageCounts & { readonly byType: Array<CoverageCounts & { readonly type: string; readonly typeName: string }> };
  /** The stack's nodes, sorted by path (or logical id). */
  readonly nodes: NodeReport[];
  /** Nodes of other stacks that edges of this stack lead to or come from. */
  readonly neighbours: NodeReport[];
  /** Edges with at least one end in this stack. */
  readonly edges: EdgeReport[];
  readonly findings: FindingReport[];
  /** In ascending priority (the order X-Ray evaluates them in). */
  readonly samplingRules: SamplingRuleFact[];
  readonly groups: GroupFact[];
  /** The IAM policies and roles of the stack that allow `xray:PutTraceSegments`. */
  readonly xrayWritePolicies: WritePolicyFact[];
  /**
   * The resources of the stack the trace graph does not model (neither a node nor wiring it reads), counted by type
   * and sorted by type: the report says nothing else about them, so a service it does not know is never mistaken for
   * a traced one. CDK's own `AWS::CDK::Metadata` is left out.
   */
  readonly notModelled: NotModelledCount[];
  /** The service map as a Mermaid flowchart. */
  readonly mermaid: string;
}

/** How many resources of one type a stack has that the trace graph does not model. */
export interface NotModelledCount {
  readonly type: string;
  readonly count: number;
}

export interface ReportOptions {
  /** The assembly directory as the user gave it (for display); default: the absolute path. */
  readonly assemblyName?: string;
  /** Report only these stacks (artifact id, display name or stack name). The graph still spans every stack. */
  readonly stacks?: string[];
  /** The traffic profile for the cost estimate, and where it came from. */
  readonly traffic?: { readonly profile: TrafficProfile; readonly source: string };
  /** A graph to report instead of building one from the assembly's templates. */
  readonly graph?: TraceGraph;
}

/**
 * The migration section of the report: every Lambda function, ECS task definition and Kubernetes manifest of the
 * reported stacks that uses an AWS X-Ray SDK or the X-Ray daemon, with what replaces it. The decision is
 * `src/template/migration.ts`'s, the one the `XRay-XRaySdkEndOfSupport` rule reports.
 */
export interface MigrationReport {
  /** When the X-Ray SDKs and daemon entered maintenance (security fixes only). */
  readonly maintenanceSince: string;
  /** When they lose support. */
  readonly endOfSupport: string;
  /** The AWS page that gives the dates. */
  readonly source: string;
  /** What must move, in stack order, then template order. */
  readonly items: MigrationItemReport[];
  /**
   * Functions that use Powertools for AWS Lambda's Tracer, which is built on the X-Ray SDK. Powertools owns that
   * dependency and its move to OpenTelemetry, so these are not listed as items: follow Powertools' releases.
   */
  readonly powertoolsFunctions: Array<{ readonly nodeId: string; readonly path?: string }>;
}

/** One resource to migrate. */
export interface MigrationItemReport {
  /** `<stackId>/<logicalId>`, as the nodes and findings name it. */
  readonly nodeId: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly path?: string;
  readonly type: string;
  /** `type` for people. */
  readonly typeName: string;
  /** The function, or each container (`Deployment/orders: app` on EKS) that uses an X-Ray SDK or the daemon. */
  readonly parts: MigrationPart[];
  /** The reason given when `XRay-XRaySdkEndOfSupport` is acknowledged on the resource. */
  readonly acknowledged?: string;
}
