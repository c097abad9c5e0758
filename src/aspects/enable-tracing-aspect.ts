import { IAspect, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import type { EcsTracingOptions } from '../ecs/ecs-tracing';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import type { LambdaTracingOptions } from '../lambda/lambda-tracing';
import { enableEcsTracing, instrumentIfPending, isTraced } from '../private/ecs-tracing';
import { enableLambdaTracing, enableRawLambdaTracing } from '../private/lambda-tracing';
import { enableStageTracing } from '../private/rest-api-tracing';
import { SnsTracing } from '../xray/sns-tracing';

/** The metadata type that marks a subtree the aspect leaves alone. */
const EXEMPT = 'cdk-xray-constructs:tracing-exempt';

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

/**
 * Turns X-Ray tracing on wherever it is missing in an app, through the same internal functions the constructs use:
 * Lambda functions (L2 and raw L1), REST API stages, Step Functions state machines (with the X-Ray IAM they need),
 * AppSync APIs, standard SNS topics and, when asked, ECS task definitions (adds the sidecar).
 *
 * Register it at MUTATING priority so checks see its result:
 * `Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING })`.
 * Resources that already have a tracing setting are left as they are (explicit intent wins); a subtree marked with
 * `EnableTracingAspect.exempt(construct, reason)` is skipped. Applying it twice changes nothing, it adds no aspects, and
 * it reports nothing: `XRayChecks` does.
 */
export class EnableTracingAspect implements IAspect {
  /**
   * Leaves a construct and everything under it untraced by the aspect. The reason is recorded in the construct's
   * metadata; acknowledge the matching `XRayChecks` findings on it as well.
   */
  public static exempt(scope: IConstruct, reason: string): void {
    if (reason.trim().length < 10) {
      throw new Error(`[${scope.node.path}] reason must explain the exemption in at least 10 characters (got ${JSON.stringify(reason)}). ` +
        'Say why this resource is not traced, for example "internal cron job, no callers".');
    }
    scope.node.addMetadata(EXEMPT, reason);
  }

  private readonly props: EnableTracingAspectProps;

  constructor(props: EnableTracingAspectProps = {}) {
    this.props = props;
  }

  public visit(node: IConstruct): void {
    if (isExempt(node)) {
      return;
    }
    const p = this.props;
    if ((p.lambda?.enabled ?? true)) {
      if (node instanceof lambda.Function) {
        const cfn = node.node.defaultChild as lambda.CfnFunction;
        if (Stack.of(node).resolve(cfn.tracingConfig)?.mode === undefined) {
          enableLambdaTracing(node, p.lambda?.tracing ?? {});
        }
      } else if (node instanceof lambda.CfnFunction && !(node.node.scope instanceof lambda.Function)) {
        enableRawLambdaTracing(node);
      }
    }
    if ((p.restApi?.enabled ?? true) && node instanceof apigw.CfnStage && Stack.of(node).resolve(node.tracingEnabled) !== true) {
      const scope = node.node.scope instanceof apigw.Stage ? node.node.scope : node;
      enableStageTracing(scope, node, {});
    }
    if ((p.stepFunctions?.enabled ?? true) && node instanceof sfn.CfnStateMachine
      && Stack.of(node).resolve(node.tracingConfiguration)?.enabled !== true) {
      node.tracingConfiguration = { enabled: true };
      const machine = node.node.scope;
      if (machine instanceof sfn.StateMachine) {
        const policy = XRayWritePolicy.of(machine.role);
        policy.attachTo(machine.role, machine);
        policy.attachSamplingReadsTo(machine.role, machine);
      }
    }
    if ((p.appSync?.enabled ?? true) && node instanceof appsync.CfnGraphQLApi && Stack.of(node).resolve(node.xrayEnabled) !== true) {
      node.xrayEnabled = true;
    }
    if ((p.sns?.enabled ?? true) && node instanceof sns.Topic && !node.fifo
      && (node.node.defaultChild as sns.CfnTopic).tracingConfig === undefined) {
      SnsTracing.enableActive(node);
    }
    if (p.ecs?.enabled ?? false) {
      if (node instanceof ecs.TaskDefinition && !isTraced(node) && node.networkMode !== ecs.NetworkMode.NONE) {
        enableEcsTracing(node, p.ecs?.tracing ?? {}, true, false);
      }
      instrumentIfPending(node);
    }
  }
}

function isExempt(node: IConstruct): boolean {
  return node.node.scopes.some(s => s.node.metadata.some(m => m.type === EXEMPT));
}
