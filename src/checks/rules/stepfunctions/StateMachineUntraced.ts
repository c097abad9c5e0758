import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

/** A Step Functions state machine has X-Ray tracing on. */
export default named('StateMachineUntraced', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::StepFunctions::StateMachine') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return propertiesOf(node).TracingConfiguration?.Enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
