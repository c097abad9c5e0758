import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { fail } from '../../private/errors';
import { ADOT_AUTOINSTRUMENTATION_IMAGES } from '../../private/pinned';
import { AdotAutoInstrumentationLanguage, ContainerInstrumentation } from '../container-instrumentation';

/**
 * The ADOT zero-code agents as AWS documents them for ECS: an init container copies the agent from the
 * `adot-autoinstrumentation-<language>` image into a task volume, and the app container loads it from there.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-ECS-Sidecar.html
 */

type AutoInstrumentation = NonNullable<ContainerInstrumentation['_autoInstrumentation']>;

/** Where the agent is mounted in the init and the app container, and what the init container runs. */
interface Layout {
  readonly path: string;
  readonly command: string[];
}

const LAYOUTS: Record<AdotAutoInstrumentationLanguage, Layout> = {
  [AdotAutoInstrumentationLanguage.JAVA]: { path: '/otel-auto-instrumentation-java', command: ['cp', '/javaagent.jar', '/otel-auto-instrumentation-java/javaagent.jar'] },
  [AdotAutoInstrumentationLanguage.PYTHON]: { path: '/otel-auto-instrumentation-python', command: ['cp', '-a', '/autoinstrumentation/.', '/otel-auto-instrumentation-python'] },
  [AdotAutoInstrumentationLanguage.NODEJS]: { path: '/otel-auto-instrumentation-nodejs', command: ['cp', '-a', '/autoinstrumentation/.', '/otel-auto-instrumentation-nodejs'] },
  [AdotAutoInstrumentationLanguage.DOTNET]: { path: '/otel-auto-instrumentation-dotnet', command: ['cp', '-a', '/autoinstrumentation/.', '/otel-auto-instrumentation-dotnet'] },
};

/** The OpenTelemetry .NET CLR profiler's class id. */
const DOTNET_PROFILER = '{918728DD-259F-4A6A-AC2B-B85E1B658318}';

/** The variables that extend a value the container already has (joined to it) instead of being kept or replacing it. */
export const EXTENDED_VARIABLES = ['JAVA_TOOL_OPTIONS', 'NODE_OPTIONS', 'PYTHONPATH'];

/** Checks an auto-instrumentation against the task: a language this library knows, a Linux task. */
export function validateAutoInstrumentation(where: IConstruct, taskDefinition: ecs.TaskDefinition,
  instrumentation: ContainerInstrumentation | undefined): void {
  const auto = instrumentation?._autoInstrumentation;
  if (auto === undefined) {
    return;
  }
  if (LAYOUTS[auto.language] === undefined) {
    fail(where, 'instrumentation.language', `must be one of ${Object.values(AdotAutoInstrumentationLanguage).join(', ')}`, auto.language,
      'Pass an AdotAutoInstrumentationLanguage.');
  }
  const platform = Stack.of(taskDefinition).resolve((taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).runtimePlatform);
  const family = platform?.operatingSystemFamily;
  if (typeof family === 'string' && family.startsWith('WINDOWS')) {
    fail(where, 'instrumentation', `is ADOT auto-instrumentation, but the task's operating-system family is ${family}`, instrumentation!.toString(),
      'The auto-instrumentation images and paths are Linux ones: build the ADOT agent into the Windows image and use ContainerInstrumentation.openTelemetry().');
  }
}

/**
 * The agent variables of one container: what loads the agent, joined to the value the container already has for
 * `JAVA_TOOL_OPTIONS`, `NODE_OPTIONS` and `PYTHONPATH` (`current`, as rendered), and for .NET exporting straight to
 * X-Ray the two variables the ADOT .NET SDK signs with.
 */
export function agentEnvironment(container: ecs.ContainerDefinition, auto: AutoInstrumentation, directToXRay: boolean): Record<string, string> {
  const taskDefinition = container.taskDefinition;
  const path = LAYOUTS[auto.language].path;
  const existing = (key: string): string | undefined => ownVariable(container, key);
  switch (auto.language) {
    case AdotAutoInstrumentationLanguage.JAVA:
      return { JAVA_TOOL_OPTIONS: joined(existing('JAVA_TOOL_OPTIONS'), `-javaagent:${path}/javaagent.jar`, ' ') };
    case AdotAutoInstrumentationLanguage.PYTHON: {
      const app = existing('PYTHONPATH');
      return {
        OTEL_PYTHON_DISTRO: 'aws_distro',
        OTEL_PYTHON_CONFIGURATOR: 'aws_configurator',
        // AWS's order: the auto_instrumentation directory (sitecustomize), the app's own path, the distro.
        PYTHONPATH: [`${path}/opentelemetry/instrumentation/auto_instrumentation`, ...(app !== undefined && app !== '' ? [app] : []), path].join(':'),
      };
    }
    case AdotAutoInstrumentationLanguage.NODEJS:
      return { NODE_OPTIONS: joined(existing('NODE_OPTIONS'), `--require ${path}/autoinstrumentation.js`, ' ') };
    default: {
      const platform = Stack.of(taskDefinition).resolve((taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).runtimePlatform);
      const arch = platform?.cpuArchitecture === 'ARM64' ? 'linux-arm64' : 'linux-x64';
      return {
        CORECLR_ENABLE_PROFILING: '1',
        CORECLR_PROFILER: DOTNET_PROFILER,
        CORECLR_PROFILER_PATH: `${path}/${arch}/OpenTelemetry.AutoInstrumentation.Native.so`,
        DOTNET_ADDITIONAL_DEPS: `${path}/AdditionalDeps`,
        DOTNET_SHARED_STORE: `${path}/store`,
        DOTNET_STARTUP_HOOKS: `${path}/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll`,
        OTEL_DOTNET_AUTO_HOME: path,
        OTEL_DOTNET_AUTO_PLUGINS: 'AWS.Distro.OpenTelemetry.AutoInstrumentation.Plugin, AWS.Distro.OpenTelemetry.AutoInstrumentation',
        // The ADOT .NET SDK exports to the X-Ray OTLP endpoint with its own SigV4 exporter, only with both of these.
        ...(directToXRay ? { OTEL_TRACES_EXPORTER: 'none', OTEL_AWS_SIG_V4_ENABLED: 'true' } : {}),
      };
    }
  }
}

/**
 * A variable as the container's environment holds it (a token stays a token), or undefined when it has none: the
 * task definition's own value, which `EXTENDED_VARIABLES` extend.
 */
export function ownVariable(container: ecs.ContainerDefinition, key: string): string | undefined {
  // aws-cdk-lib keeps `environment` and `addEnvironment` values in this field (no public reader).
  const environment = (container as unknown as { environment?: Record<string, unknown> }).environment;
  const value = environment?.[key];
  return typeof value === 'string' ? value : undefined;
}

function joined(existing: string | undefined, own: string, separator: string): string {
  if (existing === undefined || (!Token.isUnresolved(existing) && existing.trim() === '')) {
    return own;
  }
  return !Token.isUnresolved(existing) && existing.includes(own) ? existing : `${existing}${separator}${own}`;
}

/** The init containers of each task, by language: one copies the agent for every app container of that language. */
const initContainers = new WeakMap<ecs.TaskDefinition, Map<string, ecs.ContainerDefinition>>();

/**
 * Adds (once per task and language) the init container and the task volume, and mounts the volume in the app
 * container, which starts after the copy succeeded. The init container logs where the tracing sidecar does, or to
 * a log group of its own when the task has no sidecar log group.
 */
export function addAutoInstrumentation(container: ecs.ContainerDefinition, auto: AutoInstrumentation,
  sidecarLogGroup: logs.ILogGroup | undefined): void {
  const taskDefinition = container.taskDefinition;
  const layout = LAYOUTS[auto.language];
  const volume = `otel-auto-instrumentation-${auto.language}`;
  let byLanguage = initContainers.get(taskDefinition);
  if (byLanguage === undefined) {
    byLanguage = new Map();
    initContainers.set(taskDefinition, byLanguage);
  }
  let init = byLanguage.get(auto.language);
  if (init === undefined) {
    const name = `adot-init-${auto.language}`;
    if (taskDefinition.findContainer(name) !== undefined) {
      fail(taskDefinition, 'containers', `already hold a container named ${name}, the name of the ADOT auto-instrumentation init container`, name,
        'Rename that container: cdk-xray-constructs adds the init container under this name.');
    }
    taskDefinition.addVolume({ name: volume });
    const logGroup = sidecarLogGroup ?? (taskDefinition.node.tryFindChild('AutoInstrumentationLogs') as logs.ILogGroup | undefined)
      ?? new logs.LogGroup(taskDefinition, 'AutoInstrumentationLogs', { retention: logs.RetentionDays.ONE_MONTH });
    init = taskDefinition.addContainer(`AdotInit${auto.language[0].toUpperCase()}${auto.language.slice(1)}`, {
      containerName: name,
      image: auto.image ?? ecs.ContainerImage.fromRegistry(ADOT_AUTOINSTRUMENTATION_IMAGES[auto.language]),
      essential: false,
      command: layout.command,
      cpu: 0,
      memoryReservationMiB: 64,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: name, logGroup }),
    });
    init.addMountPoints({ sourceVolume: volume, containerPath: layout.path, readOnly: false });
    byLanguage.set(auto.language, init);
  }
  container.addMountPoints({ sourceVolume: volume, containerPath: layout.path, readOnly: false });
  container.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
}

/** Whether a container is an init container this library added (not an app container to instrument). */
export function isInitContainer(container: ecs.ContainerDefinition): boolean {
  return [...(initContainers.get(container.taskDefinition)?.values() ?? [])].includes(container);
}
