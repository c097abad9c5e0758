import { ContinuityBreak, TraceState } from '../../../graph/model';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';
import { continuityCompliance } from '../../trace-facts';

/**
 * A node on a request path that records nothing although it could (on the trace graph): a Lambda function in
 * PassThrough whose callers never send it a sampled trace (behind an HTTP API, a schedule, a stream), so it and
 * everything it calls record nothing.
 *
 * Nodes a per-resource rule already reports for the same reason are left to that rule: untraced state machines,
 * REST APIs and AppSync APIs, and functions with no tracing mode (XRay-LambdaFunctionUntraced).
 */
export default named('TraceUntracedHop', (resource: TemplateResource, { trace }: RuleContext): NagRuleCompliance =>
  continuityCompliance(trace, resource, ContinuityBreak.UNTRACED_HOP, n => n.state !== TraceState.UNTRACED && !n.type.startsWith('AWS::ECS::')
    && !(n.type === 'AWS::Lambda::Function' && n.details?.tracingMode === undefined)));
