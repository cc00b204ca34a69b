//! `ferry drift`: does a database still match its migrations? What its history says was
//! applied (out-of-order versions included, repeatables as they last ran) is replayed on
//! the shadow, and the two schemas compared object by object. Pending migrations are not
//! drift. Each difference comes with the SQL that reproduces it on a database the
//! migrations made and the SQL that reverts it (`schema::alter`). For a fleet, targets
//! whose history names the same migrations share one replay, and targets that drifted
//! the same way are reported as one group.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::db::state::Snapshot as State;
use crate::error::{self, Kind as ErrorKind};
use crate::migration::{Migration, Repeatable};
use crate::plan::{self, State as FileState};
use crate::schema::diff::{self, Change, Difference};
use crate::schema::{alter, Snapshot};

/// What a target's history says ran, as the files that replay it.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub migrations: Vec<Migration>,
    pub repeatables: Vec<Repeatable>,
    /// The version the database is at.
    pub version: Option<i64>,
    /// Applied files edited since they ran: replayed as they are now, which the report
    /// says (the text that ran is not kept).
    pub edited: Vec<String>,
}

impl Applied {
    /// The migrations `state` (a database's bookkeeping) says were applied, from
    /// `migrations` and `repeatables` (the files). Refuses a dirty database, and one with
    /// an applied version whose file is not here (its objects would all look like drift).
    pub(crate) fn of(
        state: &State,
        migrations: &[Migration],
        repeatables: &[Repeatable],
    ) -> anyhow::Result<Applied> {
        let known: Vec<_> = migrations.iter().map(Migration::known).collect();
        let view = state.view(&known);
        if state.dirty {
            return Err(error::dirty_at(
                state.version,
                format!(
                    "the database is dirty at {}: a migration stopped part way, so what is \
                     applied is not known; `ferry status` says which, fix it first",
                    crate::engine::describe(state.version)
                ),
            ));
        }
        let entries = plan::entries(&known, &view, &state.history);
        let missing: Vec<String> = entries
            .iter()
            .filter(|e| e.state == FileState::MissingFile)
            .map(|e| e.version.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(error::of(
                ErrorKind::Invalid,
                format!(
                    "applied version(s) {} have no file in the migrations directory: run drift \
                     from a checkout that has them",
                    missing.join(", ")
                ),
            ));
        }
        let mut edited: Vec<String> = entries
            .iter()
            .filter(|e| e.state == FileState::Modified)
            .filter_map(|e| migrations.iter().find(|m| m.version == e.version))
            .map(|m| m.up.label.clone())
            .collect();
        let mut ran_repeatables = Vec::new();
        for r in repeatables {
            let due = plan::repeatable_due(
                &state.history,
                &r.name,
                &r.script.checksum,
                &r.script.checksum_raw,
            );
            match due {
                // Never ran here: pending, not drift.
                Some(false) => {}
                Some(true) => {
                    edited.push(r.script.label.clone());
                    ran_repeatables.push(r.clone());
                }
                None => ran_repeatables.push(r.clone()),
            }
        }
        Ok(Applied {
            migrations: migrations
                .iter()
                .filter(|m| view.is_applied(m.version))
                .cloned()
                .collect(),
            repeatables: ran_repeatables,
            version: view.current,
            edited,
        })
    }

    /// What tells two replays apart: the versions and the files' checksums, the
    /// repeatables' names and checksums.
    pub(crate) fn key(&self) -> String {
        let mut key = String::new();
        for m in &self.migrations {
            key.push_str(&format!("{}:{};", m.version, m.up.checksum));
        }
        for r in &self.repeatables {
            key.push_str(&format!("R{}:{};", r.name, r.script.checksum));
        }
        key
    }
}

/// One object that differs from what the migrations make.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Drift {
    /// `Added`: in the database only; `Removed`: the migrations make it and the database
    /// lacks it; `Changed`: both have it, differently (fields: migrations → database).
    pub difference: Difference,
    /// What makes a database the migrations made look like this one.
    pub reproduce: Vec<String>,
    /// What takes this database back to what the migrations make.
    pub revert: Vec<String>,
}

/// `snapshot` without owners, and with an owner's own grants shown as `OWNER`'s: the
/// replay's objects belong to the shadow's role, the database's to whoever ran its
/// migrations, which is not drift. Grants to other roles stay compared.
pub(crate) fn without_owners(snapshot: &Snapshot) -> Snapshot {
    snapshot.without_owners(crate::schema::snapshot::OwnerGrants::AsOwner)
}

/// [`compare`], with owners left out when the snapshots hold privileges.
pub(crate) fn compare_with(expected: &Snapshot, actual: &Snapshot, privileges: bool) -> Vec<Drift> {
    if privileges {
        compare(&without_owners(expected), &without_owners(actual))
    } else {
        compare(expected, actual)
    }
}

/// Every object of `actual` (the database) that differs from `expected` (the replay).
/// The columns of a table added or removed as a whole are part of it, not differences
/// of their own.
pub(crate) fn compare(expected: &Snapshot, actual: &Snapshot) -> Vec<Drift> {
    let differences = diff::diff(expected, actual);
    let whole: Vec<(Option<&str>, &str, Change)> = differences
        .iter()
        .filter(|d| d.kind == crate::schema::snapshot::Kind::Table && d.change != Change::Changed)
        .map(|d| (d.name.schema.as_deref(), d.name.name.as_str(), d.change))
        .collect();
    let part_of_whole = |d: &Difference| {
        d.kind == crate::schema::snapshot::Kind::Column
            && whole.iter().any(|(schema, table, change)| {
                *schema == d.name.schema.as_deref()
                    && Some(*table) == d.name.table.as_deref()
                    && *change == d.change
            })
    };
    let kept: Vec<Difference> = differences
        .iter()
        .filter(|d| !part_of_whole(d))
        .cloned()
        .collect();
    kept.into_iter()
        .map(|difference| Drift {
            reproduce: alter::change(&difference, expected, actual),
            revert: alter::change(&difference, actual, expected),
            difference,
        })
        .collect()
}

/// What the difference is, in a few words: "extra index", "missing table", "changed
/// column … (default)".
pub(crate) fn headline(d: &Difference) -> String {
    let what = match d.change {
        Change::Added => "extra",
        Change::Removed => "missing",
        Change::Changed => "changed",
    };
    let fields = if d.change == Change::Changed {
        let names: Vec<&str> = d.fields.iter().map(|(f, _, _)| f.as_str()).collect();
        format!(" ({})", names.join(", "))
    } else {
        String::new()
    };
    format!("{what} {} `{}`{fields}", d.kind, d.name)
}

/// The drift as text: each object, what differs, and the SQL both ways.
pub(crate) fn to_text(drifts: &[Drift]) -> String {
    let mut out = String::new();
    for drift in drifts {
        let d = &drift.difference;
        let mark = match d.change {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        };
        let place = match d.change {
            Change::Added => "in the database, not made by the migrations",
            Change::Removed => "made by the migrations, not in the database",
            Change::Changed => "differs from what the migrations make",
        };
        out.push_str(&format!("{mark} {} {}: {place}\n", d.kind, d.name));
        for (field, a, b) in &d.fields {
            let show = |v: &Option<String>| {
                v.as_deref()
                    .map_or("(none)".to_string(), |v| diff::flat(v, 160))
            };
            out.push_str(&format!(
                "    {field}: {} (migrations) → {} (database)\n",
                show(a),
                show(b)
            ));
        }
        for (title, statements) in [("reproduce", &drift.reproduce), ("revert", &drift.revert)] {
            let mut lines = statements.iter().flat_map(|s| s.lines());
            if let Some(first) = lines.next() {
                out.push_str(&format!("    {title:<9} {first}\n"));
                for line in lines.take(11) {
                    out.push_str(&format!("              {line}\n"));
                }
            }
        }
    }
    out
}

/// The drift as `schema diff --format json` prints differences, each with `reproduce`
/// and `revert` SQL.
pub(crate) fn to_json(drifts: &[Drift]) -> Value {
    let differences: Vec<Difference> = drifts.iter().map(|d| d.difference.clone()).collect();
    let mut document = diff::to_json(&differences);
    if let Some(items) = document["differences"].as_array_mut() {
        for (item, drift) in items.iter_mut().zip(drifts) {
            item["reproduce"] = json!(alter::text(&drift.reproduce));
            item["revert"] = json!(alter::text(&drift.revert));
        }
    }
    document
}

/// SARIF 2.1.0 results for code-scanning UIs: one per object, at the database `target`.
pub(crate) fn sarif_results(drifts: &[Drift], target: &str) -> Vec<Value> {
    drifts
        .iter()
        .map(|drift| {
            let d = &drift.difference;
            json!({
                "ruleId": rule_id(d.change),
                "level": "error",
                "message": {"text": format!(
                    "{target}: {}; revert with: {}",
                    headline(d),
                    diff::flat(&alter::text(&drift.revert), 400)
                )},
                "locations": [{"logicalLocations": [{
                    "fullyQualifiedName": d.name.to_string(),
                    "kind": d.kind.as_str(),
                }]}],
                "properties": {
                    "target": target,
                    "reproduce": alter::text(&drift.reproduce),
                    "revert": alter::text(&drift.revert),
                },
            })
        })
        .collect()
}

/// The rule a SARIF result names for a kind of difference.
pub(crate) fn rule_id(change: Change) -> &'static str {
    match change {
        Change::Added => "drift-extra",
        Change::Removed => "drift-missing",
        Change::Changed => "drift-changed",
    }
}

/// The SARIF rules of drift's results.
pub(crate) fn sarif_rules() -> Vec<Value> {
    let rule = |id: &str, text: &str| json!({"id": id, "shortDescription": {"text": text}, "defaultConfiguration": {"level": "error"}});
    vec![
        rule(
            "drift-extra",
            "An object in the database that the migrations do not make",
        ),
        rule(
            "drift-missing",
            "An object the migrations make that the database lacks",
        ),
        rule(
            "drift-changed",
            "An object that differs from what the migrations make",
        ),
    ]
}

/// Targets grouped by identical drift, in order of first appearance: each group's drift
/// (empty for those that match) and the indexes of its targets.
pub(crate) fn groups(drifts: &[Option<&[Drift]>]) -> Vec<(Vec<Drift>, Vec<usize>)> {
    let mut order: Vec<String> = Vec::new();
    let mut by_key: BTreeMap<String, (Vec<Drift>, Vec<usize>)> = BTreeMap::new();
    for (i, drift) in drifts.iter().enumerate() {
        let Some(drift) = drift else { continue };
        let key = serde_json::to_string(&to_json(drift)).unwrap_or_default();
        by_key
            .entry(key.clone())
            .or_insert_with(|| {
                order.push(key);
                (drift.to_vec(), Vec::new())
            })
            .1
            .push(i);
    }
    order
        .into_iter()
        .filter_map(|key| by_key.remove(&key))
        .collect()
}
