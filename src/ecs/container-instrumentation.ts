import { ContainerInstrumentationContext } from './private/instrumentation-binding';

/** The behaviour of one kind of container instrumentation. */
interface Behaviour {
  readonly name: string;
  readonly usesXRaySdk: boolean;
  /** The variables the container gets; undefined when it is not instrumented at all. */
  environment(context: ContainerInstrumentationContext): Record<string, string> | undefined;
}

/**
 * How an app container produces traces.
 */
export class ContainerInstrumentation {
  /**
   * OpenTelemetry (an SDK or zero-code agent, for example an AWS Distro for OpenTelemetry agent): the container gets
   * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_PROPAGATORS`, `OTEL_SERVICE_NAME`,
   * `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_TRACES_SAMPLER` (X-Ray remote sampling through the sidecar, or `always_on`
   * when the collector tail-samples).
   */
  public static openTelemetry(): ContainerInstrumentation {
    return new ContainerInstrumentation({
      name: 'openTelemetry',
      usesXRaySdk: false,
      environment: ({ host, serviceName, tailSampling, resourceAttributes }) => ({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:4318`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
        OTEL_SERVICE_NAME: serviceName,
        ...(resourceAttributes !== undefined ? { OTEL_RESOURCE_ATTRIBUTES: resourceAttributes } : {}),
        OTEL_TRACES_SAMPLER: tailSampling ? 'always_on' : 'xray',
        ...(tailSampling ? {} : { OTEL_TRACES_SAMPLER_ARG: `endpoint=http://${host}:2000,polling_interval=300` }),
        // The sidecar's pipeline carries traces only.
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      }),
    });
  }

  /**
   * An AWS X-Ray SDK: the container gets `AWS_XRAY_DAEMON_ADDRESS` (and `AWS_XRAY_TRACING_NAME` for the service name).
   * With the collector, its X-Ray receiver is turned on.
   */
  public static xraySdk(): ContainerInstrumentation {
    return new ContainerInstrumentation({
      name: 'xraySdk',
      usesXRaySdk: true,
      environment: ({ host, serviceName }) => ({
        // The X-Ray SDKs want an address, not a host name, outside bridge mode.
        AWS_XRAY_DAEMON_ADDRESS: `${host === 'localhost' ? '127.0.0.1' : host}:2000`,
        AWS_XRAY_TRACING_NAME: serviceName,
      }),
    });
  }

  /** Not instrumented: the container gets nothing (a proxy or a helper container). */
  public static none(): ContainerInstrumentation {
    return new ContainerInstrumentation({ name: 'none', usesXRaySdk: false, environment: () => undefined });
  }

  private readonly behaviour: Behaviour;

  private constructor(behaviour: Behaviour) {
    this.behaviour = behaviour;
  }

  /** How it is written in code, e.g. `ContainerInstrumentation.openTelemetry()`. */
  public toString(): string {
    return `ContainerInstrumentation.${this.behaviour.name}()`;
  }

  /**
   * The name recorded and compared between calls (`openTelemetry`, `xraySdk`, `none`).
   * @internal
   */
  public get _name(): string {
    return this.behaviour.name;
  }

  /**
   * Whether the container uses an X-Ray SDK (the collector then turns its X-Ray receiver on).
   * @internal
   */
  public get _usesXRaySdk(): boolean {
    return this.behaviour.usesXRaySdk;
  }

  /**
   * The environment variables one container gets; undefined when it is not instrumented.
   * @internal
   */
  public _bind(context: ContainerInstrumentationContext): Record<string, string> | undefined {
    return this.behaviour.environment(context);
  }
}
