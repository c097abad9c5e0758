#!/usr/bin/env bash
# Runs the test suite again on the newest aws-cdk-lib the library is tested with (the version .projenrc.ts names), after
# the whole suite has run on the minimum supported one (the version in package.json).
#
# aws-cdk-lib is swapped in place (`npm install --no-save`) so that everything sees one copy: the library's sources under
# jest, cdk-nag, the example apps that run as their own processes and the CDK CLI. The version of package-lock.json is
# put back afterwards, also when a test fails.
#
# Usage: bash scripts/cdk-newest/test.sh <version> [jest args]
set -euo pipefail
cd "$(dirname "$0")/../.."

newest="$1"; shift
minimum="$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")"

installed() { node -p "require('aws-cdk-lib/package.json').version"; }

install_cdk() {
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "aws-cdk-lib@$1" >/dev/null
  [ "$(installed)" = "$1" ] || { echo "aws-cdk-lib $1 did not install (found $(installed))" >&2; exit 1; }
}

restore() {
  if [ "$(installed)" != "$minimum" ]; then
    echo "Putting aws-cdk-lib $minimum back"
    install_cdk "$minimum"
  fi
}
trap restore EXIT

echo "Installing aws-cdk-lib $newest (the newest version tested) in place of $minimum"
install_cdk "$newest"

# Everything but the end-to-end test (it runs the example apps' own SDKs and the collector; aws-cdk-lib plays no part
# once the task definitions are synthesized), the Python and Java apps (their jsii runtime ships aws-cdk-lib from
# PyPI and Maven Central, not from node_modules) and the README quick start (its apps install their own aws-cdk-lib,
# the newest tested one, whichever version node_modules has).
npx jest --ci --coverage=false --testPathIgnorePatterns='/node_modules/|<rootDir>/test/e2e/|<rootDir>/test/examples/python-java\.test\.ts$|<rootDir>/test/quickstart/' "$@"
