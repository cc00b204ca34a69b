//! The SQL text of one step: a migration's script framed by its transaction, the
//! bookkeeping that records it (version row, history) in the same message, and the
//! statements that move the version alone.

use std::time::Duration;

use anyhow::Context;

use crate::db::state::{HistoryEntry, Started, Stored};
use crate::db::wire::Wire;
use crate::db::Session;
use crate::events::Events;
use crate::migration::{Migration, Script};
use crate::plan::{Direction, Step};

pub(crate) const BEGIN: &str = "BEGIN;\n";

pub(crate) fn script_of(migration: &Migration, direction: Direction) -> anyhow::Result<&Script> {
    match direction {
        Direction::Down => migration
            .down
            .as_ref()
            .with_context(|| format!("{} has no down migration", migration.up.label)),
        _ => Ok(&migration.up),
    }
}

pub(crate) struct Run<'a> {
    pub(crate) migration: &'a Migration,
    pub(crate) script: &'a Script,
    pub(crate) step: &'a Step,
    /// The version before this step.
    pub(crate) current: Option<i64>,
    /// How long it may wait for a lock, and how often it is tried again after that.
    pub(crate) lock_timeout: Duration,
    pub(crate) retries: u32,
    /// Tries already made (one, when its pipelined window timed out waiting for a lock).
    pub(crate) tried: u32,
    pub(crate) events: &'a dyn Events,
    /// Keep the migration's SQL in its `up` history row (`--no-store-sql`: not).
    pub(crate) store_sql: bool,
}

#[derive(Clone, Copy)]
pub(crate) struct TxShape {
    pub(crate) begin: bool,
    pub(crate) commit: bool,
    pub(crate) single: bool,
}

/// Which part of a transactional migration the server refused.
pub(crate) enum Sent<'s> {
    /// The one message holding BEGIN, the body, the bookkeeping and COMMIT.
    Whole,
    /// One statement sent on its own.
    Statement(&'s crate::sql::split::Statement),
    /// BEGIN, or the bookkeeping and COMMIT, sent on their own.
    Frame,
}

/// What ends a migration's part of the transaction: `COMMIT` (unless a
/// `--single-transaction` run goes on), then the session's settings put back if the
/// script may have changed them.
pub(crate) fn closing(session: &Session<'_>, run: &Run<'_>, tx: TxShape) -> String {
    let mut sql = String::new();
    if tx.commit {
        sql.push_str("COMMIT;\n");
    }
    if run.script.changes_session {
        sql.push_str(&session.restore_settings);
    }
    sql
}

/// What opens a migration's part of the transaction: `BEGIN` and, in transaction lock
/// mode, the key and the check that nothing moved (unless it continues a
/// `--single-transaction` run), then its lock timeout, which `SET LOCAL` keeps to it.
pub(crate) fn frame(session: &Session<'_>, run: &Run<'_>, tx: TxShape) -> String {
    opening(session, run.current, run.lock_timeout, tx.begin)
}

/// [`frame`] for any script: `BEGIN` (when `begin`) and the guard that the database is at
/// `current`, then the lock timeout.
pub(crate) fn opening(
    session: &Session<'_>,
    current: Option<i64>,
    lock_timeout: Duration,
    begin: bool,
) -> String {
    let open = if begin {
        format!("{BEGIN}{}", session.step_guard(current))
    } else {
        String::new()
    };
    format!(
        "{open}SET LOCAL lock_timeout = {};\n",
        lock_timeout.as_millis()
    )
}

/// `script`'s SQL between `open` and `close`, appended to `sql`: where the SQL starts in it.
pub(crate) fn push_script(sql: &mut String, open: &str, script: &Script, close: &str) -> usize {
    sql.push_str(open);
    let start = sql.len();
    sql.push_str(&script.text[script.body()]);
    // A newline first: the body may end in a line comment.
    sql.push_str("\n;\n");
    sql.push_str(close);
    start
}

/// Steps over a migration that has no down: the version row and a history row, in one
/// transaction.
pub(crate) fn move_version_only(
    session: &mut Session<'_>,
    migration: &Migration,
    step: &Step,
) -> anyhow::Result<()> {
    let mut sql = String::from(BEGIN);
    sql.push_str(&session.tables.set_version_sql(step.version_after, false));
    sql.push_str(&session.tables.history_sql(&HistoryEntry {
        version: migration.version,
        name: &migration.name,
        direction: Direction::Down,
        checksum: None,
        started_at: Started::TransactionStart,
        stored: None,
    }));
    sql.push_str("COMMIT;");
    session
        .client
        .batch_execute(&sql)
        .with_context(|| format!("moving the version past {}", migration.up.label))
}

/// The version row and the history row (`returning`: see
/// [`Tables::history_sql_returning`](crate::db::state::Tables::history_sql_returning)).
pub(crate) fn bookkeeping(
    session: &Session<'_>,
    run: &Run<'_>,
    started_at: Started,
    returning: &str,
) -> String {
    let mut sql = session
        .tables
        .set_version_sql(run.step.version_after, false);
    sql.push_str(
        &session.tables.history_sql_returning(
            &HistoryEntry {
                version: run.migration.version,
                name: &run.migration.name,
                direction: run.step.direction,
                checksum: Some(&run.script.checksum),
                started_at,
                stored: (run.store_sql && run.step.direction == Direction::Up)
                    .then(|| stored(run.migration)),
            },
            returning,
        ),
    );
    sql
}

/// What an `up` row keeps of `migration` (see [`Stored`]): a pair's two files, or a single
/// file (whose down section, if any, is in its text).
fn stored(migration: &Migration) -> Stored<'_> {
    fn file(path: &std::path::Path) -> &str {
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    }
    let down = migration
        .down
        .as_ref()
        .filter(|d| !std::sync::Arc::ptr_eq(&d.text, &migration.up.text));
    Stored {
        up_file: file(&migration.up.path),
        up_sql: &migration.up.text,
        down_file: down.map(|d| file(&d.path)),
        down_sql: down.map(|d| &*d.text),
    }
}
