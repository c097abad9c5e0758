import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { EksCollector } from './eks-collector';
import { EksIdentity } from './eks-identity';
import { EksInstrumentationLanguage } from './eks-modes';
import { EksTracingOptions, EksWorkloadOptions } from './eks-tracing-options';
import { BoundCollector } from './private/binding';
import { ClusterTarget } from './private/cluster-target';
import { instrumentationManifest } from './private/instrumentation';
import { joinAnnotationKeysOf } from './private/keys';
import { INJECT_ANNOTATION_PREFIX } from './private/names';
import { checkDnsLabel, checkDnsSubdomain, checkImage, checkRatio } from './private/validate';
import { injectIntoWorkloads, workloadNames, workloadServiceAccounts } from './private/workload';
import { XRayGrants } from '../iam/xray-grants';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import { validateAnnotationKeys, validateSegmentName } from '../private/annotation-keys';
import { fail, ProblemCollector } from '../private/errors';
import { warn } from '../private/warnings';
import { xrayOtlpTracesEndpoint } from '../private/xray-otlp-endpoint';

const CONSTRUCT_ID = 'XRayTracing';

/**
 * X-Ray tracing on an Amazon EKS cluster: the AWS Distro for OpenTelemetry collector (the `adot` managed add-on by
 * default, or plain Kubernetes objects), its AWS identity (EKS Pod Identity by default, or IRSA) holding the stack's
 * `XRayWritePolicy`, the OpenTelemetry Operator's `Instrumentation` for auto-instrumented pods, and workloads added
 * through `addWorkload` with the OTLP endpoint and service name set in every container.
 *
 * Get it with `EksTracing.enable(cluster)` (aws-eks) or `EksTracing.enableV2(cluster)` (aws-eks-v2); a second call
 * on the same cluster returns the first one.
 */
export class EksTracing extends Construct {
  /**
   * Turns X-Ray tracing on for an aws-eks cluster (created here or imported). Idempotent.
   */
  public static enable(cluster: eks.ICluster, options: EksTracingOptions = {}): EksTracing {
    if (cluster === undefined || cluster === null || !Construct.isConstruct(cluster)) {
      fail('EksTracing.enable', 'cluster', 'must be an aws-eks cluster', cluster, 'Pass an eks.Cluster or eks.Cluster.fromClusterAttributes(...).');
    }
    return EksTracing.of(cluster, options, {
      scope: cluster as unknown as Construct,
      clusterName: cluster.clusterName,
      openIdConnectProvider: () => cluster.openIdConnectProvider,
      podIdentityAgent: () => cluster instanceof eks.Cluster ? cluster.eksPodIdentityAgent : undefined,
      fargateOnly: cluster instanceof eks.FargateCluster,
      addManifest: (id, manifests) => cluster.addManifest(id, ...manifests),
    });
  }

  /**
   * Turns X-Ray tracing on for an aws-eks-v2 cluster (created here or imported). Idempotent.
   */
  public static enableV2(cluster: eksv2.ICluster, options: EksTracingOptions = {}): EksTracing {
    if (cluster === undefined || cluster === null || !Construct.isConstruct(cluster)) {
      fail('EksTracing.enableV2', 'cluster', 'must be an aws-eks-v2 cluster', cluster, 'Pass an eks_v2.Cluster or eks_v2.Cluster.fromClusterAttributes(...).');
    }
    return EksTracing.of(cluster, options, {
      scope: cluster as unknown as Construct,
      clusterName: cluster.clusterName,
      openIdConnectProvider: () => cluster.openIdConnectProvider,
      podIdentityAgent: () => cluster instanceof eksv2.Cluster ? cluster.eksPodIdentityAgent : undefined,
      fargateOnly: cluster instanceof eksv2.FargateCluster,
      addManifest: (id, manifests) => cluster.addManifest(id, ...manifests),
    });
  }

  private static of(cluster: IConstruct, options: EksTracingOptions, target: ClusterTarget): EksTracing {
    const existing = cluster.node.tryFindChild(CONSTRUCT_ID);
    if (existing instanceof EksTracing) {
      if (Object.keys(options).length > 0) {
        warn(existing, 'eksTracingOptionsIgnored', 'EksTracing is already enabled on this cluster; the options of this second call are ignored. ' +
          'Pass every option in the first call.');
      }
      return existing;
    }
    return new EksTracing(target, options);
  }

  /** The OTLP/HTTP endpoint of the collector's Service, which pods export to. */
  public readonly otlpEndpoint: string;

  /** The role the collector's pods run with. */
  public readonly collectorRole: iam.IRole;

  /**
   * The `Instrumentation` resource as pod annotations name it (`<namespace>/<name>`), when one was created.
   */
  public readonly instrumentationRef?: string;

  private readonly target: ClusterTarget;
  private readonly collected: BoundCollector;
  private readonly declaredKeys: string[][] = [];
  private readonly instrumentation?: Construct;

  private constructor(target: ClusterTarget, options: EksTracingOptions) {
    super(target.scope, CONSTRUCT_ID);
    this.target = target;
    const collector = requireCollector(this.node.path, options.collector ?? EksCollector.addOn());
    const identity = options.identity ?? EksIdentity.podIdentity();
    if (!(identity instanceof EksIdentity)) {
      fail(this, 'identity', 'must be EksIdentity.podIdentity() or EksIdentity.irsa()', identity, 'Pass one of the two.');
    }
    const problems = new ProblemCollector(this);
    collector._validate(problems, target);
    identity._validate(problems);
    const i = options.instrumentation;
    if (i !== undefined) {
      checkDnsLabel(problems, 'instrumentation.namespace', i.namespace, 'default');
      checkDnsSubdomain(problems, 'instrumentation.name', i.name, 'xray');
      checkRatio(problems, 'instrumentation.samplingRatio', i.samplingRatio);
      checkImage(problems, 'instrumentation.javaImage', i.javaImage);
      checkImage(problems, 'instrumentation.pythonImage', i.pythonImage);
      checkImage(problems, 'instrumentation.nodejsImage', i.nodejsImage);
      checkImage(problems, 'instrumentation.dotnetImage', i.dotnetImage);
      if (i.samplingRatio !== undefined && !Token.isUnresolved(i.samplingRatio) && collector._tailSamples && i.samplingRatio !== 1) {
        problems.add('instrumentation.samplingRatio', 'must be 1 (or unset) when the collector tail-samples', i.samplingRatio,
          'Tail sampling decides on whole traces, so the SDKs must send every span; remove samplingRatio.');
      }
    }
    problems.throwIfAny();

    const annotationPolicy = options.annotationPolicy;
    this.collected = collector._bind({ scope: this, target, identity, annotationPolicy, annotationKeys: this.declaredKeys });
    this.otlpEndpoint = this.collected.otlpHttpEndpoint;
    this.collectorRole = this.node.findChild('CollectorRole') as iam.IRole;

    if (i !== undefined) {
      const namespace = i.namespace ?? 'default';
      const name = i.name ?? 'xray';
      if (!this.collected.installsOperator) {
        warn(this, 'eksOperatorRequired', 'The Instrumentation resource needs the OpenTelemetry Operator, which EksCollector.manifests() does not install; ' +
          'install the adot add-on (without its collector) or the operator before this stack is deployed.');
      }
      this.instrumentation = target.addManifest(`${this.node.id}Instrumentation`, [instrumentationManifest({
        namespace,
        name,
        endpoint: this.otlpEndpoint,
        samplingRatio: i.samplingRatio ?? (this.collected.tailSampling ? 1 : 0.05),
        images: { java: i.javaImage, python: i.pythonImage, nodejs: i.nodejsImage, dotnet: i.dotnetImage },
      })]);
      this.instrumentation.node.addDependency(this.collected.dependable);
      this.instrumentationRef = `${namespace}/${name}`;
    }
  }

  /**
   * The pod annotation that opts a pod template (or, set on a Namespace, every pod in it) into the operator's
   * auto-instrumentation for `language`, naming this construct's `Instrumentation`.
   */
  public instrumentationAnnotations(language: EksInstrumentationLanguage): { [key: string]: string } {
    if (this.instrumentationRef === undefined) {
      fail(this, 'instrumentation', 'is not set, so there is no Instrumentation resource to opt into', undefined,
        'Pass instrumentation: {} to EksTracing.enable.');
    }
    return { [`${INJECT_ANNOTATION_PREFIX}${language}`]: this.instrumentationRef };
  }

  /**
   * Adds Kubernetes objects to the cluster, with `OTEL_EXPORTER_OTLP_ENDPOINT` (the collector's Service),
   * `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME` and `XRAY_ANNOTATION_KEYS` set in every container of every
   * workload that does not set them itself (a value the user set is kept, with a warning when it differs).
   *
   * @param id the construct id of the manifest (unique on the cluster)
   */
  public addWorkload(id: string, options: EksWorkloadOptions): Construct {
    const problems = new ProblemCollector(this);
    if (!Array.isArray(options?.manifests) || options.manifests.length === 0) {
      problems.add('manifests', 'must hold at least one Kubernetes object', options?.manifests, 'Pass the Deployment (and its Service) to add.');
      problems.throwIfAny();
    }
    validateAnnotationKeys(problems, 'annotationKeys', options.annotationKeys);
    validateSegmentName(problems, 'serviceName', options.serviceName);
    if (options.serviceName === undefined) {
      for (const name of workloadNames(options.manifests)) {
        validateSegmentName(problems, 'metadata.name (the service name)', name, 'Pass serviceName, or name the workload with letters, digits and - _ . : /.');
      }
    }
    const podAnnotations = options.autoInstrument !== undefined ? this.instrumentationAnnotations(options.autoInstrument) : {};
    const direct = options.directExport;
    if (direct !== undefined && typeof direct !== 'boolean') {
      problems.add('directExport', 'must be true or false', direct, 'Pass directExport: true to export straight to X-Ray, or leave it out.');
    }
    const accounts = direct === true ? workloadServiceAccounts(options.manifests) : [];
    for (const a of accounts.filter(x => x.serviceAccount === undefined)) {
      problems.add('directExport', `needs a service account in every pod template: ${a.workload} names none`, a.workload,
        'The SDK signs its export with the pod\'s AWS identity: set spec.serviceAccountName (and create the ServiceAccount), ' +
        'or leave directExport out to send spans through the collector.');
    }
    problems.throwIfAny();
    if (options.annotationKeys !== undefined) {
      this.declaredKeys.push(options.annotationKeys);
    }
    const manifests = injectIntoWorkloads(options.manifests, {
      scope: this,
      otlpHttpEndpoint: this.otlpEndpoint,
      ...(direct === true ? { directTracesEndpoint: xrayOtlpTracesEndpoint(this, 'directExport') } : {}),
      serviceName: options.serviceName,
      annotationKeys: joinAnnotationKeysOf(options.annotationKeys),
      podAnnotations,
    });
    const manifest = this.target.addManifest(id, manifests);
    manifest.node.addDependency(this.collected.dependable);
    for (const { namespace, serviceAccount } of accounts) {
      this.directExportIdentity(namespace, serviceAccount as string);
    }
    if (this.instrumentation !== undefined) {
      manifest.node.addDependency(this.instrumentation);
    }
    return manifest;
  }

  /**
   * The EKS Pod Identity association of a service account whose pods export straight to X-Ray: a role trusting
   * `pods.eks.amazonaws.com` (with session tags) that holds only the stack's X-Ray write and OTLP span-upload policies. One per service account.
   */
  private directExportIdentity(namespace: string, serviceAccount: string): void {
    const id = `DirectExport${toId(namespace)}${toId(serviceAccount)}`;
    if (this.node.tryFindChild(`${id}Role`) !== undefined) {
      return;
    }
    const role = new iam.Role(this, `${id}Role`, {
      description: `X-Ray direct export for ${namespace}/${serviceAccount} (EKS Pod Identity, cdk-xray-constructs)`,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    });
    XRayGrants.write(role);
    XRayWritePolicy.of(role).attachOtlpSpanWritesTo(role, this);
    const association = new CfnPodIdentityAssociation(this, `${id}Association`, {
      clusterName: this.target.clusterName,
      namespace,
      serviceAccount,
      roleArn: role.roleArn,
    });
    const agent = this.target.podIdentityAgent() ?? this.target.scope.node.tryFindChild('XRayPodIdentityAgent') as Construct | undefined;
    if (agent !== undefined) {
      association.node.addDependency(agent);
    }
  }
}

/** A construct-id part from a Kubernetes name (letters and digits, each part capitalised). */
function toId(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map(p => p[0].toUpperCase() + p.slice(1)).join('');
}

/** Refuses a collector value that is not an EksCollector (from JavaScript or Python). */
function requireCollector(where: string, value: unknown): EksCollector {
  if (!(value instanceof EksCollector)) {
    fail(where, 'collector', 'must be EksCollector.addOn() or EksCollector.manifests()', value, 'Pass one of the two.');
  }
  return value;
}
