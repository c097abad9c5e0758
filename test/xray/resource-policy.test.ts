import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SnsTracing, XRayResourcePolicy } from '../../src';
import { newStack, warningsMatching } from '../util';

function policyDocument(stack: Stack): any {
  const resource = Object.values<any>(Template.fromStack(stack).findResources('AWS::XRay::ResourcePolicy'))[0];
  return stack.resolve(resource.Properties.PolicyDocument);
}

describe('XRayResourcePolicy', () => {
  test('renders its statements as a JSON document with a name', () => {
    const stack = newStack('eu-west-1');
    const policy = new XRayResourcePolicy(stack, 'Policy', { policyName: 'tracing' });
    policy.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')], actions: ['xray:PutTraceSegments'], resources: ['*'],
    }));
    const resource = Object.values<any>(Template.fromStack(stack).findResources('AWS::XRay::ResourcePolicy'))[0];
    expect(resource.Properties.PolicyName).toBe('tracing');
    expect(JSON.parse(resource.Properties.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'xray:PutTraceSegments', Resource: '*' }],
    });
    expect(warningsMatching(stack, 'at most 5 X-Ray resource policies')).toHaveLength(1);
  });

  test('a second policy for the same account and region is an error naming the first, across stacks', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new XRayResourcePolicy(new Stack(app, 'A', { env }), 'Policy');
    const b = new Stack(app, 'B', { env });
    expect(() => new XRayResourcePolicy(b, 'Policy'))
      .toThrow(/\[B\/Policy\] an X-Ray resource policy already exists for account\/region 111111111111\/eu-west-1 at A\/Policy \(got a second one\)/);
    new XRayResourcePolicy(new Stack(app, 'C', { env: { ...env, region: 'us-east-1' } }), 'Policy');
  });

  test('of() returns the existing policy or makes one', () => {
    const stack = newStack();
    const made = XRayResourcePolicy.of(stack);
    expect(XRayResourcePolicy.of(stack)).toBe(made);
  });

  test.each([['', 'empty'], ['bad name!', 'space and !'], ['x'.repeat(129), 'too long']])('policyName %p (%s) is refused', (name) => {
    expect(() => new XRayResourcePolicy(newStack(), 'P', { policyName: name }))
      .toThrow(/policyName must be 1 to 128 characters of letters, digits and _\+=,.@-/);
  });

  test('a document over 5,120 characters fails synthesis; an empty one too', () => {
    const stack = newStack('eu-west-1');
    const policy = new XRayResourcePolicy(stack, 'P');
    policy.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['xray:PutTraceSegments'],
      resources: ['*'],
      conditions: { ArnLike: { 'aws:SourceArn': Array.from({ length: 150 }, (_, i) => `arn:aws:sns:eu-west-1:111111111111:topic-${i}`) } },
    }));
    expect(() => Template.fromStack(stack)).toThrow(/longer than X-Ray's 5120 characters/);
    const empty = newStack('eu-west-1');
    new XRayResourcePolicy(empty, 'P');
    expect(() => Template.fromStack(empty)).toThrow(/has no statements/);
  });
});

describe('SnsTracing', () => {
  test('Active tracing and one resource-policy statement scoped to the topics and the account', () => {
    const stack = newStack('eu-west-1');
    const a = new sns.Topic(stack, 'A');
    const b = new sns.Topic(stack, 'B');
    SnsTracing.enableActive(a);
    SnsTracing.enableActive(b);
    SnsTracing.enableActive(b);
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { TracingConfig: 'Active' }, 2);
    template.resourceCountIs('AWS::XRay::ResourcePolicy', 1);
    const doc = policyDocument(stack);
    const json = JSON.stringify(doc);
    expect(json).toContain('sns.amazonaws.com');
    expect(json).toContain('xray:PutTraceSegments');
    expect(json).toContain('xray:GetSamplingRules');
    expect(json).toContain('aws:SourceAccount');
    expect((json.match(/"Ref":"[AB][0-9A-F]{8}"/g) ?? []).length).toBe(2);
  });

  test('FIFO and imported topics are refused with the reason', () => {
    const stack = newStack();
    const fifo = new sns.Topic(stack, 'Fifo', { fifo: true, topicName: 'orders' });
    expect(() => SnsTracing.enableActive(fifo)).toThrow(/\[Stack\/Fifo\] topic is a FIFO topic; SNS supports Active tracing on standard topics only/);
    const imported = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:t');
    expect(() => SnsTracing.enableActive(imported)).toThrow(/topic is imported, so its tracing mode cannot be set here/);
  });
});
