import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the ci-policy app as CI would, and returns its exit code and the violations it reported. */
function synth(acknowledge: boolean): { status: number | null; violations: Array<{ rule: string; paths: string[] }> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-policy-'));
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--project', path.join(ROOT, 'test', 'tsconfig.json'),
    path.join(ROOT, 'examples', 'ci-policy', 'app.ts')], {
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ acknowledge: String(acknowledge) }) },
    encoding: 'utf8',
  });
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((r: any) => r.violations)
    .map((v: any) => ({ rule: v.ruleName, paths: v.violatingConstructs.map((c: any) => c.constructPath) }));
  return { status: result.status, violations };
}

describe('examples/ci-policy: the CI gate', () => {
  test('synthesis fails with exactly the three findings: untraced function, denied annotation key, over-budget rule', () => {
    const { status, violations } = synth(false);
    expect(status).toBe(1);
    expect(violations).toEqual([
      { rule: 'XRay-LambdaFunctionUntraced', paths: ['CiPolicy/Reports/Resource'] },
      { rule: 'XRay-AnnotationKeyPolicy[denied:customer_email]', paths: ['CiPolicy/Checkout/Resource'] },
      { rule: 'XRay-TraceCostBudget', paths: ['CiPolicy/Everything/Resource'] },
    ]);
  });

  test('the acknowledged version passes', () => {
    const { status, violations } = synth(true);
    expect(violations).toEqual([]);
    expect(status).toBe(0);
  });
});
