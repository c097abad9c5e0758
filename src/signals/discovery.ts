import { Resource } from 'aws-cdk-lib';
import { CfnDiscovery } from 'aws-cdk-lib/aws-applicationsignals';
import { Construct, IConstruct } from 'constructs';
import { requireReason, stacksDeclaringOutside } from '../private/declared-outside';
import { recordEnabledOutside } from '../private/enabled-outside';
import { lateProblem, registerSingleton } from '../xray/late-checks';

/**
 * Turns on CloudWatch Application Signals for the account and region (`AWS::ApplicationSignals::Discovery`).
 *
 * Deploying it creates the `AWSServiceRoleForCloudWatchApplicationSignals` service-linked role (and the service-linked
 * CloudTrail event channel Application Signals reads change events from). Application Signals has no API that turns
 * discovery off again: deleting this resource or its stack leaves discovery on and the role in place.
 *
 * An account/region singleton: a second one in the app is an error naming the first. Where discovery is already on
 * (the console, the CLI or another app turned it on), declare it with `ApplicationSignalsDiscovery.enabledOutsideApp()`
 * instead, so the checks count it as present.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationsignals-discovery.html
 */
export class ApplicationSignalsDiscovery extends Resource {
  /**
   * Declares that Application Signals discovery is turned on for the account and region of `scope`'s stack outside this
   * app, with the reason. Nothing is deployed: the stack's template metadata records it
   * (`cdk-xray-constructs:enabled-outside`), and the checks read it there.
   *
   * @param scope a construct in the stack whose environment has discovery on
   * @param reason why it is on outside the app, for example "enabled by the platform account baseline"
   */
  public static enabledOutsideApp(scope: IConstruct, reason: string): void {
    requireReason(scope, 'ApplicationSignalsDiscovery.enabledOutsideApp', reason);
    recordEnabledOutside(scope, 'ApplicationSignalsDiscovery', reason);
  }

  /** The 12-digit account ID the resource returns (`Ref`). */
  public readonly accountId: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    registerSingleton('ApplicationSignalsDiscovery', this, 'Application Signals discovery',
      'An account and region has one Application Signals discovery: keep one ApplicationSignalsDiscovery.');
    this.node.addValidation({
      validate: () => stacksDeclaringOutside(this, 'ApplicationSignalsDiscovery').map(stack => lateProblem('ApplicationSignalsDiscovery',
        `is deployed here, but stack ${stack.node.path} declares discovery enabled outside the app for the same account and region`,
        stack.node.path, 'Keep one: remove ApplicationSignalsDiscovery.enabledOutsideApp() if this app turns discovery on, or remove this construct.')),
    });
    const resource = new CfnDiscovery(this, 'Resource');
    this.accountId = resource.ref;
  }
}
