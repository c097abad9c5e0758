import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { fail, ProblemCollector, rethrowWithPath } from '../../private/errors';
import { partitionOfRegion } from '../../private/pinned';

/*
 * The layer helpers the pinned layers share (the AWS Distro for OpenTelemetry and Powertools for AWS Lambda): the shape
 * and region of a given layer version ARN, the pinned ARN for the stack's region (a mapping when the region is a
 * token), and adding the layer in the house format.
 */

/**
 * A Lambda layer version ARN, as Lambda's API accepts it in a function's `Layers`:
 * `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`, at most 140 characters.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Layers
 */
const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/;
export const MAX_LAYER_VERSION_ARN_LENGTH = 140;

/** Checks a given layer version ARN: its length, its shape, and that it is in the function's partition and region. Tokens pass. */
export function validateLayerVersionArn(problems: ProblemCollector, fn: lambda.Function, arn: string | undefined, prop: string,
  shapeFix: string): void {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return;
  }
  const match = typeof arn === 'string' ? LAYER_VERSION_ARN.exec(arn) : null;
  const region = Stack.of(fn).region;
  if (typeof arn === 'string' && arn.length > MAX_LAYER_VERSION_ARN_LENGTH) {
    problems.add(prop, `must be at most ${MAX_LAYER_VERSION_ARN_LENGTH} characters (Lambda's limit on a layer version ARN)`, arn,
      'Pass the LayerVersionArn exactly as Lambda shows it.');
  } else if (match === null || Number(match[5]) < 1) {
    problems.add(prop, 'must be the ARN of a Lambda layer version, arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> (versions start at 1)',
      arn, shapeFix);
  } else if (!Token.isUnresolved(region) && (match[2] !== region || match[1] !== partitionOfRegion(region))) {
    problems.add(prop, `is in ${match[1]}:${match[2]}, but the function deploys to ${partitionOfRegion(region)}:${region}; Lambda only takes layers of its own region`,
      arn, `Use the layer version published in ${region}, or omit ${prop} to use the one pinned for that region.`);
  }
}

/** What `pinnedLayerArn` needs to know about one pinned layer. */
export interface PinnedLayer {
  /** The layer as people call it, for messages: `AWSOpenTelemetryDistroJs`. */
  readonly description: string;
  /** The stack-level construct id of the mapping used when the region is a token. */
  readonly mappingId: string;
  /** The regions the layer is pinned for. */
  readonly regions: readonly string[];
  /** When the pinned table was taken. */
  readonly asOf: string;
  /** How to pass a layer ARN instead, e.g. `LambdaInstrumentation.adot({ layerArn })`. */
  readonly override: string;
  /** The ARN in a region, or undefined when the layer is not published there. */
  arnIn(region: string): string | undefined;
}

/**
 * The pinned layer ARN for the function's region: a literal when the region is known at synth time, otherwise a
 * CloudFormation mapping lookup, so environment-agnostic stacks work.
 */
export function pinnedLayerArn(fn: lambda.Function, layer: PinnedLayer): string {
  const stack = Stack.of(fn);
  const region = stack.region;
  if (!Token.isUnresolved(region)) {
    const arn = layer.arnIn(region);
    if (arn === undefined) {
      fail(fn, 'instrumentation', `has no pinned ${layer.description} layer for region ${region} (table of ${layer.asOf})`,
        region, `Pass ${layer.override} with the layer version ARN for that region.`);
    }
    return arn;
  }
  const existing = stack.node.tryFindChild(layer.mappingId);
  if (existing !== undefined && !(existing instanceof CfnMapping)) {
    fail(fn, 'instrumentation', `needs the stack-level construct id ${layer.mappingId} for the layer mapping, but a ${existing.constructor.name} has it`,
      existing.node.path, `Rename that construct, or pass ${layer.override}.`);
  }
  let mapping = existing as CfnMapping | undefined;
  if (mapping === undefined) {
    const table: Record<string, Record<string, string>> = {};
    for (const name of layer.regions) {
      table[name] = { arn: layer.arnIn(name)! };
    }
    mapping = new CfnMapping(stack, layer.mappingId, { mapping: table, lazy: true });
  }
  return mapping.findInMap(Aws.REGION, 'arn');
}

/** Adds a layer, with aws-cdk-lib's refusals (five layers at most, an id taken) in the house format. */
export function addLayerVersion(fn: lambda.Function, id: string, arn: string, fix: string): void {
  try {
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(fn, id, arn));
  } catch (e) {
    rethrowWithPath(fn, 'instrumentation', e, fix, arn);
  }
}
