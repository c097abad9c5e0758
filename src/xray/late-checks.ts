/*
 * Checks made at synthesis, after every construct of the app exists (internal; not exported from the package).
 *
 * Messages returned by a validation are printed by aws-cdk-lib after the path of the construct that holds it, so they
 * start with the prop: `[Stack/Rule] samplingRuleName ... (got X). Fix.`
 */
import { CfnResource, Stack, TagManager, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeEnvironment, environmentKey, registeredInEnvironment, registerInEnvironment } from '../private/environment-registry';
import { renderValue, fail } from '../private/errors';

/** Tags per X-Ray group or sampling rule. @see https://docs.aws.amazon.com/general/latest/gr/xray.html */
export const MAX_TAGS = 50;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/** A validation message in the house format, without the path aws-cdk-lib puts in front of it. */
export function lateProblem(prop: string, problem: string, got: unknown, fix: string): string {
  return `${prop} ${problem} (got ${renderValue(got)}). ${fix}`;
}

/**
 * The problems of the tags a resource will be deployed with (its own and those `Tags.of()` applied): at most 50, keys
 * 1–128 characters not starting with `aws:`, values at most 256 characters. Unresolved keys and values are skipped.
 */
export function tagProblems(resource: CfnResource): string[] {
  const manager = TagManager.of(resource);
  if (manager === undefined) {
    return [];
  }
  const rendered = Stack.of(resource).resolve(manager.renderTags());
  if (!Array.isArray(rendered)) {
    return [];
  }
  const problems: string[] = [];
  if (rendered.length > MAX_TAGS) {
    problems.push(lateProblem('tags', `hold more than the ${MAX_TAGS} tags X-Ray allows on a resource`, rendered.length,
      'Remove tags, or apply broad tags (Tags.of(app)) with excludeResourceTypes for AWS::XRay::*.'));
  }
  for (const tag of rendered) {
    const key: unknown = tag?.key ?? tag?.Key;
    const value: unknown = tag?.value ?? tag?.Value;
    if (typeof key === 'string' && !Token.isUnresolved(key)) {
      if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
        problems.push(lateProblem(`tags key ${renderValue(key)}`, `must be 1 to ${MAX_TAG_KEY_LENGTH} characters long`, key.length, 'Use a shorter tag key.'));
      } else if (key.toLowerCase().startsWith('aws:')) {
        problems.push(lateProblem(`tags key ${renderValue(key)}`, 'uses the prefix aws:, which is reserved for AWS', key, 'Choose a key without the aws: prefix.'));
      }
    }
    if (typeof value === 'string' && !Token.isUnresolved(value) && value.length > MAX_TAG_VALUE_LENGTH) {
      problems.push(lateProblem(`tags[${renderValue(key)}]`, `must be at most ${MAX_TAG_VALUE_LENGTH} characters long`, value.length, 'Use a shorter tag value.'));
    }
  }
  return problems;
}

/**
 * Whether an earlier member of `kind` in the same account and region of the app carries the same name as `member`;
 * returns that earlier member. Environment-agnostic stacks count as one unknown environment; names that are tokens are
 * not compared.
 */
export function earlierWithSameName(kind: string, member: IConstruct, nameOf: (c: IConstruct) => string): IConstruct | undefined {
  const name = resolvedName(member, nameOf(member));
  if (name === undefined) {
    return undefined;
  }
  for (const peer of registeredInEnvironment(kind, member)) {
    if (peer === member) {
      return undefined;
    }
    if (resolvedName(peer, nameOf(peer)) === name) {
      return peer;
    }
  }
  return undefined;
}

/** The words for the environment a member deploys to, for messages. */
export function environmentOf(member: IConstruct): string {
  return describeEnvironment(environmentKey(member));
}

function resolvedName(scope: IConstruct, name: string): string | undefined {
  if (typeof name !== 'string') {
    return undefined;
  }
  if (!Token.isUnresolved(name)) {
    return name;
  }
  const resolved = Stack.of(scope).resolve(name);
  return typeof resolved === 'string' ? resolved : undefined;
}

/**
 * Registers an account/region singleton (`kind` names its class), refusing a second one in the same account and region
 * in the house format, naming the first.
 */
export function registerSingleton(kind: string, member: IConstruct, what: string, fix: string): void {
  const first = registeredInEnvironment(kind, member)[0];
  if (first !== undefined) {
    fail(member, kind, `is a second ${what} for ${describeEnvironment(environmentKey(member))}, after the one at ${first.node.path}`,
      first.node.path, fix);
  }
  registerInEnvironment(kind, member);
}
