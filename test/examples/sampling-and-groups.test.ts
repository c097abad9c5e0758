import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { SamplingAndGroupsStack } from '../../examples/sampling-and-groups/stack';
import { FilterExpression, TraceCostEstimate } from '../../src';

describe('examples/sampling-and-groups', () => {
  const stack = new SamplingAndGroupsStack(new App(), 'SamplingAndGroups');
  const template = Template.fromStack(stack);

  test('three rules: debug at 100 % by header, health checks at 0, the API at 1/s then 5 %', () => {
    template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        RuleName: 'orders-debug', Priority: 1, FixedRate: 1, ReservoirSize: 0, Attributes: { 'x-debug': 'on' },
      }),
    });
    template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        RuleName: 'orders-health', Priority: 10, FixedRate: 0, ReservoirSize: 0, URLPath: '/health*',
      }),
    });
    template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        RuleName: 'orders-api', Priority: 1000, FixedRate: 0.05, ReservoirSize: 1, ServiceName: 'orders/prod',
      }),
    });
  });

  test('the SDK-ignored debug rule is acknowledged with its reason, so it prints no warning', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ignore this rule'))).toEqual([]);
  });

  test('groups: errors in prod with Insights and notifications, slow checkout, enterprise tenant', () => {
    template.hasResourceProperties('AWS::XRay::Group', {
      GroupName: 'errors-in-prod', FilterExpression: 'fault', InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: true },
    });
    template.hasResourceProperties('AWS::XRay::Group', { GroupName: 'slow-checkout', FilterExpression: 'service("checkout") { responsetime > 2 }' });
    template.hasResourceProperties('AWS::XRay::Group', { GroupName: 'tenant-enterprise', FilterExpression: 'annotation.tenant_tier = "enterprise"' });
    for (const group of Object.values<any>(template.findResources('AWS::XRay::Group'))) {
      expect(FilterExpression.parse(group.Properties.FilterExpression).valid).toBe(true);
    }
  });

  test('insight updates of the errors group go to the encrypted alerts topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.xray'], 'detail-type': ['AWS X-Ray Insight Update'], 'detail': { GroupName: ['errors-in-prod'] } },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Alerts') } })],
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  test('the cost estimate for the example traffic: 22.8 million traces a month, about $137', () => {
    const traffic = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'sampling-and-groups', 'traffic.json'), 'utf8'));
    const [debug, health, api] = stack.rules;
    const estimate = TraceCostEstimate.fromTraffic({
      traffic: [
        TraceCostEstimate.trafficOf(debug, traffic.rules['orders-debug'].requestsPerSecond),
        TraceCostEstimate.trafficOf(health, traffic.rules['orders-health'].requestsPerSecond),
        TraceCostEstimate.trafficOf(api, traffic.rules['orders-api'].requestsPerSecond, traffic.rules['orders-api'].errorRatio),
      ],
      retrievedTracesPerMonth: traffic.retrievedTracesPerMonth,
      scannedTracesPerMonth: traffic.scannedTracesPerMonth,
      insightsEnabled: traffic.insightsEnabled,
    });
    // orders-api: 1/s + 149/s × 5 % = 8.45 traces/s; debug 0.05/s; health 0: 8.5 traces/s × 2,678,400 s.
    expect(estimate.tracesRecordedPerMonth).toBeCloseTo(8.5 * 2_678_400, 0);
    expect(estimate.monthlyCostUsd).toBeCloseTo(136.62, 2);
    expect(estimate.rules.map(r => r.name)).toEqual(['orders-debug', 'orders-health', 'orders-api']);
  });
});
