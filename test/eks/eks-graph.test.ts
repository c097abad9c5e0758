import { App } from 'aws-cdk-lib';
import { newStack, v1Cluster } from './util';
import { EksTracing } from '../../src';
import { TraceState } from '../../src/graph/model';
import { createReport } from '../../src/report/report';
import { renderText } from '../../src/report/text';
import { TemplateModel } from '../../src/template/model';
import { graphOf } from '../graph/fixtures';

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders' },
  spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image: 'x:1' }] } } },
};

describe('EKS clusters in the trace graph and the report', () => {
  test('a traced cluster: its collector, its workloads and where their containers send traces', () => {
    const cluster = v1Cluster();
    EksTracing.enable(cluster).addWorkload('Orders', { manifests: [DEPLOYMENT], annotationKeys: ['tenant_tier'] });
    const node = graphOf(cluster.node.root as App).nodes.find(n => n.type === 'Custom::AWSCDK-EKS-Cluster')!;
    expect(node.state).toBe(TraceState.TRACED);
    expect(node.how).toBe('adot add-on (OTLP ingest, X-Ray); 1 workload(s)');
    expect(node.details?.collector).toBe('adot add-on (OTLP ingest, X-Ray)');
    expect(node.details?.containers).toEqual([
      { name: 'Deployment/orders/app', sendsTracesTo: 'OTLP http://adot-col-otlp-ingest-collector.opentelemetry-operator-system.svc.cluster.local:4318' },
    ]);
    expect(node.details?.annotationKeys).toEqual(['tenant_tier']);
  });

  test('an untraced cluster with a workload, in cdk-xray report', () => {
    const stack = newStack();
    const cluster = v1Cluster(stack);
    cluster.addManifest('Orders', DEPLOYMENT);
    const assembly = (stack.node.root as App).synth();
    const model = TemplateModel.ofStacks(assembly.stacks.map(s => ({ stackId: s.stackName, template: s.template })));
    const text = renderText(createReport(model));
    expect(text).toMatch(/untraced +EKS cluster +Cluster9EE0221C +no trace collector for 1 workload\(s\)/);
  });
});
