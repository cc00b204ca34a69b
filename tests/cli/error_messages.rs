//! The messages a tired developer reads at 2 a.m., pinned whole: exit code and every byte
//! of stderr (with the test's own database name, port, directory and server process ids
//! written as placeholders). A change to one of these is a change to what users read, so
//! it shows up here as a diff to review, not as a `contains` that still passes.
//!
//! The first group needs no server: files are checked, and flags and variables read,
//! before ferry connects (`DATABASE_URL` points at a port nothing listens on, to prove it).

use std::path::Path;

use crate::common::{ferry_in, TestDb};

/// Where no server listens: a command that connected would fail differently.
const NOWHERE: &str = "postgres://app@127.0.0.1:1/app";

/// Runs ferry in `dir` and returns (exit code, stderr) with the varying parts replaced.
fn run(dir: &Path, db: Option<&TestDb>, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = ferry_in(dir);
    match db {
        Some(db) => cmd.env("DATABASE_URL", &db.url),
        None => cmd.env("DATABASE_URL", NOWHERE),
    };
    cmd.env("NO_COLOR", "1");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.args(args).output().expect("run ferry");
    let mut err = String::from_utf8_lossy(&out.stderr).into_owned();
    err = err.replace(&dir.display().to_string(), "{dir}");
    if let Some(db) = db {
        err = err
            .replace(&db.name, "{db}")
            .replace(&format!(":{}", db.port()), ":{port}");
        if let Some(user) = url::Url::parse(&db.url)
            .ok()
            .map(|u| u.username().to_string())
        {
            err = err.replace(&format!("user {user},"), "user {user},");
        }
        if let Some(socket) = db.socket_dir() {
            err = err.replace(&socket.display().to_string(), "{socket}");
        }
    }
    (out.status.code().unwrap_or(-1), scrub_numbers(&err))
}

/// Server process ids and times differ from run to run: `pid 1234` is `pid N`, `for 3s`
/// is `for Ns`, a migration's `(12.3ms)` is `(Nms)`.
fn scrub_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = "";
    for word in text.split_inclusive([' ', '\n']) {
        let bare = word.trim_end_matches([' ', '\n', ',', ')', ';']);
        let tail = &word[bare.len()..];
        let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
        let scrubbed = match bare.strip_prefix('(') {
            _ if matches!(previous, "pid" | "(pid") && number(bare) => Some("N".to_string()),
            _ if previous == "for" && bare.strip_suffix('s').is_some_and(number) => {
                Some("Ns".to_string())
            }
            Some(inner) if inner.strip_suffix("ms").is_some_and(number) => Some("(Nms".to_string()),
            _ => None,
        };
        match scrubbed {
            Some(text) => {
                out.push_str(&text);
                out.push_str(tail);
            }
            None => out.push_str(word),
        }
        previous = word.trim();
    }
    out
}

fn files(dir: &Path, files: &[(&str, &[u8])]) {
    let migrations = dir.join("migrations");
    let _ = std::fs::remove_dir_all(&migrations);
    std::fs::create_dir_all(&migrations).unwrap();
    for (name, content) in files {
        std::fs::write(migrations.join(name), content).unwrap();
    }
}

/// One pinned message: what it is about, the exit code and the whole stderr.
struct Pinned {
    what: &'static str,
    code: i32,
    stderr: String,
}

fn check(cases: Vec<(Pinned, (i32, String))>) {
    let mut wrong = Vec::new();
    for (want, (code, stderr)) in &cases {
        if *code != want.code || *stderr != want.stderr {
            wrong.push(format!(
                "{}: exit {code} (want {})\n--- got ---\n{stderr}--- want ---\n{}",
                want.what, want.code, want.stderr
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} messages differ:\n\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n\n")
    );
}

fn pin(what: &'static str, code: i32, stderr: &str) -> Pinned {
    Pinned {
        what,
        code,
        stderr: stderr.to_string(),
    }
}

#[test]
fn messages_read_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut cases = Vec::new();
    let mut case = |p: Pinned, fs: &[(&str, &[u8])], args: &[&str], env: &[(&str, &str)]| {
        files(d, fs);
        cases.push((p, run(d, None, args, env)));
    };
    case(
        pin(
            "a file name without a version",
            5,
            "error: ./migrations/create_users.sql: file name does not start with a version: expected a version number, an underscore and a name, like 000001_create_users.up.sql or 20250214093000_add_index.sql\n",
        ),
        &[("create_users.sql", b"SELECT 1;")],
        &["up"],
        &[],
    );
    case(
        pin(
            "two files with one version",
            5,
            "error: ./migrations/001_b.sql, ./migrations/1_a.sql: 2 files share version 1; give each migration its own version\n",
        ),
        &[("1_a.sql", b""), ("001_b.sql", b"")],
        &["up"],
        &[],
    );
    case(
        pin(
            "a down file without its up",
            5,
            "error: ./migrations/2_x.down.sql: down file without its up file; add 2_x.up.sql or remove it\n",
        ),
        &[("1_a.up.sql", b""), ("2_x.down.sql", b"")],
        &["up"],
        &[],
    );
    case(
        pin(
            "a file that is not UTF-8",
            5,
            "error: ./migrations/1_latin1.sql:1: not valid UTF-8 (byte offset 11); save the file as UTF-8\n",
        ),
        &[("1_latin1.sql", b"SELECT 'caf\xe9';")],
        &["up"],
        &[],
    );
    case(
        pin(
            "an unterminated string",
            5,
            "error: ./migrations/1_a.sql:2: unterminated quoted string (opened here), column 23\n",
        ),
        &[(
            "1_a.sql",
            b"CREATE TABLE t (a text);\nINSERT INTO t VALUES ('oops);\n",
        )],
        &["up"],
        &[],
    );
    case(
        pin(
            "CONCURRENTLY inside a transaction",
            5,
            "error: ./migrations/1_idx.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction; add `-- ferry:no-transaction` as the file's first line to run this migration statement by statement without one\n",
        ),
        &[(
            "1_idx.sql",
            b"CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n",
        )],
        &["up"],
        &[],
    );
    case(
        pin(
            "a BEGIN nothing ends",
            5,
            "error: ./migrations/1_a.up.sql:1: this BEGIN opens a transaction the file never ends: end it with COMMIT, or remove it so that ferry's transaction holds the file\n",
        ),
        &[("1_a.up.sql", b"BEGIN;\nCREATE TABLE t (a int);\n")],
        &["up"],
        &[],
    );
    case(
        pin(
            "a missing migrations directory",
            2,
            "error: cannot read migrations directory nope: no such directory; create it or point --path (or FERRY_PATH) at yours\n",
        ),
        &[],
        &["up", "--path", "nope"],
        &[],
    );
    case(pin(
            "an unknown command",
            2,
            "error: unrecognized subcommand 'upp'\n\n  tip: some similar subcommands exist: 'dump', 'up'\n\nUsage: ferry [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.\n",
        ), &[], &["upp"], &[]);
    case(
        pin(
            "a duration that is not one",
            2,
            "error: invalid value 'soon' for '--lock-timeout <DURATION>': `soon` is not a duration: write it like 15s, 500ms or 2m\n\nFor more information, try '--help'.\n",
        ),
        &[],
        &["up", "--lock-timeout", "soon"],
        &[],
    );
    case(
        pin(
            "--format on a command without results",
            2,
            "error: `ferry create` prints no results, so it takes no --format; --format text|json is an option of up, down, goto, force, repair, adopt, version, status, validate, schema diff and shadow status (`dump --format` is pg_dump's plain|custom, `lint --format` also takes sarif, `schema dump --format` is sql|json)\n",
        ),
        &[],
        &["create", "x", "--format", "json"],
        &[],
    );
    case(
        pin(
            "a URL with a bad port",
            2,
            "error: --database-url: the URL's port (after the host and `:`) is not a number from 1 to 65535; if that was `user:password`, it goes before an `@` (user:password@host)\n",
        ),
        &[],
        &["up", "--database-url", "postgres://app@db:notaport/app"],
        &[],
    );
    case(
        pin(
            "an unknown sslmode",
            2,
            "error: --database-url: invalid sslmode `maybe`: expected one of disable, prefer, require, verify-ca, verify-full\n",
        ),
        &[],
        &["up", "--database-url", "postgres://app@db/app?sslmode=maybe"],
        &[],
    );
    case(
        pin(
            "FERRY_LOCK_MODE that is not a mode",
            2,
            "error: FERRY_LOCK_MODE=sometimes is not a lock mode: use auto, session or transaction\n",
        ),
        &[],
        &["up"],
        &[("FERRY_LOCK_MODE", "sometimes")],
    );
    case(
        pin(
            "FERRY_STRICT_LINT that is not a switch",
            2,
            "error: FERRY_STRICT_LINT=maybe is not a switch: use 1 (or true) to refuse lint errors, 0 (or false, or unset) to warn\n",
        ),
        &[],
        &["up"],
        &[("FERRY_STRICT_LINT", "maybe")],
    );
    case(
        pin(
            "a fleet's flag without a fleet",
            2,
            "error: --jobs, --max-per-server, --keep-going and --canary are for a fleet: give --targets FILE, --targets-query SQL or --schemas\n",
        ),
        &[],
        &["up", "--jobs", "2"],
        &[],
    );
    case(
        pin(
            "force with a word for a version",
            2,
            "error: invalid value 'latest' for '<V>': `latest` is not a version: give a number like 3, or `none`\n\nFor more information, try '--help'.\n",
        ),
        &[],
        &["force", "latest"],
        &[],
    );
    case(
        pin(
            "completions for an unknown shell",
            2,
            "error: invalid value 'tcsh' for '<SHELL>'\n  [possible values: bash, elvish, fish, powershell, zsh]\n\n  tip: a similar value exists: 'zsh'\n\nFor more information, try '--help'.\n",
        ),
        &[],
        &["completions", "tcsh"],
        &[],
    );
    case(pin(
            "a misspelt flag",
            2,
            "error: unexpected argument '--dryrun' found\n\n  tip: a similar argument exists: '--dry-run'\n\nUsage: ferry up --dry-run [N]\n\nFor more information, try '--help'.\n",
        ), &[], &["up", "--dryrun"], &[]);
    case(
        pin(
            "a bookkeeping table in a system schema",
            2,
            "error: `pg_catalog` is a system schema of PostgreSQL's: ferry's tables cannot live there (`drop` and `reset` empty their schema); name a schema of your own, like app.schema_migrations\n",
        ),
        &[],
        &["up", "--table", "pg_catalog.versions"],
        &[],
    );
    case(
        pin(
            "a mistyped schema source",
            2,
            "error: schema source `migratons`: expected database, a database URL, migrations, migrations@VERSION, or a .sql file (did you mean `migrations`?)\n",
        ),
        &[],
        &["schema", "dump", "migratons"],
        &[],
    );
    case(
        pin(
            "an unknown shadow",
            2,
            "error: --shadow docker: expected auto, local, wheel, or the URL of a server where ferry may create databases\n",
        ),
        &[],
        &["schema", "dump", "migrations"],
        &[("FERRY_SHADOW", "docker")],
    );
    case(
        pin(
            "schema check without a schema file",
            2,
            "error: ferry schema check compares the migrations with a schema file: give it with --schema-file PATH (or FERRY_SCHEMA_FILE)\n",
        ),
        &[],
        &["schema", "check"],
        &[],
    );
    case(
        pin(
            "a schema file with a fleet",
            2,
            "error: --schema-file schema.sql with a fleet: one file cannot hold every target's schema; leave it out, or run `ferry schema dump --database-url …` per database\n",
        ),
        &[],
        &["up", "--targets", "targets.txt", "--schema-file", "schema.sql"],
        &[],
    );
    check(cases);
}

#[test]
fn messages_from_the_database() {
    let db = TestDb::new();
    let d = db.path();
    let mut cases = Vec::new();
    // Nothing listens on port 1: the refusal names the server and what to do.
    files(d, &[("1_a.sql", b"CREATE TABLE a (id int);")]);
    cases.push((
        pin(
            "no server at the address",
            1,
            "error: could not connect to server at 127.0.0.1:1: connection refused — is PostgreSQL running and listening on port 1? (`ferry wait` waits for it)\n",
        ),
        run(
            d,
            None,
            &["status", "--connect-timeout", "2s"],
            &[],
        ),
    ));
    cases.push((
        pin(
            "a database that does not exist",
            1,
            "error: database \"no_such_db\" does not exist at 127.0.0.1:{port} — create it with `createdb no_such_db` or CREATE DATABASE \"no_such_db\";\n",
        ),
        run(
            d,
            Some(&db),
            &[
                "status",
                "--database-url",
                &db.url.replace(&db.name, "no_such_db"),
            ],
            &[],
        ),
    ));
    // A migration the server refuses: file, line, column, caret, and the server's words.
    files(
        d,
        &[
            ("1_a.sql", b"CREATE TABLE a (id int);"),
            (
                "2_b.sql",
                b"CREATE TABLE b (\n  id int,\n  embeding vectr(3)\n);\n",
            ),
        ],
    );
    cases.push((pin(
            "a migration with an unknown type",
            1,
            "1/u a (Nms)\nerror: migration ./migrations/2_b.sql failed and was rolled back; the database stays at version 1 (not dirty)\n./migrations/2_b.sql:3:12\n 3 |   embeding vectr(3)\n   |            ^\nERROR: type \"vectr\" does not exist\nSQLSTATE: 42704\n",
        ), run(d, Some(&db), &["up"], &[])));
    // The database at 1; a down that has no file.
    cases.push((
        pin(
            "a down without a down file",
            1,
            "error: ./migrations/1_a.sql cannot be rolled back: it has no down migration (add `-- migrate:up` as its first line and a `-- migrate:down` section); nothing was changed. To move the version past it without running anything, pass --allow-missing-down\n",
        ),
        run(d, Some(&db), &["down"], &[]),
    ));
    // An applied file edited since it ran.
    files(
        d,
        &[
            ("1_a.sql", b"CREATE TABLE a (id bigint);"),
            ("2_b.sql", b"CREATE TABLE b (id int);"),
        ],
    );
    cases.push((
        pin(
            "an applied file edited since",
            5,
            "error: validation failed: 1 problem(s) found\n",
        ),
        run(d, Some(&db), &["validate"], &[]),
    ));
    // The current version's file gone.
    files(d, &[("2_b.sql", b"CREATE TABLE b (id int);")]);
    cases.push((
        pin(
            "the current version's file missing",
            5,
            "error: the database is at version 1, but the migrations directory has no file for it (1 migration(s), the newest ./migrations/2_b.sql): check --path (or FERRY_PATH), or restore the file\n",
        ),
        run(d, Some(&db), &["up"], &[]),
    ));
    // A failed no-transaction migration leaves the database dirty.
    files(
        d,
        &[
            ("1_a.sql", b"CREATE TABLE a (id int);"),
            (
                "2_idx.sql",
                b"-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);\nCREATE INDEX CONCURRENTLY a_nope ON a (nope);\n",
            ),
        ],
    );
    cases.push((
        pin(
            "a no-transaction migration that failed part way",
            1,
            "error: migration ./migrations/2_idx.sql (no-transaction) failed at statement 2 of 2; the database is dirty at version 2: the up migration of version 2 (./migrations/2_idx.sql) stopped part way. Inspect the schema and finish or undo its statements by hand, then record the result: `ferry force 2` if all its changes are in place, `ferry force 1` if none are (golang-migrate: Dirty database version 2. Fix and force version.)\n./migrations/2_idx.sql:3:1\n 3 | CREATE INDEX CONCURRENTLY a_nope ON a (nope);\n   | ^\nERROR: column \"nope\" does not exist\nSQLSTATE: 42703\n",
        ),
        run(d, Some(&db), &["up"], &[]),
    ));
    cases.push((
        pin(
            "up on a dirty database",
            3,
            "error: refusing to up: the database is dirty at version 2: the up migration of version 2 (./migrations/2_idx.sql) stopped part way: statements 1 to 1 ran, then statement 2 of 2 (line 3) failed (ERROR: column \"nope\" does not exist). Inspect the schema and finish or undo its statements by hand, then record the result: `ferry force 2` if all its changes are in place, `ferry force 1` if none are (golang-migrate: Dirty database version 2. Fix and force version.)\n",
        ),
        run(d, Some(&db), &["up"], &[]),
    ));
    cases.push((
        pin(
            "restore of a file that is not there",
            2,
            "error: cannot restore nope.dump: no such file; give the path of a dump made by `ferry dump` or pg_dump\n",
        ),
        run(d, Some(&db), &["restore", "nope.dump", "--yes"], &[]),
    ));
    check(cases);
}

#[test]
fn the_lock_held_by_another_session_is_named() {
    let db = TestDb::new();
    files(db.path(), &[("1_a.sql", b"CREATE TABLE a (id int);")]);
    let key = ferry::internals::lock_key("public", "schema_migrations", &format!("/{}", db.name));
    let mut holder = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    holder
        .batch_execute(&format!(
            "SET application_name = 'deploy-42'; SELECT pg_advisory_lock({key})"
        ))
        .unwrap();
    let got = run(db.path(), Some(&db), &["up", "--lock-timeout", "1s"], &[]);
    check(vec![(pin(
            "the lock held by another session",
            4,
            "waiting for the migration lock, held by pid N (deploy-42, user {user}, for Ns)\nerror: the migration lock is held by pid N (deploy-42, user {user}, for Ns); gave up after 1s. Wait for that run to finish, or raise --lock-timeout\n",
        ), got)]);
}
