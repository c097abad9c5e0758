/**
 * The main job: synthesizes every example app under examples/ as its own process, exactly as a user would run it
 * (`CDK_OUTDIR=<dir> ts-node examples/<name>/app.ts`, no AWS credentials), and prints per stack what is traced.
 *
 * Usage: ts-node scripts/synth-examples.ts [outdir]   (default: cdk.out/examples)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readAssembly, renderSummary, summarizeTemplate } from './lib/trace-summary';

const root = path.resolve(__dirname, '..');
const outRoot = path.resolve(process.argv[2] ?? path.join(root, 'cdk.out', 'examples'));
const examplesDir = path.join(root, 'examples');
const names = fs.readdirSync(examplesDir).filter(n => fs.existsSync(path.join(examplesDir, n, 'app.ts'))).sort();

let failures = 0;
for (const name of names) {
  const outdir = path.join(outRoot, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  try {
    execFileSync(process.execPath, [
      require.resolve('ts-node/dist/bin.js'), '--project', path.join(root, 'test', 'tsconfig.json'),
      path.join(examplesDir, name, 'app.ts'),
    ], { env: { ...process.env, CDK_OUTDIR: outdir, CDK_DISABLE_CLI_TELEMETRY: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    failures++;
    console.error(`Example ${name}: synthesis FAILED\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    continue;
  }
  console.log(`Example ${name} (synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s into ${path.relative(root, outdir)})`);
  for (const { stackName, template } of readAssembly(outdir)) {
    console.log(renderSummary(summarizeTemplate(stackName, template)).replace(/^/gm, '  '));
  }
}
if (failures > 0) {
  console.error(`${failures} example(s) failed to synthesize`);
  process.exit(1);
}
console.log(`${names.length} example(s) synthesized`);
