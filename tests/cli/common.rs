//! The test harness: one PostgreSQL server for the whole run and a fresh database per
//! test, so tests run in parallel and never see each other's tables.
//!
//! With `TEST_DATABASE_URL` set, that server is used (its user needs CREATEDB). Without
//! it, a scratch cluster is made with the machine's `initdb`/`pg_ctl` — as the `postgres`
//! user when running as root, on a free port with its own socket directory — and a
//! detached watcher stops and deletes it as soon as this test process exits.
//! A test's database is dropped when the test passes and kept when it fails, as evidence.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use assert_cmd::Command;
use postgres::{Client, NoTls};

pub const PASSWORD: &str = "s3cret-Pa55word";

/// Where the server is: a URL without a database path, e.g. `postgres://postgres@127.0.0.1:5999`.
struct Server {
    base: url::Url,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(raw) if !raw.is_empty() => Server {
            base: url::Url::parse(&raw).expect("TEST_DATABASE_URL must be a postgres:// URL"),
        },
        _ => start_scratch_cluster(),
    })
}

/// A PostgreSQL program: on PATH, else the newest in /usr/lib/postgresql/*/bin.
pub fn pg_bin(name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
    {
        return path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|p| p.is_file());
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!("{name} not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL server, or set TEST_DATABASE_URL")
    })
}

fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

/// A command line, run as the postgres user when we are root (the server refuses root).
fn as_server_user(program: &Path) -> Process {
    if is_root() {
        let mut p = Process::new("runuser");
        p.args(["-u", "postgres", "--"]).arg(program);
        p
    } else {
        Process::new(program)
    }
}

fn start_scratch_cluster() -> Server {
    let dir = std::env::temp_dir().join(format!("ferry-test-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch cluster dir");
    if is_root() {
        let status = Process::new("chown")
            .args(["-R", "postgres:"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(
            status.success(),
            "chown of {} to postgres failed",
            dir.display()
        );
    }
    let data = dir.join("data");
    let out = as_server_user(&pg_bin("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .expect("run initdb");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free port");
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    let out = as_server_user(&pg_bin("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("server.log"))
        .args(["-o", &options, "-w", "start"])
        .output()
        .expect("run pg_ctl start");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
    );

    // Stop and remove the cluster once this process has gone, however it ends.
    let stop = format!(
        "{} {} -D {} stop -m immediate",
        if is_root() {
            "runuser -u postgres --"
        } else {
            ""
        },
        pg_bin("pg_ctl").display(),
        data.display()
    );
    let watcher = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display()
    );
    // Deliberately not waited for: it must outlive this process.
    #[allow(clippy::zombie_processes)]
    Process::new("setsid")
        .args(["sh", "-c", &watcher])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the cluster watcher");

    let base = url::Url::parse(&format!("postgres://postgres@127.0.0.1:{port}")).expect("url");
    let admin = Server { base };
    admin
        .client("postgres")
        .batch_execute(&format!("ALTER USER postgres PASSWORD '{PASSWORD}'"))
        .expect("set the test password");
    admin
}

impl Server {
    fn url(&self, db: &str) -> String {
        let mut url = self.base.clone();
        url.set_path(&format!("/{db}"));
        url.to_string()
    }

    fn client(&self, db: &str) -> Client {
        Client::connect(&self.url(db), NoTls).unwrap_or_else(|e| panic!("connect to {db}: {e}"))
    }

    fn admin_db(&self) -> String {
        match self.base.path().trim_start_matches('/') {
            "" => "postgres".to_string(),
            db => db.to_string(),
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh database and a fresh working directory with an empty `migrations/`.
pub struct TestDb {
    pub name: String,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> Self {
        let server = server();
        let thread = std::thread::current();
        let test: String = thread
            .name()
            .unwrap_or("test")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let tail: String = test
            .chars()
            .rev()
            .take(40)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        let name = format!(
            "ft_{}_{}_{tail}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        server
            .client(&server.admin_db())
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create test database");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
        TestDb {
            url: server.url(&name),
            name,
            dir,
        }
    }

    /// The URL with the test password in it (the scratch server trusts any password).
    pub fn url_with_password(&self) -> String {
        let mut url = url::Url::parse(&self.url).expect("url");
        url.set_password(Some(PASSWORD)).expect("set password");
        url.to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Writes a file into `migrations/`.
    pub fn write(&self, name: &str, sql: &str) -> &Self {
        std::fs::write(self.migrations().join(name), sql).expect("write migration");
        self
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.migrations().join(name)).expect("remove migration");
    }

    /// The ferry binary, run in this test's directory against this test's database, with
    /// none of the developer's connection variables leaking in.
    pub fn ferry(&self) -> Command {
        let mut cmd = Command::cargo_bin("ferry").expect("ferry binary");
        for (key, _) in std::env::vars() {
            if key == "DATABASE_URL"
                || key.starts_with("PG")
                || key.starts_with("DB_")
                || key.starts_with("FERRY_")
            {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(self.dir.path())
            .env("DATABASE_URL", &self.url)
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn client(&self) -> Client {
        server().client(&self.name)
    }

    pub fn exec(&self, sql: &str) {
        self.client()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// First column of every row, as text.
    pub fn column(&self, sql: &str) -> Vec<String> {
        self.client()
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    Some(r.get(0).unwrap_or("NULL").to_string())
                }
                _ => None,
            })
            .collect()
    }

    pub fn one(&self, sql: &str) -> String {
        let mut rows = self.column(sql);
        assert_eq!(rows.len(), 1, "{sql} returned {rows:?}");
        rows.remove(0)
    }

    /// golang-migrate's row, as `version dirty` or `empty`.
    pub fn version_row(&self) -> String {
        let rows = self.column(
            "SELECT version || CASE WHEN dirty THEN ' t' ELSE ' f' END FROM schema_migrations",
        );
        match rows.as_slice() {
            [] => "empty".to_string(),
            [one] => one.clone(),
            many => panic!("schema_migrations has {} rows: {many:?}", many.len()),
        }
    }

    /// `pg_dump --schema-only` of this database, without the lines that differ between
    /// any two dumps (comments, and the random `\restrict` key of newer pg_dump).
    pub fn schema_dump(&self) -> String {
        let out = Process::new(pg_bin("pg_dump"))
            .args(["--schema-only", "--dbname"])
            .arg(&self.url)
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| {
                !l.starts_with("--")
                    && !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn tables(&self) -> Vec<String> {
        self.column(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept database {} for inspection", self.name);
            return;
        }
        let server = server();
        let _ = server.client(&server.admin_db()).batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        ));
    }
}

/// stdout and stderr of a finished command, as text.
pub fn output(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
