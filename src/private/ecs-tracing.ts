import { AspectPriority, Aspects, Aws, Duration, IAspect, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { MAX_ANNOTATIONS_PER_TRACE, validateAnnotationKeys } from './annotation-keys';
import { describe, fail, ProblemCollector } from './errors';
import { ADOT_COLLECTOR_IMAGE, XRAY_DAEMON_IMAGE } from './pinned';
import { warn } from './warnings';
import { AdotCollectorConfig } from '../ecs/collector-config';
import type { EcsTracingOptions, TracedContainerOptions } from '../ecs/ecs-tracing';
import { ContainerInstrumentation, TraceCollector } from '../ecs/trace-collector';
import { XRayWritePolicy } from '../iam/xray-write-policy';

/** The environment variable that carries a container's declared annotation keys, comma-separated. */
const ANNOTATION_KEYS_ENV = 'XRAY_ANNOTATION_KEYS';

/** The largest value of a standard SSM parameter; larger configurations use the advanced tier. */
const STANDARD_PARAMETER_LIMIT = 4096;

/** Samplers that send every span to the collector, as tail sampling needs. */
const SAMPLE_EVERYTHING = ['always_on', 'parentbased_always_on'];

interface TaskTracing {
  readonly options: EcsTracingOptions;
  readonly collector: TraceCollector;
  readonly sidecar: ecs.ContainerDefinition;
  readonly config?: AdotCollectorConfig;
  readonly containerOptions: Map<ecs.ContainerDefinition, TracedContainerOptions>;
  readonly instrumented: Set<ecs.ContainerDefinition>;
  xraySdkSeen: boolean;
}

const traced = new WeakMap<ecs.TaskDefinition, TaskTracing>();

/**
 * The single path that traces a task definition: adds the sidecar and IAM now and registers the aspect that
 * instruments every app container at synthesis (so containers added later, and environment variables the user sets
 * later, are seen). Applying it twice changes nothing.
 */
export function enableEcsTracing(taskDefinition: ecs.TaskDefinition, options: EcsTracingOptions, viaEnable: boolean,
  registerAspect: boolean = true): void {
  if (traced.has(taskDefinition)) {
    return;
  }
  const collector = options.collector ?? TraceCollector.adot();
  const problems = new ProblemCollector(taskDefinition);
  validateAnnotationKeys(problems, 'annotationKeys', options.annotationKeys);
  problems.throwIfAny();
  if (taskDefinition.findContainer(collector.containerName) !== undefined) {
    fail(taskDefinition, 'containers', `already hold a container named ${collector.containerName}, the name of the tracing sidecar`,
      collector.containerName, 'Rename that container: cdk-xray-constructs adds the sidecar under this name.');
  }
  if (viaEnable && taskDefinition.networkMode === ecs.NetworkMode.NONE) {
    fail(taskDefinition, 'networkMode', 'is NONE, so no container can reach a tracing sidecar', 'none', 'Use awsvpc, bridge or host.');
  }

  const config = collector.kind === 'adot' ? collector.adotOptions?.config ?? new AdotCollectorConfig() : undefined;
  const state: TaskTracing = {
    options,
    collector,
    config,
    sidecar: undefined as unknown as ecs.ContainerDefinition,
    containerOptions: new Map(),
    instrumented: new Set(),
    xraySdkSeen: false,
  };
  traced.set(taskDefinition, state);
  (state as { sidecar: ecs.ContainerDefinition }).sidecar = collector.kind === 'adot'
    ? addCollector(taskDefinition, state)
    : addDaemon(taskDefinition, collector);

  const taskRole = taskDefinition.taskRole;
  const policy = XRayWritePolicy.of(taskRole);
  policy.attachTo(taskRole, taskDefinition);
  policy.attachSamplingReadsTo(taskRole, taskDefinition);

  checkSidecarShare(taskDefinition, collector);
  if (registerAspect) {
    // An aspect may not add aspects: EnableTracingAspect instruments the containers itself (instrumentIfPending).
    Aspects.of(taskDefinition).add(new ContainerTracingAspect(), { priority: AspectPriority.MUTATING });
  }
  taskDefinition.node.addValidation({ validate: () => validateKeyBudget(taskDefinition, state) });
}

/** Records one container's options; the aspect applies them at synthesis. */
export function instrumentContainer(container: ecs.ContainerDefinition, options: TracedContainerOptions): void {
  const state = traced.get(container.taskDefinition);
  if (state === undefined) {
    fail(container, 'container', 'belongs to a task definition that is not traced', container.containerName,
      'Call EcsTracing.enable(taskDefinition) or use TracedFargateTaskDefinition first.');
  }
  if (state.instrumented.has(container)) {
    fail(container, 'container', 'is already instrumented', container.containerName, 'Set its tracing options before synthesis, once.');
  }
  const problems = new ProblemCollector(container);
  validateAnnotationKeys(problems, 'annotationKeys', options.annotationKeys);
  problems.throwIfAny();
  if (options.instrumentation?.kind === 'xraySdk') {
    noteXRaySdk(container.taskDefinition, state);
  }
  state.containerOptions.set(container, options);
}

/** Whether a task definition is traced by this library. */
export function isTraced(taskDefinition: ecs.TaskDefinition): boolean {
  return traced.has(taskDefinition);
}

/** Instruments an app container of a traced task definition, once. */
export function instrumentIfPending(node: IConstruct): void {
  if (node instanceof ecs.ContainerDefinition) {
    const state = traced.get(node.taskDefinition);
    if (state !== undefined && node !== state.sidecar && !state.instrumented.has(node)) {
      state.instrumented.add(node);
      applyInstrumentation(node, state);
    }
  }
}

class ContainerTracingAspect implements IAspect {
  public visit(node: IConstruct): void {
    instrumentIfPending(node);
  }
}

function defaultInstrumentation(state: TaskTracing): ContainerInstrumentation {
  return state.options.instrumentation
    ?? (state.collector.kind === 'adot' ? ContainerInstrumentation.openTelemetry() : ContainerInstrumentation.xraySdk());
}

function noteXRaySdk(taskDefinition: ecs.TaskDefinition, state: TaskTracing): void {
  if (state.xraySdkSeen) {
    return;
  }
  state.xraySdkSeen = true;
  if (state.collector.kind === 'adot') {
    if (state.config?.tailSamplingEnabled) {
      fail(taskDefinition, 'instrumentation', 'cannot be an X-Ray SDK when the collector tail-samples', 'ContainerInstrumentation.xraySdk()',
        'X-Ray SDKs decide sampling when a request starts and cannot be told to send every trace; use ContainerInstrumentation.openTelemetry(), or drop tailSampling.');
    }
    if (isPortMapped(taskDefinition)) {
      state.sidecar.addPortMappings({ containerPort: 2000, protocol: ecs.Protocol.UDP });
    }
  }
}

function isPortMapped(taskDefinition: ecs.TaskDefinition): boolean {
  return taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC || taskDefinition.networkMode === ecs.NetworkMode.HOST;
}

/** The address of the sidecar as an app container sees it: its name through a link in bridge mode, else localhost. */
function sidecarHost(container: ecs.ContainerDefinition, state: TaskTracing): string {
  if (container.taskDefinition.networkMode === ecs.NetworkMode.BRIDGE) {
    container.addLink(state.sidecar);
    return state.sidecar.containerName;
  }
  return 'localhost';
}

function applyInstrumentation(container: ecs.ContainerDefinition, state: TaskTracing): void {
  const own = state.containerOptions.get(container) ?? {};
  const instrumentation = own.instrumentation ?? defaultInstrumentation(state);
  if (instrumentation.kind === 'none') {
    return;
  }
  if (instrumentation.kind === 'xraySdk') {
    noteXRaySdk(container.taskDefinition, state);
  }
  const host = sidecarHost(container, state);
  const serviceName = own.serviceName ?? container.containerName;
  const keys = [...(state.options.annotationKeys ?? []), ...(own.annotationKeys ?? [])];
  const wanted: Record<string, string> = {};
  if (keys.length > 0) {
    wanted[ANNOTATION_KEYS_ENV] = [...new Set(keys)].join(',');
  }
  const tail = state.config?.tailSamplingEnabled ?? false;
  if (instrumentation.kind === 'openTelemetry') {
    wanted.OTEL_EXPORTER_OTLP_ENDPOINT = `http://${host}:4318`;
    wanted.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/protobuf';
    wanted.OTEL_PROPAGATORS = 'xray,tracecontext,baggage';
    wanted.OTEL_SERVICE_NAME = serviceName;
    const attributes = resourceAttributes(container, state.options.resourceAttributes);
    if (attributes !== undefined) {
      wanted.OTEL_RESOURCE_ATTRIBUTES = attributes;
    }
    wanted.OTEL_TRACES_SAMPLER = tail ? 'always_on' : 'xray';
    if (!tail) {
      wanted.OTEL_TRACES_SAMPLER_ARG = `endpoint=http://${host}:2000,polling_interval=300`;
    }
    // The sidecar's pipeline carries traces only.
    wanted.OTEL_METRICS_EXPORTER = 'none';
    wanted.OTEL_LOGS_EXPORTER = 'none';
  } else {
    // The X-Ray SDKs want an address, not a host name, outside bridge mode.
    wanted.AWS_XRAY_DAEMON_ADDRESS = `${host === 'localhost' ? '127.0.0.1' : host}:2000`;
    wanted.AWS_XRAY_TRACING_NAME = serviceName;
  }
  setEnvironment(container, wanted, tail);
  container.addContainerDependencies({
    container: state.sidecar,
    condition: state.collector.kind === 'adot' ? ecs.ContainerDependencyCondition.HEALTHY : ecs.ContainerDependencyCondition.START,
  });
}

function resourceAttributes(container: ecs.ContainerDefinition, extra: { [key: string]: string } | undefined): string | undefined {
  const parts: string[] = [];
  const group = container.logDriverConfig?.logDriver === 'awslogs' ? container.logDriverConfig.options?.['awslogs-group'] : undefined;
  if (group !== undefined) {
    parts.push(`aws.log.group.names=${group}`);
  }
  for (const [key, value] of Object.entries(extra ?? {})) {
    parts.push(`${key}=${value}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** The variables and secrets a container already has, as rendered (user intent, read at synthesis). */
function existingVariables(container: ecs.ContainerDefinition): Map<string, unknown> {
  const rendered = Stack.of(container).resolve(container.renderContainerDefinition());
  const found = new Map<string, unknown>();
  for (const e of rendered.environment ?? []) {
    found.set(e.name, e.value);
  }
  for (const s of rendered.secrets ?? []) {
    found.set(s.name, { secret: s.valueFrom });
  }
  return found;
}

function setEnvironment(container: ecs.ContainerDefinition, wanted: Record<string, string>, tail: boolean): void {
  const stack = Stack.of(container);
  const existing = existingVariables(container);
  for (const [key, value] of Object.entries(wanted)) {
    if (!existing.has(key)) {
      container.addEnvironment(key, value);
      continue;
    }
    const current = existing.get(key);
    if (key === 'OTEL_TRACES_SAMPLER' && tail && !(typeof current === 'string' && SAMPLE_EVERYTHING.includes(current))) {
      fail(container, 'environment.OTEL_TRACES_SAMPLER', 'must send every span to the collector, which tail-samples', current,
        'Remove it (cdk-xray-constructs sets always_on), set it to always_on, or drop tailSampling.');
    }
    if (JSON.stringify(current) !== JSON.stringify(stack.resolve(value))) {
      warn(container, 'environmentKept',
        `The environment variable ${key} of container ${container.containerName} is already set to ${describe(current)}; it is kept ` +
        `instead of ${describe(value)}. Remove it to let cdk-xray-constructs set it.`);
    }
  }
}

function addCollector(taskDefinition: ecs.TaskDefinition, state: TaskTracing): ecs.ContainerDefinition {
  const options = state.collector.adotOptions ?? {};
  const config = state.config!;
  const render = () => config._render(taskDefinition, collectKeys(state), state.xraySdkSeen, Stack.of(taskDefinition).region);
  const parameter = new ssm.StringParameter(taskDefinition, 'TraceCollectorConfig', {
    description: `AWS Distro for OpenTelemetry collector configuration of ${taskDefinition.node.path} (cdk-xray-constructs)`,
    stringValue: Lazy.string({ produce: render }),
  });
  const cfnParameter = parameter.node.defaultChild as ssm.CfnParameter;
  cfnParameter.tier = Lazy.string({
    produce: () => render().length > STANDARD_PARAMETER_LIMIT ? 'Advanced' : 'Standard',
  });
  const ports = isPortMapped(taskDefinition)
    ? [4317, 4318, 2000].map(containerPort => ({ containerPort, protocol: ecs.Protocol.TCP }))
    : [];
  if (config.options.xraySdkReceiver) {
    state.xraySdkSeen = true;
    if (isPortMapped(taskDefinition)) {
      ports.push({ containerPort: 2000, protocol: ecs.Protocol.UDP });
    }
  }
  return taskDefinition.addContainer('TraceCollector', {
    ...sidecarBasics(taskDefinition, state.collector, options.image ?? ecs.ContainerImage.fromRegistry(ADOT_COLLECTOR_IMAGE), options.logRetention),
    secrets: { AOT_CONFIG_CONTENT: ecs.Secret.fromSsmParameter(parameter) },
    healthCheck: {
      command: ['CMD', '/healthcheck'],
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(10),
    },
    portMappings: ports,
  });
}

function addDaemon(taskDefinition: ecs.TaskDefinition, collector: TraceCollector): ecs.ContainerDefinition {
  const options = collector.daemonOptions ?? {};
  warn(taskDefinition, 'xrayDaemonEndOfSupport',
    'The AWS X-Ray daemon is in maintenance since 2026-02-25 and loses support on 2027-02-25. Move to ' +
    'TraceCollector.adot() (apps with an X-Ray SDK keep working through its X-Ray receiver) and then to OpenTelemetry SDKs.');
  const fargate = taskDefinition.isFargateCompatible;
  return taskDefinition.addContainer('TraceCollector', {
    ...sidecarBasics(taskDefinition, collector, options.image ?? ecs.ContainerImage.fromRegistry(XRAY_DAEMON_IMAGE), options.logRetention),
    // The image has no shell, so no health check; --local-mode skips the EC2 metadata lookup Fargate has no answer for.
    command: ['--region', Aws.REGION, ...(fargate ? ['--local-mode'] : [])],
    portMappings: isPortMapped(taskDefinition)
      ? [{ containerPort: 2000, protocol: ecs.Protocol.UDP }, { containerPort: 2000, protocol: ecs.Protocol.TCP }]
      : [],
  });
}

/** The CPU units and memory (MiB) a sidecar reserves: its options, or the defaults of its kind. */
function sidecarSize(collector: TraceCollector): { cpu: number; memoryMiB: number } {
  const options = collector.kind === 'adot' ? collector.adotOptions : collector.daemonOptions;
  return { cpu: options?.cpu ?? (collector.kind === 'adot' ? 128 : 32), memoryMiB: options?.memoryReservationMiB ?? 256 };
}

/**
 * What every sidecar has: its name, image and size, not essential but restarted when it exits, and awslogs into its own
 * log group with a retention.
 */
function sidecarBasics(taskDefinition: ecs.TaskDefinition, collector: TraceCollector, image: ecs.ContainerImage,
  retention?: logs.RetentionDays): ecs.ContainerDefinitionOptions {
  const size = sidecarSize(collector);
  return {
    containerName: collector.containerName,
    image,
    cpu: size.cpu,
    memoryReservationMiB: size.memoryMiB,
    essential: false,
    enableRestartPolicy: true,
    restartAttemptPeriod: Duration.seconds(60),
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: collector.containerName,
      logGroup: new logs.LogGroup(taskDefinition, 'TraceCollectorLogs', { retention: retention ?? logs.RetentionDays.ONE_MONTH }),
    }),
  };
}

function collectKeys(state: TaskTracing): string[] {
  const keys = [...(state.options.annotationKeys ?? [])];
  for (const options of state.containerOptions.values()) {
    keys.push(...(options.annotationKeys ?? []));
  }
  return [...new Set(keys.filter(k => !Token.isUnresolved(k)))];
}

function validateKeyBudget(taskDefinition: ecs.TaskDefinition, state: TaskTracing): string[] {
  const keys = [...new Set([...collectKeys(state), ...(state.config?.options.annotationKeys ?? [])])];
  if (keys.length > MAX_ANNOTATIONS_PER_TRACE) {
    return [`[${taskDefinition.node.path}] annotationKeys declare ${keys.length} keys across the task, more than X-Ray indexes per trace ` +
      `(${MAX_ANNOTATIONS_PER_TRACE}) (got ${keys.length}). Declare at most ${MAX_ANNOTATIONS_PER_TRACE}; record other values as metadata.`];
  }
  return [];
}

function checkSidecarShare(taskDefinition: ecs.TaskDefinition, collector: TraceCollector): void {
  const { cpu: sidecarCpu, memoryMiB: sidecarMemory } = sidecarSize(collector);
  const taskCpu = Number(Stack.of(taskDefinition).resolve((taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).cpu));
  const taskMemory = Number(Stack.of(taskDefinition).resolve((taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).memory));
  const shares: string[] = [];
  if (taskCpu > 0 && !Token.isUnresolved(sidecarCpu) && sidecarCpu / taskCpu > 0.25) {
    shares.push(`${sidecarCpu} of ${taskCpu} CPU units`);
  }
  if (taskMemory > 0 && !Token.isUnresolved(sidecarMemory) && sidecarMemory / taskMemory > 0.25) {
    shares.push(`${sidecarMemory} of ${taskMemory} MiB`);
  }
  if (shares.length > 0) {
    warn(taskDefinition, 'sidecarShare',
      `The tracing sidecar reserves more than a quarter of the task (${shares.join(', ')}). Give the task more CPU or memory, or ` +
      'lower the sidecar\'s cpu/memoryReservationMiB if its load is small.');
  }
}
