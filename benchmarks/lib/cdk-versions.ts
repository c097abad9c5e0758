/**
 * Runs a benchmark's child processes on a chosen aws-cdk-lib version without touching the repository's node_modules:
 * the version is installed once into a cache directory outside the repository, and each child process is started with
 * a preload (`use-cdk.js`) that resolves `aws-cdk-lib` and `constructs` from there, whoever asks (the library's sources,
 * the benchmark app, cdk-nag). With the version node_modules already holds, nothing is installed or preloaded.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The aws-cdk-lib version the repository's node_modules holds (the minimum supported one). */
export function installedCdkVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
}

/**
 * The node arguments and environment that make a child process use aws-cdk-lib `version`; installs it (with the
 * repository's `constructs` version, so one copy of each is loaded) into the tools cache the first time.
 */
export function cdkRuntime(version: string): { readonly nodeArgs: string[]; readonly env: Record<string, string> } {
  if (version === installedCdkVersion()) {
    return { nodeArgs: [], env: {} };
  }
  const constructsVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'constructs', 'package.json'), 'utf8')).version;
  const cache = process.env.CDK_XRAY_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'cdk-xray-constructs');
  const dir = path.join(cache, `bench-aws-cdk-lib-${version}`);
  const marker = path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json');
  if (!fs.existsSync(marker) || JSON.parse(fs.readFileSync(marker, 'utf8')).version !== version) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-aws-cdk-lib', private: true }));
    process.stderr.write(`Installing aws-cdk-lib ${version} into ${dir}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
      `aws-cdk-lib@${version}`, `constructs@${constructsVersion}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return {
    nodeArgs: ['--require', path.join(__dirname, 'use-cdk.js')],
    env: { BENCH_CDK_ROOT: dir },
  };
}

/** The versions to measure: `--cdk a,b` on the command line, else the installed one. */
export function cdkVersionsFromArgs(argv: string[]): { readonly versions: string[]; readonly rest: string[] } {
  const rest: string[] = [];
  let versions = [installedCdkVersion()];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cdk') {
      versions = (argv[++i] ?? '').split(',').filter(v => v.length > 0);
    } else {
      rest.push(argv[i]);
    }
  }
  return { versions, rest };
}
