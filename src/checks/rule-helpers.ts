import { CfnResource, Stack } from 'aws-cdk-lib';

/** A resource's CloudFormation properties as they will be deployed (tokens resolved to intrinsics). */
export function propertiesOf(node: CfnResource): Record<string, any> {
  const rendered = Stack.of(node).resolve((node as any)._toCloudFormation());
  const resources = rendered?.Resources ?? {};
  const first = Object.values<any>(resources)[0];
  return first?.Properties ?? {};
}

/** Names a rule function after its file, as cdk-nag derives rule ids from function names. */
export function named<T extends Function>(name: string, rule: T): T {
  return Object.defineProperty(rule, 'name', { value: name });
}
