/**
 * One synthesis of the generated benchmark app, in its own process so that wall time and peak memory belong to it.
 *
 * Usage: ts-node app.ts <plain|by-hand|tracing|aspect|checks|nag|noop-plugin|twice> <stacks> <functionsPerStack> <outdir>
 * Each stack: `functionsPerStack` functions behind a REST API, a table, a queue, a topic, a state machine and an hourly
 * schedule that starts it. `by-hand` is plain aws-cdk-lib with tracing turned on through its own props (what the aspect
 * does, written by hand).
 * Prints one JSON line: { variant, constructs, resources, stacks, wallMs, maxRssMiB, templateSha, startedUs }.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AspectPriority, Aspects, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EnableTracingAspect, XRayChecks } from '../../src';

const [variant, stacksArg, functionsArg, outdir] = process.argv.slice(2);
const started = process.hrtime.bigint();

// Bundling off: inline code, no assets to stage.
const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
const byHand = variant === 'by-hand';
for (let s = 0; s < Number(stacksArg); s++) {
  const stack = new Stack(app, `Bench${s}`);
  const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: byHand ? { tracingEnabled: true } : undefined });
  for (let f = 0; f < Number(functionsArg); f++) {
    const fn = new lambda.Function(stack, `Fn${f}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      tracing: byHand ? lambda.Tracing.ACTIVE : undefined,
    });
    api.root.addResource(`r${f}`).addMethod('GET', new apigw.LambdaIntegration(fn, { allowTestInvoke: false }));
  }
  new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new sqs.Queue(stack, 'Queue');
  new sns.Topic(stack, 'Events', { tracingConfig: byHand ? sns.TracingConfig.ACTIVE : undefined });
  const flow = new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Step')),
    tracingEnabled: byHand ? true : undefined,
  });
  new events.Rule(stack, 'Schedule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.SfnStateMachine(flow)] });
}

if (variant === 'tracing' || variant === 'twice' || variant === 'aspect') {
  Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING });
  if (variant === 'twice') {
    Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING });
  }
}
if (variant === 'tracing' || variant === 'twice' || variant === 'checks') {
  Validations.of(app).addPlugins(new XRayChecks(app));
} else if (variant === 'nag') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} else if (variant === 'noop-plugin') {
  // The cost of aws-cdk-lib's policy-validation step itself, with a plugin that checks nothing.
  Validations.of(app).addPlugins({ name: 'NoOp', validate: () => ({ success: true, violations: [] }) });
}

const constructs = app.node.findAll().length;
try {
  app.synth();
} catch (e) {
  // From aws-cdk-lib 2.262 a validation plugin's findings throw ValidationFailed after the assembly is written (before,
  // they set process.exitCode); the builds with a pack but no aspect have findings by design.
  if ((e as Error).name !== 'ValidationFailed' && !/Validation failed/.test(String((e as Error).message))) {
    throw e;
  }
  process.exitCode = 0;
}
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const hash = createHash('sha256');
let resources = 0;
const templates = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
for (const file of templates) {
  const text = fs.readFileSync(path.join(outdir, file));
  hash.update(text);
  resources += Object.keys(JSON.parse(text.toString('utf8')).Resources ?? {}).length;
}
process.exitCode = 0;
process.stdout.write(JSON.stringify({
  variant,
  constructs,
  resources,
  stacks: templates.length,
  wallMs,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  templateSha: hash.digest('hex'),
  startedUs: Number(started / 1000n),
}) + '\n');
