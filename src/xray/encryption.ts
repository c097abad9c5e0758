import { CfnResource, CustomResource, Duration, RemovalPolicy, Resource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { registerSingleton } from './late-checks';
import { XRayWritePolicy } from '../iam/xray-write-policy';
import { ProblemCollector, validationMessage } from '../private/errors';
import { warn } from '../private/warnings';

/**
 * Properties of `XRayEncryption`.
 */
export interface XRayEncryptionProps {
  /**
   * A symmetric encryption KMS key (key spec `SYMMETRIC_DEFAULT`, key usage `ENCRYPT_DECRYPT`). X-Ray does not support
   * asymmetric or HMAC keys: a key made in this app with another spec or usage is an error. An imported key or alias is
   * not checked.
   *
   * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html
   * @default - a new symmetric key with rotation on
   */
  readonly key?: kms.IKey;
}

/** What X-Ray's `PutEncryptionConfig` runs with; Node.js 24 ships the AWS SDK for JavaScript v3. */
const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * The custom-resource handler: `PutEncryptionConfig` with type `KMS` on create and update, `NONE` on delete, then the
 * response to CloudFormation's pre-signed URL. Kept inline (no asset) so the template is self-contained.
 */
const ENCRYPTION_HANDLER_CODE = [
  "const { XRayClient, PutEncryptionConfigCommand } = require('@aws-sdk/client-xray');",
  "const https = require('https');",
  'const xray = new XRayClient({});',
  'exports.handler = async (event, context) => {',
  "  let status = 'SUCCESS';",
  "  let reason = '';",
  '  try {',
  "    const input = event.RequestType === 'Delete' ? { Type: 'NONE' } : { Type: 'KMS', KeyId: event.ResourceProperties.KeyId };",
  '    await xray.send(new PutEncryptionConfigCommand(input));',
  '  } catch (e) {',
  "    status = 'FAILED';",
  '    reason = `${String((e && e.message) || e).slice(0, 500)} (log stream ${context.logStreamName})`;',
  '  }',
  '  const body = JSON.stringify({',
  "    Status: status, Reason: reason, PhysicalResourceId: 'xray-encryption-config',",
  '    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,',
  '  });',
  '  await new Promise((resolve, reject) => {',
  "    const request = https.request(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },",
  "      (response) => { response.resume(); response.on('end', resolve); });",
  "    request.on('error', reject);",
  '    request.end(body);',
  '  });',
  '};',
].join('\n');

/** Why the handler's one `Resource: *` statement cannot be narrowed; recorded with the cdk-nag acknowledgment. */
const PUT_ENCRYPTION_CONFIG_REASON =
  'xray:PutEncryptionConfig supports no resource-level permissions (Service Authorization Reference for AWS X-Ray), so it ' +
  'can only be granted on "*". The other statements of this policy name the KMS key and the handler\'s log group.';

/**
 * Encrypts the account's X-Ray data in this region with a customer-managed KMS key.
 *
 * CloudFormation has no resource for X-Ray's encryption configuration, so a custom resource calls
 * `PutEncryptionConfig` (type `KMS`) on create and update, and sets the default encryption (type `NONE`, an AWS-owned
 * key) back on delete. Its handler is a small function of its own (Node.js, inline code) with Active tracing through
 * the stack's `XRayWritePolicy`, a log group kept for a month, and a role with inline statements only: `kms:CreateGrant`
 * and `kms:DescribeKey` on the key (which X-Ray needs from the caller), logs on its log group and
 * `xray:PutEncryptionConfig`, whose `Resource: *` is acknowledged for cdk-nag on that policy alone. Data already stored
 * is not re-encrypted. An account/region singleton: a second one in the app is an error naming the first.
 */
export class XRayEncryption extends Resource {
  /** The key X-Ray encrypts with. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: XRayEncryptionProps = {}) {
    super(scope, id);
    validateKey(this, props.key);
    registerSingleton('XRayEncryption', this, 'X-Ray encryption configuration', 'An account and region has one X-Ray encryption configuration: keep one XRayEncryption.');
    this.key = props.key ?? new kms.Key(this, 'Key', {
      description: 'Encrypts AWS X-Ray traces (cdk-xray-constructs)',
      enableKeyRotation: true,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
    });

    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the X-Ray encryption custom resource of cdk-xray-constructs',
    });
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    // PutEncryptionConfig accepts no resource ARN (Service Authorization Reference for AWS X-Ray).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutEncryptionConfig', actions: ['xray:PutEncryptionConfig'], resources: ['*'] }));
    const keyGrant = this.key.grant(role, 'kms:CreateGrant', 'kms:DescribeKey');
    if (!keyGrant.success) {
      warn(this, 'keyNotGranted', validationMessage(this, this, 'key', 'cannot be granted to the handler from here (an imported alias grants nothing)',
        this.key.keyArn, 'Pass the key itself (kms.Key.fromKeyArn), or allow the handler role kms:CreateGrant and kms:DescribeKey in the key policy.'));
    }
    const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
    Validations.of(policy.node.defaultChild as CfnResource).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: PUT_ENCRYPTION_CONFIG_REASON });

    const handler = new lambda.Function(this, 'Handler', {
      description: 'Sets the X-Ray encryption configuration (cdk-xray-constructs)',
      runtime: HANDLER_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ENCRYPTION_HANDLER_CODE),
      timeout: Duration.minutes(1),
      role,
      logGroup,
    });
    const cfnHandler = handler.node.defaultChild as lambda.CfnFunction;
    cfnHandler.tracingConfig = { mode: 'Active' };
    const writePolicy = XRayWritePolicy.of(this);
    writePolicy.attachTo(role, this);
    cfnHandler.node.addDependency(writePolicy.managedPolicy);

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::XRayEncryptionConfig',
      properties: { KeyId: this.key.keyArn },
    });
    resource.node.addDependency(policy);
  }

  /** Lets a principal decrypt traces read from X-Ray (`kms:Decrypt` on the key). */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantDecrypt(grantee);
  }
}

/** Key specs and usages X-Ray can encrypt with: symmetric encryption keys only. */
function validateKey(encryption: XRayEncryption, key: kms.IKey | undefined): void {
  if (key === undefined) {
    return;
  }
  const problems = new ProblemCollector(encryption);
  if (key === null || typeof (key as Partial<kms.IKey>).keyArn !== 'string') {
    problems.add('key', 'must be a KMS key', key, 'Pass a kms.Key, kms.Key.fromKeyArn(...) or kms.Alias.fromAliasName(...).');
    problems.throwIfAny();
  }
  const target = key instanceof kms.Alias ? key.aliasTargetKey : key; // an imported alias has no target to read
  const cfn = target.node.defaultChild;
  if (!(cfn instanceof kms.CfnKey)) {
    return; // imported: X-Ray checks it at deploy time
  }
  const resolve = (value: unknown) => (Token.isUnresolved(value) ? undefined : Stack.of(cfn).resolve(value));
  const keySpec = resolve(cfn.keySpec);
  const keyUsage = resolve(cfn.keyUsage);
  if (typeof keySpec === 'string' && keySpec !== kms.KeySpec.SYMMETRIC_DEFAULT) {
    problems.add('key', `has key spec ${keySpec}, but X-Ray encrypts only with symmetric encryption keys (SYMMETRIC_DEFAULT)`, keySpec,
      'Pass a key with keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, or omit key to get one.');
  }
  if (typeof keyUsage === 'string' && keyUsage !== kms.KeyUsage.ENCRYPT_DECRYPT) {
    problems.add('key', `has key usage ${keyUsage}, but X-Ray needs ENCRYPT_DECRYPT`, keyUsage,
      'Pass a key with keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT, or omit key to get one.');
  }
  problems.throwIfAny();
}
