//! The schema's fingerprint: after a run that changed the schema, the hash of the
//! database's snapshot is recorded in its history (once per run), and `ferry drift` reads
//! the schema, the bookkeeping and that hash together under the migration key. The hash
//! is of the snapshot the default filter keeps (every user schema but ferry's tables), or
//! of one schema for a schema-per-tenant fleet.

use std::time::Duration;

use crate::db::fingerprint::Recorded;
use crate::db::state::{Snapshot as State, Tables};
use crate::db::Session;
use crate::events::Events;
use crate::schema::{catalog, Filter, Snapshot};

/// The recorded hash's format: a build that reads the catalogs differently writes another,
/// and hashes of two formats are never compared (the full comparison decides then).
pub(crate) const FORMAT: &str = "s1";

/// Which objects a run's recorded hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope<'a> {
    /// Nothing is recorded (the shadow's replays).
    Off,
    /// Every user schema.
    Database,
    /// One schema: a target of a schema-per-tenant fleet.
    Schema(&'a str),
}

/// The filter a hash of `scope` is taken with, for the bookkeeping `tables`.
pub(crate) fn filter(scope: Scope<'_>, tables: &Tables) -> Filter {
    let schemas = match scope {
        Scope::Schema(schema) => vec![schema.to_string()],
        Scope::Off | Scope::Database => Vec::new(),
    };
    Filter {
        schemas,
        ..Filter::default()
    }
    .with_bookkeeping(Some(&tables.schema), &tables.name)
}

/// The text recorded for `snapshot`.
pub(crate) fn hash_of(snapshot: &Snapshot) -> String {
    format!("{FORMAT}:{}", snapshot.hash())
}

/// Records the hash of the schema `scope` covers on the last history row, after a run
/// that changed it (the caller still holds the migration lock).
pub(crate) fn record(
    session: &mut Session<'_>,
    scope: Scope<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    if scope == Scope::Off {
        return Ok(());
    }
    let filter = filter(scope, &session.tables);
    session.record_fingerprint(&catalog::queries_sql(), events, |statements| {
        hash_of(&catalog::from_rows(statements, &filter))
    })
}

/// A database as `drift` sees it: its bookkeeping, the hash recorded last and its schema,
/// read together.
pub(crate) struct Observed {
    pub state: State,
    pub recorded: Option<Recorded>,
    pub snapshot: Snapshot,
}

impl Observed {
    /// Whether the recorded hash is one this build compares, and equals `live`'s.
    pub(crate) fn matches_record(&self, live: &Snapshot) -> Option<bool> {
        let recorded = self.recorded.as_ref()?.hash.as_deref()?;
        recorded
            .starts_with(&format!("{FORMAT}:"))
            .then(|| recorded == hash_of(live))
    }
}

/// Reads the database `session` is on under the migration key (a run in flight finishes
/// first; waits at most `wait`): its bookkeeping, the hash recorded last, and its schema as
/// `filter` keeps it.
pub(crate) fn observe(
    session: &mut Session<'_>,
    filter: &Filter,
    wait: Duration,
    events: &dyn Events,
) -> anyhow::Result<Observed> {
    let read = session.read_under_key(&catalog::queries_sql(), wait, events)?;
    Ok(Observed {
        state: read.state,
        recorded: read.recorded,
        snapshot: catalog::from_rows(read.statements, filter),
    })
}
