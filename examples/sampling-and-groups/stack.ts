import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as events_targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  FilterExpression, FilterFlag, NumberKeyword, NumberOperator, SamplingRate, SamplingRule, SnsTracing, StringOperator, TraceGroup,
} from '../../src';

/**
 * Sampling rules and groups an on-call team keeps for an orders API behind API Gateway (stage `orders/prod`):
 *
 * - `orders-debug` (priority 1): every request carrying the `x-debug: on` header, at 100 %. API Gateway matches
 *   headers as rule attributes; the X-Ray SDKs ignore such rules (a warning says so, acknowledged below).
 * - `orders-health` (priority 10): health checks are never sampled.
 * - `orders-api` (priority 1000): 1 request per second, then 5 %.
 * - groups: errors in prod (`fault = true`, with Insights and notifications to an SNS topic), slow checkout, and the
 *   enterprise tenant by annotation.
 */
export class SamplingAndGroupsStack extends Stack {
  public readonly rules: SamplingRule[];
  public readonly groups: TraceGroup[];
  public readonly alerts: sns.Topic;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const debug = new SamplingRule(this, 'Debug', {
      samplingRuleName: 'orders-debug',
      priority: 1,
      serviceName: 'orders/prod',
      attributes: { 'x-debug': 'on' },
      fixedRate: SamplingRate.all(),
      reservoirSize: 0,
    });
    const apiGatewayOnly = 'The debug header is matched by API Gateway, where every trace of the orders API starts.';
    Validations.of(debug).acknowledge(
      { id: 'cdk-xray-constructs::ignoredBySdks', reason: apiGatewayOnly },
      { id: 'XRay-SamplingRuleIgnoredBySdks', reason: apiGatewayOnly },
    );
    const health = new SamplingRule(this, 'Health', {
      samplingRuleName: 'orders-health',
      priority: 10,
      serviceName: 'orders/prod',
      urlPath: '/health*',
      fixedRate: SamplingRate.none(),
      reservoirSize: 0,
    });
    const baseline = new SamplingRule(this, 'Baseline', {
      samplingRuleName: 'orders-api',
      priority: 1000,
      serviceName: 'orders/prod',
      fixedRate: SamplingRate.percent(5),
      reservoirSize: 1,
    });
    this.rules = [debug, health, baseline];

    const key = new kms.Key(this, 'AlertsKey', { enableKeyRotation: true, description: 'Encrypts X-Ray insight alerts' });
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alerts = new sns.Topic(this, 'Alerts', { displayName: 'X-Ray insights for orders', masterKey: key, enforceSSL: true });
    SnsTracing.enable(this.alerts);

    const errors = new TraceGroup(this, 'ErrorsInProd', {
      groupName: 'errors-in-prod',
      filterExpression: FilterExpression.flag(FilterFlag.FAULT),
      insights: true,
      insightNotifications: true,
    });
    errors.onInsight('InsightToAlerts', { targets: [new events_targets.SnsTopic(this.alerts)] });
    errors.addTraceCountAlarm('FaultAlarm', 10, 3);

    const slowCheckout = new TraceGroup(this, 'SlowCheckout', {
      groupName: 'slow-checkout',
      filterExpression: FilterExpression.service('checkout', FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2)),
    });
    const enterprise = new TraceGroup(this, 'EnterpriseTenant', {
      groupName: 'tenant-enterprise',
      filterExpression: FilterExpression.annotationString('tenant_tier', StringOperator.EQUALS, 'enterprise'),
    });
    this.groups = [errors, slowCheckout, enterprise];
  }
}
