import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { breaks, edges, fn, graphOf, graphOfTemplates, node } from './fixtures';
import { buildTraceGraph } from '../../src/graph/build';
import { TraceState } from '../../src/graph/model';
import { TemplateModel } from '../../src/template/model';

test('a cross-stack grant resolves through the producing stack\'s export (Fn::ImportValue)', () => {
  const app = new App();
  const data = new Stack(app, 'Data');
  const q = new sqs.Queue(data, 'Q');
  const compute = new Stack(app, 'Compute');
  q.grantSendMessages(fn(compute, 'Sender', lambda.Tracing.ACTIVE));
  const g = graphOf(app);
  // Without path metadata (plain app.synth()), labels are logical ids.
  expect(edges(g)).toEqual([expect.stringMatching(/^Sender\w+ -send-> Q\w+$/)]);
  expect(g.edges[0]).toMatchObject({ from: expect.stringMatching(/^Compute\//), to: expect.stringMatching(/^Data\/Q/) });
});

/** A template as a Python or Java CDK app (or any tool) writes it: no construct paths, Fn::Sub and literal ARNs. */
const pythonStyle = {
  Resources: {
    ApiHandler: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] },
        TracingConfig: { Mode: 'Active' },
        Layers: [{ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:615299751070:layer:AWSOpenTelemetryDistroPython:25' }],
        Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', TOPIC: { 'Fn::Sub': '${Alerts}' } } },
      },
    },
    HandlerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    HandlerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'HandlerRole' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'sqs:Send*', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders' } },
            { Effect: 'Allow', Action: ['dynamodb:*'], Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-table' },
            { Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': ['Worker', 'Arn'] } },
          ],
        },
      },
    },
    Orders: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } },
    OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders-table' } },
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { TracingConfig: 'Active' } },
    Worker: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::1:role/w' } },
    WorkerMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Orders', 'Arn'] }, FunctionName: { Ref: 'WorkerLive' } },
    },
    WorkerLive: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Worker' }, FunctionVersion: '1', Name: 'live' } },
  },
};

test('a template without path metadata, not made with this library: Fn::Sub, literal ARNs by physical name, aliases, layers', () => {
  const g = graphOfTemplates({ PyStack: pythonStyle });
  expect(g.nodes.map(n => `${n.label} ${n.state}`)).toEqual([
    'ApiHandler traced', 'Orders pass-through', 'OrdersTable downstream', 'Alerts traced', 'Worker pass-through',
  ]);
  expect(node(g, 'ApiHandler').how).toBe('Active; ADOT layer, exec wrapper /opt/otel-instrument');
  expect(node(g, 'ApiHandler').path).toBeUndefined();
  expect(edges(g)).toEqual(['ApiHandler -data-> OrdersTable', 'ApiHandler -publish-> Alerts', 'ApiHandler -send-> Orders', 'Orders -event-source-> Worker']);
  // Nothing sends Orders a sampled context it cannot have: the traced handler does.
  expect(breaks(g)).toEqual([]);
});

test('ECS collector recognized by a receiver port when the image is not a known one', () => {
  const task = (ports: any[]) => ({
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'app:1' }, { Name: 'agent', Image: { Ref: 'Img' }, PortMappings: ports }] } },
      Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' } } },
    },
  });
  expect(node(graphOfTemplates({ A: task([{ ContainerPort: 4317 }]) }), 'Service')).toMatchObject({ state: TraceState.TRACED, how: 'task definition Task: agent: OTLP receiver (4317) sidecar' });
  expect(breaks(graphOfTemplates({ A: task([{ ContainerPort: 8080 }]) }))).toEqual(['EcsServiceWithoutCollector Service']);
});

test('duplicate labels are lengthened with the parent path segment', () => {
  const g = graphOfTemplates({
    S: {
      Resources: {
        A: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'S/Orders/Queue/Resource' } },
        B: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'S/Billing/Queue/Resource' } },
      },
    },
  });
  expect(g.nodes.map(n => n.label)).toEqual(['Orders/Queue', 'Billing/Queue']);
});

test('a nested stack resolves its parameters through the parent\'s stack resource, and the parent reads its outputs', () => {
  const g = buildTraceGraph(TemplateModel.ofStacks([
    {
      stackId: 'Parent',
      template: {
        Resources: {
          Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
          Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', TracingEnabled: true } },
          Method: {
            Type: 'AWS::ApiGateway::Method',
            Properties: {
              RestApiId: { Ref: 'Api' },
              Integration: {
                Uri: {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/',
                    { 'Fn::GetAtt': ['InnerStack', 'Outputs.WorkerArn'] }, '/invocations']],
                },
              },
            },
          },
          Jobs: { Type: 'AWS::SQS::Queue', Properties: {} },
          InnerStack: {
            Type: 'AWS::CloudFormation::Stack',
            Properties: { TemplateURL: 'https://example.com/inner.json', Parameters: { JobsArn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
          },
        },
      },
    },
    {
      stackId: 'Inner',
      parent: { stackId: 'Parent', logicalId: 'InnerStack' },
      template: {
        Parameters: { JobsArn: { Type: 'String' } },
        Resources: {
          WorkerRole: { Type: 'AWS::IAM::Role', Properties: {} },
          Worker: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] }, TracingConfig: { Mode: 'Active' } } },
          WorkerPolicy: {
            Type: 'AWS::IAM::Policy',
            Properties: {
              Roles: [{ Ref: 'WorkerRole' }],
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { Ref: 'JobsArn' } }] },
            },
          },
        },
        Outputs: { WorkerArn: { Value: { 'Fn::GetAtt': ['Worker', 'Arn'] } } },
      },
    },
  ]));
  expect(edges(g)).toEqual(['Api -integration-> Worker', 'Worker -send-> Jobs']);
  expect(g.edges.map(e => `${e.from} ${e.to}`).sort()).toEqual(['Inner/Worker Parent/Jobs', 'Parent/Api Inner/Worker']);
});
