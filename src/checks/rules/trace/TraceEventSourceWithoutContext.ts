import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { continuityCompliance, TraceFacts } from '../../trace-facts';

/**
 * An EventBridge rule on a schedule or on AWS service events (or a Scheduler schedule) whose targets lead to traced
 * services: its events carry no trace context, so each starts a new trace there.
 */
const SOURCES = ['AWS::Events::Rule', 'AWS::Scheduler::Schedule'];

export default (facts: TraceFacts) => named('TraceEventSourceWithoutContext', (node: CfnResource): NagRuleCompliance =>
  continuityCompliance(facts, node, ContinuityBreak.EVENT_SOURCE_WITHOUT_CONTEXT, n => SOURCES.includes(n.type)));
