#!/usr/bin/env bash
# Checks generated shell scripts with the real tools: `bash -n` (syntax) and shellcheck (no
# findings at all) on every `*.sh` directly in each rendered output DIR.
#
# Usage: bash tests/external/check-shell.sh DIR...
# Exit status: 0 when every script passes, 1 when any fails, 2 when a tool is missing.
set -uo pipefail

for tool in bash shellcheck; do
  command -v "$tool" >/dev/null || { echo "check-shell: $tool is not installed" >&2; exit 2; }
done

status=0
checked=0
for dir in "$@"; do
  for script in "$dir"/*.sh; do
    [ -e "$script" ] || continue
    checked=$((checked + 1))
    if ! bash -n "$script"; then
      echo "check-shell: bash -n failed: $script" >&2
      status=1
    fi
    if ! findings=$(shellcheck --norc "$script"); then
      echo "check-shell: shellcheck failed: $script" >&2
      status=1
    fi
    if [ -n "$findings" ]; then
      printf '%s\n' "$findings" >&2
      status=1
    fi
  done
done
echo "check-shell: $checked scripts checked in $# dirs"
exit "$status"
