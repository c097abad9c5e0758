import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AdotCollectorConfig } from './collector-config';

/**
 * What every tracing sidecar takes: its image, size and where its own logs go.
 */
export interface TraceSidecarOptions {
  /**
   * The sidecar image.
   *
   * @default - the pinned release: `public.ecr.aws/aws-observability/aws-otel-collector` v0.49.0 for the collector,
   * `public.ecr.aws/xray/aws-xray-daemon` 3.6.6 for the X-Ray daemon, `public.ecr.aws/cloudwatch-agent/cloudwatch-agent`
   * 1.300071.0b1720 for the CloudWatch agent
   */
  readonly image?: ecs.ContainerImage;

  /**
   * CPU units reserved for the sidecar.
   *
   * @default - 128 for the collector, 32 for the X-Ray daemon, 64 for the CloudWatch agent
   */
  readonly cpu?: number;

  /**
   * Memory reserved for the sidecar, in MiB (a soft limit; the collector's memory_limiter keeps it within 80 % of what
   * it can use).
   *
   * @default - 256, or 128 for the CloudWatch agent
   */
  readonly memoryReservationMiB?: number;

  /**
   * How long the sidecar's own logs are kept, in the log group this library creates (not with `logGroup`).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The log group that receives the sidecar's own logs (for example one encrypted with your KMS key, or shared).
   * Cannot be combined with `logEncryptionKey` or `logRetention`, which apply to the log group this library creates.
   *
   * @default - a new log group, `TraceCollectorLogs` under the task definition, with `logRetention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The KMS key that encrypts the log group this library creates for the sidecar's logs. When the key is defined in
   * this app, its key policy gets the statement that lets CloudWatch Logs in this account and Region use it.
   *
   * @default - the log group is encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Options for the AWS Distro for OpenTelemetry collector sidecar.
 */
export interface AdotCollectorOptions extends TraceSidecarOptions {
  /**
   * The collector configuration.
   *
   * @default - `new AdotCollectorConfig()`: OTLP in, X-Ray out, no attribute indexed beyond the declared annotation keys
   */
  readonly config?: AdotCollectorConfig;
}

/**
 * Options for the AWS X-Ray daemon sidecar (legacy: support ends on 2027-02-25).
 */
export interface XRayDaemonOptions extends TraceSidecarOptions {}

/**
 * Options for the CloudWatch agent sidecar of CloudWatch Application Signals (`TraceCollector.applicationSignals()`).
 *
 * The agent runs the configuration AWS documents for Application Signals on ECS (`CW_CONFIG_CONTENT`), which has
 * no option to set: it receives the ADOT SDKs' spans and Application Signals metrics on OTLP (4315 gRPC, 4316 HTTP),
 * proxies X-Ray's sampling API on TCP 2000, sends the spans to X-Ray and the metrics to the
 * `/aws/application-signals/data` log group.
 */
export interface ApplicationSignalsOptions extends TraceSidecarOptions {}

/**
 * Options for `TraceCollector.directToXRay()`: the app containers' OpenTelemetry SDKs export spans straight to the
 * X-Ray OTLP endpoint, with no sidecar.
 */
export interface DirectToXRayOptions {
  /**
   * The fraction of new traces the SDKs record, from 0 to 1: a head sampler (`parentbased_traceidratio`) decides when
   * a trace starts, and a request that arrives with a sampling decision keeps it. There is no local proxy for X-Ray's
   * sampling rules without a sidecar, so the rules of the X-Ray console do not apply to these containers.
   * A deploy-time value (a `Number` parameter) is accepted.
   *
   * @default 0.05
   */
  readonly samplingRatio?: number;
}
