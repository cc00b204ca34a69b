//! The bookkeeping writes commands make outside a migration — `force`, `repair`, `adopt`
//! — each one method and one transaction, so no command frames its own. (A migration's
//! own bookkeeping goes in the migration's transaction: the engine's `script`.)

use anyhow::Context;

use super::session::Session;
use super::state::{HistoryEntry, Started};
use super::wire::Wire;
use crate::migration::Direction;

impl Session<'_> {
    /// `ferry force`: the version row set to `version`, clean, and a `force` history row
    /// naming `name` (the file's migration, or what the version was called).
    pub(crate) fn record_forced(&mut self, version: Option<i64>, name: &str) -> anyhow::Result<()> {
        let mut sql = format!("BEGIN;\n{}", self.tables.set_version_sql(version, false));
        sql.push_str(&self.tables.history_sql(&HistoryEntry {
            version: version.unwrap_or(-1),
            name,
            direction: Direction::Force,
            checksum: None,
            started_at: Started::ClockMinus(0),
            stored: None,
        }));
        sql.push_str("COMMIT;");
        self.client
            .batch_execute(&sql)
            .context("recording the forced version")
    }

    /// `ferry repair`: applied migration `version`'s new checksum, and why it changed.
    pub(crate) fn record_repair(
        &mut self,
        version: i64,
        name: &str,
        checksum: &str,
        reason: &str,
    ) -> anyhow::Result<()> {
        let sql = self.tables.repair_sql(version, name, checksum, reason);
        self.client
            .batch_execute(&sql)
            .context("recording the repaired checksum")
    }

    /// `ferry adopt`: ferry's tables created, the version row at `version` and a history
    /// row for each migration another tool (`tool`) applied.
    pub(crate) fn record_adopted(
        &mut self,
        version: Option<i64>,
        applied: &[HistoryEntry<'_>],
        tool: &str,
    ) -> anyhow::Result<()> {
        self.client
            .batch_execute(&self.adopted_sql(version, applied))
            .with_context(|| format!("recording {tool}'s versions; nothing was recorded"))
    }

    fn adopted_sql(&self, version: Option<i64>, applied: &[HistoryEntry<'_>]) -> String {
        let tables = &self.tables;
        let mut sql = format!("BEGIN;\n{}\n", tables.create_sql());
        sql.push_str(&tables.set_version_sql(version, false));
        for entry in applied {
            sql.push_str(&tables.history_sql(entry));
        }
        sql.push_str("COMMIT;");
        sql
    }
}
