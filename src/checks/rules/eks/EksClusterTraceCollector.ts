import { clusterKey, EKS_CLUSTER_TYPES, readEksClusters } from '../../../template/eks';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * An EKS cluster of the app that runs workloads (Kubernetes objects applied through its kubectl provider that run pods)
 * has a collector for their traces: the `adot` add-on with its OTLP ingest collector's X-Ray pipeline on, the
 * `amazon-cloudwatch-observability` add-on, an OpenTelemetry Operator `OpenTelemetryCollector`, or a pod running an
 * ADOT collector, X-Ray daemon, CloudWatch agent or OpenTelemetry Collector image (or reading `AOT_CONFIG_CONTENT`).
 * A cluster whose workloads are all deployed outside the app is not judged.
 */
export default named('EksClusterTraceCollector', (resource: TemplateResource, { model }: RuleContext): NagRuleCompliance => {
  if (!EKS_CLUSTER_TYPES.includes(resource.type)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const facts = readEksClusters(model.resources).get(clusterKey(resource));
  if (facts === undefined || facts.workloads.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return facts.collector === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
