import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FilterExpression, SamplingRule, TraceGroup, XRayGrants, XRayWritePolicy } from '../../src';
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
          Action: ['xray:GetTraceSummaries', 'xray:BatchGetTraces', 'xray:GetTraceGraph', 'xray:GetServiceGraph', 'xray:GetTimeSeriesServiceStatistics',
            'xray:GetInsightSummaries', 'xray:GetInsight', 'xray:GetInsightEvents', 'xray:GetInsightImpactGraph'],
          Resource: '*',
          Effect: 'Allow',
        }],
      },
    });
  });
});

describe('XRayGrants admin', () => {
  test('sampling-rule admin: exact rule ARNs, GetSamplingRules on *', () => {
    const stack = newStack();
    const rule = new SamplingRule(stack, 'Rule', { priority: 1, samplingRuleName: 'checkout' });
    XRayGrants.samplingRuleAdmin(role(stack, 'R'), [rule]);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      { Action: ['xray:UpdateSamplingRule', 'xray:DeleteSamplingRule', 'xray:CreateSamplingRule'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'RuleARN'] } },
      { Action: 'xray:GetSamplingRules', Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('group admin: exact group ARNs, CreateGroup on group/<name>/*, GetGroups on *', () => {
    const stack = newStack('eu-west-1');
    const group = new TraceGroup(stack, 'Group', { groupName: 'errors', filterExpression: FilterExpression.fromString('fault') });
    XRayGrants.groupAdmin(role(stack, 'R'), [group]);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements[0]).toEqual({ Action: ['xray:GetGroup', 'xray:UpdateGroup', 'xray:DeleteGroup'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'GroupARN'] } });
    expect(statements[1].Action).toBe('xray:CreateGroup');
    expect(JSON.stringify(statements[1].Resource)).toContain(':xray:eu-west-1:111111111111:group/errors/*');
    expect(statements[2]).toEqual({ Action: 'xray:GetGroups', Effect: 'Allow', Resource: '*' });
  });

  test('admin grants need at least one rule or group', () => {
    const stack = newStack();
    expect(() => XRayGrants.samplingRuleAdmin(role(stack, 'R'), [])).toThrow(/rules must name at least one rule/);
    expect(() => XRayGrants.groupAdmin(role(stack, 'R2'), [])).toThrow(/groups must name at least one group/);
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
    XRayWritePolicy.of(stack).attachSamplingReadsTo(r, stack);
    XRayGrants.samplingRuleAdmin(r, [new SamplingRule(stack, 'Rule', { priority: 1 }), SamplingRule.fromSamplingRuleName(stack, 'Imported', 'x')]);
    XRayGrants.groupAdmin(r, [new TraceGroup(stack, 'Group', { groupName: 'g', filterExpression: FilterExpression.fromString('error') })]);
    new SamplingRule(stack, 'Granted', { priority: 2 }).grantUpdate(r);
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
