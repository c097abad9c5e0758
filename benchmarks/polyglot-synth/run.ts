/**
 * Synth wall time of the same apps written in TypeScript, Python and Java (examples/serverless-api and
 * examples/ecs-fargate-adot and their twins under examples/python and examples/java), in one run, as ratios to
 * TypeScript. Every synthesis runs in its own process, as a user runs the app, interleaved across languages; median
 * of N. The TypeScript baseline is the example compiled to JavaScript against the compiled library (lib/, what the npm
 * package holds) and run with node; `ts-node --transpile-only app.ts`, which also transpiles the library's sources on
 * every run, is shown too. Needs `npx projen compile` and `npx projen package-all` first.
 *
 * Usage: ts-node benchmarks/polyglot-synth/run.ts [runs=5]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
// eslint-disable-next-line import/no-extraneous-dependencies -- a build tool of this repository, not of the package
import * as ts from 'typescript';
import {
  javaClasspath, PolyglotEnvironment, PolyglotExample, pythonEnvironment, ROOT, synth, SynthResult, tempDir,
} from '../../scripts/polyglot/apps';

const runs = Number(process.argv[2] ?? 5);
const apps: PolyglotExample[] = ['serverless-api', 'ecs-fargate-adot'];

type Variant = 'javascript' | 'typescript' | 'python' | 'java';
const VARIANTS: Variant[] = ['javascript', 'typescript', 'python', 'java'];
const ASSET_DIRS: Record<PolyglotExample, string[]> = {
  'serverless-api': ['handlers'], 'ecs-fargate-adot': ['app'], 'ecs-fargate-xray-daemon': ['app'], 'ci-policy': ['handler'], 'eks-adot': [],
};

/** The TypeScript example transpiled to JavaScript, importing the compiled library; returns the app.js to run. */
function compileToJavaScript(example: PolyglotExample, outRoot: string): string {
  const source = path.join(ROOT, 'examples', example);
  const out = path.join(outRoot, example);
  fs.mkdirSync(out, { recursive: true });
  for (const file of ['app.ts', 'stack.ts']) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(source, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.writeFileSync(path.join(out, file.replace(/\.ts$/, '.js')),
      outputText.replace(/require\("\.\.\/\.\.\/src"\)/g, `require(${JSON.stringify(path.join(ROOT, 'lib'))})`));
  }
  for (const dir of ASSET_DIRS[example]) {
    fs.cpSync(path.join(source, dir), path.join(out, dir), { recursive: true });
  }
  return path.join(out, 'app.js');
}

function runJavaScript(appJs: string, outdir: string): Promise<SynthResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [appJs], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => { output += chunk; });
    child.stderr.on('data', chunk => { output += chunk; });
    child.on('error', reject);
    child.on('close', status => resolve({ status, output, outdir, wallMs: Date.now() - started }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  let started = performance.now();
  const python = pythonEnvironment();
  const pythonSetupMs = performance.now() - started;
  started = performance.now();
  const classpath = javaClasspath();
  const javaBuildMs = performance.now() - started;
  const env: PolyglotEnvironment = { python, javaClasspath: classpath };
  const jsRoot = tempDir('polyglot-bench-js-');
  const appJs = Object.fromEntries(apps.map(app => [app, compileToJavaScript(app, jsRoot)]));

  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    for (const app of apps) {
      for (const language of VARIANTS) { // interleaved, so drift in the machine's load hits every language alike
        const outdir = tempDir(`polyglot-bench-${language}-`);
        const result = language === 'javascript' ? await runJavaScript(appJs[app], outdir) : await synth(env, language, app, outdir);
        fs.rmSync(outdir, { recursive: true, force: true });
        if (result.status !== 0) {
          throw new Error(`${language} ${app} synthesis failed (exit ${result.status}):\n${result.output.slice(-4000)}`);
        }
        const key = `${app}/${language}`;
        samples.set(key, [...(samples.get(key) ?? []), result.wallMs]);
      }
    }
  }

  fs.rmSync(jsRoot, { recursive: true, force: true });

  const label: Record<Variant, string> = {
    javascript: 'TypeScript, compiled (node app.js)',
    typescript: 'TypeScript (ts-node --transpile-only app.ts)',
    python: 'Python (python app.py)',
    java: 'Java (java -cp ... App)',
  };
  console.log(`Synth wall time per app and language, each synthesis in its own process; median of ${runs}, interleaved.\n`);
  console.log('| app | language | median synth wall time | ratio to TypeScript, compiled |');
  console.log('|---|---|---:|---:|');
  for (const app of apps) {
    const baseline = median(samples.get(`${app}/javascript`)!);
    for (const language of VARIANTS) {
      const wall = median(samples.get(`${app}/${language}`)!);
      console.log(`| ${app} | ${label[language]} | ${(wall / 1000).toFixed(2)} s | ${(wall / baseline).toFixed(2)}x |`);
    }
  }
  console.log(`\nOnce per machine or build, not in the figures: Python environment ${(pythonSetupMs / 1000).toFixed(1)} s ` +
    `(cached after the first run), Java compile (mvn) ${(javaBuildMs / 1000).toFixed(1)} s.`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
