/**
 * Languages the AWS Lambda Layer for OpenTelemetry is published for.
 */
export enum AdotLambdaLanguage {
  /** Python (`AWSOpenTelemetryDistroPython`). */
  PYTHON = 'python',
  /** Node.js (`AWSOpenTelemetryDistroJs`). */
  NODEJS = 'js',
  /** Java (`AWSOpenTelemetryDistroJava`). */
  JAVA = 'java',
  /** .NET (`AWSOpenTelemetryDistroDotNet`; x86_64 functions only). */
  DOTNET = 'dotnet',
}

/**
 * Options for Powertools for AWS Lambda's Tracer.
 */
export interface PowertoolsTracerOptions {
  /**
   * Record each handler's response as segment metadata (`POWERTOOLS_TRACER_CAPTURE_RESPONSE`).
   *
   * Off by default: responses often carry personal data, and a response over 64 KB makes the segment too large.
   *
   * @default false
   */
  readonly captureResponse?: boolean;

  /**
   * Record errors thrown by the handler as segment metadata (`POWERTOOLS_TRACER_CAPTURE_ERROR`).
   *
   * @default true
   */
  readonly captureError?: boolean;

  /**
   * Trace outgoing HTTP(S) requests as subsegments (`POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS`, TypeScript Tracer).
   *
   * @default true
   */
  readonly captureHttpsRequests?: boolean;
}

/**
 * Options for the AWS Lambda Layer for OpenTelemetry (AWS Distro for OpenTelemetry).
 */
export interface AdotLambdaOptions {
  /**
   * The language of the layer.
   *
   * @default - derived from the function's runtime family (Node.js, Python, Java or .NET)
   */
  readonly language?: AdotLambdaLanguage;

  /**
   * The layer version ARN to use instead of the pinned one. Tokens are accepted.
   *
   * Use it to pick up a newer layer before this library pins it, or for a region it does not know.
   *
   * @default - the version pinned by this library for the stack's region (a CloudFormation mapping when the region
   * is not known at synth time)
   */
  readonly layerArn?: string;

  /**
   * Turn on CloudWatch Application Signals in the layer (`OTEL_AWS_APPLICATION_SIGNALS_ENABLED`).
   *
   * When true, the function's role is also allowed to write to the `/aws/application-signals/data` log group.
   * Application Signals must be enabled in the account (once per account and region).
   *
   * @default false
   */
  readonly applicationSignals?: boolean;
}
