import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { named } from '../../rule-helpers';

/** An API Gateway HTTP or WebSocket API: X-Ray cannot trace it, so traces start at its integrations. */
export default named('HttpApiEntryPoint', (node: CfnResource): NagRuleCompliance =>
  node.cfnResourceType === 'AWS::ApiGatewayV2::Api' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE);
