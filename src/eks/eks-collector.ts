import { Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { EksCollectorMode } from './eks-modes';
import { BoundCollector, CollectorContext } from './private/binding';
import { ClusterTarget } from './private/cluster-target';
import { collectorManifests } from './private/collector-manifests';
import {
  ADDON_NAMESPACE, ADDON_OTLP_SERVICE, ADDON_OTLP_SERVICE_ACCOUNT, MANIFEST_COLLECTOR_NAME, MANIFEST_COLLECTOR_NAMESPACE, OTLP_HTTP_PORT,
} from './private/names';
import { checkAddonVersion, checkDnsLabel, checkImage, checkReplicas } from './private/validate';
import { AdotCollectorConfig } from '../ecs/collector-config';
import { ProblemCollector } from '../private/errors';
import { ADOT_COLLECTOR_IMAGE, ADOT_EKS_ADDON_VERSION, CERT_MANAGER_EKS_ADDON_VERSION } from '../private/pinned';
import { ResourceDetection } from '../private/resource-detection';

/** Options of `EksCollector.addOn`. */
export interface EksAddOnCollectorOptions {
  /**
   * The version of the `adot` add-on; 0.88.0 or later (the `collector.otlpIngest` configuration).
   *
   * @default - the pinned version
   */
  readonly addOnVersion?: string;

  /**
   * Install the EKS community add-on `cert-manager`, which the operator's admission webhooks need, and create the
   * `adot` add-on after it. Turn it off when cert-manager is already on the cluster (installed another way).
   *
   * @default true
   */
  readonly installCertManager?: boolean;

  /**
   * The version of the `cert-manager` add-on.
   *
   * @default - the pinned version
   */
  readonly certManagerVersion?: string;
}

/** Options of `EksCollector.manifests`. */
export interface EksManifestCollectorOptions {
  /**
   * The collector configuration: tail sampling, annotation keys, sensitive attributes, resource detection. The
   * receivers and the sampling proxy listen on every interface of the pod (`0.0.0.0`), since pods reach them through
   * the Service.
   *
   * @default new AdotCollectorConfig()
   */
  readonly config?: AdotCollectorConfig;

  /**
   * Deployment or DaemonSet. A DaemonSet on a cluster whose pods all run on Fargate is refused.
   *
   * @default EksCollectorMode.DEPLOYMENT
   */
  readonly mode?: EksCollectorMode;

  /**
   * Replicas of the Deployment (ignored by a DaemonSet, which runs one per node). Tail sampling needs every span of
   * a trace in one collector, so with tail sampling it must be 1.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * The namespace of the collector's objects.
   *
   * @default 'xray-collector'
   */
  readonly namespace?: string;

  /**
   * Create the namespace as part of the collector's objects. Turn it off when it exists already.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * The collector image.
   *
   * @default - the pinned AWS Distro for OpenTelemetry collector image
   */
  readonly image?: string;
}

/** The `ec2` detector's attributes that describe the collector's own node rather than the cluster. */
const NODE_ATTRIBUTES = ['cloud.availability_zone', 'host.id', 'host.image.id', 'host.name', 'host.type'];

/**
 * The AWS Distro for OpenTelemetry collector on an EKS cluster, receiving OTLP from pods and exporting to X-Ray.
 */
export class EksCollector {
  /**
   * The EKS managed add-on `adot` with its preconfigured OTLP ingest collector (`collector.otlpIngest`, X-Ray traces
   * pipeline on), configured through the add-on's advanced configuration: no kubectl function is needed for it.
   * Its cert-manager prerequisite is installed as the community add-on `cert-manager` and ordered before it.
   *
   * The add-on's collector configuration is its own: no tail sampling and no indexed annotations (annotation keys
   * are still declared to the workloads and checked by the policy). Use `manifests()` for either.
   * @see https://aws-otel.github.io/docs/getting-started/adot-eks-add-on/config-otlp-ingest
   */
  public static addOn(options: EksAddOnCollectorOptions = {}): EksCollector {
    return new EksCollector('addOn', options, {});
  }

  /**
   * The collector as plain Kubernetes objects (Namespace, ServiceAccount, ConfigMap, Deployment or DaemonSet,
   * Service), added through the cluster's kubectl provider, with the configuration rendered by the same
   * `AdotCollectorConfig` the ECS sidecar uses.
   */
  public static manifests(options: EksManifestCollectorOptions = {}): EksCollector {
    return new EksCollector('manifests', {}, options);
  }

  private constructor(
    private readonly kind: 'addOn' | 'manifests',
    private readonly addOnOptions: EksAddOnCollectorOptions,
    private readonly manifestOptions: EksManifestCollectorOptions,
  ) {}

  /** Whether the collector tail-samples (the SDKs must then send every span). @internal */
  public get _tailSamples(): boolean {
    return this.manifestOptions.config?.tailSamplingEnabled ?? false;
  }

  /** Checks the options, the cluster's compute included. @internal */
  public _validate(problems: ProblemCollector, target: ClusterTarget): void {
    const a = this.addOnOptions;
    checkAddonVersion(problems, 'collector.addOnVersion', a.addOnVersion, 'adot');
    checkAddonVersion(problems, 'collector.certManagerVersion', a.certManagerVersion, 'cert-manager');
    const m = this.manifestOptions;
    checkDnsLabel(problems, 'collector.namespace', m.namespace, MANIFEST_COLLECTOR_NAMESPACE);
    checkReplicas(problems, 'collector.replicas', m.replicas);
    checkImage(problems, 'collector.image', m.image);
    if (m.mode === EksCollectorMode.DAEMONSET && target.fargateOnly) {
      problems.add('collector.mode', 'cannot be a DaemonSet on a cluster whose pods all run on Fargate', m.mode,
        'Fargate runs no DaemonSet; use EksCollectorMode.DEPLOYMENT.');
    }
    if (m.mode === EksCollectorMode.DAEMONSET && m.replicas !== undefined) {
      problems.add('collector.replicas', 'has no meaning for a DaemonSet', m.replicas, 'Remove replicas: a DaemonSet runs one collector per node.');
    }
    if (m.config?.tailSamplingEnabled && m.replicas !== undefined && m.replicas > 1) {
      problems.add('collector.replicas', 'must be 1 with tail sampling', m.replicas,
        'Tail sampling decides on whole traces, and the Service spreads the spans of one trace over every replica.');
    }
    if (m.config?.tailSamplingEnabled && m.mode === EksCollectorMode.DAEMONSET) {
      problems.add('collector.mode', 'cannot be a DaemonSet with tail sampling', m.mode,
        'The spans of one trace reach the collectors of several nodes; use EksCollectorMode.DEPLOYMENT with one replica.');
    }
    if (m.config?.options.resourceDetection === true && target.fargateOnly) {
      problems.add('collector.config.resourceDetection', 'cannot be on for a cluster whose pods all run on Fargate', true,
        'The eks detector reads the instance metadata service, which Fargate pods cannot reach; remove resourceDetection.');
    }
    m.config?._validate(target.scope);
  }

  /** Puts the collector on the cluster. @internal */
  public _bind(ctx: CollectorContext): BoundCollector {
    return this.kind === 'addOn' ? this.bindAddOn(ctx) : this.bindManifests(ctx);
  }

  private bindAddOn(ctx: CollectorContext): BoundCollector {
    const o = this.addOnOptions;
    const identity = ctx.identity._bind({
      scope: ctx.scope, target: ctx.target, namespace: ADDON_NAMESPACE, serviceAccount: ADDON_OTLP_SERVICE_ACCOUNT, samplingReads: false,
    });
    const otlpIngest: Record<string, unknown> = { pipelines: { traces: { xray: { enabled: true } } } };
    if (Object.keys(identity.serviceAccountAnnotations).length > 0) {
      otlpIngest.serviceAccount = { annotations: identity.serviceAccountAnnotations };
    }
    const addon = new eks.CfnAddon(ctx.scope, 'AdotAddon', {
      clusterName: ctx.target.clusterName,
      addonName: 'adot',
      addonVersion: o.addOnVersion ?? ADOT_EKS_ADDON_VERSION,
      configurationValues: Stack.of(ctx.scope).toJsonString({ collector: { otlpIngest } }),
      // The collector's service account exists before the add-on (IRSA annotations are the add-on's to write).
      resolveConflicts: 'OVERWRITE',
    });
    const association = ctx.scope.node.tryFindChild('PodIdentityAssociation');
    if (association !== undefined) {
      addon.node.addDependency(association);
    }
    if (o.installCertManager ?? true) {
      const certManager = new eks.CfnAddon(ctx.scope, 'CertManagerAddon', {
        clusterName: ctx.target.clusterName,
        addonName: 'cert-manager',
        addonVersion: o.certManagerVersion ?? CERT_MANAGER_EKS_ADDON_VERSION,
      });
      addon.addDependency(certManager);
    }
    return {
      otlpHttpEndpoint: `http://${ADDON_OTLP_SERVICE}.${ADDON_NAMESPACE}.svc.cluster.local:${OTLP_HTTP_PORT}`,
      tailSampling: false,
      installsOperator: true,
      dependable: addon,
    };
  }

  private bindManifests(ctx: CollectorContext): BoundCollector {
    const o = this.manifestOptions;
    const namespace = o.namespace ?? MANIFEST_COLLECTOR_NAMESPACE;
    const identity = ctx.identity._bind({
      scope: ctx.scope, target: ctx.target, namespace, serviceAccount: MANIFEST_COLLECTOR_NAME, samplingReads: true,
    });
    const given = o.config ?? new AdotCollectorConfig();
    const config = ctx.annotationPolicy !== undefined && given.options.annotationPolicy === undefined
      ? new AdotCollectorConfig({ ...given.options, annotationPolicy: ctx.annotationPolicy })
      : given;
    const region = Stack.of(ctx.scope).region;
    const where = ctx.scope;
    // Rendered at synthesis, so keys of workloads added after enable() are indexed too.
    const detection: ResourceDetection | undefined = (config.options.resourceDetection ?? !ctx.target.fargateOnly) ? {
      detectors: ['env', 'eks', 'ec2'],
      // The timeout the processor's documentation gives the eks detector.
      timeout: '15s',
      detectorSettings: { ec2: { resource_attributes: Object.fromEntries(NODE_ATTRIBUTES.map(a => [a, { enabled: false }])) } },
    } : undefined;
    const rendered = { toString: () => config._render(where, ctx.annotationKeys, false, region, '0.0.0.0', detection) };
    const manifest = ctx.target.addManifest(`${ctx.scope.node.id}Collector`, collectorManifests({
      namespace,
      createNamespace: o.createNamespace ?? true,
      mode: o.mode ?? EksCollectorMode.DEPLOYMENT,
      replicas: o.replicas ?? 1,
      image: o.image ?? ADOT_COLLECTOR_IMAGE,
      config: Lazy.string({ produce: () => rendered.toString() }),
      serviceAccountAnnotations: identity.serviceAccountAnnotations,
    }));
    return {
      otlpHttpEndpoint: `http://${MANIFEST_COLLECTOR_NAME}.${namespace}.svc.cluster.local:${OTLP_HTTP_PORT}`,
      tailSampling: config.tailSamplingEnabled,
      installsOperator: false,
      dependable: manifest,
    };
  }
}
