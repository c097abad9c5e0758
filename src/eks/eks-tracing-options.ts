import type { EksCollector } from './eks-collector';
import type { EksIdentity } from './eks-identity';
import type { EksInstrumentationLanguage } from './eks-modes';
import type { AnnotationPolicy } from '../policy/annotation-policy';

/**
 * The operator's `Instrumentation` resource that auto-instrumented pods read: where they export, which propagators
 * and sampler they use, and which agent image each language gets.
 */
export interface EksInstrumentationOptions {
  /**
   * The namespace of the `Instrumentation` resource; pods of other namespaces name it as `<namespace>/<name>`.
   *
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * The name of the `Instrumentation` resource (a DNS-1123 subdomain).
   *
   * @default 'xray'
   */
  readonly name?: string;

  /**
   * The fraction of new traces the SDKs sample (`parentbased_traceidratio`), from 0 to 1. With tail sampling in the
   * collector the SDKs sample everything and this must stay unset.
   *
   * @default - 0.05, or 1 when the collector tail-samples
   */
  readonly samplingRatio?: number;

  /** The Java agent image. @default - the pinned ADOT Java auto-instrumentation image */
  readonly javaImage?: string;
  /** The Python agent image. @default - the pinned ADOT Python auto-instrumentation image */
  readonly pythonImage?: string;
  /** The Node.js agent image. @default - the pinned ADOT Node.js auto-instrumentation image */
  readonly nodejsImage?: string;
  /** The .NET agent image. @default - the pinned ADOT .NET auto-instrumentation image */
  readonly dotnetImage?: string;
}

/**
 * What `EksTracing.enable` sets up on a cluster.
 */
export interface EksTracingOptions {
  /**
   * The collector pods send their spans to.
   *
   * @default EksCollector.addOn()
   */
  readonly collector?: EksCollector;

  /**
   * How the collector gets its AWS credentials.
   *
   * @default EksIdentity.podIdentity()
   */
  readonly identity?: EksIdentity;

  /**
   * Create the operator's `Instrumentation` resource, so that pods annotated with
   * `instrumentation.opentelemetry.io/inject-<language>` get an agent that exports to the collector.
   *
   * @default - no Instrumentation resource
   */
  readonly instrumentation?: EksInstrumentationOptions;

  /**
   * The app's annotation policy; the collector made of Kubernetes objects indexes only the keys it allows.
   *
   * @default - every declared key is indexed
   */
  readonly annotationPolicy?: AnnotationPolicy;
}

/**
 * Kubernetes objects added to the cluster through `EksTracing.addWorkload`, with the OTLP endpoint and service name
 * set in every container that does not set them itself.
 */
export interface EksWorkloadOptions {
  /**
   * The Kubernetes objects (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods and anything else, which is
   * passed through unchanged).
   */
  readonly manifests: { [key: string]: any }[];

  /**
   * The service (segment) name written to `OTEL_SERVICE_NAME` in every container.
   *
   * @default - the name of each workload object (`metadata.name`)
   */
  readonly serviceName?: string;

  /**
   * The annotation keys these workloads record, written to `XRAY_ANNOTATION_KEYS` and checked against the
   * annotation policy like every other declared key.
   *
   * @default - none
   */
  readonly annotationKeys?: string[];

  /**
   * Opt the pod templates into the operator's auto-instrumentation for this language (the annotation
   * `instrumentation.opentelemetry.io/inject-<language>` naming this construct's `Instrumentation`). Needs
   * `EksTracingOptions.instrumentation`.
   *
   * @default - no auto-instrumentation: the containers' own SDKs use the injected variables
   */
  readonly autoInstrument?: EksInstrumentationLanguage;

  /**
   * Export these workloads' spans straight to the X-Ray OTLP endpoint of the cluster's Region
   * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://xray.<region>.amazonaws.com/v1/traces`, signed by the AWS Distro for
   * OpenTelemetry SDKs) instead of through the collector.
   *
   * The SDK signs with the pod's own AWS identity, so every pod template must name its service account
   * (`serviceAccountName`): each gets an EKS Pod Identity association with a role that holds only the stack's
   * `XRayWritePolicy` and `XRayWritePolicy/OtlpSpanWrites` (`xray:PutSpans`, `xray:PutSpansForIndexing`,
   * `xray:PutTraceSegments`). The endpoint takes spans only when
   * CloudWatch Transaction Search is on in the account and Region (`TransactionSearch`, or
   * `TransactionSearch.enabledOutsideApp()`; XRayChecks fails synthesis without one). The collector's tail sampling and
   * indexing do not apply to these spans.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
   * @default false
   */
  readonly directExport?: boolean;
}
