import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

const SIDECAR_IMAGES = ['aws-otel-collector', 'aws-xray-daemon', 'cloudwatch-agent', 'opentelemetry-collector'];

/**
 * An ECS task definition runs a trace collector or daemon beside its app containers: the ADOT collector, the X-Ray
 * daemon, the CloudWatch agent or an OpenTelemetry Collector (by image, or by the ADOT configuration secret).
 */
export default named('EcsTaskTraceCollector', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::ECS::TaskDefinition') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const containers: any[] = propertiesOf(node).ContainerDefinitions ?? [];
  const hasSidecar = containers.some(c =>
    (typeof c.Image === 'string' && SIDECAR_IMAGES.some(i => c.Image.includes(i)))
    || (c.Secrets ?? []).some((s: any) => s.Name === 'AOT_CONFIG_CONTENT')
    || (c.Environment ?? []).some((e: any) => e.Name === 'AOT_CONFIG_CONTENT'));
  return hasSidecar ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
