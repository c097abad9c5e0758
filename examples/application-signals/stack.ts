import * as path from 'path';
import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ApplicationSignalsDiscovery, LambdaInstrumentation, ServiceLevelIndicator, ServiceLevelObjective, SloInterval, TraceCollector,
  TracedFargateTaskDefinition, TracedFunction, TransactionSearch,
} from '../../src';

/**
 * Where X-Ray is going, in one stack: CloudWatch Application Signals on a Lambda function (the AWS Lambda Layer for
 * OpenTelemetry) and on an ECS service (the CloudWatch agent sidecar, both app containers wired), a service level
 * objective on the function's latency with a burn-rate alarm, and a second ECS service whose SDK exports straight to
 * the X-Ray OTLP endpoint with no sidecar. The account and Region get Application Signals discovery and Transaction
 * Search (which the direct export needs) from this stack; in an account where they are on already, replace them with
 * `ApplicationSignalsDiscovery.enabledOutsideApp(this, reason)` and `TransactionSearch.enabledOutsideApp(this, reason)`.
 */
export class ApplicationSignalsStack extends Stack {
  public readonly orders: TracedFunction;
  public readonly checkoutTask: TracedFargateTaskDefinition;
  public readonly catalogTask: TracedFargateTaskDefinition;
  public readonly ordersLatency: ServiceLevelObjective;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    // Once per account and Region.
    new ApplicationSignalsDiscovery(this, 'Discovery');
    new TransactionSearch(this, 'TransactionSearch');

    // A function with Application Signals: service `orders`, environment `lambda:default`. Its role may write to its
    // own log group only (instead of AWSLambdaBasicExecutionRole).
    const ordersLogs = new logs.LogGroup(this, 'OrdersLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const ordersRole = new iam.Role(this, 'OrdersRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    ordersLogs.grantWrite(ordersRole);
    this.orders = new TracedFunction(this, 'Orders', {
      role: ordersRole,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'orders.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers')),
      serviceName: 'orders',
      instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }),
      logGroup: ordersLogs,
    });

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const image = ecs.ContainerImage.fromAsset(path.join(__dirname, '..', 'ecs-fargate-adot', 'app'));

    // An ECS service with Application Signals: the CloudWatch agent sidecar receives both containers' spans and metrics.
    this.checkoutTask = new TracedFargateTaskDefinition(this, 'CheckoutTask', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      resourceAttributes: { 'deployment.environment': 'shop' },
      collector: TraceCollector.applicationSignals(),
    });
    for (const [construct, name] of [['Checkout', 'checkout'], ['CheckoutWorker', 'checkout-worker']]) {
      this.checkoutTask.addTracedContainer(construct, {
        containerName: name,
        image,
        logging: ecs.LogDrivers.awsLogs({
          streamPrefix: name,
          logGroup: new logs.LogGroup(this, `${construct}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
        }),
        serviceName: name,
      });
    }
    new ecs.FargateService(this, 'CheckoutService', { cluster, taskDefinition: this.checkoutTask, desiredCount: 2 });

    // An ECS service that exports straight to X-Ray: no sidecar; 10 % of new traces are recorded.
    this.catalogTask = new TracedFargateTaskDefinition(this, 'CatalogTask', {
      cpu: 512,
      memoryLimitMiB: 1024,
      collector: TraceCollector.directToXRay({ samplingRatio: 0.1 }),
    });
    this.catalogTask.addTracedContainer('Catalog', {
      containerName: 'catalog',
      image,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'catalog',
        logGroup: new logs.LogGroup(this, 'CatalogLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      }),
      serviceName: 'catalog',
    });
    new ecs.FargateService(this, 'CatalogService', { cluster, taskDefinition: this.catalogTask, desiredCount: 2 });

    // 99.9 % of periods with p99 latency under 300 ms over a rolling 30 days; page on a burn rate of 14.4 over an hour
    // (2 % of the month's error budget in that hour).
    this.ordersLatency = new ServiceLevelObjective(this, 'OrdersLatency', {
      indicator: ServiceLevelIndicator.latency({
        service: { name: 'orders', environment: 'lambda:default' },
        threshold: Duration.millis(300),
        statistic: 'p99',
      }),
      attainmentGoal: 99.9,
      interval: SloInterval.rollingDays(30),
    });
    this.ordersLatency.addBurnRateAlarm('FastBurn', { window: Duration.hours(1), threshold: 14.4 });

    // The findings this app accepts, each on the resource it concerns and with its reason.
    for (const task of [this.checkoutTask, this.catalogTask]) {
      Validations.of(task).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason: 'OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.',
      });
      Validations.of(task.executionRole!).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.',
      });
    }
  }
}
