//! ferry inside an async service: the sync API on a tokio runtime's threads, the async API
//! (on ferry's own connection, a lent tokio-postgres client, a deadpool-postgres pool and
//! an sqlx pool) on multi-thread and current-thread runtimes, the lock after failures and
//! dropped futures, the events a service logs, and the example service.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::TestDb;

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a multi-thread runtime")
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// A tokio-postgres client, its connection driven on the runtime.
async fn client(db: &TestDb) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    client
}

async fn one(client: &tokio_postgres::Client, sql: &str) -> String {
    let messages = client.simple_query(sql).await.expect(sql);
    messages
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => {
                Some(row.get(0).unwrap_or("NULL").to_string())
            }
            _ => None,
        })
        .expect("a row")
}

/// Advisory locks held by any session on the client's database.
async fn advisory_locks(client: &tokio_postgres::Client) -> String {
    one(
        client,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .await
}

/// `tasks` async `up`s started together on ferry's own connections: how many migrations
/// they applied in all.
fn ups_at_once(migrator: &ferry::Migrator, tasks: usize) -> usize {
    multi_thread().block_on(async {
        let tasks: Vec<_> = (0..tasks)
            .map(|_| {
                let migrator = migrator.clone();
                tokio::spawn(async move { migrator.on_database_url().up().await })
            })
            .collect();
        let mut applied = 0;
        for task in tasks {
            applied += task.await.expect("task").expect("up").len();
        }
        applied
    })
}

fn versions(applied: &[ferry::Applied]) -> Vec<i64> {
    applied.iter().map(|a| a.version).collect()
}

#[test]
fn the_sync_api_works_on_a_tokio_runtime_of_either_kind() {
    for runtime in [multi_thread(), current_thread()] {
        let db = TestDb::new();
        db.ten_migrations();
        let migrator = ferry::Migrator::from_dir(db.migrations())
            .unwrap()
            .database_url(db.url.clone());
        let (applied, version) = runtime.block_on(async {
            // Called straight from an async task, as a service's start-up code would.
            let applied = migrator.up().expect("up inside the runtime");
            (applied, migrator.version().expect("version").version)
        });
        assert_eq!(applied.len(), 10);
        assert_eq!(version, Some(10));
        assert_eq!(db.version_row(), "10 f");
    }
}

#[test]
fn ten_async_tasks_apply_each_migration_once() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    assert_eq!(ups_at_once(&migrator, 10), 10);
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "10"
    );
    assert_eq!(db.version_row(), "10 f");
    assert_eq!(db.advisory_locks(), "0");
}

#[test]
fn every_async_call_on_a_lent_client_on_a_current_thread_runtime() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    current_thread().block_on(async {
        let client = client(&db).await;
        client
            .batch_execute("SET search_path = public")
            .await
            .unwrap();
        let on = migrator.on(&client);
        assert_eq!(versions(&on.up_to(4).await.unwrap()), [1, 2, 3, 4]);
        assert_eq!(on.up().await.unwrap().len(), 6);
        assert_eq!(versions(&on.down(3).await.unwrap()), [10, 9, 8]);
        assert_eq!(
            on.version().await.unwrap(),
            ferry::Version {
                version: Some(7),
                dirty: false
            }
        );
        let status = on.status().await.unwrap();
        assert_eq!(status.len(), 10);
        assert_eq!(
            status
                .iter()
                .filter(|s| s.state == ferry::State::Pending)
                .count(),
            3
        );
        // The client is the service's again: no lock, no transaction, its settings.
        assert_eq!(advisory_locks(&client).await, "0");
        assert_eq!(one(&client, "SHOW search_path").await, "public");
        assert_eq!(
            one(&client, "SELECT now() = statement_timestamp()").await,
            "t"
        );
    });
    assert_eq!(db.version_row(), "7 f");
}

#[test]
fn a_failure_in_the_async_path_releases_the_lock_at_once_with_typed_errors() {
    let db = TestDb::new();
    db.write("1_ok.sql", "CREATE TABLE ok (id int);")
        .write("2_fails.sql", "CREATE TABLE b (id int);\nSELECT 1/0;\n");
    multi_thread().block_on(async {
        let client = client(&db).await;
        let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
        match migrator.on(&client).up().await {
            Err(ferry::Error::Migration(e)) => {
                assert_eq!(e.version, 2);
                // Division by zero has no position: the failing statement's start.
                assert_eq!((e.line, e.column), (Some(2), Some(1)));
                assert_eq!(e.sqlstate, "22012");
                assert!(!e.dirty);
            }
            other => panic!("expected a migration error, got {other:?}"),
        }
        assert_eq!(advisory_locks(&client).await, "0");

        // A no-transaction failure leaves the database dirty; the next call says so.
        db.write("2_fails.sql", "-- ferry:no-transaction\nSELECT 1/0;\n");
        let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
        assert!(migrator.on(&client).up().await.is_err());
        let again = migrator
            .clone()
            .database_url(db.url.clone())
            .lock_timeout(Duration::ZERO);
        let err = again.on_database_url().up().await.unwrap_err();
        assert!(
            matches!(err, ferry::Error::Dirty { version: Some(2), ref message } if message.contains("ferry force")),
            "{err}"
        );
        // Nobody holds the lock: a migrator that does not wait at all gets it.
        assert_eq!(advisory_locks(&client).await, "0");
        client
            .batch_execute("UPDATE schema_migrations SET version = 1, dirty = false")
            .await
            .unwrap();
        db.write("2_fails.sql", "SELECT 2;");
        let fixed = ferry::Migrator::from_dir(db.migrations())
            .unwrap()
            .database_url(db.url.clone())
            .lock_timeout(Duration::ZERO);
        assert_eq!(versions(&fixed.on_database_url().up().await.unwrap()), [2]);

        // Typed errors for the rest, as the sync API has them.
        let nowhere = ferry::Migrator::from_embedded(&[])
            .unwrap()
            .database_url("postgres://nobody@127.0.0.1:1/none?connect_timeout=2");
        assert!(matches!(
            nowhere.on_database_url().up().await,
            Err(ferry::Error::Connect { message }) if message.contains("127.0.0.1")
        ));
        let unset = ferry::Migrator::from_embedded(&[]).unwrap();
        assert!(matches!(
            unset.on_database_url().version().await,
            Err(ferry::Error::Invalid { problems }) if problems[0].contains("database_url")
        ));
    });
}

#[test]
fn a_held_lock_is_waited_for_then_reported_with_its_holder() {
    let db = TestDb::new();
    db.ten_migrations();
    let (_holder, pid) = db.hold_migration_lock(None);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone())
        .lock_timeout(Duration::from_millis(400))
        .on_event(move |event| {
            if let ferry::Event::LockWait { holder } = event {
                seen.lock().unwrap().push(holder.to_string());
            }
        });
    let err = current_thread()
        .block_on(migrator.on_database_url().up())
        .unwrap_err();
    assert!(
        matches!(&err, ferry::Error::LockTimeout { holder, .. } if holder.contains(&format!("pid {pid}"))),
        "{err}"
    );
    let waits = waits.lock().unwrap();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0].contains(&format!("pid {pid}")), "{waits:?}");
}

/// Waits until no session of the database runs `pg_sleep` (the abandoned migration).
async fn until_idle(client: &tokio_postgres::Client) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while one(
        client,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid() AND state = 'active' \
         AND (query LIKE '%pg_sleep%' OR wait_event = 'PgSleep')",
    )
    .await
        != "0"
    {
        assert!(
            Instant::now() < deadline,
            "the abandoned migration still runs"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn a_dropped_future_on_ferrys_own_connection_is_rolled_back_as_a_kill_would() {
    let db = TestDb::new();
    db.write("1_ok.sql", "CREATE TABLE ok (id int);")
        .write(
            "2_slow.sql",
            "CREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n",
        )
        .write("3_next.sql", "CREATE TABLE next (id int);");
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    multi_thread().block_on(async {
        let watcher = client(&db).await;
        let started = Instant::now();
        let cut = tokio::time::timeout(Duration::from_millis(800), migrator.on_database_url().up());
        assert!(cut.await.is_err(), "the call should still be running");
        until_idle(&watcher).await;
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server should notice at once that the connection is gone"
        );
        assert_eq!(advisory_locks(&watcher).await, "0");
        assert_eq!(
            one(&watcher, "SELECT to_regclass('slow') IS NULL").await,
            "t"
        );
        assert_eq!(
            one(
                &watcher,
                "SELECT version || ' ' || dirty FROM schema_migrations"
            )
            .await,
            "1 false"
        );
    });
    db.write("2_slow.sql", "CREATE TABLE slow (id int);");
    let fixed = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone())
        .lock_timeout(Duration::ZERO);
    assert_eq!(versions(&fixed.up().unwrap()), [2, 3]);
}

#[test]
fn a_dropped_future_on_a_lent_client_rolls_the_migration_back_and_gives_the_client_back_clean() {
    let db = TestDb::new();
    db.write("1_ok.sql", "CREATE TABLE ok (id int);")
        .write(
            "2_slow.sql",
            "CREATE TABLE slow (id int);\nSELECT pg_sleep(1);\n",
        )
        .write("3_next.sql", "CREATE TABLE next (id int);");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    current_thread().block_on(async {
        let client = client(&db).await;
        let watcher = self::client(&db).await;
        let cut = tokio::time::timeout(Duration::from_millis(300), migrator.on(&client).up());
        assert!(cut.await.is_err(), "the call should still be running");
        until_idle(&watcher).await;
        // The clean-up queued behind it has run once the client answers again.
        assert_eq!(one(&client, "SELECT 1").await, "1");
        assert_eq!(advisory_locks(&watcher).await, "0");
        assert_eq!(
            one(&client, "SELECT now() = statement_timestamp()").await,
            "t"
        );
        // Migration 2 was rolled back, as a kill would have it; 3 never started.
        let row = "SELECT version || ' ' || dirty FROM schema_migrations";
        assert_eq!(one(&watcher, row).await, "1 false");
        let absent = "SELECT to_regclass('slow') IS NULL AND to_regclass('next') IS NULL";
        assert_eq!(one(&watcher, absent).await, "t");
        assert_eq!(versions(&migrator.on(&client).up().await.unwrap()), [2, 3]);
    });
}

#[test]
fn a_deadpool_client_carries_the_async_api() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    multi_thread().block_on(async {
        let mut config = deadpool_postgres::Config::new();
        config.url = Some(db.url.clone());
        let pool = config
            .create_pool(
                Some(deadpool_postgres::Runtime::Tokio1),
                tokio_postgres::NoTls,
            )
            .expect("a pool");
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (pool, migrator) = (pool.clone(), migrator.clone());
                tokio::spawn(async move {
                    let client = pool.get().await.expect("a pooled client");
                    migrator.on(&client).up().await.expect("up").len()
                })
            })
            .collect();
        let mut applied = 0;
        for task in tasks {
            applied += task.await.unwrap();
        }
        assert_eq!(applied, 10);
        let client = pool.get().await.unwrap();
        assert_eq!(advisory_locks(&client).await, "0");
    });
    assert_eq!(db.version_row(), "10 f");
}

#[test]
fn events_tell_a_service_what_ran_how_long_it_took_and_what_was_edited() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write("2_b.sql", "CREATE TABLE b (id int);");
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    let record = move |event: &ferry::Event<'_>| {
        let line = match event {
            ferry::Event::StepDone {
                version,
                duration_ms: Some(ms),
                ..
            } => {
                assert!(*ms >= 0.0);
                format!("done {version}")
            }
            ferry::Event::Warning(text) => format!("warning {text}"),
            _ => return,
        };
        log.lock().unwrap().push(line);
    };
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone())
        .on_event(record.clone());
    migrator.up().unwrap();
    assert_eq!(*events.lock().unwrap(), ["done 1", "done 2"]);

    events.lock().unwrap().clear();
    db.write("1_a.sql", "CREATE TABLE a (id bigint);");
    db.write("3_c.sql", "CREATE TABLE c (id int);");
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone())
        .on_event(record);
    current_thread()
        .block_on(migrator.on_database_url().up())
        .unwrap();
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].starts_with("warning ") && events[0].contains("1_a.sql was edited"),
        "{events:?}"
    );
    assert_eq!(events[1], "done 3");
}

#[cfg(feature = "tracing")]
#[test]
fn events_are_tracing_events_in_a_services_subscriber() {
    // A service installs one subscriber for the process. (A subscriber per test thread
    // would race with the other tests over tracing's per-callsite interest cache.)
    static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());
    struct Log;
    impl std::io::Write for Log {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            LOG.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let subscriber = tracing_subscriber::fmt()
        .with_writer(|| Log)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    let db = TestDb::new();
    db.write("1_traced_probe.sql", "CREATE TABLE a (id int);");
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    // Inside the service's span: the engine's thread carries it.
    tracing::info_span!("startup", replica = 7).in_scope(|| migrator.up().unwrap());
    current_thread()
        .block_on(migrator.on_database_url().version())
        .unwrap();
    let log = String::from_utf8(LOG.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("up 1 traced_probe ("))
        .unwrap_or_else(|| panic!("no line for the migration in:\n{log}"));
    assert!(line.contains("INFO startup{replica=7}: ferry"), "{line}");
    assert!(line.contains("duration_ms="), "{line}");
    assert!(line.contains("version=1"), "{line}");
}

#[cfg(feature = "sqlx")]
#[test]
fn an_sqlx_pool_replaces_sqlx_migrate() {
    let db = TestDb::new();
    db.ten_migrations();
    db.write(
        "011_bad.sql",
        "CREATE TABLE bad (id int);\nSELECT * FROM missing;\n",
    );
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    multi_thread().block_on(async {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(&db.url)
            .await
            .expect("an sqlx pool");
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let (pool, migrator) = (pool.clone(), migrator.clone());
                tokio::spawn(async move { migrator.on_pool(&pool).up_to(10).await })
            })
            .collect();
        let mut applied = 0;
        for task in tasks {
            applied += task.await.unwrap().expect("up_to").len();
        }
        assert_eq!(applied, 10);
        match migrator.on_pool(&pool).up().await {
            Err(ferry::Error::Migration(e)) => {
                assert_eq!(e.version, 11);
                assert_eq!((e.line, e.column), (Some(2), Some(15)));
                assert_eq!(e.sqlstate, "42P01");
                assert!(e.to_string().contains("011_bad.sql:2:15"), "{e}");
            }
            other => panic!("expected a migration error, got {other:?}"),
        }
        let status = migrator.on_pool(&pool).status().await.unwrap();
        assert_eq!(status.len(), 11);
        let locks: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(locks, 0);
    });
    assert_eq!(db.version_row(), "10 f");

    // A database sqlx itself migrated: refused until `ferry adopt sqlx` records it.
    let other = TestDb::new();
    other.exec(
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
           installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, \
           checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL); \
         INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
           VALUES (1, 't1', TRUE, '\\x00', 5)",
    );
    let err = multi_thread()
        .block_on(async {
            let pool = sqlx::PgPool::connect(&other.url).await.unwrap();
            migrator.on_pool(&pool).up().await
        })
        .unwrap_err();
    assert!(
        matches!(&err, ferry::Error::Invalid { problems } if problems[0].contains("ferry adopt")),
        "{err}"
    );
    assert_eq!(
        other.one("SELECT to_regclass('schema_migrations') IS NULL"),
        "t"
    );
}

/// The example service, built with this test run's features (so nothing is rebuilt
/// differently): `cargo test` builds examples, but a filtered run (`--test cli`) does not,
/// and may find an old build.
fn example_binary() -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let mut features = vec!["tokio"];
        if cfg!(feature = "sqlx") {
            features.push("sqlx");
        }
        if cfg!(feature = "tracing") {
            features.push("tracing");
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Process::new(cargo)
            .args([
                "build",
                "--quiet",
                "--example",
                "health_server",
                "--features",
            ])
            .arg(features.join(","))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example");
        assert!(status.success());
    });
    let ferry = assert_cmd::cargo::cargo_bin("ferry");
    ferry
        .parent()
        .unwrap()
        .join("examples")
        .join("health_server")
}

/// GET /health on `addr`.
fn health(addr: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn ten_replicas_of_the_example_service_start_at_once_and_all_serve() {
    // The service embeds the example migrations, which need pgvector.
    if crate::common::missing_extensions(&["vector"]) {
        return;
    }
    let db = TestDb::new();
    let mut replicas: Vec<_> = (0..10)
        .map(|_| {
            Process::new(example_binary())
                .arg("127.0.0.1:0")
                .env("DATABASE_URL", &db.url)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a replica")
        })
        .collect();
    let mut applied = 0;
    for child in &mut replicas {
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("a line").expect("stdout");
        let addr = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected: {first}"))
            .to_string();
        let response = health(&addr);
        assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
        assert!(response.ends_with("ok: schema version 6\n"), "{response}");
        child.kill().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let _ = child.wait();
        applied += stderr.lines().filter(|l| l.starts_with("applied ")).count();
    }
    assert_eq!(applied, 6, "each migration is applied by one replica only");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "6"
    );
    assert_eq!(db.version_row(), "6 f");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    db.ferry()
        .args(["status", "--path", examples])
        .assert()
        .success()
        .stdout(predicate::str::contains("up to date"));
}

#[test]
fn the_example_service_exits_with_the_typed_errors_code() {
    let db = TestDb::new();
    db.exec("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); \
             INSERT INTO schema_migrations VALUES (2, true)");
    let out = Process::new(example_binary())
        .arg("127.0.0.1:0")
        .env("DATABASE_URL", &db.url)
        .output()
        .expect("run the example");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("dirty"),
        "{stderr}"
    );
}

#[test]
fn async_calls_through_pgbouncer_in_transaction_mode_apply_each_migration_once() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.pooled_url())
        .lock_mode(ferry::LockMode::Transaction);
    assert_eq!(ups_at_once(&migrator, 4), 10);
    assert_eq!(db.version_row(), "10 f");
    assert_eq!(db.advisory_locks(), "0");
}

#[test]
fn up_each_async_migrates_every_target_concurrently() {
    let dbs: Vec<TestDb> = (0..4).map(|_| TestDb::new()).collect();
    dbs[0].ten_migrations();
    let migrator = ferry::Migrator::from_dir(dbs[0].migrations()).unwrap();
    let urls: Vec<String> = dbs.iter().map(|d| d.url.clone()).collect();
    let results = current_thread().block_on(migrator.up_each_async(&urls, 2));
    assert_eq!(results.len(), 4);
    for (result, db) in results.iter().zip(&dbs) {
        assert_eq!(
            result.result.as_ref().expect("up").len(),
            10,
            "{}",
            result.target
        );
        assert_eq!(db.version_row(), "10 f");
    }
    // Again: nothing left to do anywhere.
    let again = current_thread().block_on(migrator.up_each_async(&urls, 4));
    assert!(again
        .iter()
        .all(|r| r.result.as_ref().is_ok_and(Vec::is_empty)));
}

#[test]
fn a_window_whose_connection_is_killed_is_read_back_on_the_async_api_too() {
    let db = TestDb::new();
    for v in 1..=5 {
        let sql = if v == 3 {
            "CREATE TABLE m3 (id int);\nSELECT pg_sleep(60);".to_string()
        } else {
            format!("CREATE TABLE m{v} (id int);")
        };
        db.write(&format!("{v}_m{v}.sql"), &sql);
    }
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    let err = std::thread::scope(|scope| {
        scope.spawn(|| {
            db.wait_for_sleep();
            db.terminate_sleepers();
        });
        multi_thread()
            .block_on(migrator.on_database_url().up())
            .unwrap_err()
    });
    let text = err.to_string();
    assert!(
        text.contains("3_m3.sql") && text.contains("stays at version 2 (not dirty)"),
        "{text}"
    );
    assert_eq!(db.version_row(), "2 f");
}
