/**
 * The X-Ray configuration a template declares besides its request paths: sampling rules, groups and the IAM policies
 * that let principals write traces. Read from template JSON only, like the trace graph.
 */

/** One `AWS::XRay::SamplingRule`. */
export interface SamplingRuleFacts {
  readonly logicalId: string;
  /** The rule's name; the logical id when the name is not a literal string. */
  readonly ruleName: string;
  /** Lower is evaluated first; undefined when not a literal number. */
  readonly priority?: number;
  readonly fixedRate?: number;
  readonly reservoirSize?: number;
  /** What the rule matches, `Key=value` for every matcher other than `*`; `everything` when all are `*`. */
  readonly matches: string;
}

/** One `AWS::XRay::Group`. */
export interface GroupFacts {
  readonly logicalId: string;
  readonly groupName: string;
  readonly filterExpression: string;
  readonly insights: boolean;
  readonly notifications: boolean;
}

/** An IAM policy or role that allows `xray:PutTraceSegments`. */
export interface WritePolicyFacts {
  readonly logicalId: string;
  readonly type: string;
  /** Roles, users and groups it is attached to (1 for a role's inline policies). */
  readonly principals: number;
}

export interface StackFacts {
  /** Sorted by ascending priority (the order X-Ray evaluates them in). */
  readonly samplingRules: SamplingRuleFacts[];
  readonly groups: GroupFacts[];
  readonly xrayWritePolicies: WritePolicyFacts[];
}

const RULE_MATCHERS = ['ServiceName', 'ServiceType', 'Host', 'HTTPMethod', 'URLPath', 'ResourceARN'];

/** Reads the sampling rules, groups and X-Ray write policies of one template. */
export function readStackFacts(template: any): StackFacts {
  const samplingRules: SamplingRuleFacts[] = [];
  const groups: GroupFacts[] = [];
  const xrayWritePolicies: WritePolicyFacts[] = [];
  for (const [logicalId, resource] of Object.entries<any>(template?.Resources ?? {})) {
    const props = resource?.Properties ?? {};
    switch (resource?.Type) {
      case 'AWS::XRay::SamplingRule': {
        const r = props.SamplingRule ?? {};
        const matchers = RULE_MATCHERS.filter(k => r[k] !== undefined && r[k] !== '*').map(k => `${k}=${literal(r[k])}`);
        for (const [k, v] of Object.entries(r.Attributes ?? {})) {
          matchers.push(`${k}:${literal(v)}`);
        }
        samplingRules.push({
          logicalId,
          ruleName: typeof r.RuleName === 'string' ? r.RuleName : logicalId,
          priority: numberOrUndefined(r.Priority),
          fixedRate: numberOrUndefined(r.FixedRate),
          reservoirSize: numberOrUndefined(r.ReservoirSize),
          matches: matchers.length > 0 ? matchers.join(' ') : 'everything',
        });
        break;
      }
      case 'AWS::XRay::Group':
        groups.push({
          logicalId,
          groupName: typeof props.GroupName === 'string' ? props.GroupName : logicalId,
          filterExpression: typeof props.FilterExpression === 'string' ? props.FilterExpression : literal(props.FilterExpression ?? ''),
          insights: props.InsightsConfiguration?.InsightsEnabled === true,
          notifications: props.InsightsConfiguration?.NotificationsEnabled === true,
        });
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::IAM::Role': {
        const isRole = resource.Type === 'AWS::IAM::Role';
        if (grantsXRayWrite(isRole ? props.Policies : [{ PolicyDocument: props.PolicyDocument }])) {
          const principals = ['Roles', 'Users', 'Groups'].reduce((n, k) => n + (Array.isArray(props[k]) ? props[k].length : 0), 0);
          xrayWritePolicies.push({ logicalId, type: resource.Type, principals: isRole ? 1 : principals });
        }
        break;
      }
      default:
        break;
    }
  }
  samplingRules.sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER));
  return { samplingRules, groups, xrayWritePolicies };
}

function grantsXRayWrite(policies: Array<{ PolicyDocument?: any }> | undefined): boolean {
  return (Array.isArray(policies) ? policies : []).some(p => statements(p?.PolicyDocument).some((st: any) => {
    const actions = Array.isArray(st?.Action) ? st.Action : [st?.Action];
    return st?.Effect === 'Allow' && actions.some((a: unknown) => a === 'xray:PutTraceSegments' || a === 'xray:*' || a === '*');
  }));
}

function statements(document: any): any[] {
  const st = document?.Statement;
  return Array.isArray(st) ? st : st ? [st] : [];
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A template value for display: strings as they are, intrinsic functions as compact JSON. */
function literal(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
