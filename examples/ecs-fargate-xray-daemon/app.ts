import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EcsFargateXRayDaemonStack } from './stack';
import { XRayChecks } from '../../src';

// Synthesizes without AWS credentials or a Docker engine: `CDK_OUTDIR=out npx ts-node examples/ecs-fargate-xray-daemon/app.ts`.
const app = new App();
new EcsFargateXRayDaemonStack(app, 'EcsFargateXRayDaemon');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
app.synth();
