import { KubeApiServer, KubeManifest, kubeBinariesAvailable, openTelemetryOperatorCrds, startApiServer } from '../util/kube-apiserver';

// A real kube-apiserver (scripts/kube/build.sh). Outside CI a machine without it skips this suite; in CI it fails.
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const available = kubeBinariesAvailable();
if (!available && !inCi) {
  // eslint-disable-next-line no-console
  console.warn('Skipping the Kubernetes API server tests: kube-apiserver/etcd not built (bash scripts/kube/build.sh). In CI they fail instead.');
}
const describeKube = available || inCi ? describe : describe.skip;

const labels = { app: 'collector' };
const podSpec = {
  serviceAccountName: 'collector',
  containers: [{ name: 'collector', image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest', ports: [{ containerPort: 4317 }] }],
};

describeKube('the Kubernetes API server test harness', () => {
  let kube: KubeApiServer;
  beforeAll(async () => {
    kube = await startApiServer();
    // eslint-disable-next-line no-console
    console.log(`kube-apiserver ready in ${kube.startupMs} ms at ${kube.url}`);
  }, 120_000);
  afterAll(async () => kube?.stop());

  test('is ready', async () => {
    expect(await kube.get('/readyz')).toBe('ok');
  });

  test('accepts valid core and apps objects, in default and in a namespace it creates', async () => {
    const manifests: KubeManifest[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'collector-config' }, data: { 'config.yaml': 'receivers: {}' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'collector', namespace: 'observability' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'collector', namespace: 'observability' }, spec: { selector: labels, ports: [{ name: 'otlp-grpc', port: 4317, targetPort: 4317 }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'collector', namespace: 'observability' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'collector', namespace: 'observability' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'collector' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] },
    ];
    const started = Date.now();
    const results = await kube.dryRun(manifests);
    // eslint-disable-next-line no-console
    console.log(`${manifests.length} dry-runs in ${Date.now() - started} ms`);
    expect(results.map(r => [r.kind, r.namespace])).toEqual([
      ['ConfigMap', 'default'], ['ServiceAccount', 'observability'], ['Service', 'observability'],
      ['Deployment', 'observability'], ['DaemonSet', 'observability'], ['ClusterRole', undefined],
    ]);
    // The server's defaults are filled in: the object really went through the API machinery.
    expect((results[3].object as any).spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    // Dry-run stores nothing.
    await expect(kube.get('/api/v1/namespaces/default/configmaps/collector-config')).rejects.toThrow(/not found/);
  });

  test('rejects an unknown field with the strict field validation message', async () => {
    const containers = [{ ...podSpec.containers[0], imagePullPolicyy: 'Always' }];
    await expect(kube.dryRun({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'typo' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { ...podSpec, containers } } },
    })).rejects.toThrow(/strict decoding error: unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/);
  });

  test('rejects a missing required field', async () => {
    await expect(kube.dryRun({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'no-image' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'collector' }] } } },
    })).rejects.toThrow(/spec\.template\.spec\.containers\[0\]\.image: Required value/);
  });

  test('rejects a kind the server does not serve', async () => {
    await expect(kube.dryRun({ apiVersion: 'example.com/v1', kind: 'Nothing', metadata: { name: 'x' } })).rejects.toThrow(/serves no kind Nothing/);
  });

  describe('with the OpenTelemetry Operator CRDs', () => {
    beforeAll(async () => kube.installCrds(openTelemetryOperatorCrds()), 60_000);

    const instrumentation = (spec: Record<string, unknown>): KubeManifest => ({
      apiVersion: 'opentelemetry.io/v1alpha1', kind: 'Instrumentation', metadata: { name: 'xray', namespace: 'apps' }, spec,
    });

    test('accepts a valid Instrumentation', async () => {
      const result = await kube.dryRun(instrumentation({
        exporter: { endpoint: 'http://collector.observability:4317' },
        propagators: ['tracecontext', 'baggage', 'xray'],
        sampler: { type: 'parentbased_traceidratio', argument: '0.05' },
        java: { env: [{ name: 'OTEL_METRICS_EXPORTER', value: 'none' }] },
      }));
      expect(result).toMatchObject({ kind: 'Instrumentation', name: 'xray', namespace: 'apps' });
    });

    test('rejects an Instrumentation with an unknown field', async () => {
      await expect(kube.dryRun(instrumentation({ exporter: { endpointt: 'http://collector:4317' } })))
        .rejects.toThrow(/unknown field "spec\.exporter\.endpointt"/);
    });

    test('rejects an Instrumentation with a value outside the schema', async () => {
      await expect(kube.dryRun(instrumentation({ propagators: ['nope'] }))).rejects.toThrow(/spec\.propagators\[0\]: Unsupported value: "nope"/);
    });

    test('accepts an OpenTelemetryCollector v1beta1 and v1alpha1', async () => {
      const config = {
        receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } } },
        exporters: { awsxray: { region: 'us-east-1' } },
        service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['awsxray'] } } },
      };
      const [beta] = await kube.dryRun([
        { apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'xray', namespace: 'observability' }, spec: { mode: 'daemonset', config } },
      ]);
      expect(beta.kind).toBe('OpenTelemetryCollector');
      // v1alpha1 takes the configuration as a YAML string.
      const alpha = await kube.dryRun({
        apiVersion: 'opentelemetry.io/v1alpha1',
        kind: 'OpenTelemetryCollector',
        metadata: { name: 'xray-alpha', namespace: 'observability' },
        spec: { mode: 'deployment', config: JSON.stringify(config) },
      });
      expect(alpha.kind).toBe('OpenTelemetryCollector');
      await expect(kube.dryRun({
        apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'bad', namespace: 'observability' }, spec: { mode: 'sidecarr', config },
      })).rejects.toThrow(/spec\.mode: Unsupported value: "sidecarr"/);
    });
  });
});
