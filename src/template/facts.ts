import { TemplateModel, TemplateResource, TemplateStack } from './model';
import { TRACING_METADATA_KEY } from '../private/metadata';

/**
 * The X-Ray configuration the templates declare besides their request paths, read from the model alone: sampling
 * rules, groups, the IAM policies that let principals write traces, and the tracing metadata this library records on
 * what it traces. One fact per resource; `XRayChecks` and `cdk-xray report` read the same facts.
 */

/** Where a fact was read: the resource it is about. */
export interface FactSource {
  /** The stack declaring the resource (`TemplateStack.stackId`). */
  readonly stackId: string;
  readonly logicalId: string;
  /** The construct path, when known. */
  readonly path?: string;
}

/** One `AWS::XRay::SamplingRule`. */
export interface SamplingRuleFact extends FactSource {
  /** The rule's name; the logical id when the name is not a literal string. */
  readonly ruleName: string;
  /** Lower is evaluated first; undefined when not a literal number. */
  readonly priority?: number;
  /** Undefined when not a literal number (a deploy-time value). */
  readonly fixedRate?: number;
  /** Undefined when not a literal number (a deploy-time value). */
  readonly reservoirSize?: number;
  /** What the rule matches, `Key=value` for every matcher other than `*`; `everything` when all are `*`. */
  readonly matches: string;
}

/** One `AWS::XRay::Group`. */
export interface GroupFact extends FactSource {
  /** The group's name; the logical id when the name is not a literal string. */
  readonly groupName: string;
  /** The filter expression; an intrinsic function as compact JSON. */
  readonly filterExpression: string;
  /** Whether Insights is on (`InsightsConfiguration.InsightsEnabled`); a deploy-time value counts as on (an upper bound). */
  readonly insights: boolean;
  /** Whether Insights notifications are on, read the same way. */
  readonly notifications: boolean;
}

/** An IAM policy or role that allows `xray:PutTraceSegments`. */
export interface WritePolicyFact extends FactSource {
  /** `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` or `AWS::IAM::Role`. */
  readonly type: string;
  /** Roles, users and groups it is attached to (1 for a role's inline policies). */
  readonly principals: number;
}

/** What this library records on a resource it traced (`cdk-xray-constructs:tracing` metadata). */
export interface TracingMetadata {
  /** `adot`, `powertools`, `xraySdk` or `activeOnly`. */
  readonly instrumentation?: string;
  /**
   * ECS task definitions: where the task's traces go, `adot` (the ADOT collector sidecar), `xrayDaemon`,
   * `applicationSignals` (the CloudWatch agent sidecar of Application Signals) or `direct` (no sidecar: the SDKs export
   * to the X-Ray OTLP endpoint).
   */
  readonly collector?: string;
  /** The service (segment) name it configured. */
  readonly serviceName?: string;
  /** The annotation keys it declared. */
  readonly annotationKeys?: string[];
}

/** The app-wide facts of a model, in model order (stack order, then template order). */
export interface TemplateFacts {
  readonly samplingRules: SamplingRuleFact[];
  readonly groups: GroupFact[];
  readonly writePolicies: WritePolicyFact[];
}

const RULE_MATCHERS = ['ServiceName', 'ServiceType', 'Host', 'HTTPMethod', 'URLPath', 'ResourceARN'];

/** Reads the sampling rules, groups and X-Ray write policies of every stack of the model. */
export function readTemplateFacts(model: TemplateModel): TemplateFacts {
  return {
    samplingRules: model.ofType('AWS::XRay::SamplingRule').map(samplingRuleFact),
    groups: model.ofType('AWS::XRay::Group').map(groupFact),
    writePolicies: model.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role')
      .map(writePolicyFact).filter((f): f is WritePolicyFact => f !== undefined),
  };
}

/** The facts of one stack, sampling rules in ascending priority (the order X-Ray evaluates them in). */
export function factsOfStack(facts: TemplateFacts, stack: TemplateStack): TemplateFacts {
  const own = <T extends FactSource>(items: T[]) => items.filter(f => f.stackId === stack.stackId);
  return {
    samplingRules: byPriority(own(facts.samplingRules)),
    groups: own(facts.groups),
    writePolicies: own(facts.writePolicies),
  };
}

/** Sampling rules sorted by ascending priority, rules without a literal priority last (stable otherwise). */
export function byPriority(rules: SamplingRuleFact[]): SamplingRuleFact[] {
  return [...rules].sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER));
}

/** The source fields of a resource's fact. */
export function sourceOf(r: TemplateResource): FactSource {
  return { stackId: r.stackId, logicalId: r.logicalId, ...(r.path !== undefined ? { path: r.path } : {}) };
}

export function samplingRuleFact(r: TemplateResource): SamplingRuleFact {
  const rule = isObject(r.properties.SamplingRule) ? r.properties.SamplingRule : {};
  const matchers = RULE_MATCHERS.filter(k => rule[k] !== undefined && rule[k] !== '*').map(k => `${k}=${literal(rule[k])}`);
  for (const [k, v] of Object.entries(isObject(rule.Attributes) ? rule.Attributes : {})) {
    matchers.push(`${k}:${literal(v)}`);
  }
  return {
    ...sourceOf(r),
    ruleName: typeof rule.RuleName === 'string' ? rule.RuleName : r.logicalId,
    priority: numberOrUndefined(rule.Priority),
    fixedRate: numberOrUndefined(rule.FixedRate),
    reservoirSize: numberOrUndefined(rule.ReservoirSize),
    matches: matchers.length > 0 ? matchers.join(' ') : 'everything',
  };
}

export function groupFact(r: TemplateResource): GroupFact {
  const p = r.properties;
  const insights = isObject(p.InsightsConfiguration) ? p.InsightsConfiguration : {};
  return {
    ...sourceOf(r),
    groupName: typeof p.GroupName === 'string' ? p.GroupName : r.logicalId,
    filterExpression: typeof p.FilterExpression === 'string' ? p.FilterExpression : literal(p.FilterExpression ?? ''),
    insights: isOn(insights.InsightsEnabled),
    notifications: isOn(insights.NotificationsEnabled),
  };
}

/** The write-policy fact of an IAM policy or role, or undefined when it does not allow `xray:PutTraceSegments`. */
export function writePolicyFact(r: TemplateResource): WritePolicyFact | undefined {
  const p = r.properties;
  const isRole = r.type === 'AWS::IAM::Role';
  if (!grantsXRayWrite(isRole ? p.Policies : [{ PolicyDocument: p.PolicyDocument }])) {
    return undefined;
  }
  const principals = ['Roles', 'Users', 'Groups'].reduce((n, k) => n + (Array.isArray(p[k]) ? p[k].length : 0), 0);
  return { ...sourceOf(r), type: r.type, principals: isRole ? 1 : principals };
}

/** The tracing metadata this library recorded on a resource, or undefined when it recorded none. */
export function tracingMetadataOf(r: TemplateResource): TracingMetadata | undefined {
  const declared = r.metadata[TRACING_METADATA_KEY];
  if (!isObject(declared)) {
    return undefined;
  }
  const keys = Array.isArray(declared.annotationKeys) ? declared.annotationKeys.filter((k: unknown): k is string => typeof k === 'string') : undefined;
  return {
    ...(typeof declared.instrumentation === 'string' ? { instrumentation: declared.instrumentation } : {}),
    ...(typeof declared.collector === 'string' ? { collector: declared.collector } : {}),
    ...(typeof declared.serviceName === 'string' ? { serviceName: declared.serviceName } : {}),
    ...(keys !== undefined ? { annotationKeys: keys } : {}),
  };
}

/** A boolean template value: `true`, `"true"`, or a deploy-time value (counted as on: an upper bound). */
function isOn(value: unknown): boolean {
  return value === true || value === 'true' || isObject(value);
}

function grantsXRayWrite(policies: unknown): boolean {
  return (Array.isArray(policies) ? policies : []).some((p: any) => statements(p?.PolicyDocument).some((st: any) => {
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

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
