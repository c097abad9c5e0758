import * as lambda from 'aws-cdk-lib/aws-lambda';
import { addLayerVersion, pinnedLayerArn, validateLayerVersionArn } from './layer-arns';
import { ProblemCollector } from '../../private/errors';
import {
  POWERTOOLS_LAMBDA_LAYERS, POWERTOOLS_LAMBDA_LAYERS_AS_OF, POWERTOOLS_PYTHON_LAYER_VERSIONS, PowertoolsLayerLanguageKey,
  powertoolsLambdaLayerArn, powertoolsLayerName,
} from '../../private/pinned';
import { PowertoolsTracerOptions } from '../instrumentation-options';

/**
 * The annotations the Powertools Tracer puts on the handler's subsegment on every invocation (TypeScript
 * `captureLambdaHandler`, Python `capture_lambda_handler`, Java `@Tracing`): `ColdStart` (true or false) and `Service`
 * (the service name, which `powertools()` always sets). None of the three has a switch to leave them out.
 */
export const POWERTOOLS_TRACER_ANNOTATION_KEYS = ['ColdStart', 'Service'];

/** The construct id of the Powertools layer under the function. */
export const POWERTOOLS_LAYER_ID = 'PowertoolsLayer';

/** Whether the options ask for the Powertools layer. */
export function wantsPowertoolsLayer(options: PowertoolsTracerOptions): boolean {
  return options.layer === true || options.layerArn !== undefined;
}

/** The layer language of a function's runtime, or undefined when Powertools publishes no layer for it. */
function languageOf(fn: lambda.Function): PowertoolsLayerLanguageKey | undefined {
  if (fn.runtime.family === lambda.RuntimeFamily.NODEJS) {
    return 'typescript';
  }
  return fn.runtime.family === lambda.RuntimeFamily.PYTHON ? 'python' : undefined;
}

/** Checks the layer options against the function. */
export function validatePowertoolsLayerOptions(problems: ProblemCollector, fn: lambda.Function, options: PowertoolsTracerOptions): void {
  if (options.layer !== undefined && typeof options.layer !== 'boolean') {
    problems.add('layer', 'must be true or false', options.layer, 'Pass layer: true to add the Powertools for AWS Lambda layer, or leave it out.');
    return;
  }
  validateLayerVersionArn(problems, fn, options.layerArn, 'layerArn', 'Copy the LayerVersionArn of the Powertools for AWS Lambda layer for ' +
    'your region, for example arn:aws:lambda:eu-west-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:48.');
  if (!wantsPowertoolsLayer(options)) {
    return;
  }
  if (fn.runtime === lambda.Runtime.FROM_IMAGE || (fn.node.defaultChild as lambda.CfnFunction).packageType === 'Image') {
    problems.add('layer', 'cannot add the Powertools for AWS Lambda layer to a container-image function', true,
      'Lambda does not run layers for image functions: install Powertools in the image and leave layer out.');
    return;
  }
  if (options.layerArn !== undefined) {
    return;
  }
  const language = languageOf(fn);
  if (language === undefined) {
    problems.add('layer', `has no Powertools for AWS Lambda layer for the runtime ${fn.runtime.name}`, true,
      'Powertools publishes layers for Node.js and Python only; bundle Powertools (Java, .NET) with the code and leave layer out, ' +
      'or pass layerArn with a layer of your own.');
  } else if (language === 'python' && !POWERTOOLS_PYTHON_LAYER_VERSIONS.includes(fn.runtime.name)) {
    problems.add('layer', `has no Powertools for AWS Lambda (Python) v3 layer for the runtime ${fn.runtime.name}`, true,
      `The layer is built for ${POWERTOOLS_PYTHON_LAYER_VERSIONS.join(', ')}; use one of them, or pass layerArn.`);
  }
}

/** Adds the Powertools layer the options ask for (validated before). */
export function addPowertoolsLayer(fn: lambda.Function, options: PowertoolsTracerOptions): void {
  let arn = options.layerArn;
  if (arn === undefined) {
    const language = languageOf(fn)!;
    const name = powertoolsLayerName(language, fn.runtime.name, fn.architecture.name);
    arn = pinnedLayerArn(fn, {
      description: name,
      mappingId: `CdkXRayPowertoolsLayers${name.replace(/[^A-Za-z0-9]/g, '')}`,
      regions: Object.keys(POWERTOOLS_LAMBDA_LAYERS[language]),
      asOf: POWERTOOLS_LAMBDA_LAYERS_AS_OF,
      arnIn: region => powertoolsLambdaLayerArn(region, language, name),
      override: 'LambdaInstrumentation.powertools({ layerArn })',
    });
  }
  addLayerVersion(fn, POWERTOOLS_LAYER_ID, arn, 'The Powertools for AWS Lambda layer cannot be added: a function takes at most 5 layers, so ' +
    'remove one, or bundle Powertools with the code and leave layer out.');
}
