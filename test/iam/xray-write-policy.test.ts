import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { XRayWritePolicy } from '../../src';
import { newStack, warningsMatching } from '../util';
import { acknowledgedRules, expectCase, expectCompleteTable, stringToken, ValidationCase } from '../xray/util';

function role(scope: Construct, id: string): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
}

describe('XRayWritePolicy', () => {
  test('one per stack, found from any construct in it', () => {
    const stack = newStack();
    const nested = new Construct(stack, 'Deep');
    expect(XRayWritePolicy.of(nested)).toBe(XRayWritePolicy.of(stack));
    expect(XRayWritePolicy.isPresent(stack)).toBe(true);
    expect(XRayWritePolicy.isPresent(new Stack(new App(), 'Empty'))).toBe(false);
  });

  test('holds only the X-Ray write statement; sampling reads are a second policy attached only where asked', () => {
    const stack = newStack();
    const policy = XRayWritePolicy.of(stack);
    const writer = role(stack, 'Writer');
    const poller = role(stack, 'Poller');
    policy.attachTo(writer, stack);
    policy.attachTo(poller, stack);
    expect(policy.attachSamplingReadsTo(poller, stack)).toBe(true);
    policy.attachSamplingReadsTo(poller, stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Sid: 'XRayWrite', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*', Effect: 'Allow' }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^Writer') }, { Ref: Match.stringLikeRegexp('^Poller') }],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Sid: 'XRaySamplingRead', Action: ['xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*', Effect: 'Allow' }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^Poller') }],
    });
  });

  test('attaching twice attaches once', () => {
    const stack = newStack();
    const r = role(stack, 'R');
    XRayWritePolicy.of(stack).attachTo(r, stack);
    XRayWritePolicy.of(stack).attachTo(r, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^R') }] });
  });

  test('attaches to users and groups made in the app', () => {
    const stack = newStack();
    XRayWritePolicy.of(stack).attachTo(new iam.User(stack, 'U'), stack);
    XRayWritePolicy.of(stack).attachTo(new iam.Group(stack, 'G'), stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Users: [{ Ref: Match.stringLikeRegexp('^U') }],
      Groups: [{ Ref: Match.stringLikeRegexp('^G') }],
    });
  });

  test('the cdk-nag IAM5 acknowledgment is on the policy resources only, with the reason', () => {
    // GIVEN
    const stack = newStack();
    const policy = XRayWritePolicy.of(stack);
    policy.attachSamplingReadsTo(role(stack, 'Poller'), stack);
    // WHEN: a user adds a construct under the policy's scope
    const added = new iam.Policy(policy, 'UserPolicy', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    // THEN
    const writeResource = policy.node.findChild('Resource').node.defaultChild!;
    const readsResource = policy.node.findChild('SamplingReads').node.defaultChild!;
    for (const resource of [writeResource, readsResource]) {
      expect(Object.keys(acknowledgedRules(resource))).toEqual(['AwsSolutions-IAM5[Resource::*]']);
      expect(acknowledgedRules(resource)['AwsSolutions-IAM5[Resource::*]']).toMatch(/support no resource-level permissions/);
    }
    for (const scope of [policy, policy.node.findChild('Resource'), policy.node.findChild('SamplingReads'), stack, added, added.node.defaultChild!]) {
      expect(acknowledgedRules(scope)).toEqual({});
    }
    // and cdk-nag reports the user's statement, but not the library's policies
    const report = new AwsSolutionsChecks().validateScope(stack);
    const paths = report.violations.flatMap((v: any) => v.violatingResources.map((r: any) => `${v.ruleName} ${r.constructPath}`));
    expect(paths).toEqual(['AwsSolutions-IAM5[Resource::*] Stack/XRayWritePolicy/UserPolicy/Resource']);
  });

  test('a role that would hold more than 10 managed policies gets a warning at synthesis; 10 do not', () => {
    // GIVEN
    const stack = newStack();
    const managed = (n: number) => Array.from({ length: n }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`Policy${i}`));
    const full = new iam.Role(stack, 'Full', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), managedPolicies: managed(9) });
    const atLimit = new iam.Role(stack, 'AtLimit', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), managedPolicies: managed(8) });
    // WHEN
    XRayWritePolicy.of(stack).attachTo(full, stack);
    XRayWritePolicy.of(stack).attachTo(atLimit, stack);
    XRayWritePolicy.of(stack).attachSamplingReadsTo(full, stack); // 11 with the sampling reads
    XRayWritePolicy.of(stack).attachSamplingReadsTo(atLimit, stack); // 10
    full.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('Later')); // added after the attachment: 12
    // THEN
    const warnings = warningsMatching(stack, 'managed policies than a role holds by default');
    expect(warnings).toEqual([expect.stringMatching(/^managedPolicies has more managed policies than a role holds by default \(10\), counting this stack's X-Ray policy \(got 12\)\. The deployment fails unless the IAM quota "Managed policies per role" was raised/)]);
  });

  test('customer-managed policies attached from their side count too', () => {
    const stack = newStack();
    const r = role(stack, 'R');
    for (let i = 0; i < 10; i++) {
      new iam.ManagedPolicy(stack, `P${i}`, { roles: [r], statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    }
    XRayWritePolicy.of(stack).attachTo(r, stack);
    expect(warningsMatching(stack, '(got 11)')).toHaveLength(1);
  });

  test('an immutable role: warning, not attached', () => {
    const stack = newStack();
    const imported = iam.Role.fromRoleName(stack, 'Imported', 'ops', { mutable: false });
    expect(XRayWritePolicy.of(stack).attachTo(imported, stack)).toBe(false);
    expect(warningsMatching(stack, 'imported as immutable or from another account')).toHaveLength(1);
  });

  test('a role imported as mutable from the stack\'s account gets the policy attached, as ManagedPolicy.attachToRole allows', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const byArn = iam.Role.fromRoleArn(stack, 'ByArn', 'arn:aws:iam::111111111111:role/ops');
    const agnostic = newStack();
    const byName = iam.Role.fromRoleName(agnostic, 'ByName', 'ops'); // the stack's own AWS::AccountId on both sides
    // WHEN
    const attached = [XRayWritePolicy.of(stack).attachTo(byArn, stack), XRayWritePolicy.of(agnostic).attachTo(byName, agnostic)];
    // THEN
    expect(attached).toEqual([true, true]);
    for (const s of [stack, agnostic]) {
      Template.fromStack(s).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['ops'] });
      expect(warningsMatching(s, 'imported as immutable or from another account')).toEqual([]);
    }
  });

  test('a role of another account, or of an account known only at deploy time, is warned about, not attached', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const other = iam.Role.fromRoleArn(stack, 'Other', 'arn:aws:iam::222222222222:role/ops');
    const agnostic = newStack();
    const literal = iam.Role.fromRoleArn(agnostic, 'Literal', 'arn:aws:iam::111111111111:role/ops'); // the stack's account is unknown
    // WHEN / THEN
    expect(XRayWritePolicy.of(stack).attachTo(other, stack)).toBe(false);
    expect(XRayWritePolicy.of(agnostic).attachTo(literal, agnostic)).toBe(false);
    expect(warningsMatching(stack, 'imported as immutable or from another account')).toHaveLength(1);
    expect(warningsMatching(agnostic, 'imported as immutable or from another account')).toHaveLength(1);
  });

  test('the reserved id taken by another construct: a clear error', () => {
    const stack = newStack();
    new Construct(stack, 'XRayWritePolicy');
    expect(() => XRayWritePolicy.of(stack)).toThrow(/\[Stack\] id 'XRayWritePolicy' at the stack root is taken .*Rename that construct/);
  });
});

describe('XRayWritePolicy validation table', () => {
  const roleWith = (s: Stack, n: number) => new iam.Role(s, 'R', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    managedPolicies: Array.from({ length: n }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`P${i}`)),
  });
  const quotaWarnings = (s: Stack) => warningsMatching(s, 'managed policies than a role holds by default');
  const rows: ValidationCase[] = [
    ['scope', 'bad', s => { new Construct(s, 'XRayWritePolicy'); XRayWritePolicy.of(s); }, /^\[Stack\] id 'XRayWritePolicy' at the stack root is taken by a Construct \(got "Stack\/XRayWritePolicy"\)\. Rename/],
    ['scope', 'boundary', s => XRayWritePolicy.of(new Construct(new Construct(s, 'A'), 'B')), undefined],
    ['scope', 'boundary', () => XRayWritePolicy.of(new App()), /^\[XRayWritePolicy.of\] scope of XRayWritePolicy.of must be a construct inside a Stack \(got App ""\)\. Pass a construct of the stack/],
    ['scope', 'token', s => XRayWritePolicy.of(new Stack(s.node.root as App, 'Agnostic', { env: { account: stringToken(s, 'Acct'), region: 'eu-west-1' } })), undefined],
    ['principal', 'bad', s => {
      XRayWritePolicy.of(s).attachTo(iam.Role.fromRoleName(s, 'Imported', 'ops', { mutable: false }), s);
      expect(warningsMatching(s, 'imported as immutable or from another account')).toHaveLength(1);
    }, undefined],
    ['principal', 'boundary', s => { XRayWritePolicy.of(s).attachTo(roleWith(s, 9), s); expect(quotaWarnings(s)).toEqual([]); }, undefined],
    ['principal', 'boundary', s => { XRayWritePolicy.of(s).attachTo(roleWith(s, 10), s); expect(quotaWarnings(s)).toHaveLength(1); }, undefined],
    ['principal', 'boundary', s => {
      const user = new iam.User(s, 'U', { managedPolicies: Array.from({ length: 10 }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`P${i}`)) });
      XRayWritePolicy.of(s).attachTo(user, s);
      expect(warningsMatching(s, 'managed policies than a user holds by default')).toHaveLength(1);
    }, undefined],
    ['principal', 'boundary', s => {
      expect(XRayWritePolicy.of(s).attachTo(iam.Role.fromRoleName(s, 'Mutable', 'ops'), s)).toBe(true);
      expect(warningsMatching(s, 'imported as immutable or from another account')).toEqual([]);
    }, undefined],
    ['principal', 'token', s => {
      XRayWritePolicy.of(s).attachTo(iam.Role.fromRoleArn(s, 'Tok', stringToken(s, 'RoleArn'), { mutable: false }), s);
      expect(warningsMatching(s, 'imported as immutable or from another account')).toHaveLength(1);
    }, undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
