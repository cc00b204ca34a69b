//! `ferry trace`: the locks and rewrites PostgreSQL shows for each statement, on the
//! shadow, never on the target.

use crate::common::TestDb;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(db: &TestDb) {
    db.write(
        "000001_init.up.sql",
        "CREATE TABLE orgs (id bigint PRIMARY KEY);
         CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20), email text);
         CREATE INDEX users_name ON users (name);",
    )
    .write(
        "000002_change.up.sql",
        "ALTER TABLE users ADD COLUMN org_id bigint REFERENCES orgs (id);
ALTER TABLE users ALTER COLUMN name TYPE varchar(40);
ALTER TABLE users ALTER COLUMN email TYPE varchar(100);
UPDATE users SET email = lower(email);",
    )
    .write("000003_drop_index.up.sql", "DROP INDEX users_name;")
    .write(
        "000004_concurrently.up.sql",
        "-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n",
    );
}

/// `ferry trace --format json ARGS`: the statements.
fn trace(db: &TestDb, args: &[&str]) -> Vec<serde_json::Value> {
    let out = db
        .ferry()
        .args(["trace", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["statements"].as_array().unwrap().clone()
}

fn locks(statement: &serde_json::Value) -> Vec<(String, String)> {
    statement["locks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["relation"].as_str().unwrap().to_string(),
                l["mode"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_statement_shows_its_locks_and_rewrites() {
    let db = TestDb::new();
    write(&db);
    let out = db.ferry().args(["up", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = db.schema_dump();
    let statements = trace(&db, &[]);
    assert_eq!(statements.len(), 6, "{statements:#?}");

    // A foreign key: SHARE ROW EXCLUSIVE on both tables; the new column ACCESS EXCLUSIVE
    // on users, held until COMMIT through the statements after it.
    let fk = &statements[0];
    let fk_locks = locks(fk);
    assert!(
        fk_locks.contains(&("public.orgs".into(), "ShareRowExclusiveLock".into())),
        "{fk_locks:?}"
    );
    assert!(
        fk_locks.contains(&("public.users".into(), "AccessExclusiveLock".into())),
        "{fk_locks:?}"
    );
    let exclusive = fk["locks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mode"] == "AccessExclusiveLock")
        .unwrap();
    assert_eq!(exclusive["blocks"], serde_json::json!(["reads", "writes"]));
    assert_eq!(exclusive["held_until"], "COMMIT");
    assert_eq!(exclusive["held_through"], serde_json::json!([2, 3, 4]));
    assert_eq!(fk["rewrites"], serde_json::json!([]));
    // What it added: the column, and its foreign key (validated: nothing to check).
    assert_eq!(
        fk["changes"],
        serde_json::json!([
            {"kind": "column", "relation": "public.users", "name": "org_id",
             "definition": "bigint", "valid": null},
            {"kind": "constraint", "relation": "public.users", "name": "users_org_id_fkey",
             "definition": "FOREIGN KEY (org_id) REFERENCES orgs(id)", "valid": true},
        ]),
        "{fk:#}"
    );
    assert_eq!(
        statements[1]["changes"][0]["definition"],
        "character varying(40)"
    );
    // The UPDATE changes rows, not the schema.
    assert_eq!(statements[3]["changes"], serde_json::json!([]));

    // A varchar made longer rewrites nothing; a change of type rewrites the table and its
    // indexes.
    assert_eq!(
        statements[1]["rewrites"],
        serde_json::json!([]),
        "{:#}",
        statements[1]
    );
    let rewrites = statements[2]["rewrites"].as_array().unwrap();
    assert!(
        rewrites.contains(&serde_json::json!("public.users")),
        "{rewrites:?}"
    );
    assert!(
        rewrites.contains(&serde_json::json!("public.users_pkey")),
        "{rewrites:?}"
    );

    // A plain DROP INDEX takes ACCESS EXCLUSIVE on the table.
    let drop = &statements[4];
    assert_eq!(
        drop["file"]
            .as_str()
            .map(|f| f.ends_with("000003_drop_index.up.sql")),
        Some(true)
    );
    assert!(
        locks(drop).contains(&("public.users".into(), "AccessExclusiveLock".into())),
        "{drop:#}"
    );

    // CONCURRENTLY: outside a transaction, SHARE UPDATE EXCLUSIVE, blocking neither.
    let concurrent = &statements[5];
    assert_eq!(concurrent["in_transaction"], false);
    assert!(
        locks(concurrent).contains(&("public.users".into(), "ShareUpdateExclusiveLock".into())),
        "{concurrent:#}"
    );

    // The target: only read.
    assert_eq!(db.schema_dump(), before);
    assert_eq!(db.version_row(), "1 f");
}

#[test]
fn files_without_a_database_and_bad_files() {
    let db = TestDb::new();
    write(&db);
    let out = db
        .ferry()
        .args(["trace", "migrations/000003_drop_index.up.sql"])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("AccessExclusiveLock on public.users: blocks reads and writes until COMMIT"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = db
        .ferry()
        .args(["trace", "migrations/nope.up.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read migrations/nope.up.sql: check the path"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sized_from_the_database_with_an_estimate_and_nothing_written() {
    let db = TestDb::new();
    db.write(
        "000001_init.up.sql",
        "CREATE TABLE faces (id int PRIMARY KEY, note text) WITH (autovacuum_enabled = false);",
    )
    .write(
        "000002_widen.up.sql",
        "ALTER TABLE faces ALTER COLUMN id TYPE bigint;",
    )
    .write(
        "000003_check.up.sql",
        "ALTER TABLE faces ADD CONSTRAINT faces_note CHECK (note <> '');",
    );
    let out = db.ferry().args(["up", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    db.exec("INSERT INTO faces SELECT g, md5(g::text) FROM generate_series(1, 300000) g");
    // Never analyzed: said so, not shown as empty.
    let text = db.ferry().arg("trace").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("rewrites public.faces (no statistics yet: ANALYZE it for a row count,"),
        "{text}"
    );
    let stats = "SELECT n_tup_ins || ' ' || seq_scan || ' ' || coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'faces'";
    db.exec("ANALYZE faces");
    let (catalog, statistics) = (db.schema_dump(), db.one(stats));
    // The rates: measured with --calibrate, kept for the next trace.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = db
            .ferry()
            .args(["trace", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let measured = json(&["--calibrate"]);
    assert_eq!(measured["rates"], "measured", "{measured:#}");
    let doc = json(&[]);
    assert_eq!(doc["rates"], "kept", "{doc:#}");
    assert!(
        doc["scan_bytes_per_second"].as_f64().unwrap() > 0.0,
        "{doc:#}"
    );
    // The check reads every row: a scan, sized too.
    assert_eq!(
        doc["statements"][1]["scans"],
        serde_json::json!(["public.faces"])
    );
    assert!(doc["statements"][1]["estimated_seconds"].as_f64().unwrap() > 0.0);
    let size = &doc["sizes"]["public.faces"];
    assert!(size["rows"].as_i64().unwrap() > 250_000, "{doc:#}");
    assert!(size["bytes"].as_i64().unwrap() > 10_000_000, "{doc:#}");
    let estimate = doc["statements"][0]["estimated_seconds"]
        .as_f64()
        .expect("an estimate");
    let text = db.ferry().arg("trace").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("rewrites public.faces (≈300.0 k rows,"),
        "{text}"
    );
    assert!(
        text.contains("under AccessExclusiveLock: every read and write waits ≈"),
        "{text}"
    );
    assert!(
        text.contains("    scans public.faces (≈300.0 k rows,"),
        "{text}"
    );
    // Only read: its catalog and statistics as they were.
    assert_eq!((db.schema_dump(), db.one(stats)), (catalog, statistics));
    // How close the estimate comes to the real run is timing, measured by the benchmark
    // (`benches/run.sh estimate`); here only that there is one, from a measured rate.
    assert!(estimate > 0.0 && estimate.is_finite(), "{doc:#}");
}

#[test]
fn a_database_changed_by_hand_is_traced_as_it_is() {
    let db = TestDb::new();
    db.write(
        "000001_init.up.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);",
    )
    .write(
        "000002_nick.up.sql",
        "ALTER TABLE users ALTER COLUMN nick TYPE varchar(50);",
    );
    assert!(db
        .ferry()
        .args(["up", "1"])
        .output()
        .unwrap()
        .status
        .success());
    // Made by hand: the migrations' own schema lacks it, the database's has it.
    db.exec("ALTER TABLE users ADD COLUMN nick varchar(20)");
    let statements = trace(&db, &[]);
    assert_eq!(statements.len(), 1);
    assert_eq!(
        statements[0]["rewrites"],
        serde_json::json!([]),
        "{statements:#?}"
    );
}

/// The user relations and their files, as the hand check reads them: oid → (name, file,
/// kind). User relations: outside `pg_catalog`, `information_schema` and the TOAST schemas.
fn files_by_hand(
    client: &mut postgres::Client,
) -> std::collections::BTreeMap<u32, (String, u32, i8)> {
    client
        .query(
            "SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
               c.relfilenode, c.relkind::\"char\" FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect()
}

/// Rewritten, by hand: a table, materialized view or index that existed before has another
/// file after, under its name (an index `ALTER COLUMN … TYPE` rebuilt has a new oid too; a
/// sequence's file is replaced by `RESTART`, which copies one row: not a rewrite).
fn rewritten_by_hand(
    before: &std::collections::BTreeMap<u32, (String, u32, i8)>,
    after: &std::collections::BTreeMap<u32, (String, u32, i8)>,
) -> std::collections::BTreeSet<String> {
    let storage = |kind: &i8| [b'r', b'm', b'i'].contains(&(*kind as u8));
    before
        .values()
        .filter(|(name, file, kind)| {
            storage(kind)
                && after
                    .values()
                    .any(|(n, f, k)| n == name && f != file && storage(k))
        })
        .map(|(name, _, _)| name.clone())
        .collect()
}

type LockSet = std::collections::BTreeSet<(String, String)>;

/// The sequential scans of each table and materialized view in this session's own
/// statistics of its transaction (oid → count): a statement that reads every row of a
/// table raises its count.
fn scans_by_hand(client: &mut postgres::Client) -> std::collections::BTreeMap<u32, i64> {
    client
        .query(
            "SELECT oid, pg_stat_get_xact_numscans(oid) FROM pg_class WHERE relkind IN ('r', 'm')",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// The relation locks `pid` holds (granted) on relations in `before`, read on `client`.
fn locks_by_hand(
    client: &mut postgres::Client,
    pid: i32,
    before: &std::collections::BTreeMap<u32, (String, u32, i8)>,
) -> LockSet {
    client
        .query(
            "SELECT relation, mode FROM pg_locks WHERE locktype = 'relation' AND granted \
             AND pid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &[&pid],
        )
        .unwrap()
        .iter()
        .filter_map(|r| {
            let oid: u32 = r.get(0);
            before
                .get(&oid)
                .map(|(name, _, _)| (name.clone(), r.get::<_, String>(1)))
        })
        .collect()
}

/// Every statement of the set (`fixtures/trace-set`: each ALTER TABLE form, index and
/// constraint forms, types, enums, domains, views, functions, triggers, policies, DML, on
/// populated tables) locks and rewrites in `ferry trace` exactly what PostgreSQL shows when
/// the same statements run by hand one after another: `pg_locks` of the session right after
/// the statement, in its transaction (a `CREATE INDEX CONCURRENTLY` watched from a second
/// session holding an older snapshot), `relfilenode` before and after, and the sequential
/// scans in the transaction's own statistics (a constraint validated, `SET NOT NULL`).
#[test]
fn every_statement_of_the_set_shows_what_postgresql_shows_by_hand() {
    let db = TestDb::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/trace-set");
    let setup = std::fs::read_to_string(dir.join("setup.sql")).unwrap();
    let set = std::fs::read_to_string(dir.join("statements.sql")).unwrap();
    let statements: Vec<&str> = set.trim().split("\n\n").collect();
    assert!(statements.len() >= 60, "{}", statements.len());
    db.write("000001_setup.up.sql", &setup);
    let mut files = Vec::new();
    for (i, sql) in statements.iter().enumerate() {
        let name = format!("{:06}_s.up.sql", i + 2);
        db.write(&name, &format!("{sql}\n"));
        files.push(format!("migrations/{name}"));
    }
    // Traced on the shadow: the setup replayed (with its rows), then each statement.
    let out = db
        .ferry()
        .args(["trace", "--format", "json"])
        .args(&files)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let traced = doc["statements"].as_array().unwrap();
    assert_eq!(traced.len(), statements.len());

    // By hand, on the test database.
    db.exec(&setup);
    let mut client = db.client();
    let mut watcher = db.client();
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut differences = Vec::new();
    let mut scanning = 0;
    for (i, sql) in statements.iter().enumerate() {
        let before = files_by_hand(&mut client);
        // In a transaction, read right after the statement; one that may not run in a
        // transaction block (`CONCURRENTLY`) watched from a second session while it waits for
        // an older snapshot.
        client.batch_execute("BEGIN").unwrap();
        let scans_before = scans_by_hand(&mut client);
        let mut scanned = std::collections::BTreeSet::new();
        let by_hand = match client.batch_execute(sql) {
            Ok(()) => {
                let mut watching = db.client();
                let locks = locks_by_hand(&mut watching, pid, &before);
                for (oid, count) in scans_by_hand(&mut client) {
                    if count > scans_before.get(&oid).copied().unwrap_or(0) {
                        if let Some((name, _, _)) = before.get(&oid) {
                            scanned.insert(name.clone());
                        }
                    }
                }
                client.batch_execute("COMMIT").unwrap();
                locks
            }
            Err(e) => {
                assert!(
                    sql.contains("ferry:no-transaction")
                        && e.code() == Some(&postgres::error::SqlState::ACTIVE_SQL_TRANSACTION),
                    "{sql}: {e:?}"
                );
                client.batch_execute("ROLLBACK").unwrap();
                watcher
                    .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1")
                    .unwrap();
                let mut seen = LockSet::new();
                std::thread::scope(|scope| {
                    let running = scope.spawn(|| client.batch_execute(sql));
                    let started = std::time::Instant::now();
                    let mut released = false;
                    while !running.is_finished() {
                        seen.extend(locks_by_hand(&mut watcher, pid, &before));
                        if !released && started.elapsed() > std::time::Duration::from_millis(300) {
                            watcher.batch_execute("COMMIT").unwrap();
                            released = true;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    if !released {
                        watcher.batch_execute("COMMIT").unwrap();
                    }
                    running.join().unwrap().unwrap();
                });
                seen
            }
        };
        let rewrites = rewritten_by_hand(&before, &files_by_hand(&mut client));
        // Scanned: read every row of, not rewritten.
        let scans: std::collections::BTreeSet<String> =
            scanned.difference(&rewrites).cloned().collect();

        let step = &traced[i];
        assert!(
            step["file"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{:06}_s.up.sql", i + 2)),
            "{step:#}"
        );
        let traced_locks: LockSet = locks(step).into_iter().collect();
        let traced_rewrites: std::collections::BTreeSet<String> = step["rewrites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        let traced_scans: std::collections::BTreeSet<String> = step["scans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        if !scans.is_empty() {
            scanning += 1;
        }
        if traced_locks != by_hand || traced_rewrites != rewrites || traced_scans != scans {
            differences.push(format!(
                "{sql}\n  traced: {traced_locks:?} rewrites {traced_rewrites:?} scans {traced_scans:?}\n  by hand: {by_hand:?} rewrites {rewrites:?} scans {scans:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} statements differ:\n{}",
        differences.len(),
        statements.len(),
        differences.join("\n")
    );
    // The set's validations and NOT NULL checks do read every row.
    assert!(scanning >= 5, "{scanning} statements scanned");
    // A constraint added NOT VALID, then validated: its row says which.
    let changes_of = |start: &str| {
        let step = traced
            .iter()
            .find(|s| s["sql"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("{start}"));
        step["changes"].clone()
    };
    let added = changes_of("ALTER TABLE users ADD CONSTRAINT users_score_small");
    assert_eq!(
        (&added[0]["name"], &added[0]["valid"]),
        (
            &serde_json::json!("users_score_small"),
            &serde_json::json!(false)
        ),
        "{added:#}"
    );
    let validated = changes_of("ALTER TABLE users VALIDATE CONSTRAINT users_score_small");
    assert_eq!(validated[0]["valid"], true, "{validated:#}");
    let index = changes_of("CREATE INDEX users_score ON users");
    assert_eq!(
        (&index[0]["kind"], &index[0]["name"]),
        (
            &serde_json::json!("index"),
            &serde_json::json!("public.users_score")
        ),
        "{index:#}"
    );
}

/// `ferry lint --trace`: the trace confirms a finding PostgreSQL bears out, clears one it
/// does not (a numeric given more precision keeps its file), and adds what the words do not
/// show.
#[test]
fn lint_with_the_trace_confirms_clears_and_adds_findings() {
    let db = TestDb::new();
    db.write(
        "000001_init.up.sql",
        "CREATE TABLE orgs (id bigint PRIMARY KEY);
         CREATE TABLE users (id bigint PRIMARY KEY, score numeric(10, 2), email text);
         CREATE TABLE notes (id int);",
    )
    .write(
        "000002_change.up.sql",
        "ALTER TABLE users ALTER COLUMN score TYPE numeric(12, 2);
ALTER TABLE users ALTER COLUMN email TYPE varchar(100);
ALTER TABLE users ADD COLUMN org_id bigint REFERENCES orgs (id);
",
    )
    .write(
        "000003_unlogged.up.sql",
        "ALTER TABLE notes SET UNLOGGED;\n",
    );
    let out = db.ferry().args(["up", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = db.schema_dump();

    let lint = |args: &[&str]| {
        let out = db
            .ferry()
            .args(["lint", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
        (out.status.code(), doc)
    };
    let verdicts = |doc: &serde_json::Value| -> Vec<(String, u64, String, String)> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string(),
                    f["line"].as_u64().unwrap(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["trace"]["verdict"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    // Without the trace: the words only, warnings; the rewrite of `notes` unseen.
    let (code, plain) = lint(&[]);
    assert_eq!(code, Some(0));
    let rules: Vec<String> = verdicts(&plain).into_iter().map(|v| v.2).collect();
    assert_eq!(
        rules,
        [
            "alter-column-type",
            "alter-column-type",
            "foreign-key-locks-referenced"
        ],
        "{plain:#}"
    );

    let (code, traced) = lint(&["--trace"]);
    assert_eq!(code, Some(5), "{traced:#}");
    let v = |file: &str, line: u64, rule: &str, verdict: &str| {
        (
            file.to_string(),
            line,
            rule.to_string(),
            verdict.to_string(),
        )
    };
    assert_eq!(
        verdicts(&traced),
        [
            v("000002_change.up.sql", 1, "alter-column-type", "cleared"),
            v(
                "000002_change.up.sql",
                1,
                "lock-held-through",
                "found by trace"
            ),
            v("000002_change.up.sql", 2, "alter-column-type", "confirmed"),
            v(
                "000002_change.up.sql",
                3,
                "foreign-key-locks-referenced",
                "confirmed"
            ),
            v(
                "000003_unlogged.up.sql",
                1,
                "table-rewrite",
                "found by trace"
            ),
        ],
        "{traced:#}"
    );
    let findings = traced["findings"].as_array().unwrap();
    assert_eq!(
        findings[2]["trace"]["evidence"], "rewrites public.users, public.users_pkey",
        "{traced:#}"
    );
    assert!(
        findings[3]["trace"]["evidence"]
            .as_str()
            .unwrap()
            .contains("ShareRowExclusiveLock on public.orgs blocks writes until COMMIT"),
        "{traced:#}"
    );
    assert_eq!(
        (traced["errors"].as_u64(), traced["cleared"].as_u64()),
        (Some(1), Some(1))
    );

    // Text says the same; SARIF leaves the cleared finding out.
    let out = db.ferry().args(["lint", "--trace"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("000002_change.up.sql:1: alter-column-type cleared by the trace: nothing rewritten: the table keeps its file"),
        "{text}"
    );
    assert!(text.contains("(found by the trace)"), "{text}");
    let out = db
        .ferry()
        .args(["trace", "--format", "sarif"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        [
            "lock-held-through",
            "alter-column-type",
            "foreign-key-locks-referenced",
            "table-rewrite"
        ]
    );

    // `-- ferry:allow` silences a rule only the trace finds, as any other.
    db.write(
        "000003_unlogged.up.sql",
        "-- ferry:allow table-rewrite\nALTER TABLE notes SET UNLOGGED;\n",
    );
    let (_, allowed) = lint(&["--trace"]);
    assert!(
        !verdicts(&allowed).iter().any(|v| v.2 == "table-rewrite"),
        "{allowed:#}"
    );
    // Only read.
    assert_eq!(db.schema_dump(), before);
}

/// `up --strict-lint --trace`: the verdict with the trace decides. An error the trace clears
/// (a check added to a domain no column uses) does not refuse the run; an error only the
/// trace finds (`SET UNLOGGED` rewrites the table) does, before anything changes.
#[test]
fn up_with_the_trace_refuses_on_what_stands_only() {
    let db = TestDb::new();
    db.write(
        "000001_init.up.sql",
        "CREATE DOMAIN positive AS int;\nCREATE TABLE notes (id int);\n",
    )
    .write(
        "000002_domain.up.sql",
        "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);\n",
    );
    let out = db.ferry().args(["up", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Lint alone refuses.
    let out = db.ferry().args(["up", "--strict-lint"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(db.version_row(), "1 f");
    // With the trace: cleared, applied.
    let out = db
        .ferry()
        .args(["up", "--strict-lint", "--trace"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("000002_domain.up.sql:1: constraint-not-valid cleared by the trace: reads no table's rows: nothing is checked"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.version_row(), "2 f");

    db.write(
        "000003_unlogged.up.sql",
        "ALTER TABLE notes SET UNLOGGED;\n",
    );
    let before = db.schema_dump();
    let out = db
        .ferry()
        .args(["up", "--strict-lint", "--trace"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("refusing to up (--strict-lint, traced): 1 lint error(s)"),
        "{err}"
    );
    assert!(err.contains("table-rewrite"), "{err}");
    assert_eq!(
        (db.version_row(), db.schema_dump()),
        ("2 f".to_string(), before)
    );
    // Without --strict-lint: a warning, and the run goes on (lint alone saw nothing).
    let out = db.ferry().args(["up", "--trace"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning:"), "{}", stderr(&out));
    assert_eq!(db.version_row(), "3 f");
}

/// A migration that drops the session's prepared statements (`DISCARD ALL` outside a
/// transaction, `DEALLOCATE ALL` in one) is traced like any other, and so is the one after
/// it: the reads after each statement do not depend on what it dropped.
#[test]
fn a_migration_that_deallocates_does_not_break_the_trace() {
    let db = TestDb::new();
    db.write("000001_init.up.sql", "CREATE TABLE t (id int);\n")
        .write(
            "000002_deallocate.up.sql",
            "DEALLOCATE ALL;\nALTER TABLE t ADD COLUMN a int;\n",
        )
        .write("000003_after.up.sql", "CREATE INDEX t_a ON t (a);\n")
        .write(
            "000004_discard.up.sql",
            "-- ferry:no-transaction\nDISCARD ALL;\nALTER TABLE t ADD COLUMN b int;\n",
        )
        .write("000005_last.up.sql", "ALTER TABLE t ADD COLUMN c int;\n");
    let out = db.ferry().args(["up", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let statements = trace(&db, &[]);
    let changed: Vec<String> = statements
        .iter()
        .flat_map(|s| s["changes"].as_array().unwrap().clone())
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(changed, ["a", "public.t_a", "b", "c"], "{statements:#?}");
}
