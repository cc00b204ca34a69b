//! The bookkeeping tables: golang-migrate's one-row `schema_migrations` and ferry's
//! `<table>_history`. This module owns their names, their DDL, reading them, and the SQL
//! that records a version — as text, so the executor can send it in the same message as
//! the migration itself.

use std::fmt;

use anyhow::{bail, Context};

use super::wire::{Message, TextRow, Wire};
use crate::plan::{self, Direction, HistoryRow, Known, View};

pub(crate) use crate::sql::quote::{quote_ident, quote_literal};

pub(crate) const DEFAULT_TABLE: &str = "schema_migrations";
const HISTORY_SUFFIX: &str = "_history";
/// PostgreSQL truncates identifiers longer than this; a silently shortened name would
/// point two settings at one table.
const MAX_IDENT: usize = 63;

/// The bookkeeping table as the user named it; the schema is filled in from
/// `current_schema()` once connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableName {
    pub schema: Option<String>,
    pub name: String,
}

impl Default for TableName {
    fn default() -> Self {
        TableName {
            schema: None,
            name: DEFAULT_TABLE.to_string(),
        }
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl TableName {
    /// `table` or `schema.table`, each part a plain identifier (letters, digits, `_`, `$`,
    /// not starting with a digit). Quoted golang-migrate forms (`"s"."t"`) are unquoted.
    pub(crate) fn parse(raw: &str) -> anyhow::Result<Self> {
        let parts: Vec<&str> = raw.split('.').map(|p| p.trim_matches('"')).collect();
        let (schema, name) = match parts.as_slice() {
            [name] => (None, *name),
            [schema, name] => (Some(*schema), *name),
            _ => bail!("table name `{raw}` has too many dots: write `table` or `schema.table`"),
        };
        for part in schema.iter().chain([&name]) {
            check_identifier(part, raw)?;
        }
        check_length(name)?;
        if let Some(schema) = schema {
            check_not_system(schema)?;
        }
        Ok(TableName {
            schema: schema.map(str::to_string),
            name: name.to_string(),
        })
    }
}

impl TableName {
    /// The table a golang-migrate URL names: `x-migrations-table-quoted` (schema and table,
    /// already unquoted), or else `x-migrations-table` taken whole, as golang-migrate takes
    /// it: `app.versions` is one table of that name in the current schema, and the lock key
    /// covers that name, so both tools share the table and exclude each other. (`--table
    /// app.versions` still means schema `app`.)
    pub(crate) fn from_url(
        quoted: Option<&(Option<String>, String)>,
        raw: Option<&str>,
    ) -> anyhow::Result<Option<Self>> {
        if let Some((schema, name)) = quoted {
            for part in schema.iter().chain([name]) {
                check_identifier(part, part)?;
            }
            if let Some(schema) = schema {
                check_not_system(schema)?;
            }
            return Ok(Some(TableName {
                schema: schema.clone(),
                name: name.clone(),
            }));
        }
        let Some(raw) = raw else {
            return Ok(None);
        };
        for part in raw.split('.') {
            check_identifier(part, raw)?;
        }
        check_length(raw)?;
        Ok(Some(TableName {
            schema: None,
            name: raw.to_string(),
        }))
    }
}

fn check_length(name: &str) -> anyhow::Result<()> {
    if name.len() + HISTORY_SUFFIX.len() > MAX_IDENT {
        bail!(
            "table name `{name}` is too long: ferry also keeps `{name}{HISTORY_SUFFIX}`, \
             which must fit in {MAX_IDENT} bytes; use a name of at most {} characters",
            MAX_IDENT - HISTORY_SUFFIX.len()
        );
    }
    Ok(())
}

/// PostgreSQL's own schemas: `information_schema`, and every `pg_` one (`pg_catalog`,
/// `pg_toast`, temporary schemas).
pub(crate) fn is_system_schema(schema: &str) -> bool {
    let lower = schema.to_ascii_lowercase();
    lower == "information_schema" || lower.starts_with("pg_")
}

/// The bookkeeping never goes in a system schema: `drop` and `reset` empty the schema of
/// ferry's table.
fn check_not_system(schema: &str) -> anyhow::Result<()> {
    if is_system_schema(schema) {
        bail!(
            "`{schema}` is a system schema of PostgreSQL's: ferry's tables cannot live there \
             (`drop` and `reset` empty their schema); name a schema of your own, like \
             app.schema_migrations"
        );
    }
    Ok(())
}

fn check_identifier(part: &str, raw: &str) -> anyhow::Result<()> {
    let mut chars = part.chars();
    let valid_start = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let valid_rest = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if !valid_start || !valid_rest || part.len() > MAX_IDENT {
        bail!(
            "`{raw}` is not a valid table name: use letters, digits and underscores, \
             like schema_migrations or app.schema_migrations"
        );
    }
    Ok(())
}

/// The bookkeeping tables of one database, schema resolved.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    pub schema: String,
    pub name: String,
}

impl Tables {
    pub(crate) fn new(name: &TableName, current_schema: Option<&str>) -> anyhow::Result<Self> {
        let schema = match (&name.schema, current_schema) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) => s.to_string(),
            (None, None) => bail!(
                "the database has no current schema (search_path is empty): \
                 name one with --table schema.{}",
                name.name
            ),
        };
        Ok(Tables {
            schema,
            name: name.name.clone(),
        })
    }

    /// `"schema"."table"`, always quoted.
    pub(crate) fn versions(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }

    pub(crate) fn history(&self) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&format!("{}{HISTORY_SUFFIX}", self.name))
        )
    }

    /// `schema.table` as shown to people.
    pub(crate) fn display(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }

    pub(crate) fn create_sql(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {v} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);\n\
             CREATE TABLE IF NOT EXISTS {h} (\n  \
               id bigserial PRIMARY KEY,\n  \
               version bigint NOT NULL,\n  \
               name text NOT NULL,\n  \
               direction text NOT NULL,\n  \
               checksum text,\n  \
               started_at timestamptz NOT NULL DEFAULT now(),\n  \
               duration_ms bigint,\n  \
               applied_by text NOT NULL DEFAULT current_user,\n  \
               ferry_version text NOT NULL,\n  \
               up_file text,\n  \
               up_sql text,\n  \
               down_file text,\n  \
               down_sql text\n);",
            v = self.versions(),
            h = self.history()
        )
    }

    /// Both tables made and filled with `state` (another database's bookkeeping): how a
    /// copy of a database's schema is told what was applied to it (`up --rehearse`).
    pub(crate) fn copy_sql(&self, state: &Snapshot) -> String {
        let mut sql = format!("{}\n", self.create_sql());
        sql.push_str(&self.set_version_sql(state.version, state.dirty));
        for row in &state.history {
            sql.push_str(&format!(
                "INSERT INTO {} (version, name, direction, checksum, started_at, duration_ms, \
                 ferry_version) VALUES ({}, {}, '{}', {}, {}, {}, '{}');\n",
                self.history(),
                row.version,
                quote_literal(&row.name),
                row.direction.as_str(),
                row.checksum
                    .as_deref()
                    .map_or("NULL".to_string(), quote_literal),
                quote_literal(&row.started_at),
                row.duration_ms
                    .map_or("NULL".to_string(), |d| d.to_string()),
                env!("CARGO_PKG_VERSION"),
            ));
        }
        sql
    }

    /// The version row, as golang-migrate keeps it: at most one row; "no version" and
    /// clean leaves the table empty; "no version" and dirty is stored as -1. Updated in
    /// place (inserted when the table is empty), not golang-migrate's TRUNCATE + INSERT: a
    /// TRUNCATE gives the table and its index new files in every migration, which made
    /// the bookkeeping cost as much as a small migration. A second row, which only a hand
    /// could have added, is removed first, so the table still holds one.
    pub(crate) fn set_version_sql(&self, version: Option<i64>, dirty: bool) -> String {
        let table = self.versions();
        if version.is_none() && !dirty {
            return format!("DELETE FROM {table};\n");
        }
        let v = version.unwrap_or(-1);
        format!(
            "DELETE FROM {table} WHERE ctid <> (SELECT ctid FROM {table} LIMIT 1);\n\
             WITH updated AS (UPDATE {table} SET version = {v}, dirty = {dirty} RETURNING 1) \
             INSERT INTO {table} (version, dirty) SELECT {v}, {dirty} \
             WHERE NOT EXISTS (SELECT 1 FROM updated);\n"
        )
    }

    /// The columns an up row keeps its SQL in ([`Stored`]), added to a history table made
    /// before ferry kept it.
    pub(crate) fn stored_sql_columns_sql(&self) -> String {
        format!(
            "ALTER TABLE {} ADD COLUMN IF NOT EXISTS up_file text, ADD COLUMN IF NOT EXISTS up_sql \
             text, ADD COLUMN IF NOT EXISTS down_file text, ADD COLUMN IF NOT EXISTS down_sql text;\n",
            self.history()
        )
    }

    /// What the history keeps of version `version`'s SQL: its last `up` row's (see
    /// [`Stored`]; none when that run kept none, even if an earlier one did — its text may
    /// be out of date). Columns: up file, up SQL, down file, down SQL, name, when.
    pub(crate) fn stored_sql_read(&self, version: i64) -> String {
        format!(
            "SELECT up_file, up_sql, down_file, down_sql, name, \
               to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
             FROM {} WHERE version = {version} AND direction = 'up' ORDER BY id DESC LIMIT 1",
            self.history()
        )
    }

    /// One history row. started_at is the transaction's start and the duration is measured
    /// by the server when this statement runs, so it can ride in the migration's message.
    pub(crate) fn history_sql(&self, entry: &HistoryEntry<'_>) -> String {
        self.history_sql_returning(entry, "")
    }

    /// Fails the transaction (SQLSTATE [`ALREADY_RAN`]) when the repeatable migration `name`
    /// last ran with `checksum`: another run applied it since this one looked (transaction
    /// lock mode, where runs interleave between transactions).
    pub(crate) fn repeatable_still_due_sql(&self, name: &str, checksum: &str) -> String {
        format!(
            "DO $ferry$ BEGIN IF (SELECT checksum FROM {h} WHERE direction = 'repeatable' AND \
             name = {n} ORDER BY id DESC LIMIT 1) IS NOT DISTINCT FROM {c} THEN RAISE EXCEPTION \
             'already applied by another run' USING ERRCODE = '{ALREADY_RAN}'; END IF; END \
             $ferry$;\n",
            h = self.history(),
            n = quote_literal(name),
            c = quote_literal(checksum),
        )
    }

    /// `ferry repair`: a history row that accepts an applied file's new checksum, and why.
    pub(crate) fn repair_sql(
        &self,
        version: i64,
        name: &str,
        checksum: &str,
        reason: &str,
    ) -> String {
        self.noted_sql(version, name, Direction::Repair, checksum, reason)
    }

    /// The record of a migration without a transaction that stopped part way: which of
    /// its statements ran.
    pub(crate) fn failed_sql(
        &self,
        version: i64,
        name: &str,
        checksum: &str,
        note: &str,
    ) -> String {
        self.noted_sql(version, name, Direction::Failed, checksum, note)
    }

    /// A history row with a note, in a `reason` column the first such row adds.
    fn noted_sql(
        &self,
        version: i64,
        name: &str,
        direction: Direction,
        checksum: &str,
        note: &str,
    ) -> String {
        format!(
            "BEGIN;\nALTER TABLE {h} ADD COLUMN IF NOT EXISTS reason text;\n\
             INSERT INTO {h} (version, name, direction, checksum, started_at, duration_ms, \
             ferry_version, reason) VALUES ({version}, {}, '{}', {}, clock_timestamp(), NULL, \
             '{}', {});\nCOMMIT;",
            quote_literal(name),
            direction.as_str(),
            quote_literal(checksum),
            env!("CARGO_PKG_VERSION"),
            quote_literal(note),
            h = self.history(),
        )
    }

    /// [`history_sql`](Self::history_sql) with a `RETURNING` clause (`returning` is
    /// ` RETURNING …` or empty): a pipelined window reads each migration's server-side
    /// duration from its answer.
    pub(crate) fn history_sql_returning(
        &self,
        entry: &HistoryEntry<'_>,
        returning: &str,
    ) -> String {
        let (started, duration) = match entry.started_at {
            Started::TransactionStart => (
                "now()".to_string(),
                "(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint".to_string(),
            ),
            Started::Marked => (
                format!("current_setting('{STARTED_SETTING}')::timestamptz"),
                format!(
                    "(extract(epoch FROM clock_timestamp() - \
                     current_setting('{STARTED_SETTING}')::timestamptz) * 1000)::bigint"
                ),
            ),
            Started::ClockMinus(ms) => (
                format!("clock_timestamp() - interval '{ms} milliseconds'"),
                ms.to_string(),
            ),
            Started::At(at) => (
                format!("{}::timestamptz", quote_literal(at)),
                "NULL".to_string(),
            ),
        };
        let (columns, values) = match &entry.stored {
            Some(stored) => {
                let text = |t: Option<&str>| t.map_or("NULL".to_string(), quote_literal);
                (
                    ", up_file, up_sql, down_file, down_sql",
                    format!(
                        ", {}, {}, {}, {}",
                        quote_literal(stored.up_file),
                        quote_literal(stored.up_sql),
                        text(stored.down_file),
                        text(stored.down_sql)
                    ),
                )
            }
            None => ("", String::new()),
        };
        format!(
            "INSERT INTO {} (version, name, direction, checksum, started_at, duration_ms, \
             ferry_version{columns}) VALUES ({}, {}, '{}', {}, {started}, {duration}, '{}'{values}){returning};\n",
            self.history(),
            entry.version,
            quote_literal(entry.name),
            entry.direction.as_str(),
            entry.checksum.map_or("NULL".to_string(), quote_literal),
            env!("CARGO_PKG_VERSION"),
        )
    }
}

/// SQLSTATE of [`Tables::repeatable_still_due_sql`]'s refusal.
pub(crate) const ALREADY_RAN: &str = "FE003";

/// The transaction-local setting a migration sent with others marks its start in: within
/// one message every transaction's `now()` is the message's arrival.
pub(crate) const STARTED_SETTING: &str = "ferry.started";

/// Marks the start of a migration's transaction for [`Started::Marked`].
pub(crate) fn mark_start_sql() -> String {
    format!("SELECT set_config('{STARTED_SETTING}', clock_timestamp()::text, true);\n")
}

/// When the work a history row records started.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Started<'a> {
    /// At the start of the current transaction (the migration ran inside it).
    TransactionStart,
    /// Where [`mark_start_sql`] marked it, in the transaction (a migration of a window).
    Marked,
    /// At this time, as another tool recorded it (its duration is not known).
    At(&'a str),
    /// This many milliseconds before the row is written (work done outside a transaction).
    ClockMinus(u64),
}

#[derive(Debug)]
pub(crate) struct HistoryEntry<'a> {
    pub version: i64,
    pub name: &'a str,
    pub direction: Direction,
    pub checksum: Option<&'a str>,
    pub started_at: Started<'a>,
    /// The SQL an `up` row keeps (`--no-store-sql`: none).
    pub stored: Option<Stored<'a>>,
}

/// What the history keeps of one version (see [`Tables::stored_sql_read`]), owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredSql {
    pub version: i64,
    pub name: String,
    /// When it ran (ISO 8601, UTC).
    pub applied_at: String,
    pub up_file: String,
    pub up_sql: String,
    pub down_file: Option<String>,
    pub down_sql: Option<String>,
}

/// A migration's SQL as an `up` row keeps it: its files' names and texts as they ran
/// (templates rendered) — the up file, and the down file when it is a file of its own (a
/// single file's down section is in its text) — so that a build without the files can
/// read them back as ferry reads files.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stored<'a> {
    pub up_file: &'a str,
    pub up_sql: &'a str,
    pub down_file: Option<&'a str>,
    pub down_sql: Option<&'a str>,
}

/// What the bookkeeping tables hold.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub version: Option<i64>,
    pub dirty: bool,
    pub history: Vec<HistoryRow>,
    /// ferry's history table exists (and was read): an empty `history` means nothing ran.
    pub history_kept: bool,
}

impl Snapshot {
    /// The applied set and dirty state against these files (see [`plan::view`]).
    pub(crate) fn view(&self, files: &[Known<'_>]) -> View {
        plan::view(
            self.version,
            self.dirty,
            &self.history,
            self.history_kept,
            files,
        )
    }

    /// `5`, `5 (dirty)` or `none`: what `version` prints and `status` shows.
    pub(crate) fn version_text(&self) -> String {
        let version = self.version.map_or("none".to_string(), |v| v.to_string());
        if self.dirty {
            format!("{version} (dirty)")
        } else {
            version
        }
    }
}

/// Reads both tables in one round trip. `exists` comes from the caller's catalog check so
/// read-only commands never create anything.
pub(crate) fn read(
    client: &mut dyn Wire,
    tables: &Tables,
    exists: bool,
    history_exists: bool,
) -> anyhow::Result<Snapshot> {
    if !exists {
        return Ok(Snapshot::default());
    }
    let messages = client
        .simple_query(&read_sql(tables, history_exists))
        .with_context(|| format!("reading {}", tables.display()))?;
    from_rows(
        messages.iter().filter_map(|m| match m {
            Message::Row(row) => Some(row),
            Message::Complete => None,
        }),
        history_exists,
    )
}

/// The one statement [`read`] sends (the tables exist).
pub(crate) fn read_sql(tables: &Tables, history_exists: bool) -> String {
    // One statement, so one snapshot: read as two, a run committing in between (runs
    // interleave in transaction lock mode) showed a history ahead of the version row, which
    // looked like a row another tool had moved — and a baseline was recorded over it. The
    // version row comes first (id -1; history ids start at 1), merged in id order.
    if history_exists {
        format!(
            "SELECT * FROM (SELECT -1::bigint AS id, version, dirty::text AS name, NULL::text AS \
               direction, NULL::text AS checksum, NULL::text AS started, NULL::bigint AS \
               duration_ms, NULL::text AS note FROM (SELECT * FROM {v} LIMIT 1) v \
             UNION ALL \
             SELECT id, version, name, direction, checksum, \
               to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), duration_ms, \
               CASE WHEN direction = 'failed' THEN to_jsonb(h) ->> 'reason' END \
             FROM {h} h) rows ORDER BY id",
            v = tables.versions(),
            h = tables.history()
        )
    } else {
        format!(
            "SELECT -1, version, dirty::text FROM {} LIMIT 1",
            tables.versions()
        )
    }
}

/// The state from the rows of [`read_sql`].
pub(crate) fn from_rows<'r>(
    rows: impl IntoIterator<Item = &'r TextRow>,
    history_exists: bool,
) -> anyhow::Result<Snapshot> {
    let mut snapshot = Snapshot {
        history_kept: history_exists,
        ..Snapshot::default()
    };
    for row in rows {
        if row.get(0) == Some("-1") {
            let version: i64 = parse_col(row.get(1), "version")?;
            snapshot.version = (version >= 0).then_some(version);
            snapshot.dirty = row.get(2) == Some("true");
            continue;
        }
        snapshot.history.push(HistoryRow {
            version: parse_col(row.get(1), "version")?,
            name: row.get(2).unwrap_or_default().to_string(),
            direction: Direction::parse(row.get(3).unwrap_or_default()),
            checksum: row.get(4).map(str::to_string),
            started_at: row.get(5).unwrap_or_default().to_string(),
            duration_ms: row
                .get(6)
                .map(|d| parse_col(Some(d), "duration_ms"))
                .transpose()?,
            note: row.get(7).map(str::to_string),
        });
    }
    Ok(snapshot)
}

fn parse_col(value: Option<&str>, column: &str) -> anyhow::Result<i64> {
    value
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("unexpected {column} value {value:?} in the bookkeeping table"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_parse() {
        assert_eq!(
            TableName::parse("schema_migrations").unwrap(),
            TableName::default()
        );
        let t = TableName::parse("app.migs").unwrap();
        assert_eq!(
            (t.schema.as_deref(), t.name.as_str()),
            (Some("app"), "migs")
        );
        let t = TableName::parse("\"app\".\"migs\"").unwrap();
        assert_eq!(t.to_string(), "app.migs");
    }

    #[test]
    fn a_dotted_url_table_is_one_name_as_golang_migrate_reads_it() {
        let t = TableName::from_url(None, Some("app.versions"))
            .unwrap()
            .unwrap();
        assert_eq!((t.schema, t.name.as_str()), (None, "app.versions"));
        let quoted = (Some("app".to_string()), "versions".to_string());
        let t = TableName::from_url(Some(&quoted), Some("\"app\".\"versions\""))
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.schema.as_deref(), t.name.as_str()),
            (Some("app"), "versions")
        );
        assert!(TableName::from_url(None, Some("a;b")).is_err());
        assert!(TableName::from_url(None, None).unwrap().is_none());
    }

    #[test]
    fn hostile_or_odd_table_names_are_refused() {
        for bad in [
            "",
            "a.b.c",
            "x\"; drop table t; --",
            "1abc",
            "a b",
            "a-b",
            "sch.",
            &"x".repeat(56),
        ] {
            assert!(TableName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn identifiers_are_always_quoted() {
        let t = Tables::new(&TableName::parse("Migs").unwrap(), Some("public")).unwrap();
        assert_eq!(t.versions(), "\"public\".\"Migs\"");
        assert_eq!(t.history(), "\"public\".\"Migs_history\"");
    }

    #[test]
    fn missing_schema_is_explained() {
        let err = Tables::new(&TableName::default(), None).unwrap_err();
        assert!(err.to_string().contains("--table schema.schema_migrations"));
    }

    #[test]
    fn version_rows_follow_golang_migrate() {
        let t = Tables::new(&TableName::default(), Some("public")).unwrap();
        assert!(!t.set_version_sql(None, false).contains("INSERT"));
        assert!(t.set_version_sql(None, true).contains("SELECT -1, true"));
        let five = t.set_version_sql(Some(5), false);
        assert!(five.contains("SET version = 5, dirty = false"), "{five}");
        assert!(five.contains("SELECT 5, false"), "{five}");
        assert!(!five.contains("TRUNCATE"), "{five}");
    }
}
