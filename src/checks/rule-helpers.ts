import { CfnResource, Stack } from 'aws-cdk-lib';

/** Rendered properties, kept for the length of one validation run (the tree is final then). */
let cache: WeakMap<CfnResource, Record<string, any>> | undefined;

/** Runs `fn` with rendered properties cached, so each resource is rendered once however many rules read it. */
export function withPropertyCache<T>(fn: () => T): T {
  const previous = cache;
  cache = new WeakMap();
  try {
    return fn();
  } finally {
    cache = previous;
  }
}

/** A resource's CloudFormation properties as they will be deployed (tokens resolved to intrinsics). */
export function propertiesOf(node: CfnResource): Record<string, any> {
  const cached = cache?.get(node);
  if (cached !== undefined) {
    return cached;
  }
  const rendered = Stack.of(node).resolve((node as any)._toCloudFormation());
  const first = Object.values<any>(rendered?.Resources ?? {})[0];
  const properties = first?.Properties ?? {};
  cache?.set(node, properties);
  return properties;
}

/** Names a rule function after its file, as cdk-nag derives rule ids from function names. */
export function named<T extends Function>(name: string, rule: T): T {
  return Object.defineProperty(rule, 'name', { value: name });
}
