import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Duration, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import {
  AdotCollectorConfig, AnnotationPolicy, Cardinality, EcsTracing, LambdaInstrumentation, RestApiTracing, SamplingRate, SamplingRule, TraceCollector,
  TracedFunction,
  TracedRestApi,
  XRayChecks, XRayChecksProps, XRayGrants,
} from '../../src';
import { acknowledgedRuleId } from '../../src/checks/acknowledgments';
import { zipFunctionProps } from '../util';

/** The findings of the pack on a stack, as `ruleId path` strings, after synthesis-time aspects have run. */
function findings(scope: Stack, ruleId?: string): string[] {
  (scope.node.root as App).synth();
  const report = new XRayChecks(scope.node.root).validateScope(scope);
  return report.violations
    .filter((v: any) => ruleId === undefined || v.ruleName === ruleId)
    .flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs).map((r: any) => `${v.ruleName} ${r.constructPath}`));
}

function stack(): Stack {
  return new Stack(new App(), 'S');
}

test('the pack\'s rule ids are pinned', () => {
  expect(XRayChecks.packRuleIds()).toEqual([
    'XRay-LambdaFunctionUntraced',
    'XRay-RestApiStageUntraced',
    'XRay-StateMachineUntraced',
    'XRay-AppSyncApiUntraced',
    'XRay-XRayWildcardActions',
    'XRay-XRayManagedPolicies',
    'XRay-SamplingRuleIgnoredBySdks',
    'XRay-SamplingRuleStatusAttribute',
    'XRay-EcsTaskTraceCollector',
    'XRay-EksClusterTraceCollector',
    'XRay-AnnotationKeyPolicy',
    'XRay-AnnotationBudget',
    'XRay-SamplingRulePriorityUnique',
    'XRay-TraceCostBudget',
    'XRay-TraceUntracedHop',
    'XRay-TraceHttpApiEntry',
    'XRay-TraceEventSourceWithoutContext',
    'XRay-TracePassThroughTopic',
    'XRay-TraceEcsServiceWithoutCollector',
    'XRay-DirectExportWithoutTransactionSearch',
    'XRay-ApplicationSignalsWithoutDiscovery',
    'XRay-SloServiceNotEmitted',
    'XRay-XRaySdkEndOfSupport',
  ]);
});

describe('LambdaFunctionUntraced: a Lambda function has a tracing mode', () => {
  test('Compliance 1: TracedFunction, an L2 with tracing, and a raw L1 with PassThrough', () => {
    const s = stack();
    new TracedFunction(s, 'Traced', zipFunctionProps());
    new lambda.Function(s, 'L2', { ...zipFunctionProps(), tracing: lambda.Tracing.ACTIVE });
    new CfnResource(s, 'Raw', { type: 'AWS::Lambda::Function', properties: { Role: 'arn:aws:iam::1:role/r', Code: { ZipFile: 'x' }, Runtime: 'nodejs22.x', Handler: 'i.h', TracingConfig: { Mode: 'PassThrough' } } });
    expect(findings(s, 'XRay-LambdaFunctionUntraced')).toEqual([]);
  });

  test('Noncompliance 1: an untraced L2 function and a raw L1', () => {
    const s = stack();
    new lambda.Function(s, 'Plain', zipFunctionProps());
    new lambda.CfnFunction(s, 'Raw', { role: 'arn:aws:iam::1:role/r', code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'i.h' });
    expect(findings(s, 'XRay-LambdaFunctionUntraced')).toEqual(['XRay-LambdaFunctionUntraced S/Plain/Resource', 'XRay-LambdaFunctionUntraced S/Raw']);
  });

  test('an acknowledgment with a reason silences it, whichever prefix aws-cdk-lib records', () => {
    // GIVEN
    const s = stack();
    const fn = new lambda.Function(s, 'Plain', zipFunctionProps());
    // WHEN
    Validations.of(fn).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: 'Scheduled cleanup job; nothing calls it.' });
    // THEN
    expect(findings(s, 'XRay-LambdaFunctionUntraced')).toEqual([]);
    // 2.258 records `annotation::XRay-LambdaFunctionUntraced`, 2.262.1 and later `Annotation::XRay-LambdaFunctionUntraced`: the id and reason are what count.
    const acknowledged = fn.node.metadata.find(m => m.type === 'aws:cdk:acknowledged-rules')?.data;
    expect(Object.entries(acknowledged).map(([id, reason]) => [acknowledgedRuleId(id), reason]))
      .toEqual([['XRay-LambdaFunctionUntraced', 'Scheduled cleanup job; nothing calls it.']]);
  });

  test.each([
    ['no prefix', 'XRay-LambdaFunctionUntraced'],
    ['annotation:: (aws-cdk-lib before 2.262.1)', 'annotation::XRay-LambdaFunctionUntraced'],
    ['Annotation:: (aws-cdk-lib 2.262.1 and later)', 'Annotation::XRay-LambdaFunctionUntraced'],
    ['the pack\'s namespace, as the synthesis report suggests', 'XRay::XRay-LambdaFunctionUntraced'],
  ])('an acknowledgment recorded with %s silences the finding', (_, recorded) => {
    // GIVEN: the metadata as each aws-cdk-lib version writes it
    const s = stack();
    const fn = new lambda.Function(s, 'Plain', zipFunctionProps());
    fn.node.addMetadata('aws:cdk:acknowledged-rules', { [recorded]: 'Scheduled cleanup job; nothing calls it.' });
    // THEN
    expect(findings(s, 'XRay-LambdaFunctionUntraced')).toEqual([]);
    expect(acknowledgedRuleId(recorded)).toBe('XRay-LambdaFunctionUntraced');
  });

  test('an acknowledgment of another rule or namespace does not silence it', () => {
    const s = stack();
    const fn = new lambda.Function(s, 'Plain', zipFunctionProps());
    fn.node.addMetadata('aws:cdk:acknowledged-rules', { 'AwsSolutions::XRay-LambdaFunctionUntraced': 'other pack', 'Annotation::XRay-LambdaFunctionUntracedX': 'typo' });
    expect(findings(s, 'XRay-LambdaFunctionUntraced')).toEqual(['XRay-LambdaFunctionUntraced S/Plain/Resource']);
  });
});

describe('during synthesis the rules read the templates just written', () => {
  function synthesized() {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'xray-checks-')) });
    const s = new Stack(app, 'S');
    new lambda.Function(s, 'Plain', zipFunctionProps());
    new TracedFunction(s, 'Traced', zipFunctionProps());
    const renamed = new lambda.Function(s, 'Renamed', zipFunctionProps());
    (renamed.node.defaultChild as lambda.CfnFunction).overrideLogicalId('RenamedByHand');
    const assembly = app.synth();
    return { app, file: path.join(assembly.directory, assembly.getStackByName('S').templateFile) };
  }
  const lambdaFindings = (report: any) => report.violations
    .filter((v: any) => v.ruleName === 'XRay-LambdaFunctionUntraced')
    .flatMap((v: any) => v.violatingResources.map((r: any) => r.constructPath));

  test('validate(context) finds what validateScope finds', () => {
    const { app, file } = synthesized();
    const fromTemplates = new XRayChecks(app).validate({ templatePaths: [file], appConstruct: app } as any);
    const fromAssembly = new XRayChecks(app).validateScope(app);
    expect(lambdaFindings(fromTemplates)).toEqual(['S/Plain/Resource', 'S/Renamed/Resource']);
    expect(fromTemplates.violations).toEqual(fromAssembly.violations);
  });

  test('the properties come from the template file (a changed file changes the finding)', () => {
    const { app, file } = synthesized();
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const resource of Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Lambda::Function')) {
      resource.Properties.TracingConfig = { Mode: 'Active' };
    }
    expect(Object.keys(template.Resources)).toContain('RenamedByHand');
    fs.writeFileSync(file, JSON.stringify(template));
    expect(lambdaFindings(new XRayChecks(app).validate({ templatePaths: [file], appConstruct: app } as any))).toEqual([]);
    // The plugin checks the templates it is given, and only those: none given, nothing checked.
    expect(new XRayChecks(app).validate({ templatePaths: [], appConstruct: app } as any)).toEqual({ success: true, violations: [] });
  });

  test('without a tree on the context, the pack refuses as cdk-nag does', () => {
    const { file } = synthesized();
    expect(() => new XRayChecks().validate({ templatePaths: [file] } as any)).toThrow(/requires a construct tree on the validation context/);
  });
});

test('with stackTemplates (aws-cdk-lib 2.262 and later), the template of each stack is found by its construct path', () => {
  // GIVEN: the written template moved elsewhere, as only stackTemplates can say
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'xray-checks-')) });
  const s = new Stack(app, 'S');
  new lambda.Function(s, 'Plain', zipFunctionProps());
  const assembly = app.synth();
  const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, assembly.getStackByName('S').templateFile), 'utf8'));
  for (const resource of Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Lambda::Function')) {
    resource.Properties.TracingConfig = { Mode: 'Active' };
  }
  const elsewhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xray-checks-')), 'S.template.json');
  fs.writeFileSync(elsewhere, JSON.stringify(template));
  // WHEN
  const context = { templatePaths: [elsewhere], stackTemplates: [{ stackConstructPath: 'S', templatePath: elsewhere }], appConstruct: app };
  const report = new XRayChecks(app).validate(context as any);
  // THEN: the function is read from that file (traced there), mapped to its construct by the stack's path and its
  // logical id (the file has no manifest beside it); the assembly in the app's outdir still has it untraced
  expect(report.violations.map((v: any) => v.ruleName)).not.toContain('XRay-LambdaFunctionUntraced');
  expect(new XRayChecks(app).validateScope(app).violations.map((v: any) => v.ruleName)).toContain('XRay-LambdaFunctionUntraced');
  for (const resource of Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Lambda::Function')) {
    delete resource.Properties.TracingConfig;
  }
  fs.writeFileSync(elsewhere, JSON.stringify(template));
  expect(new XRayChecks(app).validate(context as any).violations.filter((v: any) => v.ruleName === 'XRay-LambdaFunctionUntraced')
    .flatMap((v: any) => v.violatingResources.map((r: any) => r.constructPath))).toEqual(['S/Plain/Resource']);
});

describe('RestApiStageUntraced: a REST API stage has tracing on', () => {
  test('Compliance 1: TracedRestApi and RestApiTracing.enable', () => {
    const s = stack();
    new TracedRestApi(s, 'Api').root.addMethod('GET');
    const other = new apigw.RestApi(s, 'Other');
    other.root.addMethod('GET');
    RestApiTracing.enable(other);
    expect(findings(s, 'XRay-RestApiStageUntraced')).toEqual([]);
  });

  test('Noncompliance 1: a plain RestApi stage', () => {
    const s = stack();
    new apigw.RestApi(s, 'Api').root.addMethod('GET');
    expect(findings(s, 'XRay-RestApiStageUntraced')).toEqual(['XRay-RestApiStageUntraced S/Api/DeploymentStage.prod/Resource']);
  });
});

describe('StateMachineUntraced and AppSyncApiUntraced', () => {
  test('Compliance 1: tracing on', () => {
    const s = stack();
    new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')), tracingEnabled: true });
    new appsync.GraphqlApi(s, 'Gql', { name: 'g', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/schema.graphql`)), xrayEnabled: true });
    expect(findings(s).filter(f => /StateMachine|AppSync/.test(f))).toEqual([]);
  });

  test('Noncompliance 1: tracing off', () => {
    const s = stack();
    new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')) });
    new appsync.GraphqlApi(s, 'Gql', { name: 'g', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/schema.graphql`)) });
    expect(findings(s).filter(f => /StateMachine|AppSync/.test(f))).toEqual([
      'XRay-StateMachineUntraced S/Sm/Resource',
      'XRay-AppSyncApiUntraced S/Gql/Resource',
    ]);
  });
});

describe('EcsTaskTraceCollector: a task runs a collector or daemon', () => {
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3');

  test('Compliance 1: EcsTracing with the collector or the daemon', () => {
    const s = stack();
    const a = new ecs.FargateTaskDefinition(s, 'A');
    a.addContainer('App', { image });
    EcsTracing.enable(a);
    const b = new ecs.FargateTaskDefinition(s, 'B');
    b.addContainer('App', { image });
    EcsTracing.enable(b, { collector: TraceCollector.xrayDaemon() });
    expect(findings(s, 'XRay-EcsTaskTraceCollector')).toEqual([]);
  });

  test('Noncompliance 1: a task with app containers only', () => {
    const s = stack();
    new ecs.FargateTaskDefinition(s, 'Task').addContainer('App', { image });
    expect(findings(s, 'XRay-EcsTaskTraceCollector')).toEqual(['XRay-EcsTaskTraceCollector S/Task/Resource']);
  });
});

describe('XRayWildcardActions and XRayManagedPolicies', () => {
  test('Compliance 1: XRayGrants and the stack policy', () => {
    const s = stack();
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    XRayGrants.write(role);
    XRayGrants.read(role);
    expect(findings(s).filter(f => /Wildcard|Managed/.test(f))).toEqual([]);
  });

  test('Noncompliance 1: xray:* inline, xray:Get* in a managed policy, an AWS managed X-Ray policy', () => {
    const s = stack();
    const role = new iam.Role(s, 'Role', {
      assumedBy: new iam.AccountRootPrincipal(),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess')],
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] }));
    new iam.ManagedPolicy(s, 'Reads', { statements: [new iam.PolicyStatement({ actions: ['xray:Get*'], resources: ['*'] })] });
    expect(findings(s).filter(f => /Wildcard|Managed/.test(f)).sort()).toEqual([
      'XRay-XRayManagedPolicies S/Role/Resource',
      'XRay-XRayWildcardActions S/Reads/Resource',
      'XRay-XRayWildcardActions S/Role/DefaultPolicy/Resource',
    ]);
  });
});

describe('SamplingRuleIgnoredBySdks and SamplingRuleStatusAttribute', () => {
  test('Compliance 1: a rule on service name and path', () => {
    const s = stack();
    new SamplingRule(s, 'Rule', { priority: 1, serviceName: 'orders', urlPath: '/orders/*' });
    expect(findings(s).filter(f => /SamplingRule/.test(f))).toEqual([]);
  });

  test('Noncompliance 1: a raw rule with a status attribute (both rules fire)', () => {
    const s = stack();
    new xray.CfnSamplingRule(s, 'Raw', {
      samplingRule: {
        ruleName: 'errors',
        priority: 1,
        fixedRate: 1,
        reservoirSize: 0,
        serviceName: '*',
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
        attributes: { 'http.status_code': '500' },
      },
    });
    expect(findings(s).filter(f => /SamplingRule/.test(f))).toEqual([
      'XRay-SamplingRuleIgnoredBySdks S/Raw',
      'XRay-SamplingRuleStatusAttribute S/Raw',
    ]);
  });
});

/**
 * Synthesizes an app with the pack registered, as `cdk synth` runs it, and tells whether the validation failed the
 * synthesis: aws-cdk-lib 2.258 sets `process.exitCode` to 1, newer versions throw `ValidationFailed` from `app.synth()`
 * in an in-memory app. Both write validation-report.json.
 */
function synthesizeWithPack(app: App): { failed: boolean; xrayReport: any } {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const before = process.exitCode;
  process.exitCode = undefined;
  let failed = false;
  try {
    try {
      app.synth();
    } catch (e: any) {
      if (e?.name !== 'ValidationFailed') {
        throw e;
      }
      failed = true;
    }
    failed = failed || process.exitCode === 1;
  } finally {
    process.exitCode = before;
    errors.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return { failed, xrayReport: report.pluginReports.find((r: any) => r.pluginName === 'XRay') };
}

function appWithPack(build: (s: Stack) => void, props?: XRayChecksProps): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'xray-checks-')) });
  build(new Stack(app, 'S'));
  Validations.of(app).addPlugins(new XRayChecks(app, props));
  return app;
}

/** The rule ids the pack reported; a report without violations may be left out of the file. */
const ruleNamesOf = (xrayReport: any): string[] => (xrayReport?.violations ?? []).map((v: any) => v.ruleName);

describe('registered with Validations.of(app).addPlugins', () => {
  test('an Error-level finding fails the synthesis and is reported', () => {
    // GIVEN
    const app = appWithPack(s => new lambda.Function(s, 'Plain', zipFunctionProps()));
    // WHEN
    const { failed, xrayReport } = synthesizeWithPack(app);
    // THEN
    expect(failed).toBe(true);
    expect(xrayReport.conclusion).toBe('failure');
    expect(ruleNamesOf(xrayReport)).toContain('XRay-LambdaFunctionUntraced');
  });

  function scheduledJob(s: Stack): void {
    new events.Rule(s, 'Nightly', {
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(new TracedFunction(s, 'Job', zipFunctionProps()))],
    });
  }

  test('an app with only a Warning-level finding synthesizes, and the report shows the finding', () => {
    // GIVEN: a schedule starts a new trace per event (XRay-TraceEventSourceWithoutContext, Warning)
    const app = appWithPack(scheduledJob);
    // WHEN
    const { failed, xrayReport } = synthesizeWithPack(app);
    // THEN
    expect(failed).toBe(false);
    expect(xrayReport.conclusion).toBe('success');
    expect(xrayReport.violations.map((v: any) => [v.ruleName, v.severity]))
      .toEqual([['XRay-TraceEventSourceWithoutContext', 'warning']]);
  });

  test('with warningsFail, the same Warning fails the synthesis', () => {
    const app = appWithPack(scheduledJob, { warningsFail: true });
    const { failed, xrayReport } = synthesizeWithPack(app);
    expect(failed).toBe(true);
    expect(xrayReport.conclusion).toBe('failure');
    expect(ruleNamesOf(xrayReport)).toEqual(['XRay-TraceEventSourceWithoutContext']);
  });

  test('validateScope: success is false only for Error-level findings, or Warning-level ones with warningsFail', () => {
    const s = stack();
    scheduledJob(s);
    expect(new XRayChecks(s.node.root).validateScope(s)).toMatchObject({ success: true, violations: [expect.objectContaining({ severity: 'warning' })] });
    expect(new XRayChecks(s.node.root, { warningsFail: true }).validateScope(s).success).toBe(false);
    const other = stack();
    scheduledJob(other);
    new lambda.Function(other, 'Plain', zipFunctionProps());
    expect(new XRayChecks(other.node.root).validateScope(other).success).toBe(false);
  });

  test('validateScope synthesizes the app once, as app.synth() does; a tree changed after that is refused by aws-cdk-lib', () => {
    const s = stack();
    new lambda.Function(s, 'Plain', zipFunctionProps());
    const pack = new XRayChecks(s.node.root);
    expect(pack.validateScope(s).violations.map((v: any) => v.ruleName)).toContain('XRay-LambdaFunctionUntraced');
    expect(pack.validateScope(s).violations).toEqual(new XRayChecks(s.node.root).validateScope(s).violations);
    new lambda.Function(s, 'Later', zipFunctionProps());
    expect(() => pack.validateScope(s)).toThrow(/construct tree was modified after the first synthesis/);
  });

  test('validateScope on a construct outside any App or Stage says what it needs', () => {
    expect(() => new XRayChecks().validateScope(new Construct(undefined as any, 'Root'))).toThrow(/needs a scope inside an App or a Stage/);
  });

  test('granular findings carry their context (ruleMetadata) into validation-report.json', () => {
    // GIVEN
    const app = appWithPack(s => {
      new TracedFunction(s, 'Fn', { ...zipFunctionProps(), annotationKeys: ['user_email'] });
      new SamplingRule(s, 'All', { samplingRuleName: 'all', priority: 1, serviceName: 'checkout', fixedRate: SamplingRate.all(), reservoirSize: 0 });
    }, { monthlyBudgetUsd: 10, requestsPerSecondByRule: { all: 100 } });
    // WHEN
    const { xrayReport } = synthesizeWithPack(app);
    // THEN
    const byRule = Object.fromEntries(xrayReport.violations.map((v: any) => [v.ruleName, v]));
    expect(byRule['XRay-AnnotationKeyPolicy[denied:user_email]'].ruleMetadata)
      .toEqual({ annotationKey: 'user_email', findingKind: 'denied', sources: 'S/Fn/Resource' });
    expect(byRule['XRay-TraceCostBudget'].ruleMetadata).toEqual({ estimatedMonthlyCostUsd: '1338.70', monthlyBudgetUsd: '10.00', insightsCostUsd: '0.00', rules: 'all' });
    expect(byRule['XRay-TraceCostBudget'].description).toContain('Estimated $1,338.70 a month');
  });

  test('an acknowledged Error no longer fails the synthesis', () => {
    const app = appWithPack(s => {
      const fn = new lambda.Function(s, 'Plain', zipFunctionProps());
      Validations.of(fn).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: 'Scheduled cleanup job; nothing calls it.' });
    });
    const { failed, xrayReport } = synthesizeWithPack(app);
    expect(failed).toBe(false);
    expect(ruleNamesOf(xrayReport)).not.toContain('XRay-LambdaFunctionUntraced');
  });
});

test('RULES.md lists exactly the pack\'s rules, in order', () => {
  const table = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
  const ids = [...table.matchAll(/^\| (XRay-\w+) \|/gm)].map(m => m[1]);
  expect(ids).toEqual(XRayChecks.packRuleIds());
});

describe('AnnotationKeyPolicy and AnnotationBudget: declared and referenced keys pass the policy', () => {
  function app(keys: string[], groupExpression?: string): Stack {
    const s = stack();
    new TracedFunction(s, 'Fn', { ...zipFunctionProps(), annotationKeys: keys });
    if (groupExpression !== undefined) {
      new xray.CfnGroup(s, 'Group', { groupName: 'g', filterExpression: groupExpression });
    }
    return s;
  }
  const policy = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] });

  function policyFindings(s: Stack, p?: AnnotationPolicy): string[] {
    (s.node.root as App).synth();
    return new XRayChecks(s.node.root, { annotationPolicy: p }).validateScope(s).violations
      .filter((v: any) => /Annotation/.test(v.ruleName))
      .flatMap((v: any) => v.violatingResources.map((r: any) => `${v.ruleName} ${r.constructPath}`));
  }

  test('Compliance 1: an allowed key on a function and in a group expression', () => {
    expect(policyFindings(app(['tenant_tier'], 'annotation.tenant_tier = "gold"'), policy)).toEqual([]);
  });

  test('Compliance 2: the default policy accepts ordinary keys', () => {
    expect(policyFindings(app(['tenant_tier', 'cache_hit', 'route']))).toEqual([]);
  });

  test('Noncompliance 1: a denied key on a function (default policy), granular by key', () => {
    expect(policyFindings(app(['tenant_tier', 'user_email']))).toEqual(['XRay-AnnotationKeyPolicy[denied:user_email] S/Fn/Resource']);
  });

  test('Noncompliance 2: a group expression referencing a key outside the policy', () => {
    expect(policyFindings(app(['tenant_tier'], 'annotation.region_code = "eu"'), policy))
      .toEqual(['XRay-AnnotationKeyPolicy[notAllowed:region_code] S/Group']);
  });

  test('Noncompliance 3: more keys across the app than the budget', () => {
    const s = stack();
    new TracedFunction(s, 'A', { ...zipFunctionProps(), annotationKeys: Array.from({ length: 30 }, (_, i) => `a${i}`) });
    new TracedFunction(s, 'B', { ...zipFunctionProps(), annotationKeys: Array.from({ length: 21 }, (_, i) => `b${i}`) });
    expect(policyFindings(s)).toEqual(['XRay-AnnotationBudget S/A/Resource', 'XRay-AnnotationBudget S/B/Resource']);
  });

  describe('keys the Powertools Tracer records by itself (ColdStart, Service)', () => {
    function powertools(s: Stack, id: string, keys?: string[]): void {
      new TracedFunction(s, id, { ...zipFunctionProps(), instrumentation: LambdaInstrumentation.powertools(), annotationKeys: keys });
    }

    test('Compliance 3: the default policy and a policy listing only the declared key pass a Powertools function', () => {
      const s = stack();
      powertools(s, 'Fn', ['tenant_tier']);
      expect(policyFindings(s)).toEqual([]);
      expect(policyFindings(s, policy)).toEqual([]);
    });

    test('Noncompliance 4: a policy denying Service (extra denied pattern) reports it on the function', () => {
      const s = stack();
      powertools(s, 'Fn', ['tenant_tier']);
      const denying = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }], deniedPatterns: ['service'] });
      expect(policyFindings(s, denying)).toEqual(['XRay-AnnotationKeyPolicy[denied:Service] S/Fn/Resource']);
    });

    test('Noncompliance 5: they count towards the budget: 49 declared keys and the two recorded ones are over 50', () => {
      const s = stack();
      powertools(s, 'A', Array.from({ length: 49 }, (_, i) => `a${i}`));
      expect(policyFindings(s)).toEqual(['XRay-AnnotationBudget S/A/Resource']);
      const under = stack();
      powertools(under, 'A', Array.from({ length: 48 }, (_, i) => `a${i}`));
      expect(policyFindings(under)).toEqual([]);
    });

    test('a function that declares no key of its own is checked for the recorded ones', () => {
      const s = stack();
      powertools(s, 'Fn');
      expect(policyFindings(s, new AnnotationPolicy({ deniedPatterns: ['cold_start'] }))).toEqual(['XRay-AnnotationKeyPolicy[denied:ColdStart] S/Fn/Resource']);
    });
  });

  test('a finding carries the key and the policy\'s reason, not a placeholder', () => {
    // GIVEN
    const s = app(['tenant_tier', 'user_email']);
    (s.node.root as App).synth();
    // WHEN
    const violation: any = new XRayChecks(s.node.root).validateScope(s).violations.find((v: any) => v.ruleName.startsWith('XRay-AnnotationKeyPolicy'));
    // THEN
    expect(violation.description).not.toContain('(finding:');
    expect(violation.description).toContain('Annotation key "user_email" matches the denied pattern');
    expect(violation.description).toContain('(used by S/Fn/Resource)');
    expect(violation.fix).toMatch(/Rename the key, record the value as metadata/);
  });

  test('keys declared only on the AdotCollectorConfig are checked (the collector indexes them)', () => {
    // GIVEN: no policy on the config, so the collector indexes user_email
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
    EcsTracing.enable(task, { collector: TraceCollector.adot({ config: new AdotCollectorConfig({ annotationKeys: ['tenant_tier', 'user_email'] }) }) });
    // THEN
    expect(policyFindings(s)).toEqual(['XRay-AnnotationKeyPolicy[denied:user_email] S/Task/Resource']);
    expect(policyFindings(s, new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] })))
      .toEqual(['XRay-AnnotationKeyPolicy[denied:user_email] S/Task/Resource']);
  });

  test('a config whose policy keeps the denied key out of indexed_attributes has no finding', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
    const annotationPolicy = new AnnotationPolicy({ allowUndeclaredKeys: true });
    EcsTracing.enable(task, { collector: TraceCollector.adot({ config: new AdotCollectorConfig({ annotationKeys: ['tenant_tier', 'user_email'], annotationPolicy }) }) });
    expect(policyFindings(s)).toEqual([]);
  });

  test('a hand-written collector configuration in AOT_CONFIG_CONTENT counts too', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task');
    task.addContainer('Collector', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0'),
      environment: { AOT_CONFIG_CONTENT: 'exporters:\n  awsxray:\n    indexed_attributes: [tenant_tier, "client_ip"]  # both indexed\n' },
    });
    expect(policyFindings(s)).toEqual(['XRay-AnnotationKeyPolicy[denied:client_ip] S/Task/Resource']);
  });

  test('an ECS task\'s declared keys are checked too', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3') });
    EcsTracing.enable(task, { annotationKeys: ['session_id'] });
    expect(policyFindings(s)).toEqual(['XRay-AnnotationKeyPolicy[denied:session_id] S/Task/Resource']);
  });
});

describe('SamplingRulePriorityUnique and TraceCostBudget', () => {
  function raw(s: Stack, id: string, priority: number, fixedRate = 0.05, reservoirSize = 1): void {
    new xray.CfnSamplingRule(s, id, {
      samplingRule: {
        ruleName: id, priority, fixedRate, reservoirSize, serviceName: '*', serviceType: '*', host: '*', httpMethod: '*', urlPath: '*', resourceArn: '*', version: 1,
      },
    });
  }

  test('Compliance 1: distinct priorities; a cost within the budget', () => {
    const s = stack();
    raw(s, 'a', 1);
    raw(s, 'b', 2);
    (s.node.root as App).synth();
    const report = new XRayChecks(s.node.root, { monthlyBudgetUsd: 50, requestsPerSecondByRule: { a: 10, b: 10 } }).validateScope(s);
    expect(report.violations).toEqual([]);
  });

  test('Noncompliance 1: two rules with priority 5 in one environment', () => {
    const s = stack();
    raw(s, 'a', 5);
    raw(s, 'b', 5);
    expect(findings(s, 'XRay-SamplingRulePriorityUnique')).toEqual(['XRay-SamplingRulePriorityUnique S/a', 'XRay-SamplingRulePriorityUnique S/b']);
  });

  test('Noncompliance 2: 100 % of 200 requests/s is over a $100 budget (about $2,678 a month)', () => {
    const s = stack();
    raw(s, 'everything', 1, 1, 0);
    (s.node.root as App).synth();
    const report = new XRayChecks(s.node.root, { monthlyBudgetUsd: 100, requestsPerSecondByRule: { everything: 200 } }).validateScope(s);
    expect(report.violations.map((v: any) => v.ruleName)).toEqual(['XRay-TraceCostBudget']);
  });

  function costReport(build: (s: Stack) => void, props: XRayChecksProps) {
    const s = stack();
    build(s);
    (s.node.root as App).synth();
    return new XRayChecks(s.node.root, props).validateScope(s);
  }

  test('the finding gives the estimate and the budget', () => {
    const report = costReport(s => raw(s, 'everything', 1, 1, 0), { monthlyBudgetUsd: 100, requestsPerSecondByRule: { everything: 200 } });
    expect(report.violations.map((v: any) => v.description)).toEqual([expect.stringContaining(
      'Estimated $2,677.90 a month (535,680,000 traces recorded, recording $2,677.90) for everything, over the monthly budget of $100.00.')]);
  });

  test('Insights on a group of the app counts: $28.96 of recording is within $30, with Insights ($5.89) it is not', () => {
    // GIVEN: 2.2 requests/s, all sampled: 5,892,480 traces, (5,892,480 - 100,000) x $5/M = $28.96; Insights $1/M = $5.89
    const rule = (s: Stack) => raw(s, 'everything', 1, 1, 0);
    const props = { monthlyBudgetUsd: 30, requestsPerSecondByRule: { everything: 2.2 } };
    expect(costReport(rule, props).violations).toEqual([]);
    // WHEN
    const report = costReport(s => {
      rule(s);
      new xray.CfnGroup(s, 'Errors', { groupName: 'errors', filterExpression: 'fault', insightsConfiguration: { insightsEnabled: true } });
    }, props);
    // THEN
    expect(report.violations.map((v: any) => [v.ruleName, v.description])).toEqual([['XRay-TraceCostBudget', expect.stringContaining(
      'Estimated $34.85 a month (5,892,480 traces recorded, recording $28.96, Insights $5.89 (a group of the app has Insights on))')]]);
  });

  test('a rule name that is no sampling rule of the app is a finding, not a silent pass', () => {
    const report = costReport(s => raw(s, 'everything', 1, 1, 0), { monthlyBudgetUsd: 100, requestsPerSecondByRule: { everythin: 200 } });
    expect(report.success).toBe(false);
    expect(report.violations.map((v: any) => [v.ruleName, v.violatingResources.map((r: any) => r.constructPath), v.description])).toEqual([[
      'XRay-TraceCostBudget[unknownRule:everythin]', ['S/everything'],
      'requestsPerSecondByRule names "everythin", which is no sampling rule of the app, so its traffic is not estimated. ' +
      'Rules of the app: everything (and Default, X-Ray\'s default rule). Fix the name or remove the entry.',
    ]]);
  });

  test('an unknown name in an app without sampling rules is reported on its stacks', () => {
    const report = costReport(() => undefined, { monthlyBudgetUsd: 100, requestsPerSecondByRule: { orders: 5 } });
    expect(report.violations.map((v: any) => [v.ruleName, v.violatingResources[0].constructPath])).toEqual([['XRay-TraceCostBudget[unknownRule:orders]', 'S']]);
  });

  test('Default is X-Ray\'s default rule: 1 request/s, then 5 %', () => {
    // 1,001 requests/s: (1 + 1,000 x 0.05) x 2,678,400 = 136,598,400 traces, $682.49
    const report = costReport(() => undefined, { monthlyBudgetUsd: 600, requestsPerSecondByRule: { Default: 1001 } });
    expect(report.violations).toEqual([]);
    expect(costReport(s => raw(s, 'other', 2), { monthlyBudgetUsd: 600, requestsPerSecondByRule: { Default: 1001, other: 0 } }).violations
      .map((v: any) => [v.ruleName, v.description])).toEqual([['XRay-TraceCostBudget', expect.stringContaining('Estimated $682.49 a month')]]);
  });

  test('a budget known only at deploy time is a warning that says so; a Lazy budget is resolved', () => {
    const withParameter = costReport(s => raw(s, 'everything', 1, 1, 0), {
      monthlyBudgetUsd: Token.asNumber({ Ref: 'Budget' }), requestsPerSecondByRule: { everything: 200 },
    });
    expect(withParameter.success).toBe(true);
    expect(withParameter.violations.map((v: any) => [v.ruleName, v.severity, v.description])).toEqual([[
      'XRay-TraceCostBudget[deployTimeValue]', 'warning', expect.stringContaining('The cost check cannot run at synth: monthlyBudgetUsd is known only at deploy time.'),
    ]]);
    const lazy = costReport(s => raw(s, 'everything', 1, 1, 0), {
      monthlyBudgetUsd: Lazy.number({ produce: () => 100 }), requestsPerSecondByRule: { everything: 200 },
    });
    expect(lazy.violations.map((v: any) => v.ruleName)).toEqual(['XRay-TraceCostBudget']);
  });

  test('a raw rule with values the estimate refuses is a finding that says why, not a failed validation', () => {
    const report = costReport(s => raw(s, 'broken', 1, 5, 0), { monthlyBudgetUsd: 100, requestsPerSecondByRule: { broken: 1 } });
    expect(report.violations.filter((v: any) => v.ruleName.startsWith('XRay-TraceCostBudget')).map((v: any) => [v.ruleName, v.description])).toEqual([[
      'XRay-TraceCostBudget', expect.stringContaining('The estimate cannot be made from the app\'s sampling rules: [TraceCostEstimate] traffic[0].fixedRate must be between 0 and 1 (got 5).'),
    ]]);
  });

  test('a budget without traffic, or traffic without a budget, is refused at construction', () => {
    expect(() => new XRayChecks(undefined, { monthlyBudgetUsd: 30 })).toThrow(
      '[XRayChecks] requestsPerSecondByRule is required with monthlyBudgetUsd: without traffic there is nothing to estimate (got undefined). ' +
      'Pass the requests per second of each sampling rule, e.g. { "orders-api": 150, Default: 5 }, or leave monthlyBudgetUsd out.');
    expect(() => new XRayChecks(undefined, { monthlyBudgetUsd: 30, requestsPerSecondByRule: {} })).toThrow(/requestsPerSecondByRule is required with monthlyBudgetUsd/);
    expect(() => new XRayChecks(undefined, { requestsPerSecondByRule: { a: 1 } })).toThrow(
      /\[XRayChecks\] monthlyBudgetUsd is required with requestsPerSecondByRule: without a budget the cost check does not run \(got undefined\)/);
  });

  test('bad pack options are refused', () => {
    expect(() => new XRayChecks(undefined, { monthlyBudgetUsd: -1, requestsPerSecondByRule: { a: 1 } }))
      .toThrow(/monthlyBudgetUsd must be a finite number of 0 or more \(got -1\)/);
    expect(() => new XRayChecks(undefined, { monthlyBudgetUsd: 1, requestsPerSecondByRule: { a: Number.NaN } }))
      .toThrow(/requestsPerSecondByRule\["a"\] must be a number of requests per second from 0 to 1,000,000,000 \(got NaN\)/);
  });
});

describe('XRayChecks props: validation table (bad, boundary, token)', () => {
  const name32 = 'r'.repeat(32);
  const traffic = { orders: 10 };
  // [case, props, error pattern or null when accepted]
  const cases: Array<[string, XRayChecksProps, RegExp | null]> = [
    ['monthlyBudgetUsd bad: -1', { monthlyBudgetUsd: -1, requestsPerSecondByRule: traffic },
      /^\[XRayChecks\] monthlyBudgetUsd must be a finite number of 0 or more \(got -1\)\. Pass the monthly X-Ray budget in USD, e.g\. 100\.$/],
    ['monthlyBudgetUsd bad: Infinity', { monthlyBudgetUsd: Infinity, requestsPerSecondByRule: traffic }, /monthlyBudgetUsd must be a finite number of 0 or more \(got Infinity\)/],
    ['monthlyBudgetUsd boundary: 0 passes', { monthlyBudgetUsd: 0, requestsPerSecondByRule: traffic }, null],
    ['monthlyBudgetUsd boundary: -0.01 fails', { monthlyBudgetUsd: -0.01, requestsPerSecondByRule: traffic }, /monthlyBudgetUsd must be a finite number of 0 or more \(got -0\.01\)/],
    ['monthlyBudgetUsd token passes', { monthlyBudgetUsd: Token.asNumber({ Ref: 'Budget' }), requestsPerSecondByRule: traffic }, null],
    ['requestsPerSecondByRule value bad: NaN', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: NaN } },
      /^\[XRayChecks\] requestsPerSecondByRule\["orders"\] must be a number of requests per second from 0 to 1,000,000,000 \(got NaN\)\. Pass the average/],
    ['requestsPerSecondByRule value bad: "10"', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: '10' as any } }, /requestsPerSecondByRule\["orders"\] must be a number .*\(got "10"\)/],
    ['requestsPerSecondByRule value boundary: 1,000,000,000 passes', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: 1e9 } }, null],
    ['requestsPerSecondByRule value boundary: 1,000,000,001 fails', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: 1e9 + 1 } }, /\(got 1000000001\)/],
    ['requestsPerSecondByRule value boundary: 0 passes', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: 0 } }, null],
    ['requestsPerSecondByRule value token passes', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { orders: Token.asNumber({ Ref: 'Rps' }) } }, null],
    ['requestsPerSecondByRule name bad: empty', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { '': 1 } },
      /^\[XRayChecks\] requestsPerSecondByRule\[""\] must name a sampling rule: 1 to 32 characters \(got ""\)\./],
    ['requestsPerSecondByRule name boundary: 32 characters pass', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { [name32]: 1 } }, null],
    ['requestsPerSecondByRule name boundary: 33 characters fail', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { [`${name32}r`]: 1 } }, /must name a sampling rule: 1 to 32 characters/],
    ['requestsPerSecondByRule name token passes', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { [Token.asString({ Ref: 'RuleName' })]: 1 } }, null],
    ['requestsPerSecondByRule bad: a list', { monthlyBudgetUsd: 1, requestsPerSecondByRule: [1] as any },
      /requestsPerSecondByRule must be an object of sampling rule name to requests per second \(got \[1\]\)/],
    ['requestsPerSecondByRule bad: without monthlyBudgetUsd', { requestsPerSecondByRule: traffic }, /monthlyBudgetUsd is required with requestsPerSecondByRule/],
    ['monthlyBudgetUsd bad: without requestsPerSecondByRule', { monthlyBudgetUsd: 1 }, /requestsPerSecondByRule is required with monthlyBudgetUsd/],
    ['annotationPolicy bad: a plain object', { annotationPolicy: { allowedKeys: [] } as any },
      /^\[XRayChecks\] annotationPolicy must be an AnnotationPolicy \(got \{"allowedKeys":\[\]\}\)\. Pass new AnnotationPolicy/],
    ['warningsFail bad: "yes"', { warningsFail: 'yes' as any }, /^\[XRayChecks\] warningsFail must be true or false \(got "yes"\)\./],
    ['warningsFail true passes', { warningsFail: true }, null],
  ];

  test.each(cases)('%s', (_, props, error) => {
    if (error === null) {
      expect(() => new XRayChecks(undefined, props)).not.toThrow();
    } else {
      expect(() => new XRayChecks(undefined, props)).toThrow(error);
    }
  });

  test('several problems are reported together', () => {
    expect(() => new XRayChecks(undefined, { monthlyBudgetUsd: -1, requestsPerSecondByRule: { '': -1 }, warningsFail: 1 as any }))
      .toThrow(/^4 problems:\n  - \[XRayChecks\] monthlyBudgetUsd.*\n  - \[XRayChecks\] requestsPerSecondByRule\[""\] must name.*\n  - .*requestsPerSecondByRule\[""\] must be a number.*\n  - \[XRayChecks\] warningsFail/);
  });
});

describe('odd properties on raw L1 resources are judged, never a rule that fails to evaluate', () => {
  test.each<[string, string, Record<string, unknown>, string[]]>([
    ['a role whose ManagedPolicyArns is not a list', 'AWS::IAM::Role', { ManagedPolicyArns: 5 }, []],
    ['a role whose Policies is not a list', 'AWS::IAM::Role', { Policies: 'x' }, []],
    ['a policy with a null statement', 'AWS::IAM::Policy', { PolicyDocument: { Statement: [null, { Effect: 'Allow', Action: 'xray:*', Resource: '*' }] } },
      ['XRay-XRayWildcardActions']],
    ['a sampling rule whose Attributes is null', 'AWS::XRay::SamplingRule',
      { SamplingRule: { RuleName: 'r', Priority: 1, FixedRate: 0.1, ReservoirSize: 1, ResourceARN: '*', Attributes: null } }, []],
  ])('%s', (_, type, properties, expected) => {
    // GIVEN
    const s = stack();
    new CfnResource(s, 'Raw', { type, properties });
    // WHEN
    const violations = new XRayChecks(s.node.root).validateScope(s).violations;
    // THEN
    expect(violations.filter((v: any) => /could not be evaluated/.test(v.description))).toEqual([]);
    expect(violations.map((v: any) => v.ruleName)).toEqual(expected);
  });
});
