import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerInstrumentation } from './container-instrumentation';
import { TraceCollector } from './trace-collector';

/**
 * Tracing options for a whole task definition.
 */
export interface EcsTracingOptions {
  /**
   * Where the task's traces go: the sidecar that receives them (the ADOT collector, the X-Ray daemon, the CloudWatch
   * agent of Application Signals), or none (`TraceCollector.directToXRay()`).
   *
   * @default TraceCollector.adot()
   */
  readonly collector?: TraceCollector;

  /**
   * How the task's app containers produce traces, unless a container says otherwise.
   *
   * @default - `ContainerInstrumentation.openTelemetry()` with the collector, Application Signals and `directToXRay()`;
   * `xraySdk()` with the daemon
   */
  readonly instrumentation?: ContainerInstrumentation;

  /**
   * Annotation keys every app container of the task records. With the collector they are exactly what X-Ray indexes;
   * each app container also gets them comma-separated in `XRAY_ANNOTATION_KEYS`. A list token (a `CommaDelimitedList`
   * parameter's `valueAsList`) is joined at deploy time; its items must then be letters, digits and underscores.
   *
   * @default - none
   */
  readonly annotationKeys?: string[];

  /**
   * Extra OpenTelemetry resource attributes for every app container (`OTEL_RESOURCE_ATTRIBUTES`), for example
   * `{ 'deployment.environment': 'prod' }`. Values are percent-encoded as the variable requires (`,` `=` `%` `+`,
   * spaces, quotes and non-ASCII characters), so no value can add or override an attribute; a token value is passed as
   * it resolves. Keys are letters, digits and `! # $ & ' * + - . ^ _ \` | ~`; `service.name` is refused (use the
   * container's `serviceName`), and an `aws.log.group.names` given here replaces the one read from the log driver.
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
   * The service name this container reports (`OTEL_SERVICE_NAME`, or `AWS_XRAY_TRACING_NAME` for an X-Ray SDK): an
   * X-Ray segment name, 1 to 200 characters of letters, digits, spaces and `_ . : / % & # = + \ - @`.
   * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
   *
   * @default - the container name
   */
  readonly serviceName?: string;

  /**
   * Annotation keys this container records, in addition to the task's (a list token is joined at deploy time).
   *
   * @default - none
   */
  readonly annotationKeys?: string[];
}

/**
 * A container definition with tracing options.
 */
export interface TracedContainerDefinitionOptions extends ecs.ContainerDefinitionOptions, TracedContainerOptions {}
