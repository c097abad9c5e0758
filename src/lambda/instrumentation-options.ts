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

  /**
   * Add the official Powertools for AWS Lambda layer for the function's runtime, version pinned by this library:
   * `AWSLambdaPowertoolsTypeScriptV2` for Node.js, `AWSLambdaPowertoolsPythonV3-<python3NN>-<architecture>` for
   * Python 3.10 to 3.14. Powertools for AWS Lambda (Java) and (.NET) publish no layer: bundle them with the code.
   *
   * Off by default: code that bundles the Tracer (esbuild, a `node_modules` or `requirements.txt` in the package)
   * would load its own copy and ignore the layer's, and the layer takes one of the five layers a function may have.
   * Turn it on when the package does not contain Powertools (`Code.fromAsset` of plain handler files); keep
   * `@aws-lambda-powertools/*` external when bundling with esbuild.
   *
   * @see https://docs.aws.amazon.com/powertools/typescript/latest/getting-started/lambda-layers/
   * @see https://docs.aws.amazon.com/powertools/python/latest/getting-started/install/
   * @default false
   */
  readonly layer?: boolean;

  /**
   * The Powertools layer version ARN to use instead of the pinned one (tokens are accepted). Setting it adds the layer
   * whatever `layer` says, for any runtime.
   *
   * @default - the version pinned by this library for the stack's region, when `layer` is true (a CloudFormation mapping
   * when the region is not known at synth time)
   */
  readonly layerArn?: string;
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
   * Turn on CloudWatch Application Signals in the layer (`OTEL_AWS_APPLICATION_SIGNALS_ENABLED=true`; the layer's own
   * default is on, this library's is off unless asked).
   *
   * When true, the function's role also gets the stack's `XRayWritePolicy/ApplicationSignalsData` policy: `logs:CreateLogGroup`,
   * `logs:CreateLogStream` and `logs:PutLogEvents` on the `/aws/application-signals/data` log group of this account
   * and Region — with the X-Ray writes every traced function gets, what the managed
   * `CloudWatchLambdaApplicationSignalsExecutionRolePolicy` grants, narrowed to one account and Region.
   * Application Signals must be enabled once per account and Region: add an `ApplicationSignalsDiscovery` to the app, or
   * declare it with `ApplicationSignalsDiscovery.enabledOutsideApp()` (XRayChecks reports an app that has neither).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-Enable-Lambda.html
   * @default false
   */
  readonly applicationSignals?: boolean;

  /**
   * Export spans straight to the X-Ray OTLP endpoint of the function's Region
   * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://xray.<region>.amazonaws.com/v1/traces`), signed with the function's
   * role, instead of through Lambda's own X-Ray endpoint (the layer's default, UDP to `AWS_XRAY_DAEMON_ADDRESS`).
   *
   * The endpoint takes spans only when CloudWatch Transaction Search is on in the account and Region: add a
   * `TransactionSearch` to the app, or declare it with `TransactionSearch.enabledOutsideApp()` (XRayChecks fails
   * synthesis on an app that has neither). Not available in the China Regions. AWS advises against combining it with
   * `applicationSignals` (Application Signals already includes Transaction Search, so spans would be paid twice): that
   * combination draws a warning.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
   * @default false
   */
  readonly directExport?: boolean;
}
