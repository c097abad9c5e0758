#!/usr/bin/env bash
# Install (once) the npm dependencies of the example apps and Lambda handlers the end-to-end tests run, exactly as
# their lockfiles pin them, into a cache OUTSIDE the repo (so nothing lands in a folder an example packages as an
# asset):
#
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/apps/<name>-<lockfile hash>/node_modules
#
# An app (examples/<example>/app, a container image) gets `npm ci --omit=dev`, as its Dockerfile runs it. Handlers
# (examples/<example>/handlers, a Lambda asset) get `npm ci` with the development dependencies too: those stand in for
# what a Lambda layer provides at deploy time (the AWS Distro for OpenTelemetry).
#
# The cache key is a hash of the package.json and package-lock.json, so a version bump reinstalls. Prints one line per
# package on stdout: `<example> <cache dir>` for an app, `<example>/handlers <cache dir>` for handlers; progress goes
# to stderr.
#
# Usage: install-apps.sh [<example> | <example>/handlers ...]
#        (default: every examples/*/app and examples/*/handlers with a package-lock.json)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}"

log() { printf '[install-apps] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

examples=("$@")
if [[ ${#examples[@]} -eq 0 ]]; then
  for lock in "$ROOT"/examples/*/app/package-lock.json; do
    [[ -f "$lock" ]] && examples+=("$(basename "$(dirname "$(dirname "$lock")")")")
  done
  for lock in "$ROOT"/examples/*/handlers/package-lock.json; do
    [[ -f "$lock" ]] && examples+=("$(basename "$(dirname "$(dirname "$lock")")")/handlers")
  done
fi
[[ ${#examples[@]} -gt 0 ]] || die "no examples/*/app/package-lock.json or examples/*/handlers/package-lock.json found"

hash_of() {
  if command -v sha256sum >/dev/null 2>&1; then cat "$@" | sha256sum | cut -c1-16; else cat "$@" | shasum -a 256 | cut -c1-16; fi
}

mkdir -p "$TOOLS_DIR/apps"
for example in "${examples[@]}"; do
  if [[ "$example" == */handlers ]]; then
    app="$ROOT/examples/$example"
    cache_name="${example%/handlers}-handlers"
    omit=()
  else
    app="$ROOT/examples/$example/app"
    cache_name="$example"
    omit=(--omit=dev)
  fi
  [[ -f "$app/package.json" && -f "$app/package-lock.json" ]] || die "$app needs package.json and package-lock.json"
  dir="$TOOLS_DIR/apps/$cache_name-$(hash_of "$app/package.json" "$app/package-lock.json")"
  if [[ -f "$dir/.complete" ]]; then
    log "cache hit: $dir"
  else
    work="$(mktemp -d "$TOOLS_DIR/apps/.$cache_name.XXXXXX")"
    cp "$app/package.json" "$app/package-lock.json" "$work/"
    log "npm ci ${omit[*]} for ${app#"$ROOT"/} in $work"
    (cd "$work" && npm ci "${omit[@]}" --no-audit --no-fund --loglevel=error) >&2 || { rm -rf "$work"; die "npm ci failed for $example"; }
    touch "$work/.complete"
    rm -rf "$dir"
    mv "$work" "$dir"
  fi
  echo "$example $dir"
done
