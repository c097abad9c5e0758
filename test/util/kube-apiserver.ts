import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * A real Kubernetes API server (and its etcd) on 127.0.0.1, for proving that the manifests the library emits are
 * accepted: `dryRun` creates objects with `dryRun=All` and `fieldValidation=Strict`, so unknown and duplicate fields,
 * schema violations and missing required fields are rejected with the server's own message. The binaries are built by
 * scripts/kube/build.sh and cached outside the repo.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD = path.join(ROOT, 'scripts', 'kube', 'build.sh');
const STARTUP_TIMEOUT_MS = 90_000;

/** A Kubernetes object as JSON. */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** What the server answered to a dry-run create. */
export interface DryRunResult {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The object the server would have stored (defaults filled in). */
  readonly object: KubeManifest;
  /** Warnings the server sent (Warning headers). */
  readonly warnings: string[];
}

/** A running API server. */
export interface KubeApiServer {
  readonly url: string;
  /** Milliseconds from spawning etcd to /readyz answering ok. */
  readonly startupMs: number;
  /** GET a path of the API; throws unless the status is 2xx. */
  get(apiPath: string): Promise<any>;
  /** Server-side dry-run create of each manifest (strict field validation); throws with the server's message. */
  dryRun(manifest: KubeManifest): Promise<DryRunResult>;
  dryRun(manifests: KubeManifest[]): Promise<DryRunResult[]>;
  /** Creates the object for real (namespaces, CRDs). */
  apply(manifest: KubeManifest): Promise<KubeManifest>;
  /** Creates the CRDs and waits until each is Established and served by discovery. */
  installCrds(crds: KubeManifest[]): Promise<void>;
  /** Kills both processes and removes the temporary directories. */
  stop(): Promise<void>;
}

/** The directory holding the kube-apiserver and etcd binaries (built or not). */
export function kubeBinariesDir(): string {
  return execFileSync('bash', [BUILD, '--where'], { encoding: 'utf8' }).trim();
}

/** Whether both binaries are built. */
export function kubeBinariesAvailable(): boolean {
  const dir = kubeBinariesDir();
  return ['kube-apiserver', 'etcd'].every(bin => isExecutable(path.join(dir, bin)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.on('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Never leave a server behind, even when a test run is interrupted.
    process.on('exit', () => running.forEach(c => c.kill('SIGKILL')));
  }
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Response { status: number; body: any; text: string; warnings: string[] }

/** Starts etcd and kube-apiserver on free loopback ports and waits until the API server is ready. */
export async function startApiServer(): Promise<KubeApiServer> {
  const binDir = kubeBinariesDir();
  for (const bin of ['kube-apiserver', 'etcd']) {
    if (!isExecutable(path.join(binDir, bin))) {
      throw new Error(`${path.join(binDir, bin)} is not built. Build it (about 13 minutes the first time) with: bash scripts/kube/build.sh`);
    }
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-apiserver-'));
  const token = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,"system:masters"\n`);
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));

  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const etcdLog = path.join(dir, 'etcd.log');
  const apiLog = path.join(dir, 'kube-apiserver.log');
  const etcd = spawn(path.join(binDir, 'etcd'), [
    '--name=test',
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`,
    '--log-level=warn',
  ], { stdio: ['ignore', fs.openSync(etcdLog, 'a'), fs.openSync(etcdLog, 'a')] });
  track(etcd);
  const apiserver = spawn(path.join(binDir, 'kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--cert-dir=${path.join(dir, 'certs')}`,
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    '--authorization-mode=AlwaysAllow',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${path.join(dir, 'sa.key')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--endpoint-reconciler-type=none',
    // No controller manager runs: the ServiceAccount admission plugin would reject pods for a missing default account.
    '--disable-admission-plugins=ServiceAccount',
  ], { stdio: ['ignore', fs.openSync(apiLog, 'a'), fs.openSync(apiLog, 'a')] });
  track(apiserver);

  const url = `https://127.0.0.1:${securePort}`;
  // Loopback only: the serving certificate is the one the API server generated for itself.
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });

  function request(method: string, apiPath: string, body?: unknown): Promise<Response> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${url}${apiPath}`, {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
        },
      }, res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = undefined;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const header = res.headers.warning;
          const warnings = (header === undefined ? [] : Array.isArray(header) ? header : [header]).map(w => w.replace(/^299 - /, ''));
          resolve({ status: res.statusCode ?? 0, body: parsed, text, warnings });
        });
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${apiPath}: no answer in 30 s`)));
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  let stopped = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    agent.destroy();
    for (const child of [apiserver, etcd]) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Wait for /readyz (etcd connected, post-start hooks done: built-in API groups and CRD discovery served).
  let lastError = '';
  for (;;) {
    if (apiserver.exitCode !== null || etcd.exitCode !== null) {
      const which = apiserver.exitCode !== null ? `kube-apiserver exited with ${apiserver.exitCode}` : `etcd exited with ${etcd.exitCode}`;
      const logs = `kube-apiserver log:\n${tail(apiLog)}\netcd log:\n${tail(etcdLog, 10)}`;
      await stop();
      throw new Error(`${which}.\n${logs}`);
    }
    if (Date.now() - started > STARTUP_TIMEOUT_MS) {
      const logs = `kube-apiserver log:\n${tail(apiLog)}`;
      await stop();
      throw new Error(`kube-apiserver not ready after ${STARTUP_TIMEOUT_MS / 1000} s (last answer: ${lastError}).\n${logs}`);
    }
    try {
      const res = await request('GET', '/readyz');
      if (res.status === 200 && res.text.trim() === 'ok') break;
      lastError = `${res.status} ${res.text.slice(0, 300)}`;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(200);
  }
  const startupMs = Date.now() - started;

  /** groupVersion → kind → { plural, namespaced } from discovery. */
  const discovery = new Map<string, Map<string, { name: string; namespaced: boolean }>>();
  async function discover(groupVersion: string, refresh: boolean): Promise<Map<string, { name: string; namespaced: boolean }> | undefined> {
    if (!refresh && discovery.has(groupVersion)) return discovery.get(groupVersion);
    const res = await request('GET', groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`discovery of ${groupVersion}: ${res.status} ${res.text}`);
    const kinds = new Map<string, { name: string; namespaced: boolean }>();
    for (const r of res.body.resources as Array<{ name: string; kind: string; namespaced: boolean }>) {
      if (!r.name.includes('/')) kinds.set(r.kind, { name: r.name, namespaced: r.namespaced });
    }
    discovery.set(groupVersion, kinds);
    return kinds;
  }

  async function resourcePath(manifest: KubeManifest): Promise<{ path: string; namespace?: string }> {
    const { apiVersion, kind } = manifest;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      throw new Error(`not a Kubernetes object (apiVersion and kind required): ${JSON.stringify(manifest).slice(0, 200)}`);
    }
    let resource = (await discover(apiVersion, false))?.get(kind);
    if (resource === undefined) resource = (await discover(apiVersion, true))?.get(kind);
    if (resource === undefined) throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (!resource.namespaced) return { path: `${prefix}/${resource.name}` };
    const namespace = manifest.metadata?.namespace ?? 'default';
    await ensureNamespace(namespace);
    return { path: `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`, namespace };
  }

  const namespaces = new Set<string>(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  async function ensureNamespace(namespace: string): Promise<void> {
    if (namespaces.has(namespace)) return;
    const res = await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating namespace ${namespace}: ${message(res)}`);
    namespaces.add(namespace);
  }

  function message(res: Response): string {
    return res.body?.message ?? `${res.status} ${res.text}`;
  }

  function describe(manifest: KubeManifest): string {
    return `${manifest.apiVersion} ${manifest.kind} ${manifest.metadata?.name ?? '(no name)'}`;
  }

  async function create(manifest: KubeManifest, dryRun: boolean): Promise<{ object: KubeManifest; warnings: string[]; namespace?: string }> {
    const target = await resourcePath(manifest);
    const query = `?fieldValidation=Strict${dryRun ? '&dryRun=All' : ''}`;
    const res = await request('POST', `${target.path}${query}`, manifest);
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`${describe(manifest)} rejected (HTTP ${res.status}): ${message(res)}`);
    }
    return { object: res.body, warnings: res.warnings, namespace: target.namespace };
  }

  async function dryRunOne(manifest: KubeManifest): Promise<DryRunResult> {
    const { object, warnings, namespace } = await create(manifest, true);
    return { kind: manifest.kind, name: (object.metadata?.name as string | undefined) ?? '', namespace, object, warnings };
  }

  async function dryRun(manifest: KubeManifest): Promise<DryRunResult>;
  async function dryRun(manifests: KubeManifest[]): Promise<DryRunResult[]>;
  async function dryRun(input: KubeManifest | KubeManifest[]): Promise<DryRunResult | DryRunResult[]> {
    if (!Array.isArray(input)) return dryRunOne(input);
    const results: DryRunResult[] = [];
    for (const manifest of input) results.push(await dryRunOne(manifest));
    return results;
  }

  async function installCrds(crds: KubeManifest[]): Promise<void> {
    for (const crd of crds) await create(crd, false);
    for (const crd of crds) {
      const name = crd.metadata?.name as string;
      const spec = crd.spec as { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean }> };
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        const established = (res.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
        let served = established;
        for (const version of spec.versions.filter(v => v.served)) {
          if (!served) break;
          served = (await discover(`${spec.group}/${version.name}`, true))?.has(spec.names.kind) ?? false;
        }
        if (served) break;
        if (Date.now() > deadline) throw new Error(`CRD ${name} not Established and discoverable after 30 s: ${res.text.slice(0, 500)}`);
        await sleep(100);
      }
    }
  }

  return {
    url,
    startupMs,
    get: async (apiPath: string) => {
      const res = await request('GET', apiPath);
      if (res.status < 200 || res.status >= 300) throw new Error(`GET ${apiPath}: ${message(res)}`);
      return res.body ?? res.text;
    },
    dryRun,
    apply: async (manifest: KubeManifest) => (await create(manifest, false)).object,
    installCrds,
    stop,
  };
}

/** The OpenTelemetry Operator's CRDs (test/kube/crds). */
export function openTelemetryOperatorCrds(): KubeManifest[] {
  const crdDir = path.join(ROOT, 'test', 'kube', 'crds');
  return fs.readdirSync(crdDir).filter(f => f.endsWith('.json')).sort()
    .map(f => JSON.parse(fs.readFileSync(path.join(crdDir, f), 'utf8')) as KubeManifest);
}
