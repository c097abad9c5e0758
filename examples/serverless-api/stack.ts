import * as path from 'path';
import { RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LambdaInstrumentation, TracedFunction, TracedRestApi } from '../../src';

export interface ServerlessApiStackProps extends StackProps {
  /**
   * Record the acknowledgments of the cdk-nag findings this app accepts (on its own resources, with reasons).
   * Tests turn it off to see every finding.
   * @default true
   */
  readonly acknowledgeFindings?: boolean;
}

/**
 * API Gateway REST -> two traced functions -> DynamoDB.
 *
 * POST /items writes an item (Powertools Tracer, from the Powertools layer), GET /items/{pk} reads one (AWS Distro for OpenTelemetry layer).
 * The stack is environment-agnostic: both layer ARNs resolve per region through a CloudFormation mapping.
 */
export class ServerlessApiStack extends Stack {
  public readonly api: TracedRestApi;
  public readonly writer: TracedFunction;
  public readonly reader: TracedFunction;
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServerlessApiStackProps = {}) {
    super(scope, id, props);

    this.table = new dynamodb.Table(this, 'Items', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The handlers' own node_modules stay out of the asset: the Tracer comes from the Powertools layer, the AWS SDK
    // from the runtime and OpenTelemetry from the distro's layer.
    const handlers = lambda.Code.fromAsset(path.join(__dirname, 'handlers'), { exclude: ['node_modules'] });
    this.writer = new TracedFunction(this, 'WriteItem', {
      ...this.logging('WriteItem'),
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'write-item.handler',
      code: handlers,
      environment: { TABLE_NAME: this.table.tableName },
      instrumentation: LambdaInstrumentation.powertools({ layer: true }),
      serviceName: 'items-writer',
      annotationKeys: ['item_kind'],
    });
    this.reader = new TracedFunction(this, 'ReadItem', {
      ...this.logging('ReadItem'),
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'read-item.handler',
      code: handlers,
      environment: { TABLE_NAME: this.table.tableName },
      instrumentation: LambdaInstrumentation.adot(),
      serviceName: 'items-reader',
    });
    this.table.grantWriteData(this.writer);
    this.table.grantReadData(this.reader);

    this.api = new TracedRestApi(this, 'Api', {
      restApiName: 'items',
      description: 'Items API (traced with AWS X-Ray)',
      // Access and execution logs need the account's API Gateway CloudWatch role, which is account-wide and usually
      // set once by the account baseline. Set cloudWatchRole: true to let aws-cdk-lib create it (cdk-nag then reports
      // AwsSolutions-IAM4 on its AWS managed policy).
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    });
    const validator = this.api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const items = this.api.root.addResource('items');
    items.addMethod('POST', new apigateway.LambdaIntegration(this.writer), { requestValidator: validator });
    items.addResource('{pk}').addMethod('GET', new apigateway.LambdaIntegration(this.reader), {
      requestValidator: validator,
      requestParameters: { 'method.request.path.pk': true },
    });

    if (props.acknowledgeFindings ?? true) {
      this.acknowledgeFindings();
    }
  }

  /** A log group with a retention and a role that may write only to it, instead of AWSLambdaBasicExecutionRole. */
  private logging(name: string): { role: iam.IRole; logGroup: logs.ILogGroup } {
    const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, `${name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    return { role, logGroup };
  }

  /** The cdk-nag findings this app accepts, each with its reason. None is on a resource cdk-xray-constructs made. */
  private acknowledgeFindings(): void {
    Validations.of(this.api).acknowledge(
      { id: 'AwsSolutions-APIG3', reason: 'The items API is internal and IAM-authorized; no WAF web ACL is attached.' },
      { id: 'AwsSolutions-COG4', reason: 'Callers sign requests with IAM (SigV4); there is no Cognito user pool.' },
    );
  }
}
