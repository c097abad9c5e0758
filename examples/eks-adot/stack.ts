import { CfnParameter, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { EksInstrumentationLanguage, EksTracing } from '../../src';

/**
 * An aws-eks-v2 cluster on a managed node group with X-Ray tracing: the `adot` EKS add-on (its OTLP ingest collector
 * with the X-Ray pipeline, cert-manager installed first), EKS Pod Identity for the collector, the operator's
 * `Instrumentation`, and one Java workload opted into auto-instrumentation, with its service name and annotation key
 * declared through the construct.
 *
 * Manifests are applied by the cluster's kubectl provider, which needs a Lambda layer with kubectl and Helm: publish
 * one from `@aws-cdk/lambda-layer-kubectl-v35` (or any layer with /opt/kubectl/kubectl and /opt/helm/helm) and pass
 * its ARN as the `KubectlLayerArn` parameter. Synthesis needs neither the layer nor credentials.
 */
export class EksAdotStack extends Stack {
  public readonly cluster: eks.Cluster;
  public readonly tracing: EksTracing;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const layerArn = new CfnParameter(this, 'KubectlLayerArn', {
      description: 'ARN of a Lambda layer with kubectl and Helm (for example from @aws-cdk/lambda-layer-kubectl-v35)',
    });
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    this.cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_35,
      vpc,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 2,
      kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(this, 'KubectlLayer', layerArn.valueAsString) },
    });

    // aws-cdk-lib's kubectl provider functions run only while CloudFormation applies manifests; no request passes them.
    Validations.of(this.cluster.node.findChild('KubectlProvider')).acknowledge({
      id: 'XRay-LambdaFunctionUntraced',
      reason: 'Deploy-time custom resource functions of aws-cdk-lib (the kubectl provider); they serve no requests to trace.',
    });

    this.tracing = EksTracing.enableV2(this.cluster, { instrumentation: { namespace: 'default' } });

    const labels = { app: 'orders' };
    this.tracing.addWorkload('Orders', {
      serviceName: 'orders',
      annotationKeys: ['tenant_tier'],
      autoInstrument: EksInstrumentationLanguage.JAVA,
      manifests: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'orders', namespace: 'default', labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [{
                  name: 'orders',
                  image: 'public.ecr.aws/docker/library/eclipse-temurin:21.0.5_11-jre',
                  command: ['java', '-jar', '/app/orders.jar'],
                  ports: [{ containerPort: 8080 }],
                  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
                }],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'orders', namespace: 'default' },
          spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
        },
      ],
    });
  }
}
