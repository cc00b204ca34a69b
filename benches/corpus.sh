#!/usr/bin/env bash
# The benchmark corpus: N small DDL migrations, the shape of a real schema's history (a
# table with an identity key, a text column, a default, and an index), and the psql
# baselines that run exactly the same SQL:
#   DIR/migrations/000001_create_t_1.up.sql … (N files)
#   DIR/per_migration.sql  each file in its own transaction with its version update, as
#                          golang-migrate records it (TRUNCATE + INSERT)
#   DIR/single.sql         every file and version update, for `psql -1`
#   DIR/migrations/…down.sql and DIR/per_migration_down.sql: the downs (DROP TABLE), newest
#                          first, for `down --all` against psql
# Usage: benches/corpus.sh DIR N
set -euo pipefail
DIR=${1:?usage: corpus.sh DIR N}
N=${2:?usage: corpus.sh DIR N}
mkdir -p "$DIR/migrations"
# One awk process writes every file: a shell loop spends seconds forking for 10,000.
awk -v dir="$DIR" -v n="$N" 'BEGIN {
  table = "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
  each = dir "/per_migration.sql"; single = dir "/single.sql"
  print table > each; print table > single
  for (i = 1; i <= n; i++) {
    sql = sprintf("CREATE TABLE t_%d (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX t_%d_name ON t_%d (name);\n", i, i, i)
    file = sprintf("%s/migrations/%06d_create_t_%d.up.sql", dir, i, i)
    printf "%s", sql > file; close(file)
    version = sprintf("TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (%d, false);\n", i)
    printf "BEGIN;\n%s%sCOMMIT;\n", sql, version > each
    printf "%s%s", sql, version > single
    down = sprintf("%s/migrations/%06d_create_t_%d.down.sql", dir, i, i)
    printf "DROP TABLE t_%d;\n", i > down; close(down)
  }
  # The downs, newest first, each with golang-migrate bookkeeping.
  back = dir "/per_migration_down.sql"
  for (i = n; i >= 1; i--) {
    previous = (i > 1) ? sprintf("INSERT INTO schema_migrations VALUES (%d, false);", i - 1) : ""
    printf "BEGIN;\nDROP TABLE t_%d;\nTRUNCATE schema_migrations; %s\nCOMMIT;\n", i, previous > back
  }
}'
