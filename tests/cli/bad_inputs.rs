//! The catalogue of bad inputs: each gets a clear one-line error naming the thing, the
//! documented exit code, and leaves the database exactly as it was. Inputs that look
//! odd but are valid (CRLF, a BOM, empty and huge files) must simply work.

use std::path::Path;

use crate::common::{output, TestDb};

struct Case {
    what: &'static str,
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    code: i32,
    words: &'static [&'static str],
}

const fn case(
    what: &'static str,
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    code: i32,
    words: &'static [&'static str],
) -> Case {
    Case {
        what,
        files,
        args,
        env: &[],
        code,
        words,
    }
}

const OK: &[(&str, &[u8])] = &[("1_base.sql", b"CREATE TABLE base (id int);")];

const CASES: &[Case] = &[
    case(
        "misnamed file",
        &[("create_users.sql", b"SELECT 1;")],
        &["up"],
        5,
        &["create_users.sql", "does not start with a version"],
    ),
    case(
        "version too large",
        &[("99999999999999999999_x.sql", b"")],
        &["up"],
        5,
        &["too large", "bigint"],
    ),
    case(
        "duplicate version",
        &[("1_a.sql", b""), ("001_b.sql", b"")],
        &["up"],
        5,
        &["1_a.sql", "001_b.sql", "share version 1"],
    ),
    case(
        "down without up",
        &[("2_x.down.sql", b"")],
        &["up"],
        5,
        &["2_x.down.sql", "without its up"],
    ),
    case(
        "not UTF-8",
        &[("2_latin1.sql", b"SELECT 'caf\xe9';")],
        &["up"],
        5,
        &["2_latin1.sql", "UTF-8"],
    ),
    case(
        "NUL byte",
        &[("2_nul.sql", b"SELECT 1;\0SELECT 2;")],
        &["up"],
        5,
        &["2_nul.sql", "NUL"],
    ),
    case(
        "unterminated quote",
        &[("2_q.sql", b"SELECT 'oops;\n")],
        &["up"],
        5,
        &["2_q.sql:1", "unterminated"],
    ),
    case(
        "unterminated dollar quote",
        &[(
            "2_d.sql",
            b"CREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n",
        )],
        &["up"],
        5,
        &["2_d.sql", "$body$"],
    ),
    case(
        "unterminated block comment",
        &[("2_c.sql", b"/* never closed\nSELECT 1;")],
        &["up"],
        5,
        &["2_c.sql", "comment"],
    ),
    case(
        "opens a transaction it never ends",
        &[("2_tx.sql", b"BEGIN;\nCREATE TABLE x (a int);\n")],
        &["up"],
        5,
        &["2_tx.sql:1", "opens a transaction the file never ends"],
    ),
    case(
        "commit in the middle of a file with dbmate's markers",
        &[(
            "2_tx.sql",
            b"-- migrate:up\nCREATE TABLE x (a int);\nCOMMIT;\nCREATE TABLE y (a int);\n-- migrate:down\nSELECT 1;",
        )],
        &["up"],
        5,
        &["2_tx.sql:3", "transaction control"],
    ),
    case(
        "concurrent index among other statements without directive",
        &[(
            "2_i.sql",
            b"SELECT 1;\nCREATE INDEX CONCURRENTLY i ON base (id);",
        )],
        &["up"],
        5,
        &["2_i.sql:2", "-- ferry:no-transaction"],
    ),
    case(
        "vacuum among other statements without directive",
        &[("2_v.sql", b"ANALYZE base;\nVACUUM base;")],
        &["up"],
        5,
        &["2_v.sql:2", "VACUUM"],
    ),
    case(
        "down marker before up",
        &[(
            "2_m.sql",
            b"-- migrate:down\nDROP TABLE x;\n-- migrate:up\nCREATE TABLE x (a int);\n",
        )],
        &["up"],
        5,
        &["2_m.sql"],
    ),
    case(
        "two up markers",
        &[(
            "2_m.sql",
            b"-- +goose Up\nSELECT 1;\n-- +goose Up\nSELECT 2;\n",
        )],
        &["up"],
        5,
        &["2_m.sql:3", "Up"],
    ),
    case(
        "unknown marker option",
        &[("2_m.sql", b"-- migrate:up transaction:maybe\nSELECT 1;\n")],
        &["up"],
        5,
        &["2_m.sql:1", "transaction:false"],
    ),
    case(
        "mixed marker families",
        &[(
            "2_m.sql",
            b"-- migrate:up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n",
        )],
        &["up"],
        5,
        &["2_m.sql"],
    ),
    case(
        "SQL before the first marker",
        &[("2_m.sql", b"SELECT 0;\n-- migrate:up\nSELECT 1;\n")],
        &["up"],
        5,
        &["2_m.sql:1", "marker"],
    ),
    case(
        "a directory named like a migration",
        &[("2_dir.sql/", b"")],
        &["up"],
        5,
        &["2_dir.sql"],
    ),
    case(
        "missing migrations directory",
        &[],
        &["up", "--path", "nope"],
        2,
        &["nope", "--path"],
    ),
    case(
        "migrations path is a file",
        &[],
        &["up", "--path", "migrations/1_base.sql"],
        2,
        &["1_base.sql"],
    ),
    case(
        "hostile table name",
        &[],
        &["up", "--table", "x; DROP TABLE base"],
        2,
        &["not a valid table name"],
    ),
    case(
        "table name with three parts",
        &[],
        &["up", "--table", "a.b.c"],
        2,
        &["a.b.c", "schema.table"],
    ),
    case(
        "empty table name",
        &[],
        &["status", "--table", ""],
        2,
        &["table name"],
    ),
    case(
        "bad lock timeout",
        &[],
        &["up", "--lock-timeout", "soon"],
        2,
        &["soon", "15s"],
    ),
    case(
        "negative lock timeout",
        &[],
        &["up", "--lock-timeout", "-5"],
        2,
        &["-5"],
    ),
    case(
        "bad connect timeout",
        &[],
        &["up", "--connect-timeout", "ages"],
        2,
        &["ages"],
    ),
    case("unknown command", &[], &["upp"], 2, &["upp"]),
    case(
        "unknown flag",
        &[],
        &["up", "--frobnicate"],
        2,
        &["--frobnicate"],
    ),
    case("up zero", &[], &["up", "0"], 2, &["0"]),
    case("up not a number", &[], &["up", "all"], 2, &["all"]),
    case(
        "down with a count and --all",
        &[],
        &["down", "2", "--all"],
        2,
        &["--all"],
    ),
    case(
        "goto a version no file has",
        &[],
        &["goto", "42"],
        2,
        &["no migration file has version 42"],
    ),
    case(
        "goto not a number",
        &[],
        &["goto", "latest"],
        2,
        &["latest"],
    ),
    case(
        "force past the end",
        &[],
        &["force", "99"],
        2,
        &["has version 99", "force none"],
    ),
    case(
        "force not a number",
        &[],
        &["force", "three"],
        2,
        &["three", "none"],
    ),
    case(
        "unknown format",
        &[],
        &["status", "--format", "xml"],
        2,
        &["xml"],
    ),
    case(
        "a dump format for another command",
        &[],
        &["status", "--format", "custom"],
        2,
        &["custom", "ferry dump"],
    ),
    case(
        "unknown tool to adopt",
        &[],
        &["adopt", "gose"],
        2,
        &["gose", "goose"],
    ),
    case(
        "bad DDL lock timeout",
        &[],
        &["up", "--ddl-lock-timeout", "soon"],
        2,
        &["--ddl-lock-timeout", "soon"],
    ),
    case(
        "bad lock-timeout directive",
        &[("2_x.sql", b"-- ferry:lock-timeout soon\nSELECT 1;")],
        &["up"],
        5,
        &["2_x.sql:1", "soon", "ferry:lock-timeout"],
    ),
    case(
        "unknown color",
        &[],
        &["status", "--color", "sometimes"],
        2,
        &["sometimes"],
    ),
    case(
        "missing env file",
        &[],
        &["status", "--env-file", "nope.env"],
        2,
        &["nope.env", "--no-env-file"],
    ),
    case(
        "create with no letters",
        &[],
        &["create", "!!!"],
        2,
        &["add_users_table"],
    ),
    case(
        "create with zero digits",
        &[],
        &["create", "x", "--digits", "0"],
        2,
        &["0"],
    ),
    case(
        "completions for an unknown shell",
        &[],
        &["completions", "tcsh"],
        2,
        &["tcsh"],
    ),
    case(
        "unknown lock mode",
        &[],
        &["up", "--lock-mode", "sometimes"],
        2,
        &["sometimes", "transaction"],
    ),
    Case {
        what: "unknown FERRY_LOCK_MODE",
        files: &[],
        args: &["up"],
        env: &[("FERRY_LOCK_MODE", "sometimes")],
        code: 2,
        words: &["FERRY_LOCK_MODE=sometimes", "auto, session or transaction"],
    },
    Case {
        what: "malformed URL",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", "postgres://[::1")],
        code: 2,
        words: &["DATABASE_URL"],
    },
    Case {
        what: "not a postgres URL",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", "mysql://u@h/db")],
        code: 2,
        words: &["mysql"],
    },
    Case {
        what: "unknown sslmode",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", "postgres://u@h/db?sslmode=maybe")],
        code: 2,
        words: &["maybe", "verify-full"],
    },
    Case {
        what: "unknown URL parameter",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", "postgres://u@h/db?colour=red")],
        code: 2,
        words: &["colour"],
    },
    Case {
        what: "ports not matching the hosts",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", "postgres://u@h1,h2/db?port=1,2,3")],
        code: 2,
        words: &["2 hosts but 3 ports given", "one per host"],
    },
    Case {
        what: "an unsupported libpq variable",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", ""), ("PGSSLCRL", "/etc/crl.pem")],
        code: 2,
        words: &["PGSSLCRL", "`sslcrl` is not supported"],
    },
    Case {
        what: "an undefined service",
        files: &[],
        args: &["status"],
        env: &[
            ("DATABASE_URL", ""),
            ("PGSERVICE", "nowhere"),
            ("PGSERVICEFILE", "/nonexistent/services.conf"),
        ],
        code: 2,
        words: &["service `nowhere` is not defined in"],
    },
    Case {
        what: "bad DB_PORT",
        files: &[],
        args: &["status"],
        env: &[
            ("DATABASE_URL", ""),
            ("DB_HOST", "localhost"),
            ("DB_PORT", "fivefour"),
        ],
        code: 2,
        words: &["DB_PORT", "fivefour"],
    },
    Case {
        what: "PGPORT out of range",
        files: &[],
        args: &["status"],
        env: &[("DATABASE_URL", ""), ("PGPORT", "99999")],
        code: 2,
        words: &["PGPORT", "99999"],
    },
    Case {
        what: "unknown FERRY_STRICT_LINT",
        files: OK,
        args: &["up"],
        env: &[("FERRY_STRICT_LINT", "maybe")],
        code: 2,
        words: &["FERRY_STRICT_LINT=maybe", "1 (or true)"],
    },
    case(
        "a --var that is not NAME=VALUE",
        OK,
        &["up", "--var", "TENANT"],
        2,
        &["--var", "`TENANT` is not NAME=VALUE"],
    ),
    case(
        "a --var name that cannot be a placeholder",
        OK,
        &["up", "--var", "1X=y"],
        2,
        &["`1X` is not a placeholder name"],
    ),
    case(
        "a template placeholder with no value",
        &[("2_t.sql", b"-- ferry:template\nCREATE SCHEMA ${TENANT};")],
        &["up"],
        5,
        &[
            "2_t.sql:2",
            "`${TENANT}` has no value",
            "--var TENANT=",
            "FERRY_VAR_TENANT",
        ],
    ),
    case(
        "a repeatable migration without a name",
        &[("R__.sql", b"SELECT 1;")],
        &["up"],
        5,
        &["R__.sql", "needs a name"],
    ),
    case(
        "lint of a file that is not a migration",
        OK,
        &["lint", "migrations"],
        2,
        &["migrations is not a migration file"],
    ),
    case(
        "repair of a version with no file",
        OK,
        &["repair", "7", "--reason", "typo"],
        2,
        &["no migration file", "version 7"],
    ),
    case(
        "--format for a command that prints no results",
        OK,
        &["--format", "json", "drop", "--yes"],
        2,
        &["`ferry drop` prints no results, so it takes no --format", "up, down, goto"],
    ),
    case(
        "bookkeeping table in a system schema",
        OK,
        &["--table", "information_schema.x", "drop", "--yes"],
        2,
        &["`information_schema` is a system schema", "name a schema of your own"],
    ),
    case(
        "a duration too long to add to the clock",
        OK,
        &["up", "--lock-timeout", "18446744073709551615s"],
        2,
        &["is longer than a waiting time can be (at most 365 days)"],
    ),
    case(
        "a schema pattern with a tab",
        OK,
        &["status", "--schemas", "tenant\ta", "--create-schema"],
        2,
        &["--schemas tenant\\ta: a schema name with a tab"],
    ),
];

/// Tables, and the bookkeeping rows, as one comparable string.
fn fingerprint(db: &TestDb) -> String {
    format!(
        "{:?} {} {}",
        db.tables(),
        db.version_row(),
        db.one("SELECT count(*) FROM schema_migrations_history")
    )
}

fn prepare(dir: &Path, files: &[(&str, &[u8])]) {
    let migrations = dir.join("migrations");
    let _ = std::fs::remove_dir_all(&migrations);
    std::fs::create_dir(&migrations).unwrap();
    for (name, content) in OK.iter().chain(files) {
        // `../x` is a file in the working directory, beside migrations/.
        if let Some(outside) = name.strip_prefix("../") {
            let path = dir.join(outside);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        } else if let Some(dir_name) = name.strip_suffix('/') {
            std::fs::create_dir(migrations.join(dir_name)).unwrap();
        } else {
            std::fs::write(migrations.join(name), content).unwrap();
        }
    }
}

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    let db = TestDb::new();
    prepare(db.path(), &[]);
    db.ferry().arg("up").assert().success();
    let before = fingerprint(&db);
    let mut failures = Vec::new();
    for case in CASES {
        prepare(db.path(), case.files);
        let mut cmd = db.ferry();
        cmd.args(case.args);
        for (key, value) in case.env {
            cmd.env(key, value);
        }
        let a = cmd.assert();
        let (out, err) = output(&a);
        let code = a.get_output().status.code().unwrap_or(-1);
        let text = format!("{out}{err}");
        let missing: Vec<&&str> = case.words.iter().filter(|w| !text.contains(**w)).collect();
        if code != case.code || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {code} (want {}), missing {missing:?}\n{text}",
                case.what, case.code
            ));
        }
        let after = fingerprint(&db);
        if after != before {
            failures.push(format!("{}: changed the database: {after}", case.what));
        }
    }
    assert!(CASES.len() >= 40);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn odd_but_valid_files_work() {
    let db = TestDb::new();
    let huge: String = (0..20_000)
        .map(|i| format!("INSERT INTO big VALUES ({i}, 'row {i}');\n"))
        .collect();
    db.write("1_crlf.sql", "-- ferry:no-transaction\r\nCREATE TABLE crlf (a int);\r\nCREATE INDEX CONCURRENTLY crlf_a ON crlf (a);\r\n")
        .write("2_bom.sql", "\u{feff}-- migrate:up\nCREATE TABLE bom (a int);\n-- migrate:down\nDROP TABLE bom;\n")
        .write("3_empty.sql", "")
        .write("4_comments_only.sql", "-- nothing to do yet\n/* really */\n")
        .write("5_big.sql", &format!("CREATE TABLE big (id int, label text);\n{huge}"));
    db.ferry().arg("up").assert().success();
    assert_eq!(db.version_row(), "5 f");
    assert_eq!(db.one("SELECT count(*) FROM big"), "20000");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_indexes WHERE indexname = 'crlf_a'"),
        "1"
    );
    db.ferry().args(["force", "2"]).assert().success();
    db.ferry().arg("down").assert().success();
    assert!(!db.tables().contains(&"bom".to_string()));
}
