import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkCase, containers, countCases, env, IMAGE, templateText, ValidationCase } from './util';
import { ContainerInstrumentation, EcsTracing, TraceCollector, TracedFargateTaskDefinition, TracedFargateTaskDefinitionProps } from '../../src';
import { newStack, warningsMatching } from '../util';

describe('TracedFargateTaskDefinition with the ADOT collector (default)', () => {
  const stack = newStack();
  const task = new TracedFargateTaskDefinition(stack, 'Task', { cpu: 1024, memoryLimitMiB: 2048, annotationKeys: ['tenant_tier'] });
  task.addContainer('App', {
    containerName: 'app',
    image: IMAGE,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
  });
  const defs = containers(stack);

  test('the collector sidecar: pinned image, config from SSM as AOT_CONFIG_CONTENT, /healthcheck, logs, restart policy', () => {
    expect(defs['otel-collector']).toMatchObject({
      Image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
      Essential: false,
      Cpu: 128,
      MemoryReservation: 256,
      HealthCheck: { Command: ['CMD', '/healthcheck'], Interval: 10, Timeout: 5, Retries: 3, StartPeriod: 10 },
      RestartPolicy: { Enabled: true, RestartAttemptPeriod: 60 },
      LogConfiguration: { LogDriver: 'awslogs' },
      Secrets: [{ Name: 'AOT_CONFIG_CONTENT', ValueFrom: expect.anything() }],
      PortMappings: [
        { ContainerPort: 4317, Protocol: 'tcp' }, { ContainerPort: 4318, Protocol: 'tcp' }, { ContainerPort: 2000, Protocol: 'tcp' },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('the app container gets the OpenTelemetry variables and waits for a healthy collector', () => {
    expect(env(defs.app)).toEqual({
      XRAY_ANNOTATION_KEYS: 'tenant_tier',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
      OTEL_SERVICE_NAME: 'app',
      OTEL_RESOURCE_ATTRIBUTES: { 'Fn::Join': ['', ['aws.log.group.names=', { Ref: expect.stringMatching(/^TaskAppLogGroup/) }]] },
      OTEL_TRACES_SAMPLER: 'xray',
      OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://localhost:2000,polling_interval=300',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(defs.app.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'HEALTHY' }]);
  });

  test('IAM: the task role gets the stack X-Ray policy and the sampling reads; the execution role reads only the config parameter', () => {
    const template = Template.fromStack(stack);
    const taskRole = Object.entries<any>(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('TaskTaskRole'))![0];
    const managed = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(managed).toHaveLength(2);
    for (const policy of managed) {
      expect(policy.Properties.Roles).toEqual([{ Ref: taskRole }]);
    }
    const execution = Object.entries<any>(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('TaskExecutionRoleDefaultPolicy'))![1];
    const ssmStatements = execution.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssmStatements).toHaveLength(1);
    expect(JSON.stringify(ssmStatements[0].Resource)).toContain('TaskTraceCollectorConfig');
    expect(JSON.stringify(ssmStatements[0].Resource)).not.toContain('*');
  });

  test('containers added later are instrumented too', () => {
    expect(env(defs.app).OTEL_SERVICE_NAME).toBe('app');
  });
});

describe('TracedFargateTaskDefinition options', () => {
  test('addTracedContainer: service name, extra annotation keys, X-Ray SDK through the collector\'s X-Ray receiver', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { annotationKeys: ['tenant_tier'] });
    task.addTracedContainer('Legacy', {
      containerName: 'legacy', image: IMAGE, instrumentation: ContainerInstrumentation.xraySdk(), serviceName: 'billing', annotationKeys: ['invoice_kind'],
    });
    task.addTracedContainer('Proxy', { containerName: 'proxy', image: IMAGE, instrumentation: ContainerInstrumentation.none() });
    const defs = containers(stack);
    expect(env(defs.legacy)).toEqual({
      XRAY_ANNOTATION_KEYS: 'tenant_tier,invoice_kind', AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000', AWS_XRAY_TRACING_NAME: 'billing',
    });
    expect(defs.proxy.Environment).toBeUndefined();
    expect(defs.proxy.DependsOn).toBeUndefined();
    expect(defs['otel-collector'].PortMappings).toContainEqual({ ContainerPort: 2000, Protocol: 'udp' });
  });

  test('the X-Ray daemon: pinned image, UDP and TCP 2000, no health check, local mode on Fargate, START dependency, end-of-support warning', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.xrayDaemon() });
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    const defs = containers(stack);
    expect(defs['xray-daemon']).toMatchObject({
      Image: 'public.ecr.aws/xray/aws-xray-daemon:3.6.6',
      Cpu: 32,
      MemoryReservation: 256,
      Essential: false,
      Command: ['-b', '127.0.0.1:2000', '-t', '127.0.0.1:2000', '--region', { Ref: 'AWS::Region' }, '--local-mode'],
      PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }, { ContainerPort: 2000, Protocol: 'tcp' }],
    });
    expect(defs['xray-daemon'].HealthCheck).toBeUndefined();
    expect(env(defs.app)).toEqual({ AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000', AWS_XRAY_TRACING_NAME: 'app' });
    expect(defs.app.DependsOn).toEqual([{ ContainerName: 'xray-daemon', Condition: 'START' }]);
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Parameter', 0);
    const warnings = warningsMatching(stack, '2027-02-25');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TraceCollector.adot\(\)/);
  });

  test('sidecar overrides: image, CPU, memory, log retention', () => {
    const stack = newStack();
    new TracedFargateTaskDefinition(stack, 'Task', {
      collector: TraceCollector.adot({ image: ecs.ContainerImage.fromRegistry('example.com/collector:1.2.3'), cpu: 64, memoryReservationMiB: 128, logRetention: 7 }),
    }).addContainer('App', { containerName: 'app', image: IMAGE });
    expect(containers(stack)['otel-collector']).toMatchObject({ Image: 'example.com/collector:1.2.3', Cpu: 64, MemoryReservation: 128 });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test.each([
    [{ cpu: 300 }, /\[Stack\/Task\] cpu is not a Fargate size \(256, 512, 1024, 2048, 4096, 8192, 16384\) \(got 300\)/],
    [{ cpu: 256, memoryLimitMiB: 4096 }, /memoryLimitMiB is not allowed with 256 CPU units on Fargate \(got 4096\)\. Use 512, 1024, 2048 MiB\./],
    [{ cpu: 1024, memoryLimitMiB: 1024 }, /memoryLimitMiB is not allowed with 1024 CPU units on Fargate \(got 1024\)\. Use 2048 to 8192 in steps of 1024 MiB\./],
    [{ cpu: 8192, memoryLimitMiB: 18432 }, /Use 16384 to 61440 in steps of 4096 MiB/],
  ])('unknown Fargate size %p is refused with the allowed values', (props, message) => {
    expect(() => new TracedFargateTaskDefinition(newStack(), 'Task', props)).toThrow(message);
  });

  test.each([[256, 512], [256, 2048], [512, 4096], [4096, 30720], [16384, 122880]])('Fargate size boundary %p CPU / %p MiB reaches the template', (cpu, memoryLimitMiB) => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new TracedFargateTaskDefinition(stack, 'Task', { cpu, memoryLimitMiB }).addContainer('App', { image: IMAGE });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: String(cpu), Memory: String(memoryLimitMiB), RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc',
    });
  });

  test('a sidecar taking more than a quarter of the task draws a warning', () => {
    const stack = newStack();
    new TracedFargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 }).addContainer('App', { image: IMAGE });
    const warnings = warningsMatching(stack, 'more than a quarter of the task');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('256 of 512 MiB');
    const roomy = newStack();
    new TracedFargateTaskDefinition(roomy, 'Task', { cpu: 1024, memoryLimitMiB: 2048 }).addContainer('App', { image: IMAGE });
    expect(warningsMatching(roomy, 'more than a quarter')).toHaveLength(0);
  });

  test('bad annotation keys are refused at once', () => {
    expect(() => new TracedFargateTaskDefinition(newStack(), 'Task', { annotationKeys: ['bad key'] }))
      .toThrow(/annotationKeys\[0\] may contain only letters, digits and underscores \(got "bad key"\)/);
    const task = new TracedFargateTaskDefinition(newStack(), 'Task');
    expect(() => task.addTracedContainer('App', { image: IMAGE, annotationKeys: ['a-b'] })).toThrow(/use "a_b"/);
  });

  test('more than 50 annotation keys across the task fail synthesis, the task\'s path printed once', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { annotationKeys: Array.from({ length: 30 }, (_, i) => `a${i}`) });
    task.addTracedContainer('App', { image: IMAGE, annotationKeys: Array.from({ length: 21 }, (_, i) => `b${i}`) });
    expect(() => Template.fromStack(stack)).toThrow(/(?<!\] )\[Stack\/Task\] annotationKeys declare 51 keys across the task, more than X-Ray indexes per trace \(50\) \(got 51\)/);
  });

  test('tracing options set twice on a container: the same again changes nothing, different ones fail naming the field', () => {
    // GIVEN
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task');
    const c = task.addContainer('App', { containerName: 'app', image: IMAGE });
    // WHEN
    EcsTracing.configureContainer(c, { serviceName: 'orders', annotationKeys: ['route'] });
    EcsTracing.configureContainer(c, { serviceName: 'orders', annotationKeys: ['route'], instrumentation: ContainerInstrumentation.openTelemetry() });
    // THEN
    expect(() => EcsTracing.configureContainer(c, { serviceName: 'billing', annotationKeys: ['route'] }))
      .toThrow(/^\[Stack\/Task\/App\] serviceName differs from the tracing options this container already has \(which had "orders"\) \(got "billing"\)\. Set a container's tracing options once/);
    expect(() => EcsTracing.configureContainer(c, { serviceName: 'orders', instrumentation: ContainerInstrumentation.xraySdk() }))
      .toThrow(/2 problems:[\s\S]*instrumentation differs[\s\S]*annotationKeys differs/);
    expect(env(containers(stack).app)).toMatchObject({ OTEL_SERVICE_NAME: 'orders', XRAY_ANNOTATION_KEYS: 'route' });
  });

  test('tracing options cannot be set on a container of an untraced task', () => {
    const stack = newStack();
    const plain = new ecs.FargateTaskDefinition(stack, 'Plain');
    const c = plain.addContainer('App', { image: IMAGE });
    expect(() => EcsTracing.configureContainer(c, {})).toThrow(/^\[Stack\/Plain\/App\] container belongs to a task definition that is not traced/);
  });

  test('each stack gets one X-Ray policy however many tasks it traces', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    for (const id of ['A', 'B', 'C']) {
      new TracedFargateTaskDefinition(stack, id).addContainer('App', { image: IMAGE });
    }
    const template = Template.fromStack(stack);
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(2);
    expect(policies.filter(p => JSON.stringify(p).includes('xray:PutTraceSegments'))).toHaveLength(1);
    expect(policies[0].Properties.Roles).toHaveLength(3);
  });
});

/** A traced Fargate task with one app container; returns the template text. */
function traced(props: TracedFargateTaskDefinitionProps | ((s: Stack) => TracedFargateTaskDefinitionProps)): string {
  const stack = newStack();
  new TracedFargateTaskDefinition(stack, 'Task', typeof props === 'function' ? props(stack) : props).addContainer('App', { containerName: 'app', image: IMAGE });
  return templateText(stack);
}

/** Every validated prop of TracedFargateTaskDefinition (its tracing options are EcsTracing.enable's, tabled there too). */
const TASK_CASES: ValidationCase[] = [
  ['cpu', 'bad', () => traced({ cpu: 300 }), { error: /^\[Stack\/Task\] cpu is not a Fargate size \(256, 512, 1024, 2048, 4096, 8192, 16384\) \(got 300\)\. Pick one of those CPU units\./ }],
  ['cpu', 'boundary', () => traced({ cpu: 16384, memoryLimitMiB: 32768 }), { output: /"Cpu":"16384","ExecutionRoleArn".*"Memory":"32768"/ }],
  ['cpu', 'boundary', () => traced({ cpu: 32768, memoryLimitMiB: 65536 }), { error: /cpu is not a Fargate size .* \(got 32768\)/ }],
  ['cpu', 'token', () => traced((s: Stack) => ({ cpu: new CfnParameter(s, 'Cpu', { type: 'Number' }).valueAsNumber, memoryLimitMiB: 2048 })), { output: /"Cpu":\{"Ref":"Cpu"\}/ }],
  ['memoryLimitMiB', 'bad', () => traced({ cpu: 256, memoryLimitMiB: 4096 }), { error: /^\[Stack\/Task\] memoryLimitMiB is not allowed with 256 CPU units on Fargate \(got 4096\)\. Use 512, 1024, 2048 MiB\./ }],
  ['memoryLimitMiB', 'boundary', () => traced({ cpu: 4096, memoryLimitMiB: 30720 }), { output: /"Memory":"30720"/ }],
  ['memoryLimitMiB', 'boundary', () => traced({ cpu: 4096, memoryLimitMiB: 31744 }), { error: /memoryLimitMiB is not allowed with 4096 CPU units on Fargate \(got 31744\)\. Use 8192 to 30720 in steps of 1024 MiB\./ }],
  ['memoryLimitMiB', 'token', () => traced((s: Stack) => ({ cpu: 1024, memoryLimitMiB: new CfnParameter(s, 'Memory', { type: 'Number' }).valueAsNumber })), { output: /"Memory":\{"Ref":"Memory"\}/ }],
  ['annotationKeys', 'bad', () => traced({ annotationKeys: ['bad key'] }), { error: /^\[Stack\/Task\] annotationKeys\[0\] may contain only letters, digits and underscores \(got "bad key"\)/ }],
  ['annotationKeys', 'boundary', () => traced({ annotationKeys: Array.from({ length: 50 }, (_, i) => `k${i}`) }), { output: /"Value":"k0,.*,k49"/ }],
  ['annotationKeys', 'boundary', () => traced({ annotationKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }), { error: /declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/ }],
  ['annotationKeys', 'token', () => traced((s: Stack) => ({ annotationKeys: new CfnParameter(s, 'Keys', { type: 'CommaDelimitedList' }).valueAsList })), { output: /"Value":\{"Fn::Join":\[",",\{"Ref":"Keys"\}\]\}/ }],
  ['resourceAttributes', 'bad', () => traced({ resourceAttributes: { 'a=b': 'c' } }), { error: /^\[Stack\/Task\] resourceAttributes key must be letters/ }],
  ['resourceAttributes', 'boundary', () => traced({ resourceAttributes: { x: 'a,b=c%' } }), { output: /"Value":"x=a%2Cb%3Dc%25"/ }],
  ['resourceAttributes', 'token', () => traced((s: Stack) => ({ resourceAttributes: { env: new CfnParameter(s, 'Env').valueAsString } })), { output: /\["env=",\{"Ref":"Env"\}\]/ }],
];

describe('aws-cdk-lib\'s own errors get the path and a fix', () => {
  test('a container whose cpu, with the sidecar\'s, is more than the task\'s', () => {
    // GIVEN
    const task = new TracedFargateTaskDefinition(newStack(), 'Task', { cpu: 256, memoryLimitMiB: 512 });
    // WHEN / THEN
    expect(() => task.addContainer('App', { image: IMAGE, cpu: 200 }))
      .toThrow(/^\[Stack\/Task\/App\] props is refused by aws-cdk-lib: The sum of all container cpu values cannot be greater than the value of the task cpu \(got 200\)\. The tracing sidecar's cpu/);
  });

  test('task props aws-cdk-lib refuses (ephemeral storage below 21 GiB)', () => {
    expect(() => new TracedFargateTaskDefinition(newStack(), 'Task', { ephemeralStorageGiB: 5 }))
      .toThrow(/^\[Stack\/Task\] props is refused by aws-cdk-lib: .*21.* \(got \{"ephemeralStorageGiB":5\}\)\. Fix the task definition props/);
  });

  test('directly under the app, the path does not start with "/"', () => {
    // GIVEN / WHEN: aws-cdk-lib refuses a task definition outside a stack
    let message = '';
    try {
      new TracedFargateTaskDefinition(new App() as any, 'Task');
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN
    expect(message).toMatch(/^\[Task\] props is refused by aws-cdk-lib: .*Stack/);
  });
});

describe('TracedFargateTaskDefinition: validation table', () => {
  test.each(TASK_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated prop', () => {
    expect(countCases(TASK_CASES)).toEqual({ props: 4, bad: 4, boundary: 7, token: 4 });
  });
});
