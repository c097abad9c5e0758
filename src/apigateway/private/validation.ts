import { Duration, FeatureFlags, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { APIGATEWAY_DISABLE_CLOUDWATCH_ROLE } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../../private/errors';

/**
 * aws-cdk-lib's `Stage` refuses an access-log format matching neither variable (API Gateway does too, at deploy).
 * The same expression as aws-cdk-lib's, so both accept exactly the same formats.
 */
const REQUEST_ID_RULE = /.*\$context.(requestId|extendedRequestId)\b.*/;

/** API Gateway's access-log template size quota. @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html */
export const ACCESS_LOG_FORMAT_MAX_BYTES = 3 * 1024;

/** Stage names: alphanumerics, hyphens and underscores, up to 128 characters (API Gateway `CreateStage`). */
const STAGE_NAME = /^[A-Za-z0-9_-]+$/;
export const STAGE_NAME_MAX_LENGTH = 128;

/** Stage variables: quotas of the REST API table and the patterns of `CreateDeployment.variables`. */
export const STAGE_VARIABLES_MAX = 100;
export const STAGE_VARIABLE_NAME_MAX_LENGTH = 64;
export const STAGE_VARIABLE_VALUE_MAX_LENGTH = 512;
const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]+$/;

/** API caching TTL: 0 to 3600 seconds. */
export const CACHE_TTL_MAX_SECONDS = 3600;

/** `CacheClusterSize` valid values (GB). */
const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** Methods a `methodOptions` path may end with (aws-cdk-lib's list, plus `*`). */
const METHOD_OPTION_METHODS = ['ANY', 'OPTIONS', 'GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', '*'];

const RETENTION_VALUES = new Set<number>(Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'));

/** Access-log options, as both `TracedRestApi` and `RestApiTracing.enable` take them. */
export interface AccessLogOptions {
  readonly accessLogFormat?: apigw.AccessLogFormat;
  readonly accessLogGroup?: logs.ILogGroup;
  readonly accessLogRetention?: logs.RetentionDays;
  readonly accessLogEncryptionKey?: kms.IKey;
}

/**
 * The text of an access-log format, or `undefined` when `format` is not an `AccessLogFormat` (a raw string, a plain
 * object). A raw string is refused rather than used: other jsii languages cannot pass one, and a typo'd option object
 * must not become the format.
 */
function formatText(format: unknown): string | undefined {
  if (format === null || typeof format !== 'object' || typeof (format as any).toString !== 'function') {
    return undefined;
  }
  const text = (format as object).toString();
  return typeof text === 'string' && text !== '[object Object]' ? text : undefined;
}

/** Checks an access-log format as aws-cdk-lib's `Stage` does, plus API Gateway's size quota. Tokens pass. */
export function checkAccessLogFormat(problems: ProblemCollector, prop: string, format: unknown): void {
  if (format === undefined) {
    return;
  }
  if (typeof format === 'string') {
    problems.add(prop, 'must be an apigateway.AccessLogFormat, not a string', format,
      'Wrap the text: apigateway.AccessLogFormat.custom(text), or use RestApiTracing.accessLogFormat().');
    return;
  }
  const text = formatText(format);
  if (text === undefined) {
    problems.add(prop, 'must be an apigateway.AccessLogFormat', format,
      'Use apigateway.AccessLogFormat.custom(text), AccessLogFormat.jsonWithStandardFields() or RestApiTracing.accessLogFormat().');
    return;
  }
  if (Token.isUnresolved(text)) {
    return;
  }
  if (!REQUEST_ID_RULE.test(text)) {
    problems.add(prop, 'must include $context.requestId or $context.extendedRequestId, as aws-cdk-lib\'s Stage and API Gateway require', text,
      'Add AccessLogFormat.contextRequestId() (or "$context.requestId") to the format, or use RestApiTracing.accessLogFormat().');
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > ACCESS_LOG_FORMAT_MAX_BYTES) {
    problems.add(prop, `must be at most ${ACCESS_LOG_FORMAT_MAX_BYTES} bytes, API Gateway's access-log template quota (it is ${bytes} bytes)`,
      text, 'Log fewer fields, or shorter field names.');
  }
}

/** The region and account a construct of the app deploys to, each `undefined` while unknown (a token). */
type Env = { readonly account?: string; readonly region?: string };

function envOf(resource: { readonly env?: Env } | undefined): Env {
  const known = (v: string | undefined) => (v === undefined || Token.isUnresolved(v) || v === '' ? undefined : v);
  return { account: known(resource?.env?.account), region: known(resource?.env?.region) };
}

/** Adds a problem when `resource` is known to live in another region or account than `stack`. */
function checkSameEnvironment(problems: ProblemCollector, prop: string, stack: Stack, resource: any, what: string, fix: string): void {
  const here = envOf({ env: { account: stack.account, region: stack.region } });
  const there = envOf(resource);
  if (here.region !== undefined && there.region !== undefined && here.region !== there.region) {
    problems.add(prop, `is in region ${there.region}, but ${what} in ${here.region}`, there.region, fix);
  } else if (here.account !== undefined && there.account !== undefined && here.account !== there.account) {
    problems.add(prop, `is in account ${there.account}, but ${what} in ${here.account}`, there.account, fix);
  }
}

/**
 * Checks the access-log options of `TracedRestApi` and `RestApiTracing.enable` for a stage in `stack`: the format, that
 * the log group and the key are what they say and live where API Gateway and CloudWatch Logs can use them, and that
 * options which only apply to a created log group are not given with an existing one.
 */
export function checkAccessLogOptions(problems: ProblemCollector, stack: Stack, options: AccessLogOptions): void {
  checkAccessLogFormat(problems, 'accessLogFormat', options.accessLogFormat);

  const group = options.accessLogGroup as unknown;
  if (group !== undefined) {
    if (group === null || typeof group !== 'object' || typeof (group as any).logGroupArn !== 'string') {
      problems.add('accessLogGroup', 'must be a logs.ILogGroup', group,
        'Pass a logs.LogGroup, or import one: logs.LogGroup.fromLogGroupArn(this, \'AccessLogs\', arn).');
    } else {
      checkSameEnvironment(problems, 'accessLogGroup', stack, group, 'API Gateway writes access logs only to a log group of the stage\'s region and account, which is',
        'Use a log group in the stage\'s region and account, or leave accessLogGroup out to have one created.');
    }
    if (options.accessLogRetention !== undefined) {
      problems.add('accessLogRetention', 'applies only to the log group created when accessLogGroup is not given', options.accessLogRetention,
        'Set the retention on your log group (logs.LogGroup retention), or leave accessLogGroup out.');
    }
    if (options.accessLogEncryptionKey !== undefined) {
      problems.add('accessLogEncryptionKey', 'applies only to the log group created when accessLogGroup is not given', options.accessLogEncryptionKey,
        'Set encryptionKey on your log group, or leave accessLogGroup out to have an encrypted one created.');
    }
  }

  const retention = options.accessLogRetention as unknown;
  if (retention !== undefined && !(typeof retention === 'number' && (Token.isUnresolved(retention) || RETENTION_VALUES.has(retention)))) {
    problems.add('accessLogRetention', 'must be one of the logs.RetentionDays values CloudWatch Logs accepts', retention,
      'Pass a logs.RetentionDays member, e.g. logs.RetentionDays.ONE_MONTH.');
  }

  const key = options.accessLogEncryptionKey as unknown;
  if (key !== undefined) {
    if (key === null || typeof key !== 'object' || typeof (key as any).keyArn !== 'string') {
      problems.add('accessLogEncryptionKey', 'must be a kms.IKey', key,
        'Pass a kms.Key, or import one: kms.Key.fromKeyArn(this, \'LogsKey\', arn).');
    } else {
      checkSameEnvironment(problems, 'accessLogEncryptionKey', stack, key, 'CloudWatch Logs uses only keys of the log group\'s region and account, which is',
        'Use a key in the stage\'s region and account.');
      checkSymmetricKey(problems, key as kms.IKey);
    }
  }
}

/** CloudWatch Logs encrypts with symmetric encryption keys only: refuse a key made here with another spec or usage. */
function checkSymmetricKey(problems: ProblemCollector, key: kms.IKey): void {
  const cfnKey = key.node.defaultChild;
  if (!(cfnKey instanceof kms.CfnKey)) {
    return;
  }
  const stack = Stack.of(cfnKey);
  const spec = stack.resolve(cfnKey.keySpec);
  const usage = stack.resolve(cfnKey.keyUsage);
  if (typeof spec === 'string' && spec !== kms.KeySpec.SYMMETRIC_DEFAULT) {
    problems.add('accessLogEncryptionKey', 'must be a symmetric encryption key: CloudWatch Logs does not support asymmetric or HMAC keys', spec,
      'Use a key with keySpec SYMMETRIC_DEFAULT (the kms.Key default).');
  } else if (typeof usage === 'string' && usage !== kms.KeyUsage.ENCRYPT_DECRYPT) {
    problems.add('accessLogEncryptionKey', 'must be an ENCRYPT_DECRYPT key: CloudWatch Logs cannot encrypt with it', usage,
      'Use a key with keyUsage ENCRYPT_DECRYPT (the kms.Key default).');
  }
}

function isNumberToken(value: unknown): boolean {
  return typeof value === 'number' && Token.isUnresolved(value);
}

/** Throttling and caching of one `MethodOptions` (or the stage-wide defaults of `StageOptions`). */
function checkMethodOptions(problems: ProblemCollector, prefix: string, options: apigw.MethodDeploymentOptions): void {
  const rate = options.throttlingRateLimit as unknown;
  if (rate !== undefined && !isNumberToken(rate) && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) {
    problems.add(`${prefix}throttlingRateLimit`, 'must be a number of requests per second of 0 or more', rate,
      'Pass the steady-state rate limit, e.g. 100.');
  }
  const burst = options.throttlingBurstLimit as unknown;
  if (burst !== undefined && !isNumberToken(burst) && !(typeof burst === 'number' && Number.isInteger(burst) && burst >= 0)) {
    problems.add(`${prefix}throttlingBurstLimit`, 'must be a whole number of requests of 0 or more', burst,
      'Pass the burst limit as a whole number, e.g. 200.');
  }
  const ttl = options.cacheTtl as unknown;
  if (ttl !== undefined) {
    if (!(ttl instanceof Duration)) {
      problems.add(`${prefix}cacheTtl`, 'must be a Duration', ttl, 'Pass Duration.seconds(300), for example.');
    } else if (!ttl.isUnresolved()) {
      const millis = ttl.toMilliseconds();
      if (millis % 1000 !== 0 || millis < 0 || millis > CACHE_TTL_MAX_SECONDS * 1000) {
        problems.add(`${prefix}cacheTtl`, `must be whole seconds from 0 to ${CACHE_TTL_MAX_SECONDS} (API caching TTL)`, `${millis / 1000} seconds`,
          'Pass Duration.seconds(n) with n from 0 to 3600.');
      }
    }
  }
}

/** Checks a `methodOptions` key as aws-cdk-lib's `parseMethodOptionsPath` does, in the house format. */
function checkMethodOptionsPath(problems: ProblemCollector, prop: string, path: string): void {
  if (Token.isUnresolved(path)) {
    return;
  }
  const components = path.startsWith('/') ? path.slice(1).split('/') : [];
  const method = components.length >= 2 ? components[components.length - 1].toUpperCase() : undefined;
  if (method === undefined || !METHOD_OPTION_METHODS.includes(method)) {
    problems.add(prop, 'must be a path of the form /{resource}/{method} (e.g. /orders/GET, /*/* for every method)', path,
      `Start with "/" and end with one of ${METHOD_OPTION_METHODS.join(', ')}.`);
  }
}

/**
 * Checks what `StageOptions` writes into the `AWS::ApiGateway::Stage` that aws-cdk-lib copies without a check (or
 * checks with an error that names no construct): stage name, variables, throttling, caching, method options and the
 * access-log format.
 */
export function checkStageOptions(problems: ProblemCollector, prefix: string, options: apigw.StageOptions): void {
  const name = options.stageName as unknown;
  // '' is aws-cdk-lib's default stage name ('prod'), not a name.
  if (name !== undefined && name !== '' && !(typeof name === 'string' && Token.isUnresolved(name))) {
    if (typeof name !== 'string' || !STAGE_NAME.test(name) || name.length > STAGE_NAME_MAX_LENGTH) {
      problems.add(`${prefix}stageName`, `must be 1 to ${STAGE_NAME_MAX_LENGTH} letters, digits, hyphens or underscores`, name,
        'Pick a name such as "prod" or "v1_beta".');
    }
  }

  const variables = options.variables as unknown;
  if (variables !== undefined && !Token.isUnresolved(variables)) {
    const entries = variables !== null && typeof variables === 'object' ? Object.entries(variables as Record<string, unknown>) : [];
    if (entries.length > STAGE_VARIABLES_MAX) {
      problems.add(`${prefix}variables`, `must hold at most ${STAGE_VARIABLES_MAX} variables, API Gateway's quota per stage (it holds ${entries.length})`,
        entries.length, 'Move configuration into fewer variables, or into the integration.');
    }
    for (const [key, value] of entries) {
      if (!Token.isUnresolved(key) && (!STAGE_VARIABLE_NAME.test(key) || key.length > STAGE_VARIABLE_NAME_MAX_LENGTH)) {
        problems.add(`${prefix}variables`, `names must be 1 to ${STAGE_VARIABLE_NAME_MAX_LENGTH} letters, digits or underscores`, key,
          'Rename the variable, e.g. "backend_url".');
      }
      if (!(typeof value === 'string' && Token.isUnresolved(value))
        && (typeof value !== 'string' || !STAGE_VARIABLE_VALUE.test(value) || value.length > STAGE_VARIABLE_VALUE_MAX_LENGTH)) {
        problems.add(`${prefix}variables.${key}`, `must be 1 to ${STAGE_VARIABLE_VALUE_MAX_LENGTH} characters of A-Z a-z 0-9 - . _ ~ : / ? # & = ,`, value,
          'Percent-encode or drop other characters (spaces, quotes, braces); stage variables are not a place for secrets or JSON.');
      }
    }
  }

  checkMethodOptions(problems, prefix, options);

  const size = options.cacheClusterSize as unknown;
  if (size !== undefined && !(typeof size === 'string' && Token.isUnresolved(size))) {
    if (typeof size !== 'string' || !CACHE_CLUSTER_SIZES.includes(size)) {
      problems.add(`${prefix}cacheClusterSize`, `must be one of ${CACHE_CLUSTER_SIZES.join(', ')} (GB)`, size, 'Pick one of the listed sizes, e.g. "0.5".');
    } else if (options.cacheClusterEnabled === false) {
      problems.add(`${prefix}cacheClusterSize`, 'is set while cacheClusterEnabled is false', size, 'Remove cacheClusterSize, or enable the cache cluster.');
    }
  }

  const methodOptions = options.methodOptions as unknown;
  if (methodOptions !== undefined && !Token.isUnresolved(methodOptions) && methodOptions !== null && typeof methodOptions === 'object') {
    for (const [path, method] of Object.entries(methodOptions as Record<string, apigw.MethodDeploymentOptions>)) {
      const at = `${prefix}methodOptions["${path}"]`;
      checkMethodOptionsPath(problems, `${prefix}methodOptions`, path);
      checkMethodOptions(problems, `${at}.`, method ?? {});
      if (method?.cachingEnabled === true && options.cacheClusterEnabled === false) {
        problems.add(`${at}.cachingEnabled`, 'is true while the stage\'s cacheClusterEnabled is false', true,
          'Enable the cache cluster, or turn caching off for this method.');
      }
    }
  }
  if (options.cachingEnabled === true && options.cacheClusterEnabled === false) {
    problems.add(`${prefix}cachingEnabled`, 'is true while cacheClusterEnabled is false', true, 'Enable the cache cluster, or turn caching off.');
  }

  checkAccessLogFormat(problems, `${prefix}accessLogFormat`, options.accessLogFormat);
  const destination = options.accessLogDestination as unknown;
  if (destination !== undefined && (destination === null || typeof destination !== 'object' || typeof (destination as any).bind !== 'function')) {
    problems.add(`${prefix}accessLogDestination`, 'must be an apigateway.IAccessLogDestination', destination,
      'Wrap the log group: new apigateway.LogGroupLogDestination(group) (or FirehoseLogDestination), or pass the group as accessLogGroup.');
  }
}

/** Largest `MinimumCompressionSize` API Gateway accepts (10 MiB). */
export const MAX_COMPRESSION_SIZE_BYTES = 10 * 1024 * 1024;

/**
 * Checks the `RestApiProps` that aws-cdk-lib's `RestApi` refuses with an error naming no path, and the compression
 * size API Gateway limits, in the house format.
 */
export function checkRestApiProps(problems: ProblemCollector, scope: IConstruct, props: apigw.RestApiProps): void {
  if (props.minCompressionSize !== undefined && props.minimumCompressionSize !== undefined) {
    problems.add('minimumCompressionSize', 'cannot be combined with minCompressionSize', props.minimumCompressionSize,
      'Pass only minCompressionSize (minimumCompressionSize is deprecated).');
  }
  const size = props.minCompressionSize as unknown;
  if (size !== undefined) {
    if (!(size instanceof Size)) {
      problems.add('minCompressionSize', 'must be a Size', size, 'Pass Size.kibibytes(1), for example.');
    } else if (!size.isUnresolved()) {
      const bytes = size.toBytes({ rounding: SizeRoundingBehavior.NONE });
      if (!(Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_COMPRESSION_SIZE_BYTES)) {
        problems.add('minCompressionSize', `must be a whole number of bytes from 0 to ${MAX_COMPRESSION_SIZE_BYTES} (10 MiB)`, `${bytes} bytes`,
          'Pass Size.bytes(n) or Size.kibibytes(n) within the range.');
      }
    }
  }
  const legacy = props.minimumCompressionSize as unknown;
  if (legacy !== undefined && !isNumberToken(legacy) && !(typeof legacy === 'number' && Number.isInteger(legacy) && legacy >= 0 && legacy <= MAX_COMPRESSION_SIZE_BYTES)) {
    problems.add('minimumCompressionSize', `must be a whole number of bytes from 0 to ${MAX_COMPRESSION_SIZE_BYTES} (10 MiB)`, legacy,
      'Pass minCompressionSize: Size.bytes(n) within the range.');
  }
  if (props.endpointTypes !== undefined && props.endpointConfiguration !== undefined) {
    problems.add('endpointTypes', 'cannot be combined with endpointConfiguration', props.endpointTypes,
      'Pass the types once, as endpointConfiguration.types.');
  }
  const endpoint = props.endpointConfiguration;
  if (endpoint?.ipAddressType === apigw.IpAddressType.IPV4 && (endpoint.types ?? []).includes(apigw.EndpointType.PRIVATE)) {
    problems.add('endpointConfiguration.ipAddressType', 'must be DUAL_STACK for a private API', endpoint.ipAddressType,
      'Use IpAddressType.DUAL_STACK, or leave ipAddressType out.');
  }
  const cloudWatchRole = props.cloudWatchRole ?? !FeatureFlags.of(scope).isEnabled(APIGATEWAY_DISABLE_CLOUDWATCH_ROLE);
  if (props.cloudWatchRoleRemovalPolicy !== undefined && !cloudWatchRole) {
    problems.add('cloudWatchRoleRemovalPolicy', 'applies only when cloudWatchRole is true', props.cloudWatchRoleRemovalPolicy,
      'Set cloudWatchRole: true, or remove cloudWatchRoleRemovalPolicy.');
  }
}

/** The props of `TracedRestApi` this library reads, checked before `super()` so every problem is reported at once. */
export interface TracedRestApiCheckedProps extends AccessLogOptions, apigw.RestApiProps {}

/** Checks `TracedRestApi` props; `scope` is the construct's parent, `path` its own path-to-be. */
export function checkTracedRestApiProps(scope: IConstruct, path: string, props: TracedRestApiCheckedProps): void {
  const problems = new ProblemCollector(path);
  checkRestApiProps(problems, scope, props);
  const deployOptions = props.deployOptions;
  if (props.deploy === false) {
    if (deployOptions !== undefined) {
      problems.add('deployOptions', 'cannot be set when deploy is false: there is no deployment stage to configure', deployOptions,
        'Remove deployOptions, or pass them to the apigateway.Stage you create (then call RestApiTracing.enableStage(stage)).');
    }
    for (const prop of ['accessLogFormat', 'accessLogGroup', 'accessLogRetention', 'accessLogEncryptionKey'] as const) {
      if (props[prop] !== undefined) {
        problems.add(prop, 'has no stage to apply to when deploy is false', props[prop],
          `Pass it to RestApiTracing.enable(stage, { ${prop} }) for each stage you create.`);
      }
    }
    problems.throwIfAny();
    return;
  }
  if (deployOptions !== undefined) {
    if (deployOptions.tracingEnabled === false) {
      problems.add('deployOptions.tracingEnabled', 'cannot be false on a traced REST API', false,
        'Remove it (TracedRestApi turns tracing on), or use apigateway.RestApi for an API that must not be traced.');
    }
    checkStageOptions(problems, 'deployOptions.', deployOptions);
    if (deployOptions.accessLogFormat !== undefined && props.accessLogFormat !== undefined) {
      problems.add('accessLogFormat', 'is given twice, here and as deployOptions.accessLogFormat', props.accessLogFormat, 'Pass it once, as accessLogFormat.');
    }
    if (deployOptions.accessLogDestination !== undefined) {
      for (const prop of ['accessLogGroup', 'accessLogRetention', 'accessLogEncryptionKey'] as const) {
        if (props[prop] !== undefined) {
          problems.add(prop, 'cannot be combined with deployOptions.accessLogDestination', props[prop],
            'Pass the log group once: as accessLogGroup (with its own retention and key), or as deployOptions.accessLogDestination.');
        }
      }
    }
  }
  checkAccessLogOptions(problems, Stack.of(scope), props);
  problems.throwIfAny();
}
