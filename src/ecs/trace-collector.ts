import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AdotCollectorConfig } from './collector-config';

/**
 * Options for the AWS Distro for OpenTelemetry collector sidecar.
 */
export interface AdotCollectorOptions {
  /**
   * The collector configuration.
   *
   * @default - `new AdotCollectorConfig()`: OTLP in, X-Ray out, no attribute indexed beyond the declared annotation keys
   */
  readonly config?: AdotCollectorConfig;

  /**
   * The collector image.
   *
   * @default - the pinned `public.ecr.aws/aws-observability/aws-otel-collector` release (v0.49.0)
   */
  readonly image?: ecs.ContainerImage;

  /**
   * CPU units reserved for the collector.
   *
   * @default 128
   */
  readonly cpu?: number;

  /**
   * Memory reserved for the collector, in MiB (soft limit; the collector's memory_limiter keeps it within 80 % of
   * what it can use).
   *
   * @default 256
   */
  readonly memoryReservationMiB?: number;

  /**
   * How long the collector's own logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Options for the AWS X-Ray daemon sidecar (legacy: support ends on 2027-02-25).
 */
export interface XRayDaemonOptions {
  /**
   * The daemon image.
   *
   * @default - the pinned `public.ecr.aws/xray/aws-xray-daemon` release (3.6.6)
   */
  readonly image?: ecs.ContainerImage;

  /**
   * CPU units reserved for the daemon.
   *
   * @default 32
   */
  readonly cpu?: number;

  /**
   * Memory reserved for the daemon, in MiB.
   *
   * @default 256
   */
  readonly memoryReservationMiB?: number;

  /**
   * How long the daemon's own logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The sidecar that receives the task's traces and sends them to X-Ray.
 */
export class TraceCollector {
  /**
   * The AWS Distro for OpenTelemetry collector (recommended): apps send OTLP to it, it exports to X-Ray, proxies
   * X-Ray's sampling API and can tail-sample.
   */
  public static adot(options: AdotCollectorOptions = {}): TraceCollector {
    return new TraceCollector('adot', options, undefined);
  }

  /**
   * The AWS X-Ray daemon, for apps that still use an X-Ray SDK. It is in maintenance since 2026-02-25 and loses support
   * on 2027-02-25: a warning says how to move to `adot()`.
   */
  public static xrayDaemon(options: XRayDaemonOptions = {}): TraceCollector {
    return new TraceCollector('xrayDaemon', undefined, options);
  }

  /** `adot` or `xrayDaemon`. */
  public readonly kind: string;

  /** The collector options, when `kind` is `adot`. */
  public readonly adotOptions?: AdotCollectorOptions;

  /** The daemon options, when `kind` is `xrayDaemon`. */
  public readonly daemonOptions?: XRayDaemonOptions;

  private constructor(kind: string, adotOptions?: AdotCollectorOptions, daemonOptions?: XRayDaemonOptions) {
    this.kind = kind;
    this.adotOptions = adotOptions;
    this.daemonOptions = daemonOptions;
  }

  /** The name of the sidecar container. */
  public get containerName(): string {
    return this.kind === 'adot' ? 'otel-collector' : 'xray-daemon';
  }
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
    return new ContainerInstrumentation('openTelemetry');
  }

  /**
   * An AWS X-Ray SDK: the container gets `AWS_XRAY_DAEMON_ADDRESS` (and `AWS_XRAY_TRACING_NAME` for the service name).
   * With the collector, its X-Ray receiver is turned on.
   */
  public static xraySdk(): ContainerInstrumentation {
    return new ContainerInstrumentation('xraySdk');
  }

  /** Not instrumented: the container gets nothing (a proxy or a helper container). */
  public static none(): ContainerInstrumentation {
    return new ContainerInstrumentation('none');
  }

  /** `openTelemetry`, `xraySdk` or `none`. */
  public readonly kind: string;

  private constructor(kind: string) {
    this.kind = kind;
  }
}
