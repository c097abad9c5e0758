import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { TraceFacts } from '../../trace-facts';

/**
 * An EventBridge rule on a schedule or on AWS service events (or a Scheduler schedule) whose targets lead to traced
 * services: its events carry no trace context, so each starts a new trace there.
 */
export default (facts: TraceFacts) => named('TraceEventSourceWithoutContext', (node: CfnResource): NagRuleCompliance => {
  const traceNode = facts.nodeByResource.get(node);
  if (traceNode === undefined || !['AWS::Events::Rule', 'AWS::Scheduler::Schedule'].includes(traceNode.type)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(node) ?? []).some(f => f.kind === ContinuityBreak.EVENT_SOURCE_WITHOUT_CONTEXT);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
