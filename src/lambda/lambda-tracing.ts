import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaTracingOptions } from './lambda-tracing-options';
import {
  enableLambdaTracing, enableRawLambdaTracing, ensureLambdaRoleAccess, findFunction, functionToTrace, isTracingExplicitlyDisabled,
} from './private/enable-tracing';
import { ANNOTATION_KEYS_ENV } from '../private/annotation-keys';
import { fail } from '../private/errors';
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
   * Turns on active tracing for a raw L1 function (`CfnFunction`) that no `lambda.Function` wraps, unless a mode is
   * set on it, and gives its role the X-Ray write actions: the stack's `XRayWritePolicy` when the role is an
   * `iam.Role` of this app whose statements do not already allow them; any other role gets a warning saying what to
   * grant. The L1 of a `lambda.Function` is traced through the function (`enable`). `EnableTracingAspect` calls this
   * for every raw function. Calling it twice changes nothing.
   */
  public static enableCfnFunction(cfnFunction: lambda.CfnFunction): void {
    if (!(cfnFunction instanceof lambda.CfnFunction)) {
      fail('LambdaTracing.enableCfnFunction', 'cfnFunction', 'must be a lambda.CfnFunction', cfnFunction,
        'Pass the CfnFunction, or a lambda.Function to LambdaTracing.enable.');
    }
    const owner = cfnFunction.node.scope;
    if (owner instanceof lambda.Function && owner.node.defaultChild === cfnFunction) {
      LambdaTracing.enable(owner);
      return;
    }
    enableRawLambdaTracing(cfnFunction);
  }

  /**
   * Gives a function whose tracing mode was set elsewhere (aws-cdk-lib's `tracing` prop, or `tracingConfig` on its
   * L1) what tracing needs from its role, decided from the role's statements: the stack's `XRayWritePolicy` unless
   * they already allow `xray:PutTraceSegments` and `xray:PutTelemetryRecords`; a role not made in this app gets a
   * warning saying what to grant. Changes nothing else. `EnableTracingAspect` calls this for functions that set their
   * own mode.
   */
  public static ensureXRayAccess(fn: lambda.IFunction): void {
    ensureLambdaRoleAccess(functionToTrace(fn));
  }

  /**
   * Whether a function was created with `tracing: Tracing.DISABLED` (known only where aws-cdk-lib records props).
   * @internal
   */
  public static _isExplicitlyDisabled(fn: lambda.Function): boolean {
    return isTracingExplicitlyDisabled(fn);
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

