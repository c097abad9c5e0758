import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parseCheckConfig } from '../../src/cli/check-config';
import { Cardinality } from '../../src/policy/cardinality';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'xray-checks.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

/** The configs the docs and examples show, and a complete one. */
const GOOD: Record<string, unknown> = {
  'examples/ci-policy/xray-checks.json': JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'ci-policy', 'xray-checks.json'), 'utf8')),
  'empty': {},
  'complete': {
    $schema: 'https://example.com/xray-checks.schema.json',
    annotationPolicy: {
      allowedKeys: [
        { key: 'tenant_tier', cardinality: 'low' },
        { key: 'region', cardinality: 20 },
        { key: 'user_id', cardinality: 'unbounded', overrideReason: 'Hashed, and the table is small.' },
      ],
      deniedPatterns: ['badge_?number'],
      useDefaultDeniedPatterns: true,
      maxIndexedAnnotationsPerTrace: 40,
      maxCardinalityPerKey: 500,
      allowUndeclaredKeys: false,
    },
    monthlyBudgetUsd: 250,
    requestsPerSecondByRule: { 'orders-api': 150, 'Default': 5 },
    warningsFail: true,
    verbose: false,
  },
};

/** Configs both the schema and the parser refuse, with the JSON path the parser's message names. */
const BAD: Array<[string, unknown, string]> = [
  ['not an object', [], '$ must be an object (got [])'],
  ['unknown field', { warnings: true }, '$.warnings is not a field here (got true). Remove it; the fields are'],
  ['warningsFail not a boolean', { warningsFail: 'yes' }, '$.warningsFail must be true or false (got "yes")'],
  ['negative budget', { monthlyBudgetUsd: -1, requestsPerSecondByRule: { a: 1 } }, '$.monthlyBudgetUsd must be a number of 0 or more (got -1)'],
  ['budget without traffic', { monthlyBudgetUsd: 10 }, '$.requestsPerSecondByRule is required with monthlyBudgetUsd'],
  ['traffic without budget', { requestsPerSecondByRule: { a: 1 } }, '$.monthlyBudgetUsd is required with requestsPerSecondByRule'],
  ['traffic not a number', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { a: 'many' } },
    '$.requestsPerSecondByRule["a"] must be a number of requests per second from 0 to 1000000000 (got "many")'],
  ['rule name too long', { monthlyBudgetUsd: 1, requestsPerSecondByRule: { ['r'.repeat(33)]: 1 } },
    `$.requestsPerSecondByRule["${'r'.repeat(33)}"] must be named after a sampling rule: 1 to 32 characters`],
  ['policy not an object', { annotationPolicy: true }, '$.annotationPolicy must be an object (got true)'],
  ['unknown policy field', { annotationPolicy: { allowed: [] } }, '$.annotationPolicy.allowed is not a field here'],
  ['budget above 50', { annotationPolicy: { maxIndexedAnnotationsPerTrace: 51 } },
    '$.annotationPolicy.maxIndexedAnnotationsPerTrace must be a whole number from 1 to 50 (got 51)'],
  ['max cardinality 0', { annotationPolicy: { maxCardinalityPerKey: 0 } }, '$.annotationPolicy.maxCardinalityPerKey must be a whole number of at least 1 (got 0)'],
  ['allowUndeclaredKeys a string', { annotationPolicy: { allowUndeclaredKeys: 'true' } }, '$.annotationPolicy.allowUndeclaredKeys must be true or false (got "true")'],
  ['denied patterns not a list', { annotationPolicy: { deniedPatterns: 'email' } }, '$.annotationPolicy.deniedPatterns must be a list of regular expression sources'],
  ['allowedKeys not a list', { annotationPolicy: { allowedKeys: {} } }, '$.annotationPolicy.allowedKeys must be a list (got {})'],
  ['bad key', { annotationPolicy: { allowedKeys: [{ key: 'tenant-tier', cardinality: 'low' }] } },
    '$.annotationPolicy.allowedKeys[0].key must be an annotation key: 1 to 500 letters, digits and underscores (got "tenant-tier")'],
  ['no cardinality', { annotationPolicy: { allowedKeys: [{ key: 'tier' }] } },
    '$.annotationPolicy.allowedKeys[0].cardinality must be "low", "unbounded" or a whole number of at least 1 (the most distinct values) (got undefined)'],
  ['cardinality 0', { annotationPolicy: { allowedKeys: [{ key: 'tier', cardinality: 0 }] } }, '$.annotationPolicy.allowedKeys[0].cardinality must be'],
  ['cardinality "high"', { annotationPolicy: { allowedKeys: [{ key: 'tier', cardinality: 'high' }] } }, '(got "high")'],
  ['unknown key field', { annotationPolicy: { allowedKeys: [{ key: 'tier', cardinality: 'low', reason: 'x' }] } },
    '$.annotationPolicy.allowedKeys[0].reason is not a field here'],
];

describe('xray-checks.json: the schema and the parser agree', () => {
  test.each(Object.entries(GOOD))('%s: the schema accepts it and so does the parser', (_name, config) => {
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(() => parseCheckConfig(config, 'xray-checks.json')).not.toThrow();
  });

  test.each(BAD)('%s: the schema refuses it and the parser names the path, the value and the fix', (_name, config, message) => {
    expect(validate(config)).toBe(false);
    expect(() => parseCheckConfig(config, 'xray-checks.json')).toThrow(message);
  });

  test('every problem is reported together, with the file', () => {
    expect(() => parseCheckConfig({ warningsFail: 1, verbose: 2 }, 'ci/xray-checks.json'))
      .toThrow(/^the config ci\/xray-checks\.json cannot be used, 2 problems:\n {2}- \$\.warningsFail .*\n {2}- \$\.verbose /);
  });

  test('what only the policy checks (a pattern that is no regular expression) is reported under $.annotationPolicy', () => {
    expect(() => parseCheckConfig({ annotationPolicy: { deniedPatterns: ['(unclosed'] } }, 'x.json')).toThrow(/^the config x\.json cannot be used: \$\.annotationPolicy: /);
  });

  test('the JSON form maps onto AnnotationPolicy and the pack\'s options', () => {
    const config = parseCheckConfig(GOOD.complete, 'x.json');
    expect(config.annotationPolicy?.allowedKeys).toEqual([
      { key: 'tenant_tier', cardinality: Cardinality.low() },
      { key: 'region', cardinality: Cardinality.bounded(20) },
      { key: 'user_id', cardinality: Cardinality.unbounded(), overrideReason: 'Hashed, and the table is small.' },
    ]);
    expect(config.annotationPolicy).toMatchObject({ maxIndexedAnnotationsPerTrace: 40, maxCardinalityPerKey: 500, allowUndeclaredKeys: false });
    expect(config.annotationPolicy?.deniedPatterns).toContain('badge_?number');
    expect(config).toMatchObject({ monthlyBudgetUsd: 250, requestsPerSecondByRule: { 'orders-api': 150, 'Default': 5 }, warningsFail: true, verbose: false });
    expect(parseCheckConfig({}, 'x.json')).toEqual({});
  });
});
