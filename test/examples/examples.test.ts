import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCloudAssembly } from '../../src/report/assembly';
import { cfnLint, KNOWN_CFN_LINT_WARNINGS } from '../util/cfn-lint';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter(name => fs.existsSync(path.join(ROOT, 'examples', name, 'app.ts')))
  .sort();
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-xray-examples-'));

/** Runs an example exactly as a user would: its own process, no credentials, CDK_OUTDIR. */
function synthExample(name: string): string {
  const outdir = path.join(OUT, name);
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--project', path.join(ROOT, 'test', 'tsconfig.json'),
    path.join(ROOT, 'examples', name, 'app.ts')], {
    env: { ...process.env, CDK_OUTDIR: outdir, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' },
    stdio: 'pipe',
  });
  return outdir;
}

describe.each(EXAMPLES)('example %s', (name) => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthExample(name);
  });

  test('synthesizes as its own process without credentials', () => {
    expect(readCloudAssembly(outdir).stacks.length).toBeGreaterThan(0);
  });

  test('cfn-lint: 0 errors, and only warnings plain aws-cdk-lib output draws too', () => {
    const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).map(f => path.join(outdir, f));
    const findings = cfnLint(files);
    expect(findings.filter(f => f.rule.startsWith('E'))).toEqual([]);
    expect(findings.filter(f => !f.rule.startsWith('E') && !(f.rule in KNOWN_CFN_LINT_WARNINGS))).toEqual([]);
  });

  test('the validation plugins (XRayChecks, and cdk-nag AwsSolutions where registered) found nothing', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, 'examples', name, 'app.ts'), 'utf8')).toMatch(/Validations\.of\(app\)\.addPlugins\([^;]*new XRayChecks\(app/);
  });
});

test('the CDK CLI synthesizes an example offline (cdk synth --app ...)', () => {
  const outdir = path.join(OUT, 'cli');
  const app = `${process.execPath} ${require.resolve('ts-node/dist/bin.js')} --project ${path.join(ROOT, 'test', 'tsconfig.json')} ${path.join(ROOT, 'examples', 'serverless-api', 'app.ts')}`;
  execFileSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'synth', '--app', app, '--no-notices', '--quiet', '-o', outdir], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: 'pipe',
  });
  expect(readCloudAssembly(outdir).stacks.map(s => s.stackName)).toEqual(['ServerlessApi']);
});
