import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SamplingRate, SamplingRule } from '../../src';
import { errorOf, newStack, warningsMatching } from '../util';

function rule(stack: Stack): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::XRay::SamplingRule'))[0].Properties.SamplingRule;
}

describe('SamplingRate', () => {
  test('percent, ratio, none and all', () => {
    expect(SamplingRate.percent(5).fraction).toBeCloseTo(0.05);
    expect(SamplingRate.ratio(0.25).percentage).toBeCloseTo(25);
    expect(SamplingRate.none().fraction).toBe(0);
    expect(SamplingRate.all().fraction).toBe(1);
  });

  test('a percentage cannot be a token; a ratio can', () => {
    expect(() => SamplingRate.percent(Token.asNumber({ Ref: 'P' }))).toThrow(/cannot take a token.*Pass SamplingRate.ratio\(token\)/);
    expect(Token.isUnresolved(SamplingRate.ratio(Token.asNumber({ Ref: 'P' })).fraction)).toBe(true);
  });
});

describe('SamplingRule', () => {
  test('defaults: * matchers, 5 %, reservoir 1, version 1, a generated name', () => {
    const stack = newStack();
    new SamplingRule(stack, 'Rule', { priority: 10 });
    const props = rule(stack);
    expect(props).toEqual({
      RuleName: expect.stringMatching(/^StackRule/),
      Priority: 10,
      FixedRate: 0.05,
      ReservoirSize: 1,
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: '*',
      ResourceARN: '*',
      Version: 1,
    });
    expect(props.RuleName.length).toBeLessThanOrEqual(32);
  });

  test('every field is rendered, including SamplingRateBoost and Attributes', () => {
    const stack = newStack();
    new SamplingRule(stack, 'Rule', {
      samplingRuleName: 'debug',
      priority: 1,
      fixedRate: SamplingRate.all(),
      reservoirSize: 0,
      serviceName: 'checkout',
      serviceType: 'AWS::ApiGateway::Stage',
      host: 'api.example.com',
      httpMethod: 'POST',
      urlPath: '/orders/*',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod',
      attributes: { 'x-debug': 'on' },
      samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(5) },
    });
    expect(rule(stack)).toMatchObject({
      RuleName: 'debug',
      Priority: 1,
      FixedRate: 1,
      ReservoirSize: 0,
      ServiceName: 'checkout',
      ServiceType: 'AWS::ApiGateway::Stage',
      Host: 'api.example.com',
      HTTPMethod: 'POST',
      URLPath: '/orders/*',
      Attributes: { 'x-debug': 'on' },
      SamplingRateBoost: { MaxRate: 1, CooldownWindowMinutes: 5 },
    });
  });

  test.each([
    [{ priority: 0 }, /priority must be a whole number from 1 to 9999 \(got 0\)/],
    [{ priority: 10000 }, /priority must be a whole number from 1 to 9999 \(got 10000\)/],
    [{ priority: 1.5 }, /priority must be a whole number/],
    [{ priority: 1, fixedRate: SamplingRate.percent(500) }, /fixedRate must be between 0 and 1 \(got 5\)\. Pass SamplingRate.percent\(5\) for 5%\./],
    [{ priority: 1, fixedRate: SamplingRate.ratio(-0.1) }, /fixedRate must be between 0 and 1 \(got -0.1\)/],
    [{ priority: 1, reservoirSize: -1 }, /reservoirSize must be a whole number of requests per second, 0 or more \(got -1\)/],
    [{ priority: 1, reservoirSize: 0.5 }, /reservoirSize must be a whole number/],
    [{ priority: 1, samplingRuleName: '' }, /samplingRuleName must be 1 to 32 characters long \(got ""\)/],
    [{ priority: 1, samplingRuleName: 'x'.repeat(33) }, /samplingRuleName must be 1 to 32 characters long/],
    [{ priority: 1, serviceName: 's'.repeat(65) }, /serviceName must be at most 64 characters long/],
    [{ priority: 1, serviceType: 't'.repeat(65) }, /serviceType must be at most 64 characters long/],
    [{ priority: 1, host: 'h'.repeat(65) }, /host must be at most 64 characters long/],
    [{ priority: 1, httpMethod: 'PROPPATCHXX' }, /httpMethod must be at most 10 characters long/],
    [{ priority: 1, urlPath: '/'.repeat(129) }, /urlPath must be at most 128 characters long/],
    [{ priority: 1, resourceArn: 'a'.repeat(501) }, /resourceArn must be at most 500 characters long/],
    [{ priority: 1, attributes: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, /attributes may hold at most 5 entries \(got 6\)/],
    [{ priority: 1, attributes: { ['k'.repeat(33)]: 'v' } }, /attributes key "k{33}" must be 1 to 32 characters long/],
    [{ priority: 1, attributes: { k: '' } }, /attributes\["k"\] must be 1 to 32 characters long \(got ""\)/],
    [{ priority: 1, samplingRateBoost: { maxRate: SamplingRate.ratio(2), cooldown: Duration.minutes(1) } }, /samplingRateBoost.maxRate must be between 0 and 1/],
    [{ priority: 1, samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.seconds(30) } }, /samplingRateBoost.cooldown must be a whole number of minutes, at least 1 \(got "30 seconds"\)/],
    [{ priority: 1, samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.seconds(90) } }, /samplingRateBoost.cooldown must be a whole number of minutes/],
    [{ priority: 1, fixedRate: SamplingRate.percent(50), samplingRateBoost: { maxRate: SamplingRate.percent(10), cooldown: Duration.minutes(1) } },
      /samplingRateBoost.maxRate must not be below the fixed rate \(SamplingRate.percent\(50\)\)/],
  ])('bad value %#: %p', (props, message) => {
    expect(errorOf(() => new SamplingRule(newStack(), 'Rule', props as any))).toMatch(message);
  });

  test('errors name the path and are reported together', () => {
    const message = errorOf(() => new SamplingRule(newStack(), 'Rule', { priority: 0, reservoirSize: -1, host: 'h'.repeat(65) }));
    expect(message).toMatch(/^3 problems:/);
    expect(message).toContain('[Stack/Rule] priority');
  });

  test('boundaries pass: priority 1 and 9999, rate 0 and 1, reservoir 0, names of 1 and 32, matcher limits, 5 attributes of 32', () => {
    const stack = newStack();
    new SamplingRule(stack, 'A', { priority: 1, fixedRate: SamplingRate.none(), reservoirSize: 0, samplingRuleName: 'a' });
    new SamplingRule(stack, 'B', {
      priority: 9999,
      fixedRate: SamplingRate.all(),
      samplingRuleName: 'b'.repeat(32),
      serviceName: 's'.repeat(64),
      serviceType: 't'.repeat(64),
      host: 'h'.repeat(64),
      httpMethod: 'M'.repeat(10),
      urlPath: '/'.repeat(128),
      resourceArn: 'a'.repeat(500),
      attributes: Object.fromEntries(['1', '2', '3', '4', '5'].map(k => [k.repeat(32), 'v'.repeat(32)])),
      samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(1) },
    });
    Template.fromStack(stack).resourceCountIs('AWS::XRay::SamplingRule', 2);
  });

  test('tokens pass everywhere', () => {
    const stack = newStack();
    const n = (name: string) => Token.asNumber({ Ref: name });
    const s = (name: string) => Token.asString({ Ref: name });
    new SamplingRule(stack, 'Rule', {
      priority: n('P'),
      fixedRate: SamplingRate.ratio(n('R')),
      reservoirSize: n('Res'),
      samplingRuleName: s('Name'),
      serviceName: s('S'),
      host: s('H'),
      urlPath: s('U'),
      resourceArn: s('A'),
    });
    expect(rule(stack)).toMatchObject({ Priority: { Ref: 'P' }, FixedRate: { Ref: 'R' }, ReservoirSize: { Ref: 'Res' }, RuleName: { Ref: 'Name' } });
  });

  test('a status-code attribute draws the head-sampling warning', () => {
    const stack = newStack();
    new SamplingRule(stack, 'Rule', { priority: 1, attributes: { 'http.status_code': '500' } });
    const warnings = warningsMatching(stack, 'looks like a response status');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/samplingRateBoost \(adaptive sampling\) or tail sampling/);
  });

  test('rules the SDKs ignore draw a warning (resource ARN, attributes); * does not', () => {
    const stack = newStack();
    new SamplingRule(stack, 'Arn', { priority: 1, resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a/stages/p' });
    new SamplingRule(stack, 'Attr', { priority: 2, attributes: { 'x-debug': 'on' } });
    new SamplingRule(stack, 'Plain', { priority: 3, resourceArn: '*' });
    const warnings = warningsMatching(stack, 'SDKs and the OpenTelemetry X-Ray sampler ignore this rule');
    expect(warnings).toHaveLength(2);
    expect(warningsMatching(stack, 'looks like a response status')).toHaveLength(0);
  });

  test('two rules with one priority in the same account and region draw a warning, across stacks; other regions do not', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const a = new Stack(app, 'A', { env });
    const b = new Stack(app, 'B', { env });
    const c = new Stack(app, 'C', { env: { ...env, region: 'us-east-1' } });
    new SamplingRule(a, 'First', { priority: 100 });
    new SamplingRule(b, 'Second', { priority: 100 });
    new SamplingRule(c, 'Elsewhere', { priority: 100 });
    const warnings = warningsMatching(b, 'Priority 100 is also used by A/First in account/region 111111111111/eu-west-1');
    expect(warnings).toHaveLength(1);
    expect(warningsMatching(c, 'is also used')).toHaveLength(0);
  });

  test('the 26th rule in one account and region draws the quota warning', () => {
    const stack = newStack();
    for (let i = 1; i <= 26; i++) {
      new SamplingRule(stack, `R${i}`, { priority: i });
    }
    const warnings = warningsMatching(stack, 'more than 25 sampling rules');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('L-8C0C998A');
  });

  test('grants use the rule\'s exact ARN', () => {
    const stack = newStack();
    const r = new SamplingRule(stack, 'Rule', { priority: 1 });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    r.grantUpdate(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'xray:UpdateSamplingRule', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Rule'), 'RuleARN'] } }] },
    });
  });

  test('imports by name and by ARN', () => {
    const stack = newStack('eu-west-1');
    const byName = SamplingRule.fromSamplingRuleName(stack, 'ByName', 'checkout');
    expect(stack.resolve(byName.samplingRuleArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':xray:eu-west-1:111111111111:sampling-rule/checkout']],
    });
    const byArn = SamplingRule.fromSamplingRuleArn(stack, 'ByArn', 'arn:aws:xray:eu-west-1:111111111111:sampling-rule/debug');
    expect(byArn.samplingRuleName).toBe('debug');
    expect(() => SamplingRule.fromSamplingRuleArn(stack, 'Bad', 'arn:aws:xray:eu-west-1:111111111111:group/x/y'))
      .toThrow(/\[Stack\/Bad\] samplingRuleArn is not a sampling-rule ARN/);
  });
});
