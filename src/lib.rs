//! ferry: PostgreSQL migrations and the everyday database chores around them — a CLI,
//! and this library, with which a service migrates itself at start-up under the same
//! lock, bookkeeping and safety rules, so the CLI and any number of replicas can migrate
//! one database in any order.
//!
//! ```no_run
//! # fn main() -> Result<(), ferry::Error> {
//! let applied = ferry::Migrator::from_dir("migrations")?
//!     .database_url("postgres://app:secret@localhost:5432/app")
//!     .table("schema_migrations")
//!     .up()?;
//! for m in &applied {
//!     println!("applied {} {} in {:.1} ms", m.version, m.name, m.duration_ms);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! With the SQL compiled into the binary (see [`embed`]):
//! `Migrator::from_embedded(ferry::embed_migrations!("migrations"))?`. Every failure is an
//! [`Error`] whose variant says what to do about it.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "tokio")]
mod asynchronous;
mod cli;
mod commands;
mod compat;
mod config;
mod conn;
mod db;
pub mod embed;
mod engine;
mod error;
mod interrupt;
mod library;
mod seed_csv;
mod source;
mod sql;
#[cfg(feature = "sqlx")]
mod sqlx_wire;
#[cfg(feature = "tracing")]
mod tracing_events;
mod ui;

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use asynchronous::AsyncMigrator;
pub use ferry_macros::embed_migrations;
pub use library::{
    Applied, Direction, Error, Event, LockMode, MigrationError, MigrationStatus, Migrator, State,
    Version,
};

/// What ferry's own binary, tests, fuzzers and benchmarks reach inside the crate. Not
/// part of the library's API: it changes whenever the internals do.
#[doc(hidden)]
pub mod internals {
    pub use crate::cli::Cli;
    pub use crate::conn::pgpass;
    pub use crate::conn::ConnParams;
    pub use crate::db::lock::key as lock_key;
    pub use crate::run;
    pub use crate::source::files::version_of;
    pub use crate::sql::split;
}

use std::ffi::OsString;

use clap::Parser;
use serde_json::json;

use crate::cli::{Cli, Format};
use crate::commands::Ctx;
use crate::config::{Config, Env};
use crate::ui::report::Reporter;

/// Runs ferry with these arguments (the first is the program name) and returns the exit
/// code: accept golang-migrate's flags, read `.env`, parse the command line, resolve the
/// configuration, dispatch to a command, and turn the outcome into an exit code, printing
/// any error once, redacted, as `error: …`. Even a crash is printed redacted.
#[doc(hidden)]
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = compat::rewrite(args.into_iter().map(Into::into).collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    ui::panic::install(None);
    let format = cli.command.format();
    let json = format == Format::Json;
    // Commands that need no database are not failed by a broken .env: `create` may still
    // find FERRY_PATH in the real environment, `validate` then checks the files alone.
    let env = match (Env::load(&cli.global), cli.command.needs_database()) {
        (Ok(env), _) => env,
        (Err(err), false) => {
            Reporter::new(config::Output::plain(), None).warn(&format!(
                "{err:#}; going on without it, as this command needs no database"
            ));
            Env::default()
        }
        (Err(err), true) => return fail(&err, None, json),
    };
    let config = match Config::resolve(&cli.global, format, &|name| env.get(name)) {
        Ok(config) => config,
        Err(err) => return fail(&err, None, json),
    };
    interrupt::install();
    ui::panic::install(config.password());
    let report = Reporter::new(config.output, config.password());
    let ctx = Ctx { config, report };
    match commands::dispatch(cli.command, &ctx) {
        Ok(()) => 0,
        Err(err) => fail(&err, Some(&ctx.report), json),
    }
}

fn fail(err: &anyhow::Error, report: Option<&Reporter>, json: bool) -> u8 {
    let code = error::exit_code(err);
    let fallback;
    let report = match report {
        Some(r) => r,
        None => {
            fallback = Reporter::new(config::Output::plain(), None);
            &fallback
        }
    };
    let message = format!("{err:#}");
    report.error(&message);
    if json {
        report.document(&json!({"error": {"message": report.clean(&message), "exit_code": code}}));
    }
    code
}
