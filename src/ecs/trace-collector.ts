import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
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
   * How long the collector's own logs are kept, in the log group this library creates (not with `logGroup`).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The log group that receives the collector's own logs (for example one encrypted with your KMS key, or shared).
   * Cannot be combined with `logEncryptionKey` or `logRetention`, which apply to the log group this library creates.
   *
   * @default - a new log group, `TraceCollectorLogs` under the task definition, with `logRetention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The KMS key that encrypts the log group this library creates for the collector's logs. When the key is defined in
   * this app, its key policy gets the statement that lets CloudWatch Logs in this account and Region use it.
   *
   * @default - the log group is encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
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
   * How long the daemon's own logs are kept, in the log group this library creates (not with `logGroup`).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The log group that receives the daemon's own logs (for example one encrypted with your KMS key, or shared).
   * Cannot be combined with `logEncryptionKey` or `logRetention`, which apply to the log group this library creates.
   *
   * @default - a new log group, `TraceCollectorLogs` under the task definition, with `logRetention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The KMS key that encrypts the log group this library creates for the daemon's logs. When the key is defined in
   * this app, its key policy gets the statement that lets CloudWatch Logs in this account and Region use it.
   *
   * @default - the log group is encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The sidecar that receives the task's traces and sends them to X-Ray.
 *
 * It listens on the narrowest address the task's network mode allows: `127.0.0.1` in `awsvpc` and `host` mode, where
 * the app containers share its network namespace, and `0.0.0.0` in `bridge` mode, where they reach it through a link
 * (the sidecar maps no host port there, but other containers on the instance's bridge network can reach it). Its
 * X-Ray sampling proxy (TCP 2000) signs what it forwards with the task role, so it is kept off every interface it
 * does not need.
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
