import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

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
