//! The library API (re-exported at the crate root): [`Migrator`] runs the same engine as
//! the CLI on a connection it opens or one the caller lends, and every failure is an
//! [`Error`].

use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use postgres::Client;

use crate::config::DEFAULT_LOCK_TIMEOUT;
use crate::conn::{connect, ConnParams};
use crate::db::state::TableName;
pub use crate::db::LockMode;
use crate::db::Session;
use crate::embed::EmbeddedFile;
use crate::engine::events::Silent;
use crate::engine::plan::{self, Known};
use crate::engine::{self, Options, Request};
use crate::error::{self as typed, Detail, Kind};
use crate::source::files::{self, Migration};

pub use crate::engine::plan::{Direction, Entry as MigrationStatus, State};
pub use crate::engine::{Done as Applied, MigrationError};

/// Runs a set of migrations against a database. Cheap to clone and safe to share: every
/// call opens (or borrows) its own connection and takes the migration lock.
#[derive(Debug, Clone)]
pub struct Migrator {
    migrations: Vec<Migration>,
    database_url: Option<String>,
    table: String,
    lock_timeout: Duration,
    ddl: engine::Ddl,
    lock_mode: LockMode,
}

/// The current version, as `ferry version` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub version: Option<i64>,
    pub dirty: bool,
}

impl Migrator {
    /// Reads and checks a migrations directory (every file problem is an
    /// [`Error::Invalid`]).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let migrations = files::load_valid(dir).map_err(Error::from_internal)?;
        Ok(Self::new(migrations))
    }

    /// Migrations compiled in with [`embed_migrations!`](crate::embed_migrations).
    pub fn from_embedded(files: &[EmbeddedFile]) -> Result<Self, Error> {
        let migrations = files::load_embedded(files)
            .valid("the embedded migrations")
            .map_err(Error::from_internal)?;
        Ok(Self::new(migrations))
    }

    fn new(migrations: Vec<Migration>) -> Self {
        Migrator {
            migrations,
            database_url: None,
            table: crate::db::state::DEFAULT_TABLE.to_string(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            ddl: engine::Ddl::default(),
            lock_mode: LockMode::Session,
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
        self.lock_timeout = timeout;
        self
    }

    /// How long each migration may wait for a table lock before it is rolled back and
    /// tried again (default 5 s; zero waits forever), as `--ddl-lock-timeout`.
    pub fn ddl_lock_timeout(mut self, timeout: Duration) -> Self {
        self.ddl.lock_timeout = timeout;
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
        self.ddl.retries = retries;
        self
    }

    /// The migrations, in version order.
    pub fn migrations(&self) -> impl Iterator<Item = (i64, &str)> {
        self.migrations.iter().map(|m| (m.version, m.name.as_str()))
    }

    /// Applies every pending migration; returns what ran (empty when up to date).
    pub fn up(&self) -> Result<Vec<Applied>, Error> {
        let (params, mut client) = self.connect()?;
        self.run(&mut client, &params, "up", |f, v| {
            plan::plan_up(f, v, None, false)
        })
    }

    /// [`up`](Self::up) on a connection the caller keeps.
    pub fn up_with_client(&self, client: &mut Client) -> Result<Vec<Applied>, Error> {
        self.run(client, &ConnParams::default(), "up", |f, v| {
            plan::plan_up(f, v, None, false)
        })
    }

    /// Rolls back the last `n` applied migrations, newest first.
    pub fn down(&self, n: usize) -> Result<Vec<Applied>, Error> {
        let (params, mut client) = self.connect()?;
        self.run(&mut client, &params, "down", |f, v| {
            plan::plan_down(f, v, Some(n), false)
        })
    }

    /// The current version; reads only.
    pub fn version(&self) -> Result<Version, Error> {
        let (params, mut client) = self.connect()?;
        let table = self.table_name(&params)?;
        let snapshot = Session::with_client(&mut client, &table)
            .and_then(|mut session| session.version())
            .map_err(Error::from_internal)?;
        Ok(Version {
            version: snapshot.version,
            dirty: snapshot.dirty,
        })
    }

    /// Every migration the files or the database know, with its state; reads only.
    pub fn status(&self) -> Result<Vec<MigrationStatus>, Error> {
        let (params, mut client) = self.connect()?;
        let table = self.table_name(&params)?;
        let snapshot = Session::with_client(&mut client, &table)
            .and_then(|mut session| session.snapshot())
            .map_err(Error::from_internal)?;
        Ok(engine::status(&snapshot, &self.migrations, &[]).entries)
    }

    /// The table set with [`table`](Self::table), else the URL's `x-migrations-table`
    /// (read as golang-migrate reads it), else the default — for every call alike.
    fn table_name(&self, params: &ConnParams) -> Result<TableName, Error> {
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

    fn connect(&self) -> Result<(ConnParams, Client), Error> {
        let url = self.database_url.as_deref().ok_or_else(|| {
            Error::invalid("no database given: call .database_url(url) before migrating")
        })?;
        let params = ConnParams::parse(url).map_err(Error::from_internal)?;
        let client = connect(&params).map_err(|e| Error::Connect {
            message: format!("{e:#}"),
        })?;
        Ok((params, client))
    }

    fn run(
        &self,
        client: &mut Client,
        params: &ConnParams,
        command: &str,
        planner: impl FnOnce(&[Known<'_>], &plan::View) -> anyhow::Result<Vec<plan::Step>>,
    ) -> Result<Vec<Applied>, Error> {
        let table = self.table_name(params)?;
        let request = Request {
            command,
            dry_run: false,
            options: Options::default(),
            lock_timeout: self.lock_timeout,
            ddl: self.ddl,
            stop: &AtomicBool::new(false),
        };
        Session::with_client(client, &table)
            .and_then(|mut session| {
                session.mode = self.lock_mode;
                engine::run(&mut session, &self.migrations, &request, &Silent, planner)
            })
            .map(|outcome| outcome.done)
            .map_err(Error::from_internal)
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
    fn from_internal(err: anyhow::Error) -> Self {
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
            (Kind::Invalid | Kind::Usage | Kind::Refused, _) => Error::Invalid {
                problems: vec![message],
            },
            _ => Error::Other { message },
        }
    }

    fn invalid(problem: impl Into<String>) -> Self {
        Error::Invalid {
            problems: vec![problem.into()],
        }
    }
}
