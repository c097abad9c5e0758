import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServerlessApiStack } from './stack';
import { XRayChecks } from '../../src';

// Synthesizes without AWS credentials: `CDK_OUTDIR=out npx ts-node examples/serverless-api/app.ts`
// or `npx cdk synth --app 'npx ts-node examples/serverless-api/app.ts'`.
const app = new App();
new ServerlessApiStack(app, 'ServerlessApi');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
app.synth();
