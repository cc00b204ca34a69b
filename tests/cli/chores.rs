//! The everyday chores: reset, drop, dump, restore, seed, wait and psql, run against a
//! real server. Destructive commands are checked to refuse without a terminal or --yes.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{output, TestDb};

/// The example migrations (as this server can run them: see `common::examples`).
fn examples() -> &'static str {
    crate::common::examples().0.to_str().expect("a UTF-8 path")
}

fn example_seeds() -> &'static str {
    crate::common::examples().1.to_str().expect("a UTF-8 path")
}

/// A database with the example migrations applied.
fn migrated() -> TestDb {
    let db = TestDb::new();
    db.ferry()
        .args(["up", "--path", examples()])
        .assert()
        .success();
    db
}

fn tenant(db: &TestDb, name: &str) {
    db.exec(&format!(
        "INSERT INTO tenants (name, api_key_hash) VALUES ('{name}', md5('{name}') || md5('{name}'))"
    ));
}

/// Things a person might add by hand that a reset must remove too.
fn litter(db: &TestDb) {
    db.exec(
        "CREATE TABLE stray (id serial PRIMARY KEY, note text);
         INSERT INTO stray (note) VALUES ('made by hand');
         CREATE VIEW stray_notes AS SELECT note FROM stray;
         CREATE DOMAIN positive AS int CHECK (VALUE > 0);
         CREATE TYPE pair AS (a int, b int);
         CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
         CREATE SCHEMA scratch;
         CREATE TABLE scratch.notes (body text);
         CREATE EXTENSION citext;
         ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
         CREATE POLICY tenants_all ON tenants USING (true);
         CREATE MATERIALIZED VIEW tenant_names AS SELECT name FROM tenants;",
    );
}

#[test]
fn chores_reset_after_seeding_and_stray_objects_equals_fresh_plus_up() {
    let db = migrated();
    tenant(&db, "acme");
    litter(&db);
    db.exec("SELECT record_verification(1, now())");

    let a = db
        .ferry()
        .args(["reset", "--yes", "--path", examples()])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("dropped "), "{err}");
    assert!(err.contains("5/u index_faces_metadata"), "{err}");
    assert_eq!(db.version_row(), "6 f");
    assert_eq!(db.one("SELECT count(*) FROM tenants"), "0");
    assert_eq!(db.one("SELECT count(*) FROM usage_records"), "0");

    let fresh = migrated();
    assert_eq!(db.schema_dump(), fresh.schema_dump());
}

#[test]
fn chores_reset_recovers_a_dirty_database() {
    let db = migrated();
    db.exec("UPDATE schema_migrations SET dirty = true");
    db.ferry()
        .args(["reset", "-y", "--path", examples()])
        .assert()
        .success();
    assert_eq!(db.version_row(), "6 f");
}

#[test]
fn chores_drop_leaves_a_database_like_a_fresh_one() {
    let db = migrated();
    tenant(&db, "acme");
    litter(&db);
    db.ferry()
        .args(["drop", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("dropped "));
    let fresh = TestDb::new();
    assert_eq!(db.schema_dump(), fresh.schema_dump());
    db.ferry()
        .arg("version")
        .assert()
        .success()
        .stdout("none\n");
    // Dropping an empty database is fine too.
    db.ferry()
        .args(["drop", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing"));
}

#[test]
fn chores_reset_with_a_broken_migrations_dir_drops_nothing() {
    let db = migrated();
    tenant(&db, "acme");
    db.write("1_x.sql", "SELECT 1;")
        .write("01_y.sql", "SELECT 1;");
    db.ferry().args(["reset", "--yes"]).assert().code(5);
    assert_eq!(db.one("SELECT count(*) FROM tenants"), "1");
}

#[test]
fn chores_destructive_commands_refuse_without_a_terminal_or_yes() {
    let db = migrated();
    tenant(&db, "acme");
    std::fs::write(
        db.path().join("dump.sql"),
        "CREATE TABLE from_dump (id int);",
    )
    .unwrap();
    let before = db.schema_dump();
    for args in [
        vec!["reset", "--path", examples()],
        vec!["drop"],
        vec!["restore", "dump.sql"],
        vec!["down", "--all", "--path", examples()],
    ] {
        let a = db.ferry().args(&args).assert().code(2);
        let (_, err) = output(&a);
        assert!(
            err.contains("no terminal") && err.contains("--yes"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(db.schema_dump(), before);
    assert_eq!(db.one("SELECT count(*) FROM tenants"), "1");
    assert_eq!(db.version_row(), "6 f");
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

fn round_trip(format: &str, file: &str) {
    let db = migrated();
    tenant(&db, "acme, inc.");
    tenant(&db, "globex");
    let dump = db.path().join(file);
    db.ferry()
        .args(["dump", "--format", format])
        .arg(&dump)
        .assert()
        .success()
        .stdout(format!("{}\n", dump.display()));
    assert_eq!(mode(&dump), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(db.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let fresh = TestDb::new();
    let a = fresh
        .ferry()
        .args(["restore", "--yes"])
        .arg(&dump)
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("the database is at version 6"), "{err}");
    assert_eq!(fresh.version_row(), "6 f");
    assert_eq!(
        fresh.column("SELECT name FROM tenants ORDER BY id"),
        ["acme, inc.", "globex"]
    );
    assert_eq!(
        fresh.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "6"
    );
    fresh
        .ferry()
        .args(["status", "--fail-on-pending", "--path", examples()])
        .assert()
        .success();
}

#[test]
fn chores_dump_and_restore_round_trip_plain() {
    round_trip("plain", "db.sql");
}

#[test]
fn chores_dump_and_restore_round_trip_custom() {
    round_trip("custom", "db.dump");
}

#[test]
fn chores_dump_default_name_lands_in_backups_and_names_the_database() {
    let db = migrated();
    let a = db.ferry().arg("dump").assert().success();
    let (out, err) = output(&a);
    let path = out.trim();
    let prefix = format!("backups/{}-", db.name);
    assert!(
        path.starts_with(&prefix) && path.ends_with("Z.sql"),
        "{path}"
    );
    assert!(err.contains("dumped database"), "{err}");
    let file = db.path().join(path);
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("CREATE TABLE public.tenants"), "{text}");
    assert!(text.contains("COPY public.schema_migrations"), "{text}");
    let a = db
        .ferry()
        .args(["dump", "--format", "custom"])
        .assert()
        .success();
    assert!(output(&a).0.trim().ends_with("Z.dump"));
}

#[test]
fn chores_schema_only_dump_keeps_the_version_and_data_only_leaves_it_out() {
    let db = migrated();
    tenant(&db, "acme");
    db.ferry()
        .args(["dump", "--schema-only", "schema.sql"])
        .assert()
        .success();
    let text = std::fs::read_to_string(db.path().join("schema.sql")).unwrap();
    assert!(text.contains("CREATE TABLE public.tenants"));
    assert!(!text.contains("acme"), "no rows: {text}");

    let fresh = TestDb::new();
    fresh
        .ferry()
        .args(["restore", "--yes"])
        .arg(db.path().join("schema.sql"))
        .assert()
        .success();
    assert_eq!(fresh.version_row(), "6 f");
    assert_eq!(fresh.one("SELECT count(*) FROM tenants"), "0");

    db.ferry()
        .args(["dump", "--data-only", "data.sql"])
        .assert()
        .success();
    let migrated_copy = migrated();
    migrated_copy
        .ferry()
        .args(["restore", "--yes"])
        .arg(db.path().join("data.sql"))
        .assert()
        .success();
    assert_eq!(migrated_copy.column("SELECT name FROM tenants"), ["acme"]);
    assert_eq!(migrated_copy.version_row(), "6 f");
}

#[test]
fn chores_failed_restore_leaves_nothing_of_the_first_statement() {
    let db = TestDb::new();
    std::fs::write(
        db.path().join("broken.sql"),
        "CREATE TABLE first (id int);\nINSERT INTO first VALUES (1);\nCREATE TABLE second (id no_such_type);\n",
    )
    .unwrap();
    let a = db
        .ferry()
        .args(["restore", "--yes", "broken.sql"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(err.contains("broken.sql:3: ERROR:"), "{err}");
    assert!(err.contains("no_such_type"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert!(
        !err.contains("was not empty"),
        "an empty database gets no hint: {err}"
    );
    assert!(db.tables().is_empty(), "{:?}", db.tables());
}

#[test]
fn chores_restore_into_a_database_that_is_not_empty_says_how_to_empty_it() {
    let db = migrated();
    let a = db.ferry().args(["dump", "db.sql"]).assert().success();
    drop(a);
    let a = db
        .ferry()
        .args(["restore", "--yes", "db.sql"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(err.contains("already exists"), "{err}");
    assert!(
        err.contains(&format!(
            "the database was not empty: restore into a new database, or empty this one first \
             with `ferry drop --yes` (it drops everything in \"{}\")",
            db.name
        )),
        "{err}"
    );
    // The way it names works.
    db.ferry().args(["drop", "--yes"]).assert().success();
    db.ferry()
        .args(["restore", "--yes", "db.sql"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "6 f");
}

#[test]
fn chores_restore_of_a_missing_file_names_it() {
    let db = TestDb::new();
    db.ferry()
        .args(["restore", "--yes", "nowhere/backup.sql"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot restore nowhere/backup.sql: no such file",
        ));
    std::fs::write(db.path().join("empty.sql"), "").unwrap();
    db.ferry()
        .args(["restore", "--yes", "empty.sql"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.sql: the file is empty"));
}

#[test]
fn chores_missing_pg_tool_is_one_clear_error() {
    let db = migrated();
    let a = db
        .ferry()
        .env("PG_BINDIR", "/nonexistent/pg/bin")
        .args(["dump", "out.sql"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("no usable pg_dump")
            && err.contains("/nonexistent/pg/bin/pg_dump (not found)"),
        "{err}"
    );
    assert!(err.contains("PG_BINDIR"), "{err}");
    assert!(!db.path().join("out.sql").exists());
    std::fs::write(db.path().join("x.sql"), "SELECT 1;").unwrap();
    db.ferry()
        .env("PG_BINDIR", "/nonexistent/pg/bin")
        .args(["restore", "--yes", "x.sql"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/nonexistent/pg/bin/psql (not found)",
        ));
}

#[test]
fn chores_dump_format_is_checked() {
    let db = TestDb::new();
    db.ferry()
        .args(["dump", "--format", "tar"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain").and(predicate::str::contains("custom")));
    db.ferry()
        .args(["status", "--format", "custom"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ferry dump"));
}

#[test]
fn chores_wait_on_a_closed_port_fails_after_its_timeout() {
    let db = TestDb::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let started = Instant::now();
    let a = db
        .ferry()
        .env(
            "DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:{port}/x?sslmode=disable"),
        )
        .args(["wait", "--timeout", "2s"])
        .assert()
        .code(1);
    let took = started.elapsed();
    let (_, err) = output(&a);
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_millis(3500),
        "took {took:?}"
    );
    assert!(err.contains("gave up waiting"), "{err}");
    assert!(err.contains("connection refused"), "{err}");
    assert!(
        !err.contains("ferry wait"),
        "no advice to wait inside wait: {err}"
    );
}

#[test]
fn chores_wait_on_a_live_server_returns_at_once() {
    let db = TestDb::new();
    let started = Instant::now();
    db.ferry()
        .args(["wait", "--timeout", "30s"])
        .assert()
        .success()
        .stderr(predicate::str::contains("is ready"));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn chores_psql_runs_on_the_resolved_connection() {
    let db = TestDb::new();
    db.exec("CREATE TABLE marker (id int)");
    db.ferry()
        .env("DATABASE_URL", db.url_with_password())
        .args([
            "psql",
            "--",
            "-X",
            "-At",
            "-c",
            "SELECT count(*) FROM marker",
        ])
        .assert()
        .success()
        .stdout("0\n");
}

/// A migrated database with two tables, and a `seeds/` directory in its working directory.
fn seedable() -> TestDb {
    let db = TestDb::new();
    db.write(
        "1_tables.sql",
        "CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL, settings jsonb);
         CREATE SCHEMA app;
         CREATE TABLE app.people (name text, team_id int REFERENCES teams (id));",
    );
    db.ferry().arg("up").assert().success();
    std::fs::create_dir(db.path().join("seeds")).unwrap();
    db
}

fn seed_file(db: &TestDb, name: &str, text: &str) {
    std::fs::write(db.path().join("seeds").join(name), text).unwrap();
}

#[test]
fn chores_seed_loads_csv_and_sql_in_name_order() {
    let db = seedable();
    seed_file(
        &db,
        "001_teams.csv",
        "id,name,settings\n1,\"Core, platform\",\"{\"\"size\"\": 4}\"\n2,Edge,\n",
    );
    seed_file(&db, "002_app.people.csv", "name,team_id\nAda,1\nGrace,2\n");
    seed_file(
        &db,
        "003_more.sql",
        "BEGIN;\nINSERT INTO teams VALUES (3, 'Ops', NULL);\nUPDATE app.people SET team_id = 3 WHERE name = 'Grace';\nCOMMIT;\n",
    );
    seed_file(&db, "README.md", "not a seed");
    let a = db.ferry().arg("seed").assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("001_teams.csv → \"teams\": 2 rows")
            && err.contains("002_app.people.csv → \"app\".\"people\": 2 rows"),
        "{err}"
    );
    assert!(err.contains("seeded 3 files"), "{err}");
    assert_eq!(
        db.column("SELECT name || ' ' || coalesce(settings->>'size', '-') FROM teams ORDER BY id"),
        ["Core, platform 4", "Edge -", "Ops -"]
    );
    assert_eq!(
        db.column("SELECT name || ' ' || team_id FROM app.people ORDER BY name"),
        ["Ada 1", "Grace 3"]
    );
}

#[test]
fn chores_seed_of_a_csv_with_a_line_that_would_end_copy_loads_every_row() {
    let db = seedable();
    db.exec("CREATE TABLE notes (body text)");
    // PostgreSQL up to 17 ends COPY data at `\.`: the rows after it were silently lost.
    seed_file(
        &db,
        "notes.csv",
        "body\nfirst\n\\.\nthird\n\"multi\n\\.\nline\"\n",
    );
    let a = db.ferry().arg("seed").assert().success();
    let (_, err) = output(&a);
    assert!(err.contains("notes.csv → \"notes\": 4 rows"), "{err}");
    assert_eq!(
        db.column("SELECT body FROM notes ORDER BY ctid"),
        ["first", "\\.", "third", "multi\n\\.\nline"]
    );
}

#[test]
fn chores_seed_with_an_unknown_column_names_it_and_loads_nothing() {
    let db = seedable();
    seed_file(
        &db,
        "001_teams.sql",
        "INSERT INTO teams VALUES (1, 'a', NULL);",
    );
    seed_file(&db, "002_teams.csv", "id,name\n2,b\n");
    seed_file(&db, "003_app.people.csv", "name,nickname\nAda,ada\n");
    let a = db.ferry().arg("seed").assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("003_app.people.csv"), "{err}");
    assert!(err.contains("column \"nickname\""), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(db.one("SELECT count(*) FROM teams"), "0");
    assert_eq!(db.one("SELECT count(*) FROM app.people"), "0");
}

#[test]
fn chores_seed_with_an_unknown_table_or_bad_row_says_which() {
    let db = seedable();
    seed_file(&db, "ghosts.csv", "id\n1\n");
    let a = db.ferry().arg("seed").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("seeds/ghosts.csv into \"ghosts\" failed")
            && err.contains("relation \"ghosts\" does not exist"),
        "{err}"
    );
    std::fs::remove_file(db.path().join("seeds/ghosts.csv")).unwrap();
    seed_file(&db, "teams.csv", "id,name\n1,a\nx,b\n");
    let a = db.ferry().arg("seed").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("invalid input syntax for type integer"),
        "{err}"
    );
    assert!(err.contains("line 3"), "{err}");
    assert_eq!(db.one("SELECT count(*) FROM teams"), "0");
}

#[test]
fn chores_seed_sql_error_points_at_the_line() {
    let db = seedable();
    seed_file(
        &db,
        "teams.sql",
        "INSERT INTO teams VALUES (1, 'a', NULL);\n\nINSERT INTO teams VALUES (2, 'b', 'nope');\n",
    );
    let a = db.ferry().arg("seed").assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("seeds/teams.sql:3:"), "{err}");
    assert_eq!(db.one("SELECT count(*) FROM teams"), "0");
}

#[test]
fn chores_seed_without_a_transaction_keeps_what_loaded() {
    let db = seedable();
    seed_file(&db, "001_teams.csv", "id,name\n1,a\n");
    seed_file(&db, "002_teams.csv", "id,name\n1,again\n");
    db.ferry()
        .args(["seed", "--no-transaction"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("stay loaded"));
    assert_eq!(db.column("SELECT name FROM teams"), ["a"]);
}

#[test]
fn chores_seed_refuses_pending_migrations_unless_forced() {
    let db = seedable();
    db.write("2_more.sql", "CREATE TABLE later (id int);");
    seed_file(&db, "teams.csv", "id,name\n1,a\n");
    let a = db.ferry().arg("seed").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("1 migration is pending (2 more)") && err.contains("ferry up"),
        "{err}"
    );
    assert_eq!(db.one("SELECT count(*) FROM teams"), "0");
    db.ferry().args(["seed", "--force"]).assert().success();
    assert_eq!(db.one("SELECT count(*) FROM teams"), "1");
}

#[test]
fn chores_seed_input_problems_are_named_before_connecting() {
    let db = seedable();
    std::fs::remove_dir(db.path().join("seeds")).unwrap();
    db.ferry()
        .arg("seed")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no seeds directory ./seeds"));
    db.ferry()
        .args(["seed", "fixtures/missing.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fixtures/missing.csv"));
    std::fs::create_dir(db.path().join("seeds")).unwrap();
    seed_file(&db, "a.b.c.csv", "id\n1\n");
    db.ferry()
        .arg("seed")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a.b.c.csv: cannot tell which table",
        ));
    std::fs::remove_file(db.path().join("seeds/a.b.c.csv")).unwrap();
    seed_file(&db, "teams.csv", "");
    db.ferry()
        .arg("seed")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("teams.csv: it has no header row"));
}

#[test]
fn chores_example_seeds_load_into_the_example_migrations() {
    let db = migrated();
    let a = db
        .ferry()
        .args(["seed", "--path", examples(), example_seeds()])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("3 rows"), "{err}");
    assert_eq!(
        db.column("SELECT name FROM tenants ORDER BY id"),
        ["Acme, Inc.", "Globex \"Labs\"", "Initech"]
    );
    assert_eq!(
        db.one("SELECT settings->>'match_threshold' FROM tenants WHERE name = 'Acme, Inc.'"),
        "0.82"
    );
    assert_eq!(db.one("SELECT count(*) FROM faces"), "2003");
    assert_eq!(db.one("SELECT sum(verifications) FROM usage_records"), "2");
    // And a reset leaves none of it.
    db.ferry()
        .args(["reset", "--yes", "--path", examples()])
        .assert()
        .success();
    assert_eq!(db.one("SELECT count(*) FROM tenants"), "0");
}

#[test]
fn chores_failed_dump_writes_no_file_and_keeps_the_old_one() {
    let db = migrated();
    tenant(&db, "acme");
    // A role that may connect but not read tenants: pg_dump fails part way.
    // ft_<pid>_<n>: unique, and short enough not to be truncated to 63 bytes.
    let unique: Vec<&str> = db.name.splitn(4, '_').take(3).collect();
    let role = format!("{}_reader", unique.join("_"));
    db.exec(&format!(
        "CREATE ROLE \"{role}\" LOGIN PASSWORD '{}'; REVOKE ALL ON tenants FROM PUBLIC;",
        crate::common::PASSWORD
    ));
    let mut url = url::Url::parse(&db.url).unwrap();
    url.set_username(&role).unwrap();
    url.set_password(Some(crate::common::PASSWORD)).unwrap();
    std::fs::write(db.path().join("backup.sql"), "the previous backup").unwrap();
    let a = db
        .ferry()
        .env("DATABASE_URL", url.as_str())
        .args(["dump", "backup.sql"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("no dump file was written"), "{err}");
    assert!(!err.contains(crate::common::PASSWORD), "{err}");
    assert_eq!(
        std::fs::read_to_string(db.path().join("backup.sql")).unwrap(),
        "the previous backup"
    );
    let names: Vec<String> = std::fs::read_dir(db.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
    db.exec(&format!("DROP ROLE \"{role}\""));
}

/// One migration that makes every kind of object a reset must remove: partitioned tables
/// with partitions and a partitioned index, a foreign table, a materialized view, identity
/// and serial sequences, types, domains, and extensions.
const EVERY_KIND: &str = "\
CREATE EXTENSION pgcrypto;
CREATE EXTENSION postgres_fdw;
CREATE SERVER other_db FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'elsewhere');
CREATE FOREIGN TABLE remote_events (id bigint) SERVER other_db;
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at date NOT NULL, m mood, n positive)
  PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
  PARTITION BY LIST (m);
CREATE TABLE events_2025_calm PARTITION OF events_2025 FOR VALUES IN ('calm');
CREATE INDEX events_at ON events (at);
CREATE TABLE counters (id serial PRIMARY KEY, token bytea DEFAULT gen_random_bytes(8));
CREATE MATERIALIZED VIEW event_days AS SELECT DISTINCT at FROM events;
CREATE SEQUENCE loose_seq;
";

#[test]
fn chores_reset_and_drop_remove_every_kind_of_relation() {
    if crate::common::missing_extensions(&["pgcrypto", "postgres_fdw"]) {
        return;
    }
    let db = TestDb::new();
    db.write("1_every_kind.sql", EVERY_KIND);
    db.ferry().arg("up").assert().success();
    db.exec("INSERT INTO events (at, m) VALUES ('2024-05-01', 'calm'), ('2025-05-01', 'calm')");
    let fresh = TestDb::new();
    fresh.write("1_every_kind.sql", EVERY_KIND);
    fresh.ferry().arg("up").assert().success();

    let a = db.ferry().args(["reset", "--yes"]).assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "2 extensions, 1 materialized view, 1 foreign table, 2 tables, 1 sequence, 2 types"
        ),
        "{err}"
    );
    assert_eq!(db.one("SELECT count(*) FROM events"), "0");
    assert_eq!(db.schema_dump(), fresh.schema_dump());

    db.ferry().args(["drop", "--yes"]).assert().success();
    assert_eq!(db.schema_dump(), TestDb::new().schema_dump());
}

#[test]
fn chores_drop_counts_an_extension_once() {
    if crate::common::missing_extensions(&["pgcrypto"]) {
        return;
    }
    let db = TestDb::new();
    db.exec("CREATE EXTENSION pgcrypto");
    let a = db.ferry().args(["drop", "--yes"]).assert().success();
    let (_, err) = output(&a);
    assert!(err.contains("dropped 1 extension"), "{err}");
    assert!(!err.contains("2 extensions"), "{err}");
    assert_eq!(db.schema_dump(), TestDb::new().schema_dump());
}

#[test]
fn chores_pg_tools_get_no_libpq_variable_from_the_shell() {
    let db = migrated();
    let version = db.one("SHOW server_version");
    let bin = db.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let seen = db.path().join("env.txt");
    // A stand-in pg_dump: it reports the server's version and writes down its environment.
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) {version}'; exit 0; fi\n\
         env > {}\n",
        seen.display()
    );
    let tool = bin.join("pg_dump");
    std::fs::write(&tool, script).unwrap();
    std::fs::set_permissions(&tool, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let inherited = [
        ("PGSSLCERT", "/home/me/.postgresql/other.crt"),
        ("PGSSLKEY", "/home/me/.postgresql/other.key"),
        ("PGGSSENCMODE", "require"),
        ("PGSSLCRL", "/tmp/crl.pem"),
        ("PGKRBSRVNAME", "elsewhere"),
        ("PGREQUIREPEER", "nobody"),
        ("PGSSLNEGOTIATION", "direct"),
        ("PGSSLMINPROTOCOLVERSION", "TLSv1.3"),
        ("PGSERVICE", "production"),
        ("PGTARGETSESSIONATTRS", "standby"),
    ];
    let mut cmd = db.ferry();
    cmd.env("PG_BINDIR", &bin).args(["dump", "out.sql"]);
    for (name, value) in inherited {
        cmd.env(name, value);
    }
    let _ = cmd.output().expect("run ferry dump");
    let env = std::fs::read_to_string(&seen).expect("the stand-in pg_dump ran");
    for (name, _) in inherited {
        assert!(
            !env.lines().any(|l| l.starts_with(&format!("{name}="))),
            "{name} reached pg_dump:\n{env}"
        );
    }
    assert!(env.lines().any(|l| l.starts_with("PGHOST=")), "{env}");
    assert!(
        env.lines().any(|l| l == format!("PGDATABASE={}", db.name)),
        "{env}"
    );
}

#[test]
fn chores_restore_runs_nothing_but_sql_whatever_psql_command_a_dump_holds() {
    let db = TestDb::new();
    let other = TestDb::new();
    // Each a way a hostile dump could reach beyond the database: a program, a file written
    // or read, another database, errors made warnings, a guess at the key.
    let commands = [
        "\\! touch pwned",
        "SELECT 1; \\! touch pwned",
        "\\o pwned",
        "SELECT 'x' \\g pwned",
        "\\w pwned",
        "\\copy (SELECT 1) TO 'pwned'",
        "\\i /etc/hostname",
        "\\ir pwned.sql",
        "\\setenv PGPASSWORD x",
        "\\cd /",
        "\\set ON_ERROR_STOP 0",
        &format!("\\connect {}", other.name),
        "\\unrestrict 00000000000000000000000000000000",
        "\\lo_export 1 pwned",
    ];
    for command in commands {
        let dump = format!(
            "CREATE TABLE before_it (id int);\n{command}\nCREATE TABLE after_it (id int);\n"
        );
        std::fs::write(db.path().join("hostile.sql"), &dump).unwrap();
        let a = db
            .ferry()
            .args(["restore", "--yes", "hostile.sql"])
            .assert()
            .code(1);
        let (_, err) = output(&a);
        assert!(
            err.contains("hostile.sql:2: error: backslash commands are restricted")
                || err.contains("hostile.sql:2: error: \\unrestrict: wrong key"),
            "{command}: {err}"
        );
        assert!(
            err.contains("rolled back (the database is unchanged)"),
            "{command}: {err}"
        );
        assert!(!db.path().join("pwned").exists(), "{command}");
        assert!(db.tables().is_empty(), "{command}: {:?}", db.tables());
        assert!(other.tables().is_empty(), "{command}");
    }
}

#[test]
fn chores_restore_keeps_pg_dumps_own_restrict_lines_and_refuses_a_commit_in_the_middle() {
    let db = TestDb::new();
    // What newer pg_dump writes around its output.
    std::fs::write(
        db.path().join("restricted.sql"),
        "--\n-- PostgreSQL database dump\n--\n\n\\restrict a1B2c3\n\nCREATE TABLE t (v text);\n\
         COPY public.t (v) FROM stdin;\nCOMMIT\n\\.\n\n\\unrestrict a1B2c3\n",
    )
    .unwrap();
    db.ferry()
        .args(["restore", "--yes", "restricted.sql"])
        .assert()
        .success();
    assert_eq!(db.column("SELECT v FROM t"), ["COMMIT"]);

    let fresh = TestDb::new();
    std::fs::write(
        fresh.path().join("commits.sql"),
        "CREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nSELECT 1/0;\n",
    )
    .unwrap();
    fresh
        .ferry()
        .args(["restore", "--yes", "commits.sql"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "restoring commits.sql was stopped before anything of it was committed (the database \
             is unchanged): commits.sql: line 2 (COMMIT) ends or opens a transaction",
        ));
    assert!(fresh.tables().is_empty(), "{:?}", fresh.tables());
}

#[test]
fn chores_restore_refuses_a_psql_too_old_to_keep_a_dump_to_sql() {
    let db = TestDb::new();
    let bin = db.path().join("oldbin");
    std::fs::create_dir(&bin).unwrap();
    // A psql from before `\restrict` (15.13): it would run a dump's shell commands.
    std::fs::write(
        bin.join("psql"),
        "#!/bin/sh\n[ \"$1\" = --version ] && echo 'psql (PostgreSQL) 15.13' && exit 0\ntouch ran\n",
    )
    .unwrap();
    std::fs::set_permissions(
        bin.join("psql"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(db.path().join("x.sql"), "CREATE TABLE x (id int);\n").unwrap();
    let a = db
        .ferry()
        .env("PG_BINDIR", &bin)
        .args(["restore", "--yes", "x.sql"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("psql 15.13 cannot be kept to SQL")
            && err.contains("psql 13.22, 14.19, 15.14, 16.10, 17.6, 18 and later"),
        "{err}"
    );
    assert!(!db.path().join("ran").exists(), "the old psql was not run");
    assert!(db.tables().is_empty());
}
