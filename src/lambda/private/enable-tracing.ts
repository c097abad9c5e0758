import { Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ensureXRayAccess, XRayAccessOutcome } from '../../iam/role-access';
import { toSegmentName, validateAnnotationKeys, validateSegmentName, ANNOTATION_KEYS_ENV } from '../../private/annotation-keys';
import { setEnvironmentWithoutOverwriting } from '../../private/environment';
import { fail, ProblemCollector, rethrowWithPath, validationMessage } from '../../private/errors';
import { TRACING_METADATA_KEY } from '../../private/metadata';
import { warn } from '../../private/warnings';
import { LambdaInstrumentation } from '../instrumentation';
import type { LambdaTracingOptions } from '../lambda-tracing-options';

/**
 * Lambda's limit on the total size of a function's environment variables: every key and value together, 4 KB.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const LAMBDA_ENVIRONMENT_LIMIT = 4096;

/** The metadata aws-cdk-lib records a construct's props under (with `@aws-cdk/core:enableAdditionalMetadataCollection`). */
const CONSTRUCT_PROPS_METADATA = 'aws:cdk:analytics:construct';

/** What the one enabling path needs beyond the public options. */
export interface EnableRequest extends LambdaTracingOptions {
  /** The tracing mode chosen by a construct of this library; undefined when called on an existing function. */
  readonly mode?: lambda.Tracing;
}

/** What was applied to a function, so a second call changes nothing. */
interface EnabledState {
  readonly layerAdded: boolean;
}

const enabled = new WeakMap<lambda.Function, EnabledState>();

/**
 * The single path that turns tracing on for a function. `TracedFunction`, `LambdaTracing.enable` and the aspect all
 * call it; applying it twice changes nothing.
 */
export function enableLambdaTracing(fn: lambda.Function, request: EnableRequest): void {
  const instrumentation = request.instrumentation ?? LambdaInstrumentation.activeOnly();
  validateOptions(fn, instrumentation, request);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const previous = enabled.get(fn);

  // Tracing mode: a mode already on the function (aws-cdk-lib's `tracing` prop or the L1) is kept.
  const presetMode = previous === undefined && cfn.tracingConfig !== undefined ? describeMode(fn, cfn) : undefined;
  if (cfn.tracingConfig === undefined) {
    cfn.tracingConfig = { mode: request.mode === lambda.Tracing.PASS_THROUGH ? 'PassThrough' : 'Active' };
  }

  // IAM, decided from the role's statements: the mode says nothing about them.
  const outcome = ensureLambdaRoleAccess(fn);
  if (presetMode !== undefined && outcome === XRayAccessOutcome.ALLOWED_BY_OTHER_POLICY) {
    warn(fn, 'inlineXRayStatement',
      `This function already had a tracing mode (${presetMode}) and its role already allows xray:PutTraceSegments through a ` +
      'policy other than the stack\'s XRayWritePolicy (aws-cdk-lib adds an inline statement on "*" for the tracing prop), so ' +
      'no second grant is added. Omit the tracing prop and let cdk-xray-constructs set the mode, so the role uses the ' +
      'stack\'s XRayWritePolicy instead (one policy per stack, no cdk-nag IAM5 finding on your policy).');
  }

  // Environment and layers for the instrumentation.
  const environment: Record<string, string> = {};
  const keys = request.annotationKeys;
  if (keys !== undefined && (Token.isUnresolved(keys) || keys.length > 0)) {
    environment[ANNOTATION_KEYS_ENV] = Token.isUnresolved(keys) ? Fn.join(',', keys) : keys.join(',');
  }
  const binding = instrumentation._bind(fn, {
    serviceName: request.serviceName,
    defaultServiceName: toSegmentName(fn.node.id),
    firstTime: previous === undefined,
    layerAdded: previous?.layerAdded ?? false,
  });
  Object.assign(environment, binding.environment);
  const layerAdded = binding.layerAdded;
  const before = environmentSize(fn);
  setEnvironment(fn, environment);
  checkEnvironmentSize(fn, before);

  cfn.addMetadata(TRACING_METADATA_KEY, {
    instrumentation: instrumentation._name,
    ...(request.serviceName !== undefined ? { serviceName: request.serviceName } : {}),
    ...(keys !== undefined ? { annotationKeys: keys } : {}),
    // Keys the instrumentation records by itself: the template reader counts them as indexed keys.
    ...(binding.recordedAnnotations !== undefined ? { recordedAnnotations: binding.recordedAnnotations } : {}),
  });
  enabled.set(fn, { layerAdded });
}

/**
 * Gives the role of a function that traces the X-Ray write actions, unless its statements already allow them. Used
 * for functions whose tracing mode was set elsewhere, which the aspect leaves as they are otherwise.
 */
export function ensureLambdaRoleAccess(fn: lambda.Function): XRayAccessOutcome {
  return ensureXRayAccess({ scope: fn, resource: fn.node.defaultChild as lambda.CfnFunction, role: fn.role, samplingReads: false, what: 'function' });
}

/**
 * Whether a function was created with `tracing: Tracing.DISABLED`. aws-cdk-lib renders DISABLED as no TracingConfig
 * at all, exactly like an unset mode; the only record of it is the construct-props metadata aws-cdk-lib writes when
 * `@aws-cdk/core:enableAdditionalMetadataCollection` is on (`cdk init` sets it).
 */
export function isTracingExplicitlyDisabled(fn: lambda.Function): boolean {
  return fn.node.metadata.some(m => m.type === CONSTRUCT_PROPS_METADATA
    && (m.data as { tracing?: unknown } | undefined)?.tracing === lambda.Tracing.DISABLED);
}

function describeMode(fn: lambda.Function, cfn: lambda.CfnFunction): string {
  const mode = (Stack.of(fn).resolve(cfn.tracingConfig) as { mode?: unknown } | undefined)?.mode;
  return typeof mode === 'string' ? mode : '<token>';
}

function validateOptions(fn: lambda.Function, instrumentation: LambdaInstrumentation, request: EnableRequest): void {
  const problems = new ProblemCollector(fn);
  if (request.mode === lambda.Tracing.DISABLED) {
    problems.add('tracing', 'cannot be DISABLED on a traced function', 'Tracing.DISABLED',
      'Use lambda.Function for a function that must not be traced, and acknowledge the tracing check on it with a reason.');
  }
  const serviceName = request.serviceName;
  if (serviceName !== undefined && !Token.isUnresolved(serviceName)) {
    if (!instrumentation.supportsServiceName) {
      problems.add('serviceName', `has no effect with ${instrumentation}`, serviceName,
        'X-Ray names the function\'s segment after the function; remove serviceName, or use LambdaInstrumentation.powertools() or adot().');
    } else {
      validateSegmentName(problems, 'serviceName', serviceName);
    }
  }
  validateAnnotationKeys(problems, 'annotationKeys', request.annotationKeys);
  instrumentation._validate(problems, fn);
  problems.throwIfAny();
}

/**
 * Sets environment variables without overwriting any the user set: a differing user value is kept and reported.
 * The library's variables are dropped when the function is used at the edge (Lambda@Edge takes no variables), so they
 * never make an edge function undeployable.
 */
function setEnvironment(fn: lambda.Function, wanted: Record<string, string>): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const current: Record<string, unknown> = Stack.of(fn).resolve(cfn.environment)?.variables ?? {};
  setEnvironmentWithoutOverwriting({
    scope: fn,
    owner: '',
    current: new Map(Object.entries(current)),
    add: (key, value) => {
      try {
        fn.addEnvironment(key, value, { removeInEdge: true });
      } catch (e) {
        rethrowWithPath(fn, `environment.${key}`, e, 'Trace this function with LambdaInstrumentation.activeOnly(), which sets no variables.', value);
      }
    },
  }, wanted);
}

/** The measurable size of a function's environment: keys and literal values in UTF-8; token values are skipped. */
interface EnvironmentSize {
  readonly bytes: number;
  readonly unmeasured: string[];
}

function environmentSize(fn: lambda.Function): EnvironmentSize {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const variables: Record<string, unknown> = Stack.of(fn).resolve(cfn.environment)?.variables ?? {};
  let bytes = 0;
  const unmeasured: string[] = [];
  for (const [key, value] of Object.entries(variables)) {
    bytes += Buffer.byteLength(key, 'utf8');
    if (typeof value === 'string') {
      bytes += Buffer.byteLength(value, 'utf8');
    } else {
      unmeasured.push(key);
    }
  }
  return { bytes, unmeasured };
}

function sizeProblem(size: EnvironmentSize): string {
  return `totals ${size.bytes} bytes of keys and values, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT}-byte limit on all of a function's variables` +
    (size.unmeasured.length > 0 ? ` (not counting the deploy-time values of ${size.unmeasured.join(', ')})` : '');
}

const SIZE_FIX = 'Shorten or remove variables (long configuration belongs in SSM Parameter Store or AppConfig); ' +
  'declare fewer or shorter annotationKeys (LambdaInstrumentation.activeOnly() with no annotationKeys adds no variables).';

const sizeValidated = new WeakSet<lambda.Function>();

/**
 * Checks the 4 KB total now, with the library's variables added, and again at synthesis, since variables can be
 * added to the function later.
 */
function checkEnvironmentSize(fn: lambda.Function, before: EnvironmentSize): void {
  const after = environmentSize(fn);
  if (after.bytes > LAMBDA_ENVIRONMENT_LIMIT) {
    const added = after.bytes - before.bytes;
    fail(fn, 'environment', `${sizeProblem(after)}; cdk-xray-constructs adds ${added} of them`, `${after.bytes} bytes`, SIZE_FIX);
  }
  if (!sizeValidated.has(fn)) {
    sizeValidated.add(fn);
    fn.node.addValidation({
      validate: () => {
        const size = environmentSize(fn);
        return size.bytes > LAMBDA_ENVIRONMENT_LIMIT
          ? [validationMessage(fn, fn, 'environment', sizeProblem(size), `${size.bytes} bytes`, SIZE_FIX)]
          : [];
      },
    });
  }
}

/**
 * The `lambda.Function` behind any function construct: a `Function` (or subclass such as `NodejsFunction` and
 * `DockerImageFunction`), the function of a `SingletonFunction`, or the function of a `Version` or `Alias`. An
 * imported function, or one this library cannot see into, is an error in the house format.
 */
export function functionToTrace(fn: lambda.IFunction): lambda.Function {
  if (fn === null || typeof fn !== 'object' || (fn as Partial<IConstruct>).node === undefined) {
    fail('LambdaTracing.enable', 'fn', 'must be a Lambda function construct', fn, 'Pass a lambda.Function (or a Version, Alias or SingletonFunction of one).');
  }
  const found = findFunction(fn);
  if (found !== undefined) {
    return found;
  }
  // The ARN of the innermost function reached (an alias's own ARN says less).
  let innermost: lambda.IFunction = fn;
  for (let next = lambdaOf(innermost), depth = 0; next !== undefined && next !== innermost && depth < 4; next = lambdaOf(innermost), depth++) {
    innermost = next;
  }
  const arn = Token.isUnresolved(innermost.functionArn) ? fn.functionArn : innermost.functionArn;
  if (!Resource.isOwnedResource(fn) || innermost !== fn) {
    fail(fn, 'fn', 'is an imported function (Function.fromFunctionArn or fromFunctionAttributes): its tracing and role cannot be changed from this app',
      arn, 'Turn tracing on where the function is defined (TracedFunction or LambdaTracing.enable in that app), or set its TracingConfig ' +
      'to Active and grant its role xray:PutTraceSegments and xray:PutTelemetryRecords there.');
  }
  return fail(fn, 'fn', `is a ${fn.constructor.name}, which is not a lambda.Function this library can trace`, arn,
    'Pass the lambda.Function it wraps.');
}

/** Like `functionToTrace`, but undefined instead of an error. */
export function findFunction(fn: lambda.IFunction): lambda.Function | undefined {
  let current: lambda.IFunction | undefined = fn;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    if (current instanceof lambda.Function) {
      return current;
    }
    if (current instanceof lambda.SingletonFunction) {
      const inner: IConstruct | undefined = Stack.of(current).node.tryFindChild(current.constructName);
      return inner instanceof lambda.Function ? inner : undefined;
    }
    const next = lambdaOf(current);
    current = next !== current ? next : undefined;
  }
  return undefined;
}

/** The function of a `Version`, an `Alias` or another `IVersion`. */
function lambdaOf(fn: lambda.IFunction): lambda.IFunction | undefined {
  const underlying = (fn as Partial<lambda.IVersion>).lambda;
  return underlying !== undefined && typeof underlying === 'object' ? underlying : undefined;
}

/**
 * Tracing for a raw `CfnFunction` that no `lambda.Function` wraps: active tracing unless a mode is set, and the
 * stack's X-Ray write policy on its role when the role is a `Role` of this app and does not already allow the
 * actions; any other role gets a warning saying what to grant. Idempotent.
 */
export function enableRawLambdaTracing(cfn: lambda.CfnFunction): void {
  if (cfn.tracingConfig === undefined) {
    cfn.tracingConfig = { mode: 'Active' };
  }
  ensureXRayAccess({ scope: cfn, resource: cfn, roleArn: cfn.role, samplingReads: false, what: 'function' });
}
