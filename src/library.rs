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
use crate::db::Session;
use crate::embed::EmbeddedFile;
use crate::engine::events::Silent;
use crate::engine::plan::{self, Known};
use crate::engine::{self, Options, Request};
use crate::error::{self as typed, Kind};
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
        let migrations = files::load_valid(dir)?;
        Ok(Self::new(migrations))
    }

    /// Migrations compiled in with [`embed_migrations!`](crate::embed_migrations).
    pub fn from_embedded(files: &[EmbeddedFile]) -> Result<Self, Error> {
        let migrations = files::load_embedded(files).valid("the embedded migrations")?;
        Ok(Self::new(migrations))
    }

    fn new(migrations: Vec<Migration>) -> Self {
        Migrator {
            migrations,
            database_url: None,
            table: crate::db::state::DEFAULT_TABLE.to_string(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
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
        let mut session = Session::with_client(&mut client, &self.table_name(&params)?)?;
        let snapshot = session.snapshot()?;
        Ok(Version {
            version: snapshot.version,
            dirty: snapshot.dirty,
        })
    }

    /// Every migration the files or the database know, with its state; reads only.
    pub fn status(&self) -> Result<Vec<MigrationStatus>, Error> {
        let (params, mut client) = self.connect()?;
        let mut session = Session::with_client(&mut client, &self.table_name(&params)?)?;
        let snapshot = session.snapshot()?;
        Ok(engine::status(&snapshot, &self.migrations, &[]).entries)
    }

    /// The table set with [`table`](Self::table), else the URL's `x-migrations-table`
    /// (read as golang-migrate reads it), else the default — for every call alike.
    fn table_name(&self, params: &ConnParams) -> Result<TableName, Error> {
        let invalid = |e: anyhow::Error| Error::Invalid(format!("{e:#}"));
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
            Error::Invalid("no database given: call .database_url(url) before migrating".into())
        })?;
        let params = ConnParams::parse(url)?;
        let client = connect(&params)?;
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
        let mut session = Session::with_client(client, &table)?;
        let request = Request {
            command,
            dry_run: false,
            options: Options::default(),
            lock_timeout: self.lock_timeout,
            stop: &AtomicBool::new(false),
        };
        let outcome = engine::run(&mut session, &self.migrations, &request, &Silent, planner)?;
        Ok(outcome.done)
    }
}

/// What can go wrong, by what the caller may want to do about it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A no-transaction migration stopped part way earlier; a person must look, then
    /// `ferry force`. The message says which version and which commands.
    Dirty(String),
    /// Another run held the migration lock past the timeout; the message names it.
    LockTimeout(String),
    /// A migration failed: its file, line, column and the server's error. The database
    /// is where it was (or dirty, for a no-transaction migration: `dirty` says).
    Migration(Box<MigrationError>),
    /// The files (or files against the database: out of order) or the settings are wrong.
    Invalid(String),
    /// Anything else: connecting, I/O.
    Other(anyhow::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Dirty(m) | Error::LockTimeout(m) | Error::Invalid(m) => f.write_str(m),
            Error::Migration(e) => e.fmt(f),
            Error::Other(e) => write!(f, "{e:#}"),
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

impl From<anyhow::Error> for Error {
    fn from(err: anyhow::Error) -> Self {
        if let Some(m) = err.chain().find_map(|c| c.downcast_ref::<MigrationError>()) {
            return Error::Migration(Box::new(m.clone()));
        }
        match err.chain().find_map(|c| c.downcast_ref::<typed::Error>()) {
            Some(e) => match e.kind {
                Kind::Dirty => Error::Dirty(e.message.clone()),
                Kind::LockTimeout => Error::LockTimeout(e.message.clone()),
                Kind::Invalid | Kind::Usage | Kind::Refused => Error::Invalid(e.message.clone()),
                Kind::Interrupted => Error::Other(err),
            },
            None => Error::Other(err),
        }
    }
}
