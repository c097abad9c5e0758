# Sourced by the tool builds under scripts/ (the collector, the X-Ray daemon): the cache root outside the repo,
# logging to stderr, and their common arguments (--force, -h/--help, which prints the calling script's header).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib/tool-build.sh"
#   tool_build_args <log prefix> "$@"      # sets FORCE=0|1
#   tool_build_reuse_or_lock <binary> <lock name>   # exits with the cached binary, else holds the build lock
TOOLS_DIR="${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}"
LOG_PREFIX="tool-build"

log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

tool_build_args() {
  LOG_PREFIX="$1"
  shift
  FORCE=0
  local arg
  for arg in "$@"; do
    case "$arg" in
      --force) FORCE=1 ;;
      -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 0 ;;
      *) die "unknown argument: $arg" ;;
    esac
  done
}

# Prints BIN and exits when it is already built (unless --force); otherwise takes the build lock LOCK_NAME under the
# cache root (so parallel test workers build once) and checks again before returning to build.
tool_build_reuse_or_lock() {
  local bin="$1" lock_name="$2"
  if [[ "$FORCE" == 0 && -x "$bin" ]]; then
    log "cache hit: $bin"
    echo "$bin"
    exit 0
  fi
  mkdir -p "$TOOLS_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$TOOLS_DIR/.$lock_name.lock"
    flock 9
    if [[ "$FORCE" == 0 && -x "$bin" ]]; then
      log "cache hit (built by a concurrent run): $bin"
      echo "$bin"
      exit 0
    fi
  fi
}
