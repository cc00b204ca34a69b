#!/usr/bin/env bash
# Brings up a local PostgreSQL for development and prints its URL.
# With a working Docker: `docker compose up -d` (see docker-compose.yml).
# Without one: a cluster in ./.pgdata from this machine's PostgreSQL binaries, on the same
# port and with the same user, password and database, so DATABASE_URL is the same.
#   scripts/dev-db.sh         start (idempotent)
#   scripts/dev-db.sh stop    stop the local cluster
#   scripts/dev-db.sh clean   stop it and delete its data
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${POSTGRES_PORT:-5433}"
USER_NAME="${POSTGRES_USER:-rekko}"
PASSWORD="${POSTGRES_PASSWORD:-rekko}"
DB_NAME="${POSTGRES_DB:-rekko_dev}"
DATA="$PWD/.pgdata"
# As root the server runs as `postgres`, which must be able to reach the data directory;
# when this checkout is somewhere it cannot (a private home), keep the data in /tmp.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PWD"; then
  DATA="${TMPDIR:-/tmp}/ferry-pgdata-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)"
fi

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || { echo "error: $1 not found: install the PostgreSQL server (apt-get install postgresql) or use Docker" >&2; exit 1; }
  echo "$found"
}

# The server refuses to run as root: use the postgres user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

docker_works() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

case "${1:-start}" in
  stop|clean)
    if [ -f "$DATA/postmaster.pid" ]; then as_pg "$(find_bin pg_ctl)" -D "$DATA" stop -m fast >/dev/null; fi
    if [ "$1" = clean ]; then
      rm -rf "$DATA"
      if docker_works; then docker compose down -v; fi
    fi
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/dev-db.sh [start|stop|clean]" >&2; exit 2 ;;
esac

if docker_works; then
  docker compose up -d --wait
  echo "postgres://$USER_NAME:****@localhost:$PORT/$DB_NAME (docker compose)"
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
  pwfile=$(mktemp)
  printf '%s\n' "$PASSWORD" >"$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
  as_pg "$(find_bin initdb)" -D "$DATA" -U "$USER_NAME" --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C >/dev/null
  rm -f "$pwfile"
fi
if ! as_pg "$(find_bin pg_ctl)" -D "$DATA" status >/dev/null 2>&1; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "error: port $PORT is already in use by something else (another PostgreSQL?); stop it, or choose another port with POSTGRES_PORT=5434 and DATABASE_URL to match" >&2
    exit 1
  fi
  as_pg "$(find_bin pg_ctl)" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k $DATA -c listen_addresses=localhost" start >/dev/null
fi
export PGPASSWORD="$PASSWORD"
if ! psql -h localhost -p "$PORT" -U "$USER_NAME" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  psql -h localhost -p "$PORT" -U "$USER_NAME" -d postgres -qc "CREATE DATABASE \"$DB_NAME\""
fi
echo "postgres://$USER_NAME:****@localhost:$PORT/$DB_NAME (local cluster in .pgdata; stop it with: make dev-stop)"
