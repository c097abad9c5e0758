import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { v1Cluster, v2Cluster } from './util';
import { AdotCollectorConfig, AnnotationPolicy, Cardinality, EksCollector, EksTracing, XRayChecks, XRayChecksProps } from '../../src';

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders' },
  spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image: 'x:1' }] } } },
};

function findings(stack: Stack, prefix: string, props: XRayChecksProps = {}): string[] {
  (stack.node.root as App).synth();
  return new XRayChecks(stack.node.root, props).validateScope(stack).violations
    .filter((v: any) => v.ruleName.startsWith(prefix))
    .flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((r: any) => `${v.ruleName} ${r.constructPath}`));
}

describe('EksClusterTraceCollector: a cluster with workloads has a collector', () => {
  test('Compliance 1: EksTracing with the add-on, workload added through it', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [DEPLOYMENT] });
    expect(findings(cluster.stack, 'XRay-EksClusterTraceCollector')).toEqual([]);
  });

  test('Compliance 2: the collector as Kubernetes objects, aws-eks-v2', () => {
    const cluster = v2Cluster();
    EksTracing.enableV2(cluster, { collector: EksCollector.manifests() });
    cluster.addManifest('Orders', DEPLOYMENT);
    expect(findings(cluster.stack, 'XRay-EksClusterTraceCollector')).toEqual([]);
  });

  test('Compliance 3: a cluster without workloads of the app is not judged', () => {
    const cluster = v1Cluster();
    cluster.addManifest('Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    expect(findings(cluster.stack, 'XRay-EksClusterTraceCollector')).toEqual([]);
  });

  test('Noncompliance 1: a workload on a cluster with no collector (aws-eks)', () => {
    const cluster = v1Cluster();
    cluster.addManifest('Orders', DEPLOYMENT);
    expect(findings(cluster.stack, 'XRay-EksClusterTraceCollector')).toEqual(['XRay-EksClusterTraceCollector Stack/Cluster/Resource/Resource/Default']);
  });

  test('Noncompliance 2: the adot add-on without its X-Ray pipeline does not count (aws-eks-v2)', () => {
    const cluster = v2Cluster();
    new eks.CfnAddon(cluster, 'Adot', { clusterName: cluster.clusterName, addonName: 'adot' });
    cluster.addManifest('Orders', DEPLOYMENT);
    expect(findings(cluster.stack, 'XRay-EksClusterTraceCollector')).toEqual(['XRay-EksClusterTraceCollector Stack/Cluster/Resource']);
  });
});

describe('annotation keys declared on EKS workloads enter the annotation policy', () => {
  const policy = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] });

  test('Compliance 1: an allowed key on a workload', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [DEPLOYMENT], annotationKeys: ['tenant_tier'] });
    expect(findings(cluster.stack, 'XRay-Annotation', { annotationPolicy: policy })).toEqual([]);
  });

  test('Noncompliance 1: a denied key on a workload is reported on its manifest', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [DEPLOYMENT], annotationKeys: ['user_email'] });
    expect(findings(cluster.stack, 'XRay-AnnotationKeyPolicy')).toEqual([
      'XRay-AnnotationKeyPolicy[denied:user_email] Stack/Cluster/manifest-Orders/Resource/Default',
    ]);
  });

  test('Noncompliance 2: a key only the collector configuration declares counts as the collector\'s', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests({ config: new AdotCollectorConfig({ annotationKeys: ['order_kind'] }) }) });
    expect(findings(cluster.stack, 'XRay-AnnotationKeyPolicy', { annotationPolicy: policy })).toEqual([
      'XRay-AnnotationKeyPolicy[notAllowed:order_kind] Stack/Cluster/manifest-XRayTracingCollector/Resource/Default',
    ]);
  });
});
