import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import HttpApiEntryPoint from './rules/apigw/HttpApiEntryPoint';
import RestApiStageTracing from './rules/apigw/RestApiStageTracing';
import AppSyncTracing from './rules/appsync/AppSyncTracing';
import EcsTaskTraceCollector from './rules/ecs/EcsTaskTraceCollector';
import XRayManagedPolicies from './rules/iam/XRayManagedPolicies';
import XRayWildcardActions from './rules/iam/XRayWildcardActions';
import LambdaTracing from './rules/lambda/LambdaTracing';
import SnsTopicTracing from './rules/sns/SnsTopicTracing';
import StateMachineTracing from './rules/stepfunctions/StateMachineTracing';
import SamplingRuleIgnoredBySdks from './rules/xray/SamplingRuleIgnoredBySdks';
import SamplingRuleStatusAttribute from './rules/xray/SamplingRuleStatusAttribute';

/**
 * Properties of `XRayChecks`.
 */
export interface XRayChecksProps extends NagPackProps {}

interface RuleEntry {
  readonly rule: (node: CfnResource) => any;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
}

/**
 * The rules of the pack, in the order `RULES.md` lists them. Each is a pure function of one L1 resource, so raw L1s,
 * L2s and constructs from other libraries are all checked.
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
    rule: HttpApiEntryPoint,
    level: NagMessageLevel.WARN,
    info: 'The API Gateway HTTP or WebSocket API cannot be traced by X-Ray.',
    explanation: 'X-Ray supports REST APIs only, so traces start at this API\'s integrations and miss its latency and errors. Use a ' +
      'REST API where end-to-end traces matter, and acknowledge this rule where they do not.',
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
    rule: SnsTopicTracing,
    level: NagMessageLevel.WARN,
    info: 'The SNS topic does not have Active tracing.',
    explanation: 'In PassThrough mode a topic forwards the trace header but records nothing, so publishes and deliveries are missing ' +
      'from the service map. Use SnsTracing.enableActive(topic), which also adds the X-Ray resource policy SNS needs.',
  },
  {
    rule: EcsTaskTraceCollector,
    level: NagMessageLevel.ERROR,
    info: 'The ECS task definition has no trace collector or X-Ray daemon.',
    explanation: 'App containers have nowhere to send their traces. Use TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition).',
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
    return RULES.map(r => `XRay-${r.rule.name}`);
  }

  constructor(scope?: IConstruct, props?: XRayChecksProps) {
    super(scope, props);
    this.packName = 'XRay';
  }

  /** The pack's name, as validation reports show it. */
  public get name(): string {
    return 'XRay';
  }

  protected checkResource(node: CfnResource): void {
    for (const entry of RULES) {
      this.applyRule({ ...entry, node });
    }
  }
}
