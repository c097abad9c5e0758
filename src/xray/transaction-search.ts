import { Aws, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnTransactionSearchConfig } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { registerSingleton } from './late-checks';
import { ProblemCollector } from '../private/errors';

/**
 * Properties of `TransactionSearch`.
 */
export interface TransactionSearchProps {
  /**
   * The share of spans indexed as trace summaries for X-Ray search, 0–100 (%). 1 % is free; more is billed.
   *
   * @default 1
   */
  readonly indexingPercentage?: number;
}

/**
 * CloudWatch Transaction Search for the account and region (`AWS::XRay::TransactionSearchConfig`), with the
 * CloudWatch Logs resource policy that lets X-Ray write spans to `aws/spans` and `/aws/application-signals/data`.
 *
 * An account/region singleton: a second one in the app is an error naming the first. AWS documents that Transaction
 * Search must be disabled before it is enabled through CloudFormation.
 */
export class TransactionSearch extends Resource {
  /** The indexing percentage. */
  public readonly indexingPercentage: number;

  constructor(scope: Construct, id: string, props: TransactionSearchProps = {}) {
    super(scope, id);
    registerSingleton('TransactionSearch', this, 'Transaction Search configuration', 'An account and region has one Transaction Search configuration: keep one TransactionSearch.');
    this.indexingPercentage = props.indexingPercentage ?? 1;
    const problems = new ProblemCollector(this);
    if (!Token.isUnresolved(this.indexingPercentage) &&
      !(typeof this.indexingPercentage === 'number' && this.indexingPercentage >= 0 && this.indexingPercentage <= 100)) {
      problems.add('indexingPercentage', 'must be between 0 and 100', this.indexingPercentage, 'It is a percentage: 1 means 1 % (the free tier).');
    }
    problems.throwIfAny();

    const stack = Stack.of(this);
    const logGroupArn = (name: string) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}:*`;
    const document = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: 'TransactionSearchXRayAccess',
        principals: [new iam.ServicePrincipal('xray.amazonaws.com')],
        actions: ['logs:PutLogEvents'],
        resources: [logGroupArn('aws/spans'), logGroupArn('/aws/application-signals/data')],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:xray:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      })],
    });
    const logsPolicy = new logs.CfnResourcePolicy(this, 'LogsResourcePolicy', {
      policyName: 'cdk-xray-constructs-transaction-search',
      policyDocument: stack.toJsonString(document),
    });
    const config = new CfnTransactionSearchConfig(this, 'Resource', { indexingPercentage: this.indexingPercentage });
    config.node.addDependency(logsPolicy);
  }
}
