//! The path `up`, `down`, `goto` and `reset` share: files checked before connecting, the
//! engine run under the lock, the outcome reported as text or one JSON document.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::interrupt;
use crate::db::Session;
use crate::engine::{self, describe, Options, Outcome, Request};
use crate::migration::Migration;
use crate::plan::{Known, Operation, Step, View};

/// The shared path of `up`, `down` and `goto`: files are checked before connecting, the
/// engine locks, plans `operation` and executes, and the outcome is reported here.
/// `confirm` sees the plan before anything runs (under the lock, so what is confirmed is
/// what runs).
pub(crate) fn migrate(
    ctx: &Ctx,
    operation: Operation,
    dry_run: bool,
    options: Options,
    confirm: impl FnOnce(&[Step]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let mut session = ctx.open()?;
    let migrations = match operation {
        Operation::Down { .. } | Operation::Goto { .. } => {
            with_kept(ctx, &mut session, migrations)?
        }
        _ => migrations,
    };
    let repeatables = if operation.runs_repeatables() {
        repeatables.as_slice()
    } else {
        &[]
    };
    run(
        ctx,
        &mut session,
        (&migrations, repeatables),
        operation.command(),
        dry_run,
        options,
        |files, view| {
            let steps = operation.plan(files, view)?;
            confirm(&steps)?;
            Ok(steps)
        },
    )
}

/// `migrations` and the applied versions not in this build, read back from the SQL the
/// history keeps (`engine::with_kept`), each said so.
fn with_kept(
    ctx: &Ctx,
    session: &mut Session<'_>,
    migrations: Vec<Migration>,
) -> anyhow::Result<Vec<Migration>> {
    let (migrations, kept) = engine::with_kept(session, migrations, false)?;
    for (version, name, _) in kept {
        ctx.report.info(&format!(
            "version {version} ({name}) is not in this build: its SQL comes from the history"
        ));
    }
    Ok(migrations)
}

/// The engine on an open session, and its outcome reported: `reset` comes here once it
/// has emptied the database under the lock.
pub(crate) fn run(
    ctx: &Ctx,
    session: &mut Session<'_>,
    (migrations, repeatables): (&[Migration], &[crate::migration::Repeatable]),
    command: &str,
    dry_run: bool,
    options: Options,
    planner: impl FnOnce(&[Known<'_>], &View) -> anyhow::Result<Vec<Step>>,
) -> anyhow::Result<()> {
    let mut request = Request::new(
        command,
        &ctx.config.settings,
        repeatables,
        interrupt::flag(),
    );
    request.dry_run = dry_run;
    request.options.single_transaction = options.single_transaction;
    request.options.linted = options.linted;
    let graceful = interrupt::graceful();
    let outcome = engine::run(session, migrations, &request, &ctx.events(), planner)?;
    drop(graceful);
    if ctx.report.json() {
        let migrations: Vec<_> = if dry_run {
            outcome
                .steps
                .iter()
                .map(|s| {
                    let m = &migrations[s.index];
                    json!({"version": m.version, "name": m.name, "direction": s.direction, "duration_ms": null})
                })
                .collect()
        } else {
            outcome.done.iter().map(|d| json!(d)).collect()
        };
        ctx.report.document(&json!({
            "command": command,
            "dry_run": dry_run,
            "from": outcome.from,
            "to": outcome.to,
            "migrations": migrations,
            "repeatables": outcome.repeated,
        }));
    } else if outcome.steps.is_empty() && outcome.repeated.is_empty() {
        ctx.report.info(&format!(
            "no change: the database is at {}",
            describe(outcome.from)
        ));
    } else if dry_run {
        report_plan(ctx, migrations, &outcome);
    } else if outcome.repeated.is_empty() {
        ctx.report.info(&format!("now at {}", describe(outcome.to)));
    } else {
        ctx.report.info(&format!(
            "now at {}; repeatable migrations applied: {}",
            describe(outcome.to),
            outcome.repeated.join(", ")
        ));
    }
    if !dry_run {
        super::schema::refresh_schema_file(ctx)?;
    }
    Ok(())
}

fn report_plan(ctx: &Ctx, migrations: &[Migration], outcome: &Outcome) {
    for step in &outcome.steps {
        let m = &migrations[step.index];
        ctx.report.result(&format!(
            "would run {}",
            crate::cli::ui::events::line(m.version, &m.name, step.direction, None)
        ));
        match engine::script_of(m, step.direction) {
            Ok(script) if ctx.report.verbose() => ctx.report.result(&script.text[script.body()]),
            Ok(_) => {}
            Err(_) => ctx
                .report
                .result("  (no down migration: only the version would move)"),
        }
    }
    for name in &outcome.repeated {
        ctx.report.result(&format!(
            "would run {}",
            crate::cli::ui::events::line(-1, name, crate::plan::Direction::Repeatable, None)
        ));
    }
    ctx.report.info(&format!(
        "dry run: nothing was changed; this would move the database from {} to {}{}",
        describe(outcome.from),
        describe(outcome.to),
        if outcome.repeated.is_empty() {
            String::new()
        } else {
            format!(
                ", then run {} repeatable migration(s) that are new or changed",
                outcome.repeated.len()
            )
        }
    ));
}
