/**
 * Template economy: N traced functions behind one REST API in one stack, built twice in the same run:
 *   plain    aws-cdk-lib `lambda.Function` with `tracing: ACTIVE` and a `RestApi` with `tracingEnabled: true`
 *   library  `TracedFunction` and `TracedRestApi`
 * and prints resources, IAM resources, policies carrying xray:PutTraceSegments and template bytes.
 *
 * Usage: ts-node benchmarks/template-economy/run.ts [N ...]   (default: 50 100)
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TracedFunction, TracedRestApi } from '../../src';

/** CloudFormation's limit of resources per stack (aws-cdk-lib refuses to synthesize more unless told otherwise). */
const RESOURCE_LIMIT = 500;

interface Figures {
  readonly resources: number;
  readonly iamResources: number;
  readonly xrayPolicies: number;
  readonly bytes: number;
}

function build(kind: 'plain' | 'library', n: number): Figures {
  // The resource-limit check is turned off so an over-limit template can still be measured (and shown as such).
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, `Economy${n}`);
  const code = lambda.Code.fromAsset(path.join(__dirname, 'handler'));
  const api = kind === 'plain'
    ? new apigw.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: true } })
    : new TracedRestApi(stack, 'Api');
  for (let i = 0; i < n; i++) {
    const props = { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code };
    const fn = kind === 'plain'
      ? new lambda.Function(stack, `Fn${i}`, { ...props, tracing: lambda.Tracing.ACTIVE })
      : new TracedFunction(stack, `Fn${i}`, props);
    api.root.addResource(`r${i}`).addMethod('GET', new apigw.LambdaIntegration(fn, { allowTestInvoke: false }));
  }
  const template = app.synth().getStackByName(stack.stackName).template;
  const resources = Object.values<any>(template.Resources);
  const xrayPolicies = resources.filter(r =>
    ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type)
    && JSON.stringify(r.Properties.PolicyDocument).includes('xray:PutTraceSegments')).length;
  return {
    resources: resources.length,
    iamResources: resources.filter(r => r.Type.startsWith('AWS::IAM::')).length,
    xrayPolicies,
    bytes: Buffer.byteLength(JSON.stringify(template)),
  };
}

function ratio(a: number, b: number): string {
  return (a / b).toFixed(2) + 'x';
}

const sizes = process.argv.slice(2).map(Number).filter(x => x > 0);
const rows: string[] = [];
rows.push('| functions | build | resources | IAM resources | policies with xray:PutTraceSegments | template bytes |');
rows.push('|---:|---|---:|---:|---:|---:|');
for (const n of sizes.length > 0 ? sizes : [50, 100]) {
  const plain = build('plain', n);
  const lib = build('library', n);
  for (const [name, f] of [['aws-cdk-lib', plain], ['cdk-xray-constructs', lib]] as const) {
    const over = f.resources > RESOURCE_LIMIT ? ` (over the ${RESOURCE_LIMIT} limit)` : '';
    rows.push(`| ${n} | ${name} | ${f.resources}${over} | ${f.iamResources} | ${f.xrayPolicies} | ${f.bytes.toLocaleString('en-US')} |`);
  }
  rows.push(`| ${n} | ratio | ${ratio(lib.resources, plain.resources)} | ${ratio(lib.iamResources, plain.iamResources)} | ` +
    `${lib.xrayPolicies} vs ${plain.xrayPolicies} | ${ratio(lib.bytes, plain.bytes)} |`);
}
console.log(rows.join('\n'));
