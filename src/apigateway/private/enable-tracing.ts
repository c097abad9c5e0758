import { ArnFormat, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AccessLogOptions, checkAccessLogFormat, checkAccessLogOptions } from './validation';
import { renderValue, fail, ProblemCollector } from '../../private/errors';
import { warn } from '../../private/warnings';

/** The access-log variable that carries the X-Ray trace ID of a REST API request. */
export const XRAY_TRACE_ID_VARIABLE = '$context.xrayTraceId';

/** What enabling a stage may create or reuse. */
export interface StageTracingRequest extends AccessLogOptions {}

/** The id of the access-log group created under a stage; part of the contract (changing it replaces the group). */
const ACCESS_LOG_GROUP_ID = 'AccessLogs';

/**
 * The JSON access-log format used by default: one line per request that an on-call engineer can join to its trace.
 */
export function traceAwareAccessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(JSON.stringify({
    requestId: '$context.requestId',
    extendedRequestId: '$context.extendedRequestId',
    xrayTraceId: XRAY_TRACE_ID_VARIABLE,
    requestTime: '$context.requestTime',
    requestTimeEpoch: '$context.requestTimeEpoch',
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    path: '$context.path',
    stage: '$context.stage',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    errorMessage: '$context.error.message',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
  }));
}

/**
 * The single path that turns tracing on for a REST API stage (L2 `Stage` or L1 `CfnStage`): X-Ray tracing on, and a
 * JSON access log carrying `$context.xrayTraceId`.
 *
 * - A stage without an access-log destination gets the requested log group, or a new one (`AccessLogs` under the
 *   stage) with the requested retention and KMS key; the key's policy is given the statement CloudWatch Logs needs.
 * - A stage that already has a destination keeps it; a requested format replaces its format, and the log-group
 *   options, which cannot apply, draw a warning.
 * - Every value written is checked as aws-cdk-lib's `Stage` checks it (tokens pass), so a format API Gateway refuses
 *   fails synthesis with the stage's path instead of the deployment.
 *
 * `tracingEnabled: false` set on the stage is overridden: the caller asked for this stage to be traced. Applying it
 * twice changes nothing.
 */
export function enableStageTracing(stageScope: IConstruct, cfnStage: apigw.CfnStage, request: StageTracingRequest): void {
  const stack = Stack.of(cfnStage);
  const problems = new ProblemCollector(stageScope);
  checkAccessLogOptions(problems, stack, request);
  problems.throwIfAny();

  cfnStage.tracingEnabled = true;
  const current = stack.resolve(cfnStage.accessLogSetting) as { destinationArn?: unknown; format?: unknown } | undefined;
  const requestedFormat = request.accessLogFormat?.toString();
  if (current === undefined || current === null || current.destinationArn === undefined) {
    const logGroup = request.accessLogGroup ?? ownAccessLogGroup(stageScope) ?? createAccessLogGroup(stageScope, request);
    cfnStage.accessLogSetting = {
      destinationArn: logGroup.logGroupArn,
      format: requestedFormat ?? writtenSetting(cfnStage)?.format ?? traceAwareAccessLogFormat().toString(),
    };
  } else {
    warnIgnoredLogGroupOptions(stageScope, request, current.destinationArn);
    if (requestedFormat !== undefined || current.format === undefined) {
      cfnStage.accessLogSetting = {
        destinationArn: writtenSetting(cfnStage)?.destinationArn ?? current.destinationArn as string,
        format: requestedFormat ?? traceAwareAccessLogFormat().toString(),
      };
    }
  }
  checkWrittenFormat(stageScope, stack.resolve(cfnStage.accessLogSetting as apigw.CfnStage.AccessLogSettingProperty).format);
}

/** The stage's access-log setting as written (tokens kept), unless the whole setting is a token. */
function writtenSetting(cfnStage: apigw.CfnStage): apigw.CfnStage.AccessLogSettingProperty | undefined {
  const setting = cfnStage.accessLogSetting;
  return setting === undefined || Token.isUnresolved(setting) ? undefined : setting as apigw.CfnStage.AccessLogSettingProperty;
}

function ownAccessLogGroup(stageScope: IConstruct): logs.ILogGroup | undefined {
  const child = stageScope.node.tryFindChild(ACCESS_LOG_GROUP_ID);
  return child instanceof logs.LogGroup ? child : undefined;
}

function createAccessLogGroup(stageScope: IConstruct, request: StageTracingRequest): logs.ILogGroup {
  const key = request.accessLogEncryptionKey;
  const group = new logs.LogGroup(stageScope, ACCESS_LOG_GROUP_ID, {
    retention: request.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: key,
  });
  if (key !== undefined) {
    allowCloudWatchLogs(stageScope, key);
  }
  return group;
}

/**
 * CloudWatch Logs refuses to create a log group whose key policy does not let `logs.<region>.amazonaws.com` use the
 * key, and aws-cdk-lib's `LogGroup` adds no such statement. Scoped to log groups of this account and region: naming
 * the group itself would make the key and the group depend on each other.
 */
function allowCloudWatchLogs(stageScope: IConstruct, key: kms.IKey): void {
  const stack = Stack.of(stageScope);
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
  if (!statementAdded) {
    const region = Token.isUnresolved(stack.region) ? '<region>' : stack.region;
    warn(stageScope, 'accessLogKeyPolicy', `The access-log group is encrypted with an imported KMS key (${renderValue(key.keyArn)}), ` +
      `whose key policy this app cannot change. Make sure it lets logs.${region}.amazonaws.com use the key ` +
      '(kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*), or CloudFormation fails to create the log group.');
  }
}

function warnIgnoredLogGroupOptions(stageScope: IConstruct, request: StageTracingRequest, destinationArn: unknown): void {
  const stack = Stack.of(stageScope);
  const own = ownAccessLogGroup(stageScope);
  const isCurrent = (group: logs.ILogGroup | undefined) =>
    group !== undefined && JSON.stringify(stack.resolve(group.logGroupArn)) === JSON.stringify(destinationArn);
  const ignored: string[] = [];
  if (request.accessLogGroup !== undefined && !isCurrent(request.accessLogGroup)) {
    ignored.push('accessLogGroup');
  }
  // Options that shaped the group created by an earlier call are not ignored: applying twice stays silent.
  const ownGroup = isCurrent(own) ? own!.node.defaultChild as logs.CfnLogGroup : undefined;
  const same = (a: unknown, b: unknown) => JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
  if (request.accessLogRetention !== undefined && !(ownGroup !== undefined && same(ownGroup.retentionInDays, request.accessLogRetention))) {
    ignored.push('accessLogRetention');
  }
  if (request.accessLogEncryptionKey !== undefined && !(ownGroup !== undefined && same(ownGroup.kmsKeyId, request.accessLogEncryptionKey.keyArn))) {
    ignored.push('accessLogEncryptionKey');
  }
  if (ignored.length > 0) {
    warn(stageScope, 'accessLogOptionsIgnored', `The stage already sends its access logs to ${renderValue(destinationArn)}, so ` +
      `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored. Remove ${ignored.length === 1 ? 'it' : 'them'}, or remove the ` +
      'stage\'s access-log destination so the requested log group is used.');
  }
}

function checkWrittenFormat(scope: IConstruct, format: unknown): void {
  if (typeof format !== 'string' || Token.isUnresolved(format)) {
    return;
  }
  const problems = new ProblemCollector(scope);
  checkAccessLogFormat(problems, 'accessLogSetting.format', apigw.AccessLogFormat.custom(format));
  problems.throwIfAny();
  if (!format.includes(XRAY_TRACE_ID_VARIABLE)) {
    warn(scope, 'accessLogWithoutTraceId',
      `The stage's access-log format does not include ${XRAY_TRACE_ID_VARIABLE}, so a log line cannot be joined to its ` +
      'trace. Add it to the format, or use RestApiTracing.accessLogFormat().');
  }
}

/** One stage to trace: the construct that owns it (for paths, warnings and the log group) and its L1. */
export interface StageToTrace {
  readonly scope: IConstruct;
  readonly cfnStage: apigw.CfnStage;
}

/**
 * Resolves what `RestApiTracing.enable` was given to the stages to trace: for an API, its deployment stage and every
 * other stage of it defined in this app so far. Refuses HTTP and WebSocket APIs, imported APIs and stages (nothing here
 * can change them), and an API without any stage, each with a message that says what to do instead.
 */
export function stagesToTrace(target: IConstruct): StageToTrace[] {
  if (!Construct.isConstruct(target)) {
    fail('RestApiTracing.enable', 'api', 'must be a REST API or REST API stage construct', target,
      'Pass an apigateway.RestApi, SpecRestApi, LambdaRestApi, Stage, CfnRestApi or CfnStage.');
  }
  const type = cfnTypeOf(target);
  if (type?.startsWith('AWS::ApiGatewayV2::')) {
    fail(target, 'api', 'is an API Gateway HTTP or WebSocket API, which AWS X-Ray cannot trace', type,
      'X-Ray supports REST APIs only: use a REST API (TracedRestApi) for a traced entry point, or trace from the first ' +
      'integration instead (a TracedFunction records a new trace for each request it receives).');
  }
  if (target instanceof apigw.CfnStage) {
    return [{ scope: target, cfnStage: target }];
  }
  if (target instanceof apigw.StageBase) {
    const cfnStage = target.node.defaultChild;
    if (!(target instanceof apigw.Stage) || !(cfnStage instanceof apigw.CfnStage)) {
      fail(target, 'stage', 'is imported (Stage.fromStageAttributes), so this app cannot change its tracing', target.stageName,
        'Turn tracing on where the stage is defined: TracedRestApi or RestApiTracing.enableStage(stage) in the app that creates it, ' +
        'or TracingEnabled: true in its template.');
    }
    return [{ scope: target, cfnStage }];
  }
  if (target instanceof apigw.RestApiBase || target instanceof apigw.CfnRestApi) {
    const restApiId = target instanceof apigw.RestApiBase ? target.restApiId : target.ref;
    const deploymentStage = target instanceof apigw.RestApiBase ? target.deploymentStage as apigw.Stage | undefined : undefined;
    const stages: StageToTrace[] = [];
    if (deploymentStage instanceof apigw.Stage && deploymentStage.node.defaultChild instanceof apigw.CfnStage) {
      stages.push({ scope: deploymentStage, cfnStage: deploymentStage.node.defaultChild });
    }
    for (const cfnStage of stagesOfApi(target, restApiId)) {
      if (!stages.some(s => s.cfnStage === cfnStage)) {
        const owner = cfnStage.node.scope;
        stages.push({ scope: owner instanceof apigw.Stage && owner.node.defaultChild === cfnStage ? owner : cfnStage, cfnStage });
      }
    }
    if (stages.length > 0) {
      return stages;
    }
    if (isImportedApi(target)) {
      fail(target, 'api', 'is imported (RestApi.fromRestApiId or fromRestApiAttributes) and has no stage in this app, so this app cannot ' +
        'change its tracing', restApiId,
      'Turn tracing on where the API is defined: TracedRestApi or RestApiTracing.enable(api) in the app that creates it. ' +
        'A stage this app creates for it can be passed to RestApiTracing.enableStage(stage).');
    }
    fail(target, 'api', 'has no stage to trace yet (deploy: false and no apigateway.Stage for it)', 'no stage',
      'Create its stages first and call RestApiTracing.enable(api) after them, or call RestApiTracing.enableStage(stage) on each.');
  }
  return fail(target, 'api', 'is not a REST API or REST API stage', type ?? classNameOf(target),
    'Pass an apigateway.RestApi, SpecRestApi, LambdaRestApi, Stage, CfnRestApi or CfnStage.');
}

/** An API this app does not define: an aws-cdk-lib import, with no `AWS::ApiGateway::RestApi` under it. */
function isImportedApi(api: apigw.IRestApi | apigw.CfnRestApi): boolean {
  return !(api instanceof apigw.CfnRestApi) && !(api.node.defaultChild instanceof apigw.CfnRestApi);
}

/** Every `CfnStage` of the app whose `restApiId` is this API's (the same token, or the same literal id). */
function stagesOfApi(api: IConstruct, restApiId: string): apigw.CfnStage[] {
  return api.node.root.node.findAll().filter((c): c is apigw.CfnStage => c instanceof apigw.CfnStage && c.restApiId === restApiId);
}

/** The jsii name of a construct's class (`aws-cdk-lib.Stack`), else its JavaScript name. */
function classNameOf(construct: IConstruct): string {
  const rtti = (construct.constructor as any)[Symbol.for('jsii.rtti')];
  return typeof rtti?.fqn === 'string' ? rtti.fqn : construct.constructor.name;
}

function cfnTypeOf(construct: IConstruct): string | undefined {
  const candidate = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  return candidate !== undefined && CfnResource.isCfnResource(candidate) ? candidate.cfnResourceType : undefined;
}
