//! `ferry test`: every migration's round trip on the shadow, planted defects found and
//! named, correct directories passing, the target never connected to.

use crate::common::{examples, Files};

/// Where no server listens: `ferry test` must not need it.
const NOWHERE: &str = "postgres://app@127.0.0.1:1/app";

fn run(files: &Files, args: &[&str]) -> (i32, String, String) {
    let out = files
        .ferry()
        .arg("test")
        .args(args)
        .env("DATABASE_URL", NOWHERE)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A first migration every case builds on, with its down.
fn base(files: &Files) -> &Files {
    files
        .write(
            "000001_base.up.sql",
            "CREATE TYPE mood AS ENUM ('sad', 'ok');
             CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL, mood mood);
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
        )
        .write("000001_base.down.sql", "DROP FUNCTION touch(); DROP TABLE tenants; DROP TYPE mood;")
}

#[test]
fn planted_defects_are_found_and_named() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "CREATE INDEX tenants_name ON tenants (name);",
            "SELECT 1;",
            "down of 2 leaves index `public.tenants_name` (added by its up)",
        ),
        (
            "ALTER TABLE tenants ADD COLUMN picture_mime text;",
            "SELECT 1;",
            "down of 2 leaves column `public.tenants.picture_mime` (added by its up)",
        ),
        (
            "ALTER TABLE tenants ADD CONSTRAINT name_not_blank CHECK (name <> '');",
            "SELECT 1;",
            "down of 2 leaves constraint `public.tenants.name_not_blank` (added by its up)",
        ),
        (
            "CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch();",
            "SELECT 1;",
            "down of 2 leaves trigger `public.tenants.tenants_touch` (added by its up)",
        ),
        (
            "ALTER TABLE tenants ENABLE ROW LEVEL SECURITY; CREATE POLICY own ON tenants USING (true);",
            "ALTER TABLE tenants DISABLE ROW LEVEL SECURITY;",
            "down of 2 leaves policy `public.tenants.own` (added by its up)",
        ),
        (
            "ALTER TYPE mood ADD VALUE 'happy';",
            "SELECT 1;",
            "down of 2 leaves type `public.mood` changed: values 'sad', 'ok' → 'sad', 'ok', 'happy'",
        ),
        (
            "CREATE SEQUENCE invoice_no;",
            "SELECT 1;",
            "down of 2 leaves sequence `public.invoice_no` (added by its up)",
        ),
        (
            "CREATE INDEX tenants_name ON tenants (name);",
            "DROP INDEX tenants_name; ALTER TABLE tenants DROP COLUMN mood;",
            "down of 2 drops column `public.tenants.mood`, which existed before 2",
        ),
        (
            "CREATE TYPE color AS ENUM ('red');",
            "SELECT 1;",
            "up of 2 after its down fails: 000002_defect.up.sql:1: type \"color\" already exists",
        ),
    ];
    for (up, down, expected) in cases {
        let files = Files::new();
        base(&files)
            .write("000002_defect.up.sql", up)
            .write("000002_defect.down.sql", down)
            .write("000003_after.up.sql", "CREATE TABLE after_it (id int);")
            .write("000003_after.down.sql", "DROP TABLE after_it;");
        let (code, out, err) = run(&files, &[]);
        assert_eq!(code, 5, "{up}: exit 5 on a failed round trip\n{out}{err}");
        assert!(
            out.contains("ok      1 base\nFAILED  2 defect\nok      3 after\n"),
            "{up}: a line per migration, and the next is tested from a fresh replay:\n{out}"
        );
        assert!(
            out.contains(&format!("  {expected}\n")),
            "{up}: expected {expected:?} in\n{out}"
        );
        assert!(
            err.contains("error: 1 of 3 migration(s) failed their round trip (above)"),
            "{err}"
        );
    }
}

#[test]
fn correct_directories_pass_and_json_says_what_each_did() {
    let files = Files::new();
    base(&files)
        .write("000002_concurrent.up.sql", "CREATE INDEX CONCURRENTLY tenants_name ON tenants (name);")
        .write("000002_concurrent.down.sql", "DROP INDEX CONCURRENTLY tenants_name;")
        .write(
            "000003_goose.sql",
            "-- +goose Up\nCREATE TABLE goose_made (id int);\n-- +goose Down\nDROP TABLE goose_made;\n",
        )
        .write(
            "000004_dbmate.sql",
            "-- migrate:up\nCREATE TABLE dbmate_made (id int);\n-- migrate:down\nDROP TABLE dbmate_made;\n",
        )
        .write(
            "000005_sql_migrate.sql",
            "-- +migrate Up\nCREATE TABLE sql_migrate_made (id int);\n-- +migrate Down\nDROP TABLE sql_migrate_made;\n",
        )
        .write("000006_backfill.up.sql", "UPDATE tenants SET name = trim(name);")
        .write("R__view.sql", "CREATE OR REPLACE VIEW tenant_names AS SELECT name FROM tenants;");
    let (code, out, err) = run(&files, &["--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["passed"], true);
    let verdicts: Vec<(i64, String)> = doc["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["version"].as_i64().unwrap(),
                m["round_trip"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (1, "ok"),
            (2, "ok"),
            (3, "ok"),
            (4, "ok"),
            (5, "ok"),
            (6, "one-way")
        ]
        .map(|(v, r)| (v, r.to_string()))
    );
    // --require-down: the one-way migration fails.
    let (code, out, _) = run(&files, &["--require-down"]);
    assert_eq!(code, 5);
    assert!(
        out.contains("FAILED  6 backfill") && out.contains("  6 has no down (--require-down)"),
        "{out}"
    );
    // --since: only what comes after.
    let (code, out, _) = run(&files, &["--since", "4"]);
    assert_eq!(code, 0);
    assert_eq!(out, "ok      5 sql_migrate\none-way 6 backfill\n");
    // `none`, as `ferry version` prints before the first migration: every one.
    let (code, out, _) = run(&files, &["--since", "none"]);
    assert_eq!((code, out.lines().count()), (0, 6), "{out}");
}

#[test]
fn the_example_migrations_round_trip() {
    let files = Files::new();
    let (migrations, _) = examples();
    // The example's down of 2 keeps pgvector on purpose (its comment says why): on a
    // server that has it, ferry test says so, and how to accept it.
    let path = migrations.to_str().unwrap();
    let (code, out, err) = run(&files, &["--path", path]);
    if out.contains("FAILED  2 create_faces") {
        assert!(
            out.contains("down of 2 leaves extension `vector` (added by its up; when it stays on purpose, --exclude vector)"),
            "{out}"
        );
    } else {
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, out, err) = run(&files, &["--path", path, "--exclude", "vector"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        6,
        "{out}"
    );
    assert!(
        err.contains("6 round trip(s): every down undoes its up"),
        "{err}"
    );
}

#[test]
fn bad_inputs_and_what_is_left_behind() {
    let files = Files::new();
    base(&files);
    let (code, _, err) = run(&files, &["--since", "seven"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: invalid value 'seven' for '--since <VERSION>': `seven` is not a version: give a number like 20250214093000, or `none`\n"),
        "{err}"
    );
    let (code, _, err) = run(&files, &["--since", "7"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --since 7: there is no migration 7 in ./migrations; give the version deployed (ferry version on the target prints it)\n"
    );
    let (code, _, err) = files
        .ferry()
        .args(["test", "--shadow", "local"])
        .env("PG_BINDIR", files.path())
        .output()
        .map(|o| {
            (
                o.status.code().unwrap_or(-1),
                (),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .unwrap();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("--shadow local: no PostgreSQL server programs here"),
        "{err}"
    );
    // After a run its shadow server is stopped (its cluster and templates stay: the cache).
    let cache = tempfile::tempdir().unwrap();
    let out = files
        .ferry()
        .arg("test")
        .env("DATABASE_URL", NOWHERE)
        .env("FERRY_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clusters: Vec<_> = std::fs::read_dir(cache.path().join("shadow"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert!(
        clusters[0].join("data/PG_VERSION").exists(),
        "the cluster is kept"
    );
    assert!(
        !clusters[0].join("data/postmaster.pid").exists(),
        "its server is stopped"
    );
}

#[test]
fn data_tests_check_a_backfill_before_anyone_runs_it() {
    let files = Files::new();
    files
        .write("000001_profiles.up.sql", "CREATE TABLE profiles (id int PRIMARY KEY, picture text);")
        .write("000001_profiles.down.sql", "DROP TABLE profiles;")
        .write(
            "000002_mime.up.sql",
            "ALTER TABLE profiles ADD COLUMN picture_mime text;\n\
             UPDATE profiles SET picture_mime = 'image/png' WHERE picture LIKE '%.png';",
        )
        .write("000002_mime.down.sql", "ALTER TABLE profiles DROP COLUMN picture_mime;")
        .write(
            "000002_mime.test.sql",
            "-- ferry:before\nINSERT INTO profiles VALUES (1, 'a.png'), (2, 'b.jpg');\n\n\
             -- ferry:after\nSELECT id, picture_mime FROM profiles ORDER BY id;\n-- 1 | image/png\n-- 2 | image/jpeg\n\n\
             -- ferry:after-down\nSELECT count(*) FROM profiles;\n-- 2\n",
        );
    // The backfill misses the JPEG: found, with the file, line, query and both rows.
    let (code, out, _) = run(&files, &[]);
    assert_eq!(code, 5, "{out}");
    assert!(
        out.ends_with(
            "2 mime:\n  ./migrations/000002_mime.test.sql:5: after 2: SELECT id, picture_mime FROM profiles ORDER BY id\n      expected: 1 | image/png / 2 | image/jpeg\n      actual:   1 | image/png / 2 | NULL\n"
        ),
        "{out}"
    );
    // Fixed, it passes, and `up` never runs the test file.
    files.write(
        "000002_mime.up.sql",
        "ALTER TABLE profiles ADD COLUMN picture_mime text;\n\
         UPDATE profiles SET picture_mime = CASE WHEN picture LIKE '%.png' THEN 'image/png' ELSE 'image/jpeg' END;",
    );
    let (code, out, err) = run(&files, &["--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let checks = doc["migrations"][1]["data_tests"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|c| c["passed"] == true), "{checks:?}");
    assert_eq!(checks[1]["when"], "after-down");
    let (code, _, err) = {
        let out = files.ferry().args(["validate"]).output().unwrap();
        (
            out.status.code(),
            (),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(code, Some(0), "a test file is not a migration: {err}");

    // Mistakes in a test file: one line naming the file and line.
    files.write(
        "000002_mime.test.sql",
        "-- ferry:after\nSELECT 1;\n-- ferry:afterwards\n",
    );
    let (code, _, err) = run(&files, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        err,
        "error: ./migrations/000002_mime.test.sql:3: unknown directive `-- ferry:afterwards`: expected -- ferry:before, -- ferry:after or -- ferry:after-down\n"
    );
    files.write("000002_mime.test.sql", "-- ferry:after\nSELECT 1;\n-- 1\n");
    files.write(
        "000009_orphan.test.sql",
        "-- ferry:after\nSELECT 1;\n-- 1\n",
    );
    let (code, _, err) = run(&files, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        err,
        "error: ./migrations/000009_orphan.test.sql: there is no migration 9 for it to test; name it after its migration (NNNNNN_name.test.sql)\n"
    );
}

#[test]
fn a_generated_directory_of_sixty_passes() {
    let files = Files::new();
    for i in 1..=60 {
        files
            .write(
                &format!("{i:06}_t_{i}.up.sql"),
                &format!(
                    "CREATE TABLE t_{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, \
                     created_at timestamptz NOT NULL DEFAULT now());\nCREATE INDEX t_{i}_name ON t_{i} (name);"
                ),
            )
            .write(&format!("{i:06}_t_{i}.down.sql"), &format!("DROP TABLE t_{i};"));
    }
    let (code, out, err) = run(&files, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().filter(|l| l.starts_with("ok ")).count(), 60);
    assert!(
        err.contains("60 round trip(s): every down undoes its up"),
        "{err}"
    );
}

#[test]
fn jobs_side_by_side_say_exactly_what_one_after_another_says() {
    let files = Files::new();
    base(&files);
    for i in 2..=9 {
        let (up, down) = match i {
            4 => (
                "CREATE INDEX t4 ON tenants (name);".to_string(),
                "SELECT 1;".to_string(),
            ),
            7 => (
                "CREATE TYPE c7 AS ENUM ('x');".to_string(),
                "SELECT 1;".to_string(),
            ),
            _ => (
                format!("CREATE TABLE t{i} (id int);"),
                format!("DROP TABLE t{i};"),
            ),
        };
        files
            .write(&format!("{i:06}_m{i}.up.sql"), &up)
            .write(&format!("{i:06}_m{i}.down.sql"), &down);
    }
    files
        .write("000010_oneway.up.sql", "CREATE TABLE t10 (id int);")
        .write(
            "000003_m3.test.sql",
            "-- ferry:after\nSELECT count(*) FROM t3;\n-- 1\n",
        );
    for format in ["text", "json"] {
        let (code_one, one, _) = run(&files, &["--format", format]);
        let (code_four, four, _) = files
            .ferry()
            .args(["test", "--jobs", "4", "--format", format])
            .env("DATABASE_URL", NOWHERE)
            .output()
            .map(|o| {
                (
                    o.status.code().unwrap_or(-1),
                    String::from_utf8_lossy(&o.stdout).into_owned(),
                    (),
                )
            })
            .unwrap();
        assert_eq!((code_one, code_four), (5, 5));
        assert_eq!(one, four, "--format {format}");
    }
    let (_, text, _) = run(&files, &[]);
    for expected in [
        "FAILED  3 m3",
        "FAILED  4 m4",
        "FAILED  7 m7",
        "one-way 10 oneway",
        "ok      9 m9",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn templates_are_rendered_as_up_renders_them() {
    let files = Files::new();
    files
        .write(
            "000001_role_table.up.sql",
            "-- ferry:template\nCREATE TABLE ${TENANT}_faces (id int);",
        )
        .write(
            "000001_role_table.down.sql",
            "-- ferry:template\nDROP TABLE ${TENANT}_faces;",
        );
    let (code, out, err) = run(&files, &["--var", "TENANT=acme", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["migrations"][0]["round_trip"], "ok", "{doc}");
    // Without the value, the file cannot be rendered: said before any shadow starts.
    let (code, _, err) = run(&files, &[]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("TENANT"), "{err}");
    assert!(!err.contains("shadow:"), "{err}");
}
