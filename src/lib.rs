//! ferry: PostgreSQL migrations and the everyday database chores around them — a CLI,
//! and this library, with which a service migrates itself at start-up under the same
//! lock, bookkeeping and safety rules, so the CLI and any number of replicas can migrate
//! one database in any order.
//!
//! # Blocking
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
//! These calls block. Made inside an async runtime they still work (they do their work on
//! a thread of their own), but a tokio service should await the async API instead.
//!
//! # On tokio (feature `tokio`)
//!
//! The same calls as `async fn`s ([`AsyncMigrator`]), on a connection of ferry's own, a
//! `tokio_postgres::Client` the service keeps, or a pooled one (deadpool-postgres, bb8):
//!
//! ```no_run
//! # #[cfg(feature = "tokio")]
//! # async fn start(pool: deadpool_postgres::Pool) -> Result<(), Box<dyn std::error::Error>> {
//! let migrator = ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?
//!     .database_url(std::env::var("DATABASE_URL")?);
//!
//! // ferry's own connection, opened from the URL for the call:
//! let applied = migrator.on_database_url().up().await?;
//!
//! // or a client the service already has:
//! let client = pool.get().await?;
//! let version = migrator.on(&client).version().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Dropping the future part way (a start-up timeout) leaves the database consistent and
//! the lock free; see [`AsyncMigrator`].
//!
//! # With sqlx (feature `sqlx`)
//!
//! In place of `sqlx::migrate!("./migrations").run(&pool).await`:
//!
//! ```no_run
//! # #[cfg(feature = "sqlx")]
//! # async fn start(pool: sqlx::PgPool) -> Result<(), ferry::Error> {
//! ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?
//!     .on_pool(&pool)
//!     .up()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! A database sqlx migrated (`_sqlx_migrations`) is refused until `ferry adopt sqlx` has
//! recorded its versions in ferry's table.
//!
//! # Embedding, events, errors
//!
//! [`embed_migrations!`] compiles a directory's files into the binary, no build script
//! needed (see [`embed`]); their checksums are the ones the CLI computes from the files.
//! [`Migrator::on_event`] hands each [`Event`] (a migration done, with its duration; a
//! wait for the lock, naming the holder; an applied file edited since) to a callback; with
//! the feature `tracing` they are `tracing` events as well (target `ferry`). Every failure
//! is an [`Error`] whose variant says what to do about it: `Error::Dirty { version, .. }`,
//! `Error::LockTimeout { holder, .. }`, `Error::Migration` (file, line, column, SQLSTATE),
//! `Error::Invalid { problems }`, `Error::Connect`, `Error::Other`.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "tokio")]
mod asynchronous;
mod cli;
mod commands;
mod compat;
mod config;
mod conn;
mod db;
mod duration;
pub mod embed;
mod engine;
mod error;
mod interrupt;
mod library;
mod lines;
mod migration;
mod plan;
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
    TargetResult, Version,
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
            if let Some(command) = format_not_taken(&err) {
                eprintln!(
                    "error: `ferry {command}` prints no results, so it takes no --format; --format \
                     text|json is an option of {}",
                    cli::FORMAT_COMMANDS
                );
                return 2;
            }
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
    for ignored in env.ignored() {
        Reporter::new(config::Output::plain(), None).warn(&ignored);
    }
    let mut env_vars = env.prefixed(source::template::ENV_PREFIX);
    env_vars.extend(env.prefixed(source::template::SECRET_ENV_PREFIX));
    let config = match Config::resolve(&cli.global, format, &|name| env.get(name), env_vars) {
        Ok(config) => config,
        Err(err) => return fail(&err, None, json),
    };
    interrupt::install();
    ui::panic::install(config.password());
    let mut report = Reporter::new(config.output, config.password())
        .hiding(config.sslpassword())
        .showing(config.shown_names());
    for secret in config.vars.secret_values() {
        report = report.hiding(Some(secret));
    }
    let ctx = Ctx { config, report };
    let code = match commands::dispatch(cli.command, &ctx) {
        Ok(()) => 0,
        Err(err) => fail(&err, Some(&ctx.report), json),
    };
    // The handler cancelled what ran, which may have ended the command before the handler
    // could exit: the exit code is still the interrupt's.
    if interrupt::quitting() {
        return interrupt::EXIT_CODE;
    }
    code
}

/// The command a `--format` was given to that has none.
fn format_not_taken(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if err.kind() != clap::error::ErrorKind::UnknownArgument {
        return None;
    }
    let arg = match err.get(ContextKind::InvalidArg)? {
        ContextValue::String(arg) => arg,
        _ => return None,
    };
    if arg != "--format" && !arg.starts_with("--format=") {
        return None;
    }
    let usage = err.get(ContextKind::Usage)?.to_string();
    usage
        .split_whitespace()
        .skip_while(|w| !w.ends_with("ferry"))
        .nth(1)
        .map(str::to_string)
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
