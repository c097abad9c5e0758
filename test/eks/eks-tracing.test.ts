import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import { manifestsOf, newStack, v1Cluster, v1FargateCluster, v2Cluster } from './util';
import {
  AdotCollectorConfig, AnnotationPolicy, Cardinality, EksCollector, EksCollectorMode, EksIdentity, EksInstrumentationLanguage, EksTracing,
  TailSamplingPolicy,
} from '../../src';
import { errorOf, warningsMatching } from '../util';

const DEPLOYMENT = (name = 'orders', env: any[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'public.ecr.aws/example/orders:1.0.0', env }] } },
  },
});

/** Every statement of every IAM policy attached to the role, by the role's logical id. */
function statementsOf(stack: Stack, roleLogicalId: string): any[] {
  const template = Template.fromStack(stack).toJSON();
  return Object.values<any>(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
    .filter(r => JSON.stringify(r.Properties.Roles ?? []).includes(roleLogicalId))
    .flatMap(r => r.Properties.PolicyDocument.Statement);
}

function roleId(stack: Stack, tracing: EksTracing): string {
  return stack.getLogicalId(tracing.collectorRole.node.defaultChild as any);
}

describe('EksTracing.enable: the adot add-on (default)', () => {
  test('the add-on with the OTLP ingest collector and its X-Ray pipeline, after cert-manager', () => {
    // GIVEN
    const cluster = v1Cluster();
    // WHEN
    EksTracing.enable(cluster);
    // THEN
    const template = Template.fromStack(cluster.stack);
    const addons = template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'adot' } });
    const [, adot] = Object.entries<any>(addons)[0];
    expect(adot.Properties.AddonVersion).toBe('v0.151.0-eksbuild.1');
    const pipelines = { traces: { xray: { enabled: true } } };
    expect(JSON.parse(adot.Properties.ConfigurationValues)).toEqual({ collector: { otlpIngest: { pipelines } } });
    const certManager = Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'cert-manager', AddonVersion: 'v1.21.0-eksbuild.3' } }));
    expect(certManager).toHaveLength(1);
    expect(adot.DependsOn).toEqual(expect.arrayContaining(certManager));
    // No kubectl manifest is needed for the add-on.
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('pod identity: the association, a role trusting pods.eks.amazonaws.com, exactly the XRayWritePolicy', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster);
    const template = Template.fromStack(cluster.stack);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'opentelemetry-operator-system', ServiceAccount: 'adot-col-otlp-ingest', ClusterName: { Ref: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
    const id = roleId(cluster.stack, tracing);
    expect(statementsOf(cluster.stack, id)).toEqual([
      { Sid: 'XRayWrite', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
    ]);
    const role = template.toJSON().Resources[id];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    // The association waits for the agent aws-cdk-lib manages for the cluster.
    const [, association] = Object.entries<any>(template.findResources('AWS::EKS::PodIdentityAssociation'))[0];
    const agent = Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }));
    expect(agent).toHaveLength(1);
    expect(association.DependsOn).toEqual(agent);
  });

  test('an imported cluster gets the pinned pod identity agent add-on', () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod' });
    EksTracing.enable(cluster);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', AddonVersion: 'v1.3.10-eksbuild.3', ClusterName: 'prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'prod' });
  });

  test('IRSA: the role ARN in the add-on configuration, a role trusting the OIDC provider for that service account only', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { identity: EksIdentity.irsa() });
    const template = Template.fromStack(cluster.stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    const [, adot] = Object.entries<any>(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'adot' } }))[0];
    const config = adot.Properties.ConfigurationValues;
    expect(JSON.stringify(config)).toContain('eks.amazonaws.com/role-arn');
    const role = template.toJSON().Resources[roleId(cluster.stack, tracing)];
    const statement = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Principal.Federated).toEqual({ Ref: expect.stringMatching(/OpenIdConnectProvider/) });
    const conditions = Object.values<any>(template.findResources('Custom::AWSCDKCfnJson'))[0].Properties.Value;
    expect(JSON.stringify(conditions)).toContain('system:serviceaccount:opentelemetry-operator-system:adot-col-otlp-ingest');
    expect(JSON.stringify(conditions)).toContain('sts.amazonaws.com');
  });

  test('cert-manager can be left out, and versions overridden', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.addOn({ installCertManager: false, addOnVersion: 'v0.117.0-eksbuild.1' }) });
    const template = Template.fromStack(cluster.stack);
    expect(Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'cert-manager' } }))).toHaveLength(0);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'adot', AddonVersion: 'v0.117.0-eksbuild.1' });
  });

  test('idempotent: a second call returns the first construct and warns about its options', () => {
    const cluster = v1Cluster();
    const first = EksTracing.enable(cluster);
    expect(EksTracing.enable(cluster)).toBe(first);
    expect(EksTracing.enable(cluster, { identity: EksIdentity.irsa() })).toBe(first);
    expect(warningsMatching(cluster.stack, 'already enabled')).toHaveLength(1);
    Template.fromStack(cluster.stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
  });

  test('aws-eks-v2 clusters through enableV2', () => {
    const cluster = v2Cluster();
    EksTracing.enableV2(cluster);
    const template = Template.fromStack(cluster.stack);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'adot' });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'adot-col-otlp-ingest' });
  });
});

describe('EksCollector.manifests: the collector as Kubernetes objects', () => {
  test('Namespace, ServiceAccount, ConfigMap from AdotCollectorConfig, Deployment, Service', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests() });
    const objects = manifestsOf(cluster.stack);
    expect(objects.map(o => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'ConfigMap', 'Deployment', 'Service']);
    const config = objects.find(o => o.kind === 'ConfigMap').data['collector.yaml'];
    expect(config).toContain('endpoint: "0.0.0.0:4317"');
    expect(config).toContain('awsproxy:');
    const deployment = objects.find(o => o.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0');
    expect(container.env).toEqual([{ name: 'AOT_CONFIG_CONTENT', valueFrom: { configMapKeyRef: { name: 'xray-collector-config', key: 'collector.yaml' } } }]);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('xray-collector');
    const service = objects.find(o => o.kind === 'Service');
    expect(service.spec.ports.map((p: any) => p.port)).toEqual([4317, 4318, 2000]);
  });

  test('the collector proxies sampling, so its role also gets the sampling reads, and nothing else', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { collector: EksCollector.manifests() });
    const statements = statementsOf(cluster.stack, roleId(cluster.stack, tracing));
    expect(statements).toEqual([
      { Sid: 'XRayWrite', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
      { Sid: 'XRaySamplingRead', Action: ['xray:GetSamplingRules', 'xray:GetSamplingTargets'], Effect: 'Allow', Resource: '*' },
    ]);
    Template.fromStack(cluster.stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'xray-collector', ServiceAccount: 'xray-collector' });
  });

  test('IRSA annotates the collector service account', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests({ namespace: 'observability', createNamespace: false }), identity: EksIdentity.irsa() });
    const objects = manifestsOf(cluster.stack);
    expect(objects.map(o => o.kind)).not.toContain('Namespace');
    const sa = objects.find(o => o.kind === 'ServiceAccount');
    expect(sa.metadata.namespace).toBe('observability');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^ATT_.*CollectorRole.*_Arn$/);
  });

  test('tail sampling and the annotation policy reach the rendered configuration, keys of workloads included', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, {
      collector: EksCollector.manifests({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) }),
      annotationPolicy: new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] }),
    });
    tracing.addWorkload('Orders', { manifests: [DEPLOYMENT()], annotationKeys: ['tenant_tier', 'order_id'] });
    const config = manifestsOf(cluster.stack).find(o => o.kind === 'ConfigMap').data['collector.yaml'];
    expect(config).toContain('tail_sampling:');
    expect(config).toMatch(/indexed_attributes:\n\s+- "tenant_tier"\n/);
    expect(config).not.toContain('order_id');
  });

  test('the resourcedetection processor with the env, eks and ec2 detectors, before batch, without the node\'s own attributes', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests() });
    const config: string = manifestsOf(cluster.stack).find(o => o.kind === 'ConfigMap').data['collector.yaml'];
    expect(config).toContain([
      '  resourcedetection:',
      '    detectors:',
      '      - "env"',
      '      - "eks"',
      '      - "ec2"',
      '    timeout: "15s"',
      '    override: false',
      '    ec2:',
      '      resource_attributes:',
      '        cloud.availability_zone:',
      '          enabled: false',
      '        host.id:',
      '          enabled: false',
      '        host.image.id:',
      '          enabled: false',
      '        host.name:',
      '          enabled: false',
      '        host.type:',
      '          enabled: false',
    ].join('\n'));
    const processors = config.match(/processors:\n((?:\s+- "[^"]+"\n)+)/)![1].match(/"[^"]+"/g);
    expect(processors).toEqual(['"memory_limiter"', '"resourcedetection"', '"attributes/sensitive"', '"batch/traces"']);
  });

  test('resourceDetection: false leaves the processor out', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests({ config: new AdotCollectorConfig({ resourceDetection: false }) }) });
    const config = manifestsOf(cluster.stack).find(o => o.kind === 'ConfigMap').data['collector.yaml'];
    expect(config).not.toContain('resourcedetection');
  });

  test('on a Fargate cluster resource detection is off by default, and refused when asked for', () => {
    const cluster = v1FargateCluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests() });
    expect(manifestsOf(cluster.stack).find(o => o.metadata?.name === 'xray-collector-config').data['collector.yaml']).not.toContain('resourcedetection');
    const config = new AdotCollectorConfig({ resourceDetection: true });
    expect(errorOf(() => EksTracing.enable(v1FargateCluster(), { collector: EksCollector.manifests({ config }) })))
      .toBe('[Stack/Cluster/XRayTracing] collector.config.resourceDetection cannot be on for a cluster whose pods all run on Fargate (got true). ' +
        'The eks detector reads the instance metadata service, which Fargate pods cannot reach; remove resourceDetection.');
  });

  test('a DaemonSet on EC2 nodes', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests({ mode: EksCollectorMode.DAEMONSET }) });
    const daemonSet = manifestsOf(cluster.stack).find(o => o.kind === 'DaemonSet');
    expect(daemonSet.spec.replicas).toBeUndefined();
  });

  test('a DaemonSet on a Fargate cluster is refused', () => {
    const cluster = v1FargateCluster();
    expect(errorOf(() => EksTracing.enable(cluster, { collector: EksCollector.manifests({ mode: EksCollectorMode.DAEMONSET }) })))
      .toBe('[Stack/Cluster/XRayTracing] collector.mode cannot be a DaemonSet on a cluster whose pods all run on Fargate (got "daemonset"). ' +
        'Fargate runs no DaemonSet; use EksCollectorMode.DEPLOYMENT.');
    // A Deployment is fine there.
    const other = v1FargateCluster();
    EksTracing.enable(other, { collector: EksCollector.manifests() });
  });
});

describe('EksTracing: validation', () => {
  test('bad values are reported together, in the house format', () => {
    const cluster = v1Cluster();
    const message = errorOf(() => EksTracing.enable(cluster, {
      collector: EksCollector.manifests({ namespace: 'Bad_NS', replicas: 0, image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest' }),
      instrumentation: { name: 'x'.repeat(254), samplingRatio: 1.5, javaImage: 'java agent' },
    }));
    expect(message).toMatch(/^6 problems:/);
    expect(message).toContain('[Stack/Cluster/XRayTracing] collector.namespace must be a DNS-1123 label');
    expect(message).toContain('collector.replicas must be a whole number from 1 to 2147483647 (got 0)');
    expect(message).toContain('collector.image must be pinned to a version tag or digest');
    expect(message).toContain('instrumentation.name must be a DNS-1123 subdomain');
    expect(message).toContain('instrumentation.samplingRatio must be a fraction from 0 to 1 (got 1.5)');
    expect(message).toContain('instrumentation.javaImage must be an image reference without spaces');
  });

  test('add-on versions must look like EKS add-on versions', () => {
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: EksCollector.addOn({ addOnVersion: '0.151' }) })))
      .toContain('collector.addOnVersion must be an EKS add-on version such as "v1.2.3-eksbuild.1" (got "0.151"). List the versions with `aws eks describe-addon-versions --addon-name adot`');
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { identity: EksIdentity.podIdentity({ agentVersion: 'latest' }) })))
      .toContain('identity.agentVersion must be an EKS add-on version');
  });

  test('boundaries pass: 63-character namespace, 253-character name, ratios 0 and 1, one replica', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, {
      collector: EksCollector.manifests({ namespace: 'a'.repeat(63), replicas: 1 }),
      instrumentation: { name: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, samplingRatio: 0 },
    });
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: EksCollector.manifests({ namespace: 'a'.repeat(64) }) }))).toContain('collector.namespace');
  });

  test('tokens are never rejected', () => {
    const cluster = v1Cluster();
    const stack = cluster.stack;
    EksTracing.enable(cluster, {
      collector: EksCollector.manifests({
        namespace: new CfnParameter(stack, 'Ns').valueAsString,
        replicas: new CfnParameter(stack, 'Replicas', { type: 'Number' }).valueAsNumber,
        image: new CfnParameter(stack, 'Image').valueAsString,
      }),
      identity: EksIdentity.podIdentity({ agentVersion: new CfnParameter(stack, 'Agent').valueAsString }),
      instrumentation: { samplingRatio: new CfnParameter(stack, 'Ratio', { type: 'Number' }).valueAsNumber },
    });
    // As CloudFormation fills the parameters in.
    const objects = manifestsOf(stack, { Ns: 'team', Replicas: '2', Ratio: '0.1', Image: 'public.ecr.aws/x/collector:v1' });
    expect(objects.find(o => o.kind === 'Instrumentation').spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '0.1' });
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.metadata.namespace).toBe('team');
    expect(deployment.spec.replicas).toBe(2);
    // With tail sampling, a deploy-time ratio is not judged either.
    const other = v1Cluster();
    EksTracing.enable(other, {
      collector: EksCollector.manifests({ config: new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }) }),
      instrumentation: { samplingRatio: new CfnParameter(other.stack, 'Ratio', { type: 'Number' }).valueAsNumber },
    });
  });

  test('tail sampling needs one replica of a Deployment, and the SDKs to sample everything', () => {
    const tail = new AdotCollectorConfig({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } });
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: EksCollector.manifests({ config: tail, replicas: 2 }) })))
      .toContain('collector.replicas must be 1 with tail sampling (got 2)');
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: EksCollector.manifests({ config: tail, mode: EksCollectorMode.DAEMONSET }) })))
      .toContain('collector.mode cannot be a DaemonSet with tail sampling');
    const ratio = { samplingRatio: 0.1 };
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: EksCollector.manifests({ config: tail }), instrumentation: ratio })))
      .toContain('instrumentation.samplingRatio must be 1 (or unset) when the collector tail-samples (got 0.1)');
  });

  test('a collector or identity of the wrong kind is refused (JavaScript callers)', () => {
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { collector: {} as any }))).toContain('collector must be EksCollector.addOn() or EksCollector.manifests()');
    expect(errorOf(() => EksTracing.enable(v1Cluster(), { identity: {} as any }))).toContain('identity must be EksIdentity.podIdentity() or EksIdentity.irsa()');
    expect(errorOf(() => EksTracing.enable(undefined as any))).toContain('[EksTracing.enable] cluster must be an aws-eks cluster');
  });
});

describe('EksTracing: instrumentation and workloads', () => {
  test('the Instrumentation resource exports to the add-on collector and is created after the add-on', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { instrumentation: {} });
    const instrumentation = manifestsOf(cluster.stack).find(o => o.kind === 'Instrumentation');
    expect(instrumentation.apiVersion).toBe('opentelemetry.io/v1alpha1');
    expect(instrumentation.spec.exporter.endpoint).toBe('http://adot-col-otlp-ingest-collector.opentelemetry-operator-system.svc.cluster.local:4318');
    expect(instrumentation.spec.propagators).toEqual(['tracecontext', 'baggage', 'xray']);
    expect(instrumentation.spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '0.05' });
    expect(instrumentation.spec.java.image).toMatch(/adot-autoinstrumentation-java:v\d/);
    expect(tracing.instrumentationRef).toBe('default/xray');
    expect(tracing.instrumentationAnnotations(EksInstrumentationLanguage.PYTHON)).toEqual({ 'instrumentation.opentelemetry.io/inject-python': 'default/xray' });
    const template = Template.fromStack(cluster.stack).toJSON();
    const [, manifest] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')!;
    const adotId = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::EKS::Addon' && r.Properties.AddonName === 'adot')![0];
    expect(manifest.DependsOn).toContain(adotId);
  });

  test('with the Kubernetes-objects collector, a warning says the operator must be installed', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster, { collector: EksCollector.manifests(), instrumentation: {} });
    expect(warningsMatching(cluster.stack, 'OpenTelemetry Operator')).toHaveLength(1);
  });

  test('addWorkload sets the endpoint, protocol, service name and annotation keys without overwriting the user', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { instrumentation: {} });
    tracing.addWorkload('Orders', {
      manifests: [DEPLOYMENT('orders', [{ name: 'OTEL_SERVICE_NAME', value: 'orders-api' }]), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders' }, spec: { ports: [{ port: 80 }] } }],
      annotationKeys: ['tenant_tier'],
      autoInstrument: EksInstrumentationLanguage.JAVA,
    });
    const deployment = manifestsOf(cluster.stack).find(o => o.kind === 'Deployment');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'instrumentation.opentelemetry.io/inject-java': 'default/xray' });
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'OTEL_SERVICE_NAME', value: 'orders-api' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://adot-col-otlp-ingest-collector.opentelemetry-operator-system.svc.cluster.local:4318' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
      { name: 'XRAY_ANNOTATION_KEYS', value: 'tenant_tier' },
    ]);
    // The user's own value differs from the workload name: kept, and said.
    expect(warningsMatching(cluster.stack, 'OTEL_SERVICE_NAME of container app in Deployment orders')).toHaveLength(1);
    const service = manifestsOf(cluster.stack).find(o => o.kind === 'Service');
    expect(service.spec).toEqual({ ports: [{ port: 80 }] });
  });

  test('every workload kind gets the variables; the service name defaults to the workload name', () => {
    const cluster = v1Cluster();
    const tracing = EksTracing.enable(cluster, { collector: EksCollector.manifests() });
    const pod = { containers: [{ name: 'c', image: 'x:1' }] };
    tracing.addWorkload('All', {
      manifests: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod },
        { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { a: 's' } }, template: { metadata: { labels: { a: 's' } }, spec: pod } } },
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: 'Never' } } } } } },
      ],
    });
    const byKind = (k: string) => manifestsOf(cluster.stack).find(o => o.kind === k && o.metadata.name !== 'xray-collector');
    const env = (spec: any) => Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env(byKind('Pod').spec)).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://xray-collector.xray-collector.svc.cluster.local:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: 'p' });
    expect(env(byKind('StatefulSet').spec.template.spec).OTEL_SERVICE_NAME).toBe('s');
    expect(env(byKind('CronJob').spec.jobTemplate.spec.template.spec).OTEL_SERVICE_NAME).toBe('c');
  });

  test('addWorkload: bad keys, names and an opt-in without Instrumentation are errors', () => {
    const tracing = EksTracing.enable(v1Cluster());
    expect(errorOf(() => tracing.addWorkload('A', { manifests: [] }))).toContain('manifests must hold at least one Kubernetes object');
    expect(errorOf(() => tracing.addWorkload('B', { manifests: [DEPLOYMENT()], annotationKeys: ['tenant-tier'] })))
      .toContain('annotationKeys[0] may contain only letters, digits and underscores (got "tenant-tier")');
    expect(errorOf(() => tracing.addWorkload('C', { manifests: [DEPLOYMENT()], serviceName: 'a\nb' }))).toContain('serviceName must be 1 to 200 characters');
    expect(errorOf(() => tracing.addWorkload('D', { manifests: [DEPLOYMENT()], autoInstrument: EksInstrumentationLanguage.JAVA })))
      .toContain('instrumentation is not set, so there is no Instrumentation resource to opt into');
  });

  test('an annotation key in a workload reaches the checks like every other source', () => {
    // Covered in test/eks/eks-checks.test.ts with XRayChecks; here the variable as the template holds it.
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [DEPLOYMENT()], annotationKeys: ['user_email'] });
    expect(JSON.stringify(manifestsOf(cluster.stack))).toContain('"XRAY_ANNOTATION_KEYS","value":"user_email"');
    expect(Annotations.fromStack(cluster.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
