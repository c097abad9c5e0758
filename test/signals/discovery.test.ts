import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApplicationSignalsDiscovery } from '../../src';
import { ENABLED_OUTSIDE_METADATA } from '../../src/private/enabled-outside';
import { newStack } from '../util';
import { envStack, stringToken } from '../xray/util';

describe('ApplicationSignalsDiscovery', () => {
  test('deploys one AWS::ApplicationSignals::Discovery with no properties; accountId is its Ref', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const discovery = new ApplicationSignalsDiscovery(stack, 'Discovery');
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApplicationSignals::Discovery', 1);
    const [logicalId, resource] = Object.entries<any>(template.findResources('AWS::ApplicationSignals::Discovery'))[0];
    expect(resource.Properties).toBeUndefined();
    expect(stack.resolve(discovery.accountId)).toEqual({ Ref: logicalId });
  });

  test('a second one in the same account and region is an error naming the first', () => {
    // GIVEN
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new ApplicationSignalsDiscovery(new Stack(app, 'A', { env }), 'Discovery');
    // WHEN / THEN
    expect(() => new ApplicationSignalsDiscovery(new Stack(app, 'B', { env }), 'Discovery'))
      .toThrow(/^\[B\/Discovery\] ApplicationSignalsDiscovery is a second Application Signals discovery for account\/region 111111111111\/eu-west-1, after the one at A\/Discovery \(got "A\/Discovery"\)\. An account and region has one/);
  });

  test('one per region is allowed', () => {
    const app = new App();
    new ApplicationSignalsDiscovery(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Discovery');
    expect(() => new ApplicationSignalsDiscovery(new Stack(app, 'B', { env: { account: '111111111111', region: 'us-east-1' } }), 'Discovery')).not.toThrow();
  });

  test('enabledOutsideApp records the feature and reason in the template metadata and deploys nothing', () => {
    // GIVEN
    const stack = envStack();
    // WHEN
    ApplicationSignalsDiscovery.enabledOutsideApp(stack, 'turned on by the account baseline');
    ApplicationSignalsDiscovery.enabledOutsideApp(stack, 'a second reason');
    // THEN
    const template = Template.fromStack(stack).toJSON();
    expect(template.Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ ApplicationSignalsDiscovery: 'turned on by the account baseline' });
    expect(template.Resources ?? {}).toEqual({});
  });

  test.each(['', '   ', undefined, 5])('enabledOutsideApp refuses the reason %p', (reason) => {
    expect(() => ApplicationSignalsDiscovery.enabledOutsideApp(envStack(), reason as any))
      .toThrow(/^\[Stack\] ApplicationSignalsDiscovery\.enabledOutsideApp reason must be a non-empty string \(got .*\)\. Say why/);
  });

  test('enabledOutsideApp takes a one-character reason and a token', () => {
    const stack = envStack();
    ApplicationSignalsDiscovery.enabledOutsideApp(stack, stringToken(stack, 'Reason'));
    expect(Template.fromStack(stack).toJSON().Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ ApplicationSignalsDiscovery: { Ref: 'Reason' } });
    const other = envStack();
    ApplicationSignalsDiscovery.enabledOutsideApp(other, 'x');
    expect(Template.fromStack(other).toJSON().Metadata[ENABLED_OUTSIDE_METADATA]).toEqual({ ApplicationSignalsDiscovery: 'x' });
  });
});

describe('ApplicationSignalsDiscovery and enabledOutsideApp together', () => {
  test('a Discovery in an environment whose stack declares discovery enabled outside the app fails synthesis', () => {
    // GIVEN
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new ApplicationSignalsDiscovery(new Stack(app, 'A', { env }), 'Discovery');
    ApplicationSignalsDiscovery.enabledOutsideApp(new Stack(app, 'B', { env }), 'console');
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/\[A\/Discovery\] ApplicationSignalsDiscovery is deployed here, but stack B declares discovery enabled outside the app for the same account and region \(got "B"\)\. Keep one/);
  });

  test('a declaration for another region does not conflict', () => {
    const app = new App();
    new ApplicationSignalsDiscovery(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Discovery');
    ApplicationSignalsDiscovery.enabledOutsideApp(new Stack(app, 'B', { env: { account: '111111111111', region: 'us-east-1' } }), 'console');
    expect(() => app.synth()).not.toThrow();
  });
});
