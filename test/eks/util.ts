import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** A placeholder kubectl layer: synthesis only needs its ARN. */
export function kubectlLayer(stack: Stack): lambda.ILayerVersion {
  return lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', 'arn:aws:lambda:us-east-1:111111111111:layer:kubectl:1');
}

export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
}

/** An aws-eks cluster with no default capacity. */
export function v1Cluster(stack: Stack = newStack()): eks.Cluster {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, vpc, defaultCapacity: 0, kubectlLayer: kubectlLayer(stack) });
}

/** An aws-eks Fargate cluster. */
export function v1FargateCluster(stack: Stack = newStack()): eks.FargateCluster {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return new eks.FargateCluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, vpc, kubectlLayer: kubectlLayer(stack) });
}

/** An aws-eks-v2 cluster with a kubectl provider. */
export function v2Cluster(stack: Stack = newStack()): eksv2.Cluster {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return new eksv2.Cluster(stack, 'Cluster', {
    version: eksv2.KubernetesVersion.V1_34, vpc, kubectlProviderOptions: { kubectlLayer: kubectlLayer(stack) },
  });
}

/** The Kubernetes objects of every manifest resource of a stack, parsed (tokens resolved as the template holds them). */
export function manifestsOf(stack: Stack, refs: Record<string, string> = {}): any[] {
  const template = Template.fromStack(stack).toJSON();
  const out: any[] = [];
  for (const r of Object.values<any>(template.Resources ?? {})) {
    if (r.Type !== 'Custom::AWSCDK-EKS-KubernetesResource') continue;
    out.push(...JSON.parse(flatten(r.Properties.Manifest, refs)));
  }
  return out;
}

/** A template string value with `Fn::Join`s flattened and references replaced by placeholders. */
export function flatten(value: any, refs: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map((p: any) => flatten(p, refs)).join(sep);
  }
  if (value?.Ref) return refs[value.Ref] ?? `REF_${value.Ref}`;
  if (value?.['Fn::GetAtt']) return `ATT_${value['Fn::GetAtt'].join('_')}`;
  return 'TOKEN';
}
