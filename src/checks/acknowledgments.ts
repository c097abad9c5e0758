import { IConstruct } from 'constructs';

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
 * `annotation::XRay-LambdaFunctionUntraced`, `Annotation::XRay-LambdaFunctionUntraced`, `XRay::XRay-LambdaFunctionUntraced` and
 * `XRay-LambdaFunctionUntraced` are all `XRay-LambdaFunctionUntraced`. Ids of other namespaces (`cdk-xray-constructs::…`) are returned as
 * they are.
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
 * The reason `ruleId` is acknowledged for `construct`: on it or on any scope above it (as aws-cdk-lib and cdk-nag
 * match acknowledgments), the closest first; `undefined` when it is not acknowledged. Ids must match exactly, so a
 * granular finding (`XRay-AnnotationKeyPolicy[denied:user_email]`) is acknowledged by its own id.
 */
export function acknowledgmentOf(construct: IConstruct, ruleId: string): string | undefined {
  for (let current: IConstruct | undefined = construct; current !== undefined; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type === ACKNOWLEDGED_RULES_METADATA) {
        const reason = acknowledgmentsOf(entry.data).get(ruleId);
        if (reason !== undefined) {
          return reason;
        }
      }
    }
  }
  return undefined;
}
