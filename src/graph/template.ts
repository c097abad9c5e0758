import { TemplateModel, TemplateResource } from '../template/model';

export type { TemplateResource } from '../template/model';

/** The node key of the account's default EventBridge bus (see `TraceNode.virtual`). */
export const DEFAULT_EVENT_BUS = 'default-event-bus';

/** ARN service and resource-name prefix of the resource types a literal ARN or name can point at. */
const NAMED_TYPES: ReadonlyArray<{ type: string; nameProperty: string; service: string }> = [
  { type: 'AWS::Lambda::Function', nameProperty: 'FunctionName', service: 'lambda' },
  { type: 'AWS::SQS::Queue', nameProperty: 'QueueName', service: 'sqs' },
  { type: 'AWS::SNS::Topic', nameProperty: 'TopicName', service: 'sns' },
  { type: 'AWS::DynamoDB::Table', nameProperty: 'TableName', service: 'dynamodb' },
  { type: 'AWS::DynamoDB::GlobalTable', nameProperty: 'TableName', service: 'dynamodb' },
  { type: 'AWS::Events::EventBus', nameProperty: 'Name', service: 'events' },
  { type: 'AWS::StepFunctions::StateMachine', nameProperty: 'StateMachineName', service: 'states' },
  { type: 'AWS::Kinesis::Stream', nameProperty: 'Name', service: 'kinesis' },
  { type: 'AWS::ECS::TaskDefinition', nameProperty: 'Family', service: 'ecs' },
];

/** Resources that stand for another one when referenced: a Lambda alias or version for its function, a listener for its load balancer. */
const STAND_INS: { readonly [type: string]: string } = {
  'AWS::Lambda::Alias': 'FunctionName',
  'AWS::Lambda::Version': 'FunctionName',
  'AWS::ElasticLoadBalancingV2::Listener': 'LoadBalancerArn',
};

/** Placeholder for a value only known at deploy time inside a flattened string. */
const UNKNOWN = '\u0000';

/**
 * Resolves, over the template model, what CloudFormation values refer to: `Ref`, `Fn::GetAtt`,
 * `Fn::Sub`, `Fn::Join` and the other intrinsics (by walking them), `Fn::ImportValue` through the exporting stack's
 * `Outputs`, and literal ARNs, queue URLs and names of resources that set their physical name.
 */
export class TemplateIndex {
  /** Every resource, in stack order then template order. */
  public readonly resources: readonly TemplateResource[];
  private readonly exports = new Map<string, { stackId: string; value: unknown }>();
  private readonly byName = new Map<string, string[]>();
  private readonly mappings = new Map<string, Record<string, any>>();
  /** Nested stack id by the key of the `AWS::CloudFormation::Stack` resource that creates it. */
  private readonly nestedByResource = new Map<string, string>();
  private readonly outputs = new Map<string, Record<string, any>>();
  private readonly parents = new Map<string, { stackId: string; logicalId: string }>();

  constructor(private readonly model: TemplateModel) {
    this.resources = model.resources;
    for (const stack of model.stacks) {
      const template = stack.template ?? {};
      this.mappings.set(stack.stackId, template.Mappings ?? {});
      this.outputs.set(stack.stackId, template.Outputs ?? {});
      if (stack.parent !== undefined) {
        this.parents.set(stack.stackId, stack.parent);
        this.nestedByResource.set(`${stack.parent.stackId}/${stack.parent.logicalId}`, stack.stackId);
      }
      for (const output of Object.values<any>(template.Outputs ?? {})) {
        const name = output?.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stackId: stack.stackId, value: output.Value });
        }
      }
    }
    for (const named of NAMED_TYPES) {
      for (const r of model.ofType(named.type)) {
        const name = r.properties[named.nameProperty];
        if (typeof name === 'string' && !name.includes('*')) {
          const id = `${named.service}:${name}`;
          this.byName.set(id, [...(this.byName.get(id) ?? []), r.key]);
        }
      }
    }
  }

  /** The keys of the resources of an ARN service (`events`, `sqs`...) whose physical name is `name`. */
  public named(service: string, name: string): string[] {
    return this.byName.get(`${service}:${name}`) ?? [];
  }

  public get(key: string): TemplateResource | undefined {
    return this.model.resource(key);
  }

  /** The resources of the given types, in order. */
  public ofType(...types: string[]): TemplateResource[] {
    return this.model.ofType(...types);
  }

  /**
   * The keys of the resources `value` (found in stack `stackId`) refers to, deduplicated, with stand-ins (aliases,
   * versions, listeners) replaced by what they stand for. May contain `DEFAULT_EVENT_BUS`.
   */
  public refs(stackId: string, value: unknown): string[] {
    const out = new Set<string>();
    this.walk(stackId, value, out, 0);
    return [...out].map(k => this.canonical(k, 0));
  }

  /** A value as a string, with deploy-time parts as a placeholder; undefined when it is no string at all. */
  public flatten(stackId: string, value: unknown): string | undefined {
    return this.flat(stackId, value, 0);
  }

  /** For a parameter of a nested stack: the value its parent passes, with the parent's stack id. */
  private parameter(stackId: string, name: string): { stackId: string; value: unknown } | undefined {
    const parent = this.parents.get(stackId);
    const parameters = parent === undefined ? undefined : this.model.resource(`${parent.stackId}/${parent.logicalId}`)?.properties.Parameters;
    return parameters !== undefined && typeof parameters === 'object' && name in parameters
      ? { stackId: parent!.stackId, value: parameters[name] }
      : undefined;
  }

  /** For `Fn::GetAtt [nested stack resource, Outputs.<name>]`: the output's value, with the nested stack's id. */
  private nestedOutput(stackId: string, arg: unknown): { stackId: string; value: unknown } | undefined {
    const [target, attribute] = Array.isArray(arg) ? arg
      : typeof arg === 'string' ? [arg.split('.')[0], arg.split('.').slice(1).join('.')] : [];
    if (typeof target !== 'string' || typeof attribute !== 'string' || !attribute.startsWith('Outputs.')) {
      return undefined;
    }
    const nested = this.nestedByResource.get(`${stackId}/${target}`);
    const output = nested === undefined ? undefined : this.outputs.get(nested)?.[attribute.slice('Outputs.'.length)];
    return output === undefined ? undefined : { stackId: nested!, value: output?.Value };
  }

  /** A value as a string when it is known in full at synthesis (a literal, or intrinsics of literals). */
  public known(stackId: string, value: unknown): string | undefined {
    const text = this.flat(stackId, value, 0);
    return text === undefined || text.includes(UNKNOWN) ? undefined : text;
  }

  private canonical(key: string, depth: number): string {
    const r = this.model.resource(key);
    const property = r === undefined ? undefined : STAND_INS[r.type];
    if (r === undefined || property === undefined || depth > 5) {
      return key;
    }
    const target = this.refs(r.stackId, r.properties[property]).find(k => k !== key);
    return target === undefined ? key : this.canonical(target, depth + 1);
  }

  private has(key: string): boolean {
    return this.model.resource(key) !== undefined;
  }

  private add(stackId: string, logicalId: string, out: Set<string>): void {
    const key = `${stackId}/${logicalId}`;
    if (this.has(key)) {
      out.add(key);
    }
  }

  private walk(stackId: string, value: unknown, out: Set<string>, depth: number): void {
    if (depth > 40 || value === null || value === undefined) {
      return;
    }
    if (typeof value === 'string') {
      this.literal(value, out);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach(v => this.walk(stackId, v, out, depth + 1));
      return;
    }
    if (typeof value !== 'object') {
      return;
    }
    const obj = value as Record<string, any>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      switch (fn) {
        case 'Ref': {
          const parameter = typeof arg === 'string' && !this.has(`${stackId}/${arg}`) ? this.parameter(stackId, arg) : undefined;
          if (parameter !== undefined) {
            this.walk(parameter.stackId, parameter.value, out, depth + 1);
          } else if (typeof arg === 'string') {
            this.add(stackId, arg, out);
          }
          return;
        }
        case 'Fn::GetAtt': {
          const output = this.nestedOutput(stackId, arg);
          if (output !== undefined) {
            this.walk(output.stackId, output.value, out, depth + 1);
            return;
          }
          const target = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
          if (typeof target === 'string') {
            this.add(stackId, target, out);
          }
          return;
        }
        case 'Fn::ImportValue': {
          const name = this.flat(stackId, arg, depth + 1);
          const exported = name === undefined ? undefined : this.exports.get(name);
          if (exported !== undefined) {
            this.walk(exported.stackId, exported.value, out, depth + 1);
          }
          return;
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
          if (typeof text === 'string') {
            for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
              const name = m[1].split('.')[0];
              if (!(name in vars)) {
                this.walk(stackId, m[1].includes('.') ? { 'Fn::GetAtt': m[1] } : { Ref: name }, out, depth + 1);
              }
            }
          }
          this.walk(stackId, vars, out, depth + 1);
          const flat = this.flat(stackId, value, depth + 1);
          if (flat !== undefined) {
            this.literal(flat, out);
          }
          return;
        }
        case 'Fn::Join': {
          this.walk(stackId, arg, out, depth + 1);
          const flat = this.flat(stackId, value, depth + 1);
          if (flat !== undefined) {
            this.literal(flat, out);
          }
          return;
        }
        default:
          break;
      }
    }
    keys.forEach(k => this.walk(stackId, obj[k], out, depth + 1));
  }

  private flat(stackId: string, value: unknown, depth: number): string | undefined {
    if (depth > 40) {
      return undefined;
    }
    if (typeof value === 'string') {
      return value;
    }
    if (typeof value === 'number') {
      return String(value);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return undefined;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      return undefined;
    }
    const fn = keys[0];
    const arg = (value as any)[fn];
    switch (fn) {
      case 'Fn::Join': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
          return undefined;
        }
        return arg[1].map((p: unknown) => this.flat(stackId, p, depth + 1) ?? UNKNOWN).join(arg[0]);
      }
      case 'Fn::Sub': {
        const text = Array.isArray(arg) ? arg[0] : arg;
        const vars = Array.isArray(arg) ? arg[1] ?? {} : {};
        if (typeof text !== 'string') {
          return undefined;
        }
        return text.replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) =>
          this.flat(stackId, name in vars ? vars[name] : name.includes('.') ? { 'Fn::GetAtt': name } : { Ref: name }, depth + 1) ?? UNKNOWN);
      }
      case 'Fn::FindInMap': {
        if (Array.isArray(arg) && arg.every(a => typeof a === 'string')) {
          const found = this.mappings.get(stackId)?.[arg[0]]?.[arg[1]]?.[arg[2]];
          return typeof found === 'string' ? found : undefined;
        }
        // Keyed by a deploy-time value (a region): every candidate, so a name common to all of them is still found.
        const map = Array.isArray(arg) && typeof arg[0] === 'string' ? this.mappings.get(stackId)?.[arg[0]] : undefined;
        return map === undefined ? UNKNOWN : JSON.stringify(map);
      }
      case 'Fn::ImportValue': {
        const name = this.flat(stackId, arg, depth + 1);
        const exported = name === undefined ? undefined : this.exports.get(name);
        return exported === undefined ? UNKNOWN : this.flat(exported.stackId, exported.value, depth + 1) ?? UNKNOWN;
      }
      case 'Ref':
      case 'Fn::GetAtt': {
        const passed = fn === 'Ref'
          ? (typeof arg === 'string' && !this.has(`${stackId}/${arg}`) ? this.parameter(stackId, arg) : undefined)
          : this.nestedOutput(stackId, arg);
        return passed === undefined ? UNKNOWN : this.flat(passed.stackId, passed.value, depth + 1) ?? UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** Resources a literal ARN, SQS queue URL or `event-bus/default` in `text` names. */
  private literal(text: string, out: Set<string>): void {
    if (/:event-bus\/default(?![\w-])/.test(text)) {
      out.add(DEFAULT_EVENT_BUS);
    }
    if (this.byName.size === 0) {
      return;
    }
    const candidates: string[] = [];
    for (const m of text.matchAll(/arn:[^:\s"]*:(lambda|sqs|sns|dynamodb|events|states|kinesis|ecs):[^:\s"]*:[^:\s"]*:([^\s"]+)/g)) {
      const [service, resource] = [m[1], m[2]];
      const parts = resource.split(/[:/]/);
      switch (service) {
        case 'lambda':
          if (parts[0] === 'function') candidates.push(`lambda:${parts[1]}`);
          break;
        case 'states':
          if (parts[0] === 'stateMachine') candidates.push(`states:${parts[1]}`);
          break;
        case 'dynamodb':
          if (parts[0] === 'table') candidates.push(`dynamodb:${parts[1]}`);
          break;
        case 'events':
          if (parts[0] === 'event-bus') candidates.push(`events:${parts[1]}`);
          break;
        case 'kinesis':
          if (parts[0] === 'stream') candidates.push(`kinesis:${parts[1]}`);
          break;
        case 'ecs':
          if (parts[0] === 'task-definition') candidates.push(`ecs:${parts[1]}`);
          break;
        default:
          candidates.push(`${service}:${parts[0]}`);
      }
    }
    for (const m of text.matchAll(/https:\/\/sqs\.[^/\s"]+\/[^/\s"]+\/([\w-]+(?:\.fifo)?)/g)) {
      candidates.push(`sqs:${m[1]}`);
    }
    for (const c of candidates) {
      (this.byName.get(c) ?? []).forEach(k => out.add(k));
    }
  }
}
