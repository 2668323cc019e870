#!/usr/bin/env bash
# Throughput of `multirun validate` on one call with many specs, as pre-commit makes it.
# A benchmark, not a test: it prints specs/s and fails only if multirun itself fails.
#
#   bash bench/validate-batch.sh            # 1,000 specs per call, 5 runs per format
#   SPECS=5000 RUNS=3 bash bench/validate-batch.sh
#   MULTIRUN=path/to/multirun bash bench/validate-batch.sh   # skip the release build
#
# The goal is at least 5,000 specs/s on a 2-core machine, with a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
specs=${SPECS:-1000}
runs=${RUNS:-5}
if [ -z "${MULTIRUN:-}" ]; then
  cargo build --release --locked --quiet --bin multirun
  MULTIRUN=$PWD/target/release/multirun
fi
case "$MULTIRUN" in */*) MULTIRUN=$(realpath "$MULTIRUN") ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A realistic mix: clean specs, specs with warnings, specs with many errors.
sources=(examples/nearest.yaml examples/weighted.yaml examples/errors.yaml tests/fixtures/rules/MR103-weights-sum/invalid.yaml)
for f in tests/fixtures/render/*/spec.yaml; do [ -f "$f" ] && sources+=("$f"); done
files=()
for ((i = 0; i < specs; i++)); do
  name=$(printf 'spec-%05d.multirun.yaml' "$i")
  cp "${sources[$((i % ${#sources[@]}))]}" "$work/$name"
  files+=("$name")
done
bytes=$(cat "$work"/*.yaml | wc -c)
printf 'multirun validate: %d specs (%d KiB, %d distinct) per call, %d runs, %s cores\n' \
  "$specs" "$((bytes / 1024))" "${#sources[@]}" "$runs" "$(nproc)"

cd "$work"
for format in human concise json; do
  times=()
  for ((r = 0; r < runs; r++)); do
    start=$(date +%s%N)
    status=0
    "$MULTIRUN" validate --color never --format "$format" "${files[@]}" >/dev/null || status=$?
    end=$(date +%s%N)
    # 1 means findings (expected: the mix has errors); 2 is a failure of the tool.
    if [ "$status" -gt 1 ]; then echo "multirun failed (exit $status)" >&2; exit 1; fi
    times+=($((end - start)))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  awk -v n="$specs" -v m="$median" -v b="$best" -v f="$format" 'BEGIN {
    printf "  --format %-8s median %7.1f ms  %8.0f specs/s   (best %7.1f ms, %8.0f specs/s)\n", f, m / 1e6, n / (m / 1e9), b / 1e6, n / (b / 1e9)
  }'
done
