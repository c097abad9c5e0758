import { Stack, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { SamplingRate, TailSamplingOptions, TailSamplingPolicy } from '../../src';

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27.3');

/** The rendered container definitions of the only task definition in a stack, by name. */
export function containers(stack: Stack): Record<string, any> {
  const td = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'))[0];
  return Object.fromEntries(td.Properties.ContainerDefinitions.map((c: any) => [c.Name, c]));
}

/** A container's environment as a plain object. */
export function env(container: any): Record<string, unknown> {
  return Object.fromEntries((container.Environment ?? []).map((e: any) => [e.Name, e.Value]));
}

/**
 * A CloudFormation string value as text: `Fn::Join` parts are joined and `Ref`s replaced from `refs` (others become
 * `${Name}`), the way CloudFormation would at deploy time.
 */
export function flattenValue(value: unknown, refs: Record<string, string> = { 'AWS::Region': 'us-east-1' }): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as any;
  if (v?.['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'];
    // A list parameter joined as a whole: its value in `refs` is the comma-separated list.
    const items = Array.isArray(parts) ? parts.map((p: unknown) => flattenValue(p, refs)) : flattenValue(parts, refs).split(',');
    return items.join(sep);
  }
  if (v?.Ref) {
    return refs[v.Ref] ?? `\${${v.Ref}}`;
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** The rendered collector configuration (YAML text) of the only SSM parameter in a stack, Region filled in. */
export function collectorConfig(stack: Stack): string {
  return flattenValue(Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0].Properties.Value);
}

/** Tail sampling with all three policy kinds and non-default wait and size. */
export const ALL_TAIL_SAMPLING: TailSamplingOptions = {
  policies: [
    TailSamplingPolicy.keepErrors(),
    TailSamplingPolicy.keepSlowerThan(Duration.millis(1500)),
    TailSamplingPolicy.baseline(SamplingRate.percent(5)),
  ],
  decisionWait: Duration.seconds(20),
  numTraces: 1000,
};

/** One row of a validation table: the prop, the kind of case, what to build, and the error (or, passing, the output) expected. */
export type ValidationCase = [prop: string, kind: 'bad' | 'boundary' | 'token', build: () => string, outcome: { error: RegExp } | { output: RegExp }];

/** The synthesized template of a stack as JSON text, for matching a passing case's output. */
export function templateText(stack: Stack): string {
  return JSON.stringify(Template.fromStack(stack).toJSON());
}

/** Runs one validation case: the error it must raise, or the output it must produce. */
export function checkCase(build: () => string, outcome: { error: RegExp } | { output: RegExp }): void {
  if ('error' in outcome) {
    expect(build).toThrow(outcome.error);
  } else {
    expect(build()).toMatch(outcome.output);
  }
}

/** Counts the cases of a table by kind, for the record kept in each test file. */
export function countCases(table: ValidationCase[]): { props: number; bad: number; boundary: number; token: number } {
  return {
    props: new Set(table.map(c => c[0])).size,
    bad: table.filter(c => c[1] === 'bad').length,
    boundary: table.filter(c => c[1] === 'boundary').length,
    token: table.filter(c => c[1] === 'token').length,
  };
}
