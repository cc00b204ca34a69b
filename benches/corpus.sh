#!/usr/bin/env bash
# The benchmark corpus: N small DDL migrations, the shape of a real schema's history (a
# table with an identity key, a text column, a default, and an index), and the psql
# baselines that run exactly the same SQL:
#   DIR/migrations/000001_create_t_1.up.sql … (N files)
#   DIR/per_migration.sql  each file in its own transaction with its version update, as
#                          golang-migrate records it (TRUNCATE + INSERT)
#   DIR/single.sql         every file and version update, for `psql -1`
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
  }
}'
