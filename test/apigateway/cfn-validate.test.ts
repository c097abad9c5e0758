import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RestApiTracing, TracedRestApi } from '../../src';
import { withMethod, zipFunctionProps } from '../util';
import { cfnLint, KNOWN_CFN_LINT_WARNINGS } from '../util/cfn-lint';

/**
 * Every kind of stage this area makes or changes, in one app: defaults, a KMS key, an existing log group, variables,
 * throttling and caching, a token stage name, deploy: false with two stages, an L1 stage, and an enabled plain API.
 */
function appWithEveryStageKind(outdir: string): App {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Apis', { env: { account: '111111111111', region: 'eu-west-1' } });
  const handler = new lambda.Function(stack, 'Fn', zipFunctionProps());
  const integration = new apigw.LambdaIntegration(handler);

  new TracedRestApi(stack, 'Default').root.addMethod('GET', integration);
  new TracedRestApi(stack, 'Encrypted', { accessLogEncryptionKey: new kms.Key(stack, 'LogsKey', { enableKeyRotation: true }) })
    .root.addMethod('GET', integration);
  new TracedRestApi(stack, 'OwnGroup', { accessLogGroup: new logs.LogGroup(stack, 'Group', { retention: logs.RetentionDays.ONE_YEAR }) })
    .root.addMethod('GET', integration);
  new TracedRestApi(stack, 'Tuned', {
    deployOptions: {
      stageName: 'v1_beta',
      variables: { backend_url: 'https://example.com/a?b=c' },
      throttlingRateLimit: 0,
      throttlingBurstLimit: 0,
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      methodOptions: { '/*/*': { throttlingBurstLimit: 10 }, '/items/GET': { cachingEnabled: true } },
    },
  }).root.addMethod('GET', integration);

  new TracedRestApi(stack, 'Named', { deployOptions: { stageName: new CfnParameter(stack, 'StageName', { default: 'live' }).valueAsString } })
    .root.addMethod('GET', integration);

  const manual = withMethod(new TracedRestApi(stack, 'Manual', { deploy: false }));
  const deployment = new apigw.Deployment(stack, 'ManualDeployment', { api: manual });
  new apigw.Stage(stack, 'Blue', { deployment, stageName: 'blue' });
  new apigw.Stage(stack, 'Green', { deployment, stageName: 'green' });
  RestApiTracing.enable(manual, { accessLogRetention: logs.RetentionDays.ONE_WEEK });

  const plain = new apigw.RestApi(stack, 'Plain', { deployOptions: { tracingEnabled: false } });
  plain.root.addMethod('GET', integration);
  RestApiTracing.enable(plain);

  const spec = new apigw.SpecRestApi(stack, 'Spec', {
    apiDefinition: apigw.ApiDefinition.fromInline({ openapi: '3.0.2', info: { title: 'x', version: '1' }, paths: {} }),
  });
  RestApiTracing.enable(spec, { accessLogEncryptionKey: new kms.Key(stack, 'SpecKey', { enableKeyRotation: true }) });
  return app;
}

/** The version of aws-cdk-lib the tests run with, e.g. [2, 276, 0]. */
const CDK_VERSION = (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version as string).split('.').map(Number);
const HAS_CFN_VALIDATE = CDK_VERSION[0] > 2 || (CDK_VERSION[0] === 2 && CDK_VERSION[1] >= 262);

/** The CloudFormation Validate violations of a synthesized app, as `CloudFormation-Validate::<rule> <description>`. */
function cfnValidateViolations(outdir: string): string[] {
  const file = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  return report.pluginReports
    .filter((r: any) => r.pluginName === 'CloudFormation Validate')
    .flatMap((r: any) => r.violations.map((v: any) => `CloudFormation-Validate::${v.ruleName} ${v.description}`));
}

function quietly<T>(fn: () => T): { result: T; printed: string } {
  let printed = '';
  const errors = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    printed += args.map(String).join(' ') + '\n';
  });
  try {
    return { result: fn(), printed };
  } finally {
    errors.mockRestore();
  }
}

test('the harness sees CloudFormation Validate findings where aws-cdk-lib runs it (a stage with a negative burst limit)', () => {
  // GIVEN: a plain stage with a value CloudFormation's schema refuses, written past every check
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-cfn-validate-bad-'));
  const app = new App({ outdir });
  const api = withMethod(new apigw.RestApi(new Stack(app, 'Bad'), 'Api'));
  (api.deploymentStage.node.defaultChild as apigw.CfnStage).addPropertyOverride('MethodSettings', [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingBurstLimit: -5 }]);
  // WHEN
  const { printed } = quietly(() => app.synth());
  // THEN
  if (HAS_CFN_VALIDATE) {
    expect(cfnValidateViolations(outdir)).toEqual([expect.stringMatching(/^CloudFormation-Validate::F3034 MethodSettings.0.ThrottlingBurstLimit: -5 is less than the minimum of 0/)]);
    expect(printed).toContain("Acknowledge with 'CloudFormation-Validate::F3034'");
  } else {
    expect(cfnValidateViolations(outdir)).toEqual([]);
  }
});

describe('the stages this area makes draw no CloudFormation validation finding', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-cfn-validate-'));
  let printed = '';

  beforeAll(() => {
    printed = quietly(() => appWithEveryStageKind(outdir).synth()).printed;
  });

  test('aws-cdk-lib >= 2.262 runs CloudFormation Validate on synth: no violation and nothing printed about it', () => {
    // On 2.258 there is no such validation and no report; the cfn-lint test below covers the same rules there.
    expect(cfnValidateViolations(outdir)).toEqual([]);
    expect(printed).not.toMatch(/CloudFormation-Validate|CloudFormation Validate/);
  });

  test('cfn-lint: no error and only the warnings plain aws-cdk-lib output draws too', () => {
    const findings = cfnLint([path.join(outdir, 'Apis.template.json')]);
    expect(findings.filter(f => !(f.rule in KNOWN_CFN_LINT_WARNINGS))).toEqual([]);
  });
});
