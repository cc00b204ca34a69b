#!/usr/bin/env bash
# ferry's benchmark kit, `make bench`: every performance target measured side by side with
# its baseline in one run, on a scratch PostgreSQL of its own. Results (a markdown table,
# the raw timings and the proxy's round-trip counts) go to target/bench/.
#
#   benches/run.sh [up] [latency] [startup] [status] [memory] [fleet] [peers] [schema] [roundtrip] [drift] [trace] [estimate] [history]   (default: all)
#
# Knobs (environment): RUNS (7, runs of each `up`), FAST_RUNS (21, runs of each start-up
# and status measurement), N (1000), N_LATENCY (100), N_STATUS (10000), DELAY_MS (5, the
# proxy's delay each way; FAR_DELAY_MS 25 for the farther row), BENCH_FERRY (another ferry binary to measure), BENCH_TMPDIR
# (where the cluster lives; default /dev/shm), N_FLEET (500 databases), FLEET_MIGRATIONS (20),
# FLEET_RUNS (3), N_SCHEMA (500 tables and migrations), N_ROUNDTRIP (500 migrations),
# N_TENANTS (200 schemas) × TENANT_MIGRATIONS (20), N_ESTIMATE (1,000,000 rows). See BENCHMARKS.md for what is measured and why.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-7}
FAST_RUNS=${FAST_RUNS:-21}
N=${N:-1000}
N_LATENCY=${N_LATENCY:-100}
N_STATUS=${N_STATUS:-10000}
DELAY_MS=${DELAY_MS:-5}
FAR_DELAY_MS=${FAR_DELAY_MS:-25}
N_FLEET=${N_FLEET:-500}
FLEET_MIGRATIONS=${FLEET_MIGRATIONS:-20}
FLEET_RUNS=${FLEET_RUNS:-3}
N_SCHEMA=${N_SCHEMA:-500}
N_ROUNDTRIP=${N_ROUNDTRIP:-500}
N_TENANTS=${N_TENANTS:-200}
TENANT_MIGRATIONS=${TENANT_MIGRATIONS:-20}
N_ESTIMATE=${N_ESTIMATE:-1000000}
SECTIONS=${*:-up latency startup status memory fleet peers schema roundtrip drift trace estimate history squash}
OUT=$ROOT/target/bench

echo "building ferry and the kit (release)…" >&2
cargo build --release --quiet
cargo build --release --quiet --example test_databases
cargo build --release --quiet --manifest-path benches/kit/Cargo.toml --target-dir target/bench-kit
# BENCH_FERRY=path/to/ferry measures another build (an older commit, say) with the same kit.
FERRY=${BENCH_FERRY:-$ROOT/target/release/ferry}
KIT=$ROOT/target/bench-kit/release
rm -rf "$OUT"
mkdir -p "$OUT"
# The cluster lives in memory when the machine has a tmpfs: the server then costs CPU only,
# and a disk shared with other work (which made single runs vary tenfold) stays out of it.
WORK=$(mktemp -d -p "${BENCH_TMPDIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}")
chmod 755 "$WORK"

# The server's own binaries: Debian's /usr/bin/psql is a Perl wrapper that costs tens of
# milliseconds per start, which would flatter ferry in every start-up comparison.
find_bin() {
  local real
  real=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$real" ]; then echo "$real"; return; fi
  command -v "$1" || { echo "benches/run.sh: $1 not found (install the PostgreSQL server)" >&2; exit 1; }
}
PSQL=$(find_bin psql)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PROXY_PID=
cleanup() {
  if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; fi
  if [ -n "${STARTED:-}" ]; then as_pg "$(find_bin pg_ctl)" -D "$WORK/data" stop -m immediate >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A scratch cluster. Durability is off (as in the test suite): commits then cost CPU, not
# the disk's fsync, so what is compared is the clients and the protocol — the stricter
# comparison, since a slow disk would hide client overhead behind the same wait for both.
if command -v python3 >/dev/null 2>&1; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
else
  PORT=$((20000 + RANDOM % 20000))
fi
mkdir -p "$WORK/data"
[ "$(id -u)" = 0 ] && chown postgres: "$WORK/data"
as_pg "$(find_bin initdb)" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
as_pg "$(find_bin pg_ctl)" -D "$WORK/data" -l "$WORK/data/log" -w \
  -o "-p $PORT -k $WORK/data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
STARTED=1
BASE="postgres://postgres@127.0.0.1:$PORT"
# No sslmode anywhere: ferry and psql both use their default, prefer, as a user would.
FRESH="$PSQL -X -q -d $BASE/postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench'"
export NO_COLOR=1
cd "$WORK"

# The corpus stays on the checkout's own filesystem, where users' migrations live: reading
# 10,000 files from tmpfs would be cheaper than from a real filesystem's page cache.
corpus() { # N -> directory
  local dir="$OUT/corpus-$1"
  [ -d "$dir" ] || "$ROOT/benches/corpus.sh" "$dir" "$1"
  echo "$dir"
}
ferry() { "$FERRY" --no-env-file "$@"; }
# `ferry up` of a corpus into database $2, once, for the sections that read a migrated one.
migrated() { # N db
  $PSQL -X -q -d "$BASE/postgres" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" -c "CREATE DATABASE $2"
  ferry up --quiet --path "$(corpus "$1")/migrations" --database-url "$BASE/$2"
}

TIMES=$OUT/times.tsv
RESULTS=$OUT/results.tsv
: >"$TIMES"
: >"$RESULTS"
timeit() { "$KIT/timeit" --out "$TIMES" "$@" | tee -a "$OUT/timeit.txt"; echo | tee -a "$OUT/timeit.txt"; }
med() { awk -F'\t' -v n="$1" '$1 == n { v = $2 } END { print v }' "$TIMES"; }
# The median over rounds of A's time / B's time in the same round: A and B ran moments
# apart, so a burst of load from elsewhere hits both; steadier than a ratio of medians.
paired() { # A B
  awk -F'\t' -v a="$1" -v b="$2" '
    $1 == a { for (i = 5; i <= NF; i++) x[i] = $i; n = NF }
    $1 == b { for (i = 5; i <= NF; i++) y[i] = $i }
    END {
      for (i = 5; i <= n; i++) r[i - 4] = x[i] / y[i]
      k = n - 4
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
      printf "%.2f", (k % 2) ? r[(k + 1) / 2] : (r[k / 2] + r[k / 2 + 1]) / 2
    }' "$TIMES"
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
ok() { awk "BEGIN { exit !($1) }" && echo ok || echo MISSED; }
result() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }
# One row for ferry (timeit name A) beside a peer (B) of the same run: ratio of medians,
# paired ratio, and whether ferry was faster. EXTRA is added to the figures.
versus() { # label A B [extra]
  result "$1" \
    "$(calc "$(med "$2") / $(med "$3")")× ($(med "$2") / $(med "$3") ms; paired $(paired "$2" "$3")×${4:+; $4})" \
    "< 1×" "$(ok "$(med "$2") < $(med "$3")")"
}
# Peak memory of one peer's `up` on a fresh database, as a row.
peer_memory() { # label command...
  [ -x /usr/bin/time ] || return 0
  local label=$1 kib
  shift
  sh -c "$FRESH"
  kib=$(peak_kib "$@")
  result "$label" "$(mb "$kib") MB" "" ""
}

section_up() {
  echo "== up of $N migrations, local, against psql running the same SQL" >&2
  local c
  c=$(corpus "$N")
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    ferry_up="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench" \
    psql_each="$PSQL -X -q -v ON_ERROR_STOP=1 -d $BASE/bench -f $c/per_migration.sql" \
    ferry_single="$FERRY --no-env-file up --single-transaction --quiet --path $c/migrations --database-url $BASE/bench" \
    psql_single="$PSQL -X -q -1 -v ON_ERROR_STOP=1 -d $BASE/bench -f $c/single.sql"
  local r
  r=$(calc "$(med ferry_up) / $(med psql_each)")
  result "\`up\` of $N, transaction per migration: ferry / psql" \
    "${r}× ($(med ferry_up) / $(med psql_each) ms; paired $(paired ferry_up psql_each)×)" "≤ 0.90×" "$(ok "$r <= 0.90")"
  r=$(calc "$(med ferry_single) / $(med psql_single)")
  result "\`up --single-transaction\` of $N: ferry / \`psql -1\`" \
    "${r}× ($(med ferry_single) / $(med psql_single) ms; paired $(paired ferry_single psql_single)×)" "≤ 1.05×" "$(ok "$r <= 1.05")"

  echo "== down --all of $N migrations, local, against psql running the same SQL" >&2
  timeit --runs "$RUNS" --warmup 0 \
    --prepare "$FRESH && $FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench" \
    ferry_down="$FERRY --no-env-file down --all --yes --quiet --path $c/migrations --database-url $BASE/bench" \
    psql_down="$PSQL -X -q -v ON_ERROR_STOP=1 -d $BASE/bench -f $c/per_migration_down.sql"
  r=$(calc "$(med ferry_down) / $(med psql_down)")
  result "\`down --all\` of $N: ferry / psql, a transaction per migration" \
    "${r}× ($(med ferry_down) / $(med psql_down) ms; paired $(paired ferry_down psql_down)×)" "≤ 0.90×" "$(ok "$r <= 0.90")"
}

start_proxy() { # delay each way, ms
  rm -f "$WORK/proxy.port"
  "$KIT/latency-proxy" --upstream "127.0.0.1:$PORT" --delay-ms "$1" \
    --port-file "$WORK/proxy.port" --report "$WORK/proxy.report" --max-seconds 3600 \
    2>>"$OUT/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/proxy.port" ] && break; sleep 0.05; done
  FAR="postgres://postgres@127.0.0.1:$(cat "$WORK/proxy.port")"
}

stop_proxy() {
  kill "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=
}

# Round trips after connecting of one command through the proxy, as the proxy counted them.
round_trips() { # command...
  : >"$WORK/proxy.report"
  "$@" >/dev/null
  for _ in $(seq 200); do [ -s "$WORK/proxy.report" ] && break; sleep 0.02; done
  cat "$WORK/proxy.report" >>"$OUT/proxy-connections.log"
  sed -n 's/.*round_trips_after_ready=\([0-9]*\).*/\1/p' "$WORK/proxy.report" | tail -n 1
}

section_latency() {
  echo "== latency: up of $N_LATENCY through a proxy adding ${DELAY_MS} ms (and ${FAR_DELAY_MS} ms) each way" >&2
  local c rtt far_rtt
  c=$(corpus "$N_LATENCY")
  rtt=$((2 * DELAY_MS))
  far_rtt=$((2 * FAR_DELAY_MS))
  start_proxy "$DELAY_MS"
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    up_local="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench" \
    up_far="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $FAR/bench" \
    psql_single_far="$PSQL -X -q -1 -v ON_ERROR_STOP=1 -d $FAR/bench -f $c/single.sql"
  local r
  r=$(calc "$(med up_far) / $(med psql_single_far)")
  result "\`up\` of $N_LATENCY at ${rtt} ms RTT / \`psql -1\` of the same SQL" \
    "${r}× ($(med up_far) / $(med psql_single_far) ms; paired $(paired up_far psql_single_far)×; local $(med up_local) ms)" "≤ 0.15×" "$(ok "$r <= 0.15")"

  sh -c "$FRESH"
  local up again version status psql windows
  windows=$(( (N_LATENCY + 49) / 50 ))
  up=$(round_trips ferry up --quiet --path "$c/migrations" --database-url "$FAR/bench")
  again=$(round_trips ferry up --quiet --path "$c/migrations" --database-url "$FAR/bench")
  version=$(round_trips ferry version --database-url "$FAR/bench")
  status=$(round_trips ferry status --path "$c/migrations" --database-url "$FAR/bench")
  psql=$(round_trips "$PSQL" -X -d "$FAR/bench" -c 'SELECT version, dirty FROM schema_migrations')
  result "round trips after connecting: \`up\` of $N_LATENCY (fresh database)" \
    "$up = $windows windows + $((up - windows))" "≤ windows of 50 + a constant" "$(ok "$up - $windows <= 8")"
  result "round trips after connecting: \`up\` with nothing pending" "$again" "a constant" "$(ok "$again <= 8")"
  result "round trips after connecting: \`version\`" "$version (psql -c: $psql)" "≤ 3" "$(ok "$version <= 3")"
  result "round trips after connecting: \`status\`" "$status" "≤ 3" "$(ok "$status <= 3")"
  stop_proxy

  start_proxy "$FAR_DELAY_MS"
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    up_farther="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $FAR/bench"
  result "\`up\` of $N_LATENCY at ${far_rtt} ms RTT" "$(med up_farther) ms" "< 1000 ms" "$(ok "$(med up_farther) < 1000")"
  stop_proxy
}

section_startup() {
  echo "== start-up: version and status on a database with $N applied migrations" >&2
  local c
  c=$(corpus "$N")
  migrated "$N" applied
  timeit --runs "$FAST_RUNS" --warmup 1 \
    ferry_version="$FERRY --no-env-file version --database-url $BASE/applied" \
    psql_version="$PSQL -X -d $BASE/applied -c 'SELECT version, dirty FROM schema_migrations'" \
    ferry_status="$FERRY --no-env-file status --path $c/migrations --database-url $BASE/applied" \
    psql_status="$PSQL -X -d $BASE/applied -c 'SELECT * FROM schema_migrations_history ORDER BY id'"
  local r
  r=$(calc "$(med ferry_version) / $(med psql_version)")
  result "\`version\` ($N applied) / \`psql -c\` reading schema_migrations" \
    "${r}× ($(med ferry_version) / $(med psql_version) ms; paired $(paired ferry_version psql_version)×)" "≤ 1.3×" "$(ok "$r <= 1.3")"
  r=$(calc "$(med ferry_status) / $(med psql_status)")
  result "\`status\` ($N files, $N applied) / \`psql -c\` reading the history" \
    "${r}× ($(med ferry_status) / $(med psql_status) ms; paired $(paired ferry_status psql_status)×)" "≤ 1.3×" "$(ok "$r <= 1.3")"
}

section_status() {
  echo "== status and validate over $N_STATUS files (applying them once first)" >&2
  local c
  c=$(corpus "$N_STATUS")
  migrated "$N_STATUS" applied_many
  timeit --runs "$FAST_RUNS" --warmup 1 \
    status_many="$FERRY --no-env-file status --path $c/migrations --database-url $BASE/applied_many" \
    validate_many="$FERRY --no-env-file validate --path $c/migrations" \
    validate_db_many="$FERRY --no-env-file validate --path $c/migrations --database-url $BASE/applied_many" \
    psql_history_many="$PSQL -X -d $BASE/applied_many -c 'SELECT * FROM schema_migrations_history ORDER BY id'" \
    sha256sum_many="sha256sum $c/migrations/*.sql"
  # CPU time does not depend on what else the machine is doing: it says what the wall
  # time would be with the cores to spare.
  local cpu=""
  if [ -x /usr/bin/time ]; then
    local i samples=()
    for i in 1 2 3 4 5; do
      /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$FERRY" --no-env-file status --path "$c/migrations" \
        --database-url "$BASE/applied_many" >/dev/null 2>&1
      samples+=("$(tail -n 1 "$WORK/cpu" | awk '{ printf "%.0f", ($1 + $2) * 1000 }')")
    done
    cpu="; CPU $(printf '%s\n' "${samples[@]}" | sort -n | sed -n 3p) ms user+sys"
  fi
  # The floor for reading and checksumming every file, nothing else: `sha256sum`.
  result "\`status\` over $N_STATUS files ($N_STATUS applied)" \
    "$(med status_many) ms$cpu; \`sha256sum\` of the files: $(med sha256sum_many) ms" "< 150 ms" "$(ok "$(med status_many) < 150")"
  result "\`validate\` over $N_STATUS files" "$(med validate_many) ms" "< 150 ms" "$(ok "$(med validate_many) < 150")"
  result "\`validate --database-url\` over $N_STATUS files" "$(med validate_db_many) ms" "< 150 ms" "$(ok "$(med validate_db_many) < 150")"
}

# Peak resident memory (KiB) of one run, via GNU time.
peak_kib() { # command...
  /usr/bin/time -f '%M' -o "$WORK/mem" "$@" >/dev/null 2>&1
  tail -n 1 "$WORK/mem"
}
mb() { calc "$1 * 1024 / 1000000"; }

section_memory() {
  echo "== peak memory" >&2
  if [ ! -x /usr/bin/time ]; then
    result "peak memory" "not measured: /usr/bin/time missing (apt-get install time)" "" ""
    return
  fi
  local c ferry_kib=() psql_kib=() i
  c=$(corpus "$N")
  for i in 1 2 3; do
    sh -c "$FRESH"
    ferry_kib+=("$(peak_kib "$FERRY" --no-env-file up --quiet --path "$c/migrations" --database-url "$BASE/bench")")
    sh -c "$FRESH"
    psql_kib+=("$(peak_kib "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$BASE/bench" -f "$c/per_migration.sql")")
  done
  local f p
  f=$(printf '%s\n' "${ferry_kib[@]}" | sort -n | sed -n 2p)
  p=$(printf '%s\n' "${psql_kib[@]}" | sort -n | sed -n 2p)
  result "peak memory, \`up\` of $N (median of 3)" "$(mb "$f") MB (psql: $(mb "$p") MB)" "< 15 MB" "$(ok "$(mb "$f") < 15")"
  result "peak memory, \`seed\` and \`restore\` of 1 GB" "measured by \`make bench-chores\` (BENCHMARKS.md)" "< 40 MB" "-"
}

# N_FLEET databases × FLEET_MIGRATIONS migrations on this one server: `ferry up --targets
# --jobs 8` against the shell loop a team writes today (`ferry up` once per database), and
# peak memory at a fifth of the targets and at all of them (it must not grow with them).
section_fleet() {
  echo "== a fleet: $N_FLEET databases × $FLEET_MIGRATIONS migrations" >&2
  local c targets="$WORK/targets.txt" small="$WORK/targets-small.txt"
  c=$(corpus "$FLEET_MIGRATIONS")
  : >"$targets"
  for i in $(seq 1 "$N_FLEET"); do echo "$BASE/fleet_$i" >>"$targets"; done
  head -n $((N_FLEET / 5)) "$targets" >"$small"
  # Fresh databases for every run: dropped and created in one psql, from a template.
  local fresh="$WORK/fleet-fresh.sql"
  {
    echo "SET client_min_messages = warning;"
    for i in $(seq 1 "$N_FLEET"); do echo "DROP DATABASE IF EXISTS fleet_$i WITH (FORCE);"; done
    for i in $(seq 1 "$N_FLEET"); do echo "CREATE DATABASE fleet_$i;"; done
  } >"$fresh"
  local prepare="$PSQL -X -q -d $BASE/postgres -f $fresh"
  timeit --runs "$FLEET_RUNS" --warmup 0 --prepare "$prepare" \
    fleet_jobs8="$FERRY --no-env-file up --quiet --path $c/migrations --targets $targets --jobs 8" \
    fleet_loop="sh -c 'while read -r url; do $FERRY --no-env-file up --quiet --path $c/migrations --database-url \$url || exit 1; done < $targets'"
  result "fleet \`up\`: $N_FLEET databases × $FLEET_MIGRATIONS migrations, \`--jobs 8\` / a shell loop of \`ferry up\`" \
    "$(calc "$(med fleet_jobs8) / $(med fleet_loop)")× ($(med fleet_jobs8) / $(med fleet_loop) ms; paired $(paired fleet_jobs8 fleet_loop)×)" "< 1×" "$(ok "$(med fleet_jobs8) < $(med fleet_loop)")"
  if [ -x /usr/bin/time ]; then
    sh -c "$prepare"
    local few many
    few=$(peak_kib "$FERRY" --no-env-file up --quiet --path "$c/migrations" --targets "$small" --jobs 8)
    sh -c "$prepare"
    many=$(peak_kib "$FERRY" --no-env-file up --quiet --path "$c/migrations" --targets "$targets" --jobs 8)
    result "fleet peak memory, $((N_FLEET / 5)) vs $N_FLEET targets" "$(mb "$few") MB vs $(mb "$many") MB" "≤ 1.2× (no growth with targets)" "$(ok "$many <= $few * 1.2")"
  fi
  local drop="$WORK/fleet-drop.sql"
  { echo "SET client_min_messages = warning;"; for i in $(seq 1 "$N_FLEET"); do echo "DROP DATABASE IF EXISTS fleet_$i WITH (FORCE);"; done; } >"$drop"
  $PSQL -X -q -d "$BASE/postgres" -f "$drop"
}

# The tool a user would pick instead: dbmate (its native binary, from the npm registry,
# installed once into a cache the script names), `up` of the same N migrations in dbmate's
# one-file form — which ferry reads too — beside ferry and psql.
section_peers() {
  echo "== up of $N beside dbmate and sqlx-cli" >&2
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/ferry-bench" dbmate
  dbmate=$(ls "$cache"/node_modules/@dbmate/*/bin/dbmate 2>/dev/null | head -n 1 || true)
  if [ -z "$dbmate" ]; then
    if ! command -v npm >/dev/null; then
      result "\`up\` of $N beside dbmate" "not measured: npm missing (to install dbmate)" "" ""
      return
    fi
    echo "installing dbmate into $cache (once)…" >&2
    npm install --silent --prefix "$cache" dbmate >/dev/null
    dbmate=$(ls "$cache"/node_modules/@dbmate/*/bin/dbmate | head -n 1)
  fi
  local c dir
  c=$(corpus "$N")
  dir=$(dbmate_corpus "$N")
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    peers_ferry="$FERRY --no-env-file up --quiet --path $dir --database-url $BASE/bench" \
    peers_dbmate="$dbmate --url $BASE/bench?sslmode=disable --migrations-dir $dir --no-dump-schema up" \
    peers_psql="$PSQL -X -q -v ON_ERROR_STOP=1 -d $BASE/bench -f $c/per_migration.sql"
  peer_memory "peak memory, \`up\` of $N by dbmate" \
    "$dbmate" --url "$BASE/bench?sslmode=disable" --migrations-dir "$dir" --no-dump-schema up
  versus "\`up\` of $N: ferry / dbmate $("$dbmate" --version | awk '{ print $3 }')" \
    peers_ferry peers_dbmate "psql $(med peers_psql) ms"

  peers_sqlx

  echo "== up of $N_LATENCY beside dbmate at $((2 * DELAY_MS)) ms RTT" >&2
  dir=$(dbmate_corpus "$N_LATENCY")
  start_proxy "$DELAY_MS"
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    peers_ferry_far="$FERRY --no-env-file up --quiet --path $dir --database-url $FAR/bench" \
    peers_dbmate_far="$dbmate --url $FAR/bench?sslmode=disable --migrations-dir $dir --no-dump-schema up"
  versus "\`up\` of $N_LATENCY at $((2 * DELAY_MS)) ms RTT: ferry / dbmate" peers_ferry_far peers_dbmate_far
  stop_proxy
}

# sqlx-cli on the same files (it reads golang-migrate's up/down pairs), installed once into
# the cache with cargo: several minutes of compiling the first time.
peers_sqlx() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/ferry-bench" sqlx c
  sqlx="$cache/sqlx/bin/sqlx"
  if [ ! -x "$sqlx" ]; then
    echo "installing sqlx-cli into $cache/sqlx (once; several minutes of compiling)…" >&2
    if ! cargo install --quiet --locked --root "$cache/sqlx" sqlx-cli \
        --no-default-features --features postgres,rustls >&2; then
      result "\`up\` of $N beside sqlx-cli" "not measured: cargo install sqlx-cli failed" "" ""
      return
    fi
  fi
  c=$(corpus "$N")
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    sqlx_ferry="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench" \
    sqlx_sqlx="$sqlx migrate run --source $c/migrations --database-url $BASE/bench?sslmode=disable"
  versus "\`up\` of $N: ferry / sqlx-cli $("$sqlx" --version | awk '{ print $2 }')" sqlx_ferry sqlx_sqlx
  peer_memory "peak memory, \`up\` of $N by sqlx-cli" \
    "$sqlx" migrate run --source "$c/migrations" --database-url "$BASE/bench?sslmode=disable"

  local far
  far=$(corpus "$N_LATENCY")
  start_proxy "$DELAY_MS"
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    sqlx_ferry_far="$FERRY --no-env-file up --quiet --path $far/migrations --database-url $FAR/bench" \
    sqlx_sqlx_far="$sqlx migrate run --source $far/migrations --database-url $FAR/bench?sslmode=disable"
  versus "\`up\` of $N_LATENCY at $((2 * DELAY_MS)) ms RTT: ferry / sqlx-cli" sqlx_ferry_far sqlx_sqlx_far
  stop_proxy
}

# The corpus of N in dbmate's form: one file per migration with `-- migrate:up`/`down`.
dbmate_corpus() { # N -> directory
  local c dir="$OUT/corpus-$1-dbmate"
  c=$(corpus "$1")
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    for f in "$c"/migrations/*.up.sql; do
      { echo "-- migrate:up"; cat "$f"; echo; echo "-- migrate:down"; cat "${f%.up.sql}.down.sql"; } >"$dir/$(basename "$f" .up.sql).sql"
    done
  fi
  echo "$dir"
}

# The schema tools on N_SCHEMA tables: `schema dump` of a live database beside `pg_dump
# --schema-only`; the migrations replayed on the shadow the first time (no cache at all:
# initdb included) beside `ferry up` of the same files, and again with nothing changed; a
# fresh migrated test database from the template cache (`ferry::testing`); peak memory.
section_schema() {
  echo "== schema: $N_SCHEMA tables and migrations" >&2
  local c cache="$WORK/shadow-cache" pg_dump
  c=$(corpus "$N_SCHEMA")
  pg_dump=$(find_bin pg_dump)
  migrated "$N_SCHEMA" schema_live
  timeit --runs "$FAST_RUNS" --warmup 1 \
    schema_dump="$FERRY --no-env-file schema dump --database-url $BASE/schema_live" \
    pg_dump_schema="$pg_dump --schema-only --dbname $BASE/schema_live"
  result "\`schema dump\` of $N_SCHEMA tables / \`pg_dump --schema-only\`" \
    "$(calc "$(med schema_dump) / $(med pg_dump_schema)")× ($(med schema_dump) / $(med pg_dump_schema) ms; paired $(paired schema_dump pg_dump_schema)×)" \
    "≤ 1.0×" "$(ok "$(med schema_dump) <= $(med pg_dump_schema)")"
  local replay="env FERRY_CACHE_DIR=$cache $FERRY --no-env-file schema dump migrations --shadow local --path $c/migrations"
  timeit --runs "$RUNS" --warmup 0 --prepare "rm -rf $cache; $FRESH" \
    schema_first="$replay" \
    schema_up="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench"
  result "\`schema dump migrations\` of $N_SCHEMA, first time (no cache; initdb included) / \`up\` + 3 s" \
    "$(med schema_first) ms / $(med schema_up) + 3,000 ms" "≤ 1×" "$(ok "$(med schema_first) <= $(med schema_up) + 3000")"
  timeit --runs "$FAST_RUNS" --warmup 1 schema_cached="$replay"
  result "\`schema dump migrations\` of $N_SCHEMA again, nothing changed" "$(med schema_cached) ms" "≤ 1,000 ms" "$(ok "$(med schema_cached) <= 1000")"
  local fresh
  fresh=$(FERRY_CACHE_DIR=$cache "$ROOT/target/release/examples/test_databases" "$c/migrations" 21 | sed -n 's/^fresh database: median \([0-9.]*\) ms.*/\1/p')
  result "a fresh migrated test database of $N_SCHEMA tables (\`ferry::testing\`, median of 21)" "$fresh ms" "≤ 100 ms" "$(ok "$fresh <= 100")"
  # Peak memory of ferry itself: the replays on a --shadow URL (this cluster), since GNU
  # time counts a child's peak too, and ferry's own shadow server is its child.
  if [ -x /usr/bin/time ]; then
    local a b d shadow_url="$BASE/postgres"
    local on_url="$FERRY --no-env-file schema dump migrations --shadow $shadow_url --path $c/migrations"
    a=$(peak_kib "$FERRY" --no-env-file schema dump --database-url "$BASE/schema_live")
    "$FERRY" --no-env-file shadow clean --shadow "$shadow_url" >/dev/null
    b=$(peak_kib $on_url)
    d=$(peak_kib $on_url)
    "$FERRY" --no-env-file shadow clean --shadow "$shadow_url" >/dev/null
    result "peak memory of ferry, \`schema dump\` / first replay / cached replay ($N_SCHEMA)" "$(mb "$a") / $(mb "$b") / $(mb "$d") MB" "≤ 50 MB" \
      "$(ok "$(mb "$a") <= 50 && $(mb "$b") <= 50 && $(mb "$d") <= 50")"
  fi
}

# `ferry test` of N_ROUNDTRIP migrations (each a table and an index, with its down) beside
# the hand-written check (benches/roundtrip-baseline.sh: psql and pg_dump --schema-only
# after each step, compared) on one database, once each: minutes, not milliseconds.
section_roundtrip() {
  echo "== round trips of $N_ROUNDTRIP migrations" >&2
  local c cache="$WORK/roundtrip-cache" pg_dump
  c=$(corpus "$N_ROUNDTRIP")
  pg_dump=$(find_bin pg_dump)
  # Both start with nothing cached: ferry's cluster made beforehand (initdb is not the
  # comparison), its templates dropped.
  env FERRY_CACHE_DIR="$cache" "$FERRY" --no-env-file schema dump migrations@1 --shadow local --path "$c/migrations" >/dev/null 2>&1
  timeit --runs 1 --warmup 0 --prepare "env FERRY_CACHE_DIR=$cache $FERRY --no-env-file shadow clean >/dev/null; $FRESH" \
    roundtrip_ferry="env FERRY_CACHE_DIR=$cache $FERRY --no-env-file test --shadow local --path $c/migrations" \
    roundtrip_script="$ROOT/benches/roundtrip-baseline.sh $c/migrations $BASE/bench $PSQL $pg_dump"
  result "\`ferry test\` of $N_ROUNDTRIP / pg_dump + compare after each step" \
    "$(calc "$(med roundtrip_script) / $(med roundtrip_ferry)")× faster ($(med roundtrip_ferry) / $(med roundtrip_script) ms)" \
    "≥ 5×" "$(ok "$(med roundtrip_script) >= 5 * $(med roundtrip_ferry)")"
  if [ -x /usr/bin/time ]; then
    local kib
    "$FERRY" --no-env-file shadow clean --shadow "$BASE/postgres" >/dev/null
    kib=$(peak_kib "$FERRY" --no-env-file test --shadow "$BASE/postgres" --path "$c/migrations")
    "$FERRY" --no-env-file shadow clean --shadow "$BASE/postgres" >/dev/null
    result "peak memory of ferry, \`ferry test\` of $N_ROUNDTRIP" "$(mb "$kib") MB" "≤ 100 MB" "$(ok "$(mb "$kib") <= 100")"
  fi
}

# `ferry drift` on N_SCHEMA tables: `--fast` beside `status`, the full comparison with a
# warm template cache beside `schema dump` of the same database, the cost of recording the
# schema's hash in `up` of N migrations (`--no-schema-hash` beside it), and N_TENANTS tenant
# schemas of one database beside one tenant's database.
section_drift() {
  echo "== drift: $N_SCHEMA tables" >&2
  local c cache="$WORK/drift-cache"
  c=$(corpus "$N_SCHEMA")
  migrated "$N_SCHEMA" drift_live
  local on="--no-env-file --path $c/migrations --database-url $BASE/drift_live"
  timeit --runs "$FAST_RUNS" --warmup 1 \
    drift_fast="$FERRY $on drift --fast" \
    drift_status="$FERRY $on status"
  result "\`drift --fast\` / \`status\`, $N_SCHEMA tables" \
    "$(calc "$(med drift_fast) / $(med drift_status)")× ($(med drift_fast) / $(med drift_status) ms; paired $(paired drift_fast drift_status)×)" \
    "≤ 2×" "$(ok "$(med drift_fast) <= 2 * $(med drift_status)")"
  env FERRY_CACHE_DIR="$cache" "$FERRY" $on drift --shadow local >/dev/null 2>&1
  timeit --runs "$FAST_RUNS" --warmup 1 \
    drift_full="env FERRY_CACHE_DIR=$cache $FERRY $on drift --shadow local" \
    drift_dump="$FERRY $on schema dump"
  result "\`drift\` (warm template cache) / \`schema dump\` of the target, $N_SCHEMA tables" \
    "$(calc "$(med drift_full) / $(med drift_dump)")× ($(med drift_full) / $(med drift_dump) ms; paired $(paired drift_full drift_dump)×)" \
    "≤ 1.5×" "$(ok "$(med drift_full) <= 1.5 * $(med drift_dump)")"

  echo "== up of $N migrations, recording the schema's hash or not" >&2
  local big
  big=$(corpus "$N")
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    up_hash="$FERRY --no-env-file up --quiet --path $big/migrations --database-url $BASE/bench" \
    up_no_hash="$FERRY --no-env-file up --quiet --no-schema-hash --path $big/migrations --database-url $BASE/bench"
  result "\`up\` of $N recording the schema's hash / \`--no-schema-hash\`" \
    "$(calc "$(med up_hash) / $(med up_no_hash)")× ($(med up_hash) / $(med up_no_hash) ms; paired $(paired up_hash up_no_hash)×)" \
    "≤ 1.03×" "$(ok "$(med up_hash) <= 1.03 * $(med up_no_hash)")"

  echo "== drift over $N_TENANTS tenant schemas × $TENANT_MIGRATIONS migrations" >&2
  local t schemas
  t=$(corpus "$TENANT_MIGRATIONS")
  schemas=$(seq -f 'tenant_%03g' 1 "$N_TENANTS" | paste -sd, -)
  $PSQL -X -q -d "$BASE/postgres" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS drift_tenants WITH (FORCE)" -c "CREATE DATABASE drift_tenants"
  "$FERRY" --no-env-file up --quiet --path "$t/migrations" --database-url "$BASE/drift_tenants" \
    --schemas "$schemas" --create-schema --jobs 8 >/dev/null
  migrated "$TENANT_MIGRATIONS" drift_one
  env FERRY_CACHE_DIR="$cache" "$FERRY" --no-env-file drift --shadow local --path "$t/migrations" --database-url "$BASE/drift_one" >/dev/null 2>&1
  env FERRY_CACHE_DIR="$cache" "$FERRY" --no-env-file drift --shadow local --path "$t/migrations" --database-url "$BASE/drift_tenants" --schemas 'tenant_*' >/dev/null 2>&1
  local tenants="env FERRY_CACHE_DIR=$cache $FERRY --no-env-file drift --shadow local --path $t/migrations --database-url $BASE/drift_tenants --schemas tenant_*"
  local one="env FERRY_CACHE_DIR=$cache $FERRY --no-env-file drift --shadow local --path $t/migrations --database-url $BASE/drift_one"
  timeit --runs "$RUNS" --warmup 1 \
    drift_tenants="$tenants" drift_one="$one" \
    drift_tenants_fast="$tenants --fast" drift_one_fast="$one --fast"
  result "\`drift --schemas\` over $N_TENANTS tenant schemas / one target's \`drift\`" \
    "$(calc "$(med drift_tenants) / $(med drift_one)")× ($(med drift_tenants) / $(med drift_one) ms)" \
    "≤ 10×" "$(ok "$(med drift_tenants) <= 10 * $(med drift_one)")"
  result "the same with \`--fast\`" \
    "$(calc "$(med drift_tenants_fast) / $(med drift_one_fast)")× ($(med drift_tenants_fast) / $(med drift_one_fast) ms)" \
    "≤ 10×" "$(ok "$(med drift_tenants_fast) <= 10 * $(med drift_one_fast)")"
}

# `ferry trace` of 100 pending migrations on a database of 500 tables (a copy of its schema
# made on the shadow, then each statement traced) beside `ferry up` of the same 100 on an
# empty database.
section_trace() {
  echo "== trace: 100 pending migrations on a 500-table schema" >&2
  local c cache="$WORK/trace-cache" only="$OUT/trace-pending"
  c=$(corpus 600)
  rm -rf "$only"
  mkdir -p "$only"
  for v in $(seq 501 600); do cp "$c"/migrations/"$(printf %06d "$v")"_* "$only"/; done
  $PSQL -X -q -d "$BASE/postgres" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS trace_live WITH (FORCE)" -c "CREATE DATABASE trace_live"
  "$FERRY" --no-env-file up 500 --quiet --path "$c/migrations" --database-url "$BASE/trace_live"
  local trace="env FERRY_CACHE_DIR=$cache $FERRY --no-env-file trace --shadow local --path $c/migrations --database-url $BASE/trace_live"
  $trace >/dev/null 2>&1
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    trace_100="$trace" \
    trace_up_100="$FERRY --no-env-file up --quiet --path $only --database-url $BASE/bench"
  result "\`trace\` of 100 pending on 500 tables / \`up\` of them on an empty database" \
    "$(calc "$(med trace_100) / $(med trace_up_100)")× ($(med trace_100) / $(med trace_up_100) ms; paired $(paired trace_100 trace_up_100)×)" \
    "≤ 2×" "$(ok "$(med trace_100) <= 2 * $(med trace_up_100)")"
}

# How close `ferry trace`'s estimate of a rewrite comes to the rewrite itself: a table of
# N_ESTIMATE rows, analyzed; in each round the estimate for widening its key (a rewrite under
# ACCESS EXCLUSIVE) beside the same ALTER run by psql on the same table (server time, from
# psql's \timing), the column put back between rounds.
section_estimate() {
  echo "== trace: the estimated rewrite beside the real one ($N_ESTIMATE rows)" >&2
  local dir="$OUT/estimate" db="$BASE/trace_estimate" i estimated took
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "CREATE TABLE faces (id int PRIMARY KEY, note text) WITH (autovacuum_enabled = false);" >"$dir/000001_init.up.sql"
  echo "ALTER TABLE faces ALTER COLUMN id TYPE bigint;" >"$dir/000002_widen.up.sql"
  $PSQL -X -q -d "$BASE/postgres" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS trace_estimate WITH (FORCE)" -c "CREATE DATABASE trace_estimate"
  ferry up 1 --quiet --path "$dir" --database-url "$db"
  $PSQL -X -q -d "$db" -c "INSERT INTO faces SELECT g, md5(g::text) FROM generate_series(1, $N_ESTIMATE) g" -c "ANALYZE faces"
  : >"$OUT/estimate.tsv"
  for i in $(seq "$RUNS"); do
    estimated=$(ferry trace --format json --shadow local --path "$dir" --database-url "$db" |
      grep -o '"estimated_seconds": *[0-9.e+-]*' | head -n 1 | sed 's/.*: *//')
    took=$($PSQL -X -q -d "$db" -c '\timing on' -c "ALTER TABLE faces ALTER COLUMN id TYPE bigint" |
      awk '/^Time:/ { print $2 / 1000 }')
    printf '%s\t%s\n' "$estimated" "$took" >>"$OUT/estimate.tsv"
    $PSQL -X -q -d "$db" -c "ALTER TABLE faces ALTER COLUMN id TYPE int" -c "ANALYZE faces"
  done
  local e t
  e=$(cut -f1 "$OUT/estimate.tsv" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  t=$(cut -f2 "$OUT/estimate.tsv" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  result "\`trace\`'s estimated rewrite of $N_ESTIMATE rows / the rewrite run by psql" \
    "$(calc "$e / $t")× ($(calc "$e * 1000") / $(calc "$t * 1000") ms)" \
    "½–2×" "$(ok "$e >= $t / 2 && $e <= 2 * $t")"
}

# The SQL each history row keeps: `up` of N migrations keeping it beside the same `up`
# with --no-store-sql, and the history's size against the files' own.
section_history() {
  echo "== history: up of $N migrations keeping their SQL, against --no-store-sql" >&2
  local c
  c=$(corpus "$N")
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    history_kept="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench" \
    history_not="$FERRY --no-env-file up --no-store-sql --quiet --path $c/migrations --database-url $BASE/bench"
  result "\`up\` of $N keeping each migration's SQL / \`--no-store-sql\`" \
    "$(calc "$(med history_kept) / $(med history_not)")× ($(med history_kept) / $(med history_not) ms; paired $(paired history_kept history_not)×)" \
    "≤ 1.05×" "$(ok "$(paired history_kept history_not) <= 1.05")"
  eval "$FRESH"
  "$FERRY" --no-env-file up --quiet --path "$c/migrations" --database-url "$BASE/bench"
  local kept files
  kept=$($PSQL -X -q -t -A -d "$BASE/bench" -c "SELECT sum(pg_column_size(up_sql) + coalesce(pg_column_size(down_sql), 0) + pg_column_size(up_file) + coalesce(pg_column_size(down_file), 0)) FROM schema_migrations_history")
  files=$(cat "$c"/migrations/*.sql | wc -c)
  result "SQL kept in the history / the files' size ($N migrations)" \
    "$(calc "$kept / $files")× ($kept / $files bytes)" "≤ 2×" "$(ok "$kept <= 2 * $files")"
}

section_squash() {
  echo "== squash: a new database from a baseline of $((N - 50)) migrations and the last 50, against all $N" >&2
  local c squashed
  c=$(corpus "$N")
  squashed="$OUT/squashed-$N"
  rm -rf "$squashed"
  cp -r "$c/migrations" "$squashed"
  local start end
  start=$(date +%s%N)
  "$FERRY" --no-env-file squash --quiet --through $((N - 50)) --path "$squashed" --shadow auto
  end=$(date +%s%N)
  timeit --runs "$RUNS" --warmup 0 --prepare "$FRESH" \
    squash_baseline="$FERRY --no-env-file up --quiet --path $squashed --database-url $BASE/bench" \
    squash_all="$FERRY --no-env-file up --quiet --path $c/migrations --database-url $BASE/bench"
  result "\`up\` on a new database: baseline of $((N - 50)) + 50 / all $N (squash itself, proof included: $(( (end - start) / 1000000 )) ms)" \
    "$(calc "$(med squash_baseline) / $(med squash_all)")× ($(med squash_baseline) / $(med squash_all) ms; paired $(paired squash_baseline squash_all)×)" \
    "< 1×" "$(ok "$(med squash_baseline) < $(med squash_all)")"
}

for s in $SECTIONS; do "section_$s"; done

{
  echo "## Results"
  echo
  echo "| target | measured (medians) | limit | |"
  echo "|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$RESULTS"
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') × $(nproc) cores"
  echo "- memory: $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1000000 }' /proc/meminfo); kernel $(uname -r)"
  echo "- PostgreSQL: $("$(find_bin postgres)" --version | sed 's/.*) //'); psql $("$PSQL" --version | awk '{ print $3 }')"
  if [ -n "${BENCH_FERRY:-}" ]; then
    echo "- ferry: $BENCH_FERRY (BENCH_FERRY)"
  else
    echo "- ferry: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (modified)'), release build"
  fi
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- runs: RUNS=$RUNS, FAST_RUNS=$FAST_RUNS, DELAY_MS=$DELAY_MS; cluster in $(df --output=fstype "$WORK" | tail -n 1) ($(dirname "$WORK")), corpus in $(df --output=fstype "$OUT" | tail -n 1)"
  echo
  echo "## Raw timings (ms)"
  echo
  echo '```'
  cat "$OUT/timeit.txt" 2>/dev/null || true
  if [ -s "$OUT/estimate.tsv" ]; then echo "estimate: (estimated s, took s) per round"; cat "$OUT/estimate.tsv"; fi
  echo '```'
} >"$OUT/results.md"
echo >&2
cat "$OUT/results.md"
