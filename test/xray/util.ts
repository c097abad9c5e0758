import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The kinds of rows of a validation table: a bad value, a value at or one past a limit, a token. */
export type CaseKind = 'bad' | 'boundary' | 'token';

/**
 * One row of a construct's validation table: the prop, the kind of case, what to build in a fresh stack and the error
 * expected (undefined: construction and synthesis succeed).
 */
export type ValidationCase = [prop: string, kind: CaseKind, build: (stack: Stack) => unknown, expected: RegExp | undefined];

/** A stack with an account and region in a fresh app. */
export function envStack(id = 'Stack', region = 'eu-west-1'): Stack {
  return new Stack(new App(), id, { env: { account: '111111111111', region } });
}

/** Builds a row in a fresh stack, synthesizes it and returns the error message, or '' when there was none. */
export function runCase(build: (stack: Stack) => unknown): string {
  try {
    const stack = envStack();
    build(stack);
    Template.fromStack(stack);
  } catch (e: any) {
    return String(e.message);
  }
  return '';
}

/** Asserts one table row. */
export function expectCase(build: (stack: Stack) => unknown, expected: RegExp | undefined): void {
  const message = runCase(build);
  if (expected === undefined) {
    expect(message).toBe('');
  } else {
    expect(message).toMatch(expected);
  }
}

/** Asserts that every validated prop of a table has a bad, a boundary and a token row. */
export function expectCompleteTable(rows: ValidationCase[]): void {
  const byProp = new Map<string, Set<CaseKind>>();
  for (const [prop, kind] of rows) {
    byProp.set(prop, (byProp.get(prop) ?? new Set()).add(kind));
  }
  for (const [prop, kinds] of byProp) {
    expect([prop, [...kinds].sort()]).toEqual([prop, ['bad', 'boundary', 'token']]);
  }
}

/** A string parameter's value (a token), declared in the stack so the template stays valid. */
export function stringToken(stack: Stack, id: string): string {
  const parameter = (stack.node.tryFindChild(id) as CfnParameter | undefined) ?? new CfnParameter(stack, id, { type: 'String' });
  return parameter.valueAsString;
}

/** A number parameter's value (a token), declared in the stack so the template stays valid. */
export function numberToken(stack: Stack, id: string): number {
  const parameter = (stack.node.tryFindChild(id) as CfnParameter | undefined) ?? new CfnParameter(stack, id, { type: 'Number' });
  const value = parameter.valueAsNumber;
  expect(Token.isUnresolved(value)).toBe(true);
  return value;
}

export { acknowledgedRules } from '../util';

/**
 * The warnings of aws-cdk-lib's own CloudFormation validation (2.262 and later) for an app, as
 * `CloudFormation-Validate::<rule> <construct path>: <description>`, read from the validation report synthesis writes.
 * Older versions write no report: the list is empty.
 */
export function cloudFormationValidateWarnings(app: App): string[] {
  const assembly = app.synth();
  const file = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return (report.pluginReports ?? [])
    .filter((r: any) => r.pluginName === 'CloudFormation Validate')
    .flatMap((r: any) => r.violations ?? [])
    .flatMap((v: any) => (v.violatingConstructs ?? []).map((c: any) => `CloudFormation-Validate::${v.ruleName} ${c.constructPath}: ${v.description}`));
}
