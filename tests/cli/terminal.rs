//! ferry in a real pseudo-terminal: confirmations are asked and honoured, and progress is
//! drawn on a terminal but never into a pipe.

use rexpect::process::WaitStatus;
use rexpect::session::spawn_command;

use crate::common::{output, TestDb};

fn in_terminal(db: &TestDb, args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = crate::common::ferry_process(db.path());
    cmd.args(args)
        .env("DATABASE_URL", &db.url)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    spawn_command(cmd, Some(30_000)).expect("spawn in a pty")
}

fn exit_code(session: &rexpect::session::PtySession) -> i32 {
    match session.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("ferry did not exit normally: {other:?}"),
    }
}

fn two(db: &TestDb) {
    db.write("1_a.up.sql", "CREATE TABLE a (id int);")
        .write("1_a.down.sql", "DROP TABLE a;")
        .write("2_b.up.sql", "CREATE TABLE b (id int);")
        .write("2_b.down.sql", "DROP TABLE b;");
}

#[test]
fn down_all_asks_and_no_changes_nothing() {
    let db = TestDb::new();
    two(&db);
    db.ferry().arg("up").assert().success();
    let mut p = in_terminal(&db, &["down", "--all"]);
    p.exp_string("Continue?").expect("a confirmation prompt");
    p.send_line("n").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 2);
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn down_all_answered_yes_rolls_back() {
    let db = TestDb::new();
    two(&db);
    db.ferry().arg("up").assert().success();
    let mut p = in_terminal(&db, &["down", "--all"]);
    p.exp_string("Continue?").expect("a confirmation prompt");
    p.send_line("y").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    assert_eq!(db.version_row(), "empty");
}

#[test]
fn progress_bar_on_a_terminal_and_not_in_a_pipe() {
    let db = TestDb::new();
    for v in 1..=4 {
        db.write(&format!("{v}_slow.sql"), "SELECT pg_sleep(0.3);");
    }
    let mut p = in_terminal(&db, &["up"]);
    let (_, bar) = p.exp_regex(r"\] [0-3]/4").expect("a progress bar with n/4");
    assert!(!bar.is_empty());
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);

    db.ferry().args(["force", "none"]).assert().success();
    let a = db.ferry().arg("up").assert().success();
    let (out, err) = output(&a);
    assert!(
        !err.contains("/4") && !out.contains("/4"),
        "no bar in a pipe: {err}"
    );
    assert!(err.contains("4/u slow"), "{err}");
}

#[test]
fn reset_answered_no_changes_nothing_and_yes_resets() {
    let db = TestDb::new();
    two(&db);
    db.ferry().arg("up").assert().success();
    db.exec("INSERT INTO a VALUES (1); CREATE TABLE stray (id int);");

    let mut p = in_terminal(&db, &["reset"]);
    p.exp_string("Continue?").expect("a confirmation prompt");
    p.send_line("n").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 2);
    assert!(
        db.tables().contains(&"stray".to_string()),
        "answered no: nothing changed"
    );
    assert_eq!(db.one("SELECT count(*) FROM a"), "1");

    let mut p = in_terminal(&db, &["reset"]);
    p.exp_string("Continue?").expect("a confirmation prompt");
    p.send_line("y").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    assert!(!db.tables().contains(&"stray".to_string()));
    assert_eq!(db.one("SELECT count(*) FROM a"), "0");
    assert_eq!(db.version_row(), "2 f");
}
