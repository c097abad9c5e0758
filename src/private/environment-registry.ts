import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Account-and-region quotas and singletons are checked across a whole app: every stack of the app that deploys to the
 * same account and region shares them. Environment-agnostic stacks count as one unknown environment.
 */
const registries = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/** A key naming the account and region a construct deploys to (`*` for a part unknown at synth time). */
export function environmentKey(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(stack.account) ? '*' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '*' : stack.region;
  return `${account}/${region}`;
}

/** Describes an environment key for a message. */
export function describeEnvironment(key: string): string {
  return key === '*/*' ? 'the environment-agnostic stacks of this app' : `account/region ${key}`;
}

/**
 * Records `member` under `kind` for its account and region and returns every member of that kind registered there
 * so far, in order, `member` last. Registering the same member again records it once (applying a construct's setup
 * twice must not make it collide with itself): it keeps its first place in the registry and is returned last.
 */
export function registerInEnvironment(kind: string, member: IConstruct): IConstruct[] {
  const root = member.node.root;
  let registry = registries.get(root);
  if (registry === undefined) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = `${kind}@${environmentKey(member)}`;
  const members = registry.get(key) ?? [];
  if (!members.includes(member)) {
    members.push(member);
  }
  registry.set(key, members);
  return [...members.filter(m => m !== member), member];
}

/** The members of `kind` already registered for the account and region of `scope`, in order. */
export function registeredInEnvironment(kind: string, scope: IConstruct): IConstruct[] {
  const registry = registries.get(scope.node.root);
  return [...(registry?.get(`${kind}@${environmentKey(scope)}`) ?? [])];
}
