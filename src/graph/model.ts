/**
 * The static trace graph: the request paths of an app as its synthesized CloudFormation templates describe them, with
 * what each hop records and forwards to X-Ray. Built from template JSON only, so it works on the cloud assembly of any
 * CDK app (TypeScript, Python, Java, with or without this library) and inside `XRayChecks` during synthesis.
 *
 * It reads the one model of the templates (`src/template/`), and each node carries what the templates say about it
 * (`TraceNodeDetails`), so the checks and the report read a node's details from the node.
 *
 * Internal: the graph is not part of the jsii API; `XRayChecks` and the `cdk-xray` command are its public faces.
 */

/**
 * What a node does with a trace.
 *
 * "Context" below is the trace header (`X-Amzn-Trace-Id`, or SQS's `AWSTraceHeader` attribute) with its sampling
 * decision; a node "records" when it sends segments to X-Ray.
 */
export enum TraceState {
  /**
   * Records every request that arrives sampled and starts (samples) a trace for a request that arrives without
   * context: Lambda `Active`, a REST API whose stages have `TracingEnabled`, a state machine with tracing, an AppSync
   * API with `XrayEnabled`, an SNS topic with `Active` tracing, an ECS task (or service) with a collector or daemon.
   */
  TRACED = 'traced',
  /**
   * Forwards context and starts nothing: SQS queues, SNS topics in `PassThrough`, EventBridge buses and rules matching
   * an event pattern, load balancers and target groups. A Lambda function in `PassThrough` (set, or Lambda's default
   * when no mode is set) is also here: it records only requests its caller sampled and never starts a trace, so as
   * an entry point it records nothing and its downstream calls carry no sampled context.
   */
  PASS_THROUGH = 'pass-through',
  /**
   * Could record and does not: a state machine without tracing, a REST API with no traced stage, an AppSync API
   * without `XrayEnabled`, an ECS task (or service) with no collector or daemon. Context that reaches it stops here.
   */
  UNTRACED = 'untraced',
  /**
   * X-Ray cannot trace it and it carries no context: HTTP and WebSocket APIs, EventBridge rules on a schedule or on
   * AWS service events, EventBridge Scheduler schedules. What it calls starts new traces.
   */
  UNSUPPORTED = 'unsupported',
  /**
   * A data store its callers' instrumented SDKs record as a downstream node (DynamoDB tables, Kinesis streams): it shows
   * on the service map when a caller records, starts nothing, and its streams carry no context to their consumers.
   */
  DOWNSTREAM = 'downstream',
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
  /**
   * True for a node no template declares: the account's default EventBridge bus, which rules without `EventBusName`
   * and `events:PutEvents` grants on `event-bus/default` refer to (one node for the whole assembly).
   */
  readonly virtual?: boolean;
  /** For an ECS service: the node id of the task definition it runs. */
  readonly taskDefinition?: string;
  /** What the templates say about the node beyond its state (absent for a node no template declares). */
  readonly details?: TraceNodeDetails;
}

/** What the templates say about a node beyond its trace state; each field only where it applies and is known. */
export interface TraceNodeDetails {
  /** Lambda: the tracing mode the template sets (`Active`, `PassThrough`); absent when it sets none. */
  readonly tracingMode?: string;
  /**
   * Lambda: what instruments the code, from this library's metadata, the layers and the environment (`ADOT`,
   * `Powertools Tracer`, `ADOT layer`, `exec wrapper /opt/otel-handler`, `OTEL_* settings`...).
   */
  readonly instrumentation?: string[];
  /** The service (segment) name this library's tracing metadata records. */
  readonly serviceName?: string;
  /**
   * The annotation keys the resource declares: those this library's tracing metadata records, else those of
   * `XRAY_ANNOTATION_KEYS` (a function's environment, a task's containers).
   */
  readonly annotationKeys?: string[];
  /** Lambda: how many layers the function has. */
  readonly layers?: number;
  /** REST API: its stages (`AWS::ApiGateway::Stage`, or a deployment that creates its stage). */
  readonly stages?: StageDetails[];
  /**
   * ECS task definition: its trace collector or daemon, or `X-Ray OTLP endpoint` when its SDKs export there with no
   * sidecar, as `traceCollectorOf` names it.
   */
  readonly collector?: string;
  /** ECS task definition: its containers and where each sends traces. */
  readonly containers?: ContainerDetails[];
}

/** One stage of a REST API. */
export interface StageDetails {
  readonly name: string;
  readonly tracingEnabled: boolean;
  /** Whether it writes an access log, and whether the log's format carries `$context.xrayTraceId`. */
  readonly accessLog?: { readonly carriesTraceId: boolean };
}

/** One container of an ECS task definition. */
export interface ContainerDetails {
  readonly name: string;
  /**
   * Where its code sends traces, from its environment (`OTLP http://localhost:4318 sampler=always_on`,
   * `OTLP http://localhost:4316/v1/traces sampler=xray Application Signals`, `X-Ray SDK -> 127.0.0.1:2000`).
   */
  readonly sendsTracesTo?: string;
}

/** How one node hands a request (and its trace header) to the next. */
export enum EdgeKind {
  /**
   * API -> what it calls: a REST method's integration, an HTTP or WebSocket API integration, an AppSync data source
   * (Lambda, SQS, Step Functions, DynamoDB, EventBridge, a load balancer through a VPC link).
   */
  INTEGRATION = 'integration',
  /** Lambda/ECS -> Lambda (lambda:InvokeFunction grant). The grant kinds below also come from environment variables. */
  INVOKE = 'invoke',
  /** -> SQS queue (sqs:SendMessage grant). */
  SEND = 'send',
  /** -> SNS topic (sns:Publish grant). */
  PUBLISH = 'publish',
  /** -> EventBridge bus (events:PutEvents grant). */
  PUT_EVENTS = 'put-events',
  /** -> Step Functions state machine (states:StartExecution grant). */
  START_EXECUTION = 'start-execution',
  /** -> DynamoDB table or Kinesis stream (data-plane grants such as dynamodb:PutItem, kinesis:PutRecord). */
  DATA = 'data',
  /** SQS / DynamoDB stream / Kinesis -> Lambda (event source mapping). */
  EVENT_SOURCE = 'event-source',
  /** SNS topic -> subscriber. */
  SUBSCRIPTION = 'subscription',
  /** EventBridge rule -> target. */
  RULE_TARGET = 'rule-target',
  /** EventBridge bus -> a rule on it. */
  RULE = 'rule',
  /** Load balancer -> target group (listener actions) and target group -> ECS service or Lambda function. */
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
