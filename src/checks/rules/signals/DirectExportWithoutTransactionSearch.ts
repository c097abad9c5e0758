import { TemplateResource } from '../../../template/model';
import { hasAccountFeature } from '../../../template/signals';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * A Lambda function, ECS container or Kubernetes workload exports spans straight to the X-Ray OTLP endpoint, and the
 * app has no Transaction Search (`AWS::XRay::TransactionSearchConfig`) for that account and Region, nor declares it
 * enabled outside the app (`TransactionSearch.enabledOutsideApp()`): the endpoint refuses the spans.
 */
export default named('DirectExportWithoutTransactionSearch', (resource: TemplateResource, { model, facts }: RuleContext): NagRuleCompliance => {
  if (!(facts.emittersByResource.get(resource.key) ?? []).some(e => e.directExport)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return hasAccountFeature(model, model.stack(resource.stackId), 'TransactionSearch') ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
