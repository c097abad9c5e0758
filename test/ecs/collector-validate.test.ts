import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ALL_TAIL_SAMPLING, flattenValue } from './util';
import { EcsFargateAdotStack } from '../../examples/ecs-fargate-adot/stack';
import { AdotCollectorConfig, AnnotationPolicy, Cardinality, SamplingRate, TailSamplingPolicy } from '../../src';

/**
 * Every collector configuration the library generates in these tests and in the examples is checked by a real
 * OpenTelemetry Collector built with the components the AWS Distro for OpenTelemetry ships (scripts/otelcol):
 * `otelcol-xray validate` loads every component's configuration and builds the pipelines.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const VALIDATE = path.join(ROOT, 'scripts', 'otelcol', 'validate.sh');
const BUILD_TIMEOUT_MS = 30 * 60 * 1000;

function validate(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('bash', [VALIDATE, ...args], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const CONFIGS: Record<string, AdotCollectorConfig> = {
  'defaults': new AdotCollectorConfig(),
  'annotation-keys': new AdotCollectorConfig({ annotationKeys: ['tenant_tier', 'order_kind'] }),
  'xray-sdk-receiver': new AdotCollectorConfig({ xraySdkReceiver: true }),
  'no-sensitive-removal': new AdotCollectorConfig({ removeSensitiveAttributes: false }),
  'policy-filtered': new AdotCollectorConfig({
    annotationKeys: ['tenant_tier', 'user_email'],
    annotationPolicy: new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] }),
  }),
  'extra-sensitive': new AdotCollectorConfig({ additionalSensitiveAttributes: ['http.request.header.x_session'] }),
  'tail-sampling': new AdotCollectorConfig({
    tailSampling: ALL_TAIL_SAMPLING,
    batchTimeout: Duration.millis(200),
  }),
  'everything': new AdotCollectorConfig({
    annotationKeys: ['tenant_tier'],
    xraySdkReceiver: true,
    additionalSensitiveAttributes: ['db.statement'],
    tailSampling: { policies: [TailSamplingPolicy.keepErrors(), TailSamplingPolicy.baseline(SamplingRate.percent(1))] },
  }),
};

describe('generated collector configurations, checked by a real collector', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-configs-'));
  for (const [name, config] of Object.entries(CONFIGS)) {
    fs.writeFileSync(path.join(dir, `${name}.yaml`), config.render('us-east-1'));
  }
  // The examples' configurations, as CloudFormation would hand them to the task (Region filled in).
  const example = new EcsFargateAdotStack(new App(), 'EcsFargateAdot');
  for (const [id, parameter] of Object.entries<any>(Template.fromStack(example as Stack).findResources('AWS::SSM::Parameter'))) {
    fs.writeFileSync(path.join(dir, `example-${id}.yaml`), flattenValue(parameter.Properties.Value, { 'AWS::Region': 'eu-west-1' }));
  }
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));

  test('every configuration is valid (read from a file)', () => {
    expect(files.length).toBe(Object.keys(CONFIGS).length + 1);
    const { status, output } = validate(dir);
    for (const file of files) {
      expect(output).toContain(`valid: ${path.join(dir, file)}`);
    }
    expect(output).not.toContain('INVALID');
    expect(status).toBe(0);
  }, BUILD_TIMEOUT_MS);

  test('every configuration is valid when delivered as AOT_CONFIG_CONTENT, as the task does', () => {
    const { status, output } = validate('--via-env', dir);
    expect(output.match(/^valid: .*\[via env:AOT_CONFIG_CONTENT\]$/gm)?.length).toBe(files.length);
    expect(status).toBe(0);
  }, BUILD_TIMEOUT_MS);

  test('the check can fail: a pipeline naming a processor that is not configured is rejected', () => {
    const { status, output } = validate(path.join(ROOT, 'scripts', 'otelcol', 'testdata', 'invalid.yaml'));
    expect(output).toMatch(/INVALID: .*invalid\.yaml/);
    expect(output).toMatch(/references processor "batch\/traces" which is not configured/);
    expect(status).toBe(1);
  }, BUILD_TIMEOUT_MS);
});
