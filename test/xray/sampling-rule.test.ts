import { App, Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectCase, expectCompleteTable, numberToken, stringToken, ValidationCase } from './util';
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

  test('a percentage cannot be a token (the error names SamplingRate.percent); a ratio can', () => {
    expect(() => SamplingRate.percent(Token.asNumber({ Ref: 'P' }))).toThrow(/^\[SamplingRate\.percent\] percent cannot be a token.*Pass SamplingRate.ratio\(token\)/);
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

  test('errors name the path and are reported together', () => {
    const message = errorOf(() => new SamplingRule(newStack(), 'Rule', { priority: 0, reservoirSize: -1, host: 'h'.repeat(65) }));
    expect(message).toMatch(/^3 problems:/);
    expect(message).toContain('[Stack/Rule] priority');
  });

  test('missing props are a house error, not a TypeError', () => {
    expect(errorOf(() => new SamplingRule(newStack(), 'Rule', undefined as any))).toBe('[Stack/Rule] props are required (got undefined). Pass at least { priority: 100 }.');
  });

  test('a rule named Default is refused: every account has that rule', () => {
    // GIVEN / WHEN
    const message = errorOf(() => new SamplingRule(newStack(), 'Rule', { priority: 1, samplingRuleName: 'Default' }));
    // THEN
    expect(message).toMatch(/^\[Stack\/Rule\] samplingRuleName is the name of the rule X-Ray creates in every account \(priority 10000\) \(got "Default"\)\. Choose another name/);
  });

  test('two rules with one name in one account and region fail synthesis, across stacks, naming the first', () => {
    // GIVEN
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new SamplingRule(new Stack(app, 'A', { env }), 'First', { priority: 1, samplingRuleName: 'checkout' });
    new SamplingRule(new Stack(app, 'B', { env }), 'Second', { priority: 2, samplingRuleName: 'checkout' });
    new SamplingRule(new Stack(app, 'C', { env: { ...env, region: 'us-east-1' } }), 'Elsewhere', { priority: 1, samplingRuleName: 'checkout' });
    // WHEN
    const message = errorOf(() => app.synth());
    // THEN
    expect(message).toContain('[B/Second] samplingRuleName is already used by A/First in account/region 111111111111/eu-west-1 (got "checkout"). ' +
      'Sampling rule names are unique per account and region');
    expect(message).not.toContain('[A/First] samplingRuleName');
    expect(message).not.toContain('C/Elsewhere');
  });

  test('environment-agnostic stacks count as one environment for rule names', () => {
    const app = new App();
    new SamplingRule(new Stack(app, 'A'), 'R', { priority: 1, samplingRuleName: 'debug' });
    new SamplingRule(new Stack(app, 'B'), 'R', { priority: 2, samplingRuleName: 'debug' });
    expect(errorOf(() => app.synth())).toContain('[B/R] samplingRuleName is already used by A/R in the environment-agnostic stacks of this app');
  });

  test('tags are checked against X-Ray\'s limits at synthesis, including those Tags.of() applies', () => {
    // GIVEN
    const stack = newStack();
    new SamplingRule(stack, 'Rule', { priority: 1 });
    for (let i = 0; i < 51; i++) {
      Tags.of(stack).add(`k${i}`, 'v');
    }
    Tags.of(stack).add('aws:team', 'x');
    // WHEN
    const message = errorOf(() => Template.fromStack(stack));
    // THEN
    expect(message).toContain('[Stack/Rule] tags hold more than the 50 tags X-Ray allows on a resource (got 52)');
    expect(message).toContain('tags key "aws:team" uses the prefix aws:, which is reserved for AWS');
  });

  test('an ARN that is not an ARN is refused with the path, not by aws-cdk-lib\'s parser', () => {
    expect(errorOf(() => SamplingRule.fromSamplingRuleArn(newStack(), 'Bad', 'checkout')))
      .toMatch(/^\[Stack\/Bad\] samplingRuleArn is not a sampling-rule ARN \(got "checkout"\)\. Pass an ARN such as/);
  });

  test('a missing boost cooldown or a rate that is not a SamplingRate is a house error, not a TypeError', () => {
    expect(errorOf(() => new SamplingRule(newStack(), 'R', { priority: 1, samplingRateBoost: { maxRate: SamplingRate.all() } as any })))
      .toMatch(/^\[Stack\/R\] samplingRateBoost.cooldown is required and must be a Duration \(got undefined\)/);
    expect(errorOf(() => new SamplingRule(newStack(), 'R', { priority: 1, fixedRate: 0.5 as any })))
      .toMatch(/^\[Stack\/R\] fixedRate must be a SamplingRate \(got 0.5\)/);
  });

  test('grants to a service principal are refused instead of granting nothing', () => {
    const stack = newStack();
    const granted = new SamplingRule(stack, 'Rule', { priority: 1 });
    expect(() => granted.grantUpdate(new iam.ServicePrincipal('lambda.amazonaws.com')))
      .toThrow(/^\[Stack\/Rule\] grantee of grant\(\) is the service principal lambda.amazonaws.com, which holds no IAM policy/);
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

describe('SamplingRule validation table', () => {
  const p = (extra: object) => (stack: Stack) => new SamplingRule(stack, 'Rule', { priority: 1, ...extra } as any);
  const str = (id: string) => (stack: Stack) => new SamplingRule(stack, 'Rule', { priority: 1, [id]: stringToken(stack, id) } as any);
  const five = (key: number, value: number) => Object.fromEntries([1, 2, 3, 4, 5].map(i => [String(i).repeat(key), 'v'.repeat(value)]));
  const rows: ValidationCase[] = [
    ['samplingRuleName', 'bad', p({ samplingRuleName: 'Default' }), /samplingRuleName is the name of the rule X-Ray creates/],
    ['samplingRuleName', 'bad', p({ samplingRuleName: '' }), /samplingRuleName must be 1 to 32 characters long \(got ""\)/],
    ['samplingRuleName', 'boundary', p({ samplingRuleName: 'n'.repeat(32) }), undefined],
    ['samplingRuleName', 'boundary', p({ samplingRuleName: 'n'.repeat(33) }), /samplingRuleName must be 1 to 32 characters long/],
    ['samplingRuleName', 'token', str('samplingRuleName'), undefined],
    ['priority', 'bad', p({ priority: 1.5 }), /priority must be a whole number from 1 to 9999 \(got 1.5\)/],
    ['priority', 'boundary', p({ priority: 1 }), undefined],
    ['priority', 'boundary', p({ priority: 0 }), /priority must be a whole number from 1 to 9999 \(got 0\)/],
    ['priority', 'boundary', p({ priority: 9999 }), undefined],
    ['priority', 'boundary', p({ priority: 10000 }), /priority must be a whole number from 1 to 9999 \(got 10000\)/],
    ['priority', 'token', s => new SamplingRule(s, 'Rule', { priority: numberToken(s, 'P') }), undefined],
    ['fixedRate', 'bad', p({ fixedRate: SamplingRate.percent(500) }), /fixedRate must be between 0 and 1 \(got 5\)\. Pass SamplingRate.percent\(5\) for 5%\./],
    ['fixedRate', 'bad', p({ fixedRate: SamplingRate.ratio(Number.NaN) }), /fixedRate must be between 0 and 1 \(got NaN\)/],
    ['fixedRate', 'boundary', p({ fixedRate: SamplingRate.all() }), undefined],
    ['fixedRate', 'boundary', p({ fixedRate: SamplingRate.ratio(1.01) }), /fixedRate must be between 0 and 1 \(got 1.01\)/],
    ['fixedRate', 'boundary', p({ fixedRate: SamplingRate.none() }), undefined],
    ['fixedRate', 'boundary', p({ fixedRate: SamplingRate.ratio(-0.01) }), /fixedRate must be between 0 and 1 \(got -0.01\)/],
    ['fixedRate', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, fixedRate: SamplingRate.ratio(numberToken(s, 'R')) }), undefined],
    ['reservoirSize', 'bad', p({ reservoirSize: 0.5 }), /reservoirSize must be a whole number of requests per second/],
    ['reservoirSize', 'boundary', p({ reservoirSize: 0 }), undefined],
    ['reservoirSize', 'boundary', p({ reservoirSize: -1 }), /reservoirSize must be a whole number of requests per second from 0 to 2147483647 \(got -1\)/],
    ['reservoirSize', 'boundary', p({ reservoirSize: 2147483647 }), undefined],
    ['reservoirSize', 'boundary', p({ reservoirSize: 2147483648 }), /reservoirSize must be a whole number .* \(got 2147483648\)/],
    ['reservoirSize', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, reservoirSize: numberToken(s, 'Res') }), undefined],
    ...(['serviceName', 'serviceType', 'host', 'httpMethod', 'urlPath', 'resourceArn'] as const).flatMap((prop): ValidationCase[] => {
      const max = { serviceName: 64, serviceType: 64, host: 64, httpMethod: 10, urlPath: 128, resourceArn: 500 }[prop];
      return [
        [prop, 'bad', p({ [prop]: 42 }), new RegExp(`${prop} must be at most ${max} characters long \\(got 42\\)`)],
        [prop, 'boundary', p({ [prop]: 'x'.repeat(max) }), undefined],
        [prop, 'boundary', p({ [prop]: 'x'.repeat(max + 1) }), new RegExp(`${prop} must be at most ${max} characters long`)],
        [prop, 'token', str(prop), undefined],
      ];
    }),
    ['attributes', 'bad', p({ attributes: 'x-debug=on' }), /attributes must be a map of attribute names to values/],
    ['attributes', 'bad', p({ attributes: { k: '' } }), /attributes\["k"\] must be 1 to 32 characters long \(got ""\)/],
    ['attributes', 'boundary', p({ attributes: five(32, 32) }), undefined],
    ['attributes', 'boundary', p({ attributes: { ...five(1, 1), 6: 'v' } }), /attributes may hold at most 5 entries \(got 6\)/],
    ['attributes', 'boundary', p({ attributes: { ['k'.repeat(33)]: 'v' } }), /attributes key "k{33}" must be 1 to 32 characters long/],
    ['attributes', 'boundary', p({ attributes: { k: 'v'.repeat(33) } }), /attributes\["k"\] must be 1 to 32 characters long/],
    ['attributes', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, attributes: { k: stringToken(s, 'V') } }), undefined],
    ['samplingRateBoost.maxRate', 'bad', p({ samplingRateBoost: { maxRate: 1, cooldown: Duration.minutes(1) } }), /samplingRateBoost.maxRate must be a SamplingRate \(got 1\)/],
    ['samplingRateBoost.maxRate', 'bad', p({ fixedRate: SamplingRate.percent(50), samplingRateBoost: { maxRate: SamplingRate.percent(10), cooldown: Duration.minutes(1) } }),
      /samplingRateBoost.maxRate must not be below the fixed rate \(SamplingRate.percent\(50\)\)/],
    ['samplingRateBoost.maxRate', 'boundary', p({ samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(1) } }), undefined],
    ['samplingRateBoost.maxRate', 'boundary', p({ samplingRateBoost: { maxRate: SamplingRate.ratio(1.01), cooldown: Duration.minutes(1) } }), /samplingRateBoost.maxRate must be between 0 and 1/],
    ['samplingRateBoost.maxRate', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, samplingRateBoost: { maxRate: SamplingRate.ratio(numberToken(s, 'M')), cooldown: Duration.minutes(1) } }), undefined],
    ['samplingRateBoost.cooldown', 'bad', p({ samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.seconds(90) } }), /samplingRateBoost.cooldown must be a whole number of minutes, at least 1 \(got "1 minute 30 seconds"\)/],
    ['samplingRateBoost.cooldown', 'bad', p({ samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: 5 } }), /samplingRateBoost.cooldown is required and must be a Duration \(got 5\)/],
    ['samplingRateBoost.cooldown', 'bad', s => new SamplingRule(s, 'Rule', { priority: 1, samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.seconds(numberToken(s, 'C')) } }),
      /^\[Stack\/Rule\] samplingRateBoost.cooldown must be given in minutes when it is a token \(CloudFormation cannot convert units\)/],
    ['samplingRateBoost.cooldown', 'boundary', p({ samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(1) } }), undefined],
    ['samplingRateBoost.cooldown', 'boundary', p({ samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.seconds(59) } }), /samplingRateBoost.cooldown must be a whole number of minutes, at least 1 \(got "59 seconds"\)/],
    ['samplingRateBoost.cooldown', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(numberToken(s, 'C')) } }), undefined],
    ['tags', 'bad', s => { new SamplingRule(s, 'Rule', { priority: 1 }); Tags.of(s).add('aws:x', 'v'); }, /tags key "aws:x" uses the prefix aws:/],
    ['tags', 'boundary', s => { new SamplingRule(s, 'Rule', { priority: 1 }); for (let i = 0; i < 50; i++) Tags.of(s).add(`k${i}`.padEnd(128, 'k'), 'v'.repeat(256)); }, undefined],
    ['tags', 'boundary', s => { new SamplingRule(s, 'Rule', { priority: 1 }); for (let i = 0; i < 51; i++) Tags.of(s).add(`k${i}`, 'v'); }, /tags hold more than the 50 tags X-Ray allows on a resource \(got 51\)/],
    ['tags', 'boundary', s => { new SamplingRule(s, 'Rule', { priority: 1 }); Tags.of(s).add('k'.repeat(129), 'v'); }, /must be 1 to 128 characters long \(got 129\)/],
    ['tags', 'boundary', s => { new SamplingRule(s, 'Rule', { priority: 1 }); Tags.of(s).add('k', 'v'.repeat(257)); }, /tags\["k"\] must be at most 256 characters long \(got 257\)/],
    ['tags', 'token', s => { new SamplingRule(s, 'Rule', { priority: 1 }); Tags.of(s).add('team', stringToken(s, 'Team')); }, undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});

describe('SamplingRate validation table', () => {
  // A rate is checked where it is used, so the error names the construct and the prop.
  const used = (rate: () => SamplingRate) => (s: Stack) => new SamplingRule(s, 'Rule', { priority: 1, fixedRate: rate() });
  const rows: ValidationCase[] = [
    ['percent', 'bad', used(() => SamplingRate.percent(Number.POSITIVE_INFINITY)), /^\[Stack\/Rule\] fixedRate must be between 0 and 1 \(got Infinity\)/],
    ['percent', 'boundary', used(() => SamplingRate.percent(100)), undefined],
    ['percent', 'boundary', used(() => SamplingRate.percent(100.5)), /fixedRate must be between 0 and 1 \(got 1.005\)\. Pass SamplingRate.percent\(1.005\)/],
    // A percentage must be divided by 100 at synthesis, which CloudFormation cannot do: the token goes through ratio().
    ['percent', 'token', s => SamplingRate.percent(numberToken(s, 'P')), /^\[SamplingRate\.percent\] percent cannot be a token: .* \(got <token>\)\. Pass SamplingRate.ratio\(token\)/],
    ['ratio', 'bad', used(() => SamplingRate.ratio('0.5' as any)), /fixedRate must be between 0 and 1 \(got "0.5"\)/],
    ['ratio', 'boundary', used(() => SamplingRate.ratio(0)), undefined],
    ['ratio', 'boundary', used(() => SamplingRate.ratio(-1e-9)), /fixedRate must be between 0 and 1 \(got -1e-9\)/],
    ['ratio', 'token', s => new SamplingRule(s, 'Rule', { priority: 1, fixedRate: SamplingRate.ratio(numberToken(s, 'R')) }), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
