//! The connection layer: from "how did the user say where the database is"
//! to an open `postgres::Client`, without ever showing the password.
//!
//! It is split by concern so each promise has one home: [`params`] resolves
//! and validates the settings (and owns the precedence between the flag and
//! the environment), [`pgpass`] reads libpq's password file when they carry
//! no password, [`tls`] owns what each `sslmode` verifies, [`connect()`]
//! opens the connection and turns driver errors into actionable one-liners,
//! [`redact()`] is the single scrubber every shown URL and error passes
//! through, [`child`] hands the connection to psql and pg_dump through
//! their environment, and [`pgtools`] finds and runs those tools. The rest of
//! ferry should need only the re-exports below.

pub(crate) mod child;
pub(crate) mod connect;
pub(crate) mod defaults;
pub(crate) mod params;
pub mod pgpass;
pub(crate) mod pgtools;
pub(crate) mod redact;
pub(crate) mod resolve;
pub(crate) mod service;
pub(crate) mod sql_only;
pub(crate) mod syntax;
pub(crate) mod tls;

pub(crate) use connect::connect;
pub use params::ConnParams;
pub(crate) use redact::redact;
