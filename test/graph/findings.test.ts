import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { breaks, cliApp, fn, graphOf } from './fixtures';
import { EcsTracing, SnsTracing } from '../../src';

/** A traced REST API in front of `entry`. */
function restApi(s: Stack, entry: lambda.IFunction): void {
  new apigw.RestApi(s, 'Api', { deployOptions: { tracingEnabled: true } }).root.addMethod('GET', new apigw.LambdaIntegration(entry));
}

describe('UntracedHop', () => {
  test('compliant: API -> Active -> queue -> PassThrough consumer (the consumer records what its caller sampled)', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const front = fn(s, 'Front', lambda.Tracing.ACTIVE);
    restApi(s, front);
    const q = new sqs.Queue(s, 'Q');
    q.grantSendMessages(front);
    fn(s, 'Consumer', lambda.Tracing.PASS_THROUGH).addEventSource(new sources.SqsEventSource(q));
    expect(breaks(graphOf(app))).toEqual([]);
  });

  test('non-compliant: an untraced state machine between traced functions names both sides', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const front = fn(s, 'Front', lambda.Tracing.ACTIVE);
    const sm = new sfn.StateMachine(s, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Call', { lambdaFunction: fn(s, 'Step', lambda.Tracing.ACTIVE) })),
    });
    sm.grantStartExecution(front);
    const g = graphOf(app);
    expect(breaks(g)).toEqual(['UntracedHop Flow']);
    expect(g.findings[0].message).toBe('The state machine Flow records nothing (tracing off): traces from Front end here, and Step starts new ' +
      'traces after it. Set tracingEnabled: true (TracingConfiguration.Enabled).');
  });

  test('non-compliant: a PassThrough function behind a stream records nothing, nor does what it calls', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const q = new sqs.Queue(s, 'Q');
    const src = new kinesis.Stream(s, 'Stream');
    const relay = fn(s, 'Relay', lambda.Tracing.PASS_THROUGH);
    relay.addEventSource(new sources.KinesisEventSource(src, { startingPosition: lambda.StartingPosition.LATEST }));
    q.grantSendMessages(relay);
    fn(s, 'Worker', lambda.Tracing.ACTIVE).addEventSource(new sources.SqsEventSource(q));
    const g = graphOf(app);
    expect(breaks(g)).toEqual(['UntracedHop Relay']);
    expect(g.findings[0].message).toContain('never gets a sampled trace from its callers (Stream), so it records nothing and its calls carry an ' +
      'unsampled trace header: Worker records nothing for these requests either.');
  });
});

describe('HttpApiEntry', () => {
  test('compliant: an HTTP API with no integration in the app', () => {
    const app = cliApp();
    new apigwv2.HttpApi(new Stack(app, 'S'), 'Http');
    expect(breaks(graphOf(app))).toEqual([]);
  });

  test('non-compliant: an HTTP API integrating a traced function', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    new apigwv2.HttpApi(s, 'Http').addRoutes({ path: '/x', integration: new integrations.HttpLambdaIntegration('I', fn(s, 'Handler', lambda.Tracing.ACTIVE)) });
    const g = graphOf(app);
    expect(breaks(g)).toEqual(['HttpApiEntry Http']);
    expect(g.findings[0].message).toMatch(/^The HTTP or WebSocket API Http cannot be traced by X-Ray: traces start at Handler and miss the API's latency/);
  });
});

describe('EventSourceWithoutContext', () => {
  test('compliant: a pattern rule on a custom bus fed by a traced producer', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const bus = new events.EventBus(s, 'Bus');
    bus.grantPutEventsTo(fn(s, 'Producer', lambda.Tracing.ACTIVE));
    new events.Rule(s, 'OnOrder', { eventBus: bus, eventPattern: { source: ['shop'] }, targets: [new targets.LambdaFunction(fn(s, 'T', lambda.Tracing.ACTIVE))] });
    expect(breaks(graphOf(app))).toEqual([]);
  });

  test('compliant: AWS service events to an Active alerts topic (a notification fan-out, no work to trace)', () => {
    const app = cliApp();
    const s = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const alerts = new sns.Topic(s, 'Alerts');
    SnsTracing.enable(alerts);
    alerts.addSubscription(new subscriptions.EmailSubscription('ops@example.com'));
    new events.Rule(s, 'OnInsight', { eventPattern: { source: ['aws.xray'] }, targets: [new targets.SnsTopic(alerts)] });
    expect(breaks(graphOf(app))).toEqual([]);
  });

  test('non-compliant: a scheduled rule and an aws.s3 rule with traced targets', () => {
    const app = cliApp();
    const s = new Stack(app, 'S');
    new events.Rule(s, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new targets.LambdaFunction(fn(s, 'Job', lambda.Tracing.ACTIVE))] });
    new events.Rule(s, 'OnUpload', {
      eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] },
      targets: [new targets.LambdaFunction(fn(s, 'Ingest', lambda.Tracing.ACTIVE))],
    });
    const g = graphOf(app);
    expect(breaks(g)).toEqual(['EventSourceWithoutContext Nightly', 'EventSourceWithoutContext OnUpload']);
    expect(g.findings.find(f => f.nodeId.endsWith('OnUpload') || f.message.includes('OnUpload'))!.message)
      .toContain('(AWS service events (aws.s3): carry no trace context) starts a new trace at Ingest for every event; the request that caused');
  });
});

describe('PassThroughTopic', () => {
  function topicApp(active: boolean): Stack {
    const app = cliApp();
    const s = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const topic = new sns.Topic(s, 'Topic');
    if (active) {
      SnsTracing.enable(topic);
    }
    topic.grantPublish(fn(s, 'Publisher', lambda.Tracing.ACTIVE));
    topic.addSubscription(new subscriptions.LambdaSubscription(fn(s, 'Subscriber', lambda.Tracing.ACTIVE)));
    return s;
  }

  test('compliant: an Active topic; a PassThrough topic with no traced publisher', () => {
    expect(breaks(graphOf(topicApp(true).node.root as any))).toEqual([]);
    const app = cliApp();
    const s = new Stack(app, 'S');
    new sns.Topic(s, 'Alarms').addSubscription(new subscriptions.LambdaSubscription(fn(s, 'Pager', lambda.Tracing.ACTIVE)));
    expect(breaks(graphOf(app))).toEqual([]);
  });

  test('non-compliant: PassThrough between a traced publisher and a traced subscriber', () => {
    const g = graphOf(topicApp(false).node.root as any);
    expect(breaks(g)).toEqual(['PassThroughTopic Topic']);
    expect(g.findings[0].message).toMatch(/^The SNS topic Topic passes traces from Publisher to Subscriber in PassThrough/);
  });
});

describe('EcsServiceWithoutCollector', () => {
  function webApp(traced: boolean): Stack {
    const app = cliApp();
    const s = new Stack(app, 'S');
    const web = new ecsPatterns.ApplicationLoadBalancedFargateService(s, 'Web', {
      vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 }),
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') },
    });
    if (traced) {
      EcsTracing.enable(web.taskDefinition);
    }
    return s;
  }

  test('compliant: the service\'s task definition runs the ADOT collector', () => {
    const g = graphOf(webApp(true).node.root as any);
    expect(breaks(g)).toEqual([]);
    expect(g.nodes.find(n => n.type === 'AWS::ECS::Service')!.how).toBe('task definition TaskDef: ADOT collector sidecar');
  });

  test('non-compliant: a service behind an ALB without a collector names the load balancer path', () => {
    const g = graphOf(webApp(false).node.root as any);
    expect(breaks(g)).toEqual(['EcsServiceWithoutCollector Service']);
    expect(g.findings[0].message).toContain('runs task definition TaskDef with no trace collector or X-Ray daemon, so its containers have nowhere ' +
      'to send segments: the traces of requests that reach it through LB end there');
  });
});
