import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { XRayEncryption } from '../../src';
import { newStack } from '../util';

describe('XRayEncryption', () => {
  test('a custom resource sets KMS encryption on create and update, and NONE on delete', () => {
    const stack = newStack();
    new XRayEncryption(stack, 'Encryption');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const custom = Object.values<any>(template.findResources('Custom::AWS'))[0];
    const create = JSON.stringify(stack.resolve(custom.Properties.Create));
    const del = JSON.stringify(stack.resolve(custom.Properties.Delete));
    expect(create).toContain('PutEncryptionConfig');
    expect(create).toContain('\\"Type\\":\\"KMS\\"');
    expect(create).toContain('KeyId');
    expect(del).toContain('\\"Type\\":\\"NONE\\"');
    expect(JSON.stringify(custom.Properties.Update)).toContain('PutEncryptionConfig');
  });

  test('the custom resource may create grants on the key before it runs, and call PutEncryptionConfig', () => {
    const stack = newStack();
    new XRayEncryption(stack, 'Encryption');
    const template = Template.fromStack(stack).toJSON();
    const statements = Object.values<any>(template.Resources)
      .filter(r => r.Type === 'AWS::IAM::Policy')
      .flatMap(r => r.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'xray:PutEncryptionConfig', Resource: '*' }),
      expect.objectContaining({ Action: ['kms:CreateGrant', 'kms:DescribeKey'] }),
    ]));
    const custom = Object.values<any>(template.Resources).find(r => r.Type === 'Custom::AWS');
    expect(custom.DependsOn.length).toBeGreaterThanOrEqual(2);
  });

  test('a given key is used and grantDecrypt reaches it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Mine');
    const encryption = new XRayEncryption(stack, 'Encryption', { key });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    encryption.grantDecrypt(reader);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
    expect(encryption.key).toBe(key);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('kms:Decrypt');
  });

  test('one per account and region in an app', () => {
    const app = new App();
    new XRayEncryption(new Stack(app, 'A'), 'Encryption');
    expect(() => new XRayEncryption(new Stack(app, 'B'), 'Encryption')).toThrow(/X-Ray encryption is already configured .* at A\/Encryption/);
  });
});
