#!/usr/bin/env bash
# The real pre-commit (pinned in tests/requirements.txt, installed in .venv by tests/setup.sh)
# runs this repository's hooks, as a user gets them: a temporary git repo whose
# .pre-commit-config.yaml is the one in the README section "Use as a pre-commit hook", pointed
# at a snapshot of this checkout. pre-commit builds the hook with `cargo install --path .`
# (language: rust) once; then every step is a real `git commit` through the installed hook:
#   1. a bad spec blocks the commit, its diagnostics shown as file:line:column;
#   2. a good spec passes validation, and its missing generated files block the commit, with a diff;
#   3. with --fix the hook writes them (and fails); once added, the commit passes;
#   4. an edited spec whose generated files are stale blocks the commit, with a diff;
#   5. after re-rendering, the commit passes;
#   6. a region taken out of the spec: its files block the commit, shown as deletions; --fix
#      deletes them, and once that is added the commit passes;
#   7. `pre-commit run --all-files` (what CI runs) catches a hand-edited generated file;
#   8. the README's GitHub Actions and GitLab CI jobs pass, then fail on a bad spec, with their
#      annotations and reports (tests/external/ci_jobs.py).
#
# Why a snapshot: `pre-commit try-repo` and `repo:` entries read commits, and try-repo leaves out
# untracked files; the snapshot commits the work tree as it is (tracked and untracked files,
# less .gitignore'd ones), so this tests the same thing in a clean CI checkout and mid-change.
#
# CARGO_TARGET_DIR: by default the hook build shares this checkout's target/ directory, so a
# second run compiles only multirun's own crates, and it builds without LTO (below). Set
# MULTIRUN_HOOK_TARGET_DIR=fresh to build as a user's machine does, from nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pre_commit=${PRE_COMMIT:-$root/.venv/bin/pre-commit}
if [ ! -x "$pre_commit" ]; then
  echo "error: $pre_commit not found; run tests/setup.sh (it installs tests/requirements.txt)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# MULTIRUN_PRECOMMIT_CACHE=DIR keeps the snapshot and pre-commit's store there between runs:
# an unchanged work tree gives the same snapshot commit, so the hook is not built again; with
# MULTIRUN_PRECOMMIT_SNAPSHOT=keep as well, the snapshot is not even refreshed (for working on
# this script, whose own changes would otherwise change the snapshot).
cache=${MULTIRUN_PRECOMMIT_CACHE:-$work}
mkdir -p "$cache"
export PRE_COMMIT_HOME=$cache/pre-commit-home PRE_COMMIT_COLOR=never NO_COLOR=1
# A git identity and settings of its own, whatever the machine's.
cat >"$work/gitconfig" <<'CONF'
[user]
	name = multirun test
	email = test@example.com
[init]
	defaultBranch = main
[commit]
	gpgsign = false
[advice]
	detachedHead = false
CONF
export GIT_CONFIG_GLOBAL=$work/gitconfig GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
case "${MULTIRUN_HOOK_TARGET_DIR:-shared}" in
  # Also without the release profile's fat LTO and single codegen unit: pre-commit runs
  # `cargo install`, which builds with that profile, and on CI's 2 cores it costs minutes while
  # changing nothing the hook does. (`fresh` builds exactly as a user's machine does.)
  shared)
    export CARGO_TARGET_DIR=$root/target
    export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
    ;;
  fresh) unset CARGO_TARGET_DIR ;;
  *) export CARGO_TARGET_DIR=$MULTIRUN_HOOK_TARGET_DIR ;;
esac

passed=0
step() { printf '\n--- %s\n' "$*"; }
ok() { passed=$((passed + 1)); echo "ok $passed - $*"; }
fail() {
  echo "FAIL: $*" >&2
  echo "---- output ----" >&2
  cat "$work/out" >&2
  echo "$passed passed, 1 failed"
  exit 1
}
# expect_commit pass|fail MESSAGE: a `git commit` through the installed pre-commit hook.
expect_commit() {
  local status=0
  git commit -q -m "$2" >"$work/out" 2>&1 || status=$?
  case "$1" in
    pass) [ "$status" -eq 0 ] || fail "commit \"$2\" was blocked" ;;
    fail) [ "$status" -ne 0 ] || fail "commit \"$2\" went through" ;;
  esac
}
# shows TEXT...: the last output has each text (fixed strings).
shows() {
  local text
  for text in "$@"; do
    grep -qF -- "$text" "$work/out" || fail "output lacks: $text"
  done
}
lacks() { ! grep -qF -- "$1" "$work/out" || fail "output has: $1"; }
# excerpt N: the first N lines of the last output, for the log.
excerpt() { head -n "$1" "$work/out" | sed 's/^/  | /'; }

# --- The hook repository: a commit of this work tree ----------------------------------------
step "snapshot of $root"
hook_repo=$cache/multirun
if [ "${MULTIRUN_PRECOMMIT_SNAPSHOT:-}" = keep ] && [ -d "$hook_repo/.git" ]; then
  echo "reusing the snapshot in $hook_repo (MULTIRUN_PRECOMMIT_SNAPSHOT=keep)"
else
  rm -rf "$hook_repo"
  mkdir -p "$hook_repo"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' f; do [ -e "$root/$f" ] && printf '%s\0' "$f"; done |
    tar -C "$root" --null -T - -cf - | tar -C "$hook_repo" -xf -
  git -C "$hook_repo" init -q
  git -C "$hook_repo" add -A
  GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z git -C "$hook_repo" commit -q -m snapshot
fi
rev=$(git -C "$hook_repo" rev-parse HEAD)
[ -f "$hook_repo/.pre-commit-hooks.yaml" ] || fail "no .pre-commit-hooks.yaml at the repository root"
echo "$(git -C "$hook_repo" ls-files | wc -l) files at $rev"

# --- The README's configuration ----------------------------------------------------------------
doc=
for candidate in "$root/README.md"; do
  if [ -f "$candidate" ] && grep -qE '^#+ Use as a pre-commit hook' "$candidate"; then doc=$candidate; break; fi
done
[ -n "$doc" ] || fail "no section \"Use as a pre-commit hook\" in README.md"
# snippet N: the Nth ```yaml block of that section, pointed at the snapshot.
snippet() {
  awk -v n="$1" '
    match($0, /^#+ /) && in_section && RLENGTH - 1 <= level { exit }
    match($0, /^#+ Use as a pre-commit hook/) { in_section = 1; match($0, /^#+/); level = RLENGTH; next }
    in_section && /^```yaml/ { if (++count == n) { grab = 1; next } }
    grab && /^```/ { exit }
    grab { print }
  ' "$doc" | sed -e "s|repo: https://github.com/multirun/multirun\$|repo: $hook_repo|" -e "s|rev: v[0-9].*|rev: $rev|"
}
snippet 1 >"$work/config-check.yaml"
snippet 2 >"$work/config-fix.yaml"
for config in config-check config-fix; do
  if ! grep -q "repo: $hook_repo\$" "$work/$config.yaml" || ! grep -q "rev: $rev\$" "$work/$config.yaml"; then
    cp "$work/$config.yaml" "$work/out"
    fail "$config: the README's config must use repo: https://github.com/multirun/multirun and rev: vX.Y.Z"
  fi
done
grep -q -- '--fix' "$work/config-fix.yaml" || { cp "$work/config-fix.yaml" "$work/out"; fail "the README's second config must add --fix"; }
echo "configuration from ${doc#"$root"/}:"
sed 's/^/  | /' "$work/config-check.yaml"

project=$work/project
mkdir -p "$project"
cd "$project"
git init -q
cp "$work/config-check.yaml" .pre-commit-config.yaml
echo "# project" >README.md
git add -A
git commit -q -m "initial, before the hook" --no-verify

step "pre-commit install; install-hooks (cargo install --path . in the hook repository)"
"$pre_commit" install >"$work/out" 2>&1 || fail "pre-commit install"
start=$(date +%s)
"$pre_commit" install-hooks >"$work/out" 2>&1 || fail "pre-commit install-hooks"
install_seconds=$(($(date +%s) - start))
multirun=$(find "$PRE_COMMIT_HOME" -path '*/rustenv-*/bin/multirun' -type f | head -1)
[ -x "$multirun" ] || fail "no multirun binary in the hook environment"
ok "hook environment built in ${install_seconds}s (CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-default})"

step "1. a bad spec blocks the commit"
mkdir -p deploy
cp "$root/tests/fixtures/rules/MR103-weights-sum/invalid.yaml" deploy/multirun.yaml
git add -A
expect_commit fail "bad spec"
shows "multirun validate" "Failed" "deploy/multirun.yaml:13:13" "error[MR103]: region weights sum to 90, 10 short of 100"
excerpt 20
ok "blocked, with deploy/multirun.yaml:13:13 error[MR103]"

step "2. a good spec passes validation; its missing generated files block the commit"
cp "$root/examples/nearest.yaml" deploy/multirun.yaml
git add -A
expect_commit fail "good spec, nothing rendered"
grep -qE '^multirun validate\.+Passed$' "$work/out" || fail "multirun validate did not pass"
grep -qE '^multirun render --check\.+Failed$' "$work/out" || fail "multirun render --check did not fail"
shows "--- /dev/null" "+++ b/deploy/generated/multirun/deploy.sh" "+++ b/deploy/generated/multirun/terraform/main.tf" \
  "deploy/multirun.yaml: " "generated file(s) in deploy/generated/multirun are out of date"
[ ! -e deploy/generated ] || fail "render --check wrote files"
ok "validate passed; render --check blocked with a diff of the files to generate"

step "3. with --fix the hook writes the files and fails; once added, the commit passes"
cp "$work/config-fix.yaml" .pre-commit-config.yaml
git add -A
expect_commit fail "render with --fix"
# shellcheck disable=SC2016 # backquotes, as printed
shows 'stale generated file(s) in deploy/generated/multirun; review and `git add` them'
[ -x deploy/generated/multirun/deploy.sh ] || fail "--fix did not write an executable deploy.sh"
git add -A
expect_commit pass "good spec and its generated files"
grep -qE '^multirun validate\.+Passed$' "$work/out" || fail "multirun validate did not pass"
grep -qE '^multirun render --check\.+Passed$' "$work/out" || fail "multirun render --check did not pass"
[ -z "$(git status --porcelain)" ] || fail "uncommitted changes left: $(git status --porcelain)"
ok "--fix wrote $(find deploy/generated -type f | wc -l) files; the commit with them passed"

step "4. a spec edited without re-rendering blocks the commit, with a diff"
cp "$work/config-check.yaml" .pre-commit-config.yaml
sed -i 's/maxInstances: 100/maxInstances: 40/' deploy/multirun.yaml
git add -A
expect_commit fail "raise nothing, lower maxInstances"
shows "--- a/deploy/generated/multirun/terraform/main.tf" "+++ b/deploy/generated/multirun/terraform/main.tf" \
  "-      max_instances = 100" "+      max_instances = 40" \
  "run \`multirun render deploy/multirun.yaml --out deploy/generated/multirun\`"
lacks "rewrote"
git diff --quiet || fail "render --check changed files"
excerpt 16
ok "blocked, with a unified diff of the stale files"

step "5. after re-rendering, the commit passes"
"$multirun" render deploy/multirun.yaml --out deploy/generated/multirun >"$work/out" 2>&1 || fail "multirun render"
git add -A
expect_commit pass "lower maxInstances, re-rendered"
grep -qE '^multirun render --check\.+Passed$' "$work/out" || fail "multirun render --check did not pass"
echo "more" >>README.md
git add -A
expect_commit pass "no spec staged"
grep -qE '^multirun validate\.+\(no files to check\)Skipped$' "$work/out" || fail "hooks ran without a spec staged"
ok "re-rendered and committed; commits without a spec skip the hooks"

step "6. a region taken out: its files block the commit as deletions; --fix deletes them"
asia=deploy/generated/multirun/gcloud/run-service-asia-east1.yaml
[ -f "$asia" ] || fail "no $asia to start with"
sed -i '/- name: asia-east1/,/LOG_LEVEL: debug/d' deploy/multirun.yaml
! grep -q asia-east1 deploy/multirun.yaml || fail "the spec still has asia-east1"
git add -A
expect_commit fail "drop asia-east1, not re-rendered"
shows "--- a/$asia" "+++ /dev/null" "are no longer generated; run \`multirun render deploy/multirun.yaml --out deploy/generated/multirun\`"
[ -f "$asia" ] || fail "render --check deleted a file"
cp "$work/config-fix.yaml" .pre-commit-config.yaml
git add -A
expect_commit fail "drop asia-east1, with --fix"
# The region's service and its two alert policies (target `monitoring`).
asia_errors=deploy/generated/multirun/monitoring/alert-policy-errors-asia-east1.json
shows "removed $asia: no longer generated" "removed $asia_errors: no longer generated" "removed 3 no longer generated"
[ ! -e "$asia" ] || fail "--fix left $asia"
[ ! -e "$asia_errors" ] || fail "--fix left $asia_errors"
cp "$work/config-check.yaml" .pre-commit-config.yaml
git add --all
expect_commit pass "drop asia-east1, re-rendered"
grep -qE '^multirun render --check\.+Passed$' "$work/out" || fail "multirun render --check did not pass"
[ -z "$(git status --porcelain)" ] || fail "uncommitted changes left: $(git status --porcelain)"
git ls-files --error-unmatch "$asia" >/dev/null 2>&1 && fail "$asia is still committed"
ok "blocked with a deletion diff; --fix deleted the file, and the commit without it passed"

step "7. pre-commit run --all-files (as in CI) catches a hand-edited generated file"
echo "# edited by hand" >>deploy/generated/multirun/cloudbuild.yaml
git commit -qam "hand edit" --no-verify
status=0
"$pre_commit" run --all-files >"$work/out" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "pre-commit run --all-files passed"
shows "--- a/deploy/generated/multirun/cloudbuild.yaml" "-# edited by hand"
ok "--all-files found the edit"

step "8. the README's GitHub Actions and GitLab CI jobs, run here"
"$multirun" render deploy/multirun.yaml --out deploy/generated/multirun >/dev/null 2>&1
mkdir -p svc
cp "$root/examples/weighted.yaml" svc/api.multirun.yaml
"$multirun" render svc/api.multirun.yaml --out svc/generated/api >/dev/null 2>&1
git add -A
status=0
PATH="$(dirname "$multirun"):$PATH" MULTIRUN_BAD_SPEC="$root/tests/fixtures/rules/MR103-weights-sum/invalid.yaml" \
  "$root/.venv/bin/python" "$root/tests/external/ci_jobs.py" "$doc" >"$work/out" 2>&1 || status=$?
sed 's/^/  | /' "$work/out"
[ "$status" -eq 0 ] || fail "the CI jobs"
ok "the CI jobs pass on clean specs and fail on an error, with annotations, SARIF and a code quality report"

echo
echo "pre-commit $("$pre_commit" --version | cut -d' ' -f2), hook build ${install_seconds}s"
echo "$passed passed, 0 failed"
