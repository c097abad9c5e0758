import { readStackFacts } from '../../src/report/stack-facts';

describe('readStackFacts', () => {
  const template = {
    Resources: {
      Managed: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }] }, Roles: ['a', 'b'] },
      },
      Inline: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'xray:*', Resource: '*' }] } }] },
      },
      Single: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, Users: ['u'] } },
      Denied: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'xray:*', Resource: '*' }] } } },
      Unrelated: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } },
      Catchall: {
        Type: 'AWS::XRay::SamplingRule',
        Properties: { SamplingRule: { RuleName: 'api', Priority: 100, FixedRate: 0.05, ReservoirSize: 1, ServiceName: '*', HTTPMethod: '*', URLPath: '*' } },
      },
      Health: {
        Type: 'AWS::XRay::SamplingRule',
        Properties: {
          SamplingRule: {
            RuleName: 'health', Priority: 10, FixedRate: 0, ReservoirSize: 0, ServiceName: 'orders', URLPath: '/health', Attributes: { tier: 'gold' },
          },
        },
      },
      Param: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: { Ref: 'Name' }, Priority: 5, FixedRate: { Ref: 'Rate' } } } },
      Errors: {
        Type: 'AWS::XRay::Group',
        Properties: { GroupName: 'errors', FilterExpression: 'fault = true', InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: true } },
      },
      Plain: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'plain', FilterExpression: 'service("a")' } },
    },
  };
  const facts = readStackFacts(template);

  test('IAM policies and roles allowing xray:PutTraceSegments, with the principals they are attached to', () => {
    expect(facts.xrayWritePolicies).toEqual([
      { logicalId: 'Managed', type: 'AWS::IAM::ManagedPolicy', principals: 2 },
      { logicalId: 'Inline', type: 'AWS::IAM::Role', principals: 1 },
      { logicalId: 'Single', type: 'AWS::IAM::Policy', principals: 1 },
    ]);
  });

  test('sampling rules in evaluation order, with what they match; values that are not literals stay unknown', () => {
    expect(facts.samplingRules).toEqual([
      { logicalId: 'Param', ruleName: 'Param', priority: 5, fixedRate: undefined, reservoirSize: undefined, matches: 'everything' },
      { logicalId: 'Health', ruleName: 'health', priority: 10, fixedRate: 0, reservoirSize: 0, matches: 'ServiceName=orders URLPath=/health tier:gold' },
      { logicalId: 'Catchall', ruleName: 'api', priority: 100, fixedRate: 0.05, reservoirSize: 1, matches: 'everything' },
    ]);
  });

  test('groups with their filter expression and Insights settings', () => {
    expect(facts.groups).toEqual([
      { logicalId: 'Errors', groupName: 'errors', filterExpression: 'fault = true', insights: true, notifications: true },
      { logicalId: 'Plain', groupName: 'plain', filterExpression: 'service("a")', insights: false, notifications: false },
    ]);
  });

  test('an empty or odd template gives empty facts', () => {
    expect(readStackFacts({})).toEqual({ samplingRules: [], groups: [], xrayWritePolicies: [] });
    expect(readStackFacts({ Resources: { X: null } })).toEqual({ samplingRules: [], groups: [], xrayWritePolicies: [] });
  });
});
