import { Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { describeEnvironment, environmentKey, registeredInEnvironment, registerInEnvironment } from '../private/environment-registry';

/**
 * Properties of `XRayEncryption`.
 */
export interface XRayEncryptionProps {
  /**
   * A symmetric customer-managed KMS key. X-Ray does not support asymmetric keys.
   *
   * @default - a new symmetric key with rotation on
   */
  readonly key?: kms.IKey;
}

/**
 * Encrypts the account's X-Ray data in this region with a customer-managed KMS key.
 *
 * CloudFormation has no resource for X-Ray's encryption configuration, so a custom resource calls
 * `PutEncryptionConfig` (type `KMS`) on create and update, and sets the default encryption (type `NONE`, an AWS-owned
 * key) back on delete. The custom resource's role may call `kms:CreateGrant` and `kms:DescribeKey` on the key, which
 * X-Ray needs from the caller. Data already stored is not re-encrypted. An account/region singleton: a second one in
 * the app is an error naming the first.
 */
export class XRayEncryption extends Resource {
  /** The key X-Ray encrypts with. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: XRayEncryptionProps = {}) {
    super(scope, id);
    const first = registeredInEnvironment('XRayEncryption', this)[0];
    if (first !== undefined) {
      throw new Error(`[${this.node.path}] X-Ray encryption is already configured for ${describeEnvironment(environmentKey(this))} ` +
        `at ${first.node.path} (got a second one). An account and region has one X-Ray encryption configuration.`);
    }
    registerInEnvironment('XRayEncryption', this);
    this.key = props.key ?? new kms.Key(this, 'Key', {
      description: 'Encrypts AWS X-Ray traces (cdk-xray-constructs)',
      enableKeyRotation: true,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
    });

    const putKms: cr.AwsSdkCall = {
      service: 'XRay',
      action: 'PutEncryptionConfig',
      parameters: { Type: 'KMS', KeyId: this.key.keyArn },
      physicalResourceId: cr.PhysicalResourceId.of('xray-encryption-config'),
    };
    const resource = new cr.AwsCustomResource(this, 'Resource', {
      onCreate: putKms,
      onUpdate: putKms,
      onDelete: { service: 'XRay', action: 'PutEncryptionConfig', parameters: { Type: 'NONE' } },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // PutEncryptionConfig accepts no resource ARN (Service Authorization Reference for AWS X-Ray).
        new iam.PolicyStatement({ actions: ['xray:PutEncryptionConfig'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.key.grant(resource, 'kms:CreateGrant', 'kms:DescribeKey').applyBefore(resource);
  }

  /** Lets a principal decrypt traces read from X-Ray (`kms:Decrypt` on the key). */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantDecrypt(grantee);
  }
}
