import { Lazy, Token } from 'aws-cdk-lib';
import {
  AnnotationFinding, AnnotationFindingKind, AnnotationFindingLevel, AnnotationKeySource, AnnotationKeyUsage, AnnotationPolicy,
} from '../../src/policy/annotation-policy';
import { Cardinality } from '../../src/policy/cardinality';
import { errorOf } from '../util';

function use(key: string, source = 'Stack/Fn', kind = AnnotationKeySource.LAMBDA_FUNCTION): AnnotationKeyUsage {
  return { key, source, kind };
}

/** `key:kind` of each finding, in order. */
function summary(findings: AnnotationFinding[]): string[] {
  return findings.map(f => `${f.key}:${f.kind}`);
}

/** A policy that allows each key with a low cardinality. */
function allowing(...keys: string[]): AnnotationPolicy {
  return new AnnotationPolicy({ allowedKeys: keys.map(key => ({ key, cardinality: Cardinality.low() })) });
}

const keysNumbered = (n: number): string[] => Array.from({ length: n }, (_, i) => `key_${String(i).padStart(2, '0')}`);

describe('Cardinality', () => {
  test('low, bounded and unbounded', () => {
    expect(Cardinality.low()).toMatchObject({ kind: 'low', maxValues: undefined, isUnbounded: false });
    expect(Cardinality.bounded(20)).toMatchObject({ kind: 'bounded', maxValues: 20, isUnbounded: false });
    expect(Cardinality.unbounded()).toMatchObject({ kind: 'unbounded', maxValues: undefined, isUnbounded: true });
    expect(`${Cardinality.bounded(20)} ${Cardinality.low()} ${Cardinality.unbounded()}`)
      .toBe('Cardinality.bounded(20) Cardinality.low() Cardinality.unbounded()');
  });

  test('bounded(n) takes a whole number of at least 1', () => {
    // THEN
    expect(Cardinality.bounded(1).maxValues).toBe(1);
    expect(errorOf(() => Cardinality.bounded(0))).toBe('[Cardinality] maxValues must be a whole number of at least 1 (got 0). ' +
      'Pass the largest number of distinct values the key can take, for example Cardinality.bounded(20); use Cardinality.low() for a handful.');
    expect(() => Cardinality.bounded(-1)).toThrow(/got -1/);
    expect(() => Cardinality.bounded(2.5)).toThrow(/got 2.5/);
    expect(() => Cardinality.bounded(NaN)).toThrow(/got NaN/);
    // A deploy-time bound passes; the policy does not compare it (see the validation table).
    expect(Token.isUnresolved(Cardinality.bounded(Token.asNumber({ Ref: 'N' })).maxValues)).toBe(true);
  });
});

describe('AnnotationPolicy: props', () => {
  test('defaults', () => {
    // WHEN
    const policy = new AnnotationPolicy();
    // THEN
    expect(policy.allowedKeys).toEqual([]);
    expect(policy.maxIndexedAnnotationsPerTrace).toBe(50);
    expect(policy.maxCardinalityPerKey).toBe(1000);
    expect(policy.allowUndeclaredKeys).toBe(false);
    expect(policy.deniedPatterns).toEqual(AnnotationPolicy.defaultDeniedPatterns());
  });

  test('the default patterns are valid, distinct, and a copy each time', () => {
    const patterns = AnnotationPolicy.defaultDeniedPatterns();
    expect(patterns.length).toBeGreaterThanOrEqual(25);
    expect(new Set(patterns).size).toBe(patterns.length);
    patterns.forEach(p => expect(() => new RegExp(p)).not.toThrow());
    patterns.push('tier');
    expect(AnnotationPolicy.defaultDeniedPatterns()).not.toContain('tier');
  });

  test('maxIndexedAnnotationsPerTrace is a whole number from 1 to 50', () => {
    expect(new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 1 }).maxIndexedAnnotationsPerTrace).toBe(1);
    expect(new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 50 }).maxIndexedAnnotationsPerTrace).toBe(50);
    expect(errorOf(() => new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 0 }))).toBe(
      '[AnnotationPolicy] maxIndexedAnnotationsPerTrace must be a whole number from 1 to 50 (got 0). ' +
      'X-Ray indexes at most 50 annotations per trace; pass a number from 1 to 50.');
    expect(errorOf(() => new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 51 }))).toBe(
      '[AnnotationPolicy] maxIndexedAnnotationsPerTrace must be a whole number from 1 to 50 (got 51). ' +
      'X-Ray indexes at most 50 annotations per trace; pass a number from 1 to 50.');
    expect(() => new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 2.5 })).toThrow(/got 2.5/);
    expect(() => new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: Token.asNumber({ Ref: 'N' }) })).not.toThrow();
  });

  test('maxCardinalityPerKey is a whole number of at least 1', () => {
    expect(new AnnotationPolicy({ maxCardinalityPerKey: 1 }).maxCardinalityPerKey).toBe(1);
    expect(errorOf(() => new AnnotationPolicy({ maxCardinalityPerKey: 0 }))).toBe(
      '[AnnotationPolicy] maxCardinalityPerKey must be a whole number of at least 1 (got 0). Pass the most distinct values one key may take, for example 1000.');
  });

  test('an allowed key must use the X-Ray charset and length', () => {
    expect(errorOf(() => allowing('tenant-tier'))).toBe(
      '[AnnotationPolicy] allowedKeys[0].key may contain only letters, digits and underscores (got "tenant-tier"). ' +
      'X-Ray filter expressions cannot match other characters and some SDKs drop such keys; use "tenant_tier".');
    expect(errorOf(() => allowing(''))).toBe(
      '[AnnotationPolicy] allowedKeys[0].key must be 1 to 500 characters long (got ""). Use a short, descriptive key such as "tenant_tier".');
    expect(() => allowing('k'.repeat(501))).toThrow(/allowedKeys\[0\]\.key must be 1 to 500 characters long/);
    expect(() => allowing('k'.repeat(500), 'K', '_1')).not.toThrow();
    expect(allowing(Token.asString({ Ref: 'K' })).isAllowed('K')).toBe(false);
  });

  test('an allowed key may be listed once', () => {
    expect(errorOf(() => allowing('region', 'plan', 'region'))).toBe(
      '[AnnotationPolicy] allowedKeys[2].key is listed twice (got "region"). Remove the duplicate entry; allowedKeys[0] allows it already.');
  });

  test('an allowed key needs a cardinality', () => {
    expect(errorOf(() => new AnnotationPolicy({ allowedKeys: [{ key: 'region' } as any] }))).toBe(
      '[AnnotationPolicy] allowedKeys[0].cardinality is required (got undefined). Pass Cardinality.low(), Cardinality.bounded(n) or Cardinality.unbounded().');
  });

  test('a denied pattern must be a valid, non-empty regular expression source', () => {
    expect(errorOf(() => new AnnotationPolicy({ deniedPatterns: ['badge_?number', '(unclosed'] }))).toBe(
      '[AnnotationPolicy] deniedPatterns[1] is not a valid regular expression (got "(unclosed"). ' +
      'Write a JavaScript regular expression source such as "badge_?number"; it is matched case-insensitively against whole words of the key.');
    expect(errorOf(() => new AnnotationPolicy({ deniedPatterns: ['a)(b'] }))).toMatch(/deniedPatterns\[0\] is not a valid regular expression/);
    expect(errorOf(() => new AnnotationPolicy({ deniedPatterns: ['  '] }))).toBe(
      '[AnnotationPolicy] deniedPatterns[0] must not be empty (got "  "). Remove it, or write a regular expression such as "badge_?number".');
    expect(errorOf(() => new AnnotationPolicy({ deniedPatterns: ['/badge/i'] }))).toBe(
      '[AnnotationPolicy] deniedPatterns[0] must be a regular expression source without slashes or flags (got "/badge/i"). ' +
      'Write "badge"; patterns always match case-insensitively.');
    expect(new AnnotationPolicy({ deniedPatterns: [Token.asString({ Ref: 'P' })] }).deniedPatterns).toEqual(AnnotationPolicy.defaultDeniedPatterns());
  });

  test('every problem is reported at once', () => {
    // WHEN
    const message = errorOf(() => new AnnotationPolicy({
      maxIndexedAnnotationsPerTrace: 0,
      deniedPatterns: ['['],
      allowedKeys: [{ key: 'a-b', cardinality: Cardinality.low() }, { key: 'user_email', cardinality: Cardinality.low() }],
    }));
    // THEN
    expect(message).toMatch(/^4 problems:\n {2}- \[AnnotationPolicy\] maxIndexedAnnotationsPerTrace .*\n {2}- \[AnnotationPolicy\] deniedPatterns\[0\] .*\n {2}- \[AnnotationPolicy\] allowedKeys\[0\]\.key .*\n {2}- \[AnnotationPolicy\] allowedKeys\[1\]\.overrideReason /);
  });

  test('allowedKeys is a copy', () => {
    const allowedKeys = [{ key: 'region', cardinality: Cardinality.low() }];
    const policy = new AnnotationPolicy({ allowedKeys });
    allowedKeys.push({ key: 'plan', cardinality: Cardinality.low() });
    expect(policy.allowedKeys.map(k => k.key)).toEqual(['region']);
    expect(policy.isAllowed('plan')).toBe(false);
  });
});

describe('AnnotationPolicy: overrideReason', () => {
  test('a denied key is allowed with a reason', () => {
    // GIVEN
    const policy = new AnnotationPolicy({
      allowedKeys: [{ key: 'customer_id', cardinality: Cardinality.bounded(40), overrideReason: 'B2B: 40 contracted customers, IDs are not personal data' }],
    });
    // WHEN / THEN
    expect(policy.evaluate([use('customer_id')])).toEqual([]);
    expect(policy.isAllowed('customer_id')).toBe(true);
  });

  test('a denied key without a reason is rejected at construction', () => {
    expect(errorOf(() => allowing('user_email'))).toBe(
      '[AnnotationPolicy] allowedKeys[0].overrideReason is required because "user_email" matches the denied pattern "[a-z0-9]*email": ' +
      'an email address is personal data (got undefined). Explain in at least 10 characters why indexing this key is safe here, or remove it from allowedKeys.');
  });

  test.each([
    ['', '""'],
    ['          ', '"          "'],
    ['ok', '"ok"'],
    ['  123456789  ', '"  123456789  "'],
  ])('a blank or short reason (%j) is rejected', (overrideReason, got) => {
    expect(errorOf(() => new AnnotationPolicy({ allowedKeys: [{ key: 'session_id', cardinality: Cardinality.low(), overrideReason }] }))).toBe(
      `[AnnotationPolicy] allowedKeys[0].overrideReason must explain the exception in at least 10 characters besides spaces (got ${got}). ` +
      'Say why indexing "session_id" is safe here, for example which values it takes and who agreed to it.');
  });

  test('a reason of exactly 10 characters is accepted', () => {
    expect(() => new AnnotationPolicy({ allowedKeys: [{ key: 'session_id', cardinality: Cardinality.low(), overrideReason: ' 1234567890 ' }] }))
      .not.toThrow();
  });

  test('a reason on a key no pattern denies is optional, but must still explain', () => {
    expect(() => new AnnotationPolicy({ allowedKeys: [{ key: 'region', cardinality: Cardinality.low(), overrideReason: 'documented anyway' }] }))
      .not.toThrow();
    expect(() => new AnnotationPolicy({ allowedKeys: [{ key: 'region', cardinality: Cardinality.low(), overrideReason: 'tbd' }] }))
      .toThrow(/allowedKeys\[0\]\.overrideReason must explain the exception/);
  });

  test('without the default patterns, no reason is needed', () => {
    const policy = new AnnotationPolicy({ useDefaultDeniedPatterns: false, allowedKeys: [{ key: 'user_email', cardinality: Cardinality.low() }] });
    expect(policy.deniedPatterns).toEqual([]);
    expect(policy.evaluate([use('user_email')])).toEqual([]);
  });
});

describe('AnnotationPolicy: default denied patterns', () => {
  const policy = new AnnotationPolicy({ allowUndeclaredKeys: true });

  test.each([
    // personal data
    'email', 'user_email', 'customerEmail', 'EMAIL_ADDRESS', 'useremail', 'phone_number', 'phoneNumber', 'mobile_number', 'ip_address',
    'billing_address', 'remote_addr', 'postal_code', 'zipCode', 'ssn', 'social_security_number', 'passport_number', 'first_name', 'lastName',
    'username', 'date_of_birth', 'dob', 'birthDate',
    // secrets
    'password', 'db_passwd', 'api_token', 'auth_token', 'session_token', 'token', 'client_secret', 'api_key', 'authorization', 'auth_header',
    'session_cookie', 'cookie', 'jwt',
    // payment data
    'credit_card', 'card_number', 'cc_number', 'pan', 'cvv', 'iban', 'account_number',
    // unbounded identifiers
    'request_id', 'requestId', 'RequestID', 'x_amzn_trace_id', 'session_id', 'trace_id', 'spanId', 'user_id', 'userID', 'customer_id',
    'order_id', 'transaction_id', 'correlation_id', 'uuid', 'request_uuid', 'guid', 'client_ip', 'clientIP', 'sourceIpV4', 'user_agent',
  ])('%s is denied', key => {
    // WHEN
    const findings = policy.evaluate([use(key)]);
    // THEN
    expect(summary(findings)).toEqual([`${key}:denied`]);
    expect(findings[0].level).toBe(AnnotationFindingLevel.ERROR);
    expect(policy.isAllowed(key)).toBe(false);
  });

  test.each([
    'tenant_tier', 'region', 'plan', 'http_method', 'HTTPMethod', 'cache_hit', 'retry_count', 'order_kind', 'order_status', 'payment_method',
    'feature_flag', 'service_name', 'function_name', 'country', 'tokens_used', 'input_tokens', 'token_count', 'status_class', 'cold_start',
    'route', 'tenant_id', 'user_tier', 'zip_enabled', 'shipping_tier', 'time_span', 'is_mobile', 'emails_sent', 'ipc_mode', 'error_code',
  ])('%s passes', key => {
    // The key needs no overrideReason, and the policy reports nothing for it.
    const policy2 = allowing(key);
    expect(policy2.evaluate([use(key)])).toEqual([]);
    expect(policy.isAllowed(key)).toBe(true);
  });
});

describe('AnnotationPolicy: evaluate', () => {
  test('CHARSET: compliant and non-compliant keys', () => {
    // GIVEN
    const policy = allowing('tenant_tier');
    // WHEN
    const findings = policy.evaluate([use('tenant_tier'), use('tenant-tier'), use(''), use('k'.repeat(501)), use('user email')]);
    // THEN
    expect(summary(findings)).toEqual([':charset', 'k'.repeat(501) + ':charset', 'tenant-tier:charset', 'user email:charset', 'user email:denied']);
    expect(findings[2].message).toBe('Annotation key "tenant-tier" may contain only letters, digits and underscores (used by Stack/Fn). ' +
      'X-Ray filter expressions cannot match other characters and some SDKs drop such keys; use "tenant_tier".');
    expect(findings[0].message).toBe('Annotation key "" must be 1 to 500 characters long (used by Stack/Fn). Use a short, descriptive key such as "tenant_tier".');
  });

  test('DENIED: a denied key is reported once, with how to fix it', () => {
    // GIVEN
    const policy = allowing('tenant_tier');
    // WHEN
    const findings = policy.evaluate([use('tenant_tier'), use('user_email'), use('api_token', 'Stack/Task', AnnotationKeySource.ECS_TASK), use('requestId')]);
    // THEN
    expect(summary(findings)).toEqual(['api_token:denied', 'requestId:denied', 'user_email:denied']);
    expect(findings[2].message).toBe('Annotation key "user_email" matches the denied pattern "[a-z0-9]*email": an email address is personal data ' +
      '(used by Stack/Fn). Indexed annotations are searchable by anyone who can read traces for 30 days; do not index personal data, or index ' +
      'a coarse, non-identifying value instead (a country rather than an address). If indexing it is safe in this app, add it to allowedKeys with an overrideReason.');
    expect(findings[0].message).toMatch(/a token is a credential \(used by Stack\/Task\)\. Never record a secret in a trace/);
    expect(findings[1].message).toMatch(/Record the value as metadata, which X-Ray keeps with the trace without indexing it/);
  });

  test('DENIED: extra patterns match whole words, case-insensitively; ^ and $ anchor to the whole key', () => {
    // GIVEN
    const policy = new AnnotationPolicy({ deniedPatterns: ['badge_?number', '^code$'], allowUndeclaredKeys: true });
    // THEN
    expect(policy.deniedPatterns.slice(-2)).toEqual(['badge_?number', '^code$']);
    expect(policy.isAllowed('employee_badge_number')).toBe(false);
    expect(policy.isAllowed('BadgeNumber')).toBe(false);
    expect(policy.isAllowed('badge_numbers')).toBe(true);
    expect(policy.isAllowed('code')).toBe(false);
    expect(policy.isAllowed('error_code')).toBe(true);
    expect(policy.evaluate([use('code')])[0].message).toBe('Annotation key "code" matches the denied pattern "^code$": it is in deniedPatterns ' +
      '(used by Stack/Fn). Rename the key or remove the annotation. If indexing it is safe in this app, add it to allowedKeys with an overrideReason.');
  });

  test('NOT_ALLOWED: a key outside allowedKeys, from any source', () => {
    // GIVEN
    const policy = allowing('tenant_tier', 'region');
    // WHEN
    const findings = policy.evaluate([
      use('region', 'Stack/Fn'),
      use('plan', 'Stack/Task/app', AnnotationKeySource.ECS_TASK),
      use('cache_hit', 'Stack/Task/collector', AnnotationKeySource.COLLECTOR),
      use('tier', 'Stack/Group', AnnotationKeySource.GROUP_FILTER),
    ]);
    // THEN
    expect(summary(findings)).toEqual(['cache_hit:notAllowed', 'plan:notAllowed', 'tier:notAllowed']);
    expect(findings.every(f => f.level === AnnotationFindingLevel.ERROR)).toBe(true);
    expect(findings[1].message).toBe('Annotation key "plan" is not in the annotation policy\'s allowedKeys (used by Stack/Task/app). ' +
      'Add it to allowedKeys with its Cardinality, or stop declaring it.');
  });

  test('NOT_ALLOWED: keys are case-sensitive, and the message names the allowed spelling', () => {
    const findings = allowing('tenant_tier').evaluate([use('Tenant_Tier')]);
    expect(findings[0].message).toBe('Annotation key "Tenant_Tier" is not in the annotation policy\'s allowedKeys (used by Stack/Fn). ' +
      'Keys are case-sensitive and allowedKeys has "tenant_tier"; use that key.');
  });

  test('NOT_ALLOWED: with no allowedKeys, every key is reported', () => {
    expect(summary(new AnnotationPolicy().evaluate([use('region')]))).toEqual(['region:notAllowed']);
    expect(new AnnotationPolicy().isAllowed('region')).toBe(false);
  });

  test('NOT_ALLOWED: allowUndeclaredKeys accepts clean keys with an INFO finding, and still reports denied and bad keys', () => {
    // GIVEN
    const policy = new AnnotationPolicy({ allowUndeclaredKeys: true, allowedKeys: [{ key: 'region', cardinality: Cardinality.low() }] });
    // WHEN
    const findings = policy.evaluate([use('region'), use('plan'), use('user_id'), use('a.b')]);
    // THEN
    expect(findings.map(f => `${f.key}:${f.kind}:${f.level}`)).toEqual(['a.b:charset:error', 'plan:notAllowed:info', 'user_id:denied:error']);
    expect(findings[1].message).toBe('Annotation key "plan" is not in allowedKeys and is accepted because allowUndeclaredKeys is true (used by Stack/Fn). ' +
      'Add it to allowedKeys with its Cardinality to have its cardinality checked too.');
    expect(policy.isAllowed('plan')).toBe(true);
  });

  test('UNBOUNDED: an allowed key with Cardinality.unbounded() is reported where it is used', () => {
    // GIVEN
    const policy = new AnnotationPolicy({
      allowedKeys: [{ key: 'cart_value', cardinality: Cardinality.unbounded() }, { key: 'region', cardinality: Cardinality.low() }],
    });
    // WHEN
    const findings = policy.evaluate([use('cart_value'), use('region')]);
    // THEN
    expect(summary(findings)).toEqual(['cart_value:unbounded']);
    expect(findings[0].message).toBe('Annotation key "cart_value" is allowed with Cardinality.unbounded() (used by Stack/Fn). ' +
      'Every new value grows X-Ray\'s index and the cost of filtering; record the value as metadata, which is not indexed, ' +
      'and remove the key from allowedKeys and the annotations.');
    expect(policy.isAllowed('cart_value')).toBe(false);
    expect(policy.evaluate([use('region')])).toEqual([]);
  });

  test('CARDINALITY: a bounded key above maxCardinalityPerKey is reported; at the limit it is not', () => {
    // GIVEN
    const policy = new AnnotationPolicy({
      allowedKeys: [{ key: 'sku', cardinality: Cardinality.bounded(1001) }, { key: 'category', cardinality: Cardinality.bounded(1000) }],
    });
    // WHEN
    const findings = policy.evaluate([use('sku'), use('category')]);
    // THEN
    expect(summary(findings)).toEqual(['sku:cardinality']);
    expect(findings[0].message).toBe('Annotation key "sku" is allowed with Cardinality.bounded(1001), more than maxCardinalityPerKey (1000) ' +
      '(used by Stack/Fn). Index a coarser value (a tier or a bucket instead of the raw value), record the value as metadata, or raise maxCardinalityPerKey.');
    expect(policy.isAllowed('category')).toBe(true);
  });

  test('CARDINALITY: a custom maxCardinalityPerKey', () => {
    const policy = new AnnotationPolicy({ maxCardinalityPerKey: 20, allowedKeys: [{ key: 'tenant', cardinality: Cardinality.bounded(21) }] });
    expect(summary(policy.evaluate([use('tenant')]))).toEqual(['tenant:cardinality']);
    const policy2 = new AnnotationPolicy({ maxCardinalityPerKey: 20, allowedKeys: [{ key: 'tenant', cardinality: Cardinality.bounded(20) }] });
    expect(policy2.evaluate([use('tenant')])).toEqual([]);
  });

  test('BUDGET: 50 distinct keys across the app pass; 51 are reported once, with the count and the keys', () => {
    // GIVEN
    const keys = keysNumbered(51);
    const policy = allowing(...keys);
    const usages = keys.map((key, i) => use(key, i % 2 === 0 ? 'Stack/Fn' : 'Stack/Task', i % 2 === 0 ? AnnotationKeySource.LAMBDA_FUNCTION
      : AnnotationKeySource.ECS_TASK));
    // WHEN / THEN
    expect(policy.evaluate(usages.slice(0, 50))).toEqual([]);
    expect(policy.evaluate([...usages.slice(0, 50), use('key_00', 'Stack/Other')])).toEqual([]);
    const findings = policy.evaluate(usages);
    expect(findings).toEqual([{
      kind: AnnotationFindingKind.BUDGET,
      level: AnnotationFindingLevel.ERROR,
      key: '*',
      sources: ['Stack/Fn', 'Stack/Task'],
      message: `51 distinct annotation keys are declared across the app, more than maxIndexedAnnotationsPerTrace (50): ${keys.join(', ')}. ` +
        'A trace can cross every service in the app and X-Ray indexes at most 50 annotations per trace; remove keys, or record their values ' +
        'as metadata, which is not indexed.',
    }]);
  });

  test('BUDGET: a custom budget; group filter keys and tokens do not count; the budget finding comes last', () => {
    // GIVEN
    const keys = keysNumbered(3);
    const allowedKeys = keys.map(key => ({ key, cardinality: Cardinality.low() }));
    const policy = new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: 2, allowedKeys });
    // WHEN / THEN
    expect(policy.evaluate([use('key_00'), use('key_01'), use('key_02', 'Stack/Group', AnnotationKeySource.GROUP_FILTER),
      use(Token.asString({ Ref: 'K' }))])).toEqual([]);
    expect(summary(policy.evaluate([use('zzz'), use('key_00'), use('key_01'), use('key_02')])))
      .toEqual(['zzz:notAllowed', '*:budget']);
  });

  test('grouping: one finding lists every source of its key, sorted and without duplicates', () => {
    // GIVEN
    const policy = new AnnotationPolicy();
    // WHEN
    const findings = policy.evaluate([
      use('plan', 'Stack/Task/app', AnnotationKeySource.ECS_TASK),
      use('plan', 'Stack/Fn'),
      use('plan', 'Stack/Group', AnnotationKeySource.GROUP_FILTER),
      use('plan', 'Stack/Fn'),
    ]);
    // THEN
    expect(findings).toHaveLength(1);
    expect(findings[0].sources).toEqual(['Stack/Fn', 'Stack/Group', 'Stack/Task/app']);
    expect(findings[0].message).toMatch(/\(used by Stack\/Fn, Stack\/Group, Stack\/Task\/app\)/);
  });

  test('determinism: findings are ordered by key, then kind, whatever the order of the usages', () => {
    // GIVEN
    const policy = new AnnotationPolicy({ allowedKeys: [{ key: 'b_key', cardinality: Cardinality.unbounded() }] });
    const usages = [use('user-email', 'S/B'), use('b_key', 'S/C'), use('Z', 'S/A'), use('a', 'S/D'), use('user-email', 'S/A'), use('_', 'S/E')];
    // WHEN
    const first = policy.evaluate(usages);
    const reversed = policy.evaluate([...usages].reverse());
    // THEN
    expect(reversed).toEqual(first);
    expect(summary(first)).toEqual(['Z:notAllowed', '_:notAllowed', 'a:notAllowed', 'b_key:unbounded', 'user-email:charset', 'user-email:denied']);
    expect(first[4].sources).toEqual(['S/A', 'S/B']);
  });

  test('tokens: unresolved keys are skipped', () => {
    // GIVEN
    const policy = new AnnotationPolicy();
    // WHEN / THEN
    expect(policy.evaluate([use(Token.asString({ Ref: 'Key' })), use(Lazy.string({ produce: () => 'user-email' }))])).toEqual([]);
    expect(policy.isAllowed(Token.asString({ Ref: 'Key' }))).toBe(true);
  });

  test('evaluate is pure: no input is changed and repeated calls agree', () => {
    const policy = allowing('region');
    const usages = [use('plan'), use('region')];
    const copy = JSON.parse(JSON.stringify(usages));
    expect(policy.evaluate(usages)).toEqual(policy.evaluate(usages));
    expect(usages).toEqual(copy);
    expect(policy.evaluate([])).toEqual([]);
  });
});

describe('AnnotationPolicy props: validation table (bad, boundary, token)', () => {
  const low = Cardinality.low();
  const key = (k: string, extra: Record<string, unknown> = {}) => ({ allowedKeys: [{ key: k, cardinality: low, ...extra }] as any });
  const cases: Array<[string, any, RegExp | null]> = [
    ['props bad: null', null, /^\[AnnotationPolicy\] props must be an object \(got null\)\./],
    ['allowedKeys bad: not a list', { allowedKeys: 'tenant_tier' }, /^\[AnnotationPolicy\] allowedKeys must be a list \(got "tenant_tier"\)\. Pass \[/],
    ['allowedKeys boundary: [] passes', { allowedKeys: [] }, null],
    ['allowedKeys[i] bad: undefined entry', { allowedKeys: [undefined] }, /^\[AnnotationPolicy\] allowedKeys\[0\] must be an object with key and cardinality \(got undefined\)/],
    ['allowedKeys[i].key bad: a number', key(5 as any), /allowedKeys\[0\]\.key must be a string \(got 5\)/],
    ['allowedKeys[i].key bad: a dash', key('tenant-tier'), /allowedKeys\[0\]\.key may contain only letters, digits and underscores \(got "tenant-tier"\)/],
    ['allowedKeys[i].key boundary: 500 characters pass', key('k'.repeat(500)), null],
    ['allowedKeys[i].key boundary: 501 characters fail', key('k'.repeat(501)), /allowedKeys\[0\]\.key must be 1 to 500 characters long/],
    ['allowedKeys[i].key boundary: "" fails', key(''), /allowedKeys\[0\]\.key must be 1 to 500 characters long \(got ""\)/],
    ['allowedKeys[i].key token passes', key(Token.asString({ Ref: 'K' })), null],
    ['allowedKeys[i].cardinality bad: a string', key('tier', { cardinality: 'low' }), /allowedKeys\[0\]\.cardinality is required \(got "low"\)/],
    ['allowedKeys[i].overrideReason bad: too short', key('user_email', { overrideReason: 'ok' }),
      /allowedKeys\[0\]\.overrideReason must explain the exception in at least 10 characters besides spaces \(got "ok"\)/],
    ['allowedKeys[i].overrideReason boundary: 10 characters pass', key('user_email', { overrideReason: '0123456789' }), null],
    ['allowedKeys[i].overrideReason boundary: 9 characters fail', key('user_email', { overrideReason: '012345678 ' }), /overrideReason must explain the exception/],
    ['allowedKeys[i].overrideReason token passes', key('user_email', { overrideReason: Token.asString({ Ref: 'Why' }) }), null],
    ['deniedPatterns bad: not a list', { deniedPatterns: 'badge' }, /^\[AnnotationPolicy\] deniedPatterns must be a list \(got "badge"\)/],
    ['deniedPatterns[i] bad: invalid regex', { deniedPatterns: ['(x'] }, /deniedPatterns\[0\] is not a valid regular expression \(got "\(x"\)/],
    ['deniedPatterns[i] bad: a number', { deniedPatterns: [3] }, /deniedPatterns\[0\] must be a string \(got 3\)/],
    ['deniedPatterns[i] boundary: one character passes', { deniedPatterns: ['x'] }, null],
    ['deniedPatterns[i] boundary: blank fails', { deniedPatterns: [' '] }, /deniedPatterns\[0\] must not be empty/],
    ['deniedPatterns[i] token passes', { deniedPatterns: [Token.asString({ Ref: 'P' })] }, null],
    ['useDefaultDeniedPatterns bad: "no"', { useDefaultDeniedPatterns: 'no' }, /^\[AnnotationPolicy\] useDefaultDeniedPatterns must be true or false \(got "no"\)/],
    ['allowUndeclaredKeys bad: 1', { allowUndeclaredKeys: 1 }, /^\[AnnotationPolicy\] allowUndeclaredKeys must be true or false \(got 1\)/],
    ['maxIndexedAnnotationsPerTrace bad: 2.5', { maxIndexedAnnotationsPerTrace: 2.5 }, /maxIndexedAnnotationsPerTrace must be a whole number from 1 to 50 \(got 2\.5\)/],
    ['maxIndexedAnnotationsPerTrace boundary: 50 passes', { maxIndexedAnnotationsPerTrace: 50 }, null],
    ['maxIndexedAnnotationsPerTrace boundary: 51 fails', { maxIndexedAnnotationsPerTrace: 51 }, /must be a whole number from 1 to 50 \(got 51\)/],
    ['maxIndexedAnnotationsPerTrace boundary: 1 passes', { maxIndexedAnnotationsPerTrace: 1 }, null],
    ['maxIndexedAnnotationsPerTrace boundary: 0 fails', { maxIndexedAnnotationsPerTrace: 0 }, /must be a whole number from 1 to 50 \(got 0\)/],
    ['maxIndexedAnnotationsPerTrace token passes', { maxIndexedAnnotationsPerTrace: Token.asNumber({ Ref: 'N' }) }, null],
    ['maxCardinalityPerKey bad: NaN', { maxCardinalityPerKey: NaN }, /maxCardinalityPerKey must be a whole number of at least 1 \(got NaN\)/],
    ['maxCardinalityPerKey boundary: 1 passes', { maxCardinalityPerKey: 1 }, null],
    ['maxCardinalityPerKey boundary: 0 fails', { maxCardinalityPerKey: 0 }, /maxCardinalityPerKey must be a whole number of at least 1 \(got 0\)/],
    ['maxCardinalityPerKey token passes', { maxCardinalityPerKey: Token.asNumber({ Ref: 'N' }) }, null],
  ];

  test.each(cases)('%s', (_, props, error) => {
    if (error === null) {
      expect(() => new AnnotationPolicy(props)).not.toThrow();
    } else {
      expect(() => new AnnotationPolicy(props)).toThrow(error);
    }
  });

  test('tokens are never read as numbers: a deploy-time budget keeps X-Ray\'s 50, a deploy-time bound is not compared', () => {
    const budgetToken = new AnnotationPolicy({ maxIndexedAnnotationsPerTrace: Token.asNumber({ Ref: 'N' }), allowUndeclaredKeys: true });
    expect(summary(budgetToken.evaluate(keysNumbered(50).map(k => use(k))).filter(f => f.level === AnnotationFindingLevel.ERROR))).toEqual([]);
    expect(summary(budgetToken.evaluate(keysNumbered(51).map(k => use(k))).filter(f => f.kind === AnnotationFindingKind.BUDGET))).toEqual(['*:budget']);
    const boundToken = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant', cardinality: Cardinality.bounded(Token.asNumber({ Ref: 'Tenants' })) }], maxCardinalityPerKey: 10 });
    expect(boundToken.evaluate([use('tenant')])).toEqual([]);
    const maxToken = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant', cardinality: Cardinality.bounded(5000) }], maxCardinalityPerKey: Token.asNumber({ Ref: 'M' }) });
    expect(maxToken.evaluate([use('tenant')])).toEqual([]);
  });
});

describe('Cardinality.bounded: validation table (bad, boundary, token)', () => {
  test.each<[string, number, RegExp | null]>([
    ['bad: 2.5', 2.5, /^\[Cardinality\] maxValues must be a whole number of at least 1 \(got 2\.5\)/],
    ['bad: Infinity', Infinity, /maxValues must be a whole number of at least 1 \(got Infinity\)/],
    ['bad: "20"', '20' as any, /maxValues must be a whole number of at least 1 \(got "20"\)/],
    ['boundary: 1 passes', 1, null],
    ['boundary: 0 fails', 0, /maxValues must be a whole number of at least 1 \(got 0\)/],
    ['token passes', Token.asNumber({ Ref: 'N' }), null],
  ])('%s', (_, maxValues, error) => {
    if (error === null) {
      expect(Cardinality.bounded(maxValues).kind).toBe('bounded');
    } else {
      expect(() => Cardinality.bounded(maxValues)).toThrow(error);
    }
  });

  test('a deploy-time bound prints as a token, not as a huge negative number', () => {
    expect(String(Cardinality.bounded(Token.asNumber({ Ref: 'N' })))).toBe('Cardinality.bounded(<token>)');
  });
});

describe('AnnotationPolicy.evaluate and isAllowed: bad input is an error in the house format, not a TypeError', () => {
  test.each<[string, any, RegExp]>([
    ['not a list', undefined, /^\[AnnotationPolicy\] evaluate\(usages\) must be a list \(got undefined\)/],
    ['an undefined entry', [undefined], /^\[AnnotationPolicy\] evaluate\(usages\[0\]\) must have a string key and a string source \(got undefined\)/],
    ['an entry without a key', [{ source: 'S/Fn' }], /evaluate\(usages\[0\]\) must have a string key and a string source/],
  ])('evaluate: %s', (_, usages, error) => {
    expect(() => new AnnotationPolicy().evaluate(usages)).toThrow(error);
  });

  test('evaluate([]) has no finding; isAllowed needs a string', () => {
    expect(new AnnotationPolicy().evaluate([])).toEqual([]);
    expect(() => new AnnotationPolicy().isAllowed(undefined as any)).toThrow(/^\[AnnotationPolicy\] isAllowed\(key\) must be a string \(got undefined\)/);
  });
});

describe('keys an instrumentation records by itself (AnnotationKeySource.INSTRUMENTATION)', () => {
  const recorded = (key: string): AnnotationKeyUsage => ({ key, source: 'S/Fn (recorded by Powertools Tracer)', kind: AnnotationKeySource.INSTRUMENTATION });
  const declared = (key: string): AnnotationKeyUsage => ({ key, source: 'S/Fn', kind: AnnotationKeySource.LAMBDA_FUNCTION });
  const strict = new AnnotationPolicy({ allowedKeys: [{ key: 'tenant_tier', cardinality: Cardinality.low() }] });

  test('ColdStart and Service are accepted without an allowedKeys entry, reported as INFO', () => {
    // WHEN
    const findings = strict.evaluate([declared('tenant_tier'), recorded('ColdStart'), recorded('Service')]);
    // THEN
    expect(findings.map(f => [f.key, f.kind, f.level])).toEqual([
      ['ColdStart', AnnotationFindingKind.NOT_ALLOWED, AnnotationFindingLevel.INFO],
      ['Service', AnnotationFindingKind.NOT_ALLOWED, AnnotationFindingLevel.INFO],
    ]);
    expect(findings[1].message).toContain('(used by S/Fn (recorded by Powertools Tracer))');
    expect(findings[1].message).toContain('accepted as Cardinality.low()');
  });

  test('a denied pattern catches them', () => {
    const policy = new AnnotationPolicy({ deniedPatterns: ['service'], allowUndeclaredKeys: true });
    const errors = policy.evaluate([recorded('ColdStart'), recorded('Service')]).filter(f => f.level === AnnotationFindingLevel.ERROR);
    expect(errors.map(f => [f.key, f.kind])).toEqual([['Service', AnnotationFindingKind.DENIED]]);
  });

  test('they count towards the budget', () => {
    const keys = Array.from({ length: 49 }, (_, i) => declared(`k${i}`));
    const policy = new AnnotationPolicy({ allowUndeclaredKeys: true });
    expect(policy.evaluate([...keys, recorded('ColdStart')]).some(f => f.kind === AnnotationFindingKind.BUDGET)).toBe(false);
    expect(policy.evaluate([...keys, recorded('ColdStart'), recorded('Service')]).filter(f => f.kind === AnnotationFindingKind.BUDGET)).toHaveLength(1);
  });

  test('a key the code declares too, or any other recorded key, gets no allowance', () => {
    expect(strict.evaluate([recorded('Service'), declared('Service')]).map(f => [f.key, f.level]))
      .toEqual([['Service', AnnotationFindingLevel.ERROR]]);
    expect(strict.evaluate([recorded('cache_hit')]).map(f => [f.key, f.level])).toEqual([['cache_hit', AnnotationFindingLevel.ERROR]]);
  });

  test('an allowedKeys entry takes precedence: its cardinality is checked', () => {
    const policy = new AnnotationPolicy({ allowedKeys: [{ key: 'Service', cardinality: Cardinality.unbounded() }] });
    expect(policy.evaluate([recorded('Service')]).map(f => f.kind)).toEqual([AnnotationFindingKind.UNBOUNDED]);
  });
});
