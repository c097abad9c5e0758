import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { XRayWritePolicy } from './xray-write-policy';
import { XRAY_READ_ACTIONS, XRAY_WRITE_ACTIONS } from '../private/iam-actions';

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
   * Lets a principal read traces: trace summaries and full traces, the service graph, and time-series statistics
   * (`xray:GetTraceSummaries`, `xray:BatchGetTraces`, `xray:GetTraceGraph`, `xray:GetServiceGraph`,
   * `xray:GetTimeSeriesServiceStatistics`).
   */
  public static read(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...XRAY_READ_ACTIONS], resourceArns: ['*'] });
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
