import { Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { RestApiTracingOptions } from './rest-api-tracing-options';
import { childPath } from '../private/errors';
import { enableStageTracing } from './private/enable-tracing';
import { checkTracedRestApiProps } from './private/validation';
import { warn } from '../private/warnings';

/**
 * Properties of a `TracedRestApi`: everything `apigateway.RestApi` takes, plus the tracing options.
 */
export interface TracedRestApiProps extends apigw.RestApiProps, RestApiTracingOptions {}

/**
 * A REST API whose deployment stage has X-Ray tracing on and writes JSON access logs carrying
 * `$context.xrayTraceId` to a log group with a retention.
 *
 * Execution logging defaults to `ERROR` for every method (set `deployOptions.loggingLevel` to change it). Access
 * and execution logging need the account's API Gateway CloudWatch role, which aws-cdk-lib's `cloudWatchRole` prop
 * manages as for any `RestApi`.
 *
 * The stage's values are checked before anything is created, all problems in one error: the access-log format
 * (`$context.requestId` or `$context.extendedRequestId`, at most 3 KB), the stage name, stage variables, throttling,
 * cache TTL and size, and `methodOptions` paths, as API Gateway limits them; tokens are left to the deployment.
 * `deployOptions.accessLogFormat` without `deployOptions.accessLogDestination` is written to the traced stage's log
 * group, like `accessLogFormat`. A token `deployOptions.stageName` (which aws-cdk-lib's `RestApi` cannot take: it names a
 * construct after it) is written to the stage after it is created, under the construct id `DeploymentStage.prod`.
 *
 * @example
 * const api = new TracedRestApi(this, 'Api', { restApiName: 'orders' });
 * api.root.addMethod('GET', new apigateway.LambdaIntegration(handler));
 */
export class TracedRestApi extends apigw.RestApi {
  constructor(scope: Construct, id: string, props: TracedRestApiProps = {}) {
    const path = childPath(scope, id);
    checkTracedRestApiProps(scope, path, props);
    const deployOptions = props.deployOptions;
    // A format without a destination goes to the traced stage's log group (aws-cdk-lib would refuse it alone).
    const movedFormat = deployOptions?.accessLogDestination === undefined ? deployOptions?.accessLogFormat : undefined;
    // aws-cdk-lib puts the stage name in a construct id, which cannot hold a token: name the stage after creating it.
    const tokenStageName = deployOptions?.stageName !== undefined && Token.isUnresolved(deployOptions.stageName)
      ? deployOptions.stageName : undefined;
    // Everything aws-cdk-lib's Stage would refuse was checked above, so its errors (which name no path) cannot occur.
    super(scope, id, {
      ...props,
      deployOptions: props.deploy === false ? undefined : {
        ...deployOptions,
        accessLogFormat: movedFormat === undefined ? deployOptions?.accessLogFormat : undefined,
        stageName: tokenStageName === undefined ? deployOptions?.stageName : undefined,
        tracingEnabled: true,
        loggingLevel: deployOptions?.loggingLevel ?? apigw.MethodLoggingLevel.ERROR,
      },
    });
    if (props.deploy === false) {
      warn(this, 'noDeploymentStage', 'deploy is false, so this API has no stage to trace yet. Call ' +
        'RestApiTracing.enableStage(stage) on each stage you create for it.');
      return;
    }
    const cfnStage = this.deploymentStage.node.defaultChild as apigw.CfnStage;
    if (tokenStageName !== undefined) {
      cfnStage.stageName = tokenStageName;
    }
    enableStageTracing(this.deploymentStage, cfnStage, {
      ...props,
      accessLogFormat: props.accessLogFormat ?? movedFormat,
    });
  }
}
