/**
 * Rule acknowledgments as aws-cdk-lib records them in construct metadata (and so in a cloud assembly's stack metadata):
 * `Validations.of(scope).acknowledge({ id, reason })` writes `{ [recorded id]: reason }` under
 * `aws:cdk:acknowledged-rules`. Read the same way by `XRayChecks` (from the construct tree) and `cdk-xray` (from the
 * assembly).
 */

/** The construct metadata `Validations.of(scope).acknowledge(...)` records (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`). */
export const ACKNOWLEDGED_RULES_METADATA = 'aws:cdk:acknowledged-rules';

/** The name of the `XRayChecks` pack, which aws-cdk-lib also uses as the namespace of its rule ids (`XRay::<rule>`). */
export const PACK_NAME = 'XRay';

/**
 * The namespaces aws-cdk-lib puts in front of an acknowledged id, by version: none or `annotation::` (before 2.262.1),
 * `Annotation::` (2.262.1 and later, also `Construct-Annotations::`) for an id written without a namespace, and the
 * pack's own `XRay::`, which the synthesis report suggests ("Acknowledge with 'XRay::XRay-LambdaFunctionUntraced'").
 */
const NAMESPACE = new RegExp(`^(?:annotation|construct-annotations|${PACK_NAME})::`, 'i');

/**
 * The rule id an acknowledgment is about, whichever aws-cdk-lib version recorded it:
 * `annotation::XRay-LambdaFunctionUntraced`, `Annotation::XRay-LambdaFunctionUntraced`,
 * `XRay::XRay-LambdaFunctionUntraced` and `XRay-LambdaFunctionUntraced` are all `XRay-LambdaFunctionUntraced`. Ids of
 * other namespaces (`cdk-xray-constructs::…`) are returned as they are.
 */
export function acknowledgedRuleId(recorded: string): string {
  return recorded.replace(NAMESPACE, '');
}

/**
 * The acknowledgments of one metadata entry's data (`{ [recorded id]: reason }`) by rule id. Anything that is not
 * an object of strings is ignored, so a hand-edited or foreign assembly never breaks the reader.
 */
export function acknowledgmentsOf(data: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return found;
  }
  for (const [recorded, reason] of Object.entries(data)) {
    found.set(acknowledgedRuleId(recorded), typeof reason === 'string' ? reason : String(reason));
  }
  return found;
}

/**
 * The reason `ruleId` is acknowledged for the resource at `constructPath`: on that path or on any scope above it (as
 * aws-cdk-lib and cdk-nag match acknowledgments), the closest first; `undefined` when it is not acknowledged.
 *
 * @param byPath acknowledgments by construct path (a stack's `acknowledgments`)
 */
export function acknowledgmentAt(byPath: Readonly<Record<string, Readonly<Record<string, string>>>>, constructPath: string | undefined,
  ruleId: string): string | undefined {
  if (constructPath === undefined) {
    return undefined;
  }
  const segments = constructPath.split('/');
  for (let i = segments.length; i > 0; i--) {
    const rules = byPath[segments.slice(0, i).join('/')];
    if (rules !== undefined && Object.prototype.hasOwnProperty.call(rules, ruleId)) {
      return rules[ruleId];
    }
  }
  return undefined;
}
