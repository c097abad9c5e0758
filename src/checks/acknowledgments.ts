import { IConstruct } from 'constructs';
import { acknowledgmentsOf, ACKNOWLEDGED_RULES_METADATA } from '../template/acknowledgments';

export { acknowledgedRuleId, acknowledgmentsOf, ACKNOWLEDGED_RULES_METADATA, PACK_NAME } from '../template/acknowledgments';

/**
 * The reason `ruleId` is acknowledged for `construct`: on it or on any scope above it (as aws-cdk-lib and cdk-nag
 * match acknowledgments), the closest first; `undefined` when it is not acknowledged. Ids must match exactly, so a
 * granular finding (`XRay-AnnotationKeyPolicy[denied:user_email]`) is acknowledged by its own id.
 *
 * The construct tree holds every acknowledgment, also those on the app or a Stage, which no stack's metadata in the
 * assembly records; so the pack reads them here during synthesis.
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
