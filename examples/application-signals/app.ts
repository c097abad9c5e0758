import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApplicationSignalsStack } from './stack';
import { XRayChecks } from '../../src';

// Synthesizes without AWS credentials or a Docker engine (the app image is built at deploy time):
// `CDK_OUTDIR=out npx ts-node examples/application-signals/app.ts`.
const app = new App();
new ApplicationSignalsStack(app, 'ApplicationSignals');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
app.synth();
