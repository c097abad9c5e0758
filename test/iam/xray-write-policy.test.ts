import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { XRayWritePolicy } from '../../src';
import { newStack, warningsMatching } from '../util';

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

  test('the cdk-nag IAM5 acknowledgment is on this policy only, with the reason', () => {
    const stack = newStack();
    const policy = XRayWritePolicy.of(stack);
    const acknowledged = policy.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules');
    expect(acknowledged).toHaveLength(1);
    const entries = Object.entries<string>(acknowledged[0].data);
    expect(entries).toHaveLength(1);
    expect(entries[0][0]).toBe('AwsSolutions-IAM5[Resource::*]');
    expect(entries[0][1]).toMatch(/support no resource-level permissions/);
    expect(stack.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules')).toHaveLength(0);
  });

  test('an immutable role: warning, not attached', () => {
    const stack = newStack();
    const imported = iam.Role.fromRoleName(stack, 'Imported', 'ops', { mutable: false });
    expect(XRayWritePolicy.of(stack).attachTo(imported, stack)).toBe(false);
    expect(warningsMatching(stack, 'imported or immutable')).toHaveLength(1);
  });

  test('the reserved id taken by another construct: a clear error', () => {
    const stack = newStack();
    new Construct(stack, 'XRayWritePolicy');
    expect(() => XRayWritePolicy.of(stack)).toThrow(/\[Stack\] the construct id 'XRayWritePolicy' is taken .*Rename that construct/);
  });
});
