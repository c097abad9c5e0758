import { Duration, Fn, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnGroup } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { FilterExpression } from './filter-expression';
import { parseFilterExpression } from './filter-parser';
import { lateProblem, tagProblems } from './late-checks';
import { describeEnvironment, environmentKey, registerInEnvironment } from '../private/environment-registry';
import { childPath, fail, ProblemCollector, unwrapResolutionError } from '../private/errors';
import { checkGrant } from '../private/iam-actions';
import { warn } from '../private/warnings';

/** Longest EventBridge rule description. @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html */
const MAX_RULE_DESCRIPTION_LENGTH = 512;

/** Groups per account and region: a fixed quota. @see https://docs.aws.amazon.com/general/latest/gr/xray.html */
const GROUP_QUOTA = 25;

/** The state of an X-Ray insight, as reported in its EventBridge events. */
export enum InsightState {
  /** The anomaly is ongoing. */
  ACTIVE = 'ACTIVE',
  /** The anomaly has ended. */
  CLOSED = 'CLOSED',
}

/** The category of an X-Ray insight. */
export enum InsightCategory {
  /** Faults (5xx) above the expected rate. */
  FAULT = 'FAULT',
}

/** What insight events a rule from `onInsight` matches, and where they go. */
export interface OnInsightOptions {
  /**
   * Only these states.
   *
   * @default - every state
   */
  readonly states?: InsightState[];

  /**
   * Only these categories.
   *
   * @default - every category
   */
  readonly categories?: InsightCategory[];

  /**
   * Where matching events go.
   *
   * @default - no target; add them with `rule.addTarget()`
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * A description of the rule.
   *
   * @default - one naming the group
   */
  readonly description?: string;
}

/**
 * Properties of a `TraceGroup`.
 */
export interface TraceGroupProps {
  /**
   * The group name: 1–32 characters, case-sensitive, unique in the account and region; `Default` is reserved.
   *
   * A second group of this app with the same name in the same account and region is an error naming the first
   * (stacks without an account and region count as one environment of their own).
   */
  readonly groupName: string;

  /**
   * The traces the group holds. Build one with the `FilterExpression` builders or check a string with
   * `FilterExpression.fromString()`.
   */
  readonly filterExpression: FilterExpression;

  /**
   * Turn on X-Ray Insights (anomaly detection) for the group. Insights is billed per trace processed.
   *
   * @default false
   */
  readonly insights?: boolean;

  /**
   * Send insight events to EventBridge. Requires `insights`.
   *
   * @default false
   */
  readonly insightNotifications?: boolean;
}

/** An X-Ray group, created here or imported. */
export interface ITraceGroup extends IResource {
  /** The group's ARN. @attribute */
  readonly groupArn: string;

  /** The group's name. @attribute */
  readonly groupName: string;
}

/**
 * An X-Ray group (`AWS::XRay::Group`): a saved filter expression with its own service map, trace list, CloudWatch
 * metric and, optionally, Insights.
 *
 * @example
 * new TraceGroup(this, 'Errors', {
 *   groupName: 'errors-in-prod',
 *   filterExpression: FilterExpression.flag(FilterFlag.FAULT),
 *   insights: true,
 * });
 */
export class TraceGroup extends Resource implements ITraceGroup {
  /**
   * Imports a group by ARN (`arn:<partition>:xray:<region>:<account>:group/<name>/<id>`).
   */
  public static fromGroupArn(scope: Construct, id: string, groupArn: string): ITraceGroup {
    const parts = Token.isUnresolved(groupArn) || typeof groupArn !== 'string' ? undefined
      : /^arn:[^:]+:xray:[^:]+:\d{12}:group\/([^/]+)\/[^/]+$/.exec(groupArn) ?? undefined;
    if (!Token.isUnresolved(groupArn) && parts === undefined) {
      fail(childPath(scope, id), 'groupArn', 'is not an X-Ray group ARN', groupArn,
        'Pass an ARN such as arn:aws:xray:us-east-1:111111111111:group/errors/ABCDEF1234567890.');
    }
    class Import extends Resource implements ITraceGroup {
      public readonly groupArn = groupArn;
      // group/<name>/<id>: the name is the second path element of the resource part.
      public readonly groupName = parts ? parts[1] : Fn.select(1, Fn.split('/', Fn.select(5, Fn.split(':', groupArn))));
    }
    return new Import(scope, id, { environmentFromArn: groupArn });
  }

  public readonly groupArn: string;
  public readonly groupName: string;

  /** The filter expression. */
  public readonly filterExpression: FilterExpression;

  /** Whether Insights is on. */
  public readonly insightsEnabled: boolean;

  private readonly notificationsEnabled: boolean;

  constructor(scope: Construct, id: string, props: TraceGroupProps) {
    super(scope, id, { physicalName: props?.groupName });
    if (props === undefined || props === null || typeof props !== 'object') {
      fail(this, 'props', 'are required', props, 'Pass { groupName, filterExpression }.');
    }
    validateGroup(this, props);
    this.groupName = props.groupName;
    this.filterExpression = typeof props.filterExpression === 'string'
      ? FilterExpression.fromString(props.filterExpression) // checked with the path by validateGroup
      : props.filterExpression;
    this.insightsEnabled = props.insights ?? false;
    this.notificationsEnabled = props.insightNotifications ?? false;
    const resource = new CfnGroup(this, 'Resource', {
      groupName: props.groupName,
      filterExpression: this.filterExpression.toString(),
      insightsConfiguration: props.insights || props.insightNotifications ? {
        insightsEnabled: props.insights ?? false,
        notificationsEnabled: props.insightNotifications ?? false,
      } : undefined,
    });
    this.groupArn = resource.attrGroupArn;
    this.node.addValidation({ validate: () => [...this.validateLazyExpression(), ...tagProblems(resource)] });

    const peers = registerInEnvironment('TraceGroup', this) as TraceGroup[];
    const sameName = peers.filter(p => p !== this && p.groupName === this.groupName && !Token.isUnresolved(this.groupName));
    if (sameName.length > 0) {
      fail(this, 'groupName', `is already used by ${sameName[0].node.path} in ${describeEnvironment(environmentKey(this))}`, this.groupName,
        'Group names must be unique per account and region: rename one of the groups.');
    }
    if (peers.length === GROUP_QUOTA + 1) {
      warn(this, 'groupQuota', `This app defines more than ${GROUP_QUOTA} X-Ray groups in ${describeEnvironment(environmentKey(this))}; ` +
        'X-Ray allows 25 groups per account and region (a fixed quota), so deploying this group will fail. Merge groups or filter in queries instead.');
    }
  }

  /**
   * An expression given as a token (`FilterExpression.fromString(Lazy.string(...))`) is parsed once it resolves to
   * plain text at synthesis, so a bad one names this group instead of reaching X-Ray.
   */
  private validateLazyExpression(): string[] {
    const text = this.filterExpression.toString();
    if (!Token.isUnresolved(text)) {
      return [];
    }
    let resolved: unknown;
    try {
      resolved = Stack.of(this).resolve(text);
    } catch (e) {
      return [lateProblem('filterExpression', `cannot be resolved: ${unwrapResolutionError(e instanceof Error ? e.message : String(e)).replace(/\.$/, '')}`,
        text, 'Check the token the expression was built from.')];
    }
    if (typeof resolved !== 'string') {
      return []; // a parameter or another deploy-time value: X-Ray checks it
    }
    const { problem } = parseFilterExpression(resolved);
    return problem === undefined ? [] : [lateProblem('filterExpression', problem.message, resolved, problem.hint)];
  }

  /** The annotation keys the group's filter expression references. */
  public get annotationKeys(): string[] {
    return [...this.filterExpression.annotationKeys];
  }

  /**
   * An EventBridge rule for this group's insight events (`source: aws.xray`, `detail-type: AWS X-Ray Insight Update`),
   * optionally only some states and categories, with any targets. Needs `insightNotifications: true`.
   */
  public onInsight(id: string, options: OnInsightOptions = {}): events.Rule {
    validateInsightOptions(this, id, options);
    const detail: Record<string, string[]> = { GroupName: [this.groupName] };
    if (options.states !== undefined && options.states.length > 0) {
      detail.State = [...options.states];
    }
    if (options.categories !== undefined && options.categories.length > 0) {
      detail.Categories = [...options.categories];
    }
    if (!this.notificationsEnabled) {
      fail(this, 'insightNotifications', `is off, so the rule from onInsight('${id}') would never fire`, false,
        'Set insights: true and insightNotifications: true on the group.');
    }
    return new events.Rule(this, id, {
      description: options.description ?? `X-Ray insight updates of group ${this.groupName}`,
      eventPattern: { source: ['aws.xray'], detailType: ['AWS X-Ray Insight Update'], detail },
      targets: options.targets,
    });
  }

  /**
   * The number of traces the group receives (`AWS/X-Ray` `ApproximateTraceCount`, dimension `GroupName`), summed
   * over one minute by default; X-Ray publishes it every minute.
   */
  public metricApproximateTraceCount(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/X-Ray',
      metricName: 'ApproximateTraceCount',
      dimensionsMap: { GroupName: this.groupName },
      statistic: 'Sum',
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * An alarm when the group receives more than `threshold` traces in `evaluationPeriods` consecutive minutes: for a
   * group of errors, an alarm on errors seen in traces.
   */
  public addTraceCountAlarm(id: string, threshold: number, evaluationPeriods: number = 1): cloudwatch.Alarm {
    const problems = new ProblemCollector(this);
    if (!Token.isUnresolved(threshold) && !(typeof threshold === 'number' && threshold >= 0 && Number.isFinite(threshold))) {
      problems.add('threshold', 'must be 0 or more', threshold, 'Pass the number of traces per minute above which to alarm.');
    }
    if (!Token.isUnresolved(evaluationPeriods) && (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)) {
      problems.add('evaluationPeriods', 'must be a whole number of 1 or more', evaluationPeriods, 'Pass the number of minutes in a row.');
    }
    problems.throwIfAny();
    return this.metricApproximateTraceCount().createAlarm(this, id, {
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `X-Ray group ${this.groupName} received more than ${threshold} traces per minute`,
    });
  }

  /** Grants actions on this group only. */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.groupArn] });
    return checkGrant(this.node.path, 'grant()', grant, grantee, actions, [this.groupArn]);
  }
}

function validateGroup(group: TraceGroup, props: TraceGroupProps): void {
  const problems = new ProblemCollector(group);
  const name = props.groupName;
  if (!Token.isUnresolved(name)) {
    if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
      problems.add('groupName', 'must be 1 to 32 characters long', name, 'Use a shorter name, unique in the account and region.');
    } else if (name === 'Default') {
      problems.add('groupName', 'is reserved for the group X-Ray creates', name, 'Choose another name.');
    } else if (!/^[A-Za-z0-9-]+$/.test(name)) {
      // The API sets no pattern, but the console accepts only letters, digits and dashes.
      warn(group, 'groupNameCharacters', `Group name ${JSON.stringify(name)} has characters other than letters, digits and dashes; ` +
        'the API accepts it, but the X-Ray console cannot create or edit such a group.');
    }
  }
  validateFilterExpression(problems, props.filterExpression);
  if (props.insightNotifications === true && props.insights !== true) {
    problems.add('insightNotifications', 'requires insights', 'insights: false',
      'Set insights: true as well: X-Ray only sends notifications for groups with Insights on.');
  }
  problems.throwIfAny();
}

/**
 * The expression is checked here again, so that a problem names the group: an expression given as a plain string
 * (JavaScript callers) is parsed with the group's path, and a missing one is reported instead of crashing.
 */
function validateFilterExpression(problems: ProblemCollector, expression: unknown): void {
  if (expression instanceof FilterExpression) {
    return; // the builders and fromString() checked it; its problems are thrown where it is built
  }
  if (typeof expression === 'string' && !Token.isUnresolved(expression)) {
    const { problem } = parseFilterExpression(expression);
    if (problem !== undefined) {
      problems.add('filterExpression', problem.message, expression, problem.hint);
    }
    return;
  }
  if (typeof expression !== 'string') {
    problems.add('filterExpression', 'is required and must be a FilterExpression', expression,
      'Build one with the FilterExpression builders or check a string with FilterExpression.fromString().');
  }
}

function validateInsightOptions(group: TraceGroup, id: string, options: OnInsightOptions): void {
  const problems = new ProblemCollector(group);
  const checkEnum = (prop: string, values: unknown, allowed: string[]) => {
    if (values === undefined) {
      return;
    }
    if (!Array.isArray(values)) {
      problems.add(prop, 'must be a list', values, `Pass a list of ${allowed.join(', ')}.`);
      return;
    }
    values.forEach((v, i) => {
      if (!Token.isUnresolved(v) && !allowed.includes(v)) {
        problems.add(`${prop}[${i}]`, `must be one of ${allowed.join(', ')}`, v, 'Use the enum members.');
      }
    });
  };
  checkEnum('states', options.states, Object.values(InsightState));
  checkEnum('categories', options.categories, Object.values(InsightCategory));
  const description = options.description;
  if (description !== undefined && !Token.isUnresolved(description) &&
    (typeof description !== 'string' || description.length > MAX_RULE_DESCRIPTION_LENGTH)) {
    problems.add('description', `must be at most ${MAX_RULE_DESCRIPTION_LENGTH} characters long`, description, 'Shorten the description.');
  }
  if (typeof id !== 'string' || id.length === 0) {
    problems.add('id', 'must be a non-empty construct id', id, "Pass an id such as 'OnInsight'.");
  }
  problems.throwIfAny();
}
