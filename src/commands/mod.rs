//! One file per command, each `pub fn run(ctx, args) -> anyhow::Result<()>`: arguments
//! in, the engine or the session called, the outcome rendered. What several commands share
//! — open a session, take the lock, run the engine and report its outcome — lives here
//! once; the engine's events are rendered by `ui::events`.

pub mod adopt;
pub mod completions;
pub mod create;
pub mod down;
pub mod drop;
pub mod dump;
pub mod fleet;
pub mod force;
pub mod goto;
pub mod lint;
pub mod psql;
pub mod repair;
pub mod reset;
pub mod restore;
pub mod seed;
pub mod status;
pub mod up;
pub mod validate;
pub mod version;
pub mod wait;

use serde_json::json;

use crate::cli::Command;
use crate::config::Config;
use crate::db::Session;
use crate::engine::{self, describe, Options, Outcome, Request};
use crate::interrupt;
use crate::plan::{Known, Step, View};
use crate::source::files::{self, Migration};
use crate::ui::events::CliEvents;
use crate::ui::report::Reporter;

/// What every command gets.
pub struct Ctx {
    pub config: Config,
    pub report: Reporter,
}

impl Ctx {
    /// The engine's events, rendered for the terminal.
    pub fn events(&self) -> CliEvents<'_> {
        CliEvents::new(&self.report)
    }

    /// A session on the configured database. Should ferry quit at once (a second Ctrl-C),
    /// the statement it runs is cancelled first.
    pub fn open(&self) -> anyhow::Result<Session<'static>> {
        let session = Session::open(
            self.config.conn()?,
            &self.config.table,
            &self.config.lock_mode,
            &self.events(),
        )?;
        if let Some(cancel) = session.canceller() {
            interrupt::on_quit(cancel).forever();
        }
        Ok(session)
    }

    /// The migration files, checked (every problem in one error, exit 5), after a warning
    /// about `.sql` files in subdirectories, which are not read.
    pub fn migrations(&self) -> anyhow::Result<Vec<files::Migration>> {
        self.load().map(|(migrations, _)| migrations)
    }

    /// [`migrations`](Self::migrations) and the repeatable ones.
    pub fn load(&self) -> anyhow::Result<(Vec<files::Migration>, Vec<files::Repeatable>)> {
        let loaded = files::load(&self.config.migrations_dir, &self.config.vars)?;
        self.warn_nested(&loaded);
        loaded.valid(&self.config.migrations_dir.display().to_string())
    }

    pub fn warn_nested(&self, loaded: &files::Loaded) {
        if let Some(warning) = loaded.nested_warning() {
            self.report.warn(&warning);
        }
    }

    /// Takes the migration lock for a command that does not migrate (force, seed,
    /// restore, drop, adopt) or that empties the database before migrating (reset).
    pub fn lock(&self, session: &mut Session<'_>) -> anyhow::Result<()> {
        session.lock(self.config.lock_timeout, &self.events(), interrupt::flag())
    }
}

pub fn dispatch(command: Command, ctx: &Ctx) -> anyhow::Result<()> {
    if ctx.config.fleet.is_some() {
        return fleet::run(ctx, &command);
    }
    match command {
        Command::Up(args) => up::run(ctx, args),
        Command::Down(args) => down::run(ctx, args),
        Command::Goto(args) => goto::run(ctx, args),
        Command::Force(args) => force::run(ctx, args),
        Command::Repair(args) => repair::run(ctx, args),
        Command::Lint(args) => lint::run(ctx, args),
        Command::Version(_) => version::run(ctx),
        Command::Status(args) => status::run(ctx, args),
        Command::Adopt(args) => adopt::run(ctx, args),
        Command::Validate(_) => validate::run(ctx),
        Command::Create(args) => create::run(ctx, args),
        Command::Completions(args) => completions::run(args),
        Command::Reset(args) => reset::run(ctx, args),
        Command::Drop(args) => drop::run(ctx, args),
        Command::Dump(args) => dump::run(ctx, args),
        Command::Restore(args) => restore::run(ctx, args),
        Command::Seed(args) => seed::run(ctx, args),
        Command::Wait(args) => wait::run(ctx, args),
        Command::Psql(args) => psql::run(ctx, args),
    }
}

/// The shared path of `up`, `down` and `goto`: files are checked before connecting, the
/// engine locks, plans and executes, and the outcome is reported here.
pub fn migrate(
    ctx: &Ctx,
    command: &str,
    dry_run: bool,
    options: Options,
    planner: impl FnOnce(&[Known<'_>], &View) -> anyhow::Result<Vec<Step>>,
) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let mut session = ctx.open()?;
    // Repeatable migrations follow `up`; `down` and `goto` leave them alone.
    let repeatables = if command == "up" {
        repeatables.as_slice()
    } else {
        &[]
    };
    run(
        ctx,
        &mut session,
        (&migrations, repeatables),
        command,
        dry_run,
        options,
        planner,
    )
}

/// The engine on an open session, and its outcome reported: `reset` comes here once it
/// has emptied the database under the lock.
pub fn run(
    ctx: &Ctx,
    session: &mut Session<'_>,
    (migrations, repeatables): (&[Migration], &[files::Repeatable]),
    command: &str,
    dry_run: bool,
    options: Options,
    planner: impl FnOnce(&[Known<'_>], &View) -> anyhow::Result<Vec<Step>>,
) -> anyhow::Result<()> {
    let request = Request {
        command,
        dry_run,
        options: Options {
            one_at_a_time: ctx.config.one_at_a_time,
            ..options
        },
        lock_timeout: ctx.config.lock_timeout,
        ddl: ctx.config.ddl,
        strict_lint: ctx.config.strict_lint,
        repeatables,
        stop: interrupt::flag(),
    };
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
    Ok(())
}

fn report_plan(ctx: &Ctx, migrations: &[Migration], outcome: &Outcome) {
    for step in &outcome.steps {
        let m = &migrations[step.index];
        ctx.report.result(&format!(
            "would run {}",
            crate::ui::events::line(m.version, &m.name, step.direction, None)
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
            crate::ui::events::line(-1, name, crate::plan::Direction::Repeatable, None)
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
