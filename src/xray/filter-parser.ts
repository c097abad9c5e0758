import {
  FilterFlag, NumberKeyword, NumberOperator, RootCauseEntity, RootCauseType, StringKeyword, StringOperator,
} from './filter-vocabulary';
import { annotationKeyProblem } from '../private/annotation-keys';

/*
 * Tokenizer, parser and validator for X-Ray filter expressions.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 *
 * Grammar. Keywords, operators, AND/OR and true/false are case-insensitive; annotation keys are not.
 *   or        := and ( OR and )*                              AND binds tighter than OR; "!" tightest
 *   and       := unary ( AND unary )*
 *   unary     := "!" condition | "(" or ")" | condition
 *   condition := flag [ (= | !=) (true | false) ]           ok error throttle fault partial inferred first last remote root
 *              | numberKeyword (= != < <= > >=) number
 *              | stringKeyword [ (= != CONTAINS BEGINSWITH ENDSWITH) "string" ]   bare: the field is set
 *              | annotation.KEY [ operator value ]          the value's type must suit the operator
 *              | (group.name | group.arn) (= | !=) "string"
 *              | (json | rootcause.json) (= | !=) #[ JSON array ]   simplified: checked to be well-formed JSON only
 *              | service "(" [ ref ] ")" [ "{" or "}" ]  |  edge "(" ref "," ref ")" [ "{" or "}" ]
 *              | rootcause.(fault|error|responsetime).(service|entity|exception) "{" or "}"
 *   ref       := "string" | id "(" field ":" "string" ( "," field ":" "string" )* ")"      field := name | type | account.id
 *
 * Stricter than the console in three places, because a group whose expression X-Ray cannot evaluate silently stops
 * collecting traces: conditions must be joined with AND/OR (no juxtaposition such as `ok !partial`); annotation.* may
 * not appear anywhere in an expression that uses service() or edge() (the docs: "You can't use this keyword in
 * combination with the service or edge keyword"); and service(), edge(), rootcause.*, group.*, json and annotation.*
 * may not be nested inside a `{ }` sub-filter.
 */

/** The keywords and operators of the filter language: the values of the public enums, read once. */
const values = (e: Record<string, string>): string[] => Object.values(e);
export const BOOLEAN_KEYWORDS = values(FilterFlag);
export const NUMBER_KEYWORDS = values(NumberKeyword);
export const STRING_KEYWORDS = values(StringKeyword);
export const NUMBER_OPERATORS = values(NumberOperator);
export const STRING_OPERATORS = values(StringOperator);
const ROOT_CAUSE_KEYWORDS = values(RootCauseType).flatMap(k => values(RootCauseEntity).map(e => `rootcause.${k}.${e}`));
const ALL_KEYWORDS = [...BOOLEAN_KEYWORDS, ...NUMBER_KEYWORDS, ...STRING_KEYWORDS, 'service', 'edge', 'group.name', 'group.arn',
  'json', 'rootcause.json', 'annotation.KEY', ...ROOT_CAUSE_KEYWORDS];
const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;
const ANNOTATION = 'annotation.';
const KEYWORD_HINT = `Known keywords: ${ALL_KEYWORDS.slice(0, -ROOT_CAUSE_KEYWORDS.length).join(', ')}, `
  + `rootcause.{${values(RootCauseType).join('|')}}.{${values(RootCauseEntity).join('|')}}.`;
const NOT_WITH_SERVICE = 'X-Ray cannot combine annotation.* with service() or edge(); filter on the annotation in a separate expression.';

/**
 * How deep parentheses and braces may nest. The parser recurses once per level, so an unbounded depth would overflow
 * the stack on hostile input; no expression a person writes comes near this.
 */
export const MAX_FILTER_NESTING = 100;

/** The first problem in an expression: `message` names the position, `hint` says how to fix it. */
export interface FilterProblem {
  readonly position: number;
  readonly message: string;
  readonly hint: string;
}

/** What parsing found; the lists and flags cover the expression as far as it was parsed. */
export interface FilterParseOutcome {
  readonly problem?: FilterProblem;
  /** Distinct annotation keys, in order of first appearance. */
  readonly annotationKeys: string[];
  /** The top level is an OR, so the expression needs parentheses inside an AND. */
  readonly topLevelOr: boolean;
  readonly usesServiceOrEdge: boolean;
  /** Uses service(), edge(), rootcause.*, group.* or json, none of which may sit inside a `{ }` sub-filter. */
  readonly usesTopLevelOnly: boolean;
}

type TokenKind = 'word' | 'number' | 'string' | 'json' | 'symbol' | 'end';
interface Token {
  readonly kind: TokenKind;
  /** Source text; for strings including the quotes. */
  readonly text: string;
  /** Unescaped content of a string token. */
  readonly value: string;
  readonly pos: number;
}

function problemAt(position: number, message: string, hint: string): FilterProblem {
  return { position, message, hint };
}

class FilterSyntaxError extends Error {
  constructor(public readonly problem: FilterProblem) {
    super(problem.message);
  }
}

/** Renders a filter-expression string literal: double quotes, with `\` and `"` escaped by a backslash. */
export function quoteFilterString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Parses and validates `input` and reports the problem with the lowest position. Never throws. */
export function parseFilterExpression(input: string): FilterParseOutcome {
  const lexed = tokenize(input);
  const bracketProblem = checkBrackets(lexed.tokens, lexed.problem === undefined);
  const parser = new Parser(lexed.tokens, lexed.problem);
  let parseProblem: FilterProblem | undefined;
  let topLevelOr = false;
  try {
    topLevelOr = parser.parseExpression();
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    parseProblem = e.problem;
  }
  // On a tie the tokenizer's and the bracket matcher's messages are the more precise ones, so they come first.
  const problem = [lexed.problem, bracketProblem, parseProblem]
    .reduce((best, p) => (p !== undefined && (best === undefined || p.position < best.position) ? p : best), undefined);
  return {
    problem,
    annotationKeys: [...parser.keys],
    topLevelOr: problem === undefined && topLevelOr,
    usesServiceOrEdge: parser.serviceOrEdge !== undefined,
    usesTopLevelOnly: parser.topLevelOnly,
  };
}

function tokenize(input: string): { tokens: Token[]; problem?: FilterProblem } {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, value = '') => tokens.push({ kind, text: input.slice(start, end), value, pos: start });
  const stop = (position: number, message: string, hint: string) => {
    tokens.push({ kind: 'end', text: '', value: '', pos: position });
    return { tokens, problem: problemAt(position, message, hint) };
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let value = '';
      for (i++; i < input.length && input[i] !== '"'; i++) {
        // A backslash takes the next character literally: \" is a quote, \\ a backslash.
        if (input[i] === '\\' && i + 1 < input.length) i++;
        value += input[i];
      }
      if (i >= input.length) {
        return stop(start, `unterminated string: the quote at position ${start} is never closed`,
          'Close the string with a double quote; write \\" for a quote inside a string.');
      }
      push('string', start, ++i, value);
    } else if (c === "'") {
      return stop(start, `single-quoted string at position ${start}`, 'X-Ray strings use double quotes: "value".');
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < input.length && /[A-Za-z0-9_.-]/.test(input[i])) i++;
      push('word', start, i);
    } else if (/\d/.test(c) || (c === '-' && /\d/.test(input[i + 1] ?? ''))) {
      i++;
      while (i < input.length && /[A-Za-z0-9_.]/.test(input[i])) i++;
      push('number', start, i);
    } else if (c === '#') {
      const end = scanJson(input, start);
      if (typeof end !== 'number') return stop(start, end[0], end[1]);
      push('json', start, (i = end));
    } else if ('(){},:'.includes(c)) {
      push('symbol', start, ++i);
    } else if ('!<>='.includes(c)) {
      if (c === '=' && input[i + 1] === '=') return stop(start, `unknown operator "==" at position ${start}`, 'Compare with a single "=".');
      i += c !== '=' && input[i + 1] === '=' ? 2 : 1;
      push('symbol', start, i);
    } else {
      return stop(start, `unexpected character "${c}" at position ${start}`,
        'Expressions use keywords, = != < <= > >= ! CONTAINS BEGINSWITH ENDSWITH, AND, OR, ( ), { } and double-quoted strings.');
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: input.length });
  return { tokens };
}

/** Scans a `#[...]` JSON literal at `start`; returns its end offset, or [message, hint]. */
function scanJson(input: string, start: number): number | [string, string] {
  const example = 'Write rootcause.json = #[{ "Services": [ { "Name": "my-service" } ] }].';
  if (input[start + 1] !== '[') return [`stray "#" at position ${start}`, example];
  let depth = 0;
  for (let i = start + 1; i < input.length; i++) {
    const c = input[i];
    if (c === '"') {
      for (i++; i < input.length && input[i] !== '"'; i++) if (input[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if ((c === ']' || c === '}') && --depth === 0) {
      try {
        JSON.parse(input.slice(start + 1, i + 1));
        return i + 1;
      } catch {
        return [`invalid JSON in the #[...] literal at position ${start}`, `The text after "#" must be a JSON array. ${example}`];
      }
    }
  }
  return [`unterminated JSON literal: "#[" at position ${start} is never closed`, 'Close the JSON array with "]".'];
}

const PARTNER: Record<string, string> = { '(': ')', '{': '}', ')': '(', '}': '{' };
const BRACKETS: Record<string, string> = { '(': 'parentheses', ')': 'parentheses', '{': 'braces', '}': 'braces' };

/** Matches ( ) and { } over the tokens, so brackets inside strings and JSON literals do not count. */
function checkBrackets(tokens: Token[], complete: boolean): FilterProblem | undefined {
  const open: Token[] = [];
  for (const t of tokens.filter(x => x.kind === 'symbol' && x.text in BRACKETS)) {
    if (t.text === '(' || t.text === '{') {
      open.push(t);
      continue;
    }
    const top = open.pop();
    if (top === undefined) {
      return problemAt(t.pos, `unbalanced ${BRACKETS[t.text]}: "${t.text}" at position ${t.pos} has no matching "${PARTNER[t.text]}"`,
        `Remove "${t.text}" or add the "${PARTNER[t.text]}" it closes.`);
    }
    if (top.text !== PARTNER[t.text]) {
      return problemAt(t.pos, `unbalanced ${BRACKETS[t.text]}: "${t.text}" at position ${t.pos} does not match "${top.text}" at position ${top.pos}`,
        `Close "${top.text}" with "${PARTNER[top.text]}" first.`);
    }
  }
  // An unterminated string truncates the tokens and leaves openers unclosed; the tokenizer's problem explains that better.
  const first = open[0];
  return complete && first !== undefined
    ? problemAt(first.pos, `unbalanced ${BRACKETS[first.text]}: "${first.text}" at position ${first.pos} is never closed`,
      `Add "${PARTNER[first.text]}" to close it, or remove it.`)
    : undefined;
}

/** Where a condition sits: `top`, or the owner of the `{ }` sub-filter (`service()`, `edge()`, `rootcause.fault.service`...). */
type Scope = string;

class Parser {
  public readonly keys: string[] = [];
  public serviceOrEdge?: Token;
  public topLevelOnly = false;
  private firstAnnotation?: Token;
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[], private readonly lexProblem?: FilterProblem) {}

  /** Parses the whole input; returns true when its top level is an OR. */
  public parseExpression(): boolean {
    const isOr = this.parseOr('top');
    const t = this.peek();
    if (t.kind !== 'end') this.unexpectedAfterCondition(t);
    return isOr;
  }

  private parseOr(scope: Scope, after?: Token): boolean {
    this.parseAnd(scope, after);
    let isOr = false;
    for (; isConnective(this.peek(), 'or'); isOr = true) this.parseAnd(scope, this.next());
    return isOr;
  }

  private parseAnd(scope: Scope, after?: Token): void {
    this.parseUnary(scope, after);
    while (isConnective(this.peek(), 'and')) this.parseUnary(scope, this.next());
  }

  /** `after` is the token before the condition (AND, OR, "(" or "{"); it is named when the condition is missing. */
  private parseUnary(scope: Scope, after?: Token): void {
    const t = this.peek();
    if (isSymbol(t, '!')) {
      this.next();
      const k = this.peek();
      if (k.kind !== 'word' || isConnective(k)) {
        this.fail(k, t.pos, k.kind === 'end' ? `dangling "!" at position ${t.pos}: no keyword follows it`
          : `"!" at position ${t.pos} followed by ${renderValue(k)} instead of a keyword`, 'Negate a single keyword: !fault, !annotation.KEY, !service("name").');
      }
      this.parseCondition(scope, t);
    } else if (isSymbol(t, '(')) {
      this.next();
      this.enter(t);
      this.parseOr(scope, t);
      this.depth--;
      this.expectCloser(t);
    } else if (t.kind === 'word' && !isConnective(t)) {
      this.parseCondition(scope);
    } else {
      this.missingCondition(t, after);
    }
  }

  private missingCondition(t: Token, after?: Token): never {
    const example = 'Write a condition such as fault or responsetime > 1.';
    if (after === undefined && t.kind === 'end') this.fail(t, 0, 'empty expression at position 0', example);
    if (after !== undefined && after.kind === 'symbol' && (t.kind === 'end' || isSymbol(t, PARTNER[after.text]))) {
      this.fail(t, after.pos, `empty "${after.text} ${PARTNER[after.text]}" at position ${after.pos}`, `Put a condition inside, or remove them. ${example}`);
    }
    if (after !== undefined && after.kind === 'word' && (t.kind === 'end' || isSymbol(t, ')') || isSymbol(t, '}'))) {
      this.fail(t, after.pos, `dangling ${upper(after)} at position ${after.pos}: no condition follows it`, `Add a condition after ${upper(after)}, or remove it.`);
    }
    if (isConnective(t)) {
      this.fail(t, t.pos, after?.kind === 'word' ? `${upper(t)} at position ${t.pos} directly after ${upper(after)}`
        : `${upper(t)} at position ${t.pos} has no condition before it`, 'AND and OR join two conditions.');
    }
    if (isSymbol(t, '{')) {
      this.fail(t, t.pos, `"{" at position ${t.pos} without service(), edge() or rootcause.* before it`,
        'Braces hold the sub-filter of service("name") { ... }, edge("a", "b") { ... } or rootcause.fault.service { ... }.');
    }
    this.fail(t, t.pos, `keyword expected at position ${t.pos}, found ${renderValue(t)}`, `${example} ${KEYWORD_HINT}`);
  }

  private parseCondition(scope: Scope, negation?: Token): void {
    const t = this.next();
    const kw = t.text.toLowerCase();
    if (BOOLEAN_KEYWORDS.includes(kw)) {
      if (!isOperator(this.peek())) return;
      this.noNegation(negation, `${kw} = false`);
      this.comparison(t, ['=', '!='], 'boolean', `boolean keyword ${kw}`);
    } else if (NUMBER_KEYWORDS.includes(kw)) {
      this.noNegation(negation, `${kw} = 0 or another comparison`);
      this.comparison(t, NUMBER_OPERATORS, 'number', `number keyword ${kw}`);
    } else if (STRING_KEYWORDS.includes(kw)) {
      // Bare, a string keyword means "the field is set" (docs example: `http.url AND responseTime > 2`).
      if (!isOperator(this.peek())) return;
      this.noNegation(negation, `${kw} != "..."`);
      this.comparison(t, STRING_OPERATORS, 'string', `string keyword ${kw}`);
    } else if (kw.startsWith(ANNOTATION)) {
      this.annotationCondition(scope, t, negation);
    } else if (kw === 'service' || kw === 'edge') {
      this.serviceOrEdgeCondition(scope, t);
    } else if (['group.name', 'group.arn', 'json', 'rootcause.json'].includes(kw)) {
      this.topLevelOnlyKeyword(scope, t);
      this.noNegation(negation, `${kw} != ...`);
      this.comparison(t, ['=', '!='], kw.startsWith('group') ? 'string' : 'json', kw);
    } else if (ROOT_CAUSE_KEYWORDS.includes(kw)) {
      this.topLevelOnlyKeyword(scope, t);
      this.noNegation(negation, `${kw} { ... } with the negation inside the braces`);
      this.braces(t, true);
    } else if (kw === 'id') {
      this.fail(t, t.pos, `id() at position ${t.pos} outside service() or edge()`, 'Write service(id(name: "my-function", type: "AWS::Lambda::Function")).');
    } else {
      this.unknownKeyword(t);
    }
  }

  private annotationCondition(scope: Scope, t: Token, negation?: Token): void {
    const key = t.text.slice(ANNOTATION.length);
    const at = t.pos + ANNOTATION.length;
    if (key.length === 0) this.fail(t, at, `missing annotation key after "annotation." at position ${at}`, 'Write annotation.KEY, e.g. annotation.tenant.');
    const wrong = annotationKeyProblem(key);
    if (wrong !== undefined) {
      this.fail(t, at, `annotation key "${key}" at position ${at} ${wrong.problem}`, wrong.fix);
    }
    if (!this.keys.includes(key)) this.keys.push(key);
    if (scope !== 'top') {
      this.fail(t, t.pos, `annotation.${key} at position ${t.pos} inside the ${scope} { } filter`, scope.startsWith('rootcause')
        ? 'Root-cause entities are matched on name, type, message, flags, index and coverage, not on annotations.' : NOT_WITH_SERVICE);
    }
    if (this.serviceOrEdge !== undefined) {
      this.fail(t, t.pos, `annotation.${key} at position ${t.pos} combined with ${this.serviceOrEdge.text.toLowerCase()}() at position ${this.serviceOrEdge.pos}`,
        NOT_WITH_SERVICE);
    }
    this.firstAnnotation ??= t;
    const op = this.peek();
    if (!isOperator(op)) return;
    this.noNegation(negation, `annotation.${key} != ...`);
    const opText = op.text.toUpperCase();
    const type = ['<', '<=', '>', '>='].includes(opText) ? 'number' : ['=', '!='].includes(opText) ? 'any' : 'string';
    this.comparison(t, [...NUMBER_OPERATORS, ...STRING_OPERATORS.slice(2)], type, t.text);
  }

  private serviceOrEdgeCondition(scope: Scope, t: Token): void {
    const kw = t.text.toLowerCase();
    this.topLevelOnlyKeyword(scope, t);
    const annotation = this.firstAnnotation;
    if (annotation !== undefined) {
      this.fail(t, t.pos, `${kw}() at position ${t.pos} combined with ${annotation.text} at position ${annotation.pos}`, NOT_WITH_SERVICE);
    }
    this.serviceOrEdge ??= t;
    const open = this.expect(t, '(', `Write ${kw === 'edge' ? 'edge("source", "destination")' : 'service("name") or service()'}.`);
    if (kw === 'edge' || !isSymbol(this.peek(), ')')) {
      this.serviceRef(kw);
      if (kw === 'edge') {
        this.expect(t, ',', 'edge() needs a source and a destination: edge("source", "destination").');
        this.serviceRef(kw);
      }
    }
    this.expectCloser(open);
    if (isSymbol(this.peek(), '{')) this.braces(t, false);
  }

  /** A service name: a quoted string, or id(name: "...", type: "...", account.id: "..."). */
  private serviceRef(kw: string): void {
    const t = this.next();
    if (t.kind === 'string') return;
    if (t.kind === 'word' && t.text.toLowerCase() === 'id') return this.idCall(t);
    const unquoted = t.kind === 'word' || t.kind === 'number';
    this.fail(t, t.pos, unquoted ? `unquoted service name ${t.text} at position ${t.pos}` : `service name expected at position ${t.pos}, found ${renderValue(t)}`,
      `Quote service names, as in ${kw}("${unquoted ? t.text : 'my-service'}"), or use id(name: "...", type: "...").`);
  }

  private idCall(id: Token): void {
    const open = this.expect(id, '(', 'Write id(name: "my-function", type: "AWS::Lambda::Function").');
    const seen = new Set<string>();
    do {
      const field = this.next();
      const name = field.text.toLowerCase();
      if (field.kind !== 'word' || !['name', 'type', 'account.id'].includes(name)) {
        this.fail(field, isSymbol(field, ')') ? id.pos : field.pos, isSymbol(field, ')') ? `empty id() at position ${id.pos}`
          : `unknown id() field ${renderValue(field)} at position ${field.pos}`, 'id() takes name: "...", type: "..." and account.id: "...".');
      }
      if (seen.has(name)) this.fail(field, field.pos, `repeated id() field ${name} at position ${field.pos}`, 'Give each field once.');
      seen.add(name);
      this.expect(field, ':', `Write ${name}: "value".`);
      const v = this.next();
      if (v.kind !== 'string') this.fail(v, v.pos, `unquoted id() ${name} at position ${v.pos}`, `Write ${name}: "value" with double quotes.`);
    } while (isSymbol(this.peek(), ',') && this.next());
    this.expectCloser(open);
  }

  /** The `{ }` sub-filter after service(), edge() or rootcause.*. */
  private braces(owner: Token, required: boolean): void {
    const kw = owner.text.toLowerCase();
    const open = this.peek();
    if (!isSymbol(open, '{')) {
      if (!required) return;
      const at = open.kind === 'end' ? owner.pos : open.pos;
      this.fail(open, at, `"{" expected after ${kw} at position ${at}, found ${renderValue(open)}`, `Write ${kw} { name = "my-service" }.`);
    }
    this.next();
    this.enter(open);
    this.parseOr(kw === 'service' || kw === 'edge' ? `${kw}()` : kw, open);
    this.depth--;
    this.expectCloser(open);
  }

  /** One level deeper at the opener `t`; past MAX_FILTER_NESTING a problem, never a stack overflow. */
  private enter(t: Token): void {
    if (++this.depth > MAX_FILTER_NESTING) {
      this.fail(t, t.pos, `"${t.text}" at position ${t.pos} nests deeper than ${MAX_FILTER_NESTING} levels`,
        'Remove redundant parentheses; AND binds tighter than OR, so most groupings need none.');
    }
  }

  /** `keyword operator value`: one of `allowed` operators, and a value of `type`. */
  private comparison(t: Token, allowed: string[], type: 'boolean' | 'number' | 'string' | 'json' | 'any', label: string): void {
    const kw = t.text.toLowerCase();
    const op = this.next();
    if (!isOperator(op)) {
      const at = op.kind === 'end' || op.kind === 'symbol' || isConnective(op) ? t : op;
      this.fail(op, at.pos, at === t ? `${label} at position ${t.pos} has no operator and value` : `operator expected after ${kw} at position ${op.pos}, found ${renderValue(op)}`,
        `Write ${kw} ${allowed[0]} ${EXAMPLES[type]}.`);
    }
    if (!allowed.includes(op.text.toUpperCase())) {
      this.fail(op, op.pos, `operator ${op.text} at position ${op.pos} does not apply to ${label}`, type === 'boolean'
        ? `Write ${kw}, !${kw}, ${kw} = true or ${kw} = false.` : `Use one of ${allowed.join(' ')} with ${EXAMPLES[type]}.`);
    }
    const v = this.peek();
    if (v.kind === 'end' || v.kind === 'symbol' || isConnective(v)) {
      const at = v.kind === 'end' ? op.pos : v.pos;
      this.fail(v, at, `missing value after "${op.text}" at position ${at}`, `Compare ${kw} with ${EXAMPLES[type]}.`);
    }
    this.next();
    const unquoted = v.kind === 'word' && !(type === 'any' && isBooleanWord(v));
    if (v.kind === 'number' && (type === 'number' || type === 'any') && !NUMBER_PATTERN.test(v.text)) {
      this.fail(v, v.pos, `"${v.text}" at position ${v.pos} is not a number`, 'Write numbers as digits with an optional decimal part, such as 2 or 0.5.');
    }
    const fits = {
      boolean: isBooleanWord(v),
      number: v.kind === 'number',
      string: v.kind === 'string',
      json: v.kind === 'json',
      any: v.kind === 'string' || v.kind === 'number' || isBooleanWord(v),
    };
    if (!fits[type]) {
      const quoteIt = type === 'string' || (type === 'any' && unquoted);
      this.fail(v, v.pos, quoteIt && unquoted ? `unquoted value ${v.text} for ${label} at position ${v.pos}` : `${label} compared with ${renderValue(v)} at position ${v.pos}`,
        quoteIt ? `Quote text values: ${t.text} ${op.text} "${v.kind === 'string' ? v.value : v.text}".` : `Compare ${kw} with ${EXAMPLES[type]}.`);
    }
  }

  private topLevelOnlyKeyword(scope: Scope, t: Token): void {
    this.topLevelOnly = true;
    if (scope !== 'top') {
      const kw = t.text.toLowerCase();
      this.fail(t, t.pos, `${kw === 'service' || kw === 'edge' ? `${kw}()` : kw} at position ${t.pos} nested inside the ${scope} { } filter`,
        'service(), edge(), rootcause.*, group.* and json apply to whole traces; combine them with AND or OR outside the braces.');
    }
  }

  private noNegation(negation: Token | undefined, instead: string): void {
    if (negation === undefined) return;
    const op = this.peek();
    this.fail(op, negation.pos, isOperator(op) ? `"!" at position ${negation.pos} combined with the operator ${op.text}`
      : `"!" at position ${negation.pos} on a keyword it cannot negate`,
    `"!" negates boolean keywords, annotations, set string keywords, service() and edge() only; write ${instead}.`);
  }

  private unknownKeyword(t: Token): never {
    const word = t.text.toLowerCase();
    if (word === 'not') this.fail(t, t.pos, `NOT at position ${t.pos} is not an operator`, 'Negate with "!": !fault, !service("name").');
    const dot = word.indexOf('.');
    const candidates = dot > 0 && editDistance(word.slice(0, dot), 'annotation') <= 2 ? [`${ANNOTATION}${t.text.slice(dot + 1)}`] : ALL_KEYWORDS;
    const near = candidates.map(k => ({ k, d: editDistance(word, k.toLowerCase()) })).filter(({ d }) => d <= 2)
      .sort((a, b) => a.d - b.d).slice(0, 3).map(({ k }) => `"${k}"`);
    this.fail(t, t.pos, `unknown keyword "${t.text}" at position ${t.pos}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`, KEYWORD_HINT);
  }

  private unexpectedAfterCondition(t: Token): never {
    if ((t.kind === 'word' && !isConnective(t)) || isSymbol(t, '!') || isSymbol(t, '(')) {
      this.fail(t, t.pos, `missing AND or OR before ${renderValue(t)} at position ${t.pos}`,
        'Join conditions with AND or OR, for example ok AND !partial AND duration < 3.');
    }
    this.fail(t, t.pos, `unexpected ${renderValue(t).replace(/^the /, '')} at position ${t.pos} after a complete condition`, 'Remove it, or join another condition with AND or OR.');
  }

  private expect(owner: Token, symbol: string, hint: string): Token {
    const t = this.peek();
    const at = t.kind === 'end' ? owner.pos : t.pos;
    if (!isSymbol(t, symbol)) this.fail(t, at, `"${symbol}" expected at position ${at}, found ${renderValue(t)}`, hint);
    return this.next();
  }

  private expectCloser(open: Token): void {
    const closer = PARTNER[open.text];
    const t = this.peek();
    if (isSymbol(t, closer)) {
      this.next();
    } else if (t.kind === 'end') {
      this.fail(t, open.pos, `unbalanced ${BRACKETS[open.text]}: "${open.text}" at position ${open.pos} is never closed`, `Add "${closer}" to close it.`);
    } else {
      this.unexpectedAfterCondition(t);
    }
  }

  /** Throws a problem found at token `t`; when `t` is the end of a token stream cut short by the tokenizer, its problem wins. */
  private fail(t: Token, position: number, message: string, hint: string): never {
    throw new FilterSyntaxError(t.kind === 'end' && this.lexProblem !== undefined ? this.lexProblem : problemAt(position, message, hint));
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'end') this.i++;
    return t;
  }
}

const EXAMPLES = {
  boolean: 'true or false',
  number: 'a number without quotes',
  string: 'a quoted string',
  json: 'a #[...] JSON literal',
  any: 'a quoted string, a number, true or false',
};

function isSymbol(t: Token, text: string): boolean {
  return t.kind === 'symbol' && t.text === text;
}

function isConnective(t: Token, which?: 'and' | 'or'): boolean {
  const w = t.text.toLowerCase();
  return t.kind === 'word' && (which === undefined ? w === 'and' || w === 'or' : w === which);
}

function isOperator(t: Token): boolean {
  return (t.kind === 'symbol' && NUMBER_OPERATORS.includes(t.text)) || (t.kind === 'word' && STRING_OPERATORS.includes(t.text.toUpperCase()));
}

function isBooleanWord(t: Token): boolean {
  return t.kind === 'word' && ['true', 'false'].includes(t.text.toLowerCase());
}

function upper(t: Token): string {
  return t.text.toUpperCase();
}

function renderValue(t: Token): string {
  switch (t.kind) {
    case 'end': return 'the end of the expression';
    case 'string': return `the string ${t.text}`;
    case 'number': return `the number ${t.text}`;
    case 'json': return 'a JSON literal';
    default: return isConnective(t) ? upper(t) : `"${t.text}"`;
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
