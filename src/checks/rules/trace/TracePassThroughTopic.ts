import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { TraceFacts } from '../../trace-facts';

/**
 * An SNS topic in PassThrough between a traced publisher and a traced subscriber (on the trace graph): the publish and
 * its deliveries are missing from the service map.
 */
export default (facts: TraceFacts) => named('TracePassThroughTopic', (node: CfnResource): NagRuleCompliance => {
  const traceNode = facts.nodeByResource.get(node);
  if (traceNode === undefined || traceNode.type !== 'AWS::SNS::Topic') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(node) ?? []).some(f => f.kind === ContinuityBreak.PASS_THROUGH_TOPIC);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
