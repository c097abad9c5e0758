import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LambdaTracingOptions } from './lambda-tracing-options';
import { validateFunctionLimits } from './private/function-limits';
import { childPath, fail, ProblemCollector, rethrowWithPath } from '../private/errors';
import { enableLambdaTracing } from './private/enable-tracing';

/**
 * Properties of a `TracedFunction`: everything `lambda.Function` takes, plus the tracing options.
 */
export interface TracedFunctionProps extends lambda.FunctionProps, LambdaTracingOptions {}

/**
 * A Lambda function with X-Ray tracing on, instrumented as asked, whose role uses the stack's `XRayWritePolicy`.
 *
 * `tracing` may be `ACTIVE` (the default) or `PASS_THROUGH`; `DISABLED` is an error, since a function that must not
 * be traced is a plain `lambda.Function`. aws-cdk-lib's own `adotInstrumentation` is refused in favour of
 * `instrumentation: LambdaInstrumentation.adot()`, which pins the current AWS Lambda Layer for OpenTelemetry.
 *
 * @example
 * new TracedFunction(this, 'Orders', {
 *   runtime: lambda.Runtime.NODEJS_22_X,
 *   handler: 'index.handler',
 *   code: lambda.Code.fromAsset('dist/orders'),
 *   instrumentation: LambdaInstrumentation.powertools(),
 *   serviceName: 'orders',
 *   annotationKeys: ['tenant_tier'],
 * });
 */
export class TracedFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    const path = scope?.node !== undefined ? childPath(scope, id) : String(id);
    if (props === undefined || props === null) {
      fail(path, 'props', 'are required', props, 'Pass at least runtime, handler and code, as for lambda.Function.');
    }
    const problems = new ProblemCollector(path);
    if (props.adotInstrumentation !== undefined) {
      problems.add('adotInstrumentation', 'is aws-cdk-lib\'s legacy ADOT layer and is not used by TracedFunction',
        'adotInstrumentation', 'Pass instrumentation: LambdaInstrumentation.adot() instead: it pins the current AWS Lambda Layer for OpenTelemetry.');
    }
    validateFunctionLimits(problems, props);
    problems.throwIfAny();
    try {
      // aws-cdk-lib's `tracing` would add an inline X-Ray statement on "*" to the role; the mode is set below instead.
      super(scope, id, { ...props, tracing: undefined });
    } catch (e) {
      // `throw` so that TypeScript sees super() as called on every path that continues.
      throw rethrowWithPath(path, 'props', e, 'Fix the lambda.FunctionProps named in the message.');
    }
    enableLambdaTracing(this, {
      instrumentation: props.instrumentation,
      serviceName: props.serviceName,
      annotationKeys: props.annotationKeys,
      mode: props.tracing ?? lambda.Tracing.ACTIVE,
    });
  }
}
