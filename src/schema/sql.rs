//! A snapshot as canonical SQL: every object once, in an order an empty database accepts
//! (schemas, extensions, types, sequences, functions, tables parents first, views after
//! what they read, constraints with foreign keys last, indexes, triggers, policies,
//! comments, then owners and grants when the snapshot has them). The same snapshot always
//! gives the same text, and loading it into an empty database gives an equal snapshot.
//!
//! Function bodies are not checked while loading (`check_function_bodies = off`), so a
//! function may name tables created after it; a function whose arguments or result are a
//! table's row type comes after the tables.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::snapshot::{Kind, Name, Object, Snapshot};
use crate::sql::quote::quote_literal;

/// PostgreSQL's reserved key words: an identifier that is one of them is quoted.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// An identifier as PostgreSQL's `quote_ident` writes it: bare when it can be.
pub(crate) fn ident(name: &str) -> String {
    let simple = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if simple && !RESERVED.contains(&name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `schema.name` quoted.
pub(super) fn qualified(name: &Name) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", ident(schema), ident(&name.name)),
        None => ident(&name.name),
    }
}

/// The table an object belongs to, quoted.
pub(super) fn table_of(name: &Name) -> String {
    format!(
        "{}.{}",
        ident(name.schema.as_deref().unwrap_or("public")),
        ident(name.table.as_deref().unwrap_or_default())
    )
}

/// A function's name with its argument types: `schema.f(integer, text)`, quoted.
pub(super) fn function_name(name: &Name) -> String {
    let (bare, args) = name.name.split_once('(').unwrap_or((&name.name, ")"));
    format!(
        "{}.{}({args}",
        ident(name.schema.as_deref().unwrap_or("public")),
        ident(bare)
    )
}

/// The whole snapshot as SQL.
pub(crate) fn dump(snapshot: &Snapshot) -> String {
    dump_with_data(snapshot, Vec::new())
}

/// [`dump`] with `data` (statements that fill tables and set sequences) after the tables
/// and views and before their constraints, indexes and triggers: rows go in as they are,
/// checked once when a constraint is added, and no trigger fires on them.
pub(crate) fn dump_with_data(snapshot: &Snapshot, data: Vec<String>) -> String {
    let mut out = String::new();
    out.push_str(
        "-- The schema, as `ferry schema dump` writes it: canonical, in dependency order.\n",
    );
    out.push_str("SET check_function_bodies = false;\n");
    let mut section = |title: &str, statements: Vec<String>| {
        if statements.is_empty() {
            return;
        }
        let _ = write!(out, "\n-- {title}\n");
        for statement in statements {
            out.push_str(&statement);
            out.push('\n');
        }
    };
    section(
        "schemas",
        snapshot.of_kind(Kind::Schema).map(schema).collect(),
    );
    section(
        "extensions",
        snapshot.of_kind(Kind::Extension).map(extension).collect(),
    );
    section("types", types(snapshot));
    section(
        "sequences",
        snapshot.of_kind(Kind::Sequence).map(sequence).collect(),
    );
    let (late, early): (Vec<&Object>, Vec<&Object>) = snapshot
        .of_kind(Kind::Function)
        .partition(|f| f.is("uses_row_types") || has_sql_body(f));
    section("functions", early.into_iter().map(function).collect());
    section("tables", tables(snapshot));
    section("views", views(snapshot));
    section("data", data);
    section(
        "sequence owners",
        snapshot
            .of_kind(Kind::Sequence)
            .filter_map(|s| {
                s.get("owned_by")
                    .map(|owner| format!("ALTER SEQUENCE {} OWNED BY {owner};", qualified(&s.name)))
            })
            .collect(),
    );
    let (foreign, others): (Vec<&Object>, Vec<&Object>) = snapshot
        .of_kind(Kind::Constraint)
        .partition(|c| c.get("type") == Some("foreign key"));
    section("constraints", others.into_iter().map(constraint).collect());
    section(
        "foreign keys",
        foreign.into_iter().map(constraint).collect(),
    );
    section(
        "indexes",
        snapshot.of_kind(Kind::Index).map(index).collect(),
    );
    section(
        "functions on row types, and SQL-standard bodies (checked when created)",
        late.into_iter().map(function).collect(),
    );
    section("table settings", table_settings(snapshot));
    section(
        "triggers",
        snapshot.of_kind(Kind::Trigger).flat_map(trigger).collect(),
    );
    section(
        "policies",
        snapshot.of_kind(Kind::Policy).map(policy).collect(),
    );
    section("comments", comments(snapshot));
    section("owners and grants", privileges(snapshot));
    out
}

pub(super) fn schema(object: &Object) -> String {
    format!("CREATE SCHEMA IF NOT EXISTS {};", ident(&object.name.name))
}

pub(super) fn extension(object: &Object) -> String {
    let mut sql = format!(
        "CREATE EXTENSION IF NOT EXISTS {}",
        ident(&object.name.name)
    );
    if let Some(schema) = object.get("schema") {
        let _ = write!(sql, " WITH SCHEMA {}", ident(schema));
    }
    // Without its version: that is the server's (the one its packages ship), not the
    // migrations', and the same migrations give the same text on every server. The
    // snapshot has it (`--format json`), and `schema diff` compares it.
    sql.push(';');
    sql
}

/// Enums and ranges, then domains (which may be over them), then composite types.
fn types(snapshot: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for wanted in ["enum", "range", "domain", "composite"] {
        for t in snapshot
            .of_kind(Kind::Type)
            .filter(|t| t.get("type") == Some(wanted))
        {
            out.push(type_sql(t));
        }
    }
    out
}

/// One type (or domain) created.
pub(super) fn type_sql(t: &Object) -> String {
    let name = qualified(&t.name);
    match t.get("type").unwrap_or_default() {
        "enum" => format!(
            "CREATE TYPE {name} AS ENUM ({});",
            t.get("values").unwrap_or_default()
        ),
        "range" => format!(
            "CREATE TYPE {name} AS RANGE (subtype = {});",
            t.get("subtype").unwrap_or_default()
        ),
        "composite" => format!(
            "CREATE TYPE {name} AS ({});",
            t.get("attributes").unwrap_or_default()
        ),
        _ => {
            let mut sql = format!(
                "CREATE DOMAIN {name} AS {}",
                t.get("base").unwrap_or_default()
            );
            if let Some(collation) = t.get("collation") {
                let _ = write!(sql, " COLLATE {collation}");
            }
            if let Some(default) = t.get("default") {
                let _ = write!(sql, " DEFAULT {default}");
            }
            if t.is("not_null") {
                sql.push_str(" NOT NULL");
            }
            for (field, check) in &t.fields {
                if let Some(constraint) = field.strip_prefix("check ") {
                    let _ = write!(sql, " CONSTRAINT {} {check}", ident(constraint));
                }
            }
            sql.push(';');
            sql
        }
    }
}

/// A sequence's option fields and the clauses that set them.
pub(super) const SEQUENCE_OPTIONS: [(&str, &str); 6] = [
    ("as", "AS"),
    ("increment", "INCREMENT BY"),
    ("min", "MINVALUE"),
    ("max", "MAXVALUE"),
    ("start", "START WITH"),
    ("cache", "CACHE"),
];

pub(super) fn sequence(object: &Object) -> String {
    let mut sql = format!("CREATE SEQUENCE {}", qualified(&object.name));
    for (field, clause) in SEQUENCE_OPTIONS {
        if let Some(value) = object.get(field) {
            let _ = write!(sql, " {clause} {value}");
        }
    }
    if object.is("cycle") {
        sql.push_str(" CYCLE");
    }
    sql.push(';');
    sql
}

/// A SQL-standard body (`BEGIN ATOMIC … END`, `RETURN …`) is parsed when the function is
/// created, whatever `check_function_bodies` says, so what it names must exist first.
fn has_sql_body(f: &Object) -> bool {
    let definition = f.get("definition").unwrap_or_default();
    definition.contains(" LANGUAGE sql\n") && !definition.contains("\nAS ")
}

pub(super) fn function(object: &Object) -> String {
    format!("{};", object.get("definition").unwrap_or_default())
}

/// Tables, a partition or inheritance child after its parents.
fn tables(snapshot: &Snapshot) -> Vec<String> {
    let all: Vec<&Object> = snapshot.of_kind(Kind::Table).collect();
    let parents_of = |t: &Object| -> Vec<String> {
        t.get("partition_of")
            .or(t.get("inherits"))
            .map(|p| p.split(", ").map(str::to_string).collect())
            .unwrap_or_default()
    };
    let keys: Vec<String> = all.iter().map(|t| qualified(&t.name)).collect();
    let order = topological(&keys, |i| parents_of(all[i]));
    order.into_iter().map(|i| table(snapshot, all[i])).collect()
}

pub(super) fn table(snapshot: &Snapshot, t: &Object) -> String {
    let name = qualified(&t.name);
    let unlogged = if t.is("unlogged") { "UNLOGGED " } else { "" };
    let mut columns: Vec<&Object> = snapshot
        .on_table(Kind::Column, &t.name)
        .filter(|c| !c.is("inherited"))
        .collect();
    columns.sort_by_key(|c| c.get("position").and_then(|p| p.parse::<u32>().ok()));
    let columns: Vec<String> = columns.into_iter().map(column).collect();
    let mut sql = match t.get("partition_of") {
        Some(parent) => {
            let mut sql = format!("CREATE {unlogged}TABLE {name} PARTITION OF {parent}");
            if !columns.is_empty() {
                let _ = write!(sql, " (\n    {}\n)", columns.join(",\n    "));
            }
            let _ = write!(sql, " {}", t.get("partition_bound").unwrap_or_default());
            sql
        }
        None => {
            let mut sql = format!("CREATE {unlogged}TABLE {name} (");
            if !columns.is_empty() {
                let _ = write!(sql, "\n    {}\n", columns.join(",\n    "));
            }
            sql.push(')');
            if let Some(parents) = t.get("inherits") {
                let _ = write!(sql, " INHERITS ({parents})");
            }
            sql
        }
    };
    if let Some(key) = t.get("partition_by") {
        let _ = write!(sql, " PARTITION BY {key}");
    }
    if let Some(options) = t.get("options") {
        let _ = write!(sql, " WITH ({options})");
    }
    sql.push(';');
    sql
}

pub(super) fn column(c: &Object) -> String {
    let mut sql = format!(
        "{} {}",
        ident(&c.name.name),
        c.get("type").unwrap_or_default()
    );
    if let Some(collation) = c.get("collation") {
        let _ = write!(sql, " COLLATE {collation}");
    }
    if let Some(expr) = c.get("generated") {
        let kind = c.get("generated_kind").unwrap_or("stored").to_uppercase();
        let _ = write!(sql, " GENERATED ALWAYS AS ({expr}) {kind}");
    } else if let Some(identity) = c.get("identity") {
        let _ = write!(sql, " GENERATED {} AS IDENTITY", identity.to_uppercase());
    } else if let Some(default) = c.get("default") {
        let _ = write!(sql, " DEFAULT {default}");
    }
    if c.is("not_null") {
        sql.push_str(" NOT NULL");
    }
    sql
}

/// Views and materialized views, each after the views it reads.
fn views(snapshot: &Snapshot) -> Vec<String> {
    let all: Vec<&Object> = snapshot
        .of_kind(Kind::View)
        .chain(snapshot.of_kind(Kind::MaterializedView))
        .collect();
    let keys: Vec<String> = all.iter().map(|v| qualified(&v.name)).collect();
    let order = topological(&keys, |i| {
        all[i]
            .get("reads_views")
            .map(|r| r.split(' ').map(str::to_string).collect())
            .unwrap_or_default()
    });
    order.into_iter().map(|i| view(all[i])).collect()
}

/// One view or materialized view created.
pub(super) fn view(v: &Object) -> String {
    let what = if v.kind == Kind::View {
        "VIEW"
    } else {
        "MATERIALIZED VIEW"
    };
    let options = v
        .get("options")
        .map(|o| format!(" WITH ({o})"))
        .unwrap_or_default();
    format!(
        "CREATE {what} {}{options} AS\n{};",
        qualified(&v.name),
        v.get("definition").unwrap_or_default()
    )
}

/// Indexes of `keys` in an order where each comes after those `deps` names (names not
/// among `keys` are ignored; a cycle, which PostgreSQL does not allow, keeps name order).
fn topological(keys: &[String], deps: impl Fn(usize) -> Vec<String>) -> Vec<usize> {
    let position: BTreeMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut done = BTreeSet::new();
    let mut order = Vec::new();
    fn visit(
        i: usize,
        deps: &dyn Fn(usize) -> Vec<String>,
        position: &BTreeMap<&str, usize>,
        done: &mut BTreeSet<usize>,
        order: &mut Vec<usize>,
        depth: usize,
    ) {
        if done.contains(&i) || depth > position.len() {
            return;
        }
        for dep in deps(i) {
            if let Some(&j) = position.get(dep.as_str()) {
                if j != i {
                    visit(j, deps, position, done, order, depth + 1);
                }
            }
        }
        if done.insert(i) {
            order.push(i);
        }
    }
    for i in 0..keys.len() {
        visit(i, &deps, &position, &mut done, &mut order, 0);
    }
    order
}

/// An index as the server defines it, except that one on a partitioned table is created
/// on the whole tree (`ON`, not the `ON ONLY` the server prints, which would leave it
/// invalid until each partition's index were attached): the partitions' own indexes
/// follow from it, as they are not objects of their own.
pub(super) fn index(i: &Object) -> String {
    let definition = i.get("definition").unwrap_or_default();
    format!("{};", definition.replacen(" ON ONLY ", " ON ", 1))
}

pub(super) fn constraint(c: &Object) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {};",
        table_of(&c.name),
        ident(&c.name.name),
        c.get("definition").unwrap_or_default()
    )
}

/// Row-level security and replica identity, after the indexes a replica identity names.
fn table_settings(snapshot: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for t in snapshot.of_kind(Kind::Table) {
        let name = qualified(&t.name);
        if t.is("row_security") {
            out.push(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;"));
        }
        if t.is("force_row_security") {
            out.push(format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY;"));
        }
        match t.get("replica_identity") {
            Some("f") => out.push(format!("ALTER TABLE {name} REPLICA IDENTITY FULL;")),
            Some("n") => out.push(format!("ALTER TABLE {name} REPLICA IDENTITY NOTHING;")),
            Some("i") => out.push(format!(
                "ALTER TABLE {name} REPLICA IDENTITY USING INDEX {};",
                ident(t.get("replica_identity_index").unwrap_or_default())
            )),
            _ => {}
        }
    }
    out
}

pub(super) fn trigger(t: &Object) -> Vec<String> {
    let mut out = vec![format!("{};", t.get("definition").unwrap_or_default())];
    let state = match t.get("enabled") {
        Some("D") => Some("DISABLE"),
        Some("R") => Some("ENABLE REPLICA"),
        Some("A") => Some("ENABLE ALWAYS"),
        _ => None,
    };
    if let Some(state) = state {
        out.push(format!(
            "ALTER TABLE {} {state} TRIGGER {};",
            table_of(&t.name),
            ident(&t.name.name)
        ));
    }
    out
}

pub(super) fn policy(p: &Object) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        ident(&p.name.name),
        table_of(&p.name),
        if p.get("permissive") == Some("false") {
            "RESTRICTIVE"
        } else {
            "PERMISSIVE"
        },
        p.get("command").unwrap_or("ALL"),
        p.get("roles").unwrap_or("public")
    );
    if let Some(using) = p.get("using") {
        let _ = write!(sql, " USING ({using})");
    }
    if let Some(check) = p.get("with_check") {
        let _ = write!(sql, " WITH CHECK ({check})");
    }
    sql.push(';');
    sql
}

/// `COMMENT ON` for every object with a comment; not the standard one on `public`, which
/// every database has and only its owner may set.
fn comments(snapshot: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for object in snapshot.objects.values() {
        let Some(text) = object.get("comment") else {
            continue;
        };
        if object.kind == Kind::Schema
            && object.name.name == "public"
            && text == "standard public schema"
        {
            continue;
        }
        let Some(target) = comment_target(object) else {
            continue;
        };
        out.push(format!("COMMENT ON {target} IS {};", quote_literal(text)));
    }
    out
}

/// What `COMMENT ON` names for `object`; none for kinds it is not read for.
pub(super) fn comment_target(object: &Object) -> Option<String> {
    Some(match object.kind {
        Kind::Schema => format!("SCHEMA {}", ident(&object.name.name)),
        Kind::Type => format!("TYPE {}", qualified(&object.name)),
        Kind::Sequence => format!("SEQUENCE {}", qualified(&object.name)),
        Kind::Table => format!("TABLE {}", qualified(&object.name)),
        Kind::View => format!("VIEW {}", qualified(&object.name)),
        Kind::MaterializedView => format!("MATERIALIZED VIEW {}", qualified(&object.name)),
        Kind::Index => format!("INDEX {}", qualified(&object.name)),
        Kind::Function if object.get("kind") == Some("procedure") => {
            format!("PROCEDURE {}", function_name(&object.name))
        }
        Kind::Function => format!("FUNCTION {}", function_name(&object.name)),
        Kind::Column => format!(
            "COLUMN {}.{}",
            table_of(&object.name),
            ident(&object.name.name)
        ),
        Kind::Constraint => format!(
            "CONSTRAINT {} ON {}",
            ident(&object.name.name),
            table_of(&object.name)
        ),
        Kind::Trigger => format!(
            "TRIGGER {} ON {}",
            ident(&object.name.name),
            table_of(&object.name)
        ),
        Kind::Extension | Kind::Policy => return None,
    })
}

/// Owners and grants, when the snapshot was read with them.
fn privileges(snapshot: &Snapshot) -> Vec<String> {
    snapshot.objects.values().flat_map(privileges_of).collect()
}

/// What `GRANT … ON` names for `object`; none for kinds whose grants are not read.
pub(super) fn grant_target(object: &Object) -> Option<String> {
    Some(match object.kind {
        Kind::Schema => format!("SCHEMA {}", ident(&object.name.name)),
        Kind::Type => format!("TYPE {}", qualified(&object.name)),
        Kind::Sequence => format!("SEQUENCE {}", qualified(&object.name)),
        Kind::Table | Kind::View | Kind::MaterializedView => {
            format!("TABLE {}", qualified(&object.name))
        }
        Kind::Function if object.get("kind") == Some("procedure") => {
            format!("PROCEDURE {}", function_name(&object.name))
        }
        Kind::Function => format!("FUNCTION {}", function_name(&object.name)),
        _ => return None,
    })
}

/// `object`'s owner and each grant to another role.
pub(super) fn privileges_of(object: &Object) -> Vec<String> {
    let mut out = Vec::new();
    let Some(target) = grant_target(object) else {
        return out;
    };
    if let Some(owner) = object.get("owner") {
        let alter = match object.kind {
            Kind::View => format!("VIEW {}", qualified(&object.name)),
            Kind::MaterializedView => format!("MATERIALIZED VIEW {}", qualified(&object.name)),
            _ => target.clone(),
        };
        out.push(format!("ALTER {alter} OWNER TO {owner};"));
    }
    for (grantee, privilege, option) in grants_of(object) {
        out.push(format!(
            "GRANT {privilege} ON {target} TO {grantee}{option};"
        ));
    }
    out
}

/// `object`'s grants to roles other than its owner: (grantee, privilege, ` WITH GRANT
/// OPTION` or nothing).
pub(super) fn grants_of(object: &Object) -> Vec<(&str, &str, &'static str)> {
    let mut out = Vec::new();
    for grant in object.get("grants").into_iter().flat_map(|g| g.split(", ")) {
        let Some((grantee, privilege)) = grant.split_once(':') else {
            continue;
        };
        if Some(grantee) == object.get("owner") {
            continue;
        }
        out.push(match privilege.strip_suffix(" WITH GRANT OPTION") {
            Some(p) => (grantee, p, " WITH GRANT OPTION"),
            None => (grantee, privilege, ""),
        });
    }
    out
}

/// The snapshot with schema `from` renamed `to`: in names, and in the text the
/// server printed, where a qualified name starts with `from` and a period (as a
/// quoted or bare identifier, not inside a longer one). How one replay in a
/// placeholder schema stands for every tenant of a schema-per-tenant fleet.
pub(crate) fn with_schema_renamed(snapshot: &Snapshot, from: &str, to: &str) -> Snapshot {
    let (old, new) = (format!("{}.", ident(from)), format!("{}.", ident(to)));
    let rename = |text: &str| -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(&old) {
            out.push_str(&rest[..at]);
            let inside = out
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '"');
            out.push_str(if inside { &old } else { &new });
            rest = &rest[at + old.len()..];
        }
        out.push_str(rest);
        out
    };
    let mut renamed = Snapshot {
        objects: BTreeMap::new(),
        major: snapshot.major,
    };
    for object in snapshot.objects.values() {
        let mut object = object.clone();
        if object.kind == Kind::Schema && object.name.name == from {
            object.name.name = to.to_string();
        }
        if object.name.schema.as_deref() == Some(from) {
            object.name.schema = Some(to.to_string());
        }
        for value in object.fields.values_mut() {
            if value.contains(&old) {
                *value = rename(value);
            }
        }
        renamed.insert(object);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(ident("faces"), "faces");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("Faces"), "\"Faces\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("1x"), "\"1x\"");
    }

    #[test]
    fn parents_come_first() {
        let keys = vec!["c".to_string(), "b".to_string(), "a".to_string()];
        let order = topological(&keys, |i| match i {
            0 => vec!["b".into()],
            1 => vec!["a".into()],
            _ => vec![],
        });
        assert_eq!(order, vec![2, 1, 0]);
    }

    #[test]
    fn a_schema_is_renamed_in_names_and_text() {
        let mut one = Snapshot::default();
        one.insert(Object {
            kind: Kind::Index,
            name: Name::new(Some("ferry_tenant".into()), None, "faces_idx".into()),
            fields: BTreeMap::from([(
                "definition".to_string(),
                "CREATE INDEX faces_idx ON ferry_tenant.faces USING btree (x_ferry_tenant.y)"
                    .to_string(),
            )]),
        });
        let renamed = with_schema_renamed(&one, "ferry_tenant", "Tenant 7");
        let index = renamed.objects.values().next().unwrap();
        assert_eq!(index.name.schema.as_deref(), Some("Tenant 7"));
        assert_eq!(
            index.get("definition"),
            Some("CREATE INDEX faces_idx ON \"Tenant 7\".faces USING btree (x_ferry_tenant.y)")
        );
    }
}
