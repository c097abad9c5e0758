import { ContinuityBreak } from '../../../graph/model';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';
import { continuityCompliance } from '../../trace-facts';

/**
 * An EventBridge rule on a schedule or on AWS service events (or a Scheduler schedule) whose targets lead to traced
 * services: its events carry no trace context, so each starts a new trace there.
 */
const SOURCES = ['AWS::Events::Rule', 'AWS::Scheduler::Schedule'];

export default named('TraceEventSourceWithoutContext', (resource: TemplateResource, { trace }: RuleContext): NagRuleCompliance =>
  continuityCompliance(trace, resource, ContinuityBreak.EVENT_SOURCE_WITHOUT_CONTEXT, n => SOURCES.includes(n.type)));
