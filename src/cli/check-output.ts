import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { AssemblyFinding } from '../checks/assembly-findings';
import { ruleIdOf } from '../checks/evaluate';
import { NagMessageLevel } from '../checks/nag-values';
import { RULES } from '../checks/rule-table';

/** The outputs of `cdk-xray check`: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs. */

/** What a run found, as every output shows it. */
export interface CheckResult {
  /** The assembly directory as given on the command line. */
  readonly assembly: string;
  readonly findings: readonly AssemblyFinding[];
  /** Whether Warning-level findings fail the check. */
  readonly warningsFail: boolean;
  /** Whether the check fails: an unacknowledged finding at a failing level. */
  readonly fails: boolean;
  readonly version: string;
}

const LEVEL_NAMES: Record<NagMessageLevel, string> = {
  [NagMessageLevel.ERROR]: 'error',
  [NagMessageLevel.WARN]: 'warning',
  [NagMessageLevel.INFO]: 'info',
};

const SARIF_LEVELS: Record<NagMessageLevel, 'error' | 'warning' | 'note'> = {
  [NagMessageLevel.ERROR]: 'error',
  [NagMessageLevel.WARN]: 'warning',
  [NagMessageLevel.INFO]: 'note',
};

/** `error`, `warning` or `info`. */
export function levelName(level: NagMessageLevel): string {
  return LEVEL_NAMES[level];
}

/** The rule of a finding id: `XRay-AnnotationKeyPolicy[denied:user_email]` -> `XRay-AnnotationKeyPolicy`. */
export function baseRuleId(findingId: string): string {
  const bracket = findingId.indexOf('[');
  return bracket < 0 ? findingId : findingId.slice(0, bracket);
}

function where(f: AssemblyFinding): string {
  return f.path ?? `${f.stackId}/${f.logicalId ?? ''}`;
}

/** One line per finding, open ones first, then the acknowledged ones with their reasons, and a summary line. */
export function renderCheckText(result: CheckResult): string {
  const open = result.findings.filter(f => f.acknowledged === undefined);
  const acknowledged = result.findings.filter(f => f.acknowledged !== undefined);
  const lines: string[] = [];
  for (const f of open) {
    lines.push(`[${levelName(f.level)}] ${f.ruleId} ${where(f)} (${f.templateFile}${f.logicalId !== undefined ? ` ${f.logicalId}` : ''})`);
    lines.push(`  ${f.message}`);
  }
  for (const f of acknowledged) {
    lines.push(`[acknowledged] ${f.ruleId} ${where(f)}: ${f.acknowledged}`);
  }
  const count = (level: NagMessageLevel) => open.filter(f => f.level === level).length;
  lines.push(`${open.length === 0 ? 'No findings' : `${open.length} finding(s)`}: ${count(NagMessageLevel.ERROR)} error(s), ` +
    `${count(NagMessageLevel.WARN)} warning(s), ${count(NagMessageLevel.INFO)} info; ${acknowledged.length} acknowledged. ` +
    `${result.fails ? 'FAILED' : 'Passed'} (${result.warningsFail ? 'errors and warnings fail' : 'errors fail'}).`);
  return lines.join('\n') + '\n';
}

/** The JSON document of `--format json`, schemaVersion 1. */
export function renderCheckJson(result: CheckResult): string {
  const open = result.findings.filter(f => f.acknowledged === undefined);
  const count = (level: NagMessageLevel) => open.filter(f => f.level === level).length;
  return JSON.stringify({
    schemaVersion: 1,
    assembly: result.assembly,
    passed: !result.fails,
    warningsFail: result.warningsFail,
    totals: {
      errors: count(NagMessageLevel.ERROR),
      warnings: count(NagMessageLevel.WARN),
      info: count(NagMessageLevel.INFO),
      acknowledged: result.findings.length - open.length,
    },
    findings: result.findings.map(f => ({
      ruleId: f.ruleId,
      level: levelName(f.level),
      message: f.message,
      fix: f.fix,
      stackId: f.stackId,
      templateFile: f.templateFile,
      ...(f.logicalId !== undefined ? { logicalId: f.logicalId } : {}),
      ...(f.path !== undefined ? { path: f.path } : {}),
      ...(f.acknowledged !== undefined ? { acknowledged: f.acknowledged } : {}),
      ...(f.metadata !== undefined ? { metadata: f.metadata } : {}),
    })),
  }, null, 2) + '\n';
}

/** The base URI id of the assembly directory, when it is not under the working directory. */
export const ASSEMBLY_URI_BASE = 'CDK_ASSEMBLY';
/** The base URI id of the working directory (the repository root in CI). */
export const SOURCE_ROOT_URI_BASE = '%SRCROOT%';

/**
 * The SARIF 2.1.0 log of a run: every rule of the pack in `tool.driver.rules`, a result per finding pointing at its
 * template (and the line where its resource starts) and its construct path. The result's `ruleId` is the rule; the
 * finding's own id (`XRay-<Rule>[<finding>]`, what an acknowledgment names) is `properties.findingId`. Acknowledged
 * findings are results with an external suppression carrying the reason, which code-scanning UIs hide.
 *
 * @param cwd the directory template URIs are relative to when the assembly is under it (`cdk.out/App.template.json`)
 */
export function renderCheckSarif(result: CheckResult, cwd: string = process.cwd()): string {
  const assemblyDir = path.resolve(result.assembly);
  const fromCwd = path.relative(cwd, assemblyDir);
  const underCwd = !fromCwd.startsWith('..') && !path.isAbsolute(fromCwd);
  const ruleIds = RULES.map(ruleIdOf);
  const lines = new Map<string, readonly string[] | undefined>();
  const regionOf = (f: AssemblyFinding) => {
    if (f.logicalId === undefined) {
      return undefined;
    }
    if (!lines.has(f.templateFile)) {
      try {
        lines.set(f.templateFile, fs.readFileSync(path.join(assemblyDir, f.templateFile), 'utf8').split('\n'));
      } catch {
        lines.set(f.templateFile, undefined);
      }
    }
    const line = resourceLine(lines.get(f.templateFile), f.logicalId);
    return line === undefined ? undefined : { startLine: line };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-xray',
          fullName: 'cdk-xray check (XRayChecks rule pack of cdk-xray-constructs)',
          version: result.version,
          informationUri: 'https://www.npmjs.com/package/cdk-xray-constructs',
          rules: RULES.map((entry, i) => ({
            id: ruleIds[i],
            name: entry.rule.name,
            shortDescription: { text: entry.info },
            fullDescription: { text: entry.explanation },
            help: { text: entry.explanation },
            defaultConfiguration: { level: SARIF_LEVELS[entry.level] },
          })),
        },
      },
      originalUriBaseIds: underCwd
        ? { [SOURCE_ROOT_URI_BASE]: { uri: pathToFileURL(cwd + path.sep).href } }
        : { [ASSEMBLY_URI_BASE]: { uri: pathToFileURL(assemblyDir + path.sep).href } },
      results: result.findings.map(f => {
        const rule = baseRuleId(f.ruleId);
        const ruleIndex = ruleIds.indexOf(rule);
        const region = regionOf(f);
        const uri = underCwd ? toPosix(path.join(fromCwd, f.templateFile)) : toPosix(f.templateFile);
        return {
          ruleId: rule,
          ...(ruleIndex >= 0 ? { ruleIndex } : {}),
          level: SARIF_LEVELS[f.level],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: underCwd ? SOURCE_ROOT_URI_BASE : ASSEMBLY_URI_BASE },
              ...(region !== undefined ? { region } : {}),
            },
            logicalLocations: [{
              ...(f.path !== undefined ? { fullyQualifiedName: f.path } : {}),
              name: f.logicalId ?? f.stackId,
              kind: 'resource',
            }],
          }],
          ...(f.acknowledged !== undefined ? { suppressions: [{ kind: 'external', justification: f.acknowledged }] } : {}),
          properties: { findingId: f.ruleId, stackId: f.stackId, ...(f.metadata !== undefined ? { metadata: f.metadata } : {}) },
        };
      }),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * The 1-based line of `"<logicalId>": {` in the `Resources` section of a pretty-printed template (as `cdk synth` writes
 * them), or undefined when the template is not laid out that way.
 */
export function resourceLine(lines: readonly string[] | undefined, logicalId: string): number | undefined {
  if (lines === undefined) {
    return undefined;
  }
  const start = lines.findIndex(l => /^\s*"Resources":\s*\{\s*$/.test(l));
  if (start < 0) {
    return undefined;
  }
  const indent = (lines[start + 1] ?? '').length - (lines[start + 1] ?? '').trimStart().length;
  const wanted = `${' '.repeat(indent)}${JSON.stringify(logicalId)}: {`;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i] === wanted || lines[i].trimEnd() === wanted) {
      return i + 1;
    }
  }
  return undefined;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
