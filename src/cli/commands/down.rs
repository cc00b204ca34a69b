//! `ferry down [N]` and `ferry down --all`: roll back applied migrations, newest first.
//! `--all` asks first, because it empties the schema the migrations built.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::DownArgs;
use crate::cli::ui::prompt;
use crate::engine::Options;
use crate::plan::Operation;

pub(crate) fn run(ctx: &Ctx, args: DownArgs) -> anyhow::Result<()> {
    let count = if args.all {
        None
    } else {
        Some(usize::try_from(args.count.unwrap_or(1)).unwrap_or(usize::MAX))
    };
    let operation = Operation::Down {
        count,
        allow_missing_down: args.allow_missing_down,
    };
    migrate(ctx, operation, args.dry_run, Options::default(), |steps| {
        if args.all && !args.dry_run && !steps.is_empty() {
            prompt::confirm(
                &format!(
                    "roll back every applied migration ({}, down to no version)",
                    match steps.len() {
                        1 => "1 migration".to_string(),
                        n => format!("{n} migrations"),
                    }
                ),
                args.yes,
            )?;
        }
        Ok(())
    })
}
