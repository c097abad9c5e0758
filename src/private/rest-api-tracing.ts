import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { warn } from './warnings';

/** The access-log variable that carries the X-Ray trace ID of a REST API request. */
export const XRAY_TRACE_ID_VARIABLE = '$context.xrayTraceId';

/** What enabling a stage may create or reuse. */
export interface StageTracingRequest {
  readonly accessLogFormat?: apigw.AccessLogFormat;
  readonly accessLogGroup?: logs.ILogGroup;
  readonly accessLogRetention?: logs.RetentionDays;
}

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
 * JSON access log carrying `$context.xrayTraceId` unless the stage already has an access log (then its format is
 * checked). Applying it twice changes nothing.
 */
export function enableStageTracing(stageScope: IConstruct, cfnStage: apigw.CfnStage, request: StageTracingRequest): void {
  cfnStage.tracingEnabled = true;
  const stack = Stack.of(cfnStage);
  const current = stack.resolve(cfnStage.accessLogSetting);
  if (current === undefined || current.destinationArn === undefined) {
    const logGroup = request.accessLogGroup
      ?? (stageScope.node.tryFindChild('AccessLogs') as logs.ILogGroup | undefined)
      ?? new logs.LogGroup(stageScope, 'AccessLogs', { retention: request.accessLogRetention ?? logs.RetentionDays.ONE_MONTH });
    cfnStage.accessLogSetting = {
      destinationArn: logGroup.logGroupArn,
      format: (request.accessLogFormat ?? traceAwareAccessLogFormat()).toString(),
    };
    checkFormat(stageScope, cfnStage.accessLogSetting.format);
    return;
  }
  checkFormat(stageScope, current.format);
}

function checkFormat(scope: IConstruct, format: unknown): void {
  if (typeof format === 'string' && !Token.isUnresolved(format) && !format.includes(XRAY_TRACE_ID_VARIABLE)) {
    warn(scope, 'accessLogWithoutTraceId',
      `The stage's access-log format does not include ${XRAY_TRACE_ID_VARIABLE}, so a log line cannot be joined to its ` +
      'trace. Add it to the format, or use RestApiTracing.accessLogFormat().');
  }
}

/**
 * Resolves what `RestApiTracing.enable` was given to the stage to trace, refusing HTTP and WebSocket APIs with a
 * message that says why.
 */
export function stageToTrace(target: IConstruct): { readonly scope: IConstruct; readonly cfnStage: apigw.CfnStage } {
  const type = cfnTypeOf(target);
  if (type?.startsWith('AWS::ApiGatewayV2::')) {
    fail(target, 'api', 'is an API Gateway HTTP or WebSocket API, which AWS X-Ray cannot trace', type,
      'X-Ray supports REST APIs only: use a REST API (TracedRestApi) for a traced entry point, or trace from the first ' +
      'integration instead (a TracedFunction records a new trace for each request it receives).');
  }
  if (target instanceof apigw.RestApiBase) {
    let stage: apigw.Stage | undefined;
    try {
      stage = target.deploymentStage;
    } catch {
      stage = undefined;
    }
    if (stage === undefined) {
      fail(target, 'api', 'has no deployment stage to trace', 'deploy: false',
        'Call RestApiTracing.enableStage(stage) on each stage you create for this API.');
    }
    return { scope: stage, cfnStage: stage.node.defaultChild as apigw.CfnStage };
  }
  if (target instanceof apigw.CfnStage) {
    return { scope: target, cfnStage: target };
  }
  if (target instanceof apigw.Stage) {
    return { scope: target, cfnStage: target.node.defaultChild as apigw.CfnStage };
  }
  return fail(target, 'api', 'is not a REST API or REST API stage', type ?? target.constructor.name,
    'Pass an apigateway.RestApi, SpecRestApi, Stage or CfnStage.');
}

function cfnTypeOf(construct: IConstruct): string | undefined {
  const candidate = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  return candidate !== undefined && CfnResource.isCfnResource(candidate) ? candidate.cfnResourceType : undefined;
}
