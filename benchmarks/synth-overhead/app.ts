/**
 * One synthesis of the generated benchmark app, in its own process so that wall time and peak memory belong to it.
 *
 * Usage: ts-node app.ts <plain|by-hand|tracing|aspect|checks|nag|noop-plugin|twice> <stacks> <functionsPerStack> <outdir>
 * `by-hand` is plain aws-cdk-lib with tracing turned on through its own props (what the aspect does, written by hand).
 * Prints one JSON line: { variant, constructs, stacks, wallMs, maxRssMiB, templateSha }.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
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
  new sns.Topic(stack, 'Events', { tracingConfig: byHand ? sns.TracingConfig.ACTIVE : undefined });
  new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Step')),
    tracingEnabled: byHand ? true : undefined,
  });
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
const assembly = app.synth();
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const hash = createHash('sha256');
for (const stack of assembly.stacks) {
  hash.update(fs.readFileSync(path.join(assembly.directory, stack.templateFile)));
}
process.stdout.write(JSON.stringify({
  variant,
  constructs,
  stacks: assembly.stacks.length,
  wallMs,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  templateSha: hash.digest('hex'),
}) + '\n');
