import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ddb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbTargets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { cliApp, edges, fn, graphOf, node } from './fixtures';
import { EdgeKind, TraceState } from '../../src/graph/model';
import { zipFunctionProps as fnProps } from '../util';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3');

describe('edges from aws-cdk-lib L2s', () => {
  test('REST method integration -> Lambda; the REST API is traced through its stage', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const api = new apigw.RestApi(s, 'Api', { deployOptions: { tracingEnabled: true } });
    api.root.addResource('orders').addMethod('POST', new apigw.LambdaIntegration(fn(s, 'Handler', lambda.Tracing.ACTIVE)));
    const g = graphOf(app);
    expect(edges(g)).toEqual(['Api -integration-> Handler']);
    expect(node(g, 'Api')).toMatchObject({ state: TraceState.TRACED, how: 'stage prod: TracingEnabled', path: 'S/Api/Resource' });
  });

  test('REST AWS integration -> SQS queue (queue name in the integration URI)', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const q = new sqs.Queue(s, 'Q');
    const role = new iam.Role(s, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    new apigw.RestApi(s, 'Api').root.addMethod('POST', new apigw.AwsIntegration({
      service: 'sqs', path: `${s.account}/${q.queueName}`, options: { credentialsRole: role },
    }));
    expect(edges(graphOf(app))).toEqual(['Api -integration-> Q']);
  });

  test('grants from a function role: invoke, send, publish, put events, start execution, data; a stream read is no data edge', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const caller = fn(s, 'Caller', lambda.Tracing.ACTIVE);
    fn(s, 'Callee', lambda.Tracing.ACTIVE).grantInvoke(caller);
    new sqs.Queue(s, 'Q').grantSendMessages(caller);
    new sns.Topic(s, 'Topic').grantPublish(caller);
    new events.EventBus(s, 'Bus').grantPutEventsTo(caller);
    new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')), tracingEnabled: true }).grantStartExecution(caller);
    const table = new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING }, stream: ddb.StreamViewType.NEW_IMAGE });
    table.grantReadWriteData(caller);
    new kinesis.Stream(s, 'Stream').grantWrite(caller);
    const reader = fn(s, 'Reader', lambda.Tracing.ACTIVE);
    table.grantStreamRead(reader);
    expect(edges(graphOf(app))).toEqual([
      'Caller -data-> Stream',
      'Caller -data-> Table',
      'Caller -invoke-> Callee',
      'Caller -publish-> Topic',
      'Caller -put-events-> Bus',
      'Caller -send-> Q',
      'Caller -start-execution-> Sm',
    ]);
  });

  test('grants for an imported role (a literal ARN, with a path) reach the functions that use it; other imported roles do not', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const role = iam.Role.fromRoleArn(s, 'Shared', 'arn:aws:iam::123456789012:role/service-role/shared-lambda');
    const caller = new lambda.Function(s, 'Caller', { ...fnProps(), role });
    new lambda.Function(s, 'Other', { ...fnProps(), role: iam.Role.fromRoleArn(s, 'OtherRole', 'arn:aws:iam::123456789012:role/other') });
    new sqs.Queue(s, 'Q').grantSendMessages(role);
    fn(s, 'Callee', lambda.Tracing.ACTIVE).grantInvoke(caller);
    expect(edges(graphOf(app))).toEqual(['Caller -invoke-> Callee', 'Caller -send-> Q']);
  });

  test('environment variables holding a reference are a secondary signal; a wildcard resource is no edge', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const q = new sqs.Queue(s, 'Q');
    const table = new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING } });
    const f = new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      tracing: lambda.Tracing.ACTIVE,
      environment: { QUEUE_URL: q.queueUrl, TABLE: table.tableName, OTHER: 'literal' },
    });
    f.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    expect(edges(graphOf(app))).toEqual(['Fn -data-> Table', 'Fn -send-> Q']);
  });

  test('event source mappings: SQS, DynamoDB stream and Kinesis -> function', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const consumer = fn(s, 'Consumer', lambda.Tracing.ACTIVE);
    consumer.addEventSource(new sources.SqsEventSource(new sqs.Queue(s, 'Q')));
    const table = new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING }, stream: ddb.StreamViewType.NEW_IMAGE });
    consumer.addEventSource(new sources.DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));
    consumer.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(s, 'Stream'), { startingPosition: lambda.StartingPosition.LATEST }));
    const g = graphOf(app);
    expect(edges(g)).toEqual(['Q -event-source-> Consumer', 'Stream -event-source-> Consumer', 'Table -event-source-> Consumer']);
    expect(node(g, 'Table').state).toBe(TraceState.DOWNSTREAM);
  });

  test('SNS subscriptions: topic -> Lambda and SQS; an email subscription is no edge', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const topic = new sns.Topic(s, 'Topic');
    topic.addSubscription(new subscriptions.LambdaSubscription(fn(s, 'Sub', lambda.Tracing.ACTIVE)));
    topic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(s, 'Q')));
    topic.addSubscription(new subscriptions.EmailSubscription('ops@example.com'));
    expect(edges(graphOf(app))).toEqual(['Topic -subscription-> Q', 'Topic -subscription-> Sub']);
  });

  test('EventBridge: custom bus -> rule -> targets; a rule without a bus is on the default bus (one virtual node)', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const bus = new events.EventBus(s, 'Bus');
    const sm = new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')), tracingEnabled: true });
    new events.Rule(s, 'OnOrder', {
      eventBus: bus,
      eventPattern: { source: ['shop.orders'] },
      targets: [new targets.LambdaFunction(fn(s, 'Target', lambda.Tracing.ACTIVE)), new targets.SqsQueue(new sqs.Queue(s, 'Q')), new targets.SfnStateMachine(sm)],
    });
    const producer = fn(s, 'Producer', lambda.Tracing.ACTIVE);
    events.EventBus.grantAllPutEvents(producer);
    new events.Rule(s, 'OnDefault', { eventPattern: { source: ['shop.billing'] }, targets: [new targets.SnsTopic(new sns.Topic(s, 'Topic'))] });
    const g = graphOf(app);
    expect(edges(g)).toEqual([
      'Bus -rule-> OnOrder',
      'OnDefault -rule-target-> Topic',
      'OnOrder -rule-target-> Q',
      'OnOrder -rule-target-> Sm',
      'OnOrder -rule-target-> Target',
      'default event bus -rule-> OnDefault',
    ]);
    expect(node(g, 'default event bus')).toMatchObject({ virtual: true, stackId: 'S', state: TraceState.PASS_THROUGH });
    expect(node(g, 'OnOrder').state).toBe(TraceState.PASS_THROUGH);
  });

  test('ALB -> target group -> ECS service; a Lambda target group -> function', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const web = new ecsPatterns.ApplicationLoadBalancedFargateService(s, 'Web', {
      vpc, taskImageOptions: { image }, publicLoadBalancer: true,
    });
    const lb = new elbv2.ApplicationLoadBalancer(s, 'FnLb', { vpc, internetFacing: true });
    lb.addListener('Http', { port: 80 }).addTargets('Fn', { targets: [new elbTargets.LambdaTarget(fn(s, 'LbFn', lambda.Tracing.ACTIVE))] });
    const g = graphOf(app);
    expect(edges(g)).toEqual(['ECSGroup -load-balancer-> Service', 'FnGroup -load-balancer-> LbFn', 'FnLb -load-balancer-> FnGroup', 'LB -load-balancer-> ECSGroup']);
    const service = node(g, 'Service');
    expect(service).toMatchObject({ state: TraceState.UNTRACED, taskDefinition: node(g, 'TaskDef').id });
    // The node is the ecs-patterns service's own resource.
    expect(service.logicalId).toBe(s.getLogicalId(web.service.node.defaultChild as ecs.CfnService));
  });

  test('state machine tasks: Lambda invoke, SQS, SNS, DynamoDB, nested state machine, ECS run task', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const table = new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING } });
    const child = new sfn.StateMachine(s, 'Child', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'CP')), tracingEnabled: true });
    const cluster = new ecs.Cluster(s, 'Cluster', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    const task = new ecs.FargateTaskDefinition(s, 'Task');
    task.addContainer('App', { image });
    const chain = new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: fn(s, 'Step', lambda.Tracing.ACTIVE) })
      .next(new tasks.SqsSendMessage(s, 'Send', { queue: new sqs.Queue(s, 'Q'), messageBody: sfn.TaskInput.fromText('x') }))
      .next(new tasks.SnsPublish(s, 'Publish', { topic: new sns.Topic(s, 'Topic'), message: sfn.TaskInput.fromText('x') }))
      .next(new tasks.DynamoPutItem(s, 'Put', { table, item: { pk: tasks.DynamoAttributeValue.fromString('x') } }))
      .next(new tasks.StepFunctionsStartExecution(s, 'Start', { stateMachine: child }))
      .next(new tasks.EcsRunTask(s, 'Run', {
        cluster,
        taskDefinition: task,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        subnets: { subnetType: ec2.SubnetType.PUBLIC },
        assignPublicIp: true,
      }));
    new sfn.StateMachine(s, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(chain), tracingEnabled: true, timeout: Duration.minutes(5) });
    const g = graphOf(app);
    expect(edges(g).filter(e => e.startsWith('Flow '))).toEqual([
      'Flow -state-machine-task-> Child',
      'Flow -state-machine-task-> Q',
      'Flow -state-machine-task-> Step',
      'Flow -state-machine-task-> Table',
      'Flow -state-machine-task-> Task',
      'Flow -state-machine-task-> Topic',
    ]);
    expect(g.edges.every(e => e.kind !== EdgeKind.INVOKE || !e.from.endsWith('Flow'))).toBe(true);
  });

  test('HTTP API integration -> Lambda; AppSync data sources -> Lambda and DynamoDB', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    new apigwv2.HttpApi(s, 'Http').addRoutes({ path: '/x', integration: new integrations.HttpLambdaIntegration('I', fn(s, 'HttpFn', lambda.Tracing.ACTIVE)) });
    const gql = new appsync.GraphqlApi(s, 'Gql', {
      name: 'g', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/../checks/schema.graphql`)), xrayEnabled: true,
    });
    gql.addLambdaDataSource('FnSource', fn(s, 'Resolver', lambda.Tracing.ACTIVE));
    gql.addDynamoDbDataSource('TableSource', new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING } }));
    const g = graphOf(app);
    expect(edges(g)).toEqual(['Gql -integration-> Resolver', 'Gql -integration-> Table', 'Http -integration-> HttpFn']);
    expect(node(g, 'Http').state).toBe(TraceState.UNSUPPORTED);
    expect(node(g, 'Gql').state).toBe(TraceState.TRACED);
  });
});
