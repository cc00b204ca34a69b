//! Databases and directories other tools made: golang-migrate's dirty rows, its file
//! rules, and the state goose, dbmate, sqlx, sql-migrate and Flyway leave behind.

use serde_json::Value;

use crate::common::{output, TestDb};

/// golang-migrate's table with one row, as golang-migrate writes it.
fn golang_migrate_row(db: &TestDb, version: i64, dirty: bool) {
    db.exec(&format!(
        "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
         INSERT INTO schema_migrations VALUES ({version}, {dirty});"
    ));
}

fn pairs(db: &TestDb, versions: std::ops::RangeInclusive<i64>) {
    for v in versions {
        db.write(
            &format!("{v}_t{v}.up.sql"),
            &format!("CREATE TABLE t{v} (id int);"),
        )
        .write(&format!("{v}_t{v}.down.sql"), &format!("DROP TABLE t{v};"));
    }
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// `ferry status --format json`.
fn status(db: &TestDb) -> Value {
    let a = db
        .ferry()
        .args(["status", "--format", "json"])
        .assert()
        .success();
    json(&output(&a).0)
}

/// The state of every migration in a status document.
fn states(doc: &Value) -> Vec<String> {
    doc["migrations"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|m| m["state"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn switching_a_failed_no_transaction_down_is_forced_back_or_forward() {
    let db = TestDb::new();
    pairs(&db, 1..=1);
    db.write("2_t2.up.sql", "CREATE TABLE t2 (id int);").write(
        "2_t2.down.sql",
        "-- ferry:no-transaction\nDROP TABLE t2;\nSELECT 1/0;\n",
    );
    db.ferry().arg("up").assert().success();
    let a = db.ferry().arg("down").assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("down migration of version 2"), "{err}");
    assert!(
        err.contains("`ferry force 1` if the down finished, `ferry force 2` if none of it ran"),
        "{err}"
    );
    assert_eq!(db.version_row(), "1 t");

    // The next command reads the same from ferry's history, and status shows 2 as the
    // dirty one, not 1.
    let a = db.ferry().arg("up").assert().code(3);
    let (_, err) = output(&a);
    assert!(
        err.contains("`ferry force 1` if the down finished, `ferry force 2` if none of it ran"),
        "{err}"
    );
    assert!(!err.contains("force none"), "{err}");
    assert_eq!(states(&status(&db)), ["applied", "dirty"]);

    // Following the advice: the DROP ran, so the down finished.
    db.ferry().args(["force", "1"]).assert().success();
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "2 f");
}

#[test]
fn switching_golang_migrates_no_version_dirty_row_means_the_first_down() {
    let db = TestDb::new();
    pairs(&db, 1..=2);
    golang_migrate_row(&db, -1, true);
    let a = db.ferry().arg("up").assert().code(3);
    let (_, err) = output(&a);
    assert!(err.contains("down migration of version 1"), "{err}");
    assert!(
        err.contains("`ferry force none` if the down finished, `ferry force 1` if none of it ran"),
        "{err}"
    );
}

#[test]
fn switching_golang_migrates_dirty_row_gives_both_readings_and_keeps_lower_versions_applied() {
    let db = TestDb::new();
    pairs(&db, 1..=5);
    golang_migrate_row(&db, 3, true);
    let a = db.ferry().arg("up").assert().code(3);
    let (_, err) = output(&a);
    assert!(
        err.contains("up migration of version 3") && err.contains("down migration of version 4"),
        "{err}"
    );
    assert!(
        err.contains(
            "`ferry force 3` if all its changes are in place, `ferry force 2` if none are"
        ),
        "{err}"
    );
    assert!(
        err.contains("`ferry force 3` if it finished, `ferry force 4` if none of it ran"),
        "{err}"
    );

    let doc = status(&db);
    assert_eq!(doc["pending"], 2, "{doc}");
    assert_eq!(
        states(&doc),
        ["applied", "applied", "dirty", "pending", "pending"]
    );
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    assert!(out.contains("2 migrations pending"), "{out}");

    // At the top version nothing is pending: the CI gate passes, and says it is dirty.
    let db = TestDb::new();
    pairs(&db, 1..=4);
    golang_migrate_row(&db, 4, true);
    let a = db
        .ferry()
        .args(["status", "--fail-on-pending"])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(
        out.contains("nothing pending, but the database is dirty"),
        "{out}"
    );
    assert!(
        out.contains("`ferry force 4` if all its changes are in place"),
        "{out}"
    );
}

#[test]
fn switching_golang_migrate_valid_directories_run_unchanged() {
    let db = TestDb::new();
    db.write("1_create_t1.up.sql", "CREATE TABLE t1 (a int);")
        .write("1_drop_t1.down.sql", "DROP TABLE t1;")
        .write(
            "2_index_t1.up.sql",
            "CREATE INDEX CONCURRENTLY t1_a ON t1 (a);\n",
        )
        .write("2_index_t1.down.sql", "DROP INDEX CONCURRENTLY t1_a;");
    let a = db.ferry().args(["up", "-v"]).assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("2_index_t1.up.sql runs without a transaction, under the dirty flag: its only statement is CREATE INDEX CONCURRENTLY"),
        "{err}"
    );
    assert_eq!(db.version_row(), "2 f");
    assert_eq!(
        db.one("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't1_a'::regclass"),
        "true"
    );
    let a = db.ferry().arg("status").assert().success();
    assert!(output(&a).0.contains("create_t1"), "{}", output(&a).0);
    db.ferry()
        .args(["down", "--all", "--yes"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_class WHERE relname IN ('t1', 't1_a')"),
        "0"
    );

    // Among other statements it would fail on the server: still refused before running.
    db.write(
        "3_more.up.sql",
        "CREATE TABLE t3 (a int);\nCREATE INDEX CONCURRENTLY t3_a ON t3 (a);",
    );
    let a = db.ferry().arg("up").assert().code(5);
    let (_, err) = output(&a);
    assert!(
        err.contains("3_more.up.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction"),
        "{err}"
    );
    assert_eq!(db.version_row(), "empty");
}

#[test]
fn switching_down_all_over_a_missing_down_is_checked_before_asking() {
    let db = TestDb::new();
    db.write("1_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n")
        .write("2_b.up.sql", "CREATE TABLE b (id int);")
        .write("2_b.down.sql", "DROP TABLE b;");
    db.ferry().arg("up").assert().success();

    // No terminal and no --yes: the impossible plan is what gets reported, not the prompt.
    let a = db.ferry().args(["down", "--all"]).assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("1_a.sql cannot be rolled back"), "{err}");
    assert!(err.contains("add a `-- +goose Down` section"), "{err}");
    assert!(err.contains("--allow-missing-down"), "{err}");
    assert!(!err.contains("confirmation"), "{err}");
    assert_eq!(db.version_row(), "2 f");

    // A pair's hint names the file to add.
    db.remove("2_b.down.sql");
    let a = db.ferry().args(["down", "--all", "--yes"]).assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("2 migrations cannot be rolled back"), "{err}");
    assert!(err.contains("(add 2_b.down.sql)"), "{err}");
    db.write("2_b.down.sql", "DROP TABLE b;");

    let a = db
        .ferry()
        .args(["down", "--all", "--yes", "--allow-missing-down"])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("2/d b ("), "{err}");
    assert!(
        err.contains("1/d a (no down migration: only the version moved)"),
        "{err}"
    );
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.tables(),
        ["a", "schema_migrations", "schema_migrations_history"]
    );
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'down'"),
        "2"
    );
}

#[test]
fn switching_golang_migrates_down_dash_all_never_asks() {
    let db = TestDb::new();
    pairs(&db, 1..=2);
    db.ferry().arg("up").assert().success();
    db.ferry().args(["down", "-all"]).assert().success();
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.tables(),
        ["schema_migrations", "schema_migrations_history"]
    );
}

#[test]
fn switching_status_names_a_present_but_invalid_file() {
    let db = TestDb::new();
    pairs(&db, 1..=2);
    golang_migrate_row(&db, 2, false);
    // Applied by golang-migrate, then broken by an edit; and a pending one that is broken.
    db.write(
        "2_t2.up.sql",
        "CREATE TABLE t2 (note text DEFAULT 'unterminated);",
    );
    db.write("3_t3.sql", "-- +goose Up\n-- +goose Up\nSELECT 1;");
    let a = db.ferry().arg("status").assert().success();
    let (out, err) = output(&a);
    let row2 = out
        .lines()
        .find(|l| l.starts_with("2 "))
        .unwrap_or_default();
    assert!(
        row2.contains("t2") && row2.contains("invalid file"),
        "{out}"
    );
    let row3 = out
        .lines()
        .find(|l| l.starts_with("3 "))
        .unwrap_or_default();
    assert!(
        row3.contains("t3") && row3.contains("invalid file"),
        "{out}"
    );
    assert!(!out.contains("not in this build"), "{out}");
    assert!(
        err.contains("2_t2.up.sql:1: unterminated quoted string"),
        "{err}"
    );
    assert!(
        err.contains("3_t3.sql:2: second `-- +goose Up` marker"),
        "{err}"
    );
    let doc = status(&db);
    assert_eq!(doc["migrations"][1]["state"], "invalid", "{doc}");
    assert_eq!(doc["migrations"][1]["name"], "t2", "{doc}");
}

#[test]
fn switching_standard_conforming_strings_off_is_followed_within_a_file() {
    let db = TestDb::new();
    db.write(
        "1_quotes.sql",
        "SET standard_conforming_strings = off;\n\
         CREATE TABLE q (s text);\n\
         INSERT INTO q VALUES ('it\\'s; ok');\n",
    )
    .write(
        "2_pair.up.sql",
        "SET standard_conforming_strings TO off;\nINSERT INTO q VALUES ('two\\'s');\n",
    )
    .write("2_pair.down.sql", "DELETE FROM q;")
    // The next file starts with the setting on again: a backslash is a backslash.
    .write("3_plain.sql", "INSERT INTO q VALUES ('a\\b');")
    // The bookkeeping of a file whose name has a backslash, while the setting is off.
    .write(
        "4_back\\slash.sql",
        "SET standard_conforming_strings = off;\nINSERT INTO q VALUES ('\\\\');",
    );
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    assert!(err.contains("now at version 4"), "{err}");
    assert_eq!(
        db.column("SELECT s FROM q ORDER BY s"),
        ["\\", "a\\b", "it's; ok", "two's"]
    );
    assert_eq!(
        db.one("SELECT name FROM schema_migrations_history WHERE version = 4"),
        "back\\slash"
    );
    db.ferry().arg("validate").assert().success();
    db.ferry()
        .args(["down", "3", "--allow-missing-down"])
        .assert()
        .success();
    assert_eq!(db.one("SELECT count(*) FROM q"), "0");
}

#[test]
fn switching_settings_a_migration_changes_do_not_reach_the_next() {
    let db = TestDb::new();
    db.write(
        "1_other.sql",
        "CREATE SCHEMA other;\nSET search_path = other;\nCREATE TABLE in_other (id int);",
    )
    .write("2_where.sql", "CREATE TABLE after_set (id int);")
    .write(
        "3_nt.sql",
        "-- ferry:no-transaction\nSET search_path = other;\nCREATE TABLE nt_other (id int);",
    )
    .write("4_where.sql", "CREATE TABLE after_nt (id int);")
    .write(
        "5_local.sql",
        "SET LOCAL search_path = other;\nCREATE TABLE local_other (id int);",
    )
    .write(
        "6_where.sql",
        "SET statement_timeout = 100;\nCREATE TABLE after_local (id int);",
    )
    .write("7_slow.sql", "SELECT pg_sleep(0.3);");
    db.ferry().arg("up").assert().success();
    let placed = db.column(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables \
         WHERE table_schema IN ('public', 'other') AND table_name NOT LIKE 'schema_migrations%' \
         ORDER BY 1",
    );
    assert_eq!(
        placed,
        [
            "other.in_other",
            "other.local_other",
            "other.nt_other",
            "public.after_local",
            "public.after_nt",
            "public.after_set",
        ]
    );
    assert_eq!(db.version_row(), "7 f");
}

/// Three migrations whose objects exist only once: running an applied one again fails.
fn three_tables(db: &TestDb) {
    for v in 1..=3 {
        db.write(
            &format!("{v}_create_t{v}.sql"),
            &format!("CREATE TABLE t{v} (id int);\nINSERT INTO t{v} VALUES ({v});"),
        );
    }
}

/// Applies migrations 1 and 2 by hand and records them with `state`, the SQL the tool
/// itself runs; then checks the whole switch: refused before adopting, a dry run that
/// writes nothing, the adoption, and an `up` that runs only 3.
fn adopt_round_trip(tool: &str, table: &str, state: &str, ferry_args: &[&str]) {
    let db = TestDb::new();
    three_tables(&db);
    db.exec("CREATE TABLE t1 (id int); INSERT INTO t1 VALUES (1); CREATE TABLE t2 (id int); INSERT INTO t2 VALUES (2);");
    db.exec(state);
    let rows_before = db.one(&format!("SELECT count(*) FROM {table}"));
    let ferry = |args: &[&str]| {
        let mut cmd = db.ferry();
        cmd.args(ferry_args).args(args);
        cmd
    };

    for command in [&["up"][..], &["status"], &["version"], &["down"]] {
        let a = ferry(command).assert().code(2);
        let (_, err) = output(&a);
        assert!(
            err.contains(&format!(
                "{tool}'s in public.{table} (latest version 2, 2 applied)"
            )),
            "{command:?}: {err}"
        );
        assert!(
            err.contains("ferry would run every migration again"),
            "{err}"
        );
        assert!(err.contains("adopt"), "{err}");
    }

    let a = ferry(&["adopt", "--dry-run"]).assert().success();
    let (out, err) = output(&a);
    assert!(out.contains("would record 1 create_t1 as applied"), "{out}");
    assert!(out.contains("would record 2 create_t2 as applied"), "{out}");
    assert!(err.contains("dry run: nothing was changed"), "{err}");
    assert_eq!(
        db.one(
            "SELECT count(*) FROM pg_class \
             WHERE relname IN ('schema_migrations_history', 'ferry_migrations_history')"
        ),
        "0"
    );

    let a = ferry(&["adopt"]).assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains(&format!("adopted {tool}'s state from public.{table}")),
        "{err}"
    );
    assert_eq!(
        db.one(&format!("SELECT count(*) FROM {table}")),
        rows_before
    );

    let a = ferry(&["up"]).assert().success();
    let (_, err) = output(&a);
    assert!(err.contains("3/u create_t3"), "{err}");
    assert!(!err.contains("1/u") && !err.contains("2/u"), "{err}");
    assert_eq!(db.one("SELECT count(*) FROM t1"), "1");
    ferry(&["validate"]).assert().success();
    let a = ferry(&["adopt"]).assert().code(2);
    assert!(
        output(&a).1.contains("nothing to adopt"),
        "{}",
        output(&a).1
    );
}

#[test]
fn switching_from_goose_adopts_its_state() {
    adopt_round_trip(
        "goose",
        "goose_db_version",
        "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, \
           is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id));
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true);
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true);
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (2, true);
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (3, true);
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (3, false);",
        &[],
    );
}

#[test]
fn switching_from_sqlx_adopts_its_state() {
    adopt_round_trip(
        "sqlx",
        "_sqlx_migrations",
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, \
           description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), \
           success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
         INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
           VALUES (1, 'create t1', TRUE, '\\x00', 5), (2, 'create t2', TRUE, '\\x00', 5), \
                  (3, 'create t3', FALSE, '\\x00', 5);",
        &[],
    );
}

#[test]
fn switching_from_sql_migrate_adopts_its_state() {
    adopt_round_trip(
        "sql-migrate",
        "gorp_migrations",
        "CREATE TABLE IF NOT EXISTS \"gorp_migrations\" (\"id\" varchar(255) not null primary key, \
           \"applied_at\" timestamp with time zone);
         INSERT INTO gorp_migrations (id, applied_at) VALUES ('1_create_t1.sql', now()), \
           ('2_create_t2.sql', now());",
        &[],
    );
}

#[test]
fn switching_from_flyway_adopts_its_state() {
    adopt_round_trip(
        "flyway",
        "flyway_schema_history",
        "CREATE TABLE \"public\".\"flyway_schema_history\" (\"installed_rank\" INT NOT NULL, \
           \"version\" VARCHAR(50), \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, \
           \"script\" VARCHAR(1000) NOT NULL, \"checksum\" INTEGER, \"installed_by\" VARCHAR(100) NOT NULL, \
           \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(), \"execution_time\" INTEGER NOT NULL, \
           \"success\" BOOLEAN NOT NULL);
         ALTER TABLE \"public\".\"flyway_schema_history\" ADD CONSTRAINT \"flyway_schema_history_pk\" \
           PRIMARY KEY (\"installed_rank\");
         INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, \
           checksum, installed_by, execution_time, success) VALUES \
           (1, '1', 'create t1', 'SQL', 'V1__create_t1.sql', 1, 'postgres', 5, true), \
           (2, '2', 'create t2', 'SQL', 'V2__create_t2.sql', 2, 'postgres', 5, true), \
           (3, '3', 'create t3', 'SQL', 'V3__create_t3.sql', 3, 'postgres', 5, false);",
        &[],
    );
}

const DBMATE: &str =
    "create table if not exists schema_migrations (version varchar(128) primary key);
     insert into schema_migrations (version) values ('1');
     insert into schema_migrations (version) values ('2');";

#[test]
fn switching_from_dbmate_adopts_into_another_table() {
    adopt_round_trip(
        "dbmate",
        "schema_migrations",
        DBMATE,
        &["--table", "ferry_migrations"],
    );
}

#[test]
fn switching_from_dbmate_under_ferrys_default_name_says_which_table_to_use() {
    let db = TestDb::new();
    three_tables(&db);
    db.exec(DBMATE);
    for command in [&["up"][..], &["status"], &["adopt"]] {
        let a = db.ferry().args(command).assert().code(2);
        let (_, err) = output(&a);
        assert!(
            err.contains("ferry --table ferry_migrations adopt dbmate"),
            "{command:?}: {err}"
        );
        assert!(!err.contains("column \"dirty\""), "{err}");
    }
    assert_eq!(
        db.tables(),
        ["schema_migrations"],
        "nothing was created beside dbmate's table"
    );
}

#[test]
fn switching_adopt_names_a_gap_and_leaves_it_pending_when_allowed() {
    let db = TestDb::new();
    three_tables(&db);
    db.exec(
        "CREATE TABLE t1 (id int); CREATE TABLE t3 (id int);
         CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, \
           is_applied boolean NOT NULL, tstamp timestamp NULL default now());
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (3, true);",
    );
    let a = db.ferry().arg("adopt").assert().code(5);
    let (_, err) = output(&a);
    assert!(
        err.contains("goose applied version 3 but never this one below it"),
        "{err}"
    );
    assert!(err.contains("2_create_t2.sql"), "{err}");
    assert!(err.contains("--allow-out-of-order"), "{err}");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'"),
        "0"
    );
    db.ferry()
        .args(["adopt", "--allow-out-of-order"])
        .assert()
        .success();
    db.ferry().arg("up").assert().code(5);
    let a = db
        .ferry()
        .args(["up", "--allow-out-of-order"])
        .assert()
        .success();
    assert!(output(&a).1.contains("2/u create_t2"), "{}", output(&a).1);
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn switching_adopt_without_another_tools_table_says_so() {
    let db = TestDb::new();
    three_tables(&db);
    let a = db.ferry().arg("adopt").assert().code(2);
    let (_, err) = output(&a);
    assert!(
        err.contains("found no other tool's migration table"),
        "{err}"
    );
    let a = db.ferry().args(["adopt", "flyway"]).assert().code(2);
    assert!(output(&a)
        .1
        .contains("there is no flyway table public.flyway_schema_history"));
}

/// One migration of the realistic directory: its file name and text, and the up SQL psql
/// runs as the reference.
struct Generated {
    files: Vec<(String, String)>,
    up: String,
}

/// Migration `i` of a directory that mixes every form real projects use: golang-migrate
/// pairs (one a lone CONCURRENTLY index), goose, dbmate and sql-migrate single files with
/// functions, enums, views, BEGIN ATOMIC bodies, partitioned tables with RLS, and a
/// no-transaction directive. `table` is the latest plain table made so far.
fn generated(i: usize, table: usize) -> Generated {
    let pair = |name: &str, up: String, down: String| Generated {
        files: vec![
            (format!("{i:06}_{name}.up.sql"), up.clone()),
            (format!("{i:06}_{name}.down.sql"), down),
        ],
        up,
    };
    let single = |name: &str, text: String, up: String| Generated {
        files: vec![(format!("{i:03}_{name}.sql"), text)],
        up,
    };
    match (i - 1) % 6 {
        0 => pair(
            &format!("create_t{i}"),
            format!(
                "CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
                 note text DEFAULT 'it''s; here', tenant int NOT NULL DEFAULT 0, \
                 created timestamptz DEFAULT now());\n\
                 COMMENT ON TABLE t{i} IS 'made by migration {i}';\n"
            ),
            format!("DROP TABLE t{i};\n"),
        ),
        1 => {
            let up = format!(
                "ALTER TABLE t{table} ADD COLUMN c{i} int;\n\
                 -- +goose StatementBegin\n\
                 CREATE FUNCTION f{i}() RETURNS int LANGUAGE plpgsql AS $body$\n\
                 BEGIN\n  -- a semicolon; inside\n  RETURN {i};\nEND;\n$body$;\n\
                 -- +goose StatementEnd\n"
            );
            single(
                &format!("goose_f{i}"),
                format!(
                    "-- +goose Up\n{up}\n-- +goose Down\nDROP FUNCTION f{i}();\n\
                     ALTER TABLE t{table} DROP COLUMN c{i};\n"
                ),
                up,
            )
        }
        2 => {
            let up = format!(
                "CREATE TYPE e{i} AS ENUM ('on', 'off');\n\
                 CREATE VIEW v{i} AS SELECT id, note FROM t{table} WHERE note <> ';';\n"
            );
            single(
                &format!("dbmate_v{i}"),
                format!("-- migrate:up\n{up}\n-- migrate:down\nDROP VIEW v{i};\nDROP TYPE e{i};\n"),
                up,
            )
        }
        3 => pair(
            &format!("index_t{table}_{i}"),
            format!("CREATE INDEX CONCURRENTLY ix{i} ON t{table} (note);\n"),
            format!("DROP INDEX CONCURRENTLY ix{i};\n"),
        ),
        4 => {
            let up = format!(
                "CREATE FUNCTION g{i}(a int) RETURNS int LANGUAGE sql\n\
                 BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN a + {i} ELSE 0 END;\nEND;\n"
            );
            single(
                &format!("sqlmigrate_g{i}"),
                format!("-- +migrate Up\n{up}\n-- +migrate Down\nDROP FUNCTION g{i}(int);\n"),
                up,
            )
        }
        _ => pair(
            &format!("partitioned_p{i}"),
            format!(
                "-- ferry:no-transaction\n\
                 CREATE TABLE p{i} (tenant int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);\n\
                 CREATE TABLE p{i}_2024 PARTITION OF p{i} FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\
                 ALTER TABLE p{i} ENABLE ROW LEVEL SECURITY;\n\
                 CREATE POLICY p{i}_tenant ON p{i} USING (tenant = current_setting('app.tenant', true)::int);\n"
            ),
            format!("DROP TABLE p{i};\n"),
        ),
    }
}

#[test]
fn switching_a_realistic_directory_matches_psql_through_up_down_and_reset() {
    const COUNT: usize = 120;
    let db = TestDb::new();
    let reference = TestDb::new();
    let mut table = 1;
    for i in 1..=COUNT {
        if (i - 1) % 6 == 0 {
            table = i;
        }
        let g = generated(i, table);
        for (name, text) in &g.files {
            db.write(name, text);
        }
        let path = reference.path().join(format!("{i}.sql"));
        std::fs::write(&path, &g.up).expect("write reference file");
        reference.psql_file(&path);
    }
    let bookkeeping = ["schema_migrations*"];
    let expected = reference.schema_dump_excluding(&bookkeeping);
    let empty = TestDb::new().schema_dump_excluding(&bookkeeping);
    for made in [
        "CREATE TABLE public.p6",
        "CREATE INDEX ix4",
        "CREATE VIEW public.v117",
        "BEGIN ATOMIC",
        "CREATE POLICY p120_tenant",
    ] {
        assert!(
            expected.contains(made),
            "{made} missing from the reference:\n{expected}"
        );
    }
    assert!(!expected.contains("schema_migrations"), "{expected}");

    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), format!("{COUNT} f"));
    assert_eq!(db.schema_dump_excluding(&bookkeeping), expected);

    db.ferry()
        .args(["down", "--all", "--yes"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "empty");
    assert_eq!(db.schema_dump_excluding(&bookkeeping), empty);

    db.ferry().arg("up").assert().success();
    assert_eq!(db.schema_dump_excluding(&bookkeeping), expected);
    db.ferry().args(["reset", "--yes"]).assert().success();
    assert_eq!(db.schema_dump_excluding(&bookkeeping), expected);
    db.ferry()
        .args(["status", "--fail-on-pending"])
        .assert()
        .success();
    db.ferry().arg("validate").assert().success();
}

#[test]
fn switching_flyway_versions_ferry_cannot_have_are_named() {
    let db = TestDb::new();
    three_tables(&db);
    db.exec(
        "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), \
           description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, \
           checksum INTEGER, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), \
           execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL);
         INSERT INTO flyway_schema_history VALUES \
           (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'me', now(), 0, true), \
           (2, '1.1', 'fix', 'SQL', 'V1_1__fix.sql', 1, 'me', now(), 5, true);",
    );
    let a = db
        .ferry()
        .args(["adopt", "--format", "json"])
        .assert()
        .code(5);
    let (out, err) = output(&a);
    assert!(
        err.contains("flyway recorded versions that are not whole numbers"),
        "{err}"
    );
    assert!(err.contains("1.1"), "{err}");
    assert_eq!(json(&out)["error"]["exit_code"], 5, "{out}");
    // Without the odd row, the baseline counts every file up to it as applied.
    db.exec("DELETE FROM flyway_schema_history WHERE installed_rank = 2");
    let a = db
        .ferry()
        .args(["adopt", "--format", "json"])
        .assert()
        .success();
    let doc = json(&output(&a).0);
    assert_eq!(doc["tool"], "flyway", "{doc}");
    assert_eq!(doc["version"], 1, "{doc}");
    assert_eq!(doc["recorded"][0]["name"], "create_t1", "{doc}");
    db.ferry().args(["adopt", "nosuchtool"]).assert().code(2);
}

#[test]
fn switching_a_dotted_url_table_is_golang_migrates_one_table_and_lock() {
    let db = TestDb::new();
    pairs(&db, 1..=2);
    // golang-migrate with ?x-migrations-table=app.versions: one table of that name.
    db.exec(
        "CREATE TABLE \"app.versions\" (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
         INSERT INTO \"app.versions\" VALUES (1, false);
         CREATE TABLE t1 (id int);",
    );
    let url = format!("{}?x-migrations-table=app.versions", db.url);
    let ferry = || {
        let mut cmd = db.ferry();
        cmd.env("DATABASE_URL", &url);
        cmd
    };
    ferry().arg("version").assert().success().stdout("1\n");

    // golang-migrate's lock key covers that name: holding it keeps ferry out.
    let key = ferry::internals::lock_key("public", "app.versions", &format!("/{}", db.name));
    let mut holder = db.client();
    holder
        .batch_execute(&format!("SELECT pg_advisory_lock({key})"))
        .unwrap();
    ferry()
        .args(["up", "--lock-timeout", "300ms"])
        .assert()
        .code(4);
    holder
        .batch_execute(&format!("SELECT pg_advisory_unlock({key})"))
        .unwrap();
    ferry().arg("up").assert().success();
    assert_eq!(db.one("SELECT version FROM \"app.versions\""), "2");

    // The library reads the same table for every call.
    let migrator = ferry::Migrator::from_dir(db.migrations())
        .unwrap()
        .database_url(url.clone());
    assert_eq!(migrator.version().unwrap().version, Some(2));
    assert!(migrator
        .status()
        .unwrap()
        .iter()
        .all(|s| s.state == ferry::State::Applied));

    // `--table app.versions` keeps meaning schema app.
    let a = db
        .ferry()
        .args(["--table", "app.versions", "up"])
        .assert()
        .code(1);
    assert!(
        output(&a).1.contains("schema \"app\" does not exist"),
        "{}",
        output(&a).1
    );
}

#[test]
fn switching_golang_migrates_force_minus_one_records_no_version() {
    let db = TestDb::new();
    pairs(&db, 1..=2);
    db.ferry().arg("up").assert().success();
    db.exec("UPDATE schema_migrations SET dirty = true");
    let a = db.ferry().args(["force", "-1"]).assert().success();
    assert!(
        output(&a).1.contains("forced no version"),
        "{}",
        output(&a).1
    );
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.one("SELECT version FROM schema_migrations_history WHERE direction = 'force'"),
        "-1"
    );
    db.ferry()
        .arg("version")
        .assert()
        .success()
        .stdout("none\n");
    // Nothing is applied now, so up runs both again (the tables are still there).
    db.ferry()
        .arg("up")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already exists"));
}

#[test]
fn switching_restoring_another_tools_database_says_how_to_adopt_it() {
    let db = TestDb::new();
    three_tables(&db);
    std::fs::write(
        db.path().join("goose.sql"),
        "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, \
           is_applied boolean NOT NULL, tstamp timestamp NULL default now());\n\
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true);\n\
         CREATE TABLE t1 (id int);\n",
    )
    .unwrap();
    let a = db
        .ferry()
        .args(["restore", "--yes", "goose.sql"])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("restored goose.sql"), "{err}");
    assert!(err.contains("goose's in public.goose_db_version"), "{err}");
    assert!(err.contains("ferry adopt"), "{err}");
    db.ferry().arg("adopt").assert().success();
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "3 f");
}

/// ente's `26_update_ott_and_twofactor.up.sql` shape: statements before, between and after
/// BEGIN … COMMIT blocks of the file's own.
const OWN_BLOCKS: &str = "ALTER TABLE users ADD COLUMN created_at bigint;\n\
ALTER TABLE users ADD COLUMN updated_at bigint;\n\
\n\
BEGIN;\n\
UPDATE users SET created_at = 1;\n\
ALTER TABLE users ALTER COLUMN created_at SET NOT NULL;\n\
COMMIT;\n\
\n\
ALTER TABLE users ADD COLUMN note text;\n\
\n\
BEGIN;\n\
UPDATE users SET updated_at = 1 WHERE id > BOUND;\n\
ALTER TABLE users ALTER COLUMN updated_at SET NOT NULL;\n\
COMMIT;\n\
\n\
CREATE INDEX users_note ON users (note);\n";

#[test]
fn switching_golang_migrate_files_with_their_own_transactions_run_as_golang_migrate_runs_them() {
    let db = TestDb::new();
    db.write(
        "1_users.up.sql",
        "CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1), (2);",
    )
    .write("1_users.down.sql", "DROP TABLE users;")
    // Every row is updated: the file runs whole.
    .write("2_blocks.up.sql", &OWN_BLOCKS.replace("BOUND", "0"))
    .write(
        "2_blocks.down.sql",
        "ALTER TABLE users DROP COLUMN created_at, DROP COLUMN updated_at, DROP COLUMN note;",
    );
    db.ferry()
        .arg("validate")
        .assert()
        .success()
        .stderr(predicates::str::contains("2 migration(s) valid"));
    let a = db.ferry().args(["up", "-v"]).assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "./migrations/2_blocks.up.sql manages its own transactions (line 4): it is sent as one \
             message without ferry's transaction, as golang-migrate sends it, under the dirty flag"
        ),
        "{err}"
    );
    assert_eq!(db.version_row(), "2 f");
    assert_eq!(
        db.one("SELECT count(*) FROM users WHERE created_at = 1 AND updated_at = 1"),
        "2"
    );
    assert_eq!(
        db.column(
            "SELECT concat_ws(' ', version, direction) FROM schema_migrations_history ORDER BY id"
        ),
        ["1 up", "2 up"]
    );
    // Lint says what this costs.
    db.ferry()
        .args(["lint", "migrations/2_blocks.up.sql"])
        .assert()
        .code(5)
        .stdout(predicates::str::contains(
            "2_blocks.up.sql:4: not-atomic (warning): the migration manages its own transactions (BEGIN here), so it is not atomic",
        ));
    db.ferry().args(["down", "--yes"]).assert().success();
    assert_eq!(db.version_row(), "1 f");

    // A failure in the second block: the first block (and the statements before it, which
    // its BEGIN takes into it) committed; the second, with the statement before it,
    // rolled back; the database dirty at 2 — exactly as golang-migrate leaves it.
    db.write("2_blocks.up.sql", &OWN_BLOCKS.replace("BOUND", "1"));
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains(
            "error: migration ./migrations/2_blocks.up.sql (its own transactions, sent as one message) \
             failed; the database is dirty at version 2"
        ),
        "{err}"
    );
    assert!(err.contains("SQLSTATE: 23502"), "{err}");
    assert_eq!(db.version_row(), "2 t");
    assert_eq!(
        db.column("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position"),
        ["id", "created_at", "updated_at"]
    );
    assert_eq!(
        db.one("SELECT count(*) FROM users WHERE created_at = 1"),
        "2"
    );
    assert_eq!(
        db.one("SELECT count(*) FROM users WHERE updated_at IS NULL"),
        "2"
    );
    assert!(!db
        .one("SELECT count(*) FROM pg_indexes WHERE indexname = 'users_note'")
        .starts_with('1'));
}

#[test]
fn switching_transaction_control_in_a_file_with_another_tools_markers_is_still_refused() {
    let db = TestDb::new();
    db.write(
        "20250101000000_a.sql",
        "-- +goose Up\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE a;\n",
    );
    db.ferry()
        .arg("validate")
        .assert()
        .code(5)
        .stdout(predicates::str::contains(
            "20250101000000_a.sql:3: transaction control inside a migration",
        ));
}
