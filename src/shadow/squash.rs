//! `ferry squash`: one baseline migration standing for every version through V, written
//! from the shadow's replay of them (canonical SQL, and the rows of the tables asked for)
//! and proved before anything is written. The proof, all on the shadow:
//! - the baseline, run as a migration on an empty database, gives the same snapshot
//!   (privileges included), the same inventory of objects (every catalog, so an object
//!   the snapshot cannot render fails here) and the same kept rows and sequence values as
//!   the replay of 1..V;
//! - the baseline followed by the migrations after V gives what all of them give.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;

use postgres::Client;

use super::{Replay, Shadow};
use crate::db::state::TableName;
use crate::error;
use crate::events::{Event, Events};
use crate::migration::{Migration, Repeatable};
use crate::plan::Operation;
use crate::schema::snapshot::{Kind, Name};
use crate::schema::{diff, inventory, sql, Filter, Snapshot};
use crate::sql::quote::quote_literal;

/// What to squash and how.
pub(crate) struct Request<'a> {
    /// Every migration of the directory, and its repeatables.
    pub migrations: &'a [Migration],
    pub repeatables: &'a [Repeatable],
    /// The newest version the baseline stands for.
    pub through: i64,
    pub table: &'a TableName,
    /// Tables whose rows the baseline keeps, as given (`plans`, `ref.codes`).
    pub keep_data: &'a [String],
    /// Rows in other tables are left out instead of refused.
    pub schema_only: bool,
    /// The baseline's file name, and the comment lines that head it after the directive.
    pub file_name: &'a str,
    pub header: &'a str,
    pub stop: &'a AtomicBool,
}

/// A proved baseline.
pub(crate) struct Baseline {
    pub text: String,
    /// Objects in its snapshot, and in the inventory the proof compared.
    pub objects: usize,
    pub inventory: usize,
    /// Rows kept, over how many tables.
    pub rows: u64,
    pub tables: usize,
    /// The migrations after V the proof ran on the baseline.
    pub after: usize,
}

/// Writes the baseline of `request.through` and proves it; an error says what differs
/// (and nothing has been written anywhere but the shadow).
pub(crate) fn squash(
    shadow: &mut Shadow,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Baseline> {
    let v = request.through;
    let replaced = request
        .migrations
        .iter()
        .find(|m| m.version == v)
        .ok_or_else(|| {
            error::of(
                error::Kind::NoSuchVersion,
                format!("no migration file has version {v}; `ferry status` lists the versions there are"),
            )
        })?;
    let filter = Filter {
        privileges: true,
        ..Filter::default()
    }
    .with_bookkeeping(request.table.schema.as_deref(), &request.table.name);

    let at_v = shadow.replayed(
        request.migrations,
        &[],
        Some(v),
        request.table,
        events,
        request.stop,
    )?;
    let expected = shadow.snapshot(&at_v, &filter)?;
    let mut client = shadow.connect(&at_v)?;
    let expected_inventory = inventory::read(&mut client)?;
    let kept = kept_tables(&mut client, request, &filter)?;
    let sequences = sequences(&mut client, &filter)?;
    let (data, rows) = data(&mut client, &kept, &sequences, shadow.major)?;
    let expected_data = data_state(&mut client, &kept, &sequences)?;
    drop(client);

    let text = format!(
        "-- {} {}\n{}{}",
        crate::source::markers::BASELINE_DIRECTIVE,
        replaced.up.checksum,
        request.header,
        sql::dump_with_data(&rendered(&expected), data)
    );
    let (baseline, _) =
        crate::source::files::load_kept(vec![(request.file_name.to_string(), text.clone())])
            .valid("the baseline")?;

    events.on(Event::Note(
        "proving the baseline: run on an empty database, it must give what the migrations give",
    ));
    let empty = shadow.scratch(None)?;
    let alone = Replay {
        migrations: &baseline,
        repeatables: &[],
        table: request.table,
        stop: request.stop,
        search_path: None,
    };
    shadow.migrate(&empty, &alone, Operation::UP).map_err(|e| {
        failed(
            v,
            &format!(
                "the baseline does not run on an empty database: {}",
                super::error_line(&e)
            ),
        )
    })?;
    let made = shadow.snapshot(&empty, &filter)?;
    let mut client = shadow.connect(&empty)?;
    let made_inventory = inventory::read(&mut client)?;
    let made_data = data_state(&mut client, &kept, &sequences)?;
    drop(client);
    let mut problems = differences(&expected, &made, &expected_inventory, &made_inventory);
    problems.extend(data_differences(&expected_data, &made_data));
    if !problems.is_empty() {
        return Err(proof_failed(
            v,
            &format!("the migrations through {v}"),
            problems,
        ));
    }

    // The baseline and then the rest, against all of them.
    let rest: Vec<Migration> = baseline
        .iter()
        .cloned()
        .chain(request.migrations.iter().filter(|m| m.version > v).cloned())
        .collect();
    if rest.len() > 1 || !request.repeatables.is_empty() {
        let full = shadow.replayed(
            request.migrations,
            request.repeatables,
            None,
            request.table,
            events,
            request.stop,
        )?;
        let then = Replay {
            migrations: &rest,
            repeatables: request.repeatables,
            table: request.table,
            stop: request.stop,
            search_path: None,
        };
        shadow.migrate(&empty, &then, Operation::UP).map_err(|e| {
            failed(
                v,
                &format!(
                    "the migrations after {v} do not run after the baseline: {}",
                    super::error_line(&e)
                ),
            )
        })?;
        let expected = shadow.snapshot(&full, &filter)?;
        let made = shadow.snapshot(&empty, &filter)?;
        let expected_inventory = inventory::read(&mut shadow.connect(&full)?)?;
        let made_inventory = inventory::read(&mut shadow.connect(&empty)?)?;
        let problems = differences(&expected, &made, &expected_inventory, &made_inventory);
        if !problems.is_empty() {
            return Err(proof_failed(v, "every migration", problems));
        }
    }
    shadow.drop_scratch(&empty)?;
    Ok(Baseline {
        text,
        objects: expected.objects.len(),
        inventory: expected_inventory.len(),
        rows,
        tables: kept.len(),
        after: rest.len() - 1,
    })
}

/// The snapshot as the baseline renders it: grants to other roles, but no owners (the
/// baseline's objects belong to whoever runs it, as the migrations' did).
fn rendered(snapshot: &Snapshot) -> Snapshot {
    snapshot.without_owners(crate::schema::snapshot::OwnerGrants::Dropped)
}

/// Why the squash wrote nothing.
fn failed(v: i64, why: &str) -> anyhow::Error {
    error::invalid(format!("squash through {v} wrote nothing: {why}"))
}

fn proof_failed(v: i64, what: &str, problems: Vec<String>) -> anyhow::Error {
    let message = format!(
        "squash through {v} wrote nothing: the baseline does not give what {what} give ({} \
         difference(s)):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    error::problems(problems, message)
}

/// Each difference between what the migrations make and what the baseline makes.
fn differences(
    expected: &Snapshot,
    made: &Snapshot,
    expected_inventory: &BTreeSet<String>,
    made_inventory: &BTreeSet<String>,
) -> Vec<String> {
    let mut out: Vec<String> = diff::diff(expected, made)
        .iter()
        .map(|d| {
            let what = format!("{} {}", d.kind, d.name);
            match d.change {
                diff::Change::Removed => {
                    format!("{what}: made by the migrations, not by the baseline")
                }
                diff::Change::Added => {
                    format!("{what}: made by the baseline, not by the migrations")
                }
                diff::Change::Changed => format!(
                    "{what}: differs in {}",
                    d.fields
                        .iter()
                        .map(|(field, _, _)| field.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
        .collect();
    let (missing, extra) = inventory::compare(expected_inventory, made_inventory);
    out.extend(missing.into_iter().map(|o| {
        format!("{o}: made by the migrations, not by the baseline (ferry's schema model does not render this kind of object; keep the migration that makes it after the baseline)")
    }));
    out.extend(
        extra
            .into_iter()
            .map(|o| format!("{o}: made by the baseline, not by the migrations")),
    );
    out
}

fn data_differences(
    expected: &BTreeMap<String, String>,
    made: &BTreeMap<String, String>,
) -> Vec<String> {
    expected
        .iter()
        .filter(|(what, state)| made.get(*what) != Some(state))
        .map(|(what, _)| format!("{what}: the baseline leaves other contents"))
        .collect()
}

/// A table whose rows the baseline keeps.
struct Kept {
    /// `"schema"."table"`, quoted.
    qualified: String,
    shown: String,
    /// Where its rows are read: `ONLY` the table (an inheritance parent's children are
    /// tables of their own), or a partitioned table with every partition's rows (an
    /// INSERT routes them back).
    rows: String,
}

/// The quoted name of a relation, as SQL and as shown.
fn quoted(schema: &str, name: &str) -> (String, String) {
    (
        format!("{}.{}", sql::ident(schema), sql::ident(name)),
        format!("{schema}.{name}"),
    )
}

/// The tables `--keep-data` names, found at V; refuses a name that is no table there, and
/// rows left in a table not named (unless `--schema-only`).
fn kept_tables(
    client: &mut Client,
    request: &Request<'_>,
    filter: &Filter,
) -> anyhow::Result<Vec<Kept>> {
    let v = request.through;
    let mut kept = Vec::new();
    for raw in request.keep_data {
        let found = client
            .query_opt(
                "SELECT n.nspname::text, c.relname::text, c.relkind = 'p' \
                 FROM pg_catalog.pg_class c \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.oid = pg_catalog.to_regclass($1) AND c.relkind IN ('r', 'p')",
                &[raw],
            )
            .ok()
            .flatten();
        let Some(row) = found else {
            return Err(error::usage(format!(
                "--keep-data {}: no table of that name exists after the migrations through {v}; \
                 name a table they create (schema.table when it is not in public)",
                crate::source::files::shown(raw)
            )));
        };
        let (qualified, shown) = quoted(row.get(0), row.get(1));
        let rows = if row.get::<_, bool>(2) {
            qualified.clone()
        } else {
            format!("ONLY {qualified}")
        };
        if !kept.iter().any(|k: &Kept| k.qualified == qualified) {
            kept.push(Kept {
                qualified,
                shown,
                rows,
            });
        }
    }
    // Every table with rows, so that none is emptied without being asked; a partition's
    // rows are kept with the partitioned table above it.
    let tables: Vec<(String, String, Vec<String>)> = client
        .query(
            "SELECT n.nspname::text, c.relname::text, \
                    ARRAY(WITH RECURSIVE up(rel) AS ( \
                            SELECT i.inhparent FROM pg_catalog.pg_inherits i \
                            WHERE i.inhrelid = c.oid AND c.relispartition \
                            UNION ALL \
                            SELECT i.inhparent FROM up \
                            JOIN pg_catalog.pg_class p ON p.oid = up.rel AND p.relispartition \
                            JOIN pg_catalog.pg_inherits i ON i.inhrelid = up.rel) \
                          SELECT pn.nspname || '.' || pc.relname FROM up \
                          JOIN pg_catalog.pg_class pc ON pc.oid = up.rel \
                          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace)::text[] \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' \
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY 1, 2",
            &[],
        )?
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get(2)))
        .filter(|(schema, name, _)| {
            filter.keeps(
                Kind::Table,
                &Name::new(Some(schema.clone()), None, name.clone()),
            )
        })
        .collect();
    let is_kept = |shown: &str| kept.iter().any(|k| k.shown == shown);
    if !request.schema_only && !tables.is_empty() {
        let counts: Vec<String> = tables
            .iter()
            .filter(|(_, _, above)| !above.iter().any(|a| is_kept(a)))
            .map(|(schema, name, _)| {
                let (q, shown) = quoted(schema, name);
                format!("SELECT {}, count(*) FROM ONLY {q}", quote_literal(&shown))
            })
            .collect();
        let mut unkept = Vec::new();
        for chunk in counts.chunks(200) {
            for row in client.query(&chunk.join(" UNION ALL "), &[])? {
                let (shown, count): (String, i64) = (row.get(0), row.get(1));
                if count > 0 && !is_kept(&shown) {
                    unkept.push((shown, count));
                }
            }
        }
        if !unkept.is_empty() {
            let names: Vec<&str> = unkept.iter().map(|(s, _)| s.as_str()).collect();
            return Err(error::usage(format!(
                "the migrations through {v} leave rows in {}, which the baseline would not have: \
                 keep them with --keep-data {}, or pass --schema-only to leave them out",
                unkept
                    .iter()
                    .map(|(s, n)| format!("{s} ({n} row{})", if *n == 1 { "" } else { "s" }))
                    .collect::<Vec<_>>()
                    .join(", "),
                names.join(",")
            )));
        }
    }
    Ok(kept)
}

/// Every sequence the migrations made that has been used: `(quoted name, shown name)`.
fn sequences(client: &mut Client, filter: &Filter) -> anyhow::Result<Vec<(String, String)>> {
    Ok(client
        .query(
            "SELECT s.schemaname::text, s.sequencename::text, t.relname::text \
             FROM pg_catalog.pg_sequences s \
             JOIN pg_catalog.pg_class c ON c.relname = s.sequencename \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname \
             LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid \
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') \
             LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid \
             WHERE s.last_value IS NOT NULL \
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_class'::regclass \
                               AND e.objid = c.oid AND e.deptype = 'e') \
             ORDER BY 1, 2",
            &[],
        )?
        .iter()
        .filter(|r| {
            let owner: Option<String> = r.get(2);
            let schema: String = r.get(0);
            owner.is_none_or(|t| filter.keeps(Kind::Table, &Name::new(Some(schema), None, t)))
        })
        .map(|r| quoted(r.get(0), r.get(1)))
        .collect())
}

/// The rows of the kept tables as INSERTs, and each used sequence set where the replay
/// left it; with the number of rows.
fn data(
    client: &mut Client,
    kept: &[Kept],
    sequences: &[(String, String)],
    major: u32,
) -> anyhow::Result<(Vec<String>, u64)> {
    const ROWS_PER_INSERT: usize = 500;
    let mut out = Vec::new();
    let mut total = 0u64;
    for table in kept {
        let generated = if major >= 12 {
            "AND a.attgenerated = ''"
        } else {
            ""
        };
        let columns = client.query(
            &format!(
                "SELECT a.attname::text, a.attidentity = 'a', \
                        a.attnum = ANY (coalesce((SELECT i.indkey::int2[] FROM pg_catalog.pg_index i \
                                                  WHERE i.indrelid = a.attrelid AND i.indisprimary), '{{}}')) \
                 FROM pg_catalog.pg_attribute a \
                 WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped {generated} \
                 ORDER BY a.attnum"
            ),
            &[&table.qualified],
        )?;
        let names: Vec<String> = columns.iter().map(|c| sql::ident(c.get(0))).collect();
        let always = columns.iter().any(|c| c.get::<_, bool>(1));
        let key: Vec<&String> = columns
            .iter()
            .zip(&names)
            .filter(|(c, _)| c.get::<_, bool>(2))
            .map(|(_, n)| n)
            .collect();
        let values = format!(
            "'(' || array_to_string(ARRAY[{}], ', ') || ')'",
            names
                .iter()
                .map(|n| format!("quote_nullable({n}::text)"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let order = if key.is_empty() {
            String::new()
        } else {
            format!(
                " ORDER BY {}",
                key.iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let rows: Vec<String> = client
            .query(&format!("SELECT {values} FROM {}{order}", table.rows), &[])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        total += rows.len() as u64;
        let head = format!(
            "INSERT INTO {} ({}){} VALUES\n",
            table.qualified,
            names.join(", "),
            if always {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            }
        );
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            out.push(format!("{head}{};", chunk.join(",\n")));
        }
    }
    for (qualified, _) in sequences {
        let row = client.query_one(&format!("SELECT last_value FROM {qualified}"), &[])?;
        let last: i64 = row.get(0);
        out.push(format!(
            "SELECT pg_catalog.setval({}, {last}, true);",
            quote_literal(qualified)
        ));
    }
    Ok((out, total))
}

/// What the proof compares of the data: each kept table's rows (a hash of them in order)
/// and each used sequence's position.
fn data_state(
    client: &mut Client,
    kept: &[Kept],
    sequences: &[(String, String)],
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for table in kept {
        let row = client.query_one(
            &format!(
                "SELECT count(*)::text || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {} t",
                table.rows
            ),
            &[],
        )?;
        out.insert(format!("rows of {}", table.shown), row.get(0));
    }
    for (qualified, shown) in sequences {
        let row = client.query_one(
            &format!("SELECT last_value::text || ' ' || is_called::text FROM {qualified}"),
            &[],
        )?;
        out.insert(format!("sequence {shown}"), row.get(0));
    }
    Ok(out)
}
