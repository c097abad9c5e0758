#!/usr/bin/env bash
# Install (once) the npm dependencies of the example apps the end-to-end test runs, exactly as their lockfiles pin
# them (`npm ci --omit=dev`), into a cache OUTSIDE the repo:
#
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/apps/<example>-<lockfile hash>/node_modules
#
# The cache key is a hash of the app's package.json and package-lock.json, so a version bump reinstalls. Prints one
# line per app on stdout: `<example> <cache dir>`; progress goes to stderr.
#
# Usage: install-apps.sh [<example>...]   (default: every examples/*/app with a package-lock.json)
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
fi
[[ ${#examples[@]} -gt 0 ]] || die "no examples/*/app/package-lock.json found"

hash_of() {
  if command -v sha256sum >/dev/null 2>&1; then cat "$@" | sha256sum | cut -c1-16; else cat "$@" | shasum -a 256 | cut -c1-16; fi
}

mkdir -p "$TOOLS_DIR/apps"
for example in "${examples[@]}"; do
  app="$ROOT/examples/$example/app"
  [[ -f "$app/package.json" && -f "$app/package-lock.json" ]] || die "$app needs package.json and package-lock.json"
  dir="$TOOLS_DIR/apps/$example-$(hash_of "$app/package.json" "$app/package-lock.json")"
  if [[ -f "$dir/.complete" ]]; then
    log "cache hit: $dir"
  else
    work="$(mktemp -d "$TOOLS_DIR/apps/.$example.XXXXXX")"
    cp "$app/package.json" "$app/package-lock.json" "$work/"
    log "npm ci --omit=dev for examples/$example/app in $work"
    (cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2 || { rm -rf "$work"; die "npm ci failed for $example"; }
    touch "$work/.complete"
    rm -rf "$dir"
    mv "$work" "$dir"
  fi
  echo "$example $dir"
done
