import { Aws, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { checkSidecarFits, sidecarSize, taskSize } from './task-limits';
import { fail, ProblemCollector, rethrowWithPath } from '../../private/errors';
import { ADOT_COLLECTOR_IMAGE, XRAY_DAEMON_IMAGE } from '../../private/pinned';
import { warn } from '../../private/warnings';
import { AdotCollectorConfig } from '../collector-config';
import { ContainerInstrumentation } from '../container-instrumentation';
import { AdotCollectorOptions, XRayDaemonOptions } from '../trace-collector-options';
import { SidecarSpec } from './sidecar-spec';

/**
 * The tracing sidecar of a task definition: the ADOT collector or the X-Ray daemon, its log group, where it listens,
 * and how it is sized against the task.
 */

/** The AWS Distro for OpenTelemetry collector. */
export function adotSidecar(options: AdotCollectorOptions): SidecarSpec {
  const config = options.config ?? new AdotCollectorConfig();
  const spec: SidecarSpec = {
    name: 'TraceCollector.adot()',
    containerName: 'otel-collector',
    description: 'collector',
    options,
    defaults: { cpu: 128, memoryReservationMiB: 256, logRetention: logs.RetentionDays.ONE_MONTH },
    config,
    defaultInstrumentation: ContainerInstrumentation.openTelemetry(),
    dependencyCondition: ecs.ContainerDependencyCondition.HEALTHY,
    unmappedPorts: ['13133/tcp'],
    add: (taskDefinition, render) => addCollector(taskDefinition, spec, render),
    acceptXRaySdk: (taskDefinition, sidecar, tailSampling) => {
      if (tailSampling) {
        fail(taskDefinition, 'instrumentation', 'cannot be an X-Ray SDK when the collector tail-samples', 'ContainerInstrumentation.xraySdk()',
          'X-Ray SDKs decide sampling when a request starts and cannot be told to send every trace; use ContainerInstrumentation.openTelemetry(), or drop tailSampling.');
      }
      if (isPortMapped(taskDefinition)) {
        sidecar.addPortMappings({ containerPort: 2000, protocol: ecs.Protocol.UDP });
      }
    },
  };
  return spec;
}

/** The AWS X-Ray daemon (legacy). */
export function daemonSidecar(options: XRayDaemonOptions): SidecarSpec {
  const spec: SidecarSpec = {
    name: 'TraceCollector.xrayDaemon()',
    containerName: 'xray-daemon',
    description: 'X-Ray daemon',
    options,
    defaults: { cpu: 32, memoryReservationMiB: 256, logRetention: logs.RetentionDays.ONE_MONTH },
    defaultInstrumentation: ContainerInstrumentation.xraySdk(),
    dependencyCondition: ecs.ContainerDependencyCondition.START,
    unmappedPorts: [],
    add: (taskDefinition) => addDaemon(taskDefinition, spec),
    acceptXRaySdk: () => undefined,
  };
  return spec;
}

/** The largest value of a standard SSM parameter; larger configurations use the advanced tier. */
const STANDARD_PARAMETER_LIMIT = 4096;

/** Checks of the sidecar options that need the task: sizes against the task's, the log options, the platform. */
export function validateSidecarOptions(problems: ProblemCollector, taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): void {
  checkSidecarFits(problems, taskDefinition, spec);
  const options = spec.options;
  if (options.logGroup !== undefined && options.logEncryptionKey !== undefined) {
    problems.add('collector.logEncryptionKey', 'applies to the log group this library creates, but collector.logGroup is given', options.logEncryptionKey.node.path,
      'Pass one: an encrypted log group of your own as logGroup, or logEncryptionKey for the one created.');
  }
  if (options.logGroup !== undefined && options.logRetention !== undefined) {
    problems.add('collector.logRetention', 'applies to the log group this library creates, but collector.logGroup is given', options.logRetention,
      'Set the retention on your log group, and drop logRetention.');
  }
  const family = windowsFamilyForPinnedImage(taskDefinition, spec);
  if (family !== undefined) {
    problems.add('runtimePlatform.operatingSystemFamily', `is ${family}, but the pinned ${spec.description} image is a Linux image`,
      family, 'Pass an image built for Windows as the collector\'s image (and check its health-check command), or trace a Linux task.');
  }
}

/**
 * The task's Windows operating-system family when the sidecar would run its pinned image, which is a Linux image;
 * undefined for a Linux (or unset) family, or when the collector options name an image of their own.
 */
export function windowsFamilyForPinnedImage(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): string | undefined {
  const options = spec.options;
  const platform = Stack.of(taskDefinition).resolve((taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).runtimePlatform);
  const family = platform?.operatingSystemFamily;
  return typeof family === 'string' && family.startsWith('WINDOWS') && options.image === undefined ? family : undefined;
}

/** Whether the task's containers share a network namespace (awsvpc, host): the sidecar maps its ports there. */
export function isPortMapped(taskDefinition: ecs.TaskDefinition): boolean {
  return taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC || taskDefinition.networkMode === ecs.NetworkMode.HOST;
}

/**
 * The address the sidecar binds. In awsvpc mode the containers of a task share one network namespace, loopback
 * included, and in host mode they share the instance's: 127.0.0.1 reaches the sidecar and nothing outside the task
 * (the instance, in host mode) reaches it. In bridge mode each container has its own namespace and the apps come
 * through a link over the bridge, so the sidecar must listen on 0.0.0.0 (it maps no host port).
 * Narrow matters: the X-Ray sampling proxy on TCP 2000 (the collector's awsproxy extension or awsxray receiver, the
 * daemon's -t) signs whatever it forwards with the task role, so whoever reaches it can call X-Ray as the task.
 */
export function listenAddress(taskDefinition: ecs.TaskDefinition): string {
  return taskDefinition.networkMode === ecs.NetworkMode.BRIDGE ? '0.0.0.0' : '127.0.0.1';
}

/** Calls into aws-cdk-lib on behalf of the tracing options; an error it raises is given the path, the prop and a fix. */
function onBehalf<T>(where: IConstruct, prop: string, got: unknown, fix: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    return rethrowWithPath(where, prop, e, fix, got);
  }
}

/**
 * Adds the ADOT collector: its configuration (rendered by `render` at synthesis, from the keys and containers then
 * known) in an SSM parameter handed over as `AOT_CONFIG_CONTENT`, its health check and, where the task's containers
 * share a network namespace, its ports.
 */
function addCollector(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec, render: () => string): ecs.ContainerDefinition {
  const options = spec.options;
  const parameter = new ssm.StringParameter(taskDefinition, 'TraceCollectorConfig', {
    description: `AWS Distro for OpenTelemetry collector configuration of ${taskDefinition.node.path} (cdk-xray-constructs)`,
    stringValue: Lazy.string({ produce: render }),
  });
  const cfnParameter = parameter.node.defaultChild as ssm.CfnParameter;
  cfnParameter.tier = Lazy.string({
    produce: () => render().length > STANDARD_PARAMETER_LIMIT ? 'Advanced' : 'Standard',
  });
  // In host mode the health check's port is mapped too, so that ECS reserves it on the instance and never places two
  // traced tasks where their collectors would both need it.
  const tcp = taskDefinition.networkMode === ecs.NetworkMode.HOST ? [4317, 4318, 2000, 13133] : [4317, 4318, 2000];
  const ports = isPortMapped(taskDefinition) ? tcp.map(containerPort => ({ containerPort, protocol: ecs.Protocol.TCP })) : [];
  if (spec.config?.options.xraySdkReceiver && isPortMapped(taskDefinition)) {
    ports.push({ containerPort: 2000, protocol: ecs.Protocol.UDP });
  }
  const basics = sidecarBasics(taskDefinition, spec, options.image ?? ecs.ContainerImage.fromRegistry(ADOT_COLLECTOR_IMAGE));
  return onBehalf(taskDefinition, 'collector', 'TraceCollector.adot()', 'Check the collector options against the task (cpu, memory, network mode).',
    () => taskDefinition.addContainer('TraceCollector', {
      ...basics,
      secrets: { AOT_CONFIG_CONTENT: ecs.Secret.fromSsmParameter(parameter) },
      healthCheck: {
        command: ['CMD', '/healthcheck'],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
      portMappings: ports,
    }));
}

/** Adds the X-Ray daemon, bound to the narrowest address the network mode allows. */
function addDaemon(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): ecs.ContainerDefinition {
  const options = spec.options;
  warn(taskDefinition, 'xrayDaemonEndOfSupport',
    'The AWS X-Ray daemon is in maintenance since 2026-02-25 and loses support on 2027-02-25. Move to ' +
    'TraceCollector.adot() (apps with an X-Ray SDK keep working through its X-Ray receiver) and then to OpenTelemetry SDKs.');
  const fargate = taskDefinition.isFargateCompatible;
  const bind = `${listenAddress(taskDefinition)}:2000`;
  const basics = sidecarBasics(taskDefinition, spec, options.image ?? ecs.ContainerImage.fromRegistry(XRAY_DAEMON_IMAGE));
  return onBehalf(taskDefinition, 'collector', 'TraceCollector.xrayDaemon()', 'Check the daemon options against the task (cpu, memory, network mode).',
    () => taskDefinition.addContainer('TraceCollector', {
      ...basics,
      // The image has no shell, so no health check; --local-mode skips the EC2 metadata lookup Fargate has no answer for.
      // -b (segments, UDP) and -t (sampling proxy, TCP) override the image's 0.0.0.0 with the narrowest address that works.
      command: ['-b', bind, '-t', bind, '--region', Aws.REGION, ...(fargate ? ['--local-mode'] : [])],
      portMappings: isPortMapped(taskDefinition)
        ? [{ containerPort: 2000, protocol: ecs.Protocol.UDP }, { containerPort: 2000, protocol: ecs.Protocol.TCP }]
        : [],
    }));
}

/** The `port/protocol`s the sidecar listens on, for the port checks: its mappings, and the collector's health check. */
export function sidecarPorts(spec: SidecarSpec, sidecar: ecs.ContainerDefinition): string[] {
  const mapped = sidecar.portMappings.map(m => `${m.containerPort}/${m.protocol ?? 'tcp'}`);
  return [...mapped, ...spec.unmappedPorts];
}

/** Keys this library has granted CloudWatch Logs the use of (one statement per key). */
const logsKeys = new WeakSet<kms.IKey>();

/** The sidecar's log group: the user's, or a new one (encrypted with the user's key when given). */
function sidecarLogGroup(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): logs.ILogGroup {
  const options = spec.options;
  if (options.logGroup !== undefined) {
    return options.logGroup;
  }
  const key = options.logEncryptionKey;
  const group = onBehalf(taskDefinition, 'collector.logEncryptionKey', key?.node.path, 'Pass a symmetric KMS key (kms.Key) or leave logEncryptionKey out.',
    () => new logs.LogGroup(taskDefinition, 'TraceCollectorLogs', {
      retention: options.logRetention ?? spec.defaults.logRetention,
      encryptionKey: key,
    }));
  if (key !== undefined && !logsKeys.has(key)) {
    logsKeys.add(key);
    const added = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
    }), true);
    if (!added.statementAdded) {
      warn(taskDefinition, 'logEncryptionKeyPolicy',
        `The key ${key.node.path} is imported, so its key policy cannot be changed here. It must let the service principal ` +
        'logs.<region>.amazonaws.com use it (kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*), or the log group fails to create.');
    }
  }
  return group;
}

/**
 * What every sidecar has: its name, image and size, not essential but restarted when it exits, and awslogs into its own
 * log group.
 */
function sidecarBasics(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec, image: ecs.ContainerImage): ecs.ContainerDefinitionOptions {
  const size = sidecarSize(spec);
  return {
    containerName: spec.containerName,
    image,
    cpu: size.cpu,
    memoryReservationMiB: size.memoryMiB,
    essential: false,
    enableRestartPolicy: true,
    restartAttemptPeriod: Duration.seconds(60),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: spec.containerName, logGroup: sidecarLogGroup(taskDefinition, spec) }),
  };
}

export function checkSidecarShare(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): void {
  const { cpu: sidecarCpu, memoryMiB: sidecarMemory } = sidecarSize(spec);
  const { cpu: taskCpu, memoryMiB: taskMemory } = taskSize(taskDefinition);
  const shares: string[] = [];
  if (taskCpu !== undefined && taskCpu > 0 && !Token.isUnresolved(sidecarCpu) && sidecarCpu / taskCpu > 0.25) {
    shares.push(`${sidecarCpu} of ${taskCpu} CPU units`);
  }
  if (taskMemory !== undefined && taskMemory > 0 && !Token.isUnresolved(sidecarMemory) && sidecarMemory / taskMemory > 0.25) {
    shares.push(`${sidecarMemory} of ${taskMemory} MiB`);
  }
  if (shares.length > 0) {
    warn(taskDefinition, 'sidecarShare',
      `The tracing sidecar reserves more than a quarter of the task (${shares.join(', ')}). Give the task more CPU or memory, or ` +
      'lower the sidecar\'s cpu/memoryReservationMiB if its load is small.');
  }
}
