//! The one engine, for the CLI's commands and the library: [`run`] takes the lock (the
//! session is its guard), reads the state, plans (the pure decisions are in [`plan`]) and
//! executes with golang-migrate's safety protocol, improved; [`status`] is the one
//! reading of the bookkeeping against the files. It tells its caller what happens through
//! [`events`] and prints nothing.
//!
//! A transactional migration is sent as one simple-query message: `BEGIN`, the file's
//! SQL, the version row and the history row, `COMMIT` — one round trip, and on failure
//! nothing changed, not even the dirty flag. A `no-transaction` migration is marked dirty
//! first, run statement by statement, then marked clean: a failure leaves it dirty so a
//! person looks before anything else runs.

pub mod events;
mod window;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use postgres::error::SqlState;
use serde::Serialize;

use crate::db::state::{HistoryEntry, Snapshot, Started};
use crate::db::wire::{first_row, Message, ServerError, Wire, WireError};
use crate::db::Session;
use crate::error;
use crate::plan::{self, Direction, HistoryRow, Interrupted, Known, State, Step, View};
use crate::source::files::{Migration, Repeatable, Script};
use crate::sql::quote::quote_literal;
use crate::sql::server_error::{self as sql_error, Location};
use crate::sql::split::line_col;
use events::{Event, Events};

const BEGIN: &str = "BEGIN;\n";

/// How long each migration may wait for a table lock (`lock_timeout`, zero: forever), and
/// how often one that ran out of time is tried again. A short wait matters: while an
/// `ALTER TABLE` waits for a reader, every new query on that table queues behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ddl {
    pub lock_timeout: Duration,
    pub retries: u32,
}

impl Default for Ddl {
    fn default() -> Self {
        Ddl {
            lock_timeout: Duration::from_secs(5),
            retries: 3,
        }
    }
}

/// What a migrating command asks of the engine.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `up`, `down`, `goto`: named in the dirty refusal.
    pub command: &'a str,
    /// Read the state and plan, but take no lock and change nothing.
    pub dry_run: bool,
    pub options: Options,
    pub lock_timeout: Duration,
    pub ddl: Ddl,
    /// Refuse (exit 5) when lint finds an error in a migration to apply; otherwise the
    /// findings are warnings.
    pub strict_lint: bool,
    /// The repeatable migrations to bring up to date after the versioned ones (`up` and
    /// `reset`; empty for `down` and `goto`).
    pub repeatables: &'a [Repeatable],
    /// Set (by the CLI's Ctrl-C handler, say) to stop before the next migration and
    /// while waiting for the lock.
    pub stop: &'a AtomicBool,
}

/// What a migrating command did (or, for a dry run, would do).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub steps: Vec<Step>,
    pub done: Vec<Done>,
    /// The repeatable migrations applied after the versioned ones (a dry run: due).
    pub repeated: Vec<String>,
}

/// The engine, for the CLI's commands and the library alike: take the lock (unless the
/// session holds it already — `reset` empties the database under it first — or this is
/// a dry run, which only looks), refuse a dirty database, plan against the reconciled
/// state, execute, unlock. The session's guard releases the lock on every other path.
pub fn run(
    session: &mut Session<'_>,
    migrations: &[Migration],
    request: &Request<'_>,
    events: &dyn Events,
    planner: impl FnOnce(&[Known<'_>], &View) -> anyhow::Result<Vec<Step>>,
) -> anyhow::Result<Outcome> {
    let mut snapshot = if request.dry_run {
        session.snapshot()?
    } else {
        if !session.holds_lock() {
            session.lock_for_migrating(request.lock_timeout, events, request.stop)?;
        }
        session.prepare()?
    };
    // In transaction mode a dirty row may be another run's no-transaction migration still
    // running under its live lease: that run is waited for, as for the lock, and the state
    // read again — a replica starting during a CONCURRENTLY build waits, it does not fail.
    // Read again even when the lease is already gone: that run may have finished (clean
    // row and lease given back, in one transaction) between the two reads.
    if snapshot.dirty && !request.dry_run && session.mode == crate::db::LockMode::Transaction {
        session.wait_out_lease(request.lock_timeout, events, request.stop)?;
        snapshot = session.snapshot()?;
    }
    let known: Vec<Known<'_>> = migrations.iter().map(Migration::known).collect();
    let view = snapshot.view(&known);
    if snapshot.dirty {
        return Err(error::dirty_at(
            snapshot.version,
            format!(
                "refusing to {}: {}",
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
    warn_modified(events, &known, &view, &snapshot.history);
    let steps = planner(&known, &view)?;
    lint_steps(migrations, &steps, request, events)?;
    let to = steps.last().map_or(view.current, |s| s.version_after);
    let due: Vec<&Repeatable> = request
        .repeatables
        .iter()
        .filter(|r| {
            let script = &r.script;
            plan::repeatable_due(
                &snapshot.history,
                &r.name,
                &script.checksum,
                &script.checksum_raw,
            )
            .is_some()
        })
        .collect();
    if request.dry_run {
        return Ok(Outcome {
            from: view.current,
            to,
            steps,
            done: Vec::new(),
            repeated: due.iter().map(|r| r.name.clone()).collect(),
        });
    }
    let started_bare = view.current.is_none() && snapshot.history.is_empty();
    let done = execute(session, migrations, &steps, &view, request, events).map_err(|e| {
        if started_bare {
            baseline_hint(e)
        } else {
            e
        }
    })?;
    for r in &due {
        if request.stop.load(Ordering::SeqCst) {
            return Err(error::interrupted(format!(
                "interrupted: stopped before the repeatable migration {}; the database is at {}",
                r.script.label,
                describe(to)
            )));
        }
        run_repeatable(session, r, to, request, events)?;
    }
    // Everything ran and is recorded: a connection lost now costs only the lock, which the
    // server lets go with the session (a lease expires by itself). Not a failed deploy.
    if let Err(err) = session.unlock() {
        events.on(Event::Warning(&format!(
            "{err:#}; every migration ran and is recorded, and the server lets go of a lost \
             session's lock (a lease, of a run through a pooler, expires within {} s)",
            crate::db::lease::LEASE.as_secs()
        )));
    }
    Ok(Outcome {
        from: view.current,
        to,
        steps,
        done,
        repeated: due.iter().map(|r| r.name.clone()).collect(),
    })
}

/// Runs a repeatable migration in a transaction of its own with its history row, with the
/// database at `version` (which it leaves as it is).
fn run_repeatable(
    session: &mut Session<'_>,
    r: &Repeatable,
    version: Option<i64>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    let script = &r.script;
    events.on(Event::StepStarted {
        version: -1,
        name: &r.name,
        direction: Direction::Repeatable,
    });
    events.on(Event::Detail(&format!(
        "-- {}\n{}",
        script.label,
        &script.text[script.body()]
    )));
    let mut prefix = opening(
        session,
        version,
        script.lock_timeout.unwrap_or(request.ddl.lock_timeout),
        true,
    );
    if session.mode == crate::db::LockMode::Transaction {
        // Looked at before this transaction took the lock: another run may have applied
        // it in between.
        prefix.push_str(
            &session
                .tables
                .repeatable_still_due_sql(&r.name, &script.checksum),
        );
    }
    let mut close = session.tables.history_sql(&HistoryEntry {
        version: -1,
        name: &r.name,
        direction: Direction::Repeatable,
        checksum: Some(&script.checksum),
        started_at: Started::TransactionStart,
    });
    close.push_str("COMMIT;\n");
    if script.changes_session {
        close.push_str(&session.restore_settings);
    }
    let mut sql = String::new();
    push_script(&mut sql, &prefix, script, &close);
    let started = Instant::now();
    let Err(err) = session.under_key(&sql, events) else {
        events.on(Event::StepDone {
            version: -1,
            name: &r.name,
            direction: Direction::Repeatable,
            duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
        });
        return Ok(());
    };
    let _ = session.client.batch_execute("ROLLBACK");
    if let Some(refusal) = session.lock_refusal(&err) {
        return Err(refusal);
    }
    if err
        .server()
        .is_some_and(|db| db.code().code() == crate::db::state::ALREADY_RAN)
    {
        events.on(Event::Detail(&format!(
            "{} was already applied by another run: skipped",
            script.label
        )));
        return Ok(());
    }
    let headline = format!(
        "repeatable migration {} failed and was rolled back; the versioned migrations stay \
         applied and the database is at {} (not dirty)",
        script.label,
        describe(version)
    );
    let Some(db) = err.server() else {
        return Err(anyhow::Error::new(err).context(headline));
    };
    let offset = sql_error::reported_offset(
        db,
        &script.text[script.body()],
        script.body().start,
        prefix.chars().count(),
    )
    .or(match script.statements.as_slice() {
        [only] => Some(only.start),
        _ => None,
    });
    Err(failure(&headline, (-1, script), offset, db, false))
}

/// The lint findings in the migrations about to be applied, as warnings; with
/// `strict_lint`, a refusal (exit 5) when one is an error.
fn lint_steps(
    migrations: &[Migration],
    steps: &[Step],
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    let applying: std::collections::HashSet<i64> = steps
        .iter()
        .filter(|s| s.direction == Direction::Up)
        .map(|s| migrations[s.index].version)
        .collect();
    if applying.is_empty() {
        return Ok(());
    }
    let found = lint(migrations, |m| applying.contains(&m.version), true);
    for linted in &found {
        events.on(Event::Warning(&linted.to_string()));
    }
    let errors: Vec<String> = found
        .iter()
        .filter(|l| l.finding.rule.severity == crate::sql::lint::Severity::Error)
        .map(ToString::to_string)
        .collect();
    if request.strict_lint && !errors.is_empty() {
        return Err(error::problems(
            errors.clone(),
            format!(
                "refusing to {} (--strict-lint): {} lint error(s) in the migrations to apply; \
                 use the safe form each names, or allow a rule for a file with \
                 `-- ferry:allow RULE-ID`",
                request.command,
                errors.len()
            ),
        ));
    }
    Ok(())
}

/// A lint finding in a migration's up script.
#[derive(Debug, Clone)]
pub struct Linted {
    pub version: i64,
    /// The file, as shown in messages.
    pub label: String,
    pub finding: crate::sql::lint::Finding,
}

impl std::fmt::Display for Linted {
    /// `migrations/3_x.sql:4: index-not-concurrent (error): …; instead: …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rule = self.finding.rule;
        write!(
            f,
            "{}:{}: {} ({}): {}; instead: {} (or `-- ferry:allow {}` in the file)",
            self.label,
            self.finding.line,
            rule.id,
            rule.severity.as_str(),
            self.finding.message,
            rule.instead,
            rule.id
        )
    }
}

/// The lint findings in the up scripts of the migrations `wanted` picks, reading every
/// migration before them too (what they did, a validated check, counts). `one_run`: they
/// are applied in one run, so a table one of them makes is new to the later ones too.
pub fn lint(
    migrations: &[Migration],
    wanted: impl Fn(&Migration) -> bool,
    one_run: bool,
) -> Vec<Linted> {
    let mut linter = if one_run {
        crate::sql::lint::Linter::one_run()
    } else {
        crate::sql::lint::Linter::default()
    };
    let last = migrations.iter().rposition(&wanted);
    let mut found = Vec::new();
    for migration in &migrations[..last.map_or(0, |i| i + 1)] {
        let script = &migration.up;
        if !wanted(migration) {
            linter.remember(&script.text, &script.statements);
            continue;
        }
        let findings = linter.migration(&script.text, &script.statements);
        found.extend(findings.into_iter().map(|finding| Linted {
            version: migration.version,
            label: script.label.clone(),
            finding,
        }));
    }
    found
}

/// Where a database stands against the migration files.
#[derive(Debug, Clone)]
pub struct Status {
    pub view: View,
    /// Every migration the files or the database know, with its state.
    pub entries: Vec<plan::Entry>,
}

/// The one reading of the bookkeeping against the files, for `status`, `validate`,
/// `seed` and the library's `status()`. `invalid` are files present but unusable
/// (version and name), shown as such rather than as missing.
pub fn status(snapshot: &Snapshot, migrations: &[Migration], invalid: &[(i64, String)]) -> Status {
    let known: Vec<Known<'_>> = migrations.iter().map(Migration::known).collect();
    let view = snapshot.view(&known);
    let mut entries = plan::entries(&known, &view, &snapshot.history);
    plan::mark_invalid(&mut entries, invalid);
    Status { view, entries }
}

fn warn_modified(events: &dyn Events, known: &[Known<'_>], view: &View, history: &[HistoryRow]) {
    for entry in plan::entries(known, view, history) {
        if entry.state == State::Modified {
            let label = known
                .iter()
                .find(|k| k.version == entry.version)
                .map_or(String::new(), |k| k.label.to_string());
            events.on(Event::Warning(&format!(
                "{label} was edited after it was applied (its checksum changed); \
                 `ferry validate` fails until the file matches what ran, or until \
                 `ferry repair {} --reason \"…\"` accepts the edit",
                entry.version
            )));
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// All steps in one transaction: all or nothing.
    pub single_transaction: bool,
    /// Never send several migrations together ([`window`]): each goes on its own. What a
    /// run does and reports is the same either way; the tests compare the two.
    pub one_at_a_time: bool,
}

/// One migration that ran.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    pub version: i64,
    pub name: String,
    pub direction: Direction,
    pub duration_ms: f64,
}

pub fn script_of(migration: &Migration, direction: Direction) -> anyhow::Result<&Script> {
    match direction {
        Direction::Down => migration
            .down
            .as_ref()
            .with_context(|| format!("{} has no down migration", migration.up.label)),
        _ => Ok(&migration.up),
    }
}

fn execute(
    session: &mut Session<'_>,
    migrations: &[Migration],
    steps: &[Step],
    view: &View,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Vec<Done>> {
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

fn execute_steps(
    session: &mut Session<'_>,
    migrations: &[Migration],
    steps: &[Step],
    view: &View,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Vec<Done>> {
    let options = request.options;
    let mut done = Vec::with_capacity(steps.len());
    let mut seen: Option<View> = None;
    let mut current = view.current;
    let mut next = 0;
    let mut resume = Resume::On;
    while next < steps.len() {
        let i = next;
        let step = &steps[i];
        let migration = &migrations[step.index];
        if request.stop.load(Ordering::SeqCst) && !options.single_transaction {
            let label =
                script_of(migration, step.direction).map_or(&migration.up.label, |s| &s.label);
            return Err(error::interrupted(format!(
                "interrupted: stopped before {label}; {} of {} migration(s) ran and the database is at {}",
                i,
                steps.len(),
                describe(current)
            )));
        }
        // After another run moved the database, the steps it did are skipped one by one.
        let done_elsewhere = seen
            .as_ref()
            .is_some_and(|view| step_done(view, migrations, step));
        // How many steps the next window may hold, and the tries a step going alone had.
        let (most, tried) = match std::mem::replace(&mut resume, Resume::On) {
            Resume::On => (usize::MAX, 0),
            Resume::Alone(tried) => (1, tried),
            Resume::Before(n) => (n, 0),
        };
        if most > 1 && !options.one_at_a_time && !options.single_transaction && !done_elsewhere {
            let n = window::length(session, migrations, &steps[i..]).min(most);
            if n > 1 {
                let window = &steps[i..i + n];
                let went;
                (went, resume) =
                    pipelined(session, migrations, window, &mut current, request, events)?;
                next = i + went.len();
                done.extend(went);
                continue;
            }
        }
        next = i + 1;
        events.on(Event::StepStarted {
            version: migration.version,
            name: &migration.name,
            direction: step.direction,
        });
        if step.direction == Direction::Down && migration.down.is_none() {
            // Planned only with --allow-missing-down: the version moves, nothing runs.
            move_version_only(session, migration, step)?;
            current = step.version_after;
            events.on(Event::StepDone {
                version: migration.version,
                name: &migration.name,
                direction: step.direction,
                duration_ms: None,
            });
            done.push(Done {
                version: migration.version,
                name: migration.name.clone(),
                direction: step.direction,
                duration_ms: 0.0,
            });
            continue;
        }
        let script = script_of(migration, step.direction)?;
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
        let started = Instant::now();
        // Another run moved the database (transaction lock mode): what it did already is
        // not done twice.
        let already = seen
            .as_ref()
            .is_some_and(|view| step_done(view, migrations, step));
        let skipped = already
            || loop {
                let run = Run {
                    migration,
                    script,
                    step,
                    current,
                    lock_timeout: script.lock_timeout.unwrap_or(request.ddl.lock_timeout),
                    retries: request.ddl.retries,
                    tried,
                    events,
                };
                let result = if script.no_transaction {
                    run_outside_transaction(session, &run, migrations)
                } else {
                    let tx = TxShape {
                        begin: !options.single_transaction || i == 0,
                        commit: !options.single_transaction || i + 1 == steps.len(),
                        single: options.single_transaction,
                    };
                    run_in_transaction(session, &run, tx, view.current)
                };
                match result {
                    // Transaction lock mode: another run got there first, or holds the lease.
                    Err(e) if e.is::<Moved>() && !options.single_transaction => {
                        match after_move(session, migrations, step, current, request, events)? {
                            AfterMove::Skip(now, view) => {
                                current = now;
                                seen = Some(view);
                                break true;
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
                        break false;
                    }
                }
            };
        if skipped {
            events.on(Event::Detail(&format!(
                "{} was already {} by another run: skipped",
                script.label,
                if step.direction == Direction::Down {
                    "rolled back"
                } else {
                    "applied"
                }
            )));
            continue;
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        current = step.version_after;
        if !options.single_transaction {
            events.on(Event::StepDone {
                version: migration.version,
                name: &migration.name,
                direction: step.direction,
                duration_ms: Some(ms),
            });
        }
        done.push(Done {
            version: migration.version,
            name: migration.name.clone(),
            direction: step.direction,
            duration_ms: ms,
        });
    }
    // All or nothing: each is done once the one transaction has committed.
    if options.single_transaction {
        for d in &done {
            events.on(Event::StepDone {
                version: d.version,
                name: &d.name,
                direction: d.direction,
                duration_ms: Some(d.duration_ms),
            });
        }
    }
    Ok(done)
}

/// How the steps go on after a window that did not fail outright.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Resume {
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
fn pipelined(
    session: &mut Session<'_>,
    migrations: &[Migration],
    window: &[Step],
    current: &mut Option<i64>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<(Vec<Done>, Resume)> {
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
        });
        version = step.version_after;
    }
    let first = &runs[0];
    events.on(Event::StepStarted {
        version: first.migration.version,
        name: &first.migration.name,
        direction: first.step.direction,
    });
    events.on(Event::Detail(&format!(
        "sending {} migrations together ({} to {}), each in its own transaction",
        runs.len(),
        first.script.label,
        runs[runs.len() - 1].script.label
    )));
    for run in &runs {
        events.on(Event::Detail(&format!(
            "-- {}\n{}",
            run.script.label,
            &run.script.text[run.script.body()]
        )));
    }
    let (durations, failed) = match window::send(session, &runs, request.stop) {
        window::Outcome::Committed(durations) => (durations, None),
        // Nothing ran: the ones before the refused migration go first, as they would one
        // at a time, and the refused one then fails in a window of its own making.
        window::Outcome::Refused { at } => return Ok((Vec::new(), Resume::Before(at))),
        window::Outcome::Failed {
            committed,
            err,
            prefix_chars,
        } => (committed, Some((err, prefix_chars))),
        window::Outcome::Lost {
            committed: Some(committed),
            err,
        } if committed.len() < runs.len() => (committed, Some((err, 0))),
        window::Outcome::Lost { err, .. } => {
            return Err(anyhow::Error::new(err).context(format!(
                "lost the connection while running {} migrations sent together ({} to {}), each \
                 in its own transaction; the server rolls back the one it was running, so the \
                 database is at {} or a later version up to {} (not dirty): run `ferry status`, \
                 then `ferry up` again",
                runs.len(),
                first.script.label,
                runs[runs.len() - 1].script.label,
                describe(*current),
                describe(version)
            )))
        }
    };
    let mut went = Vec::with_capacity(durations.len());
    for (j, (run, ms)) in runs.iter().zip(&durations).enumerate() {
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
        went.push(Done {
            version: migration.version,
            name: migration.name.clone(),
            direction,
            duration_ms: *ms,
        });
        *current = run.step.version_after;
    }
    let Some((err, prefix_chars)) = failed else {
        return Ok((went, Resume::On));
    };
    let Some(run) = runs.get(went.len()) else {
        // Everything committed; what failed came after the last COMMIT.
        return Err(anyhow::Error::new(err).context("after the migrations sent together"));
    };
    if err.ended_session() {
        return Err(lost(err, run, run.current));
    }
    // Told to stop: the migrations before it committed, and the usual stop follows.
    if crate::db::stop::stopped(&err) {
        return Ok((went, Resume::On));
    }
    // Another run moved the database, or held the key a moment: the step goes alone, and
    // waits there as it must.
    if moved(&err) || crate::db::lease::is_locked(&err) {
        return Ok((went, Resume::Alone(0)));
    }
    if let Some(refusal) = session.lock_refusal(&err) {
        return Err(refusal);
    }
    if lock_timed_out(&err) && run.retries > 0 {
        return Ok((went, Resume::Alone(1)));
    }
    let db = err
        .server()
        .expect("a failed window has the server's error");
    let tx = window::SEPARATE;
    Err(explain(
        session,
        run,
        tx,
        run.current,
        db,
        Sent::Whole,
        0,
        prefix_chars,
    ))
}

struct Run<'a> {
    migration: &'a Migration,
    script: &'a Script,
    step: &'a Step,
    /// The version before this step.
    current: Option<i64>,
    /// How long it may wait for a lock, and how often it is tried again after that.
    lock_timeout: Duration,
    retries: u32,
    /// Tries already made (one, when its pipelined window timed out waiting for a lock).
    tried: u32,
    events: &'a dyn Events,
}

#[derive(Clone, Copy)]
struct TxShape {
    begin: bool,
    commit: bool,
    single: bool,
}

/// Which part of a transactional migration the server refused.
enum Sent<'s> {
    /// The one message holding BEGIN, the body, the bookkeeping and COMMIT.
    Whole,
    /// One statement sent on its own.
    Statement(&'s crate::sql::split::Statement),
    /// BEGIN, or the bookkeeping and COMMIT, sent on their own.
    Frame,
}

/// Sends a transactional migration: as one message, or — when the script changes how the
/// server reads string literals (`standard_conforming_strings`) — one statement at a time,
/// because the server parses a whole message with the setting in force when it arrives.
fn send_in_transaction<'s>(
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

/// What ends a migration's part of the transaction: `COMMIT` (unless a
/// `--single-transaction` run goes on), then the session's settings put back if the
/// script may have changed them.
fn closing(session: &Session<'_>, run: &Run<'_>, tx: TxShape) -> String {
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
fn frame(session: &Session<'_>, run: &Run<'_>, tx: TxShape) -> String {
    opening(session, run.current, run.lock_timeout, tx.begin)
}

/// [`frame`] for any script: `BEGIN` (when `begin`) and the guard that the database is at
/// `current`, then the lock timeout.
fn opening(
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
fn push_script(sql: &mut String, open: &str, script: &Script, close: &str) -> usize {
    sql.push_str(open);
    let start = sql.len();
    sql.push_str(&script.text[script.body()]);
    // A newline first: the body may end in a line comment.
    sql.push_str("\n;\n");
    sql.push_str(close);
    start
}

fn run_in_transaction(
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
        session, run, tx, initial, db, sent, attempt, prefix,
    ))
}

/// The connection went away (server restart, terminated backend, network) while `run`
/// ran: PostgreSQL rolls back a transaction whose session ends, leaving `version`.
fn lost(err: WireError, run: &Run<'_>, version: Option<i64>) -> anyhow::Error {
    anyhow::Error::new(err).context(format!(
        "lost the connection while running {}; the server rolls back an unfinished \
         transaction, so the database stays at {} (not dirty): check the server and run \
         `ferry up` again",
        run.script.label,
        describe(version)
    ))
}

/// The report on a transactional migration the server refused (and that was rolled back):
/// what happened to the database, where in the file (`prefix_chars`: how much of the
/// message came before the file's SQL), the server's fields.
#[allow(clippy::too_many_arguments)]
fn explain(
    session: &mut Session<'_>,
    run: &Run<'_>,
    tx: TxShape,
    initial: Option<i64>,
    db: &ServerError,
    sent: Sent<'_>,
    attempt: u32,
    prefix_chars: usize,
) -> anyhow::Error {
    let headline = if db.code() == &SqlState::LOCK_NOT_AVAILABLE {
        format!(
            "migration {} waited longer than its lock timeout ({}) for a lock{} and was rolled back; \
             the database stays at {} (not dirty). Holding the locks it needs: {}. Retry when they \
             are gone, or raise --ddl-lock-timeout (or `-- ferry:lock-timeout` in the file)",
            run.script.label,
            humantime::format_duration(run.lock_timeout),
            match attempt {
                0 => String::new(),
                n => format!(" on each of {} tries", n + 1),
            },
            describe(if tx.single { initial } else { run.current }),
            lock_holders(session, run.script)
        )
    } else if tx.single {
        format!(
            "migration {} failed; the whole --single-transaction run was rolled back: nothing was \
             applied and the database stays at {} (not dirty)",
            run.script.label,
            describe(initial)
        )
    } else {
        format!(
            "migration {} failed and was rolled back; the database stays at {} (not dirty)",
            run.script.label,
            describe(run.current)
        )
    };
    let script = run.script;
    let offset = match sent {
        Sent::Statement(statement) => Some(statement_offset(script, statement, Some(db))),
        Sent::Frame => None,
        Sent::Whole => sql_error::reported_offset(
            db,
            &script.text[script.body()],
            script.body().start,
            prefix_chars,
        )
        .or_else(|| match script.statements.as_slice() {
            [only] => Some(only.start),
            _ if !tx.single && worth_rerunning(db) => locate_by_rerun(session, script),
            _ => None,
        }),
    };
    failure(
        &headline,
        (run.migration.version, run.script),
        offset,
        db,
        false,
    )
}

/// Without a position, which of several statements failed is unknown. Running them one
/// by one in a transaction that is rolled back finds it; not for errors whose cause is
/// time or contention, which would only cost the same wait twice.
fn worth_rerunning(db: &ServerError) -> bool {
    ![
        SqlState::QUERY_CANCELED,
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::ADMIN_SHUTDOWN,
    ]
    .contains(db.code())
}

/// A migration's transaction found the database moved since the plan, or leased to
/// another run (transaction lock mode): nothing of it ran.
#[derive(Debug)]
struct Moved;

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the database moved since this run planned")
    }
}

impl std::error::Error for Moved {}

fn moved(err: &WireError) -> bool {
    err.server()
        .is_some_and(|db| db.code().code() == crate::db::lease::MOVED)
}

/// What to do about a step whose transaction found the database [`Moved`]: wait while
/// another run holds the lease, then skip the step if that run applied (or reverted) it
/// already, try it again if nothing moved, and stop otherwise.
enum AfterMove {
    /// Done by another run: the version now, and the state as read.
    Skip(Option<i64>, View),
    Again,
}

/// Whether `step` is already done in `view`: its migration applied (or, going down, not).
fn step_done(view: &View, migrations: &[Migration], step: &Step) -> bool {
    let version = migrations[step.index].version;
    match step.direction {
        Direction::Down => !view.is_applied(version),
        _ => view.is_applied(version),
    }
}

fn after_move(
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
fn lock_timed_out(err: &WireError) -> bool {
    err.server()
        .is_some_and(|db| db.code() == &SqlState::LOCK_NOT_AVAILABLE)
}

/// Says that `run` is tried again, and who holds the locks it waited for, then pauses.
fn wait_to_retry(session: &mut Session<'_>, run: &Run<'_>, attempt: u32) {
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
fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(250)
        .saturating_mul(1 << attempt.saturating_sub(1).min(6))
        .min(Duration::from_secs(10));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(nanos % 1000) / 2000.0)
}

/// The sessions holding locks on the tables a script names: "pid 123 (reporting, idle in
/// transaction, for 12s: SELECT …)". Read after the wait, when ferry's own request is gone,
/// so it asks who holds a lock on those tables rather than whom ferry waited for.
fn lock_holders(session: &mut Session<'_>, script: &Script) -> String {
    let names = crate::sql::split::identifiers(&script.text[script.body()]);
    let names: Vec<String> = names.iter().map(|n| quote_literal(n)).collect();
    let sql = format!(
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), \
                coalesce(a.state, '?'), \
                coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint, 0), \
                left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 60) \
         FROM pg_stat_activity a \
         WHERE a.pid <> pg_backend_pid() AND a.pid IN ( \
           SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
           WHERE l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND c.relname = ANY(ARRAY[{}]::text[])) \
         ORDER BY a.pid",
        names.join(", ")
    );
    let holders: Vec<String> = session
        .client
        .simple_query(&sql)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| match m {
                    Message::Row(r) => Some(r),
                    Message::Complete => None,
                })
                .map(|r| {
                    let text = |i| r.get(i).unwrap_or("?");
                    format!(
                        "pid {} ({}, {}, for {}s: {})",
                        text(0),
                        text(1),
                        text(2),
                        text(3),
                        text(4)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if holders.is_empty() {
        "no session holds one any more".to_string()
    } else {
        holders.join("; ")
    }
}

fn locate_by_rerun(session: &mut Session<'_>, script: &Script) -> Option<usize> {
    session.client.batch_execute("BEGIN").ok()?;
    let mut found = None;
    for statement in &script.statements {
        if let Err(err) = session.client.batch_execute(statement.text(&script.text)) {
            found = Some(statement_offset(script, statement, err.server()));
            break;
        }
    }
    let _ = session.client.batch_execute("ROLLBACK");
    found
}

/// Offset of an error inside one statement that was sent on its own.
fn statement_offset(
    script: &Script,
    statement: &crate::sql::split::Statement,
    db: Option<&ServerError>,
) -> usize {
    let text = statement.text(&script.text);
    db.and_then(|db| sql_error::reported_offset(db, text, statement.start, 0))
        .unwrap_or(statement.start)
}

fn run_outside_transaction(
    session: &mut Session<'_>,
    run: &Run<'_>,
    migrations: &[Migration],
) -> anyhow::Result<()> {
    let version = run.migration.version;
    // golang-migrate's convention: going up the dirty version is the one being applied,
    // going down it is the one being returned to.
    let (dirty_at, interrupted) = match run.step.direction {
        Direction::Down => (
            run.step.version_after,
            Interrupted::Down {
                version,
                back_to: run.step.version_after,
            },
        ),
        _ => (Some(version), Interrupted::Up(version)),
    };
    let help = || dirty_help(dirty_at, Some(interrupted), migrations, None);
    let invalid_before = crate::db::invalid_indexes(&mut session.client)?;
    // The lock timeout is the session's here (there is no transaction to keep it to), set
    // with the mark and put back with the bookkeeping — in session mode only: through a
    // transaction pooler the server connection is shared, each statement may get another,
    // and the setting would stay behind for whoever uses it next.
    let session_level = session.mode == crate::db::LockMode::Session;
    let set_timeout = if session_level {
        format!(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', '{}', false);\n",
            run.lock_timeout.as_millis()
        )
    } else {
        run.events.on(Event::Detail(&format!(
            "{}: no lock timeout for its statements (through a transaction pooler it would stay \
             on the shared server connection)",
            run.script.label
        )));
        String::new()
    };
    let mark = format!(
        "{set_timeout}{BEGIN}{}{}{}COMMIT;",
        session.step_guard(run.current),
        session.lease_sql(true),
        session.tables.set_version_sql(dirty_at, true)
    );
    let marked = session.under_key(&mark, run.events);
    if let Err(err) = &marked {
        if let Some(refusal) = session.lock_refusal(err) {
            return Err(refusal);
        }
        if moved(err) {
            session.lease_sql(false);
            let _ = session.client.batch_execute("ROLLBACK");
            return Err(anyhow::Error::new(Moved));
        }
    }
    let marked = marked.context("marking the database dirty")?;
    let put_back = if session_level {
        let previous = first_row(&marked)
            .and_then(|row| row.get(0).map(str::to_string))
            .unwrap_or_else(|| "0".to_string());
        format!(
            "SELECT set_config('lock_timeout', {}, false);\n",
            crate::sql::quote::quote_literal(&previous)
        )
    } else {
        String::new()
    };
    let started = Instant::now();
    let script = run.script;
    let total = script.statements.len();
    // Which statement failed (when known), and where in the file.
    let failed = if script.own_transactions.is_some() {
        // As golang-migrate sends it: the file as one message, where the server runs the
        // statements outside its BEGIN … COMMIT blocks as implicit transactions.
        let body = &script.text[script.body()];
        session.client.batch_execute(body).err().map(|err| {
            let offset = err
                .server()
                .and_then(|db| sql_error::reported_offset(db, body, script.body().start, 0));
            let at = offset.and_then(|o| script.statements.iter().rposition(|s| s.start <= o));
            (err, at, offset)
        })
    } else {
        let mut failed = None;
        for (i, statement) in script.statements.iter().enumerate() {
            if i > 0 {
                session.renew_lease()?;
            }
            if let Err(err) = run_statement(session, run, statement) {
                let offset = statement_offset(script, statement, err.server());
                failed = Some((err, Some(i), Some(offset)));
                break;
            }
        }
        failed
    };
    if let Some((err, at, offset)) = failed {
        // Best effort: a borrowed connection goes back to its owner as it came (and a
        // block of the file's own that the failure left open is ended).
        let _ = session.client.batch_execute("ROLLBACK");
        let _ = session.client.batch_execute(&put_back);
        if script.changes_session {
            let _ = session.client.batch_execute(&session.restore_settings);
        }
        // Kept in the history, so that whoever recovers the dirty database later knows
        // which statements ran (best effort: the connection may be what failed).
        let note = failure_note(script, at, err.server());
        let _ = session.client.batch_execute(&session.tables.failed_sql(
            run.migration.version,
            &run.migration.name,
            &script.checksum,
            &note,
        ));
        let kind = if script.own_transactions.is_some() {
            "its own transactions, sent as one message"
        } else {
            "no-transaction"
        };
        let at = at.map_or(String::new(), |i| {
            format!(" at statement {} of {total}", i + 1)
        });
        let headline = format!("migration {} ({kind}) failed{at}; {}", script.label, help());
        return match err.server() {
            Some(db) => Err(failure(
                &headline,
                (run.migration.version, script),
                offset,
                db,
                true,
            )),
            None => Err(anyhow::Error::new(err).context(headline)),
        };
    }
    // Invalid indexes this migration is responsible for: new ones, or ones it names (a
    // rerun whose `IF NOT EXISTS` found the one a failed attempt left). Others, such as a
    // build in progress elsewhere, are not this migration's business.
    let invalid: Vec<String> = crate::db::invalid_indexes(&mut session.client)?
        .into_iter()
        .filter(|ix| {
            let bare = ix.rsplit('.').next().unwrap_or(ix).trim_matches('"');
            !invalid_before.contains(ix) || run.script.text.contains(bare)
        })
        .collect();
    if !invalid.is_empty() {
        return Err(anyhow::anyhow!(
            "migration {} ran, but {} INVALID (a CONCURRENTLY build failed, now or in an earlier \
             attempt, and `IF NOT EXISTS` kept it); drop {} with DROP INDEX CONCURRENTLY and run \
             the migration's statements again; {}",
            run.script.label,
            if invalid.len() == 1 {
                format!("index {} is", invalid[0])
            } else {
                format!("indexes {} are", invalid.join(", "))
            },
            if invalid.len() == 1 { "it" } else { "them" },
            help()
        ));
    }
    let ms = started.elapsed().as_millis() as u64;
    let release = session.lease_sql(false);
    let restore = if run.script.changes_session {
        session.restore_settings.as_str()
    } else {
        ""
    };
    let clean = format!(
        "{restore}{put_back}{BEGIN}{}{release}COMMIT;",
        bookkeeping(session, run, Started::ClockMinus(ms), "")
    );
    session
        .client
        .batch_execute(&clean)
        .with_context(|| format!("recording {} as applied; {}", run.script.label, help()))
}

/// Which statements of a migration without a transaction ran before statement `at` (when
/// known) failed with `db`'s error.
fn failure_note(script: &Script, at: Option<usize>, db: Option<&ServerError>) -> String {
    let total = script.statements.len();
    let error = db.map_or("the connection was lost".to_string(), |db| {
        format!("{}: {}", db.severity, db.message)
    });
    let failed = |i: usize| {
        format!(
            "statement {} of {total} (line {}) failed ({error})",
            i + 1,
            script.statements[i].line
        )
    };
    match (script.own_transactions.is_some(), at) {
        (true, Some(i)) => format!(
            "sent as one message, {}; what its COMMITs committed before that stays",
            failed(i)
        ),
        (true, None) => format!(
            "sent as one message, it failed ({error}); what its COMMITs committed before that stays"
        ),
        (false, Some(0)) => format!("none of its statements ran: {}", failed(0)),
        (false, Some(i)) => format!("statements 1 to {i} ran, then {}", failed(i)),
        (false, None) => format!("it failed ({error})"),
    }
}

/// Steps over a migration that has no down: the version row and a history row, in one
/// transaction.
fn move_version_only(
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
    }));
    sql.push_str("COMMIT;");
    session
        .client
        .batch_execute(&sql)
        .with_context(|| format!("moving the version past {}", migration.up.label))
}

/// One statement of a no-transaction migration. One that timed out waiting for a lock
/// changed nothing and is tried again — except a CONCURRENTLY build or drop, which can
/// leave an INVALID index behind when it gives up part way (that is for a person to see).
fn run_statement(
    session: &mut Session<'_>,
    run: &Run<'_>,
    statement: &crate::sql::split::Statement,
) -> Result<(), WireError> {
    let text = statement.text(&run.script.text);
    let retry_safe = !crate::sql::split::non_transactional(text)
        .is_some_and(|what| what.contains("CONCURRENTLY"));
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

/// The version row and the history row (`returning`: see
/// [`Tables::history_sql_returning`](crate::db::state::Tables::history_sql_returning)).
fn bookkeeping(
    session: &Session<'_>,
    run: &Run<'_>,
    started_at: Started,
    returning: &str,
) -> String {
    let mut sql = session
        .tables
        .set_version_sql(run.step.version_after, false);
    sql.push_str(&session.tables.history_sql_returning(
        &HistoryEntry {
            version: run.migration.version,
            name: &run.migration.name,
            direction: run.step.direction,
            checksum: Some(&run.script.checksum),
            started_at,
        },
        returning,
    ));
    sql
}

/// A migration's failure as the error the caller gets: `version`'s `script` refused at
/// `offset` (when known), rendered with `headline` and the server's fields.
fn failure(
    headline: &str,
    (version, script): (i64, &Script),
    offset: Option<usize>,
    db: &ServerError,
    dirty: bool,
) -> anyhow::Error {
    let location = offset.map(|offset| Location {
        label: &script.label,
        text: &script.text,
        offset,
    });
    let (line, column) = offset.map_or((None, None), |o| {
        let (line, column) = line_col(&script.text, o);
        (Some(line), Some(column))
    });
    anyhow::Error::new(MigrationError {
        version,
        file: script.path.clone(),
        line,
        column,
        sqlstate: db.code.code().to_string(),
        message: db.message.clone(),
        dirty,
        rendered: sql_error::render(headline, location, db),
    })
}

/// A first run on a database with no bookkeeping whose migration found its object already
/// there ("relation … already exists"): the schema came from elsewhere, and the way on is to
/// record the version it matches rather than to edit the migrations.
fn baseline_hint(err: anyhow::Error) -> anyhow::Error {
    const ALREADY_EXISTS: [&str; 5] = ["42P07", "42710", "42P06", "42723", "42P04"];
    match err.downcast::<MigrationError>() {
        Ok(mut failed) if ALREADY_EXISTS.contains(&failed.sqlstate.as_str()) => {
            failed.rendered.push_str(
                "\nhint: this database had no migration history when the run started, yet \
                 what the migration creates is already there: its schema came from elsewhere \
                 (a restore, another tool, by hand). If it matches the migrations up to version \
                 V, record that without running them — `ferry force V`, then `ferry up` applies \
                 the rest; `ferry adopt` does it from goose, dbmate, sqlx, Flyway or sql-migrate \
                 tables",
            );
            anyhow::Error::new(failed)
        }
        Ok(failed) => anyhow::Error::new(failed),
        Err(other) => other,
    }
}

/// A migration the server refused: where, what, and whether it left the database dirty.
/// Displayed, it is the whole rendered report (location, source line, caret, fields).
#[derive(Debug, Clone)]
pub struct MigrationError {
    pub version: i64,
    pub file: std::path::PathBuf,
    /// 1-based, when the failing position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub sqlstate: String,
    /// The server's message, e.g. `relation "users" already exists`.
    pub message: String,
    /// Only a no-transaction migration can leave the database dirty.
    pub dirty: bool,
    rendered: String,
}

impl std::fmt::Display for MigrationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for MigrationError {}

/// "version 3", or "no version".
pub fn describe(version: Option<i64>) -> String {
    version.map_or("no version".to_string(), |v| format!("version {v}"))
}

/// What to do about a dirty database, with the exact `ferry force` commands: which
/// migration stopped part way, in which direction, and what to record once a person has
/// finished or undone it by hand. Where the records cannot tell the direction, both
/// readings are given.
pub fn dirty_help(
    row: Option<i64>,
    interrupted: Option<Interrupted>,
    migrations: &[Migration],
    note: Option<&str>,
) -> String {
    let ran = note.map_or(String::new(), |note| format!(": {note}"));
    let label = |v: i64| {
        migrations
            .iter()
            .find(|m| m.version == v)
            .map_or(String::new(), |m| format!(" ({})", m.up.label))
    };
    let down_label = |v: i64| {
        migrations
            .iter()
            .find(|m| m.version == v)
            .and_then(|m| m.down.as_ref())
            .map_or(String::new(), |d| format!(" ({})", d.label))
    };
    let previous = |v: i64| {
        migrations
            .iter()
            .rev()
            .map(|m| m.version)
            .find(|&p| p < v)
            .map_or("none".to_string(), |p| p.to_string())
    };
    let shown = |v: Option<i64>| v.map_or("none".to_string(), |v| v.to_string());
    let golang = format!(
        "(golang-migrate: Dirty database version {}. Fix and force version.)",
        row.unwrap_or(-1)
    );
    let at = match row {
        Some(v) => format!("the database is dirty at version {v}"),
        None => "the database is dirty with no version".to_string(),
    };
    let inspect =
        "Inspect the schema and finish or undo its statements by hand, then record the result:";
    match interrupted {
        Some(Interrupted::Up(v)) => format!(
            "{at}: the up migration of version {v}{} stopped part way{ran}. {inspect} `ferry force {v}` if all its changes are in place, `ferry force \
             {}` if none are {golang}",
            label(v),
            previous(v)
        ),
        Some(Interrupted::Down { version, back_to }) => format!(
            "{at}: the down migration of version {version}{} stopped part way{ran} (a down marks \
             the version it returns to). {inspect} `ferry force {}` \
             if the down finished, `ferry force {version}` if none of it ran {golang}",
            down_label(version),
            shown(back_to)
        ),
        Some(Interrupted::Either { at: v, next }) => format!(
            "{at}, and no ferry history says which migration stopped part way (golang-migrate \
             left this row). Either the up migration of version {v}{} stopped: `ferry force {v}` \
             if all its changes are in place, `ferry force {}` if none are; or the down migration \
             of version {next}{} stopped: `ferry force {v}` if it finished, `ferry force {next}` if \
             none of it ran. Inspect the schema to tell which, finish or undo it by hand, then \
             run the one that fits {golang}",
            label(v),
            previous(v),
            down_label(next),
        ),
        None => format!(
            "{at}: a migration without a transaction stopped part way. Inspect the schema, finish \
             or undo it by hand, then run `ferry force V` with the version it is at {golang}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirty_help_names_both_force_commands() {
        let help = dirty_help(Some(3), Some(Interrupted::Up(3)), &[], None);
        assert!(
            help.contains("`ferry force 3`") && help.contains("`ferry force none`"),
            "{help}"
        );
        assert!(help.contains("Dirty database version 3. Fix and force version."));
    }

    #[test]
    fn dirty_help_after_a_down_forces_back_or_forward() {
        let down = Interrupted::Down {
            version: 2,
            back_to: Some(1),
        };
        let help = dirty_help(Some(1), Some(down), &[], None);
        assert!(help.contains("down migration of version 2"), "{help}");
        assert!(
            help.contains(
                "`ferry force 1` if the down finished, `ferry force 2` if none of it ran"
            ),
            "{help}"
        );
        let first = Interrupted::Down {
            version: 1,
            back_to: None,
        };
        let help = dirty_help(None, Some(first), &[], None);
        assert!(
            help.contains("`ferry force none` if the down finished, `ferry force 1` if none"),
            "{help}"
        );
        assert!(help.contains("Dirty database version -1."), "{help}");
    }

    #[test]
    fn dirty_help_without_history_gives_both_readings() {
        let help = dirty_help(
            Some(1),
            Some(Interrupted::Either { at: 1, next: 2 }),
            &[],
            None,
        );
        assert!(
            help.contains(
                "`ferry force 1` if all its changes are in place, `ferry force none` if none are"
            ),
            "{help}"
        );
        assert!(
            help.contains("`ferry force 1` if it finished, `ferry force 2` if none of it ran"),
            "{help}"
        );
    }
}
