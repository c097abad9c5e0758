# Sourced by the tool builds under scripts/ (the collector, the X-Ray daemon): the cache root outside the repo,
# logging to stderr, and their common arguments (--force, -h/--help, which prints the calling script's header).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib/tool-build.sh"
#   tool_build_args <log prefix> "$@"      # sets FORCE=0|1
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
