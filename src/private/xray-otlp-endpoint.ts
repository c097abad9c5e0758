import { Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

export { OTLP_TRACES_ENDPOINT_ENV, XRAY_OTLP_TRACES_ENDPOINT_PATTERN } from './signals-contract';

/**
 * The X-Ray OTLP traces endpoint of the stack's Region: a literal when the Region is known at synthesis, otherwise a
 * string with the `AWS::Region` token. A China Region is refused: the SDKs would not sign for it.
 *
 * @param scope the construct whose stack decides the Region, where an error is reported
 * @param where the option that asked for direct export, for the error
 */
export function xrayOtlpTracesEndpoint(scope: IConstruct, where: string): string {
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && region.startsWith('cn-')) {
    fail(scope, where, 'cannot export straight to X-Ray in a China Region: the AWS Distro for OpenTelemetry SDKs sign only ' +
      'requests to https://xray.<region>.amazonaws.com/v1/traces', region,
    'Send spans through a collector there instead (TraceCollector.adot() on ECS, LambdaInstrumentation.adot() without directExport on Lambda).');
  }
  return `https://xray.${Token.isUnresolved(region) ? Aws.REGION : region}.amazonaws.com/v1/traces`;
}
