import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { XRayChecks } from '../../src';
import { main } from '../../src/cli/cdk-xray';

/** Runs `cdk-xray` in-process. */
export function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { code, stdout, stderr };
}

/** Synthesizes `app` with `XRayChecks` as its validation plugin; returns its in-synth findings from validation-report.json. */
export function synthWithPack(app: App, outdir: string, pack: XRayChecks = new XRayChecks(app)): string[] {
  Validations.of(app).addPlugins(pack);
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const exitCode = process.exitCode;
  try {
    app.synth();
  } catch (e: any) {
    if (e?.name !== 'ValidationFailed') {
      throw e;
    }
  } finally {
    process.exitCode = exitCode;
    errors.mockRestore();
  }
  return inSynthFindings(outdir);
}

/** The `XRay` plugin's violations in `validation-report.json`, one line per construct: rule id, path, level, message. */
export function inSynthFindings(outdir: string): string[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const plugin = report.pluginReports.find((r: any) => r.pluginName === 'XRay');
  return (plugin?.violations ?? []).flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((r: any) => `${v.ruleName} ${r.constructPath} ${v.severity} ${v.description}`)).sort();
}

/** The unacknowledged findings of `cdk-xray check --format json`, in the same form. */
export function checkFindings(outdir: string, extra: string[] = []): string[] {
  const { stdout, stderr } = run(['check', outdir, '--format', 'json', ...extra]);
  expect(stderr).toBe('');
  return JSON.parse(stdout).findings.filter((f: any) => f.acknowledged === undefined)
    .map((f: any) => `${f.ruleId} ${f.path} ${f.level} ${f.message}`).sort();
}

