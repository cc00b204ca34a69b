//! Faults on purpose: killed, interrupted and terminated runs, a lock holder, a race.
//! After each, the database is in a known state and the next run completes.

use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{finish, TestDb};

fn spawn_up(db: &TestDb, extra: &[&str]) -> Child {
    let mut args = vec!["up"];
    args.extend_from_slice(extra);
    db.spawn(&args)
}

fn signal(child: &Child, sig: &str) {
    let status = Process::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The server notices the dead client within about a second (client_connection_check_interval).
fn wait_until_idle(db: &TestDb) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let sql = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND application_name = 'ferry'",
        db.name
    );
    while db.one(&sql) != "0" {
        assert!(
            Instant::now() < deadline,
            "ferry's backend outlived its process"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigkill_in_a_transactional_migration_leaves_the_previous_version() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);").write(
        "2_slow.sql",
        "CREATE TABLE half (id int);\nSELECT pg_sleep(60);\n",
    );
    let child = spawn_up(&db, &[]);
    db.wait_for_sleep();
    signal(&child, "-KILL");
    let _ = finish(child);
    wait_until_idle(&db);
    assert_eq!(db.version_row(), "1 f");
    assert!(
        !db.tables().contains(&"half".to_string()),
        "nothing of the killed migration"
    );
    db.write("2_slow.sql", "CREATE TABLE half (id int);\n");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn sigkill_between_no_transaction_statements_leaves_it_dirty_and_recoverable() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);").write(
        "2_nt.sql",
        "-- ferry:no-transaction\nCREATE TABLE b (id int);\nSELECT pg_sleep(60);\nCREATE INDEX CONCURRENTLY b_id ON b (id);\n",
    );
    let child = spawn_up(&db, &[]);
    db.wait_for_sleep();
    signal(&child, "-KILL");
    let _ = finish(child);
    wait_until_idle(&db);
    assert_eq!(db.version_row(), "2 t");
    db.ferry().arg("up").assert().code(3).stderr(
        predicate::str::contains("`ferry force 2`")
            .and(predicate::str::contains("`ferry force 1`")),
    );
    // The recovery the message describes: finish the statements by hand, then force.
    db.exec("CREATE INDEX b_id ON b (id)");
    db.ferry().args(["force", "2"]).assert().success();
    db.ferry()
        .arg("up")
        .assert()
        .success()
        .stderr(predicate::str::contains("no change"));
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn ctrl_c_in_a_window_finishes_the_running_migration_and_starts_no_other() {
    // 1–3 go to the server together, one message: what is sent still stops at Ctrl-C.
    for pipelined in [true, false] {
        let db = TestDb::new();
        db.write("1_a.sql", "CREATE TABLE a (id int);")
            .write(
                "2_slow.sql",
                "CREATE TABLE b (id int);\nSELECT pg_sleep(1.5);\n",
            )
            .write("3_c.sql", "CREATE TABLE after_sigint (id int);")
            .write("4_d.sql", "CREATE TABLE d (id int);");
        let child = spawn_up(&db, if pipelined { &[] } else { &["--no-pipeline"] });
        db.wait_for_sleep();
        signal(&child, "-INT");
        let (code, err) = finish(child);
        assert_eq!(code, 130, "{err}");
        assert!(
            err.contains("the migration running finishes and no later one starts"),
            "the handler says what finishes: {err}"
        );
        assert!(
            err.contains("interrupted: stopped before ./migrations/3_c.sql; 2 of 4 migration(s) ran and the database is at version 2"),
            "{err}"
        );
        assert_eq!(db.version_row(), "2 f");
        assert!(db.tables().contains(&"b".to_string()));
        assert!(!db.tables().contains(&"after_sigint".to_string()));
        assert_eq!(
            db.column("SELECT version::text FROM schema_migrations_history ORDER BY id"),
            ["1", "2"]
        );
        db.ferry().arg("up").assert().success();
        assert_eq!(db.version_row(), "4 f");
    }
}

#[test]
fn ctrl_c_finishes_the_running_migration_and_starts_no_other() {
    let db = TestDb::new();
    // A no-transaction migration goes alone: what is in flight is just it.
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write(
            "2_slow.sql",
            "-- ferry:no-transaction\nCREATE TABLE b (id int);\nSELECT pg_sleep(1.5);\n",
        )
        .write("3_c.sql", "CREATE TABLE c (id int);")
        .write("4_d.sql", "CREATE TABLE d (id int);");
    let child = spawn_up(&db, &[]);
    db.wait_for_sleep();
    signal(&child, "-INT");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(
        err.contains("stopped before") && err.contains("3_c.sql"),
        "{err}"
    );
    assert!(err.contains("at version 2"), "{err}");
    assert_eq!(db.version_row(), "2 f");
    assert!(!db.tables().contains(&"c".to_string()));
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "4 f");
}

#[test]
fn terminated_backend_is_a_clear_error_with_nothing_half_done() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);").write(
        "2_slow.sql",
        "CREATE TABLE half (id int);\nSELECT pg_sleep(60);\n",
    );
    let child = spawn_up(&db, &[]);
    db.wait_for_sleep();
    db.exec(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND application_name = 'ferry'",
        db.name
    ));
    let (code, err) = finish(child);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("2_slow.sql"),
        "the message names the migration: {err}"
    );
    assert!(err.contains("stays at version 1 (not dirty)"), "{err}");
    assert_eq!(db.version_row(), "1 f");
    assert!(!db.tables().contains(&"half".to_string()));
    db.write("2_slow.sql", "CREATE TABLE half (id int);\n");
    db.ferry().arg("up").assert().success();
}

#[test]
fn lock_holder_is_named_and_its_death_lets_ferry_proceed() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    let (holder, pid) = db.hold_migration_lock(Some("deploy-bot"));

    let started = Instant::now();
    db.ferry()
        .args(["up", "--lock-timeout", "2s"])
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains(format!("pid {pid}"))
                .and(predicate::str::contains("deploy-bot")),
        );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );

    let child = spawn_up(&db, &["--lock-timeout", "20s"]);
    // Once ferry's session has asked for the lock (its last query names it), the holder goes.
    let asking = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND application_name = 'ferry' \
         AND query LIKE '%advisory%'",
        db.name
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while db.one(&asking) == "0" {
        assert!(Instant::now() < deadline, "ferry never asked for the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(holder);
    let (code, err) = finish(child);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("waiting for the migration lock"), "{err}");
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn eight_racing_ups_over_two_hundred_migrations_run_each_once() {
    let db = TestDb::new();
    for v in 1..=200 {
        db.write(
            &format!("{v:04}_t.sql"),
            &format!("CREATE TABLE t{v} (id int);"),
        );
    }
    let children: Vec<Child> = (0..8)
        .map(|_| spawn_up(&db, &["--lock-timeout", "60s"]))
        .collect();
    for child in children {
        let (code, err) = finish(child);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(db.version_row(), "200 f");
    assert_eq!(
        db.one("SELECT count(*) FROM (SELECT version FROM schema_migrations_history WHERE direction = 'up' GROUP BY version HAVING count(*) = 1) once"),
        "200"
    );
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history"),
        "200"
    );
}

#[test]
fn invalid_index_from_a_failed_concurrent_build_is_named_and_not_kept() {
    let db = TestDb::new();
    db.write(
        "1_t.sql",
        "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (1);",
    )
    .write(
        "2_idx.sql",
        "-- ferry:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n",
    );
    db.ferry()
        .arg("up")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not create unique index"));
    assert_eq!(db.version_row(), "2 t");
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("index public.t_a is INVALID"));
    db.ferry()
        .arg("validate")
        .assert()
        .code(5)
        .stdout(predicate::str::contains("index public.t_a: INVALID"));

    // Fixing the data and rerunning is not enough: IF NOT EXISTS would keep the broken index.
    db.exec("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)");
    db.ferry().args(["force", "1"]).assert().success();
    db.ferry().arg("up").assert().code(1).stderr(
        predicate::str::contains("index public.t_a is INVALID")
            .and(predicate::str::contains("DROP INDEX CONCURRENTLY")),
    );
    assert_eq!(db.version_row(), "2 t");

    db.exec("DROP INDEX t_a");
    db.ferry().args(["force", "1"]).assert().success();
    db.ferry().arg("up").assert().success();
    assert_eq!(
        db.one("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass"),
        "t"
    );
    db.ferry().arg("validate").assert().success();
}

#[test]
fn server_restart_mid_migration_is_a_clear_error_with_nothing_half_done() {
    let cluster = crate::common::ClusterBuilder::new("restart").start();
    cluster
        .admin()
        .batch_execute("CREATE DATABASE app")
        .unwrap();
    let url = cluster.url("app");
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(migrations.join("1_a.sql"), "CREATE TABLE a (id int);").unwrap();
    std::fs::write(
        migrations.join("2_slow.sql"),
        "CREATE TABLE half (id int);\nSELECT pg_sleep(60);\n",
    )
    .unwrap();
    let ferry = || {
        let mut cmd = crate::common::ferry_in(dir.path());
        cmd.env("DATABASE_URL", &url);
        cmd
    };

    let child = crate::common::ferry_process(dir.path())
        .arg("up")
        .env("DATABASE_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut admin = cluster.admin();
    while admin
        .query_one("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND application_name = 'ferry'", &[])
        .unwrap()
        .get::<_, i64>(0)
        == 0
    {
        assert!(Instant::now() < deadline, "the slow migration never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(admin);
    cluster.restart_fast();
    let (code, err) = finish(child);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("2_slow.sql") && err.contains("stays at version 1 (not dirty)"),
        "{err}"
    );

    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let version: i64 = client
        .query_one("SELECT version FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    let dirty: bool = client
        .query_one("SELECT dirty FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!((version, dirty), (1, false));
    let half: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'half'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(half, 0, "nothing of the interrupted migration");
    std::fs::write(
        migrations.join("2_slow.sql"),
        "CREATE TABLE half (id int);\n",
    )
    .unwrap();
    ferry().arg("up").assert().success();
}

#[test]
fn a_second_ctrl_c_cancels_the_window_in_flight_and_nothing_after_it_commits() {
    let db = TestDb::new();
    // Short migrations in one window: a server that is not told goes on through them
    // after ferry is gone.
    for v in 1..=8 {
        db.write(
            &format!("{v}_t{v}.sql"),
            &format!("CREATE TABLE t{v} (id int);\nSELECT pg_sleep(0.4);\n"),
        );
    }
    let child = spawn_up(&db, &[]);
    db.wait_for_sleep();
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, "-INT");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    let at_exit = db.version_row();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        db.version_row(),
        at_exit,
        "nothing committed after ferry quit"
    );
    assert!(["empty", "1 f"].contains(&at_exit.as_str()), "{at_exit}");
    assert!(!db.tables().contains(&"t3".to_string()));
}

#[test]
fn sigterm_outside_a_migration_quits_at_once_and_leaves_no_tool_or_partial_file() {
    // Waiting for a server that never comes.
    let dir = tempfile::tempdir().unwrap();
    let child = crate::common::ferry_process(dir.path())
        .args(["wait", "--timeout", "60s"])
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:9/x")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    signal(&child, "-TERM");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        !err.contains("the migration running finishes"),
        "nothing was in flight: {err}"
    );
}

/// What a [`proxy`] does when the client sends its trigger.
#[derive(Clone, Copy)]
enum Cut {
    /// Both ways, before the server sees it: the network failing at one exact moment.
    Both,
    /// The client's side only, after passing the trigger on: the server process goes on
    /// with what it was sent, writing into the void, as when a network path dies.
    ClientOnly,
}

/// A TCP proxy to the test server that cuts the connection when the client sends
/// `trigger`, once per connection.
fn proxy(db: &TestDb, trigger: &'static [u8], cut: Cut) -> u16 {
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let upstream = db.port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                continue;
            };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            let handles = (c_write.try_clone().unwrap(), s_write.try_clone().unwrap());
            let cut_off = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let cut_seen = cut_off.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = c_read.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let hit = buf[..n].windows(trigger.len()).any(|w| w == trigger);
                    if hit && matches!(cut, Cut::Both) {
                        let _ = handles.0.shutdown(Shutdown::Both);
                        let _ = handles.1.shutdown(Shutdown::Both);
                        break;
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    if hit {
                        cut_seen.store(true, std::sync::atomic::Ordering::SeqCst);
                        let _ = handles.0.shutdown(Shutdown::Both);
                        // The server's side stays open, read and thrown away.
                        std::mem::forget(s_write);
                        break;
                    }
                }
            });
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = s_read.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if cut_off.load(std::sync::atomic::Ordering::SeqCst) {
                        continue;
                    }
                    if c_write.write_all(&buf[..n]).is_err() {
                        cut_off.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            });
        }
    });
    port
}

#[test]
fn a_connection_lost_while_releasing_the_lock_after_a_deploy_is_a_warning() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write("2_b.sql", "CREATE TABLE b (id int);");
    let port = proxy(&db, b"pg_advisory_unlock", Cut::Both);
    let url = format!(
        "postgres://postgres@127.0.0.1:{port}/{}?sslmode=disable",
        db.name
    );
    let a = db
        .ferry()
        .args(["up", "--database-url", &url, "--lock-mode", "session"])
        .assert()
        .success();
    let (_, err) = crate::common::output(&a);
    assert!(
        err.contains(
            "every migration ran and is recorded, and the server lets go of a lost session's lock"
        ),
        "{err}"
    );
    assert!(err.contains("now at version 2"), "{err}");
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn a_window_whose_network_dies_is_read_back_only_once_its_server_process_is_gone() {
    let db = TestDb::new();
    for v in 1..=6 {
        db.write(
            &format!("{v}_t{v}.sql"),
            &format!("CREATE TABLE t{v} (id int);\nSELECT pg_sleep(0.3);\n"),
        );
    }
    // The window reaches the server; ferry's side of the network dies right after.
    let port = proxy(&db, b"CREATE TABLE t1", Cut::ClientOnly);
    let url = format!(
        "postgres://postgres@127.0.0.1:{port}/{}?sslmode=disable",
        db.name
    );
    let a = db
        .ferry()
        .args(["up", "--database-url", &url, "--lock-mode", "session"])
        .assert()
        .code(1);
    let (_, err) = crate::common::output(&a);
    let said = db.version_row();
    // Nothing commits after ferry has said where the database is.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(db.version_row(), said, "{err}");
    let at = match said.as_str() {
        "empty" => "no version".to_string(),
        v => format!("version {}", v.trim_end_matches(" f")),
    };
    assert!(
        err.contains(&format!("the database stays at {at} (not dirty)")),
        "says {at}: {err}"
    );
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "6 f");
}
