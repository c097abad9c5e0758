import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';

/**
 * Where rules read resource properties from during one validation run (the tree is final then): the templates the
 * synthesis just wrote, when the run has them, else each resource rendered on demand. Both give the same
 * CloudFormation; reading the written templates avoids resolving every resource a second time.
 */
interface PropertySource {
  readonly cache: WeakMap<CfnResource, Record<string, any>>;
  readonly templatePaths: Set<string>;
  /** The written template of each stack by construct path, where aws-cdk-lib passes them (`stackTemplates`). */
  readonly templatesByStack: ReadonlyMap<string, string>;
  /** The written template of each stack (null: none for this run), found once per stack. */
  readonly stackTemplates: Map<Stack, any | null>;
  readonly logicalIds: WeakMap<CfnResource, string>;
}

let source: PropertySource | undefined;

/**
 * Runs `fn` with properties cached, so each resource is read once however many rules read it. `templatePaths` are the
 * templates of the synthesis being validated (aws-cdk-lib passes them to validation plugins).
 */
export function withPropertyCache<T>(fn: () => T, templatePaths: readonly string[] = [],
  templatesByStack: ReadonlyMap<string, string> = new Map()): T {
  const previous = source;
  source = {
    cache: new WeakMap(),
    templatePaths: new Set([...templatePaths, ...templatesByStack.values()].map(p => path.resolve(p))),
    templatesByStack,
    stackTemplates: new Map(),
    logicalIds: new WeakMap(),
  };
  try {
    return fn();
  } finally {
    source = previous;
  }
}

/** A resource's CloudFormation properties as they will be deployed (tokens resolved to intrinsics). */
export function propertiesOf(node: CfnResource): Record<string, any> {
  const cached = source?.cache.get(node);
  if (cached !== undefined) {
    return cached;
  }
  const properties = fromWrittenTemplate(node) ?? render(node);
  source?.cache.set(node, properties);
  return properties;
}

function render(node: CfnResource): Record<string, any> {
  const rendered = Stack.of(node).resolve((node as any)._toCloudFormation());
  const first = Object.values<any>(rendered?.Resources ?? {})[0];
  return first?.Properties ?? {};
}

function fromWrittenTemplate(node: CfnResource): Record<string, any> | undefined {
  if (source === undefined || source.templatePaths.size === 0) {
    return undefined;
  }
  const template = writtenTemplateOf(Stack.of(node), source);
  const resource = template?.Resources?.[logicalIdOf(node)];
  return resource?.Type === node.cfnResourceType ? resource.Properties ?? {} : undefined;
}

function writtenTemplateOf(stack: Stack, from: PropertySource): any | undefined {
  let template = from.stackTemplates.get(stack);
  if (template === undefined) {
    const outdir = Stage.of(stack)?.outdir;
    const given = from.templatesByStack.get(stack.node.path);
    const file = given !== undefined ? path.resolve(given) : outdir === undefined ? undefined : path.resolve(outdir, stack.templateFile);
    template = file !== undefined && from.templatePaths.has(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
    from.stackTemplates.set(stack, template);
  }
  return template ?? undefined;
}

/** A resource's logical id in its stack's template (cached for the run: the tree is final then). */
export function logicalIdOf(node: CfnResource): string {
  const cached = source?.logicalIds.get(node);
  if (cached !== undefined) {
    return cached;
  }
  // aws-cdk-lib's own producer of the logical id token (the override, else the stack's allocation) is much cheaper than
  // resolving the token; resolve when a version does not have it.
  const produce = (node as any)._synthesizeLogicalId;
  const logicalId: string = typeof produce === 'function' ? produce.call(node) : Stack.of(node).resolve(node.logicalId);
  source?.logicalIds.set(node, logicalId);
  return logicalId;
}

/** Names a rule function after its file, as cdk-nag derives rule ids from function names. */
export function named<T extends Function>(name: string, rule: T): T {
  return Object.defineProperty(rule, 'name', { value: name });
}
