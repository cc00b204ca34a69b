//! The library API (re-exported at the crate root): [`Migrator`] runs the same engine as
//! the CLI on a connection it opens or one the caller lends, and every failure is an
//! [`Error`].

#[cfg(feature = "tokio")]
pub(crate) mod asynchronous;
pub mod embed;
#[cfg(feature = "sqlx")]
mod sqlx_wire;
pub mod testing;
#[cfg(feature = "tracing")]
mod tracing_events;

use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use postgres::Client;

use crate::api::embed::EmbeddedFile;
use crate::conn::{connect, ConnParams};
use crate::db::state::TableName;
use crate::db::{Conn, Session};
use crate::engine::{self, Request};
use crate::error::{self as typed, Detail, Kind};
use crate::events::Events;
use crate::migration::{Migration, Repeatable};
use crate::plan::Operation;
use crate::source::files;
use crate::source::template::{self, Vars};

pub use crate::db::LockMode;
pub use crate::engine::{Applied, MigrationError};
pub use crate::events::Event;
pub use crate::plan::{Direction, MigrationStatus, State};

/// Runs a set of migrations against a database. Cheap to clone and safe to share: every
/// call opens (or borrows) its own connection and takes the migration lock.
///
/// The methods here block; inside an async runtime they do their work on a thread of
/// their own, so they never stall or abort the runtime, but a service on tokio should use
/// the async API instead (feature `tokio`: [`Migrator::on`], [`Migrator::on_database_url`];
/// feature `sqlx`: `Migrator::on_pool`).
#[derive(Clone)]
pub struct Migrator {
    migrations: Arc<[Migration]>,
    repeatables: Arc<[Repeatable]>,
    database_url: Option<String>,
    table: String,
    /// The lock wait and each migration's lock timeout and retries (lint is never strict
    /// here, and migrations go together as in the CLI).
    settings: engine::Settings,
    lock_mode: LockMode,
    on_event: Option<Arc<EventCallback>>,
    password: Option<Arc<PasswordProvider>>,
}

/// What [`Migrator::password_provider`] calls.
type PasswordProvider = dyn Fn() -> Result<String, String> + Send + Sync;

/// What [`Migrator::on_event`] calls.
type EventCallback = dyn Fn(&Event<'_>) + Send + Sync;

impl fmt::Debug for Migrator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("migrations", &self.migrations.len())
            .field("table", &self.table)
            .field("lock_timeout", &self.settings.lock_timeout)
            .field("ddl", &self.settings.ddl)
            .field("lock_mode", &self.lock_mode)
            .field("on_event", &self.on_event.is_some())
            .field("password_provider", &self.password.is_some())
            .finish_non_exhaustive()
    }
}

/// One database's result of a call over many ([`Migrator::up_each`]).
#[derive(Debug)]
pub struct TargetResult {
    /// The target as given, its password masked.
    pub target: String,
    pub result: Result<Vec<Applied>, Error>,
}

/// A target as shown: its URL with the password masked (or the text masked, when it
/// does not parse).
pub(crate) fn shown_target(url: &str) -> String {
    match ConnParams::parse(url) {
        Ok(params) => params.display_url(),
        Err(_) => crate::conn::redact(url, None),
    }
}

/// The current version, as `ferry version` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub version: Option<i64>,
    pub dirty: bool,
}

/// A [`Migrator`] on a connection the caller lent (see [`Migrator::with_client`]): the
/// same calls, on that connection.
pub struct ClientMigrator<'a> {
    migrator: &'a Migrator,
    client: &'a mut Client,
}

impl ClientMigrator<'_> {
    /// Applies every pending migration; returns what ran (empty when up to date).
    pub fn up(self) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UP)
    }

    /// Applies the pending migrations up to and including `version`.
    pub fn up_to(self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UpTo { version })
    }

    /// Rolls back the last `n` applied migrations, newest first.
    pub fn down(self, n: usize) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::down(n))
    }

    /// Moves up or down until `version` (a migration's version) is the current one.
    pub fn goto(self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::goto(version))
    }

    /// The current version; reads only.
    pub fn version(self) -> Result<Version, Error> {
        let (migrator, client) = (self.migrator, self.client);
        off_runtime(|| migrator.version_on(Conn::Borrowed(client), &Lent::default()))
    }

    /// Every migration the files or the database know, with its state; reads only.
    pub fn status(self) -> Result<Vec<MigrationStatus>, Error> {
        let (migrator, client) = (self.migrator, self.client);
        off_runtime(|| migrator.status_on(Conn::Borrowed(client), &Lent::default()))
    }

    fn migrate(self, operation: Operation) -> Result<Vec<Applied>, Error> {
        let (migrator, client) = (self.migrator, self.client);
        off_runtime(|| {
            migrator.run_on(
                Conn::Borrowed(client),
                &Lent::default(),
                operation,
                &AtomicBool::new(false),
            )
        })
    }
}

/// Where a [`Migrator`]'s migrations come from — a directory or files compiled in — and
/// the values of their template placeholders: the one way to describe them
/// ([`Migrator::from_source`]).
pub struct Source<'a> {
    files: Files<'a>,
    vars: Vec<(String, String)>,
}

enum Files<'a> {
    Dir(std::path::PathBuf),
    Embedded(&'a [EmbeddedFile]),
}

impl<'a> Source<'a> {
    /// The `.sql` files of a directory.
    pub fn dir(dir: impl AsRef<Path>) -> Source<'static> {
        Source {
            files: Files::Dir(dir.as_ref().to_path_buf()),
            vars: Vec::new(),
        }
    }

    /// Files compiled in with [`embed_migrations!`](crate::embed_migrations).
    pub fn embedded(files: &'a [EmbeddedFile]) -> Source<'a> {
        Source {
            files: Files::Embedded(files),
            vars: Vec::new(),
        }
    }

    /// A value for the placeholder `${name}` of `-- ferry:template` files.
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.push((name.to_string(), value.to_string()));
        self
    }
}

/// A library caller's placeholder values, over the process's `FERRY_VAR_*` variables.
fn library_vars(vars: &[(&str, &str)]) -> Vars {
    Vars::new(
        vars.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        std::env::vars()
            .filter(|(k, _)| {
                k.starts_with(template::ENV_PREFIX) || k.starts_with(template::SECRET_ENV_PREFIX)
            })
            .collect(),
    )
}

impl Migrator {
    /// Reads and checks a migrations directory (every file problem is an
    /// [`Error::Invalid`]). Placeholders in `-- ferry:template` files take their values
    /// from the `FERRY_VAR_*` environment variables, as the CLI's do.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        Self::from_source(Source::dir(dir))
    }

    /// Migrations compiled in with [`embed_migrations!`](crate::embed_migrations); template
    /// placeholders as in [`from_dir`](Self::from_dir).
    pub fn from_embedded(files: &[EmbeddedFile]) -> Result<Self, Error> {
        Self::from_source(Source::embedded(files))
    }

    /// The migrations `source` describes: a directory or embedded files, with values for
    /// template placeholders (which win over the `FERRY_VAR_*` variables).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), ferry::Error> {
    /// let migrator = ferry::Migrator::from_source(ferry::Source::dir("migrations").var("TENANT", "acme"))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_source(source: Source<'_>) -> Result<Self, Error> {
        let vars: Vec<(&str, &str)> = source
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let vars = library_vars(&vars);
        let all = match source.files {
            Files::Dir(dir) => {
                files::load(&dir, &vars).and_then(|loaded| loaded.valid(&dir.display().to_string()))
            }
            Files::Embedded(files) => {
                files::load_embedded(files, &vars).valid("the embedded migrations")
            }
        }
        .map_err(Error::from_internal)?;
        Ok(Self::new(all))
    }

    /// [`from_dir`](Self::from_dir) with values for template placeholders (`("TENANT",
    /// "acme")` fills `${TENANT}`), which win over the `FERRY_VAR_*` variables.
    #[deprecated(note = "use `Migrator::from_source(Source::dir(dir).var(name, value))`")]
    pub fn from_dir_with_vars(dir: impl AsRef<Path>, vars: &[(&str, &str)]) -> Result<Self, Error> {
        Self::from_source(vars.iter().fold(Source::dir(dir), |s, (k, v)| s.var(k, v)))
    }

    /// [`from_embedded`](Self::from_embedded) with values for template placeholders.
    #[deprecated(note = "use `Migrator::from_source(Source::embedded(files).var(name, value))`")]
    pub fn from_embedded_with_vars(
        files: &[EmbeddedFile],
        vars: &[(&str, &str)],
    ) -> Result<Self, Error> {
        Self::from_source(
            vars.iter()
                .fold(Source::embedded(files), |s, (k, v)| s.var(k, v)),
        )
    }

    fn new((migrations, repeatables): (Vec<Migration>, Vec<Repeatable>)) -> Self {
        Migrator {
            migrations: migrations.into(),
            repeatables: repeatables.into(),
            database_url: None,
            table: crate::db::state::DEFAULT_TABLE.to_string(),
            settings: engine::Settings::default(),
            lock_mode: LockMode::Session,
            on_event: None,
            password: None,
        }
    }

    /// A `postgres://` URL or libpq `key=value` string (`x-migrations-table` honoured).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }

    /// The bookkeeping table, `table` or `schema.table` (default `schema_migrations`).
    pub fn table(mut self, name: impl Into<String>) -> Self {
        self.table = name.into();
        self
    }

    /// How long to wait for another replica's (or the CLI's) run (default 15 s).
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.settings.lock_timeout = timeout;
        self
    }

    /// How long each migration may wait for a table lock before it is rolled back and
    /// tried again (default 5 s; zero waits forever), as `--ddl-lock-timeout`.
    pub fn ddl_lock_timeout(mut self, timeout: Duration) -> Self {
        self.settings.ddl.lock_timeout = timeout;
        self
    }

    /// How runs exclude each other (default [`LockMode::Session`]); behind a transaction
    /// pooler (PgBouncer, Supavisor) use [`LockMode::Transaction`], as `--lock-mode`.
    pub fn lock_mode(mut self, mode: LockMode) -> Self {
        self.lock_mode = mode;
        self
    }

    /// How often a migration that timed out waiting for a lock is tried again (default 3).
    pub fn ddl_retries(mut self, retries: u32) -> Self {
        self.settings.ddl.retries = retries;
        self
    }

    /// Whether each applied migration's SQL (its up and down files as they ran) is kept in
    /// its history row (default: kept), so that `ferry down` from an older build can undo
    /// it; `false` as `--no-store-sql`.
    pub fn store_sql(mut self, keep: bool) -> Self {
        self.settings.store_sql = keep;
        self
    }

    /// Calls `callback` with each [`Event`] of every run, as it happens: each migration
    /// started and done (with its duration), a wait for the lock (naming the holder), a
    /// retry after a lock timeout, warnings such as an applied file edited since. Called
    /// from the thread doing the work; keep it short. With the feature `tracing` the same
    /// events are also `tracing` events (target `ferry`), callback or not.
    pub fn on_event(mut self, callback: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(callback));
        self
    }

    /// Fetches the password for each connection ferry opens from
    /// [`database_url`](Self::database_url), instead of the URL's: for short-lived
    /// tokens (RDS or Cloud SQL IAM authentication), which a long-running service
    /// cannot put in a URL once. An `Err` is the reason, reported as
    /// [`Error::Connect`].
    pub fn password_provider(
        mut self,
        provider: impl Fn() -> Result<String, String> + Send + Sync + 'static,
    ) -> Self {
        self.password = Some(Arc::new(provider));
        self
    }

    /// The migrations, in version order.
    pub fn migrations(&self) -> impl Iterator<Item = (i64, &str)> {
        self.migrations.iter().map(|m| (m.version, m.name.as_str()))
    }

    /// Applies every pending migration; returns what ran (empty when up to date).
    pub fn up(&self) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UP)
    }

    /// Applies the pending migrations up to and including `version`.
    pub fn up_to(&self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UpTo { version })
    }

    /// [`up`](Self::up) on a connection the caller keeps: `with_client(client).up()`.
    pub fn up_with_client(&self, client: &mut Client) -> Result<Vec<Applied>, Error> {
        self.with_client(client).up()
    }

    /// Every call of this migrator, on a connection the caller keeps (and that ferry
    /// leaves as it found it): the blocking twin of [`on`](Self::on).
    pub fn with_client<'a>(&'a self, client: &'a mut Client) -> ClientMigrator<'a> {
        ClientMigrator {
            migrator: self,
            client,
        }
    }

    /// Moves up or down until `version` (a migration's version) is the current one.
    pub fn goto(&self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::goto(version))
    }

    /// Rolls back the last `n` applied migrations, newest first.
    pub fn down(&self, n: usize) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::down(n))
    }

    /// The current version; reads only.
    pub fn version(&self) -> Result<Version, Error> {
        off_runtime(|| {
            let (params, mut client) = self.connect()?;
            self.version_on(Conn::Borrowed(&mut client), &Lent::Own(Box::new(params)))
        })
    }

    /// Every migration the files or the database know, with its state; reads only.
    pub fn status(&self) -> Result<Vec<MigrationStatus>, Error> {
        off_runtime(|| {
            let (params, mut client) = self.connect()?;
            self.status_on(Conn::Borrowed(&mut client), &Lent::Own(Box::new(params)))
        })
    }

    /// [`up`](Self::up) on each of `urls` (a database per tenant, on any servers),
    /// `jobs` at a time, each with its own connection and its own lock; a result per
    /// target, in the order given. One target failing does not stop the others.
    pub fn up_each<S: AsRef<str> + Sync>(&self, urls: &[S], jobs: usize) -> Vec<TargetResult> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let take = || {
            Some(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst)).filter(|i| *i < urls.len())
        };
        crate::pool::run(urls.len(), jobs, take, |i| {
            let url = urls[i].as_ref();
            TargetResult {
                target: shown_target(url),
                result: self.clone().database_url(url).up(),
            }
        })
        .into_iter()
        .flatten()
        .collect()
    }

    fn migrate(&self, call: Operation) -> Result<Vec<Applied>, Error> {
        off_runtime(|| {
            let (params, mut client) = self.connect()?;
            self.run_on(
                Conn::Borrowed(&mut client),
                &Lent::Own(Box::new(params)),
                call,
                &AtomicBool::new(false),
            )
        })
    }

    /// The table set with [`table`](Self::table), else the URL's `x-migrations-table`
    /// (read as golang-migrate reads it), else the default — for every call alike.
    fn table_name(&self, conn: &Lent) -> Result<TableName, Error> {
        let default = ConnParams::default();
        let params = match conn {
            Lent::Own(params) => params,
            Lent::Lent => &default,
        };
        let invalid = |e: anyhow::Error| Error::invalid(format!("{e:#}"));
        if self.table != crate::db::state::DEFAULT_TABLE {
            return TableName::parse(&self.table).map_err(invalid);
        }
        Ok(TableName::from_url(
            params.migrations_table_quoted.as_ref(),
            params.migrations_table.as_deref(),
        )
        .map_err(invalid)?
        .unwrap_or_default())
    }

    /// The connection settings from [`database_url`](Self::database_url).
    pub(crate) fn params(&self) -> Result<ConnParams, Error> {
        let url = self.database_url.as_deref().ok_or_else(|| {
            Error::invalid("no database given: call .database_url(url) before migrating")
        })?;
        let mut params = ConnParams::parse(url).map_err(Error::from_internal)?;
        if let Some(provider) = self.password.clone() {
            params.use_password_command(crate::conn::params::PasswordSource::Provider(provider));
        }
        Ok(params)
    }

    fn connect(&self) -> Result<(ConnParams, Client), Error> {
        let params = self.params()?;
        let client = connect(&params).map_err(Error::connect)?;
        Ok((params, client))
    }

    /// One migrating call on a session over `conn`: the engine, as the CLI runs it.
    pub(crate) fn run_on(
        &self,
        conn: Conn<'_>,
        whose: &Lent,
        call: Operation,
        stop: &AtomicBool,
    ) -> Result<Vec<Applied>, Error> {
        let table = self.table_name(whose)?;
        let repeatables: &[Repeatable] = if call.runs_repeatables() {
            &self.repeatables
        } else {
            &[]
        };
        let request = Request::new(call.command(), &self.settings, repeatables, stop);
        let events = LibraryEvents(self.on_event.as_deref());
        Session::on(conn, &table, whose.params(), self.lock_mode)
            .and_then(|mut session| {
                // Going down, an applied version this build has no file for is read back
                // from the SQL the history keeps, as the CLI does.
                let kept;
                let migrations = match call {
                    Operation::Down { .. } | Operation::Goto { .. } => {
                        let (all, read_back) =
                            engine::with_kept(&mut session, self.migrations.to_vec(), false)?;
                        for (version, name, _) in read_back {
                            events.on(Event::Note(&format!(
                                "version {version} ({name}) is not in this build: its SQL \
                                 comes from the history"
                            )));
                        }
                        kept = all;
                        kept.as_slice()
                    }
                    _ => &self.migrations[..],
                };
                engine::run(&mut session, migrations, &request, &events, |f, v| {
                    call.plan(f, v)
                })
            })
            .map(|outcome| outcome.done)
            .map_err(Error::from_internal)
    }

    pub(crate) fn version_on(&self, conn: Conn<'_>, whose: &Lent) -> Result<Version, Error> {
        let table = self.table_name(whose)?;
        let snapshot = Session::on(conn, &table, None, self.lock_mode)
            .and_then(|mut session| session.version())
            .map_err(Error::from_internal)?;
        Ok(Version {
            version: snapshot.version,
            dirty: snapshot.dirty,
        })
    }

    pub(crate) fn status_on(
        &self,
        conn: Conn<'_>,
        whose: &Lent,
    ) -> Result<Vec<MigrationStatus>, Error> {
        let table = self.table_name(whose)?;
        let snapshot = Session::on(conn, &table, None, self.lock_mode)
            .and_then(|mut session| session.snapshot())
            .map_err(Error::from_internal)?;
        Ok(engine::status(&snapshot, &self.migrations, &[]).entries)
    }
}

/// Whose connection a call runs on.
#[derive(Debug, Default)]
pub(crate) enum Lent {
    /// ferry's own, opened from these settings (whose `x-migrations-table` counts).
    Own(Box<ConnParams>),
    /// The service's.
    #[default]
    Lent,
}

impl Lent {
    fn params(&self) -> Option<&ConnParams> {
        match self {
            Lent::Own(params) => Some(params),
            Lent::Lent => None,
        }
    }
}

/// Runs `work` on a thread of its own, which the caller waits for: the blocking driver
/// starts a runtime of its own, which tokio forbids on a runtime's thread (it aborts the
/// process). A thread costs tens of microseconds; a migration, milliseconds at least.
fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    #[cfg(feature = "tracing")]
    let work = crate::api::tracing_events::carry(work);
    std::thread::scope(|scope| match scope.spawn(work).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// The engine's events, to the service's callback and, with the feature, to `tracing`.
struct LibraryEvents<'a>(Option<&'a EventCallback>);

impl Events for LibraryEvents<'_> {
    fn on(&self, event: Event<'_>) {
        #[cfg(feature = "tracing")]
        crate::api::tracing_events::emit(&event);
        if let Some(callback) = self.0 {
            callback(&event);
        }
    }
}

/// What can go wrong, by what the caller may want to do about it. Each variant carries
/// its facts as fields, and displays as the message the CLI would print.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A no-transaction migration stopped part way earlier (the version row is dirty at
    /// `version`; `None` is golang-migrate's -1): a person must look, then `ferry force`.
    /// The message says which migration and which commands.
    Dirty {
        version: Option<i64>,
        message: String,
    },
    /// Another run held the migration lock past the timeout: `holder` names its session.
    LockTimeout { holder: String, message: String },
    /// A migration failed: its file, line, column and the server's error. The database
    /// is where it was (or dirty, for a no-transaction migration: `dirty` says).
    Migration(Box<MigrationError>),
    /// The files, the files against the database (out of order), or the settings are
    /// wrong: one line per problem.
    Invalid { problems: Vec<String> },
    /// The database could not be reached or refused ferry (the message says why).
    Connect { message: String },
    /// Anything else the server or the system answered.
    Other { message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Dirty { message, .. }
            | Error::LockTimeout { message, .. }
            | Error::Connect { message }
            | Error::Other { message } => f.write_str(message),
            Error::Invalid { problems } => f.write_str(&problems.join("\n")),
            Error::Migration(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Migration(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The library's error for one of the crate's own, by the data it carries (never by
    /// its text).
    pub(crate) fn from_internal(err: anyhow::Error) -> Self {
        if let Some(m) = err.chain().find_map(|c| c.downcast_ref::<MigrationError>()) {
            return Error::Migration(Box::new(m.clone()));
        }
        let message = format!("{err:#}");
        let Some(typed) = err.chain().find_map(|c| c.downcast_ref::<typed::Error>()) else {
            return Error::Other { message };
        };
        match (&typed.kind, &typed.detail) {
            (_, Detail::Dirty { version }) => Error::Dirty {
                version: *version,
                message,
            },
            (_, Detail::LockHeld { holder }) => Error::LockTimeout {
                holder: holder.clone(),
                message,
            },
            (_, Detail::Problems(problems)) => Error::Invalid {
                problems: problems.clone(),
            },
            (
                Kind::Invalid
                | Kind::Usage
                | Kind::Refused
                | Kind::CurrentFileMissing
                | Kind::OutOfOrder
                | Kind::NoSuchVersion,
                _,
            ) => Error::Invalid {
                problems: vec![message],
            },
            _ => Error::Other { message },
        }
    }

    /// A failure to reach the database.
    pub(crate) fn connect(err: anyhow::Error) -> Self {
        Error::Connect {
            message: format!("{err:#}"),
        }
    }

    pub(crate) fn invalid(problem: impl Into<String>) -> Self {
        Error::Invalid {
            problems: vec![problem.into()],
        }
    }
}
