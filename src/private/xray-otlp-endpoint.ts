import { Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

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

/**
 * The X-Ray OTLP traces endpoint of the stack's Region: a literal when the Region is known at synthesis, otherwise a
 * string with the `AWS::Region` token. A China Region is refused: the SDKs would not sign for it.
 *
 * @param scope the construct whose stack decides the Region, where an error is reported
 * @param where the option that asked for direct export, for the error
 */
export function xrayOtlpTracesEndpoint(scope: IConstruct, where: string): string {
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && region.startsWith('cn-')) {
    fail(scope, where, 'cannot export straight to X-Ray in a China Region: the AWS Distro for OpenTelemetry SDKs sign only ' +
      'requests to https://xray.<region>.amazonaws.com/v1/traces', region,
    'Send spans through a collector there instead (TraceCollector.adot() on ECS, LambdaInstrumentation.adot() without directExport on Lambda).');
  }
  return `https://xray.${Token.isUnresolved(region) ? Aws.REGION : region}.amazonaws.com/v1/traces`;
}
