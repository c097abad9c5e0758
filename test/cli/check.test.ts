import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as xray from 'aws-cdk-lib/aws-xray';
import { checkFindings, run, synthWithPack } from './helpers';
import { TracedFunction } from '../../src';
import { ExitCode, USAGE } from '../../src/cli/cdk-xray';
import { resourceLine } from '../../src/cli/check-output';
import { tempDir } from '../report/fixtures';
import { zipFunctionProps } from '../util';

/** An app with findings of every kind: a per-resource rule, an app-wide policy rule, a trace rule, acknowledgments. */
function appWithFindings(outdir: string): App {
  const app = new App({ outdir });
  const s = new Stack(new Stage(app, 'Prod'), 'S');
  const topic = new sns.Topic(new NestedStack(s, 'Inner'), 'Topic');
  topic.grantPublish(new TracedFunction(s, 'Publisher', { ...zipFunctionProps(), annotationKeys: ['user_email'] }));
  topic.addSubscription(new subscriptions.LambdaSubscription(new TracedFunction(s, 'Subscriber', zipFunctionProps())));
  const top = new Stack(app, 'Top');
  const plain = new lambda.Function(top, 'Plain', zipFunctionProps());
  Validations.of(plain).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: 'Operator job, traced by its caller.' });
  new lambda.Function(top, 'Other', zipFunctionProps());
  new xray.CfnSamplingRule(top, 'Rule', {
    samplingRule: {
      ruleName: 'orders-api',
      priority: 100,
      fixedRate: 0.05,
      reservoirSize: 2,
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      serviceName: '*',
      serviceType: '*',
      resourceArn: '*',
      version: 1,
    },
  });
  return app;
}

describe('cdk-xray check', () => {
  const outdir = tempDir('cdk-xray-check-');
  let inSynth: string[];
  beforeAll(() => {
    inSynth = synthWithPack(appWithFindings(outdir), outdir);
  });

  test('finds what the pack finds in synthesis, finding by finding (rule id, path, level, message)', () => {
    expect(inSynth.length).toBeGreaterThanOrEqual(3);
    expect(checkFindings(outdir)).toEqual(inSynth);
  });

  test('exit 1 on an Error-level finding; the text names rule, path, template and message', () => {
    const { code, stdout } = run(['check', outdir]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout).toMatch(/^\[error\] XRay-LambdaFunctionUntraced Top\/Other\/Resource \(Top\.template\.json Other[0-9A-F]{8}\)$/m);
    expect(stdout).toMatch(/^\[error\] XRay-AnnotationKeyPolicy\[denied:user_email\] Prod\/S\/Publisher\/Resource /m);
    expect(stdout).toMatch(/^\[acknowledged\] XRay-LambdaFunctionUntraced Top\/Plain\/Resource: Operator job, traced by its caller\.$/m);
    expect(stdout).toMatch(/FAILED \(errors fail\)\.\n$/);
  });

  test('--stack limits the findings reported; an unknown stack is unusable input (3)', () => {
    const { code, stdout } = run(['check', outdir, '--stack', 'Top', '--format', 'json']);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(new Set(JSON.parse(stdout).findings.map((f: any) => f.stackId))).toEqual(new Set(['Top']));
    const unknown = run(['check', outdir, '--stack', 'Nope']);
    expect(unknown.code).toBe(ExitCode.INPUT);
    expect(unknown.stderr).toMatch(/No stack named Nope in the assembly\. Stacks: /);
  });

  test('the JSON document: totals, levels, template files and acknowledgments', () => {
    const doc = JSON.parse(run(['check', outdir, '--format', 'json']).stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, passed: false, warningsFail: false, totals: { acknowledged: 1 } });
    expect(doc.findings).toContainEqual(expect.objectContaining({
      ruleId: 'XRay-LambdaFunctionUntraced',
      level: 'error',
      path: 'Top/Plain/Resource',
      templateFile: 'Top.template.json',
      acknowledged: 'Operator job, traced by its caller.',
    }));
  });

  test('acknowledgments in both aws-cdk-lib forms (annotation:: or none, and Annotation::) are honoured', () => {
    // GIVEN: the assembly with the acknowledgment rewritten as each aws-cdk-lib version records it
    for (const recorded of ['XRay-LambdaFunctionUntraced', 'annotation::XRay-LambdaFunctionUntraced', 'Annotation::XRay-LambdaFunctionUntraced']) {
      const copy = tempDir('cdk-xray-check-ack-');
      fs.cpSync(outdir, copy, { recursive: true });
      // (inline in manifest.json, or in the stack's additional metadata file, as newer aws-cdk-lib versions write it)
      const manifestFile = path.join(copy, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      const inline = manifest.artifacts.Top.metadata !== undefined;
      const metadataFile = path.join(copy, 'Top.metadata.json');
      const metadata = inline ? manifest.artifacts.Top.metadata : JSON.parse(fs.readFileSync(metadataFile, 'utf8'));
      const entries: any[] = Object.values(metadata).flat();
      const ack = entries.find(e => e.type === 'aws:cdk:acknowledged-rules');
      expect(ack).toBeDefined();
      ack.data = { [recorded]: 'Operator job.' };
      // AND Other acknowledged too, so nothing fails in Top
      metadata['/Top/Other'] = [{ type: 'aws:cdk:acknowledged-rules', data: { [recorded]: 'Batch job.' } }];
      fs.writeFileSync(inline ? manifestFile : metadataFile, JSON.stringify(inline ? manifest : metadata));
      // WHEN
      const { code, stdout } = run(['check', copy, '--stack', 'Top', '--format', 'json']);
      // THEN
      expect(JSON.parse(stdout).findings.map((f: any) => [f.path, f.acknowledged])).toEqual(
        expect.arrayContaining([['Top/Plain/Resource', 'Operator job.'], ['Top/Other/Resource', 'Batch job.']]));
      expect(code).toBe(ExitCode.OK);
    }
  });

  test('report --strict and check agree: the report\'s findings are check\'s, acknowledged ones marked', () => {
    const report = run(['report', outdir, '--format', 'json', '--strict']);
    const check = run(['check', outdir, '--format', 'json']);
    expect(report.code).toBe(check.code);
    const fromReport = JSON.parse(report.stdout).stacks.flatMap((st: any) => st.findings)
      .map((f: any) => `${f.rule} ${f.path} ${f.level} ${f.acknowledged ?? '-'} ${f.message}`).sort();
    const fromCheck = JSON.parse(check.stdout).findings.map((f: any) => `${f.ruleId} ${f.path} ${f.level} ${f.acknowledged ?? '-'} ${f.message}`).sort();
    expect(fromReport).toEqual(fromCheck);
    expect(JSON.parse(report.stdout).totals).toMatchObject({ acknowledgedFindings: 1, failingFindings: JSON.parse(check.stdout).totals.errors });
  });

  test('config: the annotation policy, budget and traffic from JSON reach the rules', () => {
    const config = path.join(tempDir('cdk-xray-check-config-'), 'xray-checks.json');
    fs.writeFileSync(config, JSON.stringify({
      annotationPolicy: { allowedKeys: [{ key: 'user_email', cardinality: 20, overrideReason: 'Hashed before it is annotated.' }] },
      monthlyBudgetUsd: 0,
      requestsPerSecondByRule: { 'orders-api': 1000, 'no-such-rule': 1 },
    }));
    const ids = JSON.parse(run(['check', outdir, '--config', config, '--format', 'json']).stdout).findings.map((f: any) => f.ruleId);
    expect(ids).not.toContain('XRay-AnnotationKeyPolicy[denied:user_email]');
    expect(ids).toContain('XRay-TraceCostBudget[unknownRule:no-such-rule]');
    expect(ids.some((id: string) => id.startsWith('XRay-TraceCostBudget') && !id.includes('unknownRule'))).toBe(true);
  });
});

describe('exit codes', () => {
  test('0 on a clean assembly', () => {
    const outdir = tempDir('cdk-xray-check-clean-');
    const app = new App({ outdir });
    new TracedFunction(new Stack(app, 'Clean'), 'Fn', zipFunctionProps());
    app.synth();
    const { code, stdout } = run(['check', outdir]);
    expect(stdout).toMatch(/^No findings: 0 error\(s\), 0 warning\(s\), 0 info; 0 acknowledged\. Passed \(errors fail\)\.\n$/);
    expect(code).toBe(ExitCode.OK);
    expect(run(['report', outdir, '--strict']).code).toBe(ExitCode.OK);
  });

  test('a Warning-level finding fails only with --warnings-fail (or the config\'s warningsFail); report --strict passes as check does', () => {
    // GIVEN a topic between two traced functions: a pass-through hop, a Warning
    const outdir = tempDir('cdk-xray-check-warn-');
    const app = new App({ outdir });
    const s = new Stack(app, 'S');
    const topic = new sns.Topic(s, 'Topic');
    topic.grantPublish(new TracedFunction(s, 'Publisher', zipFunctionProps()));
    topic.addSubscription(new subscriptions.LambdaSubscription(new TracedFunction(s, 'Subscriber', zipFunctionProps())));
    app.synth();
    const config = path.join(outdir, 'xray-checks.json');
    fs.writeFileSync(config, JSON.stringify({ warningsFail: true }));
    // THEN
    expect(run(['check', outdir, '--format', 'json']).stdout).toContain('"level": "warning"');
    expect(run(['check', outdir]).code).toBe(ExitCode.OK);
    expect(run(['report', outdir, '--strict']).code).toBe(ExitCode.OK);
    expect(run(['check', outdir, '--warnings-fail']).code).toBe(ExitCode.FINDINGS);
    expect(run(['check', outdir, '--config', config]).code).toBe(ExitCode.FINDINGS);
  });

  test.each([
    [['check'], 'check needs the cloud assembly directory, e.g. `cdk-xray check cdk.out`.'],
    [['check', 'a', 'b'], 'check takes one cloud assembly directory (got "a", "b").'],
    [['check', 'a', '--format', 'html'], '--format must be text, json or sarif (got "html").'],
    [['check', 'a', '--strict'], 'unknown option "--strict".'],
    [['check', 'a', '--budget-usd', 'lots'], '--budget-usd must be a monthly budget in USD of 0 or more, e.g. --budget-usd 250 (got "lots").'],
    [['check', 'a', '--rps', 'api'], '--rps takes <sampling rule name>=<number>, e.g. --rps orders-api=150 (got "api").'],
    [['check', 'a', '--warnings-fail=yes'], '--warnings-fail takes no value (got "--warnings-fail=yes").'],
  ])('2 on usage: %j', (args, message) => {
    const { code, stderr } = run(args);
    expect(stderr).toBe(`cdk-xray: ${message}\nRun \`cdk-xray --help\` for usage.\n`);
    expect(code).toBe(ExitCode.USAGE);
  });

  test('3 without an assembly, with a config that is no JSON or is missing, with contradicting options', () => {
    const dir = tempDir('cdk-xray-check-input-');
    expect(run(['check', path.join(dir, 'nope')])).toMatchObject({ code: ExitCode.INPUT, stderr: expect.stringMatching(/is not a directory/) });
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "warningsFail": tru }');
    expect(run(['check', dir, '--config', bad])).toMatchObject({ code: ExitCode.INPUT, stderr: expect.stringMatching(/bad\.json is not valid JSON/) });
    expect(run(['check', dir, '--config', path.join(dir, 'missing.json')]))
      .toMatchObject({ code: ExitCode.INPUT, stderr: expect.stringMatching(/missing\.json cannot be read/) });
    expect(run(['check', dir, '--budget-usd', '10'])).toMatchObject({
      code: ExitCode.INPUT,
      stderr: expect.stringMatching(/the options from the command line cannot be used: requestsPerSecondByRule is required with monthlyBudgetUsd/),
    });
  });

  test('--help documents the flags, the config, the formats and the exit codes', () => {
    const { code, stdout } = run(['check', '--help']);
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toBe(USAGE);
    for (const text of ['--config <file.json>', '--format text|json|sarif', '--warnings-fail', '--budget-usd', '--stack <name>',
      'schemas/xray-checks.schema.json', 'SARIF 2.1.0', 'Exit codes: 0', '3 unusable input']) {
      expect(USAGE).toContain(text);
    }
  });
});

describe('resourceLine', () => {
  test('the line of a resource in a template as cdk synth writes it', () => {
    const lines = JSON.stringify({ Resources: { A: { Type: 'T', Properties: { B: { x: 1 } } }, B: { Type: 'T' } } }, undefined, 1).split('\n');
    expect(lines[resourceLine(lines, 'B')! - 1]).toBe('  "B": {');
    expect(resourceLine(lines, 'C')).toBeUndefined();
    expect(resourceLine(['{}'], 'A')).toBeUndefined();
  });
});
