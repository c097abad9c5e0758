import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MONTHLY_BUDGET_USD, REQUESTS_PER_SECOND_BY_RULE } from '../../examples/ci-policy/stack';
import { checkFindings, inSynthFindings, run } from '../cli/helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter(name => fs.existsSync(path.join(ROOT, 'examples', name, 'app.ts')))
  .sort();
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-xray-check-examples-'));

/** Runs an example as its own process, as a user would (see examples.test.ts). */
function synthExample(name: string, outdir = path.join(OUT, name), context?: Record<string, string>): string {
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--project', path.join(ROOT, 'test', 'tsconfig.json'),
    path.join(ROOT, 'examples', name, 'app.ts')], {
    env: { ...process.env, ...(context ? { CDK_CONTEXT_JSON: JSON.stringify(context) } : {}), CDK_OUTDIR: outdir, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' },
    stdio: 'pipe',
  });
  return outdir;
}

/** The example's `xray-checks.json`: the options its app gives `XRayChecks`, for `check`. */
function configArgs(name: string): string[] {
  const file = path.join(ROOT, 'examples', name, 'xray-checks.json');
  return fs.existsSync(file) ? ['--config', file] : [];
}

describe.each(EXAMPLES)('cdk-xray check on example %s', (name) => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthExample(name);
  });

  test('finds what XRayChecks found in its synthesis, finding by finding (rule id, path, level, message)', () => {
    expect(checkFindings(outdir, configArgs(name))).toEqual(inSynthFindings(outdir));
  });

  test('exits 0, as the synthesis passed', () => {
    expect(run(['check', outdir, ...configArgs(name)]).code).toBe(0);
  });
});

test('examples/ci-policy/xray-checks.json holds the options the app gives XRayChecks', () => {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'ci-policy', 'xray-checks.json'), 'utf8'));
  expect(config).toEqual({ $schema: expect.any(String), monthlyBudgetUsd: MONTHLY_BUDGET_USD, requestsPerSecondByRule: REQUESTS_PER_SECOND_BY_RULE });
});

test('without its config, the ci-policy example\'s traffic is not checked against a budget', () => {
  const outdir = path.join(OUT, 'ci-policy');
  const ids = (args: string[]) => JSON.parse(run(['check', outdir, '--format', 'json', ...args]).stdout).findings.map((f: any) => f.ruleId);
  expect(ids(configArgs('ci-policy')).filter((id: string) => id.startsWith('XRay-TraceCostBudget')).length).toBeGreaterThan(0);
  expect(ids([]).filter((id: string) => id.startsWith('XRay-TraceCostBudget'))).toEqual([]);
});

test('the ci-policy example\'s findings are all there, acknowledged as its app acknowledges them', () => {
  const findings = JSON.parse(run(['check', path.join(OUT, 'ci-policy'), '--format', 'json', ...configArgs('ci-policy')]).stdout).findings;
  expect(findings.length).toBeGreaterThan(0);
  expect(findings.filter((f: any) => typeof f.acknowledged !== 'string' || f.acknowledged.length === 0)).toEqual([]);
});

test('the ci-policy example without its acknowledgments: check fails with the three findings its synthesis fails with', () => {
  // GIVEN the synthesis failing on its findings (exit 1)
  const outdir = path.join(OUT, 'ci-policy-gate');
  expect(() => synthExample('ci-policy', outdir, { acknowledge: 'false' })).toThrow();
  const inSynth = inSynthFindings(outdir);
  expect(inSynth.map(f => f.split(' ').slice(0, 2).join(' '))).toEqual([
    'XRay-AnnotationKeyPolicy[denied:customer_email] CiPolicy/Checkout/Resource',
    'XRay-LambdaFunctionUntraced CiPolicy/Reports/Resource',
    'XRay-TraceCostBudget CiPolicy/Everything/Resource',
  ]);
  // THEN check finds the same, finding by finding, and exits 1
  expect(checkFindings(outdir, configArgs('ci-policy'))).toEqual(inSynth);
  expect(run(['check', outdir, ...configArgs('ci-policy')]).code).toBe(1);
});
