#!/usr/bin/env bash
# Checks generated shell scripts with the real tools: `bash -n` (syntax) and shellcheck (no
# findings at all) on every `*.sh` under each rendered output DIR (deploy.sh, teardown.sh,
# rollout.sh, monitoring/apply.sh, clouddeploy/setup.sh). This is the one place CI lints the
# scripts: tests/run.sh points it at every render case, the property run's specs and the
# bundled examples.
#
# Scripts with the same bytes are checked once (the property run's specs share many), and the
# checks run on every core: shellcheck is the slowest real-tool check.
#
# Usage: bash tests/external/check-shell.sh DIR...
# Exit status: 0 when every script passes, 1 when any fails, 2 when a tool is missing.
set -uo pipefail

for tool in bash shellcheck sha256sum; do
  command -v "$tool" >/dev/null || { echo "check-shell: $tool is not installed" >&2; exit 2; }
done

# check_one SCRIPT: prints nothing and succeeds when SCRIPT passes both tools.
check_one() {
  local findings status=0
  if ! bash -n "$1"; then
    echo "check-shell: bash -n failed: $1" >&2
    status=1
  fi
  if ! findings=$(shellcheck --norc "$1") || [ -n "$findings" ]; then
    printf 'check-shell: shellcheck failed: %s\n%s\n' "$1" "$findings" >&2
    status=1
  fi
  return "$status"
}
export -f check_one

scripts=$(find "$@" -type f -name '*.sh' -print0 | xargs -0r sha256sum | sort -k1,1)
total=$(printf '%s' "$scripts" | grep -c . || true)
# One path per distinct content (the first in sorted order, so the choice is stable).
distinct=$(printf '%s\n' "$scripts" | awk 'NF && !seen[$1]++ { print $2 }')
checked=$(printf '%s' "$distinct" | grep -c . || true)
status=0
printf '%s\n' "$distinct" | grep . | xargs -r -d '\n' -P "$(nproc)" -n 1 bash -c 'check_one "$1"' _ ||
  status=1
echo "check-shell: $checked distinct scripts of $total checked in $# dirs"
exit "$status"
