/**
 * Where the app containers' OpenTelemetry SDKs send spans: a collector sidecar (OTLP 4318), the CloudWatch agent of
 * Application Signals (OTLP 4316), or the X-Ray OTLP endpoint itself.
 */
export type ExportTarget = 'collector' | 'applicationSignals' | 'xrayOtlp';

/** What the enable-path tells a container instrumentation when it binds it to one app container. */
export interface ContainerInstrumentationContext {
  /** Where the OpenTelemetry SDK sends spans: a collector sidecar, the CloudWatch agent of Application Signals, X-Ray's OTLP endpoint. */
  readonly target: ExportTarget;
  /** How the container reaches the sidecar: `localhost`, or the sidecar's name through a link in bridge mode. */
  readonly host: string;
  /** The service name the container reports. */
  readonly serviceName: string;
  /** Whether the collector tail-samples, so every span must reach it. */
  readonly tailSampling: boolean;
  /** `OTEL_RESOURCE_ATTRIBUTES`, percent-encoded, when there are any. */
  readonly resourceAttributes?: string;
  /** The X-Ray OTLP endpoint of the stack's Region (target `xrayOtlp`). */
  readonly xrayOtlpEndpoint?: string;
  /** The head sampler's ratio as the environment carries it (target `xrayOtlp`). */
  readonly samplingRatio?: string;
}
