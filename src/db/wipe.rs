//! Dropping everything the migrations made, for `reset` and `drop`: the one place that
//! decides what "everything" is.
//!
//! The aim is a database that `pg_dump --schema-only` cannot tell from a freshly created
//! one, reached without dropping the database itself (that needs CREATEDB, and a
//! connection to another database). So: every extension but `plpgsql` (which a fresh
//! database has), every non-system schema but `public`, and every object in `public`. The
//! `public` schema itself stays, because recreating it would change its owner and ACL,
//! which pg_dump shows. The schema of the bookkeeping table is kept the same way when it
//! is not `public`: ferry needs it to exist before any migration runs, so it was not a
//! migration that made it. The objects of a kept schema are found through their
//! dependency on it in `pg_depend` (how `DROP SCHEMA … CASCADE` finds them), which covers
//! tables, views, sequences, types, functions, operators, collations and the rest without
//! a list per kind; policies, triggers and indexes go with their tables.
//!
//! It all runs in one transaction: a failure (an object owned by another role, say)
//! changes nothing.

use std::collections::BTreeMap;

use anyhow::Context;
use postgres::Client;

use super::state::Tables;

/// The catalog read: what to drop, as (kind, identity, is it a bookkeeping table), in
/// kept schemas or whole. Objects that belong to an extension, exist only as part of
/// another object (a table's row type, an identity column's sequence, an array type) or
/// are dropped with it (a serial column's sequence, a partition with its partitioned
/// table) go with their owner. A dependency of an object on itself does not count: a
/// partitioned table's key columns depend internally on the table, and reading that as
/// "owned by something else" once left every partitioned table behind. Extensions are
/// listed once, by the first branch, although they depend on their schema too.
const CATALOG: &str = "\
SELECT 'extension', quote_ident(extname), false FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL
SELECT 'schema', quote_ident(n.nspname), false FROM pg_namespace n
 WHERE n.nspname <> ALL($1::text[]) AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass
                   AND e.objid = n.oid AND e.deptype = 'e')
UNION ALL
SELECT o.type, o.identity,
       d.classid = 'pg_class'::regclass AND d.objid IN (coalesce(to_regclass($2), 0), coalesce(to_regclass($3), 0), coalesce(to_regclass($4), 0))
  FROM pg_depend d
 CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
 WHERE d.refclassid = 'pg_namespace'::regclass AND d.deptype = 'n'
   AND d.refobjid IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[]))
   AND d.classid <> 'pg_extension'::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = d.classid AND x.objid = d.objid
                   AND x.deptype IN ('e', 'i', 'a')
                   AND NOT (x.refclassid = x.classid AND x.refobjid = x.objid))";

/// Object kinds as `pg_identify_object` names them, in the order they are dropped, with
/// the words of their DROP statement. Views before the tables they read, tables before
/// the sequences and types they use, so fewer drops cascade.
const KINDS: [(&str, &str); 21] = [
    ("extension", "EXTENSION"),
    ("schema", "SCHEMA"),
    ("materialized view", "MATERIALIZED VIEW"),
    ("view", "VIEW"),
    ("foreign table", "FOREIGN TABLE"),
    ("table", "TABLE"),
    ("index", "INDEX"),
    ("sequence", "SEQUENCE"),
    ("statistics object", "STATISTICS"),
    ("aggregate", "AGGREGATE"),
    ("procedure", "PROCEDURE"),
    ("function", "FUNCTION"),
    ("operator class", "OPERATOR CLASS"),
    ("operator family", "OPERATOR FAMILY"),
    ("operator", "OPERATOR"),
    ("domain", "DOMAIN"),
    ("type", "TYPE"),
    ("collation", "COLLATION"),
    ("conversion", "CONVERSION"),
    ("text search configuration", "TEXT SEARCH CONFIGURATION"),
    ("text search dictionary", "TEXT SEARCH DICTIONARY"),
];

/// What was dropped, by kind, and what ferry did not know how to drop.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub dropped: BTreeMap<String, usize>,
    pub skipped: Vec<String>,
}

impl Summary {
    /// "3 tables, 1 type, 2 functions", or "nothing" for an empty database.
    pub(crate) fn describe(&self) -> String {
        if self.dropped.is_empty() {
            return "nothing: the database was already empty".to_string();
        }
        let mut kinds: Vec<(&String, &usize)> = self.dropped.iter().collect();
        kinds.sort_by_key(|(kind, _)| rank(kind));
        kinds
            .iter()
            .map(|(kind, n)| {
                let plural = match (kind.as_str(), n) {
                    (_, 1) => String::new(),
                    ("index", _) => "es".to_string(),
                    _ => "s".to_string(),
                };
                format!("{n} {kind}{plural}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn rank(kind: &str) -> usize {
    KINDS
        .iter()
        .position(|(k, _)| *k == kind)
        .unwrap_or(KINDS.len())
}

/// The DROP statement for one object, or None for a kind ferry does not drop.
fn drop_statement(kind: &str, identity: &str) -> Option<String> {
    let (_, words) = KINDS.iter().find(|(k, _)| *k == kind)?;
    Some(format!("DROP {words} IF EXISTS {identity} CASCADE;\n"))
}

/// One object to drop.
#[derive(Debug)]
struct Object {
    kind: String,
    identity: String,
    /// ferry's own tables are dropped but not counted: the summary is about what the
    /// migrations made.
    bookkeeping: bool,
}

/// The statements that empty the database, in order, and the summary they amount to.
fn plan(objects: &[Object]) -> (String, Summary) {
    let mut objects: Vec<&Object> = objects.iter().collect();
    objects.sort_by_key(|o| rank(&o.kind));
    let mut sql = String::new();
    let mut summary = Summary::default();
    for Object {
        kind,
        identity,
        bookkeeping,
    } in objects
    {
        match drop_statement(kind, identity) {
            Some(statement) => {
                sql.push_str(&statement);
                if !bookkeeping {
                    *summary.dropped.entry(kind.clone()).or_default() += 1;
                }
            }
            None => summary.skipped.push(format!("{kind} {identity}")),
        }
    }
    (sql, summary)
}

/// Drops everything (see the module docs) in one transaction. The bookkeeping tables go
/// too: afterwards the database looks as if no migration had ever run.
pub(crate) fn wipe(client: &mut Client, tables: &Tables) -> anyhow::Result<Summary> {
    // A system schema is never emptied, whatever the bookkeeping table's schema resolved to.
    let keep: Vec<String> = ["public", tables.schema.as_str()]
        .into_iter()
        .filter(|schema| !super::state::is_system_schema(schema))
        .map(str::to_string)
        .collect();
    let mut tx = client.transaction().context("starting the drop")?;
    let rows = tx
        .query(
            CATALOG,
            &[
                &keep,
                &tables.versions(),
                &tables.history(),
                &super::lease::table(tables),
            ],
        )
        .context("listing what the migrations made")?;
    let objects: Vec<Object> = rows
        .iter()
        .map(|r| Object {
            kind: r.get(0),
            identity: r.get(1),
            bookkeeping: r.get(2),
        })
        .collect();
    let (sql, summary) = plan(&objects);
    tx.batch_execute(&sql)
        .context("dropping what the migrations made; nothing was dropped")?;
    tx.commit().context("committing the drop")?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(list: &[(&str, &str)]) -> Vec<Object> {
        list.iter()
            .map(|(k, i)| Object {
                kind: k.to_string(),
                identity: i.to_string(),
                bookkeeping: i.contains("schema_migrations"),
            })
            .collect()
    }

    #[test]
    fn extensions_and_schemas_go_first_and_types_after_tables() {
        let (sql, summary) = plan(&objects(&[
            ("type", "public.mood"),
            ("table", "public.users"),
            ("function", "public.touch()"),
            ("schema", "app"),
            ("view", "public.active_users"),
            ("extension", "citext"),
        ]));
        let lines: Vec<&str> = sql.lines().collect();
        assert_eq!(
            lines,
            [
                "DROP EXTENSION IF EXISTS citext CASCADE;",
                "DROP SCHEMA IF EXISTS app CASCADE;",
                "DROP VIEW IF EXISTS public.active_users CASCADE;",
                "DROP TABLE IF EXISTS public.users CASCADE;",
                "DROP FUNCTION IF EXISTS public.touch() CASCADE;",
                "DROP TYPE IF EXISTS public.mood CASCADE;",
            ]
        );
        assert_eq!(
            summary.describe(),
            "1 extension, 1 schema, 1 view, 1 table, 1 function, 1 type"
        );
    }

    #[test]
    fn unknown_kinds_are_reported_not_guessed() {
        let (sql, summary) = plan(&objects(&[("widget", "public.w"), ("table", "public.t")]));
        assert_eq!(sql, "DROP TABLE IF EXISTS public.t CASCADE;\n");
        assert_eq!(summary.skipped, ["widget public.w"]);
    }

    #[test]
    fn bookkeeping_tables_are_dropped_but_not_counted() {
        let (sql, summary) = plan(&objects(&[
            ("table", "public.schema_migrations"),
            ("table", "public.users"),
        ]));
        assert!(sql.contains("public.schema_migrations"), "{sql}");
        assert_eq!(summary.describe(), "1 table");
    }

    #[test]
    fn summary_counts_and_pluralises() {
        let (_, summary) = plan(&objects(&[
            ("table", "a"),
            ("table", "b"),
            ("index", "i"),
            ("index", "j"),
        ]));
        assert_eq!(summary.describe(), "2 tables, 2 indexes");
        assert!(plan(&[]).1.describe().starts_with("nothing"));
    }
}
