import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** An AppSync GraphQL API has X-Ray tracing on. */
export default named('AppSyncApiUntraced', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::AppSync::GraphQLApi') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return resource.properties.XrayEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
