/**
 * The one model of an app's synthesized CloudFormation, which `XRayChecks`, the trace graph and `cdk-xray report` all
 * read. It is built from the templates a synthesis wrote: by `XRayChecks` from the template files aws-cdk-lib passes to
 * validation plugins, by `cdk-xray` from a cloud assembly directory (see `read.ts`), so both see the same stacks and
 * resources and derive the same facts (`facts.ts`, `annotation-keys.ts`).
 *
 * - per stack: its id (the artifact id; unique across the model), construct path, display and CloudFormation names,
 *   environment (account and Region, when known at synthesis), template file and template, rule acknowledgments by
 *   construct path, and for a nested stack the `AWS::CloudFormation::Stack` resource of its parent that creates it;
 * - per resource: its key (`<stackId>/<logicalId>`, also the id of its trace-graph node), logical id, type, properties,
 *   metadata and construct path (from the template's `aws:cdk:path` metadata, else the stack's `aws:cdk:logicalId`
 *   metadata in the assembly).
 *
 * Internal: not part of the jsii API. Nothing here knows the construct tree.
 */

/** One stack's template, as the graph and the facts read it (also how tests and other tools hand templates over). */
export interface StackTemplate {
  /** The stack's id: its artifact id in a cloud assembly; unique across the model. */
  readonly stackId: string;
  /** The CloudFormation template (Resources, Outputs, Mappings...). */
  readonly template: any;
  /**
   * For a nested stack: the `AWS::CloudFormation::Stack` resource that creates it. Its `Parameters` give the values of
   * the nested template's parameters, and `Fn::GetAtt [resource, Outputs.<name>]` in the parent reads its `Outputs`.
   */
  readonly parent?: { readonly stackId: string; readonly logicalId: string };
}

/** One stack of the model. */
export interface TemplateStack extends StackTemplate {
  /** The stack's construct path (`Stage/Stack`, `Stack/Nested`), when known. */
  readonly path?: string;
  /** The name people know it by: its construct path where known, else its id. */
  readonly displayName: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** `aws://account/region` as the assembly states it (`unknown-account`/`unknown-region` for an agnostic part). */
  readonly environment?: string;
  /** The account the stack deploys to, when known at synthesis. */
  readonly account?: string;
  /** The Region the stack deploys to, when known at synthesis. */
  readonly region?: string;
  /** The template file, relative to the top-level assembly directory (or its base name). */
  readonly templateFile: string;
  /** Construct paths of the template's resources by logical id. */
  readonly resourcePaths: Readonly<Record<string, string>>;
  /** Rule acknowledgments (`Validations.of(scope).acknowledge(...)`) by construct path: rule id -> reason. */
  readonly acknowledgments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Construct paths by logical id of the resources of the stack's nested stacks, from the stack's metadata. */
  readonly nestedPaths?: Readonly<Record<string, string>>;
}

/** One resource of one stack. */
export interface TemplateResource {
  /** `<stackId>/<logicalId>`: unique across the model, and the id of the resource's trace-graph node. */
  readonly key: string;
  readonly stackId: string;
  readonly logicalId: string;
  /** The CloudFormation type, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  readonly properties: Record<string, any>;
  readonly metadata: Record<string, any>;
  /** The construct path, when the template or the assembly's metadata records it. */
  readonly path?: string;
}

/** The metadata key CDK records a resource's construct path under, in templates synthesized with path metadata. */
export const PATH_METADATA = 'aws:cdk:path';

/** The synthesized templates of one app (or one cloud assembly), with the lookups every reader needs. */
export class TemplateModel {
  /** A model of templates held in memory, by stack id; construct paths come from `aws:cdk:path` metadata only. */
  public static ofTemplates(templates: Record<string, any>): TemplateModel {
    return new TemplateModel('<memory>', Object.entries(templates).map(([stackId, template]) => bareStack({ stackId, template })));
  }

  /** A model of stack templates as other tools hand them over (ids, templates, nested stacks' parents). */
  public static ofStacks(stacks: StackTemplate[]): TemplateModel {
    return new TemplateModel('<memory>', stacks.map(bareStack));
  }

  /** Every resource, in stack order then template order. */
  public readonly resources: readonly TemplateResource[];
  private readonly stacksById = new Map<string, TemplateStack>();
  private readonly stacksByPath = new Map<string, TemplateStack>();
  private readonly byKey = new Map<string, TemplateResource>();
  private readonly byPath = new Map<string, TemplateResource>();
  private readonly byType = new Map<string, TemplateResource[]>();

  /**
   * @param directory the assembly directory the templates were read from (for display), or `<memory>`
   * @param stacks every stack, nested ones included; ids must be unique
   */
  constructor(public readonly directory: string, public readonly stacks: readonly TemplateStack[]) {
    const resources: TemplateResource[] = [];
    for (const stack of stacks) {
      this.stacksById.set(stack.stackId, stack);
      if (stack.path !== undefined) {
        this.stacksByPath.set(stack.path, stack);
      }
      for (const [logicalId, resource] of Object.entries<any>(stack.template?.Resources ?? {})) {
        if (typeof resource?.Type !== 'string') {
          continue;
        }
        const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
        const declared = metadata[PATH_METADATA];
        const path = typeof declared === 'string' ? declared : stack.resourcePaths[logicalId];
        const r: TemplateResource = {
          key: `${stack.stackId}/${logicalId}`,
          stackId: stack.stackId,
          logicalId,
          type: resource.Type,
          properties: isObject(resource.Properties) ? resource.Properties : {},
          metadata,
          ...(path !== undefined ? { path } : {}),
        };
        resources.push(r);
        this.byKey.set(r.key, r);
        if (path !== undefined) {
          this.byPath.set(path, r);
        }
        const ofType = this.byType.get(r.type);
        if (ofType === undefined) {
          this.byType.set(r.type, [r]);
        } else {
          ofType.push(r);
        }
      }
    }
    this.resources = resources;
  }

  /** The stack with this id. */
  public stack(stackId: string): TemplateStack | undefined {
    return this.stacksById.get(stackId);
  }

  /** The stack at this construct path. */
  public stackAt(path: string): TemplateStack | undefined {
    return this.stacksByPath.get(path);
  }

  /** The resource with this key (`<stackId>/<logicalId>`). */
  public resource(key: string): TemplateResource | undefined {
    return this.byKey.get(key);
  }

  /** The resource a stack's template declares under this logical id. */
  public resourceIn(stackId: string, logicalId: string): TemplateResource | undefined {
    return this.byKey.get(`${stackId}/${logicalId}`);
  }

  /** The resource at this construct path. */
  public resourceAt(path: string): TemplateResource | undefined {
    return this.byPath.get(path);
  }

  /** The resources of the given types, in model order within each type. */
  public ofType(...types: string[]): TemplateResource[] {
    return types.length === 1 ? [...this.byType.get(types[0]) ?? []] : this.resources.filter(r => types.includes(r.type));
  }
}

/** A stack known only by its id and template (no assembly metadata). */
function bareStack(stack: StackTemplate): TemplateStack {
  return {
    stackId: stack.stackId,
    displayName: stack.stackId,
    stackName: stack.stackId,
    templateFile: `${stack.stackId}.template.json`,
    template: stack.template,
    ...(stack.parent !== undefined ? { parent: stack.parent } : {}),
    resourcePaths: {},
    acknowledgments: {},
  };
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A key naming the account and Region a stack deploys to (`*` for a part unknown at synthesis): account-and-Region
 * quotas and singletons (sampling-rule priorities, resource policies) are shared by every stack with the same key.
 */
export function accountRegionOf(stack: Pick<TemplateStack, 'account' | 'region'> | undefined): string {
  return `${stack?.account ?? '*'}/${stack?.region ?? '*'}`;
}
