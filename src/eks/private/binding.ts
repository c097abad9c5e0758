import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ClusterTarget } from './cluster-target';
import type { AnnotationPolicy } from '../../policy/annotation-policy';

/*
 * What the collector and identity classes exchange with the enable-path when they are bound to a cluster.
 */

/** The role and the service-account annotations a collector gets from its identity. */
export interface BoundIdentity {
  readonly role: iam.IRole;
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** Where the collector's pods run, as the identity needs it. */
export interface IdentityContext {
  readonly scope: Construct;
  readonly target: ClusterTarget;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The collector proxies X-Ray's sampling API, so its role also reads sampling rules. */
  readonly samplingReads: boolean;
}

/** What a bound collector tells the rest of the EKS path. */
export interface BoundCollector {
  /** The OTLP/HTTP endpoint pods export to. */
  readonly otlpHttpEndpoint: string;
  /** Whether the collector tail-samples (the SDKs must then sample everything). */
  readonly tailSampling: boolean;
  /** Whether the OpenTelemetry Operator (and its CRDs) is installed by this collector. */
  readonly installsOperator: boolean;
  /** What the `Instrumentation` resource must be created after. */
  readonly dependable: Construct;
}

/** What a collector is bound with. */
export interface CollectorContext {
  readonly scope: Construct;
  readonly target: ClusterTarget;
  readonly identity: IdentityBinder;
  readonly annotationPolicy?: AnnotationPolicy;
  /** The annotation keys declared by workloads added through the construct (filled in until synthesis). */
  readonly annotationKeys: string[][];
}


/** What binds the collector's identity (`EksIdentity`). */
export interface IdentityBinder {
  _bind(ctx: IdentityContext): BoundIdentity;
}
