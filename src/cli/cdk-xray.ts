#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { MAX_REQUESTS_PER_SECOND, MAX_TRACES_PER_MONTH } from '../cost/limits';
import { readCloudAssembly, ReportInputError } from '../report/assembly';
import { applyOverrides, parseTrafficProfile, TrafficOverrides, TrafficProfile } from '../report/cost';
import { renderHtml } from '../report/html';
import { createReport, toJson } from '../report/report';
import { renderText } from '../report/text';

/** Exit codes of `cdk-xray`. */
export enum ExitCode {
  /** The report was printed (and, with `--strict`, there is no unacknowledged finding). */
  OK = 0,
  /** `--strict` and at least one unacknowledged finding. */
  FINDINGS = 1,
  /** The command line is wrong: unknown command or flag, missing or malformed value. */
  USAGE = 2,
  /** An input cannot be used: no cloud assembly, unreadable template, invalid traffic profile, unknown stack or rule. */
  INPUT = 3,
  /** A bug: the report could not be built. */
  INTERNAL = 4,
}

export const USAGE = `Usage: cdk-xray report <cloud assembly dir> [options]

Reports on the cloud assembly of any CDK app (the directory \`cdk synth\` writes, usually cdk.out), in any language:
per stack what is traced and how, the expected service map, where a trace would break, the sampling rules and
groups, the resource types the trace graph does not model, and the estimated monthly X-Ray cost for a traffic profile.

Options:
  --format text|json          Output format on stdout (default: text). json is one document, schemaVersion 1.
  --strict                    Exit with 1 when there are findings that are not acknowledged.
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

Exit codes: 0 report printed; 1 findings with --strict; 2 usage error; 3 unusable input; 4 internal error.

Examples:
  cdk-xray report cdk.out
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

export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | ({ readonly kind: 'report' } & ReportCommand);

const VALUE_FLAGS = ['--format', '--html', '--stack', '--traffic', '--rps', '--error-ratio', '--retrieved', '--scanned'];
const BOOLEAN_FLAGS = ['--strict', '--insights', '--no-insights', '--no-mermaid', '--help', '-h', '--version'];

/** Parses the arguments after `cdk-xray`. Throws `UsageError`. */
export function parseArgs(args: string[]): Command {
  if (args.length === 0) {
    throw new UsageError('no command given.');
  }
  if (args.some(a => a === '--help' || a === '-h') || args[0] === 'help') {
    return { kind: 'help' };
  }
  if (args[0] === '--version') {
    return { kind: 'version' };
  }
  const [command, ...rest] = args;
  if (command !== 'report') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}; the command is \`report\`.`);
  }

  const positional: string[] = [];
  let format: 'text' | 'json' = 'text';
  let strict = false;
  let html: string | undefined;
  let trafficFile: string | undefined;
  let mermaid = true;
  let insights: boolean | undefined;
  let retrieved: number | undefined;
  let scanned: number | undefined;
  const stacks: string[] = [];
  const rps = new Map<string, number>();
  const errorRatio = new Map<string, number>();

  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.includes(flag)) {
      if (flag !== arg) {
        throw new UsageError(`${flag} takes no value (got ${JSON.stringify(arg)}).`);
      }
    } else if (!VALUE_FLAGS.includes(flag)) {
      throw new UsageError(`unknown option ${JSON.stringify(flag)}.`);
    }
    let value: string | undefined;
    if (VALUE_FLAGS.includes(flag)) {
      if (flag !== arg) {
        value = arg.slice(eq + 1);
      } else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) {
        value = rest[++i];
      } else {
        throw new UsageError(`${flag} needs a value.`);
      }
    }
    switch (flag) {
      case '--format':
        if (value !== 'text' && value !== 'json') {
          throw new UsageError(`--format must be text or json (got ${JSON.stringify(value)}).`);
        }
        format = value;
        break;
      case '--strict': strict = true; break;
      case '--no-mermaid': mermaid = false; break;
      case '--insights': insights = true; break;
      case '--no-insights': insights = false; break;
      case '--html': html = nonEmpty(flag, value!); break;
      case '--traffic': trafficFile = nonEmpty(flag, value!); break;
      case '--stack': stacks.push(nonEmpty(flag, value!)); break;
      case '--retrieved': retrieved = count(flag, value!); break;
      case '--scanned': scanned = count(flag, value!); break;
      case '--rps': {
        const [rule, n] = ruleValue(flag, value!, '150');
        if (n < 0 || n > MAX_REQUESTS_PER_SECOND) {
          throw new UsageError(`${flag} ${value}: requests per second must be from 0 to ${MAX_REQUESTS_PER_SECOND}.`);
        }
        rps.set(rule, n);
        break;
      }
      case '--error-ratio': {
        const [rule, n] = ruleValue(flag, value!, '0.01');
        if (n < 0 || n > 1) {
          throw new UsageError(`${flag} ${value}: the ratio must be between 0 and 1, e.g. 0.01 for 1 %.`);
        }
        errorRatio.set(rule, n);
        break;
      }
      default:
        throw new UsageError(`${flag} cannot be used here.`);
    }
  }
  if (positional.length === 0) {
    throw new UsageError('report needs the cloud assembly directory, e.g. `cdk-xray report cdk.out`.');
  }
  if (positional.length > 1) {
    throw new UsageError(`report takes one cloud assembly directory (got ${positional.map(p => JSON.stringify(p)).join(', ')}).`);
  }
  return {
    kind: 'report',
    assembly: positional[0],
    format,
    strict,
    html,
    stacks,
    trafficFile,
    mermaid,
    overrides: {
      requestsPerSecond: rps,
      errorRatio,
      retrievedTracesPerMonth: retrieved,
      scannedTracesPerMonth: scanned,
      insightsEnabled: insights,
    },
  };
}

function nonEmpty(flag: string, value: string): string {
  if (value.length === 0) {
    throw new UsageError(`${flag} needs a value.`);
  }
  return value;
}

function count(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_TRACES_PER_MONTH) {
    throw new UsageError(`${flag} must be a number of traces per month from 0 to ${MAX_TRACES_PER_MONTH} (got ${JSON.stringify(value)}).`);
  }
  return n;
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
    return report(command, io);
  } catch (e: any) {
    if (e instanceof ReportInputError) {
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
  return command.strict && result.totals.findings > 0 ? ExitCode.FINDINGS : ExitCode.OK;
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
