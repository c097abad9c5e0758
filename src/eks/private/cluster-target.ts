import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';

/**
 * What the EKS tracing path needs from a cluster, the same for aws-eks and aws-eks-v2 clusters: both publish the same
 * members under different types, so the public methods adapt their cluster to this once.
 */
export interface ClusterTarget {
  /** The cluster construct. */
  readonly scope: Construct;
  /** The cluster's name (a token for a cluster made here). */
  readonly clusterName: string;
  /** Whether every pod runs on Fargate (a FargateCluster): DaemonSets never run there. */
  readonly fargateOnly: boolean;
  /** The cluster's OpenID Connect provider, for IRSA; read only when IRSA is asked for (it may create the provider). */
  openIdConnectProvider(): iam.IOpenIdConnectProvider;
  /** The pod identity agent add-on aws-cdk-lib manages for a cluster made here; undefined for an imported one. */
  podIdentityAgent(): IConstruct | undefined;
  /** Adds Kubernetes objects through the cluster's kubectl provider. */
  addManifest(id: string, manifests: { [key: string]: any }[]): Construct;
}
