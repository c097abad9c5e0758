import * as lambda from 'aws-cdk-lib/aws-lambda';
import { addLayerVersion, pinnedLayerArn, validateLayerVersionArn } from './layer-arns';
import { fail, ProblemCollector } from '../../private/errors';
import {
  ADOT_LAMBDA_LAYER_NAMES, ADOT_LAMBDA_LAYERS, ADOT_LAMBDA_LAYERS_AS_OF, AdotLayerLanguageKey, adotLambdaLayerArn,
} from '../../private/pinned';
import { AdotLambdaLanguage, AdotLambdaOptions } from '../instrumentation-options';

const LANGUAGE_OF_FAMILY: Partial<Record<lambda.RuntimeFamily, AdotLambdaLanguage>> = {
  [lambda.RuntimeFamily.NODEJS]: AdotLambdaLanguage.NODEJS,
  [lambda.RuntimeFamily.PYTHON]: AdotLambdaLanguage.PYTHON,
  [lambda.RuntimeFamily.JAVA]: AdotLambdaLanguage.JAVA,
  [lambda.RuntimeFamily.DOTNET_CORE]: AdotLambdaLanguage.DOTNET,
};

/** Checks the ADOT options against the function: the layer ARN's shape and region, the language against the runtime. */
export function validateAdotOptions(problems: ProblemCollector, fn: lambda.Function, options: AdotLambdaOptions): void {
  validateLayerVersionArn(problems, fn, options.layerArn, 'layerArn', 'Copy the LayerVersionArn of the AWS Distro for OpenTelemetry layer ' +
    'for your region, for example arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroJs:13.');
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
  return pinnedLayerArn(fn, {
    description: ADOT_LAMBDA_LAYER_NAMES[language],
    mappingId: `CdkXRayAdotLayers${language.charAt(0).toUpperCase()}${language.slice(1)}`,
    regions: Object.keys(ADOT_LAMBDA_LAYERS),
    asOf: ADOT_LAMBDA_LAYERS_AS_OF,
    arnIn: region => adotLambdaLayerArn(region, language),
    override: 'LambdaInstrumentation.adot({ layerArn })',
  });
}

/** Adds the layer, with aws-cdk-lib's refusals (five layers at most, an id taken) in the house format. */
export function addAdotLayer(fn: lambda.Function, arn: string): void {
  addLayerVersion(fn, 'AdotLayer', arn, 'The AWS Distro for OpenTelemetry layer cannot be added: a function takes at most 5 layers, so remove one, ' +
    'or install the AWS Distro for OpenTelemetry in the function package and use LambdaInstrumentation.activeOnly().');
}
