//! A session with the database: connecting, what the server is, and the bookkeeping
//! tables of this run (`state`), other tools' tables (`foreign`), the lock (`lock`; the
//! session is its guard) and emptying the database (`wipe`). Migrating commands take the
//! lock and make sure the tables exist; read-only commands never write. A session owns its
//! connection (the CLI) or borrows one (a service using ferry as a library,
//! `Migrator::up_with_client`).

mod bookkeeping;
mod catalog;
pub(crate) mod fingerprint;
pub(crate) mod foreign;
mod guard;
pub(crate) mod lease;
pub(crate) mod lock;
pub(crate) mod session;
pub(crate) mod state;
pub(crate) mod stop;
pub(crate) mod wipe;
pub(crate) mod wire;

pub use session::LockMode;
pub(crate) use session::{invalid_indexes, Conn, Session, WindowLease, DEFAULT_LOCK_TIMEOUT};
