import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as xray from 'aws-cdk-lib/aws-xray';
import { expectCase, expectCompleteTable, stringToken, ValidationCase } from './util';
import { SnsTracing, XRayResourcePolicy } from '../../src';
import { errorOf, newStack, warningsMatching } from '../util';

const SNS = new iam.ServicePrincipal('sns.amazonaws.com');
const statement = (extra: Partial<iam.PolicyStatementProps> = {}) => new iam.PolicyStatement({
  principals: [SNS], actions: ['xray:PutTraceSegments'], resources: ['*'], ...extra,
});

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
      .toThrow(/^\[B\/Policy\] XRayResourcePolicy is a second X-Ray resource policy of this app for account\/region 111111111111\/eu-west-1, after the one at A\/Policy \(got "A\/Policy"\)\. Add statements/);
    new XRayResourcePolicy(new Stack(app, 'C', { env: { ...env, region: 'us-east-1' } }), 'Policy');
  });

  test('of() returns the existing policy or makes one; a scope outside a stack is a house error', () => {
    const stack = newStack();
    const made = XRayResourcePolicy.of(stack);
    expect(XRayResourcePolicy.of(stack)).toBe(made);
    expect(errorOf(() => XRayResourcePolicy.of(new App()))).toMatch(/^\[XRayResourcePolicy.of\] scope of XRayResourcePolicy.of must be a construct inside a Stack/);
  });

  test.each([['', 'empty'], ['bad name!', 'space and !'], ['x'.repeat(129), 'too long']])('policyName %p (%s) is refused', (name) => {
    expect(() => new XRayResourcePolicy(newStack(), 'P', { policyName: name }))
      .toThrow(/policyName must be 1 to 128 characters of letters, digits and _\+=,.@-/);
  });

  test('a document over 5,120 characters fails synthesis; an empty one too; the path is printed once', () => {
    const stack = newStack('eu-west-1');
    const policy = new XRayResourcePolicy(stack, 'P');
    policy.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['xray:PutTraceSegments'],
      resources: ['*'],
      conditions: { ArnLike: { 'aws:SourceArn': Array.from({ length: 150 }, (_, i) => `arn:aws:sns:eu-west-1:111111111111:topic-${i}`) } },
    }));
    const long = errorOf(() => Template.fromStack(stack));
    expect(long).toMatch(/\n {2}\[Stack\/P\] statements render a policy document longer than X-Ray's 5120 characters \(got \d+\)\. Merge statements/);
    expect(long).not.toContain('[Stack/P] [Stack/P]');
    const empty = newStack('eu-west-1');
    new XRayResourcePolicy(empty, 'P');
    expect(errorOf(() => Template.fromStack(empty))).toMatch(/\[Stack\/P\] statements are empty, and X-Ray refuses an empty resource policy \(got \[\]\)/);
  });

  test('statements without a principal or an action fail synthesis with aws-cdk-lib\'s resource-policy check, in house format', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const policy = new XRayResourcePolicy(stack, 'P');
    // WHEN
    policy.addStatements(new iam.PolicyStatement({ sid: 'NoPrincipal', actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    policy.document.addStatements(new iam.PolicyStatement({ principals: [SNS], resources: ['*'] }));
    // THEN
    const message = errorOf(() => Template.fromStack(stack));
    expect(message).toContain('[Stack/P] statements[0] (NoPrincipal) is not valid in a resource policy: A PolicyStatement used in a resource-based policy must specify at least one IAM principal');
    expect(message).toMatch(/\[Stack\/P\] statements\[1\] is not valid in a resource policy: A PolicyStatement must specify at least one 'action' or 'notAction' \(got \{.*"Principal":\{"Service":"sns.amazonaws.com"\}.*\}\)\. Give it a principal/);
  });

  test('raw AWS::XRay::ResourcePolicy resources count: a sixth policy, or a second with the name, fails synthesis', () => {
    // GIVEN
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const stack = new Stack(app, 'A', { env });
    new XRayResourcePolicy(stack, 'P', { policyName: 'tracing', statements: [statement()] });
    const raw = new Stack(app, 'Raw', { env });
    for (let i = 0; i < 5; i++) {
      new xray.CfnResourcePolicy(raw, `Raw${i}`, { policyName: i === 0 ? 'tracing' : `raw-${i}`, policyDocument: '{}' });
    }
    // WHEN
    const message = errorOf(() => app.synth());
    // THEN
    expect(message).toContain('[A/P] policyName is one of 6 X-Ray resource policies this app declares for account/region 111111111111/eu-west-1, more than the 5 an account holds');
    expect(message).toContain('[A/P] policyName is also the name of Raw/Raw0 in account/region 111111111111/eu-west-1 (got "tracing")');
  });
});

describe('SnsTracing', () => {
  test('Active tracing and one resource-policy statement scoped to the topics and the account', () => {
    const stack = newStack('eu-west-1');
    const a = new sns.Topic(stack, 'A');
    const b = new sns.Topic(stack, 'B');
    SnsTracing.enable(a);
    SnsTracing.enable(b);
    SnsTracing.enable(b);
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
    expect(() => SnsTracing.enable(fifo)).toThrow(/\[Stack\/Fifo\] topic is a FIFO topic; SNS supports Active tracing on standard topics only/);
    const imported = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:t');
    expect(() => SnsTracing.enable(imported)).toThrow(/topic is imported, so its tracing mode cannot be set here/);
  });
});

describe('XRayResourcePolicy validation table', () => {
  const rp = (props: object) => (s: Stack) => new XRayResourcePolicy(s, 'P', { statements: [statement()], ...props } as any);
  const sourceArns = (n: number, len: number) => Array.from({ length: n }, (_, i) => `arn:aws:sns:eu-west-1:111111111111:${String(i).padStart(len, 't')}`);
  const rows: ValidationCase[] = [
    ['policyName', 'bad', rp({ policyName: 'bad name!' }), /^\[Stack\/P\] policyName must be 1 to 128 characters of letters, digits and _\+=,.@- \(got "bad name!"\)/],
    ['policyName', 'bad', rp({ policyName: '' }), /policyName must be 1 to 128 characters/],
    ['policyName', 'boundary', rp({ policyName: `${'p'.repeat(121)}_+=,.@-` }), undefined],
    ['policyName', 'boundary', rp({ policyName: 'p'.repeat(129) }), /policyName must be 1 to 128 characters/],
    ['policyName', 'token', s => new XRayResourcePolicy(s, 'P', { policyName: stringToken(s, 'Name'), statements: [statement()] }), undefined],
    ['statements', 'bad', rp({ statements: [{ Effect: 'Allow' }] }), /^\[Stack\/P\] statements\[0\] must be an iam.PolicyStatement \(got \{"Effect":"Allow"\}\)/],
    ['statements', 'bad', rp({ statements: [statement({ principals: [] })] }), /statements\[0\] is not valid in a resource policy: A PolicyStatement used in a resource-based policy must specify at least one IAM principal/],
    // 5,120 characters: a document of exactly the limit passes, one character more fails.
    ['statements', 'boundary', s => new XRayResourcePolicy(s, 'P', { statements: [fitted(5120)] }), undefined],
    ['statements', 'boundary', s => new XRayResourcePolicy(s, 'P', { statements: [fitted(5121)] }), /statements render a policy document longer than X-Ray's 5120 characters \(got 5121\)/],
    ['statements', 'token', s => new XRayResourcePolicy(s, 'P', { statements: [statement({ conditions: { ArnLike: { 'aws:SourceArn': [...sourceArns(200, 20), stringToken(s, 'Arn')] } } })] }), undefined],
    ['bypassPolicyLockoutCheck', 'bad', rp({ bypassPolicyLockoutCheck: 'yes' }), /bypassPolicyLockoutCheck must be true or false \(got "yes"\)/],
    ['bypassPolicyLockoutCheck', 'boundary', rp({ bypassPolicyLockoutCheck: true }), undefined],
    ['bypassPolicyLockoutCheck', 'boundary', rp({ bypassPolicyLockoutCheck: 1 }), /bypassPolicyLockoutCheck must be true or false \(got 1\)/],
    ['bypassPolicyLockoutCheck', 'token', rp({ bypassPolicyLockoutCheck: Token.asAny({ Ref: 'AWS::NoValue' }) }), undefined],
  ];

  /** A statement whose rendered policy document is exactly `length` characters long. */
  function fitted(length: number): iam.PolicyStatement {
    const base = (arn: string) => JSON.stringify(new Stack().resolve(new iam.PolicyDocument({ statements: [statement({ conditions: { ArnLike: { 'aws:SourceArn': arn } } })] })));
    const empty = base('').length;
    return statement({ conditions: { ArnLike: { 'aws:SourceArn': 'a'.repeat(length - empty) } } });
  }

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});

describe('SnsTracing validation table', () => {
  const rows: ValidationCase[] = [
    ['topic', 'bad', () => SnsTracing.enable(undefined as any), /^\[SnsTracing.enable\] topic must be an SNS topic \(got undefined\)/],
    ['topic', 'bad', s => SnsTracing.enable(sns.Topic.fromTopicArn(s, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:t')),
      /^\[Stack\/Imported\] topic is imported, so its tracing mode cannot be set here \(got "arn:aws:sns:eu-west-1:111111111111:t"\)/],
    // Standard topics are the boundary of what Active tracing supports; FIFO is one step past it.
    ['topic', 'boundary', s => SnsTracing.enable(new sns.Topic(s, 'Standard', { fifo: false })), undefined],
    ['topic', 'boundary', s => SnsTracing.enable(new sns.Topic(s, 'Fifo', { fifo: true })), /topic is a FIFO topic; SNS supports Active tracing on standard topics only/],
    ['topic', 'token', s => SnsTracing.enable(new sns.Topic(s, 'Named', { topicName: stringToken(s, 'TopicName') })), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
