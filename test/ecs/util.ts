import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';

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

/** The rendered collector configuration (YAML text) of the only SSM parameter in a stack. */
export function collectorConfig(stack: Stack): string {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0].Properties.Value;
}
