import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { XRayGrants, XRayWritePolicy } from '../../src';
import { newStack, xrayWritePolicyCount } from '../util';

function role(scope: Construct, id: string): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
}

describe('XRayGrants', () => {
  test('write on a role made in the app attaches the stack policy (no inline statement)', () => {
    const stack = newStack();
    const grant = XRayGrants.write(role(stack, 'R'));
    expect(grant.success).toBe(true);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    expect(xrayWritePolicyCount(stack)).toBe(1);
  });

  test('the write grant orders deployment after the policy', () => {
    const stack = newStack();
    const r = role(stack, 'R');
    const consumer = new iam.CfnInstanceProfile(stack, 'Consumer', { roles: [r.roleName] });
    XRayGrants.write(r).applyBefore(consumer);
    const profile = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::InstanceProfile'))[0];
    expect(profile.DependsOn).toEqual([expect.stringMatching(/^XRayWritePolicy/)]);
  });

  test('write on an imported mutable role adds an inline statement', () => {
    const stack = newStack();
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/ops');
    XRayGrants.write(imported);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*', Effect: 'Allow' }] },
    });
  });

  test('read grants the trace and service-graph reads, never xray:*', () => {
    const stack = newStack();
    XRayGrants.read(role(stack, 'R'));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['xray:GetTraceSummaries', 'xray:BatchGetTraces', 'xray:GetTraceGraph', 'xray:GetServiceGraph', 'xray:GetTimeSeriesServiceStatistics'],
          Resource: '*',
          Effect: 'Allow',
        }],
      },
    });
  });
});

describe('least privilege across the library', () => {
  // Actions that accept a resource ARN (Service Authorization Reference for AWS X-Ray); none may be granted on "*".
  const ACTIONS_WITH_RESOURCE_ARNS = [
    'xray:CreateGroup', 'xray:CreateSamplingRule', 'xray:DeleteGroup', 'xray:DeleteSamplingRule', 'xray:GetGroup',
    'xray:UpdateGroup', 'xray:UpdateSamplingRule', 'xray:ListTagsForResource', 'xray:TagResource', 'xray:UntagResource',
  ];

  test('no grant gives xray:* or an action that takes a resource ARN on "*", and no AWS managed policy is used', () => {
    const stack = newStack();
    const r = role(stack, 'R');
    XRayGrants.write(r);
    XRayGrants.read(r);
    XRayWritePolicy.of(stack).addSamplingReads();
    const template = Template.fromStack(stack).toJSON();
    const statements: any[] = [];
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
        statements.push(...resource.Properties.PolicyDocument.Statement);
      }
      if (resource.Type === 'AWS::IAM::Role') {
        expect(resource.Properties.ManagedPolicyArns ?? []).toEqual([]);
      }
    }
    expect(statements.length).toBeGreaterThanOrEqual(3);
    for (const statement of statements) {
      const actions: string[] = [].concat(statement.Action);
      expect(actions).not.toContain('xray:*');
      if (statement.Resource === '*') {
        expect(actions.filter(a => ACTIONS_WITH_RESOURCE_ARNS.includes(a))).toEqual([]);
      }
    }
  });
});
