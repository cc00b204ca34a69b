//! `ferry squash`: a baseline for the migrations through V, proved on the shadow; what a
//! new database, one whose history reaches V, one below it and golang-migrate's table make
//! of it; a proof that fails writes nothing.

use std::path::Path;

use crate::common::{examples, Files, TestDb};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a prepared ferry command with `args`.
fn run<const N: usize>(mut ferry: assert_cmd::Command, args: [&str; N]) -> std::process::Output {
    ferry.args(args).output().unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs ferry against `url` (the files of `db`'s directory), asserting success.
fn ok_on(db: &TestDb, url: &str, args: &[&str]) -> std::process::Output {
    let out = db
        .ferry()
        .env("DATABASE_URL", url)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The files of a directory, names and contents, to tell that nothing changed.
fn listing(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walk(dir);
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push((
                entry.path().display().to_string(),
                std::fs::read_to_string(entry.path()).unwrap_or_default(),
            ));
        }
    }
    out
}

#[test]
fn the_example_migrations_squash_and_every_kind_of_database_follows() {
    let db = TestDb::new();
    copy_dir(&examples().0, &db.migrations());
    // Migrated before the squash: at the newest version, below the baseline, and at the
    // baseline by golang-migrate alone (its one-row table, no history).
    let (below, gm, fresh) = (TestDb::new(), TestDb::new(), TestDb::new());
    ok_on(&db, &db.url, &["up"]);
    ok_on(&db, &below.url, &["up", "2"]);
    ok_on(&db, &gm.url, &["up", "4"]);
    gm.exec("DROP TABLE schema_migrations_history; DROP TABLE IF EXISTS schema_migrations_lock");
    let before = db.schema_dump();

    let out = ok_on(&db, &db.url, &["squash", "--through", "4"]);
    let said = stderr(&out);
    assert!(
        said.contains("wrote ./migrations/000004_baseline.up.sql: the baseline of 4 migration(s), proved on the shadow"),
        "{said}"
    );
    assert!(
        said.contains("moved the 8 file(s) it replaced to ./migrations/squashed"),
        "{said}"
    );
    let baseline = std::fs::read_to_string(db.migrations().join("000004_baseline.up.sql")).unwrap();
    assert!(
        baseline.starts_with("-- ferry:baseline sha256-lf:"),
        "{baseline}"
    );
    assert!(
        baseline.contains("CREATE TABLE public.usage_records"),
        "{baseline}"
    );
    for gone in [
        "000001_create_tenants.up.sql",
        "000004_create_usage_records.down.sql",
    ] {
        assert!(!db.migrations().join(gone).exists());
        assert!(db.migrations().join("squashed").join(gone).exists());
    }

    // The database that ran the old files: nothing to do, nothing edited, no drift.
    let status = stdout(&ok_on(&db, &db.url, &["status"]));
    // The versions the baseline replaced, on one line.
    let row = status
        .lines()
        .find(|l| l.starts_with("1…3 "))
        .unwrap_or_default();
    assert!(
        row.contains("(3 migrations)") && row.contains("applied, squashed into a baseline"),
        "{status}"
    );
    let json = stdout(&ok_on(&db, &db.url, &["status", "--format", "json"]));
    assert_eq!(json.matches("\"squashed\"").count(), 3, "{json}");
    let row = status
        .lines()
        .find(|l| l.starts_with("4 "))
        .unwrap_or_default();
    assert!(
        row.contains("baseline") && row.contains(" applied "),
        "{status}"
    );
    assert!(stderr(&ok_on(&db, &db.url, &["up"])).contains("no change"));
    ok_on(&db, &db.url, &["validate"]);
    ok_on(&db, &db.url, &["drift"]);

    // A new database runs the baseline and the rest, to the same schema; a baseline is
    // not linted (it runs only on an empty database).
    let out = db.ferry().arg("lint").output().unwrap();
    assert!(
        out.status.success() && !stderr(&out).contains("baseline"),
        "{}",
        stderr(&out)
    );
    let said = stderr(&ok_on(&db, &fresh.url, &["up", "--strict-lint"]));
    assert!(
        said.contains("4/u baseline") && said.contains("6/u index_faces_embedding"),
        "{said}"
    );
    assert_eq!(fresh.schema_dump(), before);
    ok_on(&db, &fresh.url, &["drift"]);

    // golang-migrate's row at 4: the baseline counts as applied; 5 and 6 run.
    let said = stderr(&ok_on(&db, &gm.url, &["up"]));
    assert!(!said.contains("baseline") && said.contains("5/u"), "{said}");
    assert_eq!(gm.one("SELECT version::text FROM schema_migrations"), "6");

    // Below the baseline: refused, nothing changed, and told how to get past it.
    let out = db
        .ferry()
        .env("DATABASE_URL", &below.url)
        .arg("up")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "the database is at version 2, inside the baseline ./migrations/000004_baseline.up.sql"
        ) && stderr(&out).contains("`ferry goto 4 --path ./migrations/squashed`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(below.version_row(), "2 f");
    // status and validate say so too.
    let status = stdout(&ok_on(&db, &below.url, &["status"]));
    assert!(
        status.contains("the database is at version 2, inside the baseline")
            && status.contains("`ferry up` refuses it"),
        "{status}"
    );
    let out = db
        .ferry()
        .env("DATABASE_URL", &below.url)
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("000004_baseline.up.sql: the database is at version 2, inside the baseline"),
        "{}",
        stdout(&out)
    );
    ok_on(
        &db,
        &below.url,
        &["goto", "4", "--path", "migrations/squashed"],
    );
    ok_on(&db, &below.url, &["up"]);
    assert_eq!(below.schema_dump(), before);

    // `ferry test` takes the baseline as one way, even with --require-down.
    let out = db
        .ferry()
        .args(["test", "--require-down"])
        .env("DATABASE_URL", "postgres://app@127.0.0.1:1/app")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// One migration per object kind the snapshot models, over and over: tables, columns
/// changed and dropped, defaults, checks, unique and foreign keys, indexes (partial,
/// expression), enums (values added), domains, composite types, sequences, functions,
/// procedures, triggers, views, materialized views, policies, comments, grants,
/// partitions, and reference rows.
fn generated(files: &Files, count: usize) {
    files.write(
        "000001_base.up.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
         CREATE TABLE codes (id serial PRIMARY KEY, code text NOT NULL UNIQUE);
         INSERT INTO codes (code) VALUES ('a'), ('b');
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
    );
    for i in 2..=count {
        let t = format!("t{}", i / 10);
        // Each block of ten makes a table first; the first block only adds rows.
        let step = if i < 10 { 9 } else { i % 10 };
        let sql = match step {
            0 => format!(
                "CREATE TABLE {t} (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
                 name text NOT NULL DEFAULT '', m mood, e email, code_id int REFERENCES codes(id));"
            ),
            1 => format!("ALTER TABLE {t} ADD COLUMN score numeric(10,2) CHECK (score >= 0);"),
            2 => format!(
                "CREATE INDEX {t}_name ON {t} (lower(name)) WHERE score IS NOT NULL;\n\
                 CREATE UNIQUE INDEX {t}_e ON {t} (e);"
            ),
            3 => format!(
                "CREATE TRIGGER {t}_touch BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION touch();\n\
                 COMMENT ON TABLE {t} IS 'table {t}';"
            ),
            4 => format!(
                "CREATE VIEW {t}_v AS SELECT id, name FROM {t} WHERE score > 1;\n\
                 CREATE MATERIALIZED VIEW {t}_mv AS SELECT count(*) AS n FROM {t};"
            ),
            5 => format!(
                "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;\n\
                 CREATE POLICY {t}_own ON {t} USING (name = current_user);\n\
                 GRANT SELECT ON {t} TO PUBLIC;"
            ),
            6 => format!(
                "CREATE TYPE {t}_pair AS (a int, b text);\n\
                 CREATE SEQUENCE {t}_no START 100;\n\
                 CREATE FUNCTION {t}_f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';\n\
                 CREATE PROCEDURE {t}_p() LANGUAGE sql AS 'SELECT 1';"
            ),
            7 => format!(
                "ALTER TABLE {t} ADD COLUMN w int, ALTER COLUMN m SET DEFAULT 'ok';\n\
                 ALTER TABLE {t} ALTER COLUMN w TYPE bigint;\n\
                 ALTER TABLE {t} ADD COLUMN junk int;\n\
                 ALTER TABLE {t} DROP COLUMN junk;\n\
                 ALTER TYPE mood ADD VALUE IF NOT EXISTS 'v{i}';"
            ),
            8 => format!(
                "CREATE TABLE {t}_log (at date NOT NULL, what text) PARTITION BY RANGE (at);\n\
                 CREATE TABLE {t}_log_2026 PARTITION OF {t}_log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');"
            ),
            _ => format!("INSERT INTO codes (code) VALUES ('c{i}');"),
        };
        files.write(&format!("{i:06}_step.up.sql"), &sql);
    }
}

#[test]
fn a_generated_500_migration_directory_squashes_with_its_proof() {
    let db = TestDb::new();
    let files = Files::new();
    generated(&files, 500);
    copy_dir(&files.migrations(), &db.migrations());
    let full = TestDb::new();
    ok_on(&db, &full.url, &["up"]);

    // Reference rows left by the migrations are refused unless kept or waived.
    let out = run(db.ferry(), ["squash", "--through", "450"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leave rows in public.codes (54 rows)")
            && stderr(&out).contains("--keep-data public.codes"),
        "{}",
        stderr(&out)
    );
    let out = ok_on(
        &db,
        &db.url,
        &["squash", "--through", "450", "--keep-data", "codes"],
    );
    assert!(
        stderr(&out).contains("54 row(s) of 1 table(s)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(db.migrations()).unwrap().count(),
        1 + 50 + 1
    );

    // A new database: the baseline and the 50 after it give what all 500 give, rows and
    // the sequence's position included.
    ok_on(&db, &db.url, &["up"]);
    assert_eq!(db.schema_dump(), full.schema_dump());
    let rows = "SELECT string_agg(id || code, ',' ORDER BY id) FROM codes";
    assert_eq!(db.one(rows), full.one(rows));
    let next = "INSERT INTO codes (code) VALUES ('next') RETURNING id::text";
    assert_eq!(db.one(next), full.one(next));
}

#[test]
fn a_squash_whose_proof_fails_writes_nothing() {
    let files = Files::new();
    files
        .write("000001_t.up.sql", "CREATE TABLE t (id int, total int);")
        .write(
            "000002_unmodelled.up.sql",
            "CREATE RULE t_notify AS ON INSERT TO t DO ALSO NOTIFY t;\n\
             CREATE AGGREGATE total_of(int) (SFUNC = int4pl, STYPE = int);\n\
             CREATE TEXT SEARCH CONFIGURATION plain (COPY = simple);",
        )
        .write("000003_more.up.sql", "ALTER TABLE t ADD COLUMN note text;");
    let before = listing(files.path());
    let out = run(files.ferry(), ["squash", "--through", "2"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("squash through 2 wrote nothing: the baseline does not give what the migrations through 2 give"),
        "{err}"
    );
    for object in [
        "rule t_notify on public.t: made by the migrations, not by the baseline",
        "aggregate public.total_of(integer): made by the migrations",
        "text search configuration public.plain: made by the migrations",
    ] {
        assert!(err.contains(object), "{object}: {err}");
    }
    assert_eq!(listing(files.path()), before);
    // Squashing before it is fine: the migration the model cannot render stays a file.
    let out = run(files.ferry(), ["squash", "--through", "1", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("CREATE TABLE public.t ("),
        "{}",
        stdout(&out)
    );
    assert_eq!(listing(files.path()), before);
}

#[test]
fn bad_squash_arguments_are_named_and_change_nothing() {
    let files = Files::new();
    files
        .write("000001_t.up.sql", "CREATE TABLE t (id int);")
        .write(
            "000002_tpl.up.sql",
            "-- ferry:template\nCREATE TABLE ${prefix}_x (id int);",
        )
        .write("000003_more.up.sql", "ALTER TABLE t ADD COLUMN note text;");
    let before = listing(files.path());
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["--var", "prefix=a", "squash", "--through", "7"],
            2,
            "--through 7: no migration file has version 7",
        ),
        (
            &[
                "--var",
                "prefix=a",
                "squash",
                "--through",
                "1",
                "--keep-data",
                "nosuch",
            ],
            2,
            "--keep-data nosuch: no table of that name exists after the migrations through 1",
        ),
        (
            &["--var", "prefix=a", "squash", "--through", "3"],
            2,
            "migrations/000002_tpl.up.sql is a template (`-- ferry:template`)",
        ),
        (
            &[
                "--var",
                "prefix=a",
                "--schemas",
                "tenant_*",
                "squash",
                "--through",
                "1",
            ],
            2,
            "squash writes schema-qualified SQL, and a schema-per-tenant fleet's migrations run in each tenant's schema",
        ),
    ];
    for (args, code, says) in cases {
        let out = files.ferry().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out)
                .trim()
                .lines()
                .filter(|l| l.starts_with("error"))
                .count(),
            1
        );
        assert_eq!(listing(files.path()), before, "{args:?}");
    }
    // A baseline alone has nothing to squash.
    let done = Files::new();
    done.write(
        "000001_baseline.up.sql",
        "-- ferry:baseline\nCREATE TABLE t (id int);",
    );
    let out = run(done.ferry(), ["squash", "--through", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "000001_baseline.up.sql is already the baseline of every version through 1: nothing to squash"
        ),
        "{}",
        stderr(&out)
    );

    // A file already in squashed/ is never overwritten.
    std::fs::create_dir(files.migrations().join("squashed")).unwrap();
    std::fs::write(
        files.migrations().join("squashed/000001_t.up.sql"),
        "-- older",
    )
    .unwrap();
    let before = listing(files.path());
    let out = run(
        files.ferry(),
        ["--var", "prefix=a", "squash", "--through", "1"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("squashed/000001_t.up.sql already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(files.path()), before);
}

#[test]
fn kept_rows_of_partitions_and_inherited_tables_come_back_once() {
    let db = TestDb::new();
    db.write(
        "000001_data.up.sql",
        "CREATE TABLE events (at date NOT NULL, what text) PARTITION BY RANGE (at);
         CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
         INSERT INTO events VALUES ('2026-03-01', 'a'), ('2026-04-01', 'b');
         CREATE TABLE animals (id serial PRIMARY KEY, name text);
         CREATE TABLE dogs (good boolean) INHERITS (animals);
         INSERT INTO animals (name) VALUES ('cat');
         INSERT INTO dogs (name, good) VALUES ('rex', true);",
    )
    .write("000002_more.up.sql", "CREATE TABLE later (id int);");
    let full = TestDb::new();
    ok_on(&db, &full.url, &["up"]);

    // The parent alone leaves the inherited table's row out: refused, naming it.
    let out = run(
        db.ferry(),
        ["squash", "--through", "1", "--keep-data", "events,animals"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leave rows in public.dogs (1 row)"),
        "{}",
        stderr(&out)
    );
    let out = ok_on(
        &db,
        &db.url,
        &[
            "squash",
            "--through",
            "1",
            "--keep-data",
            "events,animals,dogs",
        ],
    );
    assert!(
        stderr(&out).contains("4 row(s) of 3 table(s)"),
        "{}",
        stderr(&out)
    );
    ok_on(&db, &db.url, &["up"]);
    for rows in [
        "SELECT string_agg(at || what, ',' ORDER BY at) FROM events",
        "SELECT string_agg(name, ',' ORDER BY name) FROM animals",
        "SELECT string_agg(name || good, ',') FROM dogs",
        "SELECT count(*)::text FROM ONLY animals",
    ] {
        assert_eq!(db.one(rows), full.one(rows), "{rows}");
    }
}

#[test]
fn schema_only_leaves_rows_out_and_the_replaced_files_move_with_their_data_tests_or_go() {
    let write = |files: &Files| {
        files
            .write(
                "000001_plans.up.sql",
                "CREATE TABLE plans (id int PRIMARY KEY, name text);\n\
                 INSERT INTO plans VALUES (1, 'free');",
            )
            .write("000001_plans.down.sql", "DROP TABLE plans;")
            .write(
                "000001_plans.test.sql",
                "-- ferry:after\nSELECT count(*) FROM plans;\n-- 1\n",
            )
            .write(
                "000002_more.up.sql",
                "ALTER TABLE plans ADD COLUMN note text;",
            );
    };

    // Moved: the up, the down and the data test of version 1, into squashed/.
    let moved = Files::new();
    write(&moved);
    let out = run(moved.ferry(), ["squash", "--through", "1", "--schema-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("moved the 3 file(s) it replaced"),
        "{}",
        stderr(&out)
    );
    let squashed = moved.migrations().join("squashed");
    for file in [
        "000001_plans.up.sql",
        "000001_plans.down.sql",
        "000001_plans.test.sql",
    ] {
        assert!(squashed.join(file).is_file(), "{file}");
        assert!(!moved.migrations().join(file).exists(), "{file}");
    }
    let baseline =
        std::fs::read_to_string(moved.migrations().join("000001_baseline.up.sql")).unwrap();
    assert!(!baseline.contains("INSERT INTO"), "{baseline}");

    // Deleted: nothing left of version 1 but the baseline, and no squashed/.
    let deleted = Files::new();
    write(&deleted);
    let out = run(
        deleted.ferry(),
        ["squash", "--through", "1", "--schema-only", "--delete"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("deleted the 3 file(s) it replaced"),
        "{}",
        stderr(&out)
    );
    let mut left: Vec<String> = std::fs::read_dir(deleted.migrations())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["000001_baseline.up.sql", "000002_more.up.sql"]);

    // A new database from it: the schema, and no rows.
    let db = TestDb::new();
    copy_dir(&deleted.migrations(), &db.migrations());
    ok_on(&db, &db.url, &["up"]);
    assert_eq!(db.one("SELECT count(*)::text FROM plans"), "0");
    assert_eq!(
        db.one("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'plans'"),
        "3"
    );
}
