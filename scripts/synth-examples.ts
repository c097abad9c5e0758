/**
 * The main job: synthesizes every example app under examples/ as its own process, exactly as a user would run it
 * (`CDK_OUTDIR=<dir> ts-node examples/<name>/app.ts`, no AWS credentials), and prints per stack what is traced.
 *
 * Usage: ts-node scripts/synth-examples.ts [outdir]   (default: cdk.out/examples)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readAssembly, renderSummary, StackSummary, summarizeTemplate } from './lib/trace-summary';
import { TraceCostEstimate } from '../src/cost';

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
  for (const { stackName, template } of readAssembly(outdir)) {
    const summary = summarizeTemplate(stackName, template);
    console.log(renderSummary(summary).replace(/^/gm, '  '));
    if (fs.existsSync(trafficFile) && summary.samplingRules.length > 0) {
      console.log(estimateCost(summary, JSON.parse(fs.readFileSync(trafficFile, 'utf8'))).replace(/^/gm, '    '));
    }
  }
}
/** The estimated monthly cost of a stack's sampling rules for the traffic profile in the example's traffic.json. */
function estimateCost(summary: StackSummary, profile: any): string {
  const traffic = summary.samplingRules
    .filter(r => profile.rules?.[r.ruleName] !== undefined)
    .map(r => ({
      name: r.ruleName,
      requestsPerSecond: profile.rules[r.ruleName].requestsPerSecond,
      errorRatio: profile.rules[r.ruleName].errorRatio,
      fixedRate: r.fixedRate,
      reservoirPerSecond: r.reservoirSize,
    }));
  const estimate = TraceCostEstimate.fromTraffic({
    traffic,
    retrievedTracesPerMonth: profile.retrievedTracesPerMonth,
    scannedTracesPerMonth: profile.scannedTracesPerMonth,
    insightsEnabled: profile.insightsEnabled,
  });
  return `Estimated monthly X-Ray cost (traffic.json):\n${estimate.toTable()}`;
}

if (failures > 0) {
  console.error(`${failures} example(s) failed to synthesize`);
  process.exit(1);
}
console.log(`${names.length} example(s) synthesized`);
