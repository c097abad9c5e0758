import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { fail, ProblemCollector, rethrowWithPath } from '../../private/errors';
import {
  ADOT_LAMBDA_LAYER_NAMES, ADOT_LAMBDA_LAYERS, ADOT_LAMBDA_LAYERS_AS_OF, AdotLayerLanguageKey, adotLambdaLayerArn, partitionOfRegion,
} from '../../private/pinned';
import { AdotLambdaLanguage, AdotLambdaOptions } from '../instrumentation-options';

/**
 * A Lambda layer version ARN, as Lambda's API accepts it in a function's `Layers`:
 * `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`, at most 140 characters.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Layers
 */
const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/;
export const MAX_LAYER_VERSION_ARN_LENGTH = 140;

const LANGUAGE_OF_FAMILY: Partial<Record<lambda.RuntimeFamily, AdotLambdaLanguage>> = {
  [lambda.RuntimeFamily.NODEJS]: AdotLambdaLanguage.NODEJS,
  [lambda.RuntimeFamily.PYTHON]: AdotLambdaLanguage.PYTHON,
  [lambda.RuntimeFamily.JAVA]: AdotLambdaLanguage.JAVA,
  [lambda.RuntimeFamily.DOTNET_CORE]: AdotLambdaLanguage.DOTNET,
};

/** Checks the ADOT options against the function: the layer ARN's shape and region, the language against the runtime. */
export function validateAdotOptions(problems: ProblemCollector, fn: lambda.Function, options: AdotLambdaOptions): void {
  const arn = options.layerArn;
  if (arn !== undefined && !Token.isUnresolved(arn)) {
    const match = LAYER_VERSION_ARN.exec(arn);
    const region = Stack.of(fn).region;
    if (arn.length > MAX_LAYER_VERSION_ARN_LENGTH) {
      problems.add('layerArn', `must be at most ${MAX_LAYER_VERSION_ARN_LENGTH} characters (Lambda's limit on a layer version ARN)`, arn,
        'Pass the LayerVersionArn exactly as Lambda shows it.');
    } else if (match === null || Number(match[5]) < 1) {
      problems.add('layerArn', 'must be the ARN of a Lambda layer version, arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> (versions start at 1)',
        arn, 'Copy the LayerVersionArn of the AWS Distro for OpenTelemetry layer for your region, for example ' +
        'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroJs:13.');
    } else if (!Token.isUnresolved(region) && (match[2] !== region || match[1] !== partitionOfRegion(region))) {
      problems.add('layerArn', `is in ${match[1]}:${match[2]}, but the function deploys to ${partitionOfRegion(region)}:${region}; Lambda only takes layers of its own region`,
        arn, `Use the layer version published in ${region}, or omit layerArn to use the one pinned for that region.`);
    }
  }
  const family = fn.runtime.family;
  const fromRuntime = family !== undefined ? LANGUAGE_OF_FAMILY[family] : undefined;
  const languages: string[] = Object.values(AdotLambdaLanguage);
  if (options.language !== undefined && !languages.includes(options.language)) {
    problems.add('language', 'is not a language the AWS Lambda Layer for OpenTelemetry is published for', options.language,
      `Pass one of AdotLambdaLanguage.${Object.keys(AdotLambdaLanguage).join(', AdotLambdaLanguage.')}.`);
  } else if (options.language !== undefined && fromRuntime !== undefined && options.language !== fromRuntime) {
    problems.add('language', `does not match the function's runtime ${fn.runtime.name}`, options.language,
      `Omit language to use the ${fromRuntime} layer the runtime needs; language is for custom runtimes (provided.al2023).`);
  }
}

/** The layer language for a function, from the options or its runtime family. */
export function adotLanguageOf(fn: lambda.Function, options: AdotLambdaOptions): AdotLayerLanguageKey {
  const family = fn.runtime.family;
  const language = options.language ?? (family !== undefined ? LANGUAGE_OF_FAMILY[family] : undefined);
  if (language === undefined) {
    fail(fn, 'instrumentation', 'cannot pick an AWS Distro for OpenTelemetry layer for this runtime', fn.runtime.name,
      'The layer exists for Node.js, Python, Java and .NET; pass LambdaInstrumentation.adot({ language }) or use a supported runtime.');
  }
  // A given layerArn is the user's choice of build: only the pinned .NET layer is x86_64-only.
  if (language === AdotLambdaLanguage.DOTNET && options.layerArn === undefined && fn.architecture.name === lambda.Architecture.ARM_64.name) {
    fail(fn, 'instrumentation', 'needs an x86_64 function: the pinned .NET AWS Distro for OpenTelemetry layer is published for x86_64 only',
      fn.architecture.name, 'Use architecture: lambda.Architecture.X86_64, or pass LambdaInstrumentation.adot({ layerArn }) with a .NET layer built for arm64.');
  }
  return language as AdotLayerLanguageKey;
}

/**
 * The pinned layer ARN for the function's region: a literal when the region is known at synth time, otherwise a
 * CloudFormation mapping lookup, so environment-agnostic stacks work.
 */
export function pinnedAdotLayerArn(fn: lambda.Function, language: AdotLayerLanguageKey): string {
  const stack = Stack.of(fn);
  const region = stack.region;
  if (!Token.isUnresolved(region)) {
    const arn = adotLambdaLayerArn(region, language);
    if (arn === undefined) {
      fail(fn, 'instrumentation', `has no pinned ${ADOT_LAMBDA_LAYER_NAMES[language]} layer for region ${region} (table of ${ADOT_LAMBDA_LAYERS_AS_OF})`,
        region, 'Pass LambdaInstrumentation.adot({ layerArn }) with the layer version ARN for that region.');
    }
    return arn;
  }
  const mappingId = `CdkXRayAdotLayers${language.charAt(0).toUpperCase()}${language.slice(1)}`;
  const existing = stack.node.tryFindChild(mappingId);
  if (existing !== undefined && !(existing instanceof CfnMapping)) {
    fail(fn, 'instrumentation', `needs the stack-level construct id ${mappingId} for the layer mapping, but a ${existing.constructor.name} has it`,
      existing.node.path, 'Rename that construct, or pass LambdaInstrumentation.adot({ layerArn }).');
  }
  let mapping = existing as CfnMapping | undefined;
  if (mapping === undefined) {
    const table: Record<string, Record<string, string>> = {};
    for (const name of Object.keys(ADOT_LAMBDA_LAYERS)) {
      table[name] = { arn: adotLambdaLayerArn(name, language)! };
    }
    mapping = new CfnMapping(stack, mappingId, { mapping: table, lazy: true });
  }
  return mapping.findInMap(Aws.REGION, 'arn');
}

/** Adds the layer, with aws-cdk-lib's refusals (five layers at most, an id taken) in the house format. */
export function addAdotLayer(fn: lambda.Function, arn: string): void {
  try {
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(fn, 'AdotLayer', arn));
  } catch (e) {
    rethrowWithPath(fn, 'instrumentation', e, 'The AWS Distro for OpenTelemetry layer cannot be added: a function takes at most 5 layers, so remove one, ' +
      'or install the AWS Distro for OpenTelemetry in the function package and use LambdaInstrumentation.activeOnly().', arn);
  }
}
