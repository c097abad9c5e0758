import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describeEnvironment, environmentKey, registeredInEnvironment, registerInEnvironment } from '../../src/private/environment-registry';

describe('environment registry', () => {
  test('members are grouped by account and region across the stacks of one app', () => {
    // GIVEN
    const app = new App();
    const a = new Construct(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'X');
    const b = new Construct(new Stack(app, 'B', { env: { account: '111111111111', region: 'eu-west-1' } }), 'X');
    const c = new Construct(new Stack(app, 'C', { env: { account: '111111111111', region: 'us-east-1' } }), 'X');
    // WHEN
    registerInEnvironment('K', a);
    registerInEnvironment('K', c);
    const peers = registerInEnvironment('K', b);
    // THEN
    expect(peers).toEqual([a, b]);
    expect(registeredInEnvironment('K', c)).toEqual([c]);
    expect(environmentKey(a)).toBe('111111111111/eu-west-1');
  });

  test('regression: registering the same member twice records it once, in its first place, and returns it last', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const first = new Construct(stack, 'First');
    const second = new Construct(stack, 'Second');
    registerInEnvironment('K', first);
    registerInEnvironment('K', second);
    expect(registerInEnvironment('K', first)).toEqual([second, first]);
    expect(registeredInEnvironment('K', stack)).toEqual([first, second]);
  });

  test('environment-agnostic stacks share one unknown environment', () => {
    const app = new App();
    const x = new Construct(new Stack(app, 'A'), 'X');
    expect(environmentKey(x)).toBe('*/*');
    expect(describeEnvironment('*/*')).toBe('the environment-agnostic stacks of this app');
    expect(describeEnvironment('1/eu-west-1')).toBe('account/region 1/eu-west-1');
  });
});
