import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FilterExpression, SamplingRule, TraceGroup, XRayGrants, XRayWritePolicy } from '../../src';
import { errorOf, newStack, warningsMatching, xrayWritePolicyCount } from '../util';
import { expectCase, expectCompleteTable, stringToken, ValidationCase } from '../xray/util';

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

  test('write on a role imported as mutable from the stack\'s account attaches the XRayWritePolicy, with no inline statement', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/ops');
    // WHEN
    const grant = XRayGrants.write(imported);
    // THEN
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['ops'] });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    expect(warningsMatching(stack, 'could not add')).toEqual([]);
  });

  test('write on an imported mutable role whose account cannot be compared (environment-agnostic stack) adds an inline statement', () => {
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

  test('group admin: each CreateGroup ARN is in its own group\'s region and account, imported groups in their ARN\'s', () => {
    // GIVEN
    const app = new App();
    const eu = new Stack(app, 'Eu', { env: { account: '111111111111', region: 'eu-west-1' } });
    const us = new Stack(app, 'Us', { env: { account: '111111111111', region: 'us-west-2' } });
    const euGroup = new TraceGroup(eu, 'Group', { groupName: 'eu-errors', filterExpression: FilterExpression.fromString('fault') });
    const usGroup = new TraceGroup(us, 'Group', { groupName: 'us-errors', filterExpression: FilterExpression.fromString('fault') });
    const imported = TraceGroup.fromGroupArn(eu, 'Imported', 'arn:aws-cn:xray:cn-north-1:222222222222:group/cn-errors/ABC123');
    const admin = role(eu, 'Admin');
    // WHEN
    XRayGrants.groupAdmin(admin, [euGroup, usGroup, imported]);
    // THEN
    const statements = Object.values<any>(Template.fromStack(eu).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    const create = JSON.stringify(statements.find((st: any) => st.Action === 'xray:CreateGroup').Resource);
    expect(create).toContain(':xray:eu-west-1:111111111111:group/eu-errors/*');
    expect(create).toContain(':xray:us-west-2:111111111111:group/us-errors/*');
    expect(create).toContain('arn:aws-cn:xray:cn-north-1:222222222222:group/cn-errors/*');
    expect(create).not.toMatch(/eu-west-1:111111111111:group\/us-errors/);
  });

  test('admin grants need at least one rule or group', () => {
    const stack = newStack();
    expect(() => XRayGrants.samplingRuleAdmin(role(stack, 'R'), [])).toThrow(/rules must name at least one rule/);
    expect(() => XRayGrants.groupAdmin(role(stack, 'R2'), [])).toThrow(/groups must name at least one group/);
  });
});

describe('grants that cannot be added are not silent', () => {
  test('write to a service principal is an error saying to use the X-Ray resource policy', () => {
    // GIVEN / WHEN
    const message = errorOf(() => XRayGrants.write(new iam.ServicePrincipal('sns.amazonaws.com')));
    // THEN
    expect(message).toMatch(/^\[XRayGrants\] grantee of write\(\) is the service principal sns.amazonaws.com, which holds no IAM policy, so xray:PutTraceSegments, xray:PutTelemetryRecords on \* could never be granted to it \(got ServicePrincipal "sns.amazonaws.com"\)\. Let the service send segments through the X-Ray resource policy instead: XRayResourcePolicy.of/);
  });

  test('read to a service principal is an error saying to grant the service\'s role', () => {
    expect(errorOf(() => XRayGrants.read(new iam.ServicePrincipal('lambda.amazonaws.com')))).toMatch(/grant that role instead\.$/);
  });

  test('AnyPrincipal and an ARN principal are errors', () => {
    expect(errorOf(() => XRayGrants.read(new iam.AnyPrincipal()))).toMatch(/^\[XRayGrants\] grantee of read\(\) holds no IAM policy in this app.*\(got AnyPrincipal\)/);
    expect(errorOf(() => XRayGrants.write(new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ops')))).toMatch(/holds no IAM policy in this app/);
  });

  test('a role imported from another account gets a warning on it, and no policy is made', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    const other = iam.Role.fromRoleArn(stack, 'Other', 'arn:aws:iam::222222222222:role/ops');
    // WHEN
    XRayGrants.write(other);
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    const warnings = warningsMatching(stack, 'is imported as immutable or from another account');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^grantee is imported as immutable or from another account, so write\(\) could not add xray:PutTraceSegments, xray:PutTelemetryRecords on \* to its policy \(got "arn:aws:iam::222222222222:role\/ops"\)\. Attach the permissions where the role or user is defined/);
  });

  test('an immutable imported role gets the warning for read and admin grants too', () => {
    const stack = newStack('eu-west-1');
    const immutable = iam.Role.fromRoleName(stack, 'Ops', 'ops', { mutable: false });
    XRayGrants.read(immutable);
    XRayGrants.samplingRuleAdmin(immutable, [new SamplingRule(stack, 'Rule', { priority: 1 })]);
    expect(warningsMatching(stack, 'could not add')).toHaveLength(2);
  });
});

describe('XRayGrants validation table', () => {
  const group = (s: Stack, name = 'g') => new TraceGroup(s, `G${name}`, { groupName: name, filterExpression: FilterExpression.fromString('fault') });
  const rows: ValidationCase[] = [
    ['grantee', 'bad', () => XRayGrants.write(undefined as any), /^\[XRayGrants\.write\] grantee must be a role, user, group or other IGrantable \(got undefined\)/],
    ['grantee', 'bad', () => XRayGrants.write(new iam.ServicePrincipal('sns.amazonaws.com')), /grantee of write\(\) is the service principal sns.amazonaws.com/],
    // The boundary between a principal that holds a policy here and one that does not: same account passes, another warns.
    ['grantee', 'boundary', s => XRayGrants.read(iam.Role.fromRoleArn(s, 'Same', 'arn:aws:iam::111111111111:role/ops')), undefined],
    ['grantee', 'boundary', s => XRayGrants.read(iam.Role.fromRoleArn(s, 'Other', 'arn:aws:iam::222222222222:role/ops')), undefined],
    ['grantee', 'token', s => XRayGrants.read(iam.Role.fromRoleArn(s, 'Tok', stringToken(s, 'RoleArn'))), undefined],
    ['rules', 'bad', s => XRayGrants.samplingRuleAdmin(role(s, 'R'), [undefined as any]), /^\[XRayGrants\.samplingRuleAdmin\] rules\[0\] must be a sampling rule \(got undefined\)/],
    ['rules', 'boundary', s => XRayGrants.samplingRuleAdmin(role(s, 'R'), [SamplingRule.fromSamplingRuleName(s, 'One', 'one')]), undefined],
    ['rules', 'boundary', s => XRayGrants.samplingRuleAdmin(role(s, 'R'), []), /rules must name at least one rule \(got \[\]\)/],
    ['rules', 'token', s => XRayGrants.samplingRuleAdmin(role(s, 'R'), [SamplingRule.fromSamplingRuleArn(s, 'Tok', stringToken(s, 'RuleArn'))]), undefined],
    ['groups', 'bad', s => XRayGrants.groupAdmin(role(s, 'R'), ['errors' as any]), /^\[XRayGrants\.groupAdmin\] groups\[0\] must be a trace group \(got "errors"\)\. Pass the groups/],
    ['groups', 'boundary', s => XRayGrants.groupAdmin(role(s, 'R'), [group(s)]), undefined],
    ['groups', 'boundary', s => XRayGrants.groupAdmin(role(s, 'R'), []), /groups must name at least one group \(got \[\]\)/],
    ['groups', 'token', s => XRayGrants.groupAdmin(role(s, 'R'), [TraceGroup.fromGroupArn(s, 'Tok', stringToken(s, 'GroupArn'))]), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
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
