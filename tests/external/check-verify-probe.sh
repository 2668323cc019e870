#!/usr/bin/env bash
# Runs the Cloud Deploy verify probe of each rendered clouddeploy/skaffold.yaml (the `verify`
# container's `sh -c` script) against a fake curl: shellcheck as POSIX sh, then
#   - in a canary phase it requests the health path through the `canary---` tag URLs;
#   - in `stable` through the plain service URLs;
#   - one answer from any URL passes, none fails, an empty CLOUD_RUN_SERVICE_URLS fails.
# A skaffold.yaml without a `verify` list is skipped (the pipeline then says `verify: false`).
#
# Usage: bash tests/external/check-verify-probe.sh DIR...
# Exit status: 0 when every probe behaves, 1 when one does not, 2 when a tool is missing.
set -uo pipefail

command -v shellcheck >/dev/null || { echo "check-verify-probe: shellcheck is not installed" >&2; exit 2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/bin"
# The fake curl logs the URL (its last argument) and succeeds only for URLs containing $FAKE_OK.
cat >"$scratch/bin/curl" <<'EOF'
#!/bin/sh
for arg; do url="$arg"; done
echo "$url" >>"$CURL_LOG"
case "$url" in *"$FAKE_OK"*) exit 0 ;; esac
exit 22
EOF
chmod +x "$scratch/bin/curl"

urls='https://svc-123456.europe-west1.run.app,https://svc-abcdef-ew.a.run.app'
status=0
checked=0
fail() {
  echo "check-verify-probe: $1: $2" >&2
  status=1
}
# probe SCRIPT PHASE URLS OK: runs SCRIPT; prints its exit status, leaves the URLs in $CURL_LOG.
probe() {
  : >"$CURL_LOG"
  PATH="$scratch/bin:$PATH" CLOUD_DEPLOY_PHASE="$2" CLOUD_RUN_SERVICE_URLS="$3" FAKE_OK="$4" \
    sh "$1" >/dev/null 2>&1
  echo $?
}
export CURL_LOG="$scratch/curl.log"

for dir in "$@"; do
  skaffold="$dir/clouddeploy/skaffold.yaml"
  if [ ! -f "$skaffold" ] || ! grep -q '^verify:' "$skaffold"; then
    continue
  fi
  checked=$((checked + 1))
  script="$scratch/probe.sh"
  # The script is the literal block after `- |`, the last thing in the file, indented 6 spaces.
  awk 'found { sub(/^      /, ""); print } /^    - \|$/ { found = 1 }' "$skaffold" >"$script"
  path=$(sed -n 's/^path=//p' "$script" | tr -d "'")
  [ -n "$path" ] || { fail "$skaffold" "no path= line in the probe"; continue; }
  shellcheck --norc -s sh "$script" >&2 || fail "$skaffold" "shellcheck"

  [ "$(probe "$script" canary-10 "$urls" canary---svc-abcdef)" = 0 ] || fail "$skaffold" "canary: a tag URL answered, yet it failed"
  grep -qx "https://canary---svc-123456.europe-west1.run.app$path" "$CURL_LOG" ||
    fail "$skaffold" "canary: the tag URL was not requested: $(tr '\n' ' ' <"$CURL_LOG")"
  [ "$(probe "$script" stable "$urls" svc-123456)" = 0 ] || fail "$skaffold" "stable: the service URL answered, yet it failed"
  [ "$(cat "$CURL_LOG")" = "https://svc-123456.europe-west1.run.app$path" ] ||
    fail "$skaffold" "stable: expected only the plain URL: $(tr '\n' ' ' <"$CURL_LOG")"
  [ "$(probe "$script" canary-50 "$urls" nothing-answers)" = 1 ] || fail "$skaffold" "no answer, yet it passed"
  [ "$(wc -l <"$CURL_LOG")" -eq 2 ] || fail "$skaffold" "no answer: not every URL was tried"
  [ "$(probe "$script" stable '' svc)" = 1 ] || fail "$skaffold" "no CLOUD_RUN_SERVICE_URLS, yet it passed"
done
echo "check-verify-probe: $checked verify probes checked in $# dirs"
exit "$status"
