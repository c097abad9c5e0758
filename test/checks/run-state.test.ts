import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AnnotationPolicy, TracedFunction, XRayChecks } from '../../src';
import { ChecksRun } from '../../src/checks/checks-run';
import { findingsOf } from '../../src/checks/evaluate';
import { acknowledgmentAt } from '../../src/template/acknowledgments';
import { readAssembly } from '../../src/template/read';
import { tempDir } from '../report/fixtures';
import { zipFunctionProps } from '../util';

const SRC = path.resolve(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory()
    ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the checks read templates through public API and keep their state in the run', () => {
  const files = ['checks', 'template', 'graph', 'report'].flatMap(area => sourceFiles(path.join(SRC, area)));

  test('no aws-cdk-lib internals (_toCloudFormation, _synthesizeLogicalId, ...)', () => {
    const internals = files.flatMap(f => [...fs.readFileSync(f, 'utf8').matchAll(/\.(_[a-z]\w*)\b|\['(_[a-z]\w*)'\]/g)]
      .map(m => `${path.relative(SRC, f)}: ${m[1] ?? m[2]}`));
    expect(internals).toEqual([]);
  });

  test('no module-level mutable state: no top-level let or var, no module-level cache', () => {
    const state = files.flatMap(f => fs.readFileSync(f, 'utf8').split('\n')
      .filter(line => /^(let|var) /.test(line) || /^(export )?const \w+(: [^=]+)? = new (Weak)?(Map|Set)(<[^>]*>)?\(\)/.test(line))
      .map(line => `${path.relative(SRC, f)}: ${line}`));
    expect(state).toEqual([]);
  });

  test('two packs, or one pack run twice on different apps, never see each other\'s findings', () => {
    const untraced = () => {
      const s = new Stack(new App(), 'S');
      new lambda.Function(s, 'Plain', zipFunctionProps());
      return s;
    };
    const traced = () => {
      const s = new Stack(new App(), 'S');
      new TracedFunction(s, 'Fn', zipFunctionProps());
      return s;
    };
    const pack = new XRayChecks();
    const a = untraced();
    const b = traced();
    expect(pack.validateScope(a).violations.map(v => v.ruleName)).toEqual(['XRay-LambdaFunctionUntraced']);
    expect(pack.validateScope(b).violations).toEqual([]);
    expect(new XRayChecks().validateScope(a).violations.map(v => v.ruleName)).toEqual(['XRay-LambdaFunctionUntraced']);
  });
});

test('the findings of the synthesis (validation-report.json) equal those of validateScope on the same app', () => {
  // GIVEN: stacks in a Stage, a nested stack, trace findings across them, an acknowledgment
  const outdir = tempDir('cdk-xray-checks-');
  const app = new App({ outdir });
  const s = new Stack(new Stage(app, 'Prod'), 'S');
  const topic = new sns.Topic(new NestedStack(s, 'Inner'), 'Topic');
  topic.grantPublish(new TracedFunction(s, 'Publisher', { ...zipFunctionProps(), annotationKeys: ['user_email'] }));
  topic.addSubscription(new subscriptions.LambdaSubscription(new TracedFunction(s, 'Subscriber', zipFunctionProps())));
  const plain = new lambda.Function(new Stack(app, 'Top'), 'Plain', zipFunctionProps());
  Validations.of(plain).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: 'Operator job.' });
  new lambda.Function(plain.stack, 'Other', zipFunctionProps());
  const pack = new XRayChecks(app);
  Validations.of(app).addPlugins(pack);
  // WHEN
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const exitCode = process.exitCode;
  try {
    try {
      app.synth();
    } catch (e: any) {
      if (e?.name !== 'ValidationFailed') {
        throw e;
      }
    }
  } finally {
    process.exitCode = exitCode;
    errors.mockRestore();
  }
  // THEN
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const inSynthesis = report.pluginReports.find((r: any) => r.pluginName === 'XRay').violations;
  const summary = (violations: any[]) => violations
    .flatMap(v => (v.violatingResources ?? v.violatingConstructs).map((r: any) => `${v.ruleName} ${r.constructPath}`)).sort();
  expect(summary(inSynthesis)).toEqual([
    'XRay-AnnotationKeyPolicy[denied:user_email] Prod/S/Publisher/Resource',
    'XRay-LambdaFunctionUntraced Top/Other/Resource',
    'XRay-TracePassThroughTopic Prod/S/Inner/Topic/Resource',
  ]);
  expect(summary(pack.validateScope(app).violations)).toEqual(summary(inSynthesis));

  // AND the rules run on the cloud assembly alone, with the acknowledgments its stacks record
  const run = new ChecksRun(readAssembly(outdir), { policy: new AnnotationPolicy({ allowUndeclaredKeys: true }) });
  const fromAssembly = run.model.resources.flatMap(r => findingsOf(r, run)
    .filter(f => acknowledgmentAt(run.model.stack(r.stackId)!.acknowledgments, r.path, f.ruleId) === undefined)
    .map(f => `${f.ruleId} ${r.path}`));
  expect(fromAssembly.sort()).toEqual(summary(inSynthesis));
});
