import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { TraceFacts } from '../../trace-facts';

/**
 * An HTTP or WebSocket API that integrates with services of the app (on the trace graph): X-Ray cannot trace the API, so
 * traces start at its integrations and miss its latency and errors.
 */
export default (facts: TraceFacts) => named('TraceHttpApiEntry', (node: CfnResource): NagRuleCompliance => {
  const traceNode = facts.nodeByResource.get(node);
  if (traceNode === undefined || traceNode.type !== 'AWS::ApiGatewayV2::Api') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const found = (facts.findingsByResource.get(node) ?? []).some(f => f.kind === ContinuityBreak.HTTP_API_ENTRY);
  return found ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
