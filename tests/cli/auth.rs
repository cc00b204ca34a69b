//! Passwords against a real server that asks for them: SCRAM authentication, the
//! password file, and the errors a user sees, none of them showing a password.
//!
//! The server is a scratch cluster of its own with `scram-sha-256` for every TCP
//! connection and no TLS, so it also serves as "a server without TLS". It listens on
//! `::1` too when the machine has IPv6.

use std::path::Path;
use std::sync::OnceLock;

use crate::common::{ferry_in, run_keeping, Cluster, ClusterBuilder, Run, PASSWORD};

const USER: &str = "app";
const USER_PASSWORD: &str = "Scram-0nly-S3cret";
/// A role whose password needs the password file's escapes.
const ESCAPER: &str = "escaper";
const ESCAPER_PASSWORD: &str = r"co:lon\back-S3cret";
const WRONG_PASSWORD: &str = "Wr0ng-Guess-S3cret";
const SECRETS: [&str; 4] = [USER_PASSWORD, ESCAPER_PASSWORD, WRONG_PASSWORD, PASSWORD];

struct AuthServer {
    cluster: Cluster,
    ipv6: bool,
}

fn auth_server() -> &'static AuthServer {
    static SERVER: OnceLock<AuthServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
        let cluster = ClusterBuilder::new("scram")
            .listen(if ipv6 { "127.0.0.1,::1" } else { "127.0.0.1" })
            .set("password_encryption", "scram-sha-256")
            .hba("host all all 127.0.0.1/32 scram-sha-256")
            .hba("host all all ::1/128 scram-sha-256")
            .sql(&format!(
                "CREATE ROLE {USER} LOGIN PASSWORD '{USER_PASSWORD}'"
            ))
            .sql(&format!(
                "CREATE ROLE {ESCAPER} LOGIN PASSWORD '{ESCAPER_PASSWORD}'"
            ))
            .sql(&format!("CREATE DATABASE app OWNER {USER}"))
            // The README's own `rekko:rekko@…/rekko_dev`: a password that is part of names.
            .sql("CREATE ROLE rekko LOGIN PASSWORD 'rekko'")
            .sql("CREATE DATABASE rekko_team OWNER rekko")
            .sql(&format!("GRANT CONNECT ON DATABASE app TO {ESCAPER}"))
            .start();
        AuthServer { cluster, ipv6 }
    })
}

fn port() -> u16 {
    auth_server().cluster.port
}

/// A working directory that is also `HOME`, so `.pgpass` can be put in it.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
    dir
}

fn ferry(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = ferry_in(home);
    cmd.args(args).envs(env.iter().copied());
    run_keeping(&mut cmd, &SECRETS)
}

/// `postgres://user[:password]@127.0.0.1:port/db`, the password percent-encoded.
fn url(user: &str, password: Option<&str>, db: &str) -> String {
    let mut url =
        url::Url::parse(&format!("postgres://{user}@127.0.0.1:{}/{db}", port())).expect("url");
    url.set_password(password).expect("set password");
    url.to_string()
}

fn write_pgpass(path: &Path, contents: &str, mode: u32) {
    std::fs::write(path, contents).expect("write .pgpass");
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode))
        .expect("chmod .pgpass");
}

fn connects(run: &Run) {
    assert_eq!(run.code, Some(0), "{}{}", run.out, run.err);
    assert_eq!(run.out, "none\n");
}

/// Fails with exit 1 and exactly one `error:` line; returns it.
fn refused(run: &Run) -> String {
    assert_eq!(run.code, Some(1), "{}{}", run.out, run.err);
    let errors: Vec<&str> = run
        .err
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.err);
    errors[0].to_string()
}

#[test]
fn right_password_connects_and_a_wrong_one_is_refused_naming_the_user() {
    let dir = home();
    let home = dir.path();
    let run = ferry(
        home,
        &["version"],
        &[("DATABASE_URL", &url(USER, Some(USER_PASSWORD), "app"))],
    );
    connects(&run);

    for format in ["text", "json"] {
        let run = ferry(
            home,
            &["version", "--format", format],
            &[("DATABASE_URL", &url(USER, Some(WRONG_PASSWORD), "app"))],
        );
        let error = refused(&run);
        assert_eq!(
            error,
            format!(
                "error: password authentication failed for user \"app\" at 127.0.0.1:{} — check the password in DATABASE_URL",
                port()
            )
        );
    }
}

#[test]
fn pgpassword_with_pg_variables() {
    let dir = home();
    let port = port().to_string();
    let pg = |password: &'static str| {
        [
            ("PGHOST", "127.0.0.1"),
            ("PGPORT", port.as_str()),
            ("PGUSER", USER),
            ("PGDATABASE", "app"),
            ("PGPASSWORD", password),
        ]
    };
    connects(&ferry(dir.path(), &["version"], &pg(USER_PASSWORD)));
    let error = refused(&ferry(dir.path(), &["version"], &pg(WRONG_PASSWORD)));
    assert!(
        error.ends_with("— check the password in PGPASSWORD"),
        "{error}"
    );
}

#[test]
fn missing_password_says_where_to_put_it() {
    let dir = home();
    let run = ferry(
        dir.path(),
        &["version"],
        &[("DATABASE_URL", &url(USER, None, "app"))],
    );
    let error = refused(&run);
    assert_eq!(
        error,
        format!(
            "error: server at 127.0.0.1:{port} asks for a password for user \"app\" but none is configured — set it in DATABASE_URL, or add the line `127.0.0.1:{port}:app:app:<password>` to {} (mode 0600)",
            dir.path().join(".pgpass").display(),
            port = port()
        )
    );
}

#[test]
fn pgpass_entry_is_used_when_the_url_has_no_password() {
    let dir = home();
    write_pgpass(
        &dir.path().join(".pgpass"),
        &format!(
            "# ferry test\nother.example.com:*:*:*:nope\n127.0.0.1:{}:app:app:{USER_PASSWORD}\n",
            port()
        ),
        0o600,
    );
    let run = ferry(
        dir.path(),
        &["version"],
        &[("DATABASE_URL", &url(USER, None, "app"))],
    );
    connects(&run);
    assert!(!run.err.contains("warning"), "{}", run.err);
}

#[test]
fn group_readable_pgpass_is_ignored_with_a_warning() {
    let dir = home();
    let file = dir.path().join(".pgpass");
    write_pgpass(&file, &format!("*:*:*:*:{USER_PASSWORD}\n"), 0o640);
    let run = ferry(
        dir.path(),
        &["version"],
        &[("DATABASE_URL", &url(USER, None, "app"))],
    );
    assert!(
        run.err.contains(&format!(
            "warning: password file {} has group or world access (mode 0640); permissions should be u=rw (0600) or less — it was ignored (fix with `chmod 600 {}`)",
            file.display(),
            file.display()
        )),
        "{}",
        run.err
    );
    let error = refused(&run);
    assert!(error.contains("asks for a password"), "{error}");
    assert!(
        error.ends_with("— that file was not used: see the warning above"),
        "{error}"
    );
}

#[test]
fn pgpassfile_with_wildcards_and_escapes() {
    let dir = home();
    let file = dir.path().join("passwords");
    let escaped = ESCAPER_PASSWORD.replace('\\', r"\\").replace(':', r"\:");
    write_pgpass(
        &file,
        &format!(
            "127.0.0.1:{port}:app:app:not-this-one\n*:{port}:*:{ESCAPER}:{escaped}\n*:*:*:*:nor-this-one\n",
            port = port()
        ),
        0o600,
    );
    let run = ferry(
        dir.path(),
        &["version"],
        &[
            ("DATABASE_URL", &url(ESCAPER, None, "app")),
            ("PGPASSFILE", file.to_str().expect("utf-8 path")),
        ],
    );
    connects(&run);
}

#[test]
fn wrong_password_in_pgpass_names_the_file() {
    let dir = home();
    let file = dir.path().join(".pgpass");
    write_pgpass(&file, &format!("*:*:*:*:{WRONG_PASSWORD}\n"), 0o600);
    let run = ferry(
        dir.path(),
        &["version"],
        &[("DATABASE_URL", &url(USER, None, "app"))],
    );
    let error = refused(&run);
    assert!(
        error.contains("password authentication failed for user \"app\""),
        "{error}"
    );
    assert!(
        error.ends_with(&format!(
            "check the password in the password file {} (used because DATABASE_URL gives none)",
            file.display()
        )),
        "{error}"
    );
}

#[test]
fn missing_database_is_named_with_how_to_create_it() {
    let dir = home();
    let run = ferry(
        dir.path(),
        &["version"],
        &[(
            "DATABASE_URL",
            &url(USER, Some(USER_PASSWORD), "no_such_db"),
        )],
    );
    assert_eq!(
        refused(&run),
        format!(
            "error: database \"no_such_db\" does not exist at 127.0.0.1:{} — create it with `createdb no_such_db` or CREATE DATABASE \"no_such_db\";",
            port()
        )
    );
}

#[test]
fn require_against_a_server_without_tls_is_refused() {
    let dir = home();
    for mode in ["require", "verify-ca", "verify-full"] {
        let url = format!("{}?sslmode={mode}", url(USER, Some(USER_PASSWORD), "app"));
        let run = ferry(dir.path(), &["version"], &[("DATABASE_URL", &url)]);
        assert_eq!(
            refused(&run),
            format!(
                "error: server at 127.0.0.1:{} does not support TLS, but sslmode={mode} requires it — enable ssl on the server, or use sslmode=prefer or disable if an unencrypted connection is acceptable",
                port()
            )
        );
    }
}

#[test]
fn ipv6_literal_in_the_url() {
    let server = auth_server();
    if !server.ipv6 {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    let dir = home();
    let url = format!(
        "postgres://{USER}:{USER_PASSWORD}@[::1]:{}/app",
        server.cluster.port
    );
    connects(&ferry(dir.path(), &["version"], &[("DATABASE_URL", &url)]));
    let run = ferry(dir.path(), &["status"], &[("DATABASE_URL", &url)]);
    assert!(
        run.out
            .contains(&format!("app:****@[::1]:{}/app", server.cluster.port)),
        "{}",
        run.out
    );
}

/// A token script in `home`: prints the password and counts its calls in `calls.log`.
fn token_script(home: &Path, password: &str) -> String {
    std::fs::write(
        home.join("token.sh"),
        format!("echo call >> \"$(dirname \"$0\")/calls.log\"\nprintf '%s\\n' '{password}'\n"),
    )
    .expect("write the token script");
    format!("sh {}", home.join("token.sh").display())
}

/// `ferry version` on `url` with `--password-command command`.
fn version_with(home: &Path, url: &str, command: &str) -> Run {
    ferry(
        home,
        &[
            "version",
            "--database-url",
            url,
            "--password-command",
            command,
        ],
        &[],
    )
}

fn calls(home: &Path) -> usize {
    std::fs::read_to_string(home.join("calls.log"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn a_password_command_gives_each_connection_its_password() {
    let home = home();
    let command = token_script(home.path(), USER_PASSWORD);
    let url = url(USER, None, "app");
    let run = version_with(home.path(), &url, &command);
    connects(&run);
    assert_eq!(calls(home.path()), 1);

    // From the environment too; a password in the URL gives way to it, with a note.
    let with_stale = self::url(USER, Some("stale-token"), "app");
    let run = ferry(
        home.path(),
        &["version", "--database-url", &with_stale],
        &[("FERRY_PASSWORD_COMMAND", &command)],
    );
    connects(&run);
    assert!(
        run.err.contains("--password-command gives it"),
        "{}",
        run.err
    );
    assert_eq!(calls(home.path()), 2);

    // pg_dump gets the password the command printed, as ferry did.
    let dump = home.path().join("app.sql");
    let run = ferry(
        home.path(),
        &[
            "dump",
            dump.to_str().unwrap(),
            "--database-url",
            &url,
            "--password-command",
            &command,
        ],
        &[],
    );
    assert_eq!(run.code, Some(0), "{}{}", run.out, run.err);
    assert!(dump.exists());
    assert!(
        calls(home.path()) >= 4,
        "ferry's session and pg_dump each asked"
    );
}

#[test]
fn a_failing_or_wrong_password_command_is_one_clear_error() {
    let home = home();
    let url = url(USER, None, "app");
    std::fs::write(
        home.path().join("expired.sh"),
        "echo 'ExpiredToken: the security token included in the request is expired' >&2\nexit 3\n",
    )
    .unwrap();
    let run = version_with(home.path(), &url, "sh expired.sh");
    let line = refused(&run);
    assert!(
        line.contains("--password-command `sh expired.sh` failed (exit status: 3): ExpiredToken"),
        "{line}"
    );
    let run = version_with(home.path(), &url, "true");
    assert!(refused(&run).contains("must print the password alone on one line; it printed nothing"));
    let command = token_script(home.path(), WRONG_PASSWORD);
    let run = version_with(home.path(), &url, &command);
    assert!(refused(&run).contains("password authentication failed"));
}

#[test]
fn the_library_takes_a_password_provider() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = calls.clone();
    let dir = home();
    std::fs::write(
        dir.path().join("migrations/1_a.sql"),
        "CREATE TABLE IF NOT EXISTS provider_a (id int);",
    )
    .unwrap();
    let migrator = ferry::Migrator::from_dir(dir.path().join("migrations"))
        .unwrap()
        .database_url(url(USER, None, "app"))
        // Its own bookkeeping table: the other tests here expect `app` unmigrated.
        .table("provider_versions")
        .password_provider(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(USER_PASSWORD.to_string())
        });
    migrator.up().unwrap();
    migrator.version().unwrap();
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    let failing = migrator.password_provider(|| Err("no IAM role attached".to_string()));
    assert!(matches!(
        failing.up(),
        Err(ferry::Error::Connect { message }) if message.contains("the password provider failed: no IAM role attached")
    ));
}

#[test]
fn names_that_contain_the_passwords_text_are_shown_but_the_password_never_is() {
    let dir = home();
    let run = |db: &str, args: &[&str]| {
        let out = ferry_in(dir.path())
            .args(args)
            .env("DATABASE_URL", url("rekko", Some("rekko"), db))
            .output()
            .expect("run ferry");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = run("rekko_nope", &["version"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("database \"rekko_nope\" does not exist")
            && err.contains("createdb rekko_nope"),
        "{err}"
    );
    let (code, out, err) = run("rekko_team", &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("postgres://rekko:****@127.0.0.1") && out.contains("/rekko_team"),
        "the URL's password field is masked, the names are not: {out}"
    );
    let (code, out, err) = run("rekko_team", &["dump"]);
    assert_eq!(code, Some(0), "{err}");
    let path = out.trim();
    assert!(path.starts_with("backups/rekko_team-"), "{out}");
    assert!(
        dir.path().join(path).exists(),
        "`ferry restore \"$(ferry dump)\"` finds it: {path}"
    );
}
