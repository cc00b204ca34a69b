//! The migration state other tools leave in a database: goose, dbmate, sqlx, sql-migrate
//! and Flyway. golang-migrate's table *is* ferry's, so it is not here. This module owns
//! their table names, how to tell that one is there (asked only where ferry's own tables
//! are not both there), and how to read which versions each has applied, with each tool's
//! own rules (goose's latest row per version, sqlx's `success`, Flyway's baselines). It
//! only reads: their tables are never changed.

use super::wire::{Message, Wire};
use anyhow::Context;

use super::state::{quote_ident, quote_literal};

/// A migration tool whose bookkeeping ferry can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Goose,
    Dbmate,
    Sqlx,
    #[value(name = "sql-migrate")]
    SqlMigrate,
    Flyway,
}

pub(crate) const TOOLS: [Tool; 5] = [
    Tool::Goose,
    Tool::Dbmate,
    Tool::Sqlx,
    Tool::SqlMigrate,
    Tool::Flyway,
];

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Goose => "goose",
            Tool::Dbmate => "dbmate",
            Tool::Sqlx => "sqlx",
            Tool::SqlMigrate => "sql-migrate",
            Tool::Flyway => "flyway",
        }
    }

    /// The table the tool keeps by default.
    pub fn table(self) -> &'static str {
        match self {
            Tool::Goose => "goose_db_version",
            Tool::Dbmate => "schema_migrations",
            Tool::Sqlx => "_sqlx_migrations",
            Tool::SqlMigrate => "gorp_migrations",
            Tool::Flyway => "flyway_schema_history",
        }
    }

    fn parse(name: &str) -> Option<Tool> {
        TOOLS.into_iter().find(|t| t.name() == name)
    }
}

/// The tools whose table is in `schema`. dbmate's table has golang-migrate's name; it is
/// dbmate's only without a `dirty` column.
pub(crate) fn find(client: &mut dyn Wire, schema: &str) -> anyhow::Result<Vec<Tool>> {
    let candidates: Vec<String> = TOOLS
        .iter()
        .map(|t| format!("('{}', '{}')", t.name(), t.table()))
        .collect();
    let sql = format!(
        "SELECT c.tool FROM (VALUES {}) AS c (tool, tbl) \
          WHERE to_regclass(format('%I.%I', {schema}, c.tbl)) IS NOT NULL \
            AND (c.tool <> 'dbmate' OR NOT EXISTS (SELECT 1 FROM pg_attribute a \
                 WHERE a.attrelid = to_regclass(format('%I.%I', {schema}, c.tbl)) \
                   AND a.attname = 'dirty' AND NOT a.attisdropped))",
        candidates.join(", "),
        schema = quote_literal(schema)
    );
    let messages = client
        .simple_query(&sql)
        .context("looking for other migration tools' tables")?;
    Ok(messages
        .iter()
        .filter_map(|m| match m {
            Message::Row(row) => row.get(0).and_then(Tool::parse),
            _ => None,
        })
        .collect())
}

/// One version another tool applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ToolApplied {
    pub version: i64,
    /// The tool's name or description of it, when it keeps one.
    pub name: Option<String>,
    /// When it was applied, as the tool recorded it (server time zone), if it does.
    pub at: Option<String>,
}

/// What one tool's table says.
#[derive(Debug, Clone)]
pub(crate) struct ToolState {
    pub tool: Tool,
    /// `schema.table`, as shown.
    pub table: String,
    pub applied: Vec<ToolApplied>,
    /// Flyway's `BASELINE` row: every version up to this one counts as applied.
    pub baseline: Option<i64>,
    /// Versions the tool recorded that are not whole numbers (Flyway's `1.1`), which
    /// ferry's files cannot have.
    pub unreadable: Vec<String>,
}

impl ToolState {
    /// The highest version applied (or baselined), if any.
    pub(crate) fn latest(&self) -> Option<i64> {
        self.applied
            .iter()
            .map(|a| a.version)
            .chain(self.baseline)
            .max()
    }
}

/// "latest version 5, 5 applied", or "nothing applied".
pub(crate) fn describe(state: &ToolState) -> String {
    match (state.latest(), state.applied.len()) {
        (None, _) => "nothing applied".to_string(),
        (Some(v), n) => match state.baseline {
            Some(b) => format!("latest version {v}, baseline {b}, {n} applied after it"),
            None => format!("latest version {v}, {n} applied"),
        },
    }
}

/// Why a command will not run on a database whose migrations another tool recorded, and
/// the one command that adopts them. `ours` is ferry's table as shown; `taken` says that
/// dbmate's table sits under that very name.
pub(crate) fn refusal(states: &[ToolState], ours: &str, taken: bool) -> String {
    let found: Vec<String> = states
        .iter()
        .map(|s| format!("{}'s in {} ({})", s.tool.name(), s.table, describe(s)))
        .collect();
    let command = match states {
        [one] if taken => format!(
            "ferry --table ferry_migrations adopt {}` (dbmate's table has ferry's default name, so \
             ferry keeps its own under another: pass the same --table, or set \
             FERRY_TABLE=ferry_migrations, from then on)",
            one.tool.name()
        ),
        [one] => format!(
            "ferry adopt` (it records {}'s applied versions in ferry's table and leaves {} \
             untouched; `ferry adopt --dry-run` shows what it would record)",
            one.tool.name(),
            one.table
        ),
        _ => format!(
            "ferry adopt TOOL` with the tool whose state is current ({})",
            states
                .iter()
                .map(|s| s.tool.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let ferry = if taken {
        format!("{ours} is not golang-migrate's table")
    } else {
        format!("there is no ferry table {ours}")
    };
    format!(
        "found migration state another tool left: {}; {ferry}, so ferry would run every \
         migration again. Record what was applied first: `{command}",
        found.join("; ")
    )
}

const AT: &str = "'YYYY-MM-DD HH24:MI:SS.US'";

/// Reads which versions `tool` has applied, from its table in `schema`.
pub(crate) fn read(client: &mut dyn Wire, schema: &str, tool: Tool) -> anyhow::Result<ToolState> {
    let table = format!("{}.{}", quote_ident(schema), quote_ident(tool.table()));
    // Each query yields (version text, name, applied at, kind).
    let sql = match tool {
        // goose appends a row per up and per down; the latest row of a version decides.
        // Version 0 is the row goose writes when it creates its table.
        Tool::Goose => format!(
            "SELECT version_id::text, NULL, to_char(tstamp, {AT}), '' FROM \
             (SELECT DISTINCT ON (version_id) version_id, is_applied, tstamp FROM {table} \
              ORDER BY version_id, id DESC) g WHERE is_applied AND version_id > 0 ORDER BY version_id"
        ),
        Tool::Dbmate => format!("SELECT version::text, NULL, NULL, '' FROM {table} ORDER BY 1"),
        Tool::Sqlx => format!(
            "SELECT version::text, description, to_char(installed_on, {AT}), '' FROM {table} \
             WHERE success ORDER BY version"
        ),
        Tool::SqlMigrate => format!(
            "SELECT id, id, to_char(applied_at, {AT}), '' FROM {table} ORDER BY id"
        ),
        Tool::Flyway => format!(
            "SELECT version, description, to_char(installed_on, {AT}), type FROM {table} \
             WHERE success AND version IS NOT NULL \
               AND type NOT IN ('DELETE', 'UNDO_SQL', 'UNDO_JDBC', 'UNDO_SCRIPT') \
             ORDER BY installed_rank"
        ),
    };
    let shown = format!("{schema}.{}", tool.table());
    let messages = client
        .simple_query(&sql)
        .with_context(|| format!("reading {}'s table {shown}", tool.name()))?;
    let mut state = ToolState {
        tool,
        table: shown,
        applied: Vec::new(),
        baseline: None,
        unreadable: Vec::new(),
    };
    for message in messages {
        let Message::Row(row) = message else {
            continue;
        };
        let raw = row.get(0).unwrap_or_default();
        let Some((version, name)) = version_and_name(tool, raw, row.get(1)) else {
            state.unreadable.push(raw.to_string());
            continue;
        };
        if row.get(3) == Some("BASELINE") {
            state.baseline = state.baseline.max(Some(version));
            continue;
        }
        state.applied.retain(|a| a.version != version);
        state.applied.push(ToolApplied {
            version,
            name,
            at: row.get(2).map(str::to_string),
        });
    }
    state.applied.sort_by_key(|a| a.version);
    Ok(state)
}

/// The version (and name) of one row: a whole number, or for sql-migrate the leading
/// digits of the file name it records (`20250101_init.sql`).
fn version_and_name(tool: Tool, raw: &str, name: Option<&str>) -> Option<(i64, Option<String>)> {
    if tool == Tool::SqlMigrate {
        let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
        let version = raw[..digits].parse().ok()?;
        let rest = raw[digits..].trim_start_matches('_');
        let rest = rest.strip_suffix(".sql").unwrap_or(rest);
        let rest = rest.strip_suffix(".up").unwrap_or(rest);
        return Some((version, Some(rest.to_string()).filter(|r| !r.is_empty())));
    }
    let version = raw.trim().parse().ok()?;
    Some((version, name.map(str::to_string).filter(|n| !n.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_migrate_ids_are_file_names() {
        assert_eq!(
            version_and_name(Tool::SqlMigrate, "20250101_init.sql", None),
            Some((20250101, Some("init".to_string())))
        );
        assert_eq!(version_and_name(Tool::SqlMigrate, "init.sql", None), None);
    }

    #[test]
    fn versions_must_be_whole_numbers() {
        assert_eq!(version_and_name(Tool::Flyway, "1.1", Some("x")), None);
        assert_eq!(
            version_and_name(Tool::Flyway, "3", Some("add users")),
            Some((3, Some("add users".to_string())))
        );
    }

    #[test]
    fn every_tool_has_its_own_name_and_table() {
        for tool in TOOLS {
            assert_eq!(Tool::parse(tool.name()), Some(tool));
        }
    }
}
