//! Pipelining is invisible: the same directories, with a failure injected at every
//! position of a window, run with windows and one migration at a time (`--no-pipeline`),
//! give the same exit code, output, version row, history and tables.

use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use crate::common::{ferry_process, ClusterBuilder, TestDb};

/// Six migrations go together in one window.
const COUNT: usize = 6;

#[derive(Debug, Clone, Copy)]
enum Fault {
    /// A syntax error: the server refuses the whole message before running any of it.
    Syntax,
    /// A runtime error with a position (an unknown column).
    Runtime,
    /// A runtime error without one (a duplicate key).
    Duplicate,
    /// A deferred foreign key, failing at COMMIT.
    Deferred,
    /// A table lock held by another session past the lock timeout and its retry.
    LockTimeout,
    /// Ctrl-C while the migration runs.
    Interrupt,
    /// The migration's backend terminated.
    Killed,
    /// The server restarted (fast) while the migration runs.
    Restart,
}

/// The SQL of migration `v`, or of the faulty one.
fn sql(v: usize, fault: Option<Fault>) -> String {
    let t = format!("t{v}");
    match fault {
        None => format!("CREATE TABLE {t} (id int);\n"),
        Some(Fault::Syntax) => {
            format!("CREATE TABLE {t} (id int);\n-- a comment\nCREATE INDX {t}_id ON {t} (id);\n")
        }
        Some(Fault::Runtime) => format!("CREATE TABLE {t} (id int);\nSELECT nope FROM {t};\n"),
        Some(Fault::Duplicate) => {
            format!("CREATE TABLE {t} (id int PRIMARY KEY);\nINSERT INTO {t} VALUES (1), (1);\n")
        }
        Some(Fault::Deferred) => format!(
            "CREATE TABLE {t} (id int PRIMARY KEY, up int REFERENCES {t} DEFERRABLE INITIALLY DEFERRED);\n\
             INSERT INTO {t} VALUES (1, 2);\n"
        ),
        Some(Fault::LockTimeout) => format!("CREATE TABLE {t} (id int);\nALTER TABLE held ADD COLUMN c{v} int;\n"),
        Some(Fault::Interrupt) => format!("CREATE TABLE {t} (id int);\nSELECT pg_sleep(0.8);\n"),
        Some(Fault::Killed | Fault::Restart) => {
            format!("CREATE TABLE {t} (id int);\nSELECT pg_sleep(60);\n")
        }
    }
}

/// What a user sees of a run, with times (and the pids in lock messages) made equal.
#[derive(Debug, PartialEq)]
struct Seen {
    code: i32,
    stdout: String,
    stderr: String,
    version: String,
    history: Vec<String>,
    tables: Vec<String>,
}

/// The handler's line comes whenever the signal does, and the lines of a window's
/// migrations when the window returns: the lines are compared in order, without it.
/// What the driver read last from a lost connection (the server's FATAL message, or its
/// end) is a race, and left out.
fn normalise(text: &str) -> String {
    let text = match text.split_once("`ferry up` again: ") {
        Some((before, _)) => before,
        None => text,
    };
    text.split('\n')
        .filter(|line| {
            !line.is_empty() && !line.starts_with("interrupted: the migration running finishes")
        })
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    let bare = word.trim_matches(|c: char| "(),;.:".contains(c));
                    let time = bare.strip_suffix("ms").or_else(|| bare.strip_suffix('s'));
                    if time.is_some_and(|n| !n.is_empty() && n.parse::<f64>().is_ok()) {
                        "<time>".to_string()
                    } else if bare.parse::<u32>().is_ok_and(|n| n > 99) {
                        "<n>".to_string()
                    } else {
                        word.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One run of `ferry up` on `url` in `dir`, with the fault's action taken while it runs.
fn run(
    dir: &std::path::Path,
    url: &str,
    pipelined: bool,
    during: impl FnOnce(&Child),
) -> (i32, String, String) {
    let mut args = vec!["up", "--ddl-lock-timeout", "100ms", "--ddl-retries", "1"];
    if !pipelined {
        args.push("--no-pipeline");
    }
    let child = ferry_process(dir)
        .args(&args)
        .env("DATABASE_URL", url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferry");
    during(&child);
    let out = child.wait_with_output().expect("wait for ferry");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seen(db: &TestDb, (code, stdout, stderr): (i32, String, String)) -> Seen {
    Seen {
        code,
        stdout: normalise(&stdout),
        stderr: normalise(&stderr),
        version: db.version_row(),
        history: db.column(
            "SELECT concat_ws(' ', version, direction, name) FROM schema_migrations_history ORDER BY id",
        ),
        tables: db.tables(),
    }
}

fn sigint(child: &Child) {
    let status = Process::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The fault at migration `at`, run both ways on databases of the shared server.
fn both_ways(fault: Fault, at: usize) -> [Seen; 2] {
    [true, false].map(|pipelined| {
        let db = TestDb::new();
        for v in 1..=COUNT {
            db.write(
                &format!("{v}_m{v}.sql"),
                &sql(v, (v == at).then_some(fault)),
            );
        }
        db.exec("CREATE TABLE held (id int)");
        let mut holder = db.client();
        if matches!(fault, Fault::LockTimeout) {
            holder
                .batch_execute("BEGIN; LOCK TABLE held IN ACCESS SHARE MODE;")
                .unwrap();
        }
        let out = run(db.path(), &db.url, pipelined, |child| match fault {
            Fault::Interrupt => {
                db.wait_for_sleep();
                sigint(child);
            }
            Fault::Killed => {
                db.wait_for_sleep();
                db.terminate_sleepers();
            }
            _ => {}
        });
        drop(holder);
        seen(&db, out)
    })
}

fn assert_same(fault: Fault, at: usize, [windows, alone]: [Seen; 2]) {
    assert_eq!(
        windows, alone,
        "{fault:?} at migration {at}: with windows (left) and one at a time (right)"
    );
}

#[test]
fn every_fault_at_every_position_looks_the_same_with_windows_and_without() {
    for fault in [
        Fault::Syntax,
        Fault::Runtime,
        Fault::Duplicate,
        Fault::Deferred,
    ] {
        for at in 1..=COUNT {
            let [windows, alone] = both_ways(fault, at);
            assert_eq!(windows.code, 1, "{fault:?} at {at}: {}", windows.stderr);
            let before = if at == 1 {
                "empty".to_string()
            } else {
                format!("{} f", at - 1)
            };
            assert_eq!(windows.version, before, "{fault:?} at {at}");
            assert_same(fault, at, [windows, alone]);
        }
    }
}

#[test]
fn a_lock_timeout_ctrl_c_or_a_killed_connection_looks_the_same_with_windows_and_without() {
    for fault in [Fault::LockTimeout, Fault::Interrupt, Fault::Killed] {
        for at in [1, 3, COUNT] {
            let both = both_ways(fault, at);
            let expected_code = match fault {
                Fault::Interrupt if at == COUNT => 0,
                Fault::Interrupt => 130,
                _ => 1,
            };
            assert_eq!(
                both[0].code, expected_code,
                "{fault:?} at {at}: {}",
                both[0].stderr
            );
            assert_same(fault, at, both);
        }
    }
}

#[test]
fn a_server_restart_mid_window_looks_the_same_with_windows_and_without() {
    let cluster = ClusterBuilder::new("differential-restart").start();
    let at = 3;
    let seen = [true, false].map(|pipelined| {
        let name = if pipelined { "windows" } else { "alone" };
        cluster
            .admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = cluster.url(name);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("migrations")).unwrap();
        for v in 1..=COUNT {
            std::fs::write(
                dir.path().join(format!("migrations/{v}_m{v}.sql")),
                sql(v, (v == at).then_some(Fault::Restart)),
            )
            .unwrap();
        }
        let (code, stdout, stderr) = run(dir.path(), &url, pipelined, |_| {
            let mut admin = cluster.admin();
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'",
                    &[],
                )
                .unwrap()
                .get::<_, i64>(0)
                == 0
            {
                assert!(std::time::Instant::now() < deadline, "never slept");
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(admin);
            cluster.restart_fast();
        });
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let column = |client: &mut postgres::Client, sql: &str| -> Vec<String> {
            client
                .query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
                .collect()
        };
        Seen {
            code,
            stdout: normalise(&stdout),
            stderr: normalise(&stderr),
            version: column(
                &mut client,
                "SELECT concat_ws(' ', version, CASE WHEN dirty THEN 't' ELSE 'f' END) FROM schema_migrations",
            )
            .join(","),
            history: column(
                &mut client,
                "SELECT concat_ws(' ', version, direction, name) FROM schema_migrations_history ORDER BY id",
            ),
            tables: column(
                &mut client,
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
            ),
        }
    });
    assert_eq!(seen[0].code, 1, "{}", seen[0].stderr);
    assert_same(Fault::Restart, at, seen);
}
