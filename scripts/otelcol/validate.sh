#!/usr/bin/env bash
# Validate OpenTelemetry Collector configs with a real collector (`otelcol-xray
# validate`) containing the ADOT components we generate configs for.
#
# Usage: validate.sh [--via-env] <file-or-dir>...
#   <file>      validated as given (any extension)
#   <dir>       every *.yaml below it, recursively (sorted)
#   --via-env   deliver each config the way ADOT does with AOT_CONFIG_CONTENT:
#               AOT_CONFIG_CONTENT="$(cat file)" otelcol-xray validate --config=env:AOT_CONFIG_CONTENT
#               (default: --config=file:<absolute path>)
#   --in-pod    run the collector as if in a Kubernetes pod: KUBERNETES_SERVICE_HOST/PORT
#               set and a placeholder service-account token at
#               /var/run/secrets/kubernetes.io/serviceaccount/token, in a private mount
#               namespace (`unshare --mount`, with --map-root-user when not root) so
#               nothing outside it changes. Needed for configs with the
#               resourcedetection `eks` detector, which creates an in-cluster
#               Kubernetes client when the pipelines are built (no request is sent).
#
# Output: one line per file, `valid: <path>` or `INVALID: <path>` followed by
# the collector's error (indented). Exit status: 0 all valid, 1 any invalid,
# 2 usage error / no file given or found / build failed.
#
# Environment:
#   OTELCOL_BIN            use this collector binary instead of calling build.sh
#   OTELCOL_VALIDATE_TIMEOUT  seconds per file (default 120; needs `timeout`)
#   plus everything build.sh honours (CDK_XRAY_TOOLS_DIR, ...)
#
# Notes:
#   - `validate` loads + unmarshals + Validate()s every component config and
#     BUILDS (creates, but does not start) the pipelines. Creating the awsxray
#     receiver already binds its UDP endpoint, so validating a config with
#     `awsxray` receiver fails with "address already in use" if something
#     (an X-Ray daemon, a running collector) holds that UDP port. Files are
#     therefore validated sequentially, and concurrent validate.sh runs are
#     serialised with flock (when available).
#   - No AWS credentials are needed; set `region:` on awsxray exporter /
#     proxy_server so nothing tries EC2 instance metadata.
#   - Some mistakes are only detected when the collector STARTS, not by
#     `validate`: tail_sampling policy `type`/`status_codes` values and typo'd
#     policy-level keys (evaluators are built in Start), listener endpoints
#     without a port, extension port clashes. See README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; }

VIA_ENV=0
IN_POD=0
inputs=()
for arg in "$@"; do
  case "$arg" in
    --via-env) VIA_ENV=1 ;;
    --in-pod) IN_POD=1 ;;
    -h|--help) usage; exit 0 ;;
    --) ;;
    -*) echo "validate.sh: unknown option: $arg" >&2; usage; exit 2 ;;
    *) inputs+=("$arg") ;;
  esac
done

if [[ ${#inputs[@]} -eq 0 ]]; then
  echo "validate.sh: no file or directory given" >&2
  usage
  exit 2
fi

files=()
for in in "${inputs[@]}"; do
  if [[ -d "$in" ]]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$in" -type f -name '*.yaml' -print0 | sort -z)
  elif [[ -f "$in" ]]; then
    files+=("$in")
  else
    echo "validate.sh: no such file or directory: $in" >&2
    exit 2
  fi
done

if [[ ${#files[@]} -eq 0 ]]; then
  echo "validate.sh: no *.yaml files found in: ${inputs[*]}" >&2
  exit 2
fi

if [[ -n "${OTELCOL_BIN:-}" ]]; then
  BIN="$OTELCOL_BIN"
else
  # build.sh: progress on stderr, binary path = last line of stdout.
  BIN="$(bash "$SCRIPT_DIR/build.sh" | tail -n 1)" || { echo "validate.sh: build failed" >&2; exit 2; }
fi
[[ -x "$BIN" ]] || { echo "validate.sh: collector binary not executable: $BIN" >&2; exit 2; }

timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then
  timeout_cmd=(timeout "${OTELCOL_VALIDATE_TIMEOUT:-120}")
fi

# --in-pod: a tmpfs over the deepest existing ancestor of the service-account
# directory, visible to the collector only, holding a placeholder token.
pod_cmd=()
if [[ "$IN_POD" == 1 ]]; then
  command -v unshare >/dev/null 2>&1 || { echo "validate.sh: --in-pod needs unshare (util-linux)" >&2; exit 2; }
  ns=(unshare --mount --propagation private)
  [[ "$(id -u)" == 0 ]] || ns=(unshare --map-root-user --mount --propagation private)
  # shellcheck disable=SC2016 # expanded by the inner shell
  pod_script='set -e
sa=/var/run/secrets/kubernetes.io/serviceaccount
base=$sa; while [ ! -d "$base" ]; do base=$(dirname "$base"); done
mount -t tmpfs -o size=1m tmpfs "$base"
mkdir -p "$sa"; printf placeholder > "$sa/token"
exec "$@"'
  pod_cmd=(env KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=443 "${ns[@]}" sh -c "$pod_script" sh)
  "${pod_cmd[@]}" true 2>/dev/null \
    || { echo "validate.sh: --in-pod could not make a private mount namespace (${ns[*]}); run as root or allow user namespaces" >&2; exit 2; }
fi

# Serialise concurrent validate.sh runs (e.g. parallel test workers): each
# validation binds the awsxray receiver's UDP port while building pipelines.
if command -v flock >/dev/null 2>&1; then
  lock_dir="${CDK_XRAY_TOOLS_DIR:-$HOME/.cache/cdk-xray-constructs}"
  mkdir -p "$lock_dir"
  exec 8>"$lock_dir/.validate.lock"
  flock 8
fi

failed=0
for f in "${files[@]}"; do
  abs="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
  set +e
  if [[ "$VIA_ENV" == 1 ]]; then
    out="$(AOT_CONFIG_CONTENT="$(cat "$abs")" "${pod_cmd[@]}" "${timeout_cmd[@]}" "$BIN" validate --config=env:AOT_CONFIG_CONTENT 2>&1)"
  else
    out="$("${pod_cmd[@]}" "${timeout_cmd[@]}" "$BIN" validate --config="file:$abs" 2>&1)"
  fi
  rc=$?
  set -e
  suffix=""
  [[ "$VIA_ENV" == 1 ]] && suffix=" [via env:AOT_CONFIG_CONTENT]"
  if [[ $rc -eq 0 ]]; then
    echo "valid: $f$suffix"
  else
    failed=1
    echo "INVALID: $f$suffix"
    [[ $rc -eq 124 ]] && out="${out}"$'\n'"(timed out after ${OTELCOL_VALIDATE_TIMEOUT:-120}s)"
    [[ "$out" == *"address already in use"* ]] && \
      out="${out}"$'\n'"(hint: validate builds the pipelines, which binds the awsxray receiver's UDP port; free the port or validate elsewhere)"
    printf '%s\n' "$out" | sed 's/^/    /'
  fi
done

exit "$failed"
