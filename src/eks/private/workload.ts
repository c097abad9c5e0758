import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ANNOTATION_KEYS_ENV } from '../../private/annotation-keys';
import { setEnvironmentWithoutOverwriting } from '../../private/environment';
import { POD_SPEC_PATHS } from '../../template/eks';

/** What is injected into the workloads' containers. */
export interface WorkloadInjection {
  readonly scope: Construct;
  readonly otlpHttpEndpoint: string;
  /** The X-Ray OTLP traces endpoint, when the workloads export straight to X-Ray instead of to the collector. */
  readonly directTracesEndpoint?: string;
  readonly serviceName?: string;
  readonly annotationKeys?: string;
  /** Pod-template annotations to add (the operator's opt-in), without overwriting the user's. */
  readonly podAnnotations: { [key: string]: string };
}

/** The pod template's metadata of a workload (or the Pod's own), or undefined for kinds without one. */
function podMetadataHolder(manifest: any): any | undefined {
  const path = POD_SPEC_PATHS[manifest?.kind];
  if (path === undefined) {
    return undefined;
  }
  if (manifest.kind === 'Pod') {
    return manifest;
  }
  let at = manifest;
  for (const key of path.slice(0, -1)) {
    at[key] = at[key] ?? {};
    at = at[key];
  }
  return at;
}

function podSpecOf(manifest: any): any | undefined {
  const path = POD_SPEC_PATHS[manifest?.kind];
  if (path === undefined) {
    return undefined;
  }
  let at = manifest;
  for (const key of path) {
    if (at === undefined || at === null || typeof at !== 'object') {
      return undefined;
    }
    at = at[key];
  }
  return at;
}

/**
 * Copies the manifests and sets, in every container (init containers excepted) of every workload,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME` and `XRAY_ANNOTATION_KEYS` where the
 * container does not set them already: a user's value is kept, with a warning when it differs.
 */
export function injectIntoWorkloads(manifests: { [key: string]: any }[], injection: WorkloadInjection): { [key: string]: any }[] {
  return manifests.map(original => {
    if (Token.isUnresolved(original) || original === null || typeof original !== 'object') {
      return original;
    }
    const manifest = clone(original);
    const podSpec = podSpecOf(manifest);
    if (podSpec === undefined || !Array.isArray(podSpec.containers)) {
      return manifest;
    }
    const holder = podMetadataHolder(manifest);
    if (Object.keys(injection.podAnnotations).length > 0) {
      holder.metadata = holder.metadata ?? {};
      holder.metadata.annotations = { ...injection.podAnnotations, ...holder.metadata.annotations };
    }
    const serviceName = injection.serviceName ?? manifest.metadata?.name;
    for (const container of podSpec.containers) {
      if (container === null || typeof container !== 'object') {
        continue;
      }
      const env: any[] = Array.isArray(container.env) ? container.env : [];
      container.env = env;
      const wanted: Record<string, string> = injection.directTracesEndpoint !== undefined
        ? { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: injection.directTracesEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }
        : { OTEL_EXPORTER_OTLP_ENDPOINT: injection.otlpHttpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
      if (typeof serviceName === 'string') {
        wanted.OTEL_SERVICE_NAME = serviceName;
      }
      if (injection.annotationKeys !== undefined) {
        wanted[ANNOTATION_KEYS_ENV] = injection.annotationKeys;
      }
      setEnvironmentWithoutOverwriting({
        scope: injection.scope,
        owner: ` of container ${container.name} in ${manifest.kind} ${manifest.metadata?.name}`,
        current: new Map(env.filter(e => typeof e?.name === 'string').map(e => [e.name, e.valueFrom !== undefined ? { valueFrom: e.valueFrom } : e.value])),
        add: (name, value) => env.push({ name, value }),
      }, wanted);
    }
    return manifest;
  });
}

/** The `namespace/serviceAccountName` of every object that runs pods; `undefined` for a pod template that names none. */
export function workloadServiceAccounts(manifests: { [key: string]: any }[]): { workload: string; namespace: string; serviceAccount?: string }[] {
  return manifests.filter(m => POD_SPEC_PATHS[m?.kind] !== undefined).map(m => {
    const account = podSpecOf(m)?.serviceAccountName;
    return {
      workload: `${m.kind}/${m.metadata?.name ?? '?'}`,
      namespace: typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : 'default',
      ...(typeof account === 'string' ? { serviceAccount: account } : {}),
    };
  });
}

/** The service names the workloads will report, for validation: the given one or each workload's name. */
export function workloadNames(manifests: { [key: string]: any }[]): string[] {
  return manifests.filter(m => POD_SPEC_PATHS[m?.kind] !== undefined && typeof m?.metadata?.name === 'string').map(m => m.metadata.name);
}

/** A copy of plain objects and arrays; anything else (tokens, lazy values) is kept as it is, so it still resolves. */
function clone(value: any): any {
  if (Array.isArray(value)) {
    return value.map(clone);
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && !Token.isUnresolved(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  }
  return value;
}
