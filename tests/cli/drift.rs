//! `ferry drift`: every planted change found and named, none reported where there is none
//! (migrated by ferry, by psql, restored from a dump), a deploy in flight waited for,
//! pending files not drift, edited files named, `--fast` and its recorded hash,
//! `up --check-drift` and `up --rehearse` changing nothing when they refuse, fleets grouped.

use crate::common::{finish, TestDb};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The migrations every case starts from: types, tables, a function, a trigger, a policy.
fn migrated() -> TestDb {
    let db = TestDb::new();
    write_migrations(&db);
    let out = db.ferry().arg("up").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

fn write_migrations(db: &TestDb) {
    db.write(
        "000001_init.up.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE TABLE tenants (id bigserial PRIMARY KEY, name text NOT NULL, mood mood);
         CREATE TABLE faces (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants (id),
             score integer DEFAULT 0, note varchar(40));
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.score := NEW.score + 1; RETURN NEW; END $$;
         CREATE TRIGGER faces_touch BEFORE UPDATE ON faces FOR EACH ROW EXECUTE FUNCTION touch();
         ALTER TABLE faces ENABLE ROW LEVEL SECURITY;
         CREATE POLICY tenant_only ON faces USING (tenant_id > 0);",
    )
    .write(
        "000001_init.down.sql",
        "DROP TABLE faces; DROP TABLE tenants; DROP FUNCTION touch(); DROP TYPE mood;",
    )
    .write(
        "000002_index.up.sql",
        "CREATE INDEX faces_tenant ON faces (tenant_id);",
    )
    .write("000002_index.down.sql", "DROP INDEX faces_tenant;");
}

/// `ferry drift --format json ARGS`: exit code and the differences as (kind, name, change),
/// and the document.
fn drift(db: &TestDb, args: &[&str]) -> (i32, Vec<(String, String, String)>, serde_json::Value) {
    let out = db
        .ferry()
        .args(["drift", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", stdout(&out), stderr(&out)));
    let list = doc["differences"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    (
                        d["kind"].as_str().unwrap().to_string(),
                        d["name"].as_str().unwrap().to_string(),
                        d["change"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), list, doc)
}

fn one(kind: &str, name: &str, change: &str) -> Vec<(String, String, String)> {
    vec![(kind.into(), name.into(), change.into())]
}

#[test]
fn each_planted_change_is_found_and_named_and_reverted_by_its_sql() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "CREATE INDEX faces_tmp_idx ON faces (score)",
            "index",
            "public.faces_tmp_idx",
            "added",
        ),
        ("DROP INDEX faces_tenant", "index", "public.faces_tenant", "removed"),
        (
            "ALTER TABLE faces ALTER score SET DEFAULT 5",
            "column",
            "public.faces.score",
            "changed",
        ),
        (
            "ALTER TABLE faces ALTER note TYPE varchar(80)",
            "column",
            "public.faces.note",
            "changed",
        ),
        (
            "ALTER TABLE tenants ALTER name DROP NOT NULL",
            "column",
            "public.tenants.name",
            "changed",
        ),
        (
            "ALTER TABLE faces DROP CONSTRAINT faces_tenant_id_fkey",
            "constraint",
            "public.faces.faces_tenant_id_fkey",
            "removed",
        ),
        (
            "ALTER TABLE faces ADD CONSTRAINT score_positive CHECK (score >= 0)",
            "constraint",
            "public.faces.score_positive",
            "added",
        ),
        (
            "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "function",
            "public.touch()",
            "changed",
        ),
        (
            "ALTER TABLE faces DISABLE TRIGGER faces_touch",
            "trigger",
            "public.faces.faces_touch",
            "changed",
        ),
        (
            "ALTER POLICY tenant_only ON faces USING (tenant_id > 1)",
            "policy",
            "public.faces.tenant_only",
            "changed",
        ),
        (
            "ALTER TYPE mood ADD VALUE 'happy'",
            "type",
            "public.mood",
            "changed",
        ),
        ("CREATE TABLE scratch (x int)", "table", "public.scratch", "added"),
    ];
    let db = migrated();
    let (code, found, doc) = drift(&db, &[]);
    assert_eq!((code, found), (0, vec![]), "{doc}");
    for (planted, kind, name, change) in cases {
        db.exec(planted);
        // The recorded fingerprint sees it too: --fast compares in full and finds it.
        let (code, found, doc) = drift(&db, &["--fast"]);
        assert_eq!(
            (code, &doc["method"]),
            (5, &serde_json::json!("replay")),
            "{planted}: {doc}"
        );
        assert_eq!(found, one(kind, name, change), "{planted}");
        let (code, found, doc) = drift(&db, &[]);
        assert_eq!(code, 5, "{planted}: {doc}");
        assert_eq!(found, one(kind, name, change), "{planted}");
        assert_eq!(doc["version"], 2, "{doc}");
        // The SQL that reverts it does, except an enum value, which PostgreSQL cannot remove.
        let revert = doc["differences"][0]["revert"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!doc["differences"][0]["reproduce"]
            .as_str()
            .unwrap()
            .is_empty());
        if *kind == "type" {
            assert!(
                revert.starts_with("-- PostgreSQL cannot remove a value"),
                "{revert}"
            );
            db.exec("DROP TABLE tenants CASCADE; DROP TYPE mood; CREATE TYPE mood AS ENUM ('sad', 'ok');
                     CREATE TABLE tenants (id bigserial PRIMARY KEY, name text NOT NULL, mood mood);
                     ALTER TABLE faces ADD CONSTRAINT faces_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);");
        } else {
            db.exec(&revert);
        }
        let (code, found, doc) = drift(&db, &[]);
        assert_eq!(
            (code, found),
            (0, vec![]),
            "after reverting {planted}: {doc}"
        );
    }
}

#[test]
fn text_names_the_object_and_both_ways() {
    let db = migrated();
    db.exec("CREATE INDEX faces_tmp_idx ON faces (score)");
    let out = db.ferry().arg("drift").output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let text = stdout(&out);
    assert!(
        text.contains("+ index public.faces_tmp_idx: in the database, not made by the migrations"),
        "{text}"
    );
    assert!(
        text.contains("reproduce CREATE INDEX faces_tmp_idx ON public.faces USING btree (score);"),
        "{text}"
    );
    assert!(
        text.contains("revert    DROP INDEX public.faces_tmp_idx;"),
        "{text}"
    );
    assert!(
        stderr(&out).contains(
            "error: drift: 1 object(s) differ from what the migrations through version 2 make"
        ),
        "{}",
        stderr(&out)
    );
    // SARIF for code-scanning UIs.
    let out = db
        .ferry()
        .args(["drift", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "drift-extra");
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "public.faces_tmp_idx"
    );
    // Left out with --exclude.
    let (code, found, _) = drift(&db, &["--exclude", "public.faces_tmp_*"]);
    assert_eq!((code, found), (0, vec![]));
}

#[test]
fn a_grant_is_drift_with_privileges() {
    let db = migrated();
    db.exec(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'drift_reader') THEN \
         CREATE ROLE drift_reader; END IF; END $$; GRANT SELECT ON faces TO drift_reader",
    );
    let (code, found, _) = drift(&db, &[]);
    assert_eq!(
        (code, found),
        (0, vec![]),
        "grants are compared only when asked"
    );
    let (code, found, doc) = drift(&db, &["--privileges"]);
    assert_eq!(code, 5, "{doc}");
    assert_eq!(found, one("table", "public.faces", "changed"));
    assert!(
        doc["differences"][0]["revert"]
            .as_str()
            .unwrap()
            .contains("REVOKE SELECT ON TABLE public.faces FROM drift_reader;"),
        "{doc}"
    );
    db.exec("REVOKE SELECT ON faces FROM drift_reader");
}

#[test]
fn no_drift_after_psql_or_a_restore() {
    // The same files run by psql, then the state adopted by a forced version.
    let by_psql = TestDb::new();
    write_migrations(&by_psql);
    for file in ["000001_init.up.sql", "000002_index.up.sql"] {
        by_psql.psql_file(&by_psql.migrations().join(file));
    }
    let out = by_psql.ferry().args(["force", "2"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (code, found, doc) = drift(&by_psql, &[]);
    assert_eq!((code, found), (0, vec![]), "{doc}");

    // A database restored from `ferry dump`.
    let db = migrated();
    let out = db.ferry().args(["dump", "backup.sql"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let copy = TestDb::new();
    write_migrations(&copy);
    let out = copy
        .ferry()
        .args(["restore", "--yes"])
        .arg(db.path().join("backup.sql"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (code, found, doc) = drift(&copy, &[]);
    assert_eq!((code, found), (0, vec![]), "{doc}");
}

#[test]
fn pending_files_are_not_drift_and_edited_ones_are_named() {
    let db = migrated();
    db.write("000003_more.up.sql", "CREATE TABLE more (x int);")
        .write("000003_more.down.sql", "DROP TABLE more;");
    let (code, found, doc) = drift(&db, &[]);
    assert_eq!((code, found), (0, vec![]), "a pending migration: {doc}");

    // An applied file edited since: the history keeps what ran, which is replayed.
    db.write(
        "000002_index.up.sql",
        "CREATE INDEX faces_tenant ON faces (tenant_id, score);",
    );
    let out = db.ferry().arg("drift").output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("version 2 (index) was edited since it ran: replayed as it ran, from the SQL the history keeps"),
        "{err}"
    );
    // Where nothing is kept (it ran before ferry kept SQL): named, replayed as it is now,
    // and its edit shows as what it is.
    db.exec("UPDATE schema_migrations_history SET up_sql = NULL");
    let out = db.ferry().arg("drift").output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains(
            "000002_index.up.sql was edited after it was applied: the replay ran it as it is now"
        ),
        "{err}"
    );
    let (_, found, doc) = drift(&db, &[]);
    assert_eq!(found, one("index", "public.faces_tenant", "changed"));
    assert_eq!(
        doc["edited"][0]
            .as_str()
            .map(|l| l.ends_with("000002_index.up.sql")),
        Some(true)
    );
}

#[test]
fn a_database_nothing_was_applied_to_has_no_drift_until_it_has_objects() {
    let db = TestDb::new();
    write_migrations(&db);
    let (code, found, doc) = drift(&db, &[]);
    assert_eq!((code, found), (0, vec![]), "every file pending: {doc}");
    assert_eq!(doc["version"], serde_json::Value::Null);
    db.exec("CREATE TABLE early (x int)");
    let (code, found, _) = drift(&db, &[]);
    assert_eq!((code, found), (5, one("table", "public.early", "added")));
}

#[test]
fn fast_compares_the_recorded_hash() {
    let db = migrated();
    let recorded = db
        .column("SELECT coalesce(schema_hash, 'none') FROM schema_migrations_history ORDER BY id");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0], "none", "once per run: {recorded:?}");
    assert!(recorded[1].starts_with("c1:"), "{recorded:?}");

    let out = db.ferry().args(["drift", "--fast"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no drift: the schema is as ferry left it after migrating to 2"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("shadow"),
        "no shadow: {}",
        stderr(&out)
    );

    // A change: the hash differs, and the full comparison explains it.
    db.exec("CREATE INDEX faces_tmp_idx ON faces (score)");
    let (code, found, doc) = drift(&db, &["--fast"]);
    assert_eq!(code, 5, "{doc}");
    assert_eq!(found, one("index", "public.faces_tmp_idx", "added"));
    assert_eq!(doc["method"], "replay");

    // up --check-drift refuses and changes nothing.
    db.write("000003_more.up.sql", "CREATE TABLE more (x int);");
    let out = db.ferry().args(["up", "--check-drift"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--check-drift: the database drifted since ferry last migrated it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.version_row(), "2 f");
    assert!(!db.tables().contains(&"more".to_string()));

    // Reverted: it migrates, and records the new schema's hash.
    db.exec("DROP INDEX faces_tmp_idx");
    let out = db.ferry().args(["up", "--check-drift"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (code, _, doc) = drift(&db, &["--fast"]);
    assert_eq!(
        (code, &doc["method"]),
        (0, &serde_json::json!("fingerprint")),
        "{doc}"
    );
}

#[test]
fn data_work_keeps_the_fingerprint() {
    let db = migrated();
    db.write(
        "000003_view.up.sql",
        "CREATE MATERIALIZED VIEW scores AS SELECT tenant_id, sum(score) AS total FROM faces GROUP BY tenant_id;
         CREATE UNIQUE INDEX scores_tenant ON scores (tenant_id);",
    );
    assert!(db.ferry().arg("up").output().unwrap().status.success());
    // Rows written, tables emptied and rewritten, statistics gathered, a view refreshed:
    // none of it is schema.
    db.exec(
        "INSERT INTO tenants (name) SELECT 't' || g FROM generate_series(1, 200) g;
         INSERT INTO faces (tenant_id) SELECT id FROM tenants;
         UPDATE faces SET score = 7;
         REFRESH MATERIALIZED VIEW scores;
         ANALYZE;
         CLUSTER faces USING faces_pkey;
         TRUNCATE faces;
         SELECT setval('faces_id_seq', 1000);",
    );
    db.exec("VACUUM FULL tenants");
    let (code, found, doc) = drift(&db, &["--fast"]);
    assert_eq!((code, found), (0, vec![]), "{doc}");
    assert_eq!(doc["method"], "fingerprint", "{doc}");
}

#[test]
fn a_deploy_in_flight_is_waited_for_not_reported() {
    let db = migrated();
    // A migration outside a transaction: its index exists before its history row does.
    db.write(
        "000003_slow.up.sql",
        "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY faces_score ON faces (score);\nSELECT pg_sleep(1.5);\n",
    );
    let up = db.spawn(&["up"]);
    db.wait_for_sleep();
    let (code, found, doc) = drift(&db, &[]);
    let (up_code, up_out) = finish(up);
    assert_eq!(up_code, 0, "{up_out}");
    assert_eq!((code, found), (0, vec![]), "{doc}");
    assert_eq!(doc["version"], 3);
}

#[test]
fn rehearse_stops_before_the_database() {
    let db = migrated();
    // Someone renamed a column by hand: the next migration fails against the live schema.
    db.exec("ALTER TABLE faces RENAME COLUMN note TO remark");
    db.write("000003_a.up.sql", "CREATE TABLE audit (x int);")
        .write(
            "000004_b.up.sql",
            "ALTER TABLE faces ALTER COLUMN note TYPE text;",
        );
    let out = db.ferry().args(["up", "--rehearse"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--rehearse stopped before the database, which is unchanged at version 2: on a copy of its schema (no data)"),
        "{err}"
    );
    assert!(err.contains("000004_b.up.sql:1:"), "{err}");
    assert!(
        err.contains("column \"note\" of relation \"faces\" does not exist"),
        "{err}"
    );
    assert_eq!(db.version_row(), "2 f");
    assert!(!db.tables().contains(&"audit".to_string()));

    // Fixed: rehearsed, then applied.
    db.write(
        "000004_b.up.sql",
        "ALTER TABLE faces ALTER COLUMN remark TYPE text;",
    );
    let out = db.ferry().args(["up", "--rehearse"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "rehearsed on a copy of the database's schema (no data): 2 migration(s) apply"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.version_row(), "4 f");
}

#[test]
fn a_fleet_is_grouped_by_identical_drift() {
    let targets: Vec<TestDb> = (0..5).map(|_| migrated()).collect();
    let home = &targets[0];
    std::fs::write(
        home.path().join("targets.txt"),
        targets
            .iter()
            .map(|t| t.url.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    targets[1].exec("CREATE INDEX faces_tmp_idx ON faces (score)");
    targets[3].exec("CREATE INDEX faces_tmp_idx ON faces (score)");
    targets[4].exec(
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    );
    let out = home
        .ferry()
        .args(["drift", "--targets", "targets.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(
        text.contains("2 have the same extra index `public.faces_tmp_idx`:"),
        "{text}"
    );
    assert!(
        text.contains("has changed function `public.touch()` (definition)"),
        "{text}"
    );
    assert!(
        err.contains("drift on 5 targets: 2 match; 2 with extra index `public.faces_tmp_idx`; 1 with changed function `public.touch()` (definition)"),
        "{err}"
    );
    // One replay at most (none when an earlier test's schema is kept in the cache).
    assert!(err.matches("replaying").count() <= 1, "one replay: {err}");

    // JSON lines, one per target, and a summary.
    let out = home
        .ferry()
        .args(["drift", "--targets", "targets.txt", "--format", "json"])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7, "{}", stdout(&out));
    assert_eq!(lines[5]["summary"]["match"], 2);
    assert_eq!(lines[5]["summary"]["groups"].as_array().unwrap().len(), 2);

    // An applied file edited since: each target's history keeps what ran, which is what is
    // replayed, so the verdict is the same.
    home.write(
        "000002_index.up.sql",
        "CREATE INDEX faces_tenant ON faces (tenant_id, score);",
    );
    let out = home
        .ferry()
        .args(["drift", "--targets", "targets.txt"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("drift on 5 targets: 2 match; 2 with extra index `public.faces_tmp_idx`; 1 with changed function `public.touch()` (definition)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn tenant_schemas_share_one_replay() {
    let db = TestDb::new();
    write_migrations(&db);
    let out = db
        .ferry()
        .args([
            "up",
            "--schemas",
            "tenant_a,tenant_b,tenant_c",
            "--create-schema",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = db
        .ferry()
        .args(["drift", "--schemas", "tenant_*"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("drift on 3 targets: 3 match"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).matches("replaying").count() <= 1,
        "{}",
        stderr(&out)
    );

    // Each tenant's fingerprint, read in one pass, is the one its own run recorded.
    let out = db
        .ferry()
        .args([
            "drift",
            "--fast",
            "--schemas",
            "tenant_*",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", stdout(&out));
    for line in &lines[..3] {
        assert_eq!(line["method"], "fingerprint", "{line}");
    }

    db.exec("CREATE INDEX faces_tmp_idx ON tenant_b.faces (score); CREATE INDEX faces_tmp_idx ON tenant_c.faces (score)");
    let out = db
        .ferry()
        .args(["drift", "--schemas", "tenant_*"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "2 have the same extra index `tenant_b.faces_tmp_idx` (each in its own schema)"
        ),
        "{text}"
    );
}

#[test]
fn bad_inputs_get_one_clear_line_and_change_nothing() {
    let db = migrated();
    let run = |args: &[&str]| {
        let out = db.ferry().args(args).output().unwrap();
        (out.status.code().unwrap_or(-1), stderr(&out))
    };
    // An applied version whose file is gone: replayed from the SQL the history keeps; with
    // nothing kept, refused.
    for file in ["000002_index.up.sql", "000002_index.down.sql"] {
        std::fs::rename(db.migrations().join(file), db.path().join(file)).unwrap();
    }
    let (code, err) = run(&["drift"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("version 2 (index) is not in this build"),
        "{err}"
    );
    db.exec("UPDATE schema_migrations_history SET up_sql = NULL");
    let (code, err) = run(&["drift"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("error: applied version(s) 2 have no file in the migrations directory: run drift from a checkout that has them"),
        "{err}"
    );
    for file in ["000002_index.up.sql", "000002_index.down.sql"] {
        std::fs::rename(db.path().join(file), db.migrations().join(file)).unwrap();
    }

    // A dirty database.
    db.exec("UPDATE schema_migrations SET dirty = true");
    let (code, err) = run(&["drift"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("the database is dirty at version 2: a migration stopped part way"),
        "{err}"
    );
    db.exec("UPDATE schema_migrations SET dirty = false");

    // Flags that do not go together, and a format drift does not print.
    for flag in ["--check-drift", "--trace"] {
        let (code, err) = run(&["up", flag, "--targets", "targets.txt"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("--check-drift, --rehearse and --trace are not available with --targets"),
            "{err}"
        );
    }
    let (code, err) = run(&["drift", "--format", "xml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid value 'xml'"), "{err}");
    // A shadow that cannot be reached.
    let (code, err) = run(&["drift", "--shadow", "postgres://nobody@127.0.0.1:1/x"]);
    assert_ne!(code, 0, "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );

    assert_eq!(db.version_row(), "2 f");
    assert_eq!(drift(&db, &[]).0, 0, "nothing changed");
}

#[test]
fn a_kept_replay_gives_what_a_replay_gives() {
    let db = migrated();
    db.exec(
        "CREATE INDEX faces_tmp_idx ON faces (score); ALTER TABLE faces ALTER score SET DEFAULT 9",
    );
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        db.ferry()
            .args(["drift", "--format", "json"])
            .env("FERRY_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let (replayed, kept) = (run(), run());
    assert!(
        stderr(&replayed).contains("replaying 2 migration(s)"),
        "{}",
        stderr(&replayed)
    );
    assert!(
        !stderr(&kept).contains("shadow"),
        "no server the second time: {}",
        stderr(&kept)
    );
    assert_eq!(replayed.status.code(), Some(5));
    assert_eq!(kept.status.code(), Some(5));
    assert_eq!(stdout(&replayed), stdout(&kept));
    // Cleaned with the rest of the cache.
    let out = db
        .ferry()
        .args(["shadow", "clean"])
        .env("FERRY_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("1 kept schema(s)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn through_a_transaction_pooler() {
    let db = TestDb::new();
    write_migrations(&db);
    let pooled = db.pooled_url();
    let out = db
        .ferry()
        .args(["up", "--database-url", &pooled])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let recorded = db
        .column("SELECT schema_hash FROM schema_migrations_history WHERE schema_hash IS NOT NULL");
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    // The fingerprint recorded through the pooler settles --fast through it.
    let out = db
        .ferry()
        .args([
            "drift",
            "--fast",
            "--format",
            "json",
            "--database-url",
            &pooled,
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(doc["method"], "fingerprint", "{doc}");
    db.exec("CREATE INDEX faces_tmp_idx ON faces (score)");
    let out = db
        .ferry()
        .args([
            "drift",
            "--fast",
            "--format",
            "json",
            "--database-url",
            &pooled,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["differences"][0]["name"], "public.faces_tmp_idx",
        "{doc}"
    );
}

#[test]
fn no_schema_hash_records_nothing_and_fast_compares_in_full() {
    let db = TestDb::new();
    write_migrations(&db);
    let out = db
        .ferry()
        .args(["up", "--no-schema-hash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !db.column("SELECT attname FROM pg_attribute WHERE attrelid = 'schema_migrations_history'::regclass")
            .contains(&"schema_hash".to_string()),
        "nothing recorded, not even the column"
    );
    let out = db.ferry().args(["drift", "--fast"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--fast: no fingerprint of this build's format is recorded"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("no drift: the database has exactly the schema"),
        "{}",
        stderr(&out)
    );
}
