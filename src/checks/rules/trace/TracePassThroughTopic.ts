import { ContinuityBreak } from '../../../graph/model';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';
import { continuityCompliance } from '../../trace-facts';

/**
 * An SNS topic in PassThrough between a traced publisher and a traced subscriber (on the trace graph): the publish and
 * its deliveries are missing from the service map.
 */
export default named('TracePassThroughTopic', (resource: TemplateResource, { trace }: RuleContext): NagRuleCompliance =>
  continuityCompliance(trace, resource, ContinuityBreak.PASS_THROUGH_TOPIC, n => n.type === 'AWS::SNS::Topic'));
