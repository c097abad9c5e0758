import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { manifestsOf, v1Cluster } from './util';
import {
  AdotCollectorConfig, AnnotationPolicy, Cardinality, EksCollector, EksCollectorMode, EksIdentity, EksTracing, SamplingRate, TailSamplingPolicy,
} from '../../src';

/**
 * Every collector configuration the EKS path emits (the ConfigMap of `EksCollector.manifests`) is checked by the same
 * real OpenTelemetry Collector build as the ECS configurations (scripts/otelcol), read from a file and delivered as
 * `AOT_CONFIG_CONTENT`, which is how the collector's Deployment reads it. They are validated as in a pod (`--in-pod`):
 * the `eks` resource detector creates an in-cluster Kubernetes client when the pipeline is built.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const VALIDATE = path.join(ROOT, 'scripts', 'otelcol', 'validate.sh');
const BUILD_TIMEOUT_MS = 30 * 60 * 1000;

function validate(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('bash', [VALIDATE, ...args], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const POLICY = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] });
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders' },
  spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image: 'x:1' }] } } },
};

const CASES: Record<string, (stack: Stack) => void> = {
  'defaults': stack => { EksTracing.enable(v1Cluster(stack), { collector: EksCollector.manifests() }); },
  'no-resource-detection': stack => { EksTracing.enable(v1Cluster(stack), { collector: EksCollector.manifests({ config: new AdotCollectorConfig({ resourceDetection: false }) }) }); },
  'daemonset-irsa': stack => { EksTracing.enable(v1Cluster(stack), { collector: EksCollector.manifests({ mode: EksCollectorMode.DAEMONSET }), identity: EksIdentity.irsa() }); },
  'tail-sampling-policy-workload-keys': stack => {
    const tracing = EksTracing.enable(v1Cluster(stack), {
      annotationPolicy: POLICY,
      collector: EksCollector.manifests({
        config: new AdotCollectorConfig({
          xraySdkReceiver: true,
          tailSampling: { policies: [TailSamplingPolicy.keepErrors(), TailSamplingPolicy.baseline(SamplingRate.percent(5))] },
        }),
      }),
    });
    tracing.addWorkload('Orders', { manifests: [DEPLOYMENT], annotationKeys: ['tenant_tier', 'order_id'] });
  },
};

describe('EKS collector configurations, checked by a real collector', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-collector-configs-'));
  for (const [name, build] of Object.entries(CASES)) {
    // Environment-agnostic: the Region is a reference CloudFormation fills in.
    const stack = new Stack(new App(), 'Stack');
    build(stack);
    const configMaps = manifestsOf(stack, { 'AWS::Region': 'eu-west-1' }).filter(o => o.kind === 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    fs.writeFileSync(path.join(dir, `${name}.yaml`), configMaps[0].data['collector.yaml']);
  }
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));

  test('the rendered configurations hold what the options asked for', () => {
    const tail = fs.readFileSync(path.join(dir, 'tail-sampling-policy-workload-keys.yaml'), 'utf8');
    expect(tail).toContain('region: "eu-west-1"');
    expect(tail).toMatch(/indexed_attributes:\n\s+- "tenant_tier"\n/);
    expect(tail).toContain('tail_sampling:');
    expect(tail).toContain('endpoint: "0.0.0.0:2000"');
    const defaults = fs.readFileSync(path.join(dir, 'defaults.yaml'), 'utf8');
    expect(defaults).toMatch(/resourcedetection:\n\s+detectors:\n\s+- "env"\n\s+- "eks"\n\s+- "ec2"\n/);
    expect(fs.readFileSync(path.join(dir, 'no-resource-detection.yaml'), 'utf8')).not.toContain('resourcedetection');
  });

  test('every configuration is valid (read from a file)', () => {
    expect(files).toHaveLength(Object.keys(CASES).length);
    const { status, output } = validate('--in-pod', dir);
    for (const file of files) {
      expect(output).toContain(`valid: ${path.join(dir, file)}`);
    }
    expect(output).not.toContain('INVALID');
    expect(status).toBe(0);
  }, BUILD_TIMEOUT_MS);

  test('every configuration is valid when delivered as AOT_CONFIG_CONTENT, as the Deployment does', () => {
    const { status, output } = validate('--in-pod', '--via-env', dir);
    expect(output.match(/^valid: .*\[via env:AOT_CONFIG_CONTENT\]$/gm)?.length).toBe(files.length);
    expect(status).toBe(0);
  }, BUILD_TIMEOUT_MS);
});
