//! A database's schema as data: snapshots read from the catalogs (`catalog`), the model
//! (`snapshot`), canonical SQL in dependency order (`sql`), the differences between two
//! snapshots (`diff`), and every object by PostgreSQL's own names (`inventory`).
//! Read-only: nothing here writes to the database it reads.

pub(crate) mod alter;
pub(crate) mod catalog;
pub(crate) mod diff;
pub(crate) mod filter;
pub(crate) mod inventory;
pub(crate) mod snapshot;
pub(crate) mod sql;
pub(crate) mod viewdef;

pub(crate) use filter::Filter;
pub(crate) use snapshot::Snapshot;

/// The snapshot of the database `params` connects to, read-only.
pub(crate) fn read(params: &crate::conn::ConnParams, filter: &Filter) -> anyhow::Result<Snapshot> {
    let mut client = crate::conn::connect(params)?;
    catalog::read(&mut client, filter)
}
