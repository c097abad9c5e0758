import { App, Validations } from 'aws-cdk-lib';
import { EksAdotStack } from './stack';
import { XRayChecks } from '../../src';

// Synthesizes without AWS credentials: `CDK_OUTDIR=out npx ts-node examples/eks-adot/app.ts`.
const app = new App();
new EksAdotStack(app, 'EksAdot');
Validations.of(app).addPlugins(new XRayChecks(app));
app.synth();
