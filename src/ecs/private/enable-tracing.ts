import { AspectPriority, Aspects, IAspect, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { fail, ProblemCollector, unwrapResolutionError, validationMessage } from '../../private/errors';
import { AdotCollectorConfig } from '../collector-config';
import type { EcsTracingOptions, TracedContainerOptions } from '../ecs-tracing-options';
import { addAutoInstrumentation, agentEnvironment, EXTENDED_VARIABLES, isInitContainer, ownVariable, validateAutoInstrumentation } from './auto-instrumentation';
import { compareOptions, containerTracingFields, pickContainerOptions, pickTracingOptions, taskTracingFields } from './options';
import {
  joinAnnotationKeys, renderResourceAttributes, validateResourceAttributes,
} from './otel-env';
import {
  checkSidecarShare, listenAddress, sidecarPorts, validateSidecarOptions, windowsFamilyForPinnedImage, xrayOtlpEndpoint,
} from './sidecar';
import { SidecarSpec } from './sidecar-spec';
import { assertDefinedHere, validateTaskLimits } from './task-limits';
import { MAX_ANNOTATIONS_PER_TRACE, MAX_SEGMENT_NAME_LENGTH, validateAnnotationKeys, validateSegmentName, ANNOTATION_KEYS_ENV } from '../../private/annotation-keys';
import { setEnvironmentWithoutOverwriting } from '../../private/environment';
import { TRACING_METADATA_KEY } from '../../private/metadata';
import { ResourceDetection } from '../../private/resource-detection';
import { ContainerInstrumentation } from '../container-instrumentation';
import { TraceCollector } from '../trace-collector';


/**
 * The task's attributes from the task metadata endpoint, with the timeout the processor's documentation gives. The
 * `aws.log.*` attributes are the sidecar's own log configuration, not the app's, so they are left out (the apps set
 * `aws.log.group.names` themselves).
 */
const ECS_LOG_ATTRIBUTES = ['aws.log.group.arns', 'aws.log.group.names', 'aws.log.stream.arns', 'aws.log.stream.names'];
const ECS_RESOURCE_DETECTION: ResourceDetection = {
  detectors: ['env', 'ecs'],
  timeout: '2s',
  detectorSettings: { ecs: { resource_attributes: Object.fromEntries(ECS_LOG_ATTRIBUTES.map(a => [a, { enabled: false }])) } },
};

/** Samplers that send every span to the collector, as tail sampling needs. */
const SAMPLE_EVERYTHING = ['always_on', 'parentbased_always_on'];

interface TaskTracing {
  readonly options: EcsTracingOptions;
  readonly fields: Record<string, unknown>;
  readonly spec: SidecarSpec;
  /** The sidecar container; undefined when the collector adds none (`directToXRay()`). */
  readonly sidecar?: ecs.ContainerDefinition;
  readonly config?: AdotCollectorConfig;
  readonly containerOptions: Map<ecs.ContainerDefinition, TracedContainerOptions>;
  readonly instrumented: Set<ecs.ContainerDefinition>;
  xraySdkSeen: boolean;
}

const traced = new WeakMap<ecs.TaskDefinition, TaskTracing>();

const ONCE_FIX = 'A task definition is traced once: pass the same options to every EcsTracing.enable (or only to TracedFargateTaskDefinition), ' +
  'or put them together in one call; per-container options go through EcsTracing.configureContainer.';

/**
 * The single path that traces a task definition: adds the sidecar and IAM now and registers the aspect that
 * instruments every app container at synthesis (so containers added later, and environment variables the user sets
 * later, are seen). Applying it again with the same options changes nothing; with other options it fails, naming what
 * differs, since one task has one sidecar.
 */
export function enableEcsTracing(taskDefinition: ecs.TaskDefinition, allOptions: EcsTracingOptions, viaEnable: boolean,
  registerAspect: boolean = true): void {
  assertDefinedHere(taskDefinition, 'EcsTracing.enable');
  const options = pickTracingOptions(allOptions ?? {});
  const fields = taskTracingFields(options);
  const existing = traced.get(taskDefinition);
  if (existing !== undefined) {
    const problems = new ProblemCollector(taskDefinition);
    // Another kind of sidecar differs in every option; the kind says it all.
    const sameKind = existing.fields.collector === fields.collector;
    const comparable = (f: Record<string, unknown>) => sameKind ? f : Object.fromEntries(Object.entries(f).filter(([k]) => !k.startsWith('collector.')));
    compareOptions(problems, comparable(existing.fields), comparable(fields), 'options this task definition is already traced with', ONCE_FIX);
    problems.throwIfAny();
    return;
  }
  const spec = (options.collector ?? TraceCollector.adot())._bind();
  const problems = new ProblemCollector(taskDefinition);
  validateAnnotationKeys(problems, 'annotationKeys', options.annotationKeys);
  validateResourceAttributes(problems, 'resourceAttributes', options.resourceAttributes);
  validateSidecarOptions(problems, taskDefinition, spec);
  if (spec.containerName !== '' && taskDefinition.findContainer(spec.containerName) !== undefined) {
    problems.add('containers', `already hold a container named ${spec.containerName}, the name of the tracing sidecar`,
      spec.containerName, 'Rename that container: cdk-xray-constructs adds the sidecar under this name.');
  }
  if (spec.validate !== undefined) {
    // The kind checks the network mode itself (Application Signals: awsvpc only; no sidecar: anything with a network).
    spec.validate(problems, taskDefinition, viaEnable);
  } else {
    if (viaEnable && taskDefinition.networkMode === ecs.NetworkMode.NONE) {
      problems.add('networkMode', 'is NONE, so no container can reach a tracing sidecar', 'none', 'Use awsvpc, bridge or host.');
    }
    if (taskDefinition.networkMode === ecs.NetworkMode.NAT) {
      problems.add('networkMode', 'is NAT, which only Windows container instances use: the tracing sidecar images are Linux images, and the apps could reach the ' +
        'sidecar neither over localhost nor through a link', 'nat', 'Trace the task on Linux container instances (awsvpc, bridge or host).');
    }
  }
  problems.throwIfAny();
  validateAutoInstrumentation(taskDefinition, taskDefinition, options.instrumentation);
  if (options.instrumentation?._usesXRaySdk && !spec.takesXRaySdk) {
    // Refused now, naming the task, by the kinds that take no X-Ray SDK segments (the others accept them at synthesis).
    spec.acceptXRaySdk(taskDefinition, taskDefinition, undefined, false);
  }

  const config = spec.config;
  // Checked now, naming the task: the configuration is rendered at synthesis inside a token, where an error loses the path.
  config?._validate(taskDefinition);
  const state: TaskTracing = {
    options,
    fields,
    spec,
    config,
    sidecar: undefined as unknown as ecs.ContainerDefinition,
    containerOptions: new Map(),
    instrumented: new Set(),
    xraySdkSeen: false,
  };
  if (config?.options.xraySdkReceiver) {
    state.xraySdkSeen = true;
  }
  const address = listenAddress(taskDefinition);
  const renderOrError = (): { yaml: string } | { error: unknown } => {
    try {
      const detection = (config!.options.resourceDetection ?? true) ? ECS_RESOURCE_DETECTION : undefined;
      return { yaml: config!._render(taskDefinition, keyLists(state), state.xraySdkSeen, Stack.of(taskDefinition).region, address, detection) };
    } catch (error) {
      return { error };
    }
  };
  // The token never throws (aws-cdk-lib would wrap the error in "Resolution error:" once per level, with no path): a
  // configuration that cannot be rendered is reported by the task's validation below, which runs before resolution.
  const render = () => {
    const outcome = renderOrError();
    return 'yaml' in outcome ? outcome.yaml : '';
  };
  (state as { sidecar?: ecs.ContainerDefinition }).sidecar = spec.add(taskDefinition, render);
  traced.set(taskDefinition, state);
  (taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addMetadata(TRACING_METADATA_KEY, { collector: spec.kind });

  spec.grant(taskDefinition);

  checkSidecarShare(taskDefinition, spec);
  if (registerAspect) {
    // An aspect may not add aspects: EnableTracingAspect instruments the containers itself (instrumentIfPending).
    Aspects.of(taskDefinition).add(new ContainerTracingAspect(), { priority: AspectPriority.MUTATING });
  }
  taskDefinition.node.addValidation({
    validate: () => [
      ...(config !== undefined ? renderProblems(taskDefinition, renderOrError()) : []),
      ...validateKeyBudget(taskDefinition, state),
      ...validateTaskLimits(taskDefinition, state.sidecar, sidecarPorts(state.spec, state.sidecar)),
    ],
  });
}

/**
 * Records one container's options; the aspect applies them at synthesis. The same options again change nothing;
 * other options fail, naming what differs.
 */
export function instrumentContainer(container: ecs.ContainerDefinition, allOptions: TracedContainerOptions): void {
  if (!(container instanceof ecs.ContainerDefinition)) {
    fail(typeof (container as IConstruct | undefined)?.node?.path === 'string' ? container : 'EcsTracing.configureContainer', 'container',
      'is not an ecs.ContainerDefinition', String(container), 'Pass the container that taskDefinition.addContainer() returned.');
  }
  const state = traced.get(container.taskDefinition);
  if (state === undefined) {
    fail(container, 'container', 'belongs to a task definition that is not traced', container.containerName,
      'Call EcsTracing.enable(taskDefinition) or use TracedFargateTaskDefinition first.');
  }
  if (state.sidecar !== undefined && container === state.sidecar) {
    fail(container, 'container', 'is the tracing sidecar itself', container.containerName, 'Configure the app containers; the sidecar is set up by its TraceCollector options.');
  }
  const options = pickContainerOptions(allOptions ?? {});
  const previous = state.containerOptions.get(container);
  if (previous !== undefined) {
    const problems = new ProblemCollector(container);
    const taskKind = defaultInstrumentation(state)._name;
    compareOptions(problems, containerTracingFields(container, previous, taskKind), containerTracingFields(container, options, taskKind),
      'tracing options this container already has', 'Set a container\'s tracing options once, or pass the same options again.');
    problems.throwIfAny();
    return;
  }
  if (state.instrumented.has(container)) {
    fail(container, 'container', 'is already instrumented', container.containerName, 'Set its tracing options before synthesis, once.');
  }
  const problems = new ProblemCollector(container);
  validateAnnotationKeys(problems, 'annotationKeys', options.annotationKeys);
  validateSegmentName(problems, 'serviceName', options.serviceName);
  problems.throwIfAny();
  validateAutoInstrumentation(container, container.taskDefinition, options.instrumentation);
  if (options.instrumentation?._usesXRaySdk) {
    noteXRaySdk(container, state);
  }
  state.containerOptions.set(container, options);
}

/**
 * Whether `enableEcsTracing` refuses the task for its platform whatever else is set: no network (NONE), the NAT
 * network mode of Windows container instances, or a Windows family with the sidecar's pinned Linux image. The aspect
 * skips these tasks instead of failing the app.
 */
export function isUntraceablePlatform(taskDefinition: ecs.TaskDefinition, allOptions: EcsTracingOptions): boolean {
  const spec = (pickTracingOptions(allOptions ?? {}).collector ?? TraceCollector.adot())._bind();
  if (spec.refusesPlatform !== undefined) {
    return spec.refusesPlatform(taskDefinition) || windowsFamilyForPinnedImage(taskDefinition, spec) !== undefined;
  }
  return taskDefinition.networkMode === ecs.NetworkMode.NONE || taskDefinition.networkMode === ecs.NetworkMode.NAT
    || windowsFamilyForPinnedImage(taskDefinition, spec) !== undefined;
}

/** Whether a task definition is traced by this library. */
export function isTraced(taskDefinition: ecs.TaskDefinition): boolean {
  return traced.has(taskDefinition);
}

/** Instruments an app container of a traced task definition, once (a FireLens log router is not an app container). */
export function instrumentIfPending(node: IConstruct): void {
  if (node instanceof ecs.ContainerDefinition && !(node instanceof ecs.FirelensLogRouter) && !isInitContainer(node)) {
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
    ?? state.spec.defaultInstrumentation;
}

/** Tells the collector that an app container uses an X-Ray SDK, once per task (`where`: the container that does). */
function noteXRaySdk(where: ecs.ContainerDefinition, state: TaskTracing): void {
  if (state.xraySdkSeen) {
    return;
  }
  state.spec.acceptXRaySdk(where, where.taskDefinition, state.sidecar, state.config?.tailSamplingEnabled ?? false);
  state.xraySdkSeen = true;
}

function applyInstrumentation(container: ecs.ContainerDefinition, state: TaskTracing): void {
  const own = state.containerOptions.get(container) ?? {};
  const instrumentation = own.instrumentation ?? defaultInstrumentation(state);
  const serviceName = own.serviceName ?? container.containerName;
  const tail = state.config?.tailSamplingEnabled ?? false;
  const bridged = state.sidecar !== undefined && container.taskDefinition.networkMode === ecs.NetworkMode.BRIDGE;
  const environment = instrumentation._bind({
    target: state.spec.exportTarget,
    host: bridged ? state.sidecar!.containerName : 'localhost',
    serviceName,
    tailSampling: tail,
    resourceAttributes: resourceAttributes(container, state.options.resourceAttributes),
    ...(state.spec.exportTarget === 'xrayOtlp' ? { xrayOtlpEndpoint: xrayOtlpEndpoint(container), samplingRatio: samplingRatioValue(state) } : {}),
  });
  if (environment === undefined) {
    return;
  }
  if (own.serviceName === undefined) {
    const problems = new ProblemCollector(container);
    validateSegmentName(problems, 'containerName', serviceName,
      `It is the service name (X-Ray segment name) unless one is given: pass serviceName (at most ${MAX_SEGMENT_NAME_LENGTH} characters) through EcsTracing.configureContainer.`);
    problems.throwIfAny();
  }
  if (instrumentation._usesXRaySdk) {
    noteXRaySdk(container, state);
  }
  if (bridged) {
    container.addLink(state.sidecar!);
  }
  const wanted: Record<string, string> = {};
  const keys = joinAnnotationKeys([state.options.annotationKeys, own.annotationKeys]);
  if (keys !== undefined) {
    wanted[ANNOTATION_KEYS_ENV] = keys;
  }
  Object.assign(wanted, environment);
  const auto = instrumentation._autoInstrumentation;
  if (auto !== undefined) {
    const agent = agentEnvironment(container, auto, state.spec.exportTarget === 'xrayOtlp');
    for (const [key, value] of Object.entries(agent)) {
      if (EXTENDED_VARIABLES.includes(key) && ownVariable(container, key) !== undefined) {
        // The container's own value was joined into this one: it replaces it.
        container.addEnvironment(key, value);
      } else {
        wanted[key] = value;
      }
    }
  }
  setEnvironment(container, wanted, tail);
  if (auto !== undefined) {
    const sidecarLogs = state.spec.options.logGroup ?? (container.taskDefinition.node.tryFindChild('TraceCollectorLogs') as logs.ILogGroup | undefined);
    addAutoInstrumentation(container, auto, sidecarLogs);
  }
  if (state.sidecar !== undefined) {
    container.addContainerDependencies({
      container: state.sidecar,
      condition: state.spec.dependencyCondition,
    });
  }
}

/** The head sampler's ratio as `OTEL_TRACES_SAMPLER_ARG` carries it (a `Number` parameter as its string). */
function samplingRatioValue(state: TaskTracing): string {
  const ratio = state.spec.options.samplingRatio ?? state.spec.defaults.samplingRatio!;
  return Token.isUnresolved(ratio) ? Tokenization.stringifyNumber(ratio) : String(ratio);
}

/**
 * `OTEL_RESOURCE_ATTRIBUTES`: the container's CloudWatch log group (unless the options name one) and the extra
 * attributes, values percent-encoded so that none can add or override another attribute.
 */
function resourceAttributes(container: ecs.ContainerDefinition, extra: { [key: string]: string } | undefined): string | undefined {
  const pairs: Array<[string, string]> = [];
  const group = container.logDriverConfig?.logDriver === 'awslogs' ? container.logDriverConfig.options?.['awslogs-group'] : undefined;
  if (group !== undefined && extra?.['aws.log.group.names'] === undefined) {
    pairs.push(['aws.log.group.names', group]);
  }
  pairs.push(...Object.entries(extra ?? {}));
  return renderResourceAttributes(pairs);
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
  setEnvironmentWithoutOverwriting({
    scope: container,
    owner: ` of container ${container.containerName}`,
    current: existingVariables(container),
    add: (key, value) => container.addEnvironment(key, value),
    checkKept: (key, current) => {
      if (key === 'OTEL_TRACES_SAMPLER' && tail && !(typeof current === 'string' && SAMPLE_EVERYTHING.includes(current))) {
        fail(container, 'environment.OTEL_TRACES_SAMPLER', 'must send every span to the collector, which tail-samples', current,
          'Remove it (cdk-xray-constructs sets always_on), set it to always_on, or drop tailSampling.');
      }
    },
  }, wanted);
}

/** The annotation-key lists of the task and its containers, each literal or a list token. */
function keyLists(state: TaskTracing): string[][] {
  return [state.options.annotationKeys ?? [], ...[...state.containerOptions.values()].map(o => o.annotationKeys ?? [])];
}

/** The distinct annotation keys known at synth time. */
function literalKeys(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.filter(l => !Token.isUnresolved(l)).flatMap(l => l.filter(k => !Token.isUnresolved(k))))];
}

function validateKeyBudget(taskDefinition: ecs.TaskDefinition, state: TaskTracing): string[] {
  const keys = literalKeys([...keyLists(state), state.config?.options.annotationKeys ?? []]);
  if (keys.length > MAX_ANNOTATIONS_PER_TRACE) {
    return [validationMessage(taskDefinition, taskDefinition, 'annotationKeys',
      `declare ${keys.length} keys across the task, more than X-Ray indexes per trace (${MAX_ANNOTATIONS_PER_TRACE})`, keys.length,
      `Declare at most ${MAX_ANNOTATIONS_PER_TRACE}; record other values as metadata.`)];
  }
  return [];
}

/** The problem of a configuration that cannot be rendered, as a validation message of the task. */
function renderProblems(taskDefinition: ecs.TaskDefinition, outcome: { yaml: string } | { error: unknown }): string[] {
  if ('yaml' in outcome) {
    return [];
  }
  const raw = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  const message = unwrapResolutionError(raw);
  const own = `[${taskDefinition.node.path}] `;
  if (message.startsWith(own)) {
    return [message.slice(own.length)];
  }
  return [validationMessage(taskDefinition, taskDefinition, 'collector.config', `cannot be rendered as YAML: ${message.replace(/\.$/, '')}`,
    'TraceCollector.adot({ config })', 'Remove the value named from the configuration options.')];
}
