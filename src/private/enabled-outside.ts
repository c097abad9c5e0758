import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccountFeature, ENABLED_OUTSIDE_METADATA } from './signals-contract';

export { ENABLED_OUTSIDE_METADATA } from './signals-contract';
export type { AccountFeature } from './signals-contract';

/**
 * Records in the template of the stack of `scope` that `feature` is enabled outside the app, with the reason given.
 * Idempotent per feature; a second call with another reason keeps the first.
 */
export function recordEnabledOutside(scope: IConstruct, feature: AccountFeature, reason: string): void {
  const stack = Stack.of(scope);
  const metadata = stack.templateOptions.metadata ?? {};
  const declared: Record<string, string> = { ...(metadata[ENABLED_OUTSIDE_METADATA] ?? {}) };
  if (declared[feature] === undefined) {
    declared[feature] = reason;
  }
  stack.templateOptions.metadata = { ...metadata, [ENABLED_OUTSIDE_METADATA]: declared };
}
