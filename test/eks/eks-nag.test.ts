import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { v1Cluster } from './util';
import { EksAdotStack } from '../../examples/eks-adot/stack';
import { EksCollector, EksIdentity, EksTracing } from '../../src';
import { acknowledgedIds } from '../util';

/** Constructs made by cdk-xray-constructs on a traced cluster. */
const LIBRARY_MADE = [/\/XRayWritePolicy(\/|$)/, /\/XRayTracing(\/|$)/, /\/manifest-XRayTracing/, /\/XRayPodIdentityAgent(\/|$)/];

function libraryFindings(stack: Stack): Array<{ rule: string; path: string }> {
  Template.fromStack(stack);
  const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
  return report.violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((c: any) => ({ rule: v.ruleName as string, path: c.constructPath as string })))
    .filter(f => LIBRARY_MADE.some(p => p.test(f.path)));
}

describe('cdk-nag AwsSolutionsChecks finds nothing on the resources EksTracing makes', () => {
  test.each([
    ['the add-on with pod identity', () => { const c = v1Cluster(); EksTracing.enable(c, { instrumentation: {} }); return c.stack; }],
    ['the add-on with IRSA', () => { const c = v1Cluster(); EksTracing.enable(c, { identity: EksIdentity.irsa() }); return c.stack; }],
    ['the Kubernetes-objects collector', () => { const c = v1Cluster(); EksTracing.enable(c, { collector: EksCollector.manifests() }); return c.stack; }],
    ['examples/eks-adot', () => new EksAdotStack(new App(), 'EksAdot')],
  ])('%s', (_name, make) => {
    const stack = make();
    expect(libraryFindings(stack)).toEqual([]);
    // The only acknowledgment on them is the X-Ray write policy's own (actions without resource-level permissions).
    const acknowledged = stack.node.findAll().filter(c => LIBRARY_MADE.some(p => p.test(c.node.path)))
      .flatMap(c => acknowledgedIds(c).map(id => `${c.node.path} ${id}`));
    expect(acknowledged.every(a => /XRayWritePolicy\/(Resource|SamplingReads)\/Resource AwsSolutions-IAM5\[Resource::\*\]$/.test(a))).toBe(true);
  });
});
