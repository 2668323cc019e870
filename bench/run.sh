#!/usr/bin/env bash
# Benchmarks that print their figures (no timing assertions): the core's criterion benches
# (validate and render, 3 regions and every catalog region) and whole-process comparisons with
# check-jsonschema. Usage: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt

# Both benches from one build: selecting their packages apart (`cargo bench -p multirun-core`,
# then the root package) resolves the crates' features apart, and each selection would compile
# the whole tree again under the release profile's LTO. The same build leaves the release CLI in
# target/release/multirun (the server bench drives it), which the whole-process comparison runs.
bench_exe() {
  printf '%s\n' "$built" | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])
' "$1"
}
built=$(cargo bench --workspace --bench core --bench server --locked --no-run -q --message-format=json)
core_bench=$(bench_exe core)
server_bench=$(bench_exe server)

echo "==> core (criterion)"
# Criterion keeps its history under the target dir, which it asks cargo for only when run by
# cargo.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
if [ "$quick" = "--quick" ]; then
  (cd crates/multirun-core && "$core_bench" --bench --warm-up-time 1 --measurement-time 2 2>&1) | grep -E "^[a-z].*time:|^\S+/\S+\s*$|time:" || true
else
  (cd crates/multirun-core && "$core_bench" --bench 2>&1) | grep -E "time:|^[a-z]+/" || true
fi

echo "==> language server (didChange -> publishDiagnostics, memory over 10,000 changes)"
"$server_bench" --bench ${quick:+"$quick"}

echo "==> whole process vs check-jsonschema"
.venv/bin/python bench/peers.py --runs "$([ "$quick" = "--quick" ] && echo 3 || echo 7)"
