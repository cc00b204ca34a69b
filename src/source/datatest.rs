//! Data tests beside a migration: `000007_backfill.test.sql` next to `000007_backfill…`,
//! rows to load before the migration runs and queries with the rows they must return
//! after it (and after its down). `ferry test` runs them on a copy of the shadow database.
//!
//! ```sql
//! -- ferry:before
//! INSERT INTO profiles (id, picture) VALUES (1, 'a.png'), (2, 'b.jpg');
//!
//! -- ferry:after
//! SELECT id, picture_mime FROM profiles ORDER BY id;
//! -- 1 | image/png
//! -- 2 | image/jpeg
//!
//! -- ferry:after-down
//! SELECT count(*) FROM profiles;
//! -- 2
//! ```
//!
//! A query ends at a line ending in `;`; the comment lines right after it are its rows,
//! columns separated by ` | `, `NULL` for a null, `-- (no rows)` for none.

use std::path::Path;

use crate::error;

/// When a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// After the migration's up.
    After,
    /// After its down, which ran after the up.
    AfterDown,
}

impl When {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            When::After => "after",
            When::AfterDown => "after-down",
        }
    }
}

/// One query and the rows it must return.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    pub line: usize,
    pub when: When,
    pub query: String,
    pub rows: Vec<String>,
}

/// A data test file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataTest {
    pub version: i64,
    /// The file as shown in messages.
    pub file: String,
    /// The SQL that loads rows before the migration runs.
    pub before: String,
    pub checks: Vec<Check>,
}

/// The data tests in `dir` (`*.test.sql`), each checked; a file ferry cannot read is a
/// one-line error naming it and its line.
pub(crate) fn find(dir: &Path) -> anyhow::Result<Vec<DataTest>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_test_file)
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let file = super::files::shown(&path.display().to_string());
            let text = std::fs::read_to_string(path)
                .map_err(|e| error::usage(format!("{file}: {}", error::io_reason(&e, "file"))))?;
            parse(&file, &text).map_err(error::invalid)
        })
        .collect()
}

/// Whether a file in the migrations directory is a data test rather than a migration.
pub(crate) fn is_test_file(name: &str) -> bool {
    name.ends_with(".test.sql") && !name.starts_with('.')
}

/// Parses a data test named `file`.
pub(crate) fn parse(file: &str, text: &str) -> Result<DataTest, String> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let version = name
        .split('_')
        .next()
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| {
            format!(
                "{file}: a data test is named after its migration's version: NNNNNN_name.test.sql"
            )
        })?;
    let mut test = DataTest {
        version,
        file: file.to_string(),
        before: String::new(),
        checks: Vec::new(),
    };
    let mut section: Option<When> = None;
    let mut in_before = false;
    let mut query: Option<(usize, String)> = None;
    let mut rows_of: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if let Some(directive) = trimmed.strip_prefix("-- ferry:") {
            rows_of = None;
            if let Some((at, _)) = query.take() {
                return Err(format!("{file}:{at}: a query ends with `;`"));
            }
            match directive.trim() {
                "before" => {
                    in_before = true;
                    section = None;
                }
                "after" => {
                    in_before = false;
                    section = Some(When::After);
                }
                "after-down" => {
                    in_before = false;
                    section = Some(When::AfterDown);
                }
                other => {
                    return Err(format!(
                        "{file}:{line}: unknown directive `-- ferry:{other}`: expected -- ferry:before, -- ferry:after or -- ferry:after-down"
                    ))
                }
            }
            continue;
        }
        if in_before {
            test.before.push_str(raw);
            test.before.push('\n');
            continue;
        }
        let Some(when) = section else {
            if trimmed.is_empty() || trimmed.starts_with("--") {
                continue;
            }
            return Err(format!(
                "{file}:{line}: SQL before any directive: start with -- ferry:before (rows to load) or -- ferry:after (queries and their rows)"
            ));
        };
        if let Some(row) = trimmed.strip_prefix("--") {
            // Right after a query, its rows; anywhere else (inside a query, before one), a
            // comment of the query's own.
            if let (Some(index), None) = (rows_of, &query) {
                let row = row.trim();
                if row != "(no rows)" {
                    test.checks[index].rows.push(row.to_string());
                }
            }
            continue;
        }
        if trimmed.is_empty() {
            rows_of = None;
            continue;
        }
        rows_of = None;
        let (at, mut text) = query.take().unwrap_or((line, String::new()));
        text.push_str(raw);
        text.push('\n');
        if trimmed.ends_with(';') {
            test.checks.push(Check {
                line: at,
                when,
                query: text.trim().trim_end_matches(';').trim().to_string(),
                rows: Vec::new(),
            });
            rows_of = Some(test.checks.len() - 1);
        } else {
            query = Some((at, text));
        }
    }
    if let Some((at, _)) = query {
        return Err(format!("{file}:{at}: a query ends with `;`"));
    }
    if test.checks.is_empty() {
        return Err(format!(
            "{file}: no query to check: add -- ferry:after and a query followed by the rows it returns"
        ));
    }
    Ok(test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_file_reads_as_rows_and_queries() {
        let text = "-- ferry:before\nINSERT INTO p VALUES (1, 'a.png'),\n  (2, NULL);\n\n-- ferry:after\nSELECT id, mime\n  FROM p ORDER BY id;\n-- 1 | image/png\n-- 2 | NULL\nSELECT 1 WHERE false;\n-- (no rows)\n-- ferry:after-down\nSELECT count(*) FROM p;\n-- 2\n";
        let test = parse("./migrations/000007_backfill.test.sql", text).unwrap();
        assert_eq!(test.version, 7);
        assert_eq!(
            test.before,
            "INSERT INTO p VALUES (1, 'a.png'),\n  (2, NULL);\n\n"
        );
        assert_eq!(
            test.checks,
            vec![
                Check {
                    line: 6,
                    when: When::After,
                    query: "SELECT id, mime\n  FROM p ORDER BY id".into(),
                    rows: vec!["1 | image/png".into(), "2 | NULL".into()]
                },
                Check {
                    line: 10,
                    when: When::After,
                    query: "SELECT 1 WHERE false".into(),
                    rows: vec![]
                },
                Check {
                    line: 13,
                    when: When::AfterDown,
                    query: "SELECT count(*) FROM p".into(),
                    rows: vec!["2".into()]
                },
            ]
        );
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let f = "./migrations/000007_b.test.sql";
        assert_eq!(
            parse(f, "-- ferry:after\nSELECT 1;\n-- ferry:afterwards\n").unwrap_err(),
            "./migrations/000007_b.test.sql:3: unknown directive `-- ferry:afterwards`: expected -- ferry:before, -- ferry:after or -- ferry:after-down"
        );
        assert!(parse(f, "SELECT 1;\n")
            .unwrap_err()
            .starts_with("./migrations/000007_b.test.sql:1: SQL before any directive"));
        assert!(parse(f, "-- ferry:after\nSELECT 1\n")
            .unwrap_err()
            .ends_with(":2: a query ends with `;`"));
        assert!(parse("x/backfill.test.sql", "-- ferry:after\nSELECT 1;\n")
            .unwrap_err()
            .contains("named after its migration's version"));
        assert!(parse(f, "-- ferry:before\nINSERT INTO t VALUES (1);\n")
            .unwrap_err()
            .contains("no query to check"));
    }
}
