#!/usr/bin/env bash
# Kept for its interface: `scripts/bench-up.sh [N] [RUNS]` is the `up` section of the
# benchmark kit (benches/run.sh, described in BENCHMARKS.md) — `up` of N migrations (default
# 1000) against psql running the same SQL, and `up --single-transaction` against `psql -1`,
# RUNS runs each (default 5), on a scratch cluster of its own; medians and ratios printed.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}" RUNS="${2:-5}" exec benches/run.sh up
