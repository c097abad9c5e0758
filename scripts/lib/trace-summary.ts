import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template as JSON. */
export interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: any; Metadata?: any }>;
}

export interface FunctionRow {
  readonly logicalId: string;
  /** `Active`, `PassThrough` or `off`. */
  readonly mode: string;
  readonly instrumentation: string;
  readonly serviceName?: string;
  readonly annotationKeys: string[];
  readonly layers: number;
}

export interface StageRow {
  readonly logicalId: string;
  readonly tracing: boolean;
  readonly accessLogHasTraceId: boolean;
}

export interface PolicyRow {
  readonly logicalId: string;
  readonly type: string;
  readonly principals: number;
}

export interface SamplingRuleRow {
  readonly logicalId: string;
  readonly ruleName: string;
  readonly priority: number;
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly matches: string;
}

export interface GroupRow {
  readonly logicalId: string;
  readonly groupName: string;
  readonly filterExpression: string;
  readonly insights: boolean;
  readonly notifications: boolean;
}

export interface TaskRow {
  readonly logicalId: string;
  /** `adot collector`, `x-ray daemon` or `none`. */
  readonly sidecar: string;
  /** App containers and how each sends traces. */
  readonly containers: Array<{ name: string; via: string }>;
}

export interface StackSummary {
  readonly stackName: string;
  readonly functions: FunctionRow[];
  readonly stages: StageRow[];
  readonly httpApis: string[];
  /** IAM policies holding xray:PutTraceSegments. */
  readonly xrayWritePolicies: PolicyRow[];
  readonly samplingRules: SamplingRuleRow[];
  readonly groups: GroupRow[];
  readonly tasks: TaskRow[];
}

const TRACING_METADATA_KEY = 'cdk-xray-constructs:tracing';

/** Reads what a synthesized template traces. */
export function summarizeTemplate(stackName: string, template: Template): StackSummary {
  const functions: FunctionRow[] = [];
  const stages: StageRow[] = [];
  const httpApis: string[] = [];
  const xrayWritePolicies: PolicyRow[] = [];
  const samplingRules: SamplingRuleRow[] = [];
  const groups: GroupRow[] = [];
  const tasks: TaskRow[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Lambda::Function': {
        const declared = resource.Metadata?.[TRACING_METADATA_KEY];
        functions.push({
          logicalId,
          mode: props.TracingConfig?.Mode ?? 'off',
          instrumentation: declared?.instrumentation ?? (props.TracingConfig ? 'aws-cdk-lib' : '-'),
          serviceName: declared?.serviceName,
          annotationKeys: Array.isArray(declared?.annotationKeys) ? declared.annotationKeys : [],
          layers: Array.isArray(props.Layers) ? props.Layers.length : 0,
        });
        break;
      }
      case 'AWS::ApiGateway::Stage':
        stages.push({
          logicalId,
          tracing: props.TracingEnabled === true,
          accessLogHasTraceId: JSON.stringify(props.AccessLogSetting?.Format ?? '').includes('$context.xrayTraceId'),
        });
        break;
      case 'AWS::XRay::SamplingRule': {
        const r = props.SamplingRule ?? {};
        const matchers = ['ServiceName', 'ServiceType', 'Host', 'HTTPMethod', 'URLPath', 'ResourceARN']
          .filter(k => r[k] !== undefined && r[k] !== '*').map(k => `${k}=${r[k]}`);
        for (const [k, v] of Object.entries(r.Attributes ?? {})) {
          matchers.push(`${k}:${v}`);
        }
        samplingRules.push({
          logicalId,
          ruleName: typeof r.RuleName === 'string' ? r.RuleName : logicalId,
          priority: r.Priority,
          fixedRate: r.FixedRate,
          reservoirSize: r.ReservoirSize,
          matches: matchers.length > 0 ? matchers.join(' ') : 'everything',
        });
        break;
      }
      case 'AWS::XRay::Group':
        groups.push({
          logicalId,
          groupName: props.GroupName,
          filterExpression: props.FilterExpression ?? '',
          insights: props.InsightsConfiguration?.InsightsEnabled === true,
          notifications: props.InsightsConfiguration?.NotificationsEnabled === true,
        });
        break;
      case 'AWS::ECS::TaskDefinition': {
        const defs: any[] = props.ContainerDefinitions ?? [];
        const image = (c: any) => (typeof c.Image === 'string' ? c.Image : '');
        const sidecar = defs.find(c => image(c).includes('aws-otel-collector')) ? 'adot collector'
          : defs.find(c => image(c).includes('aws-xray-daemon')) ? 'x-ray daemon' : 'none';
        const containers = defs
          .filter(c => !image(c).includes('aws-otel-collector') && !image(c).includes('aws-xray-daemon'))
          .map(c => {
            const env = new Map<string, unknown>((c.Environment ?? []).map((e: any) => [e.Name, e.Value]));
            const via = env.has('OTEL_EXPORTER_OTLP_ENDPOINT')
              ? `OTLP ${env.get('OTEL_EXPORTER_OTLP_ENDPOINT')} sampler=${env.get('OTEL_TRACES_SAMPLER')}`
              : env.has('AWS_XRAY_DAEMON_ADDRESS') ? `X-Ray SDK -> ${env.get('AWS_XRAY_DAEMON_ADDRESS')}` : 'not traced';
            return { name: String(c.Name), via };
          });
        tasks.push({ logicalId, sidecar, containers });
        break;
      }
      case 'AWS::ApiGatewayV2::Api':
        httpApis.push(logicalId);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::IAM::Role': {
        if (grantsXRayWrite(resource.Type === 'AWS::IAM::Role' ? props.Policies : [{ PolicyDocument: props.PolicyDocument }])) {
          const principals = ['Roles', 'Users', 'Groups'].reduce((n, k) => n + (Array.isArray(props[k]) ? props[k].length : 0), 0);
          xrayWritePolicies.push({ logicalId, type: resource.Type, principals: resource.Type === 'AWS::IAM::Role' ? 1 : principals });
        }
        break;
      }
      default:
        break;
    }
  }
  samplingRules.sort((a, b) => a.priority - b.priority);
  return { stackName, functions, stages, httpApis, xrayWritePolicies, samplingRules, groups, tasks };
}

function grantsXRayWrite(policies: Array<{ PolicyDocument?: any }> | undefined): boolean {
  return (policies ?? []).some(p => (p.PolicyDocument?.Statement ?? []).some((st: any) => {
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    return st.Effect === 'Allow' && actions.some((a: string) => a === 'xray:PutTraceSegments' || a === 'xray:*' || a === '*');
  }));
}

/** Reads every stack template of a cloud assembly directory. */
export function readAssembly(dir: string): Array<{ stackName: string; template: Template }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const stacks: Array<{ stackName: string; template: Template }> = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = path.join(dir, artifact.properties.templateFile);
      stacks.push({ stackName: artifact.properties.stackName ?? id, template: JSON.parse(fs.readFileSync(file, 'utf8')) });
    }
  }
  return stacks;
}

/** Renders a summary as plain text, one block per stack. */
export function renderSummary(summary: StackSummary): string {
  const lines: string[] = [];
  const tracedFns = summary.functions.filter(f => f.mode !== 'off').length;
  const tracedStages = summary.stages.filter(s => s.tracing).length;
  lines.push(`Stack ${summary.stackName}`);
  lines.push(`  Lambda functions traced: ${tracedFns}/${summary.functions.length}`);
  for (const f of summary.functions) {
    const extra = [
      f.serviceName ? `service=${f.serviceName}` : undefined,
      f.annotationKeys.length > 0 ? `annotations=${f.annotationKeys.join(',')}` : undefined,
      f.layers > 0 ? `layers=${f.layers}` : undefined,
    ].filter(x => x !== undefined).join(' ');
    lines.push(`    ${pad(f.logicalId, 32)} ${pad(f.mode, 11)} ${pad(f.instrumentation, 12)} ${extra}`.trimEnd());
  }
  lines.push(`  REST API stages traced: ${tracedStages}/${summary.stages.length}`);
  for (const s of summary.stages) {
    lines.push(`    ${pad(s.logicalId, 32)} tracing=${s.tracing ? 'on' : 'OFF'} accessLogTraceId=${s.accessLogHasTraceId ? 'yes' : 'no'}`);
  }
  if (summary.tasks.length > 0) {
    lines.push(`  ECS task definitions with a tracing sidecar: ${summary.tasks.filter(t => t.sidecar !== 'none').length}/${summary.tasks.length}`);
    for (const t of summary.tasks) {
      lines.push(`    ${pad(t.logicalId, 32)} sidecar=${t.sidecar}`);
      for (const c of t.containers) {
        lines.push(`      ${pad(c.name, 30)} ${c.via}`);
      }
    }
  }
  if (summary.httpApis.length > 0) {
    lines.push(`  HTTP/WebSocket APIs (X-Ray cannot trace them): ${summary.httpApis.join(', ')}`);
  }
  lines.push(`  IAM policies granting xray:PutTraceSegments: ${summary.xrayWritePolicies.length}`);
  for (const p of summary.xrayWritePolicies) {
    lines.push(`    ${pad(p.logicalId, 32)} ${p.type} attached to ${p.principals} principal(s)`);
  }
  if (summary.samplingRules.length > 0) {
    lines.push(`  Sampling rules: ${summary.samplingRules.length} (first match in ascending priority)`);
    for (const r of summary.samplingRules) {
      lines.push(`    ${pad(String(r.priority), 5)} ${pad(r.ruleName, 20)} reservoir ${r.reservoirSize}/s then ${+(r.fixedRate * 100).toFixed(2)} %  ${r.matches}`);
    }
  }
  if (summary.groups.length > 0) {
    lines.push(`  Groups: ${summary.groups.length}`);
    for (const g of summary.groups) {
      const insights = g.insights ? (g.notifications ? ' [Insights, notifications]' : ' [Insights]') : '';
      lines.push(`    ${pad(g.groupName, 20)} ${g.filterExpression}${insights}`);
    }
  }
  return lines.join('\n');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
