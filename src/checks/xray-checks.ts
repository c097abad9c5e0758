import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgmentOf, PACK_NAME } from './acknowledgments';
import { AppFacts, collectAppFacts } from './app-facts';
import { costVerdict, CostVerdict, DEFAULT_RULE_NAME } from './cost-facts';
import { withPropertyCache } from './rule-helpers';
import { collectTraceFacts, EMPTY_TRACE_FACTS, TraceFacts } from './trace-facts';
import { validateXRayChecksProps } from './validate-props';
import { XRayChecksProps } from './xray-checks-props';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { renderValue } from '../private/errors';
import RestApiStageUntraced from './rules/apigw/RestApiStageUntraced';
import AppSyncApiUntraced from './rules/appsync/AppSyncApiUntraced';
import EcsTaskTraceCollector from './rules/ecs/EcsTaskTraceCollector';
import XRayManagedPolicies from './rules/iam/XRayManagedPolicies';
import XRayWildcardActions from './rules/iam/XRayWildcardActions';
import LambdaFunctionUntraced from './rules/lambda/LambdaFunctionUntraced';
import AnnotationBudget from './rules/policy/AnnotationBudget';
import AnnotationKeyPolicy, { findingId, keyFindingsOf } from './rules/policy/AnnotationKeyPolicy';
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

interface RuleEntry {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  /** What this occurrence is about (the key and the policy's reason, the estimate against the budget), for the message. */
  readonly detail?: (node: CfnResource, finding: string | undefined) => string | undefined;
  /** Machine-readable context of this occurrence, reported as the violation's `ruleMetadata`. */
  readonly context?: (node: CfnResource, finding: string | undefined) => { [key: string]: string } | undefined;
  /** The level of a granular finding, when it differs from `level`. */
  readonly levelOf?: (finding: string) => NagMessageLevel | undefined;
}

/**
 * The per-resource rules of the pack, in the order `RULES.md` lists them. Each is a pure function of one L1 resource,
 * so raw L1s, L2s and constructs from other libraries are all checked.
 */
const RULES: RuleEntry[] = [
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
];

/** The rules that need the whole app: built per validation run from the collected facts and the trace graph. */
const EMPTY_FACTS: AppFacts = { usages: [], keysByResource: new Map(), samplingRules: [], groups: [], policyFindings: [] };

function appWideRules(facts: AppFacts, trace: TraceFacts, cost: () => CostVerdict | undefined): RuleEntry[] {
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
      info: 'An annotation key declared or referenced here breaks the annotation policy.',
      explanation: 'Indexed annotations with personal data, secrets or unbounded values leak data and explode X-Ray\'s index and cost; ' +
        'keys outside the X-Ray charset are dropped. Rename the key, record the value as metadata, or allow it in the AnnotationPolicy ' +
        '(with an overrideReason for a denied pattern). Group filter expressions are checked the same way.',
      detail: (node, finding) => keyFindingsOf(facts, node).find(f => findingId(f) === finding)?.message,
      context: (node, finding) => {
        const f = keyFindingsOf(facts, node).find(k => findingId(k) === finding);
        return f === undefined ? undefined : { annotationKey: f.key, findingKind: f.kind, sources: f.sources.join(',') };
      },
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
      rule: TraceCostBudget(facts, cost),
      level: NagMessageLevel.ERROR,
      info: 'The estimated monthly cost of the app\'s sampling rules exceeds the configured budget.',
      explanation: 'Estimated with TraceCostEstimate from each rule\'s reservoir and fixed rate and the requests per second given to ' +
        'XRayChecks, with Insights when a group of the app has it on. Lower the fixed rate or reservoir, or raise the budget.',
      detail: (_node, finding) => (finding === DEPLOY_TIME_VALUE
        ? `${cost()?.summary} Pass plain numbers to XRayChecks, or acknowledge XRay-TraceCostBudget[${DEPLOY_TIME_VALUE}].`
        : cost()?.summary),
      context: () => cost()?.context,
      levelOf: finding => (finding === DEPLOY_TIME_VALUE ? NagMessageLevel.WARN : undefined),
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
 * ids `XRay-<Rule>` (granular ones `XRay-<Rule>[<finding>]`); Error-level findings fail the synthesis, Warning-level
 * ones are reported without failing it unless `warningsFail` is set. Acknowledge a deliberate exception with
 * `Validations.of(construct).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: '...' })` (`XRay::XRay-LambdaFunctionUntraced`,
 * as aws-cdk-lib's report suggests, works too). Rules and their ids: RULES.md.
 */
export class XRayChecks extends NagPack {
  /** The ids of every rule in the pack, in RULES.md order. */
  public static packRuleIds(): string[] {
    const appWide = appWideRules(EMPTY_FACTS, EMPTY_TRACE_FACTS, () => undefined);
    return [...RULES, ...appWide].map(r => `${PACK_NAME}-${r.rule.name}`);
  }

  private readonly policy: AnnotationPolicy;
  private readonly budgetUsd?: number;
  private readonly requestsPerSecondByRule?: { [ruleName: string]: number };
  private readonly warningsFail: boolean;
  private readonly verboseMessages: boolean;
  private rules: RuleEntry[] = [];
  private templatePaths: readonly string[] = [];
  private templatesByStack: ReadonlyMap<string, string> = new Map();
  private found: PolicyViolation[] = [];

  constructor(scope?: IConstruct, props: XRayChecksProps = {}) {
    super(scope, props);
    validateXRayChecksProps(props ?? {});
    this.packName = PACK_NAME;
    this.policy = props.annotationPolicy ?? new AnnotationPolicy({ allowUndeclaredKeys: true });
    this.budgetUsd = props.monthlyBudgetUsd;
    this.requestsPerSecondByRule = props.requestsPerSecondByRule;
    this.warningsFail = props.warningsFail ?? false;
    this.verboseMessages = props.verbose ?? false;
  }

  /**
   * Checks every resource under `scope`; the app-wide rules (annotation policy and budget, sampling priorities, cost)
   * first collect what they need from the whole scope, and the trace rules read the app's trace graph, built once per
   * run from the same CloudFormation the templates hold.
   *
   * The report fails (`success: false`) when it has an Error-level finding, or a Warning-level one with `warningsFail`.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withPropertyCache(() => {
      const facts = collectAppFacts(scope, this.policy);
      const trace = collectTraceFacts(scope);
      let verdict: CostVerdict | undefined | null = null;
      const cost = () => {
        if (verdict === null) {
          verdict = this.budgetUsd === undefined || this.requestsPerSecondByRule === undefined
            ? undefined : costVerdict(facts, this.budgetUsd, this.requestsPerSecondByRule);
        }
        return verdict;
      };
      this.rules = [...RULES, ...appWideRules(facts, trace, cost)];
      this.found = [];
      super.validateScope(scope);
      this.reportUnknownRules(scope, facts, cost());
      const violations = this.found;
      this.found = [];
      const fails = violations.some(v => v.severity === 'error' || (this.warningsFail && v.severity === 'warning'));
      return { success: !fails, violations };
    }, this.templatePaths, this.templatesByStack);
  }

  /**
   * Called by aws-cdk-lib after synthesis: the rules then read the properties of each resource from the templates just
   * written (`context.stackTemplates`, or `context.templatePaths` where aws-cdk-lib has no `stackTemplates`) instead of
   * rendering the resource again.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.templatePaths = context.templatePaths ?? [];
    const stackTemplates: unknown = (context as any).stackTemplates;
    this.templatesByStack = new Map(Array.isArray(stackTemplates)
      ? stackTemplates.filter(t => typeof t?.stackConstructPath === 'string' && typeof t?.templatePath === 'string')
        .map(t => [t.stackConstructPath, t.templatePath] as [string, string])
      : []);
    try {
      return super.validate(context);
    } finally {
      this.templatePaths = [];
      this.templatesByStack = new Map();
    }
  }

  /** The pack's name, as validation reports show it. */
  public get name(): string {
    return PACK_NAME;
  }

  protected checkResource(node: CfnResource): void {
    for (const entry of this.rules) {
      this.applyRule({ ...entry, node });
    }
  }

  /**
   * Applies one rule to one resource, as cdk-nag does, with what cdk-nag v3 leaves out: acknowledgments recorded by
   * every aws-cdk-lib version (see `acknowledgedRuleId`), a message per occurrence (the key and reason of an
   * annotation finding, the estimate against the budget), a level per granular finding, and the error of a rule that
   * throws.
   */
  protected applyRule(params: IApplyRule): void {
    const entry = params as IApplyRule & Partial<RuleEntry>;
    const ruleId = `${this.packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    let result: NagRuleResult;
    try {
      result = params.rule(params.node);
    } catch (e: any) {
      this.record(ruleId, params.node, params.level, `${params.info} The rule could not be evaluated: ${e?.message ?? e}`, params);
      return;
    }
    if (result === NagRuleCompliance.NON_COMPLIANT) {
      this.record(ruleId, params.node, params.level, this.message(params, entry.detail?.(params.node, undefined)), params,
        entry.context?.(params.node, undefined));
    } else if (Array.isArray(result)) {
      for (const finding of result) {
        this.record(`${ruleId}[${finding}]`, params.node, entry.levelOf?.(finding) ?? params.level,
          this.message(params, entry.detail?.(params.node, finding)), params, entry.context?.(params.node, finding));
      }
    }
  }

  private message(params: IApplyRule, detail: string | undefined): string {
    return [params.info, detail, this.verboseMessages ? params.explanation : undefined].filter(p => p !== undefined).join(' ');
  }

  private record(ruleName: string, construct: IConstruct, level: NagMessageLevel, description: string,
    params: Pick<IApplyRule, 'explanation'>, context?: { [key: string]: string }): void {
    if (acknowledgmentOf(construct, ruleName) !== undefined) {
      return;
    }
    const severity = level === NagMessageLevel.ERROR ? 'error' : level === NagMessageLevel.WARN ? 'warning' : 'info';
    const resource = { constructPath: construct.node.path, locations: ['Properties'] };
    const existing = this.found.find(v => v.ruleName === ruleName && v.description === description);
    if (existing !== undefined) {
      existing.violatingResources.push(resource);
    } else {
      this.found.push({
        ruleName,
        description,
        severity,
        fix: params.explanation,
        violatingResources: [resource],
        ...(context !== undefined ? { ruleMetadata: context } : {}),
      });
    }
  }

  /** Names in `requestsPerSecondByRule` that match no sampling rule of the app: reported on the app's rules, else its stacks. */
  private reportUnknownRules(scope: IConstruct, facts: AppFacts, verdict: CostVerdict | undefined): void {
    if (verdict === undefined || verdict.unknownRules.length === 0) {
      return;
    }
    const known = facts.samplingRules.map(r => r.name).sort();
    const where: IConstruct[] = facts.samplingRules.length > 0 ? facts.samplingRules.map(r => r.node)
      : scope.node.findAll().filter(c => Stack.isStack(c));
    for (const name of verdict.unknownRules) {
      const description = `requestsPerSecondByRule names ${renderValue(name)}, which is no sampling rule of the app, so its traffic is ` +
        `not estimated. Rules of the app: ${known.length > 0 ? known.join(', ') : 'none'} (and ${DEFAULT_RULE_NAME}, X-Ray's default ` +
        'rule). Fix the name or remove the entry.';
      for (const construct of where.length > 0 ? where : [scope]) {
        this.record(`${this.packName}-TraceCostBudget[unknownRule:${name}]`, construct, NagMessageLevel.ERROR, description,
          { explanation: 'Give requestsPerSecondByRule the names of the app\'s sampling rules (their RuleName).' }, { unknownRule: name });
      }
    }
  }
}
