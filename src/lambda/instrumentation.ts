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

/**
 * How a traced function's code produces traces.
 *
 * Lambda records a segment for every sampled invocation once active tracing is on; an instrumentation adds what the
 * code itself records (subsegments for AWS SDK and HTTP calls, annotations).
 */
export class LambdaInstrumentation {
  /**
   * Active tracing only: Lambda records the invocation, the code records nothing itself.
   */
  public static activeOnly(): LambdaInstrumentation {
    return new LambdaInstrumentation('activeOnly');
  }

  /**
   * The code uses an AWS X-Ray SDK, bundled with it.
   *
   * The X-Ray SDKs are in maintenance since 2026-02-25 and lose support on 2027-02-25: a warning suggests moving to
   * `adot()` or `powertools()`.
   */
  public static xraySdk(): LambdaInstrumentation {
    return new LambdaInstrumentation('xraySdk');
  }

  /**
   * The code uses Powertools for AWS Lambda's Tracer (bundled, or from a layer you add).
   *
   * Sets `POWERTOOLS_SERVICE_NAME` and the capture switches: response capture off, error capture on.
   */
  public static powertools(options: PowertoolsTracerOptions = {}): LambdaInstrumentation {
    return new LambdaInstrumentation('powertools', options, undefined);
  }

  /**
   * The AWS Lambda Layer for OpenTelemetry instruments the code without changes: adds the pinned layer for the
   * function's language and region and sets `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`.
   *
   * Container-image functions cannot take layers; install the AWS Distro for OpenTelemetry in the image instead and
   * use `activeOnly()`.
   */
  public static adot(options: AdotLambdaOptions = {}): LambdaInstrumentation {
    return new LambdaInstrumentation('adot', undefined, options);
  }

  /** The kind of instrumentation: `activeOnly`, `xraySdk`, `powertools` or `adot`. */
  public readonly kind: string;

  /** The Powertools options, when `kind` is `powertools`. */
  public readonly powertoolsOptions?: PowertoolsTracerOptions;

  /** The AWS Distro for OpenTelemetry options, when `kind` is `adot`. */
  public readonly adotOptions?: AdotLambdaOptions;

  private constructor(kind: string, powertoolsOptions?: PowertoolsTracerOptions, adotOptions?: AdotLambdaOptions) {
    this.kind = kind;
    this.powertoolsOptions = powertoolsOptions;
    this.adotOptions = adotOptions;
  }

  /** Whether this instrumentation has a setting for the service name. */
  public get supportsServiceName(): boolean {
    return this.kind === 'powertools' || this.kind === 'adot';
  }
}
