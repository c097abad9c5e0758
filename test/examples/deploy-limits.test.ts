import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, AspectPriority, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as xray from 'aws-cdk-lib/aws-xray';
import {
  AdotCollectorConfig, EnableTracingAspect, FilterExpression, FilterFlag, LambdaInstrumentation, SamplingRate, SamplingRule,
  SnsTracing, TailSamplingPolicy, TraceCollector, TracedFargateTaskDefinition, TracedFunction, TracedRestApi, TraceGroup,
  TransactionSearch, XRayEncryption, XRayGrants, XRayResourcePolicy,
} from '../../src';
import { ZIP_DIR } from '../util';
import { cfnLint, KNOWN_CFN_LINT_WARNINGS } from '../util/cfn-lint';

/**
 * Every construct of the library at the limits its validation accepts (the longest names, the extreme rates and
 * priorities, the most attributes), synthesized as a user would. Whatever passes validation must pass the checks
 * CloudFormation makes at deploy as far as they can be run here: cfn-lint on every aws-cdk-lib, and from aws-cdk-lib
 * 2.262 on the CloudFormation validation aws-cdk-lib runs on every synth (reported in validation-report.json).
 */
function boundaryApp(outdir: string): App {
  const app = new App({ outdir });
  // Environment-agnostic, as most apps are: region-dependent values go through CloudFormation mappings.
  const stack = new Stack(app, 'Limits');

  // Sampling rules: names of 32 characters, priorities 1 and 9999, rates 0 and 1, every matcher at its maximum length,
  // five attributes of 32 characters each, the fastest rate boost.
  new SamplingRule(stack, 'Widest', {
    samplingRuleName: 'r'.repeat(32),
    priority: 1,
    fixedRate: SamplingRate.all(),
    reservoirSize: 0,
    serviceName: 's'.repeat(64),
    serviceType: 't'.repeat(64),
    host: 'h'.repeat(64),
    httpMethod: 'M'.repeat(10),
    urlPath: '/'.padEnd(128, 'p'),
    attributes: Object.fromEntries([1, 2, 3, 4, 5].map(i => [`${i}`.padEnd(32, 'k'), `${i}`.padEnd(32, 'v')])),
  });
  new SamplingRule(stack, 'Last', {
    samplingRuleName: 'last',
    priority: 9999,
    fixedRate: SamplingRate.none(),
    reservoirSize: 1_000_000,
    resourceArn: 'arn:aws:execute-api:us-east-1:111111111111:abcdef1234/prod',
    samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(1) },
  });

  // Groups: a name of 32 characters with Insights and notifications; the resource policy with the longest name.
  new TraceGroup(stack, 'Group', {
    groupName: 'g'.repeat(32),
    filterExpression: FilterExpression.flag(FilterFlag.FAULT),
    insights: true,
    insightNotifications: true,
  });
  new XRayResourcePolicy(stack, 'Policy', {
    policyName: 'p'.repeat(128),
    statements: [new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['xray:PutTraceSegments'],
      resources: ['*'],
    })],
  });
  new TransactionSearch(stack, 'Search', { indexingPercentage: 100 });
  new XRayEncryption(stack, 'Encryption', { key: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });

  // Lambda, every instrumentation.
  new TracedFunction(stack, 'Active', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(ZIP_DIR) });
  new TracedFunction(stack, 'Powertools', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(ZIP_DIR),
    instrumentation: LambdaInstrumentation.powertools(),
    serviceName: 'n'.repeat(200),
    annotationKeys: ['tenant_tier'],
  });
  const adot = new TracedFunction(stack, 'Adot', {
    runtime: lambda.Runtime.JAVA_21,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(ZIP_DIR),
    instrumentation: LambdaInstrumentation.adot(),
    serviceName: 'orders',
  });

  // A traced REST API in front of one of them.
  const api = new TracedRestApi(stack, 'Api');
  api.root.addMethod('GET', new apigw.LambdaIntegration(adot));

  // ECS: the ADOT collector with tail sampling, and the X-Ray daemon.
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  new ecs.Cluster(stack, 'Cluster', { vpc });
  const adotTask = new TracedFargateTaskDefinition(stack, 'AdotTask', {
    cpu: 512,
    memoryLimitMiB: 1024,
    annotationKeys: ['tenant_tier'],
    collector: TraceCollector.adot({
      config: new AdotCollectorConfig({
        tailSampling: { policies: [TailSamplingPolicy.keepErrors(), TailSamplingPolicy.baseline(SamplingRate.percent(1))] },
      }),
    }),
  });
  adotTask.addTracedContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22'), serviceName: 'orders' });
  const daemonTask = new TracedFargateTaskDefinition(stack, 'DaemonTask', { cpu: 256, memoryLimitMiB: 512, collector: TraceCollector.xrayDaemon() });
  daemonTask.addTracedContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22') });

  // What the aspect turns on: a state machine, an AppSync API, a topic; and the grants.
  const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
  new appsync.GraphqlApi(stack, 'Graph', { name: 'graph', definition: appsync.Definition.fromFile(path.join(__dirname, '..', 'checks', 'schema.graphql')) });
  const topic = new sns.Topic(stack, 'Topic');
  SnsTracing.enable(topic);
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  XRayGrants.read(reader);
  XRayGrants.write(machine);
  Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING });
  return app;
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-limits-'));
let templates: string[] = [];

beforeAll(() => {
  boundaryApp(outdir).synth();
  templates = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).map(f => path.join(outdir, f));
});

describe('every construct at the limits its validation accepts', () => {
  test('cfn-lint finds no error and no warning beyond those plain aws-cdk-lib output draws', () => {
    expect(templates.length).toBeGreaterThan(0);
    const findings = cfnLint(templates).filter(f => KNOWN_CFN_LINT_WARNINGS[f.rule] === undefined);
    expect(findings).toEqual([]);
  });

  test('aws-cdk-lib\'s own CloudFormation validation (from 2.262) reports nothing', () => {
    expect(violationsOf(outdir)).toEqual([]);
  });

  test('that validation runs here: a raw sampling rule over the limits draws its findings', () => {
    // GIVEN the checker above, fed a rule aws-cdk-lib's L1 lets through
    const controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-limits-control-'));
    const app = new App({ outdir: controlDir });
    new xray.CfnSamplingRule(new Stack(app, 'Control'), 'Rule', {
      samplingRule: {
        ruleName: 'over',
        priority: 0,
        fixedRate: 5,
        reservoirSize: 1,
        serviceName: '*',
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
    // WHEN
    app.synth();
    // THEN it reports them wherever aws-cdk-lib has the validation, so "nothing reported" above means something
    const rules = violationsOf(controlDir).filter(v => v.plugin === 'CloudFormation Validate').map(v => v.description);
    if (hasCloudFormationValidation()) {
      expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/FixedRate/), expect.stringMatching(/Priority/)]));
    } else {
      expect(rules).toEqual([]);
    }
  });
});

/** The findings of every validation plugin that ran during a synthesis into `dir`. */
function violationsOf(dir: string): Array<{ plugin: string; rule: string; description: string; paths: string[] }> {
  const file = path.join(dir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName,
    rule: v.ruleName,
    description: v.description,
    paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

/** Whether the installed aws-cdk-lib validates templates with CloudFormation's rules on every synth (2.262 and later). */
function hasCloudFormationValidation(): boolean {
  const version: string = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;
  const [, minor] = version.split('.').map(Number);
  return minor >= 262;
}
