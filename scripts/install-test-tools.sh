#!/usr/bin/env bash
# Installs every tool the test suite uses besides the npm packages (`npm ci`), on a fresh machine; cached steps are
# instant the second time. Part of the README's test command and of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  # Debian packages, only when missing (these machines run as root; elsewhere sudo is used if there).
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# cfn-lint (every example template) and moto's X-Ray API (the end-to-end test).
python3 -m pip install --disable-pip-version-check -q -r requirements-dev.txt

# jsii-pacmak builds the PyPI package in a venv (setuptools, wheel and twine from PyPI) and the Maven package with Maven
# (plugins and dependencies from Maven Central, cached in ~/.m2); the Python and Java example apps are built the same way.
missing=()
command -v mvn >/dev/null || missing+=(maven)
command -v javac >/dev/null || missing+=(default-jdk-headless)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
# Debian's chromium: the report's browser test opens the HTML report in it (driven by playwright-core, no download).
command -v chromium >/dev/null || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# A real OpenTelemetry Collector with the ADOT components, built from the Go module proxy and cached outside the repo
# (about 3.5 minutes the first time on 2 cores, instant afterwards); the test suite validates every generated config with
# it and the end-to-end test runs it.
bash scripts/otelcol/build.sh
# A real Kubernetes API server and etcd, built from the Go module proxy and cached outside the repo: every Kubernetes
# manifest the library emits is dry-run against them with strict field validation (test/util/kube-apiserver.ts). The
# first build takes about 13 minutes on 2 cores (kube-apiserver ~12 min, etcd ~45 s), instant afterwards. It runs after
# the collector build rather than beside it: both builds are CPU-bound and use every core, so running them together
# would not finish sooner and would double the peak memory.
bash scripts/kube/build.sh >/dev/null
# The end-to-end test's X-Ray daemon (exit 3: the Go module proxy does not serve it, which the test reports) and the example
# apps' npm dependencies from their lockfiles, both cached outside the repo.
bash scripts/xray-daemon/build.sh || [ $? -eq 3 ]
bash scripts/e2e/install-apps.sh
