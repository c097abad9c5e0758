#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs as parseArgv, ParseArgsOptionsConfig } from 'util';
import { CheckConfigError, parseCheckConfig } from './check-config';
import { CheckResult, renderCheckJson, renderCheckSarif, renderCheckText } from './check-output';
import { checkAssembly, failsGate } from '../checks/assembly-findings';
import { validateXRayChecksProps } from '../checks/validate-props';
import { MAX_REQUESTS_PER_SECOND, MAX_TRACES_PER_MONTH } from '../cost/limits';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { readCloudAssembly, ReportInputError } from '../report/assembly';
import { applyOverrides, parseTrafficProfile, TrafficOverrides, TrafficProfile } from '../report/cost';
import { renderHtml } from '../report/html';
import { createReport, selectStacks, toJson } from '../report/report';
import { renderText } from '../report/text';

/** Exit codes of `cdk-xray`. */
export enum ExitCode {
  /** The report was printed (and, with `--strict`, nothing fails); `check` found nothing at a failing level. */
  OK = 0,
  /** `check`, or `report --strict`: at least one unacknowledged finding at a failing level. */
  FINDINGS = 1,
  /** The command line is wrong: unknown command or flag, missing or malformed value. */
  USAGE = 2,
  /** An input cannot be used: no cloud assembly, unreadable template, invalid traffic profile or config, unknown stack. */
  INPUT = 3,
  /** A bug: the report could not be built. */
  INTERNAL = 4,
}

export const USAGE = `Usage: cdk-xray check <cloud assembly dir> [options]
       cdk-xray report <cloud assembly dir> [options]

Both read the cloud assembly of any CDK app (the directory \`cdk synth\` writes, usually cdk.out), in any language;
nothing is synthesized and no AWS account is needed.

cdk-xray check: the CI gate. Runs every rule of the XRayChecks pack (per resource, app-wide: annotation policy and
budget, sampling priorities, trace cost, trace continuity) on the assembly's templates, with the same rule ids, levels
and messages as the pack in synthesis. Acknowledgments recorded with Validations.of(scope).acknowledge(...) are
honoured. Unacknowledged Error-level findings fail it (Warning-level ones too with --warnings-fail).

  --config <file.json>        The pack's options as JSON (schema: schemas/xray-checks.schema.json in the package):
                              {"annotationPolicy": {"allowedKeys": [{"key": "tenant_tier", "cardinality": "low"}],
                                                    "deniedPatterns": ["badge_?number"], "allowUndeclaredKeys": false},
                               "monthlyBudgetUsd": 250, "requestsPerSecondByRule": {"orders-api": 150, "Default": 5},
                               "warningsFail": true, "verbose": false}
                              Flags below override the file.
  --format text|json|sarif    Output format on stdout (default: text). json is one document, schemaVersion 1; sarif is
                              SARIF 2.1.0 (acknowledged findings as results with an external suppression).
  --stack <name>              Report only the findings of this stack (artifact id, display name or stack name); the
                              app-wide rules still read every stack. Repeatable.
  --warnings-fail             Warning-level findings fail the check too.
  --budget-usd <n>            Monthly X-Ray budget in USD for XRay-TraceCostBudget (needs --rps or the config's traffic).
  --rps <rule>=<n>            Requests per second sampling rule <rule> matches, for the cost check. Repeatable.
  --verbose                   Messages carry each rule's explanation too.

cdk-xray report: per stack what is traced and how, the expected service map, the findings of the same rules as
check (with default options; acknowledged ones marked), the sampling rules and groups, the resource types the trace
graph does not model, what still uses an X-Ray SDK or the X-Ray daemon (end of support 2027-02-25) and what replaces
it, and the estimated monthly X-Ray cost for a traffic profile (with CloudWatch Transaction Search and Application
Signals when the profile describes them: "transactionSearch", "applicationSignals", see docs/cost.md).

  --format text|json          Output format on stdout (default: text). json is one document, schemaVersion 2.
  --strict                    Exit with 1 when check with default options would: an unacknowledged Error-level finding.
  --html <file>               Also write a self-contained HTML report (SVG service map) to <file>.
  --stack <name>              Report only this stack (artifact id, display name or stack name). Repeatable.
  --traffic <file.json>       Traffic profile for the cost estimate:
                              {"rules": {"<rule>": {"requestsPerSecond": 150, "errorRatio": 0.01}},
                               "retrievedTracesPerMonth": 50000, "scannedTracesPerMonth": 2000000, "insightsEnabled": true}
  --rps <rule>=<n>            Requests per second that sampling rule <rule> matches (first match wins). Repeatable;
                              overrides the traffic file. "Default" is X-Ray's default rule (1/s, then 5 %).
  --error-ratio <rule>=<r>    Share of <rule>'s requests that fail, 0 to 1. Repeatable.
  --retrieved <n>             Traces retrieved per month (BatchGetTraces, opening traces in the console).
  --scanned <n>               Traces scanned per month (GetTraceSummaries, filtered trace lists).
  --insights, --no-insights   Whether X-Ray Insights is on (processes every recorded trace). Default: on when a group
                              of the assembly has Insights on.
  --no-mermaid                In text output, list the edges instead of printing Mermaid service maps.

  -h, --help                  Show this help.
  --version                   Show the version.

Exit codes: 0 clean (check) or report printed; 1 findings at a failing level (check, report --strict); 2 usage error;
3 unusable input (no cloud assembly, unreadable template, invalid config or traffic profile, unknown stack, options
that contradict each other); 4 internal error.

Examples:
  cdk-xray check cdk.out
  cdk-xray check cdk.out --config xray-checks.json --format sarif > xray-checks.sarif
  cdk-xray check cdk.out --warnings-fail --budget-usd 250 --rps orders-api=150 --rps Default=5
  cdk-xray report cdk.out --html xray-report.html --rps orders-api=150 --error-ratio orders-api=0.01 --rps Default=5
  cdk-xray report cdk.out --format json --strict > xray-report.json
`;

/** A command-line mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed `report` options. */
export interface ReportCommand {
  readonly assembly: string;
  readonly format: 'text' | 'json';
  readonly strict: boolean;
  readonly html?: string;
  readonly stacks: string[];
  readonly trafficFile?: string;
  readonly overrides: TrafficOverrides;
  readonly mermaid: boolean;
}

/** Parsed `check` options. */
export interface CheckCommand {
  readonly assembly: string;
  readonly format: 'text' | 'json' | 'sarif';
  readonly configFile?: string;
  readonly stacks: string[];
  /** `--warnings-fail`: true, or undefined for the config's (else false). */
  readonly warningsFail?: boolean;
  readonly budgetUsd?: number;
  readonly requestsPerSecond: Map<string, number>;
  readonly verbose?: boolean;
}

export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | ({ readonly kind: 'report' } & ReportCommand)
  | ({ readonly kind: 'check' } & CheckCommand);

/**
 * A flag of a subcommand, `--<name>`: a switch, or a flag that takes a value. `read` folds it into the options read so
 * far, in command-line order (so of a repeated flag the last wins, unless `read` collects them), and throws `UsageError`
 * for a bad value; `flag` is the flag as written, for messages.
 */
type Flag<O> =
  | { readonly type: 'boolean'; readonly read: (options: O) => void }
  | { readonly type: 'string'; readonly read: (options: O, value: string, flag: string) => void };

/** A subcommand: its flags by long name, the options before any flag, and the command they and the positionals make. */
interface Subcommand<O> {
  readonly flags: { readonly [name: string]: Flag<O> };
  readonly defaults: () => O;
  readonly build: (options: O, positionals: string[]) => Command;
}

const toggle = <O>(read: (options: O) => void): Flag<O> => ({ type: 'boolean', read });
const valued = <O>(read: (options: O, value: string, flag: string) => void): Flag<O> => ({ type: 'string', read });

/**
 * `--help` and `--version`, taken before a subcommand reads its arguments (as is `-h`, which is no short flag here, so
 * that a group such as `-hx` stays an unknown option). A subcommand declares them to tell `--help=x` and a `--version`
 * after the command from unknown options.
 */
const GLOBAL_FLAGS: ParseArgsOptionsConfig = { help: { type: 'boolean' }, version: { type: 'boolean' } };

/** `report`'s options while its arguments are read: the command but the assembly, open to change. */
interface ReportOptions {
  format: ReportCommand['format'];
  strict: boolean;
  html?: string;
  stacks: string[];
  trafficFile?: string;
  mermaid: boolean;
  overrides: {
    requestsPerSecond: Map<string, number>;
    errorRatio: Map<string, number>;
    retrievedTracesPerMonth?: number;
    scannedTracesPerMonth?: number;
    insightsEnabled?: boolean;
  };
}

const REPORT: Subcommand<ReportOptions> = {
  flags: {
    'format': valued((o, value, flag) => { o.format = oneOf(flag, value, ['text', 'json'] as const); }),
    'strict': toggle(o => { o.strict = true; }),
    'html': valued((o, value, flag) => { o.html = nonEmpty(flag, value); }),
    'stack': valued((o, value, flag) => { o.stacks.push(nonEmpty(flag, value)); }),
    'traffic': valued((o, value, flag) => { o.trafficFile = nonEmpty(flag, value); }),
    'rps': valued((o, value, flag) => { o.overrides.requestsPerSecond.set(...requestsPerSecond(flag, value)); }),
    'error-ratio': valued((o, value, flag) => { o.overrides.errorRatio.set(...errorRatio(flag, value)); }),
    'retrieved': valued((o, value, flag) => { o.overrides.retrievedTracesPerMonth = tracesPerMonth(flag, value); }),
    'scanned': valued((o, value, flag) => { o.overrides.scannedTracesPerMonth = tracesPerMonth(flag, value); }),
    'insights': toggle(o => { o.overrides.insightsEnabled = true; }),
    'no-insights': toggle(o => { o.overrides.insightsEnabled = false; }),
    'no-mermaid': toggle(o => { o.mermaid = false; }),
  },
  defaults: () => ({ format: 'text', strict: false, stacks: [], mermaid: true, overrides: { requestsPerSecond: new Map(), errorRatio: new Map() } }),
  build: (o, positionals) => {
    if (positionals.length === 0) {
      throw new UsageError('report needs the cloud assembly directory, e.g. `cdk-xray report cdk.out`.');
    }
    if (positionals.length > 1) {
      throw new UsageError(`report takes one cloud assembly directory (got ${positionals.map(p => JSON.stringify(p)).join(', ')}).`);
    }
    return { kind: 'report', assembly: positionals[0], ...o };
  },
};

/** `check`'s options while its arguments are read. */
interface CheckOptions {
  format: CheckCommand['format'];
  configFile?: string;
  stacks: string[];
  warningsFail?: boolean;
  budgetUsd?: number;
  requestsPerSecond: Map<string, number>;
  verbose?: boolean;
}

const CHECK: Subcommand<CheckOptions> = {
  flags: {
    'format': valued((o, value, flag) => { o.format = oneOf(flag, value, ['text', 'json', 'sarif'] as const); }),
    'config': valued((o, value, flag) => { o.configFile = nonEmpty(flag, value); }),
    'stack': valued((o, value, flag) => { o.stacks.push(nonEmpty(flag, value)); }),
    'warnings-fail': toggle(o => { o.warningsFail = true; }),
    'budget-usd': valued((o, value, flag) => { o.budgetUsd = budgetUsd(flag, value); }),
    'rps': valued((o, value, flag) => { o.requestsPerSecond.set(...requestsPerSecond(flag, value)); }),
    'verbose': toggle(o => { o.verbose = true; }),
  },
  defaults: () => ({ format: 'text', stacks: [], requestsPerSecond: new Map() }),
  build: (o, positionals) => {
    if (positionals.length === 0) {
      throw new UsageError('check needs the cloud assembly directory, e.g. `cdk-xray check cdk.out`.');
    }
    if (positionals.length > 1) {
      throw new UsageError(`check takes one cloud assembly directory (got ${positionals.map(p => JSON.stringify(p)).join(', ')}).`);
    }
    return { kind: 'check', assembly: positionals[0], ...o };
  },
};

/** The subcommands of `cdk-xray` by name, each as the reader of the arguments after its name. */
const COMMANDS: ReadonlyMap<string, (args: string[]) => Command> = new Map([
  ['report', subcommand(REPORT)],
  ['check', subcommand(CHECK)],
]);

/** Parses the arguments after `cdk-xray`. Throws `UsageError`. */
export function parseArgs(args: string[]): Command {
  if (args.length === 0) {
    throw new UsageError('no command given.');
  }
  const end = args.indexOf('--');
  if (args[0] === 'help' || (end < 0 ? args : args.slice(0, end)).some(a => a === '--help' || a === '-h')) {
    return { kind: 'help' };
  }
  if (args[0] === '--version') {
    return { kind: 'version' };
  }
  const [name, ...rest] = args;
  const command = COMMANDS.get(name);
  if (command === undefined) {
    const names = [...COMMANDS.keys()].map(n => `\`${n}\``);
    const known = names.length === 1 ? `the command is ${names[0]}` : `the commands are ${list(names, 'and')}`;
    throw new UsageError(`unknown command ${JSON.stringify(name)}; ${known}.`);
  }
  return command(rest);
}

/**
 * The reader of a subcommand's arguments: `node:util`'s `parseArgs` (strict) with the subcommand's flags, then each
 * flag's `read` in command-line order, so that of several mistakes the first is the one reported.
 */
function subcommand<O>(spec: Subcommand<O>): (args: string[]) => Command {
  const options: ParseArgsOptionsConfig = { ...GLOBAL_FLAGS };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type };
  }
  return args => {
    const { tokens, failure } = tokenize(args, options);
    const values = spec.defaults();
    const positionals: string[] = [];
    for (const token of tokens) {
      if (token.kind === 'positional') {
        positionals.push(token.value);
      }
      if (token.kind !== 'option') {
        continue;
      }
      // As written: a long flag without its =value, a short one with the rest of its group (-x, -hx)
      const flag = token.rawName.startsWith('--') ? token.rawName : args[token.index];
      const type = Object.hasOwn(options, token.name) ? options[token.name].type : undefined;
      if (type === undefined) {
        throw new UsageError(`unknown option ${JSON.stringify(flag)}.`);
      }
      if (type === 'boolean' && token.value !== undefined) {
        throw new UsageError(`${flag} takes no value (got ${JSON.stringify(args[token.index])}).`);
      }
      if (type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) {
        throw new UsageError(`${flag} needs a value.`);
      }
      if (!Object.hasOwn(spec.flags, token.name)) {
        // --version after the command (--help anywhere before `--` is taken before the subcommand reads its arguments)
        throw new UsageError(`${flag} cannot follow a command; use \`cdk-xray ${flag}\`.`);
      }
      const declared = spec.flags[token.name];
      if (declared.type === 'boolean') {
        declared.read(values);
        continue;
      }
      const value = token.value!;
      declared.read(values, value, flag); // a bad value such as `--retrieved -1` is named as one
      if (!token.inlineValue && value.length > 1 && value.startsWith('-')) {
        throw new UsageError(`${flag} needs a value (got ${JSON.stringify(value)}, which reads as a flag). To pass it as the value, write ${flag}=${value}.`);
      }
    }
    if (failure !== undefined) {
      throw new UsageError(failure.message); // a check of parseArgs that the reading above does not repeat
    }
    return spec.build(values, positionals);
  };
}

type Token = NonNullable<ReturnType<typeof parseArgv>['tokens']>[number];

/** The tokens of `args`, and the error of strict parsing, if any: then the tokens of lenient parsing, to name the mistake. */
function tokenize(args: string[], options: ParseArgsOptionsConfig): { tokens: Token[]; failure?: Error } {
  const config = { args, options, allowPositionals: true, tokens: true } as const;
  try {
    return { tokens: parseArgv({ ...config, strict: true }).tokens };
  } catch (e: any) {
    if (typeof e?.code !== 'string' || !e.code.startsWith('ERR_PARSE_ARGS_')) {
      throw e;
    }
    return { tokens: parseArgv({ ...config, strict: false }).tokens, failure: e };
  }
}

function nonEmpty(flag: string, value: string): string {
  if (value.length === 0) {
    throw new UsageError(`${flag} needs a value.`);
  }
  return value;
}

function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be ${list(choices, 'or')} (got ${JSON.stringify(value)}).`);
  }
  return value as T;
}

function budgetUsd(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag} must be a monthly budget in USD of 0 or more, e.g. ${flag} 250 (got ${JSON.stringify(value)}).`);
  }
  return n;
}

function tracesPerMonth(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_TRACES_PER_MONTH) {
    throw new UsageError(`${flag} must be a number of traces per month from 0 to ${MAX_TRACES_PER_MONTH} (got ${JSON.stringify(value)}).`);
  }
  return n;
}

function requestsPerSecond(flag: string, value: string): [string, number] {
  const [rule, n] = ruleValue(flag, value, '150');
  if (n < 0 || n > MAX_REQUESTS_PER_SECOND) {
    throw new UsageError(`${flag} ${value}: requests per second must be from 0 to ${MAX_REQUESTS_PER_SECOND}.`);
  }
  return [rule, n];
}

function errorRatio(flag: string, value: string): [string, number] {
  const [rule, n] = ruleValue(flag, value, '0.01');
  if (n < 0 || n > 1) {
    throw new UsageError(`${flag} ${value}: the ratio must be between 0 and 1, e.g. 0.01 for 1 %.`);
  }
  return [rule, n];
}

function ruleValue(flag: string, value: string, example: string): [string, number] {
  const eq = value.lastIndexOf('=');
  const rule = eq > 0 ? value.slice(0, eq) : '';
  const n = eq > 0 ? Number(value.slice(eq + 1)) : NaN;
  if (rule.length === 0 || value.slice(eq + 1).trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`${flag} takes <sampling rule name>=<number>, e.g. ${flag} orders-api=${example} (got ${JSON.stringify(value)}).`);
  }
  return [rule, n];
}

/** `a`, `a or b`, `a, b or c`. */
function list(items: readonly string[], conjunction: 'and' | 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: Io = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

/** Runs `cdk-xray` with the given arguments and returns the exit code. */
export function main(args: string[], io: Io = PROCESS_IO): ExitCode {
  let command: Command;
  try {
    command = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk-xray: ${e.message}\nRun \`cdk-xray --help\` for usage.\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  if (command.kind === 'help') {
    io.stdout(USAGE);
    return ExitCode.OK;
  }
  if (command.kind === 'version') {
    io.stdout(`${version()}\n`);
    return ExitCode.OK;
  }
  try {
    return command.kind === 'check' ? check(command, io) : report(command, io);
  } catch (e: any) {
    if (e instanceof ReportInputError || e instanceof CheckConfigError) {
      io.stderr(`cdk-xray: ${e.message}\n`);
      return ExitCode.INPUT;
    }
    io.stderr(`cdk-xray: internal error, please report it with the command line used:\n${e?.stack ?? e}\n`);
    return ExitCode.INTERNAL;
  }
}

function report(command: ReportCommand, io: Io): ExitCode {
  const assembly = readCloudAssembly(command.assembly);
  const traffic = trafficOf(command);
  const result = createReport(assembly, { assemblyName: command.assembly, stacks: command.stacks, traffic });
  io.stdout(command.format === 'json' ? toJson(result) : renderText(result, { mermaid: command.mermaid }));
  if (command.html !== undefined) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(command.html)), { recursive: true });
      fs.writeFileSync(command.html, renderHtml(result));
    } catch (e: any) {
      throw new ReportInputError(`cannot write the HTML report to ${command.html}: ${e.message}`);
    }
    io.stderr(`HTML report written to ${command.html}\n`);
  }
  return command.strict && result.totals.failingFindings > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

function check(command: CheckCommand, io: Io): ExitCode {
  const config = command.configFile === undefined ? {} : parseCheckConfig(readJson(command.configFile, 'config'), command.configFile);
  const rps = { ...config.requestsPerSecondByRule, ...Object.fromEntries(command.requestsPerSecond) };
  const props = {
    annotationPolicy: config.annotationPolicy ?? new AnnotationPolicy({ allowUndeclaredKeys: true }),
    monthlyBudgetUsd: command.budgetUsd ?? config.monthlyBudgetUsd,
    requestsPerSecondByRule: Object.keys(rps).length > 0 ? rps : undefined,
    warningsFail: command.warningsFail ?? config.warningsFail ?? false,
    verbose: command.verbose ?? config.verbose ?? false,
  };
  try {
    validateXRayChecksProps(props);
  } catch (e: any) {
    const from = command.configFile === undefined ? 'the command line' : `${command.configFile} and the command line`;
    throw new CheckConfigError(`the options from ${from} cannot be used: ${e.message.replace(/^\[XRayChecks\] /, '')}`);
  }
  const model = readCloudAssembly(command.assembly);
  const stackIds = command.stacks.length > 0 ? new Set(selectStacks(model.stacks, command.stacks).map(s => s.stackId)) : undefined;
  const findings = checkAssembly(model, {
    policy: props.annotationPolicy,
    budgetUsd: props.monthlyBudgetUsd,
    requestsPerSecondByRule: props.requestsPerSecondByRule,
  }, props.verbose, stackIds);
  const fails = findings.some(f => failsGate(f, props.warningsFail));
  const result: CheckResult = { assembly: command.assembly, findings, warningsFail: props.warningsFail, fails, version: version() };
  io.stdout(command.format === 'json' ? renderCheckJson(result) : command.format === 'sarif' ? renderCheckSarif(result) : renderCheckText(result));
  return fails ? ExitCode.FINDINGS : ExitCode.OK;
}

/** A JSON file the command reads; `what` names it in messages. */
function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new CheckConfigError(`the ${what} ${file} cannot be read: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new CheckConfigError(`the ${what} ${file} is not valid JSON: ${e.message}`);
  }
}

function trafficOf(command: ReportCommand): { profile: TrafficProfile; source: string } | undefined {
  const o = command.overrides;
  const fromCommandLine = (o.requestsPerSecond?.size ?? 0) > 0 || (o.errorRatio?.size ?? 0) > 0
    || o.retrievedTracesPerMonth !== undefined || o.scannedTracesPerMonth !== undefined || o.insightsEnabled !== undefined;
  if (command.trafficFile === undefined && !fromCommandLine) {
    return undefined;
  }
  let profile: TrafficProfile | undefined;
  if (command.trafficFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(command.trafficFile, 'utf8');
    } catch (e: any) {
      throw new ReportInputError(`the traffic profile ${command.trafficFile} cannot be read: ${e.message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e: any) {
      throw new ReportInputError(`the traffic profile ${command.trafficFile} is not valid JSON: ${e.message}`);
    }
    profile = parseTrafficProfile(json, command.trafficFile);
  }
  const source = [command.trafficFile, fromCommandLine ? 'command line' : undefined].filter(s => s !== undefined).join(' + ');
  return { profile: applyOverrides(profile, o), source };
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
