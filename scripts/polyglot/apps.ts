/**
 * The example apps that exist in TypeScript, Python and Java, how to run each one, and the environments the Python and
 * Java apps run in: the packages jsii-pacmak built into dist/ (`npx projen package-all`) plus aws-cdk-lib, constructs
 * and cdk-nag from PyPI and Maven Central, pinned in examples/python/requirements.txt and examples/java/pom.xml.
 *
 * The Python virtual environment is cached under ~/.cache/cdk-xray-constructs (keyed by the requirements and the Python
 * version; the freshly built wheel is reinstalled when it changes); Maven caches its downloads in ~/.m2.
 */
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

export type Language = 'typescript' | 'python' | 'java';
export const LANGUAGES: readonly Language[] = ['typescript', 'python', 'java'];

/** The examples that have a Python and a Java twin (examples/python/<name>/app.py, examples/java/.../<Name>App.java). */
export type PolyglotExample = 'serverless-api' | 'ecs-fargate-adot' | 'ecs-fargate-xray-daemon' | 'ci-policy' | 'eks-adot' | 'application-signals';
export const POLYGLOT_EXAMPLES: readonly PolyglotExample[] = ['serverless-api', 'ecs-fargate-adot', 'ecs-fargate-xray-daemon', 'ci-policy', 'eks-adot', 'application-signals'];

const JAVA_MAIN: Record<PolyglotExample, string> = {
  'serverless-api': 'io.github.cdkxrayconstructs.examples.serverlessapi.ServerlessApiApp',
  'ecs-fargate-adot': 'io.github.cdkxrayconstructs.examples.ecsfargateadot.EcsFargateAdotApp',
  'ecs-fargate-xray-daemon': 'io.github.cdkxrayconstructs.examples.ecsfargatexraydaemon.EcsFargateXRayDaemonApp',
  'ci-policy': 'io.github.cdkxrayconstructs.examples.cipolicy.CiPolicyApp',
  'eks-adot': 'io.github.cdkxrayconstructs.examples.eksadot.EksAdotApp',
  'application-signals': 'io.github.cdkxrayconstructs.examples.applicationsignals.ApplicationSignalsApp',
};

const CACHE = path.join(os.homedir(), '.cache', 'cdk-xray-constructs');
const PYTHON_DIR = path.join(ROOT, 'examples', 'python');
const JAVA_DIR = path.join(ROOT, 'examples', 'java');
const JAVA_COORDINATES = path.join('io', 'github', 'cdkxrayconstructs', 'cdk-xray-constructs');

/** A package that `npx projen package-all` should have built is not in dist/. */
export class MissingPackageError extends Error {}

/** The wheel and the Maven artifact jsii-pacmak built, if any. */
export function distPackages(): { wheel?: string; javaVersion?: string } {
  const pythonDist = path.join(ROOT, 'dist', 'python');
  const wheel = fs.existsSync(pythonDist) ? fs.readdirSync(pythonDist).find(f => f.endsWith('.whl')) : undefined;
  const javaDist = path.join(ROOT, 'dist', 'java', JAVA_COORDINATES);
  const javaVersion = fs.existsSync(javaDist)
    ? fs.readdirSync(javaDist).find(v => fs.existsSync(path.join(javaDist, v, `cdk-xray-constructs-${v}.jar`)))
    : undefined;
  return { wheel: wheel && path.join(pythonDist, wheel), javaVersion };
}

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.error?.message ?? ''}\n` +
      `${result.stdout.slice(-4000)}${result.stderr.slice(-4000)}`);
  }
  return result.stdout;
}

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * A virtual environment with the pinned requirements and the wheel in dist/python; returns its Python executable.
 * The first call on a machine creates it (about 40 s); later calls reinstall only a changed wheel.
 */
export function pythonEnvironment(): string {
  const { wheel } = distPackages();
  if (!wheel) {
    throw new MissingPackageError('No wheel in dist/python: run `npx projen package:python` (or `npx projen package-all`).');
  }
  const requirements = path.join(PYTHON_DIR, 'requirements.txt');
  const pythonVersion = run('python3', ['--version']).trim();
  const venv = path.join(CACHE, 'python-examples', sha256(fs.readFileSync(requirements, 'utf8') + pythonVersion).slice(0, 16));
  const python = path.join(venv, 'bin', 'python');
  const complete = path.join(venv, '.requirements-installed');
  if (!fs.existsSync(complete)) {
    fs.rmSync(venv, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(venv), { recursive: true });
    run('python3', ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirements]);
    fs.writeFileSync(complete, '');
  }
  const installedWheel = path.join(venv, '.wheel-sha256');
  const wheelSha = sha256(fs.readFileSync(wheel));
  if (!fs.existsSync(installedWheel) || fs.readFileSync(installedWheel, 'utf8') !== wheelSha) {
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', '--force-reinstall', wheel]);
    fs.writeFileSync(installedWheel, wheelSha);
  }
  return python;
}

/**
 * Compiles examples/java against the artifact in dist/java (a Maven repository the pom declares) and returns the
 * classpath to run the apps with. The copy of the artifact in ~/.m2 is removed first, so the build takes dist's.
 */
export function javaClasspath(): string {
  const { javaVersion } = distPackages();
  if (!javaVersion) {
    throw new MissingPackageError('No Maven artifact in dist/java: run `npx projen package:java` (or `npx projen package-all`).');
  }
  fs.rmSync(path.join(os.homedir(), '.m2', 'repository', JAVA_COORDINATES, javaVersion), { recursive: true, force: true });
  const classpathFile = path.join(JAVA_DIR, 'target', 'classpath.txt');
  run('mvn', ['-B', '-q', '-Dstyle.color=never', `-Dcdk-xray-constructs.version=${javaVersion}`,
    'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], { cwd: JAVA_DIR });
  return [path.join(JAVA_DIR, 'target', 'classes'), fs.readFileSync(classpathFile, 'utf8').trim()].join(path.delimiter);
}

/** What the apps need to run: the Python executable and the Java classpath (set up once per process). */
export interface PolyglotEnvironment {
  readonly python: string;
  readonly javaClasspath: string;
}

/** The command that runs an example app, as a user would run it (from the directory a cdk.json would be in). */
export function appCommand(env: PolyglotEnvironment, language: Language, example: PolyglotExample):
{ command: string; args: string[]; cwd: string } {
  switch (language) {
    case 'typescript':
      return {
        command: process.execPath,
        args: [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only',
          '--project', path.join(ROOT, 'test', 'tsconfig.json'), path.join(ROOT, 'examples', example, 'app.ts')],
        cwd: ROOT,
      };
    case 'python':
      return { command: env.python, args: ['app.py'], cwd: path.join(PYTHON_DIR, example) };
    case 'java':
      return { command: 'java', args: ['-cp', env.javaClasspath, JAVA_MAIN[example]], cwd: JAVA_DIR };
  }
}

export interface SynthResult {
  readonly status: number | null;
  readonly output: string;
  readonly outdir: string;
  readonly wallMs: number;
}

export interface SynthOptions {
  /** Context values (`-c key=value` / CDK_CONTEXT_JSON). */
  readonly context?: Record<string, string>;
  /** Run through the CDK CLI (`cdk synth --app ...`), as CI does, instead of running the app directly. */
  readonly viaCli?: boolean;
}

/** Synthesizes one example in one language into `outdir`, in its own process. */
export function synth(env: PolyglotEnvironment, language: Language, example: PolyglotExample, outdir: string,
  options: SynthOptions = {}): Promise<SynthResult> {
  const app = appCommand(env, language, example);
  const context = options.context ?? {};
  let command = app.command;
  let args = app.args;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
  if (options.viaCli) {
    // Plain words: the CLI splits --app on whitespace and quotes each word itself.
    const words = [app.command, ...app.args];
    if (words.some(w => /\s/.test(w))) {
      throw new Error(`cannot pass a path with whitespace to cdk synth --app: ${words.join(' ')}`);
    }
    command = process.execPath;
    args = [path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--no-notices', '--quiet', '--output', outdir,
      '--app', words.join(' '), ...Object.entries(context).flatMap(([k, v]) => ['--context', `${k}=${v}`])];
  } else {
    childEnv.CDK_OUTDIR = outdir;
    childEnv.CDK_CONTEXT_JSON = JSON.stringify(context);
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: app.cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => { output += chunk; });
    child.stderr.on('data', chunk => { output += chunk; });
    child.on('error', reject);
    child.on('close', status => resolve({ status, output, outdir, wallMs: Date.now() - started }));
  });
}

/** Runs `tasks` with at most `limit` of them at a time, keeping their order in the result. */
export async function inParallel<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  });
  await Promise.all(workers);
  return results;
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
