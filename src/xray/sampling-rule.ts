import { Arn, ArnFormat, Duration, IResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { earlierWithSameName, environmentOf, lateProblem, tagProblems } from './late-checks';
import { SamplingRate } from './sampling-rate';
import { describeEnvironment, environmentKey, registerInEnvironment } from '../private/environment-registry';
import { childPath, fail, ProblemCollector } from '../private/errors';
import { checkGrant } from '../private/iam-actions';
import { reasonsSdksIgnore, statusLikeAttributes } from '../private/sampling';
import { warn } from '../private/warnings';

/** The rule every account has, which X-Ray applies when no other rule matches. */
const DEFAULT_RULE_NAME = 'Default';

/**
 * The default quota of custom sampling rules per account and region (adjustable, L-8C0C998A).
 * @see https://docs.aws.amazon.com/general/latest/gr/xray.html
 */
const SAMPLING_RULE_QUOTA = 25;

/** Adaptive sampling: how far and how often X-Ray may raise a rule's rate when it detects anomalies. */
export interface SamplingRateBoost {
  /**
   * The highest rate X-Ray may apply while boosting (0–1).
   */
  readonly maxRate: SamplingRate;

  /**
   * The window in which at most one boost happens: whole minutes, at least 1.
   */
  readonly cooldown: Duration;
}

/**
 * What a sampling rule matches and how much it samples. Every matcher defaults to `*` and accepts the wildcards `*`
 * (any characters) and `?` (one character).
 */
export interface SamplingRuleOptions {
  /**
   * The priority: rules are evaluated in ascending priority and the first match decides (1–9999; the `Default` rule
   * is 10000).
   */
  readonly priority: number;

  /**
   * The share of matching requests sampled once the reservoir is used up each second.
   *
   * @default SamplingRate.percent(5)
   */
  readonly fixedRate?: SamplingRate;

  /**
   * Requests per second sampled before the fixed rate applies, shared by every instance using the rule (an integer,
   * 0 or more).
   *
   * @default 1
   */
  readonly reservoirSize?: number;

  /**
   * The service name in segments (at most 64 characters).
   *
   * @default '*'
   */
  readonly serviceName?: string;

  /**
   * The service type (segment origin), for example `AWS::ECS::Container` or `AWS::ApiGateway::Stage` (at most 64
   * characters).
   *
   * @default '*'
   */
  readonly serviceType?: string;

  /**
   * The host name from the request's Host header (at most 64 characters).
   *
   * @default '*'
   */
  readonly host?: string;

  /**
   * The HTTP method (at most 10 characters).
   *
   * @default '*'
   */
  readonly httpMethod?: string;

  /**
   * The URL path (at most 128 characters).
   *
   * @default '*'
   */
  readonly urlPath?: string;

  /**
   * The ARN of the AWS resource the service runs on (at most 500 characters). The X-Ray SDKs ignore rules whose
   * resource ARN is not `*`; API Gateway matches it against the stage ARN.
   *
   * @default '*'
   */
  readonly resourceArn?: string;

  /**
   * Segment attributes known when the sampling decision is made (API Gateway: the request headers); at most 5, keys
   * and values 1–32 characters. The X-Ray SDKs ignore rules with attributes.
   *
   * @default - none
   */
  readonly attributes?: { [key: string]: string };

  /**
   * Adaptive sampling: lets X-Ray raise the rate up to `maxRate` for a short time when it detects anomalies.
   *
   * @default - no boost
   */
  readonly samplingRateBoost?: SamplingRateBoost;
}

/**
 * Properties of a `SamplingRule`.
 */
export interface SamplingRuleProps extends SamplingRuleOptions {
  /**
   * The rule name (1–32 characters, unique in the account and region; `Default` is the rule every account has).
   *
   * Two rules of this app with one name in one account and region are an error at synthesis (stacks without an
   * account and region count as one environment of their own).
   *
   * @default - a unique name derived from the construct path
   */
  readonly samplingRuleName?: string;
}

/** A sampling rule, created here or imported. */
export interface ISamplingRule extends IResource {
  /** The rule's ARN. @attribute */
  readonly samplingRuleArn: string;

  /** The rule's name. @attribute */
  readonly samplingRuleName: string;

  /** Grants actions on this rule only. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /** Grants `xray:UpdateSamplingRule` on this rule only. */
  grantUpdate(grantee: iam.IGrantable): iam.Grant;
}

abstract class SamplingRuleBase extends Resource implements ISamplingRule {
  public abstract readonly samplingRuleArn: string;
  public abstract readonly samplingRuleName: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.samplingRuleArn] });
    return checkGrant(this.node.path, 'grant()', grant, grantee, actions, [this.samplingRuleArn]);
  }

  public grantUpdate(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'xray:UpdateSamplingRule');
  }
}

/**
 * An X-Ray sampling rule (`AWS::XRay::SamplingRule`) with every field validated against its real limit.
 *
 * Sampling is decided when a request starts, so a rule cannot select responses (for example "all 5xx"): a warning
 * says so when an attribute looks like a status code. To keep errors, use `samplingRateBoost` (adaptive sampling) or
 * tail sampling in a collector.
 *
 * @example
 * new SamplingRule(this, 'Checkout', {
 *   priority: 100,
 *   serviceName: 'checkout',
 *   fixedRate: SamplingRate.percent(5),
 *   reservoirSize: 2,
 * });
 */
export class SamplingRule extends SamplingRuleBase {
  /** Imports a rule by name. */
  public static fromSamplingRuleName(scope: Construct, id: string, samplingRuleName: string): ISamplingRule {
    class Import extends SamplingRuleBase {
      public readonly samplingRuleName = samplingRuleName;
      public readonly samplingRuleArn = Stack.of(scope).formatArn({
        service: 'xray', resource: 'sampling-rule', resourceName: samplingRuleName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    }
    return new Import(scope, id);
  }

  /** Imports a rule by ARN (`arn:<partition>:xray:<region>:<account>:sampling-rule/<name>`). */
  public static fromSamplingRuleArn(scope: Construct, id: string, samplingRuleArn: string): ISamplingRule {
    if (!Token.isUnresolved(samplingRuleArn) &&
      (typeof samplingRuleArn !== 'string' || !/^arn:[^:]+:xray:[^:]+:\d{12}:sampling-rule\/[^/]+$/.test(samplingRuleArn))) {
      fail(childPath(scope, id), 'samplingRuleArn', 'is not a sampling-rule ARN', samplingRuleArn,
        'Pass an ARN such as arn:aws:xray:us-east-1:111111111111:sampling-rule/MyRule.');
    }
    const name = Arn.split(samplingRuleArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    class Import extends SamplingRuleBase {
      public readonly samplingRuleName = name!;
      public readonly samplingRuleArn = samplingRuleArn;
    }
    return new Import(scope, id, { environmentFromArn: samplingRuleArn });
  }

  public readonly samplingRuleArn: string;
  public readonly samplingRuleName: string;

  /** The rule's priority. */
  public readonly priority: number;

  /** The fixed rate. */
  public readonly fixedRate: SamplingRate;

  /** The reservoir size. */
  public readonly reservoirSize: number;

  constructor(scope: Construct, id: string, props: SamplingRuleProps) {
    super(scope, id);
    if (props === undefined || props === null || typeof props !== 'object') {
      fail(this, 'props', 'are required', props, 'Pass at least { priority: 100 }.');
    }
    this.samplingRuleName = props.samplingRuleName ?? Names.uniqueResourceName(this, { maxLength: 32 });
    this.priority = props.priority;
    this.fixedRate = props.fixedRate ?? SamplingRate.percent(5);
    this.reservoirSize = props.reservoirSize ?? 1;
    validateSamplingRule(this, props, this.fixedRate, this.reservoirSize);

    const resource = new CfnSamplingRule(this, 'Resource', {
      samplingRule: {
        ruleName: this.samplingRuleName,
        priority: props.priority,
        fixedRate: this.fixedRate.fraction,
        reservoirSize: this.reservoirSize,
        serviceName: props.serviceName ?? '*',
        serviceType: props.serviceType ?? '*',
        host: props.host ?? '*',
        httpMethod: props.httpMethod ?? '*',
        urlPath: props.urlPath ?? '*',
        resourceArn: props.resourceArn ?? '*',
        attributes: props.attributes,
        samplingRateBoost: props.samplingRateBoost ? {
          maxRate: props.samplingRateBoost.maxRate.fraction,
          cooldownWindowMinutes: props.samplingRateBoost.cooldown.toMinutes(),
        } : undefined,
        version: 1,
      },
    });
    this.samplingRuleArn = resource.attrRuleArn;
    this.warnAboutMisleadingRules(props);
    this.node.addValidation({ validate: () => [...this.validateUniqueName(), ...tagProblems(resource)] });
  }

  /** Rule names are unique per account and region; checked once every stack of the app exists. */
  private validateUniqueName(): string[] {
    const first = earlierWithSameName('SamplingRule', this, c => (c as SamplingRule).samplingRuleName);
    return first === undefined ? [] : [lateProblem('samplingRuleName', `is already used by ${first.node.path} in ${environmentOf(this)}`,
      this.samplingRuleName, 'Sampling rule names are unique per account and region: rename one of them.')];
  }

  private warnAboutMisleadingRules(props: SamplingRuleProps): void {
    const attributes = props.attributes ?? {};
    const statusLike = statusLikeAttributes(attributes);
    if (statusLike.length > 0) {
      warn(this, 'statusCodeAttribute',
        `Attribute ${statusLike.map(([k, v]) => `${k}=${v}`).join(', ')} looks like a response status, but X-Ray decides ` +
        'sampling when a request starts, before any response exists, so this rule never selects responses. To keep ' +
        'errors, use samplingRateBoost (adaptive sampling) or tail sampling in an OpenTelemetry collector.');
    }
    const ignored = reasonsSdksIgnore(props.resourceArn, props.attributes);
    if (ignored.length > 0) {
      warn(this, 'ignoredBySdks',
        `The X-Ray SDKs and the OpenTelemetry X-Ray sampler ignore this rule because ${ignored.join(' and ')}; only ` +
        'services that match on them (API Gateway) apply it. For SDK-instrumented services, match on serviceName, host, ' +
        'httpMethod or urlPath instead.');
    }

    const env = environmentKey(this);
    const peers = registerInEnvironment('SamplingRule', this) as SamplingRule[];
    const samePriority = peers.filter(p => p !== this && !Token.isUnresolved(p.priority) && p.priority === this.priority);
    if (samePriority.length > 0 && !Token.isUnresolved(this.priority)) {
      warn(this, 'duplicatePriority',
        `Priority ${this.priority} is also used by ${samePriority.map(p => p.node.path).join(', ')} in ${describeEnvironment(env)}. ` +
        'X-Ray evaluates rules in ascending priority and the order of equal priorities is not defined; give each rule its own priority.');
    }
    if (peers.length === SAMPLING_RULE_QUOTA + 1) {
      warn(this, 'samplingRuleQuota',
        `This app defines more than ${SAMPLING_RULE_QUOTA} sampling rules in ${describeEnvironment(env)}, the default quota per ` +
        'account and region (Service Quotas code L-8C0C998A). Request an increase before deploying, or merge rules.');
    }
  }
}


/** X-Ray's API stores the integers of a rule as 32-bit integers. */
const MAX_INT32 = 2147483647;

/** Limits of `AWS::XRay::SamplingRule` string matchers (CloudFormation schema). */
const MATCHER_LIMITS: Array<[keyof SamplingRuleOptions, number]> = [
  ['serviceName', 64], ['serviceType', 64], ['host', 64], ['httpMethod', 10], ['urlPath', 128], ['resourceArn', 500],
];

function validateSamplingRule(rule: SamplingRule, props: SamplingRuleProps, fixedRate: SamplingRate, reservoirSize: number): void {
  const problems = new ProblemCollector(rule);
  const name = props.samplingRuleName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
      problems.add('samplingRuleName', 'must be 1 to 32 characters long', name, 'Use a shorter name, unique in the account and region.');
    } else if (name === DEFAULT_RULE_NAME) {
      problems.add('samplingRuleName', 'is the name of the rule X-Ray creates in every account (priority 10000)', name,
        'Choose another name; to change the default rule, import it with SamplingRule.fromSamplingRuleName(this, id, \'Default\') and update it outside CloudFormation.');
    }
  }
  if (!Token.isUnresolved(props.priority) && (!Number.isInteger(props.priority) || props.priority < 1 || props.priority > 9999)) {
    problems.add('priority', 'must be a whole number from 1 to 9999', props.priority,
      'Lower numbers are evaluated first; 10000 belongs to the Default rule.');
  }
  checkRate(problems, 'fixedRate', fixedRate);
  if (!Token.isUnresolved(reservoirSize) && (!Number.isInteger(reservoirSize) || reservoirSize < 0 || reservoirSize > MAX_INT32)) {
    problems.add('reservoirSize', `must be a whole number of requests per second from 0 to ${MAX_INT32}`, reservoirSize,
      'Use 0 to sample by the fixed rate alone.');
  }
  for (const [prop, max] of MATCHER_LIMITS) {
    const value = props[prop] as string | undefined;
    if (value !== undefined && !Token.isUnresolved(value) && (typeof value !== 'string' || value.length > max)) {
      problems.add(prop, `must be at most ${max} characters long`, value, 'Shorten it; the wildcards * and ? match any characters.');
    }
  }
  const attributes = props.attributes;
  if (attributes !== undefined && !Token.isUnresolved(attributes) && (attributes === null || typeof attributes !== 'object')) {
    problems.add('attributes', 'must be a map of attribute names to values', attributes, 'Pass an object such as { "x-debug": "on" }.');
  } else if (attributes !== undefined && !Token.isUnresolved(attributes)) {
    const entries = Object.entries(attributes);
    if (entries.length > 5) {
      problems.add('attributes', 'may hold at most 5 entries', entries.length, 'Keep the 5 attributes that select the requests.');
    }
    for (const [key, value] of entries) {
      if (!Token.isUnresolved(key) && (key.length < 1 || key.length > 32)) {
        problems.add(`attributes key ${JSON.stringify(key)}`, 'must be 1 to 32 characters long', key, 'Use a shorter attribute name.');
      }
      if (!Token.isUnresolved(value) && (typeof value !== 'string' || value.length < 1 || value.length > 32)) {
        problems.add(`attributes[${JSON.stringify(key)}]`, 'must be 1 to 32 characters long', value, 'Use a shorter value; * and ? are wildcards.');
      }
    }
  }
  const boost = props.samplingRateBoost;
  if (boost !== undefined) {
    checkRate(problems, 'samplingRateBoost.maxRate', boost.maxRate);
    if (!(boost.cooldown instanceof Duration)) {
      problems.add('samplingRateBoost.cooldown', 'is required and must be a Duration', boost.cooldown, 'Use Duration.minutes(n) with n >= 1.');
    } else if (!convertsToMinutes(boost.cooldown)) {
      problems.add('samplingRateBoost.cooldown', 'must be given in minutes when it is a token (CloudFormation cannot convert units)',
        boost.cooldown.toString(), 'Use Duration.minutes(token).');
    } else {
      const minutes = boost.cooldown.toMinutes({ integral: false });
      if (!Token.isUnresolved(minutes) && (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_INT32)) {
        problems.add('samplingRateBoost.cooldown', 'must be a whole number of minutes, at least 1', boost.cooldown.toHumanString(),
          'Use Duration.minutes(n) with n >= 1.');
      }
    }
    if (boost.maxRate instanceof SamplingRate && fixedRate instanceof SamplingRate && !Token.isUnresolved(boost.maxRate.fraction) &&
      !Token.isUnresolved(fixedRate.fraction) && boost.maxRate.fraction < fixedRate.fraction) {
      problems.add('samplingRateBoost.maxRate', `must not be below the fixed rate (${fixedRate.description})`, boost.maxRate.description,
        'A boost raises the rate; set maxRate above the fixed rate.');
    }
  }
  problems.throwIfAny();
}

/** A duration holding a token converts to minutes only when it was given in minutes. */
function convertsToMinutes(duration: Duration): boolean {
  try {
    duration.toMinutes({ integral: false });
    return true;
  } catch {
    return false;
  }
}

function checkRate(problems: ProblemCollector, prop: string, rate: SamplingRate): void {
  if (!(rate instanceof SamplingRate)) {
    problems.add(prop, 'must be a SamplingRate', rate, 'Pass SamplingRate.percent(p), SamplingRate.ratio(r), SamplingRate.none() or SamplingRate.all().');
    return;
  }
  const ratio = rate.fraction;
  if (!Token.isUnresolved(ratio) && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    problems.add(prop, 'must be between 0 and 1', ratio,
      typeof ratio === 'number' && ratio > 1 && ratio <= 100 ? `Pass SamplingRate.percent(${ratio}) for ${ratio}%.` : 'Pass SamplingRate.percent(p) with p from 0 to 100.');
  }
}
