import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppFacts, collectAppFacts } from './app-facts';
import { withPropertyCache } from './rule-helpers';
import { collectTraceFacts, EMPTY_TRACE_FACTS, TraceFacts } from './trace-facts';
import { AnnotationPolicy } from '../policy/annotation-policy';
import RestApiStageTracing from './rules/apigw/RestApiStageTracing';
import AppSyncTracing from './rules/appsync/AppSyncTracing';
import EcsTaskTraceCollector from './rules/ecs/EcsTaskTraceCollector';
import XRayManagedPolicies from './rules/iam/XRayManagedPolicies';
import XRayWildcardActions from './rules/iam/XRayWildcardActions';
import LambdaTracing from './rules/lambda/LambdaTracing';
import AnnotationBudget from './rules/policy/AnnotationBudget';
import AnnotationKeyPolicy from './rules/policy/AnnotationKeyPolicy';
import StateMachineTracing from './rules/stepfunctions/StateMachineTracing';
import TraceEcsServiceWithoutCollector from './rules/trace/TraceEcsServiceWithoutCollector';
import TraceEventSourceWithoutContext from './rules/trace/TraceEventSourceWithoutContext';
import TraceHttpApiEntry from './rules/trace/TraceHttpApiEntry';
import TracePassThroughTopic from './rules/trace/TracePassThroughTopic';
import TraceUntracedHop from './rules/trace/TraceUntracedHop';
import SamplingRuleIgnoredBySdks from './rules/xray/SamplingRuleIgnoredBySdks';
import SamplingRulePriorityUnique from './rules/xray/SamplingRulePriorityUnique';
import SamplingRuleStatusAttribute from './rules/xray/SamplingRuleStatusAttribute';
import TraceCostBudget from './rules/xray/TraceCostBudget';

/**
 * Properties of `XRayChecks`.
 */
export interface XRayChecksProps extends NagPackProps {
  /**
   * The annotation policy every declared or referenced annotation key must pass.
   *
   * @default - `new AnnotationPolicy({ allowUndeclaredKeys: true })`: the default denied patterns, the X-Ray charset and
   * the 50-key budget, with any other key allowed
   */
  readonly annotationPolicy?: AnnotationPolicy;

  /**
   * The monthly X-Ray budget in USD for the trace cost check (needs `requestsPerSecondByRule`).
   *
   * @default - no cost check
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * The average requests per second each sampling rule matches, by rule name, for the cost check.
   *
   * @default - no cost check
   */
  readonly requestsPerSecondByRule?: { [ruleName: string]: number };
}

interface RuleEntry {
  readonly rule: (node: CfnResource) => any;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
}

/**
 * The per-resource rules of the pack, in the order `RULES.md` lists them. Each is a pure function of one L1 resource,
 * so raw L1s, L2s and constructs from other libraries are all checked.
 */
const RULES: RuleEntry[] = [
  {
    rule: LambdaTracing,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function has no X-Ray tracing mode.',
    explanation: 'Without a tracing mode the function drops every trace it is part of. Use TracedFunction or LambdaTracing.enable(fn), ' +
      'or set tracing: Tracing.ACTIVE.',
  },
  {
    rule: RestApiStageTracing,
    level: NagMessageLevel.ERROR,
    info: 'The REST API stage does not have X-Ray tracing on.',
    explanation: 'A REST API is the entry point of most request traces; with tracing off, traces start one hop later and lose the ' +
      'API time. Use TracedRestApi or RestApiTracing.enable(api).',
  },
  {
    rule: StateMachineTracing,
    level: NagMessageLevel.ERROR,
    info: 'The Step Functions state machine does not have X-Ray tracing on.',
    explanation: 'State machines without tracing break the trace between the services they call. Set tracingEnabled: true.',
  },
  {
    rule: AppSyncTracing,
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
];

/** The rules that need the whole app: built per validation run from the collected facts and the trace graph. */
const EMPTY_FACTS: AppFacts = { usages: [], keysByResource: new Map(), samplingRules: [], policyFindings: [] };

function appWideRules(facts: AppFacts, trace: TraceFacts, budgetUsd: number | undefined,
  requestsPerSecondByRule: { [ruleName: string]: number }): RuleEntry[] {
  return [
    {
      rule: EcsTaskTraceCollector(trace),
      level: NagMessageLevel.ERROR,
      info: 'The ECS task definition has no trace collector or X-Ray daemon.',
      explanation: 'App containers have nowhere to send their traces. Use TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition). ' +
        'A task definition an ECS service runs is reported on the service (XRay-TraceEcsServiceWithoutCollector).',
    },
    {
      rule: AnnotationKeyPolicy(facts),
      level: NagMessageLevel.ERROR,
      info: 'An annotation key declared or referenced here breaks the annotation policy (finding: kind:key).',
      explanation: 'Indexed annotations with personal data, secrets or unbounded values leak data and explode X-Ray\'s index and cost; ' +
        'keys outside the X-Ray charset are dropped. Rename the key, record the value as metadata, or allow it in the AnnotationPolicy ' +
        '(with an overrideReason for a denied pattern). Group filter expressions are checked the same way.',
    },
    {
      rule: AnnotationBudget(facts),
      level: NagMessageLevel.ERROR,
      info: 'The app declares more distinct annotation keys than the per-trace budget.',
      explanation: 'X-Ray indexes at most 50 annotations per trace and a trace can cross every service of the app. Declare fewer keys; ' +
        'record other values as metadata.',
    },
    {
      rule: SamplingRulePriorityUnique(facts),
      level: NagMessageLevel.WARN,
      info: 'Another sampling rule of the app has the same priority in this account and region.',
      explanation: 'X-Ray evaluates rules in ascending priority and the order of equal priorities is undefined. Give each rule its own priority.',
    },
    {
      rule: TraceCostBudget(facts, budgetUsd, requestsPerSecondByRule),
      level: NagMessageLevel.ERROR,
      info: 'The estimated monthly cost of the app\'s sampling rules exceeds the configured budget.',
      explanation: 'Estimated with TraceCostEstimate from each rule\'s reservoir and fixed rate and the requests per second given to ' +
        'XRayChecks. Lower the fixed rate or reservoir, or raise the budget.',
    },
    {
      rule: TraceUntracedHop(trace),
      level: NagMessageLevel.ERROR,
      info: 'This Lambda function runs in PassThrough on a request path where no caller sends it a sampled trace, so it and what it calls record nothing.',
      explanation: 'A function in PassThrough records only requests its caller sampled; behind an HTTP API, a schedule, AWS service events ' +
        'or a stream it records nothing and its calls carry an unsampled trace header. Set Active tracing (TracedFunction, ' +
        'LambdaTracing.enable(fn)). `cdk-xray report` names the neighbours on the path.',
    },
    {
      rule: TraceHttpApiEntry(trace),
      level: NagMessageLevel.WARN,
      info: 'Requests enter through an API Gateway HTTP or WebSocket API, which X-Ray cannot trace.',
      explanation: 'X-Ray supports REST APIs only, so traces start at this API\'s integrations and miss its latency and errors. Use a ' +
        'REST API (TracedRestApi) where end-to-end traces matter, and acknowledge this rule where they do not.',
    },
    {
      rule: TraceEventSourceWithoutContext(trace),
      level: NagMessageLevel.WARN,
      info: 'This EventBridge rule runs on a schedule or on AWS service events, which carry no trace context: each event starts a new trace at its traced targets.',
      explanation: 'EventBridge passes trace context on only for PutEvents calls that carry it. Acknowledge where a new trace per event is ' +
        'expected; to connect the work that caused an AWS service event, record the event id or object key as an annotation on both sides.',
    },
    {
      rule: TracePassThroughTopic(trace),
      level: NagMessageLevel.WARN,
      info: 'The SNS topic is in PassThrough between a traced publisher and a traced subscriber.',
      explanation: 'In PassThrough a topic forwards the trace header but records nothing, so the publish and its deliveries are missing ' +
        'from the service map. Use SnsTracing.enableActive(topic), which also adds the X-Ray resource policy SNS needs.',
    },
    {
      rule: TraceEcsServiceWithoutCollector(trace),
      level: NagMessageLevel.ERROR,
      info: 'The ECS service runs a task definition with no trace collector or X-Ray daemon.',
      explanation: 'Its containers have nowhere to send segments, so traces reaching the service from its load balancer end there. Use ' +
        'TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition).',
    },
  ];
}

/**
 * The cdk-nag v3 rule pack of cdk-xray-constructs: tracing coverage and X-Ray least privilege across a whole app, so
 * a CI `cdk synth` fails when something is untraced.
 *
 * Register it as a policy-validation plugin: `Validations.of(app).addPlugins(new XRayChecks(app))`. Findings carry
 * ids `XRay-<Rule>`; acknowledge a deliberate exception with
 * `Validations.of(construct).acknowledge({ id: 'XRay-LambdaTracing', reason: '...' })`. Rules and their ids: RULES.md.
 */
export class XRayChecks extends NagPack {
  /** The ids of every rule in the pack, in RULES.md order. */
  public static packRuleIds(): string[] {
    const appWide = appWideRules(EMPTY_FACTS, EMPTY_TRACE_FACTS, undefined, {});
    return [...RULES, ...appWide].map(r => `XRay-${r.rule.name}`);
  }

  private readonly policy: AnnotationPolicy;
  private readonly budgetUsd?: number;
  private readonly requestsPerSecondByRule: { [ruleName: string]: number };
  private rules: RuleEntry[] = [];
  private templatePaths: readonly string[] = [];

  constructor(scope?: IConstruct, props: XRayChecksProps = {}) {
    super(scope, props);
    this.packName = 'XRay';
    this.policy = props.annotationPolicy ?? new AnnotationPolicy({ allowUndeclaredKeys: true });
    this.budgetUsd = props.monthlyBudgetUsd;
    this.requestsPerSecondByRule = props.requestsPerSecondByRule ?? {};
    if (this.budgetUsd !== undefined && !(this.budgetUsd >= 0)) {
      throw new Error(`[XRayChecks] monthlyBudgetUsd must be 0 or more (got ${this.budgetUsd}). Pass the monthly X-Ray budget in USD.`);
    }
    for (const [name, rps] of Object.entries(this.requestsPerSecondByRule)) {
      if (!(typeof rps === 'number' && rps >= 0 && Number.isFinite(rps))) {
        throw new Error(`[XRayChecks] requestsPerSecondByRule["${name}"] must be a finite number of 0 or more (got ${rps}). ` +
          'Pass the average requests per second the rule matches.');
      }
    }
  }

  /**
   * Checks every resource under `scope`; the app-wide rules (annotation policy and budget, sampling priorities, cost)
   * first collect what they need from the whole scope, and the trace rules read the app's trace graph, built once per
   * run from the same CloudFormation the templates hold.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withPropertyCache(() => {
      const facts = collectAppFacts(scope, this.policy);
      const trace = collectTraceFacts(scope);
      this.rules = [...RULES, ...appWideRules(facts, trace, this.budgetUsd, this.requestsPerSecondByRule)];
      return super.validateScope(scope);
    }, this.templatePaths);
  }

  /**
   * Called by aws-cdk-lib after synthesis: the rules then read the properties of each resource from the templates just
   * written (`context.templatePaths`) instead of rendering the resource again.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.templatePaths = context.templatePaths;
    try {
      return super.validate(context);
    } finally {
      this.templatePaths = [];
    }
  }

  /** The pack's name, as validation reports show it. */
  public get name(): string {
    return 'XRay';
  }

  protected checkResource(node: CfnResource): void {
    for (const entry of this.rules) {
      this.applyRule({ ...entry, node });
    }
  }
}
