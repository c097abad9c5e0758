/**
 * Synth wall time of the same apps written in TypeScript, Python and Java (examples/serverless-api and
 * examples/ecs-fargate-adot and their twins under examples/python and examples/java), in one run, as ratios to
 * TypeScript. Every synthesis runs in its own process, as a user runs the app, interleaved across languages; median
 * of N. The TypeScript baseline is the example compiled to JavaScript against the compiled library (lib/, what the npm
 * package holds) and run with node; `ts-node --transpile-only app.ts`, which also transpiles the library's sources on
 * every run, is shown too. Needs `npx projen compile` and `npx projen package-all` first.
 *
 *
 * Then the figure that is this library's own: the synth-overhead app (python/app.py, java/BenchApp.java) with tracing
 * turned on by hand with aws-cdk-lib's props against the same app traced by EnableTracingAspect and gated by XRayChecks,
 * in Python and in Java, interleaved in one run (target: at most 1.10x).
 *
 * Usage: ts-node benchmarks/polyglot-synth/run.ts [runs=5] [stacks=6] [functionsPerStack=40]
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
// eslint-disable-next-line import/no-extraneous-dependencies -- a build tool of this repository, not of the package
import * as ts from 'typescript';
import {
  javaClasspath, PolyglotEnvironment, PolyglotExample, pythonEnvironment, ROOT, synth, SynthResult, tempDir,
} from '../../scripts/polyglot/apps';

const runs = Number(process.argv[2] ?? 5);
const benchStacks = Number(process.argv[3] ?? 6);
const benchFunctions = Number(process.argv[4] ?? 40);
const apps: PolyglotExample[] = ['serverless-api', 'ecs-fargate-adot'];

type Variant = 'javascript' | 'typescript' | 'python' | 'java';
const VARIANTS: Variant[] = ['javascript', 'typescript', 'python', 'java'];
const ASSET_DIRS: Record<PolyglotExample, string[]> = {
  'serverless-api': ['handlers'], 'ecs-fargate-adot': ['app'], 'ecs-fargate-xray-daemon': ['app'], 'ci-policy': ['handler'], 'eks-adot': [], 'application-signals': ['handlers'],
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

interface TimedRun {
  /** From process start to exit, as the user waits for it. */
  readonly processMs: number;
  /** What the app reports: from its first construct to the written assembly. */
  readonly synthMs: number;
}

/** One run of the benchmark app in Python or Java, in its own process. */
function runBenchApp(command: string, args: string[], cwd: string, outdir: string): Promise<TimedRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', status => {
      const line = stdout.trim().split('\n').reverse().find(l => l.startsWith('{'));
      if (status !== 0 || line === undefined) {
        reject(new Error(`${command} ${args.join(' ')} failed (exit ${status}):\n${(stdout + stderr).slice(-4000)}`));
        return;
      }
      resolve({ processMs: Date.now() - started, synthMs: JSON.parse(line).wallMs });
    });
  });
}

/** The library's own overhead in Python and Java: tracing by hand against EnableTracingAspect + XRayChecks. */
async function libraryOverhead(env: PolyglotEnvironment): Promise<void> {
  const classes = tempDir('polyglot-bench-java-');
  execFileSync('javac', ['-cp', env.javaClasspath, '-d', classes, path.join(__dirname, 'java', 'BenchApp.java')], { stdio: 'inherit' });
  const commands: Record<'python' | 'java', (variant: string) => [string, string[], string]> = {
    python: variant => [env.python, ['app.py', variant, String(benchStacks), String(benchFunctions)], path.join(__dirname, 'python')],
    java: variant => ['java', ['-cp', [classes, env.javaClasspath].join(path.delimiter), 'BenchApp', variant,
      String(benchStacks), String(benchFunctions)], ROOT],
  };
  const samples = new Map<string, TimedRun[]>();
  for (let i = 0; i < runs; i++) {
    for (const language of ['python', 'java'] as const) {
      for (const variant of ['by-hand', 'library']) { // interleaved
        const outdir = tempDir(`polyglot-bench-${language}-${variant}-`);
        const [command, args, cwd] = commands[language](variant);
        const run = await runBenchApp(command, args, cwd, outdir);
        fs.rmSync(outdir, { recursive: true, force: true });
        samples.set(`${language}/${variant}`, [...(samples.get(`${language}/${variant}`) ?? []), run]);
      }
    }
  }
  fs.rmSync(classes, { recursive: true, force: true });
  console.log(`\nThis library's own cost from Python and Java: the synth-overhead app (${benchStacks} stacks × ${benchFunctions} ` +
    'functions behind REST APIs, a table, a queue, a topic, a state machine and a schedule per stack) with tracing turned ' +
    `on by hand against the same app traced by EnableTracingAspect and gated by XRayChecks; median of ${runs}, interleaved.\n`);
  console.log('| language | by hand: process | by hand: synthesis | library: process | library: synthesis | ratio, process | ratio, synthesis | target |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const language of ['python', 'java']) {
    const of = (variant: string, key: keyof TimedRun) => median(samples.get(`${language}/${variant}`)!.map(r => r[key]));
    const processRatio = of('library', 'processMs') / of('by-hand', 'processMs');
    const synthRatio = of('library', 'synthMs') / of('by-hand', 'synthMs');
    console.log(`| ${language === 'python' ? 'Python' : 'Java'} | ${(of('by-hand', 'processMs') / 1000).toFixed(2)} s | ` +
      `${(of('by-hand', 'synthMs') / 1000).toFixed(2)} s | ${(of('library', 'processMs') / 1000).toFixed(2)} s | ` +
      `${(of('library', 'synthMs') / 1000).toFixed(2)} s | ${processRatio.toFixed(3)}x | ${synthRatio.toFixed(3)}x | ` +
      `<= 1.10x: ${processRatio <= 1.1 ? 'met' : 'NOT MET'} |`);
  }
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
  await libraryOverhead(env);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
