import { Resource } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { Construct } from 'constructs';
import { fail } from '../private/errors';

/**
 * X-Ray tracing for AppSync GraphQL APIs. AppSync sends its segments itself: no role or resource policy is needed.
 */
export class AppSyncTracing {
  /**
   * Turns on X-Ray tracing (`XrayEnabled: true`) for a GraphQL API made in this app, also where `xrayEnabled: false`
   * was set (the call is the later, more specific intent; `EnableTracingAspect` leaves such an API alone). An imported
   * API (`GraphqlApi.fromGraphqlApiAttributes`) cannot be changed here and is an error. Calling it twice changes
   * nothing.
   */
  public static enable(api: appsync.IGraphqlApi): void {
    if (api === undefined || api === null || !Construct.isConstruct(api)) {
      fail('AppSyncTracing.enable', 'api', 'must be an AppSync GraphQL API construct', api, 'Pass an appsync.GraphqlApi made in this app.');
    }
    const cfn = api.node.defaultChild;
    if (!(cfn instanceof appsync.CfnGraphQLApi) || !Resource.isOwnedResource(api)) {
      fail(api, 'api', 'is imported (GraphqlApi.fromGraphqlApiAttributes), so its tracing cannot be changed from this app', api.apiId,
        'Turn tracing on where the API is defined (xrayEnabled: true, or AppSyncTracing.enable in that app).');
    }
    cfn.xrayEnabled = true;
  }

  /**
   * Turns on X-Ray tracing for an L1 GraphQL API (`CfnGraphQLApi`). `EnableTracingAspect` calls this for every
   * GraphQL API whose tracing is not set.
   */
  public static enableCfnGraphQLApi(api: appsync.CfnGraphQLApi): void {
    if (!(api instanceof appsync.CfnGraphQLApi)) {
      fail('AppSyncTracing.enableCfnGraphQLApi', 'api', 'must be an appsync.CfnGraphQLApi', api,
        'Pass the CfnGraphQLApi, or an appsync.GraphqlApi to AppSyncTracing.enable.');
    }
    api.xrayEnabled = true;
  }

  private constructor() {}
}
