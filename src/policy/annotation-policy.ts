import { Token } from 'aws-cdk-lib';
import { Cardinality } from './cardinality';
import { annotationKeyProblem, MAX_ANNOTATIONS_PER_TRACE } from '../private/annotation-keys';
import { renderValue, problemMessage, ProblemCollector } from '../private/errors';

/** Where an annotation key was found. */
export enum AnnotationKeySource {
  /** Declared by a Lambda function (`TracedFunction`, `LambdaTracing.enable`). */
  LAMBDA_FUNCTION = 'lambda',
  /** Declared by an ECS task definition or one of its containers. */
  ECS_TASK = 'ecs',
  /** Declared by a container of a Kubernetes workload on an EKS cluster (`EksTracing.addWorkload`, or `XRAY_ANNOTATION_KEYS` set by hand). */
  EKS_WORKLOAD = 'eks',
  /** Rendered as an indexed attribute by a collector configuration. */
  COLLECTOR = 'collector',
  /**
   * Recorded by a function's instrumentation itself on every invocation, whatever the code declares: the Powertools
   * Tracer's `ColdStart` and `Service` (`LambdaInstrumentation.powertools()`).
   */
  INSTRUMENTATION = 'instrumentation',
  /** Referenced as `annotation.KEY` by a group's filter expression: read, not written, so it does not count towards the budget. */
  GROUP_FILTER = 'group',
  /** Anything else. */
  OTHER = 'other',
}

/** What is wrong with an annotation key. Findings of one key are ordered as these kinds are declared. */
export enum AnnotationFindingKind {
  /** The key has characters or a length X-Ray does not accept. */
  CHARSET = 'charset',
  /** The key matches a denied pattern (personal data, a secret or an unbounded identifier) and has no override. */
  DENIED = 'denied',
  /** The key is not in the policy's allowed keys. */
  NOT_ALLOWED = 'notAllowed',
  /** The key is allowed with `Cardinality.unbounded()`. */
  UNBOUNDED = 'unbounded',
  /** The key is allowed with `Cardinality.bounded(n)` and n is above `maxCardinalityPerKey`. */
  CARDINALITY = 'cardinality',
  /** The app declares more distinct keys than `maxIndexedAnnotationsPerTrace`. */
  BUDGET = 'budget',
}

/** How serious a finding is. */
export enum AnnotationFindingLevel {
  /** The key must not be indexed as it is. */
  ERROR = 'error',
  /** Accepted, for the record: an undeclared key accepted because `allowUndeclaredKeys` is true. */
  INFO = 'info',
}

/** A key the policy allows as an indexed annotation. */
export interface AllowedAnnotationKey {
  /**
   * The annotation key: 1 to 500 letters, digits and underscores. Keys are case-sensitive, as in X-Ray. A key known
   * only at deploy time (a token) matches no key declared at synth, so it allows nothing.
   * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
   */
  readonly key: string;

  /** How many distinct values the key takes. */
  readonly cardinality: Cardinality;

  /**
   * Why indexing this key is acceptable although it matches a denied pattern: at least 10 characters besides spaces.
   *
   * @default - none; required when the key matches a denied pattern
   */
  readonly overrideReason?: string;
}

/** Properties of an `AnnotationPolicy`. */
export interface AnnotationPolicyProps {
  /**
   * The keys the app may index, each with its cardinality.
   *
   * @default - none: every declared key is reported as not allowed, unless `allowUndeclaredKeys` is true
   */
  readonly allowedKeys?: AllowedAnnotationKey[];

  /**
   * Extra denied patterns: JavaScript regular expression sources, without slashes or flags, added to the defaults.
   * A pattern matches, case-insensitively, one or more whole words of the key (see `AnnotationPolicy`); `^` and `$`
   * anchor it to the start and end of the whole key.
   *
   * @default - none
   */
  readonly deniedPatterns?: string[];

  /**
   * Whether `AnnotationPolicy.defaultDeniedPatterns()` apply.
   *
   * @default true
   */
  readonly useDefaultDeniedPatterns?: boolean;

  /**
   * The most distinct keys the app may declare. A trace can cross every service in the app, so the keys of all of
   * them count together. From 1 to 50; a deploy-time value (a token) is not compared at synth, where X-Ray's limit of
   * 50 applies.
   *
   * @default 50 - the number of annotations X-Ray indexes per trace
   * @see https://docs.aws.amazon.com/general/latest/gr/xray.html
   */
  readonly maxIndexedAnnotationsPerTrace?: number;

  /**
   * The most distinct values a `Cardinality.bounded(n)` key may take.
   *
   * @default 1000
   */
  readonly maxCardinalityPerKey?: number;

  /**
   * Accept keys that are not in `allowedKeys` when they pass the charset and denied-pattern checks; each is reported
   * with level `INFO`.
   *
   * @default false
   */
  readonly allowUndeclaredKeys?: boolean;
}

/** One annotation key found in the app. */
export interface AnnotationKeyUsage {
  /** The annotation key. Unresolved tokens are skipped. */
  readonly key: string;

  /** What declares or references the key: a construct path or a resource name. */
  readonly source: string;

  /** The kind of thing that declares or references the key. */
  readonly kind: AnnotationKeySource;
}

/** A problem with an annotation key, or with all keys together (`BUDGET`). */
export interface AnnotationFinding {
  /** What is wrong. */
  readonly kind: AnnotationFindingKind;

  /** How serious it is. */
  readonly level: AnnotationFindingLevel;

  /** The key; `*` for a `BUDGET` finding, which is about all keys. */
  readonly key: string;

  /** Every source of the key (for `BUDGET`, of every key counted), sorted and without duplicates. */
  readonly sources: string[];

  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Which annotation keys an app may index in X-Ray, and a pure check of the keys the app declares.
 *
 * `evaluate()` reports, per key: a charset or length X-Ray does not accept; a match with a denied pattern (unless the
 * key is allowed with an `overrideReason`); a key not in `allowedKeys`; an allowed key with an unbounded cardinality or
 * one above `maxCardinalityPerKey`; and, once for the app, more distinct keys than `maxIndexedAnnotationsPerTrace`.
 *
 * Keys an instrumentation records by itself (`AnnotationKeySource.INSTRUMENTATION`: the Powertools Tracer's
 * `ColdStart`, two values, and `Service`, one per function) count towards the budget and go through the charset and
 * denied-pattern checks like any key. When `allowedKeys` does not list them they are accepted as `Cardinality.low()`
 * and reported with level `INFO`, so a policy with `allowedKeys` does not fail every Powertools function; list them in
 * `allowedKeys` to state their cardinality yourself, or deny them with `deniedPatterns`.
 *
 * How patterns match: the key is split into words at underscores, other non-alphanumeric characters and camelCase
 * boundaries, and lowercased (`customerEmail` and `CUSTOMER_EMAIL` both become `customer_email`). A pattern matches
 * when it matches one or more consecutive whole words, so `token` matches `auth_token` but not `tokens_used`, and `ip`
 * matches `client_ip` but not `zip_code`. Digits do not split words (`ipv4` is one word).
 */
export class AnnotationPolicy {
  /**
   * The default denied patterns, as regular expression sources. They cover personal data (email, phone, postal and IP
   * addresses, postal codes, government IDs, people's names, birth dates), secrets (passwords, secrets, tokens, API and
   * private keys, credentials, authorization headers, cookies), payment data (card numbers, CVV, IBAN, bank accounts)
   * and unbounded identifiers (request, session, trace, span, user, customer, order, transaction and correlation IDs,
   * UUIDs, IP addresses, user agents). `name` alone (`service_name`) and `tenant_id` are not denied.
   */
  public static defaultDeniedPatterns(): string[] {
    return DEFAULT_DENIED_PATTERNS.map(p => p.source);
  }

  /** The allowed keys. */
  public readonly allowedKeys: AllowedAnnotationKey[];

  /** The denied patterns in effect: the defaults (unless turned off), then the extra ones. */
  public readonly deniedPatterns: string[];

  /** The most distinct keys the app may declare. */
  public readonly maxIndexedAnnotationsPerTrace: number;

  /** The most distinct values a bounded key may take. */
  public readonly maxCardinalityPerKey: number;

  /** Whether keys not in `allowedKeys` are accepted. */
  public readonly allowUndeclaredKeys: boolean;

  private readonly patterns: DeniedPattern[];
  private readonly allowed = new Map<string, AllowedAnnotationKey>();

  constructor(props: AnnotationPolicyProps = {}) {
    const problems = new ProblemCollector('AnnotationPolicy');
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      problems.add('props', 'must be an object', props, 'Pass new AnnotationPolicy({ allowedKeys: [...] }), or no argument for the defaults.');
      problems.throwIfAny();
    }
    for (const flag of ['useDefaultDeniedPatterns', 'allowUndeclaredKeys'] as const) {
      if (props[flag] !== undefined && typeof props[flag] !== 'boolean') {
        problems.add(flag, 'must be true or false', props[flag], `Pass true or false, or leave ${flag} out for the default.`);
      }
    }
    for (const list of ['allowedKeys', 'deniedPatterns'] as const) {
      if (props[list] !== undefined && !Array.isArray(props[list])) {
        problems.add(list, 'must be a list', props[list], list === 'allowedKeys'
          ? 'Pass [{ key: "tenant_tier", cardinality: Cardinality.low() }].' : 'Pass regular expression sources, e.g. ["badge_?number"].');
      }
    }
    this.maxIndexedAnnotationsPerTrace = checkWholeNumber(problems, 'maxIndexedAnnotationsPerTrace', props.maxIndexedAnnotationsPerTrace,
      MAX_ANNOTATIONS_PER_TRACE, MAX_ANNOTATIONS_PER_TRACE,
      `X-Ray indexes at most ${MAX_ANNOTATIONS_PER_TRACE} annotations per trace; pass a number from 1 to ${MAX_ANNOTATIONS_PER_TRACE}.`);
    this.maxCardinalityPerKey = checkWholeNumber(problems, 'maxCardinalityPerKey', props.maxCardinalityPerKey, 1000, undefined,
      'Pass the most distinct values one key may take, for example 1000.');
    this.allowUndeclaredKeys = props.allowUndeclaredKeys ?? false;
    this.patterns = [
      ...((props.useDefaultDeniedPatterns ?? true) ? DEFAULT_DENIED_PATTERNS : []),
      ...compileExtraPatterns(problems, Array.isArray(props.deniedPatterns) ? props.deniedPatterns : []),
    ];
    this.deniedPatterns = this.patterns.map(p => p.source);
    this.allowedKeys = Array.isArray(props.allowedKeys) ? [...props.allowedKeys] : [];
    this.allowedKeys.forEach((allowed, i) => this.checkAllowedKey(problems, allowed, i));
    problems.throwIfAny();
  }

  /**
   * Checks every key the app declares or references. Usages are grouped by key, so one finding lists every source of
   * its key. Findings are ordered by key, then by kind; the `BUDGET` finding, if any, comes last. Keys that are
   * unresolved tokens are skipped.
   */
  public evaluate(usages: AnnotationKeyUsage[]): AnnotationFinding[] {
    validateUsages(usages);
    const sourcesByKey = new Map<string, Set<string>>();
    const writtenKeys = new Set<string>();
    const declaredKeys = new Set<string>();
    const recordedKeys = new Set<string>();
    for (const usage of usages) {
      if (Token.isUnresolved(usage.key)) {
        continue;
      }
      const sources = sourcesByKey.get(usage.key) ?? new Set<string>();
      sources.add(usage.source);
      sourcesByKey.set(usage.key, sources);
      if (usage.kind !== AnnotationKeySource.GROUP_FILTER) {
        writtenKeys.add(usage.key);
      }
      if (usage.kind === AnnotationKeySource.INSTRUMENTATION) {
        recordedKeys.add(usage.key);
      } else if (usage.kind !== AnnotationKeySource.GROUP_FILTER) {
        declaredKeys.add(usage.key);
      }
    }
    const findings: AnnotationFinding[] = [];
    for (const key of [...sourcesByKey.keys()].sort(compareStrings)) {
      // Accepted without an allowedKeys entry only when no code declares the key too.
      const builtIn = recordedKeys.has(key) && !declaredKeys.has(key) && INSTRUMENTATION_KEYS.includes(key);
      findings.push(...this.checkKey(key, [...sourcesByKey.get(key)!].sort(compareStrings), builtIn));
    }
    // A budget known only at deploy time cannot be compared at synth; X-Ray's own limit still applies.
    const budget = Token.isUnresolved(this.maxIndexedAnnotationsPerTrace) ? MAX_ANNOTATIONS_PER_TRACE : this.maxIndexedAnnotationsPerTrace;
    if (writtenKeys.size > budget) {
      const keys = [...writtenKeys].sort(compareStrings);
      const sources = new Set(keys.flatMap(k => [...sourcesByKey.get(k)!]));
      findings.push({
        kind: AnnotationFindingKind.BUDGET,
        level: AnnotationFindingLevel.ERROR,
        key: '*',
        sources: [...sources].sort(compareStrings),
        message: `${keys.length} distinct annotation keys are declared across the app, more than maxIndexedAnnotationsPerTrace ` +
          `(${budget}): ${keys.join(', ')}. A trace can cross every service in the app and X-Ray indexes at most ` +
          `${MAX_ANNOTATIONS_PER_TRACE} annotations per trace; remove keys, or record their values as metadata, which is not indexed.`,
      });
    }
    return findings;
  }

  /**
   * Whether the policy accepts `key` as an indexed annotation: no finding of level `ERROR` for it. Unresolved tokens
   * are accepted (they cannot be checked at synth).
   */
  public isAllowed(key: string): boolean {
    if (typeof key !== 'string') {
      throw new Error(problemMessage('AnnotationPolicy', 'isAllowed(key)', 'must be a string', key, 'Pass the annotation key to check.'));
    }
    return this.evaluate([{ key, source: 'isAllowed', kind: AnnotationKeySource.OTHER }])
      .every(f => f.level !== AnnotationFindingLevel.ERROR);
  }

  private checkKey(key: string, sources: string[], builtIn: boolean): AnnotationFinding[] {
    const findings: AnnotationFinding[] = [];
    const add = (kind: AnnotationFindingKind, problem: string, fix: string, level = AnnotationFindingLevel.ERROR) =>
      findings.push({ kind, level, key, sources, message: `Annotation key ${renderValue(key)} ${problem} (used by ${sources.join(', ')}). ${fix}` });
    const wrong = annotationKeyProblem(key);
    const charsetOk = wrong === undefined;
    if (wrong !== undefined) {
      add(AnnotationFindingKind.CHARSET, wrong.problem, wrong.fix);
    }
    const allowed = this.allowed.get(key);
    const denied = allowed ? undefined : this.deniedPatternOf(key);
    if (denied) {
      add(AnnotationFindingKind.DENIED, `matches the denied pattern ${renderValue(denied.source)}: ${denied.reason}`,
        `${FIXES[denied.category]}. If indexing it is safe in this app, add it to allowedKeys with an overrideReason.`);
    }
    if (charsetOk && !denied && !allowed) {
      if (builtIn) {
        add(AnnotationFindingKind.NOT_ALLOWED, 'is recorded by the function\'s instrumentation on every invocation and is accepted as ' +
          'Cardinality.low() without an allowedKeys entry', 'It counts towards maxIndexedAnnotationsPerTrace; list it in allowedKeys to ' +
          'state its cardinality, or in deniedPatterns to refuse it.', AnnotationFindingLevel.INFO);
      } else if (this.allowUndeclaredKeys) {
        add(AnnotationFindingKind.NOT_ALLOWED, 'is not in allowedKeys and is accepted because allowUndeclaredKeys is true',
          'Add it to allowedKeys with its Cardinality to have its cardinality checked too.', AnnotationFindingLevel.INFO);
      } else {
        const other = [...this.allowed.keys()].find(k => k.toLowerCase() === key.toLowerCase());
        add(AnnotationFindingKind.NOT_ALLOWED, 'is not in the annotation policy\'s allowedKeys',
          other ? `Keys are case-sensitive and allowedKeys has "${other}"; use that key.`
            : 'Add it to allowedKeys with its Cardinality, or stop declaring it.');
      }
    }
    if (allowed?.cardinality.isUnbounded) {
      add(AnnotationFindingKind.UNBOUNDED, 'is allowed with Cardinality.unbounded()',
        'Every new value grows X-Ray\'s index and the cost of filtering; record the value as metadata, which is not indexed, ' +
        'and remove the key from allowedKeys and the annotations.');
    }
    const maxValues = allowed?.cardinality.maxValues;
    // Bounds known only at deploy time are not compared (a token is no number).
    if (maxValues !== undefined && !Token.isUnresolved(maxValues) && !Token.isUnresolved(this.maxCardinalityPerKey)
      && maxValues > this.maxCardinalityPerKey) {
      add(AnnotationFindingKind.CARDINALITY, `is allowed with ${allowed!.cardinality}, more than maxCardinalityPerKey (${this.maxCardinalityPerKey})`,
        'Index a coarser value (a tier or a bucket instead of the raw value), record the value as metadata, or raise maxCardinalityPerKey.');
    }
    return findings;
  }

  private checkAllowedKey(problems: ProblemCollector, allowed: AllowedAnnotationKey, i: number): void {
    const at = `allowedKeys[${i}]`;
    if (allowed === null || typeof allowed !== 'object' || Array.isArray(allowed)) {
      problems.add(at, 'must be an object with key and cardinality', allowed, 'Pass { key: "tenant_tier", cardinality: Cardinality.low() }.');
      return;
    }
    const key = allowed.key;
    if (typeof key === 'string' && Token.isUnresolved(key)) {
      // Known only at deploy time: it can match no key declared at synth, so it allows nothing and is not checked.
      return;
    }
    if (typeof key !== 'string') {
      problems.add(`${at}.key`, 'must be a string', key, 'Write the annotation key, e.g. "tenant_tier".');
      return;
    }
    const wrong = annotationKeyProblem(key);
    if (wrong !== undefined) {
      problems.add(`${at}.key`, wrong.problem, key, wrong.fix);
    }
    if (this.allowed.has(key)) {
      problems.add(`${at}.key`, 'is listed twice', key, `Remove the duplicate entry; allowedKeys[${this.allowedKeys.indexOf(this.allowed.get(key)!)}] allows it already.`);
    } else {
      this.allowed.set(key, allowed);
    }
    if (!(allowed.cardinality instanceof Cardinality)) {
      problems.add(`${at}.cardinality`, 'is required', allowed.cardinality, 'Pass Cardinality.low(), Cardinality.bounded(n) or Cardinality.unbounded().');
    }
    const reason = allowed.overrideReason;
    const denied = this.deniedPatternOf(key);
    if (reason === undefined && denied) {
      problems.add(`${at}.overrideReason`, `is required because ${renderValue(key)} matches the denied pattern ${renderValue(denied.source)}: ${denied.reason}`,
        reason, 'Explain in at least 10 characters why indexing this key is safe here, or remove it from allowedKeys.');
    } else if (reason !== undefined && !Token.isUnresolved(reason) && (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH)) {
      problems.add(`${at}.overrideReason`, `must explain the exception in at least ${MIN_REASON_LENGTH} characters besides spaces`, reason,
        `Say why indexing ${renderValue(key)} is safe here, for example which values it takes and who agreed to it.`);
    }
  }

  private deniedPatternOf(key: string): DeniedPattern | undefined {
    const words = normalizeKey(key);
    return this.patterns.find(p => p.regex.test(words));
  }
}

const MIN_REASON_LENGTH = 10;

/**
 * The keys instrumentations record by themselves that the policy accepts without an allowedKeys entry: the Powertools
 * Tracer's `ColdStart` (true or false) and `Service` (the function's service name).
 */
const INSTRUMENTATION_KEYS = ['ColdStart', 'Service'];

type Category = 'personal' | 'secret' | 'payment' | 'identifier' | 'custom';

/** How to fix a denied key, by the category of the pattern it matches. */
const FIXES: Record<Category, string> = {
  personal: 'Indexed annotations are searchable by anyone who can read traces for 30 days; do not index personal data, or index a coarse, ' +
    'non-identifying value instead (a country rather than an address)',
  secret: 'Never record a secret in a trace, not even as metadata; remove the annotation',
  payment: 'Payment data must not leave the systems in PCI DSS scope; remove the annotation',
  identifier: 'Record the value as metadata, which X-Ray keeps with the trace without indexing it, and find single requests by trace ID',
  custom: 'Rename the key or remove the annotation',
};

interface DeniedPattern {
  readonly source: string;
  readonly category: Category;
  readonly reason: string;
  readonly regex: RegExp;
}

/** Matches `source` against whole words of a normalized key; `(?=...)` so that a pattern may end in a lookahead. */
function compilePattern(source: string, category: Category, reason: string): DeniedPattern {
  return { source, category, reason, regex: new RegExp(`(?:^|_)(?:${source})(?=_|$)`, 'i') };
}

/** Lowercase words joined by `_`: `clientIPAddress` → `client_ip_address`, `user-email` → `user_email`. */
function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(w => w.length > 0)
    .join('_')
    .toLowerCase();
}

// [source, category, reason]. Sources are matched case-insensitively against whole words of the normalized key.
const DEFAULT_DENIED_PATTERNS: DeniedPattern[] = ([
  ['[a-z0-9]*email', 'personal', 'an email address is personal data'], // also glued: useremail
  ['(tele)?phone(_?number)?', 'personal', 'a phone number is personal data'],
  ['(mobile|cell)_?(number|phone)|msisdn', 'personal', 'a phone number is personal data'],
  ['addr(ess)?', 'personal', 'street, postal, email and IP addresses are personal data'],
  ['(post|postal|zip)_?code', 'personal', 'a postal code narrows a person down to a few households'],
  ['ssn|social_?security', 'personal', 'a social security number is a government identifier'],
  ['(national|tax)_?id|passport|(drivers?|driving)_?licen[cs]e', 'personal', 'a government ID number identifies a person'],
  ['(first|last|full|given|family|middle|maiden|user|customer|contact|card_?holder)_?name|surname', 'personal',
    'a person\'s name is personal data'], // `name` alone (service_name, function_name) is not denied
  ['dob|date_of_birth|birth_?(date|day)', 'personal', 'a birth date is personal data'],
  ['[a-z0-9]*(password|passwd)|pwd|passphrase', 'secret', 'a password is a secret'],
  ['secrets?', 'secret', 'a secret must never be recorded'],
  ['token(?!_(count|used|usage|limit))', 'secret', 'a token is a credential'], // tokens_used, token_count: usage counts
  ['(api|access|private|signing|encryption)_?key', 'secret', 'a key is a credential'],
  ['credentials?|jwt|bearer', 'secret', 'credentials must never be recorded'],
  ['authorization|auth_?header', 'secret', 'an Authorization header carries credentials'],
  ['cookies?', 'secret', 'a cookie carries session credentials'],
  ['(credit|debit)_?card|(card|cc)_?(number|num|no)|ccn|pan', 'payment', 'a card number (PAN) is cardholder data'],
  ['cvv2?|cvc2?', 'payment', 'a card verification code is sensitive authentication data'],
  ['iban|(bank_)?account_?(number|no)|routing_?number|sort_?code', 'payment', 'a bank account number is personal data'],
  ['(request|req)_?id', 'identifier', 'a request ID is unbounded: one value per request'],
  ['session_?id', 'identifier', 'a session ID is unbounded and identifies a person\'s session'],
  ['(trace|span|segment)_?id', 'identifier', 'a trace or span ID is unbounded; X-Ray already finds traces by ID'],
  ['(user|customer|member|person|visitor|device)_?id', 'identifier', 'a user or customer ID is unbounded and identifies a person'],
  ['(order|transaction|txn|payment|invoice|cart|message|event|job|execution|invocation)_?id', 'identifier',
    'a business object ID is unbounded: one value per object'],
  ['correlation_?id|idempotency_?key', 'identifier', 'a correlation ID is unbounded: one value per request'],
  ['[a-z0-9]*(uuid|guid)', 'identifier', 'a UUID is unbounded by construction'],
  ['ip(v[46])?', 'identifier', 'an IP address is unbounded and personal data'],
  ['user_?agent', 'identifier', 'a user agent is free text that fingerprints a client'],
] as Array<[string, Category, string]>).map(([source, category, reason]) => compilePattern(source, category, reason));

function compileExtraPatterns(problems: ProblemCollector, sources: string[]): DeniedPattern[] {
  const compiled: DeniedPattern[] = [];
  sources.forEach((source, i) => {
    const at = `deniedPatterns[${i}]`;
    if (typeof source === 'string' && Token.isUnresolved(source)) {
      // Known only at deploy time: the policy is evaluated at synth, so such a pattern cannot deny anything.
      return;
    } else if (typeof source !== 'string') {
      problems.add(at, 'must be a string', source, 'Write a regular expression source such as "badge_?number".');
    } else if (source.trim().length === 0) {
      problems.add(at, 'must not be empty', source, 'Remove it, or write a regular expression such as "badge_?number".');
    } else if (/^\/.*\/[a-z]*$/.test(source)) {
      problems.add(at, 'must be a regular expression source without slashes or flags', source,
        `Write ${renderValue(source.replace(/^\/(.*)\/[a-z]*$/, '$1'))}; patterns always match case-insensitively.`);
    } else if (!isValidRegex(source)) {
      problems.add(at, 'is not a valid regular expression', source,
        'Write a JavaScript regular expression source such as "badge_?number"; it is matched case-insensitively against whole words of the key.');
    } else {
      compiled.push(compilePattern(source, 'custom', 'it is in deniedPatterns'));
    }
  });
  return compiled;
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function checkWholeNumber(problems: ProblemCollector, prop: string, value: number | undefined, fallback: number,
  max: number | undefined, fix: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    return value;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
    problems.add(prop, max === undefined ? 'must be a whole number of at least 1' : `must be a whole number from 1 to ${max}`, value, fix);
  }
  return value;
}

/** Refuses what `evaluate()` cannot read, in the house format, instead of failing with a TypeError. */
function validateUsages(usages: AnnotationKeyUsage[]): void {
  const problems = new ProblemCollector('AnnotationPolicy');
  if (!Array.isArray(usages)) {
    problems.add('evaluate(usages)', 'must be a list', usages, 'Pass one { key, source, kind } per key a resource declares, or [].');
  } else {
    usages.forEach((u, i) => {
      if (u === null || typeof u !== 'object' || typeof u.key !== 'string' || typeof u.source !== 'string') {
        problems.add(`evaluate(usages[${i}])`, 'must have a string key and a string source', u,
          'Pass { key: "tenant_tier", source: "Stack/Function", kind: AnnotationKeySource.LAMBDA_FUNCTION }.');
      }
    });
  }
  problems.throwIfAny();
}

/** Code-unit order: the same on every machine and locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
