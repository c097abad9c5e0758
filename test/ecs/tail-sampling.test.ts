import { Duration, Token } from 'aws-cdk-lib';
import { checkCase, countCases, ValidationCase } from './util';
import { AdotCollectorConfig, SamplingRate, TailSamplingPolicy } from '../../src';

/** The rendered configuration with one policy (plus keepErrors, so a policy list is never empty). */
const withPolicy = (policy: () => TailSamplingPolicy) => () => new AdotCollectorConfig({ tailSampling: { policies: [policy()] } }).render();

/** Every validated value of the tail-sampling policies. */
const POLICY_CASES: ValidationCase[] = [
  ['keepSlowerThan.threshold', 'bad', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.millis(0))),
    { error: /^\[AdotCollectorConfig\] tailSampling.policies keepSlowerThan\(0 millis\) needs a whole number of milliseconds above 0 \(got 0\)\. Use Duration.millis\(n\)/ }],
  ['keepSlowerThan.threshold', 'boundary', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.millis(1))), { output: /latency:\n {10}threshold_ms: 1\n/ }],
  ['keepSlowerThan.threshold', 'boundary', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.millis(1.5))), { error: /needs a whole number of milliseconds above 0 \(got 1.5\)/ }],
  ['keepSlowerThan.threshold', 'token', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.seconds(Token.asNumber({ Ref: 'Slow' })))),
    { output: /threshold_ms: \$\{Token\[TOKEN\.\d+\]\}e3\n/ }],
  ['keepSlowerThan.threshold', 'token', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.millis(Token.asNumber({ Ref: 'Slow' })))),
    { output: /threshold_ms: \$\{Token\[TOKEN\.\d+\]\}\n/ }],
  ['keepSlowerThan.threshold', 'bad', withPolicy(() => TailSamplingPolicy.keepSlowerThan(Duration.minutes(Token.asNumber({ Ref: 'Slow' })))),
    { error: /keepSlowerThan\(<token>\) needs a token threshold in milliseconds or seconds \(got "minutes"\)/ }],
  ['baseline.rate', 'bad', withPolicy(() => TailSamplingPolicy.baseline(SamplingRate.ratio(-0.1))), { error: /baseline\(SamplingRate.ratio\(-0.1\)\) needs a rate between 0 and 1 \(got -0.1\)/ }],
  ['baseline.rate', 'boundary', withPolicy(() => TailSamplingPolicy.baseline(SamplingRate.percent(100))), { output: /sampling_percentage: 100\n/ }],
  ['baseline.rate', 'boundary', withPolicy(() => TailSamplingPolicy.baseline(SamplingRate.none())), { output: /sampling_percentage: 0\n/ }],
  ['baseline.rate', 'boundary', withPolicy(() => TailSamplingPolicy.baseline(SamplingRate.ratio(1.001))), { error: /needs a rate between 0 and 1 \(got 1.001\)/ }],
  ['baseline.rate', 'token', withPolicy(() => TailSamplingPolicy.baseline(SamplingRate.ratio(Token.asNumber({ Ref: 'Rate' })))),
    { output: /sampling_percentage: \$\{Token\[TOKEN\.\d+\]\}e2\n/ }],
];

describe('TailSamplingPolicy: validation table', () => {
  test.each(POLICY_CASES)('%s: %s case %#', (_prop, _kind, build, outcome) => checkCase(build, outcome));
  test('the table covers every validated value', () => {
    expect(countCases(POLICY_CASES)).toEqual({ props: 2, bad: 3, boundary: 5, token: 3 });
  });
  test('keepErrors renders the status-code policy', () => {
    expect(withPolicy(() => TailSamplingPolicy.keepErrors())()).toContain('- name: "keep-errors"\n        type: "status_code"\n        status_code:\n          status_codes:\n            - "ERROR"\n');
  });
});
