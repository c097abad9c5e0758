import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { XRayWritePolicy } from './xray-write-policy';
import { GROUP_ADMIN_ACTIONS, SAMPLING_RULE_ADMIN_ACTIONS, XRAY_READ_ACTIONS, XRAY_WRITE_ACTIONS } from '../private/iam-actions';
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
   * A role, user or group created in this app gets the stack's `XRayWritePolicy` attached; any other principal gets
   * an inline statement (which cdk-nag reports as `AwsSolutions-IAM5[Resource::*]` on that principal's policy).
   */
  public static write(grantee: iam.IGrantable): iam.Grant {
    const principal = grantee.grantPrincipal;
    const viaPolicy = isAttachable(principal) ? new AttachingPrincipal(principal) : undefined;
    return iam.Grant.addToPrincipal({ grantee: viaPolicy ?? grantee, actions: [...XRAY_WRITE_ACTIONS], resourceArns: ['*'] });
  }

  /**
   * Lets a principal read traces and insights: trace summaries and full traces, the service graph, time-series
   * statistics and Insights (`xray:GetTraceSummaries`, `xray:BatchGetTraces`, `xray:GetTraceGraph`,
   * `xray:GetServiceGraph`, `xray:GetTimeSeriesServiceStatistics`, `xray:GetInsightSummaries`, `xray:GetInsight`,
   * `xray:GetInsightEvents`, `xray:GetInsightImpactGraph`). None of these accepts a resource ARN.
   */
  public static read(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...XRAY_READ_ACTIONS], resourceArns: ['*'] });
  }

  /**
   * Lets a principal manage the given sampling rules: `xray:UpdateSamplingRule` and `xray:DeleteSamplingRule` on
   * their exact ARNs, `xray:CreateSamplingRule` on the ARNs their names give, and `xray:GetSamplingRules` (which
   * accepts no resource ARN).
   */
  public static samplingRuleAdmin(grantee: iam.IGrantable, rules: ISamplingRule[]): iam.Grant {
    if (rules.length === 0) {
      throw new Error('[XRayGrants.samplingRuleAdmin] rules must name at least one rule (got []). Pass the rules the principal manages.');
    }
    const scoped = iam.Grant.addToPrincipal({
      grantee,
      actions: [...SAMPLING_RULE_ADMIN_ACTIONS],
      resourceArns: rules.map(r => r.samplingRuleArn),
    });
    return scoped.combine(iam.Grant.addToPrincipal({ grantee, actions: ['xray:GetSamplingRules'], resourceArns: ['*'] }));
  }

  /**
   * Lets a principal manage the given groups: `xray:GetGroup`, `xray:UpdateGroup` and `xray:DeleteGroup` on their
   * exact ARNs, `xray:CreateGroup` on `group/<name>/*` (the id part is generated), and `xray:GetGroups` (which accepts
   * no resource ARN).
   */
  public static groupAdmin(grantee: iam.IGrantable, groups: ITraceGroup[]): iam.Grant {
    if (groups.length === 0) {
      throw new Error('[XRayGrants.groupAdmin] groups must name at least one group (got []). Pass the groups the principal manages.');
    }
    const stack = Stack.of(groups[0]);
    const scoped = iam.Grant.addToPrincipal({
      grantee,
      actions: [...GROUP_ADMIN_ACTIONS],
      resourceArns: groups.map(g => g.groupArn),
    });
    const create = iam.Grant.addToPrincipal({
      grantee,
      actions: ['xray:CreateGroup'],
      resourceArns: groups.map(g => stack.formatArn({ service: 'xray', resource: 'group', resourceName: `${g.groupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })),
    });
    return scoped.combine(create).combine(iam.Grant.addToPrincipal({ grantee, actions: ['xray:GetGroups'], resourceArns: ['*'] }));
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

function isAttachable(principal: iam.IPrincipal): principal is iam.IPrincipal & IConstruct {
  return principal instanceof iam.Role || principal instanceof iam.User || principal instanceof iam.Group;
}
