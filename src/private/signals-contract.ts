/**
 * What the templates carry for direct export and account features, shared by the constructs that write it and the
 * template readers that check it (`src/template/signals.ts`). Imports nothing, so `cdk-xray check` stays free of
 * aws-cdk-lib.
 */

/**
 * The template-level metadata key under which a stack records the account and Region features its app relies on but
 * does not deploy itself (turned on outside the app: in the console, with the CLI, or by another app), as
 * `{ "<feature>": "<reason>" }`.
 */
export const ENABLED_OUTSIDE_METADATA = 'cdk-xray-constructs:enabled-outside';

/** An account and Region feature that can be declared as enabled outside the app. */
export type AccountFeature = 'TransactionSearch' | 'ApplicationSignalsDiscovery';

/**
 * The X-Ray OTLP traces endpoint, `https://xray.<region>.amazonaws.com/v1/traces`: OTLP over HTTP (protobuf), signed
 * with SigV4 for the `xray` service and authorized as `xray:PutTraceSegments`. Spans sent there need CloudWatch
 * Transaction Search in the account and Region.
 *
 * The AWS Distro for OpenTelemetry SDKs sign their export when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` matches exactly this
 * shape (the Node.js distro tests `^https://xray\.([a-z0-9-]+)\.amazonaws\.com/v1/traces$`); any other host, a China
 * Region's `amazonaws.com.cn` included, gets the plain unsigned OTLP exporter, which the endpoint refuses.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-opentelemetry-bearer-token.html
 */
export const XRAY_OTLP_TRACES_ENDPOINT_PATTERN = /^https:\/\/xray\.([a-z0-9-]+)\.amazonaws\.com\/v1\/traces$/;

/** The environment variable that points an OpenTelemetry SDK's trace exporter at an endpoint. */
export const OTLP_TRACES_ENDPOINT_ENV = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
