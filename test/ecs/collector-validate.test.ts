import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ALL_TAIL_SAMPLING, flattenValue, IMAGE } from './util';
import { EcsFargateAdotStack } from '../../examples/ecs-fargate-adot/stack';
import { AdotCollectorConfig, AnnotationPolicy, Cardinality, EcsTracing, SamplingRate, TailSamplingPolicy, TraceCollector } from '../../src';

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
  'decision-wait-millis': new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()], decisionWait: Duration.millis(1500) } }),
  'tricky-strings': new AdotCollectorConfig({
    additionalSensitiveAttributes: ['a: b', '#c', '*d', '&e', '!f', '|g', '>h', '- i', 'q"uote\\back', "'single'", 'é\ufeff\u00a0x', '{j}', '[k]'],
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
  // Bridge mode binds every interface of the collector's own namespace.
  fs.writeFileSync(path.join(dir, 'bridge-listen.yaml'), new AdotCollectorConfig({ xraySdkReceiver: true }).render('us-east-1', '0.0.0.0'));
  // Deploy-time values, as CloudFormation fills them in: a token rate (scaled by the exponent), token thresholds in
  // seconds, and a CommaDelimitedList parameter as annotation keys.
  const tokens = new Stack(new App(), 'Tokens');
  const listKeys = new CfnParameter(tokens, 'Keys', { type: 'CommaDelimitedList' });
  const task = new ecs.FargateTaskDefinition(tokens, 'Task');
  task.addContainer('App', { image: IMAGE });
  EcsTracing.enable(task, {
    annotationKeys: listKeys.valueAsList,
    collector: TraceCollector.adot({
      config: new AdotCollectorConfig({
        tailSampling: {
          policies: [
            TailSamplingPolicy.baseline(SamplingRate.ratio(new CfnParameter(tokens, 'Rate', { type: 'Number' }).valueAsNumber)),
            TailSamplingPolicy.keepSlowerThan(Duration.seconds(Token.asNumber({ Ref: 'SlowSeconds' }))),
          ],
          decisionWait: Duration.seconds(Token.asNumber({ Ref: 'WaitSeconds' })),
        },
      }),
    }),
  });
  const deployed = Object.values<any>(Template.fromStack(tokens).findResources('AWS::SSM::Parameter'))[0].Properties.Value;
  const tokenYaml = flattenValue(deployed, { 'AWS::Region': 'us-east-1', 'Keys': 'tenant_tier,order_kind', 'Rate': '0.05', 'SlowSeconds': '1.5', 'WaitSeconds': '12' });
  fs.writeFileSync(path.join(dir, 'deploy-time-values.yaml'), tokenYaml);
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));

  test('deploy-time values render as the collector reads them', () => {
    expect(tokenYaml).toContain('indexed_attributes:\n      - "tenant_tier"\n      - "order_kind"\n');
    expect(tokenYaml).toContain('sampling_percentage: 0.05e2\n');
    expect(tokenYaml).toContain('threshold_ms: 1.5e3\n');
    expect(tokenYaml).toContain('decision_wait: "12s"\n');
    expect(tokenYaml).toContain('resourcedetection:\n    detectors:\n      - "env"\n      - "ecs"\n');
  });

  test('every configuration is valid (read from a file)', () => {
    expect(files.length).toBe(Object.keys(CONFIGS).length + 3);
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
