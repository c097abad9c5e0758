import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { cloudFormationValidateWarnings } from './util';
import {
  FilterExpression, FilterFlag, NumberKeyword, NumberOperator, SamplingRate, SamplingRule, SnsTracing, TraceGroup, TransactionSearch,
  XRayEncryption, XRayGrants, XRayResourcePolicy, XRayWritePolicy,
} from '../../src';

/** aws-cdk-lib 2.262 and later run their own CloudFormation validation on every synthesis. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = require('aws-cdk-lib/package.json').version as string;
const VALIDATES = Number(VERSION.split('.')[1]) >= 262;

function app(build: (stack: Stack) => void): App {
  const a = new App();
  build(new Stack(a, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } }));
  return a;
}

const role = (s: Stack, id = 'Role') => new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

// Each construct with its defaults and at the limits its validation accepts.
const CONSTRUCTS: Array<[string, (stack: Stack) => void]> = [
  ['SamplingRule (defaults)', s => { new SamplingRule(s, 'Rule', { priority: 1 }); }],
  ['SamplingRule (limits)', s => {
    new SamplingRule(s, 'Rule', {
      samplingRuleName: 'n'.repeat(32),
      priority: 9999,
      fixedRate: SamplingRate.all(),
      reservoirSize: 2147483647,
      serviceName: 's'.repeat(64),
      serviceType: 't'.repeat(64),
      host: 'h'.repeat(64),
      httpMethod: 'M'.repeat(10),
      urlPath: '/'.repeat(128),
      resourceArn: 'a'.repeat(500),
      attributes: Object.fromEntries(['1', '2', '3', '4', '5'].map(k => [k.repeat(32), 'v'.repeat(32)])),
      samplingRateBoost: { maxRate: SamplingRate.all(), cooldown: Duration.minutes(1) },
    });
    new SamplingRule(s, 'Lowest', { priority: 1, fixedRate: SamplingRate.none(), reservoirSize: 0, samplingRuleName: 'a' });
  }],
  ['TraceGroup and FilterExpression', s => {
    new TraceGroup(s, 'Group', {
      groupName: 'g'.repeat(32),
      filterExpression: FilterExpression.service('checkout', FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2)),
      insights: true,
      insightNotifications: true,
    }).onInsight('OnInsight', { description: 'd'.repeat(512) });
    new TraceGroup(s, 'Plain', { groupName: 'a', filterExpression: FilterExpression.flag(FilterFlag.FAULT) }).addTraceCountAlarm('Alarm', 0, 1);
  }],
  ['XRayResourcePolicy and SnsTracing', s => {
    new XRayResourcePolicy(s, 'Policy', { policyName: `${'p'.repeat(121)}_+=,.@-` });
    SnsTracing.enable(new sns.Topic(s, 'Topic'));
  }],
  ['TransactionSearch (0 and 100)', s => {
    new TransactionSearch(s, 'Search', { indexingPercentage: 100 });
    new TransactionSearch(new Stack(s.node.root as App, 'Other', { env: { account: '111111111111', region: 'us-east-1' } }), 'Search', { indexingPercentage: 0 });
  }],
  ['TransactionSearch (spans key)', s => {
    new TransactionSearch(s, 'Search', { spansLogGroupEncryptionKey: new kms.Key(s, 'Key', { enableKeyRotation: true }) });
  }],
  ['XRayEncryption', s => { new XRayEncryption(s, 'Encryption'); }],
  ['XRayWritePolicy and XRayGrants', s => {
    const r = role(s);
    XRayGrants.write(r);
    XRayGrants.read(r);
    XRayWritePolicy.of(s).attachSamplingReadsTo(r, s);
    XRayGrants.samplingRuleAdmin(r, [new SamplingRule(s, 'Rule', { priority: 1 })]);
    XRayGrants.groupAdmin(r, [new TraceGroup(s, 'Group', { groupName: 'g', filterExpression: FilterExpression.flag(FilterFlag.ERROR) })]);
  }],
];

describe('aws-cdk-lib\'s CloudFormation validation finds nothing in what the constructs make', () => {
  test('the check reads the validation report: a raw rule out of range is reported (2.262 and later)', () => {
    // GIVEN
    const raw = app(s => new CfnSamplingRule(s, 'Raw', {
      samplingRule: { priority: 0, fixedRate: 5, reservoirSize: 1, serviceName: '*', serviceType: '*', host: '*', httpMethod: '*', urlPath: '*', resourceArn: '*', version: 1 },
    }));
    // WHEN
    const warnings = cloudFormationValidateWarnings(raw);
    // THEN
    if (VALIDATES) {
      expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^CloudFormation-Validate::F30\d\d Stack\/Raw: SamplingRule.Priority/)]));
    } else {
      expect(warnings).toEqual([]);
    }
  });

  test.each(CONSTRUCTS)('%s: no CloudFormation-Validate warning', (_name, build) => {
    expect(cloudFormationValidateWarnings(app(build))).toEqual([]);
  });
});
