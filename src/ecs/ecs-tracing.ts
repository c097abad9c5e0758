import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerInstrumentation, TraceCollector } from './trace-collector';
import { enableEcsTracing, instrumentContainer } from '../private/ecs-tracing';

/**
 * Tracing options for a whole task definition.
 */
export interface EcsTracingOptions {
  /**
   * The sidecar that receives the task's traces.
   *
   * @default TraceCollector.adot()
   */
  readonly collector?: TraceCollector;

  /**
   * How the task's app containers produce traces, unless a container says otherwise.
   *
   * @default - `ContainerInstrumentation.openTelemetry()` with the collector, `xraySdk()` with the daemon
   */
  readonly instrumentation?: ContainerInstrumentation;

  /**
   * Annotation keys every app container of the task records. With the collector they are exactly what X-Ray indexes;
   * each app container also gets them comma-separated in `XRAY_ANNOTATION_KEYS`.
   *
   * @default - none
   */
  readonly annotationKeys?: string[];

  /**
   * Extra OpenTelemetry resource attributes for every app container (`OTEL_RESOURCE_ATTRIBUTES`), for example
   * `{ 'deployment.environment': 'prod' }`.
   *
   * @default - only `aws.log.group.names`, when the container logs to a CloudWatch log group
   */
  readonly resourceAttributes?: { [key: string]: string };
}

/**
 * Tracing options for one app container.
 */
export interface TracedContainerOptions {
  /**
   * How this container produces traces.
   *
   * @default - the task's `instrumentation`
   */
  readonly instrumentation?: ContainerInstrumentation;

  /**
   * The service name this container reports (`OTEL_SERVICE_NAME`, or `AWS_XRAY_TRACING_NAME` for an X-Ray SDK).
   *
   * @default - the container name
   */
  readonly serviceName?: string;

  /**
   * Annotation keys this container records, in addition to the task's.
   *
   * @default - none
   */
  readonly annotationKeys?: string[];
}

/**
 * A container definition with tracing options.
 */
export interface TracedContainerDefinitionOptions extends ecs.ContainerDefinitionOptions, TracedContainerOptions {}

/**
 * Traces task definitions made elsewhere: ecs-patterns services (`ApplicationLoadBalancedFargateService` and the
 * like), Fargate task definitions, and EC2 task definitions in `awsvpc`, `host` and `bridge` network modes (in
 * bridge mode the apps reach the sidecar through a link, by its container name).
 */
export class EcsTracing {
  /**
   * Adds the sidecar, instruments every app container (those already added, and those added later, at synthesis),
   * attaches the stack's `XRayWritePolicy` and the sampling reads to the task role. Calling it twice changes nothing.
   */
  public static enable(taskDefinition: ecs.TaskDefinition, options: EcsTracingOptions = {}): void {
    enableEcsTracing(taskDefinition, options, true);
  }

  /**
   * Sets one container's tracing options (instrumentation, service name, annotation keys). Its task definition must be
   * traced (`EcsTracing.enable` or `TracedFargateTaskDefinition`).
   */
  public static configureContainer(container: ecs.ContainerDefinition, options: TracedContainerOptions): void {
    instrumentContainer(container, options);
  }

  private constructor() {}
}
