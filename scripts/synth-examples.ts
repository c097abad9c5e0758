/**
 * The main job: synthesizes every example app under examples/ as its own process, exactly as a user would run it
 * (`CDK_OUTDIR=<dir> ts-node examples/<name>/app.ts`, no AWS credentials), and runs `cdk-xray report` on each cloud
 * assembly: per stack what is traced, the expected service map and the findings, and the estimated cost for the
 * example's traffic.json. The HTML report goes next to the assembly (`<outdir>/<name>/xray-report.html`).
 *
 * Usage: ts-node scripts/synth-examples.ts [outdir]   (default: cdk.out/examples)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ExitCode, main as cdkXray } from '../src/cli/cdk-xray';

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
  const trafficFile = path.join(examplesDir, name, 'traffic.json');
  const args = ['report', path.relative(process.cwd(), outdir), '--html', path.relative(process.cwd(), path.join(outdir, 'xray-report.html'))];
  if (fs.existsSync(trafficFile)) {
    args.push('--traffic', path.relative(process.cwd(), trafficFile));
  }
  const code = cdkXray(args, {
    stdout: text => process.stdout.write(text.replace(/^(?=.)/gm, '  ')),
    stderr: text => process.stderr.write(text.replace(/^(?=.)/gm, '  ')),
  });
  if (code !== ExitCode.OK) {
    failures++;
    console.error(`Example ${name}: cdk-xray report exited with ${code}`);
  }
}

if (failures > 0) {
  console.error(`${failures} example(s) failed to synthesize or report`);
  process.exit(1);
}
console.log(`${names.length} example(s) synthesized`);
