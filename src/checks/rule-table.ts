import type { AppFacts } from './app-facts';
import { NagMessageLevel } from './nag-values';
import { RuleContext, XRayRule } from './rule-helpers';
import { TemplateResource } from '../template/model';
import { sloTargetOf, TelemetryEmitter } from '../template/signals';
import RestApiStageUntraced from './rules/apigw/RestApiStageUntraced';
import AppSyncApiUntraced from './rules/appsync/AppSyncApiUntraced';
import EcsTaskTraceCollector from './rules/ecs/EcsTaskTraceCollector';
import EksClusterTraceCollector from './rules/eks/EksClusterTraceCollector';
import XRayManagedPolicies from './rules/iam/XRayManagedPolicies';
import XRayWildcardActions from './rules/iam/XRayWildcardActions';
import LambdaFunctionUntraced from './rules/lambda/LambdaFunctionUntraced';
import AnnotationBudget from './rules/policy/AnnotationBudget';
import AnnotationKeyPolicy, { findingId, keyFindingsOf } from './rules/policy/AnnotationKeyPolicy';
import ApplicationSignalsWithoutDiscovery from './rules/signals/ApplicationSignalsWithoutDiscovery';
import DirectExportWithoutTransactionSearch from './rules/signals/DirectExportWithoutTransactionSearch';
import SloServiceNotEmitted from './rules/signals/SloServiceNotEmitted';
import StateMachineUntraced from './rules/stepfunctions/StateMachineUntraced';
import TraceEcsServiceWithoutCollector from './rules/trace/TraceEcsServiceWithoutCollector';
import TraceEventSourceWithoutContext from './rules/trace/TraceEventSourceWithoutContext';
import TraceHttpApiEntry from './rules/trace/TraceHttpApiEntry';
import TracePassThroughTopic from './rules/trace/TracePassThroughTopic';
import TraceUntracedHop from './rules/trace/TraceUntracedHop';
import SamplingRuleIgnoredBySdks from './rules/xray/SamplingRuleIgnoredBySdks';
import SamplingRulePriorityUnique from './rules/xray/SamplingRulePriorityUnique';
import SamplingRuleStatusAttribute from './rules/xray/SamplingRuleStatusAttribute';
import TraceCostBudget, { DEPLOY_TIME_VALUE } from './rules/xray/TraceCostBudget';

/** One rule of the pack with what its findings say. */
export interface RuleEntry {
  /** The rule, named after its file: its id is `XRay-<name>`. */
  readonly rule: XRayRule;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  /** What this occurrence is about (the key and the policy's reason, the estimate against the budget), for the message. */
  readonly detail?: (resource: TemplateResource, context: RuleContext, finding: string | undefined) => string | undefined;
  /** Machine-readable context of this occurrence, reported as the violation's `ruleMetadata`. */
  readonly context?: (resource: TemplateResource, context: RuleContext, finding: string | undefined) => { [key: string]: string } | undefined;
  /** The level of a granular finding, when it differs from `level`. */
  readonly levelOf?: (finding: string) => NagMessageLevel | undefined;
}

/**
 * Every rule of the pack, in the order `RULES.md` lists them: first the rules of one resource, then those that also
 * read the whole app (its annotation keys, sampling rules, groups and trace graph, collected once per run). Each is a
 * pure function of one resource of the template model, so raw L1s, L2s and constructs from other libraries are all
 * checked, during synthesis or on any cloud assembly.
 */
export const RULES: readonly RuleEntry[] = [
  {
    rule: LambdaFunctionUntraced,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function has no X-Ray tracing mode.',
    explanation: 'Without a tracing mode the function drops every trace it is part of. Use TracedFunction or LambdaTracing.enable(fn), ' +
      'or set tracing: Tracing.ACTIVE.',
  },
  {
    rule: RestApiStageUntraced,
    level: NagMessageLevel.ERROR,
    info: 'The REST API stage does not have X-Ray tracing on.',
    explanation: 'A REST API is the entry point of most request traces; with tracing off, traces start one hop later and lose the ' +
      'API time. Use TracedRestApi or RestApiTracing.enable(api).',
  },
  {
    rule: StateMachineUntraced,
    level: NagMessageLevel.ERROR,
    info: 'The Step Functions state machine does not have X-Ray tracing on.',
    explanation: 'State machines without tracing break the trace between the services they call. Set tracingEnabled: true.',
  },
  {
    rule: AppSyncApiUntraced,
    level: NagMessageLevel.ERROR,
    info: 'The AppSync GraphQL API does not have X-Ray tracing on.',
    explanation: 'Resolvers and data sources are invisible in traces without it. Set xrayEnabled: true.',
  },
  {
    rule: XRayWildcardActions,
    level: NagMessageLevel.ERROR,
    info: 'The IAM policy allows an X-Ray action wildcard such as xray:*.',
    explanation: 'xray:* includes deleting groups and sampling rules and changing encryption. Grant what is needed: XRayGrants.write, ' +
      'XRayGrants.read, samplingRuleAdmin or groupAdmin.',
  },
  {
    rule: XRayManagedPolicies,
    level: NagMessageLevel.WARN,
    info: 'The principal uses an AWS managed X-Ray policy.',
    explanation: 'The managed policies grant more than tracing needs (sampling statistics, or every X-Ray action) and are repeated per ' +
      'role. Attach the stack\'s XRayWritePolicy with XRayGrants.write(principal) instead.',
  },
  {
    rule: SamplingRuleIgnoredBySdks,
    level: NagMessageLevel.WARN,
    info: 'The sampling rule has a ResourceARN other than * or Attributes, so the X-Ray SDKs ignore it.',
    explanation: 'Only services that match on those fields (API Gateway) apply the rule. For SDK-instrumented services, match on ' +
      'service name, host, method or path.',
  },
  {
    rule: SamplingRuleStatusAttribute,
    level: NagMessageLevel.WARN,
    info: 'The sampling rule has an attribute that looks like a response status.',
    explanation: 'X-Ray decides sampling when a request starts, before any response exists, so the rule never selects errors. Use ' +
      'samplingRateBoost (adaptive sampling) or tail sampling in the ADOT collector to keep errors.',
  },
  {
    rule: EcsTaskTraceCollector,
    level: NagMessageLevel.ERROR,
    info: 'The ECS task definition has no trace collector or X-Ray daemon.',
    explanation: 'App containers have nowhere to send their traces. Use TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition). ' +
      'A task definition an ECS service runs is reported on the service (XRay-TraceEcsServiceWithoutCollector).',
  },
  {
    rule: EksClusterTraceCollector,
    level: NagMessageLevel.ERROR,
    info: 'The EKS cluster runs workloads and no trace collector.',
    explanation: 'Pods on the cluster have nowhere to send their traces. Use EksTracing.enable(cluster) (the adot add-on with its X-Ray ' +
      'pipeline, or EksCollector.manifests()).',
  },
  {
    rule: AnnotationKeyPolicy,
    level: NagMessageLevel.ERROR,
    info: 'An annotation key declared or referenced here breaks the annotation policy.',
    explanation: 'Indexed annotations with personal data, secrets or unbounded values leak data and explode X-Ray\'s index and cost; ' +
      'keys outside the X-Ray charset are dropped. Rename the key, record the value as metadata, or allow it in the AnnotationPolicy ' +
      '(with an overrideReason for a denied pattern). Group filter expressions are checked the same way.',
    detail: (resource, { facts }, finding) => keyFindingsOf(facts, resource).find(f => findingId(f) === finding)?.message,
    context: (resource, { facts }, finding) => {
      const f = keyFindingsOf(facts, resource).find(k => findingId(k) === finding);
      return f === undefined ? undefined : { annotationKey: f.key, findingKind: f.kind, sources: f.sources.join(',') };
    },
  },
  {
    rule: AnnotationBudget,
    level: NagMessageLevel.ERROR,
    info: 'The app declares more distinct annotation keys than the per-trace budget.',
    explanation: 'X-Ray indexes at most 50 annotations per trace and a trace can cross every service of the app. Declare fewer keys; ' +
      'record other values as metadata.',
  },
  {
    rule: SamplingRulePriorityUnique,
    level: NagMessageLevel.WARN,
    info: 'Another sampling rule of the app has the same priority in this account and region.',
    explanation: 'X-Ray evaluates rules in ascending priority and the order of equal priorities is undefined. Give each rule its own priority.',
  },
  {
    rule: TraceCostBudget,
    level: NagMessageLevel.ERROR,
    info: 'The estimated monthly cost of the app\'s sampling rules exceeds the configured budget.',
    explanation: 'Estimated with TraceCostEstimate from each rule\'s reservoir and fixed rate and the requests per second given to ' +
      'XRayChecks, with Insights when a group of the app has it on. Lower the fixed rate or reservoir, or raise the budget.',
    detail: (_resource, { cost }, finding) => (finding === DEPLOY_TIME_VALUE
      ? `${cost()?.summary} Pass plain numbers to XRayChecks, or acknowledge XRay-TraceCostBudget[${DEPLOY_TIME_VALUE}].`
      : cost()?.summary),
    context: (_resource, { cost }) => cost()?.context,
    levelOf: finding => (finding === DEPLOY_TIME_VALUE ? NagMessageLevel.WARN : undefined),
  },
  {
    rule: TraceUntracedHop,
    level: NagMessageLevel.ERROR,
    info: 'This Lambda function runs in PassThrough on a request path where no caller sends it a sampled trace, so it and what it calls record nothing.',
    explanation: 'A function in PassThrough records only requests its caller sampled; behind an HTTP API, a schedule, AWS service events ' +
      'or a stream it records nothing and its calls carry an unsampled trace header. Set Active tracing (TracedFunction, ' +
      'LambdaTracing.enable(fn)). `cdk-xray report` names the neighbours on the path.',
  },
  {
    rule: TraceHttpApiEntry,
    level: NagMessageLevel.WARN,
    info: 'Requests enter through an API Gateway HTTP or WebSocket API, which X-Ray cannot trace.',
    explanation: 'X-Ray supports REST APIs only, so traces start at this API\'s integrations and miss its latency and errors. Use a ' +
      'REST API (TracedRestApi) where end-to-end traces matter, and acknowledge this rule where they do not.',
  },
  {
    rule: TraceEventSourceWithoutContext,
    level: NagMessageLevel.WARN,
    info: 'This EventBridge rule runs on a schedule or on AWS service events, which carry no trace context: each event starts a new trace at its traced targets.',
    explanation: 'EventBridge passes trace context on only for PutEvents calls that carry it. Acknowledge where a new trace per event is ' +
      'expected; to connect the work that caused an AWS service event, record the event id or object key as an annotation on both sides.',
  },
  {
    rule: TracePassThroughTopic,
    level: NagMessageLevel.WARN,
    info: 'The SNS topic is in PassThrough between a traced publisher and a traced subscriber.',
    explanation: 'In PassThrough a topic forwards the trace header but records nothing, so the publish and its deliveries are missing ' +
      'from the service map. Use SnsTracing.enable(topic), which also adds the X-Ray resource policy SNS needs.',
  },
  {
    rule: TraceEcsServiceWithoutCollector,
    level: NagMessageLevel.ERROR,
    info: 'The ECS service runs a task definition with no trace collector or X-Ray daemon.',
    explanation: 'Its containers have nowhere to send segments, so traces reaching the service from its load balancer end there. Use ' +
      'TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition).',
  },
  {
    rule: DirectExportWithoutTransactionSearch,
    level: NagMessageLevel.ERROR,
    info: 'Spans are exported straight to the X-Ray OTLP endpoint, and the app has no Transaction Search for this account and Region.',
    explanation: 'The X-Ray OTLP endpoint accepts spans only where CloudWatch Transaction Search is on. Add a TransactionSearch to a ' +
      'stack of the same account and Region, or declare it with TransactionSearch.enabledOutsideApp(scope, reason) when it was turned ' +
      'on elsewhere.',
    detail: (resource, { facts }) => emittersOf(resource, facts.emittersByResource, e => e.directExport),
  },
  {
    rule: ApplicationSignalsWithoutDiscovery,
    level: NagMessageLevel.ERROR,
    info: 'Application Signals is on, and the app does not enable Application Signals discovery for this account and Region.',
    explanation: 'Application Signals shows services only once discovery is enabled in the account and Region (it creates the ' +
      'AWSServiceRoleForCloudWatchApplicationSignals role). Add an ApplicationSignalsDiscovery to a stack of the same account and ' +
      'Region, or declare it with ApplicationSignalsDiscovery.enabledOutsideApp(scope, reason).',
    detail: (resource, { facts }) => emittersOf(resource, facts.emittersByResource, e => e.applicationSignals),
  },
  {
    rule: SloServiceNotEmitted,
    level: NagMessageLevel.WARN,
    info: 'The service level objective is about a service that nothing in the app reports to Application Signals.',
    explanation: 'An SLO on a service without data stays without a value and its alarms never fire. Check the service name and ' +
      'environment against what the app\'s functions and containers report (OTEL_SERVICE_NAME, the function name on Lambda, ' +
      'deployment.environment), turn Application Signals on for that service, or acknowledge when another app emits it.',
    detail: resource => {
      const target = sloTargetOf(resource);
      return target === undefined ? undefined : `It names service ${JSON.stringify(target.name)}${target.environment !== undefined ? ` in environment ${JSON.stringify(target.environment)}` : ''}.`;
    },
  },
];

/** Which parts of a resource a signals rule is about, for its message. */
function emittersOf(resource: TemplateResource, byResource: AppFacts['emittersByResource'], which: (e: TelemetryEmitter) => boolean): string | undefined {
  const parts = (byResource.get(resource.key) ?? []).filter(which).map(e => e.what);
  return parts.length === 0 ? undefined : `Concerns: ${parts.join(', ')}.`;
}

