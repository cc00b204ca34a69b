//! `ferry lint`, and its findings in `up`, `up --dry-run` and `validate`.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{ferry_in, output, Files, TestDb};

/// An existing table, then a migration that indexes it the blocking way and one that is
/// safe (the table it indexes is its own).
fn risky(migrations: &std::path::Path) {
    for (name, sql) in [
        ("1_users.sql", "CREATE TABLE users (id int, email text);"),
        (
            "2_index.sql",
            "-- the email lookup\nCREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN tenant bigint NOT NULL;\n",
        ),
        (
            "3_posts.sql",
            "CREATE TABLE posts (id int, user_id int);\nCREATE INDEX posts_user ON posts (user_id);\n",
        ),
    ] {
        std::fs::write(migrations.join(name), sql).expect("write migration");
    }
}

#[test]
fn lint_names_file_line_and_rule_and_fails_on_errors() {
    let db = Files::new();
    risky(&db.migrations());
    // No database: every file.
    let a = ferry_in(db.path()).arg("lint").assert().code(5);
    let (out, err) = output(&a);
    assert!(
        out.contains("2_index.sql:2: index-not-concurrent (error): CREATE INDEX on users blocks writes to it until the index is built; instead: CREATE INDEX CONCURRENTLY"),
        "{out}"
    );
    assert!(
        out.contains("2_index.sql:3: add-column-not-null (error)"),
        "{out}"
    );
    assert!(
        !out.contains("3_posts.sql"),
        "its own table is exempt: {out}"
    );
    assert!(
        err.contains("2 error(s), 0 warning(s) in 3 migration(s)"),
        "{err}"
    );
    assert!(err.contains("lint found 2 error(s)"), "{err}");
}

#[test]
fn lint_speaks_json_and_sarif() {
    let db = Files::new();
    risky(&db.migrations());
    let a = ferry_in(db.path())
        .args(["lint", "--format", "json"])
        .assert()
        .code(5);
    let (out, _) = output(&a);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["errors"], 2);
    assert_eq!(doc["findings"][0]["rule"], "index-not-concurrent");
    assert_eq!(doc["findings"][0]["line"], 2);
    assert_eq!(doc["findings"][0]["severity"], "error");

    let a = ferry_in(db.path())
        .args(["lint", "--format", "sarif"])
        .assert()
        .code(5);
    let (out, _) = output(&a);
    let sarif: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ferry");
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 15);
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "index-not-concurrent");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "migrations/2_index.sql"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
}

#[test]
fn with_a_database_lint_reads_the_pending_migrations() {
    let db = TestDb::new();
    db.write("1_users.sql", "CREATE TABLE users (id int, email text);")
        .write("2_old.sql", "TRUNCATE users;");
    db.ferry().arg("up").assert().success();
    db.write("3_new.sql", "ALTER TABLE users DROP COLUMN email;");
    let a = db.ferry().arg("lint").assert().success();
    let (out, err) = output(&a);
    assert!(out.contains("3_new.sql:1: drop-column (warning)"), "{out}");
    assert!(!out.contains("2_old.sql"), "applied already: {out}");
    assert!(
        err.contains("0 error(s), 1 warning(s) in 1 migration(s): the pending migrations"),
        "{err}"
    );
    // Named files are linted whatever their state.
    let a = db
        .ferry()
        .args(["lint", "migrations/2_old.sql"])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(out.contains("2_old.sql:1: truncate (warning)"), "{out}");
}

#[test]
fn lint_refuses_a_file_that_is_not_a_migration() {
    let db = Files::new();
    risky(&db.migrations());
    std::fs::write(db.path().join("scratch.sql"), "SELECT 1;").unwrap();
    for (file, expected) in [
        ("scratch.sql", "scratch.sql is not a migration file in"),
        ("missing.sql", "cannot read missing.sql"),
    ] {
        let a = ferry_in(db.path()).args(["lint", file]).assert().code(2);
        let (_, err) = output(&a);
        assert!(err.contains(expected), "{file}: {err}");
    }
}

#[test]
fn allow_silences_a_rule_and_an_unknown_id_is_named() {
    let db = Files::new();
    db.write("1_users.sql", "CREATE TABLE users (id int, email text);")
        .write(
            "2_index.sql",
            "-- ferry:allow index-not-concurrent, index-not-concurent\n-- (the table is tiny)\nCREATE INDEX users_email ON users (email);\n",
        );
    let a = ferry_in(db.path()).arg("lint").assert().success();
    let (out, err) = output(&a);
    assert!(!out.contains("index-not-concurrent (error)"), "{out}");
    assert!(
        err.contains("`-- ferry:allow index-not-concurent` names no rule"),
        "{err}"
    );
}

#[test]
fn up_warns_dry_run_shows_and_strict_lint_refuses() {
    let db = TestDb::new();
    risky(&db.migrations());
    db.ferry().args(["up", "1"]).assert().success();
    // Strict: refused before anything runs.
    let a = db.ferry().args(["up", "--strict-lint"]).assert().code(5);
    let (_, err) = output(&a);
    assert!(
        err.contains("refusing to up (--strict-lint): 2 lint error(s)"),
        "{err}"
    );
    assert!(err.contains("2_index.sql:2: index-not-concurrent"), "{err}");
    assert_eq!(db.version_row(), "1 f");
    let a = db
        .ferry()
        .args(["up"])
        .env("FERRY_STRICT_LINT", "1")
        .assert()
        .code(5);
    let (_, err) = output(&a);
    assert!(err.contains("--strict-lint"), "{err}");
    // The dry run shows them.
    db.ferry()
        .args(["up", "--dry-run"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: ./migrations/2_index.sql:2: index-not-concurrent",
        ));
    // validate shows them and passes.
    db.ferry()
        .arg("validate")
        .assert()
        .success()
        .stderr(predicate::str::contains("index-not-concurrent"));
    // Plain up: warned, then applied (the table is empty, so the NOT NULL column goes in).
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("warning: ./migrations/2_index.sql:2: index-not-concurrent"),
        "{err}"
    );
    assert_eq!(db.version_row(), "3 f");
}
