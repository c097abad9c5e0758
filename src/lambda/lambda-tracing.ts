import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaInstrumentation } from './instrumentation';
import { ANNOTATION_KEYS_ENV, enableLambdaTracing, TRACING_METADATA_KEY } from '../private/lambda-tracing';

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
   * the AWS Distro for OpenTelemetry). At most 200 characters of letters, digits, whitespace and `_ . : / % & # = + \ - @`.
   *
   * With `activeOnly()` and `xraySdk()` X-Ray names the segment after the function and there is nothing to set, so
   * passing a service name is an error.
   *
   * @default - Powertools: the construct id; AWS Distro for OpenTelemetry: the function name
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

/**
 * Turns on X-Ray tracing for Lambda functions made elsewhere.
 */
export class LambdaTracing {
  /** The environment variable that carries a function's declared annotation keys, comma-separated. */
  public static readonly ANNOTATION_KEYS_ENV: string = ANNOTATION_KEYS_ENV;

  /**
   * Turns on tracing for an existing function of any kind (`Function`, `NodejsFunction`, `PythonFunction`,
   * `DockerImageFunction`, ...).
   *
   * - Active tracing is set unless the function already has a tracing mode (an explicit `PASS_THROUGH` is kept).
   *   aws-cdk-lib renders `Tracing.DISABLED` exactly like an unset mode, so calling this on such a function turns
   *   tracing on: the call itself is the explicit intent.
   * - The function's role gets the stack's `XRayWritePolicy`. A function created with a `tracing` prop already has
   *   aws-cdk-lib's inline statement, so it gets a warning saying how to avoid the duplicate instead.
   * - Environment variables the user set are never overwritten: a differing value is kept and reported as a warning.
   *
   * Calling it twice with the same options changes nothing.
   */
  public static enable(fn: lambda.Function, options: LambdaTracingOptions = {}): void {
    enableLambdaTracing(fn, options);
  }

  /**
   * The annotation keys a function declared through this library (empty when none or not traced by it).
   */
  public static declaredAnnotationKeys(fn: lambda.IFunction): string[] {
    const cfn = fn.node.defaultChild as lambda.CfnFunction | undefined;
    const metadata = cfn?.getMetadata?.(TRACING_METADATA_KEY);
    return metadata?.annotationKeys ? [...metadata.annotationKeys] : [];
  }

  private constructor() {}
}

