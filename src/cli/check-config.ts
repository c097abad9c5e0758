import { MAX_REQUESTS_PER_SECOND } from '../cost/limits';
import { AllowedAnnotationKey, AnnotationPolicy, AnnotationPolicyProps } from '../policy/annotation-policy';
import { Cardinality } from '../policy/cardinality';
import { renderValue } from '../private/errors';

/**
 * The JSON form of `XRayChecksProps` that `cdk-xray check --config` reads (schema: `schemas/xray-checks.schema.json`).
 * The annotation policy is `AnnotationPolicyProps` as JSON, with a key's cardinality as `"low"`, `"unbounded"` or a
 * whole number (at most that many distinct values, `Cardinality.bounded(n)`).
 */
export interface CheckConfig {
  /** Absent: the pack's default policy (`allowUndeclaredKeys: true`); present: exactly the policy given. */
  readonly annotationPolicy?: AnnotationPolicy;
  readonly monthlyBudgetUsd?: number;
  readonly requestsPerSecondByRule?: { readonly [ruleName: string]: number };
  readonly warningsFail?: boolean;
  readonly verbose?: boolean;
}

/** A config file the command cannot use: the CLI prints the message and exits with code 3. */
export class CheckConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckConfigError';
  }
}

const TOP_LEVEL = ['$schema', 'annotationPolicy', 'monthlyBudgetUsd', 'requestsPerSecondByRule', 'warningsFail', 'verbose'];
const POLICY = ['allowedKeys', 'deniedPatterns', 'useDefaultDeniedPatterns', 'maxIndexedAnnotationsPerTrace', 'maxCardinalityPerKey', 'allowUndeclaredKeys'];
const ALLOWED_KEY = ['key', 'cardinality', 'overrideReason'];
/** The most characters a sampling rule name has (CloudFormation `RuleName`). */
const MAX_RULE_NAME_LENGTH = 32;

/**
 * Reads a parsed `xray-checks.json`. Every field is checked, and every problem is reported together, each naming the
 * JSON path, the value and the fix. `source` names the file in messages.
 */
export function parseCheckConfig(json: unknown, source: string): CheckConfig {
  const problems: string[] = [];
  const add = (at: string, problem: string, got: unknown, fix: string) => {
    problems.push(`${at} ${problem} (got ${renderValue(got)}). ${fix}`);
  };
  if (!isObject(json)) {
    add('$', 'must be an object', json, 'Write e.g. {"warningsFail": true}.');
    throw configError(source, problems);
  }
  unknownFields(json, '$', TOP_LEVEL, add);
  const policy = json.annotationPolicy === undefined ? undefined : policyProps(json.annotationPolicy, add);

  const budget = json.monthlyBudgetUsd;
  if (budget !== undefined && !(typeof budget === 'number' && Number.isFinite(budget) && budget >= 0)) {
    add('$.monthlyBudgetUsd', 'must be a number of 0 or more', budget, 'Write the monthly X-Ray budget in USD, e.g. 100.');
  }
  const rps = json.requestsPerSecondByRule;
  if (rps !== undefined && !isObject(rps)) {
    add('$.requestsPerSecondByRule', 'must be an object of sampling rule name to requests per second', rps, 'Write e.g. {"orders-api": 150, "Default": 5}.');
  } else if (rps !== undefined) {
    for (const [name, value] of Object.entries(rps)) {
      const at = `$.requestsPerSecondByRule[${JSON.stringify(name)}]`;
      if (name.length === 0 || name.length > MAX_RULE_NAME_LENGTH) {
        add(at, `must be named after a sampling rule: 1 to ${MAX_RULE_NAME_LENGTH} characters`, name,
          'Use the rule\'s RuleName, or Default for X-Ray\'s default rule.');
      }
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_REQUESTS_PER_SECOND)) {
        add(at, `must be a number of requests per second from 0 to ${MAX_REQUESTS_PER_SECOND}`, value,
          'Write the average requests per second the rule matches, e.g. 150.');
      }
    }
  }
  const hasTraffic = isObject(rps) && Object.keys(rps).length > 0;
  if (budget !== undefined && !hasTraffic) {
    add('$.requestsPerSecondByRule', 'is required with monthlyBudgetUsd: without traffic there is nothing to estimate', rps,
      'Add the requests per second of each sampling rule, e.g. {"orders-api": 150, "Default": 5}, or remove monthlyBudgetUsd.');
  }
  if (budget === undefined && rps !== undefined) {
    add('$.monthlyBudgetUsd', 'is required with requestsPerSecondByRule: without a budget the cost check does not run', budget,
      'Add the monthly X-Ray budget in USD, e.g. 100, or remove requestsPerSecondByRule.');
  }
  for (const flag of ['warningsFail', 'verbose'] as const) {
    if (json[flag] !== undefined && typeof json[flag] !== 'boolean') {
      add(`$.${flag}`, 'must be true or false', json[flag], `Write true or false, or remove ${flag} for the default (false).`);
    }
  }
  if (problems.length > 0) {
    throw configError(source, problems);
  }
  let annotationPolicy: AnnotationPolicy | undefined;
  if (policy !== undefined) {
    try {
      annotationPolicy = new AnnotationPolicy(policy);
    } catch (e: any) {
      // What only the policy itself checks (a denied pattern that is no regular expression, an override reason too short)
      throw configError(source, [`$.annotationPolicy: ${e.message}`]);
    }
  }
  return {
    ...(annotationPolicy !== undefined ? { annotationPolicy } : {}),
    ...(budget !== undefined ? { monthlyBudgetUsd: budget as number } : {}),
    ...(rps !== undefined ? { requestsPerSecondByRule: rps as Record<string, number> } : {}),
    ...(json.warningsFail !== undefined ? { warningsFail: json.warningsFail as boolean } : {}),
    ...(json.verbose !== undefined ? { verbose: json.verbose as boolean } : {}),
  };
}

type Add = (at: string, problem: string, got: unknown, fix: string) => void;

function policyProps(json: unknown, add: Add): AnnotationPolicyProps | undefined {
  const at = '$.annotationPolicy';
  if (!isObject(json)) {
    add(at, 'must be an object', json, 'Write e.g. {"allowedKeys": [{"key": "tenant_tier", "cardinality": "low"}]}.');
    return undefined;
  }
  unknownFields(json, at, POLICY, add);
  for (const flag of ['useDefaultDeniedPatterns', 'allowUndeclaredKeys'] as const) {
    if (json[flag] !== undefined && typeof json[flag] !== 'boolean') {
      add(`${at}.${flag}`, 'must be true or false', json[flag], `Write true or false, or remove ${flag} for the default.`);
    }
  }
  const max = json.maxIndexedAnnotationsPerTrace;
  if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= 50)) {
    add(`${at}.maxIndexedAnnotationsPerTrace`, 'must be a whole number from 1 to 50', max, 'X-Ray indexes at most 50 annotations per trace; write e.g. 50.');
  }
  const maxCardinality = json.maxCardinalityPerKey;
  if (maxCardinality !== undefined && !(Number.isInteger(maxCardinality) && (maxCardinality as number) >= 1)) {
    add(`${at}.maxCardinalityPerKey`, 'must be a whole number of at least 1', maxCardinality, 'Write the most distinct values one key may take, e.g. 1000.');
  }
  const denied = json.deniedPatterns;
  if (denied !== undefined && !(Array.isArray(denied) && denied.every(p => typeof p === 'string' && p.length > 0))) {
    add(`${at}.deniedPatterns`, 'must be a list of regular expression sources', denied, 'Write e.g. ["badge_?number"].');
  }
  const allowed: AllowedAnnotationKey[] = [];
  if (json.allowedKeys !== undefined && !Array.isArray(json.allowedKeys)) {
    add(`${at}.allowedKeys`, 'must be a list', json.allowedKeys, 'Write e.g. [{"key": "tenant_tier", "cardinality": "low"}].');
  } else if (Array.isArray(json.allowedKeys)) {
    json.allowedKeys.forEach((entry, i) => {
      const key = allowedKey(entry, `${at}.allowedKeys[${i}]`, add);
      if (key !== undefined) {
        allowed.push(key);
      }
    });
  }
  return {
    ...(json.allowedKeys !== undefined ? { allowedKeys: allowed } : {}),
    ...(denied !== undefined ? { deniedPatterns: denied as string[] } : {}),
    ...(json.useDefaultDeniedPatterns !== undefined ? { useDefaultDeniedPatterns: json.useDefaultDeniedPatterns as boolean } : {}),
    ...(max !== undefined ? { maxIndexedAnnotationsPerTrace: max as number } : {}),
    ...(maxCardinality !== undefined ? { maxCardinalityPerKey: maxCardinality as number } : {}),
    ...(json.allowUndeclaredKeys !== undefined ? { allowUndeclaredKeys: json.allowUndeclaredKeys as boolean } : {}),
  };
}

function allowedKey(json: unknown, at: string, add: Add): AllowedAnnotationKey | undefined {
  if (!isObject(json)) {
    add(at, 'must be an object', json, 'Write e.g. {"key": "tenant_tier", "cardinality": "low"}.');
    return undefined;
  }
  unknownFields(json, at, ALLOWED_KEY, add);
  let ok = true;
  if (typeof json.key !== 'string' || !/^[A-Za-z0-9_]{1,500}$/.test(json.key)) {
    add(`${at}.key`, 'must be an annotation key: 1 to 500 letters, digits and underscores', json.key, 'Write the key as the code annotates it, e.g. "tenant_tier".');
    ok = false;
  }
  const c = json.cardinality;
  let cardinality: Cardinality | undefined;
  if (c === 'low') {
    cardinality = Cardinality.low();
  } else if (c === 'unbounded') {
    cardinality = Cardinality.unbounded();
  } else if (Number.isInteger(c) && (c as number) >= 1) {
    cardinality = Cardinality.bounded(c as number);
  } else {
    add(`${at}.cardinality`, 'must be "low", "unbounded" or a whole number of at least 1 (the most distinct values)', c,
      'Write "low" for a handful of values, e.g. 20 for at most 20, or "unbounded" for IDs and free text.');
    ok = false;
  }
  if (json.overrideReason !== undefined && typeof json.overrideReason !== 'string') {
    add(`${at}.overrideReason`, 'must be a string', json.overrideReason, 'Write why indexing this key is acceptable, in at least 10 characters.');
    ok = false;
  }
  if (!ok || cardinality === undefined) {
    return undefined;
  }
  return { key: json.key as string, cardinality, ...(json.overrideReason !== undefined ? { overrideReason: json.overrideReason as string } : {}) };
}

function unknownFields(json: Record<string, unknown>, at: string, known: readonly string[], add: Add): void {
  for (const name of Object.keys(json)) {
    if (!known.includes(name)) {
      add(`${at}.${name}`, 'is not a field here', json[name], `Remove it; the fields are ${known.filter(k => k !== '$schema').join(', ')}.`);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function configError(source: string, problems: string[]): CheckConfigError {
  return new CheckConfigError(problems.length === 1
    ? `the config ${source} cannot be used: ${problems[0]}`
    : `the config ${source} cannot be used, ${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
}
