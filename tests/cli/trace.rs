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
    let out = db
        .ferry()
        .args(["trace", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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
