import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EcsFargateAdotStack } from '../../examples/ecs-fargate-adot/stack';
import { EcsFargateXRayDaemonStack } from '../../examples/ecs-fargate-xray-daemon/stack';
import { assemblyOfTemplates } from '../../src/report/assembly';
import { createReport, StackReport } from '../../src/report/report';
import { flattenValue } from '../ecs/util';
import { acknowledgedIds } from '../util';

/** Constructs made by cdk-xray-constructs itself in a traced task. */
const LIBRARY_MADE = [/\/XRayWritePolicy(\/|$)/, /\/TraceCollectorConfig(\/|$)/, /\/TraceCollectorLogs(\/|$)/];

/** The cdk-xray report of one stack's template. */
function reportOf(template: Template): StackReport {
  return createReport(assemblyOfTemplates({ s: template.toJSON() })).stacks[0];
}

function findings(stack: Stack): Array<{ rule: string; path: string }> {
  Template.fromStack(stack); // synthesis runs the aspect that instruments the containers
  const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
  return report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((c: any) => ({ rule: v.ruleName as string, path: c.constructPath as string })));
}

function acknowledgedOnLibrary(root: IConstruct): Array<{ path: string; ids: string[] }> {
  return root.node.findAll()
    .filter(c => LIBRARY_MADE.some(p => p.test(c.node.path)))
    .map(c => ({ path: c.node.path, ids: acknowledgedIds(c) }))
    .filter(x => x.ids.length > 0);
}

describe.each([
  ['ecs-fargate-adot', () => new EcsFargateAdotStack(new App(), 'EcsFargateAdot')],
  ['ecs-fargate-xray-daemon', () => new EcsFargateXRayDaemonStack(new App(), 'EcsFargateXRayDaemon')],
])('examples/%s', (_name, make) => {
  test('cdk-nag AwsSolutions: no finding once the app records its acknowledgments', () => {
    expect(findings(make())).toEqual([]);
  });

  test('the only acknowledgments on constructs the library made are IAM5 on the X-Ray policy resources themselves', () => {
    const stack = make();
    expect(acknowledgedOnLibrary(stack)).toEqual([
      { path: `${stack.stackName}/XRayWritePolicy/Resource/Resource`, ids: ['AwsSolutions-IAM5[Resource::*]'] },
      { path: `${stack.stackName}/XRayWritePolicy/SamplingReads/Resource`, ids: ['AwsSolutions-IAM5[Resource::*]'] },
    ]);
  });

  test('one X-Ray write policy, attached to the task role only', () => {
    const report = reportOf(Template.fromStack(make()));
    expect(report.xrayWritePolicies).toEqual([expect.objectContaining({ type: 'AWS::IAM::ManagedPolicy', principals: 1 })]);
    const tasks = report.nodes.filter(n => n.type === 'AWS::ECS::TaskDefinition');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].details).toHaveLength(1);
  });
});

describe('examples/ecs-fargate-adot', () => {
  const stack = new EcsFargateAdotStack(new App(), 'EcsFargateAdot');
  const template = Template.fromStack(stack);

  test('the app sends OTLP to the collector and samples everything, because the collector tail-samples', () => {
    const nodes = reportOf(template).nodes;
    const task = nodes.find(n => n.type === 'AWS::ECS::TaskDefinition')!;
    expect(task).toMatchObject({ state: 'traced', how: expect.stringMatching(/ADOT collector/), details: ['orders: OTLP http://localhost:4318 sampler=always_on'] });
    // The service names its task definition; the containers are listed once, there.
    expect(nodes.find(n => n.type === 'AWS::ECS::Service')).toMatchObject({ how: `task definition ${task.label}: ADOT collector sidecar`, details: [] });
  });

  test('the collector keeps errors, requests slower than 2 s and 10 % of the rest, and indexes exactly the declared keys', () => {
    const yaml = flattenValue(Object.values<any>(template.findResources('AWS::SSM::Parameter'))[0].Properties.Value);
    expect(yaml).toContain('type: "status_code"');
    expect(yaml).toContain('threshold_ms: 2000');
    expect(yaml).toContain('sampling_percentage: 10');
    expect(yaml).toContain('indexed_attributes:\n      - "tenant_tier"\n      - "order_kind"\n');
  });

  test('an ALB in front: its health check path and the service use the traced task definition', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health' });
    template.hasResourceProperties('AWS::ECS::Service', { TaskDefinition: { Ref: Match.stringLikeRegexp('^Task') } });
  });
});

describe('examples/ecs-fargate-xray-daemon', () => {
  test('the ecs-patterns container talks to the daemon; the end-of-support warning is acknowledged with its reason', () => {
    const stack = new EcsFargateXRayDaemonStack(new App(), 'EcsFargateXRayDaemon');
    const task = reportOf(Template.fromStack(stack)).nodes.find(n => n.type === 'AWS::ECS::TaskDefinition')!;
    expect(task).toMatchObject({ state: 'traced', how: expect.stringMatching(/X-Ray daemon/), details: ['orders: X-Ray SDK -> 127.0.0.1:2000'] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('2027-02-25'))).toEqual([]);
  });
});
