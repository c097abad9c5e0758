import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SamplingAndGroupsStack } from './stack';
import { XRayChecks } from '../../src';

// Synthesizes without AWS credentials: `CDK_OUTDIR=out npx ts-node examples/sampling-and-groups/app.ts`.
const app = new App();
new SamplingAndGroupsStack(app, 'SamplingAndGroups');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
app.synth();
