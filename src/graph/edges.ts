import { EdgeKind, TraceEdge } from './model';
import { DEFAULT_EVENT_BUS, TemplateIndex, TemplateResource } from './template';

/** What a grant (or an environment variable) on a resource of these types means for a request. */
const CALLS: ReadonlyArray<{ readonly types: readonly string[]; readonly actions: readonly string[]; readonly kind: EdgeKind }> = [
  { types: ['AWS::Lambda::Function'], actions: ['lambda:InvokeFunction'], kind: EdgeKind.INVOKE },
  { types: ['AWS::SQS::Queue'], actions: ['sqs:SendMessage'], kind: EdgeKind.SEND },
  { types: ['AWS::SNS::Topic'], actions: ['sns:Publish'], kind: EdgeKind.PUBLISH },
  { types: ['AWS::Events::EventBus', DEFAULT_EVENT_BUS], actions: ['events:PutEvents'], kind: EdgeKind.PUT_EVENTS },
  {
    types: ['AWS::StepFunctions::StateMachine'],
    actions: ['states:StartExecution', 'states:StartSyncExecution'],
    kind: EdgeKind.START_EXECUTION,
  },
  {
    types: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
    actions: ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem',
      'TransactGetItems', 'TransactWriteItems', 'PartiQLSelect', 'PartiQLInsert', 'PartiQLUpdate', 'PartiQLDelete'].map(a => `dynamodb:${a}`),
    kind: EdgeKind.DATA,
  },
  { types: ['AWS::Kinesis::Stream'], actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], kind: EdgeKind.DATA },
];

function typeOf(index: TemplateIndex, key: string): string | undefined {
  return key === DEFAULT_EVENT_BUS ? DEFAULT_EVENT_BUS : index.get(key)?.type;
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Whether an IAM action pattern (`sqs:*`, `dynamodb:Get*`) allows an action. */
function allows(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') {
    return false;
  }
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

interface Statement {
  readonly stackId: string;
  readonly statement: any;
}

/**
 * Collects the edges between the given nodes (`isNode`), reading integrations, grants, environment variables, event
 * source mappings, subscriptions, rules, load balancer wiring and state machine definitions.
 */
export class EdgeCollector {
  public readonly edges: TraceEdge[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly index: TemplateIndex, private readonly isNode: (key: string) => boolean) {}

  public collect(): TraceEdge[] {
    this.apiIntegrations();
    this.grantsAndEnvironment();
    this.eventSourceMappings();
    this.subscriptions();
    this.rules();
    this.loadBalancers();
    this.stateMachines();
    return this.edges;
  }

  private add(from: string, to: string, kind: EdgeKind): void {
    const id = `${from}|${to}|${kind}`;
    if (from === to || !this.isNode(from) || !this.isNode(to) || this.seen.has(id)) {
      return;
    }
    this.seen.add(id);
    this.edges.push({ from, to, kind });
  }

  private hasEdge(from: string, to: string): boolean {
    return this.edges.some(e => e.from === from && e.to === to);
  }

  private refs(r: TemplateResource, value: unknown): string[] {
    return this.index.refs(r.stackId, value);
  }

  /** REST methods, HTTP/WebSocket API integrations and AppSync data sources: API -> what it calls. */
  private apiIntegrations(): void {
    for (const m of this.index.ofType('AWS::ApiGateway::Method')) {
      const integration = m.properties.Integration ?? {};
      const targets = this.refs(m, [integration.Uri, integration.RequestTemplates, integration.RequestParameters]);
      for (const api of this.refs(m, m.properties.RestApiId)) {
        targets.forEach(t => this.add(api, t, EdgeKind.INTEGRATION));
      }
    }
    for (const i of this.index.ofType('AWS::ApiGatewayV2::Integration')) {
      const targets = this.refs(i, [i.properties.IntegrationUri, i.properties.RequestParameters, i.properties.RequestTemplates]);
      for (const api of this.refs(i, i.properties.ApiId)) {
        targets.forEach(t => this.add(api, t, EdgeKind.INTEGRATION));
      }
    }
    for (const d of this.index.ofType('AWS::AppSync::DataSource')) {
      const p = d.properties;
      const targets = this.refs(d, [p.LambdaConfig, p.DynamoDBConfig, p.EventBridgeConfig, p.HttpConfig]);
      for (const api of this.refs(d, p.ApiId)) {
        targets.forEach(t => this.add(api, t, EdgeKind.INTEGRATION));
      }
    }
  }

  /**
   * The roles a value names: role resources it refers to, and a role outside the assembly (an imported role) by its
   * name, as `role:<name>`: from a literal role ARN (`Role` of a function) or a literal name (`Roles` of a policy).
   */
  private roles(r: TemplateResource, value: unknown, form: 'arn' | 'name'): string[] {
    const found = this.refs(r, value);
    for (const item of asList(value)) {
      const text = this.index.known(r.stackId, item);
      if (text === undefined) {
        continue;
      }
      const name = form === 'arn' ? /^arn:[^:]*:iam::[^:]*:role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(text)?.[1] : /^[\w+=,.@-]+$/.test(text) ? text : undefined;
      if (name !== undefined) {
        found.push(`role:${name}`);
      }
    }
    return found;
  }

  /** Who acts through a role: the functions and the ECS services (or, without a service, the task definitions) using it. */
  private callersByRole(): Map<string, string[]> {
    const callers = new Map<string, string[]>();
    const addCaller = (role: string, caller: string) => callers.set(role, [...(callers.get(role) ?? []), caller]);
    for (const fn of this.index.ofType('AWS::Lambda::Function')) {
      this.roles(fn, fn.properties.Role, 'arn').forEach(role => addCaller(role, fn.key));
    }
    for (const task of this.index.ofType('AWS::ECS::TaskDefinition')) {
      for (const role of this.roles(task, task.properties.TaskRoleArn, 'arn')) {
        this.taskCallers(task).forEach(caller => addCaller(role, caller));
      }
    }
    return callers;
  }

  /** The ECS services running a task definition, or the task definition itself when no service does. */
  private taskCallers(task: TemplateResource): string[] {
    const services = this.index.ofType('AWS::ECS::Service').filter(s => this.refs(s, s.properties.TaskDefinition).includes(task.key));
    return services.length > 0 ? services.map(s => s.key) : [task.key];
  }

  /** The Allow statements of the identity policies attached to each role. */
  private statementsByRole(): Map<string, Statement[]> {
    const byRole = new Map<string, Statement[]>();
    const attach = (role: string, stackId: string, document: any) => {
      const statements = asList(document?.Statement).map(statement => ({ stackId, statement }));
      byRole.set(role, [...(byRole.get(role) ?? []), ...statements]);
    };
    for (const policy of this.index.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
      this.roles(policy, policy.properties.Roles, 'name').forEach(role => attach(role, policy.stackId, policy.properties.PolicyDocument));
    }
    for (const role of this.index.ofType('AWS::IAM::Role')) {
      asList(role.properties.Policies).forEach((p: any) => attach(role.key, role.stackId, p?.PolicyDocument));
      for (const managed of this.refs(role, role.properties.ManagedPolicyArns)) {
        const policy = this.index.get(managed);
        // A managed policy listing the role in `Roles` is already attached above.
        if (policy?.type === 'AWS::IAM::ManagedPolicy' && !this.refs(policy, policy.properties.Roles).includes(role.key)) {
          attach(role.key, policy.stackId, policy.properties.PolicyDocument);
        }
      }
    }
    return byRole;
  }

  private grantsAndEnvironment(): void {
    const statements = this.statementsByRole();
    for (const [role, callers] of this.callersByRole()) {
      for (const { stackId, statement } of statements.get(role) ?? []) {
        if (statement?.Effect !== 'Allow' || statement.Action === undefined) {
          continue;
        }
        const actions = asList(statement.Action);
        for (const target of this.index.refs(stackId, statement.Resource)) {
          const type = typeOf(this.index, target);
          const call = CALLS.find(c => type !== undefined && c.types.includes(type));
          if (call !== undefined && call.actions.some(a => actions.some(p => allows(p, a)))) {
            callers.forEach(caller => this.add(caller, target, call.kind));
          }
        }
      }
    }
    // Environment variables holding a reference: a secondary signal, for code that calls what it is configured with.
    for (const fn of this.index.ofType('AWS::Lambda::Function')) {
      this.environmentEdges([fn.key], fn, Object.values(fn.properties.Environment?.Variables ?? {}));
    }
    for (const task of this.index.ofType('AWS::ECS::TaskDefinition')) {
      const values = asList(task.properties.ContainerDefinitions).flatMap((c: any) => asList(c?.Environment).map((e: any) => e?.Value));
      this.environmentEdges(this.taskCallers(task), task, values);
    }
  }

  private environmentEdges(callers: string[], r: TemplateResource, values: unknown[]): void {
    for (const target of this.refs(r, values)) {
      const type = typeOf(this.index, target);
      const call = CALLS.find(c => type !== undefined && c.types.includes(type));
      for (const caller of callers) {
        if (call !== undefined && !this.hasEdge(caller, target)) {
          this.add(caller, target, call.kind);
        }
      }
    }
  }

  /** Event source mappings: queue, table stream or Kinesis stream -> function. */
  private eventSourceMappings(): void {
    for (const m of this.index.ofType('AWS::Lambda::EventSourceMapping')) {
      const functions = this.refs(m, m.properties.FunctionName);
      for (const source of this.refs(m, m.properties.EventSourceArn)) {
        functions.forEach(fn => this.add(source, fn, EdgeKind.EVENT_SOURCE));
      }
    }
  }

  /** SNS subscriptions (resources and a topic's inline list): topic -> subscriber. */
  private subscriptions(): void {
    for (const s of this.index.ofType('AWS::SNS::Subscription')) {
      const endpoints = this.refs(s, s.properties.Endpoint);
      for (const topic of this.refs(s, s.properties.TopicArn)) {
        endpoints.forEach(e => this.add(topic, e, EdgeKind.SUBSCRIPTION));
      }
    }
    for (const topic of this.index.ofType('AWS::SNS::Topic')) {
      for (const sub of asList(topic.properties.Subscription)) {
        this.refs(topic, (sub as any)?.Endpoint).forEach(e => this.add(topic.key, e, EdgeKind.SUBSCRIPTION));
      }
    }
  }

  /** The targets of an EventBridge target list (an ECS target is its task definition, not the cluster). */
  private targetsOf(r: TemplateResource, targets: unknown[]): string[] {
    return targets.flatMap((t: any) => this.refs(r, t?.EcsParameters?.TaskDefinitionArn !== undefined ? t.EcsParameters.TaskDefinitionArn : t?.Arn));
  }

  /** EventBridge rules (bus -> rule -> targets) and EventBridge Scheduler schedules (schedule -> target). */
  private rules(): void {
    for (const rule of this.index.ofType('AWS::Events::Rule')) {
      const bus = rule.properties.EventBusName;
      let buses: string[];
      if (bus === undefined || bus === 'default') {
        buses = [DEFAULT_EVENT_BUS];
      } else if (typeof bus === 'string' && !bus.startsWith('arn:')) {
        buses = this.index.named('events', bus);
      } else {
        buses = this.refs(rule, bus);
      }
      // A scheduled rule runs on the default bus but receives no events from it.
      if (rule.properties.ScheduleExpression === undefined) {
        buses.forEach(b => this.add(b, rule.key, EdgeKind.RULE));
      }
      this.targetsOf(rule, asList(rule.properties.Targets)).forEach(t => this.add(rule.key, t, EdgeKind.RULE_TARGET));
    }
    for (const schedule of this.index.ofType('AWS::Scheduler::Schedule')) {
      this.targetsOf(schedule, asList(schedule.properties.Target)).forEach(t => this.add(schedule.key, t, EdgeKind.RULE_TARGET));
    }
  }

  /** Load balancer -> target group (listener and listener rule actions) -> ECS service or Lambda function. */
  private loadBalancers(): void {
    const isTargetGroup = (k: string) => this.index.get(k)?.type === 'AWS::ElasticLoadBalancingV2::TargetGroup';
    for (const listener of this.index.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
      const groups = this.refs(listener, listener.properties.DefaultActions).filter(isTargetGroup);
      for (const lb of this.refs(listener, listener.properties.LoadBalancerArn)) {
        groups.forEach(g => this.add(lb, g, EdgeKind.LOAD_BALANCER));
      }
    }
    for (const rule of this.index.ofType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      const groups = this.refs(rule, rule.properties.Actions).filter(isTargetGroup);
      // The listener reference resolves to the listener's load balancer.
      for (const lb of this.refs(rule, rule.properties.ListenerArn)) {
        groups.forEach(g => this.add(lb, g, EdgeKind.LOAD_BALANCER));
      }
    }
    for (const group of this.index.ofType('AWS::ElasticLoadBalancingV2::TargetGroup')) {
      if (group.properties.TargetType === 'lambda') {
        this.refs(group, asList(group.properties.Targets).map((t: any) => t?.Id)).forEach(fn => this.add(group.key, fn, EdgeKind.LOAD_BALANCER));
      }
    }
    for (const service of this.index.ofType('AWS::ECS::Service')) {
      for (const lb of asList(service.properties.LoadBalancers)) {
        this.refs(service, (lb as any)?.TargetGroupArn).forEach(g => this.add(g, service.key, EdgeKind.LOAD_BALANCER));
      }
    }
  }

  /** State machine -> every resource its definition (or its definition substitutions) refers to. */
  private stateMachines(): void {
    for (const sm of this.index.ofType('AWS::StepFunctions::StateMachine')) {
      const p = sm.properties;
      const targets = this.refs(sm, [p.Definition, p.DefinitionString, p.DefinitionSubstitutions]);
      // ecs:runTask names its task definition by family, which CDK writes as a literal.
      const text = typeof p.Definition === 'object' ? JSON.stringify(p.Definition) : this.index.flatten(sm.stackId, p.DefinitionString) ?? '';
      for (const m of text.matchAll(/"TaskDefinition"\s*:\s*"([\w-]+)"/g)) {
        targets.push(...this.index.named('ecs', m[1]));
      }
      for (const t of targets) {
        const type = typeOf(this.index, t);
        // An ECS task is run through its task definition; the cluster is no node.
        if (type !== 'AWS::ElasticLoadBalancingV2::TargetGroup' && type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
          this.add(sm.key, t, EdgeKind.STATE_MACHINE_TASK);
        }
      }
    }
  }
}
