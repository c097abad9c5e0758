import { TemplateResource } from '../../../template/model';
import { hasAccountFeature } from '../../../template/signals';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * A Lambda function, ECS container or Kubernetes workload has CloudWatch Application Signals on, and the app has no
 * `AWS::ApplicationSignals::Discovery` for that account and Region, nor declares it enabled outside the app
 * (`ApplicationSignalsDiscovery.enabledOutsideApp()`): without discovery the account shows no services.
 */
export default named('ApplicationSignalsWithoutDiscovery', (resource: TemplateResource, { model, facts }: RuleContext): NagRuleCompliance => {
  if (!(facts.emittersByResource.get(resource.key) ?? []).some(e => e.applicationSignals)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return hasAccountFeature(model, model.stack(resource.stackId), 'ApplicationSignalsDiscovery')
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
