//! One model of a database's schema: every object by kind and schema-qualified name, with
//! the facts about it that matter as text fields. Two databases with the same schema give
//! equal snapshots: names, never OIDs; column order as a rank among the live columns, not
//! `attnum` (a dropped column leaves no trace); lists (enum values, grants, policy roles)
//! in a defined order.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of object; the order is the order a dump creates them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Schema,
    Extension,
    Type,
    Sequence,
    Function,
    Table,
    Column,
    View,
    MaterializedView,
    Index,
    Constraint,
    Trigger,
    Policy,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Extension => "extension",
            Kind::Type => "type",
            Kind::Sequence => "sequence",
            Kind::Function => "function",
            Kind::Table => "table",
            Kind::Column => "column",
            Kind::View => "view",
            Kind::MaterializedView => "materialized view",
            Kind::Index => "index",
            Kind::Constraint => "constraint",
            Kind::Trigger => "trigger",
            Kind::Policy => "policy",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an object is: its schema (none for schemas and extensions themselves), the table
/// it belongs to (columns, constraints, triggers, policies), and its own name (a
/// function's includes its argument types, as overloads are different functions).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) struct Name {
    pub schema: Option<String>,
    pub table: Option<String>,
    pub name: String,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in [&self.schema, &self.table].into_iter().flatten() {
            write!(f, "{part}.")?;
        }
        f.write_str(&self.name)
    }
}

impl Name {
    pub(crate) fn new(schema: Option<String>, table: Option<String>, name: String) -> Self {
        Name {
            schema,
            table,
            name,
        }
    }
}

/// One object: its facts as named text fields (absent when not set), compared one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Object {
    pub kind: Kind,
    pub name: Name,
    pub fields: BTreeMap<String, String>,
}

impl Object {
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    pub(crate) fn is(&self, field: &str) -> bool {
        self.get(field) == Some("true")
    }
}

/// A database's schema: every object, keyed by kind and name, so two snapshots compare
/// object by object whatever order the catalogs returned them in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub objects: BTreeMap<(Kind, Name), Object>,
    /// The server's major version it was read from (not compared).
    pub major: u32,
}

/// What [`Snapshot::without_owners`] does with the grants an owner holds on its own object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnerGrants {
    /// Shown as `OWNER`'s, to compare with another database whose objects another role owns.
    AsOwner,
    /// Left out, as SQL that creates the object gives them to whoever runs it.
    Dropped,
}

impl Snapshot {
    /// The snapshot without owners; each owner's grants on its own objects as `grants` says.
    /// Grants to other roles stay.
    pub(crate) fn without_owners(&self, grants: OwnerGrants) -> Snapshot {
        let mut out = self.clone();
        for object in out.objects.values_mut() {
            let Some(owner) = object.fields.remove("owner") else {
                continue;
            };
            if let Some(list) = object.fields.get_mut("grants") {
                *list = list
                    .split(", ")
                    .filter_map(|g| match g.split_once(':') {
                        Some((grantee, privilege)) if grantee == owner => match grants {
                            OwnerGrants::AsOwner => Some(format!("OWNER:{privilege}")),
                            OwnerGrants::Dropped => None,
                        },
                        _ => Some(g.to_string()),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
            }
        }
        out
    }

    pub(crate) fn insert(&mut self, object: Object) {
        self.objects
            .insert((object.kind, object.name.clone()), object);
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        self.objects.values().filter(move |o| o.kind == kind)
    }

    /// The objects that belong to table `schema.table`, of `kind`.
    pub(crate) fn on_table<'a>(
        &'a self,
        kind: Kind,
        table: &'a Name,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        self.of_kind(kind).filter(move |o| {
            o.name.schema == table.schema && o.name.table.as_deref() == Some(table.name.as_str())
        })
    }

    /// The snapshot as JSON: `{"major", "hash", "objects": [{"kind", "name", "fields"}]}`, objects
    /// in kind and name order.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let objects: Vec<_> = self
            .objects
            .values()
            .map(|o| {
                serde_json::json!({
                    "kind": o.kind.as_str(),
                    "name": o.name.to_string(),
                    "schema": o.name.schema,
                    "table": o.name.table,
                    "object": o.name.name,
                    "fields": o.fields,
                })
            })
            .collect();
        serde_json::json!({"major": self.major, "hash": self.hash(), "objects": objects})
    }

    /// The snapshot split by schema, in one pass: each schema's objects (the schema itself
    /// included) and the database's extensions.
    pub(crate) fn by_schema(&self) -> std::collections::HashMap<String, Snapshot> {
        let mut out: std::collections::HashMap<String, Snapshot> = std::collections::HashMap::new();
        let mut extensions = Vec::new();
        for (key, object) in &self.objects {
            let schema = match key.0 {
                Kind::Extension => {
                    extensions.push(object);
                    continue;
                }
                Kind::Schema => &key.1.name,
                _ => match &key.1.schema {
                    Some(schema) => schema,
                    None => continue,
                },
            };
            out.entry(schema.clone())
                .or_insert_with(|| Snapshot {
                    major: self.major,
                    ..Snapshot::default()
                })
                .objects
                .insert(key.clone(), object.clone());
        }
        for snapshot in out.values_mut() {
            for extension in &extensions {
                snapshot.insert((*extension).clone());
            }
        }
        out
    }

    /// The snapshot as kept in the shadow's cache (read back by [`from_kept`](Self::from_kept)).
    pub(crate) fn to_kept(&self) -> Vec<u8> {
        let objects: Vec<&Object> = self.objects.values().collect();
        serde_json::to_vec(&serde_json::json!({"major": self.major, "objects": objects}))
            .unwrap_or_default()
    }

    /// A snapshot [`to_kept`](Self::to_kept) wrote.
    pub(crate) fn from_kept(bytes: &[u8]) -> serde_json::Result<Snapshot> {
        #[derive(Deserialize)]
        struct Kept {
            major: u32,
            objects: Vec<Object>,
        }
        let kept: Kept = serde_json::from_slice(bytes)?;
        let mut snapshot = Snapshot {
            major: kept.major,
            ..Snapshot::default()
        };
        for object in kept.objects {
            snapshot.insert(object);
        }
        Ok(snapshot)
    }

    /// A hash of everything compared: equal snapshots hash equal.
    pub(crate) fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for object in self.objects.values() {
            hasher.update(object.kind.as_str());
            hasher.update([0]);
            hasher.update(object.name.to_string());
            for (field, value) in &object.fields {
                hasher.update([1]);
                hasher.update(field);
                hasher.update([2]);
                hasher.update(value);
            }
            hasher.update([3]);
        }
        format!("{:x}", hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(schema: &str, name: &str) -> Object {
        Object {
            kind: Kind::Table,
            name: Name {
                schema: Some(schema.into()),
                table: None,
                name: name.into(),
            },
            fields: BTreeMap::new(),
        }
    }

    #[test]
    fn insertion_order_does_not_matter() {
        let (a, b) = (table("public", "a"), table("public", "b"));
        let mut one = Snapshot::default();
        one.insert(a.clone());
        one.insert(b.clone());
        let mut two = Snapshot::default();
        two.insert(b);
        two.insert(a);
        assert_eq!(one, two);
        assert_eq!(one.hash(), two.hash());
    }

    #[test]
    fn names_read_qualified() {
        let column = Name {
            schema: Some("public".into()),
            table: Some("faces".into()),
            name: "embedding".into(),
        };
        assert_eq!(column.to_string(), "public.faces.embedding");
    }
}
