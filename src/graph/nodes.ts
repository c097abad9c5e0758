import { ContainerDetails, StageDetails, TraceNodeDetails, TraceState } from './model';
import { TemplateIndex, TemplateResource } from './template';
import { ANNOTATION_KEYS_ENV } from '../private/annotation-keys';
import { traceReceiverOf } from '../private/collector-detection';
import { lambdaAnnotationKeys, recordedAnnotationKeys, taskAnnotationKeys } from '../template/annotation-keys';
import { clusterKey, containerEnvironment, readEksClusters } from '../template/eks';
import { tracingMetadataOf } from '../template/facts';

/** A node's trace state, its explanation and what the template says about it. */
export interface Classification {
  readonly state: TraceState;
  readonly how: string;
  readonly details?: TraceNodeDetails;
}

/** Layer name fragments of tracing instrumentations, with what to call them. */
const TRACING_LAYERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/AWSOpenTelemetryDistro/, 'ADOT layer'],
  [/aws-otel-|AWSOtel/i, 'ADOT layer (legacy)'],
  [/AWSLambdaPowertools|powertools/i, 'Powertools layer'],
  [/xray/i, 'X-Ray SDK layer'],
];

/** What this library's tracing metadata calls each instrumentation, for people. */
const INSTRUMENTATIONS: { readonly [kind: string]: string } = { adot: 'ADOT', powertools: 'Powertools Tracer', xraySdk: 'X-Ray SDK' };

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** What instruments a function's code, from its layers, environment and this library's metadata. */
function lambdaInstrumentation(index: TemplateIndex, r: TemplateResource, kind: string | undefined): string[] {
  const found: string[] = [];
  if (kind !== undefined && INSTRUMENTATIONS[kind] !== undefined) {
    found.push(INSTRUMENTATIONS[kind]);
  }
  for (const layer of Array.isArray(r.properties.Layers) ? r.properties.Layers : []) {
    const text = index.flatten(r.stackId, layer) ?? '';
    const match = TRACING_LAYERS.find(([pattern]) => pattern.test(text));
    if (match !== undefined) {
      found.push(match[1]);
    }
  }
  const env: Record<string, unknown> = r.properties.Environment?.Variables ?? {};
  const wrapper = env.AWS_LAMBDA_EXEC_WRAPPER;
  if (typeof wrapper === 'string' && wrapper.startsWith('/opt/otel')) {
    found.push(`exec wrapper ${wrapper}`);
  }
  if (Object.keys(env).some(k => k.startsWith('OTEL_'))) {
    found.push('OTEL_* settings');
  }
  if (Object.keys(env).some(k => k === 'POWERTOOLS_SERVICE_NAME' || k.startsWith('POWERTOOLS_TRACE'))) {
    found.push('Powertools settings');
  }
  return unique(found);
}

function lambda(index: TemplateIndex, r: TemplateResource): Classification {
  const mode = r.properties.TracingConfig?.Mode;
  const metadata = tracingMetadataOf(r);
  const instrumentation = lambdaInstrumentation(index, r, metadata?.instrumentation);
  const envKeys = lambdaAnnotationKeys(r);
  const declaredKeys = metadata?.annotationKeys !== undefined && metadata.annotationKeys.length > 0 ? metadata.annotationKeys : envKeys;
  // With the keys the instrumentation records by itself (the Powertools Tracer's ColdStart and Service): all are indexed.
  const annotationKeys = unique([...declaredKeys, ...recordedAnnotationKeys(r)?.keys ?? []]);
  const layers = Array.isArray(r.properties.Layers) ? r.properties.Layers.length : 0;
  const details: TraceNodeDetails = {
    ...(typeof mode === 'string' ? { tracingMode: mode } : {}),
    ...(instrumentation.length > 0 ? { instrumentation } : {}),
    ...(metadata?.serviceName !== undefined ? { serviceName: metadata.serviceName } : {}),
    ...(annotationKeys.length > 0 ? { annotationKeys } : {}),
    ...(layers > 0 ? { layers } : {}),
  };
  const declared = r.properties.Environment?.Variables?.[ANNOTATION_KEYS_ENV];
  const shown = typeof declared === 'string' && declared.length > 0 ? [...instrumentation, `annotation keys ${declared}`] : instrumentation;
  const suffix = shown.length > 0 ? `; ${shown.join(', ')}` : '';
  if (mode === 'Active') {
    return { state: TraceState.TRACED, how: `Active${suffix}`, details };
  }
  if (mode === 'PassThrough') {
    return { state: TraceState.PASS_THROUGH, how: `PassThrough: records only what its caller sampled${suffix}`, details };
  }
  return { state: TraceState.PASS_THROUGH, how: `no tracing mode: Lambda's default PassThrough${suffix}`, details };
}

/** Whether a stage setting writes an access log, and whether its format carries the trace id. */
function accessLogOf(setting: unknown): StageDetails['accessLog'] {
  if (setting === null || typeof setting !== 'object') {
    return undefined;
  }
  return { carriesTraceId: JSON.stringify((setting as any).Format ?? '').includes('$context.xrayTraceId') };
}

function restApi(index: TemplateIndex, r: TemplateResource): Classification {
  const stages: StageDetails[] = [];
  for (const s of index.ofType('AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment')) {
    if (!index.refs(s.stackId, s.properties.RestApiId).includes(r.key)) {
      continue;
    }
    const p = s.properties;
    const stage = s.type === 'AWS::ApiGateway::Stage'
      ? { name: String(index.flatten(s.stackId, p.StageName) ?? s.logicalId), tracingEnabled: p.TracingEnabled === true, log: p.AccessLogSetting }
      : p.StageName !== undefined
        ? {
          name: String(index.flatten(s.stackId, p.StageName)),
          tracingEnabled: p.StageDescription?.TracingEnabled === true,
          log: p.StageDescription?.AccessLogSetting,
        }
        : undefined;
    if (stage !== undefined) {
      const accessLog = accessLogOf(stage.log);
      stages.push({ name: stage.name, tracingEnabled: stage.tracingEnabled, ...(accessLog !== undefined ? { accessLog } : {}) });
    }
  }
  const details: TraceNodeDetails = { stages };
  if (stages.length === 0) {
    return { state: TraceState.UNTRACED, how: 'no stage', details };
  }
  const traced = stages.filter(s => s.tracingEnabled).map(s => s.name);
  const untraced = stages.filter(s => !s.tracingEnabled).map(s => s.name);
  if (traced.length === 0) {
    return { state: TraceState.UNTRACED, how: `stage ${untraced.join(', ')}: TracingEnabled off`, details };
  }
  return {
    state: TraceState.TRACED,
    how: `stage ${traced.join(', ')}: TracingEnabled${untraced.length > 0 ? `; stage ${untraced.join(', ')}: off` : ''}`,
    details,
  };
}

/** The EventBridge pattern sources of a rule that are AWS services (`aws.s3`...). */
export function awsEventSources(pattern: unknown): string[] {
  let parsed: any = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      return [];
    }
  }
  const sources = parsed?.source;
  const list: unknown[] = Array.isArray(sources) ? sources : sources === undefined ? [] : [sources];
  return list.flatMap(s => {
    if (typeof s === 'string') {
      return s.startsWith('aws.') ? [s] : [];
    }
    const prefix = (s as any)?.prefix;
    return typeof prefix === 'string' && prefix.length > 0 && (prefix.startsWith('aws.') || 'aws.'.startsWith(prefix)) ? [`${prefix}*`] : [];
  });
}

function eventRule(r: TemplateResource): Classification {
  const schedule = r.properties.ScheduleExpression;
  if (schedule !== undefined) {
    return { state: TraceState.UNSUPPORTED, how: `schedule ${typeof schedule === 'string' ? schedule : '(set at deploy time)'}: carries no trace context` };
  }
  const sources = awsEventSources(r.properties.EventPattern);
  if (sources.length > 0) {
    return { state: TraceState.UNSUPPORTED, how: `AWS service events (${sources.join(', ')}): carry no trace context` };
  }
  return { state: TraceState.PASS_THROUGH, how: 'event pattern: forwards the context of PutEvents' };
}

function taskDefinition(r: TemplateResource): Classification {
  const receiver = traceReceiverOf(r.properties.ContainerDefinitions);
  const collector = receiver?.name;
  const annotationKeys = unique(taskAnnotationKeys(r));
  const details: TraceNodeDetails = {
    ...(collector !== undefined ? { collector } : {}),
    containers: containersOf(r),
    ...(annotationKeys.length > 0 ? { annotationKeys } : {}),
  };
  return collector === undefined
    ? { state: TraceState.UNTRACED, how: 'no trace collector or X-Ray daemon container', details }
    : { state: TraceState.TRACED, how: receiver!.sidecar ? `${collector} sidecar` : 'SDKs export to the X-Ray OTLP endpoint (no sidecar)', details };
}

/**
 * An EKS cluster: traced when a collector runs on it (the adot add-on's X-Ray pipeline, a collector pod...), its
 * workloads (applied by the app) and where their containers send traces as details.
 */
function eksCluster(index: TemplateIndex, r: TemplateResource): Classification {
  const facts = readEksClusters(index.resources).get(clusterKey(r));
  const workloads = facts?.workloads ?? [];
  const containers: ContainerDetails[] = workloads.flatMap(w => w.containers.map(c => {
    const env = containerEnvironment(c);
    const endpoint = env.get('OTEL_EXPORTER_OTLP_ENDPOINT');
    return { name: `${w.name}/${display(c.name)}`, ...(endpoint !== undefined ? { sendsTracesTo: `OTLP ${endpoint}` } : {}) };
  }));
  const annotationKeys = unique(workloads.flatMap(w => w.containers.flatMap(c => (containerEnvironment(c).get(ANNOTATION_KEYS_ENV) ?? '')
    .split(',').map(k => k.trim()).filter(k => k.length > 0))));
  const details: TraceNodeDetails = {
    ...(facts?.collector !== undefined ? { collector: facts.collector } : {}),
    ...(containers.length > 0 ? { containers } : {}),
    ...(annotationKeys.length > 0 ? { annotationKeys } : {}),
  };
  if (facts?.collector !== undefined) {
    return { state: TraceState.TRACED, how: `${facts.collector}; ${workloads.length} workload(s)`, details };
  }
  return { state: TraceState.UNTRACED, how: workloads.length > 0 ? `no trace collector for ${workloads.length} workload(s)` : 'no trace collector', details };
}

/** The containers of a task definition and where each sends traces, from its environment. */
function containersOf(task: TemplateResource): ContainerDetails[] {
  const declared = task.properties.ContainerDefinitions;
  const defs: any[] = Array.isArray(declared) ? declared : [];
  return defs.filter(c => c && typeof c === 'object').map(c => {
    const env = new Map<string, unknown>((Array.isArray(c.Environment) ? c.Environment : []).map((e: any) => [e?.Name, e?.Value]));
    // The traces endpoint wins over the general one, as in the OpenTelemetry SDKs.
    const otlp = env.get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? env.get('OTEL_EXPORTER_OTLP_ENDPOINT');
    const applicationSignals = env.get('OTEL_AWS_APPLICATION_SIGNALS_ENABLED') === 'true' ? ' Application Signals' : '';
    const sendsTracesTo = otlp !== undefined
      ? `OTLP ${display(otlp)}${env.has('OTEL_TRACES_SAMPLER') ? ` sampler=${display(env.get('OTEL_TRACES_SAMPLER'))}` : ''}${applicationSignals}`
      : env.has('AWS_XRAY_DAEMON_ADDRESS') ? `X-Ray SDK -> ${display(env.get('AWS_XRAY_DAEMON_ADDRESS'))}` : undefined;
    return { name: display(c.Name), ...(sendsTracesTo !== undefined ? { sendsTracesTo } : {}) };
  });
}

/**
 * A template value for people: strings as they are, an `Fn::Join` of strings and `Ref`s as the text it resolves to
 * with `${Name}` for each reference (`https://xray.${AWS::Region}.amazonaws.com/v1/traces`), anything else as compact JSON.
 */
function display(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as any)?.['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])
    && join[1].every((p: any) => typeof p === 'string' || (typeof p?.Ref === 'string' && Object.keys(p).length === 1))) {
    return join[1].map((p: any) => (typeof p === 'string' ? p : `\${${p.Ref}}`)).join(join[0]);
  }
  return JSON.stringify(value);
}

/**
 * The trace state of a resource the graph shows, or undefined for a resource that is no node (roles, policies,
 * permissions, stages, listeners...). An ECS service takes the state of its task definition (resolved by the caller).
 */
export function classify(index: TemplateIndex, r: TemplateResource): Classification | undefined {
  const p = r.properties;
  switch (r.type) {
    case 'AWS::Lambda::Function':
      return lambda(index, r);
    case 'AWS::ApiGateway::RestApi':
      return restApi(index, r);
    case 'AWS::ApiGatewayV2::Api':
      return { state: TraceState.UNSUPPORTED, how: `${p.ProtocolType === 'WEBSOCKET' ? 'WebSocket' : 'HTTP'} API: X-Ray cannot trace it` };
    case 'AWS::AppSync::GraphQLApi':
      return p.XrayEnabled === true ? { state: TraceState.TRACED, how: 'XrayEnabled' } : { state: TraceState.UNTRACED, how: 'XrayEnabled off' };
    case 'AWS::SQS::Queue':
      return { state: TraceState.PASS_THROUGH, how: 'forwards context in the AWSTraceHeader attribute' };
    case 'AWS::SNS::Topic':
      if (p.TracingConfig === 'Active') {
        return { state: TraceState.TRACED, how: 'Active' };
      }
      return { state: TraceState.PASS_THROUGH, how: p.FifoTopic === true ? 'FIFO topic: PassThrough only' : 'PassThrough' };
    case 'AWS::Events::EventBus':
      return { state: TraceState.PASS_THROUGH, how: 'forwards the context of PutEvents' };
    case 'AWS::Events::Rule':
      return eventRule(r);
    case 'AWS::Scheduler::Schedule':
      return { state: TraceState.UNSUPPORTED, how: 'EventBridge Scheduler schedule: carries no trace context' };
    case 'AWS::StepFunctions::StateMachine':
      return p.TracingConfiguration?.Enabled === true
        ? { state: TraceState.TRACED, how: 'TracingConfiguration enabled' }
        : { state: TraceState.UNTRACED, how: 'tracing off' };
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return { state: TraceState.DOWNSTREAM, how: 'recorded by its callers\' SDKs' };
    case 'AWS::Kinesis::Stream':
      return { state: TraceState.DOWNSTREAM, how: 'recorded by its callers\' SDKs; records carry no context' };
    case 'AWS::ECS::TaskDefinition':
      return taskDefinition(r);
    case 'AWS::EKS::Cluster':
    case 'Custom::AWSCDK-EKS-Cluster':
      return eksCluster(index, r);
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return p.Type === 'network' || p.Type === 'gateway'
        ? { state: TraceState.PASS_THROUGH, how: `${p.Type} load balancer: passes the bytes on, header untouched` }
        : { state: TraceState.PASS_THROUGH, how: 'adds or updates X-Amzn-Trace-Id; records nothing' };
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return { state: TraceState.PASS_THROUGH, how: 'forwards the load balancer\'s header' };
    default:
      return undefined;
  }
}

/** The node types `classify` knows, plus ECS services; the resources the builder reads besides them are in `READ_TYPES`. */
export const NODE_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api', 'AWS::AppSync::GraphQLApi', 'AWS::SQS::Queue',
  'AWS::SNS::Topic', 'AWS::Events::EventBus', 'AWS::Events::Rule', 'AWS::Scheduler::Schedule', 'AWS::StepFunctions::StateMachine',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Kinesis::Stream', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster',
]);
