import { LambdaInstrumentation } from './instrumentation';

/**
 * Tracing options for a Lambda function.
 */
export interface LambdaTracingOptions {
  /**
   * How the function's code produces traces.
   *
   * @default LambdaInstrumentation.activeOnly()
   */
  readonly instrumentation?: LambdaInstrumentation;

  /**
   * The service name the instrumentation reports (`POWERTOOLS_SERVICE_NAME` for Powertools, `OTEL_SERVICE_NAME` for
   * the AWS Distro for OpenTelemetry). 1 to 200 characters of letters, digits, spaces and `_ . : / % & # = + \ - @`
   * (X-Ray's rule for segment names; no newline or tab).
   *
   * With `activeOnly()` and `xraySdk()` X-Ray names the segment after the function and there is nothing to set, so
   * passing a service name is an error.
   *
   * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
   * @default - Powertools: the construct id (characters X-Ray refuses replaced by `_`); AWS Distro for
   * OpenTelemetry: the function name
   */
  readonly serviceName?: string;

  /**
   * The annotation keys the function's code records, declared so they can be checked (X-Ray key charset, at most
   * 50) and handed to the code in the `XRAY_ANNOTATION_KEYS` environment variable, comma-separated.
   *
   * @default - none declared
   */
  readonly annotationKeys?: string[];
}
