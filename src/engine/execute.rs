//! Executing the planned steps: one at a time or in pipelined windows, each migration in
//! its transaction with its bookkeeping, retried under the policy in `retry`, stopped
//! between migrations on Ctrl-C.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::db::state::{HistoryEntry, Started};
use crate::db::wire::{Wire, WireError};
use crate::db::Session;
use crate::engine::failure::{describe, explain, lost};
use crate::engine::outside::run_outside_transaction;
use crate::engine::request::{Applied, Request};
use crate::engine::retry::{
    after_move, lock_timed_out, moved, step_done, wait_to_retry, AfterMove, Moved,
};
use crate::engine::script::{
    bookkeeping, closing, frame, move_version_only, push_script, script_of, Run, Sent, TxShape,
};
use crate::engine::window;
use crate::error;
use crate::events::{Event, Events};
use crate::migration::{Migration, Script};
use crate::plan::{Direction, Step, View};

pub(crate) fn execute(
    session: &mut Session<'_>,
    migrations: &[Migration],
    steps: &[Step],
    view: &View,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Vec<Applied>> {
    let options = request.options;
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    if options.single_transaction {
        for step in steps {
            let script = script_of(&migrations[step.index], step.direction)?;
            if script.no_transaction {
                return Err(error::usage(format!(
                    "{} runs without a transaction, so it cannot be part of --single-transaction; \
                     run `ferry up` without --single-transaction",
                    script.label
                )));
            }
        }
    }
    if view.adopt {
        // The version row was set without ferry (golang-migrate, or before ferry kept
        // history): record it as the baseline the history continues from.
        let sql = session.tables.history_sql(&HistoryEntry {
            version: view.current.unwrap_or(-1),
            name: "",
            direction: Direction::Baseline,
            checksum: None,
            started_at: Started::ClockMinus(0),
            stored: None,
        });
        session
            .client
            .batch_execute(&sql)
            .context("recording the baseline version")?;
    }

    let changes_session = steps.iter().any(|step| {
        script_of(&migrations[step.index], step.direction).is_ok_and(|s| s.changes_session)
    });
    if changes_session {
        session.capture_settings()?;
    }

    events.on(Event::RunStarted { total: steps.len() });
    let result = execute_steps(session, migrations, steps, view, request, events);
    events.on(Event::RunFinished);
    result
}

pub(crate) fn execute_steps(
    session: &mut Session<'_>,
    migrations: &[Migration],
    steps: &[Step],
    view: &View,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Vec<Applied>> {
    let single = request.options.single_transaction;
    let cx = Shared {
        migrations,
        view,
        request,
        events,
    };
    let mut at = Cursor {
        done: Vec::with_capacity(steps.len()),
        current: view.current,
        seen: None,
    };
    let mut next = 0;
    let mut resume = Resume::On;
    while next < steps.len() {
        let i = next;
        let step = &steps[i];
        if request.stop.load(Ordering::SeqCst) && !single {
            let migration = &migrations[step.index];
            return Err(stopped_before(
                migration,
                step,
                (i, steps.len()),
                at.current,
            ));
        }
        // How many steps the next window may hold, and the tries a step going alone had.
        let (most, tried) = match std::mem::replace(&mut resume, Resume::On) {
            Resume::On => (usize::MAX, 0),
            Resume::Alone(tried) => (1, tried),
            Resume::Before(n) => (n, 0),
        };
        // After another run moved the database, the steps it did are skipped one by one.
        let alone =
            most <= 1 || request.options.one_at_a_time || single || at.done_elsewhere(&cx, step);
        let n = if alone {
            1
        } else {
            window::length(session, migrations, &steps[i..]).min(most)
        };
        if n > 1 {
            let went;
            (went, resume) = pipelined(
                session,
                migrations,
                &steps[i..i + n],
                &mut at.current,
                request,
                events,
            )?;
            next = i + went.len();
            at.done.extend(went);
            continue;
        }
        next = i + 1;
        let tx = TxShape {
            begin: !single || i == 0,
            commit: !single || i + 1 == steps.len(),
            single,
        };
        one_step(session, &cx, step, tx, tried, &mut at)?;
    }
    // All or nothing: each is done once the one transaction has committed.
    if single {
        for d in &at.done {
            events.on(Event::StepDone {
                version: d.version,
                name: &d.name,
                direction: d.direction,
                duration_ms: Some(d.duration_ms),
            });
        }
    }
    Ok(at.done)
}

/// Ctrl-C between two steps: `ran` of `total` ran, and the database is at `current`.
fn stopped_before(
    migration: &Migration,
    step: &Step,
    (ran, total): (usize, usize),
    current: Option<i64>,
) -> anyhow::Error {
    let label = script_of(migration, step.direction).map_or(&migration.up.label, |s| &s.label);
    error::interrupted(format!(
        "interrupted: stopped before {label}; {ran} of {total} migration(s) ran and the database \
         is at {}",
        describe(current)
    ))
}

/// What every step of a run shares.
struct Shared<'r> {
    migrations: &'r [Migration],
    /// The state the steps were planned on.
    view: &'r View,
    request: &'r Request<'r>,
    events: &'r dyn Events,
}

/// Where the steps are: what is done, the database's version, and what another run did.
struct Cursor {
    done: Vec<Applied>,
    current: Option<i64>,
    /// The database as found after another run moved it (transaction lock mode).
    seen: Option<View>,
}

impl Cursor {
    fn done_elsewhere(&self, cx: &Shared<'_>, step: &Step) -> bool {
        self.seen
            .as_ref()
            .is_some_and(|view| step_done(view, cx.migrations, step))
    }

    fn push(&mut self, migration: &Migration, step: &Step, duration_ms: f64) {
        self.done.push(Applied {
            version: migration.version,
            name: migration.name.clone(),
            direction: step.direction,
            duration_ms,
        });
    }
}

/// One step on its own (not in a window): its events, its script run — or, for a down
/// without a file, the version moved — and what it did recorded in `at`.
fn one_step(
    session: &mut Session<'_>,
    cx: &Shared<'_>,
    step: &Step,
    tx: TxShape,
    tried: u32,
    at: &mut Cursor,
) -> anyhow::Result<()> {
    let (migration, events) = (&cx.migrations[step.index], cx.events);
    let (version, name, direction) = (migration.version, &migration.name, step.direction);
    events.on(Event::StepStarted {
        version,
        name,
        direction,
    });
    if direction == Direction::Down && migration.down.is_none() {
        // Planned only with --allow-missing-down: the version moves, nothing runs.
        move_version_only(session, migration, step)?;
        at.current = step.version_after;
        events.on(Event::StepDone {
            version,
            name,
            direction,
            duration_ms: None,
        });
        at.push(migration, step, 0.0);
        return Ok(());
    }
    let script = script_of(migration, direction)?;
    announce(script, events);
    let started = Instant::now();
    // Another run moved the database (transaction lock mode): what it did already is not
    // done twice.
    if at.done_elsewhere(cx, step) || run_step(session, cx, script, step, tx, tried, at)? {
        let did = if direction == Direction::Down {
            "rolled back"
        } else {
            "applied"
        };
        events.on(Event::Detail(&format!(
            "{} was already {did} by another run: skipped",
            script.label
        )));
        return Ok(());
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    at.current = step.version_after;
    if !tx.single {
        events.on(Event::StepDone {
            version,
            name,
            direction,
            duration_ms: Some(ms),
        });
    }
    at.push(migration, step, ms);
    Ok(())
}

/// What `-v` says before a script runs: why it runs outside a transaction, and its SQL.
fn announce(script: &Script, events: &dyn Events) {
    if let Some(what) = script.alone_outside_transaction {
        events.on(Event::Detail(&format!(
            "{} runs without a transaction, under the dirty flag: its only statement is {what}, \
             which PostgreSQL refuses inside one",
            script.label
        )));
    }
    if let Some(line) = script.own_transactions {
        events.on(Event::Detail(&format!(
            "{} manages its own transactions (line {line}): it is sent as one message without \
             ferry's transaction, as golang-migrate sends it, under the dirty flag",
            script.label
        )));
    }
    events.on(Event::Detail(&format!(
        "-- {}\n{}",
        script.label,
        &script.text[script.body()]
    )));
}

/// Runs one step's script, again after another run moved the database and left the step
/// to do. True when that other run did it.
fn run_step(
    session: &mut Session<'_>,
    cx: &Shared<'_>,
    script: &Script,
    step: &Step,
    tx: TxShape,
    tried: u32,
    at: &mut Cursor,
) -> anyhow::Result<bool> {
    let request = cx.request;
    loop {
        let run = Run {
            migration: &cx.migrations[step.index],
            script,
            step,
            current: at.current,
            lock_timeout: script.lock_timeout.unwrap_or(request.ddl.lock_timeout),
            retries: request.ddl.retries,
            tried,
            events: cx.events,
            store_sql: request.store_sql,
        };
        let result = if script.no_transaction {
            run_outside_transaction(session, &run, cx.migrations)
        } else {
            run_in_transaction(session, &run, tx, cx.view.current)
        };
        match result {
            // Transaction lock mode: another run got there first, or holds the lease.
            Err(e) if e.is::<Moved>() && !tx.single => {
                match after_move(session, cx.migrations, step, at.current, request, cx.events)? {
                    AfterMove::Skip(now, view) => {
                        at.current = now;
                        at.seen = Some(view);
                        return Ok(true);
                    }
                    AfterMove::Again => continue,
                }
            }
            Err(e) if e.is::<Moved>() => {
                return Err(anyhow::anyhow!(
                    "another run migrated this database while this --single-transaction run \
                     planned; nothing of this run was applied: run `ferry {}` again",
                    request.command
                ))
            }
            other => {
                other?;
                return Ok(false);
            }
        }
    }
}

/// How the steps go on after a window that did not fail outright.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resume {
    /// As usual.
    On,
    /// The next step goes alone, with the tries its window gave it (it timed out waiting
    /// for a lock, or another run moved the database).
    Alone(u32),
    /// The next window ends before its `n`th step (the server refused a message at that
    /// migration before running any of it).
    Before(usize),
}

/// Runs `window` (see [`window`]): what committed, and how the steps go on after it. Any
/// other failure is the error.
pub(crate) fn pipelined(
    session: &mut Session<'_>,
    migrations: &[Migration],
    window: &[Step],
    current: &mut Option<i64>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<(Vec<Applied>, Resume)> {
    let mut runs = Vec::with_capacity(window.len());
    let mut version = *current;
    for step in window {
        let migration = &migrations[step.index];
        let script = script_of(migration, step.direction)?;
        runs.push(Run {
            migration,
            script,
            step,
            current: version,
            lock_timeout: script.lock_timeout.unwrap_or(request.ddl.lock_timeout),
            retries: request.ddl.retries,
            tried: 0,
            events,
            store_sql: request.store_sql,
        });
        version = step.version_after;
    }
    announce_window(&runs, events);
    let (first, last) = (&runs[0], &runs[runs.len() - 1]);
    let (durations, failed) = match window::send(session, &runs, request.stop) {
        window::WindowOutcome::Committed(durations) => (durations, None),
        // Nothing ran: the ones before the refused migration go first, as they would one
        // at a time, and the refused one then fails in a window of its own making.
        window::WindowOutcome::Refused { at } => return Ok((Vec::new(), Resume::Before(at))),
        window::WindowOutcome::Failed {
            committed,
            err,
            prefix_chars,
        } => (committed, Some((err, prefix_chars))),
        window::WindowOutcome::Lost {
            committed: Some(committed),
            err,
        } if committed.len() < runs.len() => (committed, Some((err, 0))),
        window::WindowOutcome::Lost { err, .. } => {
            return Err(anyhow::Error::new(err).context(format!(
                "lost the connection while running {} migrations sent together ({} to {}), each \
                 in its own transaction; the server rolls back the one it was running, so the \
                 database is at {} or a later version up to {} (not dirty): run `ferry status`, \
                 then `ferry up` again",
                runs.len(),
                first.script.label,
                last.script.label,
                describe(*current),
                describe(version)
            )))
        }
    };
    let went = committed(&runs, &durations, current, events);
    let Some((err, prefix_chars)) = failed else {
        return Ok((went, Resume::On));
    };
    let Some(run) = runs.get(went.len()) else {
        // Everything committed; what failed came after the last COMMIT.
        return Err(anyhow::Error::new(err).context("after the migrations sent together"));
    };
    let resume = after_window_failure(session, run, err, prefix_chars)?;
    Ok((went, resume))
}

/// What a window's events say before it is sent: its first step started, and with `-v`
/// what goes together and each one's SQL.
fn announce_window(runs: &[Run<'_>], events: &dyn Events) {
    let (first, last) = (&runs[0], &runs[runs.len() - 1]);
    events.on(Event::StepStarted {
        version: first.migration.version,
        name: &first.migration.name,
        direction: first.step.direction,
    });
    events.on(Event::Detail(&format!(
        "sending {} migrations together ({} to {}), each in its own transaction",
        runs.len(),
        first.script.label,
        last.script.label
    )));
    for run in runs {
        events.on(Event::Detail(&format!(
            "-- {}\n{}",
            run.script.label,
            &run.script.text[run.script.body()]
        )));
    }
}

/// The migrations of a window that committed, with their events, as one at a time would
/// have told them; `current` follows.
fn committed(
    runs: &[Run<'_>],
    durations: &[f64],
    current: &mut Option<i64>,
    events: &dyn Events,
) -> Vec<Applied> {
    let mut went = Vec::with_capacity(durations.len());
    for (j, (run, ms)) in runs.iter().zip(durations).enumerate() {
        let (migration, direction) = (run.migration, run.step.direction);
        if j > 0 {
            events.on(Event::StepStarted {
                version: migration.version,
                name: &migration.name,
                direction,
            });
        }
        events.on(Event::StepDone {
            version: migration.version,
            name: &migration.name,
            direction,
            duration_ms: Some(*ms),
        });
        went.push(Applied {
            version: migration.version,
            name: migration.name.clone(),
            direction,
            duration_ms: *ms,
        });
        *current = run.step.version_after;
    }
    went
}

/// After a window failed at `run` (the ones before it committed): how the steps go on,
/// or the error to report.
fn after_window_failure(
    session: &mut Session<'_>,
    run: &Run<'_>,
    err: WireError,
    prefix_chars: usize,
) -> anyhow::Result<Resume> {
    if err.ended_session() {
        return Err(lost(err, run, run.current));
    }
    // Told to stop: the migrations before it committed, and the usual stop follows.
    if crate::db::stop::stopped(&err) {
        return Ok(Resume::On);
    }
    // Another run moved the database, or held the key a moment: the step goes alone, and
    // waits there as it must.
    if moved(&err) || crate::db::lease::is_locked(&err) {
        return Ok(Resume::Alone(0));
    }
    if let Some(refusal) = session.lock_refusal(&err) {
        return Err(refusal);
    }
    if lock_timed_out(&err) && run.retries > 0 {
        return Ok(Resume::Alone(1));
    }
    let db = err
        .server()
        .expect("a failed window has the server's error");
    Err(explain(
        session,
        run,
        window::SEPARATE,
        run.current,
        db,
        (Sent::Whole, prefix_chars),
        0,
    ))
}

/// Sends a transactional migration: as one message, or — when the script changes how the
/// server reads string literals (`standard_conforming_strings`) — one statement at a time,
/// because the server parses a whole message with the setting in force when it arrives.
pub(crate) fn send_in_transaction<'s>(
    session: &mut Session<'_>,
    run: &Run<'s>,
    tx: TxShape,
) -> Result<(), (WireError, Sent<'s>)> {
    let script = run.script;
    let prefix = frame(session, run, tx);
    let mut tail = bookkeeping(session, run, Started::TransactionStart, "");
    // On a connection that can be abandoned mid-message and stays open (see
    // `Wire::commits_apart`), COMMIT goes in a message of its own.
    let apart = tx.commit && session.client.commits_apart();
    let mut commit = closing(session, run, tx);
    if !apart {
        tail.push_str(&commit);
        commit.clear();
    }
    let send_commit = |session: &mut Session<'_>| {
        if commit.is_empty() {
            return Ok(());
        }
        session
            .client
            .batch_execute(&commit)
            .map_err(|e| (e, Sent::Frame))
    };
    if script.sets_string_syntax {
        session
            .client
            .batch_execute(&prefix)
            .map_err(|e| (e, Sent::Frame))?;
        for statement in &script.statements {
            session
                .client
                .batch_execute(statement.text(&script.text))
                .map_err(|e| (e, Sent::Statement(statement)))?;
        }
        session
            .client
            .batch_execute(&tail)
            .map_err(|e| (e, Sent::Frame))?;
        return send_commit(session);
    }
    let mut sql = String::with_capacity(prefix.len() + script.body().len() + tail.len() + 8);
    push_script(&mut sql, &prefix, script, &tail);
    session
        .client
        .batch_execute(&sql)
        .map_err(|e| (e, Sent::Whole))?;
    send_commit(session)
}

pub(crate) fn run_in_transaction(
    session: &mut Session<'_>,
    run: &Run<'_>,
    tx: TxShape,
    initial: Option<i64>,
) -> anyhow::Result<()> {
    // A migration whose pipelined window timed out waiting for a lock has had its first try.
    let mut attempt = run.tried;
    if attempt > 0 {
        wait_to_retry(session, run, attempt);
    }
    let key_deadline = Instant::now() + session.lock_wait();
    let (err, sent) = loop {
        let Err((err, sent)) = send_in_transaction(session, run, tx) else {
            return Ok(());
        };
        // The rest of the message was skipped; end the failed transaction.
        let _ = session.client.batch_execute("ROLLBACK");
        // The key was taken (a session-mode run, or another run's transaction): nothing ran,
        // and it is tried again after a pause while the lock timeout allows.
        if crate::db::lease::is_locked(&err) && tx.begin && Instant::now() < key_deadline {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        // A migration that timed out waiting for a lock changed nothing: it is tried again
        // as a whole, after a pause, unless it is part of one --single-transaction run.
        if !lock_timed_out(&err) || tx.single || attempt >= run.retries {
            break (err, sent);
        }
        attempt += 1;
        wait_to_retry(session, run, attempt);
    };
    if moved(&err) {
        return Err(anyhow::Error::new(Moved));
    }
    if let Some(refusal) = session.lock_refusal(&err) {
        return Err(refusal);
    }
    let Some(db) = err.server().filter(|_| !err.ended_session()) else {
        let before = if tx.single { initial } else { run.current };
        // The old server process may have committed what it was sent: read what it left.
        let tables = &session.tables;
        let now = session.read_after_loss(|client| {
            crate::db::state::read(client, tables, true, false)
                .ok()
                .map(|s| (s.version, s.dirty))
        });
        if let Some((version, false)) = now.filter(|(v, _)| *v != before) {
            if version == run.step.version_after && !tx.single {
                return Err(anyhow::Error::new(err).context(format!(
                    "lost the connection as {} finished: it committed, and the database is at {} \
                     (not dirty); run `ferry up` again for the rest",
                    run.script.label,
                    describe(version)
                )));
            }
        }
        return Err(lost(err, run, before));
    };
    let prefix = frame(session, run, tx).len();
    Err(explain(
        session,
        run,
        tx,
        initial,
        db,
        (sent, prefix),
        attempt,
    ))
}
