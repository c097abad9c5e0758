import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { traceCollectorOf } from '../../../private/collector-detection';
import { named, propertiesOf } from '../../rule-helpers';
import { TraceFacts } from '../../trace-facts';

/**
 * An ECS task definition runs a trace collector or daemon beside its app containers: the ADOT collector, the X-Ray
 * daemon, the CloudWatch agent or an OpenTelemetry Collector (by image, by the ADOT configuration variable or secret,
 * or by a container listening on 2000/udp, 4317 or 4318). A task definition an ECS service of the app runs is left to
 * XRay-TraceEcsServiceWithoutCollector, which reports the service.
 */
export default (facts: TraceFacts) => named('EcsTaskTraceCollector', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::ECS::TaskDefinition') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const id = facts.nodeByResource.get(node)?.id;
  if (id !== undefined && facts.graph.nodes.some(n => n.taskDefinition === id)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return traceCollectorOf(propertiesOf(node).ContainerDefinitions) === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
