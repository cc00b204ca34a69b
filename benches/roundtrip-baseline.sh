#!/usr/bin/env bash
# The check `ferry test` replaces, as teams write it by hand (pg_dump after each step and
# diff): on one database, for each migration in order, apply it and dump the schema, run
# its down, dump and compare with the dump before it, apply it again, dump and compare.
#   benches/roundtrip-baseline.sh MIGRATIONS_DIR DATABASE_URL PSQL PG_DUMP
set -euo pipefail
dir=$1 url=$2 psql=$3 pg_dump=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dump() { "$pg_dump" --schema-only --no-comments --dbname "$url" | grep -v '^\\' >"$1"; }
run() { "$psql" -X -q -v ON_ERROR_STOP=1 -1 -d "$url" -f "$1" >/dev/null; }
failed=0
dump "$work/before"
for up in "$dir"/*.up.sql; do
  down=${up%.up.sql}.down.sql
  run "$up"
  dump "$work/after_up"
  if [ -f "$down" ]; then
    run "$down"
    dump "$work/after_down"
    cmp -s "$work/before" "$work/after_down" || { echo "down of $(basename "$up") leaves a difference"; failed=1; }
    run "$up"
    dump "$work/again"
    cmp -s "$work/after_up" "$work/again" || { echo "up of $(basename "$up") after its down differs"; failed=1; }
    mv "$work/again" "$work/before"
  else
    mv "$work/after_up" "$work/before"
  fi
done
exit "$failed"
