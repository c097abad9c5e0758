import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** A REST API stage (an `AWS::ApiGateway::Stage`, or a deployment that creates its stage) has X-Ray tracing on. */
export default named('RestApiStageUntraced', (resource: TemplateResource): NagRuleCompliance => {
  const props = resource.properties;
  if (resource.type === 'AWS::ApiGateway::Stage') {
    return props.TracingEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  if (resource.type === 'AWS::ApiGateway::Deployment') {
    if (props.StageName === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return props.StageDescription?.TracingEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
