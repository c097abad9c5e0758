import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expectCase, expectCompleteTable, stringToken, ValidationCase } from './util';
import { XRayChecks, XRayEncryption } from '../../src';
import { acknowledgedRules, newStack, warningsMatching } from '../util';

function resourceOf(stack: Stack, type: string): any {
  return Object.values<any>(Template.fromStack(stack).findResources(type))[0];
}

/** Runs the inline handler with a fake X-Ray client and a fake https, returning the X-Ray inputs and the response. */
async function runHandler(stack: Stack, event: Record<string, unknown>, failWith?: string) {
  const code: string = resourceOf(stack, 'AWS::Lambda::Function').Properties.Code.ZipFile;
  const calls: any[] = [];
  let response: any;
  const fakeRequire = (name: string) => {
    if (name === '@aws-sdk/client-xray') {
      return {
        XRayClient: class { public async send(command: any) { calls.push(command.input); if (failWith) throw new Error(failWith); } },
        PutEncryptionConfigCommand: class { constructor(public readonly input: unknown) {} },
      };
    }
    if (name === 'https') {
      return {
        request: (url: string, options: any, callback: (r: any) => void) => ({
          on: () => undefined,
          end: (body: string) => {
            response = { url, method: options.method, body: JSON.parse(body) };
            callback({ resume: () => undefined, on: (_e: string, done: () => void) => done() });
          },
        }),
      };
    }
    throw new Error(`unexpected require ${name}`);
  };
  const module = { exports: {} as any };
  new Function('require', 'exports', 'module', code)(fakeRequire, module.exports, module);
  await module.exports.handler({ StackId: 's', RequestId: 'r', LogicalResourceId: 'l', ResponseURL: 'https://example.com/put', ...event },
    { logStreamName: 'stream' });
  return { calls, response };
}

describe('XRayEncryption', () => {
  test('a custom resource with the key\'s ARN; its handler sets KMS on create and update and NONE on delete', async () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    new XRayEncryption(stack, 'Encryption');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('Custom::XRayEncryptionConfig', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EncryptionHandler'), 'Arn'] },
      KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EncryptionKey'), 'Arn'] },
    });
    // WHEN
    const created = await runHandler(stack, { RequestType: 'Create', ResourceProperties: { KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' } });
    const updated = await runHandler(stack, { RequestType: 'Update', ResourceProperties: { KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k2' } });
    const deleted = await runHandler(stack, { RequestType: 'Delete', ResourceProperties: { KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k2' } });
    const failed = await runHandler(stack, { RequestType: 'Create', ResourceProperties: { KeyId: 'k' } }, 'AccessDeniedException: no kms:CreateGrant');
    // THEN
    expect(created.calls).toEqual([{ Type: 'KMS', KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' }]);
    expect(created.response).toEqual({
      url: 'https://example.com/put',
      method: 'PUT',
      body: { Status: 'SUCCESS', Reason: '', PhysicalResourceId: 'xray-encryption-config', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' },
    });
    expect(updated.calls).toEqual([{ Type: 'KMS', KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k2' }]);
    expect(deleted.calls).toEqual([{ Type: 'NONE' }]);
    expect(failed.response.body).toMatchObject({ Status: 'FAILED', Reason: 'AccessDeniedException: no kms:CreateGrant (log stream stream)' });
  });

  test('the handler is traced through the stack\'s X-Ray write policy, and its role has inline statements only', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    new XRayEncryption(stack, 'Encryption');
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' }, Runtime: 'nodejs24.x' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^EncryptionHandlerRole') }],
    });
    expect(resourceOf(stack, 'AWS::IAM::Role').Properties.ManagedPolicyArns).toBeUndefined();
    const statements = resourceOf(stack, 'AWS::IAM::Policy').Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'xray:PutEncryptionConfig', Resource: '*' }),
      expect.objectContaining({ Action: ['kms:CreateGrant', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EncryptionKey/), 'Arn'] } }),
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
    ]));
    const custom = resourceOf(stack, 'Custom::XRayEncryptionConfig');
    expect(custom.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^EncryptionHandlerRoleDefaultPolicy/)]));
  });

  test('a stack holding only XRayEncryption passes AwsSolutionsChecks and XRayChecks with no unacknowledged finding', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    new XRayEncryption(stack, 'Encryption');
    app.synth();
    // WHEN
    const nag = new AwsSolutionsChecks().validateScope(stack);
    const own = new XRayChecks(app).validateScope(stack);
    // THEN
    expect(nag.violations).toEqual([]);
    expect(own.violations).toEqual([]);
  });

  test('the acknowledgments sit on exactly the handler\'s policy and the X-Ray write policy, each with its reason', () => {
    // GIVEN
    const stack = newStack('eu-west-1');
    new XRayEncryption(stack, 'Encryption');
    // WHEN
    const acknowledged = stack.node.findAll()
      .map(c => ({ path: c.node.path, ids: Object.entries(acknowledgedRules(c)) }))
      .filter(e => e.ids.length > 0)
      .map(e => ({ path: e.path, ids: e.ids.map(([id, reason]) => [id, reason.length > 40]) }));
    // THEN
    expect(acknowledged).toEqual([
      { path: 'Stack/Encryption/HandlerRole/DefaultPolicy/Resource', ids: [['AwsSolutions-IAM5[Resource::*]', true]] },
      { path: 'Stack/XRayWritePolicy/Resource/Resource', ids: [['AwsSolutions-IAM5[Resource::*]', true]] },
    ]);
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

  test('an imported alias grants nothing to the handler: a warning says how to give it access, without repeating the path it is attached to', () => {
    const stack = newStack('eu-west-1');
    new XRayEncryption(stack, 'Encryption', { key: kms.Alias.fromAliasName(stack, 'Alias', 'alias/xray') });
    expect(warningsMatching(stack, 'cannot be granted to the handler from here')).toEqual([expect.stringMatching(/^key cannot be granted to the handler from here/)]);
  });

  test.each([
    [kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT, /key has key spec RSA_2048, but X-Ray encrypts only with symmetric encryption keys/],
    [kms.KeySpec.HMAC_256, kms.KeyUsage.GENERATE_VERIFY_MAC, /2 problems:[\s\S]*key spec HMAC_256[\s\S]*key usage GENERATE_VERIFY_MAC, but X-Ray needs ENCRYPT_DECRYPT/],
    [kms.KeySpec.ECC_NIST_P256, kms.KeyUsage.SIGN_VERIFY, /key spec ECC_NIST_P256/],
  ])('a key X-Ray cannot use is refused: %s / %s', (keySpec, keyUsage, message) => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { keySpec, keyUsage });
    expect(() => new XRayEncryption(stack, 'Encryption', { key })).toThrow(message);
  });

  test('one per account and region in an app', () => {
    const app = new App();
    new XRayEncryption(new Stack(app, 'A'), 'Encryption');
    expect(() => new XRayEncryption(new Stack(app, 'B'), 'Encryption')).toThrow(/^\[B\/Encryption\] XRayEncryption is a second X-Ray encryption configuration for .*, after the one at A\/Encryption \(got "A\/Encryption"\)\. An account and region/);
  });
});

describe('XRayEncryption validation table', () => {
  const rows: ValidationCase[] = [
    ['key', 'bad', s => new XRayEncryption(s, 'E', { key: 'alias/xray' as any }), /^\[Stack\/E\] key must be a KMS key \(got "alias\/xray"\)/],
    ['key', 'bad', s => new XRayEncryption(s, 'E', { key: new kms.Key(s, 'K', { keySpec: kms.KeySpec.HMAC_512, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }) }),
      /key has key spec HMAC_512/],
    // The one spec and usage X-Ray accepts, and the next one over.
    ['key', 'boundary', s => new XRayEncryption(s, 'E', { key: new kms.Key(s, 'K', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }) }), undefined],
    ['key', 'boundary', s => new XRayEncryption(s, 'E', { key: new kms.Key(s, 'K', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }) }),
      /^\[Stack\/E\] key has key spec RSA_2048, but X-Ray encrypts only with symmetric encryption keys \(SYMMETRIC_DEFAULT\) \(got "RSA_2048"\)/],
    ['key', 'boundary', s => new XRayEncryption(s, 'E', { key: new kms.Alias(s, 'A', { aliasName: 'alias/x', targetKey: new kms.Key(s, 'K', { keySpec: kms.KeySpec.RSA_2048 }) }) }),
      /key has key spec RSA_2048/],
    ['key', 'token', s => new XRayEncryption(s, 'E', { key: kms.Key.fromKeyArn(s, 'K', stringToken(s, 'KeyArn')) }), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
