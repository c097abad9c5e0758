import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { validateAnnotationKeys } from './annotation-keys';
import { describe, fail, ProblemCollector } from './errors';
import { ADOT_LAMBDA_LAYER_NAMES, ADOT_LAMBDA_LAYERS, ADOT_LAMBDA_LAYERS_AS_OF, AdotLayerLanguageKey, adotLambdaLayerArn } from './pinned';
import { warn } from './warnings';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import { AdotLambdaLanguage, LambdaInstrumentation } from '../lambda/instrumentation';
import type { LambdaTracingOptions } from '../lambda/lambda-tracing';

/** The environment variable that carries a function's declared annotation keys, comma-separated. */
export const ANNOTATION_KEYS_ENV = 'XRAY_ANNOTATION_KEYS';

/** The CloudFormation metadata key under which a traced function records how it is traced. */
export const TRACING_METADATA_KEY = 'cdk-xray-constructs:tracing';

/** Lambda's limit on the total size of a function's environment variables (4 KB). */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;

/** The exec wrapper of the AWS Lambda Layer for OpenTelemetry. */
export const ADOT_EXEC_WRAPPER = '/opt/otel-instrument';

/**
 * X-Ray segment names: at most 200 characters of Unicode letters, digits, whitespace and `_ . : / % & # = + \ - @`.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 */
const SERVICE_NAME_PATTERN = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;

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

  // Tracing mode. A mode set before the first call came from aws-cdk-lib's `tracing` prop, which also added an
  // inline X-Ray statement to the role.
  const presetMode = previous === undefined ? Stack.of(fn).resolve(cfn.tracingConfig)?.mode : undefined;
  if (presetMode === undefined && previous === undefined) {
    cfn.tracingConfig = { mode: request.mode === lambda.Tracing.PASS_THROUGH ? 'PassThrough' : 'Active' };
  }

  // IAM: the stack's X-Ray write policy, unless aws-cdk-lib already granted the same actions inline.
  if (presetMode !== undefined) {
    warn(fn, 'inlineXRayStatement',
      `This function was created with a tracing mode (${presetMode}), so aws-cdk-lib already added an inline ` +
      'xray:PutTraceSegments statement on "*" to its role. Omit the tracing prop and let cdk-xray-constructs set it, so ' +
      'the role uses the stack\'s XRayWritePolicy instead (one policy per stack, no cdk-nag IAM5 finding on your policy).');
  } else if (fn.role !== undefined) {
    const writePolicy = XRayWritePolicy.of(fn.role);
    if (writePolicy.attachTo(fn.role, fn) && Stack.of(writePolicy) === Stack.of(fn)) {
      // As aws-cdk-lib does for a role's default policy: no invocation before the function may write its traces.
      cfn.node.addDependency(writePolicy.managedPolicy);
    }
  }

  // Environment and layers for the instrumentation.
  const environment: Record<string, string> = {};
  const keys = request.annotationKeys;
  if (keys !== undefined && (Token.isUnresolved(keys) || keys.length > 0)) {
    environment[ANNOTATION_KEYS_ENV] = Token.isUnresolved(keys) ? Fn.join(',', keys) : keys.join(',');
  }
  let layerAdded = previous?.layerAdded ?? false;
  switch (instrumentation.kind) {
    case 'xraySdk':
      if (previous !== undefined) {
        break;
      }
      warn(fn, 'xraySdkEndOfSupport',
        'The AWS X-Ray SDKs are in maintenance since 2026-02-25 and lose support on 2027-02-25. Move the code to ' +
        'OpenTelemetry (LambdaInstrumentation.adot()) or Powertools for AWS Lambda (LambdaInstrumentation.powertools()).');
      break;
    case 'powertools': {
      const options = instrumentation.powertoolsOptions ?? {};
      environment.POWERTOOLS_SERVICE_NAME = request.serviceName ?? fn.node.id;
      environment.POWERTOOLS_TRACER_CAPTURE_RESPONSE = String(options.captureResponse ?? false);
      environment.POWERTOOLS_TRACER_CAPTURE_ERROR = String(options.captureError ?? true);
      environment.POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS = String(options.captureHttpsRequests ?? true);
      break;
    }
    case 'adot': {
      const options = instrumentation.adotOptions ?? {};
      const language = adotLanguageOf(fn, options.language);
      if (!layerAdded) {
        const arn = options.layerArn ?? pinnedAdotLayerArn(fn, language);
        fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(fn, 'AdotLayer', arn));
        layerAdded = true;
      }
      environment.AWS_LAMBDA_EXEC_WRAPPER = ADOT_EXEC_WRAPPER;
      environment.OTEL_AWS_APPLICATION_SIGNALS_ENABLED = 'false';
      if (request.serviceName !== undefined) {
        environment.OTEL_SERVICE_NAME = request.serviceName;
      }
      break;
    }
    default:
      break;
  }
  setEnvironment(fn, environment);

  cfn.addMetadata(TRACING_METADATA_KEY, {
    instrumentation: instrumentation.kind,
    ...(request.serviceName !== undefined ? { serviceName: request.serviceName } : {}),
    ...(keys !== undefined ? { annotationKeys: keys } : {}),
  });
  enabled.set(fn, { layerAdded });
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
      problems.add('serviceName', `has no effect with LambdaInstrumentation.${instrumentation.kind}()`, serviceName,
        'X-Ray names the function\'s segment after the function; remove serviceName, or use LambdaInstrumentation.powertools() or adot().');
    } else if (!SERVICE_NAME_PATTERN.test(serviceName)) {
      problems.add('serviceName', 'must be 1 to 200 characters of letters, digits, whitespace and _ . : / % & # = + \\ - @', serviceName,
        'X-Ray rejects other segment names; choose a name such as "orders-api".');
    }
  }
  validateAnnotationKeys(problems, 'annotationKeys', request.annotationKeys);
  const keys = request.annotationKeys;
  if (keys !== undefined && !Token.isUnresolved(keys) && !keys.some(k => Token.isUnresolved(k))) {
    const size = ANNOTATION_KEYS_ENV.length + keys.join(',').length;
    if (size > LAMBDA_ENVIRONMENT_LIMIT) {
      problems.add('annotationKeys', `do not fit in Lambda's ${LAMBDA_ENVIRONMENT_LIMIT}-byte environment as ${ANNOTATION_KEYS_ENV}`, `${size} bytes`,
        'Use shorter keys: X-Ray filter expressions are easier to write with keys such as "tenant_tier".');
    }
  }
  if (instrumentation.kind === 'adot' && isImageFunction(fn)) {
    problems.add('instrumentation', 'cannot add the AWS Distro for OpenTelemetry layer to a container-image function',
      'LambdaInstrumentation.adot()',
      'Lambda does not run layers for image functions: install the AWS Distro for OpenTelemetry in the image (copy the ' +
      'layer contents into /opt and set AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument) and use LambdaInstrumentation.activeOnly().');
  }
  problems.throwIfAny();
}

function isImageFunction(fn: lambda.Function): boolean {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  return fn.runtime === lambda.Runtime.FROM_IMAGE || cfn.packageType === 'Image';
}

const LANGUAGE_OF_FAMILY: Partial<Record<lambda.RuntimeFamily, AdotLambdaLanguage>> = {
  [lambda.RuntimeFamily.NODEJS]: AdotLambdaLanguage.NODEJS,
  [lambda.RuntimeFamily.PYTHON]: AdotLambdaLanguage.PYTHON,
  [lambda.RuntimeFamily.JAVA]: AdotLambdaLanguage.JAVA,
  [lambda.RuntimeFamily.DOTNET_CORE]: AdotLambdaLanguage.DOTNET,
};

function adotLanguageOf(fn: lambda.Function, explicit: AdotLambdaLanguage | undefined): AdotLayerLanguageKey {
  const family = fn.runtime.family;
  const language = explicit ?? (family !== undefined ? LANGUAGE_OF_FAMILY[family] : undefined);
  if (language === undefined) {
    fail(fn, 'instrumentation', 'cannot pick an AWS Distro for OpenTelemetry layer for this runtime', fn.runtime.name,
      'The layer exists for Node.js, Python, Java and .NET; pass LambdaInstrumentation.adot({ language }) or use a supported runtime.');
  }
  if (language === AdotLambdaLanguage.DOTNET && fn.architecture.name === lambda.Architecture.ARM_64.name) {
    fail(fn, 'instrumentation', 'needs an x86_64 function: the .NET AWS Distro for OpenTelemetry layer is published for x86_64 only',
      fn.architecture.name, 'Use architecture: lambda.Architecture.X86_64, or pass a layerArn built for arm64.');
  }
  return language as AdotLayerLanguageKey;
}

/**
 * The pinned layer ARN for the function's region: a literal when the region is known at synth time, otherwise a
 * CloudFormation mapping lookup, so environment-agnostic stacks work.
 */
function pinnedAdotLayerArn(fn: lambda.Function, language: AdotLayerLanguageKey): string {
  const stack = Stack.of(fn);
  const region = stack.region;
  if (!Token.isUnresolved(region)) {
    const arn = adotLambdaLayerArn(region, language);
    if (arn === undefined) {
      fail(fn, 'instrumentation', `has no pinned ${ADOT_LAMBDA_LAYER_NAMES[language]} layer for region ${region} (table of ${ADOT_LAMBDA_LAYERS_AS_OF})`,
        region, 'Pass LambdaInstrumentation.adot({ layerArn }) with the layer version ARN for that region.');
    }
    return arn;
  }
  const mappingId = `CdkXRayAdotLayers${language.charAt(0).toUpperCase()}${language.slice(1)}`;
  let mapping = stack.node.tryFindChild(mappingId) as CfnMapping | undefined;
  if (mapping === undefined) {
    const table: Record<string, Record<string, string>> = {};
    for (const name of Object.keys(ADOT_LAMBDA_LAYERS)) {
      table[name] = { arn: adotLambdaLayerArn(name, language)! };
    }
    mapping = new CfnMapping(stack, mappingId, { mapping: table, lazy: true });
  }
  return mapping.findInMap(Aws.REGION, 'arn');
}

/**
 * Sets environment variables without overwriting any the user set: a differing user value is kept and reported.
 */
function setEnvironment(fn: lambda.Function, wanted: Record<string, string>): void {
  const stack = Stack.of(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const current: Record<string, unknown> = stack.resolve(cfn.environment)?.variables ?? {};
  for (const [key, value] of Object.entries(wanted)) {
    if (!(key in current)) {
      fn.addEnvironment(key, value);
      continue;
    }
    const existing = current[key];
    if (JSON.stringify(existing) !== JSON.stringify(stack.resolve(value))) {
      warn(fn, 'environmentKept',
        `The environment variable ${key} is already set to ${describe(existing)}; it is kept instead of ` +
        `${describe(value)}. Remove it from the function's environment to let cdk-xray-constructs set it.`);
    }
  }
}

/**
 * Tracing for a raw `CfnFunction` that no `lambda.Function` wraps: active tracing, and the stack's X-Ray write policy
 * on its role when the role is a `Role` of this app (found through the `Fn::GetAtt` of its ARN). Idempotent.
 */
export function enableRawLambdaTracing(cfn: lambda.CfnFunction): void {
  if (Stack.of(cfn).resolve(cfn.tracingConfig)?.mode !== undefined) {
    return;
  }
  cfn.tracingConfig = { mode: 'Active' };
  const role = roleOf(cfn);
  if (role !== undefined && XRayWritePolicy.of(role).attachTo(role, cfn)) {
    cfn.node.addDependency(XRayWritePolicy.of(role).managedPolicy);
  }
}

function roleOf(cfn: lambda.CfnFunction): iam.Role | undefined {
  const resolved = Stack.of(cfn).resolve(cfn.role);
  const logicalId = resolved?.['Fn::GetAtt']?.[0];
  if (typeof logicalId !== 'string') {
    return undefined;
  }
  const stack = Stack.of(cfn);
  const cfnRole = stack.node.findAll().find(c => c instanceof iam.CfnRole && stack.getLogicalId(c) === logicalId);
  const parent = cfnRole?.node.scope;
  return parent instanceof iam.Role ? parent : undefined;
}
