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

mod api;
mod cli;
mod conn;
mod db;
mod duration;
mod engine;
mod error;
mod events;
#[cfg(test)]
mod layers;
mod lines;
mod migration;
mod plan;
mod pool;
mod schema;
mod seed_csv;
mod shadow;
mod source;
mod sql;

pub use api::embed;
pub use api::testing;

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use api::asynchronous::AsyncMigrator;
pub use api::{
    Applied, ClientMigrator, Direction, Error, Event, LockMode, MigrationError, MigrationStatus,
    Migrator, Source, State, TargetResult, Version,
};
pub use ferry_macros::embed_migrations;

/// What ferry's own binary, tests, fuzzers and benchmarks reach inside the crate. Not
/// part of the library's API: it changes whenever the internals do.
#[doc(hidden)]
pub mod internals {
    pub use crate::cli::args::Cli;
    pub use crate::cli::run;
    pub use crate::conn::pgpass;
    pub use crate::conn::ConnParams;
    pub use crate::db::lock::key as lock_key;
    pub use crate::source::files::version_of;
    pub use crate::sql::{classify, split};

    /// The snapshot of the database at `url` as JSON, read both ways: in one simple-query
    /// message (the CLI) and through prepared statements (`ferry test`). The tests compare
    /// them.
    pub fn schema_snapshots_both_ways(url: &str) -> Result<(String, String), String> {
        let params = ConnParams::parse(url).map_err(|e| e.to_string())?;
        let mut client = crate::conn::connect(&params).map_err(|e| format!("{e:#}"))?;
        let filter = crate::schema::Filter::default();
        let simple =
            crate::schema::catalog::read(&mut client, &filter).map_err(|e| format!("{e:#}"))?;
        let prepared = crate::schema::catalog::Prepared::new(&mut client)
            .and_then(|p| p.read(&mut client, &filter))
            .map_err(|e| format!("{e:#}"))?;
        Ok((simple.to_json().to_string(), prepared.to_json().to_string()))
    }
}
