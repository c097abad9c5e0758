import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { enableStageTracing, stagesToTrace, traceAwareAccessLogFormat } from './private/enable-tracing';
import { RestApiTracingOptions } from './rest-api-tracing-options';

/**
 * Turns on X-Ray tracing and trace-aware access logs for REST API stages made elsewhere.
 *
 * AWS X-Ray traces REST APIs only; HTTP and WebSocket APIs (API Gateway v2) are refused with a message saying so.
 */
export class RestApiTracing {
  /**
   * Turns on tracing for a REST API's stages (`RestApi`, `SpecRestApi`, `LambdaRestApi`, `CfnRestApi`): its
   * deployment stage and every other stage of it this app defines when it is called (with `deploy: false`, create the
   * stages first). Also accepts one `Stage` or `CfnStage`.
   *
   * The stage is traced even where `tracingEnabled: false` was set on it: calling this for the stage is the later, more
   * specific intent (`EnableTracingAspect`, which applies to a whole app, leaves such a stage alone).
   *
   * Refused, with a message saying what to do: HTTP and WebSocket APIs (X-Ray cannot trace them), imported APIs with no
   * stage in this app and imported stages (`RestApi.fromRestApiId`, `fromRestApiAttributes`, `Stage.fromStageAttributes`:
   * trace them where they are defined), and an API with no stage. The parameter is typed as a construct so that
   * passing an HTTP or WebSocket API gives a clear error instead of a type error. Calling it twice changes nothing.
   *
   * @param api the REST API or stage
   */
  public static enable(api: IConstruct, options: RestApiTracingOptions = {}): void {
    for (const { scope, cfnStage } of stagesToTrace(api)) {
      enableStageTracing(scope, cfnStage, options);
    }
  }

  /**
   * Turns on tracing for one stage of a REST API; the same as `enable(stage)`.
   */
  public static enableStage(stage: apigw.Stage, options: RestApiTracingOptions = {}): void {
    RestApiTracing.enable(stage, options);
  }

  /**
   * The JSON access-log format used by default: request ID, extended request ID, `xrayTraceId`, time, method,
   * resource path, status, protocol, response length, latencies, error message, source IP and user agent.
   */
  public static accessLogFormat(): apigw.AccessLogFormat {
    return traceAwareAccessLogFormat();
  }

  private constructor() {}
}
