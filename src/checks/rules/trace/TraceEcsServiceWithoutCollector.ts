import { ContinuityBreak } from '../../../graph/model';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';
import { continuityCompliance } from '../../trace-facts';

/**
 * An ECS service whose task definition runs no trace collector or X-Ray daemon and whose containers do not export to
 * the X-Ray OTLP endpoint either (as XRay-EcsTaskTraceCollector recognizes them): its containers have nowhere to send
 * segments, so traces that reach it (from its load balancer) end there.
 */
export default named('TraceEcsServiceWithoutCollector', (resource: TemplateResource, { trace }: RuleContext): NagRuleCompliance =>
  continuityCompliance(trace, resource, ContinuityBreak.ECS_SERVICE_WITHOUT_COLLECTOR, n => n.type === 'AWS::ECS::Service'));
