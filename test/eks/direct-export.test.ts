import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { manifestsOf, v1Cluster, v2Cluster } from './util';
import { EksTracing, XRayChecks } from '../../src';
import { recordEnabledOutside } from '../../src/private/enabled-outside';
import { errorOf } from '../util';

function deployment(name: string, serviceAccountName?: string, namespace?: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...(serviceAccountName !== undefined ? { serviceAccountName } : {}), containers: [{ name: 'app', image: 'x:1' }] },
      },
    },
  };
}

function envOf(stack: Stack, name: string): Record<string, string> {
  const d = manifestsOf(stack).find(o => o.kind === 'Deployment' && o.metadata.name === name);
  return Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
}

describe('EKS workloads exporting straight to X-Ray', () => {
  test('the containers get the X-Ray OTLP endpoint instead of the collector, and the service account a Pod Identity role', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [deployment('orders', 'orders-sa', 'shop')], directExport: true });
    const env = envOf(cluster.stack, 'orders');
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBe('https://xray.us-east-1.amazonaws.com/v1/traces');
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(env.OTEL_SERVICE_NAME).toBe('orders');

    const template = Template.fromStack(cluster.stack);
    const associations = Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation')).map(a => a.Properties);
    const direct = associations.find(a => a.ServiceAccount === 'orders-sa');
    expect(direct).toMatchObject({ Namespace: 'shop', ServiceAccount: 'orders-sa' });
    const roleId = direct.RoleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' },
    });
    // The role's only permissions: the stack's X-Ray write policy and the OTLP endpoint's span uploads.
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(p => JSON.stringify(p.Properties.Roles ?? []).includes(roleId));
    expect(policies.map(p => p.Properties.PolicyDocument.Statement[0].Action)).toEqual([
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      ['xray:PutSpans', 'xray:PutSpansForIndexing', 'xray:PutTraceSegments'],
    ]);
    expect(role.Properties.Policies).toBeUndefined();
  });

  test('two workloads with one service account share one association; the default namespace is used when none is named', () => {
    const cluster = v2Cluster();
    EksTracing.enableV2(cluster).addWorkload('Shop', {
      manifests: [deployment('orders', 'shop-sa'), deployment('payments', 'shop-sa')], directExport: true,
    });
    const associations = Object.values<any>(Template.fromStack(cluster.stack).findResources('AWS::EKS::PodIdentityAssociation'))
      .map(a => a.Properties).filter(a => a.ServiceAccount === 'shop-sa');
    expect(associations).toHaveLength(1);
    expect(associations[0].Namespace).toBe('default');
  });

  test('a pod template without a service account is refused, naming the workload', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster);
    expect(errorOf(() => tracing.addWorkload('Orders', { manifests: [deployment('orders')], directExport: true })))
      .toMatch(/directExport.*Deployment\/orders names none.*serviceAccountName/s);
  });

  test('without directExport the collector endpoint is kept', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [deployment('orders', 'orders-sa')] });
    const env = envOf(cluster.stack, 'orders');
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\//);
  });

  test('XRayChecks fails the workload without Transaction Search, and passes it once declared', () => {
    const findings = (stack: Stack) => {
      (stack.node.root as App).synth();
      return new XRayChecks(stack.node.root).validateScope(stack).violations
        .filter((v: any) => v.ruleName === 'XRay-DirectExportWithoutTransactionSearch').length;
    };
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [deployment('orders', 'orders-sa')], directExport: true });
    expect(findings(cluster.stack)).toBe(1);

    const other = v1Cluster();
    EksTracing.enable(other).addWorkload('Orders', { manifests: [deployment('orders', 'orders-sa')], directExport: true });
    recordEnabledOutside(other.stack, 'TransactionSearch', 'on in the console');
    expect(findings(other.stack)).toBe(0);
  });
});
