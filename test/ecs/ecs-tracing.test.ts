import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { containers, env, IMAGE } from './util';
import { AdotCollectorConfig, ContainerInstrumentation, EcsTracing, TailSamplingPolicy, TraceCollector } from '../../src';
import { newStack, warningsMatching } from '../util';

const TAIL = TraceCollector.adot({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) });

describe('EcsTracing.enable', () => {
  test('an ecs-patterns service: the default container is instrumented', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const service = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Service', {
      vpc, cpu: 512, memoryLimitMiB: 1024, taskImageOptions: { image: IMAGE, containerName: 'web', containerPort: 80 },
    });
    EcsTracing.enable(service.taskDefinition);
    const defs = containers(stack);
    expect(Object.keys(defs).sort()).toEqual(['otel-collector', 'web']);
    expect(env(defs.web).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
    expect(defs.web.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'HEALTHY' }]);
  });

  test('EC2 in bridge mode: the sidecar is reached through a link, by name, without host ports', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task);
    const defs = containers(stack);
    expect(defs.app.Links).toEqual(['otel-collector']);
    expect(env(defs.app).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(env(defs.app).OTEL_TRACES_SAMPLER_ARG).toBe('endpoint=http://otel-collector:2000,polling_interval=300');
    expect(defs['otel-collector'].PortMappings).toBeUndefined();
  });

  test('EC2 in bridge mode with the daemon: AWS_XRAY_DAEMON_ADDRESS by name; not local mode on EC2', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task, { collector: TraceCollector.xrayDaemon() });
    const defs = containers(stack);
    expect(env(defs.app).AWS_XRAY_DAEMON_ADDRESS).toBe('xray-daemon:2000');
    expect(defs.app.Links).toEqual(['xray-daemon']);
    // Bridge mode: the app comes over the bridge, so the daemon binds every interface of its own namespace (no host port).
    expect(defs['xray-daemon'].Command).toEqual(['-b', '0.0.0.0:2000', '-t', '0.0.0.0:2000', '--region', { Ref: 'AWS::Region' }]);
  });

  test('EC2 in awsvpc mode: localhost, port mappings on the sidecar', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task, { collector: TraceCollector.xrayDaemon() });
    const defs = containers(stack);
    expect(env(defs.app).AWS_XRAY_DAEMON_ADDRESS).toBe('127.0.0.1:2000');
    expect(defs.app.Links).toBeUndefined();
    expect(defs['xray-daemon'].PortMappings).toHaveLength(2);
  });

  test('network mode NONE is refused', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NONE });
    expect(() => EcsTracing.enable(task)).toThrow(/networkMode is NONE, so no container can reach a tracing sidecar/);
  });

  test('a container already named like the sidecar is refused', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Mine', { containerName: 'otel-collector', image: IMAGE });
    expect(() => EcsTracing.enable(task)).toThrow(/\[Stack\/Task\] containers already hold a container named otel-collector.*Rename that container/);
  });

  test('enabling twice with the same options changes nothing; containers added after enable are instrumented at synthesis', () => {
    // GIVEN
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('First', { containerName: 'first', image: IMAGE });
    // WHEN
    EcsTracing.enable(task);
    EcsTracing.enable(task, { collector: TraceCollector.adot({ cpu: 128, config: new AdotCollectorConfig() }) });
    task.addContainer('Second', { containerName: 'second', image: IMAGE });
    // THEN
    const defs = containers(stack);
    expect(Object.keys(defs).sort()).toEqual(['first', 'otel-collector', 'second']);
    expect(env(defs.second).OTEL_SERVICE_NAME).toBe('second');
    expect(defs.second.DependsOn).toHaveLength(1);
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Parameter', 1);
  });

  test('enabling twice with another collector or other options fails, naming each difference and the fix', () => {
    // GIVEN
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    EcsTracing.enable(task, { annotationKeys: ['tenant_tier'] });
    // WHEN / THEN
    expect(() => EcsTracing.enable(task, { annotationKeys: ['tenant_tier'], collector: TraceCollector.xrayDaemon() }))
      .toThrow(/^\[Stack\/Task\] 3 problems:|collector differs from the options this task definition is already traced with \(which had "TraceCollector.adot\(\)"\) \(got "TraceCollector.xrayDaemon\(\)"\)/);
    expect(() => EcsTracing.enable(task, { annotationKeys: ['tenant_tier'], collector: TraceCollector.xrayDaemon() }))
      .toThrow(/A task definition is traced once: pass the same options to every EcsTracing.enable/);
    expect(() => EcsTracing.enable(task, { annotationKeys: ['tenant_tier', 'route'] }))
      .toThrow(/^\[Stack\/Task\] annotationKeys differs from the options this task definition is already traced with \(which had \["tenant_tier"\]\) \(got \["tenant_tier","route"\]\)/);
    expect(() => EcsTracing.enable(task, { annotationKeys: ['tenant_tier'], collector: TraceCollector.adot({ memoryReservationMiB: 512 }) }))
      .toThrow(/collector.memoryReservationMiB differs .* \(which had 256\) \(got 512\)/);
    expect(() => EcsTracing.enable(task, {
      annotationKeys: ['tenant_tier'],
      collector: TraceCollector.adot({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) }),
    })).toThrow(/collector.config differs/);
    // Only the first collector is in the template.
    expect(Object.keys(containers(stack)).sort()).toEqual(['App', 'otel-collector'].sort());
  });

  test('a variable the user set is kept and reported; an equal one silently', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', {
      containerName: 'app',
      image: IMAGE,
      environment: { OTEL_SERVICE_NAME: 'orders', OTEL_PROPAGATORS: 'xray,tracecontext,baggage' },
      secrets: { OTEL_RESOURCE_ATTRIBUTES: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromStringParameterName(stack, 'Attrs', 'attrs')) },
    });
    EcsTracing.enable(task);
    const defs = containers(stack);
    expect(env(defs.app).OTEL_SERVICE_NAME).toBe('orders');
    expect(env(defs.app).OTEL_RESOURCE_ATTRIBUTES).toBeUndefined();
    const warnings = warningsMatching(stack, 'is already set');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/OTEL_SERVICE_NAME of container app is already set to "orders"; it is kept instead of "app"/);
  });

  test('tail sampling: the SDK samples everything; a conflicting sampler set by the user is an error', () => {
    const ok = newStack();
    const task = new ecs.FargateTaskDefinition(ok, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task, { collector: TAIL });
    expect(env(containers(ok).app).OTEL_TRACES_SAMPLER).toBe('always_on');
    expect(env(containers(ok).app).OTEL_TRACES_SAMPLER_ARG).toBeUndefined();

    const bad = newStack();
    const conflicting = new ecs.FargateTaskDefinition(bad, 'Task');
    conflicting.addContainer('App', { containerName: 'app', image: IMAGE, environment: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' } });
    EcsTracing.enable(conflicting, { collector: TAIL });
    expect(() => Template.fromStack(bad))
      .toThrow(/environment.OTEL_TRACES_SAMPLER must send every span to the collector, which tail-samples \(got "parentbased_traceidratio"\)/);

    const keptOk = newStack();
    const allOn = new ecs.FargateTaskDefinition(keptOk, 'Task');
    allOn.addContainer('App', { containerName: 'app', image: IMAGE, environment: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } });
    EcsTracing.enable(allOn, { collector: TAIL });
    expect(env(containers(keptOk).app).OTEL_TRACES_SAMPLER).toBe('parentbased_always_on');
  });

  test('tail sampling with an X-Ray SDK container is refused: the SDK cannot be told to send everything', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task, { collector: TAIL, instrumentation: ContainerInstrumentation.xraySdk() });
    expect(() => Template.fromStack(stack)).toThrow(/instrumentation cannot be an X-Ray SDK when the collector tail-samples/);
  });
});
