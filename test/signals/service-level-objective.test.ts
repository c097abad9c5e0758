import { Duration, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  ApplicationSignalsService, ServiceLevelIndicator, ServiceLevelObjective, SliComparisonOperator, SloEvaluationType, SloInterval,
} from '../../src';
import { newStack } from '../util';
import { expectCase, expectCompleteTable, numberToken, stringToken, ValidationCase } from '../xray/util';

const service: ApplicationSignalsService = { name: 'checkout', environment: 'eks:prod/default' };
const latency = (extra: object = {}) => ServiceLevelIndicator.latency({ service, threshold: Duration.millis(300), ...extra });
const availability = (extra: object = {}) => ServiceLevelIndicator.availability({ service, ...extra });

function slo(props: object = {}): (s: Stack) => ServiceLevelObjective {
  return s => new ServiceLevelObjective(s, 'Slo', { indicator: latency(), ...props } as any);
}

describe('ServiceLevelObjective: template', () => {
  test('a period-based latency SLO on a service: KeyAttributes, p99 over 1-minute periods, goal defaults', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const objective = new ServiceLevelObjective(stack, 'Slo', { indicator: latency(), serviceLevelObjectiveName: 'checkout-latency' });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      Name: 'checkout-latency',
      Sli: {
        SliMetric: {
          KeyAttributes: { Type: 'Service', Name: 'checkout', Environment: 'eks:prod/default' },
          MetricType: 'LATENCY',
          PeriodSeconds: 60,
          Statistic: 'p99',
        },
        MetricThreshold: 300,
        ComparisonOperator: 'LessThan',
      },
      Goal: { AttainmentGoal: 99, WarningThreshold: 50, Interval: { RollingInterval: { Duration: 7, DurationUnit: 'DAY' } } },
    });
    const [logicalId, resource] = Object.entries<any>(template.findResources('AWS::ApplicationSignals::ServiceLevelObjective'))[0];
    expect(resource.Properties.RequestBasedSli).toBeUndefined();
    expect(resource.Properties.BurnRateConfigurations).toBeUndefined();
    expect(resource.Properties.Sli.SliMetric.OperationName).toBeUndefined();
    expect(stack.resolve(objective.serviceLevelObjectiveArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(objective.serviceLevelObjectiveName).toBe('checkout-latency');
    expect(objective.indicator.service).toEqual(service);
  });

  test('an operation, a 5-minute period, a statistic and a comparison are rendered', () => {
    const stack = newStack();
    new ServiceLevelObjective(stack, 'Slo', {
      indicator: latency({ operation: 'GET /orders', period: Duration.minutes(5), statistic: 'p95', comparison: SliComparisonOperator.LESS_THAN_OR_EQUAL }),
      description: 'Checkout p95',
      attainmentGoal: 99.9,
      warningThreshold: 30,
      interval: SloInterval.calendarMonths(1, new Date('2026-01-01T00:00:00Z')),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      Description: 'Checkout p95',
      Sli: Match.objectLike({
        SliMetric: Match.objectLike({ OperationName: 'GET /orders', PeriodSeconds: 300, Statistic: 'p95' }),
        ComparisonOperator: 'LessThanOrEqualTo',
      }),
      Goal: { AttainmentGoal: 99.9, WarningThreshold: 30, Interval: { CalendarInterval: { Duration: 1, DurationUnit: 'MONTH', StartTime: 1767225600 } } },
    });
  });

  test('a period-based availability SLO compares Availability with 99.9 % by default', () => {
    const stack = newStack();
    new ServiceLevelObjective(stack, 'Slo', { indicator: availability(), interval: SloInterval.rollingMonths(1) });
    const properties = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApplicationSignals::ServiceLevelObjective'))[0].Properties;
    expect(properties.Sli).toEqual({
      SliMetric: { KeyAttributes: { Type: 'Service', Name: 'checkout', Environment: 'eks:prod/default' }, MetricType: 'AVAILABILITY', PeriodSeconds: 60 },
      MetricThreshold: 99.9,
      ComparisonOperator: 'GreaterThanOrEqualTo',
    });
    expect(properties.Goal.Interval).toEqual({ RollingInterval: { Duration: 1, DurationUnit: 'MONTH' } });
  });

  test('a request-based availability SLO has a RequestBasedSli with no threshold, period or statistic', () => {
    const stack = newStack();
    new ServiceLevelObjective(stack, 'Slo', { indicator: availability({ operation: 'POST /orders', evaluation: SloEvaluationType.REQUEST_BASED }) });
    const properties = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApplicationSignals::ServiceLevelObjective'))[0].Properties;
    expect(properties.Sli).toBeUndefined();
    expect(properties.RequestBasedSli).toEqual({
      RequestBasedSliMetric: {
        KeyAttributes: { Type: 'Service', Name: 'checkout', Environment: 'eks:prod/default' },
        OperationName: 'POST /orders',
        MetricType: 'AVAILABILITY',
      },
    });
  });

  test('a request-based latency SLO keeps its threshold and comparison', () => {
    const stack = newStack();
    new ServiceLevelObjective(stack, 'Slo', { indicator: latency({ evaluation: SloEvaluationType.REQUEST_BASED, threshold: Duration.seconds(1) }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      RequestBasedSli: {
        RequestBasedSliMetric: { KeyAttributes: Match.anyValue(), MetricType: 'LATENCY' },
        MetricThreshold: 1000,
        ComparisonOperator: 'LessThan',
      },
    });
  });

  test('the default name comes from the construct path and matches the CloudFormation pattern', () => {
    const stack = newStack();
    const objective = new ServiceLevelObjective(stack, 'Slo', { indicator: latency() });
    expect(objective.serviceLevelObjectiveName).toMatch(/^[0-9A-Za-z][-._0-9A-Za-z ]{0,126}[0-9A-Za-z]$/);
    expect(objective.serviceLevelObjectiveName).toContain('Slo');
  });

  test('tags reach the SLO', () => {
    const stack = newStack();
    Tags.of(stack).add('team', 'payments');
    new ServiceLevelObjective(stack, 'Slo', { indicator: latency() });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', { Tags: [{ Key: 'team', Value: 'payments' }] });
  });
});

describe('ServiceLevelObjective: burn rates and alarms', () => {
  test('burnRateWindows become BurnRateConfigurations', () => {
    const stack = newStack();
    new ServiceLevelObjective(stack, 'Slo', { indicator: latency(), burnRateWindows: [Duration.minutes(5), Duration.hours(1)] });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      BurnRateConfigurations: [{ LookBackWindowMinutes: 5 }, { LookBackWindowMinutes: 60 }],
    });
  });

  test('addBurnRateAlarm alarms on AWS/ApplicationSignals BurnRate for the SLO and window, and publishes the window once', () => {
    // GIVEN
    const stack = newStack();
    const objective = new ServiceLevelObjective(stack, 'Slo', { indicator: latency(), serviceLevelObjectiveName: 'checkout-latency', burnRateWindows: [Duration.minutes(5)] });
    // WHEN
    objective.addBurnRateAlarm('Fast', { window: Duration.hours(1), threshold: 14.4 });
    objective.addBurnRateAlarm('FastShort', { window: Duration.minutes(5), threshold: 14.4, evaluationPeriods: 3, datapointsToAlarm: 2, alarmName: 'slo-fast' });
    objective.addBurnRateAlarm('Again', { window: Duration.minutes(60), threshold: 6 });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      BurnRateConfigurations: [{ LookBackWindowMinutes: 5 }, { LookBackWindowMinutes: 60 }],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationSignals',
      MetricName: 'BurnRate',
      Dimensions: [{ Name: 'BurnRateWindowMinutes', Value: '60' }, { Name: 'SloName', Value: 'checkout-latency' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 14.4,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'slo-fast',
      Dimensions: Match.arrayWith([{ Name: 'BurnRateWindowMinutes', Value: '5' }]),
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  test('the alarm dimension follows a generated SLO name', () => {
    const stack = newStack();
    const objective = new ServiceLevelObjective(stack, 'Slo', { indicator: availability() });
    objective.addBurnRateAlarm('Alarm', { window: Duration.minutes(30), threshold: 2 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: Match.arrayWith([{ Name: 'SloName', Value: objective.serviceLevelObjectiveName }]),
    });
  });

  test.each([
    [{ window: Duration.hours(1), threshold: 0 }, /\[Stack\/Slo\] threshold must be more than 0 \(got 0\)/],
    [{ window: Duration.hours(1), threshold: -1 }, /threshold must be more than 0 \(got -1\)/],
    [{ window: Duration.hours(1), threshold: 1, evaluationPeriods: 0 }, /evaluationPeriods must be a whole number of 1 or more \(got 0\)/],
    [{ window: Duration.hours(1), threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 3 }, /datapointsToAlarm must be a whole number from 1 to evaluationPeriods \(got 3\)/],
    [{ window: Duration.days(8), threshold: 1 }, /window must be 1 to 10080 whole minutes \(7 days\) \(got "Duration.days\(8\)"\)/],
    [{ window: Duration.seconds(90), threshold: 1 }, /window must be whole minutes/],
    [{ window: 60, threshold: 1 }, /window must be a Duration \(got 60\)/],
  ])('addBurnRateAlarm refuses %p', (options, expected) => {
    const objective = slo()(newStack());
    expect(() => objective.addBurnRateAlarm('Alarm', options as any)).toThrow(expected);
  });

  test('addBurnRateAlarm takes boundary windows (1 minute, 7 days), a tiny threshold and token values', () => {
    const stack = newStack();
    const objective = slo()(stack);
    objective.addBurnRateAlarm('Min', { window: Duration.minutes(1), threshold: 0.001 });
    objective.addBurnRateAlarm('Max', { window: Duration.days(7), threshold: 1 });
    objective.addBurnRateAlarm('Token', { window: Duration.minutes(numberToken(stack, 'Window')), threshold: numberToken(stack, 'Threshold') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      BurnRateConfigurations: [{ LookBackWindowMinutes: 1 }, { LookBackWindowMinutes: 10080 }, { LookBackWindowMinutes: { Ref: 'Window' } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: { Ref: 'Threshold' } });
  });
});

describe('ServiceLevelObjective validation table', () => {
  const rows: ValidationCase[] = [

    ['serviceLevelObjectiveName', 'bad', slo({ serviceLevelObjectiveName: '-leading' }), /^\[Stack\/Slo\] serviceLevelObjectiveName must be 2 to 128 letters, digits, "-", ".", "_" and spaces, starting and ending with a letter or digit \(got "-leading"\)\. Choose/],
    ['serviceLevelObjectiveName', 'bad', slo({ serviceLevelObjectiveName: 'a/b' }), /serviceLevelObjectiveName must be 2 to 128/],
    ['serviceLevelObjectiveName', 'boundary', slo({ serviceLevelObjectiveName: 'ab' }), undefined],
    ['serviceLevelObjectiveName', 'boundary', slo({ serviceLevelObjectiveName: 'a' }), /serviceLevelObjectiveName must be 2 to 128/],
    ['serviceLevelObjectiveName', 'boundary', slo({ serviceLevelObjectiveName: `a${'-. _'.repeat(31)}ab1` }), undefined],
    ['serviceLevelObjectiveName', 'boundary', slo({ serviceLevelObjectiveName: 'a'.repeat(129) }), /serviceLevelObjectiveName must be 2 to 128/],
    ['serviceLevelObjectiveName', 'token', s => slo({ serviceLevelObjectiveName: stringToken(s, 'Name') })(s), undefined],

    ['description', 'bad', slo({ description: '' }), /description must be 1 to 1024 characters long \(got "0 characters"\)/],
    ['description', 'boundary', slo({ description: 'd'.repeat(1024) }), undefined],
    ['description', 'boundary', slo({ description: 'd'.repeat(1025) }), /description must be 1 to 1024 characters long \(got "1025 characters"\)/],
    ['description', 'token', s => slo({ description: stringToken(s, 'Description') })(s), undefined],

    ['attainmentGoal', 'bad', slo({ attainmentGoal: 100 }), /^\[Stack\/Slo\] attainmentGoal must be more than 0 and less than 100 \(got 100\)\. Pass for example 99\.9/],
    ['attainmentGoal', 'bad', slo({ attainmentGoal: '99' }), /attainmentGoal must be more than 0 and less than 100 \(got "99"\)/],
    ['attainmentGoal', 'boundary', slo({ attainmentGoal: 0 }), /attainmentGoal must be more than 0/],
    ['attainmentGoal', 'boundary', slo({ attainmentGoal: 0.01 }), undefined],
    ['attainmentGoal', 'boundary', slo({ attainmentGoal: 99.999 }), undefined],
    ['attainmentGoal', 'token', s => slo({ attainmentGoal: numberToken(s, 'Goal') })(s), undefined],

    ['warningThreshold', 'bad', slo({ warningThreshold: 150 }), /warningThreshold must be more than 0 and less than 100 \(got 150\)/],
    ['warningThreshold', 'boundary', slo({ warningThreshold: 0 }), /warningThreshold must be more than 0/],
    ['warningThreshold', 'boundary', slo({ warningThreshold: 99.9 }), undefined],
    ['warningThreshold', 'token', s => slo({ warningThreshold: numberToken(s, 'Warning') })(s), undefined],

    ['interval', 'bad', slo({ interval: { days: 7 } }), /interval must be a SloInterval/],
    ['interval', 'bad', slo({ interval: SloInterval.rollingDays(1.5) }), /interval must last a whole number of 1 or more days \(got 1\.5\)/],
    ['interval', 'boundary', slo({ interval: SloInterval.rollingDays(0) }), /interval must last a whole number of 1 or more days \(got 0\)/],
    ['interval', 'boundary', slo({ interval: SloInterval.rollingDays(1) }), undefined],
    ['interval', 'boundary', slo({ interval: SloInterval.calendarDays(1, new Date('2000-01-01T00:00:00Z')) }), undefined],
    ['interval', 'boundary', slo({ interval: SloInterval.calendarDays(1, new Date('1999-12-31T23:59:59Z')) }), /interval startTime must be 2000-01-01T00:00:00Z or later \(got "1999-12-31T23:59:59\.000Z"\)/],
    ['interval', 'bad', slo({ interval: SloInterval.calendarMonths(1, new Date('nope')) }), /interval startTime must be a valid Date/],
    ['interval', 'token', s => slo({ interval: SloInterval.rollingDays(numberToken(s, 'Days')) })(s), undefined],

    ['burnRateWindows', 'bad', slo({ burnRateWindows: [Duration.minutes(5), Duration.minutes(5)] }), /burnRateWindows\[1\] repeats a window already listed \(got "Duration.minutes\(5\)"\)/],
    ['burnRateWindows', 'bad', slo({ burnRateWindows: Duration.minutes(5) }), /burnRateWindows must be a list of Durations/],
    ['burnRateWindows', 'boundary', slo({ burnRateWindows: [Duration.minutes(1), Duration.minutes(10080)] }), undefined],
    ['burnRateWindows', 'boundary', slo({ burnRateWindows: [Duration.minutes(0)] }), /burnRateWindows\[0\] must be 1 to 10080 whole minutes/],
    ['burnRateWindows', 'boundary', slo({ burnRateWindows: [Duration.minutes(10081)] }), /burnRateWindows\[0\] must be 1 to 10080 whole minutes/],
    ['burnRateWindows', 'token', s => slo({ burnRateWindows: [Duration.minutes(numberToken(s, 'Window'))] })(s), undefined],

    ['indicator.service', 'bad', slo({ indicator: latency({ service: undefined }) }), /indicator\.service must be an ApplicationSignalsService/],
    ['indicator.service', 'bad', slo({ indicator: latency({ service: { name: '   ', environment: 'generic:default' } }) }), /indicator\.service\.name must be 1 to 1024 printable ASCII characters, not only spaces \(got "   "\)/],
    ['indicator.service', 'bad', slo({ indicator: latency({ service: { name: 'a', environment: 'eks:p\nq' } }) }), /indicator\.service\.environment must be 1 to 1024/],
    ['indicator.service', 'boundary', slo({ indicator: latency({ service: { name: 'n'.repeat(1024), environment: 'e' } }) }), undefined],
    ['indicator.service', 'boundary', slo({ indicator: latency({ service: { name: 'n'.repeat(1025), environment: 'e' } }) }), /indicator\.service\.name must be 1 to 1024/],
    ['indicator.service', 'token', s => slo({ indicator: latency({ service: { name: stringToken(s, 'Svc'), environment: stringToken(s, 'Env') } }) })(s), undefined],

    ['indicator.operation', 'bad', slo({ indicator: latency({ operation: '' }) }), /indicator\.operation must be 1 to 255 characters long \(got ""\)/],
    ['indicator.operation', 'boundary', slo({ indicator: latency({ operation: 'o'.repeat(255) }) }), undefined],
    ['indicator.operation', 'boundary', slo({ indicator: latency({ operation: 'o'.repeat(256) }) }), /indicator\.operation must be 1 to 255/],
    ['indicator.operation', 'token', s => slo({ indicator: latency({ operation: stringToken(s, 'Op') }) })(s), undefined],

    ['indicator.threshold', 'bad', slo({ indicator: latency({ threshold: 300 }) }), /indicator\.threshold must be a Duration \(got 300\)/],
    ['indicator.threshold', 'bad', slo({ indicator: availability({ threshold: 101 }) }), /indicator\.threshold must be more than 0 and at most 100 \(got 101\)/],
    ['indicator.threshold', 'bad', slo({ indicator: availability({ threshold: 99, evaluation: SloEvaluationType.REQUEST_BASED }) }), /indicator\.threshold is not used by a request-based availability SLI/],
    ['indicator.threshold', 'boundary', slo({ indicator: latency({ threshold: Duration.millis(0) }) }), /indicator\.threshold must be more than 0 \(got "Duration.millis\(0\)"\)/],
    ['indicator.threshold', 'boundary', slo({ indicator: latency({ threshold: Duration.millis(0.5) }) }), undefined],
    ['indicator.threshold', 'boundary', slo({ indicator: availability({ threshold: 0 }) }), /indicator\.threshold must be more than 0 and at most 100 \(got 0\)/],
    ['indicator.threshold', 'token', s => slo({ indicator: latency({ threshold: Duration.millis(numberToken(s, 'Ms')) }) })(s), undefined],
    ['indicator.threshold', 'token', s => slo({ indicator: latency({ threshold: Duration.seconds(numberToken(s, 'Sec')) }) })(s), /indicator\.threshold cannot be read in milliseconds/],

    ['indicator.period', 'bad', slo({ indicator: latency({ period: Duration.millis(61500) }) }), /indicator\.period must be whole seconds/],
    ['indicator.period', 'bad', slo({ indicator: latency({ period: Duration.minutes(5), evaluation: SloEvaluationType.REQUEST_BASED }) }), /indicator\.period is not used by a request-based SLI \(got "Duration.minutes\(5\)"\)\. Request-based SLIs count requests/],
    ['indicator.period', 'boundary', slo({ indicator: latency({ period: Duration.seconds(59) }) }), /indicator\.period must be 60 to 900 whole seconds \(got "Duration.seconds\(59\)"\)/],
    ['indicator.period', 'boundary', slo({ indicator: latency({ period: Duration.seconds(60) }) }), undefined],
    ['indicator.period', 'boundary', slo({ indicator: latency({ period: Duration.seconds(900) }) }), undefined],
    ['indicator.period', 'boundary', slo({ indicator: latency({ period: Duration.seconds(901) }) }), /indicator\.period must be 60 to 900/],
    ['indicator.period', 'token', s => slo({ indicator: latency({ period: Duration.seconds(numberToken(s, 'Period')) }) })(s), undefined],

    ['indicator.statistic', 'bad', slo({ indicator: latency({ statistic: 'p 99' }) }), /indicator\.statistic must be 1 to 20 letters, digits and dots \(got "p 99"\)/],
    ['indicator.statistic', 'bad', slo({ indicator: latency({ statistic: 'p99', evaluation: SloEvaluationType.REQUEST_BASED }) }), /indicator\.statistic is not used by a request-based SLI/],
    ['indicator.statistic', 'boundary', slo({ indicator: latency({ statistic: 't'.repeat(20) }) }), undefined],
    ['indicator.statistic', 'boundary', slo({ indicator: latency({ statistic: 't'.repeat(21) }) }), /indicator\.statistic must be 1 to 20/],
    ['indicator.statistic', 'token', s => slo({ indicator: latency({ statistic: stringToken(s, 'Stat') }) })(s), undefined],


  ];

  // Values that cannot be tokens: a ServiceLevelIndicator object and the enum choices.
  const choiceRows: ValidationCase[] = [
    ['indicator', 'bad', s => new ServiceLevelObjective(s, 'Slo', { indicator: { metricType: 'LATENCY' } as any }), /^\[Stack\/Slo\] indicator must be a ServiceLevelIndicator/],
    ['indicator', 'boundary', slo({ indicator: availability({ threshold: 100 }) }), undefined],
    ['indicator.comparison', 'bad', slo({ indicator: latency({ comparison: '<' }) }), /indicator\.comparison must be a SliComparisonOperator \(got "<"\)/],
    ['indicator.comparison', 'bad', slo({ indicator: availability({ comparison: SliComparisonOperator.GREATER_THAN, evaluation: SloEvaluationType.REQUEST_BASED }) }), /indicator\.comparison is not used by a request-based availability SLI/],
    ['indicator.comparison', 'boundary', slo({ indicator: availability({ comparison: SliComparisonOperator.GREATER_THAN }) }), undefined],
    ['indicator.evaluation', 'bad', slo({ indicator: latency({ evaluation: 'Hourly' }) }), /indicator\.evaluation must be a SloEvaluationType \(got "Hourly"\)/],
    ['indicator.evaluation', 'boundary', slo({ indicator: latency({ evaluation: SloEvaluationType.REQUEST_BASED }) }), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each([...rows, ...choiceRows])('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });

  test('several problems are reported together', () => {
    expect(() => slo({ attainmentGoal: 100, warningThreshold: 0, description: '' })(newStack()))
      .toThrow(/^3 problems:\n {2}- \[Stack\/Slo\] description .*\n {2}- \[Stack\/Slo\] attainmentGoal .*\n {2}- \[Stack\/Slo\] warningThreshold /);
  });
});
