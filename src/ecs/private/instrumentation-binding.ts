/** What the enable-path tells a container instrumentation when it binds it to one app container. */
export interface ContainerInstrumentationContext {
  /** How the container reaches the sidecar: `localhost`, or the sidecar's name through a link in bridge mode. */
  readonly host: string;
  /** The service name the container reports. */
  readonly serviceName: string;
  /** Whether the collector tail-samples, so every span must reach it. */
  readonly tailSampling: boolean;
  /** `OTEL_RESOURCE_ATTRIBUTES`, percent-encoded, when there are any. */
  readonly resourceAttributes?: string;
}
