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
    if (isAttachable(principal)) {
      XRayWritePolicy.of(principal).attachTo(principal, principal);
      return iam.Grant.drop(grantee, 'X-Ray write access through the stack\'s XRayWritePolicy');
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [...XRAY_WRITE_ACTIONS], resourceArns: ['*'] });
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

function isAttachable(principal: iam.IPrincipal): principal is iam.IPrincipal & IConstruct {
  return principal instanceof iam.Role || principal instanceof iam.User || principal instanceof iam.Group;
}
