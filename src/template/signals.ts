import { containerEnvironment, kubernetesObjects, podContainers } from './eks';
import { TemplateModel, TemplateResource, TemplateStack } from './model';
import { isXRayOtlpTracesEndpoint } from '../private/collector-detection';
import { AccountFeature, ENABLED_OUTSIDE_METADATA, OTLP_TRACES_ENDPOINT_ENV } from '../private/signals-contract';

/**
 * Where the templates send spans besides a collector, and what they need in the account for it: which Lambda
 * functions, ECS containers and Kubernetes workloads export straight to the X-Ray OTLP endpoint (they need Transaction
 * Search) or have CloudWatch Application Signals on (they need Application Signals discovery), the service each
 * emits under, and which account features each account and Region has, from the app or declared as enabled outside
 * it. Read from the templates alone, so raw L1s and other libraries' constructs count the same as this library's.
 */

/** The switch of the AWS Distro for OpenTelemetry SDKs for Application Signals. */
const SIGNALS_ENV = 'OTEL_AWS_APPLICATION_SIGNALS_ENABLED';

/**
 * Application Signals' environment of a Lambda function's service (the AWS Distro for OpenTelemetry writes
 * `aws.local.environment=lambda:default` in Lambda; `service.name` is `OTEL_SERVICE_NAME`, else the function name).
 */
export const LAMBDA_SIGNALS_ENVIRONMENT = 'lambda:default';

/** One function, container or Kubernetes object that sends spans on its own. */
export interface TelemetryEmitter {
  /** The resource that declares it. */
  readonly resource: TemplateResource;
  /** `function`, `container <name>` or `Kind/name`, for messages. */
  readonly what: string;
  /** Exports straight to the X-Ray OTLP endpoint. */
  readonly directExport: boolean;
  /** Has Application Signals on. */
  readonly applicationSignals: boolean;
  /** The service name it reports, when literal. */
  readonly serviceName?: string;
  /** The Application Signals environment it reports, when known. */
  readonly signalsEnvironment?: string;
}

/** The service an Application Signals SLO is about (its `KeyAttributes`). */
export interface SloTarget {
  readonly name?: string;
  readonly environment?: string;
}

/** Every emitter of the model, in model order. */
export function telemetryEmitters(model: TemplateModel): TelemetryEmitter[] {
  const out: TelemetryEmitter[] = [];
  for (const r of model.ofType('AWS::Lambda::Function')) {
    const env = r.properties.Environment?.Variables;
    const variables = new Map<string, unknown>(env !== null && typeof env === 'object' ? Object.entries(env) : []);
    const serviceName = literal(variables.get('OTEL_SERVICE_NAME')) ?? resourceServiceName(variables.get('OTEL_RESOURCE_ATTRIBUTES'))
      ?? literal(r.properties.FunctionName);
    out.push(emitter(r, 'function', variables, serviceName, LAMBDA_SIGNALS_ENVIRONMENT));
  }
  for (const r of model.ofType('AWS::ECS::TaskDefinition')) {
    const containers: any[] = Array.isArray(r.properties.ContainerDefinitions) ? r.properties.ContainerDefinitions : [];
    for (const c of containers) {
      const list: any[] = Array.isArray(c?.Environment) ? c.Environment : [];
      const variables = new Map<string, unknown>(list.filter(e => typeof e?.Name === 'string').map(e => [e.Name, e.Value]));
      const serviceName = literal(variables.get('OTEL_SERVICE_NAME')) ?? resourceServiceName(variables.get('OTEL_RESOURCE_ATTRIBUTES'));
      out.push(emitter(r, `container ${typeof c?.Name === 'string' ? c.Name : '?'}`, variables, serviceName,
        deploymentEnvironment(variables.get('OTEL_RESOURCE_ATTRIBUTES'))));
    }
  }
  for (const r of model.ofType('Custom::AWSCDK-EKS-KubernetesResource')) {
    for (const object of kubernetesObjects(r)) {
      const name = `${object.kind}/${object.metadata?.name ?? '?'}`;
      if (object.kind === 'Instrumentation') {
        // The operator injects the Instrumentation's exporter endpoint and env into the pods that ask for it.
        const env = new Map<string, unknown>(containerEnvironment({ env: object.spec?.env }));
        const endpoint = env.get(OTLP_TRACES_ENDPOINT_ENV) ?? object.spec?.exporter?.endpoint;
        out.push(emitter(r, name, new Map([...env, [OTLP_TRACES_ENDPOINT_ENV, endpoint]]), undefined, undefined));
        continue;
      }
      for (const c of podContainers(object) ?? []) {
        const variables = new Map<string, unknown>(containerEnvironment(c));
        out.push(emitter(r, `${name} container ${c.name ?? '?'}`, variables, literal(variables.get('OTEL_SERVICE_NAME')),
          deploymentEnvironment(variables.get('OTEL_RESOURCE_ATTRIBUTES'))));
      }
    }
  }
  return out;
}

/** The services the SLOs of the model are about, by resource key. */
export function sloTargetOf(r: TemplateResource): SloTarget | undefined {
  if (r.type !== 'AWS::ApplicationSignals::ServiceLevelObjective') {
    return undefined;
  }
  const sli = r.properties.Sli?.SliMetric ?? r.properties.RequestBasedSli?.RequestBasedSliMetric;
  const attributes = sli?.KeyAttributes;
  if (attributes === null || typeof attributes !== 'object' || attributes.Type !== 'Service') {
    return undefined;
  }
  return { name: literal(attributes.Name), environment: literal(attributes.Environment) };
}

/**
 * Whether the account and Region `stack` deploys to has `feature`: a resource of it in a stack of the same account
 * and Region (an unknown part matches any), or a stack there that declares it enabled outside the app.
 */
export function hasAccountFeature(model: TemplateModel, stack: TemplateStack | undefined, feature: AccountFeature): boolean {
  const type = feature === 'TransactionSearch' ? 'AWS::XRay::TransactionSearchConfig' : 'AWS::ApplicationSignals::Discovery';
  const same = (other: TemplateStack | undefined) => samePart(stack?.account, other?.account) && samePart(stack?.region, other?.region);
  if (model.ofType(type).some(r => same(model.stack(r.stackId)))) {
    return true;
  }
  return model.stacks.some(s => same(s) && declaredOutside(s, feature));
}

function declaredOutside(stack: TemplateStack, feature: AccountFeature): boolean {
  const declared = stack.template?.Metadata?.[ENABLED_OUTSIDE_METADATA];
  return declared !== null && typeof declared === 'object' && typeof declared[feature] === 'string';
}

function samePart(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function emitter(resource: TemplateResource, what: string, variables: Map<string, unknown>, serviceName: string | undefined,
  signalsEnvironment: string | undefined): TelemetryEmitter {
  const signals = variables.get(SIGNALS_ENV);
  return {
    resource,
    what,
    directExport: isXRayOtlpTracesEndpoint(variables.get(OTLP_TRACES_ENDPOINT_ENV)),
    applicationSignals: signals === true || (typeof signals === 'string' && signals.toLowerCase() === 'true'),
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...(signalsEnvironment !== undefined ? { signalsEnvironment } : {}),
  };
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A key of an `OTEL_RESOURCE_ATTRIBUTES` value (`k=v,k=v`, values percent-encoded). */
function resourceAttribute(value: unknown, key: string): string | undefined {
  const text = literal(value);
  for (const pair of text?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === key) {
      try {
        return decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        return pair.slice(at + 1).trim();
      }
    }
  }
  return undefined;
}

/**
 * The Application Signals environment a service reports outside Lambda: `deployment.environment.name`, else
 * `deployment.environment` (the AWS Distro for OpenTelemetry reads them in that order); undefined when neither is set,
 * where the platform decides it (`ecs:default`, `eks:default`, `generic:default`).
 */
function deploymentEnvironment(value: unknown): string | undefined {
  return resourceAttribute(value, 'deployment.environment.name') ?? resourceAttribute(value, 'deployment.environment');
}

function resourceServiceName(value: unknown): string | undefined {
  return resourceAttribute(value, 'service.name');
}
