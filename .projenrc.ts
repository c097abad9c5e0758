import { awscdk, javascript, JsonFile } from 'projen';

// Versions the library is built and tested against. Consumers get them as peer ranges.
// 2.258.0 is the first aws-cdk-lib whose policy-validation context carries the construct tree (appConstruct), which
// cdk-nag v3 packs need when added with Validations.of(app).addPlugins(...); with 2.257.0 every such synth fails.
const CDK_VERSION = '2.258.0';
// The newest aws-cdk-lib the suite also runs on (`npx projen test:newest`, part of `npx projen ci`): what
// `npm install aws-cdk-lib` gives users today. The peer range stays `^CDK_VERSION`.
const CDK_NEWEST_TESTED = '2.276.0';
const CDK_NAG_VERSION = '3.0.2';
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-xray-constructs',
  description:
    'AWS CDK constructs that make AWS X-Ray tracing correct by default: traced Lambda functions, REST API stages, ' +
    'one least-privilege X-Ray policy per stack, and checks that keep it that way.',
  author: 'cdk-xray-constructs maintainers',
  authorAddress: 'maintainers@cdk-xray-constructs.dev',
  repositoryUrl: 'https://github.com/cdk-xray-constructs/cdk-xray-constructs.git',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'xray', 'x-ray', 'tracing', 'opentelemetry', 'adot', 'observability'],
  license: 'Apache-2.0',
  stability: 'experimental',

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  peerDeps: [`cdk-nag@^${CDK_NAG_VERSION}`],
  devDeps: [
    `cdk-nag@${CDK_NAG_VERSION}`,
    `aws-cdk@${CDK_CLI_VERSION}`,
    'ts-node@^10.9.2',
    // Drives Debian's chromium in the report's browser test (no browser download of its own).
    'playwright-core@1.65.1',
    // `cdk-xray check`: the config schema and the SARIF output are validated in the tests (the SARIF 2.1.0 schema
    // ships in @microsoft/jest-sarif).
    'ajv@^6.12.6',
    '@microsoft/jest-sarif@1.0.0-beta.0',
  ],
  // `cdk-xray report <cloud assembly dir>`: coverage, service map and cost for any CDK app.
  bin: { 'cdk-xray': 'lib/cli/cdk-xray.js' },

  // The CI of this project is `.ci/run`; no hosted workflows are generated.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  publishToPypi: {
    distName: 'cdk-xray-constructs',
    module: 'cdk_xray_constructs',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkxrayconstructs',
    mavenGroupId: 'io.github.cdkxrayconstructs',
    mavenArtifactId: 'cdk-xray-constructs',
  },

  docgen: true,
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The summary reporter prints the plain "N passed, N failed" closing line CI reads.
      reporters: [new javascript.JestReporter('<rootDir>/test/summary-reporter.js')],
      testTimeout: 120_000,
      coverageProvider: 'v8',
    },
  },
  gitignore: ['cdk.out', '/out/', '*.cdk.out', '/.tools/', '__pycache__/', '.venv/', '/examples/java/target/'],
});

for (const pattern of ['/examples/', '/benchmarks/', '/scripts/', '/.ci/', '/requirements-dev.txt']) {
  project.addPackageIgnore(pattern);
}

// Examples, benchmarks and scripts are type-checked and linted like the tests (they are not part of the package).
for (const dir of ['examples', 'benchmarks', 'scripts']) {
  project.eslint?.addLintPattern(dir);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

// No import circles, and the shared helpers in src/private depend on no feature folder (each feature keeps its own
// enable-path in its own private/ folder).
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    zones: [{
      target: './src/private',
      from: './src',
      except: ['./private'],
      message: 'src/private holds what every area shares; it must not depend on a feature folder.',
    }],
  }],
});

// unrs-resolver (eslint's import resolver) 1.13.0 lists platform packages the registry does not serve for every
// platform, which leaves them out of package-lock.json and makes `npm ci` refuse the lock; 1.12.2 is complete.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// jsii 6 prints a large end-of-life banner on Node 20; the machines run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('CDK_DISABLE_CLI_TELEMETRY', 'true');

// Main job: synthesize every example app and print, per stack, what is traced.
project.addTask('examples', {
  description: 'Synthesize every example app (no AWS credentials needed) and print what each stack traces',
  exec: 'ts-node --project test/tsconfig.json scripts/synth-examples.ts',
  receiveArgs: true,
});

// jsii-pacmak resolves the Java peer-dependency ranges ([3.0.2,4.0.0) for cdk-nag) through Maven repository metadata, and
// Maven Central's metadata for io.github.cdklabs:cdknag lists no 3.x release although the 3.0.2 artifacts are there: the
// script installs the exact version into the local repository (cached in ~/.m2) so the range resolves to it.
project.tasks.tryFind('package:java')?.reset(`bash scripts/polyglot/maven-local-deps.sh io.github.cdklabs:cdknag:${CDK_NAG_VERSION}`);
project.tasks.tryFind('package:java')?.exec('jsii-pacmak -v --target java --maven-local-repository "$HOME/.m2/repository"');

// The command must be executable in the package: the wheel's `cdk-xray` script runs lib/cli/cdk-xray.js directly.
project.postCompileTask.exec('chmod +x lib/cli/cdk-xray.js');

project.addTask('bench', {
  description: 'Run the benchmarks under benchmarks/ and print their figures',
  steps: [
    { exec: 'ts-node --project test/tsconfig.json benchmarks/template-economy/run.ts' },
    // On the minimum supported aws-cdk-lib and the newest tested, against the compiled library.
    { spawn: 'compile' },
    { exec: `ts-node --project test/tsconfig.json benchmarks/synth-overhead/run.ts --cdk ${CDK_VERSION},${CDK_NEWEST_TESTED} --profile` },
    { exec: 'ts-node --project test/tsconfig.json benchmarks/polyglot-synth/run.ts' },
  ],
});

// The loopback end-to-end test alone (it also runs with the whole suite): the example apps' real SDKs send traces through
// the sidecar their task definition configures (a real collector, or the X-Ray daemon when it builds) to moto's X-Ray API.
project.addTask('e2e', {
  description: 'Run the loopback end-to-end test alone: real SDKs -> collector / X-Ray daemon -> X-Ray API (moto); prints its figures',
  exec: 'jest --coverage=false test/e2e',
  receiveArgs: true,
});

// The whole test suite as CI runs it: jsii compile (type-checks the public API for every language, writes API.md),
// then jest (unit tests, example synthesis, cfn-lint, cdk-nag) and eslint.
// jest (ts-jest with isolatedModules) does not type-check; this does, for tests, examples, benchmarks and scripts.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests, examples, benchmarks and scripts',
});
for (const dir of ['test', 'examples', 'benchmarks', 'scripts']) {
  typecheck.exec(`tsc --noEmit -p ${dir}/tsconfig.json`);
}

// The suite again on the newest aws-cdk-lib (swapped in place for the run, then put back): everything but the end-to-end
// test and the Python and Java apps, whose aws-cdk-lib does not come from node_modules.
project.addTask('test:newest', {
  description: `Run the test suite on aws-cdk-lib ${CDK_NEWEST_TESTED} (the newest tested) instead of ${CDK_VERSION}`,
  exec: `bash scripts/cdk-newest/test.sh ${CDK_NEWEST_TESTED}`,
  receiveArgs: true,
});

project.addTask('ci', {
  description: `Compile with jsii, regenerate API.md, type-check, run the whole test suite and eslint on aws-cdk-lib ${CDK_VERSION}, then the suite on ${CDK_NEWEST_TESTED}`,
  steps: [
    { spawn: 'compile' },
    { spawn: 'post-compile' },
    // npm, Python (wheel and sdist) and Java packages into dist/; the Python and Java example apps install them.
    { spawn: 'package-all' },
    { spawn: 'typecheck' },
    { spawn: 'test' },
    { spawn: 'test:newest' },
  ],
});

project.synth();
