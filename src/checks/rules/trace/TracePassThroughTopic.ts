import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { continuityCompliance, TraceFacts } from '../../trace-facts';

/**
 * An SNS topic in PassThrough between a traced publisher and a traced subscriber (on the trace graph): the publish and
 * its deliveries are missing from the service map.
 */
export default (facts: TraceFacts) => named('TracePassThroughTopic', (node: CfnResource): NagRuleCompliance =>
  continuityCompliance(facts, node, ContinuityBreak.PASS_THROUGH_TOPIC, n => n.type === 'AWS::SNS::Topic'));
