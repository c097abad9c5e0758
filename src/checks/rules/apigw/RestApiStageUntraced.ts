import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named, propertiesOf } from '../../rule-helpers';

/** A REST API stage (an `AWS::ApiGateway::Stage`, or a deployment that creates its stage) has X-Ray tracing on. */
export default named('RestApiStageUntraced', (node: CfnResource): NagRuleCompliance => {
  if (node.cfnResourceType === 'AWS::ApiGateway::Stage') {
    return propertiesOf(node).TracingEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  if (node.cfnResourceType === 'AWS::ApiGateway::Deployment') {
    const props = propertiesOf(node);
    if (props.StageName === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return props.StageDescription?.TracingEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
