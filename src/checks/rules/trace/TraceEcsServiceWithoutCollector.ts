import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { TraceFacts } from '../../trace-facts';

/**
 * An ECS service whose task definition runs no trace collector or X-Ray daemon: its containers have nowhere to send
 * segments, so traces that reach it (from its load balancer) end there.
 */
export default (facts: TraceFacts) => named('TraceEcsServiceWithoutCollector', (node: CfnResource): NagRuleCompliance => {
  const traceNode = facts.nodeByResource.get(node);
  if (traceNode === undefined || traceNode.type !== 'AWS::ECS::Service') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(node) ?? []).some(f => f.kind === ContinuityBreak.ECS_SERVICE_WITHOUT_COLLECTOR);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
