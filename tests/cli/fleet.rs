//! Fleets: one command over many databases on two servers, in parallel, with a failure
//! policy, a report per target and each target's own lock.

use std::path::Path;
use std::sync::OnceLock;

use crate::common::{ferry_in, output, Cluster, ClusterBuilder};

fn servers() -> &'static [Cluster; 2] {
    static SERVERS: OnceLock<[Cluster; 2]> = OnceLock::new();
    SERVERS.get_or_init(|| {
        [
            ClusterBuilder::new("fleet-a").start(),
            ClusterBuilder::new("fleet-b").start(),
        ]
    })
}

/// `n` fresh databases spread over both servers, named `<prefix>_<pid>_<i>`; their URLs.
fn databases(prefix: &str, n: usize) -> Vec<String> {
    databases_in(prefix, 0..n)
}

fn databases_in(prefix: &str, numbers: std::ops::Range<usize>) -> Vec<String> {
    let pid = std::process::id();
    numbers
        .map(|i| {
            let server = &servers()[i % 2];
            let name = format!("{prefix}_{pid}_{i}");
            server
                .admin()
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            server.url(&name)
        })
        .collect()
}

/// A project directory with three migrations and a targets file of `urls`.
fn project(urls: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("1_tenants.sql"), "CREATE TABLE tenants (id int);").unwrap();
    std::fs::write(
        m.join("2_faces.sql"),
        "CREATE TABLE faces (id int, tenant int);",
    )
    .unwrap();
    std::fs::write(
        m.join("3_index.sql"),
        "CREATE INDEX faces_tenant ON faces (tenant);",
    )
    .unwrap();
    write_targets(dir.path(), urls);
    dir
}

fn write_targets(dir: &Path, urls: &[String]) {
    let text = format!("# the tenants\n\n{}\n", urls.join("\n"));
    std::fs::write(dir.join("targets.txt"), text).unwrap();
}

fn version_of(url: &str) -> String {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query_opt(
            "SELECT version::text || ' ' || dirty::text FROM schema_migrations",
            &[],
        )
        .ok()
        .flatten()
        .map_or("none".to_string(), |r| r.get(0))
}

fn applied_once(url: &str) -> bool {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let rows: i64 = client
        .query_one(
            "SELECT count(*) FROM schema_migrations_history WHERE direction = 'up'",
            &[],
        )
        .unwrap()
        .get(0);
    rows == 3
}

#[test]
fn sixty_databases_on_two_servers_are_migrated_six_at_a_time() {
    let urls = databases("sixty", 60);
    let dir = project(&urls);
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--jobs", "6"])
        .assert()
        .success();
    let (out, err) = output(&a);
    assert!(
        err.contains("up on 60 targets: 60 succeeded, 0 failed"),
        "{err}"
    );
    assert_eq!(
        out.lines().filter(|l| l.contains("none → 3")).count(),
        60,
        "{out}"
    );
    for url in &urls {
        assert_eq!(version_of(url), "3 false", "{url}");
        assert!(applied_once(url), "{url}");
    }

    // status: one JSON object per target, then a summary; `--format` before the command
    // too, where scripts put it.
    let a = ferry_in(dir.path())
        .args(["--format", "json", "status", "--targets", "targets.txt"])
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = output(&a)
        .0
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 61);
    assert!(lines[..60]
        .iter()
        .all(|v| v["result"] == "ok" && v["to"] == 3 && v["pending"] == 0));
    assert_eq!(lines[60]["summary"]["succeeded"], 60);

    ferry_in(dir.path())
        .args(["status", "--targets", "targets.txt", "--fail-on-pending"])
        .assert()
        .success();
    std::fs::write(dir.path().join("migrations/4_more.sql"), "SELECT 1;").unwrap();
    let a = ferry_in(dir.path())
        .args(["status", "--targets", "targets.txt", "--fail-on-pending"])
        .assert()
        .code(1);
    assert!(output(&a)
        .1
        .contains("60 of 60 targets have pending migrations"));
    std::fs::remove_file(dir.path().join("migrations/4_more.sql")).unwrap();

    // Up to date: a re-run changes nothing, and says so per target.
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--jobs", "6"])
        .assert()
        .success();
    assert_eq!(
        output(&a).0.lines().filter(|l| l.contains("3 → 3")).count(),
        60
    );
}

#[test]
fn an_unreachable_target_stops_new_ones_and_keep_going_runs_the_rest() {
    let mut urls = databases("reach", 6);
    let unreachable = "postgres://postgres@127.0.0.1:1/gone?connect_timeout=2".to_string();
    urls.insert(2, unreachable.clone());
    let dir = project(&urls);
    // One at a time, so the policy's effect is exact: targets after the failure never start.
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--jobs", "1"])
        .assert()
        .code(1);
    let (out, err) = output(&a);
    assert!(
        err.contains("error: 1 of 7 targets failed (127.0.0.1:1/gone), 4 not started"),
        "{err}"
    );
    assert!(
        out.contains("failed: could not connect to server at 127.0.0.1:1"),
        "{out}"
    );
    assert_eq!(out.matches("not started").count(), 4, "{out}");
    assert_eq!(version_of(&urls[1]), "3 false");
    assert_eq!(version_of(&urls[3]), "none");

    let a = ferry_in(dir.path())
        .args([
            "up",
            "--targets",
            "targets.txt",
            "--jobs",
            "2",
            "--keep-going",
        ])
        .assert()
        .code(1);
    assert!(
        output(&a).1.contains("1 of 7 targets failed"),
        "{}",
        output(&a).1
    );
    for url in urls.iter().filter(|u| **u != unreachable) {
        assert_eq!(version_of(url), "3 false", "{url}");
    }
    // status over the fleet shows the skew and the unreachable one.
    let a = ferry_in(dir.path())
        .args(["status", "--targets", "targets.txt", "--keep-going"])
        .assert()
        .code(1);
    assert!(
        output(&a)
            .1
            .contains("6 at version 3; 1 unreachable or failed"),
        "{}",
        output(&a).1
    );

    // With the server gone from the list, a re-run is clean.
    urls.retain(|u| *u != unreachable);
    write_targets(dir.path(), &urls);
    ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt"])
        .assert()
        .success();
}

#[test]
fn a_failing_migration_stops_new_targets_and_a_canary_guards_the_rest() {
    let urls = databases("canary", 6);
    // The first target already has a table the second migration creates.
    postgres::Client::connect(&urls[0], postgres::NoTls)
        .unwrap()
        .batch_execute("CREATE TABLE faces (x int)")
        .unwrap();
    let dir = project(&urls);
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--canary", "2"])
        .assert()
        .code(1);
    let (out, err) = output(&a);
    assert!(
        err.contains("a canary target failed: the other 4 targets were not started"),
        "{err}"
    );
    assert!(
        out.contains("failed: migration") && out.contains("2_faces.sql"),
        "{out}"
    );
    assert_eq!(version_of(&urls[0]), "1 false");
    assert_eq!(version_of(&urls[1]), "3 false");
    for url in &urls[2..] {
        assert_eq!(version_of(url), "none");
    }
    // Fixed, the canaries pass and the rest follow.
    postgres::Client::connect(&urls[0], postgres::NoTls)
        .unwrap()
        .batch_execute("DROP TABLE faces")
        .unwrap();
    ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--canary", "2"])
        .assert()
        .success();
    for url in &urls {
        assert_eq!(version_of(url), "3 false");
    }
}

#[test]
fn two_fleet_runs_at_once_apply_each_migration_once() {
    let urls = databases("twice", 12);
    let dir = project(&urls);
    let spawn = || {
        crate::common::ferry_process(dir.path())
            .args(["up", "--targets", "targets.txt", "--jobs", "4"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for url in &urls {
        assert!(applied_once(url), "{url}");
    }
}

#[test]
fn targets_from_a_query_and_from_standard_input() {
    let urls = databases("query", 4);
    let dir = project(&[]);
    let server = &servers()[0];
    let base = server.url("postgres");
    let pattern = format!("query_{}_%", std::process::id());
    let sql = format!("SELECT datname FROM pg_database WHERE datname LIKE '{pattern}' ORDER BY 1");
    let a = ferry_in(dir.path())
        .args(["up", "--database-url", &base, "--targets-query", &sql])
        .assert()
        .success();
    assert!(
        output(&a).1.contains("up on 2 targets: 2 succeeded"),
        "{}",
        output(&a).1
    );
    assert_eq!(version_of(&urls[0]), "3 false");
    assert_eq!(version_of(&urls[2]), "3 false");

    // What the query returns is a database name on the base server, whatever it holds: a
    // value shaped like a connection string sends nothing elsewhere, and an unusable one
    // is its own target's failure.
    let name = urls[2]
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let hostile = format!(
        "SELECT unnest(ARRAY['host=127.0.0.1 port=1 dbname=x', 'postgres://evil:1/x', \
         'tenant_b x=1', '{name}'])"
    );
    let a = ferry_in(dir.path())
        .args([
            "up",
            "--database-url",
            &base,
            "--targets-query",
            &hostile,
            "--keep-going",
        ])
        .assert()
        .code(1);
    let (out, err) = output(&a);
    assert!(
        err.contains("up on 4 targets: 1 succeeded, 3 failed"),
        "{out}{err}"
    );
    assert!(
        out.contains(&format!(
            "127.0.0.1:{}/host=127.0.0.1 port=1 dbname=x",
            server.port
        )),
        "the value is a name on the base server: {out}"
    );
    assert!(!err.contains("127.0.0.1:1 "), "{out}{err}");

    ferry_in(dir.path())
        .args(["version", "--targets", "-"])
        .write_stdin(format!("{}\n{}\n", urls[1], urls[3]))
        .assert()
        .success()
        .stdout(predicates::str::contains("none"));
}

#[test]
fn bad_fleet_inputs_are_refused_clearly() {
    let dir = project(&[]);
    let secret = "postgres://app:S3cret-Pw@127.0.0.1:1/app".to_string();
    write_targets(dir.path(), &[secret]);
    std::fs::set_permissions(
        dir.path().join("targets.txt"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let cases: [(&[&str], &str); 9] = [
        (
            &["up", "--targets", "targets.txt"],
            "holds passwords and others can read it (mode 644): chmod 600",
        ),
        (
            &["up", "--targets", "absent.txt"],
            "cannot read the targets file absent.txt: no such file",
        ),
        (
            &["up", "--jobs", "3"],
            "--jobs, --max-per-server, --keep-going and --canary are for a fleet",
        ),
        (
            &["reset", "--targets", "targets.txt", "--yes"],
            "work with up, down N, goto, version and status",
        ),
        (
            &["down", "--all", "--targets", "targets.txt"],
            "down --all is not available with --targets",
        ),
        (
            &["up", "--dry-run", "--targets", "targets.txt"],
            "--dry-run is not available with --targets",
        ),
        (&["up", "--create-schema"], "--schemas <PATTERNS>"),
        (
            &["up", "--targets", "targets.txt", "--schemas", "a"],
            "cannot be used with",
        ),
        (
            &["up", "--targets", "targets.txt", "--max-per-server", "0"],
            "0 is not in 1..",
        ),
    ];
    for (args, expected) in cases {
        let a = ferry_in(dir.path()).args(args).assert().code(2);
        let (_, err) = output(&a);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("S3cret-Pw"), "{err}");
    }
    std::fs::write(dir.path().join("targets.txt"), "# nothing yet\n").unwrap();
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt"])
        .assert()
        .code(2);
    assert!(output(&a)
        .1
        .contains("--targets targets.txt lists no database"));
    std::fs::write(
        dir.path().join("targets.txt"),
        "postgres://h/db?sslmode=bogus\n",
    )
    .unwrap();
    let a = ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt"])
        .assert()
        .code(2);
    assert!(
        output(&a).1.contains("targets.txt:1: invalid sslmode"),
        "{}",
        output(&a).1
    );
}

#[test]
fn twenty_tenant_schemas_each_get_their_own_bookkeeping() {
    let url = databases("schemas", 1).remove(0);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let create: String = (1..=20)
        .map(|i| format!("CREATE SCHEMA tenant_{i:02};"))
        .chain(["CREATE SCHEMA billing;".to_string()])
        .collect();
    client.batch_execute(&create).unwrap();
    let dir = project(&[]);
    let a = ferry_in(dir.path())
        .args([
            "up",
            "--database-url",
            &url,
            "--schemas",
            "tenant_*",
            "--jobs",
            "4",
        ])
        .assert()
        .success();
    assert!(
        output(&a).1.contains("up on 20 targets: 20 succeeded"),
        "{}",
        output(&a).1
    );
    for i in 1..=20 {
        let row = client
            .query_one(
                &format!("SELECT version FROM tenant_{i:02}.schema_migrations"),
                &[],
            )
            .unwrap();
        assert_eq!(row.get::<_, i64>(0), 3);
        assert!(client
            .query_one(
                &format!("SELECT to_regclass('tenant_{i:02}.faces') IS NOT NULL"),
                &[]
            )
            .unwrap()
            .get::<_, bool>(0));
    }
    // Nothing outside the tenants' schemas.
    let outside: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'faces' AND schemaname NOT LIKE 'tenant\\_%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(outside, 0);

    // A new tenant, created and migrated; the others are up to date.
    let a = ferry_in(dir.path())
        .args([
            "up",
            "--database-url",
            &url,
            "--schemas",
            "tenant_*,tenant_new",
            "--create-schema",
        ])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert!(out.contains("schema tenant_new  none → 3"), "{out}");
    assert_eq!(out.matches("3 → 3").count(), 20, "{out}");
    let a = ferry_in(dir.path())
        .args(["status", "--database-url", &url, "--schemas", "nomatch_*"])
        .assert()
        .code(2);
    assert!(output(&a)
        .1
        .contains("no schema matches --schemas nomatch_*"));
}

#[test]
fn max_per_server_bounds_the_sessions_on_each_server() {
    let urls = databases("perserver", 8);
    let dir = project(&urls);
    let pid = std::process::id();
    // The first migration notes how many of this test's ferry sessions its server has.
    std::fs::write(
        dir.path().join("migrations/1_tenants.sql"),
        format!(
            "CREATE TABLE seen AS SELECT count(*) AS n FROM pg_stat_activity \
             WHERE application_name = 'ferry' AND datname LIKE 'perserver\\_{pid}\\_%';\n\
             SELECT pg_sleep(0.3);\nCREATE TABLE tenants (id int);"
        ),
    )
    .unwrap();
    let seen = |url: &str| -> i64 {
        postgres::Client::connect(url, postgres::NoTls)
            .unwrap()
            .query_one("SELECT n FROM seen", &[])
            .unwrap()
            .get(0)
    };
    ferry_in(dir.path())
        .args([
            "up",
            "--targets",
            "targets.txt",
            "--jobs",
            "6",
            "--max-per-server",
            "1",
        ])
        .assert()
        .success();
    assert!(
        urls.iter().all(|u| seen(u) == 1),
        "{:?}",
        urls.iter().map(|u| seen(u)).collect::<Vec<_>>()
    );

    // Without the bound, six at once put several on a server.
    let others = databases_in("perserver", 8..16);
    write_targets(dir.path(), &others);
    ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt", "--jobs", "6"])
        .assert()
        .success();
    assert!(others.iter().any(|u| seen(u) > 1));
}

#[test]
fn a_failed_target_reports_how_far_it_got_and_an_unreachable_one_is_unknown() {
    let urls = databases("reached", 2);
    let unreachable = "postgres://postgres@127.0.0.1:1/gone?connect_timeout=2".to_string();
    let mut targets = urls.clone();
    targets.push(unreachable);
    let dir = project(&targets);
    // On the first target 2 fails part way; the second is dirty at 1 already.
    let m = dir.path().join("migrations");
    std::fs::write(
        m.join("2_faces.sql"),
        "CREATE TABLE faces (id int);\nSELECT 1/0;",
    )
    .unwrap();
    let mut second = postgres::Client::connect(&urls[1], postgres::NoTls).unwrap();
    second
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
             INSERT INTO schema_migrations VALUES (1, true);",
        )
        .unwrap();
    let a = ferry_in(dir.path())
        .args([
            "up",
            "--targets",
            "targets.txt",
            "--keep-going",
            "--jobs",
            "1",
        ])
        .assert()
        .code(3);
    let (out, _) = output(&a);
    let line = |needle: &str| {
        out.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {out}"))
            .to_string()
    };
    let first = line("reached_");
    assert!(
        first.contains("none → 1 ") && first.contains("      1 "),
        "{out}"
    );
    let dirty = out
        .lines()
        .filter(|l| l.contains("reached_"))
        .nth(1)
        .unwrap();
    assert!(
        dirty.contains("1 → 1 (dirty)") && dirty.contains("      0 "),
        "{out}"
    );
    let gone = line("127.0.0.1:1/gone");
    assert!(
        gone.contains("  ?  ") && gone.contains("      ? "),
        "{gone}"
    );

    let a = ferry_in(dir.path())
        .args([
            "up",
            "--targets",
            "targets.txt",
            "--keep-going",
            "--format",
            "json",
        ])
        .assert()
        .code(3);
    let lines: Vec<serde_json::Value> = output(&a)
        .0
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        5,
        "one line per target, the summary, the error"
    );
    assert!(lines[4]["error"]["exit_code"] == 3, "{:?}", lines[4]);
    assert_eq!(lines[0]["to"], 1);
    assert_eq!(lines[0]["known"], true);
    assert_eq!(lines[1]["dirty"], true);
    assert_eq!(lines[2]["known"], false);
    assert!(lines[2]["to"].is_null());
}

/// `down` over a fleet from a build without the newest file: each target undoes it from the
/// SQL its own history keeps.
#[test]
fn a_fleet_rolls_back_what_this_build_lacks_from_each_history() {
    let urls = databases("kept", 3);
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).unwrap();
    for (name, sql) in [
        ("1_tenants.up.sql", "CREATE TABLE tenants (id int);"),
        ("1_tenants.down.sql", "DROP TABLE tenants;"),
        ("2_faces.up.sql", "CREATE TABLE faces (id int);"),
        ("2_faces.down.sql", "DROP TABLE faces;"),
    ] {
        std::fs::write(m.join(name), sql).unwrap();
    }
    write_targets(dir.path(), &urls);
    ferry_in(dir.path())
        .args(["up", "--targets", "targets.txt"])
        .assert()
        .success();
    std::fs::remove_file(m.join("2_faces.up.sql")).unwrap();
    std::fs::remove_file(m.join("2_faces.down.sql")).unwrap();
    let a = ferry_in(dir.path())
        .args(["down", "--targets", "targets.txt"])
        .assert()
        .success();
    let (_, err) = output(&a);
    assert!(err.contains("3 succeeded, 0 failed"), "{err}");
    for url in &urls {
        assert_eq!(version_of(url), "1 false");
    }
}
