import { Arn, ArnFormat, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { isAttachable } from './private/attachable';
import { XRayWritePolicy } from './xray-write-policy';
import { fail } from '../private/errors';
import {
  checkGrant, GROUP_ADMIN_ACTIONS, SAMPLING_RULE_ADMIN_ACTIONS, XRAY_READ_ACTIONS, XRAY_WRITE_ACTIONS,
} from '../private/iam-actions';
import type { ISamplingRule } from '../xray/sampling-rule';
import type { ITraceGroup } from '../xray/trace-group';

/**
 * Grants X-Ray access to principals that are not traced by a construct of this library.
 *
 * No grant uses `xray:*` or an AWS managed policy. The actions granted here accept no resource-level permissions,
 * so they are granted on `*`.
 */
export class XRayGrants {
  /**
   * Lets a principal send segments and telemetry (`xray:PutTraceSegments`, `xray:PutTelemetryRecords`).
   *
   * A role, user or group created in this app, or a role imported as mutable from the stack's own account, gets the
   * stack's `XRayWritePolicy` attached; any other principal gets an inline statement (which cdk-nag reports as `AwsSolutions-IAM5[Resource::*]` on that principal's policy).
   *
   * A principal that cannot hold a policy here is refused or warned about, never skipped in silence: a service
   * principal or `AnyPrincipal` is an error (AWS services send segments through `XRayResourcePolicy`), and a role
   * imported from another account or as immutable gets a warning saying to grant where the role is defined.
   */
  public static write(grantee: iam.IGrantable): iam.Grant {
    const principal = requireGrantee('write', grantee).grantPrincipal;
    const viaPolicy = takesWritePolicy(principal) ? new AttachingPrincipal(principal) : undefined;
    const grant = iam.Grant.addToPrincipal({ grantee: viaPolicy ?? grantee, actions: [...XRAY_WRITE_ACTIONS], resourceArns: ['*'] });
    return checkGrant('XRayGrants', 'write()', grant, grantee, XRAY_WRITE_ACTIONS, ['*']);
  }

  /**
   * Lets a principal read traces and insights: trace summaries and full traces, the service graph, time-series
   * statistics and Insights (`xray:GetTraceSummaries`, `xray:BatchGetTraces`, `xray:GetTraceGraph`,
   * `xray:GetServiceGraph`, `xray:GetTimeSeriesServiceStatistics`, `xray:GetInsightSummaries`, `xray:GetInsight`,
   * `xray:GetInsightEvents`, `xray:GetInsightImpactGraph`). None of these accepts a resource ARN.
   *
   * As for `write`, a principal that cannot hold the statement is an error or a warning, never a silent no-op.
   */
  public static read(grantee: iam.IGrantable): iam.Grant {
    requireGrantee('read', grantee);
    const grant = iam.Grant.addToPrincipal({ grantee, actions: [...XRAY_READ_ACTIONS], resourceArns: ['*'] });
    return checkGrant('XRayGrants', 'read()', grant, grantee, XRAY_READ_ACTIONS, ['*']);
  }

  /**
   * Lets a principal manage the given sampling rules: `xray:UpdateSamplingRule` and `xray:DeleteSamplingRule` on
   * their exact ARNs, `xray:CreateSamplingRule` on the ARNs their names give, and `xray:GetSamplingRules` (which
   * accepts no resource ARN).
   */
  public static samplingRuleAdmin(grantee: iam.IGrantable, rules: ISamplingRule[]): iam.Grant {
    requireGrantee('samplingRuleAdmin', grantee);
    requireList('samplingRuleAdmin', 'rules', rules, 'samplingRuleArn', 'Pass the rules the principal manages.');
    const arns = rules.map(r => r.samplingRuleArn);
    const scoped = iam.Grant.addToPrincipal({ grantee, actions: [...SAMPLING_RULE_ADMIN_ACTIONS], resourceArns: arns });
    const grant = scoped.combine(iam.Grant.addToPrincipal({ grantee, actions: ['xray:GetSamplingRules'], resourceArns: ['*'] }));
    return checkGrant('XRayGrants', 'samplingRuleAdmin()', grant, grantee, [...SAMPLING_RULE_ADMIN_ACTIONS, 'xray:GetSamplingRules'], arns);
  }

  /**
   * Lets a principal manage the given groups: `xray:GetGroup`, `xray:UpdateGroup` and `xray:DeleteGroup` on their
   * exact ARNs, `xray:CreateGroup` on `group/<name>/*` (the id part is generated), and `xray:GetGroups` (which accepts
   * no resource ARN).
   */
  public static groupAdmin(grantee: iam.IGrantable, groups: ITraceGroup[]): iam.Grant {
    requireGrantee('groupAdmin', grantee);
    requireList('groupAdmin', 'groups', groups, 'groupArn', 'Pass the groups the principal manages.');
    const arns = groups.map(g => g.groupArn);
    const scoped = iam.Grant.addToPrincipal({ grantee, actions: [...GROUP_ADMIN_ACTIONS], resourceArns: arns });
    const create = iam.Grant.addToPrincipal({ grantee, actions: ['xray:CreateGroup'], resourceArns: groups.map(createGroupArn) });
    const grant = scoped.combine(create).combine(iam.Grant.addToPrincipal({ grantee, actions: ['xray:GetGroups'], resourceArns: ['*'] }));
    return checkGrant('XRayGrants', 'groupAdmin()', grant, grantee, [...GROUP_ADMIN_ACTIONS, 'xray:CreateGroup', 'xray:GetGroups'], arns);
  }

  private constructor() {}
}

/**
 * Stands in for a principal made in this app: instead of adding the X-Ray write statement to the principal's own
 * policy, it attaches the stack's XRayWritePolicy, so the returned Grant is real (its dependable is that policy).
 */
class AttachingPrincipal implements iam.IPrincipal, iam.IGrantable {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount: string | undefined;

  constructor(private readonly principal: iam.IPrincipal & IConstruct) {
    this.assumeRoleAction = principal.assumeRoleAction;
    this.policyFragment = principal.policyFragment;
    this.principalAccount = principal.principalAccount;
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  public addToPrincipalPolicy(_statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const policy = XRayWritePolicy.of(this.principal);
    const attached = policy.attachTo(this.principal, this.principal);
    return attached ? { statementAdded: true, policyDependable: policy.managedPolicy } : { statementAdded: false };
  }
}

/**
 * The ARN `xray:CreateGroup` is checked against, `group/<name>/*` in the group's own partition, region and account:
 * those of its stack for a group made here, those of its ARN for an imported one.
 */
function createGroupArn(group: ITraceGroup): string {
  const resourceName = `${group.groupName}/*`;
  if (Resource.isOwnedResource(group)) {
    return Stack.of(group).formatArn({ service: 'xray', resource: 'group', resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }
  const { partition, region, account } = Arn.split(group.groupArn, ArnFormat.SLASH_RESOURCE_NAME);
  return Arn.format({ partition, service: 'xray', region, account, resource: 'group', resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

function requireGrantee(method: string, grantee: iam.IGrantable): iam.IGrantable {
  if (grantee === undefined || grantee === null || grantee.grantPrincipal === undefined) {
    fail(`XRayGrants.${method}`, 'grantee', 'must be a role, user, group or other IGrantable', grantee, 'Pass the principal that needs access.');
  }
  return grantee;
}

function requireList(method: string, prop: string, items: unknown[], attribute: string, fix: string): void {
  if (!Array.isArray(items) || items.length === 0) {
    fail(`XRayGrants.${method}`, prop, `must name at least one ${prop === 'rules' ? 'rule' : 'group'}`, items, fix);
  }
  items.forEach((item, i) => {
    if (item === undefined || item === null || typeof (item as Record<string, unknown>)[attribute] !== 'string') {
      fail(`XRayGrants.${method}`, `${prop}[${i}]`, `must be a ${prop === 'rules' ? 'sampling rule' : 'trace group'}`, item, fix);
    }
  });
}

/** Whether the stack's XRayWritePolicy can be attached to the principal (see `isAttachable`). */
function takesWritePolicy(principal: iam.IPrincipal): principal is iam.IPrincipal & IConstruct {
  return Construct.isConstruct(principal) && isAttachable(principal, Stack.of(principal));
}
