import { EksCollectorMode } from '../eks-modes';
import { MANIFEST_COLLECTOR_NAME, OTLP_GRPC_PORT, OTLP_HTTP_PORT, SAMPLING_PROXY_PORT } from './names';

/** What the collector made of Kubernetes objects is rendered from. */
export interface CollectorManifestSpec {
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly mode: EksCollectorMode;
  readonly replicas: number;
  readonly image: string;
  /** The collector configuration (YAML; may hold tokens). */
  readonly config: string;
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** The key of the ConfigMap that holds the configuration. */
const CONFIG_KEY = 'collector.yaml';

/**
 * The collector as plain Kubernetes objects: its Namespace (unless it exists), ServiceAccount, ConfigMap,
 * Deployment or DaemonSet, and a ClusterIP Service for OTLP gRPC, OTLP HTTP and the sampling proxy.
 *
 * The configuration reaches the collector as ADOT reads it on ECS, in `AOT_CONFIG_CONTENT`, here taken from the
 * ConfigMap; the container runs as a non-root user with a read-only root file system and no privilege escalation.
 */
export function collectorManifests(spec: CollectorManifestSpec): { [key: string]: any }[] {
  const name = MANIFEST_COLLECTOR_NAME;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'cdk-xray-constructs' };
  const metadata = { name, namespace: spec.namespace, labels };
  const ports = [
    { name: 'otlp-grpc', port: OTLP_GRPC_PORT, protocol: 'TCP' },
    { name: 'otlp-http', port: OTLP_HTTP_PORT, protocol: 'TCP' },
    { name: 'xray-sampling', port: SAMPLING_PROXY_PORT, protocol: 'TCP' },
  ];
  const podSpec = {
    serviceAccountName: name,
    automountServiceAccountToken: true,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'collector',
      image: spec.image,
      env: [{ name: 'AOT_CONFIG_CONTENT', valueFrom: { configMapKeyRef: { name: `${name}-config`, key: CONFIG_KEY } } }],
      ports: ports.map(p => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
      // The health check extension listens on 127.0.0.1 only; the image's own /healthcheck binary calls it.
      livenessProbe: { exec: { command: ['/healthcheck'] }, initialDelaySeconds: 10, periodSeconds: 30 },
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    }],
  };
  const template = { metadata: { labels }, spec: podSpec };
  const workload = spec.mode === EksCollectorMode.DAEMONSET
    ? { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector: { matchLabels: labels }, template } }
    : { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: spec.replicas, selector: { matchLabels: labels }, template } };
  const objects: { [key: string]: any }[] = [];
  if (spec.createNamespace) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace, labels } });
  }
  const saMetadata = Object.keys(spec.serviceAccountAnnotations).length > 0 ? { ...metadata, annotations: spec.serviceAccountAnnotations } : metadata;
  objects.push(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: saMetadata },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...metadata, name: `${name}-config` }, data: { [CONFIG_KEY]: spec.config } },
    workload,
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ClusterIP', selector: labels, ports: ports.map(p => ({ ...p, targetPort: p.name })) } },
  );
  return objects;
}
