//! Pipelined deploys: consecutive transactional migrations go to the server together, and a
//! failure anywhere in a window leaves exactly the migrations before it applied, clean.

use std::time::Duration;

use crate::common::{finish, output, TestDb};

/// Five migrations `1_m1` … `5_m5`, each creating its table; `bad` replaces one's SQL.
fn five(db: &TestDb, bad: Option<(i64, &str)>) {
    for v in 1..=5 {
        let sql = match bad {
            Some((at, sql)) if at == v => sql.to_string(),
            _ => format!("CREATE TABLE m{v} (id int);"),
        };
        db.write(&format!("{v}_m{v}.sql"), &sql);
    }
}

fn history_versions(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT version::text FROM schema_migrations_history WHERE direction = 'up' ORDER BY id",
    )
}

#[test]
fn a_deploy_goes_to_the_server_in_windows_and_records_each_migration() {
    let db = TestDb::new();
    for v in 1..=120 {
        db.write(
            &format!("{v:03}_t{v}.sql"),
            &format!("CREATE TABLE t{v} (id int);"),
        );
    }
    let a = db.ferry().args(["up", "-v"]).assert().success();
    let (_, err) = output(&a);
    // 120 migrations: windows of 50, 50 and 20.
    assert_eq!(
        err.matches("migrations together").count(),
        3,
        "three windows: {err}"
    );
    assert!(
        err.contains(
            "sending 50 migrations together (./migrations/001_t1.sql to ./migrations/050_t50.sql)"
        ),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.contains("/u t")).count(),
        120,
        "a line per migration: {err}"
    );
    assert_eq!(db.version_row(), "120 f");
    assert_eq!(history_versions(&db).len(), 120);
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE duration_ms IS NULL"),
        "0",
        "every history row has the server's duration"
    );
}

#[test]
fn a_syntax_error_in_the_middle_of_a_window_keeps_those_before_it_and_points_at_the_line() {
    let db = TestDb::new();
    // A non-ASCII comment before the failing file: the position is counted in characters.
    db.write("1_m1.sql", "-- café, naïve\nCREATE TABLE m1 (id int);");
    for v in 2..=5 {
        let sql = if v == 3 {
            "CREATE TABLE m3 (\n  id int,\n  name txet\n);".to_string()
        } else {
            format!("CREATE TABLE m{v} (id int);")
        };
        db.write(&format!("{v}_m{v}.sql"), &sql);
    }
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "3_m3.sql failed and was rolled back; the database stays at version 2 (not dirty)"
        ),
        "{err}"
    );
    assert!(
        err.contains("3_m3.sql:3:8\n 3 |   name txet\n   |        ^"),
        "{err}"
    );
    assert!(
        err.contains("1/u m1 (") && err.contains("2/u m2 ("),
        "the two before are reported applied: {err}"
    );
    assert_eq!(db.version_row(), "2 f");
    let tables = db.tables();
    assert!(tables.contains(&"m2".to_string()) && !tables.contains(&"m3".to_string()));
    assert!(
        !tables.contains(&"m4".to_string()),
        "nothing after the failure ran"
    );
    assert_eq!(history_versions(&db), ["1", "2"]);
}

#[test]
fn a_runtime_error_without_a_position_is_found_in_its_file() {
    let db = TestDb::new();
    five(
        &db,
        Some((
            4,
            "CREATE TABLE m4 (id int PRIMARY KEY);\nINSERT INTO m4 VALUES (1);\nINSERT INTO m4 VALUES (1);\n",
        )),
    );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("4_m4.sql failed and was rolled back; the database stays at version 3"),
        "{err}"
    );
    assert!(err.contains("4_m4.sql:3:1"), "the second INSERT: {err}");
    assert!(err.contains("SQLSTATE: 23505"), "{err}");
    assert_eq!(db.version_row(), "3 f");
    assert_eq!(history_versions(&db), ["1", "2", "3"]);
}

#[test]
fn a_deferred_constraint_failing_at_commit_stops_the_window_there() {
    let db = TestDb::new();
    five(
        &db,
        Some((
            3,
            "CREATE TABLE parent (id int PRIMARY KEY);\n\
             CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);\n\
             INSERT INTO child VALUES (42);\n",
        )),
    );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "3_m3.sql failed and was rolled back; the database stays at version 2 (not dirty)"
        ),
        "{err}"
    );
    assert!(err.contains("SQLSTATE: 23503"), "{err}");
    assert_eq!(db.version_row(), "2 f");
    let tables = db.tables();
    assert!(!tables.contains(&"parent".to_string()) && !tables.contains(&"m4".to_string()));
    // Fixed, the deploy goes on from there.
    db.write("3_m3.sql", "CREATE TABLE m3 (id int);");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "5 f");
    assert_eq!(history_versions(&db), ["1", "2", "3", "4", "5"]);
}

#[test]
fn a_connection_killed_mid_window_leaves_those_before_it_and_says_where() {
    let db = TestDb::new();
    five(
        &db,
        Some((3, "CREATE TABLE m3 (id int);\nSELECT pg_sleep(60);\n")),
    );
    let child = db.spawn(&["up"]);
    db.wait_for_sleep();
    db.terminate_sleepers();
    let (code, err) = finish(child);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("3_m3.sql") && err.contains("stays at version 2 (not dirty)"),
        "read from a new connection: {err}"
    );
    assert_eq!(db.version_row(), "2 f");
    assert!(!db.tables().contains(&"m3".to_string()));
    db.write("3_m3.sql", "CREATE TABLE m3 (id int);");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "5 f");
}

#[test]
fn a_lock_timeout_inside_a_window_is_retried_alone_and_the_deploy_goes_on() {
    let db = TestDb::new();
    db.write("1_t.sql", "CREATE TABLE t (id int);");
    db.ferry().arg("up").assert().success();
    db.write("2_a.sql", "CREATE TABLE a (id int);")
        .write("3_alter.sql", "ALTER TABLE t ADD COLUMN note text;")
        .write("4_b.sql", "CREATE TABLE b (id int);");
    // A reader holds t for a moment: 3 times out in its window, then goes alone.
    let mut holder = db.client();
    holder
        .batch_execute("BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;")
        .unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(800));
        holder.batch_execute("COMMIT").unwrap();
    });
    let a = db
        .ferry()
        .args(["up", "--ddl-lock-timeout", "300ms", "--ddl-retries", "5"])
        .assert()
        .success();
    release.join().unwrap();
    let (_, err) = output(&a);
    assert!(
        err.contains("3_alter.sql timed out waiting for a lock"),
        "{err}"
    );
    assert_eq!(db.version_row(), "4 f");
    assert_eq!(history_versions(&db), ["1", "2", "3", "4"]);
}

#[test]
fn a_failed_window_through_pgbouncer_in_transaction_mode_gives_its_lease_back() {
    let db = TestDb::new();
    five(&db, Some((4, "CREATE TABLE m4 (id int);\nSELECT 1/0;\n")));
    let url = db.pooled_url();
    let a = db
        .ferry()
        .args(["up", "--lock-mode", "transaction", "--database-url", &url])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "4_m4.sql failed and was rolled back; the database stays at version 3 (not dirty)"
        ),
        "{err}"
    );
    assert!(err.contains("4_m4.sql:2:"), "{err}");
    assert_eq!(db.version_row(), "3 f");
    assert_eq!(history_versions(&db), ["1", "2", "3"]);
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_lock"),
        "0",
        "the window's lease was given back"
    );
    db.write("4_m4.sql", "CREATE TABLE m4 (id int);");
    db.ferry()
        .args(["up", "--lock-mode", "transaction", "--database-url", &url])
        .assert()
        .success();
    assert_eq!(db.version_row(), "5 f");
}

/// The duration a `N/u name (…ms)` line reports.
fn reported_ms(err: &str, line_start: &str) -> f64 {
    let line = err
        .lines()
        .find(|l| l.starts_with(line_start))
        .unwrap_or_else(|| panic!("no line {line_start}: {err}"));
    line.rsplit_once('(')
        .and_then(|(_, ms)| ms.trim_end_matches("ms)").parse().ok())
        .unwrap_or_else(|| panic!("no duration in {line}"))
}

#[test]
fn each_migration_in_a_window_reports_its_own_server_side_duration() {
    for mode in ["session", "transaction"] {
        let db = TestDb::new();
        // Statements that return rows of their own, before and in the slow one.
        db.write("1_a.sql", "CREATE TABLE a (id int);\nSELECT 'a row', 1;")
            .write(
                "2_slow.sql",
                "CREATE TABLE b (id int);\nSELECT pg_sleep(0.3);",
            )
            .write("3_c.sql", "SELECT 42;\nCREATE TABLE c (id int);");
        let a = db
            .ferry()
            .args(["up", "--lock-mode", mode])
            .assert()
            .success();
        let (_, err) = output(&a);
        assert!(reported_ms(&err, "2/u slow") >= 300.0, "{mode}: {err}");
        assert!(reported_ms(&err, "1/u a") < 300.0, "{mode}: {err}");
        assert!(reported_ms(&err, "3/u c") < 300.0, "{mode}: {err}");
        assert_eq!(
            db.one("SELECT duration_ms >= 300 FROM schema_migrations_history WHERE version = 2"),
            "t"
        );
        // Each started when it started, not when the window arrived.
        assert_eq!(
            db.one(
                "SELECT (SELECT started_at FROM schema_migrations_history WHERE version = 3)                  - (SELECT started_at FROM schema_migrations_history WHERE version = 2)                  >= interval '250 milliseconds'"
            ),
            "t",
            "{mode}"
        );
    }
}

#[test]
fn a_syntax_error_refusing_the_whole_window_is_blamed_on_its_own_file() {
    // PostgreSQL parses a whole message before running any of it: the window is refused,
    // and the migrations before the broken one are then applied as one at a time would.
    let db = TestDb::new();
    db.write(
        "000001_ok.up.sql",
        "CREATE TABLE widgets (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);",
    )
    .write(
        "000002_broken.up.sql",
        "-- an index\n-- on the name\nCREATE INDX idx_widgets_name ON widgets (name);\n",
    );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "error: migration ./migrations/000002_broken.up.sql failed and was rolled back; \
             the database stays at version 1 (not dirty)\n\
             ./migrations/000002_broken.up.sql:3:8\n \
             3 | CREATE INDX idx_widgets_name ON widgets (name);\n   |        ^\n\
             ERROR: syntax error at or near \"INDX\""
        ),
        "{err}"
    );
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(history_versions(&db), ["1"]);
}
