import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { continuityCompliance, TraceFacts } from '../../trace-facts';

/**
 * An ECS service whose task definition runs no trace collector or X-Ray daemon: its containers have nowhere to send
 * segments, so traces that reach it (from its load balancer) end there.
 */
export default (facts: TraceFacts) => named('TraceEcsServiceWithoutCollector', (node: CfnResource): NagRuleCompliance =>
  continuityCompliance(facts, node, ContinuityBreak.ECS_SERVICE_WITHOUT_COLLECTOR, n => n.type === 'AWS::ECS::Service'));
