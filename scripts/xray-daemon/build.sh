#!/usr/bin/env bash
# Build (once) the AWS X-Ray daemon (github.com/aws/aws-xray-daemon, command cmd/tracing) from the Go module proxy,
# cached OUTSIDE the repo:
#
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/xray-daemon-<revision>/xray
#
# The daemon's release tags (3.x) are not usable as Go module versions (its go.mod declares the module without a /v3
# suffix), so a source revision is pinned; the Go command resolves it to a pseudo-version through the proxy.
#
# On success the binary path is the LAST (and only) line on stdout; progress goes to stderr:
#   BIN="$(bash scripts/xray-daemon/build.sh)"
# When the Go module proxy does not serve the module (HTTP 403/404/410), nothing is built: the proxy's answer is
# written to ${CDK_XRAY_TOOLS_DIR}/xray-daemon-<revision>.unavailable and the exit status is 3. Any other failure
# exits 1. A later successful build removes the .unavailable file.
#
# Usage: build.sh [--force]
#   --force   rebuild even if the cached binary exists
#
# Environment:
#   CDK_XRAY_TOOLS_DIR   cache root (default: $HOME/.cache/cdk-xray-constructs)
#   XRAY_DAEMON_REF      revision to build instead of the pinned one
#   GOPROXY/GOMODCACHE/GOCACHE/GOFLAGS are respected.
set -euo pipefail

MODULE="github.com/aws/aws-xray-daemon"
PACKAGE="$MODULE/cmd/tracing"
# The repository head after the 3.6.6 release (2026-07-14).
REF="${XRAY_DAEMON_REF:-8c295a5}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/tool-build.sh"
tool_build_args xray-daemon-build "$@"
CACHE_DIR="$TOOLS_DIR/xray-daemon-$REF"
BIN="$CACHE_DIR/xray"
UNAVAILABLE="$TOOLS_DIR/xray-daemon-$REF.unavailable"

command -v go >/dev/null 2>&1 || die "'go' not found in PATH"

tool_build_reuse_or_lock "$BIN" "xray-daemon-$REF"

WORK="$(mktemp -d "$TOOLS_DIR/.xray-daemon-$REF.work.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

log "go install $PACKAGE@$REF (GOPROXY=$(go env GOPROXY))"
set +e
out="$(cd "$WORK" && GOBIN="$WORK/bin" GOWORK=off GOFLAGS="$(go env GOFLAGS) -mod=mod" go install "$PACKAGE@$REF" 2>&1)"
rc=$?
set -e
printf '%s\n' "$out" >&2

if [[ $rc -ne 0 ]]; then
  if grep -Eq '(403 Forbidden|404 Not Found|410 Gone)' <<<"$out"; then
    {
      echo "The Go module proxy does not serve $MODULE (go install $PACKAGE@$REF, $(date -u +%Y-%m-%dT%H:%M:%SZ)):"
      printf '%s\n' "$out"
    } >"$UNAVAILABLE"
    log "not available from the Go module proxy; reason recorded in $UNAVAILABLE"
    exit 3
  fi
  die "go install failed (exit $rc); see the output above"
fi

[[ -x "$WORK/bin/tracing" ]] || die "go install finished but $WORK/bin/tracing is missing"
rm -rf "$CACHE_DIR"
mkdir -p "$CACHE_DIR"
mv "$WORK/bin/tracing" "$BIN"
rm -f "$UNAVAILABLE"
"$BIN" --version >&2 || true
log "binary: $BIN"
echo "$BIN"
