import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Renders a value for an error message: strings quoted, lists and objects as JSON, tokens as `<token>`.
 */
export function describe(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? '<token>' : JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? '<token>' : String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The construct path an error names: a construct, or a path string for props checked before `super()`. */
export type ErrorLocation = IConstruct | string;

function pathOf(where: ErrorLocation): string {
  return typeof where === 'string' ? where : where.node.path;
}

/**
 * Formats one problem in the house format: `[path] prop problem (got X). How to fix.`
 */
export function problemMessage(where: ErrorLocation, prop: string, problem: string, got: unknown, fix: string): string {
  return `[${pathOf(where)}] ${prop} ${problem} (got ${describe(got)}). ${fix}`;
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
