import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { IMAGE } from './util';
import { EcsTracing, TraceCollector, XRayChecks } from '../../src';
import { cloudWatchAgentTraces, isXRayOtlpTracesEndpoint, traceCollectorOf, traceReceiverOf } from '../../src/private/collector-detection';
import { assemblyOfTemplates } from '../../src/report/assembly';
import { createReport } from '../../src/report/report';
import { tracingMetadataOf } from '../../src/template/facts';
import { TemplateModel } from '../../src/template/model';

const APP_SIGNALS_CONFIG = '{"traces":{"traces_collected":{"application_signals":{}}},"logs":{"metrics_collected":{"application_signals":{}}}}';
const REGION_ENDPOINT = { 'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.amazonaws.com/v1/traces']] };

describe('the template readers of collector detection: CloudWatch agent configurations and the X-Ray OTLP endpoint', () => {
  test('cloudWatchAgentTraces', () => {
    expect(cloudWatchAgentTraces(APP_SIGNALS_CONFIG)).toBe('applicationSignals');
    expect(cloudWatchAgentTraces('{"traces":{"traces_collected":{"xray":{}}}}')).toBe('traces');
    expect(cloudWatchAgentTraces('{"traces":{"traces_collected":{"otlp":{}}}}')).toBe('traces');
    expect(cloudWatchAgentTraces('{"logs":{"metrics_collected":{"emf":{}}}}')).toBe('none');
    expect(cloudWatchAgentTraces('{"traces":{"traces_collected":{}}}')).toBe('none');
    expect(cloudWatchAgentTraces('not json')).toBeUndefined();
    expect(cloudWatchAgentTraces({ 'Fn::Join': ['', ['{"traces":', { Ref: 'P' }, '}']] })).toBeUndefined();
    expect(cloudWatchAgentTraces({ Ref: 'P' })).toBeUndefined();
  });

  test('isXRayOtlpTracesEndpoint: the pattern the ADOT SDKs sign', () => {
    expect(isXRayOtlpTracesEndpoint('https://xray.us-east-1.amazonaws.com/v1/traces')).toBe(true);
    expect(isXRayOtlpTracesEndpoint(REGION_ENDPOINT)).toBe(true);
    expect(isXRayOtlpTracesEndpoint('https://xray.cn-north-1.amazonaws.com.cn/v1/traces')).toBe(false);
    expect(isXRayOtlpTracesEndpoint('https://xray.us-east-1.amazonaws.com')).toBe(false);
    expect(isXRayOtlpTracesEndpoint('http://localhost:4316/v1/traces')).toBe(false);
    expect(isXRayOtlpTracesEndpoint('https://evil.example/xray.us-east-1.amazonaws.com/v1/traces')).toBe(false);
    expect(isXRayOtlpTracesEndpoint({ Ref: 'Endpoint' })).toBe(false);
    expect(isXRayOtlpTracesEndpoint(undefined)).toBe(false);
  });
});

describe('traceReceiverOf: a CloudWatch agent Application Signals sidecar, a direct-export task, neither', () => {
  const app = { Name: 'app', Image: 'app:1' };
  test('the CloudWatch agent by its Application Signals configuration, whatever its image', () => {
    expect(traceReceiverOf([app, { Name: 'cwa', Image: '123.dkr.ecr.eu-west-1.amazonaws.com/mirror/agent:1', Environment: [{ Name: 'CW_CONFIG_CONTENT', Value: APP_SIGNALS_CONFIG }] }]))
      .toEqual({ name: 'CloudWatch agent (Application Signals)', sidecar: true });
    expect(traceReceiverOf([app, { Name: 'cwa', Image: 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300071.0b1720', Environment: [{ Name: 'CW_CONFIG_CONTENT', Value: APP_SIGNALS_CONFIG }] }]))
      .toEqual({ name: 'CloudWatch agent (Application Signals)', sidecar: true });
  });

  test('the configuration as an SSM secret, as AWS\'s guide hands it over, counts as a CloudWatch agent', () => {
    expect(traceCollectorOf([app, { Name: 'ecs-cwagent', Image: 'mirror/agent:1', Secrets: [{ Name: 'CW_CONFIG_CONTENT', ValueFrom: 'ecs-cwagent' }] }])).toBe('CloudWatch agent');
  });

  test('a CloudWatch agent whose known configuration receives no traces is no trace collector', () => {
    expect(traceCollectorOf([app, { Name: 'cwa', Image: 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300071.0b1720', Environment: [{ Name: 'CW_CONFIG_CONTENT', Value: '{"logs":{"metrics_collected":{"emf":{}}}}' }] }]))
      .toBeUndefined();
  });

  test('app containers that export to the X-Ray OTLP endpoint, literal or Fn::Join', () => {
    for (const value of ['https://xray.eu-west-1.amazonaws.com/v1/traces', REGION_ENDPOINT]) {
      expect(traceReceiverOf([{ ...app, Environment: [{ Name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', Value: value }] }]))
        .toEqual({ name: 'X-Ray OTLP endpoint', sidecar: false });
    }
  });

  test('neither: a local endpoint with no collector, a China endpoint, the general OTLP endpoint', () => {
    for (const [name, value] of [
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://localhost:4316/v1/traces'],
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'https://xray.cn-north-1.amazonaws.com.cn/v1/traces'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'https://xray.eu-west-1.amazonaws.com'],
    ]) {
      expect(traceCollectorOf([{ ...app, Environment: [{ Name: name, Value: value }] }])).toBeUndefined();
    }
    expect(traceCollectorOf([app])).toBeUndefined();
  });
});

/** An app with one ALB service per collector choice (and one without), and one bare task per choice (and one without). */
function appWithEveryChoice(): App {
  const app = new App();
  const s = new Stack(app, 'S');
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const choices: Array<[string, TraceCollector | undefined]> = [
    ['Signals', TraceCollector.applicationSignals()], ['Direct', TraceCollector.directToXRay()], ['Plain', undefined],
  ];
  for (const [name, collector] of choices) {
    const service = new ecsPatterns.ApplicationLoadBalancedFargateService(s, `${name}Web`, { vpc, taskImageOptions: { image: IMAGE } });
    const task = new ecs.FargateTaskDefinition(s, `${name}Batch`);
    task.addContainer('App', { image: IMAGE });
    if (collector !== undefined) {
      EcsTracing.enable(service.taskDefinition, { collector });
      EcsTracing.enable(task, { collector });
    }
  }
  return app;
}

describe('the ECS rules accept both choices as traced and still flag a task with neither', () => {
  const app = appWithEveryChoice();
  app.synth();
  const violations = new XRayChecks(app).validateScope(app).violations;
  const findings = (rule: string) => violations.filter((v: any) => v.ruleName === rule)
    .flatMap((v: any) => v.violatingResources.map((r: any) => r.constructPath)).sort();

  test('XRay-EcsTaskTraceCollector: only the bare task with neither', () => {
    expect(findings('XRay-EcsTaskTraceCollector')).toEqual(['S/PlainBatch/Resource']);
  });

  test('XRay-TraceEcsServiceWithoutCollector: only the service with neither', () => {
    expect(findings('XRay-TraceEcsServiceWithoutCollector')).toEqual(['S/PlainWeb/Service/Service']);
  });
});

describe('cdk-xray report: coverage, how, details and the tracing metadata of both choices', () => {
  const app = appWithEveryChoice();
  const template = Template.fromStack(app.node.findChild('S') as Stack).toJSON();
  const report = createReport(assemblyOfTemplates({ S: template })).stacks[0];
  // Templates read without the assembly's path metadata: nodes are labelled by logical id.
  const byLabel = (prefix: string) => report.nodes.find(n => n.type === 'AWS::ECS::TaskDefinition' && n.logicalId.startsWith(prefix))!;

  test('task definitions: traced with the sidecar or with no sidecar, untraced with neither', () => {
    expect(byLabel('SignalsBatch')).toMatchObject({
      state: 'traced',
      how: 'CloudWatch agent (Application Signals) sidecar',
      details: [
        'App: OTLP http://localhost:4316/v1/traces sampler=xray Application Signals',
      ],
    });
    expect(byLabel('DirectBatch')).toMatchObject({
      state: 'traced',
      how: 'SDKs export to the X-Ray OTLP endpoint (no sidecar)',
      details: [
        'App: OTLP https://xray.${AWS::Region}.amazonaws.com/v1/traces sampler=parentbased_traceidratio',
      ],
    });
    expect(byLabel('PlainBatch')).toMatchObject({ state: 'untraced' });
  });

  test('services take their task definition\'s state; coverage counts them', () => {
    const services = report.nodes.filter(n => n.type === 'AWS::ECS::Service');
    expect(services.map(n => [n.logicalId.replace(/Service[0-9A-F]{8}$/, ''), n.state]).sort()).toEqual([
      ['DirectWeb', 'traced'], ['PlainWeb', 'untraced'], ['SignalsWeb', 'traced'],
    ]);
    const tasks = report.coverage.byType.find(t => t.type === 'AWS::ECS::TaskDefinition')!;
    expect(tasks).toMatchObject({ total: 6, traced: 4, untraced: 2 });
  });

  test('the tracing metadata records the collector of each traced task', () => {
    const model = TemplateModel.ofStacks([{ stackId: 'S', template }]);
    const collectors = model.ofType('AWS::ECS::TaskDefinition').map(r => tracingMetadataOf(r)?.collector).sort();
    expect(collectors).toEqual(['applicationSignals', 'applicationSignals', 'direct', 'direct', undefined, undefined]);
  });
});
