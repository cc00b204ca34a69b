//! The history keeps the SQL that ran: `ferry show`, and `down` from a build without the
//! newest files.

use crate::common::TestDb;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(db: &TestDb) {
    db.write("000001_users.up.sql", "CREATE TABLE users (id int);\n")
        .write("000001_users.down.sql", "DROP TABLE users;\n")
        .write(
            "000002_orgs.sql",
            "-- migrate:up\nCREATE TABLE orgs (id int);\nCREATE INDEX orgs_id ON orgs (id);\n\n\
             -- migrate:down\nDROP TABLE orgs;\n",
        )
        .write(
            "000003_email.up.sql",
            "ALTER TABLE users ADD COLUMN email text;\n",
        )
        .write(
            "000003_email.down.sql",
            "ALTER TABLE users DROP COLUMN email;\n",
        );
}

fn ok(db: &TestDb, args: &[&str]) -> std::process::Output {
    let out = db.ferry().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

#[test]
fn an_older_build_rolls_back_from_the_sql_the_history_keeps() {
    let db = TestDb::new();
    write(&db);
    ok(&db, &["up"]);
    // What the files' own downs leave.
    ok(&db, &["down", "2"]);
    let by_files = db.schema_dump();
    ok(&db, &["up"]);

    // What ran, as the history keeps it.
    let out = ok(&db, &["show", "3", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["up_file"], "000003_email.up.sql");
    assert_eq!(
        shown["up_sql"],
        "ALTER TABLE users ADD COLUMN email text;\n"
    );
    assert_eq!(shown["down_file"], "000003_email.down.sql");
    assert_eq!(shown["down_sql"], "ALTER TABLE users DROP COLUMN email;\n");
    let out = ok(&db, &["show", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("-- 000002_orgs.sql\n-- migrate:up\nCREATE TABLE orgs"),
        "{text}"
    );
    assert!(text.contains("-- migrate:down\nDROP TABLE orgs;"), "{text}");

    // An older build: the newest two files are not in it. Status names them.
    db.remove("000002_orgs.sql");
    db.remove("000003_email.up.sql");
    db.remove("000003_email.down.sql");
    let out = ok(&db, &["status"]);
    let status = String::from_utf8_lossy(&out.stdout);
    let row = status
        .lines()
        .find(|l| l.starts_with("3 "))
        .unwrap_or_default();
    assert!(
        row.contains("email") && row.contains("applied, not in this build"),
        "{status}"
    );
    let out = ok(&db, &["down", "2"]);
    let err = stderr(&out);
    for note in [
        "version 3 (email) is not in this build: its SQL comes from the history",
        "version 2 (orgs) is not in this build: its SQL comes from the history",
    ] {
        assert!(err.contains(note), "{err}");
    }
    assert_eq!(db.version_row(), "1 f");
    assert_eq!(db.schema_dump(), by_files);

    // Nothing kept for a version never applied: one line, exit 1.
    let out = db.ferry().args(["show", "9"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the history keeps no SQL for version 9"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_stored_sql_the_refusal_names_the_version() {
    let db = TestDb::new();
    write(&db);
    ok(&db, &["up", "--no-store-sql"]);
    db.remove("000003_email.up.sql");
    db.remove("000003_email.down.sql");
    let before = db.schema_dump();
    let out = db.ferry().args(["down"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("version 3 is applied but its migration file is missing, and the history keeps no SQL for it"),
        "{err}"
    );
    assert_eq!(
        (db.version_row(), db.schema_dump()),
        ("3 f".to_string(), before)
    );
}

/// A history table an earlier ferry made, without the columns: the next `up` adds them and
/// keeps what it runs; rows from before keep nothing.
#[test]
fn a_history_table_from_before_gets_the_columns() {
    let db = TestDb::new();
    write(&db);
    db.exec(
        "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
         CREATE TABLE schema_migrations_history (id bigserial PRIMARY KEY, version bigint NOT NULL,
           name text NOT NULL, direction text NOT NULL, checksum text,
           started_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint,
           applied_by text NOT NULL DEFAULT current_user, ferry_version text NOT NULL);",
    );
    ok(&db, &["up", "1"]);
    ok(&db, &["up"]);
    let out = ok(&db, &["show", "3", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["version"], 3);
    assert_eq!(shown["name"], "email");
}

/// A template is kept as it ran, its placeholders filled in, and undone from that text
/// without the variable.
#[test]
fn a_template_is_kept_rendered() {
    let db = TestDb::new();
    db.write(
        "000001_tenant.up.sql",
        "-- ferry:template\nCREATE TABLE ${table} (id int);\n",
    )
    .write(
        "000001_tenant.down.sql",
        "-- ferry:template\nDROP TABLE ${table};\n",
    );
    ok(&db, &["up", "--var", "table=acme"]);
    let out = ok(&db, &["show", "1", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["up_sql"],
        "-- ferry:template\nCREATE TABLE acme (id int);\n"
    );
    db.remove("000001_tenant.up.sql");
    db.remove("000001_tenant.down.sql");
    ok(&db, &["down"]);
    assert_eq!(db.version_row(), "empty");
    assert!(
        !db.tables().contains(&"acme".to_string()),
        "{:?}",
        db.tables()
    );
}
