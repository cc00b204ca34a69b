//! The everyday chores, run against a real server. Destructive commands are checked to
//! refuse without a terminal or --yes.

use predicates::prelude::*;

use crate::common::{output, TestDb};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

/// A database with the example migrations applied.
fn migrated() -> TestDb {
    let db = TestDb::new();
    db.ferry()
        .args(["up", "--path", EXAMPLES])
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
        .args(["reset", "--yes", "--path", EXAMPLES])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("dropped "), "{err}");
    assert!(err.contains("5/u index_faces_metadata"), "{err}");
    assert_eq!(db.version_row(), "5 f");
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
        .args(["reset", "-y", "--path", EXAMPLES])
        .assert()
        .success();
    assert_eq!(db.version_row(), "5 f");
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
        vec!["reset", "--path", EXAMPLES],
        vec!["drop"],
        vec!["restore", "dump.sql"],
        vec!["down", "--all", "--path", EXAMPLES],
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
    assert_eq!(db.version_row(), "5 f");
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
    assert!(err.contains("the database is at version 5"), "{err}");
    assert_eq!(fresh.version_row(), "5 f");
    assert_eq!(
        fresh.column("SELECT name FROM tenants ORDER BY id"),
        ["acme, inc.", "globex"]
    );
    assert_eq!(
        fresh.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "5"
    );
    fresh
        .ferry()
        .args(["status", "--fail-on-pending", "--path", EXAMPLES])
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
    assert_eq!(fresh.version_row(), "5 f");
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
    assert_eq!(migrated_copy.version_row(), "5 f");
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
    assert!(db.tables().is_empty(), "{:?}", db.tables());
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
