import { App, AspectPriority, Aspects, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkCase, containers, countCases, env, flattenValue, IMAGE, templateText, ValidationCase } from './util';
import {
  AdotCollectorConfig, ContainerInstrumentation, EcsTracing, EnableTracingAspect, TailSamplingPolicy, TraceCollector, TracedFargateTaskDefinition,
} from '../../src';
import { errorOf, newStack, resourcesOfType } from '../util';

/** A Fargate task with two app containers (the second added after enable), its traces exported straight to X-Ray. */
function tracedTask(stack: Stack = newStack(), ratio?: number) {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('Api', { containerName: 'api', image: IMAGE });
  EcsTracing.enable(task, { collector: TraceCollector.directToXRay(ratio === undefined ? {} : { samplingRatio: ratio }) });
  task.addContainer('Worker', { containerName: 'worker', image: IMAGE, essential: false });
  return { stack, task };
}

const REGION_ENDPOINT = { 'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.amazonaws.com/v1/traces']] };

function appEnvironment(serviceName: string, endpoint: unknown, ratio: unknown): Record<string, unknown> {
  return {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
    OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
    OTEL_SERVICE_NAME: serviceName,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  };
}

describe('TraceCollector.directToXRay(): no sidecar', () => {
  test('no sidecar, no collector configuration, no sidecar log group: the task has only its app containers', () => {
    const { stack } = tracedTask();
    expect(Object.keys(containers(stack)).sort()).toEqual(['api', 'worker']);
    expect(resourcesOfType(stack, 'AWS::SSM::Parameter')).toEqual([]);
    expect(resourcesOfType(stack, 'AWS::Logs::LogGroup')).toEqual([]);
  });

  test('every app container exports to the Region\'s X-Ray OTLP endpoint (Fn::Join with AWS::Region), head-sampled, with no dependency', () => {
    const { stack } = tracedTask();
    const defs = containers(stack);
    for (const name of ['api', 'worker']) {
      expect(env(defs[name])).toEqual(appEnvironment(name, REGION_ENDPOINT, '0.05'));
      expect(defs[name].DependsOn).toBeUndefined();
      expect(defs[name].Links).toBeUndefined();
    }
    expect(flattenValue(env(defs.api).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, { 'AWS::Region': 'eu-west-1' })).toBe('https://xray.eu-west-1.amazonaws.com/v1/traces');
  });

  test('a stack with a known Region gets the literal endpoint', () => {
    const { stack } = tracedTask(newStack('ap-southeast-2'), 0.25);
    expect(env(containers(stack).api)).toEqual(appEnvironment('api', 'https://xray.ap-southeast-2.amazonaws.com/v1/traces', '0.25'));
  });

  test('EC2 in bridge mode: no link, nothing to reach but the endpoint', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task, { collector: TraceCollector.directToXRay() });
    const app = containers(stack).app;
    expect(app.Links).toBeUndefined();
    expect(env(app).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toEqual(REGION_ENDPOINT);
  });

  test('IAM: exactly the OTLP span uploads on the task role, no sampling reads, no PutTelemetryRecords', () => {
    const { stack, task } = tracedTask();
    const template = Template.fromStack(stack).toJSON();
    const taskRoleId = stack.getLogicalId(task.taskRole.node.defaultChild as iam.CfnRole);
    const policies = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy');
    const onTaskRole = policies.filter(p => JSON.stringify(p.Properties.Roles ?? []).includes(taskRoleId));
    expect(onTaskRole.map(p => p.Properties.PolicyDocument.Statement)).toEqual([
      [{ Sid: 'XRayOtlpSpanWrites', Effect: 'Allow', Action: ['xray:PutSpans', 'xray:PutSpansForIndexing', 'xray:PutTraceSegments'], Resource: '*' }],
    ]);
    expect(template.Resources[taskRoleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('cdk-nag AwsSolutions: only ECS2 (environment variables); IAM5 is acknowledged on the library\'s policy', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Api', { image: IMAGE, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logGroup: new logs.LogGroup(stack, 'Logs') }) });
    EcsTracing.enable(task, { collector: TraceCollector.directToXRay() });
    Template.fromStack(stack);
    const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
    const findings = report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((c: any) => `${v.ruleName} ${c.constructPath}`));
    expect(findings).toEqual(['AwsSolutions-ECS2 Stack/Task/Resource']);
  });

  test('the tracing metadata records the collector; containerName is empty', () => {
    const { stack } = tracedTask();
    expect(resourcesOfType(stack, 'AWS::ECS::TaskDefinition')[0][1].Metadata['cdk-xray-constructs:tracing']).toEqual({ collector: 'direct' });
    expect(TraceCollector.directToXRay().containerName).toBe('');
    expect(TraceCollector.directToXRay().toString()).toBe('TraceCollector.directToXRay()');
  });

  test('the same options again change nothing; another ratio is refused, naming the difference', () => {
    const { task } = tracedTask(newStack(), 0.1);
    expect(() => EcsTracing.enable(task, { collector: TraceCollector.directToXRay({ samplingRatio: 0.1 }) })).not.toThrow();
    expect(errorOf(() => EcsTracing.enable(task, { collector: TraceCollector.directToXRay() })))
      .toMatch(/^\[Stack\/Task\] collector.samplingRatio differs from the options this task definition is already traced with \(which had 0.1\) \(got 0.05\)/);
  });

  test('a .NET container\'s own OTEL_TRACES_EXPORTER=none and OTEL_AWS_SIG_V4_ENABLED=true stay beside the endpoint', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.directToXRay() });
    task.addTracedContainer('Net', { containerName: 'net', image: IMAGE, environment: { OTEL_TRACES_EXPORTER: 'none', OTEL_AWS_SIG_V4_ENABLED: 'true' } });
    expect(env(containers(stack).net)).toMatchObject({ OTEL_TRACES_EXPORTER: 'none', OTEL_AWS_SIG_V4_ENABLED: 'true', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: REGION_ENDPOINT });
  });
});

describe('TraceCollector.directToXRay(): refusals', () => {
  function task(stack = newStack()) {
    const t = new ecs.FargateTaskDefinition(stack, 'Task');
    t.addContainer('App', { image: IMAGE });
    return t;
  }

  test('X-Ray SDK containers: for the task and for one container, saying what to use', () => {
    const options = { collector: TraceCollector.directToXRay(), instrumentation: ContainerInstrumentation.xraySdk() };
    expect(errorOf(() => EcsTracing.enable(task(), options))).toBe(
      '[Stack/Task] instrumentation cannot be an X-Ray SDK with TraceCollector.directToXRay() (got "ContainerInstrumentation.xraySdk()"). ' +
      'An X-Ray SDK sends segments over UDP to a daemon, and directToXRay() adds none: instrument the container with ' +
      'ContainerInstrumentation.openTelemetry() and an ADOT SDK, or trace the task with TraceCollector.adot() or TraceCollector.xrayDaemon().');
    const t = task();
    EcsTracing.enable(t, { collector: TraceCollector.directToXRay() });
    expect(errorOf(() => EcsTracing.configureContainer(t.defaultContainer!, { instrumentation: ContainerInstrumentation.xraySdk() })))
      .toMatch(/^\[Stack\/Task\/App\] instrumentation cannot be an X-Ray SDK with TraceCollector\.directToXRay\(\)/);
  });

  test('options that only make sense with a sidecar (given untyped), all at once', () => {
    const options = {
      config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }),
      cpu: 128,
      memoryReservationMiB: 256,
      logRetention: logs.RetentionDays.ONE_WEEK,
      samplingRatio: 0.5,
    } as any;
    const message = errorOf(() => EcsTracing.enable(task(), { collector: TraceCollector.directToXRay(options) }));
    expect(message).toMatch(/^4 problems:/);
    expect(message).toContain('[Stack/Task] collector.config applies to the ADOT collector (its configuration, tail sampling, indexed attributes), but ' +
      'TraceCollector.directToXRay() adds none: the SDKs export straight to X-Ray (got ');
    expect(message).toContain('Remove config, or trace the task with TraceCollector.adot({ config }) if it needs a sidecar (tail sampling needs the collector).');
    expect(message).toContain('[Stack/Task] collector.cpu applies to a tracing sidecar, but TraceCollector.directToXRay() adds none: the SDKs export straight to X-Ray (got 128). ' +
      'Remove cpu, or trace the task with TraceCollector.adot() if it needs a sidecar.');
    expect(message).toContain('collector.memoryReservationMiB applies to a tracing sidecar');
    expect(message).toContain('collector.logRetention applies to a tracing sidecar');
  });

  test('a log group of the sidecar (given untyped)', () => {
    const stack = newStack();
    const options = { logGroup: new logs.LogGroup(stack, 'G') } as any;
    expect(errorOf(() => EcsTracing.enable(task(stack), { collector: TraceCollector.directToXRay(options) })))
      .toMatch(/^\[Stack\/Task\] collector.logGroup applies to a tracing sidecar, but TraceCollector.directToXRay\(\) adds none/);
  });

  test('a China Region: the ADOT SDKs would not sign its endpoint', () => {
    expect(errorOf(() => EcsTracing.enable(task(newStack('cn-north-1')), { collector: TraceCollector.directToXRay() }))).toBe(
      '[Stack/Task] collector is TraceCollector.directToXRay(), but the stack\'s Region cn-north-1 is in the China partition, where the X-Ray endpoints ' +
      'end in amazonaws.com.cn and the ADOT SDKs sign only https://xray.<region>.amazonaws.com/v1/traces (got "cn-north-1"). ' +
      'Trace the task with TraceCollector.adot() there (its collector signs the X-Ray API calls itself).');
  });

  test('no network', () => {
    const stack = newStack();
    const t = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NONE });
    t.addContainer('App', { image: IMAGE, memoryLimitMiB: 256 });
    expect(errorOf(() => EcsTracing.enable(t, { collector: TraceCollector.directToXRay() })))
      .toBe('[Stack/Task] networkMode is NONE, so no container can reach the X-Ray OTLP endpoint (got "none"). Use awsvpc, bridge or host.');
  });

  test('EnableTracingAspect skips a task with no network', () => {
    const stack = newStack();
    const t = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NONE });
    t.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    const aspect = new EnableTracingAspect({ ecs: { enabled: true, tracing: { collector: TraceCollector.directToXRay() } } });
    Aspects.of(stack).add(aspect, { priority: AspectPriority.MUTATING });
    expect(containers(stack).app.Environment).toBeUndefined();
  });

  test('a Windows task is accepted: there is no sidecar image', () => {
    const stack = newStack();
    const t = new ecs.FargateTaskDefinition(stack, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    t.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(t, { collector: TraceCollector.directToXRay() });
    expect(env(containers(stack).app).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toEqual(REGION_ENDPOINT);
  });
});

/** A task traced straight to X-Ray with `samplingRatio`; the template text. */
function withRatio(ratio: (s: Stack) => number, region?: string): string {
  const stack = newStack(region);
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('App', { containerName: 'app', image: IMAGE });
  EcsTracing.enable(task, { collector: TraceCollector.directToXRay({ samplingRatio: ratio(stack) }) });
  return templateText(stack);
}

const RATIO_ERROR = /^\[Stack\/Task\] collector.samplingRatio must be a number from 0 to 1 \(got (-0\.01|1\.01|"0\.5")\)\. It is the fraction of new traces the SDKs record: 0\.05 records 5 %, 1 records every trace\.$/;

const CASES: ValidationCase[] = [
  ['samplingRatio', 'bad', () => withRatio(() => -0.01), { error: RATIO_ERROR }],
  ['samplingRatio', 'bad', () => withRatio(() => 1.01), { error: RATIO_ERROR }],
  ['samplingRatio', 'bad', () => withRatio(() => NaN), { error: /collector.samplingRatio must be a number from 0 to 1 \(got NaN\)/ }],
  ['samplingRatio', 'bad', () => withRatio(() => '0.5' as any), { error: RATIO_ERROR }],
  ['samplingRatio', 'boundary', () => withRatio(() => 0), { output: /"Name":"OTEL_TRACES_SAMPLER_ARG","Value":"0"/ }],
  ['samplingRatio', 'boundary', () => withRatio(() => 1), { output: /"Name":"OTEL_TRACES_SAMPLER_ARG","Value":"1"/ }],
  ['samplingRatio', 'token', () => withRatio(s => new CfnParameter(s, 'Ratio', { type: 'Number' }).valueAsNumber), { output: /"Name":"OTEL_TRACES_SAMPLER_ARG","Value":\{"Ref":"Ratio"\}/ }],
];

describe('TraceCollector.directToXRay(): validation table', () => {
  test.each(CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated option', () => {
    expect(countCases(CASES)).toEqual({ props: 1, bad: 4, boundary: 2, token: 1 });
  });
});
