//! The SQL that takes one object from how one snapshot has it to how another has it:
//! created, dropped, or changed in place where PostgreSQL can (a column's type, default
//! or nullability, a function's body, a trigger's state, an enum's new values, a table's
//! settings, comments and grants), else dropped and created again. `ferry drift` shows it
//! both ways for every difference: what reproduces the drift on a database the migrations
//! made, and what reverts it. It is a suggestion to read, not a migration to run blind:
//! dropping and creating again loses data (a column) or needs dependants dropped first (a
//! view another view reads), and the text says so where it cannot do better.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::diff::Difference;
use super::snapshot::{Kind, Object, Snapshot};
use super::sql::{self, ident};
use crate::sql::quote::quote_literal;

/// The statements that take a database from `from` to `to` for difference `d` (found
/// between those two snapshots).
pub(crate) fn change(d: &Difference, from: &Snapshot, to: &Snapshot) -> Vec<String> {
    let key = (d.kind, d.name.clone());
    match (from.objects.get(&key), to.objects.get(&key)) {
        (None, Some(added)) => create(to, added),
        (Some(removed), None) => vec![drop(removed)],
        (Some(a), Some(b)) => alter(a, b, to),
        (None, None) => Vec::new(),
    }
}

/// `object` created, as `to` has it, with its comment and grants.
fn create(to: &Snapshot, object: &Object) -> Vec<String> {
    let mut out = match object.kind {
        Kind::Schema => vec![sql::schema(object)],
        Kind::Extension => vec![sql::extension(object)],
        Kind::Type => vec![sql::type_sql(object)],
        Kind::Sequence => {
            let mut out = vec![sql::sequence(object)];
            if let Some(owner) = object.get("owned_by") {
                out.push(format!(
                    "ALTER SEQUENCE {} OWNED BY {owner};",
                    sql::qualified(&object.name)
                ));
            }
            out
        }
        Kind::Function => vec![sql::function(object)],
        Kind::Table => {
            let mut out = vec![sql::table(to, object)];
            for field in ["row_security", "force_row_security", "replica_identity"] {
                if object.get(field).is_some() {
                    out.extend(table_setting(object, field, object.get(field)));
                }
            }
            out
        }
        Kind::Column => vec![format!(
            "ALTER TABLE {} ADD COLUMN {};",
            sql::table_of(&object.name),
            sql::column(object)
        )],
        Kind::View | Kind::MaterializedView => vec![sql::view(object)],
        Kind::Index => vec![sql::index(object)],
        Kind::Constraint => vec![sql::constraint(object)],
        Kind::Trigger => sql::trigger(object),
        Kind::Policy => vec![sql::policy(object)],
    };
    if let (Some(comment), Some(target)) = (object.get("comment"), sql::comment_target(object)) {
        out.push(format!(
            "COMMENT ON {target} IS {};",
            quote_literal(comment)
        ));
    }
    out.extend(sql::privileges_of(object));
    out
}

/// `object` dropped.
fn drop(object: &Object) -> String {
    let name = sql::qualified(&object.name);
    let on = || {
        format!(
            "{} ON {}",
            ident(&object.name.name),
            sql::table_of(&object.name)
        )
    };
    match object.kind {
        Kind::Schema => format!("DROP SCHEMA {};", ident(&object.name.name)),
        Kind::Extension => format!("DROP EXTENSION {};", ident(&object.name.name)),
        Kind::Type if object.get("type") == Some("domain") => format!("DROP DOMAIN {name};"),
        Kind::Type => format!("DROP TYPE {name};"),
        Kind::Sequence => format!("DROP SEQUENCE {name};"),
        Kind::Function if object.get("kind") == Some("procedure") => {
            format!("DROP PROCEDURE {};", sql::function_name(&object.name))
        }
        Kind::Function => format!("DROP FUNCTION {};", sql::function_name(&object.name)),
        Kind::Table => format!("DROP TABLE {name};"),
        Kind::Column => format!(
            "ALTER TABLE {} DROP COLUMN {};",
            sql::table_of(&object.name),
            ident(&object.name.name)
        ),
        Kind::View => format!("DROP VIEW {name};"),
        Kind::MaterializedView => format!("DROP MATERIALIZED VIEW {name};"),
        Kind::Index => format!("DROP INDEX {name};"),
        Kind::Constraint => format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            sql::table_of(&object.name),
            ident(&object.name.name)
        ),
        Kind::Trigger => format!("DROP TRIGGER {};", on()),
        Kind::Policy => format!("DROP POLICY {};", on()),
    }
}

/// `a` changed into `b` (the same object, `to` being `b`'s snapshot): in place where the
/// fields that differ allow it, else dropped and created again.
fn alter(a: &Object, b: &Object, to: &Snapshot) -> Vec<String> {
    let mut left: BTreeSet<&str> = a
        .fields
        .keys()
        .chain(b.fields.keys())
        .map(String::as_str)
        .filter(|f| a.get(f) != b.get(f))
        .collect();
    let mut out = Vec::new();
    let definition_differs = left.contains("definition");
    let only_validation = left.iter().all(|f| *f == "validated");
    let mut take = |field: &str| left.remove(field);
    let name = sql::qualified(&a.name);
    match a.kind {
        Kind::Column => {
            let (table, column) = (sql::table_of(&a.name), ident(&a.name.name));
            let alter = |what: String| format!("ALTER TABLE {table} ALTER COLUMN {column} {what};");
            if take("type") | take("collation") {
                let collate = b
                    .get("collation")
                    .map(|c| format!(" COLLATE {c}"))
                    .unwrap_or_default();
                out.push(alter(format!(
                    "TYPE {}{collate}",
                    b.get("type").unwrap_or_default()
                )));
            }
            if take("default") {
                out.push(alter(match b.get("default") {
                    Some(default) => format!("SET DEFAULT {default}"),
                    None => "DROP DEFAULT".into(),
                }));
            }
            if take("not_null") {
                out.push(alter(
                    if b.is("not_null") {
                        "SET NOT NULL"
                    } else {
                        "DROP NOT NULL"
                    }
                    .into(),
                ));
            }
        }
        Kind::Function if take("definition") => out.push(sql::function(b)),
        Kind::Trigger if !definition_differs && take("enabled") => {
            let state = match b.get("enabled") {
                Some("D") => "DISABLE",
                Some("R") => "ENABLE REPLICA",
                Some("A") => "ENABLE ALWAYS",
                _ => "ENABLE",
            };
            out.push(format!(
                "ALTER TABLE {} {state} TRIGGER {};",
                sql::table_of(&a.name),
                ident(&a.name.name)
            ));
        }
        Kind::Type if a.get("type") == Some("enum") && b.get("type") == Some("enum") => {
            let (old, new) = (
                enum_values(a.get("values").unwrap_or_default()),
                enum_values(b.get("values").unwrap_or_default()),
            );
            let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
            if kept.len() < old.len() {
                take("values");
                out.push(format!(
                    "-- PostgreSQL cannot remove a value from enum {name}: create the type anew \
                     with ({}), move its columns to it (ALTER COLUMN … TYPE … USING …::text::…), \
                     and drop the old one",
                    b.get("values").unwrap_or_default()
                ));
            } else if kept.iter().zip(&old).all(|(k, o)| *k == o) {
                take("values");
                for (i, value) in new.iter().enumerate() {
                    if old.contains(value) {
                        continue;
                    }
                    let place = match i.checked_sub(1).map(|p| &new[p]) {
                        Some(before) => format!(" AFTER {}", quote_literal(before)),
                        None => match new.iter().find(|v| old.contains(v)) {
                            Some(next) => format!(" BEFORE {}", quote_literal(next)),
                            None => String::new(),
                        },
                    };
                    out.push(format!(
                        "ALTER TYPE {name} ADD VALUE {}{place};",
                        quote_literal(value)
                    ));
                }
            }
        }
        Kind::Table => {
            for field in [
                "row_security",
                "force_row_security",
                "replica_identity",
                "replica_identity_index",
                "unlogged",
                "options",
            ] {
                if !take(field) {
                    continue;
                }
                match field {
                    "unlogged" => out.push(format!(
                        "ALTER TABLE {name} SET {};",
                        if b.is("unlogged") {
                            "UNLOGGED"
                        } else {
                            "LOGGED"
                        }
                    )),
                    "options" => {
                        let keys = |o: &Object| -> Vec<String> {
                            o.get("options")
                                .into_iter()
                                .flat_map(|o| o.split(", "))
                                .filter_map(|kv| kv.split_once('=').map(|(k, _)| k.to_string()))
                                .collect()
                        };
                        let gone: Vec<String> = keys(a)
                            .into_iter()
                            .filter(|k| !keys(b).contains(k))
                            .collect();
                        if !gone.is_empty() {
                            out.push(format!("ALTER TABLE {name} RESET ({});", gone.join(", ")));
                        }
                        if let Some(options) = b.get("options") {
                            out.push(format!("ALTER TABLE {name} SET ({options});"));
                        }
                    }
                    "replica_identity_index" => {}
                    _ => out.extend(table_setting(b, field, b.get(field))),
                }
            }
        }
        Kind::Sequence => {
            for (field, clause) in sql::SEQUENCE_OPTIONS {
                if take(field) {
                    match b.get(field) {
                        Some(value) => out.push(format!("ALTER SEQUENCE {name} {clause} {value};")),
                        None if field == "min" || field == "max" => {
                            out.push(format!("ALTER SEQUENCE {name} NO {clause};"))
                        }
                        None => {}
                    }
                }
            }
            if take("cycle") {
                let cycle = if b.is("cycle") { "CYCLE" } else { "NO CYCLE" };
                out.push(format!("ALTER SEQUENCE {name} {cycle};"));
            }
            if take("owned_by") {
                out.push(format!(
                    "ALTER SEQUENCE {name} OWNED BY {};",
                    b.get("owned_by").unwrap_or("NONE")
                ));
            }
        }
        Kind::Extension => {
            if take("version") {
                if let Some(version) = b.get("version") {
                    out.push(format!(
                        "ALTER EXTENSION {} UPDATE TO {};",
                        ident(&a.name.name),
                        quote_literal(version)
                    ));
                }
            }
            if take("schema") {
                if let Some(schema) = b.get("schema") {
                    out.push(format!(
                        "ALTER EXTENSION {} SET SCHEMA {};",
                        ident(&a.name.name),
                        ident(schema)
                    ));
                }
            }
        }
        Kind::Constraint
            if only_validation && b.get("validated") == Some("true") && take("validated") =>
        {
            out.push(format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {};",
                sql::table_of(&a.name),
                ident(&a.name.name)
            ));
        }
        _ => {}
    }
    let comment = take("comment");
    let owner = take("owner");
    let grants = take("grants");
    if !left.is_empty() {
        // What cannot change in place: dropped and created as `to` has it.
        return match a.kind {
            Kind::Schema | Kind::Extension | Kind::Table | Kind::Column => {
                let fields: Vec<&str> = left.into_iter().collect();
                vec![format!(
                    "-- {} {} differs in {} and cannot be changed in place: \
                     drop it and create it as above (its data goes with it)",
                    a.kind,
                    a.name,
                    fields.join(", ")
                )]
            }
            _ => {
                let mut out = vec![drop(a)];
                out.extend(create(to, b));
                out
            }
        };
    }
    if comment {
        if let Some(target) = sql::comment_target(b) {
            out.push(format!(
                "COMMENT ON {target} IS {};",
                b.get("comment").map_or("NULL".into(), quote_literal)
            ));
        }
    }
    if let Some(target) = sql::grant_target(b) {
        if owner {
            if let Some(line) = sql::privileges_of(b)
                .into_iter()
                .find(|s| s.contains(" OWNER TO "))
            {
                out.push(line);
            }
        }
        if grants {
            let (had, has) = (sql::grants_of(a), sql::grants_of(b));
            for (grantee, privilege, _) in had.iter().filter(|g| !has.contains(g)) {
                out.push(format!("REVOKE {privilege} ON {target} FROM {grantee};"));
            }
            for (grantee, privilege, option) in has.iter().filter(|g| !had.contains(g)) {
                out.push(format!(
                    "GRANT {privilege} ON {target} TO {grantee}{option};"
                ));
            }
        }
    }
    out
}

/// A table's row-level security or replica identity set to `value`.
fn table_setting(t: &Object, field: &str, value: Option<&str>) -> Option<String> {
    let name = sql::qualified(&t.name);
    let on = value == Some("true");
    Some(match field {
        "row_security" => format!(
            "ALTER TABLE {name} {} ROW LEVEL SECURITY;",
            if on { "ENABLE" } else { "DISABLE" }
        ),
        "force_row_security" => format!(
            "ALTER TABLE {name} {} ROW LEVEL SECURITY;",
            if on { "FORCE" } else { "NO FORCE" }
        ),
        "replica_identity" => {
            let identity = match value {
                Some("f") => "FULL".to_string(),
                Some("n") => "NOTHING".to_string(),
                Some("i") => format!(
                    "USING INDEX {}",
                    ident(t.get("replica_identity_index").unwrap_or_default())
                ),
                _ => "DEFAULT".to_string(),
            };
            format!("ALTER TABLE {name} REPLICA IDENTITY {identity};")
        }
        _ => return None,
    })
}

/// An enum's values from the snapshot's `'a', 'b'` list (quotes doubled inside).
fn enum_values(list: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    value.push('\'');
                    continue;
                }
                break;
            }
            value.push(c);
        }
        values.push(value);
    }
    values
}

/// The statements as one text, each on its own line(s).
pub(crate) fn text(statements: &[String]) -> String {
    let mut out = String::new();
    for statement in statements {
        let _ = writeln!(out, "{statement}");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::schema::diff::diff;
    use crate::schema::snapshot::Name;

    fn object(kind: Kind, table: Option<&str>, name: &str, fields: &[(&str, &str)]) -> Object {
        Object {
            kind,
            name: Name::new(
                Some("public".into()),
                table.map(str::to_string),
                name.into(),
            ),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn both_ways(a: Object, b: Object) -> (Vec<String>, Vec<String>) {
        let (mut from, mut to) = (Snapshot::default(), Snapshot::default());
        from.insert(a);
        to.insert(b);
        let d = &diff(&from, &to)[0];
        (change(d, &from, &to), change(d, &to, &from))
    }

    #[test]
    fn a_column_changes_in_place() {
        let a = object(Kind::Column, Some("faces"), "score", &[("type", "integer")]);
        let b = object(
            Kind::Column,
            Some("faces"),
            "score",
            &[("type", "bigint"), ("default", "0"), ("not_null", "true")],
        );
        let (forward, back) = both_ways(a, b);
        assert_eq!(
            forward,
            [
                "ALTER TABLE public.faces ALTER COLUMN score TYPE bigint;",
                "ALTER TABLE public.faces ALTER COLUMN score SET DEFAULT 0;",
                "ALTER TABLE public.faces ALTER COLUMN score SET NOT NULL;",
            ]
        );
        assert_eq!(
            back,
            [
                "ALTER TABLE public.faces ALTER COLUMN score TYPE integer;",
                "ALTER TABLE public.faces ALTER COLUMN score DROP DEFAULT;",
                "ALTER TABLE public.faces ALTER COLUMN score DROP NOT NULL;",
            ]
        );
    }

    #[test]
    fn an_index_is_created_and_dropped() {
        let mut from = Snapshot::default();
        let mut to = Snapshot::default();
        to.insert(object(
            Kind::Index,
            None,
            "faces_tmp_idx",
            &[(
                "definition",
                "CREATE INDEX faces_tmp_idx ON public.faces USING btree (tenant_id)",
            )],
        ));
        from.insert(object(Kind::Schema, None, "x", &[]));
        let differences = diff(&from, &to);
        let d = differences
            .iter()
            .find(|d| d.kind == Kind::Index)
            .expect("the index");
        assert_eq!(
            change(d, &from, &to),
            ["CREATE INDEX faces_tmp_idx ON public.faces USING btree (tenant_id);"]
        );
        assert_eq!(change(d, &to, &from), ["DROP INDEX public.faces_tmp_idx;"]);
    }

    #[test]
    fn enum_values_are_added_where_they_go() {
        let a = object(
            Kind::Type,
            None,
            "mood",
            &[("type", "enum"), ("values", "'a', 'c'")],
        );
        let b = object(
            Kind::Type,
            None,
            "mood",
            &[("type", "enum"), ("values", "'a', 'b', 'c', 'it''s'")],
        );
        let (forward, back) = both_ways(a, b);
        assert_eq!(
            forward,
            [
                "ALTER TYPE public.mood ADD VALUE 'b' AFTER 'a';",
                "ALTER TYPE public.mood ADD VALUE 'it''s' AFTER 'c';",
            ]
        );
        // A value cannot be removed: what to do instead.
        assert!(back[0].starts_with("-- PostgreSQL cannot remove a value from enum public.mood"));
    }

    #[test]
    fn a_trigger_state_and_a_grant() {
        let a = object(
            Kind::Trigger,
            Some("faces"),
            "touch",
            &[("definition", "X")],
        );
        let b = object(
            Kind::Trigger,
            Some("faces"),
            "touch",
            &[("definition", "X"), ("enabled", "D")],
        );
        assert_eq!(
            both_ways(a, b).0,
            ["ALTER TABLE public.faces DISABLE TRIGGER touch;"]
        );
        let a = object(Kind::Table, None, "faces", &[("grants", "app:SELECT")]);
        let b = object(
            Kind::Table,
            None,
            "faces",
            &[("grants", "app:SELECT, app:UPDATE")],
        );
        let (forward, back) = both_ways(a, b);
        assert_eq!(forward, ["GRANT UPDATE ON TABLE public.faces TO app;"]);
        assert_eq!(back, ["REVOKE UPDATE ON TABLE public.faces FROM app;"]);
    }
}
