import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { checkCase, countCases, IMAGE, templateText, ValidationCase } from './util';
import {
  AdotCollectorConfig, AdotCollectorOptions, ContainerInstrumentation, EcsTracing, TailSamplingPolicy, TraceCollector, XRayDaemonOptions,
} from '../../src';
import { newStack } from '../util';

type Factory = (options: AdotCollectorOptions & XRayDaemonOptions) => TraceCollector;

/** A Fargate task (cpu 256, memory 512, `props` on top) with one app container, traced by `collector`; the template text. */
function withCollector(collector: (s: Stack) => TraceCollector, props: ecs.FargateTaskDefinitionProps = {}): string {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512, ...props });
  task.addContainer('App', { containerName: 'app', image: IMAGE });
  EcsTracing.enable(task, { collector: collector(stack) });
  return templateText(stack);
}

const WINDOWS: ecs.FargateTaskDefinitionProps = {
  cpu: 1024,
  memoryLimitMiB: 2048,
  runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
};

/** The validated options both factories share, checked where the sidecar joins a task (the error names the task). */
function factoryCases(make: Factory, name: string): ValidationCase[] {
  return [
    ['cpu', 'bad', () => withCollector(() => make({ cpu: -1 })), { error: /^\[Stack\/Task\] collector.cpu must be a whole number of CPU units, 0 or more \(got -1\)/ }],
    ['cpu', 'boundary', () => withCollector(() => make({ cpu: 0 })), { output: new RegExp(`"Cpu":0,"Essential":false,.*"Name":"${name}"`) }],
    ['cpu', 'boundary', () => withCollector(() => make({ cpu: 256 })), { output: new RegExp(`"Cpu":256,"Essential":false,.*"Name":"${name}"`) }],
    ['cpu', 'boundary', () => withCollector(() => make({ cpu: 257 })), { error: /collector.cpu is more than the task's 256 CPU units \(got 257\)\. Give the task more cpu/ }],
    ['cpu', 'token', () => withCollector(s => make({ cpu: new CfnParameter(s, 'Cpu', { type: 'Number' }).valueAsNumber })), { output: /"Cpu":\{"Ref":"Cpu"\}/ }],
    ['memoryReservationMiB', 'bad', () => withCollector(() => make({ memoryReservationMiB: 2.5 })), { error: /collector.memoryReservationMiB must be a whole number of MiB, at least 6 \(got 2.5\)/ }],
    ['memoryReservationMiB', 'boundary', () => withCollector(() => make({ memoryReservationMiB: 6 })), { output: new RegExp(`"MemoryReservation":6,"Name":"${name}"`) }],
    ['memoryReservationMiB', 'boundary', () => withCollector(() => make({ memoryReservationMiB: 5 })), { error: /at least 6 \(got 5\)/ }],
    ['memoryReservationMiB', 'boundary', () => withCollector(() => make({ memoryReservationMiB: 513 })), { error: /collector.memoryReservationMiB is more than the task's 512 MiB \(got 513\)/ }],
    ['memoryReservationMiB', 'token', () => withCollector(s => make({ memoryReservationMiB: new CfnParameter(s, 'Mem', { type: 'Number' }).valueAsNumber })), { output: /"MemoryReservation":\{"Ref":"Mem"\}/ }],
    ['logGroup', 'bad', () => withCollector(s => make({ logGroup: new logs.LogGroup(s, 'G'), logRetention: logs.RetentionDays.ONE_WEEK })),
      { error: /collector.logRetention applies to the log group this library creates, but collector.logGroup is given \(got 7\)\. Set the retention on your log group/ }],
    ['logGroup', 'token', () => withCollector(s => make({ logGroup: logs.LogGroup.fromLogGroupName(s, 'G', new CfnParameter(s, 'Group').valueAsString) })), { output: /"awslogs-group":\{"Ref":"Group"\}/ }],
    ['logEncryptionKey', 'bad', () => withCollector(s => make({ logGroup: new logs.LogGroup(s, 'G'), logEncryptionKey: new kms.Key(s, 'K') })),
      { error: /collector.logEncryptionKey applies to the log group this library creates, but collector.logGroup is given \(got "Stack\/K"\)\. Pass one/ }],
    ['logEncryptionKey', 'token', () => withCollector(s => make({ logEncryptionKey: kms.Key.fromKeyArn(s, 'K', new CfnParameter(s, 'KeyArn').valueAsString) })),
      { output: /"KmsKeyId":\{"Ref":"KeyArn"\}/ }],
    ['image', 'bad', () => withCollector(() => make({}), WINDOWS), { error: /runtimePlatform.operatingSystemFamily is WINDOWS_SERVER_2019_CORE, but the pinned .* image is a Linux image/ }],
    ['image', 'token', () => withCollector(s => make({ image: ecs.ContainerImage.fromRegistry(new CfnParameter(s, 'Image').valueAsString) }), WINDOWS), { output: /"Image":\{"Ref":"Image"\}/ }],
  ];
}

const ADOT_CASES = factoryCases(o => TraceCollector.adot(o), 'otel-collector');
const DAEMON_CASES = factoryCases(o => TraceCollector.xrayDaemon(o), 'xray-daemon');

describe('TraceCollector.adot(): validation table', () => {
  test.each(ADOT_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated option', () => {
    expect(countCases(ADOT_CASES)).toEqual({ props: 5, bad: 5, boundary: 6, token: 5 });
  });
});

describe('TraceCollector.xrayDaemon(): validation table', () => {
  test.each(DAEMON_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated option', () => {
    expect(countCases(DAEMON_CASES)).toEqual({ props: 5, bad: 5, boundary: 6, token: 5 });
  });
});

/** ContainerInstrumentation has no value to check; what is validated is its combination with the collector. */
const INSTRUMENTATION_CASES: ValidationCase[] = [
  ['instrumentation', 'bad', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task, {
      instrumentation: ContainerInstrumentation.xraySdk(),
      collector: TraceCollector.adot({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) }),
    });
    return templateText(stack);
  }, { error: /\[Stack\/Task\] instrumentation cannot be an X-Ray SDK when the collector tail-samples \(got "ContainerInstrumentation.xraySdk\(\)"\)/ }],
  ['instrumentation', 'boundary', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task, { instrumentation: ContainerInstrumentation.xraySdk() });
    return templateText(stack);
  }, { output: /"Name":"AWS_XRAY_DAEMON_ADDRESS","Value":"127.0.0.1:2000".*\{"ContainerPort":2000,"Protocol":"udp"\}/ }],
];

describe('ContainerInstrumentation: validation table', () => {
  test.each(INSTRUMENTATION_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated combination', () => {
    expect(countCases(INSTRUMENTATION_CASES)).toEqual({ props: 1, bad: 1, boundary: 1, token: 0 });
  });
});

test('collectors and container instrumentations print as they are written in code', () => {
  expect([TraceCollector.adot(), TraceCollector.xrayDaemon()].map(String)).toEqual(['TraceCollector.adot()', 'TraceCollector.xrayDaemon()']);
  expect([TraceCollector.adot().containerName, TraceCollector.xrayDaemon().containerName]).toEqual(['otel-collector', 'xray-daemon']);
  expect([ContainerInstrumentation.openTelemetry(), ContainerInstrumentation.xraySdk(), ContainerInstrumentation.none()].map(String))
    .toEqual(['ContainerInstrumentation.openTelemetry()', 'ContainerInstrumentation.xraySdk()', 'ContainerInstrumentation.none()']);
});
