//! A session with the database: connecting, what the server is, and the bookkeeping
//! tables of this run (`state`), other tools' tables (`foreign`), the lock (`lock`; the
//! session is its guard) and emptying the database (`wipe`). Migrating commands take the
//! lock and make sure the tables exist; read-only commands never write. A session owns its
//! connection (the CLI) or borrows one (a service using ferry as a library,
//! `Migrator::up_with_client`).

pub mod foreign;
mod guard;
pub mod lease;
pub mod lock;
pub mod session;
pub mod state;
pub mod stop;
pub mod wipe;
pub mod wire;

pub use session::{invalid_indexes, Conn, LockMode, Session, WindowLease, DEFAULT_LOCK_TIMEOUT};
