/**
 * The README's quick start, run as written.
 *
 * Marker format. The quick start body sits between two lines directly under the `## Quick start` heading:
 *
 *     <!-- quickstart:begin -->
 *     ...
 *     <!-- quickstart:end -->
 *
 * Inside, an HTML comment (invisible when the markdown is rendered) directly above a fenced block says what the block
 * is, for which language (`typescript` or `python`):
 *
 *     <!-- quickstart typescript run -->             a ```bash block: commands, run in order in one bash shell
 *     <!-- quickstart typescript file=lib/x.ts -->   a file, written (replacing what is there) relative to the
 *                                                    directory the commands before it left the shell in
 *     <!-- quickstart typescript output -->          lines the preceding run block's output must contain
 *                                                    (whitespace runs collapsed, so table padding may differ)
 *
 * The next line after a marker must open the fence. Inside the quick start, a fenced block without a marker is allowed
 * only as ```java or ```text (not executed); any other unmarked block, an unknown marker or language, or a marker not
 * followed by a block is an error. Each language's blocks run in README order as one bash script (`set -euo
 * pipefail`), files written with quoted heredocs.
 *
 * What the test changes in the commands, and nothing else: the npm tarball in dist/js replaces `cdk-xray-constructs`
 * on the `npm install` line, with aws-cdk-lib at `CDK_NEWEST_TESTED` of .projenrc.ts (for TypeScript
 * `aws-cdk-lib@<that>`; for Python `aws-cdk-lib<=<that>`, because PyPI may not carry npm's newest release yet); the wheel
 * in dist/python replaces it on the `pip install` line; `python3 -m venv .venv` becomes a link to a virtual environment
 * cached under ~/.cache/cdk-xray-constructs/quickstart (keyed by the requirements); CDK CLI commands get `--no-notices`.
 * Each rewrite must match the number of lines it expects, and no command may still name the registry package, so a
 * README that changed under the test fails instead of installing from the registry. The shell has a user's
 * environment (this repository's npm, CDK and jsii variables and node_modules/.bin removed) with
 * CDK_DISABLE_CLI_TELEMETRY=true and an npm cache of the test's own.
 *
 * The checklist (`checklist()` in scripts/quickstart/readme.ts) fails the test when blocks are missing: no blocks at
 * all is a failure, not a pass.
 *
 * The packages come from `npx projen package:js` and `npx projen package:python` (CI builds them before the tests).
 * A local run without them skips the runs; in CI (`CI` set and not 'false') a missing package fails them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BEGIN, buildScript, checklist, compareVersions, END, missingOutputLines, parseQuickstart, projectVersions, QuickstartBlock,
  QuickstartFormatError, QuickstartLanguage, README, substitute,
} from '../../scripts/quickstart/readme';
import {
  assertNoRegistryLibrary, distArtifacts, MissingPackageError, PythonEnvironment, pythonEnvironment, pythonRequirements,
  quickstartScript, resetNpx, runBash, ScriptResult, substitutions,
} from '../../scripts/quickstart/run';

const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const artifacts = distArtifacts();
const describeWithPackages = (artifacts.tarball && artifacts.wheel) || inCi ? describe : describe.skip;
if (!(artifacts.tarball && artifacts.wheel) && !inCi) {
  // eslint-disable-next-line no-console
  console.log('Skipping the README quick start runs: no dist/js/*.tgz or dist/python/*.whl ' +
    '(npx projen compile && npx projen package:js && npx projen package:python)');
}

const versions = projectVersions();
const readmeText = fs.readFileSync(README, 'utf8');
/** The quick start section: from its heading to the end marker (mutated copies of it stay inside it). */
const readme = readmeText.slice(Math.max(0, readmeText.indexOf('## Quick start\n')),
  readmeText.includes(END) ? readmeText.indexOf(END) + END.length + 1 : undefined);
const LANGUAGES: QuickstartLanguage[] = ['typescript', 'python'];
const SCRIPT_TIMEOUT_MS = 12 * 60_000;

describe('README quick start: the marked blocks', () => {
  test('are there and pass the checklist', () => {
    const blocks = parseQuickstart(readme);
    expect(checklist(blocks, versions)).toEqual([]);
    for (const language of LANGUAGES) {
      expect(blocks.filter(b => b.language === language && b.kind === 'run').length).toBeGreaterThan(0);
    }
  });

  test('a README without the quick start section is an error, not an empty pass', () => {
    const start = readmeText.indexOf(BEGIN);
    const stop = readmeText.indexOf(END) + END.length;
    expect(() => parseQuickstart(readmeText.slice(0, start) + readmeText.slice(stop))).toThrow(QuickstartFormatError);
    expect(() => parseQuickstart(readmeText.slice(0, start))).toThrow(/expected one .* found 0 and 0/);
  });

  test('the whole README parses to the same blocks as its quick start section', () => {
    const withoutLines = (blocks: QuickstartBlock[]) => blocks.map(({ line: _line, ...rest }) => rest);
    expect(withoutLines(parseQuickstart(readmeText))).toEqual(withoutLines(parseQuickstart(readme)));
  });

  test('markers without their blocks fail the checklist for both languages', () => {
    // GIVEN the quick start with every marked block removed (the begin and end lines stay)
    const stripped = readme.replace(/^<!-- quickstart (typescript|python) [^\n]*-->\n(`{3,})[^\n]*\n[\s\S]*?^\2$\n/gm, '');
    const blocks = parseQuickstart(stripped);
    // THEN nothing is left to run, and the checklist says so
    expect(blocks).toEqual([]);
    expect(checklist(blocks, versions)).toEqual(['typescript: no quickstart blocks', 'python: no quickstart blocks']);
  });

  test('a missing step fails the checklist', () => {
    const withoutReport = readme.replace(/^npx cdk-xray report cdk\.out$/m, 'echo no report');
    expect(checklist(parseQuickstart(withoutReport), versions)).toEqual(['typescript: missing npx cdk-xray report cdk.out']);
    const withoutChecks = readme.replace('Validations.of(app).addPlugins(new XRayChecks(app));', '');
    expect(checklist(parseQuickstart(withoutChecks), versions))
      .toEqual(['typescript: missing Validations.of(app).addPlugins(new XRayChecks(app))']);
    const otherCli = readme.replace(`npx aws-cdk@${versions.cli} synth`, 'npx aws-cdk@2.1000.0 synth');
    expect(checklist(parseQuickstart(otherCli), versions)).toEqual(expect.arrayContaining([
      `python: missing npx aws-cdk@${versions.cli} synth`,
      expect.stringMatching(/aws-cdk@2\.1000\.0, but the project pins the CLI at /),
    ]));
  });

  test('malformed markers are errors', () => {
    const quickstart = (body: string): string => `## Quick start\n\n${BEGIN}\n${body}\n${END}\n`;
    expect(() => parseQuickstart(quickstart('<!-- quickstart typescript run -->\ntext\n```bash\nls\n```')))
      .toThrow(/not followed directly by a fenced block/);
    expect(() => parseQuickstart(quickstart('```bash\nls\n```'))).toThrow(/without a quickstart marker/);
    expect(() => parseQuickstart(quickstart('<!-- quickstart go run -->\n```bash\nls\n```'))).toThrow(/unknown quickstart language/);
    expect(() => parseQuickstart(quickstart('<!-- quickstart python file=../x.py -->\n```python\n```'))).toThrow(/plain relative path/);
    expect(() => parseQuickstart(quickstart('<!-- quickstart python run -->\n```python\nprint(1)\n```'))).toThrow(/must be ```bash/);
    expect(() => parseQuickstart(`## Install\n\n${BEGIN}\n${END}\n`)).toThrow(/directly under the "## Quick start" heading/);
    expect(parseQuickstart(quickstart('```text\nout\n```\n```java\nclass A {}\n```'))).toEqual([]);
  });

  test('a rewrite that no longer matches the README fails, and so does a command left on the registry package', () => {
    const blocks = parseQuickstart(readme);
    const subs = substitutions('typescript', { versions, tarball: '/dist/pkg.tgz' });
    const ts = (b: QuickstartBlock): QuickstartBlock => (b.kind === 'run' && b.language === 'typescript'
      ? { ...b, body: b.body.replace(/^npm install .*$/m, 'npm install left-pad') } : b);
    expect(() => buildScript(blocks.map(ts).filter(b => b.language === 'typescript'), subs)).toThrow(/matched 0 line\(s\), expected 1/);
    expect(() => assertNoRegistryLibrary('npx -p cdk-xray-constructs@1.0.0 cdk-xray report cdk.out'))
      .toThrow(/from the registry/);
    expect(substitute('npx cdk synth\nnpx cdk-xray report cdk.out', subs.slice(1))).toBe('npx cdk synth --no-notices\nnpx cdk-xray report cdk.out');
  });
});

/** Files of a cloud assembly's templates, parsed. */
function templates(outdir: string): any[] {
  return fs.readdirSync(outdir).filter(f => f.endsWith('.template.json'))
    .map(f => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
}

function resources(outdir: string, type: string): any[] {
  return templates(outdir).flatMap(t => Object.values<any>(t.Resources ?? {})).filter(r => r.Type === type);
}

function violations(outdir: string): Array<{ plugin: string; rule: string; paths: string[] }> {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) throw new Error(`no validation report in ${outdir}`);
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return (report.pluginReports ?? []).flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName, rule: v.ruleName, paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

/**
 * The control: the README's app plus a plain, untraced `lambda.Function` in its stack. It is appended to the file that
 * registers XRayChecks, and synthesized with the README's synth command into another directory; XRayChecks must refuse
 * it, which shows that the README's app runs the checks.
 */
const CONTROL_CODE: Record<QuickstartLanguage, { file: RegExp; edit: (source: string) => string }> = {
  typescript: {
    file: /Validations\.of\(app\)\.addPlugins\(new XRayChecks\(app\)\)/,
    edit: source => `${source}
// Control: a function without tracing, in the app's stack.
{
  const { Stack: ControlStack, aws_lambda: controlLambda } = require('aws-cdk-lib');
  new controlLambda.Function(app.node.children.find((c: unknown) => ControlStack.isStack(c)), 'Untraced', {
    runtime: controlLambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: controlLambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}
`,
  },
  python: {
    file: /add_plugins\(XRayChecks\(app\)\)/,
    edit: source => {
      const control = [
        '# Control: a function without tracing, in the app\'s stack.',
        'from aws_cdk import Stack as _ControlStack, aws_lambda as _control_lambda',
        '_control_lambda.Function(next(c for c in app.node.children if _ControlStack.is_stack(c)), "Untraced",',
        '    runtime=_control_lambda.Runtime.PYTHON_3_13,',
        '    handler="index.handler",',
        '    code=_control_lambda.Code.from_inline("def handler(event, context):\\n    return {}\\n"),',
        ')',
        '',
      ].join('\n');
      if (!/^app\.synth\(\)$/m.test(source)) throw new Error('no app.synth() line to put the control before');
      return source.replace(/^app\.synth\(\)$/m, `${control}app.synth()`);
    },
  },
};

interface LanguageRun {
  readonly blocks: QuickstartBlock[];
  readonly main: ScriptResult;
  readonly control?: ScriptResult;
  readonly controlOutdir?: string;
  readonly python?: PythonEnvironment;
}

function describeFailure(run: ScriptResult): string {
  return `exit ${run.status} after ${Math.round(run.wallMs / 1000)} s; output:\n${run.output.slice(-8000)}`;
}

async function runLanguage(language: QuickstartLanguage, workdir: string, tarball: string, wheel: string | undefined): Promise<LanguageRun> {
  const blocks = parseQuickstart(readme).filter(b => b.language === language);
  let python: PythonEnvironment | undefined;
  if (language === 'python') python = pythonEnvironment(pythonRequirements(blocks, versions), versions);
  const subs = substitutions(language, { versions, tarball, wheel, venv: python?.venv });
  const main = await runBash(quickstartScript(blocks, language, subs), workdir, SCRIPT_TIMEOUT_MS);
  if (main.status !== 0 || !main.appDir) return { blocks, main, python };

  // The control, in the app the README's steps made.
  const control = CONTROL_CODE[language];
  const files = blocks.flatMap(b => (b.kind === 'file' && control.file.test(b.body) ? [b.file] : []));
  if (files.length !== 1) throw new Error(`${language}: expected one file that registers XRayChecks, found ${files.length}`);
  const appFile = path.join(main.appDir, files[0]);
  fs.writeFileSync(appFile, control.edit(fs.readFileSync(appFile, 'utf8')));
  const commands = substitute(blocks.filter(b => b.kind === 'run').map(b => b.body).join(''), subs).split('\n');
  const controlOutdir = 'cdk.out.control';
  const script = ['set -uo pipefail', 'exec 2>&1',
    ...commands.filter(l => /^source /.test(l)),
    ...commands.filter(l => / synth\b/.test(l)).map(l => `${l} --output ${controlOutdir}`)].join('\n');
  const controlRun = await runBash(script, main.appDir, SCRIPT_TIMEOUT_MS);
  return { blocks, main, control: controlRun, controlOutdir: path.join(main.appDir, controlOutdir), python };
}

describeWithPackages('README quick start, run as written with the packages in dist/', () => {
  const runs = new Map<QuickstartLanguage, LanguageRun>();
  const workdirs: string[] = [];
  const result = (language: QuickstartLanguage): LanguageRun => {
    const found = runs.get(language);
    if (!found) throw new Error(`the ${language} quick start did not run`);
    return found;
  };
  const succeeded = (language: QuickstartLanguage): LanguageRun & { appDir: string } => {
    const r = result(language);
    if (r.main.status !== 0 || !r.main.appDir) throw new Error(`the ${language} quick start failed: ${describeFailure(r.main)}`);
    return { ...r, appDir: r.main.appDir };
  };
  /** Output of the run block that contains `pattern`. */
  const outputOf = (language: QuickstartLanguage, pattern: RegExp): string => {
    const r = succeeded(language);
    const index = r.blocks.filter(b => b.kind === 'run').findIndex(b => pattern.test(b.body));
    if (index < 0) throw new Error(`${language}: no run block matches ${pattern}`);
    return r.main.blocks[index] ?? '';
  };

  beforeAll(async () => {
    const { tarball, wheel } = distArtifacts();
    if (!tarball || !wheel) {
      throw new MissingPackageError('No npm tarball in dist/js or wheel in dist/python: run `npx projen compile && ' +
        'npx projen package:js && npx projen package:python` (or `npx projen package-all`).');
    }
    resetNpx();
    // GIVEN a fresh directory per language, WHEN the README's steps run there (both languages at once)
    const done = await Promise.all(LANGUAGES.map(language => {
      const workdir = fs.mkdtempSync(path.join(os.tmpdir(), `quickstart-${language}-`));
      workdirs.push(workdir);
      return runLanguage(language, workdir, tarball, wheel);
    }));
    LANGUAGES.forEach((language, i) => runs.set(language, done[i]));
  }, 2 * SCRIPT_TIMEOUT_MS + 5 * 60_000);

  afterAll(() => {
    for (const dir of workdirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe.each(LANGUAGES)('%s', language => {
    test('every step succeeds: the app is created and `cdk synth` exits 0', () => {
      const r = result(language);
      if (r.main.status !== 0) throw new Error(describeFailure(r.main));
      expect(r.main.status).toBe(0);
      expect(fs.existsSync(path.join(succeeded(language).appDir, 'cdk.out', 'manifest.json'))).toBe(true);
    });

    test('on the newest tested aws-cdk-lib', () => {
      const r = succeeded(language);
      if (language === 'typescript') {
        const installed = JSON.parse(fs.readFileSync(path.join(r.appDir, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8'));
        expect(installed.version).toBe(versions.newestCdkLib);
      } else {
        // The newest release PyPI has up to CDK_NEWEST_TESTED (PyPI may lag behind npm).
        const installed = r.python?.cdkLib ?? 'none';
        expect({ installed, notNewer: compareVersions(installed, versions.newestCdkLib) <= 0 })
          .toEqual({ installed, notNewer: true });
        expect({ installed, supported: compareVersions(installed, versions.minimumCdkLib) >= 0 })
          .toEqual({ installed, supported: true });
        if (installed !== versions.newestCdkLib) {
          // eslint-disable-next-line no-console
          console.log(`PyPI has no aws-cdk-lib ${versions.newestCdkLib} yet: the Python quick start ran on ${installed}.`);
        }
      }
    });

    test('the template has the traced function and a stage with tracing enabled', () => {
      const outdir = path.join(succeeded(language).appDir, 'cdk.out');
      const functions = resources(outdir, 'AWS::Lambda::Function');
      expect(functions).toEqual([expect.objectContaining({
        Properties: expect.objectContaining({
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: 'orders', XRAY_ANNOTATION_KEYS: 'tenant_tier' }) },
        }),
      })]);
      expect(resources(outdir, 'AWS::ApiGateway::Stage')).toEqual([expect.objectContaining({
        Properties: expect.objectContaining({ StageName: 'prod', TracingEnabled: true }),
      })]);
    });

    test('XRayChecks runs: nothing in the validation report, and an untraced function added to the app fails synth', () => {
      const r = succeeded(language);
      expect(violations(path.join(r.appDir, 'cdk.out'))).toEqual([]);
      // THEN the control exits 1 with XRay-LambdaFunctionUntraced on the added function
      if (!r.control || !r.controlOutdir) throw new Error('the control did not run');
      expect({ status: r.control.status, violations: violations(r.controlOutdir) }).toEqual({
        status: 1,
        violations: [{ plugin: 'XRay', rule: 'XRay-LambdaFunctionUntraced', paths: [expect.stringMatching(/\/Untraced\/Resource$/)] }],
      });
      expect(r.control.output).toContain('XRay-LambdaFunctionUntraced');
    });

    test('`cdk-xray report` prints the function and the API as traced, and the lines the README shows', () => {
      const output = outputOf(language, /cdk-xray report cdk\.out/);
      expect(output).toMatch(/^\s*traced\s+Lambda function\s+\S+\/Orders\/Resource\s+Active; Powertools Tracer/m);
      expect(output).toMatch(/^\s*traced\s+REST API\s+\S+\/Api\/Resource\s+stage prod: TracingEnabled/m);
      const r = succeeded(language);
      const runBlocks: QuickstartBlock[] = r.blocks.filter(b => b.kind === 'run');
      const outputs = r.blocks.flatMap((b, i) => (b.kind === 'output' ? [{ expected: b.body, run: r.blocks[i - 1] }] : []));
      expect(outputs.length).toBeGreaterThan(0);
      for (const { expected, run } of outputs) {
        const actual = r.main.blocks[runBlocks.indexOf(run)] ?? '';
        expect({ block: run.body, missing: missingOutputLines(expected, actual) }).toEqual({ block: run.body, missing: [] });
      }
    });
  });
});
