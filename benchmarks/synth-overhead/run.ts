/**
 * Synth overhead of the tracing aspect and the XRayChecks pack, and the cost of checking an app after synthesis with
 * `cdk-xray check`, measured in one run against plain aws-cdk-lib on the same generated app, on each aws-cdk-lib version
 * asked for (each synthesis in its own process, the builds interleaved; median of N). Prints every figure as a ratio to
 * plain synthesis measured in the same run, the targets next to them, a profile of where the time goes, and how
 * `cdk-xray check` grows with the size of the assembly.
 *
 * Usage: ts-node benchmarks/synth-overhead/run.ts [--cdk 2.258.0,2.276.0] [--curve 50,150,500] [--profile]
 *          [runs=5] [stacks=6] [functionsPerStack=40]
 * Needs the compiled library (`npx projen compile`) for `cdk-xray check`. Other aws-cdk-lib versions than the one in
 * node_modules are installed once into the tools cache (see ../lib/cdk-versions.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies -- a build tool of this repository, not of the package
import * as ts from 'typescript';
import { cdkRuntime, cdkVersionsFromArgs, ROOT } from '../lib/cdk-versions';
import { summarizeProfile } from '../lib/profile';

interface Sample {
  readonly variant: string;
  readonly constructs: number;
  readonly resources: number;
  readonly stacks: number;
  readonly wallMs: number;
  readonly maxRssMiB: number;
  readonly templateSha: string;
  /** When the app started building its constructs (after loading its modules), in the profiler's clock (µs). */
  readonly startedUs: number;
  /** The whole process, from spawn to exit (Node.js start-up and module loading included), as `cdk synth` waits for it. */
  readonly processMs: number;
}

interface CommandSample {
  readonly wallMs: number;
  readonly maxRssMiB: number;
  readonly status: number | null;
}

const { versions, rest } = cdkVersionsFromArgs(process.argv.slice(2));
const flag = (name: string) => {
  const i = rest.indexOf(name);
  return i < 0 ? undefined : rest.splice(i, name === '--profile' ? 1 : 2).slice(1)[0] ?? '';
};
const profile = flag('--profile') !== undefined;
const curveArg = flag('--curve');
const curve = (curveArg ?? '50,150,500').split(',').filter(s => s.length > 0).map(Number);
const [runsArg, stacksArg, functionsArg] = rest;
const runs = Number(runsArg ?? 5);
const stacks = Number(stacksArg ?? 6);
const functions = Number(functionsArg ?? 40);
const CLI = path.join(ROOT, 'lib', 'cli', 'cdk-xray.js');
const RSS_PRELOAD = path.join(__dirname, '..', 'lib', 'report-rss.js');

if (!fs.existsSync(CLI)) {
  throw new Error(`${CLI} is missing: run \`npx projen compile\` first (the benchmark runs the compiled library).`);
}

// The app runs as JavaScript against the compiled library (lib/, what the npm package holds), as users run it: no
// transpiling in the measured processes.
const APP = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-overhead-app-'));
  const { outputText } = ts.transpileModule(fs.readFileSync(path.join(__dirname, 'app.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const file = path.join(dir, 'app.js');
  fs.writeFileSync(file, outputText.replace(/require\("\.\.\/\.\.\/src"\)/g, `require(${JSON.stringify(path.join(ROOT, 'lib'))})`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
})();

function synth(version: string, variant: string, stackCount: number, functionsPerStack: number, keep = false,
  extraNodeArgs: string[] = []): Sample & { readonly outdir: string } {
  const runtime = cdkRuntime(version);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `synth-overhead-${variant}-`));
  const spawned = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [
    ...runtime.nodeArgs, ...extraNodeArgs,
    APP, variant, String(stackCount), String(functionsPerStack), outdir,
  ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...runtime.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
  const processMs = Number(process.hrtime.bigint() - spawned) / 1e6;
  if (!keep) {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) {
    throw new Error(`${variant} synthesis on aws-cdk-lib ${version} produced no figures (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  if (/PossibleInfiniteLoopDetected/.test(result.stderr)) {
    throw new Error(`${variant}: PossibleInfiniteLoopDetected`);
  }
  return { ...JSON.parse(line), outdir, processMs };
}

/** One run of the compiled `cdk-xray` on an assembly, timed from process start to exit, peak memory from the child. */
function command(args: string[]): CommandSample {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-xray-rss-')), 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', RSS_PRELOAD, CLI, ...args], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BENCH_RSS_FILE: rssFile },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status === null || result.status > 1) {
    throw new Error(`cdk-xray ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  }
  const maxRssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { wallMs, maxRssMiB, status: result.status };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const VARIANTS = ['plain', 'by-hand', 'tracing', 'aspect', 'checks', 'noop-plugin', 'nag'];
const LABEL: Record<string, string> = {
  'plain': 'plain aws-cdk-lib',
  'by-hand': 'plain aws-cdk-lib, tracing turned on by hand with its own props',
  'tracing': '+ EnableTracingAspect + XRayChecks',
  'aspect': '+ EnableTracingAspect only',
  'checks': '+ XRayChecks only',
  'noop-plugin': '+ a validation plugin that checks nothing (aws-cdk-lib\'s validation step)',
  'nag': '+ cdk-nag AwsSolutionsChecks alone',
  'check': '`cdk-xray check` on the plain assembly',
  'report': '`cdk-xray report --strict` on the plain assembly',
};

const verdict = (ok: boolean) => ok ? 'met' : 'NOT MET';
const summary: string[] = [];

for (const version of versions) {
  const samples: Record<string, Sample[]> = Object.fromEntries(VARIANTS.map(v => [v, []]));
  const commands: Record<string, CommandSample[]> = { check: [], report: [] };
  for (let i = 0; i < runs; i++) {
    for (const variant of VARIANTS) { // interleaved, so drift in the machine's load hits every build alike
      const sample = synth(version, variant, stacks, functions, variant === 'plain');
      samples[variant].push(sample);
      if (variant === 'plain') {
        commands.check.push(command(['check', sample.outdir]));
        commands.report.push(command(['report', sample.outdir, '--strict', '--format', 'json']));
        fs.rmSync(sample.outdir, { recursive: true, force: true });
      }
    }
  }
  const wallOf = (variant: string) => variant in commands
    ? median(commands[variant].map(s => s.wallMs)) : median(samples[variant].map(s => s.wallMs));
  const rssOf = (variant: string) => variant in commands
    ? median(commands[variant].map(s => s.maxRssMiB)) : median(samples[variant].map(s => s.maxRssMiB));
  const plain = samples.plain[0];
  console.log(`\n## aws-cdk-lib ${version}\n`);
  console.log(`Generated app: ${stacks} stacks, ${stacks * functions} functions behind REST APIs, a table, a queue, a topic, ` +
    `a state machine and a schedule per stack: ${plain.constructs} constructs, ${plain.resources} resources (plain); ` +
    `median of ${runs} runs, each in its own process.\n`);
  const processOf = (variant: string) => variant in commands
    ? median(commands[variant].map(s => s.wallMs)) : median(samples[variant].map(s => s.processMs));
  console.log('Synthesis: from the first construct to the written assembly; process: from spawn to exit, Node.js start-up and ' +
    'module loading included (what `cdk synth` waits for). The commands are timed as whole processes.\n');
  console.log('| build | resources | median synthesis | ratio to plain | median process | ratio to plain | median peak memory | ratio to plain |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const variant of [...VARIANTS, 'check', 'report']) {
    const resources = variant in commands ? plain.resources : samples[variant][0].resources;
    const synthesis = variant in commands ? '' : `${(wallOf(variant) / 1000).toFixed(2)} s`;
    const synthesisRatio = variant in commands ? '' : `${(wallOf(variant) / wallOf('plain')).toFixed(3)}x`;
    console.log(`| ${LABEL[variant]} | ${resources} | ${synthesis} | ${synthesisRatio} | ${(processOf(variant) / 1000).toFixed(2)} s | ` +
      `${(processOf(variant) / processOf('plain')).toFixed(3)}x | ${rssOf(variant).toFixed(0)} MiB | ${(rssOf(variant) / rssOf('plain')).toFixed(3)}x |`);
  }
  const checks = wallOf('checks') / wallOf('plain');
  const noop = wallOf('noop-plugin') / wallOf('plain');
  const aspect = wallOf('aspect') / wallOf('by-hand');
  // A command against the whole plain `cdk synth` process, like for like (and against the synthesis alone, stricter).
  const check = processOf('check') / processOf('plain');
  const checkStrict = processOf('check') / wallOf('plain');
  const checkRss = rssOf('check') / rssOf('plain');
  const lines = [
    `XRayChecks in synthesis: ${checks.toFixed(3)}x plain (target <= 1.02x; a plugin that checks nothing: ${noop.toFixed(3)}x) — ${verdict(checks <= 1.02)}`,
    `EnableTracingAspect: ${aspect.toFixed(3)}x the same tracing written by hand (target <= 1.00x) — ${verdict(aspect <= 1.0)}`,
    `cdk-xray check: ${check.toFixed(3)}x the plain synth process (target <= 0.05x) — ${verdict(check <= 0.05)}; ` +
      `${checkStrict.toFixed(3)}x the synthesis alone`,
    `cdk-xray check peak memory: ${checkRss.toFixed(3)}x plain synthesis's (target < 0.5x) — ${verdict(checkRss < 0.5)}`,
    `aspect + checks: ${(wallOf('tracing') / wallOf('by-hand')).toFixed(3)}x tracing by hand; ` +
      `XRayChecks against the plugin that checks nothing: ${(wallOf('checks') / wallOf('noop-plugin')).toFixed(3)}x`,
  ];
  console.log('\n' + lines.join('\n'));
  summary.push(...lines.slice(0, 4).map(l => `aws-cdk-lib ${version}: ${l}`));

  if (profile) {
    // Where the time of a synthesis with the aspect and the pack goes, by area (self time of the sampled functions).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-overhead-profile-'));
    const sample = synth(version, 'tracing', stacks, functions, false, ['--cpu-prof', '--cpu-prof-dir', dir]);
    const file = fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'));
    if (file !== undefined) {
      console.log(`\nWhere the time goes (aws-cdk-lib ${version}, aspect + checks, one synthesis under --cpu-prof, self time from the first construct to the written assembly, module loading left out):\n`);
      console.log(summarizeProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), ROOT, sample.startedUs));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `cdk-xray check` against the size of the assembly, on the last version asked for: stacks of the same shape with
// 4 functions each, checked 3 times each.
const version = versions[versions.length - 1];
console.log(`\n## cdk-xray check and the size of the assembly (aws-cdk-lib ${version})\n`);
console.log('| stacks | resources | median check time | per 1,000 resources | median peak memory |');
console.log('|---:|---:|---:|---:|---:|');
const perThousand: number[] = [];
for (const count of curve) {
  const assembly = synth(version, 'plain', count, 4, true);
  const timed = [0, 1, 2].map(() => command(['check', assembly.outdir]));
  fs.rmSync(assembly.outdir, { recursive: true, force: true });
  const wall = median(timed.map(t => t.wallMs));
  perThousand.push(wall / assembly.resources * 1000);
  console.log(`| ${count} | ${assembly.resources} | ${(wall / 1000).toFixed(2)} s | ${(wall / assembly.resources).toFixed(1)} s | ` +
    `${median(timed.map(t => t.maxRssMiB)).toFixed(0)} MiB |`);
}
if (perThousand.length > 1) {
  const growth = perThousand[perThousand.length - 1] / perThousand[0];
  const line = `cdk-xray check per resource at ${curve[curve.length - 1]} stacks: ${growth.toFixed(2)}x that at ${curve[0]} stacks ` +
    `(linear: <= 1.25x) — ${verdict(growth <= 1.25)}`;
  console.log('\n' + line);
  summary.push(line);
}

const once = synth(version, 'tracing', 2, 5);
const twice = synth(version, 'twice', 2, 5);
console.log(`\nAspect applied twice: ${once.templateSha === twice.templateSha ? 'same templates' : 'DIFFERENT templates'} (sha256 ${once.templateSha.slice(0, 12)})`);
const many = synth(version, 'tracing', 150, 2);
console.log(`150 stacks with the aspect and the checks: ${many.stacks} stacks, ${many.constructs} constructs, synthesized in ` +
  `${(many.wallMs / 1000).toFixed(2)} s, ${many.maxRssMiB.toFixed(0)} MiB, no PossibleInfiniteLoopDetected`);
console.log(`\n## Targets\n\n${summary.join('\n')}`);
if (once.templateSha !== twice.templateSha) {
  process.exitCode = 1;
}
