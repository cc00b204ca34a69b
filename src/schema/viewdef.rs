//! A view's definition as PostgreSQL 16 and later print it, from what 13 to 15 print.
//!
//! Until 15 a view's stored query carried two hidden range-table entries (OLD and NEW), so
//! `pg_get_viewdef` never saw a query over a single relation and qualified every column
//! (`SELECT t.id FROM t`); 16 dropped them, and a top-level query over one relation now
//! prints its columns bare (`SELECT id FROM t`). Subqueries, common table expressions and
//! set operations print qualified on every version. So the same migrations would give
//! different view definitions on 15 and 16: this rewrites the older form into the newer
//! — removing the relation's name before its columns at the top level of a query whose
//! FROM holds exactly one relation — and leaves anything it is not sure of as it is.

use crate::sql::lexer::{Lexer, Token, TokenKind};

/// `definition` (from `pg_get_viewdef` on PostgreSQL 13 to 15) as 16 prints it.
pub(crate) fn as_on_16(definition: &str) -> String {
    let Some(tokens) = Lexer::new(definition.as_bytes())
        .collect::<Result<Vec<Token>, _>>()
        .ok()
    else {
        return definition.to_string();
    };
    let text = |t: &Token| &definition[t.start..t.end];
    let word = |t: &Token, w: &str| t.kind == TokenKind::Word && text(t).eq_ignore_ascii_case(w);
    let punct = |t: &Token, p: &str| t.kind == TokenKind::Punct && text(t) == p;

    // Each token's paren depth within the top-level query, or None inside a subquery
    // (a parenthesis opening with SELECT, WITH or VALUES).
    let mut depth_of: Vec<Option<usize>> = Vec::with_capacity(tokens.len());
    let mut stack: Vec<bool> = Vec::new(); // per open parenthesis: does it open a subquery
    for (i, token) in tokens.iter().enumerate() {
        let in_subquery = stack.iter().any(|s| *s);
        if punct(token, "(") {
            depth_of.push((!in_subquery).then_some(stack.len()));
            let opens = tokens
                .get(i + 1)
                .is_some_and(|n| word(n, "select") || word(n, "with") || word(n, "values"));
            stack.push(opens);
        } else if punct(token, ")") {
            stack.pop();
            let in_subquery = stack.iter().any(|s| *s);
            depth_of.push((!in_subquery).then_some(stack.len()));
        } else {
            depth_of.push((!in_subquery).then_some(stack.len()));
        }
    }
    let top = |i: usize| depth_of[i] == Some(0);

    let set_operation = (0..tokens.len()).any(|i| {
        depth_of[i].is_some()
            && ["union", "intersect", "except"]
                .iter()
                .any(|w| word(&tokens[i], w))
    });
    if set_operation {
        return definition.to_string();
    }
    // The top-level FROM clause: from FROM to the next clause at depth 0.
    let Some(from) = (0..tokens.len()).find(|&i| top(i) && word(&tokens[i], "from")) else {
        return definition.to_string();
    };
    let clause_end = (from + 1..tokens.len())
        .find(|&i| {
            top(i)
                && (punct(&tokens[i], ";")
                    || [
                        "where", "group", "having", "window", "order", "limit", "offset", "fetch",
                        "for",
                    ]
                    .iter()
                    .any(|w| word(&tokens[i], w)))
        })
        .unwrap_or(tokens.len());
    let item = from + 1..clause_end;
    for i in item.clone() {
        let t = &tokens[i];
        let several = punct(t, ",") || word(t, "join");
        // A parenthesis in the item that is not a subquery (a function, a join in
        // parentheses, column aliases): not sure, leave it.
        let unsure = punct(t, "(")
            && depth_of[i] == Some(0)
            && !tokens
                .get(i + 1)
                .is_some_and(|n| word(n, "select") || word(n, "with") || word(n, "values"));
        if (depth_of[i].is_some() && several) || unsure {
            return definition.to_string();
        }
    }
    let Some(last) = item.clone().rev().find(|&i| depth_of[i] == Some(0)) else {
        return definition.to_string();
    };
    let alias = match tokens[last].kind {
        TokenKind::Word => text(&tokens[last]).to_string(),
        TokenKind::QuotedIdent => unquote(text(&tokens[last])),
        _ => return definition.to_string(),
    };

    // Remove `alias.` before a column, at the top level, outside the FROM clause.
    let mut out = String::with_capacity(definition.len());
    let mut copied = 0;
    for i in 0..tokens.len() {
        if item.contains(&i) || depth_of[i].is_none() {
            continue;
        }
        let t = &tokens[i];
        let name = match t.kind {
            TokenKind::Word => text(t).to_string(),
            TokenKind::QuotedIdent => unquote(text(t)),
            _ => continue,
        };
        let (Some(dot), Some(column)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
            continue;
        };
        let is_column = punct(dot, ".")
            && dot.start == t.end
            && column.start == dot.end
            && matches!(column.kind, TokenKind::Word | TokenKind::QuotedIdent)
            && !tokens.get(i + 3).is_some_and(|n| punct(n, "("));
        let after_dot = i > 0 && punct(&tokens[i - 1], ".");
        let after_cast = i > 1 && punct(&tokens[i - 1], ":") && punct(&tokens[i - 2], ":");
        if name == alias && is_column && !after_dot && !after_cast {
            out.push_str(&definition[copied..t.start]);
            copied = dot.end;
        }
    }
    out.push_str(&definition[copied..]);
    out
}

fn unquote(quoted: &str) -> String {
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(quoted)
        .replace("\"\"", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What PostgreSQL 15 and 16 print for the same views (both servers, checked by hand).
    const PAIRS: &[(&str, &str)] = &[
        (
            " SELECT t.id,\n    t.name\n   FROM t\n  WHERE (t.score > 0);",
            " SELECT id,\n    name\n   FROM t\n  WHERE (score > 0);",
        ),
        (" SELECT x.id\n   FROM t x\n  WHERE (x.score > 0);", " SELECT id\n   FROM t x\n  WHERE (score > 0);"),
        (
            " SELECT t.id,\n    u.id AS uid\n   FROM (t\n     JOIN u ON ((u.t_id = t.id)));",
            " SELECT t.id,\n    u.id AS uid\n   FROM (t\n     JOIN u ON ((u.t_id = t.id)));",
        ),
        (
            " SELECT t.id\n   FROM t\n  WHERE (t.id IN ( SELECT u.t_id\n           FROM u\n          WHERE (u.id > 1)));",
            " SELECT id\n   FROM t\n  WHERE (id IN ( SELECT u.t_id\n           FROM u\n          WHERE (u.id > 1)));",
        ),
        (
            " WITH c AS (\n         SELECT t.id\n           FROM t\n        )\n SELECT c.id\n   FROM c;",
            " WITH c AS (\n         SELECT t.id\n           FROM t\n        )\n SELECT id\n   FROM c;",
        ),
        (
            " SELECT s.id\n   FROM ( SELECT t.id\n           FROM t) s;",
            " SELECT id\n   FROM ( SELECT t.id\n           FROM t) s;",
        ),
        (
            " SELECT count(*) AS n,\n    t.name\n   FROM t\n  GROUP BY t.name\n  ORDER BY t.name;",
            " SELECT count(*) AS n,\n    name\n   FROM t\n  GROUP BY name\n  ORDER BY name;",
        ),
        (
            " SELECT t.id\n   FROM t\nUNION\n SELECT u.id\n   FROM u;",
            " SELECT t.id\n   FROM t\nUNION\n SELECT u.id\n   FROM u;",
        ),
        (
            " SELECT tenants.id,\n    tenants.name\n   FROM kinds.tenants\n  WHERE (tenants.score > 0);",
            " SELECT id,\n    name\n   FROM kinds.tenants\n  WHERE (score > 0);",
        ),
        (
            " SELECT \"T\".\"Id\",\n    lower(\"T\".name) AS l,\n    (\"T\".x)::kinds.mood AS m\n   FROM kinds.\"T\";",
            " SELECT \"Id\",\n    lower(name) AS l,\n    (x)::kinds.mood AS m\n   FROM kinds.\"T\";",
        ),
    ];

    #[test]
    fn fifteen_reads_as_sixteen() {
        for (fifteen, sixteen) in PAIRS {
            assert_eq!(as_on_16(fifteen), *sixteen, "from {fifteen:?}");
            assert_eq!(as_on_16(sixteen), *sixteen, "16's own text is left alone");
        }
    }

    #[test]
    fn a_function_of_a_schema_named_like_the_relation_is_kept() {
        let text = " SELECT app.f(app.id) AS f\n   FROM app.app;";
        assert_eq!(as_on_16(text), " SELECT app.f(id) AS f\n   FROM app.app;");
    }
}
