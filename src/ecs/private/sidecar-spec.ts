import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { AdotCollectorConfig } from '../collector-config';
import type { ContainerInstrumentation } from '../container-instrumentation';
import type { TraceSidecarOptions } from '../trace-collector-options';

/** The options every kind of sidecar takes. */
export type SidecarOptions = TraceSidecarOptions & { readonly config?: AdotCollectorConfig };

/** What one kind of tracing sidecar is and does; `TraceCollector._bind()` gives it. */
export interface SidecarSpec {
  /** How it is written in code, e.g. `TraceCollector.adot()`. */
  readonly name: string;
  readonly containerName: string;
  /** What messages call it: `collector` or `X-Ray daemon`. */
  readonly description: string;
  readonly options: SidecarOptions;
  /** The size and log retention it gets when the options say nothing. */
  readonly defaults: { readonly cpu: number; readonly memoryReservationMiB: number; readonly logRetention: logs.RetentionDays };
  /** The collector configuration (the ADOT collector only). */
  readonly config?: AdotCollectorConfig;
  /** How app containers are instrumented when the task's options do not say. */
  readonly defaultInstrumentation: ContainerInstrumentation;
  /** When app containers may start: once the sidecar is healthy, or once it has started (no health check). */
  readonly dependencyCondition: ecs.ContainerDependencyCondition;
  /** Ports it listens on that it does not map (`port/protocol`), for the port checks. */
  readonly unmappedPorts: string[];
  /** Adds the sidecar to the task; `render` gives the collector configuration at synthesis. */
  add(taskDefinition: ecs.TaskDefinition, render: () => string): ecs.ContainerDefinition;
  /** Called once when an app container of the task uses an X-Ray SDK. */
  acceptXRaySdk(taskDefinition: ecs.TaskDefinition, sidecar: ecs.ContainerDefinition, tailSampling: boolean): void;
}
