#!/usr/bin/env bash
# Benchmark: throughput of the data chores on SIZE_MB (default 250) of faces-like rows.
#   ferry seed faces.csv          vs  psql -c "\copy faces (…) FROM 'faces.csv' (FORMAT csv, HEADER)"
#   ferry restore dump.sql        vs  psql -X -1 -v ON_ERROR_STOP=1 -f dump.sql
#   ferry restore dump.custom     vs  pg_restore -1 --exit-on-error -d … dump.custom
# Each measurement runs RUNS times (default 3) on a fresh database; medians, MB/s of the
# input file, ratios, and every program's peak RSS (from /usr/bin/time -v) are printed.
#   scripts/bench-chores.sh [SIZE_MB] [RUNS]
# Uses TEST_DATABASE_URL's server when set, else a scratch cluster of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-250}"
RUNS="${2:-3}"

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

if [ ! -x /usr/bin/time ]; then
  echo "peak memory needs GNU time: apt-get install time" >&2
  exit 1
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  BASE="${TEST_DATABASE_URL%/*}"
else
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/data"
  [ "$(id -u)" = 0 ] && chown postgres: "$WORK/data"
  as_pg "$(find_bin initdb)" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  as_pg "$(find_bin pg_ctl)" -D "$WORK/data" -l "$WORK/data/log" -w \
    -o "-p $PORT -k $WORK/data -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
  STARTED=1
  BASE="postgres://postgres@127.0.0.1:$PORT"
fi

cd "$WORK"
export NO_COLOR=1
psql_admin() { psql -X -q -d "$BASE/postgres" "$@"; }
recreate() { psql_admin -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
ferry_on() { local db=$1; shift; "$FERRY" --quiet --no-env-file --database-url "$BASE/$db" "$@"; }

# The schema: faces as the example migrations have them, with a 128-float embedding.
mkdir -p migrations seeds
cat >migrations/000001_faces.up.sql <<'SQL'
CREATE TABLE faces (
    id             bigint      PRIMARY KEY,
    tenant_id      bigint      NOT NULL,
    external_id    text        NOT NULL,
    embedding      real[]      NOT NULL,
    metadata       jsonb       NOT NULL,
    quality_score  real        NOT NULL,
    created_at     timestamptz NOT NULL
);
SQL
COLUMNS="id, tenant_id, external_id, embedding, metadata, quality_score, created_at"
ROW_SQL="SELECT g, g % 50, 'ext-' || g,
           ARRAY(SELECT round(random()::numeric, 6)::real FROM generate_series(1, 128) WHERE g > 0),
           jsonb_build_object('camera', 'cam-' || g % 17, 'note', 'enrolled, \"front\" desk', 'score', g % 100),
           round(random()::numeric, 4)::real, timestamptz '2025-01-01' + g * interval '1 second'"

# The data set: measure a sample's bytes per row, then generate SIZE_MB of it.
recreate gen
psql -X -q -d "$BASE/gen" -c "\\copy ($ROW_SQL FROM generate_series(1, 2000) AS g) TO 'sample.csv' WITH (FORMAT csv, HEADER)"
BYTES_PER_ROW=$(( $(stat -c %s sample.csv) / 2000 ))
ROWS=$(( SIZE_MB * 1024 * 1024 / BYTES_PER_ROW + 1 ))
echo "generating $ROWS rows (~$SIZE_MB MB of CSV)…" >&2
psql -X -q -d "$BASE/gen" -c "\\copy ($ROW_SQL FROM generate_series(1, $ROWS) AS g) TO 'seeds/faces.csv' WITH (FORMAT csv, HEADER)"
sed -i "1s/.*/${COLUMNS//, /,}/" seeds/faces.csv

# The dumps: one database loaded once, dumped in both formats.
recreate src
ferry_on src up
ferry_on src seed seeds/faces.csv
ferry_on src dump dump.sql >/dev/null
ferry_on src dump --format custom dump.custom >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# once NAME SETUP COMMAND…: one run on a fresh database (SETUP: empty, or migrated), adding
# to NAME.times the wall time in ms; to NAME.rss /usr/bin/time's peak RSS, which for
# ferry restore is the larger of ferry and its psql/pg_restore child; and to NAME.own the
# command's own peak (VmHWM), sampled.
once() {
  local name=$1 setup=$2; shift 2
  recreate bench
  if [ "$setup" = migrated ]; then ferry_on bench up; fi
  /usr/bin/time -v -o "$name.time" "$@" >/dev/null &
  local tpid=$! hwm=0 cpid v
  while kill -0 "$tpid" 2>/dev/null; do
    cpid=$(pgrep -P "$tpid" -n 2>/dev/null || true)
    v=$( [ -n "$cpid" ] && awk '/^VmHWM/ {print $2}' "/proc/$cpid/status" 2>/dev/null || true)
    if [ -n "$v" ] && [ "$v" -gt "$hwm" ]; then hwm=$v; fi
    sleep 0.05
  done
  wait "$tpid"
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.0f\n", s * 1000}' \
    "$name.time" >>"$name.times"
  awk -F': ' '/Maximum resident set size/ {print $2}' "$name.time" >>"$name.rss"
  echo "$hwm" >>"$name.own"
}
mib() { sort -n "$1" | tail -n 1 | awk '{printf "%.1f", $1 / 1024}'; }

PSQL=$(find_bin psql)
PG_RESTORE=$(find_bin pg_restore)
FERRY_BENCH=("$FERRY" --quiet --no-env-file --database-url "$BASE/bench")
# Runs are interleaved (each round runs every case once) so that a noisy neighbour or a
# checkpoint hurts ferry and its baseline alike.
for round in $(seq 1 "$RUNS"); do
  echo "round $round of $RUNS…" >&2
  once ferry_seed migrated "${FERRY_BENCH[@]}" seed seeds/faces.csv
  once psql_copy migrated "$PSQL" -X -q -d "$BASE/bench" -c "\\copy faces ($COLUMNS) FROM 'seeds/faces.csv' WITH (FORMAT csv, HEADER)"
  once ferry_plain empty "${FERRY_BENCH[@]}" restore --yes dump.sql
  once psql_plain empty "$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -d "$BASE/bench" -f dump.sql
  once ferry_custom empty "${FERRY_BENCH[@]}" restore --yes dump.custom
  once pg_restore_custom empty "$PG_RESTORE" -1 --exit-on-error -d "$BASE/bench" dump.custom
done
for name in ferry_seed psql_copy ferry_plain psql_plain ferry_custom pg_restore_custom; do
  printf -v "$name" '%s' "$(median <"$name.times")"
done

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }
rate() { awk -v m="$1" -v ms="$2" 'BEGIN {printf "%.1f", m / (ms / 1000)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
CSV_MB=$(mb seeds/faces.csv); SQL_MB=$(mb dump.sql); CUSTOM_MB=$(mb dump.custom)

printf '\n%s rows: faces.csv %s MiB, dump.sql %s MiB, dump.custom %s MiB; median of %s runs\n' \
  "$ROWS" "$CSV_MB" "$SQL_MB" "$CUSTOM_MB" "$RUNS"
printf '%-28s %10s %8s %16s %18s\n' "what" "median ms" "MiB/s" "own peak MiB" "with child MiB"
row() { printf '%-28s %10s %8s %16s %18s\n' "$1" "$2" "$(rate "$3" "$2")" "$(mib "$4.own")" "$(mib "$4.rss")"; }
row "ferry seed faces.csv" "$ferry_seed" "$CSV_MB" ferry_seed
row "psql \\copy faces.csv" "$psql_copy" "$CSV_MB" psql_copy
row "ferry restore dump.sql" "$ferry_plain" "$SQL_MB" ferry_plain
row "psql -1 -f dump.sql" "$psql_plain" "$SQL_MB" psql_plain
row "ferry restore dump.custom" "$ferry_custom" "$CUSTOM_MB" ferry_custom
row "pg_restore -1 dump.custom" "$pg_restore_custom" "$CUSTOM_MB" pg_restore_custom
printf 'ratio seed / psql \\copy:                 %s\n' "$(ratio "$ferry_seed" "$psql_copy")"
printf 'ratio restore plain / psql -1 -f:        %s\n' "$(ratio "$ferry_plain" "$psql_plain")"
printf 'ratio restore custom / pg_restore -1:    %s\n' "$(ratio "$ferry_custom" "$pg_restore_custom")"
echo "(own peak: VmHWM of the command itself, sampled every 50 ms; with child: /usr/bin/time -v,"
echo " the larger of the command and the psql or pg_restore that ferry restore runs)"
