import { Token } from 'aws-cdk-lib';
import { ProblemCollector } from './errors';

/*
 * X-Ray's naming rules that Lambda and ECS tracing share: declared annotation keys, and the service (segment) names
 * written to OTEL_SERVICE_NAME, POWERTOOLS_SERVICE_NAME and AWS_XRAY_TRACING_NAME.
 */

/**
 * X-Ray indexes at most 50 annotations per trace.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 */
export const MAX_ANNOTATIONS_PER_TRACE = 50;

/** Longest annotation key the X-Ray SDK documentation allows. */
export const MAX_ANNOTATION_KEY_LENGTH = 500;

/**
 * Keys must be alphanumeric or underscore to work in filter expressions; the X-Ray SDK for Python drops any key with
 * another character, and the service drops keys with spaces silently.
 */
export const ANNOTATION_KEY_PATTERN = /^[A-Za-z0-9_]+$/;

/** The environment variable that carries the annotation keys a function or container declared, comma-separated. */
export const ANNOTATION_KEYS_ENV = 'XRAY_ANNOTATION_KEYS';

/** What is wrong with an annotation key, and how to fix it. */
export interface AnnotationKeyProblem {
  readonly problem: string;
  readonly fix: string;
}

/**
 * The one check of an annotation key's length and characters, used wherever a key is declared, allowed, filtered on or
 * parsed. Undefined when the key is fine. Tokens are not passed here.
 */
export function annotationKeyProblem(key: string): AnnotationKeyProblem | undefined {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_ANNOTATION_KEY_LENGTH) {
    return { problem: `must be 1 to ${MAX_ANNOTATION_KEY_LENGTH} characters long`, fix: 'Use a short, descriptive key such as "tenant_tier".' };
  }
  if (!ANNOTATION_KEY_PATTERN.test(key)) {
    return {
      problem: 'may contain only letters, digits and underscores',
      fix: `X-Ray filter expressions cannot match other characters and some SDKs drop such keys; use "${suggestKey(key)}".`,
    };
  }
  return undefined;
}

/**
 * Checks a list of declared annotation keys against the X-Ray limits and records every problem in `problems`.
 * Unresolved tokens (a whole list, or single keys) are skipped: they are checked at deploy time. A value that is not a
 * list, or an entry that is not a string (from JavaScript or Python), is a problem too.
 */
export function validateAnnotationKeys(problems: ProblemCollector, prop: string, keys: readonly string[] | undefined): void {
  if (keys === undefined || Token.isUnresolved(keys)) {
    return;
  }
  if (!Array.isArray(keys)) {
    problems.add(prop, 'must be a list of annotation keys', keys, 'Pass the keys as a list, for example ["tenant_tier"].');
    return;
  }
  if (keys.length > MAX_ANNOTATIONS_PER_TRACE) {
    problems.add(prop, `declares more keys than X-Ray indexes per trace (${MAX_ANNOTATIONS_PER_TRACE})`, keys.length,
      `Declare at most ${MAX_ANNOTATIONS_PER_TRACE} keys; record other values as metadata, which is not indexed.`);
  }
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    const at = `${prop}[${i}]`;
    if (typeof key !== 'string') {
      problems.add(at, 'must be a string', key, 'Remove the empty entry from the list, or pass the key as text.');
      return;
    }
    if (Token.isUnresolved(key)) {
      return;
    }
    const wrong = annotationKeyProblem(key);
    if (wrong !== undefined) {
      problems.add(at, wrong.problem, key, wrong.fix);
    }
    if (seen.has(key)) {
      problems.add(at, 'is declared twice', key, 'Remove the duplicate key.');
    }
    seen.add(key);
  });
}

/** A key with every character X-Ray does not accept replaced by an underscore. */
export function suggestKey(key: string): string {
  const replaced = key.replace(/[^A-Za-z0-9_]/g, '_');
  return replaced.length > 0 ? replaced : 'key';
}

/** The longest X-Ray segment name. */
export const MAX_SEGMENT_NAME_LENGTH = 200;

/**
 * One character of an X-Ray segment name: a Unicode letter or digit, a space or one of `_ . : / % & # = + \ - @`.
 * Only the plain space passes of the whitespace characters: a newline or tab would reach an environment variable and
 * the segment name unchanged.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 */
const SEGMENT_NAME_CHARACTER = /^[\p{L}\p{N} _.:/%&#=+\\@-]$/u;

/**
 * Checks a service name that becomes an X-Ray segment name: 1 to 200 characters (code points) of the allowed ones.
 * Tokens pass; a value that is not a string is a problem too.
 */
export function validateSegmentName(problems: ProblemCollector, prop: string, name: string | undefined, fix?: string): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const characters = typeof name === 'string' ? [...name] : [];
  if (characters.length === 0 || characters.length > MAX_SEGMENT_NAME_LENGTH || !characters.every(c => SEGMENT_NAME_CHARACTER.test(c))) {
    problems.add(prop, `must be 1 to ${MAX_SEGMENT_NAME_LENGTH} characters of letters, digits, spaces and _ . : / % & # = + \\ - @ (no newline or tab)`, name,
      fix ?? 'X-Ray rejects other segment names; choose a name such as "orders-api".');
  }
}

/** `text` as a segment name: every character X-Ray refuses replaced by `_`, cut to 200 characters. */
export function toSegmentName(text: string): string {
  return [...text].map(c => SEGMENT_NAME_CHARACTER.test(c) ? c : '_').slice(0, MAX_SEGMENT_NAME_LENGTH).join('');
}
