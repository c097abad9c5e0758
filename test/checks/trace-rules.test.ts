import { App, Duration, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { TracedFunction, XRayChecks } from '../../src';
import { zipFunctionProps } from '../util';

/** `ruleId path` of the trace findings (and the ECS task rule) XRayChecks reports on the whole app. */
function traceFindings(app: App): string[] {
  app.synth();
  return new XRayChecks(app).validateScope(app).violations
    .filter((v: any) => /XRay-Trace(?!Cost)|EcsTask/.test(v.ruleName))
    .flatMap((v: any) => v.violatingResources.map((r: any) => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

test('each trace break is reported on the resource to fix, with its construct path, in stacks of a stage too', () => {
  const app = new App();
  const s = new Stack(new Stage(app, 'Prod'), 'S');
  new apigwv2.HttpApi(s, 'Http').addRoutes({ path: '/x', integration: new integrations.HttpLambdaIntegration('I', new TracedFunction(s, 'Handler', zipFunctionProps())) });
  const relay = new lambda.Function(s, 'Relay', { ...zipFunctionProps(), tracing: lambda.Tracing.PASS_THROUGH });
  new events.Rule(s, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new targets.LambdaFunction(relay)] });
  const topic = new sns.Topic(s, 'Topic');
  topic.grantPublish(new TracedFunction(s, 'Publisher', zipFunctionProps()));
  topic.addSubscription(new subscriptions.LambdaSubscription(new TracedFunction(s, 'Subscriber', zipFunctionProps())));
  new ecsPatterns.ApplicationLoadBalancedFargateService(s, 'Web', {
    vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 }),
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') },
  });
  new ecs.FargateTaskDefinition(s, 'Batch').addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
  expect(traceFindings(app)).toEqual([
    'XRay-EcsTaskTraceCollector Prod/S/Batch/Resource',
    'XRay-TraceEcsServiceWithoutCollector Prod/S/Web/Service/Service',
    'XRay-TraceHttpApiEntry Prod/S/Http/Resource',
    'XRay-TracePassThroughTopic Prod/S/Topic/Resource',
    'XRay-TraceUntracedHop Prod/S/Relay/Resource',
  ]);
});

test('a break a per-resource rule already reports is left to that rule (a function with no mode: XRay-LambdaFunctionUntraced)', () => {
  const app = new App();
  const s = new Stack(app, 'S');
  const plain = new lambda.Function(s, 'Plain', zipFunctionProps());
  new events.Rule(s, 'OnUpload', { eventPattern: { source: ['aws.s3'] }, targets: [new targets.LambdaFunction(plain)] });
  app.synth();
  const ids = new XRayChecks(app).validateScope(app).violations.map((v: any) => v.ruleName);
  expect(ids).toContain('XRay-LambdaFunctionUntraced');
  expect(ids).not.toContain('XRay-TraceUntracedHop');
});

test('an acknowledgment with a reason silences a trace finding; severities', () => {
  const app = new App();
  const s = new Stack(app, 'S');
  const rule = new events.Rule(s, 'Nightly', {
    schedule: events.Schedule.rate(Duration.days(1)),
    targets: [new targets.LambdaFunction(new TracedFunction(s, 'Job', zipFunctionProps()))],
  });
  app.synth();
  const report = new XRayChecks(app).validateScope(app);
  expect(report.violations.map((v: any) => [v.ruleName, v.severity, v.violatingResources[0].constructPath]))
    .toEqual([['XRay-TraceEventSourceWithoutContext', 'warning', 'S/Nightly/Resource']]);
  Validations.of(rule).acknowledge({ id: 'XRay-TraceEventSourceWithoutContext', reason: 'Nightly cleanup: a new trace per run is expected.' });
  expect(traceFindings(app)).toEqual([]);
});

test('a nested stack is wired to its parent: a topic of the nested stack between functions of the parent', () => {
  const app = new App();
  const s = new Stack(app, 'S');
  const topic = new sns.Topic(new NestedStack(s, 'Inner'), 'Topic');
  topic.grantPublish(new TracedFunction(s, 'Publisher', zipFunctionProps()));
  topic.addSubscription(new subscriptions.LambdaSubscription(new TracedFunction(s, 'Subscriber', zipFunctionProps())));
  expect(traceFindings(app)).toEqual(['XRay-TracePassThroughTopic S/Inner/Topic/Resource']);
});
