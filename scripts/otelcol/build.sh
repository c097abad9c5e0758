#!/usr/bin/env bash
# Build (once) an OpenTelemetry Collector containing the ADOT component subset
# listed in builder-config.yaml, using the OpenTelemetry Collector Builder (OCB)
# from the Go module proxy. The binary is cached OUTSIDE the repo:
#
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/otelcol-xray-<manifest-hash>/otelcol-xray
#
# The cache key is a hash of builder-config.yaml, so bumping a version rebuilds.
# On a cache hit nothing is built. The binary path is the LAST (and only) line
# on stdout; progress, builder logs and timing go to stderr, so
#   BIN="$(bash scripts/otelcol/build.sh)"
# works.
#
# Usage: build.sh [--force]
#   --force   rebuild even if the cached binary exists
#
# Environment:
#   CDK_XRAY_TOOLS_DIR      cache root (default: $HOME/.cache/cdk-xray-constructs)
#   OTELCOL_BUILD_JOBS      if set, passed as `go build -p N` (parallel packages;
#                           default = GOMAXPROCS = number of CPUs). Lower it on
#                           small-memory machines (peak RSS is ~1 process/job).
#   OTELCOL_BUILD_VERBOSE=1 pass --verbose to the builder
#   GOPROXY/GOMODCACHE/GOCACHE/GOFLAGS are respected (Go defaults live outside
#   the repo: ~/go/pkg/mod and ~/.cache/go-build).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MANIFEST="$SCRIPT_DIR/builder-config.yaml"
DIST_NAME="otelcol-xray"
source "$SCRIPT_DIR/../lib/tool-build.sh"
tool_build_args otelcol-build "$@"

[[ -f "$MANIFEST" ]] || die "manifest not found: $MANIFEST"
command -v go >/dev/null 2>&1 || die "'go' not found in PATH (Go >= 1.25 is required by OCB v0.156.x)"

if command -v sha256sum >/dev/null 2>&1; then
  HASH="$(sha256sum "$MANIFEST" | cut -c1-16)"
else
  HASH="$(shasum -a 256 "$MANIFEST" | cut -c1-16)"
fi
CACHE_DIR="$TOOLS_DIR/$DIST_NAME-$HASH"
BIN="$CACHE_DIR/$DIST_NAME"

tool_build_reuse_or_lock "$BIN" "$DIST_NAME-$HASH"

# OCB's strict versioning requires builder version == core otelcol (v0.X) version,
# so the builder version is derived from the core `service` module pinned in the
# manifest (single source of truth).
OCB_VERSION="$(sed -nE 's#^[[:space:]]*(-[[:space:]]*)?gomod:[[:space:]]*"?go\.opentelemetry\.io/collector/service[[:space:]]+(v[0-9]+\.[0-9]+\.[0-9]+)"?[[:space:]]*$#\2#p' "$MANIFEST" | head -n1)"
[[ "$OCB_VERSION" =~ ^v0\.[0-9]+\.[0-9]+$ ]] \
  || die "could not derive the builder version from 'gomod: go.opentelemetry.io/collector/service vX.Y.Z' in $MANIFEST"

T_START="$(date +%s)"

# 1. Install the pinned builder into the cache (not into $GOPATH/bin).
OCB_DIR="$TOOLS_DIR/ocb-$OCB_VERSION"
OCB="$OCB_DIR/builder"
if [[ ! -x "$OCB" ]]; then
  log "installing go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION -> $OCB"
  tmp_gobin="$(mktemp -d "$TOOLS_DIR/.ocb-$OCB_VERSION.XXXXXX")"
  GOBIN="$tmp_gobin" GOWORK=off go install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
  rm -rf "$OCB_DIR"
  mv "$tmp_gobin" "$OCB_DIR"
fi
"$OCB" version >&2
T_OCB="$(date +%s)"

# 2. Generate + build in a scratch dir next to the cache dir; rename into place
#    only on success so a half-finished build is never a cache hit.
WORK="$(mktemp -d "$TOOLS_DIR/.$DIST_NAME-$HASH.work.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
cp "$MANIFEST" "$WORK/builder-config.yaml"

# Builder runs `go mod tidy`, `go mod download`, `go build -trimpath -ldflags='-s -w'`
# with CGO_ENABLED=0 in $WORK/src (dist.output_path: ./src, relative to cwd).
go_flags="$(go env GOFLAGS) -mod=mod"
if [[ -n "${OTELCOL_BUILD_JOBS:-}" ]]; then
  go_flags="$go_flags -p=$OTELCOL_BUILD_JOBS"
fi
ocb_args=(--config="$WORK/builder-config.yaml")
[[ "${OTELCOL_BUILD_VERBOSE:-0}" == 1 ]] && ocb_args+=(--verbose)

log "building $DIST_NAME (manifest hash $HASH) in $WORK; GOFLAGS='${go_flags# }'"
log "a cold build downloads ~hundreds of modules and compiles for several minutes"
(
  cd "$WORK"
  GOFLAGS="${go_flags# }" GOWORK=off "$OCB" "${ocb_args[@]}"
) >&2 || die "OCB build failed (see builder output above). Common causes: a module/version missing on the Go proxy (HTTP 404/410/403), Go too old, out of memory (try OTELCOL_BUILD_JOBS=1)."

[[ -x "$WORK/src/$DIST_NAME" ]] || die "builder finished but $WORK/src/$DIST_NAME is missing"
mv "$WORK/src/$DIST_NAME" "$WORK/$DIST_NAME"
"$WORK/$DIST_NAME" --version >&2

rm -rf "$CACHE_DIR"
mv "$WORK" "$CACHE_DIR"
trap - EXIT

T_END="$(date +%s)"
log "timing: builder install $((T_OCB - T_START)) s, collector build $((T_END - T_OCB)) s, total $((T_END - T_START)) s"
log "binary: $BIN ($(du -h "$BIN" | cut -f1))"
echo "$BIN"
