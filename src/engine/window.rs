//! Pipelined deploys: consecutive transactional migrations go to the server together, in
//! one simple-query message, so that a deploy of a hundred migrations pays a few round
//! trips instead of a hundred. Each migration is still its own transaction with its own
//! bookkeeping — `BEGIN`, the file, the version and history rows, `COMMIT`, then the next.
//!
//! The server stops at the first error in a message and skips the rest of it, so after a
//! failure — a statement, or `COMMIT` itself (a deferred constraint) — no later migration
//! of the window runs, let alone commits. The migrations before it have committed; which
//! ones the version row says: the session lock keeps other runs out in session mode, and in
//! transaction mode (where the lock lasts one transaction) the window holds the lease from
//! its first commit to its last, so no other run's migration comes in between (each other
//! run's transaction checks the lease, [`crate::db::lease::expect_sql`]).
//!
//! A window ends at a migration that cannot join one: a no-transaction migration, a file
//! that changes `standard_conforming_strings` (sent statement by statement), a connection
//! that commits apart (an async caller's lent client), and at [`MAX_MIGRATIONS`] or
//! [`MAX_BYTES`] of SQL. A window of one is sent the usual way.

use std::sync::atomic::AtomicBool;

use super::script::{bookkeeping, closing, frame, push_script, script_of, Run, TxShape};
use crate::db::state::{self, Started, Tables};
use crate::db::wire::{Message, Wire, WireError};
use crate::db::{Session, WindowLease};
use crate::migration::Migration;
use crate::plan::{Direction, Step};

/// At most this many migrations in one window: enough for a deploy to pay a handful of
/// round trips, few enough that progress is still shown as it goes.
pub(super) const MAX_MIGRATIONS: usize = 50;
/// At most this much SQL in one window (a single larger migration goes alone).
pub(super) const MAX_BYTES: usize = 512 * 1024;

pub(super) const SEPARATE: TxShape = TxShape {
    begin: true,
    commit: true,
    single: false,
};

/// How many of `steps`, from the first, go in one window (1: send it the usual way).
pub(super) fn length(session: &Session<'_>, migrations: &[Migration], steps: &[Step]) -> usize {
    if session.client.commits_apart() {
        return 1;
    }
    let mut bytes = 0;
    let mut count = 0;
    for step in steps.iter().take(MAX_MIGRATIONS) {
        let migration = &migrations[step.index];
        if step.direction == Direction::Down && migration.down.is_none() {
            break;
        }
        let Ok(script) = script_of(migration, step.direction) else {
            break;
        };
        if script.no_transaction || script.sets_string_syntax {
            break;
        }
        bytes += script.text.len();
        if count > 0 && bytes > MAX_BYTES {
            break;
        }
        count += 1;
    }
    count.max(1)
}

/// How a window went.
pub(super) enum WindowOutcome {
    /// Every migration committed; each one's server-side duration, in milliseconds.
    Committed(Vec<f64>),
    /// The first `committed` migrations committed (their durations), then the next one
    /// failed and was rolled back; nothing after it ran.
    Failed {
        committed: Vec<f64>,
        err: WireError,
        /// How many characters of the message came before the failed migration's SQL.
        prefix_chars: usize,
    },
    /// The server refused the whole message before running any of it (PostgreSQL parses a
    /// message whole, so a syntax error anywhere in it stops all of it): the migration at
    /// `at` of the window is the one it refused; the ones before it have not run.
    Refused { at: usize },
    /// The connection went away: the server rolled back the migration it was running.
    /// Which ones committed before that, when a connection of its own could read it.
    Lost {
        committed: Option<Vec<f64>>,
        err: WireError,
    },
}

/// Sends `runs` (consecutive steps, each `current` the version the previous one sets) as
/// one message.
pub(super) fn send(
    session: &mut Session<'_>,
    runs: &[Run<'_>],
    stop: &AtomicBool,
) -> WindowOutcome {
    let stop_check = session.stop_check_sql();
    let mut sql = String::new();
    let mut body_starts = Vec::with_capacity(runs.len());
    let mut run_starts = Vec::with_capacity(runs.len());
    for (i, run) in runs.iter().enumerate() {
        run_starts.push(sql.len());
        let mut open = frame(session, run, SEPARATE);
        open.push_str(&stop_check);
        open.push_str(&state::mark_start_sql());
        if i == 0 {
            open.push_str(&session.window_lease_sql(WindowLease::Take));
        }
        let mut close = bookkeeping(session, run, Started::Marked, DURATION);
        close.push_str(&session.window_lease_sql(if i + 1 == runs.len() {
            WindowLease::Release
        } else {
            WindowLease::Renew
        }));
        close.push_str(&closing(session, run, SEPARATE));
        body_starts.push(push_script(&mut sql, &open, run.script, &close));
    }
    let err = match session.send_window(&sql, stop) {
        Ok(messages) => return WindowOutcome::Committed(durations(&messages)),
        Err(err) => err,
    };
    if err.ended_session() {
        // Read once the old server process is gone: until then it may go on through the
        // window. In transaction mode (no process of our own to wait for) it is left to
        // `ferry status`.
        let tables = &session.tables;
        let versions = versions(runs);
        let committed = session.read_after_loss(|client| {
            let snapshot = state::read(client, tables, true, false).ok()?;
            Some(committed(client, tables, &versions, snapshot.version))
        });
        return WindowOutcome::Lost { committed, err };
    }
    // The rest of the message was skipped; end the failed transaction.
    let _ = session.client.batch_execute("ROLLBACK");
    let committed = match session.version() {
        // In transaction mode a version that moved while this run does not hold the lease
        // was moved by another run after this one's first transaction failed.
        Ok(snapshot)
            if session.mode == crate::db::LockMode::Session
                || session.holds_live_lease().unwrap_or(false) =>
        {
            committed(
                &mut session.client,
                &session.tables,
                &versions(runs),
                snapshot.version,
            )
        }
        _ => Vec::new(),
    };
    if committed.is_empty() {
        if let Some(at) = refused_at(&err, &sql, &run_starts).filter(|&at| at > 0) {
            return WindowOutcome::Refused { at };
        }
    }
    let at = committed.len().min(runs.len() - 1);
    if at > 0 {
        let _ = session
            .client
            .batch_execute(&session.window_lease_sql(WindowLease::Release));
    }
    WindowOutcome::Failed {
        committed,
        err,
        prefix_chars: sql[..body_starts[at]].chars().count(),
    }
}

/// Which migration of a window a failure that ran nothing belongs to, when that cannot be
/// the first one: the server's position counts characters of the whole message, and an
/// error positioned in a later migration's SQL came from parsing the message, before any
/// of it ran. A syntax error without a position could be anywhere: 1, so that the first
/// migration is tried alone and the rest narrowed down after it.
fn refused_at(err: &WireError, sql: &str, run_starts: &[usize]) -> Option<usize> {
    let db = err.server()?;
    let Some(position) = db.position else {
        return (db.code() == &postgres::error::SqlState::SYNTAX_ERROR && run_starts.len() > 1)
            .then_some(1);
    };
    let index = (position as usize).checked_sub(1)?;
    let byte = crate::sql::split::char_to_byte(sql, index);
    Some(
        run_starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1),
    )
}

/// What each history row of a window returns: a tag, so that its rows are told from the
/// ones the migrations' own statements return (a `SELECT` in a file, the transaction
/// lock's `pg_advisory_xact_lock`), then the server's duration.
const DURATION: &str = " RETURNING 'ferry:duration_ms', duration_ms";

/// The duration of each history row of the window, in order.
fn durations(messages: &[Message]) -> Vec<f64> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Row(row) if row.get(0) == Some("ferry:duration_ms") => {
                Some(row.get(1).and_then(|ms| ms.parse().ok()).unwrap_or(0.0))
            }
            _ => None,
        })
        .collect()
}

/// The version before the window, then the one each of its migrations sets.
fn versions(runs: &[Run<'_>]) -> Vec<Option<i64>> {
    std::iter::once(runs[0].current)
        .chain(runs.iter().map(|run| run.step.version_after))
        .collect()
}

/// After a failure, with the version row at `version`: the server-side durations of the
/// window's migrations that committed (from the history); `versions` as [`versions`] gives.
fn committed(
    client: &mut dyn Wire,
    tables: &Tables,
    versions: &[Option<i64>],
    version: Option<i64>,
) -> Vec<f64> {
    let count = if version == versions[0] {
        0
    } else {
        versions[1..]
            .iter()
            .position(|after| *after == version)
            .map_or(0, |i| i + 1)
    };
    if count == 0 {
        return Vec::new();
    }
    let sql = format!(
        "SELECT duration_ms FROM {} ORDER BY id DESC LIMIT {count}",
        tables.history()
    );
    let mut durations: Vec<f64> = client
        .simple_query(&sql)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| match m {
                    Message::Row(row) => row.get(0).and_then(|ms| ms.parse().ok()),
                    Message::Complete => None,
                })
                .collect()
        })
        .unwrap_or_default();
    durations.reverse();
    durations.resize(count, 0.0);
    durations
}
