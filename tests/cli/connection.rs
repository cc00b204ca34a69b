//! Reaching the database every way users do, and never showing the password.

use predicates::prelude::*;

use crate::common::{output, TestDb, PASSWORD};

fn parts(db: &TestDb) -> (String, String) {
    let url = url::Url::parse(&db.url).unwrap();
    (
        url.host_str().unwrap().to_string(),
        url.port().unwrap().to_string(),
    )
}

#[test]
fn db_variables_with_plain_numbered_files() {
    let db = TestDb::new();
    db.write("001_create_tenants.sql", "CREATE TABLE tenants (id int);")
        .write(
            "002_add_name.sql",
            "ALTER TABLE tenants ADD COLUMN name text;",
        );
    let (host, port) = parts(&db);
    db.ferry()
        .arg("up")
        .env_remove("DATABASE_URL")
        .env("DB_HOST", &host)
        .env("DB_PORT", &port)
        .env("DB_NAME", &db.name)
        .env("DB_USER", "postgres")
        .env("DB_PASSWORD", PASSWORD)
        .env("DB_SSLMODE", "disable")
        .assert()
        .success();
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn pg_variables() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    let (host, port) = parts(&db);
    db.ferry()
        .arg("up")
        .env_remove("DATABASE_URL")
        .env("PGHOST", &host)
        .env("PGPORT", &port)
        .env("PGDATABASE", &db.name)
        .env("PGUSER", "postgres")
        .env("PGSSLMODE", "disable")
        .assert()
        .success();
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn flag_beats_database_url_env() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.ferry()
        .args(["up", "--database-url", &db.url])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing")
        .assert()
        .success();
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn dot_env_file_is_read_and_real_environment_wins() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    std::fs::write(
        db.path().join(".env"),
        format!("DATABASE_URL={}\nFERRY_TABLE=from_env_file\n", db.url),
    )
    .unwrap();
    db.ferry()
        .arg("up")
        .env_remove("DATABASE_URL")
        .env("FERRY_TABLE", "real_env")
        .assert()
        .success();
    assert_eq!(db.one("SELECT version FROM real_env"), "1");
    db.ferry()
        .args(["version", "--no-env-file"])
        .env_remove("DATABASE_URL")
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", "1")
        .assert()
        .failure();
}

#[test]
fn table_flag_and_url_parameter_move_the_bookkeeping() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.exec("CREATE SCHEMA ops");
    db.ferry()
        .args(["up", "--table", "ops.migrations"])
        .assert()
        .success();
    assert_eq!(db.one("SELECT version FROM ops.migrations"), "1");
    assert_eq!(db.one("SELECT count(*) FROM ops.migrations_history"), "1");
    assert!(!db.tables().contains(&"schema_migrations".to_string()));

    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    let url = format!(
        "{}?x-migrations-table=gm_versions&x-multi-statement=true&sslmode=disable",
        db.url
    );
    db.ferry()
        .arg("up")
        .env("DATABASE_URL", url)
        .assert()
        .success();
    assert_eq!(db.one("SELECT version FROM gm_versions"), "1");
}

#[test]
fn hostile_table_name_is_a_usage_error() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.ferry()
        .args(["up", "--table", "x\"; DROP TABLE a; --"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid table name"));
    assert!(db.tables().is_empty());
}

#[test]
fn password_never_appears_in_any_output() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write("2_b.sql", "SELECT nope;");
    let url = db.url_with_password();
    let runs = [
        vec!["up"],
        vec!["status"],
        vec!["status", "--format", "json"],
        vec!["version", "--format", "json"],
        vec!["up", "--format", "json"],
        vec!["validate", "-v"],
    ];
    for args in runs {
        let a = db.ferry().args(&args).env("DATABASE_URL", &url).assert();
        let (out, err) = output(&a);
        assert!(
            !out.contains(PASSWORD) && !err.contains(PASSWORD),
            "{args:?} leaked:\n{out}\n{err}"
        );
    }
    let a = db.ferry().arg("status").env("DATABASE_URL", &url).assert();
    assert!(
        output(&a).0.contains("postgres:****@"),
        "the URL is shown redacted"
    );

    let nowhere = format!("postgres://postgres:{PASSWORD}@127.0.0.1:1/db?connect_timeout=2");
    for format in ["text", "json"] {
        let a = db
            .ferry()
            .args(["status", "--format", format])
            .env("DATABASE_URL", &nowhere)
            .assert()
            .failure();
        let (out, err) = output(&a);
        assert!(
            !out.contains(PASSWORD) && !err.contains(PASSWORD),
            "leaked on failure:\n{out}\n{err}"
        );
    }
}

#[test]
fn unknown_command_and_bad_flag_exit_two() {
    let db = TestDb::new();
    db.ferry().arg("upp").assert().code(2);
    db.ferry().args(["up", "--frobnicate"]).assert().code(2);
    db.ferry()
        .args(["up", "--lock-timeout", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("15s"));
}
