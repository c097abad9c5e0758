import { TemplateResource } from '../../../template/model';
import { sloTargetOf } from '../../../template/signals';
import { NagRuleCompliance } from '../../nag-values';
import { named, RuleContext } from '../../rule-helpers';

/**
 * An Application Signals service level objective is about a service (`KeyAttributes` Name and Environment) that no
 * function, container or workload of the app reports with Application Signals on. An emitter whose service name is a
 * deploy-time value could be it, so it counts as a match; a service emitted by another app is acknowledged.
 */
export default named('SloServiceNotEmitted', (resource: TemplateResource, { facts }: RuleContext): NagRuleCompliance => {
  const target = sloTargetOf(resource);
  if (target?.name === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const emitted = facts.emitters.filter(e => e.applicationSignals).some(e =>
    (e.serviceName === undefined || e.serviceName === target.name) &&
    (e.signalsEnvironment === undefined || target.environment === undefined || e.signalsEnvironment === target.environment));
  return emitted ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
