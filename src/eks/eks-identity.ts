import { CfnJson } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BoundIdentity, IdentityContext } from './private/binding';
import { IRSA_ROLE_ANNOTATION } from './private/names';
import { checkAddonVersion } from './private/validate';
import { XRayGrants } from '../iam/xray-grants';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import { ProblemCollector } from '../private/errors';
import { POD_IDENTITY_AGENT_ADDON_VERSION } from '../private/pinned';

/** Options of `EksIdentity.podIdentity`. */
export interface PodIdentityOptions {
  /**
   * The version of the `eks-pod-identity-agent` add-on installed on a cluster imported into this app (a cluster
   * created here brings aws-cdk-lib's own agent add-on, which is used instead).
   *
   * @default - the pinned version
   */
  readonly agentVersion?: string;

  /**
   * Install the agent add-on on an imported cluster. Turn it off when the cluster already runs the agent.
   *
   * @default true
   */
  readonly installAgent?: boolean;
}

/**
 * How the collector's pods get AWS credentials. Either way the collector's role holds the stack's `XRayWritePolicy`
 * and nothing broader, plus the sampling-rule reads when the collector proxies X-Ray's sampling API.
 */
export class EksIdentity {
  /**
   * EKS Pod Identity: a role trusting `pods.eks.amazonaws.com` (`sts:AssumeRole`, `sts:TagSession`), an
   * `AWS::EKS::PodIdentityAssociation` for the collector's service account, and the pod identity agent add-on.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
   */
  public static podIdentity(options: PodIdentityOptions = {}): EksIdentity {
    return new EksIdentity('podIdentity', options);
  }

  /**
   * IAM roles for service accounts: a role trusting the cluster's OpenID Connect provider for exactly the collector's
   * service account, named on that account with `eks.amazonaws.com/role-arn`.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  public static irsa(): EksIdentity {
    return new EksIdentity('irsa', {});
  }

  private constructor(private readonly kind: 'podIdentity' | 'irsa', private readonly options: PodIdentityOptions) {}

  /** Checks the options. @internal */
  public _validate(problems: ProblemCollector): void {
    checkAddonVersion(problems, 'identity.agentVersion', this.options.agentVersion, 'eks-pod-identity-agent');
  }

  /** Creates the role and what ties it to the collector's service account. @internal */
  public _bind(ctx: IdentityContext): BoundIdentity {
    const role = this.kind === 'podIdentity' ? this.podIdentityRole(ctx) : this.irsaRole(ctx);
    XRayGrants.write(role);
    if (ctx.samplingReads) {
      XRayWritePolicy.of(role).attachSamplingReadsTo(role, ctx.scope);
    }
    const serviceAccountAnnotations: { [key: string]: string } = this.kind === 'irsa' ? { [IRSA_ROLE_ANNOTATION]: role.roleArn } : {};
    return { role, serviceAccountAnnotations };
  }

  private podIdentityRole(ctx: IdentityContext): iam.Role {
    const role = new iam.Role(ctx.scope, 'CollectorRole', {
      description: `X-Ray collector ${ctx.namespace}/${ctx.serviceAccount} (EKS Pod Identity, cdk-xray-constructs)`,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    });
    const association = new eks.CfnPodIdentityAssociation(ctx.scope, 'PodIdentityAssociation', {
      clusterName: ctx.target.clusterName,
      namespace: ctx.namespace,
      serviceAccount: ctx.serviceAccount,
      roleArn: role.roleArn,
    });
    const agent = ctx.target.podIdentityAgent() ?? this.ownAgent(ctx);
    if (agent !== undefined) {
      association.node.addDependency(agent);
    }
    return role;
  }

  /** The agent add-on for an imported cluster, once per cluster. */
  private ownAgent(ctx: IdentityContext): Construct | undefined {
    if (this.options.installAgent === false) {
      return undefined;
    }
    const id = 'XRayPodIdentityAgent';
    const existing = ctx.target.scope.node.tryFindChild(id) as Construct | undefined;
    return existing ?? new eks.CfnAddon(ctx.target.scope, id, {
      clusterName: ctx.target.clusterName,
      addonName: 'eks-pod-identity-agent',
      addonVersion: this.options.agentVersion ?? POD_IDENTITY_AGENT_ADDON_VERSION,
    });
  }

  private irsaRole(ctx: IdentityContext): iam.Role {
    const provider = ctx.target.openIdConnectProvider();
    const issuer = provider.openIdConnectProviderIssuer;
    // The issuer is a token: the condition keys can only be written once CloudFormation knows it.
    const conditions = new CfnJson(ctx.scope, 'CollectorRoleConditions', {
      value: {
        [`${issuer}:aud`]: 'sts.amazonaws.com',
        [`${issuer}:sub`]: `system:serviceaccount:${ctx.namespace}:${ctx.serviceAccount}`,
      },
    });
    return new iam.Role(ctx.scope, 'CollectorRole', {
      description: `X-Ray collector ${ctx.namespace}/${ctx.serviceAccount} (IRSA, cdk-xray-constructs)`,
      assumedBy: new iam.OpenIdConnectPrincipal(provider, { StringEquals: conditions }),
    });
  }
}
