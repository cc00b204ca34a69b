//! The schema's fingerprint in the history, and reads under the migration key. After a
//! run that changed the schema, its fingerprint goes into the last history row's
//! `schema_hash` column (added by the first run that records one; golang-migrate's table
//! and older ferry builds never read it). `ferry drift --fast` and `up --check-drift`
//! compare it with the live schema's. What it covers and how it is computed is the
//! caller's (`crate::engine::fingerprint`): this file only stores and reads it.

use std::time::Duration;

use super::lease;
use super::session::Session;
use super::state::{self, quote_literal, Snapshot, Tables};
use super::wire::{Message, Wire};
use crate::events::Events;

/// The settings of a transaction that reads the catalogs, as `schema::catalog::SETTINGS`
/// (which this layer cannot import): a lock wait bounded, no JIT compilation. One
/// statement.
const READ_SETTINGS: &str = "SELECT pg_catalog.set_config('lock_timeout', '10s', true), \
     CASE WHEN current_setting('server_version_num')::int >= 110000 \
     THEN pg_catalog.set_config('jit', 'off', true) END;";

/// The fingerprint recorded last: its text and the history row that carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// `None`: the last history row has none (written by an older build, `force`,
    /// `repair`, or another tool's run since).
    pub hash: Option<String>,
    pub version: i64,
    pub at: String,
}

/// What [`Session::read_under_key`] read: the bookkeeping, the fingerprint recorded last, and
/// the rows of the caller's statements (each statement's rows, in order).
pub(crate) struct UnderKey {
    pub state: Snapshot,
    pub recorded: Option<Recorded>,
    pub statements: Vec<Vec<Vec<Option<String>>>>,
}

impl Session<'_> {
    /// Reads, in one read-only transaction that holds golang-migrate's key at
    /// transaction level — so a run in flight (which holds it for its whole run, or for
    /// each migration's transaction through a pooler) finishes first, waiting at most
    /// `wait` — the bookkeeping, the fingerprint recorded last and the rows of `sql` (statements
    /// that only read, run with an empty `search_path`). Nothing is created.
    pub(crate) fn read_under_key(
        &mut self,
        sql: &str,
        wait: Duration,
        events: &dyn Events,
    ) -> anyhow::Result<UnderKey> {
        self.refuse_foreign_state()?;
        let key = self.key();
        let bookkeeping = if self.versions_exist {
            state::read_sql(&self.tables, self.history_exists)
        } else {
            "SELECT NULL WHERE false".to_string()
        };
        let recorded = if self.history_exists {
            self.recorded_sql()
        } else {
            "SELECT NULL WHERE false".to_string()
        };
        let script = format!(
            "BEGIN READ ONLY;\n{lock}SET LOCAL search_path = '';\n{READ_SETTINGS}\n\
             {bookkeeping};\n{recorded};\n{sql}COMMIT;",
            lock = lease::xact_lock_sql(key),
        );
        // The statements before the caller's: BEGIN, the lock, two SETs, two reads.
        const BEFORE: usize = 6;
        let messages = self.send_under_key(&script, Some(key), wait, events)?;
        let statements = by_statement(&messages);
        let mut statements = statements.into_iter().skip(BEFORE - 2);
        let state = match statements.next() {
            Some(rows) if self.versions_exist => state::from_rows(rows, self.history_exists)?,
            _ => Snapshot::default(),
        };
        let recorded = statements
            .next()
            .and_then(|rows| rows.first().map(|row| recorded_of(row)))
            .transpose()?;
        Ok(UnderKey {
            state,
            recorded,
            statements: statements
                .map(|rows| rows.into_iter().map(|row| row.values()).collect())
                .collect(),
        })
    }

    /// Records on the last history row the value `value` (an SQL expression the server
    /// computes, the schema's fingerprint), in one message and one transaction that takes
    /// golang-migrate's key in transaction lock mode, so no other run's migration commits
    /// between the two. The column is added the first time. Nothing without a history.
    pub(crate) fn record_fingerprint(
        &mut self,
        value: &str,
        events: &dyn Events,
    ) -> anyhow::Result<()> {
        if !self.history_exists {
            return Ok(());
        }
        let history = self.tables.history();
        let lock = match self.xact_key {
            Some(key) => lease::xact_lock_sql(key),
            None => String::new(),
        };
        let script = format!(
            "BEGIN;\n{lock}SET LOCAL search_path = '';\n{READ_SETTINGS}\n\
             DO $ferry$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE \
             attrelid = {h}::regclass AND attname = 'schema_hash' AND NOT attisdropped) THEN \
             ALTER TABLE {history} ADD COLUMN schema_hash text; END IF; END $ferry$;\n\
             UPDATE {history} SET schema_hash = ({value}) WHERE id = (SELECT max(id) FROM {history});\n\
             COMMIT;",
            h = quote_literal(&history),
        );
        if let Err(err) = self.under_key(&script, events) {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(self.lock_refusal(&err).unwrap_or_else(|| {
                anyhow::Error::new(err).context("recording the schema's fingerprint")
            }));
        }
        Ok(())
    }

    /// Sends `script`, a read-only transaction that takes migration keys (naming `key`'s
    /// holder if it waits), waiting at most `wait`; rolled back on failure.
    fn send_under_key(
        &mut self,
        script: &str,
        key: Option<i64>,
        wait: Duration,
        events: &dyn Events,
    ) -> anyhow::Result<Vec<Message>> {
        let (held_key, held_wait) = (self.xact_key, self.lock_wait);
        (self.xact_key, self.lock_wait) = (key, wait);
        let answer = self.under_key(script, events);
        let refusal = answer.as_ref().err().and_then(|e| self.lock_refusal(e));
        (self.xact_key, self.lock_wait) = (held_key, held_wait);
        answer.map_err(|err| {
            let _ = self.client.batch_execute("ROLLBACK");
            refusal.unwrap_or_else(|| {
                anyhow::Error::new(err).context("reading the schema and the bookkeeping")
            })
        })
    }

    fn recorded_sql(&self) -> String {
        recorded_sql(&self.tables)
    }

    /// [`read_under_key`](Self::read_under_key) for many bookkeeping tables of this
    /// database at once (a schema-per-tenant fleet's): every one's key taken in one
    /// transaction, every one's bookkeeping and record read, and the rows of `sql` once.
    pub(crate) fn read_many_under_keys(
        &mut self,
        tenants: &[Tables],
        sql: &str,
        wait: Duration,
        events: &dyn Events,
    ) -> anyhow::Result<(Vec<Bookkeeping>, Statements)> {
        if tenants.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        // Which of them have ferry's tables, in one round trip.
        let names: Vec<String> = tenants
            .iter()
            .map(|t| {
                format!(
                    "({}, {})",
                    quote_literal(&t.versions()),
                    quote_literal(&t.history())
                )
            })
            .collect();
        let found = self
            .client
            .simple_query(&format!(
                "SELECT (pg_catalog.to_regclass(v) IS NOT NULL)::text, \
                 (pg_catalog.to_regclass(h) IS NOT NULL)::text FROM (VALUES {}) t(v, h)",
                names.join(", ")
            ))
            .map_err(|e| anyhow::Error::new(e).context("looking for the bookkeeping tables"))?;
        let exists: Vec<(bool, bool)> = found
            .iter()
            .filter_map(|m| match m {
                Message::Row(row) => Some((row.get(0) == Some("true"), row.get(1) == Some("true"))),
                Message::Complete => None,
            })
            .collect();
        let keys: Vec<i64> = tenants
            .iter()
            .map(|t| super::lock::key(&t.schema, &t.name, &format!("/{}", self.info.database)))
            .collect();
        let mut script = format!(
            "BEGIN READ ONLY;\n{}SET LOCAL search_path = '';\n{READ_SETTINGS}\n",
            lease::xact_locks_sql(&keys)
        );
        for (t, &(versions, history)) in tenants.iter().zip(&exists) {
            let none = "SELECT NULL WHERE false";
            let state = if versions {
                state::read_sql(t, history)
            } else {
                none.into()
            };
            let recorded = if history {
                recorded_sql(t)
            } else {
                none.into()
            };
            script.push_str(&format!("{state};\n{recorded};\n"));
        }
        script.push_str(sql);
        script.push_str("COMMIT;");
        const BEFORE: usize = 4;
        let messages = self.send_under_key(&script, keys.first().copied(), wait, events)?;
        let statements = by_statement(&messages);
        let mut statements = statements.into_iter().skip(BEFORE);
        let mut read = Vec::with_capacity(tenants.len());
        for &(versions, history) in &exists {
            let rows = statements.next().unwrap_or_default();
            let state = if versions {
                state::from_rows(rows, history)?
            } else {
                Snapshot::default()
            };
            let recorded = statements
                .next()
                .and_then(|rows| rows.first().map(|row| recorded_of(row)))
                .transpose()?;
            read.push((state, recorded));
        }
        let rest = statements
            .map(|rows| rows.into_iter().map(|row| row.values()).collect())
            .collect();
        Ok((read, rest))
    }
}

/// The rows of each statement of an answer, in order.
fn by_statement(messages: &[Message]) -> Vec<Vec<&super::wire::TextRow>> {
    let mut statements = vec![Vec::new()];
    for message in messages {
        match message {
            Message::Complete => statements.push(Vec::new()),
            Message::Row(row) => statements.last_mut().expect("one at least").push(row),
        }
    }
    statements
}

/// One bookkeeping table's state and the fingerprint recorded last.
pub(crate) type Bookkeeping = (Snapshot, Option<Recorded>);

/// Each statement's rows, each row's values as text.
pub(crate) type Statements = Vec<Vec<Vec<Option<String>>>>;

/// The last history row's fingerprint, version and time (the column may not exist yet).
fn recorded_sql(tables: &Tables) -> String {
    format!(
        "SELECT to_jsonb(h) ->> 'schema_hash', version, \
         to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
         FROM {} h ORDER BY id DESC LIMIT 1",
        tables.history()
    )
}

fn recorded_of(row: &super::wire::TextRow) -> anyhow::Result<Recorded> {
    Ok(Recorded {
        hash: row.get(0).map(str::to_string),
        version: row
            .get(1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("unexpected version in the history table"))?,
        at: row.get(2).unwrap_or_default().to_string(),
    })
}
