import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { enableStageTracing, stageToTrace, traceAwareAccessLogFormat } from '../private/rest-api-tracing';

/**
 * Tracing options for a REST API stage.
 */
export interface RestApiTracingOptions {
  /**
   * The access-log format. It should include `$context.xrayTraceId`; a warning says so when it does not.
   *
   * @default RestApiTracing.accessLogFormat() - JSON with the request ID, the X-Ray trace ID, timing and status
   */
  readonly accessLogFormat?: apigw.AccessLogFormat;

  /**
   * The log group that receives the access logs. Ignored when the stage already has an access-log destination.
   *
   * @default - a new log group, `AccessLogs` under the stage, with `accessLogRetention`
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * How long the access logs are kept, when this library creates the log group.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

/**
 * Turns on X-Ray tracing and trace-aware access logs for REST API stages made elsewhere.
 *
 * AWS X-Ray traces REST APIs only; HTTP and WebSocket APIs (API Gateway v2) are refused with a message saying so.
 */
export class RestApiTracing {
  /**
   * Turns on tracing for a REST API's deployment stage (`RestApi`, `SpecRestApi`, `LambdaRestApi`, ...).
   *
   * Also accepts a `Stage` or `CfnStage`. The parameter is typed as a construct so that passing an HTTP or
   * WebSocket API gives a clear error instead of a type error. Calling it twice changes nothing.
   *
   * @param api the REST API or stage
   */
  public static enable(api: IConstruct, options: RestApiTracingOptions = {}): void {
    const { scope, cfnStage } = stageToTrace(api);
    enableStageTracing(scope, cfnStage, options);
  }

  /**
   * Turns on tracing for one stage of a REST API.
   */
  public static enableStage(stage: apigw.Stage, options: RestApiTracingOptions = {}): void {
    enableStageTracing(stage, stage.node.defaultChild as apigw.CfnStage, options);
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
