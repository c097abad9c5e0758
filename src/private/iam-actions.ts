/** The actions a traced resource needs to send segments and telemetry to X-Ray. */
export const XRAY_WRITE_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** The actions an SDK, daemon or collector needs to poll centralized sampling rules. */
export const XRAY_SAMPLING_READ_ACTIONS: readonly string[] = ['xray:GetSamplingRules', 'xray:GetSamplingTargets'];

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
