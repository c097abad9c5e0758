import { Aws, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { SidecarSpec } from './sidecar-spec';
import { checkSidecarFits, sidecarSize, taskSize } from './task-limits';
import { XRayWritePolicy } from '../../iam/xray-write-policy';
import { fail, ProblemCollector, rethrowWithPath } from '../../private/errors';
import { ADOT_COLLECTOR_IMAGE, CLOUDWATCH_AGENT_IMAGE, XRAY_DAEMON_IMAGE } from '../../private/pinned';
import { warn } from '../../private/warnings';
import { AdotCollectorConfig } from '../collector-config';
import { ContainerInstrumentation } from '../container-instrumentation';
import { AdotCollectorOptions, ApplicationSignalsOptions, DirectToXRayOptions, XRayDaemonOptions } from '../trace-collector-options';

/**
 * The trace collector of a task definition: the ADOT collector, the X-Ray daemon or the CloudWatch agent of
 * Application Signals as a sidecar (its log group, where it listens, how it is sized against the task), or no sidecar
 * when the SDKs export straight to X-Ray's OTLP endpoint.
 */

/** The options every sidecar takes. */
const SIDECAR_OPTIONS = ['image', 'cpu', 'memoryReservationMiB', 'logRetention', 'logGroup', 'logEncryptionKey'];

/** The stack's X-Ray write and sampling-read policies on the task role: what a sidecar that exports to X-Ray needs. */
function grantXRayWriteAndSampling(taskDefinition: ecs.TaskDefinition): void {
  const taskRole = taskDefinition.taskRole;
  const policy = XRayWritePolicy.of(taskRole);
  policy.attachTo(taskRole, taskDefinition);
  policy.attachSamplingReadsTo(taskRole, taskDefinition);
}

/** The AWS Distro for OpenTelemetry collector. */
export function adotSidecar(options: AdotCollectorOptions): SidecarSpec {
  const config = options.config ?? new AdotCollectorConfig();
  const spec: SidecarSpec = {
    name: 'TraceCollector.adot()',
    kind: 'adot',
    containerName: 'otel-collector',
    description: 'collector',
    options,
    exportTarget: 'collector',
    defaults: { cpu: 128, memoryReservationMiB: 256, logRetention: logs.RetentionDays.ONE_MONTH },
    config,
    defaultInstrumentation: ContainerInstrumentation.openTelemetry(),
    dependencyCondition: ecs.ContainerDependencyCondition.HEALTHY,
    unmappedPorts: ['13133/tcp'],
    add: (taskDefinition, render) => addCollector(taskDefinition, spec, render),
    grant: grantXRayWriteAndSampling,
    takesXRaySdk: true,
    acceptXRaySdk: (_where, taskDefinition, sidecar, tailSampling) => {
      if (tailSampling) {
        fail(taskDefinition, 'instrumentation', 'cannot be an X-Ray SDK when the collector tail-samples', 'ContainerInstrumentation.xraySdk()',
          'X-Ray SDKs decide sampling when a request starts and cannot be told to send every trace; use ContainerInstrumentation.openTelemetry(), or drop tailSampling.');
      }
      if (isPortMapped(taskDefinition)) {
        sidecar!.addPortMappings({ containerPort: 2000, protocol: ecs.Protocol.UDP });
      }
    },
  };
  return spec;
}

/** The AWS X-Ray daemon (legacy). */
export function daemonSidecar(options: XRayDaemonOptions): SidecarSpec {
  const spec: SidecarSpec = {
    name: 'TraceCollector.xrayDaemon()',
    kind: 'xrayDaemon',
    containerName: 'xray-daemon',
    description: 'X-Ray daemon',
    options,
    exportTarget: 'collector',
    defaults: { cpu: 32, memoryReservationMiB: 256, logRetention: logs.RetentionDays.ONE_MONTH },
    defaultInstrumentation: ContainerInstrumentation.xraySdk(),
    dependencyCondition: ecs.ContainerDependencyCondition.START,
    unmappedPorts: [],
    add: (taskDefinition) => addDaemon(taskDefinition, spec),
    grant: grantXRayWriteAndSampling,
    takesXRaySdk: true,
    acceptXRaySdk: () => undefined,
  };
  return spec;
}

/**
 * The CloudWatch agent configuration AWS documents for Application Signals on ECS: receive traces and metrics from
 * the ADOT SDKs (its `application_signals` sections), nothing else.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-ECS-Sidecar.html
 */
export const APPLICATION_SIGNALS_AGENT_CONFIG = JSON.stringify({
  traces: { traces_collected: { application_signals: {} } },
  logs: { metrics_collected: { application_signals: {} } },
});

/** The CloudWatch agent of CloudWatch Application Signals, with the sidecar strategy (awsvpc only). */
export function applicationSignalsSidecar(options: ApplicationSignalsOptions): SidecarSpec {
  const spec: SidecarSpec = {
    name: 'TraceCollector.applicationSignals()',
    kind: 'applicationSignals',
    containerName: 'cloudwatch-agent',
    description: 'CloudWatch agent',
    options,
    acceptedOptions: SIDECAR_OPTIONS,
    defaults: { cpu: 64, memoryReservationMiB: 128, logRetention: logs.RetentionDays.ONE_MONTH },
    defaultInstrumentation: ContainerInstrumentation.openTelemetry(),
    exportTarget: 'applicationSignals',
    // The image is built FROM scratch: no shell, no health-check command.
    dependencyCondition: ecs.ContainerDependencyCondition.START,
    // Its Application Signals receivers (OTLP gRPC 4315, HTTP 4316) and X-Ray sampling proxy, on 0.0.0.0, which its
    // configuration cannot change.
    unmappedPorts: ['4315/tcp', '4316/tcp', '2000/tcp'],
    add: (taskDefinition) => addCloudWatchAgent(taskDefinition, spec),
    validate: (problems, taskDefinition) => {
      if (taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC) {
        problems.add('networkMode', `is ${taskDefinition.networkMode}, but AWS supports CloudWatch Application Signals with the CloudWatch agent as a ` +
          'sidecar in awsvpc mode only', taskDefinition.networkMode,
        'Use the awsvpc network mode (Fargate always does), or trace the task with TraceCollector.adot(), which also runs in bridge and host mode.');
      }
    },
    refusesPlatform: (taskDefinition) => taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC,
    grant: (taskDefinition) => {
      grantXRayWriteAndSampling(taskDefinition);
      XRayWritePolicy.of(taskDefinition.taskRole).attachApplicationSignalsDataTo(taskDefinition.taskRole, taskDefinition);
    },
    takesXRaySdk: false,
    acceptXRaySdk: (where) => fail(where, 'instrumentation', 'cannot be an X-Ray SDK with TraceCollector.applicationSignals()',
      'ContainerInstrumentation.xraySdk()',
      'Application Signals takes spans and metrics from the AWS Distro for OpenTelemetry SDKs only (the CloudWatch agent receives no X-Ray SDK ' +
      'segments there): instrument the container with ContainerInstrumentation.openTelemetry() and an ADOT SDK, or trace the task with ' +
      'TraceCollector.adot(), whose collector also takes X-Ray SDK segments.'),
  };
  return spec;
}

/** The default share of new traces the SDKs record when they export straight to X-Ray. */
export const DEFAULT_DIRECT_SAMPLING_RATIO = 0.05;

/** No sidecar: the ADOT SDKs export spans to the X-Ray OTLP endpoint, SigV4-signed with the task role. */
export function directToXRay(options: DirectToXRayOptions): SidecarSpec {
  const spec: SidecarSpec = {
    name: 'TraceCollector.directToXRay()',
    kind: 'direct',
    containerName: '',
    description: 'OpenTelemetry SDKs',
    options,
    acceptedOptions: ['samplingRatio'],
    defaults: { samplingRatio: DEFAULT_DIRECT_SAMPLING_RATIO },
    defaultInstrumentation: ContainerInstrumentation.openTelemetry(),
    exportTarget: 'xrayOtlp',
    dependencyCondition: ecs.ContainerDependencyCondition.START,
    unmappedPorts: [],
    add: () => undefined,
    validate: (problems, taskDefinition, viaEnable) => {
      const ratio = options.samplingRatio;
      if (ratio !== undefined && !Token.isUnresolved(ratio) && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
        problems.add('collector.samplingRatio', 'must be a number from 0 to 1', ratio,
          'It is the fraction of new traces the SDKs record: 0.05 records 5 %, 1 records every trace.');
      }
      const region = Stack.of(taskDefinition).region;
      if (!Token.isUnresolved(region) && region.startsWith('cn-')) {
        problems.add('collector', `is TraceCollector.directToXRay(), but the stack's Region ${region} is in the China partition, where the X-Ray ` +
          'endpoints end in amazonaws.com.cn and the ADOT SDKs sign only https://xray.<region>.amazonaws.com/v1/traces', region,
        'Trace the task with TraceCollector.adot() there (its collector signs the X-Ray API calls itself).');
      }
      if (viaEnable && taskDefinition.networkMode === ecs.NetworkMode.NONE) {
        problems.add('networkMode', 'is NONE, so no container can reach the X-Ray OTLP endpoint', 'none', 'Use awsvpc, bridge or host.');
      }
    },
    refusesPlatform: (taskDefinition) => taskDefinition.networkMode === ecs.NetworkMode.NONE,
    grant: (taskDefinition) => {
      XRayWritePolicy.of(taskDefinition.taskRole).attachOtlpSpanWritesTo(taskDefinition.taskRole, taskDefinition);
    },
    takesXRaySdk: false,
    acceptXRaySdk: (where) => fail(where, 'instrumentation', 'cannot be an X-Ray SDK with TraceCollector.directToXRay()',
      'ContainerInstrumentation.xraySdk()',
      'An X-Ray SDK sends segments over UDP to a daemon, and directToXRay() adds none: instrument the container with ' +
      'ContainerInstrumentation.openTelemetry() and an ADOT SDK, or trace the task with TraceCollector.adot() or TraceCollector.xrayDaemon().'),
  };
  return spec;
}

/**
 * The `https://xray.<region>.amazonaws.com/v1/traces` endpoint of the stack's Region (a token in an
 * environment-agnostic stack): the URL the ADOT SDKs recognize and sign with SigV4.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLPEndpoint.html
 */
export function xrayOtlpEndpoint(scope: IConstruct): string {
  const region = Stack.of(scope).region;
  return `https://xray.${Token.isUnresolved(region) ? Aws.REGION : region}.amazonaws.com/v1/traces`;
}

/** The largest value of a standard SSM parameter; larger configurations use the advanced tier. */
const STANDARD_PARAMETER_LIMIT = 4096;

/** Checks of the sidecar options that need the task: sizes against the task's, the log options, the platform. */
export function validateSidecarOptions(problems: ProblemCollector, taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): void {
  const options = spec.options;
  refuseOtherOptions(problems, spec);
  if (spec.containerName === '') {
    return;
  }
  checkSidecarFits(problems, taskDefinition, spec);
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

/** Refuses the options a kind does not take (they reach it untyped, or from another kind's options object). */
function refuseOtherOptions(problems: ProblemCollector, spec: SidecarSpec): void {
  if (spec.acceptedOptions === undefined) {
    return;
  }
  for (const [key, value] of Object.entries(spec.options)) {
    if (value === undefined || spec.acceptedOptions.includes(key)) {
      continue;
    }
    if (spec.kind === 'direct') {
      const what = key === 'config' ? 'the ADOT collector (its configuration, tail sampling, indexed attributes)' : 'a tracing sidecar';
      problems.add(`collector.${key}`, `applies to ${what}, but TraceCollector.directToXRay() adds none: the SDKs export straight to X-Ray`,
        value, `Remove ${key}, or trace the task with TraceCollector.adot(${key === 'config' ? '{ config }' : ''}) if it needs a sidecar` +
        (key === 'config' ? ' (tail sampling needs the collector).' : '.'));
    } else if (key === 'config') {
      problems.add('collector.config', `applies to the ADOT collector, but ${spec.name} runs the CloudWatch agent with AWS's Application Signals configuration`,
        value, 'Remove config, or trace the task with TraceCollector.adot({ config }) for tail sampling and indexed attributes.');
    } else {
      problems.add(`collector.${key}`, `is not an option of ${spec.name}`, value, `Remove ${key}; the options are ${spec.acceptedOptions.join(', ')}.`);
    }
  }
}

/**
 * The task's Windows operating-system family when the sidecar would run its pinned image, which is a Linux image;
 * undefined for a Linux (or unset) family, or when the collector options name an image of their own.
 */
export function windowsFamilyForPinnedImage(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): string | undefined {
  const options = spec.options;
  if (spec.containerName === '') {
    return undefined;
  }
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

/**
 * Adds the CloudWatch agent with the Application Signals configuration in `CW_CONFIG_CONTENT`, the variable the agent's
 * container image reads its configuration from (AWS's guide hands the same JSON over from an SSM parameter; it is no
 * secret, so it is written into the task definition, where the checks can read it). It maps no port: in awsvpc mode
 * the app containers reach it over localhost.
 */
function addCloudWatchAgent(taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): ecs.ContainerDefinition {
  const basics = sidecarBasics(taskDefinition, spec, spec.options.image ?? ecs.ContainerImage.fromRegistry(CLOUDWATCH_AGENT_IMAGE));
  return onBehalf(taskDefinition, 'collector', spec.name, 'Check the CloudWatch agent options against the task (cpu, memory).',
    () => taskDefinition.addContainer('TraceCollector', {
      ...basics,
      environment: { CW_CONFIG_CONTENT: APPLICATION_SIGNALS_AGENT_CONFIG },
    }));
}

/** The `port/protocol`s the sidecar listens on, for the port checks: its mappings, and the collector's health check. */
export function sidecarPorts(spec: SidecarSpec, sidecar: ecs.ContainerDefinition | undefined): string[] {
  if (sidecar === undefined) {
    return [];
  }
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
      retention: options.logRetention ?? spec.defaults.logRetention ?? logs.RetentionDays.ONE_MONTH,
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
  if (spec.containerName === '') {
    return;
  }
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
