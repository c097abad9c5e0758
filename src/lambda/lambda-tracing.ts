import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaTracingOptions } from './lambda-tracing-options';
import { enableLambdaTracing, findFunction, functionToTrace } from './private/enable-tracing';
import { ANNOTATION_KEYS_ENV } from '../private/annotation-keys';
import { TRACING_METADATA_KEY } from '../private/metadata';

/**
 * Turns on X-Ray tracing for Lambda functions made elsewhere.
 */
export class LambdaTracing {
  /** The environment variable that carries a function's declared annotation keys, comma-separated. */
  public static readonly ANNOTATION_KEYS_ENV: string = ANNOTATION_KEYS_ENV;

  /**
   * Turns on tracing for an existing function of any kind (`Function`, `NodejsFunction`, `PythonFunction`,
   * `DockerImageFunction`, the function of a `SingletonFunction`, `Version` or `Alias`).
   *
   * - Active tracing is set unless the function already has a tracing mode (an explicit `PASS_THROUGH`, or a mode set
   *   on the `CfnFunction`, is kept). aws-cdk-lib renders `Tracing.DISABLED` exactly like an unset mode, so calling
   *   this on such a function turns tracing on: the call itself is the explicit intent.
   * - The function's role gets the stack's `XRayWritePolicy` unless its statements already allow
   *   `xray:PutTraceSegments` and `xray:PutTelemetryRecords` (a function created with a `tracing` prop has
   *   aws-cdk-lib's inline statement: a warning says how to avoid the duplicate). A role not made in this app gets a
   *   warning saying what to grant.
   * - Environment variables the user set are never overwritten: a differing value is kept and reported as a warning.
   *   The total of all variables must stay within Lambda's 4 KB, checked now and again at synthesis.
   *
   * An imported function (`Function.fromFunctionArn`, `fromFunctionAttributes`) cannot be changed from this app and
   * is an error: trace it where it is defined. Calling it twice with the same options changes nothing.
   */
  public static enable(fn: lambda.IFunction, options: LambdaTracingOptions = {}): void {
    enableLambdaTracing(functionToTrace(fn), options ?? {});
  }

  /**
   * The annotation keys a function declared through this library (empty when none, not traced by it, or imported).
   */
  public static declaredAnnotationKeys(fn: lambda.IFunction): string[] {
    const cfn = findFunction(fn)?.node.defaultChild as lambda.CfnFunction | undefined;
    const metadata = cfn?.getMetadata(TRACING_METADATA_KEY);
    return Array.isArray(metadata?.annotationKeys) ? [...metadata.annotationKeys] : [];
  }

  private constructor() {}
}

