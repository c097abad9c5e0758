import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { EcsTracingOptions, TracedContainerDefinitionOptions } from './ecs-tracing-options';
import { enableEcsTracing, instrumentContainer } from './private/enable-tracing';
import { childPath, ProblemCollector, rethrowWithPath } from '../private/errors';

/**
 * The CPU and memory combinations Fargate accepts: CPU units → allowed memory in MiB.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
const FARGATE_SIZES: Array<[number, number[]]> = [
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

/**
 * Properties of a `TracedFargateTaskDefinition`: everything `ecs.FargateTaskDefinition` takes, plus the tracing
 * options.
 */
export interface TracedFargateTaskDefinitionProps extends ecs.FargateTaskDefinitionProps, EcsTracingOptions {}

/**
 * A Fargate task definition whose app containers are all traced: the tracing sidecar (the AWS Distro for
 * OpenTelemetry collector by default, the X-Ray daemon, or the CloudWatch agent of Application Signals) is added, and
 * every container added later gets the variables its SDK needs and a dependency on the sidecar; with
 * `TraceCollector.directToXRay()` there is no sidecar and the SDKs export straight to X-Ray. The CPU/memory
 * combination is checked against Fargate's.
 *
 * @example
 * const task = new TracedFargateTaskDefinition(this, 'Task', {
 *   cpu: 512,
 *   memoryLimitMiB: 1024,
 *   annotationKeys: ['tenant_tier'],
 *   collector: TraceCollector.adot({
 *     config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }),
 *   }),
 * });
 * task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/my/app:1.0.0') });
 */
export class TracedFargateTaskDefinition extends ecs.FargateTaskDefinition {
  constructor(scope: Construct, id: string, props: TracedFargateTaskDefinitionProps = {}) {
    const path = childPath(scope, id);
    validateFargateSize(path, props.cpu ?? 256, props.memoryLimitMiB ?? 512);
    try {
      super(scope, id, props);
    } catch (e) {
      const sizes = {
        cpu: props.cpu,
        memoryLimitMiB: props.memoryLimitMiB,
        ephemeralStorageGiB: props.ephemeralStorageGiB,
        operatingSystemFamily: props.runtimePlatform?.operatingSystemFamily?._operatingSystemFamily,
      };
      throw rethrowWithPath(path, 'props', e,
        'Fix the task definition props (ecs.FargateTaskDefinitionProps) named in the message.', sizes);
    }
    enableEcsTracing(this, props, false);
  }

  /**
   * Adds a container; it is traced at synthesis like every app container of this task definition.
   */
  public addContainer(id: string, props: ecs.ContainerDefinitionOptions): ecs.ContainerDefinition {
    try {
      return super.addContainer(id, props);
    } catch (e) {
      throw rethrowWithPath(childPath(this, id), 'props', e,
        'The tracing sidecar\'s cpu and memoryReservationMiB count toward the task\'s too: give the task more, or lower the containers\' or the sidecar\'s.', props.cpu);
    }
  }

  /**
   * Adds an app container with its tracing options (instrumentation, service name, annotation keys).
   */
  public addTracedContainer(id: string, props: TracedContainerDefinitionOptions): ecs.ContainerDefinition {
    const container = this.addContainer(id, props);
    instrumentContainer(container, props);
    return container;
  }
}

function validateFargateSize(path: string, cpu: number, memory: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
    return;
  }
  const problems = new ProblemCollector(path);
  const size = FARGATE_SIZES.find(([c]) => c === cpu);
  if (size === undefined) {
    problems.add('cpu', `is not a Fargate size (${FARGATE_SIZES.map(([c]) => c).join(', ')})`, cpu, 'Pick one of those CPU units.');
  } else if (!size[1].includes(memory)) {
    const allowed = size[1];
    problems.add('memoryLimitMiB', `is not allowed with ${cpu} CPU units on Fargate`, memory,
      `Use ${allowed.length <= 4 ? allowed.join(', ') : `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}`} MiB.`);
  }
  problems.throwIfAny();
}
