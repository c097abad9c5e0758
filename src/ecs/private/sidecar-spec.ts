import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import type { ExportTarget } from './instrumentation-binding';
import type { ProblemCollector } from '../../private/errors';
import type { AdotCollectorConfig } from '../collector-config';
import type { ContainerInstrumentation } from '../container-instrumentation';
import type { TraceSidecarOptions } from '../trace-collector-options';

/** The options every kind of collector takes (each kind accepts only some of them, `acceptedOptions`). */
export type SidecarOptions = TraceSidecarOptions & { readonly config?: AdotCollectorConfig; readonly samplingRatio?: number };

/**
 * Which `TraceCollector` traces a task, as the tracing metadata records it (`collector`): the ADOT collector, the
 * X-Ray daemon, the CloudWatch agent of Application Signals, or no sidecar (the SDKs export to X-Ray's OTLP endpoint).
 */
export type CollectorKind = 'adot' | 'xrayDaemon' | 'applicationSignals' | 'direct';


/** What one kind of trace collector is and does; `TraceCollector._bind()` gives it. */
export interface SidecarSpec {
  /** How it is written in code, e.g. `TraceCollector.adot()`. */
  readonly name: string;
  readonly kind: CollectorKind;
  /** The name of the sidecar container; empty when the kind adds none. */
  readonly containerName: string;
  /** What messages call it: `collector`, `X-Ray daemon`, `CloudWatch agent`. */
  readonly description: string;
  readonly options: SidecarOptions;
  /** The option names this kind takes; any other given is refused (undefined: not checked). */
  readonly acceptedOptions?: readonly string[];
  /** The size, log retention (and sampling) it gets when the options say nothing. */
  readonly defaults: {
    readonly cpu?: number;
    readonly memoryReservationMiB?: number;
    readonly logRetention?: logs.RetentionDays;
    readonly samplingRatio?: number;
  };
  /** The collector configuration (the ADOT collector only). */
  readonly config?: AdotCollectorConfig;
  /** How app containers are instrumented when the task's options do not say. */
  readonly defaultInstrumentation: ContainerInstrumentation;
  /** Where the OpenTelemetry SDKs of the app containers send spans. */
  readonly exportTarget: ExportTarget;
  /** When app containers may start: once the sidecar is healthy, or once it has started (no health check). */
  readonly dependencyCondition: ecs.ContainerDependencyCondition;
  /** Ports it listens on that it does not map (`port/protocol`), for the port checks. */
  readonly unmappedPorts: string[];
  /** Whether app containers may use an X-Ray SDK (the collector and the daemon take their segments). */
  readonly takesXRaySdk: boolean;
  /** Adds the sidecar to the task (`render` gives the collector configuration at synthesis); undefined when it adds none. */
  add(taskDefinition: ecs.TaskDefinition, render: () => string): ecs.ContainerDefinition | undefined;
  /** Checks of the options and the task that only this kind makes (network mode, Region...). */
  validate?(problems: ProblemCollector, taskDefinition: ecs.TaskDefinition, viaEnable: boolean): void;
  /** Whether `EcsTracing.enable` would refuse the task for its platform whatever else is set (the aspect skips it). */
  refusesPlatform?(taskDefinition: ecs.TaskDefinition): boolean;
  /** Grants the task role what the sidecar (or, without one, the SDKs) needs. */
  grant(taskDefinition: ecs.TaskDefinition): void;
  /**
   * Called once when an app container of the task uses an X-Ray SDK (`where`: the container, or the task for its
   * default instrumentation); fails when this kind cannot take X-Ray SDK segments.
   */
  acceptXRaySdk(where: IConstruct, taskDefinition: ecs.TaskDefinition, sidecar: ecs.ContainerDefinition | undefined, tailSampling: boolean): void;
}
