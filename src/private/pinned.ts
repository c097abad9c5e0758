/**
 * Every version, image and layer this library puts into a template, pinned in one place.
 *
 * Each value can be overridden where it is used (for example `LambdaInstrumentation.adot({ layerArn })`), so a
 * template never depends on a moving tag and a user never waits for a release to pick up a newer layer.
 */

/** Layer names of the AWS Lambda Layer for OpenTelemetry ("AWS OpenTelemetry Distro", Application Signals). */
export const ADOT_LAMBDA_LAYER_NAMES = {
  python: 'AWSOpenTelemetryDistroPython',
  js: 'AWSOpenTelemetryDistroJs',
  java: 'AWSOpenTelemetryDistroJava',
  dotnet: 'AWSOpenTelemetryDistroDotNet',
} as const;

/** The languages the AWS Lambda Layer for OpenTelemetry is published for. */
export type AdotLayerLanguageKey = keyof typeof ADOT_LAMBDA_LAYER_NAMES;

/** Where the layer is published in one region: the publisher account and the pinned version per language. */
export interface AdotRegionLayers {
  readonly account: string;
  readonly python: number;
  readonly js: number;
  readonly java: number;
  readonly dotnet: number;
}

/**
 * When the table below was taken: the AWS Distro for OpenTelemetry documentation's layer table
 * (`lambdaLayerArns.js`), snapshot of 2026-05. One layer per region serves x86_64 and arm64 for Python,
 * Node.js and Java; the .NET layer is x86_64 only.
 */
export const ADOT_LAMBDA_LAYERS_AS_OF = '2026-05';

/** Pinned AWS Lambda Layer for OpenTelemetry versions, per region. */
export const ADOT_LAMBDA_LAYERS: { readonly [region: string]: AdotRegionLayers } = {
  'af-south-1': { account: '904233096616', python: 19, js: 13, java: 13, dotnet: 11 },
  'ap-east-1': { account: '888577020596', python: 19, js: 13, java: 13, dotnet: 11 },
  'ap-northeast-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'ap-northeast-2': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'ap-northeast-3': { account: '615299751070', python: 21, js: 13, java: 13, dotnet: 11 },
  'ap-south-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'ap-south-2': { account: '796973505492', python: 19, js: 13, java: 13, dotnet: 11 },
  'ap-southeast-1': { account: '615299751070', python: 21, js: 13, java: 13, dotnet: 11 },
  'ap-southeast-2': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'ap-southeast-3': { account: '039612877180', python: 19, js: 13, java: 13, dotnet: 11 },
  'ap-southeast-4': { account: '713881805771', python: 19, js: 13, java: 13, dotnet: 11 },
  'ap-southeast-5': { account: '152034782359', python: 10, js: 6, java: 10, dotnet: 7 },
  'ap-southeast-7': { account: '980416031188', python: 10, js: 6, java: 10, dotnet: 7 },
  'ca-central-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'ca-west-1': { account: '595944127152', python: 10, js: 6, java: 10, dotnet: 7 },
  'cn-north-1': { account: '440179912924', python: 10, js: 6, java: 10, dotnet: 7 },
  'cn-northwest-1': { account: '440180067931', python: 10, js: 6, java: 10, dotnet: 7 },
  'eu-central-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'eu-central-2': { account: '156041407956', python: 19, js: 13, java: 13, dotnet: 11 },
  'eu-north-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'eu-south-1': { account: '257394471194', python: 19, js: 13, java: 13, dotnet: 11 },
  'eu-south-2': { account: '490004653786', python: 19, js: 13, java: 13, dotnet: 11 },
  'eu-west-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'eu-west-2': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'eu-west-3': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'il-central-1': { account: '746669239226', python: 19, js: 13, java: 13, dotnet: 11 },
  'me-central-1': { account: '739275441131', python: 19, js: 13, java: 13, dotnet: 11 },
  'me-south-1': { account: '980921751758', python: 19, js: 12, java: 12, dotnet: 11 },
  'mx-central-1': { account: '610118373846', python: 10, js: 6, java: 10, dotnet: 7 },
  'sa-east-1': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'us-east-1': { account: '615299751070', python: 25, js: 13, java: 13, dotnet: 12 },
  'us-east-2': { account: '615299751070', python: 22, js: 13, java: 13, dotnet: 11 },
  'us-west-1': { account: '615299751070', python: 29, js: 13, java: 13, dotnet: 11 },
  'us-west-2': { account: '615299751070', python: 29, js: 13, java: 13, dotnet: 11 },
};

/** The partition a region belongs to, for building ARNs of the pinned layers. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  if (region.startsWith('us-gov-')) {
    return 'aws-us-gov';
  }
  return 'aws';
}

/** The pinned layer ARN for a language in a region, or undefined when the layer is not published there. */
export function adotLambdaLayerArn(region: string, language: AdotLayerLanguageKey): string | undefined {
  const entry = ADOT_LAMBDA_LAYERS[region];
  if (entry === undefined) {
    return undefined;
  }
  const name = ADOT_LAMBDA_LAYER_NAMES[language];
  return `arn:${partitionOfRegion(region)}:lambda:${region}:${entry.account}:layer:${name}:${entry[language]}`;
}

/**
 * The AWS Distro for OpenTelemetry collector image (ADOT collector v0.49.0, 2026-07-10, OpenTelemetry Collector
 * v0.156.0). Override with `TraceCollector.adot({ image })`.
 */
export const ADOT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0';

/**
 * The Amazon CloudWatch agent image for CloudWatch Application Signals on ECS (CloudWatch agent 1.300071.0, build
 * b1720, released 2026-07-22; a multi-architecture image for Linux amd64 and arm64). Override with
 * `TraceCollector.applicationSignals({ image })`.
 * @see https://github.com/aws/amazon-cloudwatch-agent/releases/tag/v1.300071.0
 * @see https://gallery.ecr.aws/cloudwatch-agent/cloudwatch-agent
 */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300071.0b1720';

/**
 * The AWS X-Ray daemon image (3.6.6, 2026-07-14). The daemon is in maintenance since 2026-02-25 and loses support on
 * 2027-02-25. Override with `TraceCollector.xrayDaemon({ image })`.
 */
export const XRAY_DAEMON_IMAGE = 'public.ecr.aws/xray/aws-xray-daemon:3.6.6';

/**
 * The Amazon EKS add-on `adot` (ADOT EKS add-on v0.151.0-eksbuild.1, 2026-05-29: ADOT collector v0.48.0, OpenTelemetry
 * Operator 0.151.0, EKS 1.31 to 1.36). Its advanced configuration has the `collector.otlpIngest` section this library
 * writes since v0.88.0-eksbuild.1. Override with `EksCollector.addOn({ addOnVersion })`.
 * @see https://github.com/aws-otel/aws-otel.github.io/pull/833
 */
export const ADOT_EKS_ADDON_VERSION = 'v0.151.0-eksbuild.1';

/**
 * The Amazon EKS community add-on `cert-manager`, which the `adot` add-on's webhooks need (the default version EKS
 * offered for Kubernetes 1.35 in 2026-08). Override with `EksCollector.addOn({ certManagerVersion })`.
 */
export const CERT_MANAGER_EKS_ADDON_VERSION = 'v1.21.0-eksbuild.3';

/**
 * The Amazon EKS add-on `eks-pod-identity-agent` (the default version EKS offered for Kubernetes 1.35 in 2026-08),
 * installed by this library only on clusters it did not create (imported ones); an aws-cdk-lib cluster brings its own.
 * Override with `EksIdentity.podIdentity({ agentVersion })`.
 */
export const POD_IDENTITY_AGENT_ADDON_VERSION = 'v1.3.10-eksbuild.3';

/**
 * The ADOT auto-instrumentation images the OpenTelemetry Operator injects into pods, per language. Override each with
 * `EksInstrumentationOptions` (`javaImage`, `pythonImage`, `nodejsImage`, `dotnetImage`).
 */
export const ADOT_AUTOINSTRUMENTATION_IMAGES = {
  java: 'public.ecr.aws/aws-observability/adot-autoinstrumentation-java:v2.30.0',
  python: 'public.ecr.aws/aws-observability/adot-autoinstrumentation-python:v0.12.0',
  nodejs: 'public.ecr.aws/aws-observability/adot-autoinstrumentation-node:v0.12.0',
  dotnet: 'public.ecr.aws/aws-observability/adot-autoinstrumentation-dotnet:v1.9.0',
} as const;

/**
 * When the Powertools for AWS Lambda layer tables below were taken (2026-12-03), from the projects' own documentation:
 * TypeScript `docs/getting-started/lambda-layers.md` of aws-powertools/powertools-lambda-typescript, Python
 * `docs/getting-started/install.md` of aws-powertools/powertools-lambda-python.
 */
export const POWERTOOLS_LAMBDA_LAYERS_AS_OF = '2026-12-03';

/** The publisher and the pinned version of a Powertools for AWS Lambda layer in one region. */
export interface PowertoolsRegionLayer {
  readonly account: string;
  readonly version: number;
}

/** The languages Powertools for AWS Lambda publishes a layer for (Java and .NET are bundled with the code). */
export type PowertoolsLayerLanguageKey = 'typescript' | 'python';

const POWERTOOLS_TYPESCRIPT_ACCOUNT = '094274105915';
const POWERTOOLS_PYTHON_ACCOUNT = '017000801446';

/** Commercial Regions the TypeScript layer lists; the Python layer's documentation publishes to the same account in every commercial Region. */
const POWERTOOLS_COMMERCIAL_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'ca-central-1',
  'ca-west-1', 'sa-east-1', 'af-south-1', 'me-south-1', 'me-central-1', 'il-central-1', 'mx-central-1',
];

function commercial(account: string, version: number, exceptions: Record<string, number> = {}): Record<string, PowertoolsRegionLayer> {
  return Object.fromEntries(POWERTOOLS_COMMERCIAL_REGIONS.map(r => [r, { account, version: exceptions[r] ?? version }]));
}

/**
 * Pinned Powertools for AWS Lambda layers per language and region. One publisher account serves every commercial
 * Region; GovCloud (US) and China have their own accounts. TypeScript: `AWSLambdaPowertoolsTypeScriptV2` (one layer
 * for x86_64 and arm64; new versions paused in me-south-1 and me-central-1). Python:
 * `AWSLambdaPowertoolsPythonV3-<python3NN>-<x86_64|arm64>`, one layer per Python version and architecture.
 */
export const POWERTOOLS_LAMBDA_LAYERS: { readonly [language in PowertoolsLayerLanguageKey]: { readonly [region: string]: PowertoolsRegionLayer } } = {
  typescript: {
    ...commercial(POWERTOOLS_TYPESCRIPT_ACCOUNT, 48, { 'me-south-1': 46, 'me-central-1': 45 }),
    'us-gov-west-1': { account: '165093116878', version: 48 },
    'us-gov-east-1': { account: '165087284144', version: 48 },
    'cn-north-1': { account: '498634801083', version: 48 },
  },
  python: {
    ...commercial(POWERTOOLS_PYTHON_ACCOUNT, 37),
    'us-gov-west-1': { account: '165093116878', version: 27 },
    'us-gov-east-1': { account: '165087284144', version: 27 },
    'cn-north-1': { account: '498634801083', version: 37 },
  },
};

/** The Python versions the Powertools for AWS Lambda (Python) v3 layer is built for. */
export const POWERTOOLS_PYTHON_LAYER_VERSIONS = ['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'];

/**
 * The name of the Powertools layer for a language; for Python, per runtime (`python3.13`) and architecture
 * (`x86_64`, `arm64`).
 */
export function powertoolsLayerName(language: PowertoolsLayerLanguageKey, runtime: string, architecture: string): string {
  return language === 'typescript'
    ? 'AWSLambdaPowertoolsTypeScriptV2'
    : `AWSLambdaPowertoolsPythonV3-${runtime.replace('.', '')}-${architecture}`;
}

/** The pinned Powertools layer ARN in a region, or undefined when the layer is not published there. */
export function powertoolsLambdaLayerArn(region: string, language: PowertoolsLayerLanguageKey, layerName: string): string | undefined {
  const entry = POWERTOOLS_LAMBDA_LAYERS[language][region];
  return entry === undefined ? undefined : `arn:${partitionOfRegion(region)}:lambda:${region}:${entry.account}:layer:${layerName}:${entry.version}`;
}
