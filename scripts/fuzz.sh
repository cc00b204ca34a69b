#!/usr/bin/env bash
# Runs each fuzz target (or the TARGETs given) for SECONDS (default 600) with cargo-fuzz (nightly toolchain,
# `cargo install cargo-fuzz`), two at a time, keeping the corpus in fuzz/corpus/<target>
# (replayed by `cargo test --test properties`). A crash stops that target and leaves its
# input in fuzz/artifacts/<target>/: turn it into a regular test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("${@:-split conninfo file_name pgpass}")
# shellcheck disable=SC2206
TARGETS=(${TARGETS[*]})
run() {
  mkdir -p "corpus/$1"
  cargo +nightly fuzz run "$1" "corpus/$1" -- -max_total_time="$SECONDS_EACH" -max_len=4096 2>&1 |
    grep -E '^(Done|#[0-9]+ +DONE)|stat::number_of_executed_units|SUMMARY|panicked' | sed "s/^/[$1] /"
}
cargo +nightly fuzz build >/dev/null
# Two at a time: the machine has two cores.
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
  run "${TARGETS[i]}" &
  if [ $((i + 1)) -lt ${#TARGETS[@]} ]; then run "${TARGETS[i + 1]}" & fi
  wait
done
