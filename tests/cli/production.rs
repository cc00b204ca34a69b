//! Deploys that do not take production down: a migration waits a short while for a table
//! lock, is rolled back and retried when it cannot get it, and names who holds it.

use std::time::{Duration, Instant};

use crate::common::{finish, output, TestDb};

/// A reader with an open transaction on `table`, as a long report or a stuck request has.
fn reader(db: &TestDb, table: &str) -> postgres::Client {
    let url = format!("{}?application_name=nightly-report", db.url);
    let mut reader = postgres::Client::connect(&url, postgres::NoTls).expect("connect reader");
    reader
        .batch_execute(&format!("BEGIN; SELECT count(*) FROM {table};"))
        .expect("open the reader's transaction");
    reader
}

fn faces(db: &TestDb) {
    db.write("1_faces.sql", "CREATE TABLE faces (id int);")
        .write(
            "2_quality.sql",
            "ALTER TABLE faces ADD COLUMN quality real;",
        );
    db.ferry().args(["up", "1"]).assert().success();
}

#[test]
fn production_a_migration_blocked_by_a_reader_gives_up_naming_it() {
    let db = TestDb::new();
    faces(&db);
    let _reader = reader(&db, "faces");
    let started = Instant::now();
    let a = db
        .ferry()
        .args(["up", "--ddl-lock-timeout", "1s", "--ddl-retries", "1"])
        .assert()
        .code(1);
    let took = started.elapsed();
    let (_, err) = output(&a);
    assert!(took < Duration::from_secs(6), "took {took:?}");
    assert!(
        err.contains(
            "2_quality.sql timed out waiting for a lock and was rolled back; retry 1 of 1"
        ),
        "{err}"
    );
    assert!(
        err.contains("waited longer than its lock timeout (1s) for a lock on each of 2 tries"),
        "{err}"
    );
    assert!(err.contains("nightly-report"), "{err}");
    assert!(err.contains("idle in transaction"), "{err}");
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(
        db.one("SELECT count(*) FROM information_schema.columns WHERE column_name = 'quality'"),
        "0"
    );
}

#[test]
fn production_traffic_is_not_stalled_behind_a_waiting_migration() {
    let db = TestDb::new();
    faces(&db);
    let _reader = reader(&db, "faces");
    let child = db.spawn(&["up", "--ddl-lock-timeout", "500ms", "--ddl-retries", "3"]);
    // While ferry waits and retries, a new query on the table gets through within about
    // the lock timeout: the waiting ALTER lets go instead of queueing everyone behind it.
    db.wait_for_ferry_to_wait_for_a_lock();
    let started = Instant::now();
    assert_eq!(db.one("SELECT count(*) FROM faces"), "0");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "a plain SELECT took {:?}",
        started.elapsed()
    );
    let (code, err) = finish(child);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn production_a_migration_goes_through_once_the_reader_commits() {
    let db = TestDb::new();
    faces(&db);
    let mut reader = reader(&db, "faces");
    let child = db.spawn(&["up", "--ddl-lock-timeout", "300ms", "--ddl-retries", "5"]);
    db.wait_for_ferry_to_wait_for_a_lock();
    reader.batch_execute("COMMIT").unwrap();
    let (code, err) = finish(child);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2/u quality"), "{err}");
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn production_a_file_sets_its_own_lock_timeout_and_no_transaction_statements_are_retried() {
    let db = TestDb::new();
    db.write("1_faces.sql", "CREATE TABLE faces (id int);")
        .write(
            "2_slow_ok.sql",
            "-- ferry:lock-timeout 0\nALTER TABLE faces ADD COLUMN quality real;",
        )
        .write(
            "3_nt.sql",
            "-- ferry:no-transaction\nALTER TABLE faces ADD COLUMN score real;",
        );
    db.ferry().args(["up", "1"]).assert().success();
    // Waits as long as it takes (0): the reader commits after a while and it goes through,
    // although the flag says 200ms.
    let mut first = reader(&db, "faces");
    let child = db.spawn(&[
        "up",
        "1",
        "--ddl-lock-timeout",
        "200ms",
        "--ddl-retries",
        "0",
    ]);
    std::thread::sleep(Duration::from_millis(800));
    first.batch_execute("COMMIT").unwrap();
    let (code, err) = finish(child);
    assert_eq!(code, 0, "{err}");

    // A no-transaction statement that timed out is tried again, and the lock timeout the
    // session had comes back afterwards.
    let mut second = reader(&db, "faces");
    let child = db.spawn(&[
        "up",
        "--ddl-lock-timeout",
        "300ms",
        "--ddl-retries",
        "5",
        "-v",
    ]);
    std::thread::sleep(Duration::from_millis(700));
    second.batch_execute("COMMIT").unwrap();
    let (code, err) = finish(child);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("3_nt.sql timed out waiting for a lock"),
        "{err}"
    );
    assert_eq!(db.version_row(), "3 f");

    db.write("4_bad.sql", "-- ferry:lock-timeout soon\nSELECT 1;");
    let a = db.ferry().arg("up").assert().code(5);
    assert!(
        output(&a)
            .1
            .contains("4_bad.sql:1: `soon` is not a duration"),
        "{}",
        output(&a).1
    );
}

#[test]
fn production_statement_timeout_overrides_the_servers() {
    let db = TestDb::new();
    db.write("1_slow.sql", "SELECT pg_sleep(0.5);");
    let a = db
        .ferry()
        .args(["up", "--statement-timeout", "100ms"])
        .assert()
        .code(1);
    assert!(
        output(&a)
            .1
            .contains("canceling statement due to statement timeout"),
        "{}",
        output(&a).1
    );
    assert_eq!(db.version_row(), "empty");
    db.ferry()
        .args(["up", "--statement-timeout", "5s"])
        .assert()
        .success();
}

#[test]
fn production_rekkos_schema_with_pgvector_and_a_late_concurrent_ivfflat_index() {
    if crate::common::missing_extensions(&["vector"]) {
        return;
    }
    let db = TestDb::new();
    db.write(
        "000001_vector.up.sql",
        "CREATE EXTENSION IF NOT EXISTS vector;",
    )
    .write("000001_vector.down.sql", "DROP EXTENSION vector;")
    .write(
        "000002_faces.up.sql",
        "CREATE TABLE faces (\n  id bigserial PRIMARY KEY,\n  tenant_id int NOT NULL,\n  \
             embedding vector(512) NOT NULL\n);",
    )
    .write("000002_faces.down.sql", "DROP TABLE faces;")
    .write(
        "000003_faces_embedding_ivfflat.up.sql",
        "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS faces_embedding_ivfflat \
             ON faces USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);",
    )
    .write(
        "000003_faces_embedding_ivfflat.down.sql",
        "DROP INDEX CONCURRENTLY IF EXISTS faces_embedding_ivfflat;",
    );
    db.ferry().args(["up", "2"]).assert().success();
    // The index is built after the data, as ivfflat wants.
    db.exec(
        "INSERT INTO faces (tenant_id, embedding) \
         SELECT i % 10, (SELECT array_agg(random()) FROM generate_series(1, 512) WHERE i > 0)::vector \
         FROM generate_series(1, 2000) i",
    );
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "3 f");
    assert_eq!(
        db.one(
            "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'faces_embedding_ivfflat'::regclass"
        ),
        "true"
    );
    // Every list probed: with random embeddings one list may hold fewer than five rows.
    let nearest = db.column(
        "SET ivfflat.probes = 100; \
         SELECT id FROM faces ORDER BY embedding <=> (SELECT embedding FROM faces WHERE id = 1) LIMIT 5",
    );
    assert_eq!(nearest.len(), 5);
    db.ferry()
        .args(["down", "--all", "--yes"])
        .assert()
        .success();
    assert_eq!(
        db.one("SELECT count(*) FROM pg_extension WHERE extname = 'vector'"),
        "0"
    );
}

/// 50 migrations, the 25th without a transaction, each failing if it ran twice.
fn fifty(db: &TestDb) {
    for v in 1..=50 {
        let sql = if v == 25 {
            "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY i25 ON t1 (id);\nSELECT pg_sleep(0.05);".to_string()
        } else {
            format!("CREATE TABLE t{v} (id int);\nSELECT pg_sleep(0.01);")
        };
        db.write(&format!("{v}_m{v}.sql"), &sql);
    }
}

/// `runs` concurrent `ferry up ARGS` on `url`, each waiting up to a minute for the others;
/// their exit codes and stderr once all have finished.
fn racing_ups(db: &TestDb, url: &str, runs: usize, args: &[&str]) -> Vec<(i32, String)> {
    let children: Vec<_> = (0..runs)
        .map(|_| {
            crate::common::ferry_process(db.path())
                .args(["up", "--lock-timeout", "60s"])
                .args(args)
                .env("DATABASE_URL", url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn ferry")
        })
        .collect();
    children.into_iter().map(finish).collect()
}

#[test]
fn production_eight_runs_through_pgbouncer_apply_each_migration_once() {
    let db = TestDb::new();
    fifty(&db);
    let url = db.pooled_url();
    for (code, err) in racing_ups(&db, &url, 8, &["--lock-mode", "transaction"]) {
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(db.version_row(), "50 f");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "50"
    );
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations_lock"), "0");
    assert_eq!(
        db.advisory_locks(),
        "0",
        "an advisory lock outlived the runs"
    );
    // status through the pooler says how it locks.
    let a = db
        .ferry()
        .env("DATABASE_URL", &url)
        .args(["status", "--lock-mode", "transaction"])
        .assert()
        .success();
    assert!(
        output(&a).0.contains("locking    transaction (as asked)"),
        "{}",
        output(&a).0
    );
}

#[test]
fn production_auto_says_which_lock_mode_it_chose_and_why() {
    // A pooler on an address auto does not know stays in session mode, and says so: the
    // rules are in the README (port 6543, `pooler` host names).
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.ferry()
        .env("DATABASE_URL", db.pooled_url())
        .args(["up", "--lock-mode", "transaction"])
        .assert()
        .success();
    let a = db
        .ferry()
        .env("DATABASE_URL", db.pooled_url())
        .args(["status", "-v"])
        .assert()
        .success();
    let (out, err) = output(&a);
    assert!(
        out.contains("locking    session (auto: no transaction pooler recognised"),
        "{out}"
    );
    assert!(err.contains("lock mode: session"), "{err}");
}

#[test]
fn production_auto_takes_transaction_mode_on_a_pooler_it_recognises() {
    let Some(bouncer) = crate::common::pgbouncer_on_6543() else {
        return;
    };
    let db = TestDb::new();
    fifty(&db);
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{}?sslmode=disable",
        bouncer.port, db.name
    );
    for (code, err) in racing_ups(&db, &url, 4, &["-v"]) {
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("lock mode: transaction (auto: port 6543 is a transaction pooler's"),
            "{err}"
        );
    }
    assert_eq!(db.version_row(), "50 f");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "50"
    );
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations_lock"), "0");
}

#[test]
fn production_every_locking_command_works_through_pgbouncer_in_transaction_mode() {
    let db = TestDb::new();
    db.write("1_a.up.sql", "CREATE TABLE a (id int);")
        .write("1_a.down.sql", "DROP TABLE a;")
        .write(
            "2_b.sql",
            "-- ferry:no-transaction\nCREATE TABLE b (id int);",
        );
    std::fs::create_dir(db.path().join("seeds")).unwrap();
    std::fs::write(db.path().join("seeds/a.csv"), "id\n1\n2\n").unwrap();
    let url = db.pooled_url();
    let ferry = |args: &[&str]| {
        let mut cmd = db.ferry();
        cmd.env("DATABASE_URL", &url)
            .env("FERRY_LOCK_MODE", "transaction")
            .args(args);
        cmd
    };
    ferry(&["up"]).assert().success();
    ferry(&["seed"]).assert().success();
    assert_eq!(db.one("SELECT count(*) FROM a"), "2");
    ferry(&["dump", "through-the-pooler.sql"])
        .assert()
        .success();
    let dumped = std::fs::read_to_string(db.path().join("through-the-pooler.sql")).unwrap();
    assert!(dumped.contains("CREATE TABLE public.a"), "{dumped}");
    assert!(
        !dumped.contains("schema_migrations_lock"),
        "the lease is not dumped"
    );
    ferry(&["force", "1"]).assert().success();
    ferry(&["force", "2"]).assert().success();
    ferry(&["goto", "1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "cannot be rolled back: it has no down migration",
        ));
    ferry(&["goto", "1", "--allow-missing-down"])
        .assert()
        .success();
    ferry(&["reset", "--yes"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    ferry(&["drop", "--yes"]).assert().success();
    assert_eq!(db.tables(), Vec::<String>::new());
    db.exec(
        "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, \
           is_applied boolean NOT NULL, tstamp timestamp NULL default now());
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true);
         CREATE TABLE a (id int);",
    );
    ferry(&["adopt"]).assert().success();
    ferry(&["up"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations_lock"), "0");
    assert_eq!(db.advisory_locks(), "0");
}

/// Version 1 applied in transaction mode, 2 pending, and another run's lease: `lease`
/// is the row's values after its id.
fn one_applied_and_a_lease(lease: &str) -> TestDb {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.ferry()
        .args(["up", "--lock-mode", "transaction"])
        .assert()
        .success();
    db.write("2_b.sql", "CREATE TABLE b (id int);");
    db.exec(&format!(
        "INSERT INTO schema_migrations_lock VALUES (1, {lease})"
    ));
    db
}

#[test]
fn production_a_lease_whose_holder_went_quiet_is_described_as_such() {
    // A run killed outright: its lease stays until it expires, not renewed since.
    let db = one_applied_and_a_lease(
        "'ferry:ci-7:4242:1', 'ci-7', 4242, now() - interval '70 seconds', \
         now() - interval '70 seconds', now() + interval '50 seconds'",
    );
    let a = db
        .ferry()
        .args(["up", "--lock-mode", "transaction", "--lock-timeout", "1s"])
        .assert()
        .code(4);
    let (_, err) = crate::common::output(&a);
    assert!(
        err.contains("ferry:ci-7:4242:1 (host ci-7, pid 4242)")
            && err.contains("it has not renewed the lease for 7")
            && err.contains("s (a live run does every 20s), so its run is likely gone")
            && err.contains("the lease expires in 5"),
        "{err}"
    );
    assert!(
        err.contains("Wait for that run to finish (or its lease to expire)"),
        "{err}"
    );
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn production_transaction_mode_leaves_no_session_setting_on_the_poolers_connections() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write(
            "2_b.up.sql",
            "-- ferry:no-transaction\nCREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);",
        )
        .write("2_b.down.sql", "DROP TABLE b;");
    let url = db.pooled_url();
    for _ in 0..3 {
        db.ferry()
            .args([
                "up",
                "--database-url",
                &url,
                "--lock-mode",
                "transaction",
                "--ddl-lock-timeout",
                "7s",
            ])
            .assert()
            .success();
        db.ferry()
            .args([
                "down",
                "--yes",
                "--database-url",
                &url,
                "--lock-mode",
                "transaction",
            ])
            .assert()
            .success();
    }
    // Every server connection the pooler hands out (its pool holds two), each in a
    // transaction so that they are distinct.
    let mut clients: Vec<postgres::Client> = (0..2)
        .map(|_| postgres::Client::connect(&url, postgres::NoTls).unwrap())
        .collect();
    for client in &mut clients {
        client.batch_execute("BEGIN").unwrap();
    }
    for client in &mut clients {
        let timeout: String = client.query_one("SHOW lock_timeout", &[]).unwrap().get(0);
        assert_eq!(timeout, "0", "lock_timeout left on a pooled connection");
        let check: String = client
            .query_one(
                "SELECT current_setting('client_connection_check_interval', true)",
                &[],
            )
            .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
            .unwrap();
        assert!(
            check.is_empty() || check == "0",
            "client_connection_check_interval = {check}"
        );
    }
}

#[test]
fn production_concurrent_runs_in_transaction_mode_apply_each_repeatable_once_and_wait_out_a_dirty_row(
) {
    let db = TestDb::new();
    // A CONCURRENTLY build that takes a while: every run starting meanwhile sees the row
    // dirty under a live lease, and must wait for it, not refuse.
    db.write("1_t.sql", "CREATE TABLE t (id int);").write(
        "2_ix.sql",
        "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nSELECT pg_sleep(1.5);",
    );
    db.write(
        "R__view.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id FROM t;",
    )
    .write(
        "R__grant.sql",
        "CREATE OR REPLACE VIEW w AS SELECT 1 AS one;",
    );
    let url = db.pooled_url();
    let first = crate::common::ferry_process(db.path())
        .args(["up", "--lock-mode", "transaction"])
        .env("DATABASE_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    db.wait_for_sleep();
    let mut results = racing_ups(&db, &url, 6, &["--lock-mode", "transaction"]);
    results.push(finish(first));
    for (code, err) in &results {
        assert_eq!(*code, 0, "{err}");
    }
    assert_eq!(db.version_row(), "2 f");
    assert_eq!(
        db.column(
            "SELECT name || ' ' || count(*) FROM schema_migrations_history \
             WHERE direction = 'repeatable' GROUP BY name ORDER BY name"
        ),
        ["grant 1", "view 1"]
    );
}

#[test]
fn production_session_mode_through_a_transaction_pooler_is_refused_not_half_run() {
    let db = TestDb::new();
    fifty(&db);
    let url = db.pooled_url();
    let results = racing_ups(&db, &url, 8, &["--lock-mode", "session"]);
    let refused = results
        .iter()
        .filter(|(code, err)| {
            *code == 2
                && err.contains("a transaction pooler is in between")
                && err.contains("--lock-mode transaction")
        })
        .count();
    for (code, err) in &results {
        assert!(
            *code == 0 || (*code == 2 && err.contains("a transaction pooler is in between")),
            "{code}: {err}"
        );
    }
    assert!(
        refused > 0,
        "eight runs at once through the pooler: some must see it"
    );
    // Whatever ran, ran once (when every run was refused, nothing did: no history table),
    // and no session lock stays on the pooler's connections.
    if db.one("SELECT to_regclass('schema_migrations_history') IS NOT NULL") == "t" {
        assert_eq!(
            db.one(
                "SELECT count(*) FROM (SELECT version FROM schema_migrations_history \
                 WHERE direction = 'up' GROUP BY version HAVING count(*) > 1) twice"
            ),
            "0"
        );
    }
    assert_eq!(
        db.advisory_locks(),
        "0",
        "a session lock stayed on a pooled connection"
    );
}

#[test]
fn production_a_session_mode_run_waits_for_a_transaction_mode_runs_live_lease() {
    // A transaction-mode run in the middle of a no-transaction migration, alive.
    let db = one_applied_and_a_lease(
        "'ferry:pooled:77:1', 'pooled', 77, now(), now(), now() + interval '60 seconds'",
    );
    let a = db
        .ferry()
        .args(["up", "--lock-mode", "session", "--lock-timeout", "1s"])
        .assert()
        .code(4);
    let (_, err) = crate::common::output(&a);
    assert!(
        err.contains("the migration lease is held by ferry:pooled:77:1 (host pooled, pid 77)"),
        "{err}"
    );
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(db.advisory_locks(), "0");
    // Once it is given back, the session-mode run goes ahead.
    db.exec("DELETE FROM schema_migrations_lock");
    db.ferry()
        .args(["up", "--lock-mode", "session"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn production_session_and_transaction_mode_runs_on_one_database_do_not_deadlock() {
    let db = TestDb::new();
    db.write("1_t.sql", "CREATE TABLE t (id int);")
        .write(
            "2_ix.sql",
            "-- ferry:no-transaction\nSELECT pg_sleep(1.5);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
        )
        .write("3_u.sql", "CREATE TABLE u (id int);");
    // A transaction-mode run made the lease table: both modes have been used here.
    db.ferry()
        .args(["up", "1", "--lock-mode", "transaction"])
        .assert()
        .success();
    let session = crate::common::ferry_process(db.path())
        .args(["up", "--lock-mode", "session", "--lock-timeout", "60s"])
        .env("DATABASE_URL", &db.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    db.wait_for_sleep();
    // Its migration transactions wait for the session lock from outside a transaction:
    // the CONCURRENTLY build, which waits for every older transaction, is not held up.
    let transaction = crate::common::ferry_process(db.path())
        .args(["up", "--lock-mode", "transaction", "--lock-timeout", "60s"])
        .env("DATABASE_URL", &db.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    for (code, err) in [finish(session), finish(transaction)] {
        assert_eq!(code, 0, "{err}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(db.version_row(), "3 f");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "3"
    );
    assert_eq!(
        db.one("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_id'::regclass"),
        "true"
    );
}
