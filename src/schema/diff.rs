//! The differences between two snapshots: every object added, removed or changed, and for
//! a changed one each field with its two values.

use std::collections::BTreeSet;

use serde_json::json;

use super::snapshot::{Kind, Name, Object, Snapshot};

/// What happened to one object between `from` and `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One object's difference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Difference {
    pub kind: Kind,
    pub name: Name,
    pub change: Change,
    /// For a changed object, each differing field: (field, value in `from`, value in `to`).
    pub fields: Vec<(String, Option<String>, Option<String>)>,
    /// The object as it is where it exists (`to` when added, `from` when removed).
    pub object: Option<Object>,
}

/// Every difference, in kind and name order. Between snapshots of two major versions an
/// extension's version is not one: each major ships its own (`btree_gist` 1.7 with 15,
/// 1.8 with 18), whatever the migrations say.
pub(crate) fn diff(from: &Snapshot, to: &Snapshot) -> Vec<Difference> {
    let keys: BTreeSet<_> = from.objects.keys().chain(to.objects.keys()).collect();
    let across_majors = from.major != to.major;
    let comparable = |object: &Object| {
        let mut object = object.clone();
        if across_majors && object.kind == Kind::Extension {
            object.fields.remove("version");
        }
        object
    };
    let mut out = Vec::new();
    for key in keys {
        let (kind, name) = key.clone();
        let (a, b) = (
            from.objects.get(key).map(comparable),
            to.objects.get(key).map(comparable),
        );
        match (a.as_ref(), b.as_ref()) {
            (None, Some(added)) => out.push(Difference {
                kind,
                name,
                change: Change::Added,
                fields: Vec::new(),
                object: Some(added.clone()),
            }),
            (Some(removed), None) => out.push(Difference {
                kind,
                name,
                change: Change::Removed,
                fields: Vec::new(),
                object: Some(removed.clone()),
            }),
            (Some(a), Some(b)) if a.fields != b.fields => {
                let names: BTreeSet<&String> = a.fields.keys().chain(b.fields.keys()).collect();
                let fields = names
                    .into_iter()
                    .filter(|f| a.fields.get(*f) != b.fields.get(*f))
                    .map(|f| {
                        (
                            f.clone(),
                            a.fields.get(f).cloned(),
                            b.fields.get(f).cloned(),
                        )
                    })
                    .collect();
                out.push(Difference {
                    kind,
                    name,
                    change: Change::Changed,
                    fields,
                    object: None,
                });
            }
            _ => {}
        }
    }
    out
}

/// The differences as `schema diff --format json` prints them.
pub(crate) fn to_json(differences: &[Difference]) -> serde_json::Value {
    let items: Vec<_> = differences
        .iter()
        .map(|d| {
            let mut item = json!({
                "kind": d.kind.as_str(),
                "name": d.name.to_string(),
                "change": d.change.as_str(),
            });
            if let Some(object) = &d.object {
                item["fields"] = json!(object.fields);
            } else {
                item["fields"] = d
                    .fields
                    .iter()
                    .map(|(f, a, b)| (f.clone(), json!({"from": a, "to": b})))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            item
        })
        .collect();
    json!({"equal": differences.is_empty(), "differences": items})
}

/// The differences as text: one line per object (`+` added, `-` removed, `~` changed),
/// then, indented, what differs (or the object's defining text when added or removed).
pub(crate) fn to_text(differences: &[Difference]) -> String {
    let mut out = String::new();
    for d in differences {
        let mark = match d.change {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        };
        out.push_str(&format!(
            "{mark} {} {} ({})\n",
            d.kind,
            d.name,
            d.change.as_str()
        ));
        if let Some(object) = &d.object {
            if let Some(definition) = object.get("definition") {
                for line in definition.lines().take(12) {
                    out.push_str(&format!("    {line}\n"));
                }
            } else {
                for (field, value) in &object.fields {
                    out.push_str(&format!("    {field}: {}\n", flat(value, 160)));
                }
            }
        }
        for (field, a, b) in &d.fields {
            let show =
                |v: &Option<String>| v.as_deref().map_or("(none)".to_string(), |v| flat(v, 160));
            out.push_str(&format!("    {field}: {} → {}\n", show(a), show(b)));
        }
    }
    out
}

/// `text` on one line (runs of whitespace as one space), cut to `max` characters with
/// `…`: how a long value (a definition, a query) is shown in a line.
pub(crate) fn flat(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn column(name: &str, ty: &str) -> Object {
        Object {
            kind: Kind::Column,
            name: Name::new(Some("public".into()), Some("profiles".into()), name.into()),
            fields: BTreeMap::from([("type".to_string(), ty.to_string())]),
        }
    }

    #[test]
    fn added_removed_and_changed_are_named() {
        let mut from = Snapshot::default();
        from.insert(column("a", "text"));
        from.insert(column("b", "text"));
        let mut to = Snapshot::default();
        to.insert(column("a", "integer"));
        to.insert(column("c", "text"));
        let d = diff(&from, &to);
        let summary: Vec<_> = d.iter().map(|d| (d.name.to_string(), d.change)).collect();
        assert_eq!(
            summary,
            vec![
                ("public.profiles.a".to_string(), Change::Changed),
                ("public.profiles.b".to_string(), Change::Removed),
                ("public.profiles.c".to_string(), Change::Added),
            ]
        );
        let text = to_text(&d);
        assert!(
            text.contains("~ column public.profiles.a (changed)\n    type: text → integer"),
            "{text}"
        );
        assert_eq!(to_json(&d)["equal"], false);
        assert!(diff(&from, &from).is_empty());
    }

    #[test]
    fn an_extension_version_differs_only_on_one_major() {
        let extension = |version: &str| Object {
            kind: Kind::Extension,
            name: Name::new(None, None, "citext".into()),
            fields: BTreeMap::from([("version".to_string(), version.to_string())]),
        };
        let (mut a, mut b) = (Snapshot::default(), Snapshot::default());
        a.insert(extension("1.6"));
        b.insert(extension("1.8"));
        a.major = 15;
        b.major = 15;
        assert_eq!(
            diff(&a, &b).len(),
            1,
            "an extension not updated on one server"
        );
        b.major = 18;
        assert!(diff(&a, &b).is_empty(), "each major ships its own version");
    }
}
