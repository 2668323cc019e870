#!/usr/bin/env python3
"""Whole-process wall time of `multirun validate` against check-jsonschema (validating the same
files against multirun's own JSON Schema), on one spec and on 1,000 specs, side by side in one
run. Prints medians and ratios.

Usage: bench/peers.py [--runs N]   (needs target/release/multirun and .venv with check-jsonschema)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MULTIRUN = os.path.join(ROOT, "target", "release", "multirun")
CHECK_JSONSCHEMA = os.path.join(ROOT, ".venv", "bin", "check-jsonschema")
SCHEMA = os.path.join(ROOT, "schemas", "multirun.schema.json")
SPEC = os.path.join(ROOT, "examples", "weighted.yaml")


def median_seconds(cmd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed with exit code {done.returncode}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for tool in (MULTIRUN, CHECK_JSONSCHEMA):
        if not os.access(tool, os.X_OK):
            sys.exit(f"missing {tool}: build with `cargo build --release` and run tests/setup.sh")
    with tempfile.TemporaryDirectory() as tmp:
        many = []
        for i in range(1000):
            path = os.path.join(tmp, f"spec-{i:04}.yaml")
            shutil.copyfile(SPEC, path)
            many.append(path)
        rows = []
        for label, files in (("1 spec", [SPEC]), ("1,000 specs", many)):
            ours = median_seconds([MULTIRUN, "validate", "--format", "concise", *files], args.runs)
            theirs = median_seconds([CHECK_JSONSCHEMA, "--schemafile", SCHEMA, *files], max(1, args.runs // 2))
            rows.append((label, ours, theirs))
    print(f"{'input':<12} {'multirun':>10} {'check-jsonschema':>18} {'ratio':>8}")
    for label, ours, theirs in rows:
        print(f"{label:<12} {ours * 1000:>8.1f}ms {theirs * 1000:>16.1f}ms {theirs / ours:>7.1f}x")
    print(f"(median of {args.runs} runs each, whole process, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
