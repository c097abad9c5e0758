import { traceCollectorOf } from '../../../private/collector-detection';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * An ECS task definition sends its traces somewhere: a trace collector or daemon beside its app containers (the ADOT
 * collector, the X-Ray daemon, the CloudWatch agent, Application Signals' included, or an OpenTelemetry Collector: by
 * image, by the ADOT or CloudWatch agent configuration variable or secret, or by a container listening on 2000/udp,
 * 4317 or 4318), or app containers whose OpenTelemetry SDKs export straight to the X-Ray OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). A task definition an ECS service of the app runs is left to
 * XRay-TraceEcsServiceWithoutCollector, which reports the service.
 */
export default named('EcsTaskTraceCollector', (resource: TemplateResource, context: RuleContext): NagRuleCompliance => {
  if (resource.type !== 'AWS::ECS::TaskDefinition' || context.trace.taskDefinitionsOfServices.has(resource.key)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return traceCollectorOf(resource.properties.ContainerDefinitions) === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
