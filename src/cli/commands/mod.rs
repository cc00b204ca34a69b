//! One file per command, each `pub fn run(ctx, args) -> anyhow::Result<()>`: arguments
//! in, the engine or the session called, the outcome rendered. What several commands share
//! lives once: what every command gets and the session it opens (`ctx`), and the path of
//! the migrating commands — run the engine, report its outcome (`migrate`). The engine's
//! events are rendered by `ui::events`. This file only dispatches.

pub(crate) mod adopt;
pub(crate) mod completions;
pub(crate) mod create;
pub(crate) mod ctx;
pub(crate) mod down;
pub(crate) mod drift;
pub(crate) mod drop;
pub(crate) mod dump;
pub(crate) mod fleet;
pub(crate) mod force;
pub(crate) mod goto;
pub(crate) mod lint;
pub(crate) mod migrate;
pub(crate) mod psql;
pub(crate) mod repair;
pub(crate) mod reset;
pub(crate) mod restore;
pub(crate) mod schema;
pub(crate) mod seed;
pub(crate) mod shadow;
pub(crate) mod show;
pub(crate) mod squash;
pub(crate) mod status;
pub(crate) mod test;
pub(crate) mod trace;
pub(crate) mod up;
pub(crate) mod validate;
pub(crate) mod version;
pub(crate) mod wait;

use ctx::Ctx;

use crate::cli::args::Command;

pub(crate) fn dispatch(command: Command, ctx: &Ctx) -> anyhow::Result<()> {
    if ctx.config.fleet.is_none()
        && ctx.config.jobs.is_some()
        && !matches!(command, Command::Test(_))
    {
        return Err(crate::error::usage(crate::cli::config::FLEET_ONLY));
    }
    // `--schemas` limits a schema command to those schemas; elsewhere it names a fleet.
    if ctx.config.fleet.is_some()
        && !matches!(
            command,
            Command::Schema(_)
                | Command::Shadow(_)
                | Command::Test(_)
                | Command::Drift(_)
                | Command::Squash(_)
        )
    {
        if let Some(file) = &ctx.config.schema_file {
            return Err(crate::error::usage(format!(
                "--schema-file {} with a fleet: one file cannot hold every target's schema; \
                 leave it out, or run `ferry schema dump --database-url …` per database",
                file.display()
            )));
        }
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
        Command::Show(args) => show::run(ctx, args),
        Command::Status(args) => status::run(ctx, args),
        Command::Adopt(args) => adopt::run(ctx, args),
        Command::Validate(_) => validate::run(ctx),
        Command::Create(args) => create::run(ctx, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => completions::man(&args),
        Command::Reset(args) => reset::run(ctx, args),
        Command::Drop(args) => drop::run(ctx, args),
        Command::Dump(args) => dump::run(ctx, args),
        Command::Restore(args) => restore::run(ctx, args),
        Command::Seed(args) => seed::run(ctx, args),
        Command::Wait(args) => wait::run(ctx, args),
        Command::Psql(args) => psql::run(ctx, args),
        Command::Schema(command) => schema::run(ctx, command),
        Command::Shadow(command) => shadow::run(ctx, command),
        Command::Test(args) => test::run(ctx, args),
        Command::Drift(args) => drift::run(ctx, args),
        Command::Trace(args) => trace::run(ctx, args),
        Command::Squash(args) => squash::run(ctx, args),
    }
}
