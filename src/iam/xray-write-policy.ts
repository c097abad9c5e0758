import { Resource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { XRAY_SAMPLING_READ_ACTIONS, XRAY_WRITE_ACKNOWLEDGMENT_REASON, XRAY_WRITE_ACTIONS } from '../private/iam-actions';
import { warn } from '../private/warnings';

const CONSTRUCT_ID = 'XRayWritePolicy';

/**
 * The one customer-managed policy per stack that holds the X-Ray write actions.
 *
 * Every traced role in a stack attaches this policy instead of receiving its own inline `xray:*` statement on `*`:
 * one IAM resource per stack instead of one per function, and the cdk-nag acknowledgment of
 * `AwsSolutions-IAM5[Resource::*]` lives on this policy only, never on a policy that holds a user's statements.
 *
 * Get it with `XRayWritePolicy.of(scope)`; it is created on first use in the scope's stack.
 */
export class XRayWritePolicy extends Construct {
  /**
   * Returns the stack's X-Ray write policy, creating it on first use.
   *
   * @param scope any construct in the stack
   */
  public static of(scope: IConstruct): XRayWritePolicy {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(CONSTRUCT_ID);
    if (existing === undefined) {
      return new XRayWritePolicy(stack, CONSTRUCT_ID);
    }
    if (!(existing instanceof XRayWritePolicy)) {
      throw new Error(
        `[${stack.node.path}] the construct id '${CONSTRUCT_ID}' is taken by a ${existing.constructor.name} at the stack root ` +
        `(got ${existing.node.path}). Rename that construct: cdk-xray-constructs reserves this id for the stack's X-Ray write policy.`,
      );
    }
    return existing;
  }

  /** Whether the stack already has an X-Ray write policy (does not create one). */
  public static isPresent(scope: IConstruct): boolean {
    return Stack.of(scope).node.tryFindChild(CONSTRUCT_ID) instanceof XRayWritePolicy;
  }

  /** The customer-managed policy. */
  public readonly managedPolicy: iam.IManagedPolicy;

  /** The ARN of the customer-managed policy. */
  public readonly managedPolicyArn: string;

  private readonly policy: iam.ManagedPolicy;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      description: `X-Ray write access for the traced resources of stack ${scope.stackName} (cdk-xray-constructs)`,
      statements: [
        new iam.PolicyStatement({ sid: 'XRayWrite', actions: [...XRAY_WRITE_ACTIONS], resources: ['*'] }),
      ],
    });
    this.managedPolicy = this.policy;
    this.managedPolicyArn = this.policy.managedPolicyArn;
    Validations.of(this).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: XRAY_WRITE_ACKNOWLEDGMENT_REASON });
  }

  /**
   * Attaches the sampling-rule reads (`xray:GetSamplingRules`, `xray:GetSamplingTargets`) to a principal made in this
   * app, through a second customer-managed policy of the stack (`XRayWritePolicy/SamplingReads`), created on first use.
   *
   * Only instrumentations that poll centralized sampling rules need it (a collector, the daemon, an SDK outside
   * Lambda); Lambda makes the sampling decision itself, so traced functions never get it. Idempotent.
   *
   * @returns whether the policy was attached
   */
  public attachSamplingReadsTo(principal: iam.IPrincipal, warnScope: IConstruct): boolean {
    let reads = this.node.tryFindChild('SamplingReads') as iam.ManagedPolicy | undefined;
    if (reads === undefined) {
      reads = new iam.ManagedPolicy(this, 'SamplingReads', {
        description: `X-Ray sampling-rule reads for the collectors and SDKs of stack ${Stack.of(this).stackName} (cdk-xray-constructs)`,
        statements: [new iam.PolicyStatement({ sid: 'XRaySamplingRead', actions: [...XRAY_SAMPLING_READ_ACTIONS], resources: ['*'] })],
      });
    }
    return attach(reads, principal, warnScope);
  }

  /**
   * Attaches the policy to a principal created in this app (a `Role`, `User` or `Group`). Idempotent.
   *
   * An imported or immutable principal cannot have a policy attached from here: a warning on `warnScope` says how
   * to grant it instead, and the method returns false.
   *
   * @param principal the principal to attach to
   * @param warnScope where a warning is reported
   * @returns whether the policy was attached
   */
  public attachTo(principal: iam.IPrincipal, warnScope: IConstruct): boolean {
    return attach(this.policy, principal, warnScope);
  }
}

function attach(policy: iam.ManagedPolicy, principal: iam.IPrincipal, warnScope: IConstruct): boolean {
  if (principal instanceof iam.Role && Resource.isOwnedResource(principal)) {
    policy.attachToRole(principal);
    return true;
  }
  if (principal instanceof iam.User && Resource.isOwnedResource(principal)) {
    policy.attachToUser(principal);
    return true;
  }
  if (principal instanceof iam.Group && Resource.isOwnedResource(principal)) {
    policy.attachToGroup(principal);
    return true;
  }
  warn(warnScope, 'importedPrincipal',
    `The principal ${describePrincipal(principal)} is imported or immutable, so the stack's X-Ray policy cannot be ` +
    'attached to it from here. Attach the customer-managed policy created by XRayWritePolicy (or grant ' +
    `${[...XRAY_WRITE_ACTIONS, ...(policy.node.id === 'SamplingReads' ? XRAY_SAMPLING_READ_ACTIONS : [])].join(', ')} on "*") ` +
    'where that principal is defined, or its traces will be rejected.');
  return false;
}

function describePrincipal(principal: iam.IPrincipal): string {
  const roleArn = (principal as Partial<iam.IRole>).roleArn;
  if (typeof roleArn === 'string' && !Token.isUnresolved(roleArn)) {
    return `role ${roleArn}`;
  }
  const construct = principal as Partial<IConstruct>;
  return construct.node !== undefined ? `at ${construct.node.path}` : principal.toString();
}
