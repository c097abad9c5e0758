// Preloaded (node --require) into a benchmark's child process: resolves aws-cdk-lib and constructs from the node_modules of the directory
// in BENCH_CDK_ROOT instead of the repository's node_modules, for every module that asks. See cdk-versions.ts.
'use strict';
const Module = require('module');

const dir = process.env.BENCH_CDK_ROOT;
if (dir) {
  const original = Module._resolveFilename;
  Module._resolveFilename = function resolveFromBenchCdk(request, parent, isMain, options) {
    if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/') || request === 'constructs') {
      return original.call(this, request, parent, isMain, { ...options, paths: [dir] });
    }
    return original.call(this, request, parent, isMain, options);
  };
}
