import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApplicationSignalsStack } from '../../examples/application-signals/stack';
import { XRayChecks } from '../../src';

function violations(plugin: { validateScope(scope: Stack): any }, stack: Stack): string[] {
  return plugin.validateScope(stack).violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((c: any) => `${v.ruleName} ${c.constructPath}`));
}

function resourcesOf(template: Template, type: string): any[] {
  return Object.values<any>(template.findResources(type)).map(r => r.Properties);
}

function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.Environment ?? []).map((e: any) => [e.Name, e.Value]));
}

describe('examples/application-signals', () => {
  const app = new App();
  const stack = new ApplicationSignalsStack(app, 'ApplicationSignals');
  const template = Template.fromStack(stack);

  test('AwsSolutionsChecks and XRayChecks: no finding', () => {
    expect(violations(new AwsSolutionsChecks(app), stack)).toEqual([]);
    expect(violations(new XRayChecks(app), stack)).toEqual([]);
  });

  test('the account features, the function with Application Signals and the SLO on its service', () => {
    expect(resourcesOf(template, 'AWS::ApplicationSignals::Discovery')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::XRay::TransactionSearchConfig')).toEqual([{ IndexingPercentage: 1 }]);
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[0];
    expect(fn.Environment.Variables).toMatchObject({ OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true', OTEL_SERVICE_NAME: 'orders' });
    const [slo] = resourcesOf(template, 'AWS::ApplicationSignals::ServiceLevelObjective');
    expect(slo.Sli.SliMetric.KeyAttributes).toEqual({ Type: 'Service', Name: 'orders', Environment: 'lambda:default' });
    expect(slo.Goal).toMatchObject({ AttainmentGoal: 99.9, Interval: { RollingInterval: { Duration: 30, DurationUnit: 'DAY' } } });
    expect(resourcesOf(template, 'AWS::CloudWatch::Alarm')).toEqual([expect.objectContaining({ Namespace: 'AWS/ApplicationSignals', Threshold: 14.4 })]);
  });

  test('the Application Signals task: the agent sidecar and both app containers wired to it', () => {
    const task = resourcesOf(template, 'AWS::ECS::TaskDefinition').find(t => t.ContainerDefinitions.some((c: any) => c.Name === 'checkout'));
    const names = task.ContainerDefinitions.map((c: any) => c.Name);
    expect(names).toEqual(expect.arrayContaining(['checkout', 'checkout-worker', 'cloudwatch-agent']));
    const agent = task.ContainerDefinitions.find((c: any) => c.Name === 'cloudwatch-agent');
    expect(agent.Image).toMatch(/^public\.ecr\.aws\/cloudwatch-agent\/cloudwatch-agent:\d/);
    for (const name of ['checkout', 'checkout-worker']) {
      const c = task.ContainerDefinitions.find((x: any) => x.Name === name);
      expect(envOf(c)).toMatchObject({ OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true', OTEL_SERVICE_NAME: name });
      expect(c.DependsOn).toEqual(expect.arrayContaining([{ ContainerName: 'cloudwatch-agent', Condition: 'START' }]));
    }
  });

  test('the direct-export task: one container, no sidecar, the X-Ray OTLP endpoint of the Region', () => {
    const task = resourcesOf(template, 'AWS::ECS::TaskDefinition').find(t => t.ContainerDefinitions.some((c: any) => c.Name === 'catalog'));
    expect(task.ContainerDefinitions.map((c: any) => c.Name)).toEqual(['catalog']);
    expect(envOf(task.ContainerDefinitions[0]).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toEqual({
      'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.amazonaws.com/v1/traces']],
    });
  });

  test('without its TransactionSearch the direct export fails the checks', () => {
    const without = new App();
    const s = new ApplicationSignalsStack(without, 'ApplicationSignals');
    s.node.tryRemoveChild('TransactionSearch');
    expect(violations(new XRayChecks(without), s).filter(v => v.startsWith('XRay-DirectExport')))
      .toEqual(['XRay-DirectExportWithoutTransactionSearch ApplicationSignals/CatalogTask/Resource']);
  });
});
