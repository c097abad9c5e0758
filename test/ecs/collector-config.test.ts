import { Duration, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ALL_TAIL_SAMPLING, checkCase, collectorConfig, countCases, IMAGE, ValidationCase } from './util';
import {
  AdotCollectorConfig, AdotCollectorConfigOptions, AnnotationPolicy, Cardinality, ContainerInstrumentation, SamplingRate, TailSamplingPolicy,
  TraceCollector,
  TracedFargateTaskDefinition,
} from '../../src';
import { toYaml } from '../../src/private/yaml';
import { newStack } from '../util';

describe('AdotCollectorConfig', () => {
  test('defaults: OTLP in, memory_limiter, sensitive attributes removed, batch, awsxray out indexing nothing, health_check, sampling proxy', () => {
    expect(new AdotCollectorConfig().render()).toBe(`extensions:
  health_check:
    endpoint: "127.0.0.1:13133"
  awsproxy:
    endpoint: "127.0.0.1:2000"
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: "127.0.0.1:4317"
      http:
        endpoint: "127.0.0.1:4318"
processors:
  memory_limiter:
    check_interval: "1s"
    limit_percentage: 80
    spike_limit_percentage: 25
  attributes/sensitive:
    actions:
      - key: "http.request.header.authorization"
        action: "delete"
      - key: "http.request.header.proxy_authorization"
        action: "delete"
      - key: "http.request.header.cookie"
        action: "delete"
      - key: "http.request.header.x_api_key"
        action: "delete"
      - key: "http.response.header.set_cookie"
        action: "delete"
      - key: "user.email"
        action: "delete"
      - key: "enduser.id"
        action: "delete"
      - key: "aws.auth.account.access_key"
        action: "delete"
  batch/traces:
    timeout: "1000ms"
    send_batch_size: 50
exporters:
  awsxray:
    index_all_attributes: false
    indexed_attributes: []
service:
  extensions:
    - "health_check"
    - "awsproxy"
  pipelines:
    traces:
      receivers:
        - "otlp"
      processors:
        - "memory_limiter"
        - "attributes/sensitive"
        - "batch/traces"
      exporters:
        - "awsxray"
`);
  });

  test('tail sampling renders its three policy kinds; the X-Ray receiver replaces the proxy extension', () => {
    const yaml = new AdotCollectorConfig({
      xraySdkReceiver: true,
      removeSensitiveAttributes: false,
      tailSampling: ALL_TAIL_SAMPLING,
    }).render();
    expect(yaml).toContain(`  tail_sampling:
    decision_wait: "20s"
    num_traces: 1000
    policies:
      - name: "keep-errors"
        type: "status_code"
        status_code:
          status_codes:
            - "ERROR"
      - name: "keep-slow"
        type: "latency"
        latency:
          threshold_ms: 1500
      - name: "baseline"
        type: "probabilistic"
        probabilistic:
          sampling_percentage: 5`);
    expect(yaml).toContain(`  awsxray:
    endpoint: "127.0.0.1:2000"
    transport: "udp"
    proxy_server:
      endpoint: "127.0.0.1:2000"`);
    expect(yaml).not.toContain('awsproxy');
    expect(yaml).not.toContain('attributes/sensitive');
    expect(yaml).toMatch(/processors:\n {8}- "memory_limiter"\n {8}- "tail_sampling"\n {8}- "batch\/traces"/);
  });

  test('indexed_attributes are exactly the keys declared on the task, its containers and the config', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', {
      annotationKeys: ['tenant_tier'],
      collector: TraceCollector.adot({ config: new AdotCollectorConfig({ annotationKeys: ['region_code', 'tenant_tier'] }) }),
    });
    task.addTracedContainer('A', { image: IMAGE, annotationKeys: ['order_kind'] });
    task.addTracedContainer('B', { image: IMAGE, instrumentation: ContainerInstrumentation.xraySdk(), annotationKeys: ['order_kind', 'route'] });
    const yaml = collectorConfig(stack);
    expect(yaml).toContain('indexed_attributes:\n      - "region_code"\n      - "tenant_tier"\n      - "order_kind"\n      - "route"\n');
    expect(yaml).toContain('index_all_attributes: false');
    expect(yaml).toContain('transport: "udp"');
  });

  test('a task\'s sidecar gets the resourcedetection processor with the env and ecs detectors, after memory_limiter', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task');
    task.addTracedContainer('A', { image: IMAGE });
    const yaml = collectorConfig(stack);
    expect(yaml).toContain('  resourcedetection:\n    detectors:\n      - "env"\n      - "ecs"\n    timeout: "2s"\n    override: false\n    ecs:\n' +
      '      resource_attributes:\n        aws.log.group.arns:\n          enabled: false\n        aws.log.group.names:\n          enabled: false\n' +
      '        aws.log.stream.arns:\n          enabled: false\n        aws.log.stream.names:\n          enabled: false\n');
    expect(yaml).toMatch(/processors:\n {8}- "memory_limiter"\n {8}- "resourcedetection"\n {8}- "attributes\/sensitive"\n {8}- "batch\/traces"/);
  });

  test('resourceDetection: false leaves it out; render() knows no platform and leaves it out too', () => {
    const stack = newStack();
    const task = new TracedFargateTaskDefinition(stack, 'Task', {
      collector: TraceCollector.adot({ config: new AdotCollectorConfig({ resourceDetection: false }) }),
    });
    task.addTracedContainer('A', { image: IMAGE });
    expect(collectorConfig(stack)).not.toContain('resourcedetection');
    expect(new AdotCollectorConfig({ resourceDetection: true }).render('us-east-1')).not.toContain('resourcedetection');
  });

  test('with an annotation policy, only the keys it allows are indexed', () => {
    const policy = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] });
    const yaml = new AdotCollectorConfig({ annotationKeys: ['tenant_tier', 'user_email', 'order_kind'], annotationPolicy: policy }).render('us-east-1');
    expect(yaml).toContain('indexed_attributes:\n      - "tenant_tier"\n');
    expect(yaml).not.toContain('user_email');
    expect(yaml).not.toContain('order_kind');
  });

  test('additional sensitive attributes are removed too', () => {
    const yaml = new AdotCollectorConfig({ additionalSensitiveAttributes: ['http.request.header.x_session'] }).render();
    expect(yaml).toContain('- key: "http.request.header.x_session"\n        action: "delete"');
  });

  test('a configuration over 4 KB goes to an Advanced parameter; a small one to Standard', () => {
    const small = newStack();
    new TracedFargateTaskDefinition(small, 'Task').addContainer('App', { image: IMAGE });
    Template.fromStack(small).hasResourceProperties('AWS::SSM::Parameter', { Tier: 'Standard', Type: 'String' });
    const big = newStack();
    new TracedFargateTaskDefinition(big, 'Task', {
      collector: TraceCollector.adot({
        config: new AdotCollectorConfig({
          additionalSensitiveAttributes: Array.from({ length: 80 }, (_, i) => `http.request.header.x_custom_secret_${i}`),
        }),
      }),
    }).addContainer('App', { image: IMAGE });
    Template.fromStack(big).hasResourceProperties('AWS::SSM::Parameter', { Tier: 'Advanced' });
  });

  test.each([
    [{ tailSampling: { policies: [] } }, /tailSampling.policies must hold at least one policy/],
    [{ tailSampling: { policies: [TailSamplingPolicy.keepErrors(), TailSamplingPolicy.keepErrors()] } }, /holds the same kind of policy twice \(got "keep-errors"\)/],
    [{ tailSampling: { policies: [TailSamplingPolicy.keepSlowerThan(Duration.millis(0))] } }, /keepSlowerThan\(0 millis\) needs a whole number of milliseconds above 0/],
    [{ tailSampling: { policies: [TailSamplingPolicy.keepSlowerThan(Duration.millis(0.5))] } }, /needs a whole number of milliseconds above 0 \(got 0.5\)/],
    [{ tailSampling: { policies: [TailSamplingPolicy.baseline(SamplingRate.percent(150))] } }, /baseline\(SamplingRate.percent\(150\)\) needs a rate between 0 and 1 \(got 1.5\)/],
    [{ tailSampling: { policies: [TailSamplingPolicy.keepErrors()], decisionWait: Duration.millis(500) } }, /tailSampling.decisionWait must be at least 1 second/],
    [{ tailSampling: { policies: [TailSamplingPolicy.keepErrors()], numTraces: 0 } }, /tailSampling.numTraces must be a whole number above 0 \(got 0\)/],
    [{ annotationKeys: ['has space'] }, /annotationKeys\[0\] may contain only letters, digits and underscores/],
    [{ additionalSensitiveAttributes: [''] }, /additionalSensitiveAttributes\[0\] must be an attribute key: not empty/],
    [{ batchTimeout: Duration.seconds(0) }, /batchTimeout must be longer than 0/],
  ])('bad option %# is refused', (options, message) => {
    expect(() => new AdotCollectorConfig(options as any).render()).toThrow(message);
  });

  test('boundaries and tokens are rendered: 1 ms threshold, 1 s wait, 1 trace, a token rate, no baseline', () => {
    // GIVEN
    const rate = Token.asNumber({ Ref: 'Rate' });
    // WHEN
    const yaml = new AdotCollectorConfig({
      tailSampling: {
        policies: [TailSamplingPolicy.keepSlowerThan(Duration.millis(1)), TailSamplingPolicy.baseline(SamplingRate.ratio(rate))],
        decisionWait: Duration.seconds(1),
        numTraces: 1,
      },
    }).render();
    const policies = [TailSamplingPolicy.baseline(SamplingRate.none()), TailSamplingPolicy.keepErrors()];
    const none = new AdotCollectorConfig({ tailSampling: { policies } }).render();
    // THEN
    expect(yaml).toContain('    decision_wait: "1s"\n    num_traces: 1\n');
    expect(yaml).toContain('        latency:\n          threshold_ms: 1\n');
    // The processor takes a percentage; CloudFormation cannot multiply, so the token ratio is scaled by the exponent.
    expect(yaml).toMatch(/sampling_percentage: \$\{Token\[TOKEN\.\d+\]\}e2\n/);
    expect(none).toContain('sampling_percentage: 0\n');
    expect(none).toContain('status_codes:\n            - "ERROR"');
  });

  test('a task whose config is invalid fails when tracing is enabled, naming the task', () => {
    // GIVEN
    const stack = newStack();
    const config = new AdotCollectorConfig({ tailSampling: { policies: [] } });
    // WHEN / THEN
    expect(() => new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.adot({ config }) }))
      .toThrow(/^\[Stack\/Task\] tailSampling.policies must hold at least one policy/);
  });

  test('an attribute key YAML cannot hold (an unpaired surrogate) is one house error naming the task, not a Resolution error', () => {
    // GIVEN
    const stack = newStack();
    const config = new AdotCollectorConfig({ additionalSensitiveAttributes: ['a\ud800'] });
    // WHEN
    let message = '';
    try {
      new TracedFargateTaskDefinition(stack, 'Task', { collector: TraceCollector.adot({ config }) }).addContainer('App', { image: IMAGE });
      Template.fromStack(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN
    expect(message).toMatch(/^\[Stack\/Task\] additionalSensitiveAttributes\[0\] must be one line of printable characters: U\+D800 \(unpaired surrogate\) at index 1 \(got "a\\ud800"\)\. List the attribute keys/);
    expect(message).not.toMatch(/Resolution error/);
  });
});

const tail = (extra: object) => ({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()], ...extra } });
const render = (options: AdotCollectorConfigOptions) => () => new AdotCollectorConfig(options).render();

/** Every validated option of AdotCollectorConfig (render() names the config itself, a task names its path). */
const CONFIG_CASES: ValidationCase[] = [
  ['annotationKeys', 'bad', render({ annotationKeys: ['user.email'] }), { error: /^\[AdotCollectorConfig\] annotationKeys\[0\] may contain only letters, digits and underscores \(got "user.email"\)/ }],
  ['annotationKeys', 'boundary', render({ annotationKeys: Array.from({ length: 50 }, (_, i) => `k${i}`) }), { output: /indexed_attributes:\n( {6}- "k\d+"\n){50}service:/ }],
  ['annotationKeys', 'boundary', render({ annotationKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }), { error: /annotationKeys declares more keys than X-Ray indexes per trace \(50\) \(got 51\)/ }],
  ['annotationKeys', 'token', render({ annotationKeys: [Token.asString({ Ref: 'Key' })] }), { output: /indexed_attributes:\n {6}- "\$\{Token\[TOKEN\.\d+\]\}"\n/ }],
  ['additionalSensitiveAttributes', 'bad', render({ additionalSensitiveAttributes: ['a\nb'] }),
    { error: /additionalSensitiveAttributes\[0\] must be one line of printable characters: U\+000A \(line feed\) at index 1 \(got "a\\nb"\)/ }],
  ['additionalSensitiveAttributes', 'boundary', render({ additionalSensitiveAttributes: ['x'] }), { output: /- key: "x"\n {8}action: "delete"/ }],
  ['additionalSensitiveAttributes', 'boundary', render({ additionalSensitiveAttributes: [''] }), { error: /additionalSensitiveAttributes\[0\] must be an attribute key/ }],
  ['additionalSensitiveAttributes', 'token', render({ additionalSensitiveAttributes: [Token.asString({ Ref: 'Attr' })] }), { output: /- key: "\$\{Token\[TOKEN\.\d+\]\}"/ }],
  ['tailSampling.policies', 'bad', render({ tailSampling: { policies: [TailSamplingPolicy.keepErrors(), TailSamplingPolicy.keepErrors()] } }), { error: /tailSampling.policies holds the same kind of policy twice \(got "keep-errors"\)/ }],
  ['tailSampling.policies', 'boundary', render({ tailSampling: { policies: [TailSamplingPolicy.keepErrors()] } }), { output: /policies:\n {6}- name: "keep-errors"\n/ }],
  ['tailSampling.policies', 'boundary', render({ tailSampling: { policies: [] } }), { error: /tailSampling.policies must hold at least one policy \(got \[\]\)/ }],
  ['tailSampling.decisionWait', 'bad', render(tail({ decisionWait: Duration.millis(1500.5) })), { error: /tailSampling.decisionWait must be a whole number of milliseconds/ }],
  ['tailSampling.decisionWait', 'boundary', render(tail({ decisionWait: Duration.seconds(1) })), { output: /decision_wait: "1s"/ }],
  ['tailSampling.decisionWait', 'boundary', render(tail({ decisionWait: Duration.millis(999) })), { error: /tailSampling.decisionWait must be at least 1 second \(got "999 millis"\)/ }],
  ['tailSampling.decisionWait', 'boundary', render(tail({ decisionWait: Duration.millis(1500) })), { output: /decision_wait: "1500ms"/ }],
  ['tailSampling.decisionWait', 'token', render(tail({ decisionWait: Duration.seconds(Token.asNumber({ Ref: 'Wait' })) })), { output: /decision_wait: "\$\{Token\[TOKEN\.\d+\]\}s"/ }],
  ['tailSampling.decisionWait', 'bad', render(tail({ decisionWait: Duration.days(Token.asNumber({ Ref: 'Wait' })) })), { error: /tailSampling.decisionWait cannot be a token in days \(got "days"\)/ }],
  ['tailSampling.numTraces', 'bad', render(tail({ numTraces: 2.5 })), { error: /tailSampling.numTraces must be a whole number above 0 \(got 2.5\)/ }],
  ['tailSampling.numTraces', 'boundary', render(tail({ numTraces: 1 })), { output: /num_traces: 1\n/ }],
  ['tailSampling.numTraces', 'boundary', render(tail({ numTraces: 0 })), { error: /tailSampling.numTraces must be a whole number above 0 \(got 0\)/ }],
  ['tailSampling.numTraces', 'token', render(tail({ numTraces: Token.asNumber({ Ref: 'Traces' }) })), { output: /num_traces: \$\{Token\[TOKEN\.\d+\]\}\n/ }],
  ['batchTimeout', 'bad', render({ batchTimeout: Duration.days(Token.asNumber({ Ref: 'Batch' })) }), { error: /batchTimeout cannot be a token in days \(got "days"\)/ }],
  ['batchTimeout', 'boundary', render({ batchTimeout: Duration.millis(1) }), { output: /timeout: "1ms"/ }],
  ['batchTimeout', 'boundary', render({ batchTimeout: Duration.millis(0) }), { error: /batchTimeout must be longer than 0 \(got "0 millis"\)/ }],
  ['batchTimeout', 'token', render({ batchTimeout: Duration.millis(Token.asNumber({ Ref: 'Batch' })) }), { output: /timeout: "\$\{Token\[TOKEN\.\d+\]\}ms"/ }],
];

describe('AdotCollectorConfig: validation table', () => {
  test.each(CONFIG_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated option', () => {
    expect(countCases(CONFIG_CASES)).toEqual({ props: 6, bad: 7, boundary: 13, token: 5 });
  });
});

describe('the YAML writer', () => {
  test('a string that YAML could read as something else stays one double-quoted string', () => {
    // GIVEN
    const tricky = ['a: b', '# c', '*alias', '&anchor', '!tag', '|', '>', '- item', 'q"uote', 'back\\slash', 'yes', '1e3', 'null', '{x}', '\ufeff\u0085'];
    // WHEN
    const yaml = new AdotCollectorConfig({ removeSensitiveAttributes: false, additionalSensitiveAttributes: tricky.filter(t => t !== '\ufeff\u0085') }).render();
    // THEN
    for (const t of tricky.filter(x => x !== '\ufeff\u0085')) {
      expect(yaml).toContain(`- key: ${JSON.stringify(t)}\n`);
    }
    expect(toYaml({ k: '\ufeff\u2028' })).toBe('k: "\\ufeff\\u2028"\n');
    expect(toYaml({ k: 'a\nb: c # d' })).toBe('k: "a\\nb: c # d"\n');
    expect(toYaml({ k: ['*x', '&y', '!z'] })).toBe('k:\n  - "*x"\n  - "&y"\n  - "!z"\n');
    expect(toYaml({ 'odd key: #': 1 })).toBe('"odd key: #": 1\n');
    expect(() => toYaml({ k: '\ud800' })).toThrow(/unpaired surrogate/);
  });
});
