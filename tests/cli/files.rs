//! File problems are reported before any connection is made, naming the files.

use predicates::prelude::*;

use crate::common::{output, Files, TestDb};

/// A URL nothing listens on: if ferry tried to connect, the error would say so.
const NOWHERE: &str = "postgres://nobody@127.0.0.1:1/nothing?connect_timeout=1";

fn refused_before_connecting(db: &TestDb) -> String {
    let a = db
        .ferry()
        .arg("up")
        .env("DATABASE_URL", NOWHERE)
        .assert()
        .code(5);
    let (_, err) = output(&a);
    assert!(!err.contains("connect"), "tried to connect: {err}");
    err
}

#[test]
fn misnamed_file_is_named() {
    let db = TestDb::new();
    db.write("create_users.sql", "SELECT 1;");
    let err = refused_before_connecting(&db);
    assert!(
        err.contains("create_users.sql: file name does not start with a version"),
        "{err}"
    );
}

#[test]
fn duplicate_versions_name_both_files() {
    let db = TestDb::new();
    db.write("1_a.sql", "SELECT 1;")
        .write("0001_b.up.sql", "SELECT 1;");
    let err = refused_before_connecting(&db);
    assert!(
        err.contains("0001_b.up.sql") && err.contains("1_a.sql") && err.contains("share version 1"),
        "{err}"
    );
}

#[test]
fn down_without_up_is_named() {
    let db = TestDb::new();
    db.write("000002_x.down.sql", "SELECT 1;");
    let err = refused_before_connecting(&db);
    assert!(
        err.contains("000002_x.down.sql: down file without its up file"),
        "{err}"
    );
}

#[test]
fn non_utf8_file_is_named() {
    let db = TestDb::new();
    std::fs::write(db.migrations().join("1_latin1.sql"), b"SELECT 'caf\xe9';").unwrap();
    let err = refused_before_connecting(&db);
    assert!(err.contains("1_latin1.sql:1: not valid UTF-8"), "{err}");
}

#[test]
fn several_problems_are_listed_together() {
    let db = TestDb::new();
    db.write("oops.sql", "").write("2_x.down.sql", "");
    let err = refused_before_connecting(&db);
    assert!(err.contains("2 problems"), "{err}");
}

#[test]
fn missing_directory_is_a_usage_error() {
    let db = TestDb::new();
    db.ferry()
        .args(["up", "--path", "no/such/dir"])
        .env("DATABASE_URL", NOWHERE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir").and(predicate::str::contains("--path")));
}

#[test]
fn empty_directory_is_not_an_error() {
    let db = TestDb::new();
    db.ferry()
        .arg("up")
        .assert()
        .success()
        .stderr(predicate::str::contains("no change"));
    db.ferry()
        .arg("validate")
        .env_remove("DATABASE_URL")
        .assert()
        .success();
}

#[test]
fn other_files_are_ignored() {
    let db = TestDb::new();
    db.write("README.md", "# notes")
        .write(".gitkeep", "")
        .write("1_a.sql", "CREATE TABLE a (id int);");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn validate_without_a_database_checks_files_only() {
    let db = Files::new();
    db.write("1_a.sql", "SELECT 1;").write("x.sql", "");
    let a = db.ferry().arg("validate").assert().code(5);
    let (out, _) = output(&a);
    assert!(
        out.contains("x.sql: file name does not start with a version"),
        "{out}"
    );
    let a = db
        .ferry()
        .args(["validate", "--format", "json"])
        .assert()
        .code(5);
    let doc: serde_json::Value = serde_json::from_str(&output(&a).0).unwrap();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["checked_database"], false);
}

#[test]
fn timestamp_versions_and_dbmate_and_goose_markers() {
    let db = TestDb::new();
    db.write(
        "20250214093000_dbmate.sql",
        "-- migrate:up\nCREATE TABLE d (id int);\n\n-- migrate:down\nDROP TABLE d;\n",
    )
    .write(
        "20250215093000_goose.sql",
        "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f();\n",
    )
    .write("20250216093000_plain.sql", "CREATE TABLE p (id int);");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "20250216093000 f");
    assert_eq!(db.one("SELECT f()"), "1");
    db.ferry()
        .arg("down")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "20250216093000_plain.sql cannot be rolled back",
        ));
    db.remove("20250216093000_plain.sql");
    db.ferry()
        .args(["force", "20250215093000"])
        .assert()
        .success();
    db.ferry().args(["down", "2"]).assert().success();
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_proc WHERE proname = 'f'"),
        "0"
    );
    assert!(!db.tables().contains(&"d".to_string()));
}

#[test]
fn read_only_commands_report_a_missing_directory_before_connecting() {
    // status and validate read the files while connecting; the directory itself is still
    // opened first, so a wrong --path is a usage error however far away the server is.
    let db = TestDb::new();
    for command in ["status", "validate"] {
        let a = db
            .ferry()
            .args([command, "--path", "no/such/dir"])
            .env("DATABASE_URL", NOWHERE)
            .assert()
            .code(2);
        let (_, err) = output(&a);
        assert!(err.contains("cannot read migrations directory"), "{err}");
        assert!(!err.contains("connect"), "tried to connect: {err}");
    }
}

#[test]
fn special_files_and_unprintable_names_are_reported_not_read_or_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    let dir = db.migrations();
    assert!(std::process::Command::new("mkfifo")
        .arg(dir.join("2_fifo.sql"))
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("3_zero.sql")).unwrap();
    std::fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"4_\xff.sql")),
        "SELECT 1;",
    )
    .unwrap();
    std::fs::write(dir.join("5_a\nerror: forged.sql"), "SELECT 1;").unwrap();
    let a = db
        .ferry()
        .arg("validate")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(5);
    let (out, err) = output(&a);
    for expected in [
        "./migrations/2_fifo.sql: it is not a regular file (a pipe, socket or device): a migration is a regular file",
        "./migrations/3_zero.sql: it is not a regular file",
        "./migrations/4_\u{fffd}.sql: its name is not valid UTF-8: rename the file",
        "./migrations/5_a\\nerror: forged.sql: its name holds a control character",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    assert!(!out.contains("\nerror: forged"), "{out}");
    assert!(err.contains("4 problem(s)"), "{err}");
    db.ferry()
        .arg("up")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(5);
    assert!(db.tables().is_empty());
}
