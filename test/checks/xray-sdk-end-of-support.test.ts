import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ContainerInstrumentation, LambdaInstrumentation, LambdaTracing, TraceCollector, TracedFargateTaskDefinition, TracedFunction, XRayChecks,
} from '../../src';
import { main } from '../../src/cli/cdk-xray';
import { zipFunctionProps } from '../util';

const RULE = 'XRay-XRaySdkEndOfSupport';
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3');

/** `ruleId level path: message` of the rule's findings. */
function findings(app: App): Array<{ level: string; path: string; message: string }> {
  app.synth();
  return new XRayChecks(app).validateScope(app).violations
    .filter((v: any) => v.ruleName === RULE)
    .flatMap((v: any) => v.violatingResources.map((r: any) => ({ level: v.severity, path: r.constructPath, message: v.description })));
}

describe('XRaySdkEndOfSupport: nothing uses an X-Ray SDK or the X-Ray daemon', () => {
  test('Compliance 1: ADOT and Powertools functions, an ADOT collector with OpenTelemetry containers', () => {
    // GIVEN
    const app = new App();
    const s = new Stack(app, 'S');
    new TracedFunction(s, 'Adot', { ...zipFunctionProps(lambda.Runtime.NODEJS_22_X), instrumentation: LambdaInstrumentation.adot() });
    new TracedFunction(s, 'Powertools', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools() });
    new TracedFunction(s, 'Plain', zipFunctionProps());
    new TracedFargateTaskDefinition(s, 'Task', { collector: TraceCollector.adot() })
      .addTracedContainer('App', { image: IMAGE, instrumentation: ContainerInstrumentation.openTelemetry() });

    // WHEN / THEN
    expect(findings(app)).toEqual([]);
  });

  test('Noncompliance 1: an X-Ray SDK function and a daemon task with an X-Ray SDK container: one warning each, with the change', () => {
    // GIVEN
    const app = new App();
    const s = new Stack(app, 'S');
    const fn = new lambda.Function(s, 'Sdk', zipFunctionProps());
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.xraySdk() });
    new TracedFargateTaskDefinition(s, 'Task', { collector: TraceCollector.xrayDaemon(), instrumentation: ContainerInstrumentation.xraySdk() })
      .addTracedContainer('App', { image: IMAGE });

    // WHEN
    const found = findings(app);

    // THEN
    expect(found.map(f => `${f.level} ${f.path}`)).toEqual(['warning S/Sdk/Resource', 'warning S/Task/Resource']);
    expect(found[0].message).toContain('instrumentation: LambdaInstrumentation.xraySdk() → instrumentation: LambdaInstrumentation.adot()');
    expect(found[0].message).toContain('lose support on 2027-02-25');
    expect(found[1].message).toMatch(/xray-daemon uses the X-Ray daemon \(image public\.ecr\.aws\/xray\/aws-xray-daemon:[^)]+\): collector: TraceCollector\.xrayDaemon\(\) → collector: TraceCollector\.adot\(\)/);
    expect(found[1].message).toContain('App uses an X-Ray SDK (AWS_XRAY_DAEMON_ADDRESS without OTEL_* variables): ' +
      'instrumentation: ContainerInstrumentation.xraySdk() → instrumentation: ContainerInstrumentation.openTelemetry()');
  });

  test('Noncompliance 2: a raw task definition with the Docker Hub daemon image, not made with this library', () => {
    // GIVEN
    const app = new App();
    const s = new Stack(app, 'S');
    const task = new ecs.FargateTaskDefinition(s, 'Raw');
    task.addContainer('app', { image: IMAGE, environment: { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' } });
    task.addContainer('xray', { image: ecs.ContainerImage.fromRegistry('amazon/aws-xray-daemon:3.3.7') });

    // WHEN / THEN
    expect(findings(app).map(f => f.path)).toEqual(['S/Raw/Resource']);
  });

  test('an acknowledgment with a reason silences it', () => {
    // GIVEN
    const app = new App();
    const s = new Stack(app, 'S');
    const fn = new lambda.Function(s, 'Sdk', zipFunctionProps());
    LambdaTracing.enable(fn, { instrumentation: LambdaInstrumentation.xraySdk() });
    Validations.of(fn).acknowledge({ id: RULE, reason: 'Moving to ADOT in the January release.' });

    // WHEN / THEN
    expect(findings(app)).toEqual([]);
  });

  test('cdk-xray check reports the same finding on the assembly, as a warning that does not fail without --warnings-fail', () => {
    // GIVEN
    const app = new App();
    const s = new Stack(app, 'S');
    LambdaTracing.enable(new lambda.Function(s, 'Sdk', zipFunctionProps()), { instrumentation: LambdaInstrumentation.xraySdk() });
    const assembly = app.synth().directory;
    const run = (args: string[]) => {
      let stdout = '';
      const code = main(args, { stdout: t => { stdout += t; }, stderr: () => undefined });
      return { code, stdout };
    };

    // WHEN
    const plain = run(['check', assembly, '--format', 'json']);
    const strict = run(['check', assembly, '--format', 'json', '--warnings-fail']);

    // THEN
    const found = JSON.parse(plain.stdout).findings.filter((f: any) => f.ruleId === RULE);
    expect(found.map((f: any) => [f.path, f.level])).toEqual([['S/Sdk/Resource', 'warning']]);
    expect(found[0].metadata).toEqual({ endOfSupport: '2027-02-25', uses: 'xraySdk', replacements: 'LambdaInstrumentation.adot()' });
    expect(plain.code).toBe(0);
    expect(strict.code).toBe(1);
  });
});
