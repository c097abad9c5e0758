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
  /** Parsed templates by absolute file path, parsed on first use; empty when the run has no templates. */
  readonly templates: Map<string, any>;
  readonly templatePaths: Set<string>;
}

let source: PropertySource | undefined;

/**
 * Runs `fn` with properties cached, so each resource is read once however many rules read it. `templatePaths` are the
 * templates of the synthesis being validated (aws-cdk-lib passes them to validation plugins).
 */
export function withPropertyCache<T>(fn: () => T, templatePaths: readonly string[] = []): T {
  const previous = source;
  source = { cache: new WeakMap(), templates: new Map(), templatePaths: new Set(templatePaths.map(p => path.resolve(p))) };
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
  const stack = Stack.of(node);
  const outdir = Stage.of(stack)?.outdir;
  if (outdir === undefined) {
    return undefined;
  }
  const file = path.resolve(outdir, stack.templateFile);
  if (!source.templatePaths.has(file)) {
    return undefined;
  }
  let template = source.templates.get(file);
  if (template === undefined) {
    template = JSON.parse(fs.readFileSync(file, 'utf8'));
    source.templates.set(file, template);
  }
  const resource = template?.Resources?.[stack.resolve(node.logicalId)];
  return resource?.Type === node.cfnResourceType ? resource.Properties ?? {} : undefined;
}

/** Names a rule function after its file, as cdk-nag derives rule ids from function names. */
export function named<T extends Function>(name: string, rule: T): T {
  return Object.defineProperty(rule, 'name', { value: name });
}
