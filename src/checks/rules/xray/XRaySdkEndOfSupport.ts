import { KUBERNETES_MANIFEST_TYPE } from '../../../template/eks';
import { migrationOf } from '../../../template/migration';
import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/**
 * A Lambda function, ECS task definition or Kubernetes manifest does not use an AWS X-Ray SDK or the X-Ray daemon
 * (maintenance since 2026-02-25, end of support 2027-02-25), as `src/template/migration.ts` decides it: the same
 * decision and replacement the migration section of `cdk-xray report` shows.
 */
export default named('XRaySdkEndOfSupport', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::Lambda::Function' && resource.type !== 'AWS::ECS::TaskDefinition' && resource.type !== KUBERNETES_MANIFEST_TYPE) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return migrationOf(resource) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
