//! What a run is asked to do and what it returns: the request (command, dry run, options,
//! lock timeout, DDL settings), the outcome, each migration done, lint and status results.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::Serialize;

use super::fingerprint::Scope;
use crate::migration::Repeatable;
use crate::plan::{self, Direction, Step, View};

/// How long each migration may wait for a table lock (`lock_timeout`, zero: forever), and
/// how often one that ran out of time is tried again. A short wait matters: while an
/// `ALTER TABLE` waits for a reader, every new query on that table queues behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ddl {
    pub lock_timeout: Duration,
    pub retries: u32,
}

impl Default for Ddl {
    fn default() -> Self {
        Ddl {
            lock_timeout: Duration::from_secs(5),
            retries: 3,
        }
    }
}

/// How runs go, whoever asks (the CLI's configuration, a fleet's targets, the library's
/// migrator): the wait for the migration lock, DDL lock timeouts and retries, lint's
/// strictness, and whether migrations go one at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub lock_timeout: Duration,
    pub ddl: Ddl,
    pub strict_lint: bool,
    pub one_at_a_time: bool,
    /// Record the schema's hash after a run that changed it (`--no-schema-hash`: not).
    pub schema_hash: bool,
    /// Keep each applied migration's SQL in its history row (`--no-store-sql`: not).
    pub store_sql: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lock_timeout: crate::db::DEFAULT_LOCK_TIMEOUT,
            ddl: Ddl::default(),
            strict_lint: false,
            one_at_a_time: false,
            schema_hash: true,
            store_sql: true,
        }
    }
}

/// What a migrating command asks of the engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    /// `up`, `down`, `goto`: named in the dirty refusal.
    pub command: &'a str,
    /// Read the state and plan, but take no lock and change nothing.
    pub dry_run: bool,
    pub options: Options,
    pub lock_timeout: Duration,
    pub ddl: Ddl,
    /// Refuse (exit 5) when lint finds an error in a migration to apply; otherwise the
    /// findings are warnings.
    pub strict_lint: bool,
    /// Keep each applied migration's SQL in its `up` history row.
    pub store_sql: bool,
    /// The repeatable migrations to bring up to date after the versioned ones (`up` and
    /// `reset`; empty for `down` and `goto`).
    pub repeatables: &'a [Repeatable],
    /// Set (by the CLI's Ctrl-C handler, say) to stop before the next migration and
    /// while waiting for the lock.
    pub stop: &'a AtomicBool,
    /// What the hash recorded after a run that changed the schema covers.
    pub fingerprint: Scope<'a>,
}

impl<'a> Request<'a> {
    /// A run of `command` (`up`, `down`, `goto`, `reset`) under `settings`, bringing
    /// `repeatables` up to date after the versioned migrations, stopped by `stop`: the one
    /// way the CLI, a fleet and the library build a request (a dry run and
    /// `--single-transaction` are the CLI's to add).
    pub(crate) fn new(
        command: &'a str,
        settings: &Settings,
        repeatables: &'a [Repeatable],
        stop: &'a AtomicBool,
    ) -> Self {
        Request {
            command,
            dry_run: false,
            options: Options {
                one_at_a_time: settings.one_at_a_time,
                ..Options::default()
            },
            lock_timeout: settings.lock_timeout,
            ddl: settings.ddl,
            strict_lint: settings.strict_lint,
            store_sql: settings.store_sql,
            repeatables,
            stop,
            fingerprint: if settings.schema_hash {
                Scope::Database
            } else {
                Scope::Off
            },
        }
    }
}

/// What a migrating command did (or, for a dry run, would do).
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub steps: Vec<Step>,
    pub done: Vec<Applied>,
    /// The repeatable migrations applied after the versioned ones (a dry run: due).
    pub repeated: Vec<String>,
}

/// A lint finding in a migration's up script.
#[derive(Debug, Clone)]
pub(crate) struct Linted {
    pub version: i64,
    /// The file, as shown in messages.
    pub label: String,
    pub finding: crate::sql::lint::Finding,
}

impl std::fmt::Display for Linted {
    /// `migrations/3_x.sql:4: index-not-concurrent (error): …; instead: …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rule = self.finding.rule;
        write!(
            f,
            "{}:{}: {} ({}): {}; instead: {} (or `-- ferry:allow {}` in the file)",
            self.label,
            self.finding.line,
            rule.id,
            rule.severity.as_str(),
            self.finding.message,
            rule.instead,
            rule.id
        )
    }
}

/// Where a database stands against the migration files.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    pub view: View,
    /// Every migration the files or the database know, with its state.
    pub entries: Vec<plan::MigrationStatus>,
    /// The database stops inside the newest baseline (`up` refuses it): the baseline's
    /// label, why, and what to do.
    pub inside_baseline: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// All steps in one transaction: all or nothing.
    pub single_transaction: bool,
    /// Never send several migrations together ([`window`]): each goes on its own. What a
    /// run does and reports is the same either way; the tests compare the two.
    pub one_at_a_time: bool,
    /// The migrations' lint findings were judged and shown before the run (`up --trace`):
    /// the run does not lint them again.
    pub linted: bool,
}

/// One migration that ran.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub direction: Direction,
    pub duration_ms: f64,
}
