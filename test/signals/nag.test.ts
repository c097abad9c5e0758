import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApplicationSignalsDiscovery, ServiceLevelIndicator, ServiceLevelObjective, TransactionSearch, XRayChecks } from '../../src';

function findings(plugin: { validateScope(scope: Stack): any }, stack: Stack): string[] {
  return plugin.validateScope(stack).violations.flatMap((v: any) => (v.violatingResources ?? v.violatingConstructs)
    .map((c: any) => `${v.ruleName} ${c.constructPath}`));
}

describe('the account-level signals pass cdk-nag AwsSolutions and XRayChecks', () => {
  test('no finding on Discovery, an SLO with a burn-rate alarm, and Transaction Search with its spans key', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Signals', { env: { account: '111111111111', region: 'eu-west-1' } });
    new ApplicationSignalsDiscovery(stack, 'Discovery');
    new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: new kms.Key(stack, 'SpansKey', { enableKeyRotation: true }) });
    new ServiceLevelObjective(stack, 'Slo', {
      indicator: ServiceLevelIndicator.availability({ service: { name: 'checkout', environment: 'ecs:prod' } }),
    }).addBurnRateAlarm('Fast', { window: Duration.hours(1), threshold: 14.4 });
    // WHEN / THEN
    expect(findings(new AwsSolutionsChecks(app), stack)).toEqual([]);
    // The one XRayChecks finding is the warning that nothing in this app emits the SLO's service.
    expect(findings(new XRayChecks(app), stack)).toEqual(['XRay-SloServiceNotEmitted Signals/Slo/Resource']);
  });

  test('the check can fail: a key without rotation draws AwsSolutions-KMS5', () => {
    const app = new App();
    const stack = new Stack(app, 'Signals', { env: { account: '111111111111', region: 'eu-west-1' } });
    new TransactionSearch(stack, 'Search', { spansLogGroupEncryptionKey: new kms.Key(stack, 'SpansKey') });
    expect(findings(new AwsSolutionsChecks(app), stack)).toEqual([expect.stringMatching(/^AwsSolutions-KMS5 Signals\/SpansKey/)]);
  });
});
