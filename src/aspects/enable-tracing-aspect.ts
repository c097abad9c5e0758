import { IAspect, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { RestApiTracing } from '../apigateway/rest-api-tracing';
import { AppSyncTracing } from '../appsync/appsync-tracing';
import { EcsTracing } from '../ecs/ecs-tracing';
import type { EcsTracingOptions } from '../ecs/ecs-tracing-options';
import { LambdaTracing } from '../lambda/lambda-tracing';
import type { LambdaTracingOptions } from '../lambda/lambda-tracing-options';
import { fail } from '../private/errors';
import { TRACING_EXEMPT_METADATA } from '../private/metadata';
import { SnsTracing } from '../sns/sns-tracing';
import { StateMachineTracing } from '../stepfunctions/state-machine-tracing';


/** Whether the aspect turns tracing on for one kind of resource. */
export interface ServiceTracingToggle {
  /**
   * Turn tracing on where it is missing.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** What the aspect does to Lambda functions. */
export interface LambdaAspectOptions extends ServiceTracingToggle {
  /**
   * How functions it traces are instrumented.
   *
   * @default - active tracing only
   */
  readonly tracing?: LambdaTracingOptions;
}

/** What the aspect does to ECS task definitions. */
export interface EcsAspectOptions {
  /**
   * Add a tracing sidecar to task definitions that have none. Off by default: a sidecar changes the task's size.
   *
   * Task definitions that cannot hold a tracing sidecar are skipped, as `EcsTracing.enable` would refuse them: the
   * `NONE` network mode (nothing reaches a sidecar), the `NAT` network mode (Windows container instances) and a Windows
   * operating-system family while the sidecar uses its pinned image, which is a Linux image (pass `tracing.collector`
   * with an image of your own to trace those).
   *
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * The sidecar and instrumentation to add.
   *
   * @default - the ADOT collector and OpenTelemetry instrumentation
   */
  readonly tracing?: EcsTracingOptions;
}

/**
 * Properties of `EnableTracingAspect`: one switch per kind of resource.
 */
export interface EnableTracingAspectProps {
  /** @default - on, active tracing only */
  readonly lambda?: LambdaAspectOptions;
  /** REST API stages. @default - on */
  readonly restApi?: ServiceTracingToggle;
  /** Step Functions state machines. @default - on */
  readonly stepFunctions?: ServiceTracingToggle;
  /** AppSync GraphQL APIs. @default - on */
  readonly appSync?: ServiceTracingToggle;
  /** Standard SNS topics made in this app (Active tracing and the X-Ray resource policy). @default - on */
  readonly sns?: ServiceTracingToggle;
  /** ECS task definitions. @default - off */
  readonly ecs?: EcsAspectOptions;
}

/** The shortest reason `EnableTracingAspect.exempt` takes. */
const MIN_TRACING_EXEMPT_METADATA_REASON_LENGTH = 10;

/**
 * Turns X-Ray tracing on wherever it is missing in an app, through the same internal functions the constructs use:
 * Lambda functions (L2 and raw L1), REST API stages, Step Functions state machines, AppSync APIs, standard SNS
 * topics and, when asked, ECS task definitions (adds the sidecar; tasks with no network, or on Windows with the pinned
 * Linux sidecar images, are skipped).
 *
 * Register it at MUTATING priority so checks see its result:
 * `Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING })`.
 *
 * Explicit intent wins: a resource whose tracing setting is present in its L1 is left as it is. What counts as
 * explicit:
 * - Lambda: a tracing mode on the `CfnFunction` (`Tracing.ACTIVE` / `PASS_THROUGH`, or `tracingConfig` set on the L1).
 *   `Tracing.DISABLED` renders no `TracingConfig` at all, exactly like an unset mode; it counts as explicit only when
 *   aws-cdk-lib records construct props (the `@aws-cdk/core:enableAdditionalMetadataCollection` feature flag, which
 *   `cdk init` sets). Without that flag, exempt the function with `EnableTracingAspect.exempt()`.
 * - Step Functions: `tracingEnabled: false` (rendered as `TracingConfiguration.Enabled: false`).
 * - AppSync: `xrayEnabled: false`. REST API stages: `tracingEnabled: false`. SNS: any `tracingConfig`.
 * - A value only known at deploy time (a token) counts as explicit too.
 *
 * Whatever turned tracing on, the IAM is decided from the role's statements: a function or state machine that
 * traces and whose role does not already allow the X-Ray actions gets the stack's `XRayWritePolicy` (state machines
 * also the sampling reads); a role not made in this app gets a warning saying what to grant. A subtree marked with
 * `EnableTracingAspect.exempt(construct, reason)` is skipped. Applying it twice changes nothing, and it adds no
 * aspects; the checks are `XRayChecks`'.
 */
export class EnableTracingAspect implements IAspect {
  /**
   * Leaves a construct and everything under it untraced by the aspect. The reason (at least 10 characters) is
   * recorded in the construct's metadata; acknowledge the matching `XRayChecks` findings on it as well.
   */
  public static exempt(scope: IConstruct, reason: string): void {
    if (scope === undefined || scope === null || (scope as Partial<IConstruct>).node === undefined) {
      fail('EnableTracingAspect.exempt', 'scope', 'must be a construct', scope, 'Pass the construct to leave untraced.');
    }
    if (!Token.isUnresolved(reason) && (typeof reason !== 'string' || reason.trim().length < MIN_TRACING_EXEMPT_METADATA_REASON_LENGTH)) {
      fail(scope, 'reason', `must explain the exemption in at least ${MIN_TRACING_EXEMPT_METADATA_REASON_LENGTH} characters`, reason,
        'Say why this resource is not traced, for example "internal cron job, no callers".');
    }
    scope.node.addMetadata(TRACING_EXEMPT_METADATA, reason);
  }

  private readonly props: EnableTracingAspectProps;

  constructor(props: EnableTracingAspectProps = {}) {
    this.props = props ?? {};
  }

  public visit(node: IConstruct): void {
    if (isExempt(node)) {
      return;
    }
    const p = this.props;
    if (p.lambda?.enabled ?? true) {
      visitLambda(node, p.lambda?.tracing ?? {});
    }
    if ((p.restApi?.enabled ?? true) && node instanceof apigw.CfnStage && Stack.of(node).resolve(node.tracingEnabled) === undefined) {
      const stage = node.node.scope;
      if (stage instanceof apigw.Stage && stage.node.defaultChild === node) {
        RestApiTracing.enableStage(stage);
      } else {
        RestApiTracing.enableCfnStage(node);
      }
    }
    if ((p.stepFunctions?.enabled ?? true) && node instanceof sfn.CfnStateMachine) {
      const setting = Stack.of(node).resolve(node.tracingConfiguration) as { enabled?: unknown } | undefined;
      if (setting?.enabled !== false) {
        StateMachineTracing.enableCfnStateMachine(node);
      }
    }
    if ((p.appSync?.enabled ?? true) && node instanceof appsync.CfnGraphQLApi && Stack.of(node).resolve(node.xrayEnabled) === undefined) {
      AppSyncTracing.enableCfnGraphQLApi(node);
    }
    if ((p.sns?.enabled ?? true) && node instanceof sns.Topic && !node.fifo
      && (node.node.defaultChild as sns.CfnTopic).tracingConfig === undefined) {
      SnsTracing.enable(node);
    }
    if (p.ecs?.enabled ?? false) {
      if (node instanceof ecs.TaskDefinition) {
        EcsTracing._enableFromAspect(node, p.ecs?.tracing ?? {});
      }
      EcsTracing._instrumentContainer(node);
    }
  }
}

/** Lambda: a function without a mode is traced with the aspect's options; one with a mode set elsewhere keeps it. */
function visitLambda(node: IConstruct, options: LambdaTracingOptions): void {
  if (node instanceof lambda.Function) {
    const cfn = node.node.defaultChild as lambda.CfnFunction;
    if (cfn.tracingConfig !== undefined) {
      LambdaTracing.ensureXRayAccess(node);
    } else if (!LambdaTracing._isExplicitlyDisabled(node)) {
      LambdaTracing.enable(node, options);
    }
  } else if (node instanceof lambda.CfnFunction && !(node.node.scope instanceof lambda.Function)) {
    LambdaTracing.enableCfnFunction(node);
  }
}

function isExempt(node: IConstruct): boolean {
  return node.node.scopes.some(s => s.node.metadata.some(m => m.type === TRACING_EXEMPT_METADATA));
}
