import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, Dependable, IConstruct } from 'constructs';
import { validationMessage } from './errors';
import { warn } from './warnings';

/** The actions a traced resource needs to send segments and telemetry to X-Ray. */
export const XRAY_WRITE_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** The actions an SDK, daemon or collector needs to poll centralized sampling rules. */
export const XRAY_SAMPLING_READ_ACTIONS: readonly string[] = ['xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/**
 * The actions that authorize span uploads to the X-Ray OTLP endpoint (`https://xray.<region>.amazonaws.com/v1/traces`),
 * which the AWS Distro for OpenTelemetry SDKs call directly, with no collector: `xray:PutSpans` (the Service
 * Authorization Reference's action for OpenTelemetry spans sent to X-Ray), `xray:PutSpansForIndexing` (its
 * permission-only action for spans that Transaction Search indexes) and `xray:PutTraceSegments` (in
 * `AWSXrayWriteOnlyAccess`, the policy AWS's guide to collector-less ADOT SDK export attaches). None takes a resource.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
 */
export const XRAY_OTLP_SPAN_WRITE_ACTIONS: readonly string[] = ['xray:PutSpans', 'xray:PutSpansForIndexing', 'xray:PutTraceSegments'];

/** The log group CloudWatch Application Signals keeps its metrics in (embedded metric format). */
export const APPLICATION_SIGNALS_LOG_GROUP = '/aws/application-signals/data';

/**
 * What the CloudWatch agent does with that log group when it exports Application Signals metrics (its `awsemf`
 * exporter): puts log events, and creates the log stream, and the group when it is missing, on the first export.
 */
export const APPLICATION_SIGNALS_LOG_ACTIONS: readonly string[] = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * Why `Resource: *` is unavoidable on this policy; recorded with the cdk-nag acknowledgment.
 */
export const XRAY_WRITE_ACKNOWLEDGMENT_REASON =
  'The X-Ray actions in this policy (xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, ' +
  'xray:GetSamplingTargets) support no resource-level permissions (Service Authorization Reference for AWS X-Ray), ' +
  'so they can only be granted on "*". The policy holds no other statements.';

/** The actions needed to read traces and the service graph; none accepts a resource ARN. */
export const XRAY_READ_ACTIONS: readonly string[] = [
  'xray:GetTraceSummaries',
  'xray:BatchGetTraces',
  'xray:GetTraceGraph',
  'xray:GetServiceGraph',
  'xray:GetTimeSeriesServiceStatistics',
  'xray:GetInsightSummaries',
  'xray:GetInsight',
  'xray:GetInsightEvents',
  'xray:GetInsightImpactGraph',
];

/** Sampling-rule administration on a rule's ARN. */
export const SAMPLING_RULE_ADMIN_ACTIONS: readonly string[] = ['xray:UpdateSamplingRule', 'xray:DeleteSamplingRule', 'xray:CreateSamplingRule'];

/** Group administration on a group's ARN. */
export const GROUP_ADMIN_ACTIONS: readonly string[] = ['xray:GetGroup', 'xray:UpdateGroup', 'xray:DeleteGroup'];

/**
 * Refuses or reports a grant that added no statement to any policy, which `iam.Grant.addToPrincipal` returns without a
 * word (an immutable or cross-account imported role even reports success): a
 * principal that holds no IAM policy here (a service principal, `AnyPrincipal`, an ARN) is an error, since the grant can
 * never work from this app; an imported role or user that is immutable or in another account gets a warning saying to
 * grant where it is defined. Returns the grant when it succeeded or was warned about.
 */
export function checkGrant(where: string, method: string, grant: iam.Grant, grantee: iam.IGrantable, actions: readonly string[],
  resources: readonly string[]): iam.Grant {
  // An immutable or cross-account imported role "adds" the statement to nothing: the grant succeeds on no policy.
  if (grant.success && (grant.resourceStatements.length > 0 || Dependable.of(grant).dependencyRoots.length > 0)) {
    return grant;
  }
  const principal = grantee.grantPrincipal;
  const granted = `${[...actions].join(', ')} on ${resources.some(r => Token.isUnresolved(r)) ? 'the given resources' : [...resources].join(', ')}`;
  if (principal instanceof iam.ServicePrincipal) {
    const fix = actions.includes('xray:PutTraceSegments')
      ? `Let the service send segments through the X-Ray resource policy instead: XRayResourcePolicy.of(scope).addStatements(...) with principal ${principal.service} and aws:SourceArn / aws:SourceAccount conditions (SnsTracing.enable does this for SNS topics).`
      : 'A service reads X-Ray through its own role: grant that role instead.';
    throw new Error(`[${where}] grantee of ${method} is the service principal ${principal.service}, which holds no IAM policy, so ` +
      `${granted} could never be granted to it (got ServicePrincipal ${JSON.stringify(principal.service)}). ${fix}`);
  }
  if (!Construct.isConstruct(principal)) {
    const what = principal instanceof iam.AnyPrincipal || principal instanceof iam.StarPrincipal ? 'AnyPrincipal' : principal.toString();
    throw new Error(`[${where}] grantee of ${method} holds no IAM policy in this app, so ${granted} could never be granted to it ` +
      `(got ${what}). Grant to a role, user or group made in this app, or attach the permissions where the principal is defined.`);
  }
  const roleArn = (principal as Partial<iam.IRole>).roleArn;
  const got = typeof roleArn === 'string' ? roleArn : principal.node.path;
  warn(principal, 'grantNotAdded', validationMessage(principal, principal, 'grantee',
    `is imported as immutable or from another account, so ${method} could not add ${granted} to its policy`, got,
    'Attach the permissions where the role or user is defined (for X-Ray writes, the customer-managed policy of XRayWritePolicy), ' +
    'or import it from its own account with mutable: true; until then its calls are denied.'));
  return grant;
}

/** The stack of `scope`, or a house error naming the scope when it is not inside one. */
export function stackOf(scope: IConstruct, method: string): Stack {
  if (scope === undefined || scope === null || !Construct.isConstruct(scope)) {
    throw new Error(`[${method}] scope must be a construct inside a Stack (got ${String(scope)}). Pass a construct of the stack.`);
  }
  try {
    return Stack.of(scope);
  } catch {
    throw new Error(`[${scope.node.path || method}] scope of ${method} must be a construct inside a Stack (got ${scope.constructor.name} ` +
      `${JSON.stringify(scope.node.path)}). Pass a construct of the stack, or the stack itself.`);
  }
}
