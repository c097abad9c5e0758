import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

/** An AppSync GraphQL API has X-Ray tracing on. */
export default named('AppSyncApiUntraced', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType !== 'AWS::AppSync::GraphQLApi') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return propertiesOf(node).XrayEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
