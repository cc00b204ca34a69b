//! Which objects a snapshot keeps: `--schemas`, `--exclude` patterns, privileges, and
//! never ferry's own bookkeeping tables.

use super::snapshot::{Kind, Name};

/// Which objects a snapshot keeps: only those in `schemas` (when any are named), none that
/// an `exclude` pattern matches, never ferry's own bookkeeping tables, and owners and
/// grants only when `privileges` asks (they differ between environments).
///
/// A pattern is a glob (`*`, `?`) matched against an object's schema (`auth`), its
/// schema-qualified name (`public.spatial_ref_sys`, `public.tmp_*`), or the table it
/// belongs to (so excluding a table excludes its columns, indexes and triggers too); an
/// extension is matched by its name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub schemas: Vec<String>,
    pub exclude: Vec<String>,
    pub privileges: bool,
    /// Tables ferry keeps its state in, by name (`schema_migrations`, its `_history` and
    /// `_lock`), in `bookkeeping_schema` or, when that is unknown, in any schema.
    pub bookkeeping: Vec<String>,
    pub bookkeeping_schema: Option<String>,
}

impl Filter {
    /// ferry's tables for the bookkeeping table `table` (`schema.name` or `name`).
    pub(crate) fn with_bookkeeping(mut self, schema: Option<&str>, table: &str) -> Self {
        self.bookkeeping = vec![
            table.to_string(),
            format!("{table}_history"),
            format!("{table}_lock"),
        ];
        self.bookkeeping_schema = schema.map(str::to_string);
        self
    }

    /// Whether the snapshot keeps object `name` of `kind`.
    pub(crate) fn keeps(&self, kind: Kind, name: &Name) -> bool {
        if kind == Kind::Extension {
            return !self.exclude.iter().any(|p| glob(p, &name.name));
        }
        let schema = match kind {
            Kind::Schema => name.name.as_str(),
            _ => name.schema.as_deref().unwrap_or_default(),
        };
        let relation = name.table.as_deref().unwrap_or(&name.name);
        let is_bookkeeping = kind != Kind::Schema
            && kind != Kind::Function
            && kind != Kind::Type
            && self.bookkeeping.iter().any(|t| t == relation)
            && self
                .bookkeeping_schema
                .as_deref()
                .is_none_or(|s| s == schema);
        if is_bookkeeping {
            return false;
        }
        if !self.schemas.is_empty() && !self.schemas.iter().any(|p| matches(p, schema)) {
            return false;
        }
        let qualified = format!("{schema}.{relation}");
        let own = format!("{schema}.{}", name.name);
        !self
            .exclude
            .iter()
            .any(|p| matches(p, schema) || matches(p, &qualified) || matches(p, &own))
    }
}

/// [`glob`], without its work for a pattern that has no wildcard (a tenant fleet's filter
/// names hundreds of schemas, each object checked against them).
fn matches(pattern: &str, text: &str) -> bool {
    if pattern.contains(['*', '?']) {
        glob(pattern, text)
    } else {
        pattern == text
    }
}

/// Whether `text` matches the glob `pattern` (`*` any run, `?` one character).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(schema: &str, table: &str) -> Name {
        Name::new(Some(schema.into()), None, table.into())
    }

    #[test]
    fn globs() {
        assert!(glob("auth", "auth"));
        assert!(glob("public.tmp_*", "public.tmp_faces"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("auth", "authz"));
        assert!(glob("*", ""));
        assert!(!glob("public.t", "public.tt"));
    }

    #[test]
    fn exclude_matches_schema_table_and_what_belongs_to_it() {
        let filter = Filter {
            exclude: vec!["auth".into(), "public.spatial_ref_sys".into()],
            ..Filter::default()
        };
        assert!(!filter.keeps(Kind::Table, &table("auth", "users")));
        assert!(!filter.keeps(Kind::Schema, &Name::new(None, None, "auth".into())));
        assert!(!filter.keeps(Kind::Table, &table("public", "spatial_ref_sys")));
        let column = Name::new(
            Some("public".into()),
            Some("spatial_ref_sys".into()),
            "srid".into(),
        );
        assert!(!filter.keeps(Kind::Column, &column));
        assert!(filter.keeps(Kind::Table, &table("public", "faces")));
    }

    #[test]
    fn schemas_limit_and_bookkeeping_is_never_kept() {
        let filter = Filter {
            schemas: vec!["app".into()],
            ..Filter::default()
        }
        .with_bookkeeping(None, "schema_migrations");
        assert!(filter.keeps(Kind::Table, &table("app", "faces")));
        assert!(!filter.keeps(Kind::Table, &table("public", "faces")));
        assert!(!filter.keeps(Kind::Table, &table("app", "schema_migrations_history")));
        let pkey = Name::new(
            Some("app".into()),
            Some("schema_migrations".into()),
            "schema_migrations_pkey".into(),
        );
        assert!(!filter.keeps(Kind::Constraint, &pkey));
    }
}
