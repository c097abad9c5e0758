import { Duration, Token } from 'aws-cdk-lib';
import { CfnServiceLevelObjective } from 'aws-cdk-lib/aws-applicationsignals';
import { ProblemCollector } from '../private/errors';

/** Longest operation name. @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-applicationsignals-servicelevelobjective-slimetric.html */
const MAX_OPERATION_NAME_LENGTH = 255;

/** Longest key attribute value (service name, environment) in the Application Signals API. */
const MAX_KEY_ATTRIBUTE_LENGTH = 1024;

/** Printable ASCII with at least one character other than a space: the API's pattern for key attribute values. */
const KEY_ATTRIBUTE_PATTERN = /^[ -~]*[!-~]+[ -~]*$/;

/** A period-based SLI's statistic: 1–20 letters, digits and dots (`p99`, `Average`, `tm99.9`). */
const STATISTIC_PATTERN = /^[a-zA-Z0-9.]{1,20}$/;

/** Shortest and longest evaluation period of a period-based SLI, in seconds. */
const MIN_PERIOD_SECONDS = 60;
const MAX_PERIOD_SECONDS = 900;

/**
 * A service that Application Signals discovered: what an SLO on its latency or availability targets. Rendered as the
 * SLI's `KeyAttributes` `{ "Type": "Service", "Name": name, "Environment": environment }`.
 */
export interface ApplicationSignalsService {
  /**
   * The service name as Application Signals reports it (the `OTEL_SERVICE_NAME` of the instrumented workload).
   */
  readonly name: string;

  /**
   * The environment Application Signals places the service in, for example `eks:my-cluster/default`,
   * `ecs:my-cluster`, `lambda:default` or `generic:default`.
   */
  readonly environment: string;
}

/** How an SLI compares the metric with its threshold: when a period or request counts as good. */
export enum SliComparisonOperator {
  /** Good when the metric is at or above the threshold. */
  GREATER_THAN_OR_EQUAL = 'GreaterThanOrEqualTo',
  /** Good when the metric is above the threshold. */
  GREATER_THAN = 'GreaterThan',
  /** Good when the metric is below the threshold. */
  LESS_THAN = 'LessThan',
  /** Good when the metric is at or below the threshold. */
  LESS_THAN_OR_EQUAL = 'LessThanOrEqualTo',
}

/** How an SLO counts attainment. */
export enum SloEvaluationType {
  /**
   * Period-based (`Sli`): each period of the interval is good or bad; attainment is good periods / all periods.
   */
  PERIOD_BASED = 'PeriodBased',
  /**
   * Request-based (`RequestBasedSli`): each request is good or bad; attainment is good requests / all requests.
   */
  REQUEST_BASED = 'RequestBased',
}

/** What every Application Signals SLI on a service takes. */
export interface ServiceIndicatorOptions {
  /** The service the SLI measures. */
  readonly service: ApplicationSignalsService;

  /**
   * One operation of the service (for example `GET /orders`), 1–255 characters.
   *
   * @default - the whole service
   */
  readonly operation?: string;

  /**
   * Period-based or request-based.
   *
   * @default SloEvaluationType.PERIOD_BASED
   */
  readonly evaluation?: SloEvaluationType;

  /**
   * The length of each period of a period-based SLI: whole seconds from 60 to 900. Not used by request-based SLIs.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
}

/** A latency SLI: a period (or request) is good when the service's latency is below the threshold. */
export interface LatencyIndicatorProps extends ServiceIndicatorOptions {
  /** The latency threshold (Application Signals measures latency in milliseconds). Must be more than 0. */
  readonly threshold: Duration;

  /**
   * When a period or request is good.
   *
   * @default SliComparisonOperator.LESS_THAN
   */
  readonly comparison?: SliComparisonOperator;

  /**
   * The statistic a period-based SLI compares with the threshold: 1–20 letters, digits and dots. Not used by
   * request-based SLIs.
   *
   * @default 'p99'
   */
  readonly statistic?: string;
}

/** An availability SLI: the share of requests without a fault. */
export interface AvailabilityIndicatorProps extends ServiceIndicatorOptions {
  /**
   * For a period-based SLI: the availability (%) a period must reach to be good, more than 0 and at most 100. A
   * request-based SLI counts each request without a fault as good and takes no threshold: set the SLO's
   * `attainmentGoal` instead.
   *
   * @default 99.9 (period-based)
   */
  readonly threshold?: number;

  /**
   * For a period-based SLI: when a period is good.
   *
   * @default SliComparisonOperator.GREATER_THAN_OR_EQUAL
   */
  readonly comparison?: SliComparisonOperator;

  /**
   * For a period-based SLI: the statistic compared with the threshold.
   *
   * @default - the one Application Signals chooses
   */
  readonly statistic?: string;
}

/** The metric an Application Signals SLI reads. */
export enum SliMetricType {
  /** The `Latency` metric (milliseconds). */
  LATENCY = 'LATENCY',
  /** Availability: (1 - faults / requests) × 100. */
  AVAILABILITY = 'AVAILABILITY',
}

/** The rendered SLI of an SLO: exactly one of the two is set. @internal */
export interface RenderedIndicator {
  readonly sli?: CfnServiceLevelObjective.SliProperty;
  readonly requestBasedSli?: CfnServiceLevelObjective.RequestBasedSliProperty;
}

/**
 * The service level indicator of a `ServiceLevelObjective`: the latency or availability of a service (or one of its
 * operations) that Application Signals discovered.
 *
 * ```ts
 * ServiceLevelIndicator.latency({ service: { name: 'checkout', environment: 'eks:prod/default' }, threshold: Duration.millis(300) });
 * ServiceLevelIndicator.availability({ service, operation: 'POST /orders', evaluation: SloEvaluationType.REQUEST_BASED });
 * ```
 */
export class ServiceLevelIndicator {
  /** The latency of a service or operation. */
  public static latency(props: LatencyIndicatorProps): ServiceLevelIndicator {
    return new ServiceLevelIndicator(SliMetricType.LATENCY, props, props.comparison ?? SliComparisonOperator.LESS_THAN, props.statistic ?? 'p99');
  }

  /** The availability of a service or operation. */
  public static availability(props: AvailabilityIndicatorProps): ServiceLevelIndicator {
    return new ServiceLevelIndicator(SliMetricType.AVAILABILITY, props,
      props.comparison ?? SliComparisonOperator.GREATER_THAN_OR_EQUAL, props.statistic);
  }

  /** The metric the SLI reads. */
  public readonly metricType: SliMetricType;

  /** The service it measures. */
  public readonly service: ApplicationSignalsService;

  /**
   * The operation it measures.
   *
   * @default - the whole service
   */
  public readonly operation?: string;

  /** Period-based or request-based. */
  public readonly evaluation: SloEvaluationType;

  private constructor(
    metricType: SliMetricType,
    private readonly props: LatencyIndicatorProps | AvailabilityIndicatorProps,
    private readonly comparison: SliComparisonOperator,
    private readonly statistic: string | undefined,
  ) {
    this.metricType = metricType;
    this.service = props?.service;
    this.operation = props?.operation;
    this.evaluation = props?.evaluation ?? SloEvaluationType.PERIOD_BASED;
  }

  /**
   * Validates the SLI (problems go to `problems`, named `indicator.<prop>`) and renders it.
   *
   * @internal
   */
  public _render(problems: ProblemCollector): RenderedIndicator {
    const keyAttributes = this.renderKeyAttributes(problems);
    this.validateOperation(problems);
    const threshold = this.renderThreshold(problems);
    const requestBased = this.evaluation === SloEvaluationType.REQUEST_BASED;
    if (this.evaluation !== SloEvaluationType.PERIOD_BASED && !requestBased) {
      problems.add('indicator.evaluation', 'must be a SloEvaluationType', this.evaluation, 'Pass SloEvaluationType.PERIOD_BASED or SloEvaluationType.REQUEST_BASED.');
    }
    if (!Object.values(SliComparisonOperator).includes(this.comparison)) {
      problems.add('indicator.comparison', 'must be a SliComparisonOperator', this.comparison, 'Pass for example SliComparisonOperator.LESS_THAN.');
    }
    if (requestBased) {
      return { requestBasedSli: this.renderRequestBased(problems, keyAttributes, threshold) };
    }
    return {
      sli: {
        sliMetric: {
          keyAttributes,
          operationName: this.operation,
          metricType: this.metricType,
          periodSeconds: this.renderPeriod(problems),
          statistic: this.renderStatistic(problems),
        },
        metricThreshold: threshold ?? 99.9,
        comparisonOperator: this.comparison,
      },
    };
  }

  private renderRequestBased(problems: ProblemCollector, keyAttributes: Record<string, string>,
    threshold: number | undefined): CfnServiceLevelObjective.RequestBasedSliProperty {
    const fix = 'Request-based SLIs count requests, not periods: remove it, or use SloEvaluationType.PERIOD_BASED.';
    if (this.props.period !== undefined) {
      problems.add('indicator.period', 'is not used by a request-based SLI', this.props.period.toString(), fix);
    }
    if (this.metricType === SliMetricType.LATENCY && (this.props as LatencyIndicatorProps).statistic !== undefined) {
      problems.add('indicator.statistic', 'is not used by a request-based SLI', this.statistic, fix);
    }
    const metric = { keyAttributes, operationName: this.operation, metricType: this.metricType };
    if (this.metricType === SliMetricType.AVAILABILITY) {
      const props = this.props as AvailabilityIndicatorProps;
      for (const prop of ['threshold', 'comparison', 'statistic'] as const) {
        if (props[prop] !== undefined) {
          problems.add(`indicator.${prop}`, 'is not used by a request-based availability SLI, which counts each request without a fault as good',
            props[prop], 'Remove it and set the SLO\'s attainmentGoal (the share of good requests) instead.');
        }
      }
      return { requestBasedSliMetric: metric };
    }
    return { requestBasedSliMetric: metric, metricThreshold: threshold, comparisonOperator: this.comparison };
  }

  private renderKeyAttributes(problems: ProblemCollector): Record<string, string> {
    const service = this.service;
    if (service === undefined || service === null || typeof service !== 'object') {
      problems.add('indicator.service', 'must be an ApplicationSignalsService', service, 'Pass { name: \'checkout\', environment: \'eks:prod/default\' }.');
      return {};
    }
    for (const prop of ['name', 'environment'] as const) {
      const value = service[prop];
      if (Token.isUnresolved(value)) {
        continue;
      }
      if (typeof value !== 'string' || value.length < 1 || value.length > MAX_KEY_ATTRIBUTE_LENGTH || !KEY_ATTRIBUTE_PATTERN.test(value)) {
        problems.add(`indicator.service.${prop}`, `must be 1 to ${MAX_KEY_ATTRIBUTE_LENGTH} printable ASCII characters, not only spaces`, value,
          prop === 'name' ? 'Use the service name Application Signals shows (OTEL_SERVICE_NAME).' : 'Use the environment Application Signals shows, for example "eks:prod/default".');
      }
    }
    return { Type: 'Service', Name: service.name, Environment: service.environment };
  }

  private validateOperation(problems: ProblemCollector): void {
    const operation = this.operation;
    if (operation === undefined || Token.isUnresolved(operation)) {
      return;
    }
    if (typeof operation !== 'string' || operation.length < 1 || operation.length > MAX_OPERATION_NAME_LENGTH) {
      problems.add('indicator.operation', `must be 1 to ${MAX_OPERATION_NAME_LENGTH} characters long`, operation,
        'Use the operation name Application Signals shows, for example "GET /orders", or omit it for the whole service.');
    }
  }

  private renderThreshold(problems: ProblemCollector): number | undefined {
    if (this.metricType === SliMetricType.LATENCY) {
      const threshold = (this.props as LatencyIndicatorProps).threshold;
      if (!(threshold instanceof Duration)) {
        problems.add('indicator.threshold', 'must be a Duration', threshold, 'Pass for example Duration.millis(300).');
        return undefined;
      }
      let millis: number;
      try {
        millis = threshold.toMilliseconds({ integral: false });
      } catch (e) {
        problems.add('indicator.threshold', `cannot be read in milliseconds: ${e instanceof Error ? e.message : String(e)}`, threshold.toString(),
          'Pass a token threshold as Duration.millis(token).');
        return undefined;
      }
      if (!Token.isUnresolved(millis) && !(millis > 0 && Number.isFinite(millis))) {
        problems.add('indicator.threshold', 'must be more than 0', threshold.toString(), 'Pass the latency a good period or request stays under, for example Duration.millis(300).');
      }
      return millis;
    }
    const threshold = (this.props as AvailabilityIndicatorProps).threshold;
    if (threshold !== undefined && !Token.isUnresolved(threshold) && !(typeof threshold === 'number' && threshold > 0 && threshold <= 100)) {
      problems.add('indicator.threshold', 'must be more than 0 and at most 100', threshold, 'It is a percentage: 99.9 means 99.9 % of requests without a fault.');
    }
    return threshold;
  }

  private renderPeriod(problems: ProblemCollector): number {
    const period = this.props.period ?? Duration.minutes(1);
    if (!(period instanceof Duration)) {
      problems.add('indicator.period', 'must be a Duration', period, 'Pass for example Duration.minutes(5).');
      return MIN_PERIOD_SECONDS;
    }
    let seconds: number;
    try {
      seconds = period.toSeconds();
    } catch (e) {
      problems.add('indicator.period', `must be whole seconds: ${e instanceof Error ? e.message : String(e)}`, period.toString(), 'Pass for example Duration.minutes(5).');
      return MIN_PERIOD_SECONDS;
    }
    if (!Token.isUnresolved(seconds) && !(Number.isInteger(seconds) && seconds >= MIN_PERIOD_SECONDS && seconds <= MAX_PERIOD_SECONDS)) {
      problems.add('indicator.period', `must be ${MIN_PERIOD_SECONDS} to ${MAX_PERIOD_SECONDS} whole seconds`, period.toString(),
        'Pass a period from Duration.minutes(1) to Duration.minutes(15).');
    }
    return seconds;
  }

  private renderStatistic(problems: ProblemCollector): string | undefined {
    const statistic = this.statistic;
    if (statistic !== undefined && !Token.isUnresolved(statistic) && (typeof statistic !== 'string' || !STATISTIC_PATTERN.test(statistic))) {
      problems.add('indicator.statistic', 'must be 1 to 20 letters, digits and dots', statistic, 'Pass a CloudWatch statistic such as "p99" or "Average".');
    }
    return statistic;
  }
}
