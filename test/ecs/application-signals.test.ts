import { App, AspectPriority, Aspects, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkCase, containers, countCases, env, IMAGE, templateText, ValidationCase } from './util';
import {
  AdotCollectorConfig, ApplicationSignalsOptions, ContainerInstrumentation, EcsTracing, EnableTracingAspect, TraceCollector,
  TracedFargateTaskDefinition,
} from '../../src';
import { CLOUDWATCH_AGENT_IMAGE } from '../../src/private/pinned';
import { errorOf, newStack, resourcesOfType } from '../util';

const AGENT_CONFIG = '{"traces":{"traces_collected":{"application_signals":{}}},"logs":{"metrics_collected":{"application_signals":{}}}}';

/** A Fargate task with two app containers (the second added after enable), traced with Application Signals. */
function tracedTask(stack: Stack = newStack()) {
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  task.addContainer('Api', { containerName: 'api', image: IMAGE, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }) });
  EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() });
  // Every app container, not only the default one, and also those added after enable.
  task.addContainer('Worker', { containerName: 'worker', image: IMAGE, essential: false });
  return { stack, task };
}

/** The app environment AWS documents for the sidecar strategy, for one service name. */
function appEnvironment(serviceName: string): Record<string, unknown> {
  return {
    OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true',
    OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT: 'http://localhost:4316/v1/metrics',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4316/v1/traces',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_AWS_SERVICE_EVENTS_ENABLED: 'false',
    OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
    OTEL_SERVICE_NAME: serviceName,
    OTEL_TRACES_SAMPLER: 'xray',
    OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://localhost:2000,polling_interval=300',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  };
}

describe('TraceCollector.applicationSignals(): the CloudWatch agent sidecar', () => {
  test('the sidecar: pinned image, the Application Signals configuration in CW_CONFIG_CONTENT, not essential, its own logs', () => {
    const { stack } = tracedTask();
    const agent = containers(stack)['cloudwatch-agent'];
    expect(agent).toEqual({
      Name: 'cloudwatch-agent',
      Image: CLOUDWATCH_AGENT_IMAGE,
      Cpu: 64,
      MemoryReservation: 128,
      Essential: false,
      RestartPolicy: { Enabled: true, RestartAttemptPeriod: 60 },
      Environment: [{ Name: 'CW_CONFIG_CONTENT', Value: AGENT_CONFIG }],
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: { 'awslogs-group': { Ref: expect.stringMatching(/^TaskTraceCollectorLogs/) }, 'awslogs-stream-prefix': 'cloudwatch-agent', 'awslogs-region': { Ref: 'AWS::Region' } },
      },
    });
    expect(JSON.parse(env(agent).CW_CONFIG_CONTENT as string)).toEqual({
      traces: { traces_collected: { application_signals: {} } },
      logs: { metrics_collected: { application_signals: {} } },
    });
    expect(CLOUDWATCH_AGENT_IMAGE).not.toMatch(/:latest$/);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    // No SSM parameter, no collector configuration: the agent's configuration is fixed.
    expect(resourcesOfType(stack, 'AWS::SSM::Parameter')).toEqual([]);
  });

  test('every OpenTelemetry app container gets the ADOT SDK environment AWS documents and starts after the agent', () => {
    const { stack } = tracedTask();
    const defs = containers(stack);
    expect(Object.keys(defs).sort()).toEqual(['api', 'cloudwatch-agent', 'worker']);
    expect(env(defs.api)).toEqual({
      ...appEnvironment('api'),
      OTEL_RESOURCE_ATTRIBUTES: { 'Fn::Join': ['', ['aws.log.group.names=', { Ref: expect.stringMatching(/^TaskApiLogGroup/) }]] },
    });
    expect(env(defs.worker)).toEqual(appEnvironment('worker'));
    for (const name of ['api', 'worker']) {
      expect(defs[name].DependsOn).toEqual([{ ContainerName: 'cloudwatch-agent', Condition: 'START' }]);
      expect(defs[name].Links).toBeUndefined();
    }
  });

  test('ecs-patterns: the default container and a container added to the same task are both wired (not only the default one)', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const service = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Service', {
      vpc, cpu: 512, memoryLimitMiB: 1024, taskImageOptions: { image: IMAGE, containerName: 'web', containerPort: 80 },
    });
    service.taskDefinition.addContainer('Side', { containerName: 'side', image: IMAGE, essential: false });
    EcsTracing.enable(service.taskDefinition, { collector: TraceCollector.applicationSignals(), resourceAttributes: { 'deployment.environment.name': 'prod' } });
    const defs = containers(stack);
    expect(env(defs.web).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
    expect(env(defs.side).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
    expect(env(defs.side).OTEL_RESOURCE_ATTRIBUTES).toBe('deployment.environment.name=prod');
    expect(defs.side.DependsOn).toEqual([{ ContainerName: 'cloudwatch-agent', Condition: 'START' }]);
  });

  test('per-container options: service name, and a helper container left alone', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.applicationSignals() });
    task.addTracedContainer('Api', { containerName: 'api', image: IMAGE, serviceName: 'orders' });
    task.addTracedContainer('Proxy', { containerName: 'proxy', image: IMAGE, essential: false, instrumentation: ContainerInstrumentation.none() });
    const defs = containers(stack);
    expect(env(defs.api).OTEL_SERVICE_NAME).toBe('orders');
    expect(defs.proxy.Environment).toBeUndefined();
    expect(defs.proxy.DependsOn).toBeUndefined();
  });

  test('IAM: X-Ray writes and sampling reads, and the Application Signals log group, on the task role, nothing else', () => {
    const { stack, task } = tracedTask(new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } }));
    const template = Template.fromStack(stack).toJSON();
    const policies = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy');
    const taskRoleId = stack.getLogicalId(task.taskRole.node.defaultChild as iam.CfnRole);
    expect(policies.map(p => ({ statements: p.Properties.PolicyDocument.Statement, roles: p.Properties.Roles }))).toEqual([
      { statements: [{ Sid: 'XRayWrite', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }], roles: [{ Ref: taskRoleId }] },
      { statements: [{ Sid: 'XRaySamplingRead', Effect: 'Allow', Action: ['xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*' }], roles: [{ Ref: taskRoleId }] },
      {
        statements: [{
          Sid: 'ApplicationSignalsMetrics',
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws/application-signals/data']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws/application-signals/data:*']] },
          ],
        }],
        roles: [{ Ref: taskRoleId }],
      },
    ]);
    // No AWS managed policy (CloudWatchAgentServerPolicy) and no inline statement on the task role.
    const role = template.Resources[taskRoleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::Policy'
      && JSON.stringify(r.Properties.Roles).includes(taskRoleId))).toEqual([]);
  });

  test('cdk-nag AwsSolutions: only ECS2 (environment variables), which the app acknowledges; IAM5 is acknowledged on the library\'s policies', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Api', { image: IMAGE, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }) });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() });
    Template.fromStack(stack);
    const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
    const findings = report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((c: any) => `${v.ruleName} ${c.constructPath}`));
    expect(findings).toEqual(['AwsSolutions-ECS2 Stack/Task/Resource']);
  });

  test('the tracing metadata records the collector', () => {
    const { stack } = tracedTask();
    const [, task] = resourcesOfType(stack, 'AWS::ECS::TaskDefinition')[0];
    expect(task.Metadata['cdk-xray-constructs:tracing']).toEqual({ collector: 'applicationSignals' });
  });

  test('the same options again change nothing; another collector is refused, naming it', () => {
    const { task } = tracedTask();
    expect(() => EcsTracing.enable(task, { collector: TraceCollector.applicationSignals({ cpu: 64 }) })).not.toThrow();
    expect(errorOf(() => EcsTracing.enable(task, { collector: TraceCollector.adot() })))
      .toMatch(/^\[Stack\/Task\] collector differs from the options this task definition is already traced with \(which had "TraceCollector.applicationSignals\(\)"\) \(got "TraceCollector.adot\(\)"\)/);
  });
});

describe('TraceCollector.applicationSignals(): refusals', () => {
  test('a network mode other than awsvpc, with the fix', () => {
    for (const mode of [ecs.NetworkMode.BRIDGE, ecs.NetworkMode.HOST]) {
      const stack = newStack();
      const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: mode });
      task.addContainer('App', { image: IMAGE, memoryLimitMiB: 256 });
      expect(errorOf(() => EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() }))).toBe(
        `[Stack/Task] networkMode is ${mode}, but AWS supports CloudWatch Application Signals with the CloudWatch agent as a sidecar in awsvpc mode only ` +
        `(got "${mode}"). Use the awsvpc network mode (Fargate always does), or trace the task with TraceCollector.adot(), which also runs in bridge and host mode.`);
    }
  });

  test('an app container that maps a port the agent listens on', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE, portMappings: [{ containerPort: 4316 }] });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() });
    expect(errorOf(() => Template.fromStack(stack))).toContain('[Stack/Task/App] portMappings map 4316/tcp, which container cloudwatch-agent of the task ' +
      'already listens on (got 4316). In awsvpc mode the containers of a task share one network namespace; move one of them to another port ' +
      '(the tracing sidecar needs 4315, 4316 and 2000).');
  });

  test('EC2 in awsvpc mode is accepted', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() });
    expect(env(containers(stack).app).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
  });

  test('EnableTracingAspect skips a bridge-mode task instead of failing the app', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    Aspects.of(stack).add(new EnableTracingAspect({ ecs: { enabled: true, tracing: { collector: TraceCollector.applicationSignals() } } }),
      { priority: AspectPriority.MUTATING });
    expect(Object.keys(containers(stack))).toEqual(['app']);
  });

  test('X-Ray SDK containers: for the task and for one container, saying what to use', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    const options = { collector: TraceCollector.applicationSignals(), instrumentation: ContainerInstrumentation.xraySdk() };
    expect(errorOf(() => EcsTracing.enable(task, options))).toBe(
      '[Stack/Task] instrumentation cannot be an X-Ray SDK with TraceCollector.applicationSignals() (got "ContainerInstrumentation.xraySdk()"). ' +
      'Application Signals takes spans and metrics from the AWS Distro for OpenTelemetry SDKs only (the CloudWatch agent receives no X-Ray SDK segments ' +
      'there): instrument the container with ContainerInstrumentation.openTelemetry() and an ADOT SDK, or trace the task with TraceCollector.adot(), ' +
      'whose collector also takes X-Ray SDK segments.');

    const other = new TracedFargateTaskDefinition(stack, 'Other', { collector: TraceCollector.applicationSignals() });
    expect(errorOf(() => other.addTracedContainer('Legacy', { containerName: 'legacy', image: IMAGE, instrumentation: ContainerInstrumentation.xraySdk() })))
      .toMatch(/^\[Stack\/Other\/Legacy\] instrumentation cannot be an X-Ray SDK with TraceCollector\.applicationSignals\(\) \(got "ContainerInstrumentation\.xraySdk\(\)"\)\. Application Signals takes/);
  });

  test('collector configuration (given untyped) is refused: the agent runs AWS\'s configuration', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    const options = { config: new AdotCollectorConfig() } as any;
    expect(errorOf(() => EcsTracing.enable(task, { collector: TraceCollector.applicationSignals(options) })))
      .toMatch(/^\[Stack\/Task\] collector.config applies to the ADOT collector, but TraceCollector.applicationSignals\(\) runs the CloudWatch agent with AWS's Application Signals configuration \(got .*\)\. Remove config, or trace the task with TraceCollector.adot\(\{ config \}\)/);
  });

  test('the pinned Linux image on a Windows task', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    task.addContainer('App', { image: IMAGE });
    expect(errorOf(() => EcsTracing.enable(task, { collector: TraceCollector.applicationSignals() })))
      .toMatch(/runtimePlatform.operatingSystemFamily is WINDOWS_SERVER_2022_CORE, but the pinned CloudWatch agent image is a Linux image/);
  });
});

/** A Fargate task (cpu 256, memory 512, `props` on top) with one app container, traced with Application Signals. */
function withAgent(options: (s: Stack) => ApplicationSignalsOptions, props: ecs.FargateTaskDefinitionProps = {}): string {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512, ...props });
  task.addContainer('App', { containerName: 'app', image: IMAGE });
  EcsTracing.enable(task, { collector: TraceCollector.applicationSignals(options(stack)) });
  return templateText(stack);
}

const CASES: ValidationCase[] = [
  ['cpu', 'bad', () => withAgent(() => ({ cpu: -1 })), { error: /^\[Stack\/Task\] collector.cpu must be a whole number of CPU units, 0 or more \(got -1\)/ }],
  ['cpu', 'boundary', () => withAgent(() => ({ cpu: 0 })), { output: /"Cpu":0,"Environment":\[\{"Name":"CW_CONFIG_CONTENT"/ }],
  ['cpu', 'boundary', () => withAgent(() => ({ cpu: 257 })), { error: /collector.cpu is more than the task's 256 CPU units \(got 257\)/ }],
  ['cpu', 'token', () => withAgent(s => ({ cpu: new CfnParameter(s, 'Cpu', { type: 'Number' }).valueAsNumber })), { output: /"Cpu":\{"Ref":"Cpu"\},"Environment":\[\{"Name":"CW_CONFIG_CONTENT"/ }],
  ['memoryReservationMiB', 'bad', () => withAgent(() => ({ memoryReservationMiB: 5 })), { error: /collector.memoryReservationMiB must be a whole number of MiB, at least 6 \(got 5\)/ }],
  ['memoryReservationMiB', 'boundary', () => withAgent(() => ({ memoryReservationMiB: 6 })), { output: /"MemoryReservation":6,"Name":"cloudwatch-agent"/ }],
  ['memoryReservationMiB', 'boundary', () => withAgent(() => ({ memoryReservationMiB: 513 })), { error: /collector.memoryReservationMiB is more than the task's 512 MiB \(got 513\)/ }],
  ['memoryReservationMiB', 'token', () => withAgent(s => ({ memoryReservationMiB: new CfnParameter(s, 'Mem', { type: 'Number' }).valueAsNumber })), { output: /"MemoryReservation":\{"Ref":"Mem"\},"Name":"cloudwatch-agent"/ }],
  ['logRetention', 'bad', () => withAgent(s => ({ logGroup: new logs.LogGroup(s, 'G'), logRetention: logs.RetentionDays.ONE_WEEK })),
    { error: /collector.logRetention applies to the log group this library creates, but collector.logGroup is given \(got 7\)/ }],
  ['logRetention', 'boundary', () => withAgent(() => ({ logRetention: logs.RetentionDays.ONE_DAY })), { output: /"RetentionInDays":1\b/ }],
  ['logGroup', 'token', () => withAgent(s => ({ logGroup: logs.LogGroup.fromLogGroupName(s, 'G', new CfnParameter(s, 'Group').valueAsString) })), { output: /"awslogs-group":\{"Ref":"Group"\},"awslogs-stream-prefix":"cloudwatch-agent"/ }],
  ['logEncryptionKey', 'bad', () => withAgent(s => ({ logGroup: new logs.LogGroup(s, 'G'), logEncryptionKey: new kms.Key(s, 'K') })),
    { error: /collector.logEncryptionKey applies to the log group this library creates, but collector.logGroup is given/ }],
  ['logEncryptionKey', 'token', () => withAgent(s => ({ logEncryptionKey: kms.Key.fromKeyArn(s, 'K', new CfnParameter(s, 'KeyArn').valueAsString) })), { output: /"KmsKeyId":\{"Ref":"KeyArn"\}/ }],
  ['image', 'token', () => withAgent(s => ({ image: ecs.ContainerImage.fromRegistry(new CfnParameter(s, 'Image').valueAsString) })), { output: /"Image":\{"Ref":"Image"\}/ }],
];

describe('TraceCollector.applicationSignals(): validation table', () => {
  test.each(CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated option', () => {
    expect(countCases(CASES)).toEqual({ props: 6, bad: 4, boundary: 5, token: 5 });
  });
  test('an overriding image replaces the pinned one', () => {
    expect(withAgent(() => ({ image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/cw-agent:1.300071.0') })))
      .toMatch(/"Image":"123456789012.dkr.ecr.eu-west-1.amazonaws.com\/cw-agent:1.300071.0"/);
  });
});

