import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import type { SidecarSpec } from './sidecar-spec';
import { fail, ProblemCollector, validationMessage } from '../../private/errors';

/**
 * Limits that hold over the sum of several props of a task definition: what ECS refuses at deploy time
 * (RegisterTaskDefinition) although each prop is valid on its own.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
 */

/** Docker (20.10 and later) reserves at least 6 MiB for a container; ECS refuses less. */
export const MIN_CONTAINER_MEMORY_MIB = 6;

/** The CPU units and memory (MiB) a sidecar reserves: its options, or the defaults of its kind. */
export function sidecarSize(spec: SidecarSpec): { cpu: number; memoryMiB: number } {
  return { cpu: spec.options.cpu ?? spec.defaults.cpu ?? 0, memoryMiB: spec.options.memoryReservationMiB ?? spec.defaults.memoryReservationMiB ?? 0 };
}

/** The task's CPU units and memory (MiB), when they are numbers known at synth time. */
export function taskSize(taskDefinition: ecs.TaskDefinition): { cpu?: number; memoryMiB?: number } {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const known = (v: unknown) => {
    const resolved = Stack.of(taskDefinition).resolve(v);
    return resolved === undefined || Token.isUnresolved(resolved) || typeof resolved === 'object' || !Number.isFinite(Number(resolved))
      ? undefined : Number(resolved);
  };
  return { cpu: known(cfn.cpu), memoryMiB: known(cfn.memory) };
}

/** The containers of a task definition, in the order they were added. */
export function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children
    .filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition && c.taskDefinition === taskDefinition);
}

/** A container as CloudFormation gets it (property names in camelCase, as the L1 takes them). */
export function rendered(container: ecs.ContainerDefinition): any {
  return Stack.of(container).resolve(container.renderContainerDefinition());
}

/**
 * Checks the sidecar's own size and that it fits the task beside the containers already there (aws-cdk-lib would
 * refuse the CPU sum with a message that names neither the sidecar nor the fix).
 */
export function checkSidecarFits(problems: ProblemCollector, taskDefinition: ecs.TaskDefinition, spec: SidecarSpec): void {
  const { cpu, memoryMiB } = sidecarSize(spec);
  const task = taskSize(taskDefinition);
  if (!Token.isUnresolved(cpu)) {
    if (!(Number.isInteger(cpu) && cpu >= 0)) {
      problems.add('collector.cpu', 'must be a whole number of CPU units, 0 or more', cpu, 'Use 128 for the collector or 32 for the daemon.');
    } else if (task.cpu !== undefined) {
      const others = containersOf(taskDefinition).map(c => c.cpu).filter((c): c is number => typeof c === 'number' && !Token.isUnresolved(c));
      const sum = others.reduce((a, b) => a + b, 0) + cpu;
      if (cpu > task.cpu) {
        problems.add('collector.cpu', `is more than the task's ${task.cpu} CPU units`, cpu, 'Give the task more cpu, or lower the sidecar\'s cpu.');
      } else if (sum > task.cpu) {
        problems.add('collector.cpu', `with the ${others.reduce((a, b) => a + b, 0)} CPU units of the containers already in the task is more than the task's ${task.cpu}`,
          cpu, 'Give the task more cpu, or lower the cpu of the sidecar or of the app containers: ECS refuses a task whose containers reserve more.');
      }
    }
  }
  if (!Token.isUnresolved(memoryMiB)) {
    if (!(Number.isInteger(memoryMiB) && memoryMiB >= MIN_CONTAINER_MEMORY_MIB)) {
      problems.add('collector.memoryReservationMiB', `must be a whole number of MiB, at least ${MIN_CONTAINER_MEMORY_MIB}`, memoryMiB,
        'Docker reserves at least 6 MiB for a container; 256 suits the collector and the daemon.');
    } else if (task.memoryMiB !== undefined && memoryMiB > task.memoryMiB) {
      problems.add('collector.memoryReservationMiB', `is more than the task's ${task.memoryMiB} MiB`, memoryMiB,
        'Give the task more memory, or lower the sidecar\'s memoryReservationMiB.');
    }
  }
}

/** Refuses a task definition that is not one this app defines (imported ones have no containers to add to). */
export function assertDefinedHere(taskDefinition: unknown, where: string): asserts taskDefinition is ecs.TaskDefinition {
  if (taskDefinition instanceof ecs.TaskDefinition) {
    return;
  }
  const scope = taskDefinition as IConstruct | undefined;
  const path = scope?.node?.path !== undefined ? scope : where;
  fail(path, 'taskDefinition', 'is imported (fromTaskDefinitionArn, fromTaskDefinitionAttributes...) or is not an ecs.TaskDefinition, so no tracing sidecar can be added to it',
    (taskDefinition as { taskDefinitionArn?: string } | undefined)?.taskDefinitionArn ?? String(taskDefinition),
    'Trace the task definition in the app that defines it (EcsTracing.enable there, or TracedFargateTaskDefinition).');
}

/** The ports a container listens on in the task's shared network namespace, as `port/protocol`. */
function mappedPorts(container: any): string[] {
  return (container.portMappings ?? [])
    .filter((m: any) => typeof m?.containerPort === 'number')
    .map((m: any) => `${m.containerPort}/${String(m.protocol ?? 'tcp').toLowerCase()}`);
}

/**
 * Task-wide checks made at synthesis, when every container is known (messages for the task definition's
 * `addValidation`, which prints its path first): at least one essential container, the memory the
 * containers reserve within the task's, and no port taken twice in a network namespace the containers share.
 */
export function validateTaskLimits(taskDefinition: ecs.TaskDefinition, sidecar: ecs.ContainerDefinition | undefined,
  sidecarPorts: string[]): string[] {
  const errors: string[] = [];
  const containers = containersOf(taskDefinition);
  if (!containers.some(c => c.essential)) {
    errors.push(validationMessage(taskDefinition, taskDefinition, 'containers', 'hold no essential container', containers.map(c => c.containerName),
      'ECS needs at least one: add the app container (essential by default); the tracing sidecar is not essential, so that it cannot stop the task.'));
  }
  const definitions = containers.map(c => [c, rendered(c)] as const);
  const task = taskSize(taskDefinition);
  if (task.memoryMiB !== undefined) {
    const reserved = definitions.map(([, d]) => d.memoryReservation ?? d.memory).filter((m): m is number => typeof m === 'number');
    const sum = reserved.reduce((a, b) => a + b, 0);
    if (sum > task.memoryMiB) {
      errors.push(validationMessage(taskDefinition, taskDefinition, 'memoryLimitMiB', `is less than the ${sum} MiB its containers reserve (the tracing sidecar's included)`, task.memoryMiB,
        'Give the task more memory, or lower the containers\' memoryReservationMiB/memoryLimitMiB: ECS refuses a task whose containers reserve more.'));
    }
  }
  if (taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC || taskDefinition.networkMode === ecs.NetworkMode.HOST) {
    const owner = new Map<string, string>(sidecar === undefined ? [] : sidecarPorts.map(p => [p, sidecar.containerName]));
    for (const [container, d] of definitions) {
      if (container === sidecar) {
        continue;
      }
      for (const port of mappedPorts(d)) {
        const taken = owner.get(port);
        if (taken !== undefined) {
          const by = taken === container.containerName ? 'this container' : `container ${taken} of the task`;
          const bySidecar = taken === sidecar?.containerName;
          errors.push(validationMessage(taskDefinition, container, 'portMappings', `map ${port}, which ${by} already ${bySidecar ? 'listens on' : 'maps'}`,
            Number(port.split('/')[0]), `In ${taskDefinition.networkMode} mode the containers of a task share one network namespace; move one of them to another port` +
            (bySidecar ? ` (the tracing sidecar needs ${portList(sidecarPorts)}).` : '.')));
        } else {
          owner.set(port, container.containerName);
        }
      }
    }
  }
  return errors;
}

/** Port numbers for people: `4317, 4318, 2000 and 13133` (each number once, whatever its protocols). */
function portList(ports: string[]): string {
  const numbers = [...new Set(ports.map(p => p.split('/')[0]))];
  return numbers.length > 1 ? `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}` : numbers.join('');
}
