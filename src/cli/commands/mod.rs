//! One file per command, each `pub fn run(ctx, args) -> anyhow::Result<()>`: arguments
//! in, the engine or the session called, the outcome rendered. What several commands share
//! lives once: what every command gets and the session it opens (`ctx`), and the path of
//! the migrating commands — run the engine, report its outcome (`migrate`). The engine's
//! events are rendered by `ui::events`. This file only dispatches.

pub mod adopt;
pub mod completions;
pub mod create;
pub mod ctx;
pub mod down;
pub mod drop;
pub mod dump;
pub mod fleet;
pub mod force;
pub mod goto;
pub mod lint;
pub mod migrate;
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

use ctx::Ctx;

use crate::cli::args::Command;

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
