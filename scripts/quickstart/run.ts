/**
 * Runs the README's quick start for one language in a fresh directory, as a user would, with the packages
 * `npx projen package:js` and `npx projen package:python` built into dist/ in place of the registry's
 * cdk-xray-constructs, and aws-cdk-lib at the newest version the suite is tested on.
 *
 * Caches (all under ~/.cache/cdk-xray-constructs/quickstart): an npm cache of its own (its `_npx` directory is emptied
 * before each run, so `npx -p <tarball>` never runs a stale build), and the Python virtual environment, keyed by the
 * requirements and the Python version; the freshly built wheel is reinstalled when it changes.
 */
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  buildScript, ProjectVersions, QuickstartBlock, QuickstartLanguage, shellQuote, splitOutput, Substitution,
} from './readme';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = path.join(os.homedir(), '.cache', 'cdk-xray-constructs', 'quickstart');

/** A package the quick start needs is not in dist/. */
export class MissingPackageError extends Error {}

/** The npm tarball and the wheel in dist/, if they were built. */
export function distArtifacts(): { tarball?: string; wheel?: string } {
  const find = (dir: string, suffix: string): string | undefined => {
    const full = path.join(ROOT, 'dist', dir);
    const name = fs.existsSync(full) ? fs.readdirSync(full).find(f => f.startsWith('cdk') && f.endsWith(suffix)) : undefined;
    return name && path.join(full, name);
  };
  return { tarball: find('js', '.tgz'), wheel: find('python', '.whl') };
}

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.error?.message ?? ''}\n` +
      `${result.stdout.slice(-4000)}${result.stderr.slice(-4000)}`);
  }
  return result.stdout;
}

/** A command-line word naming the registry package (`cdk-xray-constructs` or `cdk-xray-constructs@<version>`). */
const LIBRARY_WORD = /(?<=^|\s)cdk-xray-constructs(@\S+)?(?=\s|$)/g;
const CDK_LIB_WORD = /(?<=^|\s)aws-cdk-lib(?=\s|$)/g;

/** What the README's `pip install` line installs, with aws-cdk-lib held at the newest tested version (or below). */
export function pythonRequirements(blocks: readonly QuickstartBlock[], versions: ProjectVersions): string[] {
  const pip = blocks.filter(b => b.kind === 'run' && b.language === 'python')
    .flatMap(b => b.body.split('\n')).filter(l => /^pip install /.test(l));
  if (pip.length !== 1) throw new Error(`expected one pip install line in the Python quick start, found ${pip.length}`);
  // PyPI may not carry the newest aws-cdk-lib on npm yet: the newest release up to it is taken.
  return pip[0].slice('pip install '.length).trim().split(/\s+/)
    .filter(w => !/^cdk-xray-constructs(@|$)/.test(w))
    .map(w => (w === 'aws-cdk-lib' ? `aws-cdk-lib<=${versions.newestCdkLib}` : w));
}

export interface PythonEnvironment {
  readonly venv: string;
  /** The aws-cdk-lib version pip resolved. */
  readonly cdkLib: string;
}

/**
 * A virtual environment with the README's requirements and the wheel. The first run creates it (about 30 s); later
 * runs reinstall only a changed wheel. When PyPI did not have the newest tested aws-cdk-lib, it is rebuilt after a day.
 */
export function pythonEnvironment(requirements: readonly string[], versions: ProjectVersions): PythonEnvironment {
  const { wheel } = distArtifacts();
  if (!wheel) throw new MissingPackageError('No wheel in dist/python: run `npx projen package:python` (after compile and package:js).');
  const pythonVersion = run('python3', ['--version']).trim();
  const venv = path.join(CACHE, 'python', sha256(requirements.join('\n') + pythonVersion).slice(0, 16));
  const python = path.join(venv, 'bin', 'python');
  const complete = path.join(venv, '.requirements-installed');
  const cdkLibVersion = (): string => run(python, ['-c', 'import importlib.metadata as m; print(m.version("aws-cdk-lib"))']).trim();
  if (fs.existsSync(complete)) {
    const recorded = JSON.parse(fs.readFileSync(complete, 'utf8')) as { cdkLib: string; at: number };
    if (recorded.cdkLib !== versions.newestCdkLib && Date.now() - recorded.at > 24 * 3600_000) {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  }
  if (!fs.existsSync(complete)) {
    fs.rmSync(venv, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(venv), { recursive: true });
    run('python3', ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', wheel, ...requirements]);
    fs.writeFileSync(complete, JSON.stringify({ cdkLib: cdkLibVersion(), at: Date.now() }));
    fs.writeFileSync(path.join(venv, '.wheel-sha256'), sha256(fs.readFileSync(wheel)));
  }
  const installedWheel = path.join(venv, '.wheel-sha256');
  const wheelSha = sha256(fs.readFileSync(wheel));
  if (!fs.existsSync(installedWheel) || fs.readFileSync(installedWheel, 'utf8') !== wheelSha) {
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', '--force-reinstall', wheel]);
    fs.writeFileSync(installedWheel, wheelSha);
  }
  return { venv, cdkLib: cdkLibVersion() };
}

/** Every CDK CLI command gets `--no-notices` (notices are fetched from the internet). */
const NO_NOTICES: Substitution = {
  what: 'CDK CLI commands get --no-notices',
  line: /^npx (cdk|aws-cdk@\S+) \w+/,
  replace: line => `${line} --no-notices`,
  times: 'at least once',
};

/** The rewrites of the README's commands for one language: the package source, the cached environment, notices. */
export function substitutions(language: QuickstartLanguage, context: {
  readonly versions: ProjectVersions;
  readonly tarball: string;
  readonly wheel?: string;
  readonly venv?: string;
}): Substitution[] {
  if (language === 'typescript') {
    return [{
      what: 'npm install: the tarball from dist/js, and aws-cdk-lib at the newest tested version',
      line: /^npm install (.* )?cdk-xray-constructs( |$)/,
      replace: line => `${line.replace(LIBRARY_WORD, shellQuote(context.tarball))} aws-cdk-lib@${context.versions.newestCdkLib}`,
      times: 1,
    }, NO_NOTICES];
  }
  if (!context.wheel || !context.venv) throw new Error('the Python quick start needs the wheel and its environment');
  const { wheel, venv } = context;
  return [{
    what: 'python3 -m venv .venv: the cached environment',
    line: /^python3 -m venv \.venv$/,
    replace: () => `ln -s ${shellQuote(venv)} .venv`,
    times: 1,
  }, {
    what: 'pip install: the wheel from dist/python, and aws-cdk-lib up to the newest tested version',
    line: /^pip install (.* )?cdk-xray-constructs( |$)/,
    replace: line => line.replace(LIBRARY_WORD, shellQuote(wheel))
      .replace(CDK_LIB_WORD, shellQuote(`aws-cdk-lib<=${context.versions.newestCdkLib}`)),
    times: 1,
  }, NO_NOTICES];
}

/** Throws when a rewritten command still names the registry's cdk-xray-constructs. */
export function assertNoRegistryLibrary(commands: string): void {
  const left = commands.split('\n').filter(l => !l.trim().startsWith('#') && new RegExp(LIBRARY_WORD.source).test(l));
  if (left.length > 0) throw new Error(`commands would install cdk-xray-constructs from the registry:\n${left.join('\n')}`);
}

/** The environment of a user's fresh shell: nothing of this repository's npm, CDK, jsii or Python settings. */
export function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|CDK_|JSII_|TS_NODE_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$|VIRTUAL_ENV$|PYTHONPATH$|PYTHONHOME$)/i.test(key)) continue;
    env[key] = value;
  }
  // npx and npm run put node_modules/.bin directories first on PATH; a user's shell has none.
  env.PATH = (process.env.PATH ?? '').split(path.delimiter).filter(p => !p.endsWith(path.join('node_modules', '.bin'))).join(path.delimiter);
  return {
    ...env,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    npm_config_cache: path.join(CACHE, 'npm'),
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** Empties `_npx` in the quick start's npm cache, so `npx -p <tarball>` installs this build. */
export function resetNpx(): void {
  fs.rmSync(path.join(CACHE, 'npm', '_npx'), { recursive: true, force: true });
}

export interface ScriptResult {
  readonly status: number | null;
  readonly output: string;
  /** Output per run block, by the block's index among the language's run blocks. */
  readonly blocks: string[];
  /** The directory the steps ended in: the app. */
  readonly appDir?: string;
  readonly wallMs: number;
}

/** Runs a bash script in `cwd` with a user's environment; resolves when it exits. */
export function runBash(script: string, cwd: string, timeoutMs: number): Promise<ScriptResult> {
  const file = path.join(cwd, `quickstart-${sha256(script).slice(0, 8)}.sh`);
  fs.writeFileSync(file, script);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { cwd, env: userEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', chunk => { output += chunk; });
    child.stderr.on('data', chunk => { output += chunk; });
    const timer = setTimeout(() => {
      output += `\n(timed out after ${timeoutMs} ms)\n`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', status => {
      clearTimeout(timer);
      const split = splitOutput(output);
      resolve({ status, output, blocks: split.blocks, appDir: split.cwd, wallMs: Date.now() - started });
    });
  });
}

/** The script of one language's quick start, with the rewrites applied and checked. */
export function quickstartScript(blocks: readonly QuickstartBlock[], language: QuickstartLanguage,
  subs: readonly Substitution[]): string {
  return buildScript(blocks.filter(b => b.language === language), subs, assertNoRegistryLibrary);
}
