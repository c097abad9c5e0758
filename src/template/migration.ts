import { templateText } from './collector-config';
import { KUBERNETES_MANIFEST_TYPE, kubernetesObjects, podContainers } from './eks';
import { tracingMetadataOf } from './facts';
import { TemplateModel, TemplateResource } from './model';

/**
 * What must move off the AWS X-Ray SDKs and the X-Ray daemon, and what replaces it: the one place that decides it, read
 * by the `XRay-XRaySdkEndOfSupport` rule and by the migration section of `cdk-xray report`, so both name the same
 * resources with the same replacement.
 *
 * Found from the templates alone, with or without this library:
 * - a Lambda function whose tracing metadata (`cdk-xray-constructs:tracing`) says `instrumentation: 'xraySdk'`;
 * - an ECS task definition, container by container: a container running the daemon image (`aws-xray-daemon`, as
 *   `amazon/aws-xray-daemon` and `public.ecr.aws/xray/aws-xray-daemon`), and an app container with
 *   `AWS_XRAY_DAEMON_ADDRESS` and no `OTEL_*` variable (an X-Ray SDK's only setting);
 * - a Kubernetes manifest applied through a kubectl provider, workload by workload and container by container, read
 *   the same way.
 *
 * Powertools for AWS Lambda's Tracer is built on the X-Ray SDK, but the SDK is a dependency of Powertools, which
 * Powertools replaces: its functions are counted apart (`powertoolsFunctionsOf`), not listed as work to do.
 */

/** The day the X-Ray SDKs and daemon entered maintenance (security fixes only). */
export const XRAY_SDK_MAINTENANCE_SINCE = '2026-02-25';

/** The day the X-Ray SDKs and daemon lose support. */
export const XRAY_SDK_END_OF_SUPPORT = '2027-02-25';

/** The AWS page that gives both dates. */
export const XRAY_SDK_TIMELINE_URL = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html';

/** What a part of a resource uses. */
export enum LegacyTracing {
  /** Code instrumented with an AWS X-Ray SDK. */
  XRAY_SDK = 'xraySdk',
  /** The AWS X-Ray daemon. */
  XRAY_DAEMON = 'xrayDaemon',
}

/** One function, container or workload container that uses an X-Ray SDK or the daemon. */
export interface MigrationPart {
  /** The container (`orders`), the workload container (`Deployment/orders: app`), or `function` for a Lambda function. */
  readonly name: string;
  readonly uses: LegacyTracing;
  /** How it was found, e.g. `image amazon/aws-xray-daemon:3.3.7`, `AWS_XRAY_DAEMON_ADDRESS without OTEL_* variables`. */
  readonly evidence: string;
  /** What replaces it in this library, e.g. `TraceCollector.adot()`. */
  readonly replacement: string;
  /** The one-line change, e.g. `collector: TraceCollector.xrayDaemon()` → `collector: TraceCollector.adot()`. */
  readonly change: string;
}

/** One resource that must move off the X-Ray SDK or daemon. */
export interface MigrationItem {
  readonly stackId: string;
  readonly logicalId: string;
  readonly path?: string;
  /** The CloudFormation type: `AWS::Lambda::Function`, `AWS::ECS::TaskDefinition` or the kubectl manifest type. */
  readonly type: string;
  readonly parts: MigrationPart[];
  /** The parts in one line for messages: what uses what, and the change for each. */
  readonly summary: string;
}

const DAEMON_IMAGE = 'aws-xray-daemon';
const DAEMON_ADDRESS_ENV = 'AWS_XRAY_DAEMON_ADDRESS';

const LAMBDA_SDK: Omit<MigrationPart, 'name' | 'evidence'> = {
  uses: LegacyTracing.XRAY_SDK,
  replacement: 'LambdaInstrumentation.adot()',
  change: 'instrumentation: LambdaInstrumentation.xraySdk() → instrumentation: LambdaInstrumentation.adot()',
};

const ECS_DAEMON: Omit<MigrationPart, 'name' | 'evidence'> = {
  uses: LegacyTracing.XRAY_DAEMON,
  replacement: 'TraceCollector.adot()',
  change: 'collector: TraceCollector.xrayDaemon() → collector: TraceCollector.adot()',
};

const ECS_SDK: Omit<MigrationPart, 'name' | 'evidence'> = {
  uses: LegacyTracing.XRAY_SDK,
  replacement: 'ContainerInstrumentation.openTelemetry()',
  change: 'instrumentation: ContainerInstrumentation.xraySdk() → instrumentation: ContainerInstrumentation.openTelemetry()',
};

const EKS_DAEMON: Omit<MigrationPart, 'name' | 'evidence'> = {
  uses: LegacyTracing.XRAY_DAEMON,
  replacement: 'EksTracing.enable(cluster, { collector: EksCollector.addOn() })',
  change: 'the X-Ray daemon workload → EksTracing.enable(cluster, { collector: EksCollector.addOn() }) (or enableV2 for aws-eks-v2)',
};

const EKS_SDK: Omit<MigrationPart, 'name' | 'evidence'> = {
  uses: LegacyTracing.XRAY_SDK,
  replacement: 'EksTracing.addWorkload(id, { manifests })',
  change: `${DAEMON_ADDRESS_ENV} and the X-Ray SDK → tracing.addWorkload(id, { manifests, autoInstrument }) with an OpenTelemetry SDK or agent`,
};

/** What must migrate in one resource, or undefined when it uses neither an X-Ray SDK nor the daemon. */
export function migrationOf(resource: TemplateResource): MigrationItem | undefined {
  const parts = partsOf(resource);
  if (parts.length === 0) {
    return undefined;
  }
  return {
    stackId: resource.stackId,
    logicalId: resource.logicalId,
    ...(resource.path !== undefined ? { path: resource.path } : {}),
    type: resource.type,
    parts,
    summary: parts.map(p => `${p.name} uses ${p.uses === LegacyTracing.XRAY_DAEMON ? 'the X-Ray daemon' : 'an X-Ray SDK'} (${p.evidence}): ${p.change}`)
      .join('; '),
  };
}

/** Every resource of the model that must migrate, in model order. */
export function migrationsOf(model: TemplateModel): MigrationItem[] {
  return model.resources.map(migrationOf).filter((m): m is MigrationItem => m !== undefined);
}

/** The Lambda functions whose tracing metadata says Powertools Tracer (built on the X-Ray SDK; Powertools replaces it). */
export function powertoolsFunctionsOf(model: TemplateModel): TemplateResource[] {
  return model.ofType('AWS::Lambda::Function').filter(r => tracingMetadataOf(r)?.instrumentation === 'powertools');
}

function partsOf(r: TemplateResource): MigrationPart[] {
  switch (r.type) {
    case 'AWS::Lambda::Function':
      return tracingMetadataOf(r)?.instrumentation === LegacyTracing.XRAY_SDK
        ? [{ name: 'function', evidence: 'tracing metadata instrumentation: xraySdk', ...LAMBDA_SDK }]
        : [];
    case 'AWS::ECS::TaskDefinition':
      return containerParts((Array.isArray(r.properties.ContainerDefinitions) ? r.properties.ContainerDefinitions : []).map((c: any) => ({
        name: typeof c?.Name === 'string' ? c.Name : '?',
        image: templateText(c?.Image),
        env: (Array.isArray(c?.Environment) ? c.Environment : []).map((e: any) => e?.Name).filter((n: unknown): n is string => typeof n === 'string'),
      })), ECS_DAEMON, ECS_SDK);
    case KUBERNETES_MANIFEST_TYPE:
      return kubernetesObjects(r).flatMap(object => {
        const containers = podContainers(object);
        const workload = `${object.kind}/${object.metadata?.name ?? '?'}`;
        return containerParts((containers ?? []).map((c: any) => ({
          name: `${workload}: ${typeof c?.name === 'string' ? c.name : '?'}`,
          image: typeof c?.image === 'string' ? c.image : undefined,
          env: (Array.isArray(c?.env) ? c.env : []).map((e: any) => e?.name).filter((n: unknown): n is string => typeof n === 'string'),
        })), EKS_DAEMON, EKS_SDK);
      });
    default:
      return [];
  }
}

interface ContainerView {
  readonly name: string;
  /** The image as text, deploy-time parts as `\u0000`; undefined when not readable. */
  readonly image?: string;
  readonly env: string[];
}

function containerParts(containers: ContainerView[], daemon: Omit<MigrationPart, 'name' | 'evidence'>,
  sdk: Omit<MigrationPart, 'name' | 'evidence'>): MigrationPart[] {
  const parts: MigrationPart[] = [];
  for (const c of containers) {
    if (c.image !== undefined && c.image.includes(DAEMON_IMAGE)) {
      parts.push({ name: c.name, evidence: `image ${c.image.replace(/\u0000/g, '<deploy-time>')}`, ...daemon });
    } else if (c.env.includes(DAEMON_ADDRESS_ENV) && !c.env.some(n => n.startsWith('OTEL_'))) {
      parts.push({ name: c.name, evidence: `${DAEMON_ADDRESS_ENV} without OTEL_* variables`, ...sdk });
    }
  }
  return parts;
}
