import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerInstrumentationContext } from './private/instrumentation-binding';

/**
 * The languages AWS publishes an AWS Distro for OpenTelemetry auto-instrumentation image for
 * (`public.ecr.aws/aws-observability/adot-autoinstrumentation-<language>`).
 */
export enum AdotAutoInstrumentationLanguage {
  /** Java: the ADOT Java agent, loaded through `JAVA_TOOL_OPTIONS`. */
  JAVA = 'java',
  /** Python: the ADOT Python distro, loaded through `PYTHONPATH`. */
  PYTHON = 'python',
  /** Node.js (CommonJS): the ADOT JavaScript distro, loaded through `NODE_OPTIONS=--require`. */
  NODEJS = 'nodejs',
  /** .NET on Linux: the ADOT .NET distro, loaded through the CLR profiler and startup-hook variables. */
  DOTNET = 'dotnet',
}

/**
 * Options for `ContainerInstrumentation.adotAutoInstrumentation()`.
 */
export interface AdotAutoInstrumentationOptions {
  /** The language of the app in the container. */
  readonly language: AdotAutoInstrumentationLanguage;

  /**
   * The auto-instrumentation image the init container copies the agent from (it must hold `/javaagent.jar` for Java,
   * `/autoinstrumentation` for the others, and a `cp` command).
   *
   * @default - the pinned `public.ecr.aws/aws-observability/adot-autoinstrumentation-<language>` release
   */
  readonly image?: ecs.ContainerImage;
}

/** What `adotAutoInstrumentation()` adds besides the environment: an init container that copies the agent. */
interface AutoInstrumentationSpec {
  readonly language: AdotAutoInstrumentationLanguage;
  readonly image?: ecs.ContainerImage;
}

/** The behaviour of one kind of container instrumentation. */
interface Behaviour {
  readonly name: string;
  /** How it is written in code; `ContainerInstrumentation.<name>()` when not given. */
  readonly display?: string;
  readonly usesXRaySdk: boolean;
  readonly autoInstrumentation?: AutoInstrumentationSpec;
  /** The variables the container gets; undefined when it is not instrumented at all. */
  environment(context: ContainerInstrumentationContext): Record<string, string> | undefined;
}

/**
 * How an app container produces traces.
 */
export class ContainerInstrumentation {
  /**
   * OpenTelemetry (an SDK or zero-code agent, for example an AWS Distro for OpenTelemetry agent). What the container
   * gets depends on where the task's traces go:
   * - `TraceCollector.adot()`: `OTEL_EXPORTER_OTLP_ENDPOINT` (the sidecar's 4318), `OTEL_EXPORTER_OTLP_PROTOCOL`,
   *   `OTEL_TRACES_SAMPLER` (X-Ray remote sampling through the sidecar, or `always_on` when the collector tail-samples);
   * - `TraceCollector.applicationSignals()`: `OTEL_AWS_APPLICATION_SIGNALS_ENABLED=true`,
   *   `OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT` and `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the CloudWatch
   *   agent's 4316), `OTEL_EXPORTER_OTLP_PROTOCOL`, X-Ray remote sampling through the agent's 2000, and
   *   `OTEL_AWS_SERVICE_EVENTS_ENABLED=false` (the task role is not granted what Service Events need);
   * - `TraceCollector.directToXRay()`: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://xray.<region>.amazonaws.com/v1/traces`
   *   with `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf` (what the ADOT SDKs sign with SigV4),
   *   `OTEL_TRACES_SAMPLER=parentbased_traceidratio` with the ratio, `OTEL_AWS_APPLICATION_SIGNALS_ENABLED=false`;
   *
   * and always `OTEL_PROPAGATORS`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, and
   * `OTEL_METRICS_EXPORTER`/`OTEL_LOGS_EXPORTER=none` (only traces leave the SDK this way; Application Signals
   * metrics go through their own exporter). The ADOT .NET SDK signs direct exports only with `OTEL_TRACES_EXPORTER=none`
   * and `OTEL_AWS_SIG_V4_ENABLED=true`, which this generic instrumentation cannot know to set: set them on .NET containers.
   */
  public static openTelemetry(): ContainerInstrumentation {
    return new ContainerInstrumentation({
      name: 'openTelemetry',
      usesXRaySdk: false,
      environment: context => openTelemetryEnvironment(context),
    });
  }

  /**
   * An AWS X-Ray SDK: the container gets `AWS_XRAY_DAEMON_ADDRESS` (and `AWS_XRAY_TRACING_NAME` for the service name).
   * With the collector, its X-Ray receiver is turned on. Refused with `TraceCollector.applicationSignals()` and
   * `TraceCollector.directToXRay()`, which take OpenTelemetry spans only.
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

  /**
   * OpenTelemetry through the AWS Distro for OpenTelemetry zero-code agent of the container's language, which the task
   * gets the way AWS documents for ECS: an init container (`adot-init-<language>`, the pinned
   * `adot-autoinstrumentation-<language>` image) copies the agent into a task volume the app container mounts, and the
   * app container starts once the copy succeeded, with the variables that load the agent (`JAVA_TOOL_OPTIONS`,
   * `PYTHONPATH` with `OTEL_PYTHON_DISTRO`/`OTEL_PYTHON_CONFIGURATOR`, `NODE_OPTIONS`, or the .NET CLR profiler and
   * startup-hook variables) beside everything `openTelemetry()` sets. A `JAVA_TOOL_OPTIONS`, `NODE_OPTIONS` or
   * `PYTHONPATH` the container already has in the task definition is kept and extended; one its image sets is replaced
   * (ECS gives the task definition's value), so repeat it in the container's environment.
   *
   * Linux containers only (the pinned images are Linux images). .NET uses the `linux-arm64` profiler when the task's
   * `runtimePlatform` says ARM64, `linux-x64` otherwise. Node.js gets the CommonJS `--require` form; ES-module apps need
   * AWS's `--import` form (use `openTelemetry()` and set `NODE_OPTIONS` yourself).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-ECS-Sidecar.html
   */
  public static adotAutoInstrumentation(options: AdotAutoInstrumentationOptions): ContainerInstrumentation {
    const language = options?.language;
    return new ContainerInstrumentation({
      name: `adotAutoInstrumentation(${language})`,
      display: `ContainerInstrumentation.adotAutoInstrumentation({ language: ${language} })`,
      usesXRaySdk: false,
      autoInstrumentation: { language, image: options?.image },
      environment: context => openTelemetryEnvironment(context),
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
    return this.behaviour.display ?? `ContainerInstrumentation.${this.behaviour.name}()`;
  }

  /**
   * The name recorded and compared between calls (`openTelemetry`, `xraySdk`, `none`, `adotAutoInstrumentation(java)`).
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
   * The init container and agent variables `adotAutoInstrumentation()` adds; undefined for the others.
   * @internal
   */
  public get _autoInstrumentation(): AutoInstrumentationSpec | undefined {
    return this.behaviour.autoInstrumentation;
  }

  /**
   * The environment variables one container gets; undefined when it is not instrumented.
   * @internal
   */
  public _bind(context: ContainerInstrumentationContext): Record<string, string> | undefined {
    return this.behaviour.environment(context);
  }
}

/** The OpenTelemetry SDK variables for where the task's traces go (see `ContainerInstrumentation.openTelemetry()`). */
function openTelemetryEnvironment(context: ContainerInstrumentationContext): Record<string, string> {
  const { host, serviceName, tailSampling, resourceAttributes } = context;
  const identity: Record<string, string> = {
    OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
    OTEL_SERVICE_NAME: serviceName,
    ...(resourceAttributes !== undefined ? { OTEL_RESOURCE_ATTRIBUTES: resourceAttributes } : {}),
  };
  // Only traces leave through these exporters (the sidecars' pipelines carry traces only; Application Signals
  // metrics have an exporter of their own).
  const noOtherSignals = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
  switch (context.target) {
    case 'applicationSignals':
      // The variables of AWS's sidecar guide; the agent listens on the task's localhost (awsvpc only).
      return {
        OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true',
        OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT: `http://${host}:4316/v1/metrics`,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://${host}:4316/v1/traces`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        // Recent ADOT SDKs turn Service Events on with Application Signals; the agent would forward them to log groups
        // and a metrics endpoint the task role is not granted (see docs/ecs.md). Set it to true to opt in.
        OTEL_AWS_SERVICE_EVENTS_ENABLED: 'false',
        ...identity,
        OTEL_TRACES_SAMPLER: 'xray',
        OTEL_TRACES_SAMPLER_ARG: `endpoint=http://${host}:2000,polling_interval=300`,
        ...noOtherSignals,
      };
    case 'xrayOtlp':
      // The ADOT SDKs sign a traces endpoint that matches https://xray.<region>.amazonaws.com/v1/traces when the
      // traces protocol is http/protobuf (or unset) and the traces exporter otlp (or unset).
      return {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: context.xrayOtlpEndpoint!,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        // Application Signals needs the CloudWatch agent; without it the SDK would only add span attributes.
        OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
        ...identity,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: context.samplingRatio!,
        ...noOtherSignals,
      };
    default:
      return {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:4318`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        ...identity,
        OTEL_TRACES_SAMPLER: tailSampling ? 'always_on' : 'xray',
        ...(tailSampling ? {} : { OTEL_TRACES_SAMPLER_ARG: `endpoint=http://${host}:2000,polling_interval=300` }),
        ...noOtherSignals,
      };
  }
}
