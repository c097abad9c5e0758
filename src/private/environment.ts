import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderValue } from './errors';
import { warn } from './warnings';

/** Where the library's environment variables go: a Lambda function or an ECS container. */
export interface EnvironmentTarget {
  /** The construct warnings are reported on. */
  readonly scope: IConstruct;
  /** Names the owner after the variable name in a warning, e.g. ` of container app`; empty for a function. */
  readonly owner: string;
  /** The variables (and secrets) the user already set, as rendered: these are never overwritten. */
  readonly current: ReadonlyMap<string, unknown>;
  /** Adds one variable the user did not set. */
  add(key: string, value: string): void;
  /** Called for a variable the user set, before it is compared with what the library wanted. */
  checkKept?(key: string, current: unknown): void;
}

/**
 * Sets the variables the library wants without overwriting any the user set: a user value that differs is kept and
 * reported as a warning naming both values. The one path for Lambda functions and ECS containers.
 */
export function setEnvironmentWithoutOverwriting(target: EnvironmentTarget, wanted: Record<string, string>): void {
  const stack = Stack.of(target.scope);
  for (const [key, value] of Object.entries(wanted)) {
    if (!target.current.has(key)) {
      target.add(key, value);
      continue;
    }
    const current = target.current.get(key);
    target.checkKept?.(key, current);
    if (JSON.stringify(current) !== JSON.stringify(stack.resolve(value))) {
      warn(target.scope, 'environmentKept',
        `The environment variable ${key}${target.owner} is already set to ${renderValue(current)}; it is kept instead of ` +
        `${renderValue(value)}. Remove it from the environment to let cdk-xray-constructs set it.`);
    }
  }
}
