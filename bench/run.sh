#!/usr/bin/env bash
# Benchmarks that print their figures (no timing assertions): the core's criterion benches
# (validate and render, 3 regions and every catalog region) and whole-process comparisons with
# check-jsonschema. Usage: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt

cargo build --release --locked -q

echo "==> core (criterion)"
if [ "$quick" = "--quick" ]; then
  cargo bench -q -p multirun-core --bench core --locked -- --warm-up-time 1 --measurement-time 2 2>&1 | grep -E "^[a-z].*time:|^\S+/\S+\s*$|time:" || true
else
  cargo bench -q -p multirun-core --bench core --locked 2>&1 | grep -E "time:|^[a-z]+/" || true
fi

echo "==> language server (didChange -> publishDiagnostics, memory over 10,000 changes)"
cargo bench -q --bench server --locked -- ${quick:+"$quick"}

echo "==> whole process vs check-jsonschema"
.venv/bin/python bench/peers.py --runs "$([ "$quick" = "--quick" ] && echo 3 || echo 7)"
