import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { EcsTracingOptions, TracedContainerOptions } from './ecs-tracing-options';
import { enableEcsTracing, instrumentContainer, instrumentIfPending, isTraced, isUntraceablePlatform } from './private/enable-tracing';

/**
 * Traces task definitions made elsewhere: ecs-patterns services (`ApplicationLoadBalancedFargateService` and the
 * like), Fargate task definitions, and EC2 task definitions in `awsvpc`, `host` and `bridge` network modes (in
 * bridge mode the apps reach the sidecar through a link, by its container name).
 */
export class EcsTracing {
  /**
   * Adds the sidecar (none with `TraceCollector.directToXRay()`), instruments every app container (those already
   * added, and those added later, at synthesis), and gives the task role what the sidecar or the SDKs need: the
   * stack's `XRayWritePolicy` and the sampling reads, the Application Signals log group for
   * `TraceCollector.applicationSignals()`, the OTLP span uploads for `directToXRay()`. Records the collector in the task
   * definition's `cdk-xray-constructs:tracing` metadata (`collector`: `adot`, `xrayDaemon`, `applicationSignals`,
   * `direct`). Calling it again with the same options changes nothing; with other options (another collector, other
   * keys) it fails and names each difference, since a task has one sidecar. Imported task definitions cannot be traced
   * (no container can be added to them).
   *
   * At synthesis the task is checked as a whole: at least one essential container (the sidecar is not one), the
   * memory its containers reserve within the task's, and no port mapped twice where the containers share one network
   * namespace (awsvpc, host), the sidecar's 4317, 4318, 2000 and 13133 included.
   */
  public static enable(taskDefinition: ecs.TaskDefinition, options: EcsTracingOptions = {}): void {
    enableEcsTracing(taskDefinition, options, true);
  }

  /**
   * Sets one container's tracing options (instrumentation, service name, annotation keys). Its task definition must be
   * traced (`EcsTracing.enable` or `TracedFargateTaskDefinition`). Setting the same options again changes nothing;
   * other options fail, naming what differs.
   */
  public static configureContainer(container: ecs.ContainerDefinition, options: TracedContainerOptions): void {
    instrumentContainer(container, options);
  }

  /**
   * Whether a task definition is traced by this library.
   */
  public static isTraced(taskDefinition: ecs.TaskDefinition): boolean {
    return isTraced(taskDefinition);
  }

  /**
   * Traces a task definition from an aspect: as `enable`, but registers no aspect of its own (an aspect may not add
   * aspects; the calling aspect instruments each container with `_instrumentContainer`). Tasks `enable` would refuse
   * for their platform (no network, NAT, Windows with the pinned Linux images) are skipped: false.
   * @internal
   */
  public static _enableFromAspect(taskDefinition: ecs.TaskDefinition, options: EcsTracingOptions): boolean {
    if (isTraced(taskDefinition) || isUntraceablePlatform(taskDefinition, options)) {
      return false;
    }
    enableEcsTracing(taskDefinition, options, true, false);
    return true;
  }

  /**
   * Instruments an app container of a traced task definition once (anything else: nothing).
   * @internal
   */
  public static _instrumentContainer(node: IConstruct): void {
    instrumentIfPending(node);
  }

  private constructor() {}
}
