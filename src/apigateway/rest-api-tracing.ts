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
   * Turns on tracing for a REST API's stages (`RestApi`, `SpecRestApi`, `LambdaRestApi`): its deployment stage and
   * every other stage of it this app defines when it is called (with `deploy: false`, create the stages first).
   *
   * The stage is traced even where `tracingEnabled: false` was set on it: calling this for the stage is the later, more
   * specific intent (`EnableTracingAspect`, which applies to a whole app, leaves such a stage alone).
   *
   * Refused, with a message saying what to do: imported APIs with no stage in this app (`RestApi.fromRestApiId`,
   * `fromRestApiAttributes`: trace them where they are defined) and an API with no stage. HTTP and WebSocket APIs are
   * not REST APIs: AWS X-Ray cannot trace them (JavaScript callers that pass one anyway get an error saying so).
   * Calling it twice changes nothing.
   *
   * @param api the REST API
   */
  public static enable(api: apigw.IRestApi, options: RestApiTracingOptions = {}): void {
    RestApiTracing.enableAll(api, options);
  }

  /**
   * Turns on tracing for one stage of a REST API (an `apigateway.Stage` of this app; an imported stage is refused).
   */
  public static enableStage(stage: apigw.IStage, options: RestApiTracingOptions = {}): void {
    RestApiTracing.enableAll(stage, options);
  }

  /**
   * Turns on tracing for every stage of an L1 REST API (`CfnRestApi`) that this app defines when it is called.
   */
  public static enableCfnRestApi(api: apigw.CfnRestApi, options: RestApiTracingOptions = {}): void {
    RestApiTracing.enableAll(api, options);
  }

  /**
   * Turns on tracing for an L1 stage (`CfnStage`). `EnableTracingAspect` calls this, or `enableStage` for the stage of
   * an `apigateway.Stage`, for every REST stage whose tracing is not set.
   */
  public static enableCfnStage(stage: apigw.CfnStage, options: RestApiTracingOptions = {}): void {
    RestApiTracing.enableAll(stage, options);
  }

  /**
   * The JSON access-log format used by default: request ID, extended request ID, `xrayTraceId`, time, method,
   * resource path, status, protocol, response length, latencies, error message, source IP and user agent.
   */
  public static accessLogFormat(): apigw.AccessLogFormat {
    return traceAwareAccessLogFormat();
  }

  private static enableAll(target: IConstruct, options: RestApiTracingOptions): void {
    for (const { scope, cfnStage } of stagesToTrace(target)) {
      enableStageTracing(scope, cfnStage, options ?? {});
    }
  }

  private constructor() {}
}
