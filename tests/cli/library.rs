//! ferry as a library: the same lock, bookkeeping and safety as the CLI, from threads,
//! mixed with the CLI, and embedded migrations.

use std::time::Duration;

use predicates::prelude::*;

use crate::common::TestDb;

#[test]
fn ten_threads_apply_every_migration_once() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    let applied: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|_| scope.spawn(|| migrator.up().expect("up").len()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(applied, 10);
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "10"
    );
    assert_eq!(db.version_row(), "10 f");
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("up to date"));
}

#[test]
fn cli_migrates_half_and_the_library_the_rest() {
    let db = TestDb::new();
    db.ten_migrations();
    db.ferry().args(["up", "5"]).assert().success();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    let applied = migrator.up().unwrap();
    assert_eq!(
        applied.iter().map(|a| a.version).collect::<Vec<_>>(),
        [6, 7, 8, 9, 10]
    );
    assert_eq!(
        migrator.version().unwrap(),
        ferry::Version {
            version: Some(10),
            dirty: false
        }
    );

    let reverted = migrator.down(3).unwrap();
    assert_eq!(
        reverted.iter().map(|a| a.version).collect::<Vec<_>>(),
        [10, 9, 8]
    );
    db.ferry().arg("version").assert().success().stdout("7\n");
    db.ferry().arg("up").assert().success();
    let status = migrator.status().unwrap();
    assert_eq!(status.len(), 10);
    assert!(status.iter().all(|s| s.state == ferry::State::Applied));
}

#[test]
fn up_with_a_borrowed_client_leaves_it_usable() {
    let db = TestDb::new();
    db.ten_migrations();
    let mut client = db.client();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .table("app.versions");
    client.batch_execute("CREATE SCHEMA app").unwrap();
    assert_eq!(migrator.up_with_client(&mut client).unwrap().len(), 10);
    let row = client
        .query_one("SELECT version FROM app.versions", &[])
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 10);
    assert!(migrator.up_with_client(&mut client).unwrap().is_empty());
}

#[test]
fn typed_errors_carry_what_a_service_needs() {
    let db = TestDb::new();
    db.write("1_ok.sql", "CREATE TABLE ok (id int);");
    db.write(
        "2_bad.sql",
        "CREATE TABLE b (id int);\nSELECT * FROM missing_table;\n",
    );
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    match migrator.up() {
        Err(ferry::Error::Migration(e)) => {
            assert_eq!(e.version, 2);
            assert!(e.file.ends_with("2_bad.sql"), "{:?}", e.file);
            assert_eq!((e.line, e.column), (Some(2), Some(15)));
            assert_eq!(e.sqlstate, "42P01");
            assert!(!e.dirty);
        }
        other => panic!("expected a migration error, got {other:?}"),
    }
    assert_eq!(db.version_row(), "1 f");

    db.exec("TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (1, true)");
    assert!(matches!(
        migrator.up(),
        Err(ferry::Error::Dirty { version: Some(1), message }) if message.contains("ferry force")
    ));
    db.exec("TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (1, false)");

    let (_holder, pid) = db.hold_migration_lock(None);
    let waiting = migrator.clone().lock_timeout(Duration::from_millis(300));
    assert!(matches!(
        waiting.up(),
        Err(ferry::Error::LockTimeout { holder, message })
            if holder.contains(&format!("pid {pid}")) && message.contains("pid")
    ));

    assert!(matches!(
        ferry::Migrator::from_dir(db.migrations()).unwrap().up(),
        Err(ferry::Error::Invalid { problems }) if problems[0].contains("database_url")
    ));
    db.write("oops.sql", "");
    db.write("1_dup.sql", "");
    match ferry::Migrator::from_dir(db.migrations()) {
        Err(ferry::Error::Invalid { problems }) => {
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(
                problems.iter().any(|p| p.contains("oops.sql")),
                "{problems:?}"
            );
        }
        other => panic!("expected the file problems, got {other:?}"),
    }
    assert!(matches!(
        ferry::Migrator::from_dir(db.migrations().join("absent")),
        Err(ferry::Error::Invalid { .. })
    ));
    let nowhere = ferry::Migrator::from_embedded(&[])
        .unwrap()
        .database_url("postgres://nobody@127.0.0.1:1/none?connect_timeout=2");
    assert!(
        matches!(nowhere.up(), Err(ferry::Error::Connect { message }) if message.contains("127.0.0.1"))
    );
}

#[test]
fn embedded_migrations_have_the_checksums_the_cli_records() {
    // The example migrations need pgvector.
    if crate::common::missing_extensions(&["vector"]) {
        return;
    }
    let db = TestDb::new();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let embedded = ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))
        .unwrap()
        .database_url(db.url.clone());
    let from_dir = ferry::Migrator::from_dir(examples).unwrap();
    assert_eq!(
        embedded.migrations().collect::<Vec<_>>(),
        from_dir.migrations().collect::<Vec<_>>()
    );
    assert_eq!(embedded.up().unwrap().len(), 6);
    // The CLI, reading the files, finds every recorded checksum its own.
    db.ferry()
        .args(["validate", "--path", examples])
        .assert()
        .success();
    db.ferry()
        .args(["status", "--path", examples])
        .assert()
        .success()
        .stdout(predicate::str::contains("up to date"))
        .stdout(predicate::str::contains("edited").not());
}

/// Advisory locks the connection `client` holds.
fn advisory_locks(client: &mut postgres::Client) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
            &[],
        )
        .expect("read pg_locks")
        .get(0)
}

#[test]
fn the_lock_is_released_on_a_borrowed_connection_whatever_happens() {
    let db = TestDb::new();
    db.write("1_ok.sql", "CREATE TABLE ok (id int);")
        .write("2_fails.sql", "SELECT 1/0;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    let mut client = db.client();

    // A failing migration.
    let err = migrator.up_with_client(&mut client).unwrap_err();
    assert!(matches!(err, ferry::Error::Migration(_)), "{err}");
    assert_eq!(advisory_locks(&mut client), 0);

    // A no-transaction failure, which leaves the database dirty, then the refusal.
    db.write("2_fails.sql", "-- ferry:no-transaction\nSELECT 1/0;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    assert!(migrator.up_with_client(&mut client).is_err());
    assert_eq!(advisory_locks(&mut client), 0);
    let err = migrator.up_with_client(&mut client).unwrap_err();
    assert!(
        matches!(
            err,
            ferry::Error::Dirty {
                version: Some(2),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(advisory_locks(&mut client), 0);

    // And the CLI is not kept waiting by the connection, which is still open.
    db.ferry()
        .args(["force", "1", "--lock-timeout", "2s"])
        .assert()
        .success();
    db.write("2_fails.sql", "SELECT 2;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    assert_eq!(migrator.up_with_client(&mut client).unwrap().len(), 1);
    assert_eq!(advisory_locks(&mut client), 0);
}

#[test]
fn the_library_migrates_through_pgbouncer_in_transaction_mode() {
    let db = TestDb::new();
    db.ten_migrations();
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.pooled_url())
        .lock_mode(ferry::LockMode::Transaction);
    let applied: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| migrator.up().expect("up").len()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(applied, 10);
    assert_eq!(db.version_row(), "10 f");
    assert_eq!(db.advisory_locks(), "0");
}

#[test]
fn up_each_migrates_every_target_and_reports_each() {
    let dbs: Vec<TestDb> = (0..5).map(|_| TestDb::new()).collect();
    dbs[0].ten_migrations();
    let migrator = ferry::Migrator::from_dir(dbs[0].migrations()).unwrap();
    let mut urls: Vec<String> = dbs.iter().map(|d| d.url.clone()).collect();
    urls.insert(
        1,
        "postgres://app:S3cret@127.0.0.1:1/gone?connect_timeout=2".to_string(),
    );
    let results = migrator.up_each(&urls, 3);
    assert_eq!(results.len(), 6);
    assert!(
        results[1].target.contains("app:****@127.0.0.1:1/gone"),
        "{}",
        results[1].target
    );
    assert!(matches!(
        results[1].result,
        Err(ferry::Error::Connect { .. })
    ));
    for (result, db) in results.iter().filter(|r| r.result.is_ok()).zip(&dbs) {
        assert_eq!(result.result.as_ref().unwrap().len(), 10);
        assert_eq!(db.version_row(), "10 f");
    }
}

#[test]
fn every_call_works_on_a_lent_client_as_on_a_url() {
    let db = TestDb::new();
    for v in 1..=3 {
        db.write(
            &format!("{v}_t{v}.up.sql"),
            &format!("CREATE TABLE t{v} (id int);"),
        )
        .write(&format!("{v}_t{v}.down.sql"), &format!("DROP TABLE t{v};"));
    }
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone());
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let versions =
        |applied: Vec<ferry::Applied>| -> Vec<i64> { applied.iter().map(|a| a.version).collect() };
    assert_eq!(
        versions(migrator.with_client(&mut client).up_to(2).unwrap()),
        [1, 2]
    );
    assert_eq!(
        migrator.with_client(&mut client).version().unwrap().version,
        Some(2)
    );
    assert_eq!(
        versions(migrator.with_client(&mut client).goto(3).unwrap()),
        [3]
    );
    assert_eq!(
        versions(migrator.with_client(&mut client).down(1).unwrap()),
        [3]
    );
    assert_eq!(
        versions(migrator.with_client(&mut client).goto(1).unwrap()),
        [2]
    );
    let states: Vec<String> = migrator
        .with_client(&mut client)
        .status()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s.version, s.state.as_str()))
        .collect();
    assert_eq!(states, ["1 applied", "2 pending", "3 pending"]);
    // The same calls on the migrator's own connection agree.
    assert_eq!(versions(migrator.goto(3).unwrap()), [2, 3]);
    assert_eq!(migrator.version().unwrap().version, Some(3));
    // The lent connection is the caller's still, and holds no lock.
    assert_eq!(advisory_locks(&mut client), 0);
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn a_source_with_values_fills_template_placeholders() {
    let db = TestDb::new();
    db.write(
        "1_tenant.sql",
        "-- ferry:template\nCREATE TABLE ${TENANT}_faces (id int);\n",
    );
    let source = ferry::Source::dir(db.migrations()).var("TENANT", "acme");
    let migrator = ferry::Migrator::from_source(source)
        .unwrap()
        .database_url(db.url.clone());
    assert_eq!(migrator.up().unwrap().len(), 1);
    assert!(db.tables().contains(&"acme_faces".to_string()));
    // Without a value the placeholder is a file problem, named before anything runs.
    let err = ferry::Migrator::from_dir(db.migrations()).expect_err("a missing value");
    assert!(matches!(err, ferry::Error::Invalid { .. }), "{err}");
    assert!(err.to_string().contains("TENANT"), "{err}");
}

#[test]
fn test_databases_are_fresh_migrated_copies_dropped_after_use() {
    let db = TestDb::new();
    db.write(
        "000001_t.up.sql",
        "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);",
    )
    .write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM t;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    // On the test server (its user has CREATEDB).
    let databases = ferry::testing::TestDatabases::on_server(migrator, &db.url).unwrap();
    let (one, two) = (databases.fresh().unwrap(), databases.fresh().unwrap());
    assert_ne!(one.name(), two.name());
    let mut a = postgres::Client::connect(one.url(), postgres::NoTls).unwrap();
    let mut b = postgres::Client::connect(two.url(), postgres::NoTls).unwrap();
    a.batch_execute("INSERT INTO t VALUES (2)").unwrap();
    let count = |c: &mut postgres::Client| {
        c.query_one("SELECT count(*) FROM v", &[])
            .unwrap()
            .get::<_, i64>(0)
    };
    assert_eq!(
        (count(&mut a), count(&mut b)),
        (2, 1),
        "each test its own copy, with the migrations' rows"
    );
    let name = one.name().to_string();
    drop(one); // with `a` still connected: its connection is ended, the database dropped
    let left = db.one(&format!(
        "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
    ));
    assert_eq!(left, "0");
    drop(two);
    drop(databases);
    // The template stays for the next run; nothing else of ours is left on the server.
    assert_eq!(
        db.one("SELECT count(*) FROM pg_database WHERE datname LIKE 'ferry\\_shadow\\_%' AND datname NOT LIKE 'ferry\\_shadow\\_t\\_%'"),
        "0"
    );
    let mine = format!(
        "SELECT datname FROM pg_database d WHERE shobj_description(d.oid, 'pg_database') LIKE '%{}%'",
        db.migrations().display()
    );
    let templates = db.column(&mine);
    assert_eq!(templates.len(), 1, "{templates:?}");
    db.exec(&format!("DROP DATABASE \"{}\"", templates[0]));
}

#[test]
fn round_trips_are_callable_from_rust_tests() {
    let db = TestDb::new();
    db.write("000001_t.up.sql", "CREATE TABLE t (id int);")
        .write("000001_t.down.sql", "DROP TABLE t;")
        .write("000002_i.up.sql", "CREATE INDEX t_id ON t (id);")
        .write("000002_i.down.sql", "SELECT 1;")
        .write("000003_x.up.sql", "ALTER TABLE t ADD COLUMN x int;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    let trips = ferry::testing::round_trips(&migrator).unwrap();
    assert!(!trips.passed());
    let outcomes: Vec<(i64, &str)> = trips
        .migrations
        .iter()
        .map(|m| (m.version, m.outcome))
        .collect();
    assert_eq!(outcomes, [(1, "ok"), (2, "failed"), (3, "one-way")]);
    assert_eq!(
        trips.migrations[1].problems,
        [
            "down of 2 leaves index `public.t_id` (added by its up)",
            "up of 2 after its down fails: 000002_i.up.sql:1: relation \"t_id\" already exists"
        ]
    );
    let panicked = std::panic::catch_unwind(|| trips.assert_passed()).unwrap_err();
    let message = panicked.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("2 i:\n  down of 2 leaves index `public.t_id`"),
        "{message}"
    );
    // Nothing was done to the test's own database: the shadow is ferry's.
    assert_eq!(
        db.one("SELECT count(*) FROM pg_class WHERE relname = 't'"),
        "0"
    );
}

#[test]
fn test_databases_and_round_trips_share_one_shadow_in_a_process() {
    let db = TestDb::new();
    db.write("000001_t.up.sql", "CREATE TABLE t (id int);")
        .write("000001_t.down.sql", "DROP TABLE t;");
    let migrator = ferry::Migrator::from_dir(db.migrations()).unwrap();
    // A process-wide set of databases on ferry's own server, kept while round trips run
    // on the same server: neither waits for the other's lock on the cluster.
    let databases = ferry::testing::TestDatabases::new(migrator.clone()).unwrap();
    let copy = databases.fresh().unwrap();
    let done = std::sync::mpsc::channel();
    let tx = done.0.clone();
    let checker = migrator.clone();
    std::thread::spawn(move || {
        let _ = tx.send(ferry::testing::round_trips(&checker).map(|t| t.passed()));
    });
    let passed = done
        .1
        .recv_timeout(Duration::from_secs(120))
        .expect("round trips while test databases are open must not wait for them");
    assert!(passed.unwrap(), "the round trips pass");
    let mut client = postgres::Client::connect(copy.url(), postgres::NoTls).unwrap();
    client.batch_execute("INSERT INTO t VALUES (1)").unwrap();
}

/// A service started from an older build (its migrations lack the newest file) lists the
/// version it does not know, and rolls it back from the SQL the history keeps.
#[test]
fn an_older_build_lists_and_reverts_what_it_does_not_know() {
    let db = TestDb::new();
    db.ten_migrations();
    ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(db.url.clone())
        .up()
        .unwrap();
    let older = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(db.migrations()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("010_") {
            std::fs::copy(&path, older.path().join(&name)).unwrap();
        }
    }
    let notes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = notes.clone();
    let migrator = ferry::Migrator::from_dir(older.path())
        .unwrap()
        .database_url(db.url.clone())
        .on_event(move |event| {
            if let ferry::Event::Note(note) = event {
                seen.lock().unwrap().push(note.to_string());
            }
        });
    assert_eq!(migrator.migrations().count(), 9);
    let unknown: Vec<i64> = migrator
        .status()
        .unwrap()
        .iter()
        .filter(|s| s.state == ferry::State::MissingFile)
        .map(|s| s.version)
        .collect();
    assert_eq!(unknown, [10]);
    let reverted = migrator.down(1).unwrap();
    assert_eq!(reverted.iter().map(|a| a.version).collect::<Vec<_>>(), [10]);
    assert_eq!(db.version_row(), "9 f");
    assert!(
        notes
            .lock()
            .unwrap()
            .iter()
            .any(|n| n.contains("is not in this build: its SQL comes from the history")),
        "{notes:?}"
    );
}
