import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The template-level metadata key under which a stack records the account and region features its app relies on but
 * does not deploy itself (they were turned on outside the app: in the console, with the CLI, or by another app).
 *
 * Written by `TransactionSearch.enabledOutsideApp()` and `ApplicationSignalsDiscovery.enabledOutsideApp()`; read by the
 * checks (`src/template/signals.ts`), which then count the feature as present in that stack's environment.
 */
export const ENABLED_OUTSIDE_METADATA = 'cdk-xray-constructs:enabled-outside';

/** An account and region feature that can be declared as enabled outside the app. */
export type AccountFeature = 'TransactionSearch' | 'ApplicationSignalsDiscovery';

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
