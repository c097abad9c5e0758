import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED_RULES_METADATA, acknowledgmentsOf } from '../../src/checks/acknowledgments';

/** A stack in a fresh app; environment-agnostic unless a region is given. */
export function newStack(region?: string): Stack {
  const app = new App();
  return new Stack(app, 'Stack', region ? { env: { account: '111111111111', region } } : {});
}

/** The minimal properties of a zip function. */
export function zipFunctionProps(runtime: lambda.Runtime = lambda.Runtime.NODEJS_22_X): lambda.FunctionProps {
  return { runtime, handler: 'index.handler', code: lambda.Code.fromAsset(ZIP_DIR) };
}

/** A directory of handler code, usable with every runtime (inline code is not). */
export const ZIP_DIR = path.join(__dirname, 'zip');

/** A directory holding a Dockerfile, for image functions (synthesis needs no Docker engine). */
export const IMAGE_DIR = path.join(__dirname, 'image');

/** Warnings of a stack whose message contains `text`. */
export function warningsMatching(stack: Stack, text: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue())
    .map(w => String(w.entry.data))
    .filter(d => d.includes(text));
}

/** Every resource of a type, with its logical id. */
export function resourcesOfType(stack: Stack, type: string): Array<[string, any]> {
  return Object.entries(Template.fromStack(stack).findResources(type));
}

/** The number of IAM policies (inline, customer-managed or on a role) in a stack that allow xray:PutTraceSegments. */
export function xrayWritePolicyCount(stack: Stack): number {
  const template = Template.fromStack(stack).toJSON();
  let count = 0;
  for (const resource of Object.values<any>(template.Resources ?? {})) {
    const docs = resource.Type === 'AWS::IAM::Role'
      ? (resource.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument)
      : ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type) ? [resource.Properties.PolicyDocument] : [];
    if (docs.some((d: any) => JSON.stringify(d).includes('xray:PutTraceSegments'))) {
      count++;
    }
  }
  return count;
}

/** Gives a REST API one mock method, which a deployment needs. */
export function withMethod<T extends apigw.RestApiBase>(api: T): T {
  api.root.addMethod('GET', new apigw.MockIntegration());
  return api;
}

/** The message of the error a function throws, or '' when it does not throw. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return e.message;
  }
  return '';
}

/**
 * The acknowledgments recorded on a construct itself, by rule id without aws-cdk-lib's version-specific prefix
 * (2.258 records `annotation::X` or `X`, 2.262 and later `Annotation::X`), read as the checks read them.
 */
export function acknowledgedRules(construct: IConstruct): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const entry of construct.node.metadata.filter(m => m.type === ACKNOWLEDGED_RULES_METADATA)) {
    for (const [id, reason] of acknowledgmentsOf(entry.data)) {
      rules[id] = reason;
    }
  }
  return rules;
}

/** The rule ids acknowledged on a construct itself (see `acknowledgedRules`). */
export function acknowledgedIds(construct: IConstruct): string[] {
  return Object.keys(acknowledgedRules(construct));
}
