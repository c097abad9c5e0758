import { Aws, CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AttachablePrincipal, isAttachable, kindOf } from './private/attachable';
import { fail, validationMessage } from '../private/errors';
import {
  APPLICATION_SIGNALS_LOG_ACTIONS, APPLICATION_SIGNALS_LOG_GROUP, stackOf, XRAY_OTLP_SPAN_WRITE_ACTIONS, XRAY_SAMPLING_READ_ACTIONS,
  XRAY_WRITE_ACKNOWLEDGMENT_REASON, XRAY_WRITE_ACTIONS,
} from '../private/iam-actions';
import { warn } from '../private/warnings';

const CONSTRUCT_ID = 'XRayWritePolicy';

/**
 * Managed policies attached to one IAM role, user or group: the default quota (adjustable, Service Quotas code
 * L-0DA4ABF3 for roles).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MANAGED_POLICIES_PER_PRINCIPAL = 10;

/**
 * The one customer-managed policy per stack that holds the X-Ray write actions.
 *
 * Every traced role in a stack attaches this policy instead of receiving its own inline `xray:*` statement on `*`:
 * one IAM resource per stack instead of one per function, and the cdk-nag acknowledgment of
 * `AwsSolutions-IAM5[Resource::*]` lives on the policy resources only (`XRayWritePolicy/Resource/Resource` and
 * `XRayWritePolicy/SamplingReads/Resource`), never on a construct a user adds under this one nor on a policy that holds
 * a user's statements.
 *
 * A role, user or group holds at most 10 managed policies unless the quota was raised: when attaching one of these
 * would go past that, synthesis warns (the count is taken at synthesis, after every policy was attached).
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
    const stack = stackOf(scope, 'XRayWritePolicy.of');
    const existing = stack.node.tryFindChild(CONSTRUCT_ID);
    if (existing === undefined) {
      return new XRayWritePolicy(stack, CONSTRUCT_ID);
    }
    if (!(existing instanceof XRayWritePolicy)) {
      fail(stack, 'id', `'${CONSTRUCT_ID}' at the stack root is taken by a ${existing.constructor.name}`, existing.node.path,
        'Rename that construct: cdk-xray-constructs reserves this id for the stack\'s X-Ray write policy.');
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

  /** The principals this stack's X-Ray policies were attached to, for the managed-policy quota check. */
  private readonly attachedTo: AttachablePrincipal[] = [];

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
    acknowledgeWildcard(this.policy);
    this.node.addValidation({ validate: () => this.warnAboutPolicyQuota() });
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
      acknowledgeWildcard(reads);
    }
    return this.track(attach(reads, principal, warnScope), principal);
  }

  /**
   * Attaches the span uploads of the X-Ray OTLP endpoint (`xray:PutSpans`, `xray:PutSpansForIndexing`,
   * `xray:PutTraceSegments`) to a principal made in this app, through a customer-managed policy of the stack
   * (`XRayWritePolicy/OtlpSpanWrites`), created on first use. For SDKs that export spans straight to
   * `https://xray.<region>.amazonaws.com/v1/traces`, with no collector (`TraceCollector.directToXRay()`). Idempotent.
   *
   * @returns whether the policy was attached
   */
  public attachOtlpSpanWritesTo(principal: iam.IPrincipal, warnScope: IConstruct): boolean {
    let writes = this.node.tryFindChild('OtlpSpanWrites') as iam.ManagedPolicy | undefined;
    if (writes === undefined) {
      writes = new iam.ManagedPolicy(this, 'OtlpSpanWrites', {
        description: `X-Ray OTLP endpoint span uploads for the SDKs of stack ${Stack.of(this).stackName} that export with no collector (cdk-xray-constructs)`,
        statements: [new iam.PolicyStatement({ sid: 'XRayOtlpSpanWrites', actions: [...XRAY_OTLP_SPAN_WRITE_ACTIONS], resources: ['*'] })],
      });
      Validations.of(writes.node.defaultChild as CfnResource).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: XRAY_OTLP_ACKNOWLEDGMENT_REASON });
    }
    return this.track(attach(writes, principal, warnScope, XRAY_OTLP_SPAN_WRITE_ACTIONS), principal);
  }

  /**
   * Attaches what the CloudWatch agent needs to publish CloudWatch Application Signals metrics (`logs:CreateLogGroup`,
   * `logs:CreateLogStream`, `logs:PutLogEvents` on the `/aws/application-signals/data` log group of the stack's account
   * and Region, and nothing else) to a principal made in this app, through a customer-managed policy of the stack
   * (`XRayWritePolicy/ApplicationSignalsData`), created on first use. The agent's traces need `attachTo` and
   * `attachSamplingReadsTo` besides. Idempotent.
   *
   * @returns whether the policy was attached
   */
  public attachApplicationSignalsDataTo(principal: iam.IPrincipal, warnScope: IConstruct): boolean {
    let data = this.node.tryFindChild('ApplicationSignalsData') as iam.ManagedPolicy | undefined;
    if (data === undefined) {
      const group = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${APPLICATION_SIGNALS_LOG_GROUP}`;
      data = new iam.ManagedPolicy(this, 'ApplicationSignalsData', {
        description: `CloudWatch Application Signals metrics of the CloudWatch agents of stack ${Stack.of(this).stackName} (cdk-xray-constructs)`,
        statements: [new iam.PolicyStatement({
          sid: 'ApplicationSignalsMetrics',
          actions: [...APPLICATION_SIGNALS_LOG_ACTIONS],
          // The group itself (CreateLogGroup) and its streams (CreateLogStream, PutLogEvents).
          resources: [group, `${group}:*`],
        })],
      });
      // cdk-nag names the finding by the ARN with its pseudo parameters (`<AWS::Region>`); `Validations.acknowledge`
      // refuses an id with more than one `::`, so the acknowledgment is recorded the way it records one.
      (data.node.defaultChild as CfnResource).node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
        [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${APPLICATION_SIGNALS_LOG_GROUP}:*]`]:
          APPLICATION_SIGNALS_ACKNOWLEDGMENT_REASON,
      });
    }
    return this.track(attach(data, principal, warnScope, APPLICATION_SIGNALS_LOG_ACTIONS), principal);
  }

  /**
   * Attaches the policy to a principal created in this app (a `Role`, `User` or `Group`), or to a role imported as
   * mutable (`Role.fromRoleArn`'s default) from the stack's own account. Idempotent.
   *
   * A principal imported as immutable or from another account cannot have a policy attached from here: a warning on
   * `warnScope` says how to grant it instead, and the method returns false.
   *
   * @param principal the principal to attach to
   * @param warnScope where a warning is reported
   * @returns whether the policy was attached
   */
  public attachTo(principal: iam.IPrincipal, warnScope: IConstruct): boolean {
    return this.track(attach(this.policy, principal, warnScope), principal);
  }

  private track(attached: boolean, principal: iam.IPrincipal): boolean {
    if (attached && !this.attachedTo.includes(principal as AttachablePrincipal)) {
      this.attachedTo.push(principal as AttachablePrincipal);
    }
    return attached;
  }

  /**
   * Warns on each principal this stack's policies were attached to that ends up with more managed policies than the
   * default quota. Counted late, because policies are attached after construction: the principal's own list
   * (`managedPolicies`, `addManagedPolicy`) plus every customer-managed policy of the stack (and its nested stacks) attached to it.
   */
  private warnAboutPolicyQuota(): string[] {
    if (this.attachedTo.length === 0) {
      return [];
    }
    const attachments = managedPolicyAttachments(Stack.of(this));
    for (const principal of this.attachedTo) {
      const own = ownManagedPolicies(principal);
      const count = own.length + (attachments.get(principal)?.filter(p => !own.includes(p)).length ?? 0);
      if (count > MANAGED_POLICIES_PER_PRINCIPAL) {
        const kind = kindOf(principal);
        // The warning is attached to the principal, whose path the annotation already shows.
        warn(principal, 'managedPolicyQuota', validationMessage(principal, principal, 'managedPolicies',
          `has more managed policies than a ${kind} holds by default (${MANAGED_POLICIES_PER_PRINCIPAL}), counting this stack's X-Ray policy`, count,
          `The deployment fails unless the IAM quota "Managed policies per ${kind}" was raised for the account; otherwise merge policies or move some ` +
          'statements into an inline policy (role.addToPolicy).'));
      }
    }
    return [];
  }
}

/** Why `Resource: *` is unavoidable on the OTLP span-upload policy. */
const XRAY_OTLP_ACKNOWLEDGMENT_REASON =
  'The X-Ray actions in this policy (xray:PutSpans, xray:PutSpansForIndexing, xray:PutTraceSegments) support no resource-level ' +
  'permissions (Service Authorization Reference for AWS X-Ray), so they can only be granted on "*". The policy holds no other statements.';

/** Why the stream wildcard stays on the Application Signals policy. */
const APPLICATION_SIGNALS_ACKNOWLEDGMENT_REASON =
  'The CloudWatch agent writes Application Signals metrics to log streams it names itself in the one log group ' +
  `${APPLICATION_SIGNALS_LOG_GROUP} of this account and Region; the wildcard covers the streams of that group only.`;

/** The acknowledgment of `AwsSolutions-IAM5[Resource::*]`, on the policy resource itself so nothing else inherits it. */
function acknowledgeWildcard(policy: iam.ManagedPolicy): void {
  Validations.of(policy.node.defaultChild as CfnResource).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: XRAY_WRITE_ACKNOWLEDGMENT_REASON });
}

/** The managed policies a principal lists itself (aws-cdk-lib keeps them in a private field). */
function ownManagedPolicies(principal: AttachablePrincipal): iam.IManagedPolicy[] {
  const record = principal as unknown as Record<string, unknown>;
  return asList(record.managedPolicies ?? record._managedPolicies) as iam.IManagedPolicy[];
}

/** A private list of aws-cdk-lib: an array, or (in some versions) a state object holding the array as `value`. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  const inner = (value as { value?: unknown } | undefined)?.value;
  return Array.isArray(inner) ? inner : [];
}

/** Every customer-managed policy under `root`, by the principals it is attached to through its roles, users or groups. */
function managedPolicyAttachments(root: IConstruct): Map<IConstruct, iam.IManagedPolicy[]> {
  const byPrincipal = new Map<IConstruct, iam.IManagedPolicy[]>();
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof iam.ManagedPolicy)) {
      continue;
    }
    const record = construct as unknown as Record<string, unknown>;
    for (const field of ['roles', 'users', 'groups']) {
      for (const principal of asList(record[field]) as IConstruct[]) {
        const list = byPrincipal.get(principal) ?? [];
        if (!list.includes(construct)) {
          list.push(construct);
        }
        byPrincipal.set(principal, list);
      }
    }
  }
  return byPrincipal;
}

function attach(policy: iam.ManagedPolicy, principal: iam.IPrincipal, warnScope: IConstruct, actions?: readonly string[]): boolean {
  if (isAttachable(principal, Stack.of(policy))) {
    if (principal instanceof iam.User) {
      policy.attachToUser(principal);
    } else if (principal instanceof iam.Group) {
      policy.attachToGroup(principal);
    } else {
      policy.attachToRole(principal as iam.IRole);
    }
    return true;
  }
  warn(warnScope, 'importedPrincipal',
    `The principal ${describePrincipal(principal)} is imported as immutable or from another account (or is not a role, user or group), so the stack's X-Ray policy cannot be ` +
    'attached to it from here. Attach the customer-managed policy created by XRayWritePolicy (or grant ' +
    `${(actions ?? [...XRAY_WRITE_ACTIONS, ...(policy.node.id === 'SamplingReads' ? XRAY_SAMPLING_READ_ACTIONS : [])]).join(', ')} on ` +
    `${policy.node.id === 'ApplicationSignalsData' ? `the ${APPLICATION_SIGNALS_LOG_GROUP} log group` : '"*"'}) ` +
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
