#!/usr/bin/env bash
# Runs every test: Rust unit/snapshot/CLI tests, the wasm build check, and the checks of
# generated files with the real tools (shellcheck, HashiCorp's HCL parser + the google provider
# schema, the official Monitoring dashboard types). Installs what it needs on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never
# insta: never write snapshots here; a mismatch fails.
export CI=true
# Tests that drive external tools fail (rather than skip) when a tool is missing.
export MULTIRUN_REQUIRE_TOOLS=1
# The Google Cloud CLI can't be installed from the registries CI reaches; where the machine has
# it, the deploy-script tests replay every generated command through it, and must succeed.
if command -v gcloud >/dev/null; then export MULTIRUN_REQUIRE_GCLOUD=1; fi

# step TITLE: starts a step, after printing how long the previous one took (CI's time budget is
# 40 minutes on 2 cores; these figures say where it goes).
start=$(date +%s)
step_start=$start
step_title=
# CPU seconds (user + system) of the processes this script has waited for; a step's share says
# what it costs on a busy machine, where its wall time says little.
children_cpu() {
  # Fields 16 and 17 of /proc/PID/stat (cutime, cstime), in clock ticks; the command name in
  # field 2 has no spaces here (bash).
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($16 + $17) / hz }' "/proc/$$/stat"
}
step_cpu=0
step() {
  local now cpu
  now=$(date +%s)
  cpu=$(children_cpu)
  [ -z "$step_title" ] ||
    printf '<== %s: %ss (cpu %ss)\n' "$step_title" "$((now - step_start))" "$((cpu - step_cpu))"
  step_start=$now
  step_cpu=$cpu
  step_title=$*
  printf '\n==> %s\n' "$*"
}

step "setup"
bash tests/setup.sh

step "format, lints, unused dependencies"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -q -- -D warnings
cargo machete

step "cargo test (workspace)"
# The golden render cases and the property run also write what they render here, for the
# real-tool checks below (so neither runs twice). The editor test drives both Neovims: Debian's
# 0.7 and PyPI's 0.11 (vim.lsp.config).
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
MULTIRUN_RENDER_DUMP="$rendered" MULTIRUN_NVIM="nvim:$root/.venv/bin/nvim" \
  cargo test --workspace --locked
# The CLI that run built. Later steps use it as it is: a `cargo run` or `cargo build` of the
# root package alone resolves the crates' features differently (no xtask, no dev-dependencies)
# and would compile the CLI and much of its tree again.
export MULTIRUN_BIN=$root/target/debug/multirun

step "the fake cloud's own tests (tests/fakecloud, used by the day-two scenarios; the deploy.sh ones need the CLI above)"
python3 tests/fakecloud/test_fakecloud.py

step "generated files against the real tools"
# The bundled examples too (errors.yaml is meant to fail validation).
for example in examples/*.yaml; do
  [ "$example" = examples/errors.yaml ] && continue
  "$MULTIRUN_BIN" render "$example" --out "$rendered/example-$(basename "$example" .yaml)" >/dev/null 2>&1
done
for check in tests/external/check-*; do
  check_start=$(date +%s)
  case "$check" in
    *.mjs) node "$check" --self-test && node "$check" "$rendered"/* ;;
    *check-monitoring.py) .venv/bin/python "$check" --self-test && .venv/bin/python "$check" "$rendered"/* ;;
    *.py) .venv/bin/python "$check" --self-test && .venv/bin/python "$check" "$rendered"/*/dashboard.json ;;
    *.sh) bash "$check" "$rendered"/* ;;
  esac || check_status=$?
  printf '    (%s: %ss)\n' "$(basename "$check")" "$(($(date +%s) - check_start))"
  # A failed self-test fails the run too (an `a && b` list alone would not stop `set -e`).
  [ "${check_status:-0}" -eq 0 ] || exit "$check_status"
done

step "playground: wasm parity with the CLI, end to end in headless chromium, budgets"
bash web/test.sh

step "pre-commit hooks with the real pre-commit (language: rust), and the README's CI jobs"
bash tests/external/precommit.sh

step "benchmarks (figures only, no timing assertions)"
bash bench/run.sh --quick
# With the release CLI the benches built (a build of the root package alone would compile the
# LTO tree once more, for the same code).
MULTIRUN=$root/target/release/multirun bash bench/validate-batch.sh

step "done"
printf '\nall tests passed in %ss\n' "$(( $(date +%s) - start ))"
