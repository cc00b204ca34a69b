//! The retry policy: which failures are worth running the migration again (a lock wait
//! that timed out, a serialization failure), how long to wait between tries, and what a
//! connection lost part way means for the step it was running.

use std::time::{Duration, Instant};

use postgres::error::SqlState;

use crate::db::wire::{Wire, WireError};
use crate::db::Session;
use crate::engine::failure::{describe, dirty_help, lock_holders};
use crate::engine::request::Request;
use crate::engine::script::Run;
use crate::error;
use crate::events::{Event, Events};
use crate::migration::Migration;
use crate::plan::{self, Direction, Known, Step, View};

/// A migration's transaction found the database moved since the plan, or leased to
/// another run (transaction lock mode): nothing of it ran.
#[derive(Debug)]
pub(crate) struct Moved;

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the database moved since this run planned")
    }
}

impl std::error::Error for Moved {}

pub(crate) fn moved(err: &WireError) -> bool {
    err.server()
        .is_some_and(|db| db.code().code() == crate::db::lease::MOVED)
}

/// What to do about a step whose transaction found the database [`Moved`]: wait while
/// another run holds the lease, then skip the step if that run applied (or reverted) it
/// already, try it again if nothing moved, and stop otherwise.
pub(crate) enum AfterMove {
    /// Applied by another run: the version now, and the state as read.
    Skip(Option<i64>, View),
    Again,
}

/// Whether `step` is already done in `view`: its migration applied (or, going down, not).
pub(crate) fn step_done(view: &View, migrations: &[Migration], step: &Step) -> bool {
    let version = migrations[step.index].version;
    match step.direction {
        Direction::Down => !view.is_applied(version),
        _ => view.is_applied(version),
    }
}

pub(crate) fn after_move(
    session: &mut Session<'_>,
    migrations: &[Migration],
    step: &Step,
    expected: Option<i64>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<AfterMove> {
    let deadline = Instant::now() + request.lock_timeout;
    let mut told = false;
    loop {
        // The state first, then the lease: a run that finishes clears the dirty flag and
        // gives the lease back in one transaction, so a dirty row with no lease after it
        // is one that nobody is working on.
        let snapshot = session.snapshot()?;
        if let Some(holder) = session.lease_holder()? {
            if Instant::now() >= deadline {
                return Err(crate::db::lease::held(&holder, request.lock_timeout));
            }
            if !told {
                events.on(Event::LockWait { holder: &holder });
                told = true;
            }
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        let known: Vec<Known<'_>> = migrations.iter().map(Migration::known).collect();
        let view = snapshot.view(&known);
        if snapshot.dirty {
            if session.snapshot()?.dirty {
                return Err(error::dirty_at(
                    snapshot.version,
                    format!(
                        "refusing to {}: another run left the database dirty; {}",
                        request.command,
                        dirty_help(
                            snapshot.version,
                            view.interrupted,
                            migrations,
                            plan::failure_note(&snapshot.history, view.interrupted),
                        )
                    ),
                ));
            }
            continue;
        }
        if step_done(&view, migrations, step) {
            return Ok(AfterMove::Skip(snapshot.version, view));
        }
        if snapshot.version == expected {
            return Ok(AfterMove::Again);
        }
        return Err(anyhow::anyhow!(
            "another run moved the database from {} to {} while this one ran, and not by \
             {}: run `ferry {}` again",
            describe(expected),
            describe(snapshot.version),
            migrations[step.index].up.label,
            request.command
        ));
    }
}

/// SQLSTATE 55P03: the statement gave up waiting for a lock (`lock_timeout`).
pub(crate) fn lock_timed_out(err: &WireError) -> bool {
    err.server()
        .is_some_and(|db| db.code() == &SqlState::LOCK_NOT_AVAILABLE)
}

/// Says that `run` is tried again, and who holds the locks it waited for, then pauses.
pub(crate) fn wait_to_retry(session: &mut Session<'_>, run: &Run<'_>, attempt: u32) {
    let pause = backoff(attempt);
    run.events.on(Event::Retry {
        label: &run.script.label,
        attempt,
        retries: run.retries,
        after: pause,
        holders: &lock_holders(session, run.script),
    });
    std::thread::sleep(pause);
}

/// The pause before retry `attempt` (1-based): doubling from a quarter of a second, at most
/// ten seconds, with up to half of it again at random so that replicas do not retry in step.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(250)
        .saturating_mul(1 << attempt.saturating_sub(1).min(6))
        .min(Duration::from_secs(10));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(nanos % 1000) / 2000.0)
}

/// One statement of a no-transaction migration. One that timed out waiting for a lock
/// changed nothing and is tried again — except a CONCURRENTLY build or drop, which can
/// leave an INVALID index behind when it gives up part way (that is for a person to see).
pub(crate) fn run_statement(
    session: &mut Session<'_>,
    run: &Run<'_>,
    statement: &crate::sql::split::Statement,
) -> Result<(), WireError> {
    let text = statement.text(&run.script.text);
    let retry_safe =
        !crate::sql::classify::non_transactional(text).is_some_and(|what| what.is_concurrent());
    let mut attempt = 0;
    loop {
        match session.client.batch_execute(text) {
            Err(err) if lock_timed_out(&err) && retry_safe && attempt < run.retries => {
                attempt += 1;
                wait_to_retry(session, run, attempt);
            }
            result => return result,
        }
    }
}
