import { App, Stack, Validations } from 'aws-cdk-lib';
import * as applicationsignals from 'aws-cdk-lib/aws-applicationsignals';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as xray from 'aws-cdk-lib/aws-xray';
import { LambdaInstrumentation, TracedFunction, XRayChecks } from '../../src';
import { recordEnabledOutside } from '../../src/private/enabled-outside';
import { zipFunctionProps } from '../util';

/** Findings of one rule on an app, as `ruleId path` strings, with the finding's message where asked. */
function findings(app: App, ruleId: string, withMessage = false): string[] {
  app.synth();
  const report = new XRayChecks(app).validateScope(app);
  return report.violations
    .filter((v: any) => v.ruleName === ruleId)
    .flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((r: any) =>
      `${v.ruleName} ${r.constructPath}${withMessage ? ` ${v.description}` : ''}`));
}

const ENV = { account: '123456789012', region: 'eu-west-1' };

function directFunction(stack: Stack, id = 'Fn'): TracedFunction {
  return new TracedFunction(stack, id, { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot({ directExport: true }) });
}

function signalsFunction(stack: Stack, id = 'Fn', serviceName?: string): TracedFunction {
  return new TracedFunction(stack, id, {
    ...zipFunctionProps(), serviceName, instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }),
  });
}

function slo(stack: Stack, name: string, environment = 'lambda:default'): applicationsignals.CfnServiceLevelObjective {
  return new applicationsignals.CfnServiceLevelObjective(stack, 'Slo', {
    name: 'latency',
    sli: {
      sliMetric: { keyAttributes: { Type: 'Service', Name: name, Environment: environment }, metricType: 'LATENCY' },
      metricThreshold: 200,
      comparisonOperator: 'LessThan',
    },
    goal: { attainmentGoal: 99, interval: { rollingInterval: { duration: 7, durationUnit: 'DAY' } } },
  });
}

describe('DirectExportWithoutTransactionSearch', () => {
  const RULE = 'XRay-DirectExportWithoutTransactionSearch';

  test('a function exporting straight to X-Ray with no Transaction Search fails, naming what exports', () => {
    const app = new App();
    directFunction(new Stack(app, 'S', { env: ENV }));
    const found = findings(app, RULE, true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^XRay-DirectExportWithoutTransactionSearch S\/Fn\/Resource .*Concerns: function/);
  });

  test('a Transaction Search in another stack of the same account and Region satisfies it', () => {
    const app = new App();
    directFunction(new Stack(app, 'S', { env: ENV }));
    new xray.CfnTransactionSearchConfig(new Stack(app, 'Account', { env: ENV }), 'Search', { indexingPercentage: 1 });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('a Transaction Search in another Region does not', () => {
    const app = new App();
    directFunction(new Stack(app, 'S', { env: ENV }));
    new xray.CfnTransactionSearchConfig(new Stack(app, 'Other', { env: { ...ENV, region: 'us-east-1' } }), 'Search', {});
    expect(findings(app, RULE)).toEqual(['XRay-DirectExportWithoutTransactionSearch S/Fn/Resource']);
  });

  test('Transaction Search declared enabled outside the app satisfies it; declaring the other feature does not', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    directFunction(stack);
    recordEnabledOutside(stack, 'ApplicationSignalsDiscovery', 'enabled in the console');
    expect(findings(app, RULE)).toHaveLength(1);

    const app2 = new App();
    const stack2 = new Stack(app2, 'S', { env: ENV });
    directFunction(stack2);
    recordEnabledOutside(stack2, 'TransactionSearch', 'enabled by the platform team');
    expect(findings(app2, RULE)).toEqual([]);
  });

  test('an ECS container pointing at the endpoint through a raw task definition fails too (any library)', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    new ecs.CfnTaskDefinition(stack, 'Task', {
      containerDefinitions: [{
        name: 'app',
        image: 'app:1',
        environment: [{ name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', value: 'https://xray.eu-west-1.amazonaws.com/v1/traces' }],
      }],
    });
    expect(findings(app, RULE, true)).toEqual([expect.stringMatching(/S\/Task .*Concerns: container app/)]);
  });

  test('a collector endpoint is not direct export', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', { ...zipFunctionProps(), tracing: lambda.Tracing.ACTIVE });
    fn.addEnvironment('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://localhost:4318/v1/traces');
    expect(findings(app, RULE)).toEqual([]);
  });

  test('can be acknowledged on the function', () => {
    const app = new App();
    const fn = directFunction(new Stack(app, 'S', { env: ENV }));
    Validations.of(fn).acknowledge({ id: RULE, reason: 'Transaction Search is on in this account' });
    expect(findings(app, RULE)).toEqual([]);
  });
});

describe('ApplicationSignalsWithoutDiscovery', () => {
  const RULE = 'XRay-ApplicationSignalsWithoutDiscovery';

  test('signals on without discovery fails; a Discovery in the account and Region or a declaration satisfies it', () => {
    const app = new App();
    signalsFunction(new Stack(app, 'S', { env: ENV }));
    expect(findings(app, RULE)).toEqual(['XRay-ApplicationSignalsWithoutDiscovery S/Fn/Resource']);

    const app2 = new App();
    const stack2 = new Stack(app2, 'S', { env: ENV });
    signalsFunction(stack2);
    new applicationsignals.CfnDiscovery(stack2, 'Discovery', {});
    expect(findings(app2, RULE)).toEqual([]);

    const app3 = new App();
    const stack3 = new Stack(app3, 'S', { env: ENV });
    signalsFunction(stack3);
    recordEnabledOutside(stack3, 'ApplicationSignalsDiscovery', 'enabled in the console');
    expect(findings(app3, RULE)).toEqual([]);
  });

  test('signals off: nothing to check', () => {
    const app = new App();
    new TracedFunction(new Stack(app, 'S', { env: ENV }), 'Fn', { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.adot() });
    expect(findings(app, RULE)).toEqual([]);
  });
});

describe('SloServiceNotEmitted', () => {
  const RULE = 'XRay-SloServiceNotEmitted';

  test('an SLO on a service the app emits under that name and environment passes', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    signalsFunction(stack, 'Fn', 'orders');
    new applicationsignals.CfnDiscovery(stack, 'Discovery', {});
    slo(stack, 'orders');
    expect(findings(app, RULE)).toEqual([]);
  });

  test('an SLO on a service nobody emits is a warning naming the service', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    signalsFunction(stack, 'Fn', 'orders');
    slo(stack, 'payments');
    expect(findings(app, RULE, true)).toEqual([expect.stringMatching(/S\/Slo .*"payments" in environment "lambda:default"/)]);
  });

  test('the wrong environment does not match', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    signalsFunction(stack, 'Fn', 'orders');
    slo(stack, 'orders', 'ecs:prod');
    expect(findings(app, RULE)).toHaveLength(1);
  });

  test('a function without signals does not count as emitting', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    new TracedFunction(stack, 'Fn', { ...zipFunctionProps(), serviceName: 'orders', instrumentation: LambdaInstrumentation.adot() });
    slo(stack, 'orders');
    expect(findings(app, RULE)).toHaveLength(1);
  });

  test('the function name is the service name on Lambda when no OTEL_SERVICE_NAME is set', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    new TracedFunction(stack, 'Fn', {
      ...zipFunctionProps(), functionName: 'checkout', instrumentation: LambdaInstrumentation.adot({ applicationSignals: true }),
    });
    slo(stack, 'checkout');
    expect(findings(app, RULE)).toEqual([]);
  });
});
