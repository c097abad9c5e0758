import { Duration, Fn, Token, Tokenization } from 'aws-cdk-lib';

/**
 * A small YAML writer for the documents this library generates (maps, lists, strings, numbers, booleans).
 * Strings are always double-quoted with JSON escapes, which YAML reads the same way, so no value can change type and
 * no quote, line break, `: `, `#` or leading `*`, `&`, `!` can end a string early. Characters YAML does not allow raw in
 * a document (C1 controls, DEL, the byte-order mark) and those it folds as line breaks (U+2028, U+2029) are escaped.
 * Tokens stay tokens: a string token is written inside the quotes, a number token as the number it resolves to.
 */
export function toYaml(value: unknown, indent = 0): string {
  return render(value, indent).join('\n') + '\n';
}

/**
 * A sequence of strings, some of them known only at deploy time (list tokens such as a `CommaDelimitedList`
 * parameter's `valueAsList`): each deploy-time list becomes one `Fn::Join` of its items, one item per line.
 */
export class YamlStringList {
  constructor(public readonly literals: readonly string[], public readonly deployTimeLists: ReadonlyArray<readonly string[]>) {}

  public get empty(): boolean {
    return this.literals.length === 0 && this.deployTimeLists.length === 0;
  }
}

/** A scalar written as it is, unquoted (only for numbers built from tokens, such as `${ratio}e2`). */
export class YamlRaw {
  constructor(public readonly text: string) {}
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function render(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (value instanceof YamlStringList) {
    if (value.empty) {
      return [`${pad}[]`];
    }
    return [
      ...value.literals.map(s => `${pad}- ${scalar(s)}`),
      ...value.deployTimeLists.map(list => `${pad}- "${Fn.join(`"\n${pad}- "`, [...list])}"`),
    ];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return [`${pad}[]`];
    }
    return value.flatMap((item) => {
      if (isScalar(item)) {
        return [`${pad}- ${scalar(item)}`];
      }
      const lines = render(item, indent + 2);
      return [`${pad}- ${lines[0].trimStart()}`, ...lines.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object' && !(value instanceof YamlRaw)) {
    const entries = Object.entries(value as Record<string, Json>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      return [`${pad}{}`];
    }
    return entries.flatMap(([key, v]) => {
      const k = /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) ? key : quote(key);
      if (isScalar(v) || isEmpty(v)) {
        return [`${pad}${k}: ${isScalar(v) ? scalar(v) : Array.isArray(v) || v instanceof YamlStringList ? '[]' : '{}'}`];
      }
      return [`${pad}${k}:`, ...render(v, indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isEmpty(v: unknown): boolean {
  if (v instanceof YamlStringList) {
    return v.empty;
  }
  return (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !(v instanceof YamlRaw) && Object.keys(v).length === 0);
}

function isScalar(v: unknown): boolean {
  return v === null || v instanceof YamlRaw || ['string', 'number', 'boolean'].includes(typeof v);
}

/** A double-quoted YAML string: JSON's escapes plus the characters YAML may not hold raw. */
function quote(s: string): string {
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) {
    throw new Error(`cannot write a string with an unpaired surrogate to YAML (got ${JSON.stringify(s)})`);
  }
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (v instanceof YamlRaw) {
    return v.text;
  }
  if (typeof v === 'string') {
    return quote(v);
  }
  if (typeof v === 'number') {
    if (Token.isUnresolved(v)) {
      return Tokenization.stringifyNumber(v);
    }
    if (!Number.isFinite(v)) {
      throw new Error(`cannot write ${v} to YAML`);
    }
  }
  return String(v);
}

/** Go's duration units for aws-cdk-lib's, and the amount of a token duration in its own unit (no conversion). */
const GO_UNITS: Record<string, [string, (d: Duration) => number]> = {
  millis: ['ms', d => d.toMilliseconds()],
  seconds: ['s', d => d.toSeconds()],
  minutes: ['m', d => d.toMinutes()],
  hours: ['h', d => d.toHours()],
};

/** The amount of a token duration, as a string token, when its unit is `unit` (a token cannot be converted). */
export function tokenAmount(d: Duration, unit: string): string | undefined {
  return d.unitLabel() === unit ? Tokenization.stringifyNumber(GO_UNITS[unit][1](d)) : undefined;
}

/**
 * A duration as the collector reads it (Go's `time.ParseDuration`): whole seconds as `10s`, anything else in
 * milliseconds (`1500ms`); a token in its own unit, or undefined for a token in days (Go has no day unit).
 */
export function goDuration(d: Duration): string | undefined {
  if (d.isUnresolved()) {
    const unit = GO_UNITS[d.unitLabel()];
    return unit === undefined ? undefined : `${Tokenization.stringifyNumber(unit[1](d))}${unit[0]}`;
  }
  const ms = d.toMilliseconds({ integral: false });
  return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${ms}ms`;
}
