//! Stopping a pipelined window between its migrations. A window is one message: once it is
//! sent, the client cannot take back the migrations after the one running. So each of its
//! transactions first asks the server whether this run was told to stop — it takes a shared
//! advisory lock on this run's key without waiting — and a connection of its own, opened
//! when Ctrl-C arrives, holds that key exclusively. The migration running finishes (its
//! shared lock keeps the exclusive request waiting, and a waiting request already refuses
//! the next shared one); the next transaction fails with [`STOPPED`] before running
//! anything, and the server skips the rest of the message. What a user sees is what one
//! migration at a time gives: the running one finishes, no later one starts.
//!
//! The key is two 32-bit numbers (the first spells "ferr"), a space of its own apart from
//! the 64-bit keys of the migration lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::conn::ConnParams;

/// SQLSTATE raised by a window's transaction that found its run told to stop.
pub(crate) const STOPPED: &str = "FE002";

const CLASS: i32 = 0x6665_7272;

/// This run's key, from its name in the lease table (host, process, start time).
pub(crate) fn key(owner: &str) -> i32 {
    crc32fast::hash(owner.as_bytes()) as i32
}

/// What opens each transaction of a window: fails it ([`STOPPED`]) once [`watch`] has
/// seen the stop flag.
pub(crate) fn check_sql(key: i32) -> String {
    format!(
        "DO $ferry$ BEGIN IF NOT pg_try_advisory_xact_lock_shared({CLASS}, {key}) THEN RAISE \
         EXCEPTION 'ferry was told to stop before this migration' USING ERRCODE = '{STOPPED}'; \
         END IF; END $ferry$;\n"
    )
}

/// Runs `work` (the window's message) while watching `stop`: once it is set, a connection
/// of its own takes this run's key, so that the window's later transactions stop. Without
/// connection settings of its own (a lent connection), or when that connection cannot be
/// made, the window runs to its end and the stop comes after it.
pub(crate) fn watch<R>(
    params: Option<&ConnParams>,
    key: i32,
    stop: &AtomicBool,
    work: impl FnOnce() -> R,
) -> R {
    let Some(params) = params else {
        return work();
    };
    // Dropping `done` (the window is over) wakes the watcher at once, wherever it waits.
    let (done, over) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if over.recv_timeout(Duration::from_millis(20)) != Err(RecvTimeoutError::Timeout) {
                    return;
                }
            }
            let Ok(mut client) = crate::conn::connect(params) else {
                return;
            };
            // Held until the window is over; the connection's end lets it go.
            let sql = format!("BEGIN; SELECT pg_advisory_xact_lock({CLASS}, {key})");
            if client.batch_execute(&sql).is_ok() {
                let _ = over.recv();
            }
        });
        let result = work();
        drop(done);
        result
    })
}

/// Whether a window's failure is its stop.
pub(crate) fn stopped(err: &crate::db::wire::WireError) -> bool {
    err.server().is_some_and(|db| db.code().code() == STOPPED)
}
