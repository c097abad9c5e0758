import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Prefix of every warning id this library emits. */
export const WARNING_PREFIX = 'cdk-xray-constructs';

/**
 * Adds a warning that does not fail the build. Its id is `cdk-xray-constructs::<id>`, which both
 * `Annotations.of(x).acknowledgeWarning(id)` and `Validations.of(x).acknowledge({ id, reason })` silence.
 */
export function warn(scope: IConstruct, id: string, message: string): void {
  Annotations.of(scope).addWarningV2(warningId(id), message);
}

/** The full id of a warning, as a user acknowledges it. */
export function warningId(id: string): string {
  return `${WARNING_PREFIX}::${id}`;
}
