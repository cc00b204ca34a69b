//! `ferry up --rehearse`: the pending migrations applied first on a copy of the target's
//! schema — its objects as `ferry schema dump` writes them, its bookkeeping rows as they
//! are, no data — so that one that fails against the live schema (an object someone
//! dropped, a name someone took) fails there, and the target is never touched. What it
//! cannot catch: failures that depend on the rows (a NOT NULL over existing NULLs, a
//! unique index over duplicates, a cast a value refuses).

use super::{migrate_on, Replay, Shadow};
use crate::db::state::{Snapshot as State, Tables};
use crate::engine;
use crate::plan::Operation;
use crate::schema::snapshot::Kind;
use crate::schema::{sql, Snapshot};

/// Loads `schema` and the bookkeeping `state` (of the target's `tables`) into a scratch
/// database of `shadow`, then runs `operation` there as the target would.
pub(crate) fn rehearse(
    shadow: &mut Shadow,
    schema: &Snapshot,
    state: &State,
    tables: &Tables,
    replay: &Replay<'_>,
    operation: Operation,
) -> anyhow::Result<engine::Outcome> {
    let database = copy(shadow, schema, state, tables)?;
    let mut client = shadow.connect(&database)?;
    let result = migrate_on(&mut client, replay, operation);
    drop(client);
    let _ = shadow.drop_scratch(&database);
    result
}

/// A scratch database of `shadow` holding `schema` (a target's, as `ferry schema dump`
/// writes it) and the bookkeeping `state` of its `tables`: the target without its data.
pub(crate) fn copy(
    shadow: &mut Shadow,
    schema: &Snapshot,
    state: &State,
    tables: &Tables,
) -> anyhow::Result<String> {
    // Roles a policy names exist on the target's server, not necessarily on the shadow's
    // (Supabase's `authenticated`): made there first, without login, if ferry may.
    let roles: std::collections::BTreeSet<&str> = schema
        .of_kind(Kind::Policy)
        .filter_map(|p| p.get("roles"))
        .flat_map(|r| r.split(", "))
        .filter(|r| *r != "public")
        .collect();
    if !roles.is_empty() {
        let mut admin = shadow.admin()?;
        for role in roles {
            let _ = admin.batch_execute(&format!(
                "DO $ferry$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object \
                 THEN NULL; END $ferry$"
            ));
        }
    }
    let database = shadow.loaded(&sql::dump(schema), "the database's schema")?;
    let mut client = shadow.connect(&database)?;
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {};\n{}",
            sql::ident(&tables.schema),
            tables.copy_sql(state)
        ))
        .map_err(|e| anyhow::anyhow!("copying the bookkeeping tables to the shadow: {e}"))?;
    Ok(database)
}
