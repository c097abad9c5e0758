import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { Construct } from 'constructs';
import { ContainerInstrumentation, EcsTracing, TraceCollector } from '../../src';

/** Options of the example stack. */
export interface EcsFargateXRayDaemonStackProps extends StackProps {
  /**
   * The sidecar that receives the X-Ray SDK's segments. `TraceCollector.adot()` is the migration: the collector's X-Ray
   * receiver takes the same UDP traffic at the same address, and the app's code does not change.
   * @default TraceCollector.xrayDaemon()
   */
  readonly collector?: TraceCollector;
}

/**
 * The legacy path: an ALB-fronted Fargate service made by ecs-patterns, whose app uses the AWS X-Ray SDK, traced with
 * `EcsTracing.enable` and the X-Ray daemon sidecar. The daemon loses support on 2027-02-25 (a warning says so); the
 * migration is `TraceCollector.adot()`, whose X-Ray receiver accepts the same SDK traffic.
 */
export class EcsFargateXRayDaemonStack extends Stack {
  public readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;

  constructor(scope: Construct, id: string, props: EcsFargateXRayDaemonStackProps = {}) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster,
      cpu: 512,
      memoryLimitMiB: 1024,
      desiredCount: 2,
      publicLoadBalancer: true,
      taskImageOptions: {
        containerName: 'orders',
        image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'app')),
        containerPort: 8080,
      },
    });
    EcsTracing.enable(this.service.taskDefinition, {
      collector: props.collector ?? TraceCollector.xrayDaemon(),
      instrumentation: ContainerInstrumentation.xraySdk(),
      annotationKeys: ['route'],
    });

    Validations.of(this.service.taskDefinition).acknowledge(
      { id: 'AwsSolutions-ECS2', reason: 'The X-Ray SDK reads its daemon address only from AWS_XRAY_DAEMON_ADDRESS; nothing secret is set.' },
      { id: 'cdk-xray-constructs::xrayDaemonEndOfSupport', reason: 'Migration to the ADOT collector is planned before 2027-02-25.' },
      { id: 'XRay-XRaySdkEndOfSupport', reason: 'Migration to the ADOT collector and OpenTelemetry is planned before 2027-02-25.' },
    );
    Validations.of(this.service.taskDefinition.executionRole!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.',
    });
    Validations.of(this.service.loadBalancer).acknowledge(
      { id: 'AwsSolutions-ELB2', reason: 'ALB access logs are not kept; traces and the app logs record each request.' },
      { id: 'AwsSolutions-EC23', reason: 'The public load balancer accepts HTTP from the internet by design.' },
    );
  }
}
