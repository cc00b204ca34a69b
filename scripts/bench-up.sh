#!/usr/bin/env bash
# Benchmark: wall time of `ferry up` for N small DDL migrations (default 1000) against the
# same SQL run by psql in one session, one transaction per migration with its version
# update; and `ferry up --single-transaction` against `psql -1`. Each measurement runs
# RUNS times (default 5) on a fresh database; medians and ratios are printed.
#   scripts/bench-up.sh [N] [RUNS]
# Uses TEST_DATABASE_URL's server when set, else a scratch cluster of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}"
RUNS="${2:-5}"

cargo build --release --quiet
FERRY="$PWD/target/release/ferry"
WORK=$(mktemp -d)
chmod 755 "$WORK"

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  if [ -n "${STARTED:-}" ]; then as_pg "$(find_bin pg_ctl)" -D "$WORK/data" stop -m immediate >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  BASE="${TEST_DATABASE_URL%/*}"
else
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/data"
  [ "$(id -u)" = 0 ] && chown postgres: "$WORK/data"
  as_pg "$(find_bin initdb)" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  as_pg "$(find_bin pg_ctl)" -D "$WORK/data" -l "$WORK/data/log" -w \
    -o "-p $PORT -k $WORK/data -c listen_addresses=127.0.0.1" start >/dev/null
  STARTED=1
  BASE="postgres://postgres@127.0.0.1:$PORT"
fi

# The corpus: N small DDL migrations, the shape of a real schema's history.
mkdir -p "$WORK/migrations"
for i in $(seq 1 "$N"); do
  printf 'CREATE TABLE t_%d (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX t_%d_name ON t_%d (name);\n' \
    "$i" "$i" "$i" >"$WORK/migrations/$(printf '%06d' "$i")_create_t_$i.up.sql"
done

# The psql baselines: the same files, each with its version update.
{
  echo 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);'
  for i in $(seq 1 "$N"); do
    echo 'BEGIN;'
    cat "$WORK/migrations/$(printf '%06d' "$i")_create_t_$i.up.sql"
    echo "TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES ($i, false);"
    echo 'COMMIT;'
  done
} >"$WORK/per_migration.sql"
{
  echo 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);'
  for i in $(seq 1 "$N"); do
    cat "$WORK/migrations/$(printf '%06d' "$i")_create_t_$i.up.sql"
    echo "TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES ($i, false);"
  done
} >"$WORK/single.sql"

psql_admin() { psql -X -q -d "$BASE/postgres" "$@"; }
fresh() { psql_admin -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"; }
now_ms() { date +%s%N | awk '{printf "%.1f", $1 / 1000000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # name, command...
  local name=$1; shift
  : >"$WORK/$name.times"
  for _ in $(seq 1 "$RUNS"); do
    fresh
    local t0 t1
    t0=$(now_ms)
    "$@" >/dev/null
    t1=$(now_ms)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", b - a}' >>"$WORK/$name.times"
  done
  median <"$WORK/$name.times"
}

cd "$WORK"
export NO_COLOR=1
ferry_up=$(measure ferry_up "$FERRY" up --quiet --no-env-file --database-url "$BASE/bench")
psql_each=$(measure psql_each psql -X -q -v ON_ERROR_STOP=1 -d "$BASE/bench" -f per_migration.sql)
ferry_single=$(measure ferry_single "$FERRY" up --single-transaction --quiet --no-env-file --database-url "$BASE/bench")
psql_single=$(measure psql_single psql -X -q -1 -v ON_ERROR_STOP=1 -d "$BASE/bench" -f single.sql)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
printf '\n%s migrations, median of %s runs (ms)\n' "$N" "$RUNS"
printf '%-46s %10s\n' "what" "median ms"
printf '%-46s %10s\n' "ferry up (transaction per migration)" "$ferry_up"
printf '%-46s %10s\n' "psql, transaction per migration + version" "$psql_each"
printf '%-46s %10s\n' "ferry up --single-transaction" "$ferry_single"
printf '%-46s %10s\n' "psql -1" "$psql_single"
printf 'ratio up / psql:                         %s\n' "$(ratio "$ferry_up" "$psql_each")"
printf 'ratio up --single-transaction / psql -1: %s\n' "$(ratio "$ferry_single" "$psql_single")"
