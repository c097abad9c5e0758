import { Aws, Resource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnTransactionSearchConfig } from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';
import { lateProblem, registerSingleton } from './late-checks';
import { requireReason, stacksDeclaringOutside } from '../private/declared-outside';
import { recordEnabledOutside } from '../private/enabled-outside';
import { ProblemCollector } from '../private/errors';
import { warn } from '../private/warnings';

/** Why the spans key's property is acknowledged where aws-cdk-lib's validation does not know it. */
const SPANS_KEY_ACKNOWLEDGMENT_REASON = 'CloudWatchLogsConfiguration (the aws/spans KMS key) is a property of AWS::XRay::TransactionSearchConfig ' +
  '(aws-cdk-lib 2.276 CfnTransactionSearchConfig has it); the schema of the bundled validation does not list it yet.';

/** The log group X-Ray writes spans to when Transaction Search is on (in the AWS-reserved `aws/` namespace). */
const SPANS_LOG_GROUP = 'aws/spans';

/**
 * Properties of `TransactionSearch`.
 */
export interface TransactionSearchProps {
  /**
   * The share of spans indexed as trace summaries for X-Ray search, 0–100 (%). 1 % is free; more is billed.
   *
   * @default 1
   */
  readonly indexingPercentage?: number;

  /**
   * A symmetric customer managed KMS key, in the same account and region, for the `aws/spans` log group
   * (`CloudWatchLogsConfiguration.SpansLogGroupKmsKeyId`, rendered as the key's ARN). X-Ray applies it only when it
   * creates `aws/spans` while turning Transaction Search on: where `aws/spans` already exists (an earlier enablement,
   * or an earlier create that failed partway) the create fails, so leave this out there and change the key with the
   * CloudWatch Logs `AssociateKmsKey` API. Adding, changing or removing it later replaces the resource, which fails
   * while Transaction Search is on.
   *
   * A key made in this app gets a key policy statement letting CloudWatch Logs use it for `aws/spans`; an imported
   * key's policy must allow that already (a warning says so). Aliases are refused: X-Ray takes a key ARN only.
   *
   * @default - CloudWatch Logs' default encryption
   */
  readonly spansLogGroupEncryptionKey?: kms.IKey;

  /**
   * Whether to deploy the CloudWatch Logs resource policy that lets X-Ray write `aws/spans` and
   * `/aws/application-signals/data`. Set false when the account already holds such a policy (from an earlier setup),
   * so that the account's resource policies are not spent on a second.
   *
   * @default true
   */
  readonly logsResourcePolicy?: boolean;
}

/**
 * CloudWatch Transaction Search for the account and region (`AWS::XRay::TransactionSearchConfig`), with the
 * CloudWatch Logs resource policy that lets X-Ray write spans to `aws/spans` and `/aws/application-signals/data`.
 *
 * An account/region singleton: a second one in the app is an error naming the first. AWS documents that Transaction
 * Search must be disabled before it is enabled through CloudFormation: deploying this where it is on already fails
 * (`AlreadyExists`). For such accounts, declare it with `TransactionSearch.enabledOutsideApp()` instead.
 */
export class TransactionSearch extends Resource {
  /**
   * Declares that Transaction Search is on for the account and region of `scope`'s stack outside this app (turned on
   * in the console, with the CLI or by another app), with the reason. Nothing is deployed: the stack's template
   * metadata records it (`cdk-xray-constructs:enabled-outside`), and the checks read it there.
   *
   * @param scope a construct in the stack whose environment has Transaction Search on
   * @param reason why it is on outside the app, for example "turned on in the console by the platform team"
   */
  public static enabledOutsideApp(scope: IConstruct, reason: string): void {
    requireReason(scope, 'TransactionSearch.enabledOutsideApp', reason);
    recordEnabledOutside(scope, 'TransactionSearch', reason);
  }

  /** The indexing percentage. */
  public readonly indexingPercentage: number;

  constructor(scope: Construct, id: string, props: TransactionSearchProps = {}) {
    super(scope, id);
    registerSingleton('TransactionSearch', this, 'Transaction Search configuration', 'An account and region has one Transaction Search configuration: keep one TransactionSearch.');
    this.node.addValidation({
      validate: () => stacksDeclaringOutside(this, 'TransactionSearch').map(stack => lateProblem('TransactionSearch',
        `is deployed here, but stack ${stack.node.path} declares Transaction Search enabled outside the app for the same account and region`,
        stack.node.path, 'Keep one: remove TransactionSearch.enabledOutsideApp() if this app turns it on, or remove this construct where it is ' +
        'on already (creating it there fails with AlreadyExists).')),
    });
    this.indexingPercentage = props.indexingPercentage ?? 1;
    const problems = new ProblemCollector(this);
    if (!Token.isUnresolved(this.indexingPercentage) &&
      !(typeof this.indexingPercentage === 'number' && this.indexingPercentage >= 0 && this.indexingPercentage <= 100)) {
      problems.add('indexingPercentage', 'must be between 0 and 100', this.indexingPercentage, 'It is a percentage: 1 means 1 % (the free tier).');
    }
    const key = props.spansLogGroupEncryptionKey;
    validateSpansKey(problems, key);
    if (props.logsResourcePolicy !== undefined && !Token.isUnresolved(props.logsResourcePolicy) && typeof props.logsResourcePolicy !== 'boolean') {
      problems.add('logsResourcePolicy', 'must be true or false', props.logsResourcePolicy, 'Omit it to deploy the policy.');
    }
    problems.throwIfAny();

    const stack = Stack.of(this);
    const logGroupArn = (name: string) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}`;
    const config = new CfnTransactionSearchConfig(this, 'Resource', { indexingPercentage: this.indexingPercentage });
    if (props.logsResourcePolicy !== false) {
      const document = new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          sid: 'TransactionSearchXRayAccess',
          principals: [new iam.ServicePrincipal('xray.amazonaws.com')],
          actions: ['logs:PutLogEvents'],
          resources: [`${logGroupArn(SPANS_LOG_GROUP)}:*`, `${logGroupArn('/aws/application-signals/data')}:*`],
          conditions: {
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:xray:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          },
        })],
      });
      const logsPolicy = new logs.CfnResourcePolicy(this, 'LogsResourcePolicy', {
        policyName: 'cdk-xray-constructs-transaction-search',
        policyDocument: stack.toJsonString(document),
      });
      config.node.addDependency(logsPolicy);
    }
    if (key !== undefined) {
      // aws-cdk-lib 2.258 has no typed property for it; CloudFormation takes it on every version.
      config.addPropertyOverride('CloudWatchLogsConfiguration', { SpansLogGroupKmsKeyId: key.keyArn });
      // The schema aws-cdk-lib's own validation bundles (2.276) lags the property its L1 has: acknowledged on this resource only.
      Validations.of(config).acknowledge({ id: 'CloudFormation-Validate::F3002', reason: SPANS_KEY_ACKNOWLEDGMENT_REASON });
      const added = key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchLogsSpansLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(SPANS_LOG_GROUP) } },
      }), true);
      if (!added.statementAdded) {
        warn(this, 'spansKeyPolicy', `The key for ${SPANS_LOG_GROUP} is imported, so its key policy cannot be changed here: it must let ` +
          `logs.<region>.amazonaws.com use it for ${SPANS_LOG_GROUP} (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, ` +
          'kms:Describe*), and the deploying role needs kms:DescribeKey on it.');
      }
    }
  }
}

/** X-Ray takes the ARN of a symmetric encryption key for `aws/spans`: no alias, no asymmetric or HMAC key. */
function validateSpansKey(problems: ProblemCollector, key: kms.IKey | undefined): void {
  if (key === undefined) {
    return;
  }
  if (key === null || typeof (key as Partial<kms.IKey>).keyArn !== 'string') {
    problems.add('spansLogGroupEncryptionKey', 'must be a KMS key', key, 'Pass a kms.Key or kms.Key.fromKeyArn(...).');
    return;
  }
  if (key instanceof kms.Alias || typeof (key as Partial<kms.IAlias>).aliasName === 'string') {
    problems.add('spansLogGroupEncryptionKey', 'is an alias, and X-Ray takes a key ARN only', key,
      'Pass the key itself (kms.Key, or kms.Key.fromKeyArn with the key ARN).');
    return;
  }
  const cfn = key.node.defaultChild;
  if (!(cfn instanceof kms.CfnKey)) {
    return; // imported: X-Ray checks it at deploy time
  }
  const resolve = (value: unknown) => (Token.isUnresolved(value) ? undefined : Stack.of(cfn).resolve(value));
  const keySpec = resolve(cfn.keySpec);
  const keyUsage = resolve(cfn.keyUsage);
  if ((typeof keySpec === 'string' && keySpec !== kms.KeySpec.SYMMETRIC_DEFAULT) || (typeof keyUsage === 'string' && keyUsage !== kms.KeyUsage.ENCRYPT_DECRYPT)) {
    problems.add('spansLogGroupEncryptionKey', 'must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)', `${keySpec ?? 'SYMMETRIC_DEFAULT'}/${keyUsage ?? 'ENCRYPT_DECRYPT'}`,
      'Pass a kms.Key with the default key spec and usage.');
  }
}
