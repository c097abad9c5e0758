import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { RestApiTracingOptions } from './rest-api-tracing';
import { fail } from '../private/errors';
import { enableStageTracing } from '../private/rest-api-tracing';
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
 * @example
 * const api = new TracedRestApi(this, 'Api', { restApiName: 'orders' });
 * api.root.addMethod('GET', new apigateway.LambdaIntegration(handler));
 */
export class TracedRestApi extends apigw.RestApi {
  constructor(scope: Construct, id: string, props: TracedRestApiProps = {}) {
    if (props.deployOptions?.tracingEnabled === false) {
      fail(`${scope.node.path}/${id}`, 'deployOptions.tracingEnabled', 'cannot be false on a traced REST API', false,
        'Remove it (TracedRestApi turns tracing on), or use apigateway.RestApi for an API that must not be traced.');
    }
    super(scope, id, {
      ...props,
      // aws-cdk-lib refuses deployOptions when deploy is false; there is no stage to configure then.
      deployOptions: props.deploy === false ? props.deployOptions : {
        ...props.deployOptions,
        tracingEnabled: true,
        loggingLevel: props.deployOptions?.loggingLevel ?? apigw.MethodLoggingLevel.ERROR,
      },
    });
    if (props.deploy === false) {
      warn(this, 'noDeploymentStage', 'deploy is false, so this API has no stage to trace yet. Call ' +
        'RestApiTracing.enableStage(stage) on each stage you create for it.');
      return;
    }
    enableStageTracing(this.deploymentStage, this.deploymentStage.node.defaultChild as apigw.CfnStage, props);
  }
}
