/**
 * Recognizes where an ECS task definition's traces go, from its CloudFormation `ContainerDefinitions` (so it works on
 * any template, with or without this library): a collector or daemon among its containers, or app containers whose
 * OpenTelemetry SDKs export straight to the X-Ray OTLP endpoint.
 */

import { XRAY_OTLP_TRACES_ENDPOINT_PATTERN } from './signals-contract';
import { DEPLOY_TIME, templateText } from './template-text';

/** Image name fragments of collectors and daemons that receive traces, with what to call them. */
const COLLECTOR_IMAGES: ReadonlyArray<readonly [string, string]> = [
  ['aws-otel-collector', 'ADOT collector'],
  ['aws-xray-daemon', 'X-Ray daemon'],
  ['cloudwatch-agent', 'CloudWatch agent'],
  ['opentelemetry-collector', 'OpenTelemetry Collector'],
];

/** The CloudWatch agent's configuration variable (or secret, as AWS's guides hand it over from SSM). */
const CLOUDWATCH_AGENT_CONFIG = 'CW_CONFIG_CONTENT';

/** How a task's traces leave it. */
export interface TraceReceiver {
  /** For people: `ADOT collector`, `X-Ray daemon`, `CloudWatch agent (Application Signals)`, `X-Ray OTLP endpoint`... */
  readonly name: string;
  /** Whether a container of the task receives the traces (false: the SDKs export straight to X-Ray). */
  readonly sidecar: boolean;
}


/**
 * What a CloudWatch agent configuration (its JSON, as `CW_CONFIG_CONTENT` holds it) does with traces: receives them
 * for CloudWatch Application Signals (`traces.traces_collected.application_signals`), receives them otherwise
 * (`xray` or `otlp` under `traces.traces_collected`), or receives none. Undefined when the value is not JSON known at
 * synth time (a deploy-time value).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Application_Signals.html
 */
export function cloudWatchAgentTraces(value: unknown): 'applicationSignals' | 'traces' | 'none' | undefined {
  const text = templateText(value);
  if (text === undefined || text.includes(DEPLOY_TIME)) {
    return undefined;
  }
  let config: any;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  const collected = config?.traces?.traces_collected;
  if (collected === null || typeof collected !== 'object' || Array.isArray(collected)) {
    return 'none';
  }
  if (collected.application_signals !== undefined && collected.application_signals !== null) {
    return 'applicationSignals';
  }
  return collected.xray !== undefined || collected.otlp !== undefined ? 'traces' : 'none';
}

/** Whether a template value (a string or an `Fn::Join`) is the X-Ray OTLP traces endpoint of some Region. */
export function isXRayOtlpTracesEndpoint(value: unknown): boolean {
  const text = templateText(value);
  // A deploy-time part stands for the Region (`Fn::Join` with `AWS::Region`).
  return text !== undefined && XRAY_OTLP_TRACES_ENDPOINT_PATTERN.test(text.toLowerCase().split(DEPLOY_TIME).join('region'));
}

function entry(list: unknown, name: string): any {
  return Array.isArray(list) ? list.find((e: any) => e?.Name === name) : undefined;
}

function hasEntry(list: unknown, name: string): boolean {
  return entry(list, name) !== undefined;
}

/** The ports a trace receiver listens on: the X-Ray daemon protocol (2000/udp) and OTLP (4317 gRPC, 4318 HTTP). */
function receiverPort(container: any): string | undefined {
  const mappings: any[] = Array.isArray(container?.PortMappings) ? container.PortMappings : [];
  for (const m of mappings) {
    if (m?.ContainerPort === 2000 && String(m?.Protocol ?? 'tcp').toLowerCase() === 'udp') {
      return 'X-Ray daemon protocol (2000/udp)';
    }
    if (m?.ContainerPort === 4317 || m?.ContainerPort === 4318) {
      return `OTLP receiver (${m.ContainerPort})`;
    }
  }
  return undefined;
}

/**
 * A CloudWatch agent container by its configuration: `CloudWatch agent (Application Signals)` when it receives
 * Application Signals traces, `CloudWatch agent` when it receives other traces or its configuration is a secret or a
 * deploy-time value, `null` when its configuration is known and receives no traces (a metrics-only agent), undefined
 * when the container has no CloudWatch agent configuration.
 */
function cloudWatchAgentOf(container: any): string | null | undefined {
  const variable = entry(container?.Environment, CLOUDWATCH_AGENT_CONFIG);
  if (variable === undefined) {
    return hasEntry(container?.Secrets, CLOUDWATCH_AGENT_CONFIG) ? 'CloudWatch agent' : undefined;
  }
  switch (cloudWatchAgentTraces(variable.Value)) {
    case 'applicationSignals':
      return 'CloudWatch agent (Application Signals)';
    case 'none':
      return null;
    default:
      return 'CloudWatch agent';
  }
}

/**
 * How the task's traces leave it, or undefined when nothing takes them. A container counts as a collector by its
 * image name, by the ADOT configuration variable or secret (`AOT_CONFIG_CONTENT`), by a CloudWatch agent configuration
 * that receives traces (`CW_CONFIG_CONTENT`; a known one without traces does not count, whatever the image), or by
 * listening on a trace receiver port; without one, an app container whose `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the
 * X-Ray OTLP endpoint (`https://xray.<region>.amazonaws.com/v1/traces`) counts as exporting straight to X-Ray.
 */
export function traceReceiverOf(containerDefinitions: unknown): TraceReceiver | undefined {
  const containers: any[] = Array.isArray(containerDefinitions) ? containerDefinitions : [];
  for (const c of containers) {
    const agent = cloudWatchAgentOf(c);
    if (agent === null) {
      continue;
    }
    if (agent !== undefined) {
      return { name: agent, sidecar: true };
    }
    const image = typeof c?.Image === 'string' ? c.Image : undefined;
    const byImage = image === undefined ? undefined : COLLECTOR_IMAGES.find(([fragment]) => image.includes(fragment));
    if (byImage !== undefined) {
      return { name: byImage[1], sidecar: true };
    }
    if (hasEntry(c?.Secrets, 'AOT_CONFIG_CONTENT') || hasEntry(c?.Environment, 'AOT_CONFIG_CONTENT')) {
      return { name: 'ADOT collector', sidecar: true };
    }
  }
  for (const c of containers) {
    const port = receiverPort(c);
    if (port !== undefined) {
      return { name: `${typeof c?.Name === 'string' ? `${c.Name}: ` : ''}${port}`, sidecar: true };
    }
  }
  if (containers.some(c => isXRayOtlpTracesEndpoint(entry(c?.Environment, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')?.Value))) {
    return { name: 'X-Ray OTLP endpoint', sidecar: false };
  }
  return undefined;
}

/**
 * How the task receives traces, for people (`ADOT collector`, `X-Ray daemon`, `CloudWatch agent (Application
 * Signals)`, `X-Ray OTLP endpoint`...), or undefined when nothing takes them (see `traceReceiverOf`).
 */
export function traceCollectorOf(containerDefinitions: unknown): string | undefined {
  return traceReceiverOf(containerDefinitions)?.name;
}
