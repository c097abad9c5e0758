import { templateText } from './collector-config';
import { TemplateResource } from './model';
import { traceCollectorOf } from '../private/collector-detection';

/**
 * EKS clusters as the templates describe them: the Kubernetes objects added through a kubectl provider
 * (`Custom::AWSCDK-EKS-KubernetesResource`, whose `Manifest` is a JSON string), the add-ons (`AWS::EKS::Addon`), and
 * from both which workloads each cluster runs and which collector receives their traces. Works on any CDK app's
 * templates, aws-eks and aws-eks-v2 clusters alike.
 */

/** The resource types of an EKS cluster: aws-eks-v2 (and L1) clusters, aws-eks clusters (a custom resource). */
export const EKS_CLUSTER_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

/** The resource type of Kubernetes objects applied through a kubectl provider (both aws-eks and aws-eks-v2). */
export const KUBERNETES_MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

/** Where the pod spec sits in the objects that run pods (read here, and written by `EksTracing.addWorkload`). */
export const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** A Kubernetes object that runs pods, with its containers. */
export interface KubernetesWorkload {
  /** `Kind/name` (`Deployment/orders`). */
  readonly name: string;
  readonly containers: any[];
}

/** What the templates say about one cluster. */
export interface EksClusterFacts {
  /** The objects that run pods, collectors excepted. */
  readonly workloads: KubernetesWorkload[];
  /** The collector that receives the pods' traces, for people (`adot add-on (OTLP ingest, X-Ray)`), if any. */
  readonly collector?: string;
}

/** The Kubernetes objects of a manifest resource; deploy-time parts of the JSON text read as empty strings. */
export function kubernetesObjects(r: TemplateResource): any[] {
  if (r.type !== KUBERNETES_MANIFEST_TYPE) {
    return [];
  }
  const text = templateText(r.properties.Manifest);
  if (text === undefined) {
    return [];
  }
  try {
    // A deploy-time part sits inside a JSON string (a role ARN, the Region): drop it to keep the JSON valid.
    const parsed = JSON.parse(text.replace(/\u0000/g, ''));
    return Array.isArray(parsed) ? parsed.filter(o => o !== null && typeof o === 'object') : [];
  } catch {
    return [];
  }
}

/** The containers of an object that runs pods (init containers excepted), or undefined for other objects. */
export function podContainers(object: any): any[] | undefined {
  const path = POD_SPEC_PATHS[object?.kind];
  if (path === undefined) {
    return undefined;
  }
  let at = object;
  for (const key of path) {
    at = at?.[key];
  }
  return Array.isArray(at?.containers) ? at.containers.filter((c: unknown) => c !== null && typeof c === 'object') : [];
}

/** The environment variables of a Kubernetes container with a literal value, by name. */
export function containerEnvironment(container: any): Map<string, string> {
  const env: any[] = Array.isArray(container?.env) ? container.env : [];
  return new Map(env.filter(e => typeof e?.name === 'string' && typeof e?.value === 'string').map(e => [e.name, e.value]));
}

/** The collector among a pod's containers, as the ECS detection names it (by image, configuration variable, port). */
function collectorOfContainers(containers: any[]): string | undefined {
  return traceCollectorOf(containers.map(c => ({
    Name: c.name,
    Image: c.image,
    Environment: (Array.isArray(c.env) ? c.env : []).map((e: any) => ({ Name: e?.name, Value: e?.value })),
    PortMappings: (Array.isArray(c.ports) ? c.ports : []).map((p: any) => ({ ContainerPort: p?.containerPort, Protocol: p?.protocol })),
  })));
}

/** The collector an add-on runs for traces, or undefined. */
function collectorOfAddon(r: TemplateResource): string | undefined {
  const name = r.properties.AddonName;
  if (name === 'amazon-cloudwatch-observability') {
    return 'amazon-cloudwatch-observability add-on';
  }
  if (name !== 'adot') {
    return undefined;
  }
  const text = templateText(r.properties.ConfigurationValues);
  let config: any;
  try {
    config = text === undefined ? undefined : JSON.parse(text.replace(/\u0000/g, ''));
  } catch {
    config = undefined;
  }
  return config?.collector?.otlpIngest?.pipelines?.traces?.xray?.enabled === true ? 'adot add-on (OTLP ingest, X-Ray)' : undefined;
}

/** The logical id a resource's `ClusterName` refers to (`Ref`), or the literal name. */
export function clusterRefOf(r: TemplateResource): string | undefined {
  const name = r.properties.ClusterName;
  if (typeof name === 'string') {
    return `name:${name}`;
  }
  return typeof name?.Ref === 'string' ? `ref:${r.stackId}/${name.Ref}` : undefined;
}

/** The reference a cluster resource is known by in `ClusterName` values of its stack. */
export function clusterKey(cluster: TemplateResource): string {
  return `ref:${cluster.stackId}/${cluster.logicalId}`;
}

/**
 * The workloads and collector of every cluster the templates mention, by cluster reference (`ref:<stack>/<logicalId>`
 * for a cluster of the templates, `name:<name>` for an imported one).
 */
export function readEksClusters(resources: readonly TemplateResource[]): Map<string, EksClusterFacts> {
  const facts = new Map<string, { workloads: KubernetesWorkload[]; collector?: string }>();
  const of = (key: string) => {
    let f = facts.get(key);
    if (f === undefined) {
      f = { workloads: [] };
      facts.set(key, f);
    }
    return f;
  };
  for (const r of resources) {
    const key = r.type === KUBERNETES_MANIFEST_TYPE || r.type === 'AWS::EKS::Addon' ? clusterRefOf(r) : undefined;
    if (key === undefined) {
      continue;
    }
    const f = of(key);
    if (r.type === 'AWS::EKS::Addon') {
      f.collector = f.collector ?? collectorOfAddon(r);
      continue;
    }
    for (const object of kubernetesObjects(r)) {
      if (object.kind === 'OpenTelemetryCollector') {
        f.collector = f.collector ?? 'OpenTelemetry Operator collector';
        continue;
      }
      const containers = podContainers(object);
      if (containers === undefined) {
        continue;
      }
      const collector = collectorOfContainers(containers);
      if (collector !== undefined && !collector.includes(': ')) {
        f.collector = f.collector ?? `${collector} (${object.kind} ${object.metadata?.name ?? ''})`.replace(' )', ')');
      } else {
        f.workloads.push({ name: `${object.kind}/${object.metadata?.name ?? '?'}`, containers });
      }
    }
  }
  return facts;
}
