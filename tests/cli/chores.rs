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
