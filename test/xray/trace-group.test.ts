import { App, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events_targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { expectCase, expectCompleteTable, numberToken, stringToken, ValidationCase } from './util';
import {
  FilterExpression, FilterFlag, InsightCategory, InsightState, NumberKeyword, NumberOperator, StringOperator, TraceGroup,
} from '../../src';
import { errorOf, newStack, warningsMatching } from '../util';

const FAULT = FilterExpression.flag(FilterFlag.FAULT);

describe('TraceGroup', () => {
  test('renders the name, the expression and the Insights configuration', () => {
    const stack = newStack();
    new TraceGroup(stack, 'Group', {
      groupName: 'slow-checkout',
      filterExpression: FilterExpression.service('checkout', FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2)),
      insights: true,
      insightNotifications: true,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::Group', {
      GroupName: 'slow-checkout',
      FilterExpression: 'service("checkout") { responsetime > 2 }',
      InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: true },
    });
  });

  test('without Insights, no configuration is rendered', () => {
    const stack = newStack();
    new TraceGroup(stack, 'Group', { groupName: 'errors', filterExpression: FAULT });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::Group', { InsightsConfiguration: Match.absent() });
  });

  test('exposes the annotation keys its expression references', () => {
    const stack = newStack();
    const group = new TraceGroup(stack, 'Group', {
      groupName: 'tenant',
      filterExpression: FilterExpression.all(
        FilterExpression.annotationString('tenant_tier', StringOperator.EQUALS, 'enterprise'),
        FilterExpression.annotationPresent('order_kind'),
      ),
    });
    expect(group.annotationKeys).toEqual(['tenant_tier', 'order_kind']);
  });

  test.each([
    ['', /groupName must be 1 to 32 characters long \(got ""\)/],
    ['x'.repeat(33), /groupName must be 1 to 32 characters long/],
    ['Default', /groupName is reserved for the group X-Ray creates \(got "Default"\)/],
  ])('groupName %p is refused', (name, message) => {
    expect(() => new TraceGroup(newStack(), 'Group', { groupName: name, filterExpression: FAULT })).toThrow(message);
  });

  test('groupName boundaries pass: 1 and 32 characters; a token passes', () => {
    const stack = newStack();
    new TraceGroup(stack, 'A', { groupName: 'a', filterExpression: FAULT });
    new TraceGroup(stack, 'B', { groupName: 'b'.repeat(32), filterExpression: FAULT });
    new TraceGroup(stack, 'C', { groupName: stringToken(stack, 'Name'), filterExpression: FAULT });
    Template.fromStack(stack).resourceCountIs('AWS::XRay::Group', 3);
  });

  test('a name the console cannot edit draws a warning', () => {
    const stack = newStack();
    new TraceGroup(stack, 'Group', { groupName: 'errors_prod', filterExpression: FAULT });
    expect(warningsMatching(stack, 'characters other than letters, digits and dashes')).toHaveLength(1);
  });

  test('notifications require Insights', () => {
    expect(() => new TraceGroup(newStack(), 'Group', { groupName: 'g', filterExpression: FAULT, insightNotifications: true }))
      .toThrow(/\[Stack\/Group\] insightNotifications requires insights \(got "insights: false"\)/);
  });

  test('two groups with one name in one account and region: an error naming the first', () => {
    const app = new App();
    new TraceGroup(new Stack(app, 'A'), 'G', { groupName: 'errors', filterExpression: FAULT });
    expect(() => new TraceGroup(new Stack(app, 'B'), 'G', { groupName: 'errors', filterExpression: FAULT }))
      .toThrow(/^\[B\/G\] groupName is already used by A\/G in .* \(got "errors"\)\. Group names must be unique/);
  });

  test('the 26th group in an account and region draws the quota warning', () => {
    const stack = newStack();
    for (let i = 0; i < 26; i++) {
      new TraceGroup(stack, `G${i}`, { groupName: `g${i}`, filterExpression: FAULT });
    }
    expect(warningsMatching(stack, 'more than 25 X-Ray groups')).toHaveLength(1);
  });

  test('onInsight: an EventBridge rule for this group\'s insight updates, filtered, with targets', () => {
    const stack = newStack();
    const group = new TraceGroup(stack, 'Group', { groupName: 'errors', filterExpression: FAULT, insights: true, insightNotifications: true });
    const topic = new sns.Topic(stack, 'Topic');
    group.onInsight('OnInsight', { states: [InsightState.ACTIVE], categories: [InsightCategory.FAULT], targets: [new events_targets.SnsTopic(topic)] });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.xray'],
        'detail-type': ['AWS X-Ray Insight Update'],
        'detail': { GroupName: ['errors'], State: ['ACTIVE'], Categories: ['FAULT'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
  });

  test('onInsight without notifications is an error', () => {
    const stack = newStack();
    const group = new TraceGroup(stack, 'Group', { groupName: 'errors', filterExpression: FAULT, insights: true });
    expect(() => group.onInsight('OnInsight')).toThrow(/insightNotifications is off, so the rule from onInsight\('OnInsight'\) would never fire/);
  });

  test('the ApproximateTraceCount metric and an alarm on it', () => {
    const stack = newStack();
    const group = new TraceGroup(stack, 'Group', { groupName: 'errors', filterExpression: FAULT });
    const metric = group.metricApproximateTraceCount();
    expect(metric.namespace).toBe('AWS/X-Ray');
    expect(metric.metricName).toBe('ApproximateTraceCount');
    expect(metric.dimensions).toEqual({ GroupName: 'errors' });
    group.addTraceCountAlarm('Alarm', 10, 3);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/X-Ray',
      MetricName: 'ApproximateTraceCount',
      Threshold: 10,
      EvaluationPeriods: 3,
      Statistic: 'Sum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'GroupName', Value: 'errors' }],
    });
    expect(() => group.addTraceCountAlarm('Bad', -1, 0)).toThrow(/2 problems:[\s\S]*threshold must be 0 or more[\s\S]*evaluationPeriods must be a whole number/);
  });

  test('a filter expression given as a string (JavaScript) is checked, and its problem names the group', () => {
    // GIVEN / WHEN
    const message = errorOf(() => new TraceGroup(newStack(), 'Group', { groupName: 'g', filterExpression: 'fault AND' as any }));
    // THEN
    expect(message).toBe('[Stack/Group] filterExpression dangling AND at position 6: no condition follows it (got "fault AND"). Add a condition after AND, or remove it.');
  });

  test('a valid string expression is rendered; a missing one is a house error, not a TypeError', () => {
    const stack = newStack();
    new TraceGroup(stack, 'Group', { groupName: 'g', filterExpression: 'fault OR error' as any });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::Group', { FilterExpression: 'fault OR error' });
    expect(errorOf(() => new TraceGroup(newStack(), 'Group', { groupName: 'g' } as any)))
      .toMatch(/^\[Stack\/Group\] filterExpression is required and must be a FilterExpression \(got undefined\)/);
  });

  test('missing props are a house error, not a TypeError', () => {
    expect(errorOf(() => new TraceGroup(newStack(), 'Group', undefined as any))).toBe('[Stack/Group] props are required (got undefined). Pass { groupName, filterExpression }.');
  });

  test('an expression that is a token is parsed once it resolves at synthesis, naming the group', () => {
    // GIVEN
    const stack = newStack();
    new TraceGroup(stack, 'Group', { groupName: 'g', filterExpression: FilterExpression.fromString(Lazy.string({ produce: () => 'fault OR OR error' })) });
    // WHEN / THEN
    expect(errorOf(() => Template.fromStack(stack))).toContain('[Stack/Group] filterExpression OR at position 9 directly after OR (got "fault OR OR error"). AND and OR join two conditions.');
  });

  test('grants to AnyPrincipal are refused instead of granting nothing', () => {
    const stack = newStack();
    const group = new TraceGroup(stack, 'Group', { groupName: 'g', filterExpression: FAULT });
    expect(() => group.grant(new iam.AnyPrincipal(), 'xray:GetGroup')).toThrow(/^\[Stack\/Group\] grantee of grant\(\) holds no IAM policy in this app/);
  });

  test('imports by ARN', () => {
    const stack = newStack();
    const group = TraceGroup.fromGroupArn(stack, 'Imported', 'arn:aws:xray:eu-west-1:111111111111:group/errors/ABCDEF');
    expect(group.groupName).toBe('errors');
    expect(() => TraceGroup.fromGroupArn(stack, 'Bad', 'arn:aws:xray:eu-west-1:111111111111:sampling-rule/x')).toThrow(/groupArn is not an X-Ray group ARN/);
  });
});

describe('TraceGroup validation table', () => {
  const g = (extra: object) => (stack: Stack) => new TraceGroup(stack, 'Group', { groupName: 'g', filterExpression: FAULT, ...extra } as any);
  const rows: ValidationCase[] = [
    ['groupName', 'bad', g({ groupName: 'Default' }), /groupName is reserved for the group X-Ray creates \(got "Default"\)/],
    ['groupName', 'bad', g({ groupName: '' }), /groupName must be 1 to 32 characters long \(got ""\)/],
    ['groupName', 'boundary', g({ groupName: 'g'.repeat(32) }), undefined],
    ['groupName', 'boundary', g({ groupName: 'g'.repeat(33) }), /groupName must be 1 to 32 characters long/],
    ['groupName', 'token', s => new TraceGroup(s, 'Group', { groupName: stringToken(s, 'Name'), filterExpression: FAULT }), undefined],
    ['filterExpression', 'bad', g({ filterExpression: 'fault ==' }), /^\[Stack\/Group\] filterExpression unknown operator "==" at position 6/],
    ['filterExpression', 'bad', g({ filterExpression: 42 }), /filterExpression is required and must be a FilterExpression \(got 42\)/],
    ['filterExpression', 'boundary', g({ filterExpression: `${'('.repeat(100)}ok${')'.repeat(100)}` }), undefined],
    ['filterExpression', 'boundary', g({ filterExpression: `${'('.repeat(101)}ok${')'.repeat(101)}` }), /filterExpression "\(" at position 100 nests deeper than 100 levels/],
    ['filterExpression', 'token', s => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FilterExpression.fromString(stringToken(s, 'Expr')) }), undefined],
    ['insightNotifications', 'bad', g({ insightNotifications: true }), /insightNotifications requires insights \(got "insights: false"\)/],
    ['insightNotifications', 'boundary', g({ insights: true, insightNotifications: true }), undefined],
    ['insightNotifications', 'boundary', g({ insights: false, insightNotifications: true }), /insightNotifications requires insights/],
    ['insightNotifications', 'token', s => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FAULT, insights: true, insightNotifications: Token.asAny(stringToken(s, 'Notify')) as any }), undefined],
    ['tags', 'bad', s => { g({})(s); Tags.of(s).add('aws:owner', 'x'); }, /tags key "aws:owner" uses the prefix aws:/],
    ['tags', 'boundary', s => { g({})(s); for (let i = 0; i < 50; i++) Tags.of(s).add(`k${i}`, 'v'); }, undefined],
    ['tags', 'boundary', s => { g({})(s); for (let i = 0; i < 51; i++) Tags.of(s).add(`k${i}`, 'v'); }, /^Validation failed[\s\S]*\[Stack\/Group\] tags hold more than the 50 tags/],
    ['tags', 'token', s => { g({})(s); Tags.of(s).add('team', stringToken(s, 'Team')); }, undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});

describe('Insights (onInsight and the trace-count alarm) validation table', () => {
  const group = (s: Stack) => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FAULT, insights: true, insightNotifications: true });
  const rows: ValidationCase[] = [
    ['states', 'bad', s => group(s).onInsight('On', { states: ['OPEN' as any] }), /^\[Stack\/Group\] states\[0\] must be one of ACTIVE, CLOSED \(got "OPEN"\)/],
    ['states', 'boundary', s => group(s).onInsight('On', { states: [InsightState.ACTIVE, InsightState.CLOSED] }), undefined],
    ['states', 'boundary', s => group(s).onInsight('On', { states: 'ACTIVE' as any }), /states must be a list \(got "ACTIVE"\)/],
    ['states', 'token', s => group(s).onInsight('On', { states: [stringToken(s, 'State') as InsightState] }), undefined],
    ['categories', 'bad', s => group(s).onInsight('On', { categories: ['ERROR' as any] }), /categories\[0\] must be one of FAULT \(got "ERROR"\)/],
    ['categories', 'boundary', s => group(s).onInsight('On', { categories: [InsightCategory.FAULT] }), undefined],
    ['categories', 'boundary', s => group(s).onInsight('On', { categories: [InsightCategory.FAULT, 'fault' as any] }), /categories\[1\] must be one of FAULT/],
    ['categories', 'token', s => group(s).onInsight('On', { categories: [stringToken(s, 'Cat') as InsightCategory] }), undefined],
    ['description', 'bad', s => group(s).onInsight('On', { description: 7 as any }), /description must be at most 512 characters long \(got 7\)/],
    ['description', 'boundary', s => group(s).onInsight('On', { description: 'd'.repeat(512) }), undefined],
    ['description', 'boundary', s => group(s).onInsight('On', { description: 'd'.repeat(513) }), /description must be at most 512 characters long/],
    ['description', 'token', s => group(s).onInsight('On', { description: stringToken(s, 'Desc') }), undefined],
    ['insightNotifications', 'bad', s => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FAULT, insights: true }).onInsight('On'),
      /insightNotifications is off, so the rule from onInsight\('On'\) would never fire \(got false\)/],
    ['insightNotifications', 'boundary', s => group(s).onInsight('On'), undefined],
    ['insightNotifications', 'boundary', s => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FAULT }).onInsight('On'), /insightNotifications is off/],
    ['insightNotifications', 'token', s => new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FAULT, insights: true, insightNotifications: Token.asAny(stringToken(s, 'Notify')) as any }).onInsight('On'), undefined],
    ['threshold', 'bad', s => group(s).addTraceCountAlarm('A', Number.NaN), /threshold must be 0 or more \(got NaN\)/],
    ['threshold', 'bad', s => group(s).addTraceCountAlarm('A', '5' as any), /threshold must be 0 or more \(got "5"\)/],
    ['threshold', 'boundary', s => group(s).addTraceCountAlarm('A', 0), undefined],
    ['threshold', 'boundary', s => group(s).addTraceCountAlarm('A', -0.001), /threshold must be 0 or more \(got -0.001\)/],
    ['threshold', 'token', s => group(s).addTraceCountAlarm('A', numberToken(s, 'T')), undefined],
    ['evaluationPeriods', 'bad', s => group(s).addTraceCountAlarm('A', 1, 1.5), /evaluationPeriods must be a whole number of 1 or more \(got 1.5\)/],
    ['evaluationPeriods', 'boundary', s => group(s).addTraceCountAlarm('A', 1, 1), undefined],
    ['evaluationPeriods', 'boundary', s => group(s).addTraceCountAlarm('A', 1, 0), /evaluationPeriods must be a whole number of 1 or more \(got 0\)/],
    ['evaluationPeriods', 'token', s => group(s).addTraceCountAlarm('A', 1, numberToken(s, 'E')), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
