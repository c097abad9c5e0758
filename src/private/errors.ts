import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** Longest rendering of a value in a message; longer ones are cut with `…` so an error stays readable. */
const MAX_DESCRIBED_LENGTH = 500;

/**
 * Renders a value for an error message: strings quoted, lists and objects as JSON, tokens as `<token>`, constructs by
 * their path. Never throws, and never longer than 500 characters.
 */
export function renderValue(value: unknown): string {
  return truncate(render(value));
}

function render(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? '<token>' : JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? '<token>' : String(value);
  }
  if (typeof value === 'function') {
    return `<function ${value.name || 'anonymous'}>`;
  }
  if (typeof value === 'bigint' || typeof value === 'symbol') {
    return String(value);
  }
  if (value !== null && typeof value === 'object' && Construct.isConstruct(value)) {
    return `<construct ${value.node.path || '(app)'}>`;
  }
  if (Token.isUnresolved(value)) {
    return '<token>';
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function truncate(text: string): string {
  return text.length <= MAX_DESCRIBED_LENGTH ? text : `${text.slice(0, MAX_DESCRIBED_LENGTH - 1)}…`;
}

/** The construct path an error names: a construct, or a path string for props checked before `super()`. */
export type ErrorLocation = IConstruct | string;

function pathOf(where: ErrorLocation): string {
  return typeof where === 'string' ? where : where.node.path;
}

function withoutPath(path: string, text: string): string {
  const prefix = `[${path}] `;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/**
 * Formats one problem in the house format: `[path] prop problem (got X). How to fix.`
 *
 * `problem` and `fix` may come from elsewhere (a caught error, a parser): a leading `[path]` already naming this path
 * and aws-cdk-lib's `Resolution error:` wrapping are removed, so the path is printed once.
 */
export function problemMessage(where: ErrorLocation, prop: string, problem: string, got: unknown, fix: string): string {
  const path = pathOf(where);
  return `[${path}] ${prop} ${withoutPath(path, unwrapResolutionError(problem))} (got ${renderValue(got)}). ${fix}`;
}
/**
 * Collects every problem found in one props object and throws them together, so a user fixes them in one pass.
 */
export class ProblemCollector {
  private readonly problems: string[] = [];

  constructor(private readonly where: ErrorLocation) {}

  /** Records a problem with `prop`. */
  public add(prop: string, problem: string, got: unknown, fix: string): void {
    this.problems.push(problemMessage(this.where, prop, problem, got, fix));
  }

  /** True when nothing was recorded. */
  public get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Throws one Error listing every recorded problem, if there is any. */
  public throwIfAny(): void {
    if (this.problems.length === 1) {
      throw new Error(this.problems[0]);
    }
    if (this.problems.length > 1) {
      throw new Error(`${this.problems.length} problems:\n  - ${this.problems.join('\n  - ')}`);
    }
  }
}

/** Throws a single problem at once. */
export function fail(where: ErrorLocation, prop: string, problem: string, got: unknown, fix: string): never {
  throw new Error(problemMessage(where, prop, problem, got, fix));
}

/**
 * The path of a construct about to be created as `id` under `scope`, for props checked before `super()`: never starts
 * with `/` when `scope` is the app.
 */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path === '' ? id : `${scope.node.path}/${id}`;
}

/** aws-cdk-lib adds `Resolution error: ` once per token level and a `.` each time, plus the creation stack. */
const RESOLUTION_PREFIX = /^(?:Resolution error: )+/;

/**
 * The message of an error thrown while aws-cdk-lib resolved a token, without the `Resolution error: ` prefixes,
 * the dots each level adds and the `Object creation stack:` that follows. Other text is returned unchanged.
 */
export function unwrapResolutionError(message: string): string {
  if (!RESOLUTION_PREFIX.test(message)) {
    return message;
  }
  const levels = (message.match(RESOLUTION_PREFIX)![0].match(/Resolution error: /g) ?? []).length;
  let text = message.replace(RESOLUTION_PREFIX, '');
  const stackAt = text.search(/\n\s*Object creation stack:/);
  if (stackAt >= 0) {
    text = text.slice(0, stackAt);
  }
  // Each wrapping level appends one '.', after the message's own final '.' if it had one.
  const dots = text.match(/\.*$/)![0].length;
  const extra = Math.min(levels, dots);
  return text.slice(0, text.length - extra).trimEnd();
}

/**
 * Re-throws an error caught around an aws-cdk-lib call (a constructor, `toSeconds()`, a `parse...` helper) in the house
 * format, naming the construct path, the prop and the fix:
 * `[Stack/Api] deployOptions.methodOptions is refused by aws-cdk-lib: Method options path must start with '/': x (got "x"). Fix.`
 *
 * - An error already in the house format (its message starts with `[`) is re-thrown as it is, so the path is never
 *   printed twice; only its `Resolution error:` wrapping is removed.
 * - aws-cdk-lib's own errors (`ValidationError` and the like) name the construct they relate to in `constructPath`;
 *   that path is used when it is below `where`, else `where`.
 * - `got` is optional because aws-cdk-lib's message usually quotes the value already; pass it when it does not.
 *
 * Use it as `try { ... } catch (e) { rethrowWithPath(this, 'cacheTtl', e, 'Pass whole seconds.'); }`.
 */
export function rethrowWithPath(where: ErrorLocation, prop: string, err: unknown, fix: string, got?: unknown): never {
  const raw = err instanceof Error ? err.message : String(err);
  const message = unwrapResolutionError(raw);
  if (message.startsWith('[')) {
    throw new Error(message);
  }
  const base = pathOf(where);
  const inner = err instanceof Error ? (err as { constructPath?: unknown }).constructPath : undefined;
  const path = typeof inner === 'string' && (base === '' || inner.startsWith(`${base}/`)) ? inner : base;
  const problem = `is refused by aws-cdk-lib: ${message.replace(/\.$/, '')}`;
  const gotPart = arguments.length >= 5 ? ` (got ${renderValue(got)})` : '';
  throw new Error(`[${path}] ${prop} ${withoutPath(path, problem)}${gotPart}. ${fix}`);
}

/**
 * Characters a single-line printable value must not hold: control characters (C0 incl. tab, CR and LF, DEL, C1 incl.
 * NEL), the Unicode line and paragraph separators, and unpaired surrogates.
 */
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why `value` is not a single line of printable characters, or `undefined` when it is (or is a token, checked at
 * deploy). The reason names the first offending character and its index, e.g.
 * `must be one line of printable characters: U+000A (line feed) at index 4`.
 *
 * Meant for values written into environment variables, headers and similar one-line settings (`OTEL_SERVICE_NAME`,
 * resource attributes): a newline there splits or forges the setting.
 */
export function singleLinePrintableProblem(value: string): string | undefined {
  if (Token.isUnresolved(value)) {
    return undefined;
  }
  const match = NOT_PRINTABLE.exec(value);
  if (match === null) {
    return undefined;
  }
  const code = match[0].charCodeAt(0);
  const name = CHARACTER_NAMES[code] ?? (code >= 0xd800 && code <= 0xdfff ? 'unpaired surrogate' : 'control character');
  return `must be one line of printable characters: U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name}) ` +
    `at index ${match.index}`;
}

const CHARACTER_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x85: 'next line',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
};

/**
 * Throws in the house format unless `value` is a single line of printable characters (see
 * `singleLinePrintableProblem`). Tokens pass. With a `ProblemCollector`, call `singleLinePrintableProblem` and `add`.
 */
export function requireSingleLinePrintable(where: ErrorLocation, prop: string, value: string, fix: string): void {
  const problem = singleLinePrintableProblem(value);
  if (problem !== undefined) {
    fail(where, prop, problem, value, fix);
  }
}

/**
 * A message for `holder.node.addValidation({ validate })`, in the house format. aws-cdk-lib prints every validation
 * message after the path of the construct holding the validation (`[Stack/Task] ...`), so a message about `holder`
 * itself must not name the path again: it starts with the prop. A message about another construct (a container of
 * the task) keeps that construct's path, which then follows the holder's.
 *
 * `problemMessage` (or `[${path}] ...` by hand) in a validation prints the path twice: `[Stack/Task] [Stack/Task] ...`.
 */
export function validationMessage(holder: IConstruct, where: ErrorLocation, prop: string, problem: string, got: unknown, fix: string): string {
  const message = problemMessage(where, prop, problem, got, fix);
  return withoutPath(holder.node.path, message);
}
