import * as fs from 'fs';
import * as path from 'path';
import {
  distPackages, inParallel, javaClasspath, Language, LANGUAGES, PolyglotEnvironment, PolyglotExample, pythonEnvironment,
  synth, SynthOptions, SynthResult, tempDir,
} from '../../scripts/polyglot/apps';
import { main } from '../../src/cli/cdk-xray';
import { checkFindings, inSynthFindings } from '../cli/helpers';

// The Python and Java apps install the packages `npx projen package-all` builds into dist/ (CI builds them before the
// tests). A local run without them skips this suite; in CI a missing package fails it.
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const packages = distPackages();
const describeWithPackages = (packages.wheel && packages.javaVersion) || inCi ? describe : describe.skip;

const HOSTED: Language[] = ['python', 'java'];
const SAME_TEMPLATE_EXAMPLES: PolyglotExample[] = ['serverless-api', 'ecs-fargate-adot', 'ecs-fargate-xray-daemon', 'eks-adot', 'application-signals'];
const ASSET_HASH = /[0-9a-f]{64}/g;

/** Asset hashes (and the S3 keys and image tags made of them) are ignored; CDKMetadata records the app's language. */
function loadTemplate(file: string): any {
  const template = JSON.parse(fs.readFileSync(file, 'utf8'), (_key, value) =>
    typeof value === 'string' ? value.replace(ASSET_HASH, '<asset-hash>') : value);
  delete template.Resources?.CDKMetadata;
  return template;
}

function templateFiles(outdir: string): string[] {
  return fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Every place where two JSON values differ, one line each: `Resources.X.Properties.Y: typescript 1, python 2`. */
function differences(expected: unknown, actual: unknown, language: string, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap(key => {
      const where = at ? `${at}.${key}` : key;
      if (!(key in actual)) return [`${where}: only in typescript (${show(expected[key])})`];
      if (!(key in expected)) return [`${where}: only in ${language} (${show(actual[key])})`];
      return differences(expected[key], actual[key], language, where);
    });
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const lines = expected.length === actual.length ? []
      : [`${at}: typescript has ${expected.length} items, ${language} has ${actual.length}`];
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      lines.push(...differences(expected[i], actual[i], language, `${at}[${i}]`));
    }
    return lines;
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${at}: typescript ${show(expected)}, ${language} ${show(actual)}`];
}

/** The validation report without the stack traces, which show the host language's frames. */
function validationReport(outdir: string): any {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) throw new Error(`no validation report in ${outdir}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'), (key, value) => (/stackTraces?$/i.test(key) ? undefined : value));
}

function violations(report: any): Array<{ plugin: string; rule: string; paths: string[] }> {
  return (report?.pluginReports ?? []).flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName, rule: v.ruleName, paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

function succeeded(result: SynthResult): SynthResult {
  if (result.status !== 0) {
    throw new Error(`synthesis into ${result.outdir} exited ${result.status}:\n${result.output.slice(-6000)}`);
  }
  return result;
}

/** What `cdk-xray report --format json` says of an assembly's trace graph, without file locations. */
function traceReport(outdir: string): { nodes: any[]; edges: any[]; findings: any[] } {
  let stdout = '';
  let stderr = '';
  const code = main(['report', outdir, '--format', 'json'], { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  if (code !== 0) throw new Error(`cdk-xray report ${outdir} exited ${code}: ${stderr}`);
  const stacks: any[] = JSON.parse(stdout).stacks;
  return {
    nodes: stacks.flatMap(s => s.nodes).map(n => ({ id: n.id, type: n.type, path: n.path, state: n.state, how: n.how })),
    edges: stacks.flatMap(s => s.edges),
    findings: stacks.flatMap(s => s.findings).map(f => ({ rule: f.rule, nodeId: f.nodeId, message: f.message })),
  };
}

describeWithPackages('Python and Java examples: the TypeScript examples\' templates and findings', () => {
  const results = new Map<string, SynthResult>();
  const outdirs: string[] = [];
  const result = (language: Language, run: string): SynthResult => {
    const found = results.get(`${language}/${run}`);
    if (!found) throw new Error(`no synthesis ${language}/${run}`);
    return found;
  };

  beforeAll(async () => {
    // GIVEN the packages installed: a virtual environment with the wheel, the Java examples compiled against dist/java
    const env: PolyglotEnvironment = { python: pythonEnvironment(), javaClasspath: javaClasspath() };

    // WHEN every app is synthesized in its own process, two at a time
    const runs: Array<{ language: Language; run: string; example: PolyglotExample; options?: SynthOptions }> = [];
    for (const language of LANGUAGES) {
      for (const example of SAME_TEMPLATE_EXAMPLES) runs.push({ language, run: example, example });
      // The CI gate through the CDK CLI, as CI runs it, and the acknowledged app on its own.
      runs.push({ language, run: 'ci-policy-gate', example: 'ci-policy', options: { viaCli: true, context: { acknowledge: 'false' } } });
      runs.push({ language, run: 'ci-policy-acknowledged', example: 'ci-policy' });
    }
    const done = await inParallel(2, runs.map(r => () => {
      const outdir = tempDir(`polyglot-${r.language}-${r.run}-`);
      outdirs.push(outdir);
      return synth(env, r.language, r.example, outdir, r.options);
    }));
    runs.forEach((r, i) => results.set(`${r.language}/${r.run}`, done[i]));
  }, 15 * 60_000);

  afterAll(() => {
    for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe.each(SAME_TEMPLATE_EXAMPLES)('%s', example => {
    test('the TypeScript app synthesizes and passes AwsSolutionsChecks and XRayChecks', () => {
      const ts = succeeded(result('typescript', example));
      expect(violations(validationReport(ts.outdir))).toEqual([]);
    });

    test.each(HOSTED)('from %s: the same stacks, resources and properties, and the same validation report', language => {
      // THEN
      const ts = succeeded(result('typescript', example));
      const hosted = succeeded(result(language, example));
      expect(templateFiles(hosted.outdir)).toEqual(templateFiles(ts.outdir));
      for (const file of templateFiles(ts.outdir)) {
        const diff = differences(loadTemplate(path.join(ts.outdir, file)), loadTemplate(path.join(hosted.outdir, file)), language);
        expect({ file, diff }).toEqual({ file, diff: [] });
      }
      expect(differences(validationReport(ts.outdir), validationReport(hosted.outdir), language)).toEqual([]);
    });

    test.each(HOSTED)('from %s: cdk-xray report reads the same coverage, service map and findings', language => {
      // WHEN the report command reads each language's cloud assembly
      const ts = traceReport(succeeded(result('typescript', example)).outdir);
      const hosted = traceReport(succeeded(result(language, example)).outdir);
      // THEN the nodes (with paths, states and how they are traced), edges and findings are the same
      expect(ts.nodes.length).toBeGreaterThan(0);
      expect(hosted).toEqual(ts);
    });
  });

  describe('cdk-xray check on every assembly', () => {
    const runs = [...SAME_TEMPLATE_EXAMPLES, 'ci-policy-gate', 'ci-policy-acknowledged'];
    const config = path.join(__dirname, '..', '..', 'examples', 'ci-policy', 'xray-checks.json');
    test.each(LANGUAGES.flatMap(language => runs.map(run => [language, run] as const)))(
      'from %s, %s: the findings of XRayChecks in the synthesis, finding by finding (rule id, path, level, message)', (language, run) => {
        const outdir = result(language, run).outdir;
        expect(checkFindings(outdir, run.startsWith('ci-policy') ? ['--config', config] : [])).toEqual(inSynthFindings(outdir));
      });
  });

  describe('ci-policy', () => {
    const threeFindings = [
      { plugin: 'XRay', rule: 'XRay-LambdaFunctionUntraced', paths: ['CiPolicy/Reports/Resource'] },
      { plugin: 'XRay', rule: 'XRay-AnnotationKeyPolicy[denied:customer_email]', paths: ['CiPolicy/Checkout/Resource'] },
      { plugin: 'XRay', rule: 'XRay-TraceCostBudget', paths: ['CiPolicy/Everything/Resource'] },
    ];

    test.each(LANGUAGES)('from %s: `cdk synth` exits 1 with exactly the three findings', language => {
      const gate = result(language, 'ci-policy-gate');
      expect({ status: gate.status, violations: violations(validationReport(gate.outdir)) })
        .toEqual({ status: 1, violations: threeFindings });
    });

    test.each(HOSTED)('from %s: the same exit code, template and validation report as TypeScript', language => {
      const ts = result('typescript', 'ci-policy-gate');
      const hosted = result(language, 'ci-policy-gate');
      expect(hosted.status).toBe(ts.status);
      expect(differences(validationReport(ts.outdir), validationReport(hosted.outdir), language)).toEqual([]);
      const template = 'CiPolicy.template.json';
      expect(differences(loadTemplate(path.join(ts.outdir, template)), loadTemplate(path.join(hosted.outdir, template)), language))
        .toEqual([]);
    });

    test.each(LANGUAGES)('from %s: the acknowledged app passes, with the acknowledgments in the report', language => {
      const ts = succeeded(result('typescript', 'ci-policy-acknowledged'));
      const hosted = succeeded(result(language, 'ci-policy-acknowledged'));
      expect(violations(validationReport(hosted.outdir))).toEqual([]);
      expect(differences(validationReport(ts.outdir), validationReport(hosted.outdir), language)).toEqual([]);
    });
  });
});
