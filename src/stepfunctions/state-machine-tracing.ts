import { Resource, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ensureXRayAccess } from '../iam/role-access';
import { fail } from '../private/errors';

/**
 * X-Ray tracing for Step Functions state machines.
 */
export class StateMachineTracing {
  /**
   * Turns on X-Ray tracing for a state machine made in this app (`TracingConfiguration.Enabled: true`) and gives its
   * role the X-Ray write actions and the sampling reads Step Functions needs, unless the role's statements already
   * allow them (the stack's `XRayWritePolicy`; a role not made in this app gets a warning saying what to grant).
   *
   * Tracing is turned on even where `tracingEnabled: false` was set: the call is the later, more specific intent
   * (`EnableTracingAspect` leaves such a state machine alone). A setting already on, or known only at deploy time, is
   * kept. An imported state machine (`StateMachine.fromStateMachineArn`) cannot be changed here and is an error.
   * Calling it twice changes nothing.
   */
  public static enable(stateMachine: sfn.IStateMachine): void {
    if (stateMachine === undefined || stateMachine === null || !Construct.isConstruct(stateMachine)) {
      fail('StateMachineTracing.enable', 'stateMachine', 'must be a Step Functions state machine construct', stateMachine,
        'Pass an sfn.StateMachine made in this app.');
    }
    const cfn = stateMachine.node.defaultChild;
    if (!(stateMachine instanceof sfn.StateMachine) || !(cfn instanceof sfn.CfnStateMachine) || !Resource.isOwnedResource(stateMachine)) {
      fail(stateMachine, 'stateMachine', 'is imported (StateMachine.fromStateMachineArn or fromStateMachineName), so its tracing cannot be changed ' +
        'from this app', stateMachine.stateMachineArn,
      'Turn tracing on where the state machine is defined (tracingEnabled: true, or StateMachineTracing.enable in that app).');
    }
    turnOn(cfn);
    ensureXRayAccess({ scope: stateMachine, resource: cfn, role: stateMachine.role, samplingReads: true, what: 'state machine' });
  }

  /**
   * Turns on X-Ray tracing for an L1 state machine (`CfnStateMachine`), and gives its role the X-Ray write actions and
   * sampling reads as `enable` does (a role this app defines, found from `roleArn`; any other gets a warning). The L1
   * of an `sfn.StateMachine` is traced through the state machine. `EnableTracingAspect` calls this for every state
   * machine whose tracing is not set.
   */
  public static enableCfnStateMachine(stateMachine: sfn.CfnStateMachine): void {
    if (!(stateMachine instanceof sfn.CfnStateMachine)) {
      fail('StateMachineTracing.enableCfnStateMachine', 'stateMachine', 'must be an sfn.CfnStateMachine', stateMachine,
        'Pass the CfnStateMachine, or an sfn.StateMachine to StateMachineTracing.enable.');
    }
    const owner = stateMachine.node.scope;
    if (owner instanceof sfn.StateMachine && owner.node.defaultChild === stateMachine) {
      StateMachineTracing.enable(owner);
      return;
    }
    turnOn(stateMachine);
    ensureXRayAccess({ scope: stateMachine, resource: stateMachine, roleArn: stateMachine.roleArn, samplingReads: true, what: 'state machine' });
  }

  private constructor() {}
}

/** `Enabled: true`, unless tracing is already on or its setting is only known at deploy time (an intrinsic). */
function turnOn(cfn: sfn.CfnStateMachine): void {
  const setting = Stack.of(cfn).resolve(cfn.tracingConfiguration) as Record<string, unknown> | undefined;
  const off = setting === undefined || setting.enabled === false || Object.keys(setting).length === 0;
  if (off) {
    cfn.tracingConfiguration = { enabled: true };
  }
}
