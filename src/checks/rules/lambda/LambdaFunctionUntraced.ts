import { TemplateResource } from '../../../template/model';
import { NagRuleCompliance } from '../../nag-values';
import { named } from '../../rule-helpers';

/** A Lambda function has a tracing mode (Active, or PassThrough when its callers decide). */
export default named('LambdaFunctionUntraced', (resource: TemplateResource): NagRuleCompliance => {
  if (resource.type !== 'AWS::Lambda::Function') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const mode = resource.properties.TracingConfig?.Mode;
  return mode === 'Active' || mode === 'PassThrough' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
