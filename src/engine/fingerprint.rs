//! The schema's fingerprint: after a run that changed the schema, a value the server
//! computes over the catalog rows of the schema's objects is recorded in its history
//! (once per run, in the same round trip; see `schema::catalog::fingerprint_sql`), and
//! `ferry drift` reads the bookkeeping, that record and the live fingerprint or the whole
//! schema together under the migration key. It covers what the default filter keeps
//! (every user schema but ferry's tables), or one schema for a schema-per-tenant fleet.

use std::time::Duration;

use crate::db::fingerprint::Recorded;
use crate::db::state::{Snapshot as State, Tables};
use crate::db::Session;
use crate::events::Events;
use crate::schema::{catalog, Filter, Snapshot};

/// The recorded value's format: a build that computes it differently writes another, and
/// values of two formats are never compared (the full comparison decides then).
pub(crate) const FORMAT: &str = "c1";

/// Which objects a run's recorded fingerprint covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope<'a> {
    /// Nothing is recorded (the shadow's replays, `--no-schema-hash`).
    Off,
    /// Every user schema.
    Database,
    /// One schema: a target of a schema-per-tenant fleet.
    Schema(&'a str),
}

/// The filter a fingerprint of `scope` is taken with, for the bookkeeping `tables`.
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

/// The SQL expression of the fingerprint of what `filter` keeps, as recorded.
fn value_sql(filter: &Filter) -> String {
    format!(
        "SELECT '{FORMAT}:' || ({})",
        catalog::fingerprint_sql(filter)
    )
}

/// Records the fingerprint of the schema `scope` covers on the last history row, after a
/// run that changed it (the caller still holds the migration lock).
pub(crate) fn record(
    session: &mut Session<'_>,
    scope: Scope<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    if scope == Scope::Off {
        return Ok(());
    }
    let filter = filter(scope, &session.tables);
    session.record_fingerprint(&value_sql(&filter), events)
}

/// What [`observe`] reads besides the bookkeeping and the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    /// The live fingerprint only (`drift --fast`).
    Fingerprint,
    /// The whole schema.
    Schema,
}

/// A database as `drift` sees it: its bookkeeping, the fingerprint recorded last, and its
/// live fingerprint or schema, read together.
pub(crate) struct Observed {
    pub state: State,
    pub recorded: Option<Recorded>,
    pub fingerprint: Option<String>,
    pub snapshot: Option<Snapshot>,
}

impl Observed {
    /// Whether the recorded fingerprint is one this build compares and equals the live
    /// one; `None` when either is missing.
    pub(crate) fn matches_record(&self) -> Option<bool> {
        let recorded = self.recorded.as_ref()?.hash.as_deref()?;
        let live = self.fingerprint.as_deref()?;
        recorded
            .starts_with(&format!("{FORMAT}:"))
            .then(|| recorded == live)
    }
}

/// Reads the database `session` is on under the migration key (a run in flight finishes
/// first; waits at most `wait`): its bookkeeping, the fingerprint recorded last, and what
/// `look` asks for, as `filter` keeps it.
pub(crate) fn observe(
    session: &mut Session<'_>,
    filter: &Filter,
    look: Look,
    wait: Duration,
    events: &dyn Events,
) -> anyhow::Result<Observed> {
    let sql = match look {
        Look::Fingerprint => format!("{};\n", value_sql(filter)),
        Look::Schema => catalog::queries_sql(filter),
    };
    let read = session.read_under_key(&sql, wait, events)?;
    Ok(match look {
        Look::Fingerprint => Observed {
            state: read.state,
            recorded: read.recorded,
            fingerprint: read
                .statements
                .into_iter()
                .next()
                .and_then(|rows| rows.into_iter().next())
                .and_then(|row| row.into_iter().next().flatten()),
            snapshot: None,
        },
        Look::Schema => Observed {
            state: read.state,
            recorded: read.recorded,
            fingerprint: None,
            snapshot: Some(catalog::from_rows(read.statements, filter)),
        },
    })
}

/// [`observe`] of many schemas of the database `session` is on at once — a
/// schema-per-tenant fleet's, each with its bookkeeping `tenants[i]` in its own schema —
/// in one transaction that holds every tenant's key: one pass over the catalogs for all
/// of them, not one per tenant. `filter` says what else is left out (`--exclude`,
/// privileges).
pub(crate) fn observe_tenants(
    session: &mut Session<'_>,
    tenants: &[Tables],
    filter: &Filter,
    look: Look,
    wait: Duration,
    events: &dyn Events,
) -> anyhow::Result<Vec<Observed>> {
    let Some(first) = tenants.first() else {
        return Ok(Vec::new());
    };
    let all = Filter {
        schemas: tenants.iter().map(|t| t.schema.clone()).collect(),
        exclude: filter.exclude.clone(),
        privileges: filter.privileges,
        ..Filter::default()
    }
    .with_bookkeeping(None, &first.name);
    let sql = match look {
        Look::Fingerprint => format!("{};\n", catalog::fingerprints_by_schema_sql(&all)),
        Look::Schema => catalog::queries_sql(&all),
    };
    let (read, statements) = session.read_many_under_keys(tenants, &sql, wait, events)?;
    let mut fingerprints = std::collections::HashMap::new();
    let mut snapshots = std::collections::HashMap::new();
    match look {
        Look::Fingerprint => {
            for row in statements.into_iter().next().unwrap_or_default() {
                let mut values = row.into_iter();
                if let (Some(Some(schema)), Some(Some(value))) = (values.next(), values.next()) {
                    fingerprints.insert(schema, format!("{FORMAT}:{value}"));
                }
            }
        }
        Look::Schema => snapshots = catalog::from_rows(statements, &all).by_schema(),
    }
    Ok(tenants
        .iter()
        .zip(read)
        .map(|(tenant, (state, recorded))| Observed {
            state,
            recorded,
            fingerprint: fingerprints.remove(&tenant.schema),
            snapshot: (look == Look::Schema)
                .then(|| snapshots.remove(&tenant.schema).unwrap_or_default()),
        })
        .collect())
}
