//! `--targets FILE` / `--targets-query SQL`: one command (`up`, `down N`, `goto`,
//! `version`, `status`) over many databases — a database per tenant, on several servers.
//!
//! Each target is its own session with its own lock, exactly as a plain `ferry up` on it
//! would be, so two fleet runs (or a fleet run and a plain run) never apply a migration
//! twice. `--jobs N` targets run at once. By default the first failure stops new targets
//! from starting (running ones finish); `--keep-going` runs them all; `--canary N` runs
//! the first N alone, and the rest only if they all succeeded. A re-run changes only the
//! targets not yet at the goal. The report is a table (text) or one JSON object per
//! target and a summary (`--format json`); the exit code is the most severe of the
//! targets' (see [`severity`]).

mod call;
mod report;
pub(crate) mod targets;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use anyhow::Context;

use super::ctx::Ctx;
use crate::cli::args::Command;
use crate::cli::config::{Config, Fleet, Targets};
use crate::cli::interrupt;
use crate::cli::ui::progress::Progress;
use crate::cli::ui::report::Reporter;
use crate::conn::redact::redact;
use crate::db::Session;
use crate::engine::{self, Request};
use crate::error;
use crate::events::Quiet;
use crate::migration::{Migration, Repeatable};
use crate::plan::Operation;
use call::Call;
pub(crate) use report::severity;
use report::{report, TargetOutcome};
use targets::{load_targets, Target};

pub(crate) fn run(ctx: &Ctx, command: &Command) -> anyhow::Result<()> {
    let fleet = ctx.config.fleet.clone().context("no fleet configured")?;
    let (call, name) = Call::of(command)?;
    let (migrations, mut repeatables) = if call.migrates() || matches!(call, Call::Status { .. }) {
        ctx.load()?
    } else {
        (Vec::new(), Vec::new())
    };
    if !call.runs_repeatables() {
        repeatables.clear();
    }
    let targets = load_targets(ctx, &fleet.targets)?;
    // The first Ctrl-C lets the running targets finish their migration; no new one starts.
    let _graceful = call.migrates().then(interrupt::graceful);
    if targets.is_empty() {
        return Err(no_targets(&fleet.targets));
    }
    let started = Instant::now();
    let run = FleetRun {
        config: &ctx.config,
        fleet: &fleet,
        targets: &targets,
        call,
        files: (&migrations, &repeatables),
    };
    let results = run.all(&ctx.report);
    report(
        ctx,
        call,
        name,
        &targets,
        &results,
        started.elapsed().as_millis(),
    );
    verdict(call, &targets, &results)
}

pub(crate) fn no_targets(targets: &Targets) -> anyhow::Error {
    error::usage(match targets {
        Targets::File(file) => format!("--targets {file} lists no database"),
        Targets::Query(_) => "--targets-query returned no rows".to_string(),
        Targets::Schemas { patterns, .. } => format!(
            "no schema matches --schemas {}: `ferry status` with --database-url shows the database; add --create-schema to create named ones",
            patterns.join(",")
        ),
    })
}

/// One command over the fleet's targets.
struct FleetRun<'a> {
    config: &'a Config,
    fleet: &'a Fleet,
    targets: &'a [Target],
    call: Call,
    files: (&'a [Migration], &'a [Repeatable]),
}

impl FleetRun<'_> {
    /// Runs the command on every target, `--jobs` at a time: the canaries first, then —
    /// unless one of them failed — the rest. `None` for a target never started.
    fn all(&self, reporter: &Reporter) -> Vec<Option<TargetOutcome>> {
        let targets = self.targets;
        let mut results: Vec<Option<TargetOutcome>> = targets.iter().map(|_| None).collect();
        let stop = AtomicBool::new(false);
        let progress = Progress::items(reporter, targets.len());
        let canary = self.fleet.canary.unwrap_or(0).min(targets.len());
        for (i, batch) in [0..canary, canary..targets.len()].into_iter().enumerate() {
            if batch.is_empty() {
                continue;
            }
            if i == 1 && canary > 0 && any_failed(&results[..canary]) {
                reporter.warn(&format!(
                    "a canary target failed: the other {} targets were not started",
                    targets.len() - canary
                ));
                break;
            }
            let queue = Queue::new(batch.clone(), targets, self.fleet.max_per_server);
            let jobs = self.fleet.jobs.min(batch.len());
            let ran = crate::pool::run(
                targets.len(),
                jobs,
                || queue.take(&stop),
                |index| {
                    let target = &targets[index];
                    progress.start(&target.label);
                    let outcome = one(self.config, target, self.call, self.files);
                    queue.done(index);
                    progress.add(1);
                    if outcome.failure.is_some() && !self.fleet.keep_going {
                        stop.store(true, Ordering::SeqCst);
                    }
                    outcome
                },
            );
            for (slot, outcome) in results.iter_mut().zip(ran) {
                if outcome.is_some() {
                    *slot = outcome;
                }
            }
        }
        progress.finish();
        results
    }
}

/// The fleet's exit: Ok when every target succeeded (and, with `--fail-on-pending`, none
/// is behind); else an error naming the failed targets, with the worst one's exit code.
fn verdict(
    call: Call,
    targets: &[Target],
    results: &[Option<TargetOutcome>],
) -> anyhow::Result<()> {
    let failed: Vec<(u8, &str)> = results
        .iter()
        .zip(targets)
        .filter_map(|(r, t)| {
            r.as_ref()
                .and_then(|o| o.failure.as_ref())
                .map(|(code, _)| (*code, t.label.as_str()))
        })
        .collect();
    let not_started = results.iter().filter(|r| r.is_none()).count();
    if failed.is_empty() && not_started == 0 {
        let behind = results.iter().flatten().filter(|o| o.pending > 0).count();
        let gate = matches!(
            call,
            Call::Status {
                fail_on_pending: true
            }
        );
        if gate && behind > 0 {
            return Err(anyhow::anyhow!(
                "{behind} of {} targets have pending migrations (--fail-on-pending)",
                targets.len()
            ));
        }
        return Ok(());
    }
    let code = failed
        .iter()
        .map(|(code, _)| *code)
        .max_by_key(|code| severity(*code))
        .unwrap_or(1);
    let names: Vec<&str> = failed.iter().map(|(_, label)| *label).take(5).collect();
    let named = if names.is_empty() {
        String::new()
    } else {
        let more = if failed.len() > names.len() {
            ", …"
        } else {
            ""
        };
        format!(" ({}{more})", names.join(", "))
    };
    let unstarted = if not_started > 0 {
        format!(", {not_started} not started")
    } else {
        String::new()
    };
    let message = format!(
        "{} of {} targets failed{named}{unstarted}; run the same command again to finish the rest",
        failed.len(),
        targets.len(),
    );
    Err(error::with_code(code, message))
}

/// The targets of a batch not yet started, handed to the workers in order — skipping
/// those whose server already has `--max-per-server` of them running.
struct Queue<'t> {
    state: Mutex<(Vec<usize>, HashMap<String, usize>)>,
    changed: Condvar,
    targets: &'t [Target],
    max_per_server: Option<usize>,
}

impl<'t> Queue<'t> {
    fn new(
        batch: std::ops::Range<usize>,
        targets: &'t [Target],
        max_per_server: Option<usize>,
    ) -> Self {
        Queue {
            state: Mutex::new((batch.collect(), HashMap::new())),
            changed: Condvar::new(),
            targets,
            max_per_server,
        }
    }

    fn server(&self, index: usize) -> String {
        let (host, port) = self.targets[index]
            .params
            .servers()
            .next()
            .unwrap_or(("", 0));
        format!("{host}:{port}")
    }

    /// The next target to run, waiting while every waiting one's server is busy; `None`
    /// when none is left or `stop` is set.
    fn take(&self, stop: &AtomicBool) -> Option<usize> {
        let Ok(mut state) = self.state.lock() else {
            return None;
        };
        loop {
            if stop.load(Ordering::SeqCst) || interrupt::flag().load(Ordering::SeqCst) {
                return None;
            }
            let (waiting, running) = &mut *state;
            if waiting.is_empty() {
                return None;
            }
            let free = waiting.iter().position(|&i| {
                self.max_per_server
                    .is_none_or(|max| running.get(&self.server(i)).copied().unwrap_or(0) < max)
            });
            if let Some(position) = free {
                let index = waiting.remove(position);
                *running.entry(self.server(index)).or_default() += 1;
                return Some(index);
            }
            state = match self
                .changed
                .wait_timeout(state, std::time::Duration::from_millis(200))
            {
                Ok((state, _)) => state,
                Err(_) => return None,
            };
        }
    }

    fn done(&self, index: usize) {
        if let Ok(mut state) = self.state.lock() {
            if let Some(n) = state.1.get_mut(&self.server(index)) {
                *n = n.saturating_sub(1);
            }
        }
        self.changed.notify_all();
    }
}

fn any_failed(results: &[Option<TargetOutcome>]) -> bool {
    results
        .iter()
        .any(|o| o.as_ref().is_none_or(|o| o.failure.is_some()))
}

/// The command on one target, as a plain run would do it.
fn one(
    config: &Config,
    target: &Target,
    call: Call,
    files: (&[Migration], &[Repeatable]),
) -> TargetOutcome {
    let migrations = files.0;
    let started = Instant::now();
    let mut outcome = TargetOutcome {
        from: None,
        to: None,
        applied: 0,
        dirty: false,
        pending: 0,
        ms: 0,
        failure: None,
        known: false,
    };
    let result = (|| -> anyhow::Result<()> {
        let mut session = Session::open(&target.params, &target.table, &config.lock_mode, &Quiet)?;
        let _cancel = session.canceller().map(interrupt::on_quit);
        match call {
            Call::Version => {
                let snapshot = session.version()?;
                (outcome.from, outcome.to, outcome.dirty) =
                    (snapshot.version, snapshot.version, snapshot.dirty);
                outcome.known = true;
            }
            Call::Status { .. } => {
                let snapshot = session.snapshot()?;
                let status = engine::status(&snapshot, migrations, &[]);
                (outcome.from, outcome.to, outcome.dirty) =
                    (snapshot.version, snapshot.version, snapshot.dirty);
                outcome.pending = status
                    .entries
                    .iter()
                    .filter(|e| e.state.is_pending())
                    .count();
                outcome.known = true;
            }
            Call::Migrate(operation) => {
                let schema = target.table.schema.as_deref();
                migrate(&mut session, config, operation, files, schema, &mut outcome)?
            }
        }
        Ok(())
    })();
    outcome.ms = started.elapsed().as_millis();
    if let Err(err) = result {
        let message = redact(&format!("{err:#}"), target.params.password.as_deref());
        outcome.failure = Some((error::exit_code(&err), message));
    }
    outcome
}

/// `up`, `down` or `goto` on one target; `outcome` says how far it got, even on failure.
fn migrate(
    session: &mut Session<'_>,
    config: &Config,
    operation: Operation,
    (migrations, repeatables): (&[Migration], &[Repeatable]),
    table_schema: Option<&str>,
    outcome: &mut TargetOutcome,
) -> anyhow::Result<()> {
    let mut request = Request::new(
        operation.command(),
        &config.settings,
        repeatables,
        interrupt::flag(),
    );
    // A schema-per-tenant target's hash covers its own schema.
    if let (
        Some(Fleet {
            targets: Targets::Schemas { .. },
            ..
        }),
        Some(schema),
    ) = (&config.fleet, table_schema)
    {
        request.fingerprint = engine::fingerprint::Scope::Schema(schema);
    }
    // Where it started, so that a failure still says how far it got.
    let before = session.snapshot()?;
    let ran = |s: &crate::db::state::Snapshot| {
        s.history
            .iter()
            .filter(|h| {
                matches!(
                    h.direction,
                    crate::plan::Direction::Up | crate::plan::Direction::Down
                )
            })
            .count()
    };
    (outcome.from, outcome.to, outcome.dirty) = (before.version, before.version, before.dirty);
    outcome.known = true;
    // Going down, a version this build has no file for is undone from the SQL the target's
    // history keeps, as on one database.
    let kept;
    let migrations = match operation {
        Operation::Down { .. } | Operation::Goto { .. } => {
            kept = engine::with_kept(session, migrations.to_vec(), false)?.0;
            kept.as_slice()
        }
        _ => migrations,
    };
    let done = engine::run(session, migrations, &request, &Quiet, |f, v| {
        operation.plan(f, v)
    });
    match done {
        Ok(done) => {
            (outcome.to, outcome.applied) = (done.to, done.done.len());
        }
        Err(err) => {
            match session.snapshot() {
                Ok(after) => {
                    (outcome.to, outcome.dirty) = (after.version, after.dirty);
                    outcome.applied = ran(&after).saturating_sub(ran(&before));
                }
                // Lost with the connection: what it reached is not known.
                Err(_) => outcome.known = false,
            }
            return Err(err);
        }
    }
    Ok(())
}
