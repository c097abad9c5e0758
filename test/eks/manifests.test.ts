import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { manifestsOf, newStack, v1Cluster, v1FargateCluster, v2Cluster } from './util';
import { EksAdotStack } from '../../examples/eks-adot/stack';
import {
  AdotCollectorConfig, EksCollector, EksCollectorMode, EksIdentity, EksInstrumentationLanguage, EksTracing, TailSamplingPolicy,
} from '../../src';
import { KubeApiServer, KubeManifest, kubeBinariesAvailable, openTelemetryOperatorCrds, startApiServer } from '../util/kube-apiserver';

/**
 * Every Kubernetes object the EKS path emits, collected from the synthesized templates (the `Manifest` strings of
 * `Custom::AWSCDK-EKS-KubernetesResource`, as the kubectl provider receives them, with deploy-time values filled in as
 * CloudFormation would), is created with a strict server-side dry-run on a real kube-apiserver with the OpenTelemetry
 * Operator's CRDs installed.
 */
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const available = kubeBinariesAvailable();
if (!available && !inCi) {
  // eslint-disable-next-line no-console
  console.warn('Skipping the EKS manifest dry-runs: kube-apiserver/etcd not built (bash scripts/kube/build.sh). In CI they fail instead.');
}
const describeKube = available || inCi ? describe : describe.skip;

const labels = { app: 'orders' };
const pod = { containers: [{ name: 'orders', image: 'public.ecr.aws/example/orders:1.0.0', env: [{ name: 'LOG_LEVEL', value: 'info' }] }] };
const WORKLOADS = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders', namespace: 'shop' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } } },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ledger', namespace: 'shop' }, spec: { serviceName: 'ledger', selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: 'Never' } } } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: pod },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders', namespace: 'shop' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
];

/** Deploy-time values as CloudFormation fills them in. */
const REFS = { 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws', 'AWS::AccountId': '111111111111', 'AWS::URLSuffix': 'amazonaws.com', 'Ns': 'tracing', 'Replicas': '3' };

const CASES: Record<string, () => Stack> = {
  'add-on, pod identity, Instrumentation, every workload kind auto-instrumented': () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { instrumentation: { namespace: 'shop', samplingRatio: 0.2 } });
    tracing.addWorkload('Shop', { manifests: WORKLOADS, annotationKeys: ['tenant_tier'], autoInstrument: EksInstrumentationLanguage.PYTHON });
    return cluster.stack;
  },
  'Kubernetes-objects collector as a Deployment with tail sampling, IRSA, Instrumentation': () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, {
      collector: EksCollector.manifests({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) }),
      identity: EksIdentity.irsa(),
      instrumentation: {},
    });
    tracing.addWorkload('Orders', { manifests: [WORKLOADS[0]], serviceName: 'orders', autoInstrument: EksInstrumentationLanguage.JAVA });
    return cluster.stack;
  },
  'Kubernetes-objects collector as a DaemonSet, aws-eks-v2': () => {
    const cluster = v2Cluster();
    EksTracing.enableV2(cluster, { collector: EksCollector.manifests({ mode: EksCollectorMode.DAEMONSET, namespace: 'observability' }) })
      .addWorkload('Orders', { manifests: [WORKLOADS[0]] });
    return cluster.stack;
  },
  'Kubernetes-objects collector on Fargate, deploy-time namespace and replicas': () => {
    const stack = newStack();
    const cluster = v1FargateCluster(stack);
    EksTracing.enable(cluster, {
      collector: EksCollector.manifests({
        namespace: new CfnParameter(stack, 'Ns').valueAsString,
        replicas: new CfnParameter(stack, 'Replicas', { type: 'Number' }).valueAsNumber,
      }),
    });
    return stack;
  },
  'imported cluster, add-on with Instrumentation': () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', {
      clusterName: 'prod', kubectlRoleArn: 'arn:aws:iam::111111111111:role/kubectl',
    });
    EksTracing.enable(cluster, { instrumentation: { name: 'xray.tracing' } });
    return stack;
  },
  'examples/eks-adot': () => new EksAdotStack(new App(), 'EksAdot'),
};

describeKube('every Kubernetes object the EKS path emits is accepted by a real kube-apiserver (strict dry-run)', () => {
  let kube: KubeApiServer;
  beforeAll(async () => {
    kube = await startApiServer();
    await kube.installCrds(openTelemetryOperatorCrds());
  }, 180_000);
  let dryRuns = 0;
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`EKS manifests: ${dryRuns} objects accepted by kube-apiserver (strict server-side dry-run)`);
    await kube?.stop();
  });

  test.each(Object.keys(CASES))('%s', async name => {
    const objects = manifestsOf(CASES[name](), REFS) as KubeManifest[];
    expect(objects.length).toBeGreaterThan(0);
    const results = await kube.dryRun(objects);
    dryRuns += results.length;
    expect(results.map(r => r.kind)).toEqual(objects.map(o => o.kind));
    for (const r of results) {
      expect(r.warnings).toEqual([]);
    }
  }, 60_000);

  test('the emitted kinds cover the collector, the Instrumentation and the workloads', () => {
    const kinds = new Set(Object.values(CASES).flatMap(make => manifestsOf(make(), REFS).map(o => o.kind)));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'CronJob', 'DaemonSet', 'Deployment', 'Instrumentation', 'Namespace', 'Pod', 'Service', 'ServiceAccount', 'StatefulSet']);
  });

  test('the check can fail: the server refuses an Instrumentation with a sampler type the operator does not know', async () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { instrumentation: {} });
    const instrumentation = manifestsOf(cluster.stack, REFS).find(o => o.kind === 'Instrumentation');
    instrumentation.spec.sampler.type = 'tail';
    await expect(kube.dryRun(instrumentation)).rejects.toThrow(/sampler.type/);
  });
});
