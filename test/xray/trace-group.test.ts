import { App, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events_targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  FilterExpression, FilterFlag, InsightCategory, InsightState, NumberKeyword, NumberOperator, StringOperator, TraceGroup,
} from '../../src';
import { newStack, warningsMatching } from '../util';

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
    new TraceGroup(stack, 'C', { groupName: Token.asString({ Ref: 'Name' }), filterExpression: FAULT });
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
      .toThrow(/groupName "errors" is already used by A\/G/);
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

  test('imports by ARN', () => {
    const stack = newStack();
    const group = TraceGroup.fromGroupArn(stack, 'Imported', 'arn:aws:xray:eu-west-1:111111111111:group/errors/ABCDEF');
    expect(group.groupName).toBe('errors');
    expect(() => TraceGroup.fromGroupArn(stack, 'Bad', 'arn:aws:xray:eu-west-1:111111111111:sampling-rule/x')).toThrow(/groupArn is not an X-Ray group ARN/);
  });
});
