/**
 * Recognizes a trace collector or daemon among an ECS task definition's containers, from their CloudFormation
 * `ContainerDefinitions` (so it works on any template, with or without this library).
 */

/** Image name fragments of collectors and daemons that receive traces, with what to call them. */
const COLLECTOR_IMAGES: ReadonlyArray<readonly [string, string]> = [
  ['aws-otel-collector', 'ADOT collector'],
  ['aws-xray-daemon', 'X-Ray daemon'],
  ['cloudwatch-agent', 'CloudWatch agent'],
  ['opentelemetry-collector', 'OpenTelemetry Collector'],
];

function hasEntry(list: unknown, name: string): boolean {
  return Array.isArray(list) && list.some((e: any) => e?.Name === name);
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
 * How the task receives traces, for people (`ADOT collector`, `X-Ray daemon`...), or undefined when no container is a
 * collector or daemon. A container counts by its image name, by the ADOT configuration variable or secret
 * (`AOT_CONFIG_CONTENT`), or by listening on a trace receiver port.
 */
export function traceCollectorOf(containerDefinitions: unknown): string | undefined {
  const containers: any[] = Array.isArray(containerDefinitions) ? containerDefinitions : [];
  for (const c of containers) {
    const image = typeof c?.Image === 'string' ? c.Image : undefined;
    const byImage = image === undefined ? undefined : COLLECTOR_IMAGES.find(([fragment]) => image.includes(fragment));
    if (byImage !== undefined) {
      return byImage[1];
    }
    if (hasEntry(c?.Secrets, 'AOT_CONFIG_CONTENT') || hasEntry(c?.Environment, 'AOT_CONFIG_CONTENT')) {
      return 'ADOT collector';
    }
  }
  for (const c of containers) {
    const port = receiverPort(c);
    if (port !== undefined) {
      return `${typeof c?.Name === 'string' ? `${c.Name}: ` : ''}${port}`;
    }
  }
  return undefined;
}
