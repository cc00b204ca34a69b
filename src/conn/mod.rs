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

pub mod child;
pub mod connect;
pub mod defaults;
pub mod params;
pub mod pgpass;
pub mod pgtools;
pub mod redact;
pub mod resolve;
pub mod service;
pub mod sql_only;
pub mod syntax;
pub mod tls;

pub use connect::connect;
pub use params::ConnParams;
pub use redact::redact;
