import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { checkCase, containers, countCases, env, flattenValue, IMAGE, templateText, ValidationCase } from './util';
import {
  AdotCollectorConfig, ContainerInstrumentation, EcsTracing, EcsTracingOptions, LambdaInstrumentation, LambdaTracing, TailSamplingPolicy,
  TraceCollector, TracedContainerOptions,
} from '../../src';
import { newStack, warningsMatching, zipFunctionProps } from '../util';

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
      .toThrow(/^2 problems:\n {2}- \[Stack\/Task\] collector differs from the options this task definition is already traced with \(which had "TraceCollector.adot\(\)"\) \(got "TraceCollector.xrayDaemon\(\)"\)\. .*\n {2}- \[Stack\/Task\] instrumentation differs .* \(which had "openTelemetry"\) \(got "xraySdk"\)/);
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

/** A Fargate task with one app container, traced with `options`. */
function tracedTask(options: Parameters<typeof EcsTracing.enable>[1] = {}, props: ecs.FargateTaskDefinitionProps = {}) {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task', props);
  const app = task.addContainer('App', { containerName: 'app', image: IMAGE, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }) });
  EcsTracing.enable(task, options);
  return { stack, task, app };
}

describe('values that reach a container environment', () => {
  test('resource attribute values are percent-encoded: a comma or equals sign cannot add or override an attribute', () => {
    // GIVEN / WHEN
    const { stack } = tracedTask({ resourceAttributes: { 'deployment.environment': 'prod,service.name=evil', 'team': '50% a b+c;"\\ é' } });
    // THEN
    const value = env(containers(stack).app).OTEL_RESOURCE_ATTRIBUTES as any;
    const joined = value['Fn::Join'][1];
    expect(joined[0]).toBe('aws.log.group.names=');
    expect(joined[2]).toBe(',deployment.environment=prod%2Cservice.name%3Devil,team=50%25%20a%20b%2Bc%3B%22%5C%20%C3%A9');
  });

  test('a resource attribute key that would break the list, or service.name, is refused with the path', () => {
    expect(() => tracedTask({ resourceAttributes: { 'a,b': 'x' } }))
      .toThrow(/^\[Stack\/Task\] resourceAttributes key must be letters, digits and .* \(got "a,b"\)\. OTEL_RESOURCE_ATTRIBUTES separates attributes with "," and "="; use a key such as "a_b"\./);
    expect(() => tracedTask({ resourceAttributes: { 'service.name': 'x' } }))
      .toThrow(/resourceAttributes key is set by another option \(got "service.name"\)\. Set the container's serviceName/);
  });

  test('aws.log.group.names given as an attribute replaces the one read from the log driver', () => {
    const { stack } = tracedTask({ resourceAttributes: { 'aws.log.group.names': '/ecs/a&/ecs/b' } });
    expect(env(containers(stack).app).OTEL_RESOURCE_ATTRIBUTES).toBe('aws.log.group.names=/ecs/a&/ecs/b');
  });

  test('a service name is judged as on Lambda, with the same message: a tab or a non-string refused, a space passes', () => {
    // GIVEN
    const { app } = tracedTask();
    const lambdaMessage = (serviceName: unknown) => {
      try {
        LambdaTracing.enable(new lambda.Function(newStack(), 'Fn', zipFunctionProps()),
          { instrumentation: LambdaInstrumentation.powertools(), serviceName: serviceName as string });
        return '';
      } catch (e) {
        return (e as Error).message.replace('[Stack/Fn] ', '');
      }
    };
    const ecsMessage = (serviceName: unknown) => {
      try {
        EcsTracing.configureContainer(app, { serviceName: serviceName as string });
        return '';
      } catch (e) {
        return (e as Error).message.replace('[Stack/Task/App] ', '');
      }
    };
    // WHEN / THEN
    for (const bad of ['orders\tapi', 'orders\u00a0api', 5]) {
      expect(ecsMessage(bad)).toMatch(/^serviceName must be 1 to 200 characters of letters, digits, spaces and .* \(no newline or tab\)/);
      expect(ecsMessage(bad)).toBe(lambdaMessage(bad));
    }
    expect(ecsMessage('orders api')).toBe('');
  });

  test('a service name with a line break is refused at once; one at 200 characters passes, 201 fails', () => {
    const { app } = tracedTask();
    expect(() => EcsTracing.configureContainer(app, { serviceName: 'orders\nX-Injected: 1' }))
      .toThrow(/^\[Stack\/Task\/App\] serviceName must be 1 to 200 characters of letters, digits, spaces and .* \(got "orders\\nX-Injected: 1"\)/);
    expect(() => EcsTracing.configureContainer(app, { serviceName: 'a'.repeat(201) })).toThrow(/serviceName must be 1 to 200/);
    EcsTracing.configureContainer(app, { serviceName: 'ä'.repeat(200) });
  });

  test('a container name over 200 characters cannot be the service name: synthesis says to pass serviceName', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'a'.repeat(201), image: IMAGE });
    EcsTracing.enable(task);
    expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Task\/App\] containerName must be 1 to 200 characters .* pass serviceName/);
  });

  test('a CommaDelimitedList parameter as annotation keys reaches the environment through Fn::Join and the collector as deploy-time items', () => {
    // GIVEN
    const stack = newStack();
    const keys = new CfnParameter(stack, 'Keys', { type: 'CommaDelimitedList' });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    const app = task.addContainer('App', { containerName: 'app', image: IMAGE });
    // WHEN
    EcsTracing.enable(task, { annotationKeys: ['tenant_tier'] });
    EcsTracing.configureContainer(app, { annotationKeys: keys.valueAsList });
    // THEN
    expect(env(containers(stack).app).XRAY_ANNOTATION_KEYS).toEqual({ 'Fn::Join': ['', ['tenant_tier,', { 'Fn::Join': [',', { Ref: 'Keys' }] }]] });
    const value = Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0].Properties.Value;
    expect(JSON.stringify(value)).toContain('indexed_attributes:\\n      - \\"tenant_tier\\"\\n      - \\""');
    expect(JSON.stringify(value)).toContain('{"Fn::Join":["\\"\\n      - \\"",{"Ref":"Keys"}]}');
  });

  test('a list token as the task\'s own annotation keys passes and is joined', () => {
    const stack = newStack();
    const keys = new CfnParameter(stack, 'Keys', { type: 'CommaDelimitedList' });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task, { annotationKeys: keys.valueAsList });
    expect(env(containers(stack).app).XRAY_ANNOTATION_KEYS).toEqual({ 'Fn::Join': [',', { Ref: 'Keys' }] });
  });
});

describe('the sidecar\'s log group', () => {
  test('logEncryptionKey encrypts the created log group, and the key policy lets CloudWatch Logs use it', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    // WHEN
    EcsTracing.enable(task, { collector: TraceCollector.adot({ logEncryptionKey: key }) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, RetentionInDays: 30 });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogsOfThisAccount',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('the X-Ray daemon takes an existing log group, and no log group is created', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_YEAR });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    EcsTracing.enable(task, { collector: TraceCollector.xrayDaemon({ logGroup: group }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(containers(stack)['xray-daemon'].LogConfiguration.Options['awslogs-group']).toEqual({ Ref: expect.stringMatching(/^Mine/) });
  });

  test('an imported key gets a warning that its policy must allow CloudWatch Logs', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: IMAGE });
    EcsTracing.enable(task, { collector: TraceCollector.adot({ logEncryptionKey: key }) });
    expect(warningsMatching(stack, 'logs.<region>.amazonaws.com')).toHaveLength(1);
  });

  test.each<[{ logEncryptionKey?: boolean; logRetention?: logs.RetentionDays }, RegExp]>([
    [{ logEncryptionKey: true }, /collector.logEncryptionKey applies to the log group this library creates, but collector.logGroup is given/],
    [{ logRetention: logs.RetentionDays.ONE_DAY }, /collector.logRetention applies to the log group this library creates, but collector.logGroup is given \(got 1\)/],
  ])('logGroup with %p is refused', (extra, message) => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Mine');
    const options = { logGroup: group, ...extra, ...(extra.logEncryptionKey ? { logEncryptionKey: new kms.Key(stack, 'Key') } : {}) } as any;
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    expect(() => EcsTracing.enable(task, { collector: TraceCollector.adot(options) })).toThrow(message);
    expect(() => EcsTracing.enable(new ecs.FargateTaskDefinition(stack, 'Other'), { collector: TraceCollector.xrayDaemon(options) })).toThrow(message);
  });
});

describe('where the sidecar listens', () => {
  function collectorYaml(stack: Stack): string {
    return flattenValue(Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0].Properties.Value);
  }

  test.each([
    [ecs.NetworkMode.AWS_VPC, '127.0.0.1'],
    [ecs.NetworkMode.HOST, '127.0.0.1'],
    [ecs.NetworkMode.BRIDGE, '0.0.0.0'],
  ])('collector in %s mode binds %s (health check always 127.0.0.1)', (networkMode, address) => {
    // GIVEN
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    // WHEN
    EcsTracing.enable(task, { instrumentation: ContainerInstrumentation.xraySdk() });
    // THEN
    const yaml = collectorYaml(stack);
    expect(yaml).toContain(`grpc:\n        endpoint: "${address}:4317"`);
    expect(yaml).toContain(`http:\n        endpoint: "${address}:4318"`);
    expect(yaml).toContain(`awsxray:\n    endpoint: "${address}:2000"\n    transport: "udp"\n    proxy_server:\n      endpoint: "${address}:2000"`);
    expect(yaml).toContain('health_check:\n    endpoint: "127.0.0.1:13133"');
    expect(yaml.match(/0\.0\.0\.0/g)?.length ?? 0).toBe(address === '0.0.0.0' ? 4 : 0);
  });

  test.each([
    [ecs.NetworkMode.AWS_VPC, '127.0.0.1'],
    [ecs.NetworkMode.HOST, '127.0.0.1'],
    [ecs.NetworkMode.BRIDGE, '0.0.0.0'],
  ])('X-Ray daemon in %s mode: -b and -t %s:2000', (networkMode, address) => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task, { collector: TraceCollector.xrayDaemon() });
    expect(containers(stack)['xray-daemon'].Command.slice(0, 4)).toEqual(['-b', `${address}:2000`, '-t', `${address}:2000`]);
  });
});

describe('limits over the whole task', () => {
  test('a task with no essential container fails synthesis (the sidecar is not essential), its path printed once', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('Helper', { containerName: 'helper', image: IMAGE, essential: false });
    EcsTracing.enable(task);
    expect(() => Template.fromStack(stack))
      .toThrow(/(?<!\] )\[Stack\/Task\] containers hold no essential container \(got \["helper","otel-collector"\]\)\. ECS needs at least one/);
  });

  test('a sidecar reserving more memory or CPU than the task is refused at once, naming the prop', () => {
    expect(() => tracedTask({ collector: TraceCollector.adot({ memoryReservationMiB: 1024 }) }, { cpu: 256, memoryLimitMiB: 512 }))
      .toThrow(/^\[Stack\/Task\] collector.memoryReservationMiB is more than the task's 512 MiB \(got 1024\)/);
    expect(() => tracedTask({ collector: TraceCollector.xrayDaemon({ cpu: 512 }) }, { cpu: 256, memoryLimitMiB: 512 }))
      .toThrow(/^\[Stack\/Task\] collector.cpu is more than the task's 256 CPU units \(got 512\)/);
  });

  test('the sidecar\'s CPU on top of the app containers\' is refused with the path, not as aws-cdk-lib\'s bare error', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('App', { image: IMAGE, cpu: 200 });
    expect(() => EcsTracing.enable(task))
      .toThrow(/^\[Stack\/Task\] collector.cpu with the 200 CPU units of the containers already in the task is more than the task's 256 \(got 128\)/);
  });

  test('containers reserving more memory than the task, with the sidecar, fail synthesis', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    EcsTracing.enable(task);
    task.addContainer('App', { image: IMAGE, memoryReservationMiB: 300 });
    expect(() => Template.fromStack(stack)).toThrow(/(?<!\] )\[Stack\/Task\] memoryLimitMiB is less than the 556 MiB its containers reserve .* \(got 512\)/);
  });

  test.each([4317, 4318, 2000, 13133])('an app container mapping %p, a port the collector listens on, fails synthesis in awsvpc mode', (port) => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE, portMappings: [{ containerPort: port }] });
    EcsTracing.enable(task);
    expect(() => Template.fromStack(stack))
      .toThrow(new RegExp(`\\[Stack/Task/App\\] portMappings map ${port}/tcp, which container otel-collector of the task already listens on \\(got ${port}\\)`));
  });

  test('2000/udp collides with the daemon; two app containers mapping one port collide; 2000/udp beside the OTLP collector does not', () => {
    const daemon = newStack();
    const t1 = new ecs.FargateTaskDefinition(daemon, 'Task');
    t1.addContainer('App', { containerName: 'app', image: IMAGE, portMappings: [{ containerPort: 2000, protocol: ecs.Protocol.UDP }] });
    EcsTracing.enable(t1, { collector: TraceCollector.xrayDaemon() });
    expect(() => Template.fromStack(daemon)).toThrow(/portMappings map 2000\/udp, which container xray-daemon of the task already listens on/);

    const apps = newStack();
    const t2 = new ecs.FargateTaskDefinition(apps, 'Task');
    t2.addContainer('A', { containerName: 'a', image: IMAGE, portMappings: [{ containerPort: 8080 }] });
    t2.addContainer('B', { containerName: 'b', image: IMAGE, portMappings: [{ containerPort: 8080 }] });
    EcsTracing.enable(t2);
    expect(() => Template.fromStack(apps)).toThrow(/\[Stack\/Task\/B\] portMappings map 8080\/tcp, which container a of the task already maps/);

    const ok = newStack();
    const t3 = new ecs.FargateTaskDefinition(ok, 'Task');
    t3.addContainer('App', { containerName: 'app', image: IMAGE, portMappings: [{ containerPort: 2000, protocol: ecs.Protocol.UDP }, { containerPort: 8080 }] });
    EcsTracing.enable(t3);
    expect(containers(ok).app.PortMappings).toHaveLength(2);
  });

  test('bridge mode: an app container may use the collector\'s ports (each container has its own namespace)', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256, portMappings: [{ containerPort: 4318, hostPort: 0 }] });
    EcsTracing.enable(task);
    expect(containers(stack).app.PortMappings).toEqual([{ ContainerPort: 4318, HostPort: 0, Protocol: 'tcp' }]);
  });
});

describe('unusual task definitions', () => {
  test.each([
    ['FargateTaskDefinition.fromFargateTaskDefinitionArn', (s: Stack) => ecs.FargateTaskDefinition.fromFargateTaskDefinitionArn(s, 'Imported', 'arn:aws:ecs:us-east-1:111111111111:task-definition/app:1')],
    ['TaskDefinition.fromTaskDefinitionAttributes', (s: Stack) => ecs.TaskDefinition.fromTaskDefinitionAttributes(s, 'Imported', {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111111111111:task-definition/app:1', compatibility: ecs.Compatibility.FARGATE, networkMode: ecs.NetworkMode.AWS_VPC,
    })],
  ])('an imported task definition (%s) is refused with the path, not a TypeError', (_name, make) => {
    const stack = newStack();
    expect(() => EcsTracing.enable(make(stack) as any))
      .toThrow(/^\[Stack\/Imported\] taskDefinition is imported .* \(got "arn:aws:ecs:us-east-1:111111111111:task-definition\/app:1"\)\. Trace the task definition in the app that defines it/);
  });

  test('host mode: every port the collector listens on is mapped, so ECS reserves them on the instance (13133 included)', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.HOST });
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task);
    expect(containers(stack)['otel-collector'].PortMappings.map((m: any) => m.ContainerPort)).toEqual([4317, 4318, 2000, 13133]);
  });

  test('the Windows NAT network mode is refused at once', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NAT });
    task.addContainer('App', { image: IMAGE, memoryLimitMiB: 256 });
    expect(() => EcsTracing.enable(task)).toThrow(/^\[Stack\/Task\] networkMode is NAT, which only Windows container instances use.* \(got "nat"\)\. Trace the task on Linux/);
  });

  test('an EXTERNAL (ECS Anywhere) task is bridge mode: linked, and bound to 0.0.0.0', () => {
    const stack = newStack();
    const task = new ecs.ExternalTaskDefinition(stack, 'Task');
    task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    EcsTracing.enable(task);
    expect(containers(stack).app.Links).toEqual(['otel-collector']);
    expect(flattenValue(Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0].Properties.Value)).toContain('endpoint: "0.0.0.0:4318"');
  });

  test('a Windows task with the pinned Linux image is refused; with an image of the user\'s it passes', () => {
    const windows = {
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      cpu: 1024,
      memoryLimitMiB: 2048,
    };
    expect(() => tracedTask({}, windows))
      .toThrow(/runtimePlatform.operatingSystemFamily is WINDOWS_SERVER_2022_CORE, but the pinned collector image is a Linux image/);
    const { stack } = tracedTask({ collector: TraceCollector.adot({ image: ecs.ContainerImage.fromRegistry('example.com/collector-windows:1') }) }, windows);
    expect(containers(stack)['otel-collector'].Image).toBe('example.com/collector-windows:1');
  });

  test('a container that already has links keeps them and gets the sidecar\'s in bridge mode; a FireLens router is left alone', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    const db = task.addContainer('Db', { containerName: 'db', image: IMAGE, memoryLimitMiB: 128, essential: false });
    const app = task.addContainer('App', { containerName: 'app', image: IMAGE, memoryLimitMiB: 256 });
    app.addLink(db);
    task.addFirelensLogRouter('Router', { image: IMAGE, memoryLimitMiB: 64, firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT } });
    EcsTracing.enable(task);
    EcsTracing.configureContainer(db, { instrumentation: ContainerInstrumentation.none() });
    const defs = containers(stack);
    expect(defs.app.Links).toEqual(['db', 'otel-collector']);
    const router = Object.values<any>(defs).find(c => c.FirelensConfiguration !== undefined);
    expect(router.Environment).toBeUndefined();
    expect(router.DependsOn).toBeUndefined();
  });

  test('configureContainer on the sidecar itself, or on something that is not a container, is refused with a path', () => {
    const { task } = tracedTask();
    expect(() => EcsTracing.configureContainer(task.findContainer('otel-collector')!, {}))
      .toThrow(/^\[Stack\/Task\/TraceCollector\] container is the tracing sidecar itself/);
    expect(() => EcsTracing.configureContainer({} as any, {})).toThrow(/^\[EcsTracing.configureContainer\] container is not an ecs.ContainerDefinition/);
  });
});

/** A traced Fargate task (cpu 256, memory 512) with one app container; returns the template text. */
function enableOn(options: EcsTracingOptions | ((s: Stack) => EcsTracingOptions),
  props: ecs.FargateTaskDefinitionProps = { cpu: 256, memoryLimitMiB: 512 },
  container: Partial<ecs.ContainerDefinitionOptions> = {}): string {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task', props);
  task.addContainer('App', { containerName: 'app', image: IMAGE, ...container });
  EcsTracing.enable(task, typeof options === 'function' ? options(stack) : options);
  return templateText(stack);
}

/** A traced task whose app container gets `options` through configureContainer; returns the template text. */
function configure(options: TracedContainerOptions | ((s: Stack) => TracedContainerOptions)): string {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  const app = task.addContainer('App', { containerName: 'app', image: IMAGE });
  EcsTracing.enable(task);
  EcsTracing.configureContainer(app, typeof options === 'function' ? options(stack) : options);
  return templateText(stack);
}

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const listParameter = (s: Stack) => new CfnParameter(s, 'Keys', { type: 'CommaDelimitedList' }).valueAsList;
const PUNCTUATION_KEY = "a!#$&'*+-.^_`|~z";

/** Every validated prop of EcsTracing.enable: a bad value, the boundary (the limit passes, one past it fails) and a token. */
const ENABLE_CASES: ValidationCase[] = [
  ['annotationKeys', 'bad', () => enableOn({ annotationKeys: ['ok', undefined as any, 3 as any] }),
    { error: /\[Stack\/Task\] annotationKeys\[1\] must be a string \(got undefined\).*\n.*\[Stack\/Task\] annotationKeys\[2\] must be a string \(got 3\)/ }],
  ['annotationKeys', 'bad', () => enableOn({ annotationKeys: 'tenant' as any }), { error: /^\[Stack\/Task\] annotationKeys must be a list of annotation keys \(got "tenant"\)/ }],
  ['annotationKeys', 'bad', () => enableOn({ annotationKeys: ['has space'] }), { error: /\[Stack\/Task\] annotationKeys\[0\] may contain only letters, digits and underscores \(got "has space"\)/ }],
  ['annotationKeys', 'boundary', () => enableOn({ annotationKeys: keys(50) }), { output: /"Name":"XRAY_ANNOTATION_KEYS","Value":"k0,k1,.*,k49"/ }],
  ['annotationKeys', 'boundary', () => enableOn({ annotationKeys: keys(51) }), { error: /annotationKeys declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/ }],
  ['annotationKeys', 'boundary', () => enableOn({ annotationKeys: ['a'.repeat(500)] }), { output: new RegExp('"Value":"a{500}"') }],
  ['annotationKeys', 'boundary', () => enableOn({ annotationKeys: ['a'.repeat(501)] }), { error: /annotationKeys\[0\] must be 1 to 500 characters long/ }],
  ['annotationKeys', 'token', () => enableOn((s: Stack) => ({ annotationKeys: listParameter(s) })), { output: /"Name":"XRAY_ANNOTATION_KEYS","Value":\{"Fn::Join":\[",",\{"Ref":"Keys"\}\]\}/ }],
  ['resourceAttributes', 'bad', () => enableOn({ resourceAttributes: { 'deployment environment': 'prod' } }), { error: /\[Stack\/Task\] resourceAttributes key must be letters, digits .* \(got "deployment environment"\)/ }],
  ['resourceAttributes', 'boundary', () => enableOn({ resourceAttributes: { [PUNCTUATION_KEY]: 'v' } }), { output: /"Value":"a!#\$&'\*\+-\.\^_`\|~z=v"/ }],
  ['resourceAttributes', 'boundary', () => enableOn({ resourceAttributes: { 'a/b': 'v' } }), { error: /resourceAttributes key must be letters.* \(got "a\/b"\)/ }],
  ['resourceAttributes', 'token', () => enableOn((s: Stack) => ({ resourceAttributes: { team: new CfnParameter(s, 'Team').valueAsString } })),
    { output: /"Value":\{"Fn::Join":\["",\["team=",\{"Ref":"Team"\}\]\]\}/ }],
  ['collector.cpu', 'bad', () => enableOn({ collector: TraceCollector.adot({ cpu: 1.5 }) }), { error: /collector.cpu must be a whole number of CPU units, 0 or more \(got 1.5\)/ }],
  ['collector.cpu', 'boundary', () => enableOn({ collector: TraceCollector.adot({ cpu: 256 }) }), { output: /"Cpu":256,.*"Name":"otel-collector"/ }],
  ['collector.cpu', 'boundary', () => enableOn({ collector: TraceCollector.adot({ cpu: 257 }) }), { error: /collector.cpu is more than the task's 256 CPU units \(got 257\)/ }],
  ['collector.cpu', 'token', () => enableOn((s: Stack) => ({ collector: TraceCollector.adot({ cpu: new CfnParameter(s, 'Cpu', { type: 'Number' }).valueAsNumber }) })),
    { output: /"Cpu":\{"Ref":"Cpu"\}/ }],
  ['collector.memoryReservationMiB', 'bad', () => enableOn({ collector: TraceCollector.xrayDaemon({ memoryReservationMiB: 0 }) }), { error: /collector.memoryReservationMiB must be a whole number of MiB, at least 6 \(got 0\)/ }],
  ['collector.memoryReservationMiB', 'boundary', () => enableOn({ collector: TraceCollector.xrayDaemon({ memoryReservationMiB: 6 }) }), { output: /"MemoryReservation":6,"Name":"xray-daemon"/ }],
  ['collector.memoryReservationMiB', 'boundary', () => enableOn({ collector: TraceCollector.xrayDaemon({ memoryReservationMiB: 5 }) }), { error: /at least 6 \(got 5\)/ }],
  ['collector.memoryReservationMiB', 'boundary', () => enableOn({ collector: TraceCollector.adot({ memoryReservationMiB: 512 }) }), { output: /"MemoryReservation":512,"Name":"otel-collector"/ }],
  ['collector.memoryReservationMiB', 'boundary', () => enableOn({ collector: TraceCollector.adot({ memoryReservationMiB: 513 }) }), { error: /collector.memoryReservationMiB is more than the task's 512 MiB \(got 513\)/ }],
  ['collector.memoryReservationMiB', 'token', () => enableOn((s: Stack) => ({ collector: TraceCollector.adot({ memoryReservationMiB: new CfnParameter(s, 'Mem', { type: 'Number' }).valueAsNumber }) })),
    { output: /"MemoryReservation":\{"Ref":"Mem"\}/ }],
  ['collector.logGroup', 'bad', () => enableOn((s: Stack) => ({ collector: TraceCollector.adot({ logGroup: new logs.LogGroup(s, 'G'), logEncryptionKey: new kms.Key(s, 'K') }) })),
    { error: /collector.logEncryptionKey applies to the log group this library creates, but collector.logGroup is given \(got "Stack\/K"\)/ }],
  ['collector.logGroup', 'token', () => enableOn((s: Stack) => ({ collector: TraceCollector.adot({ logGroup: logs.LogGroup.fromLogGroupName(s, 'G', new CfnParameter(s, 'Group').valueAsString) }) })),
    { output: /"awslogs-group":\{"Ref":"Group"\}/ }],
  ['networkMode', 'bad', () => {
    const stack = newStack();
    EcsTracing.enable(new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NONE }));
    return templateText(stack);
  }, { error: /\[Stack\/Task\] networkMode is NONE, so no container can reach a tracing sidecar \(got "none"\)\. Use awsvpc, bridge or host\./ }],
  ['networkMode', 'bad', () => {
    const stack = newStack();
    EcsTracing.enable(new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.NAT }));
    return templateText(stack);
  }, { error: /\[Stack\/Task\] networkMode is NAT/ }],
  ['taskDefinition', 'bad', () => {
    const stack = newStack();
    EcsTracing.enable(ecs.FargateTaskDefinition.fromFargateTaskDefinitionArn(stack, 'Imported', 'arn:aws:ecs:us-east-1:111111111111:task-definition/a:1') as any);
    return templateText(stack);
  }, { error: /\[Stack\/Imported\] taskDefinition is imported/ }],
  ['taskDefinition', 'token', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512, family: new CfnParameter(stack, 'Family').valueAsString });
    task.addContainer('App', { containerName: 'app', image: IMAGE });
    EcsTracing.enable(task);
    return templateText(stack);
  }, { output: /"Family":\{"Ref":"Family"\}/ }],
];

/** Every validated prop of EcsTracing.configureContainer. */
const CONFIGURE_CASES: ValidationCase[] = [
  ['serviceName', 'bad', () => configure({ serviceName: 'orders\tapi' }), { error: /\[Stack\/Task\/App\] serviceName must be 1 to 200 characters .* \(got "orders\\tapi"\)/ }],
  ['serviceName', 'bad', () => configure({ serviceName: '' }), { error: /serviceName must be 1 to 200 characters/ }],
  ['serviceName', 'boundary', () => configure({ serviceName: `${'a'.repeat(180)} _.:/%&#=+\\-@xyz0` }), { output: /"Name":"OTEL_SERVICE_NAME","Value":"a{180} _\.:\/%&#=\+\\\\-@xyz0"/ }],
  ['serviceName', 'boundary', () => configure({ serviceName: 'a'.repeat(201) }), { error: /serviceName must be 1 to 200 characters/ }],
  ['serviceName', 'token', () => configure((s: Stack) => ({ serviceName: new CfnParameter(s, 'Name').valueAsString })), { output: /"Name":"OTEL_SERVICE_NAME","Value":\{"Ref":"Name"\}/ }],
  ['annotationKeys', 'bad', () => configure({ annotationKeys: ['a-b'] }), { error: /\[Stack\/Task\/App\] annotationKeys\[0\] may contain only letters, digits and underscores \(got "a-b"\)\. .* use "a_b"/ }],
  ['annotationKeys', 'boundary', () => configure({ annotationKeys: keys(50) }), { output: /"Value":"k0,.*,k49"/ }],
  ['annotationKeys', 'boundary', () => configure({ annotationKeys: keys(51) }), { error: /declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/ }],
  ['annotationKeys', 'token', () => configure((s: Stack) => ({ annotationKeys: listParameter(s) })), { output: /"Name":"XRAY_ANNOTATION_KEYS","Value":\{"Fn::Join":\[",",\{"Ref":"Keys"\}\]\}/ }],
];

describe('EcsTracing.enable: validation table', () => {
  test.each(ENABLE_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated prop', () => {
    expect(countCases(ENABLE_CASES)).toEqual({ props: 7, bad: 10, boundary: 12, token: 6 });
  });
});

describe('EcsTracing.configureContainer: validation table', () => {
  test.each(CONFIGURE_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated prop', () => {
    expect(countCases(CONFIGURE_CASES)).toEqual({ props: 2, bad: 3, boundary: 4, token: 2 });
  });
});
