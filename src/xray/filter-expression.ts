import { Token, Tokenization } from 'aws-cdk-lib';
import { FilterParseOutcome, MAX_FILTER_NESTING, parseFilterExpression, quoteFilterString } from './filter-parser';
import {
  FilterFlag, NumberKeyword, NumberOperator, RootCauseEntity, RootCauseType, StringKeyword, StringOperator,
} from './filter-vocabulary';
import { annotationKeyProblem } from '../private/annotation-keys';
import { fail } from '../private/errors';

/**
 * Identifies a service map node with the `id()` function, for nodes that share a name.
 */
export interface ServiceIdOptions {
  /**
   * The node name.
   * @default - any name
   */
  readonly name?: string;
  /**
   * The node type, for example `AWS::Lambda::Function`.
   * @default - any type
   */
  readonly type?: string;
  /**
   * The 12-digit account ID of the node.
   * @default - any account
   */
  readonly accountId?: string;
}

/** The outcome of `FilterExpression.parse()`. */
export interface FilterExpressionParseResult {
  /** Whether the expression is valid. */
  readonly valid: boolean;
  /**
   * The first problem, naming its position, for example `unbalanced parentheses: "(" at position 12 is never closed`.
   * @default - none when the expression is valid
   */
  readonly errorMessage?: string;
  /**
   * The 0-based character offset of the first problem.
   * @default - none when the expression is valid
   */
  readonly errorPosition?: number;
  /**
   * How to fix the first problem.
   * @default - none when the expression is valid
   */
  readonly errorHint?: string;
  /** The distinct annotation keys referenced as `annotation.KEY`, in order of first appearance; for an invalid expression, those before the problem. */
  readonly annotationKeys: string[];
}

/** What the builders know about an expression, to parenthesise and validate combinations. */
interface Traits {
  readonly keys: string[];
  readonly annotations: boolean;
  readonly serviceOrEdge: boolean;
  /** Uses service(), edge(), rootcause.*, group.* or json, which may not sit inside a `{ }` sub-filter. */
  readonly topLevelOnly: boolean;
  readonly topLevelOr: boolean;
  /** An unresolved token from fromString(): nothing is known about it. */
  readonly unknown: boolean;
}
const PLAIN: Traits = { keys: [], annotations: false, serviceOrEdge: false, topLevelOnly: false, topLevelOr: false, unknown: false };
const NO_ANNOTATIONS_WITH_SERVICES = 'X-Ray cannot combine annotation.* with service() or edge(); filter on annotations in a separate expression or group.';

/**
 * An X-Ray filter expression, for groups and trace queries: built from typed parts, or checked from a string.
 *
 * `toString()` renders valid X-Ray syntax: strings are double-quoted with `\` and `"` escaped, and `all()` parenthesises
 * operands that are ORs. Precedence: `!` binds tightest, then AND, then OR; parentheses group. In parsed strings,
 * keywords, operators, AND/OR and true/false are case-insensitive; annotation keys are not. Validation is stricter than the console where X-Ray's
 * documentation is ambiguous, because a group whose expression X-Ray cannot evaluate stops collecting traces:
 * - conditions must be joined with AND or OR (the console also reads `ok !partial` as an AND);
 * - `annotation.*` may not appear anywhere in an expression that uses `service()` or `edge()`;
 * - `service()`, `edge()`, `rootcause.*`, `group.*`, `json` and `annotation.*` may not be nested inside a `{ }` sub-filter.
 *
 * Unresolved tokens are accepted unchecked; they are resolved at deploy time.
 *
 * @example
 * // service("checkout") { responsetime > 2 } AND (fault OR error)
 * const slowFailures = FilterExpression.all(
 *   FilterExpression.service('checkout', FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2)),
 *   FilterExpression.any(FilterExpression.flag(FilterFlag.FAULT), FilterExpression.flag(FilterFlag.ERROR)),
 * );
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 */
export class FilterExpression {
  /**
   * Checks an expression written as a string. Throws an Error naming the first problem and its 0-based position.
   * An unresolved token is accepted unchecked, with no annotation keys.
   * @param expression the filter expression, for example `responsetime > 5 AND !partial`
   */
  public static fromString(expression: string): FilterExpression {
    if (Token.isUnresolved(expression)) {
      return new FilterExpression(expression, { ...PLAIN, unknown: true });
    }
    if (typeof expression !== 'string') {
      fail('FilterExpression.fromString', 'expression', 'must be a string', expression, 'Pass the expression as a string.');
    }
    const outcome = parseFilterExpression(expression);
    if (outcome.problem !== undefined) {
      fail('FilterExpression.fromString', 'expression', outcome.problem.message, expression, outcome.problem.hint);
    }
    return new FilterExpression(expression, traitsOf(outcome));
  }

  /**
   * Parses an expression and reports whether it is valid; never throws. An unresolved token is reported valid.
   * @param expression the filter expression
   */
  public static parse(expression: string): FilterExpressionParseResult {
    if (Token.isUnresolved(expression)) {
      return { valid: true, annotationKeys: [] };
    }
    if (typeof expression !== 'string') {
      return { valid: false, errorMessage: 'expression must be a string', errorPosition: 0, errorHint: 'Pass the expression as a string.', annotationKeys: [] };
    }
    const { problem, annotationKeys } = parseFilterExpression(expression);
    return problem === undefined
      ? { valid: true, annotationKeys }
      : { valid: false, errorMessage: problem.message, errorPosition: problem.position, errorHint: problem.hint, annotationKeys };
  }

  /**
   * A boolean keyword that must be true: `fault`.
   * @param flag the keyword
   */
  public static flag(flag: FilterFlag): FilterExpression {
    return FilterExpression.create(checkEnum('flag', 'flag', flag, FilterFlag), PLAIN);
  }

  /**
   * A boolean keyword that must be false: `!fault`.
   * @param flag the keyword
   */
  public static notFlag(flag: FilterFlag): FilterExpression {
    return FilterExpression.create(`!${checkEnum('notFlag', 'flag', flag, FilterFlag)}`, PLAIN);
  }

  /**
   * Compares a number keyword with a number: `responsetime > 2`.
   * @param keyword the keyword
   * @param operator the comparison
   * @param value a finite number; times are in seconds
   */
  public static number(keyword: NumberKeyword, operator: NumberOperator, value: number): FilterExpression {
    const text = `${checkEnum('number', 'keyword', keyword, NumberKeyword)} ${checkEnum('number', 'operator', operator, NumberOperator)}`;
    return FilterExpression.create(`${text} ${renderNumber('number', value)}`, PLAIN);
  }

  /**
   * Compares a string keyword with a string: `http.url CONTAINS "/api"`. `CONTAINS ""` tests that the field is set.
   * @param keyword the keyword
   * @param operator the comparison
   * @param value the text; quotes and backslashes are escaped
   */
  public static string(keyword: StringKeyword, operator: StringOperator, value: string): FilterExpression {
    const text = `${checkEnum('string', 'keyword', keyword, StringKeyword)} ${checkEnum('string', 'operator', operator, StringOperator)}`;
    return FilterExpression.create(`${text} ${renderString('string', 'value', value)}`, PLAIN);
  }

  /**
   * Compares a number annotation: `annotation.retries > 2`.
   * @param key the annotation key: letters, digits and underscores, 1 to 500 characters
   * @param operator the comparison
   * @param value a finite number
   */
  public static annotationNumber(key: string, operator: NumberOperator, value: number): FilterExpression {
    const op = checkEnum('annotationNumber', 'operator', operator, NumberOperator);
    return FilterExpression.annotation('annotationNumber', key, ` ${op} ${renderNumber('annotationNumber', value)}`);
  }

  /**
   * Compares a string annotation: `annotation.tenant = "acme"`.
   * @param key the annotation key: letters, digits and underscores, 1 to 500 characters
   * @param operator the comparison
   * @param value the text; quotes and backslashes are escaped
   */
  public static annotationString(key: string, operator: StringOperator, value: string): FilterExpression {
    const op = checkEnum('annotationString', 'operator', operator, StringOperator);
    return FilterExpression.annotation('annotationString', key, ` ${op} ${renderString('annotationString', 'value', value)}`);
  }

  /**
   * Compares a boolean annotation: `annotation.cold_start = true`.
   * @param key the annotation key: letters, digits and underscores, 1 to 500 characters
   * @param value the expected value
   */
  public static annotationBoolean(key: string, value: boolean): FilterExpression {
    if (typeof value !== 'boolean') {
      refuse('annotationBoolean', 'value', 'must be true or false', value, 'Use annotationString() or annotationNumber() for other values.');
    }
    return FilterExpression.annotation('annotationBoolean', key, ` = ${value}`);
  }

  /**
   * Traces where the annotation is set: `annotation.tenant`.
   * @param key the annotation key: letters, digits and underscores, 1 to 500 characters
   */
  public static annotationPresent(key: string): FilterExpression {
    return FilterExpression.annotation('annotationPresent', key, '');
  }

  /**
   * Traces where the annotation is not set: `!annotation.tenant`.
   * @param key the annotation key: letters, digits and underscores, 1 to 500 characters
   */
  public static annotationAbsent(key: string): FilterExpression {
    return FilterExpression.annotation('annotationAbsent', key, '', '!');
  }

  /**
   * Traces through a named service map node, optionally with a filter on its segments:
   * `service("checkout") { responsetime > 2 }`. Use `anyService()` for every node and `serviceWithId()` to match a type.
   * @param name the node name
   * @param filter applies to the node's segments; may not use annotations, service(), edge(), rootcause.* or group.*
   */
  public static service(name: string, filter?: FilterExpression): FilterExpression {
    if (!Token.isUnresolved(name) && (typeof name !== 'string' || name.length === 0)) {
      refuse('service', 'name', 'must be a non-empty string', name, 'Use FilterExpression.anyService() for every node, or serviceWithId() to match by type.');
    }
    return FilterExpression.scoped('service', `service(${renderString('service', 'name', name)})`, filter);
  }

  /**
   * Traces that do not reach a named service map node: `!service("checkout")`.
   * @param name the node name
   */
  public static notService(name: string): FilterExpression {
    return FilterExpression.create(`!${FilterExpression.service(name).text}`, { ...PLAIN, serviceOrEdge: true, topLevelOnly: true });
  }

  /**
   * A filter applied to every service map node: `service() { fault }`.
   * @param filter applies to each node's segments; may not use annotations, service(), edge(), rootcause.* or group.*
   */
  public static anyService(filter?: FilterExpression): FilterExpression {
    return FilterExpression.scoped('anyService', 'service()', filter);
  }

  /**
   * Traces through the service map nodes that `id()` selects: `service(id(name: "a", type: "AWS::Lambda::Function")) { error }`.
   * @param id the name, type and/or account of the node; at least one
   * @param filter applies to the node's segments; may not use annotations, service(), edge(), rootcause.* or group.*
   */
  public static serviceWithId(id: ServiceIdOptions, filter?: FilterExpression): FilterExpression {
    return FilterExpression.scoped('serviceWithId', `service(${renderId('serviceWithId', 'id', id)})`, filter);
  }

  /**
   * Traces with a call from one named node to another: `edge("api", "db") { error }`.
   * @param source the calling node's name
   * @param destination the called node's name
   * @param filter applies to the segments on this connection; may not use annotations, service(), edge(), rootcause.* or group.*
   */
  public static edge(source: string, destination: string, filter?: FilterExpression): FilterExpression {
    const names = [source, destination].map((name, i) => {
      const what = i === 0 ? 'source' : 'destination';
      if (!Token.isUnresolved(name) && (typeof name !== 'string' || name.length === 0)) {
        refuse('edge', what, 'must be a non-empty string', name, 'Name both ends of the edge, or use edgeWithIds() to match by type.');
      }
      return renderString('edge', what, name);
    });
    return FilterExpression.scoped('edge', `edge(${names.join(', ')})`, filter);
  }

  /**
   * Traces with a call between two nodes selected with `id()`: `edge(id(name: "api"), id(type: "AWS::DynamoDB::Table"))`.
   * @param source the calling node
   * @param destination the called node
   * @param filter applies to the segments on this connection; may not use annotations, service(), edge(), rootcause.* or group.*
   */
  public static edgeWithIds(source: ServiceIdOptions, destination: ServiceIdOptions, filter?: FilterExpression): FilterExpression {
    const ids = `${renderId('edgeWithIds', 'source', source)}, ${renderId('edgeWithIds', 'destination', destination)}`;
    return FilterExpression.scoped('edgeWithIds', `edge(${ids})`, filter);
  }

  /**
   * Traces that match another group's filter expression: `group.name = "slow"`.
   * @param name the group name, 1 to 32 characters
   */
  public static groupName(name: string): FilterExpression {
    if (!Token.isUnresolved(name) && (typeof name !== 'string' || name.length < 1 || name.length > 32)) {
      refuse('groupName', 'name', 'must be 1 to 32 characters long', name, 'Pass the name of an existing X-Ray group.');
    }
    return FilterExpression.create(`group.name = ${renderString('groupName', 'name', name)}`, { ...PLAIN, topLevelOnly: true });
  }

  /**
   * Traces that match another group's filter expression: `group.arn = "arn:aws:xray:...:group/slow/ID"`.
   * @param arn the group ARN
   */
  public static groupArn(arn: string): FilterExpression {
    if (!Token.isUnresolved(arn) && (typeof arn !== 'string' || arn.length > 400 || !/^arn:[^:]+:xray:[^:]*:\d{12}:group\/.+/.test(arn))) {
      refuse('groupArn', 'arn', 'must be an X-Ray group ARN', arn, 'Pass a TraceGroup\'s groupArn, of the form arn:aws:xray:REGION:ACCOUNT:group/NAME/ID.');
    }
    return FilterExpression.create(`group.arn = ${renderString('groupArn', 'arn', arn)}`, { ...PLAIN, topLevelOnly: true });
  }

  /**
   * Traces whose root cause matches a filter: `rootcause.fault.service { name = "auth" }`.
   * @param kind fault, error or response-time root causes
   * @param entity match the root-cause services, entities or exceptions
   * @param filter applies to the root causes, typically with name, type, message, first, last, remote, inferred, index
   * and coverage; may not use annotations, service(), edge(), rootcause.* or group.*. Check a raw inner filter with
   * `FilterExpression.fromString()`.
   */
  public static rootCause(kind: RootCauseType, entity: RootCauseEntity, filter: FilterExpression): FilterExpression {
    const keyword = `rootcause.${checkEnum('rootCause', 'kind', kind, RootCauseType)}.${checkEnum('rootCause', 'entity', entity, RootCauseEntity)}`;
    if (!(filter instanceof FilterExpression)) {
      refuse('rootCause', 'filter', 'is required', filter, 'Pass the inner filter, for example FilterExpression.string(StringKeyword.NAME, StringOperator.EQUALS, "auth").');
    }
    FilterExpression.checkSubFilter('rootCause', filter, 'Root-cause entities are matched on name, type, message, flags, index and coverage, not on annotations.');
    return FilterExpression.create(`${keyword} { ${filter.text} }`, { ...PLAIN, topLevelOnly: true });
  }

  /**
   * Traces that match every expression (AND); operands that are ORs are parenthesised.
   * @param expressions one or more expressions
   */
  public static all(...expressions: FilterExpression[]): FilterExpression {
    return FilterExpression.join('all', 'AND', expressions);
  }

  /**
   * Traces that match at least one expression (OR).
   * @param expressions one or more expressions
   */
  public static any(...expressions: FilterExpression[]): FilterExpression {
    return FilterExpression.join('any', 'OR', expressions);
  }

  private static annotation(method: string, key: string, comparison: string, prefix = ''): FilterExpression {
    if (!Token.isUnresolved(key)) {
      const wrong = annotationKeyProblem(key);
      if (wrong !== undefined) {
        refuse(method, 'key', wrong.problem, key, wrong.fix);
      }
    }
    const keys = Token.isUnresolved(key) ? [] : [key];
    return FilterExpression.create(`${prefix}annotation.${key}${comparison}`, { ...PLAIN, keys, annotations: true });
  }

  private static scoped(method: string, head: string, filter?: FilterExpression): FilterExpression {
    if (filter !== undefined && !(filter instanceof FilterExpression)) {
      refuse(method, 'filter', 'must be a FilterExpression', filter, 'Build it with the FilterExpression builders or FilterExpression.fromString().');
    }
    FilterExpression.checkSubFilter(method, filter, NO_ANNOTATIONS_WITH_SERVICES);
    const text = filter === undefined ? head : `${head} { ${filter.text} }`;
    return FilterExpression.create(text, { ...PLAIN, serviceOrEdge: true, topLevelOnly: true });
  }

  private static join(method: string, operator: string, expressions: FilterExpression[]): FilterExpression {
    if (expressions.length === 0) {
      refuse(method, 'expressions', 'must contain at least one expression', expressions, 'Pass one or more FilterExpressions.');
    }
    expressions.forEach((e, i) => {
      if (!(e instanceof FilterExpression)) {
        refuse(method, `expressions[${i}]`, 'must be a FilterExpression', e, 'Build it with the FilterExpression builders or FilterExpression.fromString().');
      }
    });
    if (expressions.length === 1) {
      return expressions[0];
    }
    const annotated = expressions.find(e => e.traits.annotations);
    const scoped = expressions.find(e => e.traits.serviceOrEdge);
    if (annotated !== undefined && scoped !== undefined) {
      refuse(method, 'expressions', `cannot combine ${annotated.text} with ${scoped.text}`, expressions.map(e => e.text), NO_ANNOTATIONS_WITH_SERVICES);
    }
    const text = expressions.map(e => (operator === 'AND' && (e.traits.topLevelOr || e.traits.unknown) ? `(${e.text})` : e.text)).join(` ${operator} `);
    return FilterExpression.create(text, {
      keys: [...new Set(expressions.flatMap(e => e.traits.keys))],
      annotations: annotated !== undefined,
      serviceOrEdge: scoped !== undefined,
      topLevelOnly: expressions.some(e => e.traits.topLevelOnly),
      topLevelOr: operator === 'OR',
      unknown: false,
    });
  }

  /** A `{ }` sub-filter may not use annotations or whole-trace keywords. */
  private static checkSubFilter(method: string, filter: FilterExpression | undefined, annotationFix: string): void {
    const traits = filter?.traits;
    if (filter === undefined || traits === undefined || traits.unknown) {
      return;
    }
    if (traits.annotations) {
      refuse(method, 'filter', `cannot reference annotations${traits.keys.length > 0 ? ` (annotation.${traits.keys[0]})` : ''}`, filter.text, annotationFix);
    }
    if (traits.topLevelOnly) {
      refuse(method, 'filter', 'cannot contain service(), edge(), rootcause.*, group.* or json', filter.text,
        'These apply to whole traces: combine them with FilterExpression.all() or any() instead of nesting them.');
    }
  }

  /** Every builder ends here: the rendered text must parse, so a builder bug cannot reach a deployed group. */
  private static create(text: string, traits: Traits): FilterExpression {
    if (!Token.isUnresolved(text)) {
      const { problem } = parseFilterExpression(text);
      if (problem !== undefined && problem.message.includes(`nests deeper than ${MAX_FILTER_NESTING} levels`)) {
        fail('FilterExpression', 'expressions', `nest deeper than ${MAX_FILTER_NESTING} levels`, text,
          'Combine conditions in one all() or any() call instead of nesting a call per condition.');
      }
      if (problem !== undefined) {
        fail('FilterExpression', 'expression', `was built, but X-Ray would reject it: ${problem.message}`, text, 'Please report this bug to cdk-xray-constructs.');
      }
    }
    return new FilterExpression(text, traits);
  }

  /** The distinct annotation keys the expression references, in order of first appearance; keys given as tokens are not listed. */
  public readonly annotationKeys: string[];

  private constructor(private readonly text: string, private readonly traits: Traits) {
    this.annotationKeys = [...traits.keys];
  }

  /**
   * The AND of this expression and the others (`and` is reserved in Python: there it is `and_`).
   * @param others one or more expressions
   */
  public and(...others: FilterExpression[]): FilterExpression {
    return FilterExpression.all(this, ...others);
  }

  /**
   * The OR of this expression and the others (`or` is reserved in Python: there it is `or_`).
   * @param others one or more expressions
   */
  public or(...others: FilterExpression[]): FilterExpression {
    return FilterExpression.any(this, ...others);
  }

  /** The expression in X-Ray syntax. */
  public toString(): string {
    return this.text;
  }
}

function traitsOf(outcome: FilterParseOutcome): Traits {
  return {
    keys: outcome.annotationKeys,
    annotations: outcome.annotationKeys.length > 0,
    serviceOrEdge: outcome.usesServiceOrEdge,
    topLevelOnly: outcome.usesTopLevelOnly,
    topLevelOr: outcome.topLevelOr,
    unknown: false,
  };
}

/** A builder's error in the house format, located at the builder: `[FilterExpression.service] name must be ...`. */
function refuse(method: string, what: string, problem: string, got: unknown, fix: string): never {
  return fail(`FilterExpression.${method}`, what, problem, got, fix);
}

function checkEnum(method: string, what: string, value: string, values: Record<string, string>): string {
  if (!Object.values(values).includes(value)) {
    refuse(method, what, `must be one of ${Object.values(values).join(', ')}`, value, 'Use the enum members.');
  }
  return value;
}

function renderNumber(method: string, value: number): string {
  if (Token.isUnresolved(value)) {
    return Tokenization.stringifyNumber(value);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    refuse(method, 'value', 'must be a finite number', value, 'Pass a number such as 2 or 0.5 (seconds for times).');
  }
  const text = String(value);
  if (/e/i.test(text)) {
    refuse(method, 'value', 'must be writable without an exponent (between 1e-6 and 1e21 in magnitude, or 0)', value, 'X-Ray numbers are plain decimals.');
  }
  return text;
}

function renderString(method: string, what: string, value: string): string {
  if (typeof value !== 'string') {
    refuse(method, what, 'must be a string', value, 'Pass text; it is quoted and escaped for you.');
  }
  return quoteFilterString(value);
}

function renderId(method: string, what: string, id: ServiceIdOptions): string {
  const fields: Array<[string, string | undefined]> = [['name', id?.name], ['type', id?.type], ['account.id', id?.accountId]];
  const given = fields.filter(([, v]) => v !== undefined);
  if (given.length === 0) {
    refuse(method, what, 'needs at least one of name, type or accountId', id, 'For example { type: \'AWS::Lambda::Function\' }.');
  }
  const account = id.accountId;
  if (account !== undefined && !Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
    refuse(method, `${what}.accountId`, 'must be a 12-digit AWS account ID', account, 'Pass the account ID without dashes.');
  }
  return `id(${given.map(([k, v]) => `${k}: ${renderString(method, `${what}.${k === 'account.id' ? 'accountId' : k}`, v!)}`).join(', ')})`;
}
