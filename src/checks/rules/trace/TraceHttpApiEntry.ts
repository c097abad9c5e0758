import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { ContinuityBreak } from '../../../graph/model';
import { named } from '../../rule-helpers';
import { continuityCompliance, TraceFacts } from '../../trace-facts';

/**
 * An HTTP or WebSocket API that integrates with services of the app (on the trace graph): X-Ray cannot trace the API, so
 * traces start at its integrations and miss its latency and errors.
 */
export default (facts: TraceFacts) => named('TraceHttpApiEntry', (node: CfnResource): NagRuleCompliance =>
  continuityCompliance(facts, node, ContinuityBreak.HTTP_API_ENTRY, n => n.type === 'AWS::ApiGatewayV2::Api'));
