import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { enableStageTracing, stagesToTrace, traceAwareAccessLogFormat } from '../private/rest-api-tracing';

/**
 * Tracing options for a REST API stage: the access-log format and where the access logs go.
 *
 * The log-group options (`accessLogGroup`, or `accessLogRetention` and `accessLogEncryptionKey` for a created group)
 * apply to a stage without an access-log destination; a stage that already has one keeps it, and a warning names the
 * options that were ignored.
 */
export interface RestApiTracingOptions {
  /**
   * The access-log format. It must include `$context.requestId` or `$context.extendedRequestId` (aws-cdk-lib and API
   * Gateway refuse it otherwise) and be at most 3 KB; it should include `$context.xrayTraceId`, and a warning says so
   * when it does not. Replaces the format of a stage that already has an access log.
   *
   * @default RestApiTracing.accessLogFormat() - JSON with the request ID, the X-Ray trace ID, timing and status
   */
  readonly accessLogFormat?: apigw.AccessLogFormat;

  /**
   * An existing log group that receives the access logs, in the stage's region and account. Its retention and
   * encryption are its own: `accessLogRetention` and `accessLogEncryptionKey` cannot be combined with it.
   *
   * @default - a new log group, `AccessLogs` under the stage, with `accessLogRetention` and `accessLogEncryptionKey`
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * How long the access logs are kept, when this library creates the log group.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts the access-log group this library creates (checkov CKV_AWS_158, cdk-nag
   * `CloudWatchLogGroupEncrypted`). A symmetric encryption key of the stage's region and account; the key policy of a
   * key defined in this app is given the statement that lets CloudWatch Logs (`logs.<region>.amazonaws.com`) use it for
   * log groups of this account and region. An imported key's policy cannot be changed, so a warning says what it needs.
   *
   * @default - the log group is encrypted with a key CloudWatch Logs manages
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly accessLogEncryptionKey?: kms.IKey;
}

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
