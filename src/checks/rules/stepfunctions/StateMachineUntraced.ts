import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** A Step Functions state machine has X-Ray tracing on. */
export default named('StateMachineUntraced', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::StepFunctions::StateMachine') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return resource.properties.TracingConfiguration?.Enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
