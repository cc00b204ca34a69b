//! Every object a database holds, named by PostgreSQL itself (`pg_identify_object`), from
//! every catalog whose rows are objects — not only the kinds a [`Snapshot`](super::Snapshot)
//! models. Two databases with the same inventory hold the same objects (not necessarily
//! the same definitions: that is the snapshot's part). `ferry squash` compares both, so
//! that an object the snapshot cannot render (a rule, a cast, an aggregate, a text search
//! configuration…) fails its proof instead of vanishing from the baseline.

use std::collections::BTreeSet;

use postgres::Client;

/// The catalogs whose rows are objects a migration may create. Shared catalogs (roles,
/// databases, tablespaces) are the server's, not the database's, and are left out.
const CATALOGS: &[&str] = &[
    "pg_namespace",
    "pg_class",
    "pg_attrdef",
    "pg_constraint",
    "pg_type",
    "pg_proc",
    "pg_trigger",
    "pg_rewrite",
    "pg_policy",
    "pg_operator",
    "pg_opclass",
    "pg_opfamily",
    "pg_amop",
    "pg_amproc",
    "pg_cast",
    "pg_conversion",
    "pg_collation",
    "pg_language",
    "pg_am",
    "pg_transform",
    "pg_ts_config",
    "pg_ts_dict",
    "pg_ts_parser",
    "pg_ts_template",
    "pg_event_trigger",
    "pg_publication",
    "pg_publication_rel",
    "pg_foreign_data_wrapper",
    "pg_foreign_server",
    "pg_user_mapping",
    "pg_statistic_ext",
    "pg_default_acl",
    "pg_extension",
];

/// The query listing every object made after the server's own (`oid >= 16384`), outside
/// PostgreSQL's schemas and TOAST, neither a member of an extension nor part of another
/// object's implementation (a foreign key's triggers, named by OID; a view's rule; a
/// table's row type): the extension or the owning object stands for them. One row per
/// object: `type identity`, e.g. `rule r_on_t on public.t`.
fn query() -> String {
    let objects: Vec<String> = CATALOGS
        .iter()
        .map(|c| format!("SELECT '{c}'::regclass AS classid, oid AS objid FROM pg_catalog.{c} WHERE oid >= 16384"))
        .collect();
    format!(
        "WITH objects AS ({}) \
         SELECT i.type || ' ' || i.identity \
         FROM objects o, pg_catalog.pg_identify_object(o.classid, o.objid, 0) i \
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d \
                           WHERE d.classid = o.classid AND d.objid = o.objid AND d.deptype IN ('e', 'i')) \
           AND coalesce(i.schema, '') NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \
           AND coalesce(i.schema, '') NOT LIKE 'pg\\_temp\\_%' \
           AND coalesce(i.schema, '') NOT LIKE 'pg\\_toast\\_temp\\_%'",
        objects.join(" UNION ALL ")
    )
}

/// The inventory of the database `client` is connected to, in name order.
pub(crate) fn read(client: &mut Client) -> anyhow::Result<BTreeSet<String>> {
    Ok(client
        .simple_query(&query())?
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
            _ => None,
        })
        .collect())
}

/// What one inventory has and the other lacks: (only in `expected`, only in `actual`).
pub(crate) fn compare(
    expected: &BTreeSet<String>,
    actual: &BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    (
        expected.difference(actual).cloned().collect(),
        actual.difference(expected).cloned().collect(),
    )
}
