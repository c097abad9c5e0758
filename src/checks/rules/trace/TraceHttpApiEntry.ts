import { ContinuityBreak } from '../../../graph/model';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';
import { continuityCompliance } from '../../trace-facts';

/**
 * An HTTP or WebSocket API that integrates with services of the app (on the trace graph): X-Ray cannot trace the API, so
 * traces start at its integrations and miss its latency and errors.
 */
export default named('TraceHttpApiEntry', (resource: TemplateResource, { trace }: RuleContext): NagRuleCompliance =>
  continuityCompliance(trace, resource, ContinuityBreak.HTTP_API_ENTRY, n => n.type === 'AWS::ApiGatewayV2::Api'));
