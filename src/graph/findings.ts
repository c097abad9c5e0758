import { ContinuityBreak, ContinuityFinding, TraceEdge, TraceNode, TraceState } from './model';

/** What to call a resource type in a message. */
const TYPE_NAMES: { readonly [type: string]: string } = {
  'AWS::Lambda::Function': 'Lambda function',
  'AWS::ApiGateway::RestApi': 'REST API',
  'AWS::ApiGatewayV2::Api': 'HTTP or WebSocket API',
  'AWS::AppSync::GraphQLApi': 'AppSync API',
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::SNS::Topic': 'SNS topic',
  'AWS::Events::EventBus': 'event bus',
  'AWS::Events::Rule': 'EventBridge rule',
  'AWS::Scheduler::Schedule': 'schedule',
  'AWS::StepFunctions::StateMachine': 'state machine',
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB table',
  'AWS::Kinesis::Stream': 'Kinesis stream',
  'AWS::ECS::TaskDefinition': 'ECS task definition',
  'AWS::ECS::Service': 'ECS service',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load balancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'target group',
};

/** What to call a node's resource type in a message (`Lambda function`, `SQS queue`...). */
export function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** How to make an untraced node record, by type. */
const FIXES: { readonly [type: string]: string } = {
  'AWS::Lambda::Function': 'Set Active tracing: TracedFunction, LambdaTracing.enable(fn) or tracing: Tracing.ACTIVE.',
  'AWS::StepFunctions::StateMachine': 'Set tracingEnabled: true (TracingConfiguration.Enabled).',
  'AWS::ApiGateway::RestApi': 'Turn tracing on for its stages: TracedRestApi or RestApiTracing.enable(api).',
  'AWS::AppSync::GraphQLApi': 'Set xrayEnabled: true.',
};

/** `verb` for one node, `plural` for more. */
function verb(nodes: TraceNode[], one: string, more: string): string {
  return new Set(nodes.map(n => n.label)).size === 1 ? one : more;
}

function list(nodes: TraceNode[]): string {
  const labels = [...new Set(nodes.map(n => n.label))];
  return labels.length <= 4 ? labels.join(', ') : `${labels.slice(0, 4).join(', ')} and ${labels.length - 4} more`;
}

/**
 * Finds where traces break on the graph's request paths.
 *
 * "Context" is a sampled trace header. A node emits context when it is TRACED (it starts or continues a trace) or
 * when it is PASS_THROUGH and context reaches it. Context that reaches an UNTRACED, UNSUPPORTED or DOWNSTREAM node
 * goes no further. A node "records" when it is TRACED, or when it is a PassThrough Lambda function that context
 * reaches. A PASS_THROUGH node with no caller in the assembly may be called from outside it, so it counts as possibly
 * carrying context (the findings never guess a break there).
 */
export function findContinuityBreaks(nodes: TraceNode[], edges: TraceEdge[]): ContinuityFinding[] {
  const byId = new Map(nodes.map(n => [n.id, n]));
  const incoming = new Map<string, TraceNode[]>();
  const outgoing = new Map<string, TraceNode[]>();
  for (const e of edges) {
    const [from, to] = [byId.get(e.from), byId.get(e.to)];
    if (from !== undefined && to !== undefined) {
      incoming.set(to.id, [...(incoming.get(to.id) ?? []), from]);
      outgoing.set(from.id, [...(outgoing.get(from.id) ?? []), to]);
    }
  }
  const callers = (n: TraceNode) => incoming.get(n.id) ?? [];
  const callees = (n: TraceNode) => outgoing.get(n.id) ?? [];
  const isLambda = (n: TraceNode) => n.type === 'AWS::Lambda::Function';

  /** Fixpoint of "context reaches n", with `open` deciding whether a node with no caller counts as reached. */
  const reached = (open: boolean): Set<string> => {
    const set = new Set<string>();
    for (let changed = true; changed;) {
      changed = false;
      for (const n of nodes) {
        if (set.has(n.id)) {
          continue;
        }
        const hit = (open && n.state === TraceState.PASS_THROUGH && callers(n).length === 0)
          || callers(n).some(p => p.state === TraceState.TRACED || (p.state === TraceState.PASS_THROUGH && set.has(p.id)));
        if (hit) {
          set.add(n.id);
          changed = true;
        }
      }
    }
    return set;
  };
  const context = reached(false);
  const maybeContext = reached(true);
  const records = (n: TraceNode) => n.state === TraceState.TRACED || (isLambda(n) && n.state === TraceState.PASS_THROUGH && context.has(n.id));

  /** The recording nodes reached from n through nodes that pass context on (stopping at each recording node). */
  const recordersFrom = (n: TraceNode, next: (m: TraceNode) => TraceNode[], recordsAt: (m: TraceNode) => boolean): TraceNode[] => {
    const found: TraceNode[] = [];
    const seen = new Set<string>([n.id]);
    const queue = [...next(n)];
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (seen.has(m.id)) {
        continue;
      }
      seen.add(m.id);
      if (recordsAt(m)) {
        found.push(m);
      } else if (m.state === TraceState.PASS_THROUGH) {
        queue.push(...next(m));
      }
    }
    return found;
  };
  const upstream = (n: TraceNode) => recordersFrom(n, callers, records);
  /** The traced nodes other than SNS topics reached from n through traced and pass-through nodes. */
  const workFrom = (n: TraceNode): TraceNode[] => {
    const found: TraceNode[] = [];
    const seen = new Set<string>([n.id]);
    const queue = [...callees(n)];
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (seen.has(m.id)) {
        continue;
      }
      seen.add(m.id);
      if (m.state === TraceState.TRACED && m.type !== 'AWS::SNS::Topic') {
        found.push(m);
      } else if (m.state === TraceState.TRACED || m.state === TraceState.PASS_THROUGH) {
        queue.push(...callees(m));
      }
    }
    return found;
  };
  const downstream = (n: TraceNode) => recordersFrom(n, callees, m => m.state === TraceState.TRACED || records(m));

  const findings: ContinuityFinding[] = [];
  const add = (kind: ContinuityBreak, n: TraceNode, message: string) => findings.push({ kind, nodeId: n.id, message });

  for (const n of nodes) {
    const name = `${typeName(n.type)} ${n.label}`;
    if (n.type === 'AWS::ECS::Service') {
      if (n.state === TraceState.UNTRACED) {
        const task = n.taskDefinition === undefined ? undefined : byId.get(n.taskDefinition);
        // A target group stands for the load balancers in front of it.
        const balancers = callers(n).flatMap(c => (c.type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && callers(c).length > 0 ? callers(c) : [c]));
        const down = downstream(n);
        add(ContinuityBreak.ECS_SERVICE_WITHOUT_COLLECTOR, n,
          `The ${name} runs ${task === undefined ? 'a task definition' : `task definition ${task.label}`} with no trace collector or X-Ray daemon, ` +
          'so its containers have nowhere to send segments' +
          (balancers.length > 0 ? `: the traces of requests that reach it through ${list(balancers)} end there` : '') +
          (down.length > 0 ? `; ${list(down)} ${verb(down, 'starts', 'start')} new traces for its calls` : '') +
          '. Use TracedFargateTaskDefinition or EcsTracing.enable(taskDefinition).');
      }
      continue;
    }
    if (n.type === 'AWS::ECS::TaskDefinition') {
      continue;
    }
    if (n.state === TraceState.UNTRACED) {
      const up = upstream(n);
      const down = downstream(n);
      if (up.length > 0 || down.length > 0) {
        add(ContinuityBreak.UNTRACED_HOP, n,
          `The ${name} records nothing (${n.how})` +
          (up.length > 0 ? `: traces from ${list(up)} end here` : '') +
          (down.length > 0 ? `${up.length > 0 ? ', and' : ':'} ${list(down)} ${verb(down, 'starts', 'start')} new traces after it` : '') +
          `. ${FIXES[n.type] ?? 'Turn its tracing on.'}`);
      }
    } else if (isLambda(n) && n.state === TraceState.PASS_THROUGH && !maybeContext.has(n.id)) {
      const down = downstream(n);
      add(ContinuityBreak.UNTRACED_HOP, n,
        `The ${name} (${n.how.split(';')[0]}) never gets a sampled trace from its callers (${list(callers(n))}), so it records nothing` +
        (down.length > 0 ? ` and its calls carry an unsampled trace header: ${list(down)} ${verb(down, 'records', 'record')} nothing for these requests either` : '') +
        `. ${FIXES[n.type]}`);
    }
    if (n.type === 'AWS::ApiGatewayV2::Api' && callees(n).length > 0) {
      const targets = callees(n);
      const silent = targets.filter(t => isLambda(t) && t.state === TraceState.PASS_THROUGH);
      add(ContinuityBreak.HTTP_API_ENTRY, n,
        `The ${name} cannot be traced by X-Ray: traces start at ${list(targets)} and miss the API's latency and errors` +
        (silent.length > 0 ? `, and ${list(silent)} ${verb(silent, 'runs', 'run')} in PassThrough, so nothing behind the API is recorded` : '') +
        '. Use a REST API (TracedRestApi) where end-to-end traces matter; acknowledge where they do not.');
    }
    if ((n.type === 'AWS::Events::Rule' || n.type === 'AWS::Scheduler::Schedule') && n.state === TraceState.UNSUPPORTED) {
      // The traced services doing work for the event: an Active topic on the way (an alert fan-out) does not count.
      const down = workFrom(n);
      if (down.length > 0) {
        const awsSource = n.how.startsWith('AWS service');
        add(ContinuityBreak.EVENT_SOURCE_WITHOUT_CONTEXT, n,
          `The ${name} (${n.how}) starts a new trace at ${list(down)} for every event` +
          (awsSource ? '; the request that caused the event is in another trace' : '') +
          '. Acknowledge where that is expected' +
          (awsSource ? '; to connect the two, record the event\'s id or object key as an annotation on both sides.' : '.'));
      }
    }
    if (n.type === 'AWS::SNS::Topic' && n.state === TraceState.PASS_THROUGH && !n.how.startsWith('FIFO')) {
      const up = upstream(n);
      const down = downstream(n);
      if (up.length > 0 && down.length > 0) {
        add(ContinuityBreak.PASS_THROUGH_TOPIC, n,
          `The ${name} passes traces from ${list(up)} to ${list(down)} in PassThrough and records nothing: the publish and its ` +
          'deliveries are missing from the service map. Use SnsTracing.enable(topic), which adds the X-Ray resource policy SNS needs.');
      }
    }
  }
  return findings;
}
