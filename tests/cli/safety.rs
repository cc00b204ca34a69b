//! The safety protocol: failures roll back, no-transaction failures stay dirty, dirty
//! databases are refused, one lock excludes concurrent runs, late merges are caught.

use predicates::prelude::*;

use crate::common::{finish, output, TestDb};

#[test]
fn golang_migrate_database_is_continued_keeping_one_row() {
    let db = TestDb::new();
    db.write("1_a.up.sql", "CREATE TABLE a (id int);")
        .write("2_b.up.sql", "CREATE TABLE b (id int);");
    // What golang-migrate leaves after applying version 1.
    db.exec(
        "CREATE TABLE a (id int);
         CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
         INSERT INTO schema_migrations VALUES (1, false);",
    );
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("version    1\n"));
    db.ferry()
        .arg("up")
        .assert()
        .success()
        .stderr(predicate::str::contains("2/u b"));
    assert_eq!(db.version_row(), "2 f");
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations"), "1");
    assert_eq!(
        db.column("SELECT direction || ' ' || version FROM schema_migrations_history ORDER BY id"),
        ["baseline 1", "up 2"]
    );
}

#[test]
fn dirty_database_is_refused_with_the_force_to_run() {
    let db = TestDb::new();
    db.write("1_a.up.sql", "CREATE TABLE a (id int);")
        .write("1_a.down.sql", "DROP TABLE a;")
        .write("2_b.up.sql", "CREATE TABLE b (id int);")
        .write("2_b.down.sql", "DROP TABLE b;");
    db.exec(
        "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
         INSERT INTO schema_migrations VALUES (2, true);",
    );
    for command in ["up", "down"] {
        let a = db.ferry().arg(command).assert().code(3);
        let (_, err) = output(&a);
        assert!(err.contains("dirty at version 2"), "{err}");
        assert!(
            err.contains("`ferry force 2`") && err.contains("`ferry force 1`"),
            "{err}"
        );
    }
    db.ferry()
        .arg("version")
        .assert()
        .success()
        .stdout("2 (dirty)\n");
    db.ferry().args(["force", "1"]).assert().success();
    assert_eq!(db.version_row(), "1 f");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn syntax_error_rolls_back_and_points_at_the_line() {
    let db = TestDb::new();
    db.write("1_a.up.sql", "CREATE TABLE a (id int);");
    db.write(
        "2_b.up.sql",
        "CREATE TABLE b (id int);\n\nCREATE TABLE c (\n  id int,\n  name txet\n);\n",
    );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "2_b.up.sql failed and was rolled back; the database stays at version 1 (not dirty)"
        ),
        "{err}"
    );
    assert!(
        err.contains("2_b.up.sql:5:8\n 5 |   name txet\n   |        ^"),
        "{err}"
    );
    assert!(
        err.contains("type \"txet\" does not exist") && err.contains("SQLSTATE: 42704"),
        "{err}"
    );
    assert_eq!(db.version_row(), "1 f");
    assert!(
        !db.tables().contains(&"b".to_string()),
        "the first statement was rolled back"
    );
}

#[test]
fn error_without_a_position_still_names_the_statement() {
    let db = TestDb::new();
    db.write(
        "1_ext.up.sql",
        "CREATE TABLE a (id int);\nCREATE EXTENSION no_such_extension;\nCREATE TABLE b (id int);\n",
    );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("1_ext.up.sql:2:1\n 2 | CREATE EXTENSION no_such_extension;"),
        "{err}"
    );
    assert!(err.contains("no_such_extension"), "{err}");
    assert_eq!(db.version_row(), "empty");
    assert!(!db.tables().contains(&"a".to_string()));
}

#[test]
fn concurrent_index_without_directive_is_refused_before_running() {
    let db = TestDb::new();
    db.write("1_t.sql", "CREATE TABLE t (a int);");
    db.write(
        "2_idx.sql",
        "CREATE TABLE u (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n",
    );
    let a = db.ferry().arg("up").assert().code(5);
    let (_, err) = output(&a);
    assert!(
        err.contains("2_idx.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction"),
        "{err}"
    );
    assert!(err.contains("-- ferry:no-transaction"), "{err}");
    assert!(
        db.tables().is_empty(),
        "refused before connecting, nothing ran"
    );

    db.write("2_idx.sql", "-- ferry:no-transaction\nCREATE TABLE u (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
    db.ferry().arg("up").assert().success();
    assert_eq!(
        db.one("SELECT count(*) FROM pg_indexes WHERE indexname = 't_a'"),
        "1"
    );
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn failed_no_transaction_migration_stays_dirty() {
    let db = TestDb::new();
    db.write("1_t.sql", "CREATE TABLE t (a int);");
    db.write("2_idx.sql", "-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\n");
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("failed at statement 2 of 2"), "{err}");
    assert!(err.contains("2_idx.sql:3:"), "{err}");
    assert!(err.contains("dirty at version 2"), "{err}");
    assert_eq!(db.version_row(), "2 t");
    db.ferry()
        .arg("up")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("ferry force 1"));
    db.ferry().args(["force", "1"]).assert().success();
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn six_concurrent_ups_apply_each_migration_once() {
    let db = TestDb::new();
    for v in 1..=8 {
        db.write(
            &format!("{v:03}_m.sql"),
            &format!("CREATE TABLE t{v} (id int); SELECT pg_sleep(0.02);"),
        );
    }
    let procs: Vec<_> = (0..6).map(|_| db.spawn(&["up"])).collect();
    for p in procs {
        let (code, err) = finish(p);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(db.version_row(), "8 f");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "8"
    );
}

#[test]
fn late_merged_lower_version_is_refused_unless_allowed() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write("3_c.sql", "CREATE TABLE c (id int);");
    db.ferry().arg("up").assert().success();
    db.write("2_b.sql", "CREATE TABLE b (id int);");
    db.ferry().arg("up").assert().code(5).stderr(
        predicate::str::contains("2_b.sql").and(predicate::str::contains("--allow-out-of-order")),
    );
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("out of order"));
    db.ferry().arg("validate").assert().code(5);
    db.ferry()
        .args(["up", "--allow-out-of-order"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "3 f");
    assert!(db.tables().contains(&"b".to_string()));
    db.ferry().arg("validate").assert().success();
}
