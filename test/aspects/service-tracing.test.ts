import { App, AspectPriority, Aspects, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  AppSyncTracing, EnableTracingAspect, LambdaTracing, RestApiTracing, SnsTracing, StateMachineTracing,
} from '../../src';
import { errorOf, newStack, resourcesOfType, warningsMatching, xrayWritePolicyCount, zipFunctionProps } from '../util';

const SCHEMA = `${__dirname}/../checks/schema.graphql`;

function machine(stack: Stack, id = 'Machine', props: Partial<sfn.StateMachineProps> = {}): sfn.StateMachine {
  return new sfn.StateMachine(stack, id, { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)), ...props });
}

function graphqlApi(stack: Stack, props: Partial<appsync.GraphqlApiProps> = {}): appsync.GraphqlApi {
  return new appsync.GraphqlApi(stack, 'Gql', { name: 'g', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(SCHEMA)), ...props });
}

/** The actions of every statement of every IAM policy in the stack. */
function policyActions(stack: Stack): string[] {
  const statements = [...resourcesOfType(stack, 'AWS::IAM::Policy'), ...resourcesOfType(stack, 'AWS::IAM::ManagedPolicy')]
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
  return statements.flatMap((s: any) => [s.Action].flat());
}

describe('StateMachineTracing', () => {
  test('enable: tracing on, and the role gets the stack\'s write policy with the sampling reads', () => {
    const stack = newStack();
    const sm = machine(stack);
    StateMachineTracing.enable(sm);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
    expect(xrayWritePolicyCount(stack)).toBe(1);
    expect(policyActions(stack)).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']));
  });

  test('enable overrides an explicit tracingEnabled: false (the call is the later intent) and twice changes nothing', () => {
    const stack = newStack();
    const sm = machine(stack, 'Machine', { tracingEnabled: false });
    StateMachineTracing.enable(sm);
    const once = Template.fromStack(stack).toJSON();
    StateMachineTracing.enable(sm);
    expect(Template.fromStack(stack).toJSON()).toEqual(once);
    expect(once.Resources.Machine0F0B8B2A?.Properties?.TracingConfiguration ?? Object.values<any>(once.Resources)
      .find(r => r.Type === 'AWS::StepFunctions::StateMachine').Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  test('a tracing setting known only at deploy time is kept', () => {
    const stack = newStack();
    const sm = machine(stack);
    const cfn = sm.node.defaultChild as sfn.CfnStateMachine;
    const on = new CfnCondition(stack, 'On', { expression: Fn.conditionEquals('a', 'a') });
    cfn.tracingConfiguration = Fn.conditionIf(on.logicalId, { Enabled: true }, { Enabled: false }) as any;
    StateMachineTracing.enable(sm);
    const [, resource] = resourcesOfType(stack, 'AWS::StepFunctions::StateMachine')[0];
    expect(resource.Properties.TracingConfiguration).toEqual({ 'Fn::If': ['On', { Enabled: true }, { Enabled: false }] });
  });

  test('enableCfnStateMachine: a raw state machine with a role of this app gets the policy; an L1 of an L2 goes through the L2', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    new sfn.CfnStateMachine(stack, 'Raw', { roleArn: role.roleArn, definitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' });
    StateMachineTracing.enableCfnStateMachine(stack.node.findChild('Raw') as sfn.CfnStateMachine);
    const sm = machine(stack, 'L2');
    StateMachineTracing.enableCfnStateMachine(sm.node.defaultChild as sfn.CfnStateMachine);
    const machines = resourcesOfType(stack, 'AWS::StepFunctions::StateMachine');
    expect(machines.map(([, r]) => r.Properties.TracingConfiguration)).toEqual([{ Enabled: true }, { Enabled: true }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Role') }]),
    });
  });

  test('a raw state machine whose role is not made here gets a warning naming the actions', () => {
    const stack = newStack();
    const raw = new sfn.CfnStateMachine(stack, 'Raw', {
      roleArn: 'arn:aws:iam::111111111111:role/elsewhere', definitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
    });
    StateMachineTracing.enableCfnStateMachine(raw);
    expect(warningsMatching(stack, 'xray:PutTraceSegments').length).toBe(1);
  });

  test('bad input: an imported state machine, not a construct, not an L1', () => {
    const stack = newStack();
    const imported = sfn.StateMachine.fromStateMachineArn(stack, 'Imported', 'arn:aws:states:eu-west-1:111111111111:stateMachine:m');
    expect(errorOf(() => StateMachineTracing.enable(imported))).toMatch(
      /^\[Stack\/Imported\] stateMachine is imported \(StateMachine.fromStateMachineArn or fromStateMachineName\), so its tracing cannot be changed from this app \(got "arn:aws:states:eu-west-1:111111111111:stateMachine:m"\)\. Turn tracing on where/);
    expect(errorOf(() => StateMachineTracing.enable(undefined as any))).toMatch(/^\[StateMachineTracing.enable\] stateMachine must be a Step Functions state machine construct \(got undefined\)/);
    expect(errorOf(() => StateMachineTracing.enableCfnStateMachine(stack as any))).toMatch(/^\[StateMachineTracing.enableCfnStateMachine\] stateMachine must be an sfn.CfnStateMachine/);
  });
});

describe('AppSyncTracing', () => {
  test('enable sets XrayEnabled, also over an explicit false; the L1 form does the same', () => {
    const stack = newStack();
    AppSyncTracing.enable(graphqlApi(stack, { xrayEnabled: false }));
    const raw = new appsync.CfnGraphQLApi(stack, 'Raw', { name: 'raw', authenticationType: 'API_KEY' });
    AppSyncTracing.enableCfnGraphQLApi(raw);
    expect(resourcesOfType(stack, 'AWS::AppSync::GraphQLApi').map(([, r]) => r.Properties.XrayEnabled)).toEqual([true, true]);
  });

  test('bad input: an imported API, not a construct, not an L1', () => {
    const stack = newStack();
    const imported = appsync.GraphqlApi.fromGraphqlApiAttributes(stack, 'Imported', { graphqlApiId: 'abc' });
    expect(errorOf(() => AppSyncTracing.enable(imported))).toMatch(
      /^\[Stack\/Imported\] api is imported \(GraphqlApi.fromGraphqlApiAttributes\), so its tracing cannot be changed from this app \(got "abc"\)/);
    expect(errorOf(() => AppSyncTracing.enable(null as any))).toMatch(/^\[AppSyncTracing.enable\] api must be an AppSync GraphQL API construct/);
    expect(errorOf(() => AppSyncTracing.enableCfnGraphQLApi(stack as any))).toMatch(/^\[AppSyncTracing.enableCfnGraphQLApi\] api must be an appsync.CfnGraphQLApi/);
  });
});

describe('SnsTracing', () => {
  test('enable and the deprecated enableActive do the same, once', () => {
    const stack = newStack();
    const a = new sns.Topic(stack, 'A');
    const b = new sns.Topic(stack, 'B');
    SnsTracing.enable(a);
    SnsTracing.enableActive(b);
    SnsTracing.enable(b);
    expect(resourcesOfType(stack, 'AWS::SNS::Topic').map(([, r]) => r.Properties.TracingConfig)).toEqual(['Active', 'Active']);
    expect(resourcesOfType(stack, 'AWS::XRay::ResourcePolicy')).toHaveLength(1);
  });

  test('bad input names SnsTracing.enable', () => {
    expect(errorOf(() => SnsTracing.enable(undefined as any))).toMatch(/^\[SnsTracing.enable\] topic must be an SNS topic/);
  });
});

describe('LambdaTracing for L1 functions and functions with their own mode', () => {
  test('enableCfnFunction: Active and the write policy on a role of this app; an L1 of a Function goes through the Function', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const raw = new lambda.CfnFunction(stack, 'Raw', { role: role.roleArn, code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'index.handler' });
    LambdaTracing.enableCfnFunction(raw);
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    LambdaTracing.enableCfnFunction(fn.node.defaultChild as lambda.CfnFunction);
    expect(resourcesOfType(stack, 'AWS::Lambda::Function').map(([, r]) => r.Properties.TracingConfig)).toEqual([{ Mode: 'Active' }, { Mode: 'Active' }]);
    expect(xrayWritePolicyCount(stack)).toBe(1);
    expect(LambdaTracing.declaredAnnotationKeys(fn)).toEqual([]);
  });

  test('ensureXRayAccess keeps the mode set on the L1 and adds only the write policy', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
    (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'PassThrough' };
    LambdaTracing.ensureXRayAccess(fn);
    const [, resource] = resourcesOfType(stack, 'AWS::Lambda::Function')[0];
    expect(resource.Properties.TracingConfig).toEqual({ Mode: 'PassThrough' });
    expect(resource.Properties.Environment).toBeUndefined();
    expect(xrayWritePolicyCount(stack)).toBe(1);
  });

  test('bad input: not an L1 function', () => {
    expect(errorOf(() => LambdaTracing.enableCfnFunction({} as any))).toMatch(/^\[LambdaTracing.enableCfnFunction\] cfnFunction must be a lambda.CfnFunction/);
  });
});

describe('RestApiTracing for L1 APIs and stages', () => {
  test('enableCfnRestApi traces the API\'s stages; enableCfnStage one stage', () => {
    const stack = newStack();
    const api = new apigw.CfnRestApi(stack, 'L1', { name: 'l1' });
    new apigw.CfnStage(stack, 'S1', { restApiId: api.ref, stageName: 's1', deploymentId: 'd' });
    RestApiTracing.enableCfnRestApi(api);
    const other = new apigw.CfnStage(stack, 'S2', { restApiId: 'abc', stageName: 's2', deploymentId: 'd' });
    RestApiTracing.enableCfnStage(other);
    expect(resourcesOfType(stack, 'AWS::ApiGateway::Stage').map(([, r]) => r.Properties.TracingEnabled)).toEqual([true, true]);
  });
});

describe('EnableTracingAspect calls the public enable of each service', () => {
  test('the aspect and the public calls give the same template', () => {
    const build = (viaAspect: boolean) => {
      const app = new App();
      const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
      const fn = new lambda.Function(stack, 'Fn', zipFunctionProps());
      const sm = machine(stack);
      const gql = graphqlApi(stack);
      const topic = new sns.Topic(stack, 'Topic');
      const api = new apigw.RestApi(stack, 'Api');
      api.root.addMethod('GET');
      if (viaAspect) {
        Aspects.of(app).add(new EnableTracingAspect(), { priority: AspectPriority.MUTATING });
      } else {
        LambdaTracing.enable(fn);
        StateMachineTracing.enable(sm);
        AppSyncTracing.enable(gql);
        SnsTracing.enable(topic);
        RestApiTracing.enable(api);
      }
      return Template.fromStack(stack).toJSON();
    };
    expect(build(true)).toEqual(build(false));
  });
});
