import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * Helpers of the loopback end-to-end test: locating the real binaries and apps, starting and stopping processes on
 * 127.0.0.1, bounded waiting, and a small client for the X-Ray API that moto serves.
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const LOOPBACK = '127.0.0.1';
export const TOOLS_DIR = process.env.CDK_XRAY_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'cdk-xray-constructs');

/** A tool the test needs: where it is, or why it is missing. */
export type Tool = { path: string; missing?: undefined } | { path?: undefined; missing: string };

function runScript(script: string, args: string[], timeoutMs: number): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', [path.join(ROOT, script), ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/** The OpenTelemetry Collector with the ADOT components (scripts/otelcol/build.sh, or OTELCOL_BIN). */
export function findCollector(): Tool {
  if (process.env.OTELCOL_BIN) {
    return fs.existsSync(process.env.OTELCOL_BIN) ? { path: process.env.OTELCOL_BIN } : { missing: `OTELCOL_BIN=${process.env.OTELCOL_BIN} does not exist` };
  }
  const r = runScript('scripts/otelcol/build.sh', [], 30 * 60_000);
  const bin = lastLine(r.stdout);
  return r.status === 0 && fs.existsSync(bin) ? { path: bin } : { missing: `scripts/otelcol/build.sh failed (exit ${r.status}): ${lastLine(r.stderr)}` };
}

/** The X-Ray daemon: a path, or why it is missing; `unavailable` holds the Go module proxy's refusal, if that is why. */
export function findDaemon(): Tool & { unavailable?: string } {
  const r = runScript('scripts/xray-daemon/build.sh', [], 15 * 60_000);
  const bin = lastLine(r.stdout);
  if (r.status === 0 && fs.existsSync(bin)) {
    return { path: bin };
  }
  if (r.status === 3) {
    const reason = r.stderr.split('\n').find(l => /403 Forbidden|404 Not Found|410 Gone/.test(l))?.trim() ?? lastLine(r.stderr);
    return { missing: `the Go module proxy does not serve github.com/aws/aws-xray-daemon: ${reason}`, unavailable: reason };
  }
  return { missing: `scripts/xray-daemon/build.sh failed (exit ${r.status}): ${lastLine(r.stderr)}` };
}

/** The example apps' npm dependencies, installed from their lockfiles (scripts/e2e/install-apps.sh): example → dir. */
export function findAppModules(): { dirs: Record<string, string>; missing?: string } {
  const r = runScript('scripts/e2e/install-apps.sh', [], 10 * 60_000);
  const dirs = Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map(l => l.split(' ') as [string, string]));
  return r.status === 0 ? { dirs } : { dirs, missing: `scripts/e2e/install-apps.sh failed (exit ${r.status}): ${lastLine(r.stderr)}` };
}

/** moto_server (requirements-dev.txt). */
export function findMoto(): Tool {
  const r = spawnSync('moto_server', ['--help'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? { path: 'moto_server' } : { missing: `moto_server is not runnable (${r.error?.message ?? r.stderr}); pip install -r requirements-dev.txt` };
}

/** Waits until `check` returns a value other than undefined, at most `timeoutMs` and `timeoutMs / intervalMs` tries. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const tries = Math.ceil(timeoutMs / intervalMs);
  let lastError: unknown;
  for (let i = 0; i < tries && Date.now() < deadline; i++) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A loopback TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Throws a clear error when a port the configuration fixes is taken on 127.0.0.1. */
export async function assertPortFree(port: number, protocol: 'tcp' | 'udp', forWhat: string): Promise<void> {
  const busy = await new Promise<boolean>(resolve => {
    if (protocol === 'tcp') {
      const server = net.createServer();
      server.once('error', () => resolve(true));
      server.listen(port, LOOPBACK, () => server.close(() => resolve(false)));
    } else {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(true));
      socket.bind(port, LOOPBACK, () => socket.close(() => resolve(false)));
    }
  });
  if (busy) {
    throw new Error(`${LOOPBACK}:${port}/${protocol} is in use, but ${forWhat} must listen there (the task definition fixes that port). ` +
      'Stop whatever holds it (an X-Ray daemon, a collector) and run the test again.');
  }
}

/** Environment for child processes: no proxies, no real AWS credentials, fake ones for moto. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    if (process.env[k] !== undefined) {
      env[k] = process.env[k]!;
    }
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_PROXY: '*',
    ...extra,
  };
}

/** The processes one test started; `stopAll` ends each (SIGTERM, then SIGKILL) and is safe to call twice. */
export class Processes {
  private readonly running: Array<{ name: string; child: ChildProcess; log: string }> = [];

  constructor(public readonly logDir: string) {}

  public start(name: string, command: string, args: string[], options: { env: Record<string, string>; cwd?: string }): ChildProcess {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    child.on('error', e => fs.appendFileSync(log, `\nspawn error: ${e.message}\n`));
    this.running.push({ name, child, log });
    return child;
  }

  /** The last lines of a process's output, for an assertion message. */
  public tail(name: string, lines = 30): string {
    const entry = this.running.find(r => r.name === name);
    if (!entry || !fs.existsSync(entry.log)) {
      return '';
    }
    return fs.readFileSync(entry.log, 'utf8').trim().split('\n').slice(-lines).join('\n');
  }

  public assertRunning(name: string): void {
    const entry = this.running.find(r => r.name === name);
    if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) {
      throw new Error(`${name} is not running (exit ${entry?.child.exitCode}, signal ${entry?.child.signalCode}):\n${this.tail(name)}`);
    }
  }

  /**
   * Starts a Node.js script with an IPC channel to this process (`child.send`, `process.send` in the child); output
   * goes to the log like `start`'s.
   */
  public startNode(name: string, script: string, options: { env: Record<string, string>; cwd?: string }): ChildProcess {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(process.execPath, [script], { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd, 'ipc'], detached: true });
    fs.closeSync(fd);
    child.on('error', e => fs.appendFileSync(log, `\nspawn error: ${e.message}\n`));
    this.running.push({ name, child, log });
    return child;
  }

  public async stopAll(): Promise<void> {
    const entries = this.running.splice(0).reverse();
    await Promise.all(entries.map(({ child }) => stop(child)));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  signal(child.pid, 'SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), unrefSleep(5_000).then(() => false)]);
  if (!graceful) {
    signal(child.pid, 'SIGKILL');
    await Promise.race([exited, unrefSleep(2_000)]);
  }
}

/** A sleep that does not keep the process alive. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // the process group: the process and anything it started
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Holds the lock scripts/otelcol/validate.sh takes around anything that binds port 2000, for as long as this process
 * lives (a helper that exits when its parent does), so a parallel test worker validating configurations with an X-Ray
 * receiver does not collide with the sidecars started here.
 */
export async function holdPort2000Lock(processes: Processes): Promise<void> {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  const lock = path.join(TOOLS_DIR, '.validate.lock');
  const script = 'exec 8>"$1"; flock -w 300 8 || exit 3; echo LOCKED; ' +
    'for i in $(seq 1 3600); do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done';
  if (spawnSync('sh', ['-c', 'command -v flock'], { encoding: 'utf8' }).status !== 0) {
    return; // no flock (macOS): nothing to coordinate with either
  }
  processes.start('port-2000-lock', 'bash', ['-c', script, 'lock', lock, String(process.pid)], { env: baseEnv({}) });
  await waitFor('the port 2000 lock', async () => processes.tail('port-2000-lock').includes('LOCKED') ? true : undefined, 300_000, 200);
}

/** An X-Amzn-Trace-Id header as an upstream traced caller sends it (Root, Parent, Sampled=1), with its parts. */
export function upstreamTraceHeader(): { header: string; traceId: string; parentId: string } {
  const traceId = `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
  const parentId = randomBytes(8).toString('hex');
  return { header: `Root=${traceId};Parent=${parentId};Sampled=1`, traceId, parentId };
}

/** A GET on the app with a bounded time; resolves to the status code. */
export function get(port: number, urlPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: LOOPBACK, port, path: urlPath, headers, timeout: 10_000 }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
  });
}

/** Runs `tasks` with at most `limit` at a time. */
export async function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** One segment document as the X-Ray API returns it. */
export interface SegmentDocument {
  readonly id: string;
  readonly name: string;
  readonly trace_id: string;
  readonly parent_id?: string;
  readonly fault?: boolean;
  readonly error?: boolean;
  readonly http?: { response?: { status?: number } };
  readonly annotations?: Record<string, unknown>;
  readonly metadata?: Record<string, Record<string, unknown>>;
}

/**
 * The X-Ray API (GetTraceSummaries, BatchGetTraces) at a local endpoint. moto routes a request by the service in the
 * Authorization header's credential scope and does not check signatures, so the header carries a fake one.
 */
export class XRayApi {
  constructor(private readonly endpoint: string, private readonly region: string) {}

  /** Trace IDs of the traces whose segments fall in [start, end] (seconds since the epoch). */
  public async traceIds(startSeconds: number, endSeconds: number): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 100; page++) {
      const body = await this.call('/TraceSummaries', { StartTime: startSeconds, EndTime: endSeconds, ...(token ? { NextToken: token } : {}) });
      ids.push(...(body.TraceSummaries ?? []).map((s: any) => s.Id as string));
      token = body.NextToken;
      if (!token) {
        return ids;
      }
    }
    throw new Error('GetTraceSummaries returned more than 100 pages');
  }

  /** The segment documents of the given traces, five trace IDs per BatchGetTraces call as X-Ray allows. */
  public async segments(traceIds: string[]): Promise<SegmentDocument[]> {
    const docs: SegmentDocument[] = [];
    for (let i = 0; i < traceIds.length; i += 5) {
      const body = await this.call('/Traces', { TraceIds: traceIds.slice(i, i + 5) });
      for (const trace of body.Traces ?? []) {
        docs.push(...(trace.Segments ?? []).map((s: any) => JSON.parse(s.Document) as SegmentDocument));
      }
    }
    return docs;
  }

  private async call(apiPath: string, payload: unknown): Promise<any> {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const res = await fetch(`${this.endpoint}${apiPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'authorization': `AWS4-HMAC-SHA256 Credential=testing/${date}/${this.region}/xray/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`X-Ray API ${apiPath}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    return JSON.parse(text);
  }
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(processes: Processes, region: string): Promise<{ endpoint: string; api: XRayApi }> {
  const port = await freePort();
  processes.start('moto', 'moto_server', ['-H', LOOPBACK, '-p', String(port)], { env: baseEnv({ AWS_DEFAULT_REGION: region }) });
  const endpoint = `http://${LOOPBACK}:${port}`;
  const api = new XRayApi(endpoint, region);
  await waitFor('moto_server', async () => {
    processes.assertRunning('moto');
    return (await api.traceIds(0, 1)) ? true : undefined;
  }, 60_000, 250);
  return { endpoint, api };
}

/**
 * A CloudFormation value as deploy time would make it: `Fn::Join` joined, `Ref` to a pseudo parameter or resource
 * replaced from `refs` (a resource name defaults to its logical ID).
 */
export function resolveValue(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value);
  }
  const v = value as any;
  if (v?.['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'];
    return parts.map((p: unknown) => resolveValue(p, refs)).join(sep);
  }
  if (v?.Ref) {
    return refs[v.Ref] ?? v.Ref;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** The app's container command and the files its image holds, read from the app's Dockerfile. */
export function dockerfileOf(appDir: string): { cmd: string[]; files: string[] } {
  const text = fs.readFileSync(path.join(appDir, 'Dockerfile'), 'utf8');
  const cmdLine = text.split('\n').find(l => l.startsWith('CMD '));
  if (!cmdLine) {
    throw new Error(`${appDir}/Dockerfile has no CMD`);
  }
  const files = text.split('\n')
    .filter(l => l.startsWith('COPY '))
    .flatMap(l => l.slice(5).trim().split(/\s+/).slice(0, -1))
    .filter(f => !f.startsWith('package'));
  return { cmd: JSON.parse(cmdLine.slice(4)), files };
}

/** Copies the app's files (as its image holds them) into `dir`, with the installed node_modules linked in. */
export function stageApp(appDir: string, modulesDir: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of dockerfileOf(appDir).files) {
    fs.copyFileSync(path.join(appDir, f), path.join(dir, f));
  }
  fs.symlinkSync(path.join(modulesDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** A loopback UDP port nobody listens on now. */
export async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });
}

/** Sends segment documents to an X-Ray daemon endpoint (UDP), one datagram each, with the daemon's header line. */
export async function sendSegmentDocuments(port: number, documents: unknown[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  try {
    for (const doc of documents) {
      const datagram = Buffer.from(`{"format": "json", "version": 1}\n${JSON.stringify(doc)}`, 'utf8');
      await new Promise<void>((resolve, reject) => socket.send(datagram, port, LOOPBACK, e => (e ? reject(e) : resolve())));
    }
  } finally {
    socket.close();
  }
}

/** One span of an OTLP export request, with its resource's attributes. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

/**
 * Decodes an OTLP `ExportTraceServiceRequest` (protobuf) into its spans: the fields the assertions read, from the
 * wire format of opentelemetry-proto's trace/v1 and common/v1 messages.
 */
export function decodeOtlpTraces(data: Uint8Array): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const rs of fieldsOf(data).filter(f => f.no === 1)) { // ResourceSpans
    const rsFields = fieldsOf(rs.bytes!);
    const resourceMsg = rsFields.find(f => f.no === 1);
    const resource = resourceMsg ? keyValues(fieldsOf(resourceMsg.bytes!).filter(f => f.no === 1)) : {};
    for (const ss of rsFields.filter(f => f.no === 2)) { // ScopeSpans
      for (const sp of fieldsOf(ss.bytes!).filter(f => f.no === 2)) { // Span
        const f = fieldsOf(sp.bytes!);
        const hex = (no: number) => Buffer.from(f.find(x => x.no === no)?.bytes ?? []).toString('hex');
        spans.push({
          traceId: hex(1),
          spanId: hex(2),
          parentSpanId: hex(4),
          name: Buffer.from(f.find(x => x.no === 5)?.bytes ?? []).toString('utf8'),
          kind: Number(f.find(x => x.no === 6)?.varint ?? 0),
          attributes: keyValues(f.filter(x => x.no === 9)),
          resource,
        });
      }
    }
  }
  return spans;
}

interface WireField { no: number; varint?: bigint; bytes?: Uint8Array }

/* eslint-disable no-bitwise */ // the protobuf wire format is bit fields

function fieldsOf(data: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = data[i++];
      if (b === undefined) {
        throw new Error('truncated protobuf varint');
      }
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return result;
      }
    }
  };
  while (i < data.length) {
    const key = Number(varint());
    const no = key >>> 3;
    switch (key & 7) {
      case 0: fields.push({ no, varint: varint() }); break;
      case 1: i += 8; fields.push({ no }); break;
      case 2: {
        const len = Number(varint());
        if (i + len > data.length) {
          throw new Error('truncated protobuf field');
        }
        fields.push({ no, bytes: data.subarray(i, i + len) });
        i += len;
        break;
      }
      case 5: i += 4; fields.push({ no }); break;
      default: throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return fields;
}

/* eslint-enable no-bitwise */

/** KeyValue messages (key = 1, AnyValue = 2) as an object: strings, booleans, integers, doubles and string arrays. */
function keyValues(kvs: WireField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs) {
    const f = fieldsOf(kv.bytes!);
    const key = Buffer.from(f.find(x => x.no === 1)?.bytes ?? []).toString('utf8');
    const value = f.find(x => x.no === 2);
    out[key] = value ? anyValue(value.bytes!) : undefined;
  }
  return out;
}

function anyValue(data: Uint8Array): unknown {
  const [f] = fieldsOf(data);
  if (!f) {
    return undefined;
  }
  switch (f.no) {
    case 1: return Buffer.from(f.bytes!).toString('utf8');
    case 2: return f.varint !== 0n;
    case 3: return Number(f.varint);
    case 5: return fieldsOf(f.bytes!).filter(x => x.no === 1).map(x => anyValue(x.bytes!)); // ArrayValue
    default: return `<AnyValue field ${f.no}>`;
  }
}
