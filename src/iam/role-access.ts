import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { isAttachable } from './private/attachable';
import { XRayWritePolicy } from './xray-write-policy';
import { XRAY_SAMPLING_READ_ACTIONS, XRAY_WRITE_ACTIONS } from '../private/iam-actions';
import { warn } from '../private/warnings';

/**
 * Whether a role can send traces is decided from the statements it holds, never from a tracing mode: a mode set
 * through an L1 brings no statement, a mode set through aws-cdk-lib's `tracing` prop brings aws-cdk-lib's own.
 * Shared by the Lambda path and the aspect's state-machine path.
 */

/** AWS managed policies that allow every X-Ray write and sampling-read action. */
const XRAY_AWS_MANAGED_POLICIES = ['AWSXRayDaemonWriteAccess', 'AWSXrayWriteOnlyAccess', 'AWSXrayFullAccess'];

/** Where a role's X-Ray actions come from. */
export interface RoleXRayAccess {
  /** Every write action is allowed. */
  readonly write: boolean;
  /** Every sampling-read action is allowed. */
  readonly samplingReads: boolean;
  /** A policy other than the stack's XRayWritePolicy allows the write actions (aws-cdk-lib's `tracing` statement). */
  readonly writeFromOtherPolicy: boolean;
}

/** What `ensureXRayAccess` did. */
export enum XRayAccessOutcome {
  /** The role already allowed the actions; nothing was changed. */
  ALREADY_ALLOWED = 'alreadyAllowed',
  /** The role already allowed the write actions through a policy other than the XRayWritePolicy. */
  ALLOWED_BY_OTHER_POLICY = 'allowedByOtherPolicy',
  /** The XRayWritePolicy (and the sampling reads when asked) was attached. */
  ATTACHED = 'attached',
  /** The role cannot be changed from here; a warning says what to grant. */
  WARNED = 'warned',
}

/** What needs X-Ray access, and through which role. */
export interface XRayAccessRequest {
  /** Where a warning is reported. */
  readonly scope: IConstruct;
  /** The resource that must wait for the policy (same stack only). */
  readonly resource: CfnResource;
  /** The role, when a construct knows it. */
  readonly role?: iam.IRole;
  /** The role ARN as written on a raw L1, when no construct knows the role. */
  readonly roleArn?: string;
  /** Also allow the sampling-rule reads (Step Functions polls them, Lambda does not). */
  readonly samplingReads: boolean;
  /** What the resource is, for a warning ("function", "state machine"). */
  readonly what: string;
}

/**
 * Makes sure the role of a traced resource may write traces: attaches the stack's XRayWritePolicy to a role of this
 * app that does not already allow the actions, and warns when the role cannot be changed from here.
 */
export function ensureXRayAccess(request: XRayAccessRequest): XRayAccessOutcome {
  const role = request.role ?? (request.roleArn !== undefined ? roleOfArn(request.resource, request.roleArn) : undefined);
  if (role === undefined || role instanceof iam.CfnRole || !isAttachable(role, Stack.of(role))) {
    // An imported mutable role may hold a policy of this app that grants the actions (aws-cdk-lib's `tracing` adds one).
    const access = role !== undefined && !(role instanceof iam.CfnRole) && Construct.isConstruct(role) ? roleXRayAccess(role) : undefined;
    if (access !== undefined && access.write && (!request.samplingReads || access.samplingReads)) {
      return XRayAccessOutcome.ALLOWED_BY_OTHER_POLICY;
    }
    warnNoAccess(request, role);
    return XRayAccessOutcome.WARNED;
  }
  const access = roleXRayAccess(role);
  const needWrite = !access.write;
  const needReads = request.samplingReads && !access.samplingReads;
  if (!needWrite && !needReads) {
    return access.writeFromOtherPolicy ? XRayAccessOutcome.ALLOWED_BY_OTHER_POLICY : XRayAccessOutcome.ALREADY_ALLOWED;
  }
  const policy = XRayWritePolicy.of(role);
  if (needWrite && policy.attachTo(role, request.scope) && Stack.of(policy) === Stack.of(request.resource)) {
    // As aws-cdk-lib does for a role's default policy: nothing runs before it may write its traces.
    request.resource.node.addDependency(policy.managedPolicy);
  }
  if (needReads) {
    policy.attachSamplingReadsTo(role, request.scope);
  }
  return XRayAccessOutcome.ATTACHED;
}

/**
 * The X-Ray actions a role of this app allows: its inline policies, its default policy, the policies attached to it
 * and its managed policies. Anything not recognised counts as not allowing, so the outcome of a miss is a second
 * grant, never a missing one.
 */
export function roleXRayAccess(role: iam.IRole): RoleXRayAccess {
  const stack = Stack.of(role);
  const documents: Array<{ document: unknown; ours: boolean }> = [];
  const cfnRole = role.node.defaultChild;
  if (cfnRole instanceof iam.CfnRole) {
    for (const inline of asArray(stack.resolve(cfnRole.policies))) {
      documents.push({ document: (inline as { policyDocument?: unknown })?.policyDocument, ours: false });
    }
  }
  // aws-cdk-lib keeps the attached policies in fields it does not expose; read them when they are there.
  const internals = role as unknown as { defaultPolicy?: unknown; attachedPolicies?: { policies?: unknown }; managedPolicies?: unknown };
  const policies = new Set<iam.Policy>();
  // The default policy: `DefaultPolicy` under a Role, `Policy…` under an imported mutable role.
  for (const p of [...role.node.children, internals.defaultPolicy, ...asArray(internals.attachedPolicies?.policies)]) {
    if (p instanceof iam.Policy) {
      policies.add(p);
    }
  }
  for (const p of policies) {
    documents.push({ document: stack.resolve(p.document), ours: false });
  }
  let awsManaged = false;
  for (const managed of asArray(internals.managedPolicies)) {
    if (managed instanceof iam.ManagedPolicy) {
      documents.push({ document: stack.resolve(managed.document), ours: managed.node.scope instanceof XRayWritePolicy });
    } else if (managed !== null && typeof managed === 'object' && 'managedPolicyArn' in managed) {
      const arn = JSON.stringify(stack.resolve((managed as iam.IManagedPolicy).managedPolicyArn));
      awsManaged ||= XRAY_AWS_MANAGED_POLICIES.some(name => arn.endsWith(`:iam::aws:policy/${name}"]]}`) || arn.endsWith(`:iam::aws:policy/${name}"`));
    }
  }
  const allows = (actions: readonly string[], from: typeof documents) =>
    actions.every(action => from.some(d => statementsOf(d.document).some(s => statementAllows(s, action))));
  const write = awsManaged || allows(XRAY_WRITE_ACTIONS, documents);
  return {
    write,
    samplingReads: awsManaged || allows(XRAY_SAMPLING_READ_ACTIONS, documents),
    writeFromOtherPolicy: awsManaged || allows(XRAY_WRITE_ACTIONS, documents.filter(d => !d.ours)),
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function statementsOf(document: unknown): unknown[] {
  const statement = (document as { Statement?: unknown } | undefined)?.Statement;
  return Array.isArray(statement) ? statement : statement !== undefined ? [statement] : [];
}

/** An unconditional Allow of `action` on every resource (X-Ray write actions take no resource ARN). */
function statementAllows(statement: unknown, action: string): boolean {
  const s = statement as Record<string, unknown>;
  if (s === null || typeof s !== 'object' || (s.Effect ?? 'Allow') !== 'Allow'
    || s.Condition !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) {
    return false;
  }
  const resources = ([] as unknown[]).concat(s.Resource ?? []);
  const actions = ([] as unknown[]).concat(s.Action ?? []);
  return resources.includes('*') && actions.some(a => typeof a === 'string' && actionMatches(a, action));
}

function actionMatches(pattern: string, action: string): boolean {
  const source = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** The Role (or raw CfnRole) of this app an ARN value on an L1 points to. */
function roleOfArn(resource: CfnResource, roleArn: string): iam.IRole | iam.CfnRole | undefined {
  if (!Token.isUnresolved(roleArn)) {
    return undefined;
  }
  const reference = Tokenization.reverse(roleArn);
  let cfnRole: unknown = reference instanceof Reference ? reference.target : undefined;
  if (cfnRole === undefined) {
    const logicalId = (Stack.of(resource).resolve(roleArn) as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt']?.[0];
    if (typeof logicalId === 'string') {
      const stack = Stack.of(resource);
      cfnRole = stack.node.findAll().find(c => c instanceof iam.CfnRole && stack.getLogicalId(c) === logicalId);
    }
  }
  if (cfnRole instanceof iam.Role) {
    return cfnRole;
  }
  if (cfnRole instanceof iam.CfnRole) {
    return cfnRole.node.scope instanceof iam.Role ? cfnRole.node.scope : cfnRole;
  }
  return undefined;
}

function warnNoAccess(request: XRayAccessRequest, role: iam.IRole | iam.CfnRole | undefined): void {
  const actions = [...XRAY_WRITE_ACTIONS, ...(request.samplingReads ? XRAY_SAMPLING_READ_ACTIONS : [])];
  const described = describeRole(request, role);
  const where = role instanceof iam.CfnRole
    ? `add the XRayWritePolicy's managedPolicyArn to that CfnRole's managedPolicyArns${request.samplingReads ? ' (and the sampling-read policy\'s)' : ''}, or grant`
    : 'attach the customer-managed policy created by XRayWritePolicy where that role is defined, or grant';
  warn(request.scope, 'importedPrincipal',
    `Tracing is on for this ${request.what}, but its role (${described}) is not a Role made in this app nor a role imported as mutable from the stack's account, so the ` +
    `stack's X-Ray policy cannot be attached to it from here. To fix, ${where} ${actions.join(', ')} on "*" to it, ` +
    'or its traces will be rejected.');
}

function describeRole(request: XRayAccessRequest, role: iam.IRole | iam.CfnRole | undefined): string {
  if (role instanceof iam.CfnRole) {
    return `CfnRole ${role.node.path}`;
  }
  const arn = role?.roleArn ?? request.roleArn;
  if (arn === undefined) {
    return 'none';
  }
  if (!Token.isUnresolved(arn)) {
    return arn;
  }
  const resolved = Stack.of(request.resource).resolve(arn) as Record<string, unknown> | string;
  if (typeof resolved === 'object' && resolved !== null && 'Fn::ImportValue' in resolved) {
    return `imported from the export ${JSON.stringify(resolved['Fn::ImportValue'])}`;
  }
  if (typeof resolved === 'object' && resolved !== null && 'Ref' in resolved) {
    return `the value of ${JSON.stringify(resolved.Ref)}`;
  }
  return role !== undefined ? `${role.node.path}, ${JSON.stringify(resolved)}` : JSON.stringify(resolved);
}
