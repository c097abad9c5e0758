import * as path from 'path';
import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  AdotCollectorConfig, SamplingRate, TailSamplingPolicy, TraceCollector, TracedFargateTaskDefinition,
} from '../../src';

/**
 * An ALB-fronted Fargate service whose OpenTelemetry app sends traces to an AWS Distro for OpenTelemetry collector
 * sidecar. The collector indexes exactly the declared annotation keys and tail-samples: every error and every request
 * slower than 2 seconds is kept, plus 10 % of the rest. The app's X-Ray propagator continues traces whose
 * `X-Amzn-Trace-Id` carries a `Parent`; a request with only the ALB's `Root` starts a new trace in the app.
 */
export class EcsFargateAdotStack extends Stack {
  public readonly taskDefinition: TracedFargateTaskDefinition;
  public readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.taskDefinition = new TracedFargateTaskDefinition(this, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      annotationKeys: ['tenant_tier'],
      resourceAttributes: { 'deployment.environment': 'prod' },
      collector: TraceCollector.adot({
        config: new AdotCollectorConfig({
          tailSampling: {
            policies: [
              TailSamplingPolicy.keepErrors(),
              TailSamplingPolicy.keepSlowerThan(Duration.seconds(2)),
              TailSamplingPolicy.baseline(SamplingRate.percent(10)),
            ],
          },
        }),
      }),
    });
    this.taskDefinition.addTracedContainer('Orders', {
      containerName: 'orders',
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'app')),
      portMappings: [{ containerPort: 8080 }],
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'orders',
        logGroup: new logs.LogGroup(this, 'OrdersLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      }),
      serviceName: 'orders',
      annotationKeys: ['order_kind'],
    });

    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 2,
      publicLoadBalancer: true,
    });
    this.service.targetGroup.configureHealthCheck({ path: '/health' });

    // The findings this app accepts, each on the resource it concerns and with its reason.
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.',
    });
    Validations.of(this.taskDefinition.executionRole!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.',
    });
    Validations.of(this.service.loadBalancer).acknowledge(
      { id: 'AwsSolutions-ELB2', reason: 'ALB access logs are not kept; traces and the app logs record each request.' },
      { id: 'AwsSolutions-EC23', reason: 'The public load balancer accepts HTTP from the internet by design.' },
    );
  }
}
