/**
 * The static trace graph: the request paths of an app as its synthesized CloudFormation templates describe them, with
 * what each hop records and forwards to X-Ray. Built from template JSON only, so it works on the cloud assembly of any
 * CDK app (TypeScript, Python, Java, with or without this library) and inside `XRayChecks` during synthesis.
 *
 * Internal: the graph is not part of the jsii API; `XRayChecks` and the `cdk-xray` command are its public faces.
 */

/** One stack's template, as the graph reads it. */
export interface StackTemplate {
  /** The stack's artifact id (the cloud assembly's name for it). */
  readonly stackId: string;
  /** The CloudFormation template (Resources, Outputs, ...). */
  readonly template: any;
}

/** What a node does with a trace. */
export enum TraceState {
  /** Records segments (Lambda Active, REST stage TracingEnabled, state machine tracing, a task with a collector). */
  TRACED = 'traced',
  /** Forwards the trace header but records nothing (Lambda PassThrough, SNS PassThrough, SQS, EventBridge bus, ALB). */
  PASS_THROUGH = 'pass-through',
  /** Could be traced and is not: a trace breaks or goes missing here. */
  UNTRACED = 'untraced',
  /** X-Ray cannot trace this kind of resource at all (HTTP and WebSocket APIs, scheduled rules). */
  UNSUPPORTED = 'unsupported',
}

/** One resource on a request path. */
export interface TraceNode {
  /** `<stackId>/<logicalId>`: unique across the assembly. */
  readonly id: string;
  readonly stackId: string;
  readonly logicalId: string;
  /** The CloudFormation type, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  /** A short human label: the construct path's last meaningful segment, else the logical id. */
  readonly label: string;
  /** The construct path from `aws:cdk:path` metadata, when the template carries it. */
  readonly path?: string;
  readonly state: TraceState;
  /** How it is traced or why it is not, for people: `Active, ADOT layer`, `ADOT collector sidecar`, `PassThrough`. */
  readonly how: string;
}

/** How one node hands a request (and its trace header) to the next. */
export enum EdgeKind {
  /** API Gateway REST method -> Lambda (AWS_PROXY / AWS integration). */
  INTEGRATION = 'integration',
  /** Lambda/ECS -> Lambda (lambda:InvokeFunction grant). */
  INVOKE = 'invoke',
  /** -> SQS queue (sqs:SendMessage grant). */
  SEND = 'send',
  /** -> SNS topic (sns:Publish grant). */
  PUBLISH = 'publish',
  /** -> EventBridge bus (events:PutEvents grant). */
  PUT_EVENTS = 'put-events',
  /** -> Step Functions state machine (states:StartExecution grant). */
  START_EXECUTION = 'start-execution',
  /** -> DynamoDB table (dynamodb:* data grants). */
  DATA = 'data',
  /** SQS / DynamoDB stream / Kinesis -> Lambda (event source mapping). */
  EVENT_SOURCE = 'event-source',
  /** SNS topic -> subscriber. */
  SUBSCRIPTION = 'subscription',
  /** EventBridge rule (or its bus) -> target. */
  RULE_TARGET = 'rule-target',
  /** Load balancer -> ECS service (target group). */
  LOAD_BALANCER = 'load-balancer',
  /** State machine task -> the resource it calls. */
  STATE_MACHINE_TASK = 'state-machine-task',
}

export interface TraceEdge {
  /** Node id of the caller. */
  readonly from: string;
  /** Node id of the callee. */
  readonly to: string;
  readonly kind: EdgeKind;
}

/** The kinds of break the graph finds; each is one `XRayChecks` rule (`XRay-Trace<Kind>`). */
export enum ContinuityBreak {
  /** A node on a traced path that records nothing although it could. */
  UNTRACED_HOP = 'UntracedHop',
  /** A request path starts at an HTTP or WebSocket API, which X-Ray cannot trace. */
  HTTP_API_ENTRY = 'HttpApiEntry',
  /** A rule with a schedule or an AWS-service event pattern starts a new trace at its targets. */
  EVENT_SOURCE_WITHOUT_CONTEXT = 'EventSourceWithoutContext',
  /** An SNS topic in PassThrough between traced services: the hop is missing from the service map. */
  PASS_THROUGH_TOPIC = 'PassThroughTopic',
  /** An ECS service whose task definition has no collector or daemon. */
  ECS_SERVICE_WITHOUT_COLLECTOR = 'EcsServiceWithoutCollector',
}

export interface ContinuityFinding {
  readonly kind: ContinuityBreak;
  /** The node the finding is about (the resource an acknowledgment goes on). */
  readonly nodeId: string;
  /** What breaks and how to fix it, naming the neighbours involved. */
  readonly message: string;
}

export interface TraceGraph {
  readonly nodes: TraceNode[];
  readonly edges: TraceEdge[];
  readonly findings: ContinuityFinding[];
}
