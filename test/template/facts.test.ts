import { factsOfStack, readTemplateFacts, tracingMetadataOf } from '../../src/template/facts';
import { TemplateModel } from '../../src/template/model';

describe('readTemplateFacts', () => {
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
  const model = TemplateModel.ofTemplates({ S: template });
  const facts = factsOfStack(readTemplateFacts(model), model.stack('S')!);

  test('IAM policies and roles allowing xray:PutTraceSegments, with the principals they are attached to', () => {
    expect(facts.writePolicies).toEqual([
      { stackId: 'S', logicalId: 'Managed', type: 'AWS::IAM::ManagedPolicy', principals: 2 },
      { stackId: 'S', logicalId: 'Inline', type: 'AWS::IAM::Role', principals: 1 },
      { stackId: 'S', logicalId: 'Single', type: 'AWS::IAM::Policy', principals: 1 },
    ]);
  });

  test('sampling rules in evaluation order, with what they match; values that are not literals stay unknown', () => {
    expect(facts.samplingRules).toEqual([
      { stackId: 'S', logicalId: 'Param', ruleName: 'Param', priority: 5, fixedRate: undefined, reservoirSize: undefined, matches: 'everything' },
      { stackId: 'S', logicalId: 'Health', ruleName: 'health', priority: 10, fixedRate: 0, reservoirSize: 0, matches: 'ServiceName=orders URLPath=/health tier:gold' },
      { stackId: 'S', logicalId: 'Catchall', ruleName: 'api', priority: 100, fixedRate: 0.05, reservoirSize: 1, matches: 'everything' },
    ]);
  });

  test('groups with their filter expression and Insights settings', () => {
    expect(facts.groups).toEqual([
      { stackId: 'S', logicalId: 'Errors', groupName: 'errors', filterExpression: 'fault = true', insights: true, notifications: true },
      { stackId: 'S', logicalId: 'Plain', groupName: 'plain', filterExpression: 'service("a")', insights: false, notifications: false },
    ]);
  });

  test('app-wide facts are in model order; a stack\'s sampling rules in ascending priority', () => {
    expect(readTemplateFacts(model).samplingRules.map(r => r.logicalId)).toEqual(['Catchall', 'Health', 'Param']);
  });

  test('an empty or odd template gives empty facts', () => {
    expect(readTemplateFacts(TemplateModel.ofTemplates({ S: {} }))).toEqual({ samplingRules: [], groups: [], writePolicies: [] });
    const odd = TemplateModel.ofTemplates({ S: { Resources: { X: null } } });
    expect(readTemplateFacts(odd)).toEqual({ samplingRules: [], groups: [], writePolicies: [] });
  });

  test('a deploy-time InsightsEnabled counts as on (an upper bound); "true" is on', () => {
    const groups = readTemplateFacts(TemplateModel.ofTemplates({
      S: {
        Resources: {
          A: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'a', InsightsConfiguration: { InsightsEnabled: { Ref: 'On' } } } },
          B: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'b', InsightsConfiguration: { InsightsEnabled: 'true' } } },
          C: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'c', InsightsConfiguration: { InsightsEnabled: false } } },
        },
      },
    })).groups;
    expect(groups.map(g => [g.groupName, g.insights])).toEqual([['a', true], ['b', true], ['c', false]]);
  });

  test('tracing metadata: what this library recorded, odd values left out', () => {
    const traced = TemplateModel.ofTemplates({
      S: {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'cdk-xray-constructs:tracing': { instrumentation: 'adot', serviceName: 's', annotationKeys: ['a', 1] } } },
          Odd: { Type: 'AWS::Lambda::Function', Metadata: { 'cdk-xray-constructs:tracing': 'adot' } },
        },
      },
    });
    expect(tracingMetadataOf(traced.resourceIn('S', 'Fn')!)).toEqual({ instrumentation: 'adot', serviceName: 's', annotationKeys: ['a'] });
    expect(tracingMetadataOf(traced.resourceIn('S', 'Odd')!)).toBeUndefined();
  });
});
