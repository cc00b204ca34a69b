//! Reading a snapshot from the catalogs: one query per kind of object, every value as
//! text the server renders itself (`format_type`, `pg_get_constraintdef`,
//! `pg_get_indexdef`, `pg_get_functiondef`, `pg_get_viewdef`, `pg_get_triggerdef`,
//! `pg_get_expr`; comments read from `pg_description` directly, as `obj_description` is
//! an SQL function run anew for every row), inside one read-only repeatable-read
//! transaction with an empty `search_path`, so every name the server prints is
//! schema-qualified and the text does not depend on the reader's settings. The queries follow migra's schemainspect (system
//! schemas and objects an extension owns are left out) and pg-schema-diff (partition
//! children's indexes, constraints and triggers come from their parent, so they are not
//! objects of their own).

use std::collections::BTreeMap;

use postgres::{Client, SimpleQueryMessage};

use super::filter::Filter;
use super::snapshot::{Kind, Name, Object, Snapshot};
use crate::sql::quote::quote_literal;

/// The settings of a transaction that reads the catalogs: a lock wait bounded, and no JIT
/// compilation (PostgreSQL 11+ compiles a query it thinks expensive — the catalog read of
/// a few thousand tables — and that took a second where the query takes 70 ms). One
/// statement: callers count statements.
pub(crate) const SETTINGS: &str = "SELECT pg_catalog.set_config('lock_timeout', '10s', true), \
     CASE WHEN current_setting('server_version_num')::int >= 110000 \
     THEN pg_catalog.set_config('jit', 'off', true) END;";

/// Not a system schema: the catalogs, information_schema, TOAST and temporary schemas.
const USER_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

/// [`USER_SCHEMA`], and only the schemas `filter` names when it names them exactly (no
/// wildcard): the server then reads one tenant's objects, not every tenant's.
fn user_schema(filter: &Filter) -> String {
    let exact =
        !filter.schemas.is_empty() && filter.schemas.iter().all(|s| !s.contains(['*', '?']));
    if !exact {
        return USER_SCHEMA.to_string();
    }
    let names: Vec<String> = filter.schemas.iter().map(|s| quote_literal(s)).collect();
    format!("{USER_SCHEMA} AND n.nspname IN ({})", names.join(", "))
}

/// Not an object an extension created (its member objects are the extension's).
fn not_extension_member(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '{catalog}'::regclass \
         AND e.objid = {oid} AND e.deptype = 'e')"
    )
}

/// An ACL as sorted `grantee:PRIVILEGE` items, role names rather than OIDs.
fn grants(acl: &str) -> String {
    format!(
        "(SELECT string_agg(g, ', ' ORDER BY g) FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' \
         ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END || ':' || a.privilege_type \
         || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS g \
         FROM pg_catalog.aclexplode({acl}) a) s)"
    )
}

/// Reads the schema of the database `client` is connected to, keeping what `filter`
/// keeps. Sends nothing that writes, and everything in one simple-query message — one
/// round trip, no prepared statements (so it works through a transaction pooler) —
/// whose statements' results are told apart by their command-complete messages.
pub(crate) fn read(client: &mut Client, filter: &Filter) -> anyhow::Result<Snapshot> {
    let script = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n\
         SET LOCAL search_path = '';\n\
         {SETTINGS}\n{}COMMIT;",
        queries_sql(filter)
    );
    // The statements before the queries: BEGIN, two SETs.
    const BEFORE: usize = 3;
    let messages = match client.simple_query(&script) {
        Ok(messages) => messages,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK");
            return Err(
                anyhow::Error::new(e).context("could not read the schema from the catalogs")
            );
        }
    };
    let mut statements: Vec<Vec<Row>> = vec![Vec::new()];
    for message in messages {
        match message {
            SimpleQueryMessage::CommandComplete(_) => statements.push(Vec::new()),
            SimpleQueryMessage::Row(row) => {
                let values = (0..row.len()).map(|i| row.get(i).map(str::to_string));
                statements
                    .last_mut()
                    .expect("one at least")
                    .push(values.collect());
            }
            _ => {}
        }
    }
    Ok(from_rows(statements.into_iter().skip(BEFORE), filter))
}

/// The statements [`from_rows`] reads, for a caller that sends them with its own (in a
/// transaction whose `search_path` is empty): the server's major, then one query per
/// kind of object, each ending with `;` and a line break.
pub(crate) fn queries_sql(filter: &Filter) -> String {
    let mut sql =
        String::from("SELECT (current_setting('server_version_num')::int / 10000)::text;\n");
    for (_, query) in queries(filter) {
        sql.push_str(&query);
        sql.push_str(";\n");
    }
    sql
}

/// One query whose one value changes whenever the schema `filter` keeps may have changed:
/// computed by the server, in one pass over the catalogs, without deparsing anything (a
/// tenth of what reading the snapshot costs). Every catalog row a snapshot is read from
/// counts by its row version (`xmin`, which every DDL statement that touches the row
/// renews), and a relation's and an index's own rows by their schema-relevant columns (so
/// a TRUNCATE, VACUUM FULL or CLUSTER, which give the table new files or mark an index
/// clustered, does not count). ferry's own tables are
/// left out. Two values are equal only when nothing changed (each row's 64-bit hash,
/// summed, with the row count); a change undone by hand, or a dump restored, reads as a
/// change, and the full comparison then decides.
pub(crate) fn fingerprint_sql(filter: &Filter) -> String {
    format!("SELECT value FROM ({}) f", fingerprint_rows(filter, false))
}

/// [`fingerprint_sql`] of each schema `filter` keeps, as rows `(schema, value)`: each
/// value is what [`fingerprint_sql`] gives for a filter naming that schema alone (a
/// schema-per-tenant fleet reads them all in one pass).
pub(crate) fn fingerprints_by_schema_sql(filter: &Filter) -> String {
    fingerprint_rows(filter, true)
}

fn fingerprint_rows(filter: &Filter, by_schema: bool) -> String {
    let user = user_schema(filter);
    let book_schema = filter
        .bookkeeping_schema
        .as_deref()
        .map_or("TRUE".to_string(), |s| {
            format!(
                "b.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = {})",
                quote_literal(s)
            )
        });
    let book_names: Vec<String> = filter
        .bookkeeping
        .iter()
        .map(|n| quote_literal(n))
        .collect();
    let book_names = if book_names.is_empty() {
        "NULL".to_string()
    } else {
        book_names.join(", ")
    };
    // Each row hashed to 64 bits, seeded with its key; the sum is order-free, so the
    // server sorts nothing. Row versions are hashed as numbers: no text is built for them.
    let version = |row: &str, key: &str| {
        format!("pg_catalog.hashint8extended({row}.xmin::text::int8, ({key})::int8)")
    };
    // Extensions belong to the database: counted in every schema's value.
    // Every schema has a row of its own in `v`, so each has a group.
    let (nsp, group, join, select) = if by_schema {
        (
            "nsp, ",
            "GROUP BY nsp",
            "JOIN ns n ON n.oid = a.nsp",
            "n.nspname::text AS schema, ",
        )
    } else {
        ("", "", "", "")
    };
    format!(
        "WITH ns AS (SELECT n.oid, n.nspname, n.xmin FROM pg_catalog.pg_namespace n WHERE {user}), \
         book AS (SELECT b.oid, b.reltype FROM pg_catalog.pg_class b WHERE b.relname IN ({book_names}) AND {book_schema}), \
         rel AS (SELECT c.oid, c.relnamespace AS nsp, pg_catalog.hashtextextended(pg_catalog.concat_ws(':', c.relname, \
             c.relkind, c.relnamespace, c.reloptions, c.relacl, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, \
             c.relreplident, c.relispartition, c.relpartbound, c.relowner, c.reltype, c.relam, c.reltablespace), \
             c.oid::int8) AS h FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace \
           WHERE c.oid NOT IN (SELECT oid FROM book) \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index x WHERE x.indexrelid = c.oid AND x.indrelid IN (SELECT oid FROM book))), \
         typ AS (SELECT t.oid, t.typnamespace AS nsp, t.xmin FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace \
           WHERE t.typrelid NOT IN (SELECT oid FROM book) AND t.typelem NOT IN (SELECT reltype FROM book)), \
         pro AS (SELECT p.oid, p.pronamespace AS nsp, p.xmin FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace), \
         con AS (SELECT k.oid, k.connamespace AS nsp, k.xmin FROM pg_catalog.pg_constraint k JOIN ns ON ns.oid = k.connamespace \
           WHERE k.conrelid NOT IN (SELECT oid FROM book)), \
         trg AS (SELECT g.oid, rel.nsp, g.xmin FROM pg_catalog.pg_trigger g JOIN rel ON rel.oid = g.tgrelid), \
         obj AS (SELECT oid, nsp FROM rel UNION ALL SELECT oid, oid FROM ns UNION ALL SELECT oid, nsp FROM typ \
           UNION ALL SELECT oid, nsp FROM pro UNION ALL SELECT oid, nsp FROM con UNION ALL SELECT oid, nsp FROM trg), \
         v(nsp, h) AS ( \
           SELECT nsp, h FROM rel \
           UNION ALL SELECT n.oid, {ns} FROM ns n \
           UNION ALL SELECT nsp, {typ} FROM typ t \
           UNION ALL SELECT nsp, {pro} FROM pro p \
           UNION ALL SELECT nsp, {con} FROM con k \
           UNION ALL SELECT nsp, {trg} FROM trg g \
           UNION ALL SELECT rel.nsp, {att} FROM pg_catalog.pg_attribute a JOIN rel ON rel.oid = a.attrelid WHERE a.attnum > 0 \
           UNION ALL SELECT rel.nsp, {def} FROM pg_catalog.pg_attrdef d JOIN rel ON rel.oid = d.adrelid \
           UNION ALL SELECT rel.nsp, pg_catalog.hashtextextended(pg_catalog.concat_ws(':', i.indrelid, i.indisunique, \
             i.indisprimary, i.indisexclusion, i.indimmediate, i.indisvalid, i.indkey, i.indcollation, i.indclass, \
             i.indoption, i.indexprs, i.indpred), i.indexrelid::int8) FROM pg_catalog.pg_index i JOIN rel ON rel.oid = i.indrelid \
           UNION ALL SELECT typ.nsp, {enm} FROM pg_catalog.pg_enum e JOIN typ ON typ.oid = e.enumtypid \
           UNION ALL SELECT rel.nsp, {rew} FROM pg_catalog.pg_rewrite r JOIN rel ON rel.oid = r.ev_class \
           UNION ALL SELECT rel.nsp, {pol} FROM pg_catalog.pg_policy o JOIN rel ON rel.oid = o.polrelid \
           UNION ALL SELECT rel.nsp, {seq} FROM pg_catalog.pg_sequence q JOIN rel ON rel.oid = q.seqrelid \
           UNION ALL SELECT rel.nsp, {inh} FROM pg_catalog.pg_inherits h JOIN rel ON rel.oid = h.inhrelid \
           UNION ALL SELECT rel.nsp, {par} FROM pg_catalog.pg_partitioned_table q JOIN rel ON rel.oid = q.partrelid \
           UNION ALL SELECT obj.nsp, {dsc} FROM pg_catalog.pg_description m JOIN obj ON obj.oid = m.objoid), \
         ext AS (SELECT count(*) AS c, coalesce(sum({ext}), 0) AS s FROM pg_catalog.pg_extension x) \
         SELECT {select}pg_catalog.md5(pg_catalog.concat_ws(':', current_setting('server_version_num')::int / 10000, \
           a.c + ext.c, a.s + ext.s)) AS value \
         FROM (SELECT {nsp}count(*) AS c, coalesce(sum(h), 0) AS s FROM v {group}) a {join} CROSS JOIN ext",
        ns = version("n", "n.oid"),
        typ = version("t", "t.oid"),
        pro = version("p", "p.oid"),
        con = version("k", "k.oid"),
        trg = version("g", "g.oid"),
        att = version("a", "a.attrelid::int8 * 4096 + a.attnum"),
        def = version("d", "d.oid"),
        enm = version("e", "e.oid"),
        rew = version("r", "r.oid"),
        pol = version("o", "o.oid"),
        seq = version("q", "q.seqrelid"),
        inh = version("h", "h.inhrelid::int8 * 65536 + h.inhseqno"),
        par = version("q", "q.partrelid"),
        ext = version("x", "x.oid"),
        dsc = version("m", "m.objoid::int8 * 4096 + m.objsubid"),
    )
}

/// The snapshot from the rows of [`queries_sql`]'s statements, in order (statements
/// after them are ignored).
pub(crate) fn from_rows(
    statements: impl IntoIterator<Item = Vec<Row>>,
    filter: &Filter,
) -> Snapshot {
    let mut reader = Reader {
        snapshot: Snapshot::default(),
        filter,
    };
    let mut statements = statements.into_iter();
    if let Some(version) = statements.next() {
        reader.snapshot.major = version
            .into_iter()
            .next()
            .and_then(|row| row.into_iter().next().flatten())
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
    }
    for ((kind, _), rows) in queries(filter).into_iter().zip(statements) {
        for row in rows {
            reader.add(kind, row);
        }
    }
    reader.snapshot
}

/// The catalog queries prepared once on a connection that reads many snapshots (`ferry
/// test` reads three per migration): the server plans them once, which is about a third
/// of its work per snapshot. What it reads is exactly what [`read`] reads (a test
/// compares them); it uses the extended protocol, so not through a transaction pooler.
pub(crate) struct Prepared {
    version: postgres::Statement,
    statements: Vec<(Query, postgres::Statement)>,
}

impl Prepared {
    pub(crate) fn new(client: &mut Client) -> anyhow::Result<Self> {
        // Prepared with an empty search_path, as `read` runs them, in a transaction so
        // that the session's own is back afterwards (migrations run on it too).
        let mut tx = client.transaction()?;
        tx.batch_execute("SET LOCAL search_path = ''")?;
        let version =
            tx.prepare("SELECT (current_setting('server_version_num')::int / 10000)::text")?;
        let statements = queries(&Filter::default())
            .into_iter()
            .map(|(kind, sql)| Ok((kind, tx.prepare(&sql)?)))
            .collect::<anyhow::Result<_>>()?;
        tx.commit()?;
        Ok(Prepared {
            version,
            statements,
        })
    }

    /// The snapshot of the database `client` (the one these were prepared on) is on.
    pub(crate) fn read(&self, client: &mut Client, filter: &Filter) -> anyhow::Result<Snapshot> {
        let mut tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        tx.batch_execute(&format!("SET LOCAL search_path = ''; {SETTINGS}"))?;
        let major: Option<String> = tx.query_one(&self.version, &[])?.get(0);
        let mut reader = Reader {
            snapshot: Snapshot {
                major: major.and_then(|m| m.parse().ok()).unwrap_or_default(),
                ..Snapshot::default()
            },
            filter,
        };
        for (kind, statement) in &self.statements {
            for row in tx.query(statement, &[])? {
                let values: Vec<Option<String>> = (0..row.len()).map(|i| row.get(i)).collect();
                reader.add(*kind, values);
            }
        }
        tx.commit()?;
        Ok(reader.snapshot)
    }
}

struct Reader<'f> {
    snapshot: Snapshot,
    filter: &'f Filter,
}

/// The value of each query's columns, in order, for one row.
pub(crate) type Row = Vec<Option<String>>;

impl Reader<'_> {
    fn add(&mut self, kind: Query, mut row: Row) {
        let mut take = |i: usize| row.get_mut(i).and_then(Option::take);
        let text = |v: Option<String>| v.unwrap_or_default();
        let (object_kind, name, fields): (Kind, Name, Vec<(&str, Option<String>)>) = match kind {
            Query::Schemas => (
                Kind::Schema,
                Name::new(None, None, text(take(0))),
                vec![
                    ("owner", take(1)),
                    ("comment", take(2)),
                    ("grants", take(3)),
                ],
            ),
            Query::Extensions => (
                Kind::Extension,
                Name::new(None, None, text(take(0))),
                vec![("version", take(1)), ("schema", take(2))],
            ),
            Query::Types => {
                let name = Name::new(take(0), None, text(take(1)));
                let kind = match take(2).as_deref() {
                    Some("e") => "enum",
                    Some("c") => "composite",
                    Some("d") => "domain",
                    _ => "range",
                };
                (
                    Kind::Type,
                    name,
                    vec![
                        ("type", Some(kind.to_string())),
                        ("base", take(3)),
                        ("not_null", take(4).filter(|v| v == "true")),
                        ("default", take(5)),
                        ("collation", take(6)),
                        ("values", take(7)),
                        ("attributes", take(8)),
                        ("subtype", take(9)),
                        ("comment", take(10)),
                        ("owner", take(11)),
                        ("grants", take(12)),
                    ],
                )
            }
            Query::DomainChecks => {
                // A domain's CHECK constraints are fields of the domain.
                let name = Name::new(take(0), None, text(take(1)));
                let check = format!("check {}", text(take(2)));
                let definition = take(3);
                if let Some(domain) = self.snapshot.objects.get_mut(&(Kind::Type, name)) {
                    domain.fields.insert(check, definition.unwrap_or_default());
                }
                return;
            }
            Query::Relations => {
                let name = Name::new(take(0), None, text(take(1)));
                let relkind = take(2);
                let kind = match relkind.as_deref() {
                    Some("v") => Kind::View,
                    Some("m") => Kind::MaterializedView,
                    Some("S") => Kind::Sequence,
                    _ => Kind::Table,
                };
                let mut definition = take(11).map(|d| d.trim().trim_end_matches(';').to_string());
                if self.snapshot.major <= 15 {
                    definition = definition.map(|d| super::viewdef::as_on_16(&d));
                }
                // A partition's one parent is its table; other parents are inheritance.
                let (bound, parents) = (take(5), take(6));
                let (partition_of, inherits) = match bound {
                    Some(_) => (parents, None),
                    None => (None, parents),
                };
                (
                    kind,
                    name,
                    vec![
                        (
                            "partitioned",
                            (relkind.as_deref() == Some("p")).then(|| "true".into()),
                        ),
                        (
                            "unlogged",
                            take(3).filter(|p| p == "u").map(|_| "true".into()),
                        ),
                        ("partition_by", take(4)),
                        ("partition_of", partition_of),
                        ("partition_bound", bound),
                        ("inherits", inherits),
                        ("row_security", take(7).filter(|v| v == "true")),
                        ("force_row_security", take(8).filter(|v| v == "true")),
                        ("replica_identity", take(9).filter(|v| v != "d")),
                        ("options", take(10)),
                        ("definition", definition),
                        ("comment", take(12)),
                        ("owner", take(13)),
                        ("grants", take(14)),
                        ("as", take(15)),
                        ("increment", take(16)),
                        ("min", take(17)),
                        ("max", take(18)),
                        ("start", take(19)),
                        ("cache", take(20)),
                        ("cycle", take(21).filter(|v| v == "true")),
                        ("owned_by", take(22)),
                        ("replica_identity_index", take(23)),
                        ("reads_views", take(24)),
                    ],
                )
            }
            Query::Columns => (
                Kind::Column,
                Name::new(take(0), take(1), text(take(2))),
                vec![
                    ("position", take(3)),
                    ("type", take(4)),
                    ("collation", take(5)),
                    ("not_null", take(6).filter(|v| v == "true")),
                    ("default", take(7)),
                    (
                        "identity",
                        take(8).map(|i| if i == "a" { "always" } else { "by default" }.into()),
                    ),
                    ("generated", take(9)),
                    (
                        "generated_kind",
                        take(10).map(|g| if g == "v" { "virtual" } else { "stored" }.into()),
                    ),
                    ("comment", take(11)),
                    (
                        "inherited",
                        take(12).filter(|v| v == "false").map(|_| "true".into()),
                    ),
                    ("grants", take(13)),
                ],
            ),
            Query::Constraints => (
                Kind::Constraint,
                Name::new(take(0), take(1), text(take(2))),
                vec![
                    ("type", take(3).map(|t| constraint_type(&t).into())),
                    ("definition", take(4)),
                    ("validated", take(5)),
                    ("comment", take(6)),
                    ("references", take(7)),
                ],
            ),
            Query::Indexes => (
                Kind::Index,
                Name::new(take(0), None, text(take(1))),
                vec![
                    ("table", take(2)),
                    ("definition", take(3)),
                    ("valid", take(4)),
                    ("comment", take(5)),
                ],
            ),
            Query::Functions => {
                let schema = take(0);
                let procedure = take(3).as_deref() == Some("p");
                // PostgreSQL 14 and later spell a procedure's input arguments `IN n
                // integer` (procedures may have OUT ones since), 13 `n integer`: the same
                // procedure reads the same on both without the keyword.
                let name = format!("{}({})", text(take(1)), without_in(&text(take(2))));
                let definition = take(4).map(|d| {
                    let d = d.trim_end();
                    match d.split_once('\n') {
                        Some((header, body)) if procedure => {
                            format!("{}\n{body}", without_in(header))
                        }
                        _ => d.to_string(),
                    }
                });
                (
                    Kind::Function,
                    Name::new(schema, None, name),
                    vec![
                        (
                            "kind",
                            Some(if procedure { "procedure" } else { "function" }.into()),
                        ),
                        ("definition", definition),
                        ("comment", take(5)),
                        ("owner", take(6)),
                        ("grants", take(7)),
                        ("uses_row_types", take(8).filter(|v| v == "true")),
                    ],
                )
            }
            Query::Triggers => (
                Kind::Trigger,
                Name::new(take(0), take(1), text(take(2))),
                vec![
                    ("definition", take(3)),
                    ("enabled", take(4).filter(|e| e != "O")),
                    ("comment", take(5)),
                ],
            ),
            Query::Policies => (
                Kind::Policy,
                Name::new(take(0), take(1), text(take(2))),
                vec![
                    ("command", take(3).map(|c| policy_command(&c).into())),
                    ("permissive", take(4)),
                    ("roles", take(5)),
                    ("using", take(6)),
                    ("with_check", take(7)),
                ],
            ),
        };
        if !self.filter.keeps(object_kind, &name) {
            return;
        }
        // A sequence a column owns (serial) goes where its table goes.
        if let Some((schema, table, _)) = fields
            .iter()
            .find(|(f, _)| *f == "owned_by")
            .and_then(|(_, v)| v.as_deref())
            .and_then(split_column)
        {
            if !self
                .filter
                .keeps(Kind::Table, &Name::new(Some(schema), None, table))
            {
                return;
            }
        }
        let privileges = self.filter.privileges;
        let fields: BTreeMap<String, String> = fields
            .into_iter()
            .filter(|(field, _)| privileges || !matches!(*field, "owner" | "grants"))
            .filter_map(|(field, value)| value.map(|v| (field.to_string(), v)))
            .collect();
        self.snapshot.insert(Object {
            kind: object_kind,
            name,
            fields,
        });
    }
}

/// A procedure's argument list without the `IN` mode 14 and later print (`IN n integer,
/// IN m text` is `n integer, m text`).
fn without_in(arguments: &str) -> String {
    let opened = arguments.replace("(IN ", "(").replace(", IN ", ", ");
    opened.strip_prefix("IN ").unwrap_or(&opened).to_string()
}

/// `schema.table.column` as the catalogs quote it, in its three parts (unquoted).
fn split_column(text: &str) -> Option<(String, String, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    match <[String; 3]>::try_from(parts) {
        Ok([schema, table, column]) => Some((schema, table, column)),
        Err(_) => None,
    }
}

fn constraint_type(contype: &str) -> &'static str {
    match contype {
        "p" => "primary key",
        "u" => "unique",
        "f" => "foreign key",
        "x" => "exclusion",
        _ => "check",
    }
}

fn policy_command(polcmd: &str) -> &'static str {
    match polcmd {
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        _ => "ALL",
    }
}

#[derive(Debug, Clone, Copy)]
enum Query {
    Schemas,
    Extensions,
    Types,
    DomainChecks,
    Relations,
    Columns,
    Constraints,
    Indexes,
    Functions,
    Triggers,
    Policies,
}

/// The queries, in the order they run (a domain's checks after the domain).
fn queries(filter: &Filter) -> Vec<(Query, String)> {
    let user = user_schema(filter);
    let rel_name = "pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(r.relname)";
    vec![
        (
            Query::Schemas,
            format!(
                "SELECT n.nspname::text, pg_catalog.pg_get_userbyid(n.nspowner)::text, \
                 (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0), {} \
                 FROM pg_catalog.pg_namespace n WHERE {user} AND {}",
                grants("n.nspacl"),
                not_extension_member("pg_namespace", "n.oid")
            ),
        ),
        (
            Query::Extensions,
            "SELECT x.extname::text, x.extversion, n.nspname::text FROM pg_catalog.pg_extension x \
             JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'"
                .to_string(),
        ),
        (
            Query::Types,
            format!(
                "SELECT n.nspname::text, t.typname::text, t.typtype::text, \
                 CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END, \
                 t.typnotnull::text, t.typdefault, \
                 CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> \
                   (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype) \
                   THEN (SELECT pg_catalog.quote_ident(c.collname) FROM pg_catalog.pg_collation c WHERE c.oid = t.typcollation) END, \
                 CASE WHEN t.typtype = 'e' THEN (SELECT string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) \
                   FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) END, \
                 CASE WHEN t.typtype = 'c' THEN (SELECT string_agg(pg_catalog.quote_ident(a.attname) || ' ' || \
                   pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) \
                   FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END, \
                 CASE WHEN t.typtype = 'r' THEN (SELECT pg_catalog.format_type(g.rngsubtype, NULL) \
                   FROM pg_catalog.pg_range g WHERE g.rngtypid = t.oid) END, \
                 (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0), pg_catalog.pg_get_userbyid(t.typowner)::text, {} \
                 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 WHERE t.typtype IN ('e', 'c', 'd', 'r') AND {user} AND {} \
                 AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c') \
                 AND (t.typtype <> 'c' OR {})",
                grants("t.typacl"),
                not_extension_member("pg_type", "t.oid"),
                not_extension_member("pg_class", "t.typrelid")
            ),
        ),
        (
            Query::DomainChecks,
            format!(
                "SELECT n.nspname::text, t.typname::text, k.conname::text, pg_catalog.pg_get_constraintdef(k.oid) \
                 FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_type t ON t.oid = k.contypid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 WHERE k.contypid <> 0 AND k.contype = 'c' AND {user} AND {}",
                not_extension_member("pg_type", "t.oid")
            ),
        ),
        (
            Query::Relations,
            format!(
                "SELECT n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text, \
                 CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, \
                 CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, \
                 (SELECT string_agg({rel_name}, ', ' ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i \
                   JOIN pg_catalog.pg_class r ON r.oid = i.inhparent JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace \
                   WHERE i.inhrelid = c.oid), \
                 c.relrowsecurity::text, c.relforcerowsecurity::text, c.relreplident::text, \
                 (SELECT string_agg(o, ', ' ORDER BY o) FROM unnest(c.reloptions) o), \
                 CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END, \
                 (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0), pg_catalog.pg_get_userbyid(c.relowner)::text, {}, \
                 pg_catalog.format_type(s.seqtypid, NULL), s.seqincrement::text, s.seqmin::text, s.seqmax::text, \
                 s.seqstart::text, s.seqcache::text, s.seqcycle::text, \
                 (SELECT {rel_name} || '.' || pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_depend d \
                   JOIN pg_catalog.pg_class r ON r.oid = d.refobjid JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace \
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = d.refobjsubid \
                   WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid \
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1), \
                 (SELECT ic.relname::text FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid \
                   WHERE c.relreplident = 'i' AND x.indrelid = c.oid AND x.indisreplident), \
                 (SELECT string_agg(DISTINCT {rel_name}, ' ') FROM pg_catalog.pg_rewrite w \
                   JOIN pg_catalog.pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid \
                   AND d.refclassid = 'pg_class'::regclass \
                   JOIN pg_catalog.pg_class r ON r.oid = d.refobjid JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace \
                   WHERE c.relkind IN ('v', 'm') AND w.ev_class = c.oid AND r.oid <> c.oid AND r.relkind IN ('v', 'm')) \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid \
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND {user} AND {} \
                 AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d \
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i'))",
                grants("c.relacl"),
                not_extension_member("pg_class", "c.oid")
            ),
        ),
        (
            Query::Columns,
            format!(
                "SELECT n.nspname::text, c.relname::text, a.attname::text, \
                 (row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::text, \
                 pg_catalog.format_type(a.atttypid, a.atttypmod), \
                 CASE WHEN a.attcollation <> t.typcollation THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN '' \
                   ELSE pg_catalog.quote_ident(cn.nspname) || '.' END || pg_catalog.quote_ident(co.collname) \
                   FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
                   WHERE co.oid = a.attcollation) END, \
                 a.attnotnull::text, \
                 CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, \
                 NULLIF(a.attidentity, '')::text, \
                 CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, \
                 NULLIF(a.attgenerated, '')::text, \
                 (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = c.oid \
                   AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum), a.attislocal::text, {} \
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
                 LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {user} AND {}",
                grants("a.attacl"),
                not_extension_member("pg_class", "c.oid")
            ),
        ),
        (
            Query::Constraints,
            format!(
                "SELECT n.nspname::text, c.relname::text, k.conname::text, k.contype::text, \
                 pg_catalog.pg_get_constraintdef(k.oid), k.convalidated::text, \
                 (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0), \
                 (SELECT {rel_name} FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace \
                   WHERE k.contype = 'f' AND r.oid = k.confrelid) \
                 FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE k.contype IN ('c', 'f', 'p', 'u', 'x') AND k.conparentid = 0 AND k.conislocal \
                 AND {user} AND {}",
                not_extension_member("pg_class", "c.oid")
            ),
        ),
        (
            Query::Indexes,
            format!(
                "SELECT n.nspname::text, i.relname::text, c.relname::text, pg_catalog.pg_get_indexdef(i.oid), \
                 x.indisvalid::text, (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = i.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0) \
                 FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_catalog.pg_class c ON c.oid = x.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace \
                 WHERE c.relkind IN ('r', 'p', 'm') AND {user} AND {} AND {} \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.oid \
                   AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x')) \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.oid)",
                not_extension_member("pg_class", "c.oid"),
                not_extension_member("pg_class", "i.oid")
            ),
        ),
        (
            Query::Functions,
            format!(
                "SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid), \
                 p.prokind::text, pg_catalog.pg_get_functiondef(p.oid), (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0), \
                 pg_catalog.pg_get_userbyid(p.proowner)::text, {}, \
                 EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class r ON r.oid = t.typrelid \
                   WHERE t.oid = ANY (p.proargtypes::oid[] || p.prorettype) AND r.relkind <> 'c')::text \
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE p.prokind IN ('f', 'p', 'w') AND {user} AND {} \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::regclass \
                   AND d.objid = p.oid AND d.deptype = 'i')",
                grants("p.proacl"),
                not_extension_member("pg_proc", "p.oid")
            ),
        ),
        (
            Query::Triggers,
            format!(
                "SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid), \
                 t.tgenabled::text, (SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0) \
                 FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {user} AND {}",
                not_extension_member("pg_class", "c.oid")
            ),
        ),
        (
            Query::Policies,
            format!(
                "SELECT n.nspname::text, c.relname::text, p.polname::text, p.polcmd::text, p.polpermissive::text, \
                 (SELECT string_agg(r, ', ' ORDER BY r) FROM (SELECT CASE WHEN o = 0 THEN 'public' \
                   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(o)) END AS r FROM unnest(p.polroles) o) s), \
                 pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) \
                 FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE {user} AND {}",
                not_extension_member("pg_class", "c.oid")
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_arguments_read_the_same_on_13_and_14() {
        assert_eq!(without_in("IN n integer, IN m text"), "n integer, m text");
        assert_eq!(
            without_in("CREATE OR REPLACE PROCEDURE kinds.noop(IN n integer, INOUT r int)"),
            "CREATE OR REPLACE PROCEDURE kinds.noop(n integer, INOUT r int)"
        );
        assert_eq!(without_in("n integer"), "n integer");
    }

    #[test]
    fn owned_by_splits_quoted_names() {
        assert_eq!(
            split_column(r#"public."my.table"."Id""#),
            Some(("public".into(), "my.table".into(), "Id".into()))
        );
        assert_eq!(split_column("a.b"), None);
    }
}
