import { writeAssembly } from './fixtures';
import { readCloudAssembly } from '../../src/report/assembly';
import { renderHtml } from '../../src/report/html';
import { createReport, toJson } from '../../src/report/report';
import { renderText } from '../../src/report/text';

const TRACING = 'cdk-xray-constructs:tracing';

/** A raw ECS task definition: a daemon sidecar, an app on an X-Ray SDK, an app on OpenTelemetry. */
const legacyTask = {
  Type: 'AWS::ECS::TaskDefinition',
  Properties: {
    ContainerDefinitions: [
      { Name: 'xray', Image: 'amazon/aws-xray-daemon:3.3.7' },
      { Name: 'orders', Image: 'orders:1', Environment: [{ Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: '127.0.0.1:2000' }] },
      {
        Name: 'billing',
        Image: 'billing:1',
        Environment: [{ Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: '127.0.0.1:2000' }, { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://localhost:4318' }],
      },
    ],
  },
};

/** A manifest with the daemon as a DaemonSet and a Deployment whose app uses an X-Ray SDK. */
const legacyManifest = {
  Type: 'Custom::AWSCDK-EKS-KubernetesResource',
  Properties: {
    ClusterName: { Ref: 'Cluster' },
    Manifest: JSON.stringify([
      { kind: 'DaemonSet', metadata: { name: 'xray-daemon' }, spec: { template: { spec: { containers: [{ name: 'xray', image: 'public.ecr.aws/xray/aws-xray-daemon:3.6.6' }] } } } },
      {
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'app', image: 'web:2', env: [{ name: 'AWS_XRAY_DAEMON_ADDRESS', value: 'xray-service.default:2000' }] }] } } },
      },
      { kind: 'Service', metadata: { name: 'xray-service' }, spec: {} },
    ]),
  },
};

function legacyAssembly(): string {
  return writeAssembly({
    Legacy: {
      Resources: {
        SdkFn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } }, Metadata: { [TRACING]: { instrumentation: 'xraySdk' } } },
        AdotFn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } }, Metadata: { [TRACING]: { instrumentation: 'adot' } } },
        PowertoolsFn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } }, Metadata: { [TRACING]: { instrumentation: 'powertools' } } },
        Task: legacyTask,
        Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
        Workloads: legacyManifest,
      },
    },
  });
}

describe('cdk-xray report: the X-Ray SDK and daemon migration section', () => {
  test('lists each function, task definition (container by container) and manifest (workload by workload) with its change', () => {
    // GIVEN an assembly written without this library's constructs, but for the functions' metadata
    const model = readCloudAssembly(legacyAssembly());

    // WHEN
    const { migration } = createReport(model);

    // THEN
    expect(migration.endOfSupport).toBe('2027-02-25');
    expect(migration.maintenanceSince).toBe('2026-02-25');
    expect(migration.items.map(i => [i.nodeId, i.typeName, i.parts.map(p => `${p.name}:${p.uses}:${p.replacement}`)])).toEqual([
      ['Legacy/SdkFn', 'Lambda function', ['function:xraySdk:LambdaInstrumentation.adot()']],
      ['Legacy/Task', 'ECS task definition', ['xray:xrayDaemon:TraceCollector.adot()', 'orders:xraySdk:ContainerInstrumentation.openTelemetry()']],
      ['Legacy/Workloads', 'Kubernetes manifest', [
        'DaemonSet/xray-daemon: xray:xrayDaemon:EksTracing.enable(cluster, { collector: EksCollector.addOn() })',
        'Deployment/web: app:xraySdk:EksTracing.addWorkload(id, { manifests })',
      ]],
    ]);
    expect(migration.items[0].parts[0].change).toBe('instrumentation: LambdaInstrumentation.xraySdk() → instrumentation: LambdaInstrumentation.adot()');
    expect(migration.items[1].parts[0].evidence).toBe('image amazon/aws-xray-daemon:3.3.7');
    expect(migration.items[1].parts[1].evidence).toBe('AWS_XRAY_DAEMON_ADDRESS without OTEL_* variables');
    expect(migration.powertoolsFunctions).toEqual([{ nodeId: 'Legacy/PowertoolsFn' }]);
  });

  test('text: the dates, each part with its change; JSON carries the section; HTML a table row per part', () => {
    // GIVEN
    const report = createReport(readCloudAssembly(legacyAssembly()), { assemblyName: 'cdk.out' });

    // WHEN
    const text = renderText(report, { mermaid: false });
    const json = JSON.parse(toJson(report));
    const html = renderHtml(report);

    // THEN
    expect(text).toContain('X-Ray SDK and daemon migration: 3 resource(s) to move to OpenTelemetry (maintenance since 2026-02-25, end of support 2027-02-25;');
    expect(text).toContain('    orders: an X-Ray SDK (AWS_XRAY_DAEMON_ADDRESS without OTEL_* variables)\n' +
      '      instrumentation: ContainerInstrumentation.xraySdk() → instrumentation: ContainerInstrumentation.openTelemetry()');
    expect(text).toContain('1 function(s) use Powertools Tracer, built on the X-Ray SDK');
    expect(json.schemaVersion).toBe(2);
    expect(json.migration.items.map((i: any) => i.logicalId)).toEqual(['SdkFn', 'Task', 'Workloads']);
    expect(json.migration.items[1].parts[0]).toEqual({
      name: 'xray',
      uses: 'xrayDaemon',
      evidence: 'image amazon/aws-xray-daemon:3.3.7',
      replacement: 'TraceCollector.adot()',
      change: 'collector: TraceCollector.xrayDaemon() → collector: TraceCollector.adot()',
    });
    expect(html).toContain('<section class="migration" data-items="3">');
    expect(html.match(/<tr data-node="Legacy\/Task" data-uses="/g)).toHaveLength(2);
    const section = html.slice(html.indexOf('<section class="migration"'), html.indexOf('</section>', html.indexOf('<section class="migration"')));
    expect(section).not.toMatch(/https?:\/\//); // the page stays self-contained: the address is in the JSON
  });

  test('the same resources draw XRay-XRaySdkEndOfSupport warnings, with the same change in the message', () => {
    // GIVEN / WHEN
    const report = createReport(readCloudAssembly(legacyAssembly()));
    const findings = report.stacks[0].findings.filter(f => f.rule === 'XRay-XRaySdkEndOfSupport');

    // THEN
    expect(findings.map(f => [f.nodeId, f.level])).toEqual([
      ['Legacy/SdkFn', 'warning'], ['Legacy/Task', 'warning'], ['Legacy/Workloads', 'warning'],
    ]);
    expect(findings[1].message).toContain('xray uses the X-Ray daemon (image amazon/aws-xray-daemon:3.3.7): ' +
      'collector: TraceCollector.xrayDaemon() → collector: TraceCollector.adot()');
    // a warning fails neither check with default options nor --strict
    expect(report.totals.failingFindings).toBe(0);
  });

  test('nothing to migrate is said in one line; OpenTelemetry containers and ADOT functions are not listed', () => {
    // GIVEN
    const dir = writeAssembly({
      Modern: {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } }, Metadata: { [TRACING]: { instrumentation: 'adot' } } },
          Task: {
            Type: 'AWS::ECS::TaskDefinition',
            Properties: {
              ContainerDefinitions: [
                { Name: 'collector', Image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0' },
                { Name: 'app', Image: 'app:1', Environment: [{ Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://localhost:4318' }] },
              ],
            },
          },
        },
      },
    });

    // WHEN
    const report = createReport(readCloudAssembly(dir));
    const lines = renderText(report, { mermaid: false }).split('\n').filter(l => l.includes('migration'));

    // THEN
    expect(report.migration.items).toEqual([]);
    expect(lines).toEqual(['X-Ray SDK and daemon migration: nothing to migrate, no resource uses an X-Ray SDK or the X-Ray daemon ' +
      '(maintenance since 2026-02-25, end of support 2027-02-25).']);
    expect(renderHtml(report)).toContain('<section class="migration" data-items="0">');
  });

  test('--stack narrows the section to the reported stacks', () => {
    // GIVEN two stacks, the legacy one not reported
    const dir = writeAssembly({
      Legacy: { Resources: { Task: legacyTask } },
      Other: { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } },
    });

    // WHEN / THEN
    expect(createReport(readCloudAssembly(dir), { stacks: ['Other'] }).migration.items).toEqual([]);
    expect(createReport(readCloudAssembly(dir), { stacks: ['Legacy'] }).migration.items.map(i => i.nodeId)).toEqual(['Legacy/Task']);
  });

  test('a daemon image given as Fn::Join (an ECR repository of the account) is recognized; a non-literal image without the name is not', () => {
    // GIVEN
    const dir = writeAssembly({
      S: {
        Resources: {
          Task: {
            Type: 'AWS::ECS::TaskDefinition',
            Properties: {
              ContainerDefinitions: [
                { Name: 'daemon', Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.us-east-1.amazonaws.com/aws-xray-daemon:3.6.6']] } },
                { Name: 'app', Image: { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] } },
              ],
            },
          },
        },
      },
    });

    // WHEN
    const items = createReport(readCloudAssembly(dir)).migration.items;

    // THEN
    expect(items.map(i => i.parts.map(p => [p.name, p.evidence]))).toEqual([
      [['daemon', 'image <deploy-time>.dkr.ecr.us-east-1.amazonaws.com/aws-xray-daemon:3.6.6']],
    ]);
  });
});
