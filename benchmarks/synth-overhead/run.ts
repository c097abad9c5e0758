/**
 * Synth overhead of the tracing aspect and the XRayChecks pack, measured in one run against plain aws-cdk-lib and
 * against cdk-nag's AwsSolutionsChecks on the same generated app (each synthesis in its own process; median of N).
 *
 * Usage: ts-node benchmarks/synth-overhead/run.ts [runs=7] [stacks=6] [functionsPerStack=60]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Sample {
  readonly variant: string;
  readonly constructs: number;
  readonly stacks: number;
  readonly wallMs: number;
  readonly maxRssMiB: number;
  readonly templateSha: string;
}

const [runsArg, stacksArg, functionsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 7);
const stacks = Number(stacksArg ?? 6);
const functions = Number(functionsArg ?? 60);
const ROOT = path.resolve(__dirname, '..', '..');

function synth(variant: string, stackCount: number, functionsPerStack: number): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `synth-overhead-${variant}-`));
  const result = spawnSync(process.execPath, [
    require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', path.join(ROOT, 'test', 'tsconfig.json'),
    path.join(__dirname, 'app.ts'), variant, String(stackCount), String(functionsPerStack), outdir,
  ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  fs.rmSync(outdir, { recursive: true, force: true });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) {
    throw new Error(`${variant} synthesis produced no figures (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  if (/PossibleInfiniteLoopDetected/.test(result.stderr)) {
    throw new Error(`${variant}: PossibleInfiniteLoopDetected`);
  }
  return JSON.parse(line);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const variants = ['plain', 'by-hand', 'tracing', 'aspect', 'checks', 'noop-plugin', 'nag'];
const samples: Record<string, Sample[]> = Object.fromEntries(variants.map(v => [v, []]));
for (let i = 0; i < runs; i++) {
  for (const variant of variants) { // interleaved, so drift in the machine's load hits every variant alike
    samples[variant].push(synth(variant, stacks, functions));
  }
}

const label: Record<string, string> = {
  'plain': 'plain aws-cdk-lib',
  'by-hand': 'plain aws-cdk-lib, tracing turned on by hand with its own props',
  'tracing': '+ EnableTracingAspect + XRayChecks',
  'aspect': '+ EnableTracingAspect only',
  'checks': '+ XRayChecks only',
  'noop-plugin': '+ a validation plugin that checks nothing (aws-cdk-lib\'s validation step)',
  'nag': '+ cdk-nag AwsSolutionsChecks alone',
};
const plainWall = median(samples.plain.map(s => s.wallMs));
const plainRss = median(samples.plain.map(s => s.maxRssMiB));
console.log(`Generated app: ${samples.plain[0].constructs} constructs in ${stacks} stacks (${functions} functions behind a REST API, ` +
  `a topic and a state machine per stack); median of ${runs} runs, each in its own process.\n`);
console.log('| build | constructs | median synth wall time | ratio | median peak memory | ratio |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const variant of variants) {
  const wall = median(samples[variant].map(s => s.wallMs));
  const rss = median(samples[variant].map(s => s.maxRssMiB));
  console.log(`| ${label[variant]} | ${samples[variant][0].constructs} | ${(wall / 1000).toFixed(2)} s | ${(wall / plainWall).toFixed(3)}x | ` +
    `${rss.toFixed(0)} MiB | ${(rss / plainRss).toFixed(3)}x |`);
}

// The aspect adds resources (log groups, the stack's X-Ray policy, resource policies) that take synthesis time of their
// own; against the same tracing written by hand its cost is what is left. The pack's own cost is what it adds on top of
// aws-cdk-lib's validation step, which any plugin pays.
const wallOf = (variant: string) => median(samples[variant].map(s => s.wallMs));
console.log(`\nEnableTracingAspect against the same tracing by hand: ${(wallOf('aspect') / wallOf('by-hand')).toFixed(3)}x; ` +
  `XRayChecks against a plugin that checks nothing: ${(wallOf('checks') / wallOf('noop-plugin')).toFixed(3)}x; ` +
  `aspect + checks against tracing by hand: ${(wallOf('tracing') / wallOf('by-hand')).toFixed(3)}x`);

const once = synth('tracing', 2, 5);
const twice = synth('twice', 2, 5);
console.log(`\nAspect applied twice: ${once.templateSha === twice.templateSha ? 'same templates' : 'DIFFERENT templates'} (sha256 ${once.templateSha.slice(0, 12)})`);
const many = synth('tracing', 150, 2);
console.log(`150 stacks with the aspect and the checks: ${many.stacks} stacks, ${many.constructs} constructs, synthesized in ` +
  `${(many.wallMs / 1000).toFixed(2)} s, ${many.maxRssMiB.toFixed(0)} MiB, no PossibleInfiniteLoopDetected`);
if (once.templateSha !== twice.templateSha) {
  process.exitCode = 1;
}
