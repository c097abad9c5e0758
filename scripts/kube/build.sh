#!/usr/bin/env bash
# Build (once) a real Kubernetes API server and the etcd it stores objects in, from the Go module proxy, cached
# OUTSIDE the repo:
#
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/kube-<hash>/kube-apiserver
#   ${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}/kube-<hash>/etcd
#
# <hash> is made of the pinned versions below and BUILD_RECIPE, so bumping either rebuilds. The tests
# (test/util/kube-apiserver.ts) dry-run every Kubernetes manifest the library emits against these binaries.
#
# k8s.io/kubernetes cannot be built with `go install pkg@version`: its go.mod requires its 33 staging modules
# (k8s.io/api, k8s.io/apimachinery, ...) at v0.0.0 and replaces them with ./staging/src/..., directories the module
# zip does not contain. So a small module is generated that requires k8s.io/kubernetes, copies the `require` lines of
# its go.mod, and replaces each staging module with its published v0.<minor>.<patch> module. etcd's server module
# has replace directives of its own (../api, ...), so it gets a generated module too.
#
# On success the cache directory is the LAST (and only) line on stdout; progress and timings go to stderr:
#   DIR="$(bash scripts/kube/build.sh)"
#
# Usage: build.sh [--force | --where]
#   --force   rebuild even if the cached binaries exist
#   --where   print the cache directory (built or not) and exit; builds nothing
#
# Environment:
#   CDK_XRAY_TOOLS_DIR      cache root (default: $HOME/.cache/cdk-xray-constructs)
#   KUBE_BUILD_JOBS         if set, passed as `go build -p N` (default = number of CPUs)
#   KUBE_KEEP_GOCACHE=1     compile into the regular GOCACHE instead of a scratch one that is removed afterwards
#   GOPROXY/GOMODCACHE/GOFLAGS are respected (the module cache is Go's default, ~/go/pkg/mod, like the other builds).
set -euo pipefail

KUBERNETES_VERSION="v1.37.2"
ETCD_VERSION="v3.7.3"
# Bump when the way the binaries are built changes (flags, generated go.mod), so the cache key changes.
BUILD_RECIPE="1"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$SCRIPT_DIR/../lib/tool-build.sh"

WHERE=0
args=()
for arg in "$@"; do
  if [[ "$arg" == --where ]]; then WHERE=1; else args+=("$arg"); fi
done
tool_build_args kube-build ${args[@]+"${args[@]}"}

KEY="kubernetes=$KUBERNETES_VERSION etcd=$ETCD_VERSION recipe=$BUILD_RECIPE"
if command -v sha256sum >/dev/null 2>&1; then
  HASH="$(printf '%s' "$KEY" | sha256sum | cut -c1-16)"
else
  HASH="$(printf '%s' "$KEY" | shasum -a 256 | cut -c1-16)"
fi
CACHE_DIR="$TOOLS_DIR/kube-$HASH"
if [[ "$WHERE" == 1 ]]; then
  echo "$CACHE_DIR"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "'go' not found in PATH (Go >= 1.26 is required by k8s.io/kubernetes $KUBERNETES_VERSION)"

# The directory is renamed into place only when both binaries are built, so kube-apiserver standing for the pair is
# enough; the helper prints the directory's binary, so the directory is printed instead below.
if [[ "$FORCE" == 0 && -x "$CACHE_DIR/kube-apiserver" && -x "$CACHE_DIR/etcd" ]]; then
  log "cache hit: $CACHE_DIR"
  echo "$CACHE_DIR"
  exit 0
fi
mkdir -p "$TOOLS_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS_DIR/.kube-$HASH.lock"
  flock 9
  if [[ "$FORCE" == 0 && -x "$CACHE_DIR/kube-apiserver" && -x "$CACHE_DIR/etcd" ]]; then
    log "cache hit (built by a concurrent run): $CACHE_DIR"
    echo "$CACHE_DIR"
    exit 0
  fi
fi

WORK="$(mktemp -d "$TOOLS_DIR/.kube-$HASH.work.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

export GOWORK=off CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
if [[ "${KUBE_KEEP_GOCACHE:-0}" != 1 ]]; then
  # A kube-apiserver build leaves gigabytes of compiled packages that only a rebuild of the same versions would reuse,
  # and the cache directory is keyed by those versions: compile into a scratch cache and drop it with the work dir.
  export GOCACHE="$WORK/gocache"
fi
go_flags="$(go env GOFLAGS)"
[[ -n "${KUBE_BUILD_JOBS:-}" ]] && go_flags="$go_flags -p=$KUBE_BUILD_JOBS"
export GOFLAGS="${go_flags# }"
build_flags=(-trimpath)

T_START="$(date +%s)"

# 1. kube-apiserver
K8S_MINOR_PATCH="${KUBERNETES_VERSION#v1.}"          # 37.2
STAGING_VERSION="v0.$K8S_MINOR_PATCH"                 # v0.37.2
K8S_MINOR="${K8S_MINOR_PATCH%%.*}"                    # 37
log "go mod download k8s.io/kubernetes@$KUBERNETES_VERSION (GOPROXY=$(go env GOPROXY))"
K8S_GOMOD="$(cd "$WORK" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" \
  | sed -nE 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p')"
[[ -f "$K8S_GOMOD" ]] || die "go mod download k8s.io/kubernetes@$KUBERNETES_VERSION did not give a go.mod"

mkdir -p "$WORK/kube-apiserver"
# Reads k8s.io/kubernetes's go.mod: its go/godebug lines and every require line are copied; every
# `k8s.io/X => ./staging/src/k8s.io/X` replace becomes `k8s.io/X => k8s.io/X <staging version>`.
awk -v k8s="$KUBERNETES_VERSION" -v staging="$STAGING_VERSION" '
  function field_line(s) { sub(/^[[:space:]]+/, "", s); sub(/[[:space:]]*\/\/.*$/, "", s); return s }
  /^go [0-9]/ || /^godebug / { head = head $0 "\n"; next }
  /^require \($/ { block = "require"; next }
  /^replace \($/ { block = "replace"; next }
  /^\)$/ { block = ""; next }
  /^require [^(]/ { requires = requires "\t" substr($0, 9) "\n"; next }
  /^replace [^(]/ { line = substr($0, 9) }
  block == "require" { s = field_line($0); if (s != "") requires = requires "\t" s "\n"; next }
  block == "replace" || line != "" {
    s = line != "" ? line : field_line($0); line = ""
    if (s == "") next
    if (s ~ /^k8s\.io\/[^ ]+ => \.\/staging\/src\/k8s\.io\/[^ ]+$/) {
      split(s, f, " "); replaces = replaces "\t" f[1] " => " f[1] " " staging "\n"; n++
    } else {
      replaces = replaces "\t" s "\n"
    }
    next
  }
  END {
    if (n == 0) { print "no staging replace directives found" > "/dev/stderr"; exit 1 }
    printf "// Generated by scripts/kube/build.sh from the go.mod of k8s.io/kubernetes %s.\n", k8s
    print "module cdk-xray-constructs/kube-apiserver\n"
    printf "%s\n", head
    print "tool k8s.io/kubernetes/cmd/kube-apiserver\n"
    printf "require k8s.io/kubernetes %s\n\nrequire (\n%s)\n\nreplace (\n%s)\n", k8s, requires, replaces
    printf "%d staging modules replaced by their %s modules\n", n, staging > "/dev/stderr"
  }
' "$K8S_GOMOD" >"$WORK/kube-apiserver/go.mod" || die "could not generate a go.mod from $K8S_GOMOD"

(
  cd "$WORK/kube-apiserver"
  log "go mod tidy (kube-apiserver): resolves the module graph and writes go.sum"
  go mod tidy
  ver_pkg="k8s.io/component-base/version"
  ldflags="-s -w -X $ver_pkg.gitVersion=$KUBERNETES_VERSION -X $ver_pkg.gitMajor=1 -X $ver_pkg.gitMinor=$K8S_MINOR"
  ldflags="$ldflags -X $ver_pkg.gitTreeState=clean"
  log "go build kube-apiserver $KUBERNETES_VERSION (a cold build compiles for about 12 minutes on 2 cores)"
  go build "${build_flags[@]}" -ldflags="$ldflags" -o "$WORK/kube-apiserver.bin" k8s.io/kubernetes/cmd/kube-apiserver
) >&2 || die "kube-apiserver build failed (see the output above). Common causes: a module missing on the Go module proxy (HTTP 403/404/410), Go older than the go line of k8s.io/kubernetes's go.mod, out of memory (try KUBE_BUILD_JOBS=1)."
T_KUBE="$(date +%s)"

# 2. etcd
mkdir -p "$WORK/etcd"
cat >"$WORK/etcd/go.mod" <<EOF
// Generated by scripts/kube/build.sh.
module cdk-xray-constructs/etcd

go 1.26.0

tool go.etcd.io/etcd/server/v3

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
(
  cd "$WORK/etcd"
  log "go mod tidy (etcd $ETCD_VERSION)"
  go mod tidy
  log "go build etcd $ETCD_VERSION"
  go build "${build_flags[@]}" -ldflags="-s -w" -o "$WORK/etcd.bin" go.etcd.io/etcd/server/v3
) >&2 || die "etcd build failed (see the output above)"
T_ETCD="$(date +%s)"

"$WORK/kube-apiserver.bin" --version >&2
"$WORK/etcd.bin" --version >&2

# The cache directory keeps the binaries and the generated go.mod/go.sum files (what was built, exactly).
OUT="$WORK/out"
mkdir -p "$OUT/src/kube-apiserver" "$OUT/src/etcd"
mv "$WORK/kube-apiserver.bin" "$OUT/kube-apiserver"
mv "$WORK/etcd.bin" "$OUT/etcd"
cp "$WORK/kube-apiserver/go.mod" "$WORK/kube-apiserver/go.sum" "$OUT/src/kube-apiserver/"
cp "$WORK/etcd/go.mod" "$WORK/etcd/go.sum" "$OUT/src/etcd/"
printf '%s\n' "$KEY" >"$OUT/versions"
if [[ -n "${GOCACHE:-}" && "$GOCACHE" == "$WORK/gocache" ]]; then
  log "scratch build cache: $(du -sh "$GOCACHE" | cut -f1) (removed)"
fi
rm -rf "$CACHE_DIR"
mv "$OUT" "$CACHE_DIR"

T_END="$(date +%s)"
log "timing: kube-apiserver $((T_KUBE - T_START)) s, etcd $((T_ETCD - T_KUBE)) s, total $((T_END - T_START)) s"
log "binaries: $CACHE_DIR/kube-apiserver ($(du -h "$CACHE_DIR/kube-apiserver" | cut -f1)), $CACHE_DIR/etcd ($(du -h "$CACHE_DIR/etcd" | cut -f1))"
echo "$CACHE_DIR"
