import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
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
