//! Reaching the database every way users do, and never showing the password.

use predicates::prelude::*;

use crate::common::{ferry_in, output, run_keeping, Cluster, ClusterBuilder, TestDb, PASSWORD};

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
        .success()
        .stderr(predicate::str::contains("note: x-multi-statement"));
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

// ---- errors a user can act on ---------------------------------------------------------

/// Runs `ferry version` with `url` (no server of ours involved), expecting exit 1 with
/// one `error:` line and no password anywhere; returns that line and how long it took.
fn connect_error(url: &str, extra: &[&str]) -> (String, std::time::Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = ferry_in(dir.path());
    cmd.arg("version").args(extra).env("DATABASE_URL", url);
    let run = run_keeping(&mut cmd, &[PASSWORD]);
    assert_eq!(run.code, Some(1), "{}{}", run.out, run.err);
    let errors: Vec<&str> = run
        .err
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.err);
    (errors[0].to_string(), run.elapsed)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[test]
fn connection_refused_names_host_and_port() {
    let port = free_port();
    let url = format!("postgres://postgres:{PASSWORD}@127.0.0.1:{port}/app");
    let (error, _) = connect_error(&url, &[]);
    assert_eq!(
        error,
        format!("error: could not connect to server at 127.0.0.1:{port}: connection refused — is PostgreSQL running and listening on port {port}? (`ferry wait` waits for it)")
    );
}

#[test]
fn unknown_host_is_named() {
    let url = format!("postgres://postgres:{PASSWORD}@no-such-host.invalid/app");
    let (error, _) = connect_error(&url, &[]);
    assert!(
        error.starts_with("error: could not resolve host \"no-such-host.invalid\" ("),
        "{error}"
    );
    assert!(
        error.ends_with(") — check the host name in DATABASE_URL"),
        "{error}"
    );
}

#[test]
fn timeout_after_connect_timeout() {
    // The kernel accepts connections to a listening socket without the program
    // calling accept(): a server that takes the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let url = format!("postgres://postgres:{PASSWORD}@127.0.0.1:{port}/app");
    let (error, elapsed) = connect_error(&url, &["--connect-timeout", "1s"]);
    assert_eq!(
        error,
        format!("error: timed out after 1s connecting to server at 127.0.0.1:{port} — is the host reachable and the port right? (raise --connect-timeout for a slow network; `ferry wait` waits for a server that is starting)")
    );
    assert!(
        elapsed < std::time::Duration::from_secs(5),
        "took {elapsed:?}"
    );
    drop(silent);
}

/// A primary with a streaming standby, once per test binary.
fn primary_and_standby() -> &'static (Cluster, Cluster) {
    static PAIR: std::sync::OnceLock<(Cluster, Cluster)> = std::sync::OnceLock::new();
    PAIR.get_or_init(|| {
        let primary = ClusterBuilder::new("primary").start();
        let standby = primary.standby("standby");
        (primary, standby)
    })
}

/// A fresh database on the primary, replicated to the standby once it is there.
fn replicated_database(name: &str) -> String {
    let (primary, standby) = primary_and_standby();
    let db = format!("{name}_{}", std::process::id());
    primary
        .admin()
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while standby
        .admin()
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&db])
        .unwrap()
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the standby did not catch up"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    db
}

#[test]
fn a_host_list_with_read_write_migrates_the_primary_and_a_standby_refuses() {
    let (primary, standby) = primary_and_standby();
    let db = replicated_database("failover");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    std::fs::write(
        dir.path().join("migrations/1_a.sql"),
        "CREATE TABLE a (id int);",
    )
    .unwrap();
    let ferry = |url: &str, args: &[&str]| {
        let mut cmd = ferry_in(dir.path());
        cmd.args(args).args(["--database-url", url]);
        cmd.assert()
    };

    // The standby first: ferry skips it and migrates the primary, in both forms.
    let keywords = format!(
        "host=127.0.0.1,127.0.0.1 port={},{} dbname={db} user=postgres sslmode=disable \
         target_session_attrs=read-write",
        standby.port, primary.port
    );
    ferry(&keywords, &["up"]).success();
    let url = format!(
        "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/{db}?sslmode=disable&target_session_attrs=read-write",
        standby.port, primary.port
    );
    let a = ferry(&url, &["status"]).success();
    let (out, _) = output(&a);
    assert!(
        out.contains(&format!("connected to 127.0.0.1:{}", primary.port)),
        "{out}"
    );
    assert!(out.contains("up to date"), "{out}");

    // The first host down: the second is used.
    let down = format!(
        "postgres://postgres@127.0.0.1:1,127.0.0.1:{}/{db}?sslmode=disable&connect_timeout=3",
        primary.port
    );
    ferry(&down, &["version"]).success().stdout("1\n");

    // Straight to the standby: reading works, migrating is refused, nothing changes.
    let on_standby = format!(
        "postgres://postgres@127.0.0.1:{}/{db}?sslmode=disable",
        standby.port
    );
    let a = ferry(&on_standby, &["status"]).success();
    assert!(
        output(&a).0.contains("read-only (a standby"),
        "{}",
        output(&a).0
    );
    std::fs::write(
        dir.path().join("migrations/2_b.sql"),
        "CREATE TABLE b (id int);",
    )
    .unwrap();
    for args in [&["up"][..], &["down", "1"], &["force", "1"]] {
        ferry(&on_standby, args).code(2).stderr(predicate::str::contains(
            "is read-only (a standby in recovery, or default_transaction_read_only): migrations run on the primary",
        ));
    }
    let a = ferry(&url, &["version"]).success();
    assert_eq!(output(&a).0, "1\n");
}

#[test]
fn unix_socket_directory_as_host_parameter_and_encoded_url() {
    let db = TestDb::new();
    let Some(socket) = db.socket_dir() else {
        eprintln!("skipped: the socket of a TEST_DATABASE_URL server is unknown");
        return;
    };
    let socket = socket.to_str().expect("utf-8 socket path").to_string();
    let port = db.port();
    let encoded = socket.replace('/', "%2F");
    for url in [
        format!("host={socket} port={port} user=postgres dbname={}", db.name),
        format!("postgres://postgres@{encoded}:{port}/{}", db.name),
        format!(
            "postgresql:///{}?host={socket}&port={port}&user=postgres",
            db.name
        ),
    ] {
        let a = db
            .ferry()
            .args(["status"])
            .env("DATABASE_URL", &url)
            .assert()
            .success();
        let out = output(&a).0;
        assert!(out.contains("TLS off"), "{url}: {out}");
        assert!(
            out.contains(&format!("postgres@/{}?host={socket}&port={port}", db.name)),
            "{url}: {out}"
        );
    }
}

#[test]
fn a_broken_dot_env_fails_only_what_needs_a_database_and_never_shows_its_values() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    std::fs::write(
        db.path().join(".env"),
        format!("DATABASE_URL=\"{}\nOTHER=1\n", db.url_with_password()),
    )
    .unwrap();
    for args in [
        &["create", "b"][..],
        &["completions", "bash"],
        &["validate"],
    ] {
        let run = crate::common::run_keeping(
            db.ferry().args(args).env_remove("DATABASE_URL"),
            &[crate::common::PASSWORD],
        );
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.err);
        assert!(
            run.err
                .contains("cannot parse env file .env: line 1 (`DATABASE_URL`) is malformed"),
            "{args:?}: {}",
            run.err
        );
    }
    let run = crate::common::run_keeping(
        db.ferry().arg("status").env_remove("DATABASE_URL"),
        &[crate::common::PASSWORD],
    );
    assert_eq!(run.code, Some(2), "{}", run.err);
    assert_eq!(run.err.lines().count(), 1, "{}", run.err);
    assert!(
        run.err.contains("--no-env-file") || run.err.contains("KEY=value"),
        "{}",
        run.err
    );
}

#[test]
fn a_password_equal_to_the_user_name_is_masked_in_its_field_only() {
    let db = TestDb::new();
    let name = format!("rekko_dev_{}", std::process::id());
    db.exec(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rekko') THEN \
         CREATE ROLE rekko LOGIN PASSWORD 'rekko'; END IF; END$$",
    );
    db.exec(&format!("CREATE DATABASE {name} OWNER rekko"));
    let url = format!(
        "postgres://rekko:rekko@127.0.0.1:{}/{name}?sslmode=disable",
        db.port()
    );
    let a = db
        .ferry()
        .args(["status", "--database-url", &url])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(
        out.contains(&format!(
            "postgres://rekko:****@127.0.0.1:{}/{name}?",
            db.port()
        )),
        "{out}"
    );
    assert!(out.contains(&format!("{name} as rekko, TLS off")), "{out}");
    let a = db
        .ferry()
        .args(["status", "--format", "json", "--database-url", &url])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&output(&a).0).unwrap();
    assert_eq!(json["user"], "rekko");
    assert_eq!(json["database"], name.as_str());

    // Text ferry did not build still has the password's text masked.
    db.write("1_bad.sql", "SELECT 'rekko'::int;");
    let a = db
        .ferry()
        .args(["up", "--database-url", &url])
        .assert()
        .failure();
    let (_, err) = output(&a);
    assert!(
        err.contains("invalid input syntax for type integer: \"****\""),
        "{err}"
    );
}

#[test]
fn a_service_file_names_the_server() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    let services = db.path().join("services.conf");
    std::fs::write(
        &services,
        format!(
            "# team services\n[scratch]\nhost=127.0.0.1\nport={}\ndbname={}\nuser=postgres\nsslmode=disable\n",
            db.port(),
            db.name
        ),
    )
    .unwrap();
    let services = services.display().to_string();
    // PGSERVICE, as psql takes it.
    ferry_in(db.path())
        .args(["up"])
        .env("PGSERVICE", "scratch")
        .env("PGSERVICEFILE", &services)
        .assert()
        .success();
    assert_eq!(db.version_row(), "1 f");
    // service= in a connection string, with a setting of its own on top.
    ferry_in(db.path())
        .args([
            "version",
            "--database-url",
            "service=scratch application_name=svc-test",
        ])
        .env("PGSERVICEFILE", &services)
        .assert()
        .success()
        .stdout("1\n");
    // ~/.pg_service.conf when PGSERVICEFILE is unset.
    let home = tempfile::tempdir().unwrap();
    std::fs::copy(&services, home.path().join(".pg_service.conf")).unwrap();
    ferry_in(db.path())
        .args(["version"])
        .env("PGSERVICE", "scratch")
        .env("HOME", home.path())
        .assert()
        .success()
        .stdout("1\n");
    // A service nobody defined is one clear error, not a silent localhost.
    ferry_in(db.path())
        .args(["version"])
        .env("PGSERVICE", "typo")
        .env("PGSERVICEFILE", &services)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: PGSERVICE: service `typo` is not defined in",
        ));
}

#[test]
fn a_dot_env_cannot_run_a_program_or_choose_the_pg_tools() {
    let db = TestDb::new();
    std::fs::create_dir(db.path().join("fakebin")).unwrap();
    let fake = db.path().join("fakebin/pg_dump");
    std::fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = --version ] && echo 'pg_dump (PostgreSQL) 99.0' && exit 0\nenv > stolen.txt\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        db.path().join(".env"),
        "FERRY_PASSWORD_COMMAND=\"touch pwned; echo x\"\nPG_BINDIR=./fakebin\n",
    )
    .unwrap();
    let a = db.ferry().arg("status").assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "warning: FERRY_PASSWORD_COMMAND in the .env file is ignored: a variable that runs or \
             chooses a program is taken from the environment only (export it, or use its flag)"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: PG_BINDIR in the .env file is ignored"),
        "{err}"
    );
    db.ferry().args(["dump", "x.sql"]).assert().success();
    assert!(!db.path().join("pwned").exists());
    assert!(!db.path().join("stolen.txt").exists());
}

#[test]
fn env_file_and_url_mistakes_never_show_the_secret() {
    let db = TestDb::new();
    std::fs::write(db.path().join(".env"), "# db\nDB_PASSWORD Sup3r S3cret\n").unwrap();
    let a = db.ferry().arg("version").assert().code(2);
    let (_, err) = output(&a);
    assert_eq!(
        err,
        "error: cannot parse env file .env: line 2 (`DB_PASSWORD`) is malformed (a space around \
         `=`, an unclosed quote?); each line should be KEY=value\n"
    );
    // A byte-order mark from an editor is no part of the first name.
    std::fs::write(
        db.path().join(".env"),
        format!("\u{feff}DATABASE_URL={}\n", db.url),
    )
    .unwrap();
    db.ferry()
        .env_remove("DATABASE_URL")
        .arg("version")
        .assert()
        .success()
        .stdout("none\n");
    std::fs::remove_file(db.path().join(".env")).unwrap();
    let a = db
        .ferry()
        .args([
            "version",
            "--database-url",
            "postgres://user:Sup3rS3cret/db",
        ])
        .assert()
        .code(2);
    let (_, err) = output(&a);
    assert!(!err.contains("Sup3rS3cret"), "{err}");
    assert!(
        err.contains("it goes before an `@` (user:password@host)"),
        "{err}"
    );
}
