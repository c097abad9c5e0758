import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { AppFacts } from '../../app-facts';
import { named } from '../../rule-helpers';

/** No two sampling rules of the app share a priority in one account and region (their order would be undefined). */
export default (facts: AppFacts) => named('SamplingRulePriorityUnique', (node: CfnResource): NagRuleCompliance => {
  const self = facts.samplingRules.find(r => r.node === node);
  if (self === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const priority = Stack.of(node).resolve(self.priority);
  if (typeof priority !== 'number' || Token.isUnresolved(priority)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const clash = facts.samplingRules.some(r => r !== self && r.environment === self.environment && r.priority === priority);
  return clash ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
