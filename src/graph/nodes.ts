import { TraceState } from './model';
import { TemplateIndex, TemplateResource } from './template';
import { traceCollectorOf } from '../private/collector-detection';
import { TRACING_METADATA_KEY } from '../private/metadata';

/** A node's trace state and its explanation. */
export interface Classification {
  readonly state: TraceState;
  readonly how: string;
}

/** Metadata key under which this library's Lambda tracing records the instrumentation it applied. */

/** Layer name fragments of tracing instrumentations, with what to call them. */
const TRACING_LAYERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/AWSOpenTelemetryDistro/, 'ADOT layer'],
  [/aws-otel-|AWSOtel/i, 'ADOT layer (legacy)'],
  [/AWSLambdaPowertools|powertools/i, 'Powertools layer'],
  [/xray/i, 'X-Ray SDK layer'],
];

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** What instruments a function's code, from its layers, environment and this library's metadata. */
function lambdaInstrumentation(index: TemplateIndex, r: TemplateResource): string[] {
  const found: string[] = [];
  const kind = r.metadata[TRACING_METADATA_KEY]?.instrumentation;
  const kinds: { [k: string]: string } = { adot: 'ADOT', powertools: 'Powertools Tracer', xraySdk: 'X-Ray SDK' };
  if (typeof kind === 'string' && kinds[kind] !== undefined) {
    found.push(kinds[kind]);
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
  const keys = env.XRAY_ANNOTATION_KEYS;
  if (typeof keys === 'string' && keys.length > 0) {
    found.push(`annotation keys ${keys}`);
  }
  return unique(found);
}

function lambda(index: TemplateIndex, r: TemplateResource): Classification {
  const mode = r.properties.TracingConfig?.Mode;
  const instrumentation = lambdaInstrumentation(index, r);
  const suffix = instrumentation.length > 0 ? `; ${instrumentation.join(', ')}` : '';
  if (mode === 'Active') {
    return { state: TraceState.TRACED, how: `Active${suffix}` };
  }
  if (mode === 'PassThrough') {
    return { state: TraceState.PASS_THROUGH, how: `PassThrough: records only what its caller sampled${suffix}` };
  }
  return { state: TraceState.PASS_THROUGH, how: `no tracing mode: Lambda's default PassThrough${suffix}` };
}

function restApi(index: TemplateIndex, r: TemplateResource): Classification {
  const stages: Array<{ name: string; traced: boolean }> = [];
  for (const s of index.ofType('AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment')) {
    if (!index.refs(s.stackId, s.properties.RestApiId).includes(r.key)) {
      continue;
    }
    if (s.type === 'AWS::ApiGateway::Stage') {
      stages.push({ name: String(index.flatten(s.stackId, s.properties.StageName) ?? s.logicalId), traced: s.properties.TracingEnabled === true });
    } else if (s.properties.StageName !== undefined) {
      stages.push({ name: String(index.flatten(s.stackId, s.properties.StageName)), traced: s.properties.StageDescription?.TracingEnabled === true });
    }
  }
  if (stages.length === 0) {
    return { state: TraceState.UNTRACED, how: 'no stage' };
  }
  const traced = stages.filter(s => s.traced).map(s => s.name);
  const untraced = stages.filter(s => !s.traced).map(s => s.name);
  if (traced.length === 0) {
    return { state: TraceState.UNTRACED, how: `stage ${untraced.join(', ')}: TracingEnabled off` };
  }
  return {
    state: TraceState.TRACED,
    how: `stage ${traced.join(', ')}: TracingEnabled${untraced.length > 0 ? `; stage ${untraced.join(', ')}: off` : ''}`,
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
  const collector = traceCollectorOf(r.properties.ContainerDefinitions);
  return collector === undefined
    ? { state: TraceState.UNTRACED, how: 'no trace collector or X-Ray daemon container' }
    : { state: TraceState.TRACED, how: `${collector} sidecar` };
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
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup',
]);
