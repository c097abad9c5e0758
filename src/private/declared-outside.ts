import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccountFeature, ENABLED_OUTSIDE_METADATA } from './enabled-outside';
import { environmentKey } from './environment-registry';
import { fail } from './errors';

/**
 * Throws in the house format unless `reason` says something: a string with a character other than white space.
 * Tokens pass (they are written into the template as they are).
 */
export function requireReason(scope: IConstruct, what: string, reason: string): void {
  if (Token.isUnresolved(reason)) {
    return;
  }
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    fail(scope, `${what} reason`, 'must be a non-empty string', reason,
      'Say why the feature is on outside this app, for example "enabled in the console by the platform team".');
  }
}

/**
 * The stacks of the app, in the account and region of `scope`, whose template declares `feature` enabled outside the
 * app. Environment-agnostic stacks count as one environment.
 */
export function stacksDeclaringOutside(scope: IConstruct, feature: AccountFeature): Stack[] {
  const key = environmentKey(scope);
  return scope.node.root.node.findAll()
    .filter((c): c is Stack => Stack.isStack(c) && environmentKey(c) === key)
    .filter(stack => stack.templateOptions.metadata?.[ENABLED_OUTSIDE_METADATA]?.[feature] !== undefined);
}
