import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AdotLambdaOptions, PowertoolsTracerOptions } from './instrumentation-options';
import { addAdotLayer, adotLanguageOf, pinnedAdotLayerArn, validateAdotOptions } from './private/adot-layer';
import { LambdaInstrumentationBinding, LambdaInstrumentationContext } from './private/instrumentation-binding';
import {
  addPowertoolsLayer, POWERTOOLS_LAYER_ID, POWERTOOLS_TRACER_ANNOTATION_KEYS, validatePowertoolsLayerOptions, wantsPowertoolsLayer,
} from './private/powertools-layer';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import { ProblemCollector } from '../private/errors';
import { warn } from '../private/warnings';
import { OTLP_TRACES_ENDPOINT_ENV, xrayOtlpTracesEndpoint } from '../private/xray-otlp-endpoint';

/** The exec wrapper of the AWS Lambda Layer for OpenTelemetry. */
const ADOT_EXEC_WRAPPER = '/opt/otel-instrument';

/**
 * The distro's list of span attributes it exports as `REDACTED` (comma-separated, `*` wildcards), and the attribute
 * its AWS SDK instrumentation fills with the access key ID of the function's credentials.
 */
const REDACT_SPAN_ATTRIBUTES_ENV = 'AWS_REDACT_SPAN_ATTRIBUTES';
const ACCESS_KEY_ATTRIBUTE = 'aws.auth.account.access_key';

/**
 * The `AWS_REDACT_SPAN_ATTRIBUTES` value to set: the access key attribute, or a literal value the user set with it
 * appended (set here, since the enable-path never changes a user's variable). Undefined when nothing is to be set;
 * a deploy-time user value is kept and reported.
 */
function redactedAttributes(fn: lambda.Function): string | undefined {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const current = (Stack.of(fn).resolve(cfn.environment)?.variables ?? {})[REDACT_SPAN_ATTRIBUTES_ENV];
  if (current === undefined) {
    return ACCESS_KEY_ATTRIBUTE;
  }
  if (typeof current !== 'string') {
    warn(fn, 'redactSpanAttributesUnknown', `${REDACT_SPAN_ATTRIBUTES_ENV} is set to a deploy-time value, so cdk-xray-constructs cannot add ` +
      `${ACCESS_KEY_ATTRIBUTE} to it: make sure the value lists ${ACCESS_KEY_ATTRIBUTE} (or a pattern matching it), or the access key ID of ` +
      'the function\'s credentials is exported with every AWS SDK span.');
    return undefined;
  }
  const entries = current.split(',').map(e => e.trim()).filter(e => e.length > 0);
  const covered = entries.some(e => new RegExp(`^${e.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(ACCESS_KEY_ATTRIBUTE));
  if (!covered) {
    fn.addEnvironment(REDACT_SPAN_ATTRIBUTES_ENV, [...entries, ACCESS_KEY_ATTRIBUTE].join(','), { removeInEdge: true });
  }
  return undefined;
}

/** The behaviour of one kind of instrumentation. */
interface Behaviour {
  readonly name: string;
  readonly supportsServiceName: boolean;
  validate?(problems: ProblemCollector, fn: lambda.Function): void;
  bind(fn: lambda.Function, context: LambdaInstrumentationContext): LambdaInstrumentationBinding;
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
    return new LambdaInstrumentation({
      name: 'activeOnly',
      supportsServiceName: false,
      bind: (_fn, context) => ({ environment: {}, layerAdded: context.layerAdded }),
    });
  }

  /**
   * The code uses an AWS X-Ray SDK, bundled with it.
   *
   * The X-Ray SDKs are in maintenance since 2026-02-25 and lose support on 2027-02-25: a warning suggests moving to
   * `adot()` or `powertools()`.
   */
  public static xraySdk(): LambdaInstrumentation {
    return new LambdaInstrumentation({
      name: 'xraySdk',
      supportsServiceName: false,
      bind: (fn, context) => {
        if (context.firstTime) {
          warn(fn, 'xraySdkEndOfSupport',
            'The AWS X-Ray SDKs are in maintenance since 2026-02-25 and lose support on 2027-02-25. Move the code to ' +
            'OpenTelemetry (LambdaInstrumentation.adot()) or Powertools for AWS Lambda (LambdaInstrumentation.powertools()).');
        }
        return { environment: {}, layerAdded: context.layerAdded };
      },
    });
  }

  /**
   * The code uses Powertools for AWS Lambda's Tracer, bundled with it or from the official layer (`layer: true`).
   *
   * Sets `POWERTOOLS_SERVICE_NAME` and the capture switches: response capture off, error capture on. The Tracer
   * annotates the handler's subsegment with `ColdStart` and `Service` on every invocation; both are recorded in the
   * function's tracing metadata and count as indexed annotation keys (see `AnnotationPolicy`).
   */
  public static powertools(options: PowertoolsTracerOptions = {}): LambdaInstrumentation {
    const tracer = options ?? {};
    return new LambdaInstrumentation({
      name: 'powertools',
      supportsServiceName: true,
      validate: (problems, fn) => validatePowertoolsLayerOptions(problems, fn, tracer),
      bind: (fn, context) => {
        // Found by its construct id, so enabling twice adds it once and the ADOT layer's own record stays untouched.
        if (wantsPowertoolsLayer(tracer) && fn.node.tryFindChild(POWERTOOLS_LAYER_ID) === undefined) {
          addPowertoolsLayer(fn, tracer);
        }
        return {
          environment: {
            POWERTOOLS_SERVICE_NAME: context.serviceName ?? context.defaultServiceName,
            POWERTOOLS_TRACER_CAPTURE_RESPONSE: String(tracer.captureResponse ?? false),
            POWERTOOLS_TRACER_CAPTURE_ERROR: String(tracer.captureError ?? true),
            POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: String(tracer.captureHttpsRequests ?? true),
          },
          layerAdded: context.layerAdded,
          recordedAnnotations: { by: 'Powertools Tracer', keys: [...POWERTOOLS_TRACER_ANNOTATION_KEYS] },
        };
      },
    });
  }

  /**
   * The AWS Lambda Layer for OpenTelemetry instruments the code without changes: adds the pinned layer for the
   * function's language and region and sets `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`.
   *
   * Also sets `AWS_REDACT_SPAN_ATTRIBUTES=aws.auth.account.access_key`: the distro records the access key ID of the
   * function's credentials on every AWS SDK span, and this makes it export `REDACTED` instead. A value the function
   * already has is kept, with the attribute appended.
   *
   * Container-image functions cannot take layers; install the AWS Distro for OpenTelemetry in the image instead and
   * use `activeOnly()`.
   */
  public static adot(options: AdotLambdaOptions = {}): LambdaInstrumentation {
    const adot = options ?? {};
    return new LambdaInstrumentation({
      name: 'adot',
      supportsServiceName: true,
      validate: (problems, fn) => {
        if (fn.runtime === lambda.Runtime.FROM_IMAGE || (fn.node.defaultChild as lambda.CfnFunction).packageType === 'Image') {
          problems.add('instrumentation', 'cannot add the AWS Distro for OpenTelemetry layer to a container-image function',
            'LambdaInstrumentation.adot()',
            'Lambda does not run layers for image functions: install the AWS Distro for OpenTelemetry in the image (copy the ' +
            `layer contents into /opt and set AWS_LAMBDA_EXEC_WRAPPER=${ADOT_EXEC_WRAPPER}) and use LambdaInstrumentation.activeOnly().`);
        }
        validateAdotOptions(problems, fn, adot);
        for (const flag of ['applicationSignals', 'directExport'] as const) {
          if (adot[flag] !== undefined && typeof adot[flag] !== 'boolean') {
            problems.add(flag, 'must be true or false', adot[flag], `Pass ${flag}: true to turn it on, or leave it out.`);
          }
        }
      },
      bind: (fn, context) => {
        if (!context.layerAdded) {
          addAdotLayer(fn, adot.layerArn ?? pinnedAdotLayerArn(fn, adotLanguageOf(fn, adot)));
        }
        const signals = adot.applicationSignals === true;
        const direct = adot.directExport === true;
        if (signals) {
          if (fn.role === undefined) {
            warn(fn, 'applicationSignalsNoRole', 'This function has no role this app can change, so it cannot be given the Application ' +
              'Signals writes: grant logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on the /aws/application-signals/data ' +
              'log group (or attach CloudWatchLambdaApplicationSignalsExecutionRolePolicy) where the role is defined.');
          } else {
            XRayWritePolicy.of(fn).attachApplicationSignalsDataTo(fn.role, fn);
          }
        }
        if (direct) {
          if (fn.role === undefined) {
            warn(fn, 'directExportNoRole', 'This function has no role this app can change, so it cannot be given the X-Ray OTLP ' +
              'endpoint\'s span uploads: grant xray:PutSpans, xray:PutSpansForIndexing and xray:PutTraceSegments on "*" where the role is defined.');
          } else {
            XRayWritePolicy.of(fn).attachOtlpSpanWritesTo(fn.role, fn);
          }
        }
        if (signals && direct && context.firstTime) {
          warn(fn, 'applicationSignalsWithDirectExport', 'applicationSignals and directExport are both on: AWS advises turning ' +
            'Application Signals off in the SDK when it exports straight to the X-Ray OTLP endpoint, because Application Signals already ' +
            'includes Transaction Search and the spans would be paid for twice. Drop one of the two.');
        }
        const redact = redactedAttributes(fn);
        return {
          environment: {
            AWS_LAMBDA_EXEC_WRAPPER: ADOT_EXEC_WRAPPER,
            ...(redact !== undefined ? { [REDACT_SPAN_ATTRIBUTES_ENV]: redact } : {}),
            OTEL_AWS_APPLICATION_SIGNALS_ENABLED: String(signals),
            ...(direct ? { [OTLP_TRACES_ENDPOINT_ENV]: xrayOtlpTracesEndpoint(fn, 'instrumentation.directExport') } : {}),
            ...(context.serviceName !== undefined ? { OTEL_SERVICE_NAME: context.serviceName } : {}),
          },
          layerAdded: true,
        };
      },
    });
  }

  private readonly behaviour: Behaviour;

  private constructor(behaviour: Behaviour) {
    this.behaviour = behaviour;
  }

  /** Whether this instrumentation has a setting for the service name. */
  public get supportsServiceName(): boolean {
    return this.behaviour.supportsServiceName;
  }

  /**
   * How it is written in code, e.g. `LambdaInstrumentation.powertools()`.
   */
  public toString(): string {
    return `LambdaInstrumentation.${this.behaviour.name}()`;
  }

  /**
   * The name recorded in the function's tracing metadata (`activeOnly`, `xraySdk`, `powertools`, `adot`).
   * @internal
   */
  public get _name(): string {
    return this.behaviour.name;
  }

  /**
   * Records what is wrong with this instrumentation on the function.
   * @internal
   */
  public _validate(problems: ProblemCollector, fn: lambda.Function): void {
    this.behaviour.validate?.(problems, fn);
  }

  /**
   * Applies the instrumentation to the function: its layer, if any, and the environment it wants.
   * @internal
   */
  public _bind(fn: lambda.Function, context: LambdaInstrumentationContext): LambdaInstrumentationBinding {
    return this.behaviour.bind(fn, context);
  }
}
