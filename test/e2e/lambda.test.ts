import { ChildProcess } from 'child_process';
import { createHash, createHmac, randomBytes, randomUUID } from 'crypto';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ddb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  baseEnv, decodeOtlpTraces, findAppModules, findCollector, findMoto, freePort, freeUdpPort, get, LOOPBACK, OtlpSpan,
  Processes, resolveValue, SegmentDocument, sendSegmentDocuments, startMoto, TOOLS_DIR, waitFor, XRayApi,
} from './harness';
import { ServerlessApiStack } from '../../examples/serverless-api/stack';
import { AnnotationFindingKind, AnnotationKeySource, AnnotationPolicy, LambdaInstrumentation, TracedFunction } from '../../src';

/**
 * End to end on loopback for Lambda: the functions of examples/serverless-api (a TracedRestApi in front of two
 * TracedFunctions) run as local Node.js processes with the environment their synthesized template gives them, plus
 * what the Lambda runtime sets, and their traces are read back through the X-Ray API that moto serves.
 *
 * - write-item (LambdaInstrumentation.powertools()): Powertools for AWS Lambda's Tracer, the real npm package, sends
 *   subsegments to AWS_XRAY_DAEMON_ADDRESS, here the X-Ray receiver (UDP) of a real OpenTelemetry Collector with the
 *   ADOT components, whose X-Ray exporter writes to moto.
 * - read-item (LambdaInstrumentation.adot()): the AWS Distro for OpenTelemetry for Node.js (0.13.0, what the
 *   AWSOpenTelemetryDistroJs layer carries), loaded as the layer's /opt/otel-instrument wrapper loads it, exports with
 *   its OTLP UDP exporter to AWS_XRAY_DAEMON_ADDRESS.
 * - read-item with LambdaInstrumentation.adot({ directExport: true }): the template sets
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, and the distro signs (SigV4) and sends OTLP/HTTP there, answered in the process.
 *
 * What Lambda does, and where that is documented:
 * - Runtime variables: _HANDLER, _X_AMZN_TRACE_ID (the X-Ray tracing header; changes with each invocation), AWS_REGION,
 *   AWS_DEFAULT_REGION, AWS_EXECUTION_ENV (AWS_Lambda_nodejs24.x), AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
 *   AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_INITIALIZATION_TYPE, AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, the
 *   execution role's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR,
 *   TZ, LANG; a function may not set the reserved ones. https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 * - For X-Ray: _X_AMZN_TRACE_ID holds the sampling decision, trace ID and parent segment ID; AWS_XRAY_CONTEXT_MISSING is
 *   LOG_ERROR; AWS_XRAY_DAEMON_ADDRESS is IP_ADDRESS:PORT. https://docs.aws.amazon.com/lambda/latest/dg/lambda-x-ray.html
 *   The header is Root=<trace ID>;Parent=<segment ID>;Sampled=<0|1>.
 *   https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * - A request Lambda serves shows a Lambda service node (AWS::Lambda) and a function node (AWS::Lambda::Function),
 *   recorded by Lambda; the code's subsegments extend the function's. https://docs.aws.amazon.com/lambda/latest/dg/using-x-ray.html
 * - AWS_LAMBDA_EXEC_WRAPPER names a script Lambda starts the runtime with, passing it the runtime's command line.
 *   https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html
 * - Powertools Tracer: POWERTOOLS_SERVICE_NAME is the Service annotation and the metadata namespace; the handler
 *   instrumentation (captureLambdaHandler, or by hand as write-item.js does) adds the ColdStart and Service annotations;
 *   the Tracer turns itself off outside Lambda. https://docs.aws.amazon.com/powertools/typescript/latest/features/tracer
 * - The AWSOpenTelemetryDistroJs layer's /opt/otel-instrument (aws-observability/aws-otel-js-instrumentation,
 *   lambda-layer/packages/layer/scripts/otel-instrument at commit bd0a2507db259a3d534d71fc622ce94241089a6e) sets
 *   OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER to none, OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf,
 *   OTEL_NODE_ENABLED_INSTRUMENTATIONS=aws-sdk,aws-lambda,http, OTEL_SERVICE_NAME (default: the function name),
 *   OTEL_PROPAGATORS=baggage,tracecontext,xray, OTEL_AWS_APPLICATION_SIGNALS_ENABLED (default true), the Lambda resource
 *   attributes and service.name in OTEL_RESOURCE_ATTRIBUTES, and on Node.js 24 (from AWS_EXECUTION_ENV) adds
 *   `--import /opt/wrapper.mjs` to NODE_OPTIONS with HANDLER_IS_ESM=true; wrapper.mjs (src/wrapper.mjs) registers
 *   import-in-the-middle and loads the distro's register entry point. `lambdaWrapperEnvironment` below does the same.
 * - The distro in Lambda (AWS_LAMBDA_FUNCTION_NAME set) with no OTEL_EXPORTER_OTLP_TRACES_ENDPOINT exports with
 *   OTLPUdpSpanExporter to AWS_XRAY_DAEMON_ADDRESS, one datagram per export: `{"format":"json","version":1}\n`, then
 *   `T1S` (sampled spans) and the base64 of the OTLP protobuf; an endpoint matching
 *   ^https://xray\.([a-z0-9-]+)\.amazonaws\.com/v1/traces$ selects OTLPAwsSpanExporter, which signs for service xray
 *   (build/src/aws-opentelemetry-configurator.js configureOtlp, build/src/otlp-udp-exporter.js,
 *   build/src/exporter/otlp/aws/common/aws-authenticator.js of the npm package).
 * - The X-Ray OTLP endpoint is https://xray.<Region>.amazonaws.com/v1/traces, OTLP/HTTP (binary or JSON), SigV4.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLPEndpoint.html
 * - An OpenTelemetry attribute becomes an X-Ray annotation when the span lists its key in `aws.xray.annotations` (or
 *   the exporter's indexed_attributes names it); the rest is metadata.
 *   https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/exporter/awsxrayexporter
 *
 * What differs from Lambda, on purpose:
 * - Lambda's X-Ray endpoint (AWS_XRAY_DAEMON_ADDRESS) is stood in for by a collector on free ports of 127.0.0.1: its
 *   awsxray receiver takes the segments, and for the distro's OTLP datagrams, which the collector does not accept, a
 *   UDP relay in this test checks the header line and the T1S prefix and posts the decoded OTLP protobuf to the
 *   collector's OTLP/HTTP receiver. The collector indexes nothing itself (no indexed_attributes), so what becomes an
 *   annotation is what the code marks. Its receiver → exporter round trip drops a segment's `origin`, so the test
 *   asserts names and IDs, not origins.
 * - The segments API Gateway and Lambda record (the stage's, AWS::Lambda, AWS::Lambda::Function) are sent by the test
 *   as segment documents to the same receiver, with the IDs of the headers: API Gateway → Lambda carries
 *   Parent=<stage segment>; the function's _X_AMZN_TRACE_ID carries Parent=<function segment>, whose parent is the
 *   AWS::Lambda segment, whose parent is the stage segment. No Lineage field is added to the header.
 * - The runtime is a small Node.js script on this machine's Node.js (20, not the nodejs24.x image; AWS_EXECUTION_ENV
 *   still says nodejs24.x, so the wrapper takes its Node.js 24 path): it imports the handler from LAMBDA_TASK_ROOT and
 *   runs invocations sent over IPC, one at a time, setting _X_AMZN_TRACE_ID for each. There is no Runtime API
 *   (AWS_LAMBDA_RUNTIME_API is unset), no freeze between invocations, and the process has this machine's PATH plus HOME,
 *   NO_PROXY and AWS_EC2_METADATA_DISABLED; Lambda's own PATH, NODE_PATH and LD_LIBRARY_PATH are not reproduced.
 * - LAMBDA_TASK_ROOT is a copy of the synthesized asset (which leaves the handlers' node_modules out) with the
 *   handlers' installed dependencies linked in as node_modules, standing in for what Lambda finds on NODE_PATH: the
 *   Tracer of the Powertools layer the writer gets (/opt/nodejs/node_modules) and, for the reader, the packages of the
 *   distro's layer; the link also reaches the development dependencies. /opt is a folder with wrapper.mjs and a link to the installed distro (standing in for the layer,
 *   whose wrapper.js is the same entry point bundled); the wrapper script itself is reproduced, not run.
 * - The REST event's X-Amzn-Trace-Id header carries the API Gateway → Lambda header; neither handler reads it, and the
 *   distro replaces it with _X_AMZN_TRACE_ID before extracting the parent.
 * - DynamoDB is moto too (AWS_ENDPOINT_URL_DYNAMODB). The credentials are fake; the function name is generated like
 *   CloudFormation's (<stack>-<logical ID>-<suffix>).
 * - Direct export: the example does not turn it on, so a stack in this file builds the same reader as a TracedFunction
 *   with LambdaInstrumentation.adot({ directExport: true }). A script preloaded with `--require` answers the HTTPS
 *   request to the X-Ray OTLP endpoint in the process (200, empty body) and refuses any request to a host other than
 *   127.0.0.1.
 */
const CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const REFS: Record<string, string> = { 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
const HANDLERS = 'serverless-api/handlers';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAE2ETESTKEY000000', AWS_SECRET_ACCESS_KEY: 'e2e-test-secret-not-a-real-key', AWS_SESSION_TOKEN: 'e2e-session-token' };

/** Invocations per path: sampled ones, and a few with Sampled=0 whose traces must not appear. */
const SAMPLED = 25;
const UNSAMPLED = 3;

const collector = findCollector();
const moto = findMoto();
const modules = findAppModules();
const problems = [collector.missing, moto.missing, modules.missing, modules.dirs[HANDLERS] ? undefined : `install-apps.sh did not install examples/${HANDLERS}`]
  .filter((p): p is string => p !== undefined);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-e2e-lambda-'));

// ---------------------------------------------------------------------------------------------------------------------
// The synthesized app

interface LambdaFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memory: number;
  readonly environment: Record<string, string>;
  /** The variables as the template writes them. */
  readonly rawEnvironment: Record<string, unknown>;
  readonly layers: string[];
  readonly tracingMode: string;
  readonly assetDir: string;
  readonly logGroup: string;
}

const WRITE_ITEM = 'write-item.handler';
const READ_ITEM = 'read-item.handler';

interface Synthesized {
  readonly template: any;
  /** The functions by handler. */
  readonly functions: Record<string, LambdaFunction>;
  readonly tableName: string;
  readonly apiName?: string;
  readonly stageName?: string;
}

function synthesize(stack: (app: App) => void): Synthesized {
  const outdir = fs.mkdtempSync(path.join(workDir, 'cdk.out-'));
  const app = new App({ outdir });
  stack(app);
  const assembly = app.synth();
  const artifact = assembly.stacks[0];
  const template = artifact.template;
  const assets = JSON.parse(fs.readFileSync(path.join(outdir, `${artifact.stackName}.assets.json`), 'utf8'));
  const resources = Object.entries<any>(template.Resources);
  const table = resources.find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0];
  const api = resources.find(([, r]) => r.Type === 'AWS::ApiGateway::RestApi')?.[1];
  const stage = resources.find(([, r]) => r.Type === 'AWS::ApiGateway::Stage')?.[1];
  if (stage !== undefined) {
    expect(stage.Properties.TracingEnabled).toBe(true);
  }
  const refs = { ...REFS, [table]: table };

  const fnOf = ([logicalId, fn]: [string, any]): LambdaFunction => {
    const handler: string = fn.Properties.Handler;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const asset = assets.files[hash];
    expect(asset?.source?.packaging).toBe('zip');
    // A generated name, as CloudFormation gives a function without FunctionName: <stack>-<logical id>-<suffix>.
    const name = fn.Properties.FunctionName ?? `${artifact.stackName}-${logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const environment = Object.fromEntries(Object.entries(fn.Properties.Environment?.Variables ?? {}).map(([k, v]) => [k, resolveValue(v, refs)]));
    return {
      logicalId,
      name,
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
      handler,
      runtime: fn.Properties.Runtime,
      memory: fn.Properties.MemorySize ?? 128,
      environment,
      rawEnvironment: fn.Properties.Environment?.Variables ?? {},
      layers: (fn.Properties.Layers ?? []).map((l: unknown) => resolveWithMappings(l, template)),
      tracingMode: fn.Properties.TracingConfig?.Mode,
      assetDir: path.join(outdir, asset.source.path),
      logGroup: fn.Properties.LoggingConfig?.LogGroup ? `/aws/lambda/${resolveValue(fn.Properties.LoggingConfig.LogGroup, {})}` : `/aws/lambda/${name}`,
    };
  };
  const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(fnOf);
  expect(new Set(functions.map(f => f.handler)).size).toBe(functions.length);
  return {
    template,
    functions: Object.fromEntries(functions.map(f => [f.handler, f])),
    tableName: table,
    apiName: api?.Properties.Name,
    stageName: stage?.Properties.StageName,
  };
}

/** `Fn::FindInMap` with a `Ref` to the region resolved from the template's mappings; anything else as resolveValue does. */
function resolveWithMappings(value: any, template: any): string {
  if (value?.['Fn::FindInMap']) {
    const [map, top, second] = value['Fn::FindInMap'];
    return template.Mappings[map][resolveValue(top, REFS)][resolveValue(second, REFS)];
  }
  return resolveValue(value, REFS);
}

/** Every entry below a folder (relative paths), with what a symbolic link points to. */
function listTree(dir: string): Array<{ entry: string; link?: string }> {
  const out: Array<{ entry: string; link?: string }> = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const entry = path.join(rel, name);
      const stat = fs.lstatSync(path.join(dir, entry));
      if (stat.isSymbolicLink()) {
        out.push({ entry, link: fs.readlinkSync(path.join(dir, entry)) });
      } else if (stat.isDirectory()) {
        walk(entry);
      } else {
        out.push({ entry });
      }
    }
  };
  walk('');
  return out.sort((a, b) => a.entry.localeCompare(b.entry));
}

// ---------------------------------------------------------------------------------------------------------------------
// The execution environment

/** The variables the Lambda runtime sets for a function, next to the function's own. */
function runtimeEnvironment(fn: LambdaFunction, taskRoot: string, daemonAddress: string, motoEndpoint: string): Record<string, string> {
  const reserved: Record<string, string> = {
    _HANDLER: fn.handler,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memory),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    ...CREDENTIALS,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: path.dirname(taskRoot),
    TZ: ':UTC',
  };
  const unreserved: Record<string, string> = {
    LANG: 'en_US.UTF-8',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
  };
  for (const key of Object.keys(fn.environment)) {
    expect(reserved).not.toHaveProperty(key); // Lambda refuses a function that sets a reserved variable
  }
  // The function's variables may override the unreserved ones; the reserved ones win over everything.
  return { ...baseEnv({}), ...unreserved, ...fn.environment, ...reserved, AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint, AWS_EC2_METADATA_DISABLED: 'true' };
}

/** What the layer's /opt/otel-instrument does to the environment before it execs the runtime (Node.js 24, not lite). */
function lambdaWrapperEnvironment(env: Record<string, string>, optDir: string): Record<string, string> {
  const out = { ...env };
  out.OTEL_METRICS_EXPORTER ??= 'none';
  out.OTEL_LOGS_EXPORTER ??= 'none';
  expect(out.OTEL_AWS_LAMBDA_FAST_START).not.toBe('true'); // the lite path is not what the construct configures
  const nodeVersion = Number(/nodejs(\d+)\.x/.exec(out.AWS_EXECUTION_ENV ?? '')?.[1] ?? 0);
  if (nodeVersion >= 24) {
    out.NODE_OPTIONS = `${out.NODE_OPTIONS ?? ''} --import ${path.join(optDir, 'wrapper.mjs')}`.trim();
    out.HANDLER_IS_ESM = 'true';
  } else {
    throw new Error(`the test follows the wrapper's Node.js 24 path; the function's runtime is ${out.AWS_EXECUTION_ENV}`);
  }
  const lambdaResource = `cloud.region=${out.AWS_REGION},cloud.provider=aws,cloud.platform=aws_lambda,faas.name=${out.AWS_LAMBDA_FUNCTION_NAME},` +
    `faas.version=${out.AWS_LAMBDA_FUNCTION_VERSION},faas.instance=${out.AWS_LAMBDA_LOG_STREAM_NAME},aws.log.group.names=${out.AWS_LAMBDA_LOG_GROUP_NAME}`;
  out.OTEL_EXPORTER_OTLP_PROTOCOL ??= 'http/protobuf';
  if (out.OTEL_NODE_ENABLED_INSTRUMENTATIONS === undefined && out.OTEL_NODE_DISABLED_INSTRUMENTATIONS === undefined) {
    out.OTEL_NODE_ENABLED_INSTRUMENTATIONS = 'aws-sdk,aws-lambda,http';
  } else if (out.OTEL_NODE_ENABLED_INSTRUMENTATIONS !== undefined) {
    out.OTEL_NODE_ENABLED_INSTRUMENTATIONS = `${out.OTEL_NODE_ENABLED_INSTRUMENTATIONS},aws-lambda,http`;
  }
  out.OTEL_SERVICE_NAME ??= out.AWS_LAMBDA_FUNCTION_NAME;
  out.OTEL_PROPAGATORS ??= 'baggage,tracecontext,xray';
  out.OTEL_AWS_APPLICATION_SIGNALS_ENABLED ??= 'true';
  out.OTEL_RESOURCE_ATTRIBUTES = out.OTEL_RESOURCE_ATTRIBUTES === undefined ? lambdaResource : `${lambdaResource},${out.OTEL_RESOURCE_ATTRIBUTES}`;
  if (!out.OTEL_RESOURCE_ATTRIBUTES.includes('service.name=')) {
    out.OTEL_RESOURCE_ATTRIBUTES = `service.name=${out.AWS_LAMBDA_FUNCTION_NAME},${out.OTEL_RESOURCE_ATTRIBUTES}`;
  }
  return out;
}

/** LAMBDA_TASK_ROOT: the files of the synthesized asset, with the installed dependencies linked in. */
function stageTaskRoot(fn: LambdaFunction, dir: string): string {
  const taskRoot = path.join(dir, 'task');
  fs.mkdirSync(taskRoot, { recursive: true });
  for (const { entry, link } of listTree(fn.assetDir)) {
    expect(link).toBeUndefined();
    fs.mkdirSync(path.dirname(path.join(taskRoot, entry)), { recursive: true });
    fs.copyFileSync(path.join(fn.assetDir, entry), path.join(taskRoot, entry));
  }
  fs.symlinkSync(path.join(modules.dirs[HANDLERS], 'node_modules'), path.join(taskRoot, 'node_modules'), 'dir');
  return taskRoot;
}

/** /opt of the layer: wrapper.mjs and the distro it loads. */
function stageLayer(dir: string): string {
  const opt = path.join(dir, 'opt');
  fs.mkdirSync(opt, { recursive: true });
  fs.writeFileSync(path.join(opt, 'wrapper.mjs'), WRAPPER_MJS);
  fs.symlinkSync(path.join(modules.dirs[HANDLERS], 'node_modules'), path.join(opt, 'node_modules'), 'dir');
  return opt;
}

type FromRuntime = { type: 'ready' } | { type: 'initError'; error: string } | { type: 'result'; id: string; result?: any; error?: string; ms: number }
| { type: 'https'; url: string; method: string; headers: Record<string, string>; body: string } | { type: 'blocked'; url: string };

/** One execution environment: the runtime process and the invocations sent to it. */
class ExecutionEnvironment {
  public readonly https: Array<Extract<FromRuntime, { type: 'https' }>> = [];
  public readonly blocked: string[] = [];
  private readonly pending = new Map<string, (r: Extract<FromRuntime, { type: 'result' }>) => void>();
  private readonly ready: Promise<void>;
  private readonly child: ChildProcess;

  constructor(private readonly p: Processes, private readonly fn: LambdaFunction, env: Record<string, string>) {
    const script = path.join(p.logDir, 'runtime.js');
    fs.writeFileSync(script, RUNTIME_JS);
    const child = p.startNode('runtime', script, { env, cwd: env.LAMBDA_TASK_ROOT });
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (m: FromRuntime) => {
        if (m.type === 'ready') {
          resolve();
        } else if (m.type === 'initError') {
          reject(new Error(`init of ${fn.handler} failed: ${m.error}`));
        } else if (m.type === 'result') {
          this.pending.get(m.id)?.(m);
        } else if (m.type === 'https') {
          this.https.push(m);
        } else if (m.type === 'blocked') {
          this.blocked.push(m.url);
        }
      });
      child.once('exit', code => reject(new Error(`the runtime of ${fn.handler} exited (${code}):\n${p.tail('runtime')}`)));
    });
    this.child = child;
  }

  public async start(): Promise<number> {
    const t0 = Date.now();
    await Promise.race([this.ready, unrefSleep(30_000).then(() => {
      throw new Error(`the runtime of ${this.fn.handler} did not start in 30 s:\n${this.p.tail('runtime')}`);
    })]);
    return Date.now() - t0;
  }

  public async invoke(event: unknown, traceHeader: string, requestId: string): Promise<{ result: any; ms: number }> {
    const id = randomUUID();
    const done = new Promise<Extract<FromRuntime, { type: 'result' }>>(resolve => this.pending.set(id, resolve));
    this.child.send({ type: 'invoke', id, event, traceHeader, requestId, functionArn: this.fn.arn, timeoutMs: 3_000 });
    const r = await Promise.race([done, unrefSleep(15_000).then(() => undefined)]);
    if (r === undefined) {
      throw new Error(`invocation of ${this.fn.handler} timed out:\n${this.p.tail('runtime')}`);
    }
    if (r.error) {
      throw new Error(`${this.fn.handler} failed: ${r.error}\n${this.p.tail('runtime')}`);
    }
    return { result: r.result, ms: r.ms };
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// What API Gateway and Lambda do around an invocation

/**
 * The sampled invocations with the unsampled ones right after the first: the first is the cold start, and anything an
 * unsampled invocation sent would reach the X-Ray API before the last sampled trace does.
 */
function invocationPlan(): Hop[] {
  return [newHop(true), ...Array.from({ length: UNSAMPLED }, () => newHop(false)), ...Array.from({ length: SAMPLED - 1 }, () => newHop(true))];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const traceIdNow = () => `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${hex(12)}`;

/** One request through the stage to the function: the IDs of its segments and the headers carrying them. */
interface Hop {
  readonly traceId: string;
  readonly sampled: boolean;
  readonly stageSegment: string;
  readonly lambdaSegment: string;
  readonly functionSegment: string;
  /** API Gateway → Lambda. */
  readonly toLambda: string;
  /** Lambda → the function's code (_X_AMZN_TRACE_ID). */
  readonly toFunction: string;
  readonly requestId: string;
}

function newHop(sampled: boolean): Hop {
  const traceId = traceIdNow();
  const h = { stageSegment: hex(8), lambdaSegment: hex(8), functionSegment: hex(8) };
  const flag = sampled ? 1 : 0;
  return {
    traceId,
    sampled,
    ...h,
    toLambda: `Root=${traceId};Parent=${h.stageSegment};Sampled=${flag}`,
    toFunction: `Root=${traceId};Parent=${h.functionSegment};Sampled=${flag}`,
    requestId: randomUUID(),
  };
}

/** A REST API proxy-integration event (payload format 1.0). */
function restEvent(s: Synthesized, hop: Hop, method: string, resource: string, pathValue: string, body?: unknown,
  pathParameters?: Record<string, string>) {
  return {
    resource,
    path: pathValue,
    httpMethod: method,
    headers: { 'Host': 'abc123.execute-api.us-east-1.amazonaws.com', 'X-Amzn-Trace-Id': hop.toLambda, 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    pathParameters: pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      resourcePath: resource,
      httpMethod: method,
      path: `/${s.stageName}${pathValue}`,
      stage: s.stageName,
      requestId: randomUUID(),
      apiId: 'abc123',
      accountId: ACCOUNT,
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'e2e' },
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** The segments the stage and Lambda emit for one sampled request, as documents for the X-Ray receiver. */
function serviceSegments(s: Synthesized, fn: LambdaFunction, hop: Hop, method: string, pathValue: string, status: number,
  startS: number, endS: number): unknown[] {
  return [
    {
      name: `${s.apiName}/${s.stageName}`,
      id: hop.stageSegment,
      trace_id: hop.traceId,
      start_time: startS - 0.004,
      end_time: endS + 0.003,
      origin: 'AWS::ApiGateway::Stage',
      resource_arn: `arn:aws:apigateway:${REGION}::/restapis/abc123/stages/${s.stageName}`,
      http: { request: { method, url: `https://abc123.execute-api.${REGION}.amazonaws.com/${s.stageName}${pathValue}` }, response: { status } },
    },
    {
      name: fn.name,
      id: hop.lambdaSegment,
      parent_id: hop.stageSegment,
      trace_id: hop.traceId,
      start_time: startS - 0.002,
      end_time: endS + 0.001,
      origin: 'AWS::Lambda',
      resource_arn: fn.arn,
      http: { response: { status: 200 } },
      aws: { request_id: hop.requestId },
    },
    {
      name: fn.name,
      id: hop.functionSegment,
      parent_id: hop.lambdaSegment,
      trace_id: hop.traceId,
      start_time: startS - 0.001,
      end_time: endS,
      origin: 'AWS::Lambda::Function',
      resource_arn: fn.arn,
      aws: { function_arn: fn.arn, resource_names: [fn.name], account_id: ACCOUNT },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------
// The stand-in for Lambda's X-Ray endpoint: the collector, and the relay for the distro's OTLP datagrams

interface CollectorPorts { readonly xrayUdp: number; readonly proxyTcp: number; readonly otlpHttp: number; readonly health: number }

function standInCollectorConfig(ports: CollectorPorts, motoEndpoint: string): string {
  return [
    'receivers:',
    '  awsxray:',
    `    endpoint: "${LOOPBACK}:${ports.xrayUdp}"`,
    '    transport: "udp"',
    '    proxy_server:',
    `      endpoint: "${LOOPBACK}:${ports.proxyTcp}"`,
    `      region: "${REGION}"`,
    '  otlp:',
    '    protocols:',
    '      http:',
    `        endpoint: "${LOOPBACK}:${ports.otlpHttp}"`,
    'processors:',
    '  batch/traces:',
    '    timeout: 200ms',
    '    send_batch_size: 50',
    'exporters:',
    '  awsxray:',
    `    endpoint: "${motoEndpoint}"`,
    `    region: "${REGION}"`,
    '    index_all_attributes: false',
    'extensions:',
    '  health_check:',
    `    endpoint: "${LOOPBACK}:${ports.health}"`,
    'service:',
    '  extensions: [health_check]',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '  pipelines:',
    '    traces:',
    '      receivers: [awsxray, otlp]',
    '      processors: [batch/traces]',
    '      exporters: [awsxray]',
    '',
  ].join('\n');
}

async function startStandInCollector(p: Processes, motoEndpoint: string): Promise<CollectorPorts> {
  const ports = { xrayUdp: await freeUdpPort(), proxyTcp: await freePort(), otlpHttp: await freePort(), health: await freePort() };
  p.start('collector', collector.path!, ['--config=env:AOT_CONFIG_CONTENT'], {
    env: baseEnv({ AOT_CONFIG_CONTENT: standInCollectorConfig(ports, motoEndpoint), AWS_REGION: REGION }),
  });
  await waitFor('the collector\'s health check', async () => {
    p.assertRunning('collector');
    return await get(ports.health, '/', {}) === 200 ? true : undefined;
  }, 60_000, 250);
  return ports;
}

/** Accepts the distro's OTLP datagrams like Lambda's endpoint does and posts their OTLP protobuf to the collector. */
class OtlpUdpRelay {
  public readonly datagrams: Array<{ prefix: string; spans: OtlpSpan[] }> = [];
  public readonly rejected: string[] = [];
  public port = 0;
  private readonly socket = dgram.createSocket('udp4');
  private forwarding: Array<Promise<void>> = [];

  constructor(private readonly otlpHttpPort: number) {}

  public async start(): Promise<void> {
    this.socket.on('message', msg => {
      const text = msg.toString('utf8');
      const newline = text.indexOf('\n');
      const header = newline < 0 ? undefined : safeJson(text.slice(0, newline));
      const body = newline < 0 ? '' : text.slice(newline + 1);
      const prefix = body.slice(0, 3);
      if (header?.format !== 'json' || header?.version !== 1 || !['T1S', 'T1U'].includes(prefix)) {
        this.rejected.push(text.slice(0, 80));
        return;
      }
      const protobuf = Buffer.from(body.slice(3), 'base64');
      this.datagrams.push({ prefix, spans: decodeOtlpTraces(protobuf) });
      if (prefix === 'T1S') {
        this.forwarding.push(this.post(protobuf));
      }
    });
    await new Promise<void>(resolve => this.socket.bind(0, LOOPBACK, () => resolve()));
    this.port = this.socket.address().port;
  }

  public async flushed(): Promise<void> {
    const pending = this.forwarding;
    this.forwarding = [];
    await Promise.all(pending);
  }

  public close(): void {
    this.socket.close();
  }

  private async post(protobuf: Buffer): Promise<void> {
    const res = await fetch(`http://${LOOPBACK}:${this.otlpHttpPort}/v1/traces`, {
      method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: protobuf, signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      this.rejected.push(`collector answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
  }
}

/** A sleep that does not keep jest alive. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// DynamoDB on moto

async function dynamodb(endpoint: string, action: string, payload: unknown): Promise<any> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      'authorization': `AWS4-HMAC-SHA256 Credential=testing/${date}/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`DynamoDB ${action}: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/** The table as the template declares it (key schema, attribute definitions, billing mode). */
async function createTable(endpoint: string, s: Synthesized): Promise<void> {
  const props = s.template.Resources[s.tableName].Properties;
  await dynamodb(endpoint, 'CreateTable', {
    TableName: s.tableName, KeySchema: props.KeySchema, AttributeDefinitions: props.AttributeDefinitions, BillingMode: props.BillingMode,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading traces back

async function segmentsOf(api: XRayApi, since: number, traceIds: string[], complete: (byTrace: Map<string, SegmentDocument[]>) => boolean,
  timeoutMs: number): Promise<Map<string, SegmentDocument[]>> {
  let last = new Map<string, SegmentDocument[]>();
  return waitFor(`${traceIds.length} traces in the X-Ray API`, async () => {
    const ids = new Set(await api.traceIds(since - 60, Math.ceil(Date.now() / 1000) + 60));
    const wanted = traceIds.filter(id => ids.has(id));
    const byTrace = new Map<string, SegmentDocument[]>();
    for (const d of await api.segments(wanted)) {
      byTrace.set(d.trace_id, [...(byTrace.get(d.trace_id) ?? []), d]);
    }
    last = byTrace;
    return wanted.length === traceIds.length && complete(byTrace) ? byTrace : undefined;
  }, timeoutMs, 500).catch(e => {
    throw new Error(`${e.message}; ${traceIds.filter(id => !last.has(id)).length} of ${traceIds.length} traces missing`);
  });
}

/** All documents of a trace with their subsegments flattened (a subsegment inherits its parent's trace). */
type Document = SegmentDocument & { type?: string; subsegments?: any[]; namespace?: string };

function flatten(docs: SegmentDocument[]): Document[] {
  const out: any[] = [];
  const walk = (d: any, parent?: string) => {
    out.push({ ...d, parent_id: d.parent_id ?? parent });
    for (const sub of d.subsegments ?? []) {
      walk({ ...sub, trace_id: d.trace_id }, d.id);
    }
  };
  docs.forEach(d => walk(d));
  return out;
}

function policyDenies(policy: AnnotationPolicy, key: string): boolean {
  return policy.evaluate([{ key, source: 'end-to-end test', kind: AnnotationKeySource.LAMBDA_FUNCTION }]).some(f => f.kind === AnnotationFindingKind.DENIED);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

function figures(title: string, rows: Array<[string, unknown]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log([`${title}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'string' ? v : JSON.stringify(v)}`)].join('\n'));
}

/** Verifies an AWS Signature Version 4 `Authorization` header against the captured request and the secret key. */
function verifySigV4(req: { url: string; method: string; headers: Record<string, string>; body: Buffer }, secret: string):
{ scope: string; signedHeaders: string[]; valid: boolean } {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  headers.host ??= new URL(req.url).host;
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? '');
  if (!m) {
    return { scope: '', signedHeaders: [], valid: false };
  }
  const [, , date, region, service, signedList, signature] = m;
  const signedHeaders = signedList.split(';');
  const url = new URL(req.url);
  const payloadHash = headers['x-amz-content-sha256'] ?? createHash('sha256').update(req.body).digest('hex');
  const canonical = [
    req.method, url.pathname, url.search.slice(1),
    ...signedHeaders.map(h => `${h}:${(headers[h] ?? '').trim().replace(/\s+/g, ' ')}`), '',
    signedList, payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', headers['x-amz-date'], scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return { scope, signedHeaders, valid: expected === signature };
}

/** The trace ID of an OTLP span (32 hex digits) in X-Ray's form. */
const xrayTraceId = (otlp: string) => `1-${otlp.slice(0, 8)}-${otlp.slice(8)}`;

// ---------------------------------------------------------------------------------------------------------------------

if (problems.length > 0 && CI) {
  describe('Lambda end to end on loopback', () => {
    test('the collector, moto and the handlers\' dependencies are installed', () => {
      throw new Error(`cannot run the Lambda end-to-end test:\n- ${problems.join('\n- ')}`);
    });
  });
} else if (problems.length > 0) {
  console.warn(`Skipping the Lambda end-to-end test (outside CI) because:\n- ${problems.join('\n- ')}\n` +
    'Run `bash scripts/otelcol/build.sh`, `bash scripts/e2e/install-apps.sh` and `pip install -r requirements-dev.txt` first.');
  describe.skip('Lambda end to end on loopback', () => {
    test('skipped', () => undefined);
  });
} else {
  describe('Lambda end to end on loopback: the example\'s handlers with their template\'s environment → the X-Ray API (moto)', () => {
    const shared = new Processes(fs.mkdtempSync(path.join(workDir, 'shared-')));
    const started: Processes[] = [shared];
    let s: Synthesized;
    let motoEndpoint: string;
    let api: XRayApi;
    let ports: CollectorPorts;
    const items: Array<{ pk: string; kind: string }> = Array.from({ length: SAMPLED + UNSAMPLED }, (_, i) => ({ pk: `item-${i}`, kind: i % 2 ? 'book' : 'film' }));

    const newProcesses = (name: string) => {
      const dir = path.join(workDir, name);
      fs.mkdirSync(dir, { recursive: true });
      const p = new Processes(dir);
      started.push(p);
      return p;
    };

    beforeAll(async () => {
      s = synthesize(app => new ServerlessApiStack(app, 'ServerlessApi'));
      ({ endpoint: motoEndpoint, api } = await startMoto(shared, REGION));
      ports = await startStandInCollector(shared, motoEndpoint);
      await createTable(motoEndpoint, s);
      for (const item of items) {
        await dynamodb(motoEndpoint, 'PutItem', { TableName: s.tableName, Item: { pk: { S: item.pk }, payload: { S: JSON.stringify(item) } } });
      }
    }, 120_000);

    afterAll(async () => {
      await Promise.all(started.map(p => p.stopAll()));
    }, 60_000);

    test('the asset Lambda runs is the handlers folder as it is in the repo, with nothing from the dependency cache', () => {
      // GIVEN the synthesized asset of both functions (one asset: the same handlers folder)
      expect(s.functions[WRITE_ITEM].assetDir).toBe(s.functions[READ_ITEM].assetDir);
      const asset = listTree(s.functions[WRITE_ITEM].assetDir);
      const source = listTree(path.join(__dirname, '..', '..', 'examples', 'serverless-api', 'handlers'))
        .filter(a => a.entry !== 'node_modules' && !a.entry.startsWith(`node_modules${path.sep}`));

      // THEN it holds exactly the folder's files, the handlers among them, and no link into the cache
      expect(asset.map(a => a.entry)).toEqual(source.map(a => a.entry));
      expect(asset.map(a => a.entry)).toEqual(expect.arrayContaining(['read-item.js', 'write-item.js', 'package.json', 'package-lock.json']));
      expect(asset.filter(a => a.link !== undefined || a.entry.startsWith(`node_modules${path.sep}`) && fs.realpathSync(path.join(s.functions[WRITE_ITEM].assetDir, a.entry)).startsWith(TOOLS_DIR))).toEqual([]);
      expect(JSON.parse(fs.readFileSync(path.join(s.functions[WRITE_ITEM].assetDir, 'package.json'), 'utf8')).type).not.toBe('module');
    });

    test('Powertools Tracer → AWS_XRAY_DAEMON_ADDRESS (the collector\'s X-Ray receiver) → moto: the REST → Lambda hop, the service name, the declared keys indexed', async () => {
      const p = newProcesses('powertools');
      try {
        // GIVEN the writer as the template configures it
        const fn = s.functions[WRITE_ITEM];
        expect(fn.tracingMode).toBe('Active');
        expect(fn.layers).toHaveLength(1);
        expect(fn.layers[0]).toMatch(new RegExp(`^arn:aws:lambda:${REGION}:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:\\d+$`));
        expect(fn.environment.POWERTOOLS_SERVICE_NAME).toBe('items-writer');
        const declared = (fn.environment.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean);
        expect(declared).toEqual(['item_kind']);
        const env = runtimeEnvironment(fn, stageTaskRoot(fn, p.logDir), `${LOOPBACK}:${ports.xrayUdp}`, motoEndpoint);
        const runtime = new ExecutionEnvironment(p, fn, env);
        const initMs = await runtime.start();

        // WHEN API Gateway invokes it, sampled and not
        const since = Math.floor(Date.now() / 1000);
        const t0 = Date.now();
        const hops = invocationPlan();
        const durations: number[] = [];
        const kinds = new Map<string, string>();
        for (const [i, hop] of hops.entries()) {
          const item = { pk: `new-${i}-${hex(4)}`, kind: items[i].kind };
          kinds.set(hop.traceId, item.kind);
          const startS = Date.now() / 1000;
          const { result, ms } = await runtime.invoke(restEvent(s, hop, 'POST', '/items', '/items', item), hop.toFunction, hop.requestId);
          durations.push(ms);
          expect(result.statusCode).toBe(201);
          if (hop.sampled) {
            await sendSegmentDocuments(ports.xrayUdp, serviceSegments(s, fn, hop, 'POST', '/items', 201, startS, Date.now() / 1000));
          }
        }
        const lastInvoked = Date.now();

        // THEN every sampled trace holds the stage, Lambda, the function and the code's subsegments, linked by the headers' IDs
        const sampled = hops.filter(h => h.sampled);
        const byTrace = await segmentsOf(api, since, sampled.map(h => h.traceId),
          m => [...m.values()].every(docs => flatten(docs).some(d => d.name === `## ${fn.handler}`)), 60_000);
        const roundTripMs = Date.now() - t0;
        const policy = new AnnotationPolicy();
        const indexed = new Set<string>();
        let documents = 0;
        for (const hop of sampled) {
          const docs = flatten(byTrace.get(hop.traceId)!);
          documents += docs.length;
          const byId = new Map(docs.map(d => [d.id, d]));
          const stage = byId.get(hop.stageSegment);
          const lambdaSegment = byId.get(hop.lambdaSegment);
          const functionSegment = byId.get(hop.functionSegment);
          expect(stage?.name).toBe(`${s.apiName}/${s.stageName}`);
          expect(stage?.parent_id).toBeUndefined();
          expect(lambdaSegment?.parent_id).toBe(hop.stageSegment);
          expect(functionSegment?.parent_id).toBe(hop.lambdaSegment);
          expect(functionSegment?.name).toBe(fn.name);
          const handlerSub = docs.filter(d => d.name === `## ${fn.handler}`);
          expect(handlerSub).toHaveLength(1);
          expect(handlerSub[0].parent_id).toBe(hop.functionSegment); // the Parent of _X_AMZN_TRACE_ID
          expect(handlerSub[0].annotations).toEqual({
            ColdStart: hop === sampled[0], Service: fn.environment.POWERTOOLS_SERVICE_NAME, item_kind: kinds.get(hop.traceId),
          });
          expect(handlerSub[0].metadata?.[fn.environment.POWERTOOLS_SERVICE_NAME]?.invocation_id).toBe(hop.requestId);
          const dynamo = docs.filter(d => d.name === 'DynamoDB');
          expect(dynamo).toHaveLength(1);
          expect(dynamo[0].parent_id).toBe(handlerSub[0].id);
          for (const d of docs) {
            expect(d.trace_id).toBe(hop.traceId);
            Object.keys(d.annotations ?? {}).forEach(k => indexed.add(k));
          }
        }

        // Indexed: the declared key and exactly the keys the template records as the Tracer's own (so the policy and the
        // budget count what X-Ray indexes); none the policy denies; the unbounded ID only as metadata.
        const recorded = s.template.Resources[fn.logicalId].Metadata?.['cdk-xray-constructs:tracing']?.recordedAnnotations;
        expect(recorded).toEqual({ by: 'Powertools Tracer', keys: ['ColdStart', 'Service'] });
        expect([...indexed].sort()).toEqual([...declared, ...recorded.keys].sort());
        expect([...indexed].filter(k => policyDenies(policy, k))).toEqual([]);
        expect(policyDenies(policy, 'invocation_id')).toBe(true);

        // Sampled=0: the code sends nothing, so those traces do not exist.
        const unsampledIds = hops.filter(h => !h.sampled).map(h => h.traceId);
        expect((await api.segments(unsampledIds)).length).toBe(0);

        figures('Powertools Tracer (examples/serverless-api write-item) → collector awsxray receiver → moto', [
          ['invocations', `${hops.length} (${SAMPLED} sampled, ${UNSAMPLED} Sampled=0)`],
          ['traces read back', `${byTrace.size} of ${SAMPLED} sampled, 0 of ${UNSAMPLED} unsampled`],
          ['documents per trace', `${documents / SAMPLED} (stage, AWS::Lambda, AWS::Lambda::Function from the test; the rest from the code)`],
          ['code documents per trace', documents / SAMPLED - 3],
          ['runtime init', `${initMs} ms`],
          ['invocation median / max', `${median(durations).toFixed(1)} / ${Math.max(...durations).toFixed(1)} ms`],
          ['first invocation → all traces in the X-Ray API', `${roundTripMs} ms`],
          ['last invocation → all traces in the X-Ray API', `${t0 + roundTripMs - lastInvoked} ms`],
          ['segment of the code', `## ${fn.handler} under ${fn.name} (AWS::Lambda::Function)`],
          ['Service annotation', fn.environment.POWERTOOLS_SERVICE_NAME],
          ['indexed keys', [...indexed].sort()],
        ]);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- collector ---\n${shared.tail('collector')}\n--- runtime ---\n${p.tail('runtime')}`);
      } finally {
        await p.stopAll();
      }
    }, 120_000);

    test('AWS Distro for OpenTelemetry (the layer\'s wrapper) → OTLP over UDP to AWS_XRAY_DAEMON_ADDRESS → moto: the hop, OTEL_SERVICE_NAME, nothing undeclared indexed', async () => {
      const p = newProcesses('adot-udp');
      const relay = new OtlpUdpRelay(ports.otlpHttp);
      try {
        // GIVEN the reader as the template configures it: the distro's layer and its exec wrapper
        const fn = s.functions[READ_ITEM];
        expect(fn.tracingMode).toBe('Active');
        expect(fn.layers).toHaveLength(1);
        expect(fn.layers[0]).toMatch(new RegExp(`^arn:aws:lambda:${REGION}:\\d{12}:layer:AWSOpenTelemetryDistroJs:\\d+$`));
        expect(fn.environment.AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/otel-instrument');
        expect(fn.environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
        expect(fn.environment.AWS_REDACT_SPAN_ATTRIBUTES).toBe('aws.auth.account.access_key');
        const declared = (fn.environment.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean);
        await relay.start();
        const env = lambdaWrapperEnvironment(
          runtimeEnvironment(fn, stageTaskRoot(fn, p.logDir), `${LOOPBACK}:${relay.port}`, motoEndpoint),
          stageLayer(p.logDir));
        const runtime = new ExecutionEnvironment(p, fn, env);
        const initMs = await runtime.start();

        // WHEN API Gateway invokes it
        const since = Math.floor(Date.now() / 1000);
        const t0 = Date.now();
        const hops = invocationPlan();
        const durations: number[] = [];
        for (const [i, hop] of hops.entries()) {
          const startS = Date.now() / 1000;
          const { result, ms } = await runtime.invoke(
            restEvent(s, hop, 'GET', '/items/{pk}', `/items/${items[i].pk}`, undefined, { pk: items[i].pk }), hop.toFunction, hop.requestId);
          durations.push(ms);
          expect(result.statusCode).toBe(200);
          expect(JSON.parse(result.body)).toEqual(items[i]);
          if (hop.sampled) {
            await sendSegmentDocuments(ports.xrayUdp, serviceSegments(s, fn, hop, 'GET', `/items/${items[i].pk}`, 200, startS, Date.now() / 1000));
          }
        }
        const lastInvoked = Date.now();

        // THEN the datagrams are what Lambda's endpoint accepts, with the service name and the Lambda resource
        const sampled = hops.filter(h => h.sampled);
        await waitFor('the distro\'s datagrams', async () => relay.datagrams.flatMap(d => d.spans).length >= 2 * SAMPLED ? true : undefined, 20_000, 100);
        await relay.flushed();
        expect(relay.rejected).toEqual([]);
        expect(new Set(relay.datagrams.map(d => d.prefix))).toEqual(new Set(['T1S']));
        const wireSpans = relay.datagrams.flatMap(d => d.spans);
        for (const span of wireSpans) {
          expect(span.resource['service.name']).toBe(fn.environment.OTEL_SERVICE_NAME);
          expect(span.resource['faas.name']).toBe(fn.name);
          expect(span.resource['cloud.platform']).toBe('aws_lambda');
        }
        const serverSpans = wireSpans.filter(w => w.kind === 2);
        expect(serverSpans.map(w => xrayTraceId(w.traceId)).sort()).toEqual(sampled.map(h => h.traceId).sort());
        for (const span of serverSpans) {
          expect(span.parentSpanId).toBe(sampled.find(h => h.traceId === xrayTraceId(span.traceId))!.functionSegment);
        }

        // and through the collector to X-Ray: the invocation's segment under the function segment, named OTEL_SERVICE_NAME
        const byTrace = await segmentsOf(api, since, sampled.map(h => h.traceId),
          m => [...m.values()].every(docs => flatten(docs).some(d => d.name === fn.environment.OTEL_SERVICE_NAME)), 60_000);
        const roundTripMs = Date.now() - t0;
        const policy = new AnnotationPolicy();
        const indexed = new Set<string>();
        let documents = 0;
        let accessKeyRedacted = 0;
        for (const hop of sampled) {
          const docs = flatten(byTrace.get(hop.traceId)!);
          documents += docs.length;
          const byId = new Map(docs.map(d => [d.id, d]));
          expect(byId.get(hop.lambdaSegment)?.parent_id).toBe(hop.stageSegment);
          expect(byId.get(hop.functionSegment)?.parent_id).toBe(hop.lambdaSegment);
          const invocation = docs.filter(d => d.name === fn.environment.OTEL_SERVICE_NAME && d.parent_id === hop.functionSegment);
          expect(invocation).toHaveLength(1);
          expect(invocation[0].metadata?.default?.invocation_id).toBe(hop.requestId);
          // The AWS SDK call: a subsegment in the aws namespace, named after the table by the X-Ray exporter.
          const dynamo = docs.filter(d => d.namespace === 'aws' && d.metadata?.default?.['rpc.service'] === 'DynamoDB');
          expect(dynamo).toHaveLength(1);
          expect(dynamo[0].name).toBe(s.tableName);
          expect(dynamo[0].parent_id).toBe(invocation[0].id);
          // The distro records the credentials' access key ID on the span; AWS_REDACT_SPAN_ATTRIBUTES replaces it.
          const accessKey = dynamo[0].metadata?.default?.['aws.auth.account.access_key'];
          expect(accessKey).not.toBe(CREDENTIALS.AWS_ACCESS_KEY_ID);
          expect(accessKey).toBe('REDACTED');
          if (accessKey === 'REDACTED') {
            accessKeyRedacted++;
          }
          for (const d of docs) {
            expect(d.trace_id).toBe(hop.traceId);
            Object.keys(d.annotations ?? {}).forEach(k => indexed.add(k));
          }
        }
        // Nothing indexed that the function did not declare (it declares none); the unbounded ID stays metadata.
        expect([...indexed].sort()).toEqual([...declared].sort());
        expect(policyDenies(policy, 'invocation_id')).toBe(true);
        expect((await api.segments(hops.filter(h => !h.sampled).map(h => h.traceId))).length).toBe(0);

        figures('AWS Distro for OpenTelemetry (examples/serverless-api read-item) → OTLP/UDP → relay → collector → moto', [
          ['invocations', `${hops.length} (${SAMPLED} sampled, ${UNSAMPLED} Sampled=0)`],
          ['datagrams', `${relay.datagrams.length} (prefix ${[...new Set(relay.datagrams.map(d => d.prefix))].join(', ')}), ${wireSpans.length} spans`],
          ['spans per invocation', wireSpans.length / SAMPLED],
          ['traces read back', `${byTrace.size} of ${SAMPLED} sampled, 0 of ${UNSAMPLED} unsampled`],
          ['documents per trace', `${documents / SAMPLED} (3 from the test)`],
          ['runtime init (distro loaded)', `${initMs} ms`],
          ['invocation median / max', `${median(durations).toFixed(1)} / ${Math.max(...durations).toFixed(1)} ms`],
          ['first invocation → all traces in the X-Ray API', `${roundTripMs} ms`],
          ['last invocation → all traces in the X-Ray API', `${t0 + roundTripMs - lastInvoked} ms`],
          ['service.name', fn.environment.OTEL_SERVICE_NAME],
          ['indexed keys', [...indexed].sort()],
          ['AWS SDK spans with aws.auth.account.access_key = REDACTED', `${accessKeyRedacted} of ${SAMPLED}`],
        ]);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- collector ---\n${shared.tail('collector')}\n--- runtime ---\n${p.tail('runtime')}`);
      } finally {
        relay.close();
        await p.stopAll();
      }
    }, 120_000);

    test('direct export: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT from the template → a SigV4-signed OTLP/HTTP request to exactly that URL', async () => {
      const p = newProcesses('adot-direct');
      const relay = new OtlpUdpRelay(ports.otlpHttp);
      try {
        // GIVEN the reader with direct export
        const direct = synthesize(app => new DirectExportStack(app, 'ServerlessApiDirectExport'));
        const fn = direct.functions[READ_ITEM];
        expect(direct.tableName).toBe(s.tableName);
        expect(fn.environment.OTEL_SERVICE_NAME).toBe(s.functions[READ_ITEM].environment.OTEL_SERVICE_NAME);
        expect(fn.rawEnvironment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toEqual({ 'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.amazonaws.com/v1/traces']] });
        const endpoint = fn.environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
        expect(endpoint).toBe(`https://xray.${REGION}.amazonaws.com/v1/traces`);
        await relay.start();
        const opt = stageLayer(p.logDir);
        const intercept = path.join(opt, 'intercept.js');
        fs.writeFileSync(intercept, INTERCEPT_JS);
        const env = lambdaWrapperEnvironment(
          runtimeEnvironment(fn, stageTaskRoot(fn, p.logDir), `${LOOPBACK}:${relay.port}`, motoEndpoint), opt);
        env.NODE_OPTIONS = `--require ${intercept} ${env.NODE_OPTIONS}`;
        env.E2E_ANSWERED_HOSTS = new URL(endpoint).hostname;
        const runtime = new ExecutionEnvironment(p, fn, env);
        await runtime.start();

        // WHEN API Gateway invokes it
        const hops = Array.from({ length: 5 }, () => newHop(true));
        const t0 = Date.now();
        for (const [i, hop] of hops.entries()) {
          const { result } = await runtime.invoke(
            restEvent(s, hop, 'GET', '/items/{pk}', `/items/${items[i].pk}`, undefined, { pk: items[i].pk }), hop.toFunction, hop.requestId);
          expect(result.statusCode).toBe(200);
        }
        await waitFor('the OTLP requests', async () => runtime.https.flatMap(r => decodeOtlpTraces(Buffer.from(r.body, 'base64'))).filter(sp => sp.kind === 2).length >= hops.length ? true : undefined, 20_000, 100);
        const exportMs = Date.now() - t0;

        // THEN each request goes to the template's URL, signed for X-Ray in the region, with the spans in protobuf
        expect(runtime.blocked).toEqual([]);
        expect(relay.datagrams).toEqual([]);
        const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
        const spans: OtlpSpan[] = [];
        for (const r of runtime.https) {
          expect(r.url).toBe(endpoint);
          expect(new URL(r.url).pathname).toBe('/v1/traces');
          expect(r.method).toBe('POST');
          const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
          expect(headers['content-type']).toBe('application/x-protobuf');
          expect(headers['x-amz-security-token']).toBe(CREDENTIALS.AWS_SESSION_TOKEN);
          const body = Buffer.from(r.body, 'base64');
          const sig = verifySigV4({ url: r.url, method: r.method, headers: r.headers, body }, CREDENTIALS.AWS_SECRET_ACCESS_KEY);
          expect(headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.AWS_ACCESS_KEY_ID}/`));
          expect(sig.scope).toBe(`${date}/${REGION}/xray/aws4_request`);
          expect(sig.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
          expect(sig.valid).toBe(true);
          spans.push(...decodeOtlpTraces(body));
        }
        for (const span of spans) {
          expect(span.resource['service.name']).toBe(fn.environment.OTEL_SERVICE_NAME);
        }
        const serverSpans = spans.filter(w => w.kind === 2);
        expect(serverSpans.map(w => xrayTraceId(w.traceId)).sort()).toEqual(hops.map(h => h.traceId).sort());
        for (const span of serverSpans) {
          expect(span.parentSpanId).toBe(hops.find(h => h.traceId === xrayTraceId(span.traceId))!.functionSegment);
        }

        figures('AWS Distro for OpenTelemetry, direct export → X-Ray OTLP endpoint (answered in the process)', [
          ['endpoint', endpoint],
          ['in the template', JSON.stringify(fn.rawEnvironment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)],
          ['invocations', hops.length],
          ['requests', `${runtime.https.length} (${spans.length} spans, ${serverSpans.length} invocation spans)`],
          ['credential scope', `${date}/${REGION}/xray/aws4_request (signature verified)`],
          ['first invocation → last request', `${exportMs} ms`],
          ['UDP datagrams meanwhile', relay.datagrams.length],
        ]);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- runtime ---\n${p.tail('runtime')}`);
      } finally {
        relay.close();
        await p.stopAll();
      }
    }, 90_000);
  });
}

/**
 * The reader of examples/serverless-api with direct export: the same handlers asset, table and service name, with
 * `LambdaInstrumentation.adot({ directExport: true })` (the example itself exports through Lambda's endpoint).
 */
class DirectExportStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new ddb.Table(this, 'Items', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING } });
    const fn = new TracedFunction(this, 'ReadItem', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: READ_ITEM,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'examples', 'serverless-api', 'handlers')),
      environment: { TABLE_NAME: table.tableName },
      instrumentation: LambdaInstrumentation.adot({ directExport: true }),
      serviceName: 'items-reader',
    });
    table.grantReadData(fn);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Scripts the test writes to disk and runs in the child processes that stand in for an execution environment

/**
 * The runtime: imports the handler named by `_HANDLER` from `LAMBDA_TASK_ROOT` (the Node.js 24 runtime loads handlers
 * as ES modules), then runs one invocation per IPC message, one at a time, with `_X_AMZN_TRACE_ID` set to the
 * invocation's trace header as the runtime sets it.
 */
const RUNTIME_JS = String.raw`
const path = require('path');
const { pathToFileURL } = require('url');

async function loadHandler() {
  const handlerDef = process.env._HANDLER;
  const base = path.basename(handlerDef);
  const moduleRoot = handlerDef.substring(0, handlerDef.length - base.length);
  const [moduleName, exportName] = base.split('.', 2);
  const file = path.resolve(process.env.LAMBDA_TASK_ROOT, moduleRoot, moduleName + '.js');
  const mod = await import(pathToFileURL(file).href);
  const handler = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof handler !== 'function') {
    throw new Error(handlerDef + ' is not a function in ' + file);
  }
  return handler;
}

let queue = Promise.resolve();
loadHandler().then(handler => {
  process.on('message', message => {
    if (message.type !== 'invoke') {
      return;
    }
    queue = queue.then(async () => {
      process.env._X_AMZN_TRACE_ID = message.traceHeader;
      const deadline = Date.now() + message.timeoutMs;
      const context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
        functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
        invokedFunctionArn: message.functionArn,
        memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
        awsRequestId: message.requestId,
        logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      };
      const started = process.hrtime.bigint();
      const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
      try {
        const result = await handler(message.event, context);
        process.send({ type: 'result', id: message.id, result, ms: ms() });
      } catch (e) {
        process.send({ type: 'result', id: message.id, error: String((e && e.stack) || e), ms: ms() });
      }
    });
  });
  process.send({ type: 'ready' });
}, e => {
  console.error('init error', e);
  process.send({ type: 'initError', error: String((e && e.stack) || e) }, () => process.exit(1));
});
`;

/**
 * The layer's /opt/wrapper.mjs (lambda-layer/packages/layer/src/wrapper.mjs): registers import-in-the-middle's hook
 * for the modules the instrumentations ask for, then loads the distro. The layer's /opt/wrapper.js is the distro's
 * `register` entry point bundled; here the installed package's entry point is imported.
 */
const WRAPPER_MJS = String.raw`
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();

register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

await waitForAllMessagesAcknowledged();

await import('@aws/aws-distro-opentelemetry-node-autoinstrumentation/register');
`;

/**
 * Loaded first (`--require`) in the direct-export run: answers HTTP(S) requests to the hosts in E2E_ANSWERED_HOSTS in
 * the process (200, empty body) and reports each to the test over IPC; refuses every request to a host other than
 * 127.0.0.1, and fetch, so nothing leaves the machine.
 */
const INTERCEPT_JS = String.raw`
const http = require('http');
const https = require('https');
const { Readable, Writable } = require('stream');
const { syncBuiltinESMExports } = require('module');

const answered = (process.env.E2E_ANSWERED_HOSTS || '').split(',').filter(Boolean);

function target(args) {
  const [first, second] = args;
  if (typeof first === 'string' || first instanceof URL) {
    const options = typeof second === 'object' && second !== null ? second : {};
    return { url: new URL(String(first)), options };
  }
  const options = first || {};
  const host = options.hostname || options.host || 'localhost';
  return { url: new URL((options.protocol || 'http:') + '//' + host + (options.port ? ':' + options.port : '') + (options.path || '/')), options };
}

class AnsweredRequest extends Writable {
  constructor(url, options, callback) {
    super();
    this.chunks = [];
    this.on('finish', () => {
      process.send({
        type: 'https', url: url.href, method: options.method || 'GET', headers: options.headers || {},
        body: Buffer.concat(this.chunks).toString('base64'),
      });
      const res = new Readable({ read() {} });
      res.statusCode = 200;
      res.statusMessage = 'OK';
      res.headers = { 'content-type': 'application/x-protobuf', 'content-length': '0' };
      if (callback) {
        callback(res);
      }
      this.emit('response', res);
      res.push(null);
    });
  }
  _write(chunk, _encoding, done) {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  setTimeout() { return this; }
  setHeader() {}
  getHeader() { return undefined; }
  removeHeader() {}
  abort() { this.destroy(); }
}

function guard(original) {
  return function (...args) {
    const { url, options } = target(args);
    const callback = args.find(a => typeof a === 'function');
    if (answered.includes(url.hostname)) {
      return new AnsweredRequest(url, options, callback);
    }
    if (url.hostname !== '127.0.0.1') {
      process.send({ type: 'blocked', url: url.href });
      throw new Error('no request may leave the machine: ' + url.href);
    }
    return original.apply(this, args);
  };
}

https.request = guard(https.request);
http.request = guard(http.request);
https.get = function (...args) { const req = https.request(...args); req.end(); return req; };
http.get = function (...args) { const req = http.request(...args); req.end(); return req; };
globalThis.fetch = async input => {
  process.send({ type: 'blocked', url: String((input && input.url) || input) });
  throw new Error('no fetch may leave the machine');
};
syncBuiltinESMExports();
`;
