//! up, down, goto, force, version and status on the happy paths and their edges.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{output, TestDb};

const USERS_UP: &str = "CREATE TABLE users (id int PRIMARY KEY);";
const USERS_DOWN: &str = "DROP TABLE users;";

fn three(db: &TestDb) {
    db.write("000001_users.up.sql", USERS_UP)
        .write("000001_users.down.sql", USERS_DOWN)
        .write("000002_posts.up.sql", "CREATE TABLE posts (id int);")
        .write("000002_posts.down.sql", "DROP TABLE posts;")
        .write("000003_tags.up.sql", "CREATE TABLE tags (id int);")
        .write("000003_tags.down.sql", "DROP TABLE tags;");
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn up_applies_everything_then_says_no_change() {
    let db = TestDb::new();
    three(&db);
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("1/u users (") && err.contains("3/u tags ("),
        "{err}"
    );
    assert!(err.contains("now at version 3"), "{err}");
    assert_eq!(db.version_row(), "3 f");
    assert_eq!(
        db.tables(),
        [
            "posts",
            "schema_migrations",
            "schema_migrations_history",
            "tags",
            "users"
        ]
    );
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'"),
        "3"
    );

    db.ferry()
        .arg("up")
        .assert()
        .success()
        .stderr(predicate::str::contains("no change"));
    db.ferry().arg("version").assert().success().stdout("3\n");
}

#[test]
fn up_n_applies_the_next_n() {
    let db = TestDb::new();
    three(&db);
    db.ferry().args(["up", "2"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    db.ferry().args(["up", "1"]).assert().success();
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn version_on_a_fresh_database_is_none_and_creates_nothing() {
    let db = TestDb::new();
    db.ferry()
        .arg("version")
        .assert()
        .success()
        .stdout("none\n");
    db.ferry()
        .args(["version", "--format", "json"])
        .assert()
        .success();
    assert!(db.tables().is_empty(), "version must not create tables");
}

#[test]
fn status_lists_every_migration_with_state_and_time() {
    let db = TestDb::new();
    three(&db);
    db.ferry().args(["up", "2"]).assert().success();
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    let line = |v: &str| {
        out.lines()
            .find(|l| l.starts_with(v))
            .unwrap_or_else(|| panic!("{v} missing: {out}"))
            .to_string()
    };
    assert!(
        line("1 ").contains("applied") && line("1 ").contains(" ms"),
        "{out}"
    );
    assert!(line("3 ").contains("pending"), "{out}");
    assert!(out.contains("1 migration pending"), "{out}");
    assert!(out.contains("public.schema_migrations"), "{out}");

    let a = db
        .ferry()
        .args(["status", "--format", "json"])
        .assert()
        .success();
    let doc = json(&output(&a).0);
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["pending"], 1);
    assert_eq!(doc["migrations"][0]["state"], "applied");
    assert!(doc["migrations"][0]["applied_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(doc["migrations"][2]["state"], "pending");
    assert_eq!(doc["tls"], false);
}

#[test]
fn status_fail_on_pending_is_a_ci_gate() {
    let db = TestDb::new();
    three(&db);
    db.ferry()
        .args(["status", "--fail-on-pending"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "migration(s) pending; run `ferry up`",
        ));
    db.ferry().arg("up").assert().success();
    db.ferry()
        .args(["status", "--fail-on-pending"])
        .assert()
        .success();
}

#[test]
fn down_one_down_n_and_down_all() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    db.ferry()
        .arg("down")
        .assert()
        .success()
        .stderr(predicate::str::contains("3/d tags"));
    assert_eq!(db.version_row(), "2 f");
    assert!(!db.tables().contains(&"tags".to_string()));
    db.ferry().arg("up").assert().success();
    db.ferry().args(["down", "2"]).assert().success();
    assert_eq!(db.version_row(), "1 f");
    db.ferry()
        .args(["down", "--all", "--yes"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "empty");
    assert_eq!(
        db.tables(),
        ["schema_migrations", "schema_migrations_history"]
    );
    db.ferry()
        .arg("version")
        .assert()
        .success()
        .stdout("none\n");
}

#[test]
fn down_all_without_a_terminal_or_yes_is_refused() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    db.ferry()
        .args(["down", "--all"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn goto_moves_up_and_down() {
    let db = TestDb::new();
    three(&db);
    db.ferry().args(["goto", "2"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    db.ferry().args(["goto", "3"]).assert().success();
    assert_eq!(db.version_row(), "3 f");
    db.ferry().args(["goto", "1"]).assert().success();
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(
        db.tables(),
        ["schema_migrations", "schema_migrations_history", "users"]
    );
    db.ferry()
        .args(["goto", "7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no migration file has version 7"));
}

#[test]
fn force_sets_a_version_and_none_clears_it() {
    let db = TestDb::new();
    three(&db);
    db.ferry().args(["force", "2"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    assert!(
        db.tables()
            .iter()
            .all(|t| t.starts_with("schema_migrations")),
        "force ran nothing"
    );
    db.ferry().args(["force", "none"]).assert().success();
    assert_eq!(db.version_row(), "empty");
    db.ferry()
        .args(["force", "2", "--format", "json"])
        .assert()
        .success();
    db.ferry().arg("up").assert().success();
    assert_eq!(
        db.tables(),
        ["schema_migrations", "schema_migrations_history", "tags"]
    );
}

#[test]
fn rolling_back_an_up_only_migration_names_the_file_and_changes_nothing() {
    let db = TestDb::new();
    db.write("001_create_users.sql", USERS_UP)
        .write("002_posts.up.sql", "CREATE TABLE posts (id int);");
    db.write("002_posts.down.sql", "DROP TABLE posts;");
    db.ferry().arg("up").assert().success();
    db.ferry()
        .args(["down", "2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "001_create_users.sql cannot be rolled back",
        ));
    assert_eq!(db.version_row(), "2 f");
    assert!(
        db.tables().contains(&"posts".to_string()),
        "nothing may change"
    );
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let db = TestDb::new();
    three(&db);
    let a = db
        .ferry()
        .args(["up", "--dry-run", "-v"])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(
        out.contains("would run 1/u users") && out.contains(USERS_UP.trim_end_matches(';')),
        "{out}"
    );
    assert!(db.tables().is_empty());
    db.ferry().arg("up").assert().success();
    db.ferry()
        .args(["down", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would run 3/d tags"));
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn single_transaction_is_all_or_nothing() {
    let db = TestDb::new();
    three(&db);
    db.write(
        "000004_bad.up.sql",
        "CREATE TABLE bad (id int);\nSELECT nope;",
    );
    let a = db
        .ferry()
        .args(["up", "--single-transaction"])
        .assert()
        .code(1);
    let (_, err) = output(&a);
    assert!(err.contains("nothing was applied"), "{err}");
    assert!(
        db.tables()
            .iter()
            .all(|t| t.starts_with("schema_migrations")),
        "{:?}",
        db.tables()
    );
    db.remove("000004_bad.up.sql");
    db.ferry()
        .args(["up", "--single-transaction"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn single_transaction_refuses_a_no_transaction_migration_up_front() {
    let db = TestDb::new();
    db.write("1_t.sql", "CREATE TABLE t (a int);");
    db.write(
        "2_i.sql",
        "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);",
    );
    db.ferry()
        .args(["up", "--single-transaction"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2_i.sql runs without a transaction",
        ));
    assert!(!db.tables().contains(&"t".to_string()));
}

#[test]
fn json_output_of_up_is_one_document() {
    let db = TestDb::new();
    three(&db);
    let a = db
        .ferry()
        .args(["up", "--format", "json"])
        .assert()
        .success();
    let doc = json(&output(&a).0);
    assert_eq!(doc["command"], "up");
    assert_eq!(doc["from"], Value::Null);
    assert_eq!(doc["to"], 3);
    assert_eq!(doc["migrations"].as_array().unwrap().len(), 3);
    assert_eq!(doc["migrations"][0]["direction"], "up");
}

#[test]
fn history_records_checksums_and_modified_files_are_flagged() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE checksum ~ '^sha256-lf:[0-9a-f]{64}$' AND applied_by = current_user"),
        "3"
    );
    db.write("000002_posts.up.sql", "CREATE TABLE posts (id bigint);");
    db.ferry()
        .arg("validate")
        .assert()
        .code(5)
        .stdout(predicate::str::contains(
            "000002_posts.up.sql: edited after it was applied",
        ));
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("modified"));
    db.write("000004_more.up.sql", "SELECT 1;");
    db.ferry().arg("up").assert().success().stderr(
        predicate::str::contains("warning: ")
            .and(predicate::str::contains("000002_posts.up.sql was edited")),
    );
}

#[test]
fn an_applied_file_re_saved_with_crlf_and_a_bom_is_the_same_file() {
    let db = TestDb::new();
    let sql =
        "-- the users\nCREATE TABLE users (id int PRIMARY KEY);\n\nCREATE TABLE posts (id int);\n";
    db.write("1_users.sql", sql);
    db.ferry().arg("up").assert().success();
    // A Windows checkout: CRLF line endings and an editor's byte-order mark.
    let windows = format!("\u{feff}{}", sql.replace('\n', "\r\n"));
    db.write("1_users.sql", &windows);
    db.ferry().arg("validate").assert().success();
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("modified").not());
    // A real edit is still one.
    db.write("1_users.sql", &windows.replace("posts", "comments"));
    db.ferry().arg("validate").assert().code(5);
}

#[test]
fn rows_from_before_the_line_ending_proof_checksum_are_still_accepted() {
    let db = TestDb::new();
    let sql = "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n";
    db.write("1_a.sql", sql);
    db.ferry().arg("up").assert().success();
    // What an earlier ferry recorded: the sha256 of the file's own bytes, untagged.
    db.exec("UPDATE schema_migrations_history SET checksum = encode(sha256(convert_to(E'CREATE TABLE a (id int);\\r\\nCREATE TABLE b (id int);\\r\\n', 'UTF8')), 'hex')");
    db.ferry().arg("validate").assert().success();
    // ... and the untagged hash of an LF file that is CRLF now.
    db.exec("UPDATE schema_migrations_history SET checksum = encode(sha256(convert_to(E'CREATE TABLE a (id int);\\nCREATE TABLE b (id int);\\n', 'UTF8')), 'hex')");
    db.ferry().arg("validate").assert().success();
}

#[test]
fn repair_accepts_an_edited_applied_file_with_its_reason() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    db.write(
        "000002_posts.up.sql",
        "-- posts, one per author\nCREATE TABLE posts (id int);",
    );
    db.ferry()
        .arg("validate")
        .assert()
        .code(5)
        .stdout(predicate::str::contains("`ferry repair 2 --reason"));
    let a = db
        .ferry()
        .args(["repair", "2", "--reason", "comment added"])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(
        err.contains("recorded the new checksum of") && err.contains("comment added"),
        "{err}"
    );
    db.ferry().arg("validate").assert().success();
    db.ferry()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("modified").not());
    assert_eq!(
        db.one("SELECT direction || ' ' || version || ' ' || reason FROM schema_migrations_history ORDER BY id DESC LIMIT 1"),
        "repair 2 comment added"
    );
    assert_eq!(db.version_row(), "3 f", "the version row is left as it was");
    // Again: nothing to repair. Down and up again: the new up row is what counts.
    db.ferry()
        .args(["repair", "2", "--reason", "again"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing to repair"));
    db.ferry().args(["down", "2"]).assert().success();
    db.ferry().arg("up").assert().success();
    db.ferry().arg("validate").assert().success();
}

#[test]
fn repair_refuses_what_it_cannot_repair_and_changes_nothing() {
    let db = TestDb::new();
    three(&db);
    db.ferry().args(["up", "1"]).assert().success();
    let history = || db.one("SELECT count(*) FROM schema_migrations_history");
    let before = history();
    for (args, expected) in [
        (
            vec!["repair", "3", "--reason", "x"],
            "version 3 is not applied, so there is nothing to repair",
        ),
        (vec!["repair", "9", "--reason", "x"], "no migration file in"),
        (vec!["repair", "1", "--reason", "  "], "--reason is empty"),
        (vec!["repair", "1"], "--reason"),
    ] {
        let a = db.ferry().args(&args).assert().code(2);
        let (_, err) = output(&a);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    assert_eq!(history(), before);
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn example_migrations_apply_and_roll_back() {
    let db = TestDb::new();
    let examples = crate::common::examples().0.to_str().unwrap();
    db.ferry()
        .args(["up", "--path", examples])
        .assert()
        .success();
    assert_eq!(db.version_row(), "6 f");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_indexes WHERE indexname = 'faces_metadata_gin'"),
        "1"
    );
    db.exec("INSERT INTO tenants (name, api_key_hash) VALUES ('acme', repeat('a', 64)); SELECT record_verification(1, now()); SELECT record_verification(1, now());");
    assert_eq!(db.one("SELECT verifications FROM usage_records"), "2");
    db.ferry()
        .args(["validate", "--path", examples])
        .assert()
        .success();
    db.ferry()
        .args(["down", "--all", "--yes", "--path", examples])
        .assert()
        .success();
    assert_eq!(
        db.tables(),
        ["schema_migrations", "schema_migrations_history"]
    );
    assert_eq!(
        db.one("SELECT count(*) FROM pg_type WHERE typname = 'verification_result'"),
        "0"
    );
}

#[test]
fn verbose_shows_the_sql_and_quiet_only_errors() {
    let db = TestDb::new();
    three(&db);
    let a = db.ferry().args(["up", "1", "-v"]).assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("-- ./migrations/000001_users.up.sql")
            && err.contains(USERS_UP.trim_end_matches(';')),
        "{err}"
    );
    db.ferry()
        .args(["up", "--quiet"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    db.ferry()
        .args(["goto", "9", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error:"));
}

#[test]
fn the_version_row_is_updated_in_place_and_stays_one_row() {
    let db = TestDb::new();
    db.write("1_a.up.sql", "CREATE TABLE a (id int);")
        .write("1_a.down.sql", "DROP TABLE a;")
        .write("2_b.up.sql", "CREATE TABLE b (id int);")
        .write("2_b.down.sql", "DROP TABLE b;");
    db.ferry().args(["up", "1"]).assert().success();
    let files = "SELECT pg_relation_filenode('schema_migrations')::text";
    let before = db.one(files);
    db.ferry().arg("up").assert().success();
    db.ferry().args(["down", "1"]).assert().success();
    // No TRUNCATE: the table kept its files; golang-migrate's one row, at the version.
    assert_eq!(db.one(files), before);
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations"), "1");
    assert_eq!(db.version_row(), "1 f");
    // A second row someone added by hand is gone after the next migration.
    db.exec("INSERT INTO schema_migrations VALUES (7, false)");
    db.ferry().arg("up").assert().success();
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations"), "1");
    assert_eq!(db.version_row(), "2 f");
    db.ferry()
        .args(["down", "--all", "--yes"])
        .assert()
        .success();
    assert_eq!(db.one("SELECT count(*) FROM schema_migrations"), "0");
}

#[test]
fn sql_files_in_a_subdirectory_are_named_not_silently_ignored() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    std::fs::create_dir_all(db.migrations().join("archive/2024")).unwrap();
    std::fs::write(
        db.migrations().join("archive/2024/2_b.sql"),
        "CREATE TABLE b (id int);",
    )
    .unwrap();
    std::fs::write(db.migrations().join("archive/notes.txt"), "not SQL").unwrap();
    for command in ["up", "status", "validate"] {
        let a = db.ferry().arg(command).assert().success();
        let (_, err) = output(&a);
        assert!(
            err.contains("archive/2024/2_b.sql is in a subdirectory of the migrations directory"),
            "{command}: {err}"
        );
        assert!(!err.contains("notes.txt"), "{command}: {err}");
    }
    assert_eq!(db.version_row(), "1 f");
    assert!(!db.tables().contains(&"b".to_string()));
}

#[test]
fn a_first_up_on_a_schema_from_elsewhere_says_how_to_baseline() {
    let db = TestDb::new();
    three(&db);
    // The schema came from a restore: the tables exist, ferry's bookkeeping does not.
    db.exec("CREATE TABLE users (id int PRIMARY KEY); CREATE TABLE posts (id int);");
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(err.contains("relation \"users\" already exists"), "{err}");
    assert!(
        err.contains("hint: this database had no migration history")
            && err.contains("`ferry force V`"),
        "{err}"
    );
    assert_eq!(db.version_row(), "empty");
    // The advice works: record 2, then up applies 3.
    db.ferry().args(["force", "2"]).assert().success();
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "3 f");
    // On a database with history the hint is not given.
    db.write("000004_users_again.up.sql", "CREATE TABLE users (id int);");
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        !err.contains("hint: this database had no migration history"),
        "{err}"
    );
}

#[test]
fn template_files_take_their_placeholders_from_var_and_the_environment() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);");
    db.write(
        "2_tenant.sql",
        "-- ferry:template\n\
         CREATE SCHEMA ${TENANT};\n\
         CREATE TABLE ${TENANT}.settings (k text, v text DEFAULT '${REGION}');\n\
         CREATE FUNCTION ${TENANT}.hello() RETURNS text LANGUAGE sql AS $$ SELECT 'hi from ${TENANT}, not $${TENANT}' $$;\n",
    );
    // A name without a value: refused before anything runs, naming the name and the file.
    let a = db
        .ferry()
        .args(["up", "--var", "TENANT=acme"])
        .assert()
        .code(5);
    let (_, err) = output(&a);
    assert!(
        err.contains("2_tenant.sql:3")
            && err
                .contains("`${REGION}` has no value: pass --var REGION=… or set FERRY_VAR_REGION"),
        "{err}"
    );
    assert!(!err.contains("TENANT}` has no value"), "{err}");
    assert!(db.tables().is_empty(), "nothing ran: {:?}", db.tables());
    // A bad --var is refused by name.
    db.ferry()
        .args(["up", "--var", "TENANT"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`TENANT` is not NAME=VALUE"));
    // --dry-run -v shows the SQL as it will run.
    let a = db
        .ferry()
        .args(["up", "--dry-run", "-v", "--var", "TENANT=acme"])
        .env("FERRY_VAR_REGION", "eu")
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(out.contains("CREATE SCHEMA acme;"), "{out}");
    db.ferry()
        .args(["up", "--var", "TENANT=acme"])
        .env("FERRY_VAR_REGION", "eu")
        .assert()
        .success();
    assert_eq!(db.one("SELECT acme.hello()"), "hi from acme, not ${TENANT}");
    assert_eq!(
        db.one("SELECT column_default FROM information_schema.columns WHERE table_schema = 'acme' AND column_name = 'v'"),
        "'eu'::text"
    );
    // The checksum is the file's as written: other values do not make it "edited".
    db.ferry()
        .args(["validate", "--var", "TENANT=other", "--var", "REGION=us"])
        .assert()
        .success();
}

#[test]
fn repeatable_migrations_run_after_the_versioned_ones_whenever_they_change() {
    let db = TestDb::new();
    db.write("1_users.sql", "CREATE TABLE users (id int, email text);")
        .write(
            "R__views.sql",
            "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;",
        )
        .write(
            "R__functions.sql",
            "CREATE OR REPLACE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users $$;",
        );
    // Status and the dry run show them as pending.
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    assert!(out.contains("views") && out.contains("pending"), "{out}");
    db.ferry()
        .args(["status", "--fail-on-pending"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "migration(s) pending; run `ferry up`",
        ));
    let a = db.ferry().args(["up", "--dry-run"]).assert().success();
    let (out, _) = output(&a);
    assert!(
        out.contains("would run R functions") && out.contains("would run R views"),
        "{out}"
    );
    // Applied after the versioned ones, in name order.
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    let (f, v) = (
        err.find("R functions").unwrap(),
        err.find("R views").unwrap(),
    );
    assert!(err.find("1/u users").unwrap() < f && f < v, "{err}");
    assert!(
        err.contains("repeatable migrations applied: functions, views"),
        "{err}"
    );
    assert_eq!(db.one("SELECT user_count()"), "0");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'repeatable'"),
        "2"
    );
    // Unchanged: not run again.
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    assert!(err.contains("no change"), "{err}");
    assert_eq!(
        db.one("SELECT count(*) FROM schema_migrations_history WHERE direction = 'repeatable'"),
        "2"
    );
    // Edited: run again (and shown as changed first).
    db.write(
        "R__views.sql",
        "CREATE OR REPLACE VIEW user_emails AS SELECT email, id FROM users;",
    );
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    assert!(out.contains("changed"), "{out}");
    let a = db.ferry().arg("up").assert().success();
    let (_, err) = output(&a);
    assert!(
        err.contains("R views") && !err.contains("R functions"),
        "{err}"
    );
    assert_eq!(
        db.one("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user_emails'"),
        "2"
    );
    // down leaves them alone; the version row is never theirs.
    db.write("2_posts.up.sql", "CREATE TABLE posts (id int);")
        .write("2_posts.down.sql", "DROP TABLE posts;");
    db.ferry().arg("up").assert().success();
    db.ferry().args(["down", "1"]).assert().success();
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_views WHERE viewname = 'user_emails'"),
        "1"
    );
}

#[test]
fn a_failing_repeatable_migration_is_rolled_back_and_named() {
    let db = TestDb::new();
    db.write("1_users.sql", "CREATE TABLE users (id int);")
        .write(
            "R__views.sql",
            "CREATE VIEW broken AS SELECT id FROM users;\nCREATE VIEW worse AS SELECT nope FROM users;\n",
        );
    let a = db.ferry().arg("up").assert().code(1);
    let (_, err) = output(&a);
    assert!(
        err.contains("repeatable migration ./migrations/R__views.sql failed and was rolled back; the versioned migrations stay applied and the database is at version 1 (not dirty)"),
        "{err}"
    );
    assert!(err.contains("R__views.sql:2:"), "{err}");
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_views WHERE viewname = 'broken'"),
        "0"
    );
    // A repeatable migration cannot run outside a transaction, and needs a name.
    db.write(
        "R__views.sql",
        "-- ferry:no-transaction\nCREATE VIEW v AS SELECT 1;",
    );
    db.write("R__.sql", "SELECT 1;");
    let a = db.ferry().arg("up").assert().code(5);
    let (_, err) = output(&a);
    assert!(err.contains("runs in a transaction of its own"), "{err}");
    assert!(err.contains("needs a name: R__<name>.sql"), "{err}");
}

#[test]
fn the_example_schema_and_seeds_answer_a_nearest_neighbour_query_through_ivfflat() {
    if crate::common::missing_extensions(&["vector"]) {
        return;
    }
    let db = TestDb::new();
    let root = env!("CARGO_MANIFEST_DIR");
    db.ferry()
        .args(["up", "--path", &format!("{root}/migrations")])
        .assert()
        .success();
    db.ferry()
        .args([
            "seed",
            "--path",
            &format!("{root}/migrations"),
            &format!("{root}/seeds"),
        ])
        .assert()
        .success();
    assert_eq!(db.one("SELECT count(*) FROM faces"), "2003");
    assert_eq!(
        db.one("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'faces'::regclass AND attname = 'embedding'"),
        "vector(512)"
    );
    // The README's query: the faces nearest to one enrolled face, by cosine distance.
    let query = "SELECT external_id FROM faces \
                 ORDER BY embedding <=> (SELECT embedding FROM faces WHERE external_id = 'demo-0001') LIMIT 5";
    // With statistics, as autovacuum would have them soon; the planner may still prefer
    // a scan of 2,003 rows, so it is asked not to, to see that the index answers it. The
    // index was built before the seeds (as `up` then `seed` do), on random centres: every
    // list is probed, so the answer is exact rather than whatever one list holds.
    let mut client = db.client();
    client
        .batch_execute("ANALYZE faces; SET enable_seqscan = off; SET ivfflat.probes = 100")
        .unwrap();
    let plan: Vec<String> = client
        .query(&format!("EXPLAIN {query}"), &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(
        plan.contains("faces_embedding_ivfflat"),
        "the index answers it: {plan}"
    );
    let nearest: Vec<String> = client
        .query(query, &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(nearest.len(), 5);
    assert_eq!(
        nearest[0], "demo-0001",
        "a face is nearest to itself: {nearest:?}"
    );
}

#[test]
fn json_documents_name_the_repeatable_migrations_and_the_repair() {
    let db = TestDb::new();
    db.write("1_users.sql", "CREATE TABLE users (id int);")
        .write(
            "R__views.sql",
            "CREATE OR REPLACE VIEW v AS SELECT id FROM users;",
        );
    let status = |db: &TestDb| {
        let a = db
            .ferry()
            .args(["status", "--format", "json"])
            .assert()
            .success();
        json(&output(&a).0)
    };
    assert_eq!(status(&db)["repeatables"][0]["state"], "pending");
    let a = db
        .ferry()
        .args(["up", "--format", "json"])
        .assert()
        .success();
    let up = json(&output(&a).0);
    assert_eq!(up["repeatables"], serde_json::json!(["views"]));
    let listed = status(&db);
    assert_eq!(listed["repeatables"][0]["name"], "views");
    assert_eq!(listed["repeatables"][0]["state"], "applied");
    assert!(
        listed["repeatables"][0]["applied_at"].is_string(),
        "{listed}"
    );
    db.write("1_users.sql", "-- the users\nCREATE TABLE users (id int);");
    let a = db
        .ferry()
        .args(["repair", "1", "--reason", "comment", "--format", "json"])
        .assert()
        .success();
    let repair = json(&output(&a).0);
    assert_eq!(repair["command"], "repair");
    assert_eq!(repair["repaired"], true);
    assert!(
        repair["checksum"]
            .as_str()
            .unwrap()
            .starts_with("sha256-lf:"),
        "{repair}"
    );
}

#[test]
fn format_goes_before_or_after_the_command_and_migrate_and_rollback_are_up_and_down() {
    let db = TestDb::new();
    three(&db);
    // Mordeaux says migrate, dbmate says rollback.
    db.ferry().arg("migrate").assert().success();
    assert_eq!(db.version_row(), "3 f");
    db.ferry().args(["rollback"]).assert().success();
    assert_eq!(db.version_row(), "2 f");
    for args in [
        &["--format", "json", "version"][..],
        &["version", "--format", "json"],
        &["--format=json", "version"],
    ] {
        let a = db.ferry().args(args).assert().success();
        assert_eq!(
            json(&output(&a).0),
            serde_json::json!({"version": 2, "dirty": false}),
            "{args:?}"
        );
    }
    let a = db
        .ferry()
        .args(["--format", "json", "status"])
        .assert()
        .success();
    assert_eq!(json(&output(&a).0)["pending"], 1);
}

#[test]
fn after_force_the_migrations_below_keep_their_time_and_an_edit_is_still_seen() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);")
        .write(
            "2_nt.sql",
            "-- ferry:no-transaction\nCREATE TABLE b (id int);\nSELECT 1/0;\n",
        )
        .write("3_c.sql", "CREATE TABLE c (id int);");
    db.ferry()
        .arg("up")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "migration ./migrations/2_nt.sql (no-transaction) failed at statement 2 of 2",
        ));
    assert_eq!(db.version_row(), "2 t");
    // The README's recovery: finish by hand, then force.
    db.ferry().args(["force", "2"]).assert().success();
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    let one = out.lines().find(|l| l.starts_with("1 ")).unwrap();
    assert!(one.contains("applied") && one.contains(" ms"), "{out}");
    db.write("1_a.sql", "CREATE TABLE a (id int);\n-- edited");
    db.ferry()
        .arg("validate")
        .assert()
        .code(5)
        .stdout(predicates::str::contains(
            "1_a.sql: edited after it was applied",
        ));
}

#[test]
fn a_wrong_but_existing_path_is_not_taken_for_up_to_date() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    std::fs::create_dir(db.path().join("wrong")).unwrap();
    db.ferry()
        .args(["up", "--path", "wrong"])
        .assert()
        .code(5)
        .stderr(
            "error: the database is at version 3, but the migrations directory has no file for \
             it (it has no migrations at all): check --path (or FERRY_PATH), or restore the file\n",
        );
    let a = db
        .ferry()
        .args(["status", "--path", "wrong"])
        .assert()
        .success();
    assert!(
        output(&a).0.contains(
            "none of the 3 applied migration(s) has a file in wrong: check --path (or FERRY_PATH)"
        ),
        "{}",
        output(&a).0
    );
    assert_eq!(db.version_row(), "3 f");
}

#[test]
fn a_dirty_database_says_which_statements_of_the_failed_migration_ran() {
    let db = TestDb::new();
    db.write("1_a.sql", "CREATE TABLE a (id int);").write(
        "2_nt.sql",
        "-- ferry:no-transaction\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\nSELECT 1/0;\nCREATE TABLE d (id int);\n",
    );
    db.ferry()
        .arg("up")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("failed at statement 3 of 4"));
    let ran = "the up migration of version 2 (./migrations/2_nt.sql) stopped part way: \
               statements 1 to 2 ran, then statement 3 of 4 (line 4) failed (ERROR: division by \
               zero). Inspect the schema";
    db.ferry()
        .arg("up")
        .assert()
        .code(3)
        .stderr(predicates::str::contains(ran));
    let a = db.ferry().arg("status").assert().success();
    assert!(output(&a).0.contains(ran), "{}", output(&a).0);
    // Once forced, the note is history, not advice.
    db.exec("CREATE TABLE d (id int)");
    db.ferry().args(["force", "2"]).assert().success();
    db.ferry().arg("up").assert().success();
    assert_eq!(
        db.column("SELECT direction FROM schema_migrations_history ORDER BY id"),
        ["up", "failed", "force"]
    );
}

#[test]
fn a_secret_template_value_is_masked_in_the_sql_and_errors_ferry_prints() {
    let db = TestDb::new();
    db.write(
        "1_role.sql",
        "-- ferry:template\nSELECT 'Hunter2pw-${APP_PASSWORD}' AS x;\nSELECT ${APP_PASSWORD}::int;\n",
    );
    for how in ["flag", "env"] {
        let mut cmd = db.ferry();
        match how {
            "flag" => cmd.args(["--secret-var", "APP_PASSWORD=Sup3rS3cretPw"]),
            _ => cmd.env("FERRY_SECRET_VAR_APP_PASSWORD", "Sup3rS3cretPw"),
        };
        let a = cmd.args(["up", "--dry-run", "-v"]).assert().success();
        let (out, err) = output(&a);
        assert!(
            out.contains("SELECT 'Hunter2pw-****' AS x;"),
            "{how}: {out}"
        );
        assert!(!format!("{out}{err}").contains("Sup3rS3cretPw"), "{how}");
        let mut cmd = db.ferry();
        match how {
            "flag" => cmd.args(["--secret-var", "APP_PASSWORD=Sup3rS3cretPw"]),
            _ => cmd.env("FERRY_SECRET_VAR_APP_PASSWORD", "Sup3rS3cretPw"),
        };
        let a = cmd.arg("up").assert().code(1);
        let (out, err) = output(&a);
        assert!(err.contains("SELECT ****::int;"), "{how}: {err}");
        assert!(
            !format!("{out}{err}").contains("Sup3rS3cretPw"),
            "{how}: {err}"
        );
    }
}

#[test]
fn a_name_from_the_history_is_shown_escaped() {
    let db = TestDb::new();
    three(&db);
    db.ferry().arg("up").assert().success();
    // Another tool (or a hand) wrote a name that would forge a line in a CI log.
    db.exec("UPDATE schema_migrations_history SET name = E'x\\nerror: forged' WHERE version = 3");
    db.remove("000003_tags.up.sql");
    db.remove("000003_tags.down.sql");
    let a = db.ferry().arg("status").assert().success();
    let (out, _) = output(&a);
    assert!(out.contains("x\\nerror: forged"), "{out}");
    assert!(!out.contains("\nerror: forged"), "{out}");
}
