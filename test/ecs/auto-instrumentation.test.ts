import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { containers, env, IMAGE } from './util';
import { AdotAutoInstrumentationLanguage, ContainerInstrumentation, EcsTracing, TraceCollector, TracedFargateTaskDefinition } from '../../src';
import { ADOT_AUTOINSTRUMENTATION_IMAGES } from '../../src/private/pinned';
import { errorOf, newStack, resourcesOfType } from '../util';

const auto = (language: AdotAutoInstrumentationLanguage) => ContainerInstrumentation.adotAutoInstrumentation({ language });

describe('ContainerInstrumentation.adotAutoInstrumentation(): the init container and volume AWS documents for ECS', () => {
  test('Java with Application Signals: init container copies the agent, the app mounts it, starts after the copy and the agent', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.applicationSignals(), instrumentation: auto(AdotAutoInstrumentationLanguage.JAVA) });
    task.addContainer('Api', { containerName: 'api', image: IMAGE });
    task.addContainer('Batch', { containerName: 'batch', image: IMAGE, essential: false, environment: { JAVA_TOOL_OPTIONS: '-Xmx256m' } });
    const defs = containers(stack);
    expect(Object.keys(defs).sort()).toEqual(['adot-init-java', 'api', 'batch', 'cloudwatch-agent']);
    expect(defs['adot-init-java']).toEqual({
      Name: 'adot-init-java',
      Image: ADOT_AUTOINSTRUMENTATION_IMAGES.java,
      Command: ['cp', '/javaagent.jar', '/otel-auto-instrumentation-java/javaagent.jar'],
      Cpu: 0,
      MemoryReservation: 64,
      Essential: false,
      MountPoints: [{ SourceVolume: 'otel-auto-instrumentation-java', ContainerPath: '/otel-auto-instrumentation-java', ReadOnly: false }],
      LogConfiguration: {
        LogDriver: 'awslogs',
        // The sidecar's log group: no log group of its own.
        Options: { 'awslogs-group': { Ref: expect.stringMatching(/^TaskTraceCollectorLogs/) }, 'awslogs-stream-prefix': 'adot-init-java', 'awslogs-region': { Ref: 'AWS::Region' } },
      },
    });
    // One init container for both Java containers.
    expect(resourcesOfType(stack, 'AWS::ECS::TaskDefinition')[0][1].Properties.Volumes).toEqual([{ Name: 'otel-auto-instrumentation-java' }]);
    expect(env(defs.api).JAVA_TOOL_OPTIONS).toBe('-javaagent:/otel-auto-instrumentation-java/javaagent.jar');
    // The container's own options are kept, the agent added.
    expect(env(defs.batch).JAVA_TOOL_OPTIONS).toBe('-Xmx256m -javaagent:/otel-auto-instrumentation-java/javaagent.jar');
    for (const name of ['api', 'batch']) {
      expect(env(defs[name]).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
      expect(defs[name].MountPoints).toEqual([{ SourceVolume: 'otel-auto-instrumentation-java', ContainerPath: '/otel-auto-instrumentation-java', ReadOnly: false }]);
      expect(defs[name].DependsOn).toEqual([
        { ContainerName: 'adot-init-java', Condition: 'SUCCESS' },
        { ContainerName: 'cloudwatch-agent', Condition: 'START' },
      ]);
    }
    // The init container is not instrumented itself.
    expect(defs['adot-init-java'].Environment).toBeUndefined();
  });

  test('Python: distro, configurator and PYTHONPATH in AWS\'s order, the app\'s own path in the middle', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Api', { containerName: 'api', image: IMAGE, environment: { PYTHONPATH: '/app' } });
    task.addContainer('Plain', { containerName: 'plain', image: IMAGE, essential: false });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals(), instrumentation: auto(AdotAutoInstrumentationLanguage.PYTHON) });
    const defs = containers(stack);
    expect(env(defs.api)).toMatchObject({
      OTEL_PYTHON_DISTRO: 'aws_distro',
      OTEL_PYTHON_CONFIGURATOR: 'aws_configurator',
      PYTHONPATH: '/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/app:/otel-auto-instrumentation-python',
    });
    expect(env(defs.plain).PYTHONPATH).toBe('/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/otel-auto-instrumentation-python');
    expect(defs['adot-init-python'].Command).toEqual(['cp', '-a', '/autoinstrumentation/.', '/otel-auto-instrumentation-python']);
    expect(defs['adot-init-python'].Image).toBe(ADOT_AUTOINSTRUMENTATION_IMAGES.python);
  });

  test('Node.js and .NET in one task straight to X-Ray: one init container each, a log group of their own, .NET signs with its two variables', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } });
    const web = task.addContainer('Web', { containerName: 'web', image: IMAGE, environment: { NODE_OPTIONS: '--max-old-space-size=256' } });
    const net = task.addContainer('Net', { containerName: 'net', image: IMAGE, essential: false });
    EcsTracing.enable(task, { collector: TraceCollector.directToXRay() });
    EcsTracing.configureContainer(web, { instrumentation: auto(AdotAutoInstrumentationLanguage.NODEJS) });
    EcsTracing.configureContainer(net, { instrumentation: auto(AdotAutoInstrumentationLanguage.DOTNET) });
    const defs = containers(stack);
    expect(Object.keys(defs).sort()).toEqual(['adot-init-dotnet', 'adot-init-nodejs', 'net', 'web']);
    expect(env(defs.web).NODE_OPTIONS).toBe('--max-old-space-size=256 --require /otel-auto-instrumentation-nodejs/autoinstrumentation.js');
    expect(env(defs.web).OTEL_TRACES_EXPORTER).toBeUndefined();
    expect(env(defs.net)).toMatchObject({
      CORECLR_ENABLE_PROFILING: '1',
      CORECLR_PROFILER: '{918728DD-259F-4A6A-AC2B-B85E1B658318}',
      CORECLR_PROFILER_PATH: '/otel-auto-instrumentation-dotnet/linux-arm64/OpenTelemetry.AutoInstrumentation.Native.so',
      DOTNET_ADDITIONAL_DEPS: '/otel-auto-instrumentation-dotnet/AdditionalDeps',
      DOTNET_SHARED_STORE: '/otel-auto-instrumentation-dotnet/store',
      DOTNET_STARTUP_HOOKS: '/otel-auto-instrumentation-dotnet/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll',
      OTEL_DOTNET_AUTO_HOME: '/otel-auto-instrumentation-dotnet',
      OTEL_DOTNET_AUTO_PLUGINS: 'AWS.Distro.OpenTelemetry.AutoInstrumentation.Plugin, AWS.Distro.OpenTelemetry.AutoInstrumentation',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_AWS_SIG_V4_ENABLED: 'true',
    });
    expect(defs.net.DependsOn).toEqual([{ ContainerName: 'adot-init-dotnet', Condition: 'SUCCESS' }]);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(defs['adot-init-nodejs'].LogConfiguration.Options['awslogs-group']).toEqual({ Ref: expect.stringMatching(/^TaskAutoInstrumentationLogs/) });
    expect(defs['adot-init-dotnet'].LogConfiguration.Options['awslogs-group']).toEqual(defs['adot-init-nodejs'].LogConfiguration.Options['awslogs-group']);
  });

  test('.NET on x86_64 (or an unknown architecture) uses the linux-x64 profiler; with a sidecar it keeps the OTLP exporter', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Net', { containerName: 'net', image: IMAGE });
    EcsTracing.enable(task, { instrumentation: auto(AdotAutoInstrumentationLanguage.DOTNET) });
    const net = env(containers(stack).net);
    expect(net.CORECLR_PROFILER_PATH).toBe('/otel-auto-instrumentation-dotnet/linux-x64/OpenTelemetry.AutoInstrumentation.Native.so');
    expect(net.OTEL_TRACES_EXPORTER).toBeUndefined();
    expect(net.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
  });

  test('an image of its own; toString', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Api', { containerName: 'api', image: IMAGE });
    const instrumentation = ContainerInstrumentation.adotAutoInstrumentation({
      language: AdotAutoInstrumentationLanguage.JAVA, image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/adot-java:v2.30.0'),
    });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals(), instrumentation });
    expect(containers(stack)['adot-init-java'].Image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/adot-java:v2.30.0');
    expect(instrumentation.toString()).toBe('ContainerInstrumentation.adotAutoInstrumentation({ language: java })');
  });

  test('cdk-nag AwsSolutions: the init container logs, so only ECS2', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Api', { image: IMAGE, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logGroup: new logs.LogGroup(stack, 'Logs') }) });
    EcsTracing.enable(task, { collector: TraceCollector.applicationSignals(), instrumentation: auto(AdotAutoInstrumentationLanguage.PYTHON) });
    Template.fromStack(stack);
    const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
    expect(report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((c: any) => `${v.ruleName} ${c.constructPath}`)))
      .toEqual(['AwsSolutions-ECS2 Stack/Task/Resource']);
  });

  test('refused on a Windows task, naming the container', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const app = task.addContainer('App', { image: IMAGE });
    EcsTracing.enable(task, { collector: TraceCollector.directToXRay() });
    expect(errorOf(() => EcsTracing.configureContainer(app, { instrumentation: auto(AdotAutoInstrumentationLanguage.DOTNET) }))).toBe(
      '[Stack/Task/App] instrumentation is ADOT auto-instrumentation, but the task\'s operating-system family is WINDOWS_SERVER_2022_CORE ' +
      '(got "ContainerInstrumentation.adotAutoInstrumentation({ language: dotnet })"). The auto-instrumentation images and paths are Linux ones: ' +
      'build the ADOT agent into the Windows image and use ContainerInstrumentation.openTelemetry().');
  });

  test('a language it does not know (untyped)', () => {
    const stack = new Stack(new App(), 'Stack');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    expect(errorOf(() => EcsTracing.enable(task, { instrumentation: auto('ruby' as any) })))
      .toBe('[Stack/Task] instrumentation.language must be one of java, python, nodejs, dotnet (got "ruby"). Pass an AdotAutoInstrumentationLanguage.');
  });
});
