//! `ferry down [N]` and `ferry down --all`: roll back applied migrations, newest first.
//! `--all` asks first, because it empties the schema the migrations built.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::DownArgs;
use crate::cli::ui::prompt;
use crate::engine::Options;
use crate::plan;

pub(crate) fn run(ctx: &Ctx, args: DownArgs) -> anyhow::Result<()> {
    let count = if args.all {
        None
    } else {
        Some(usize::try_from(args.count.unwrap_or(1)).unwrap_or(usize::MAX))
    };
    migrate(
        ctx,
        "down",
        args.dry_run,
        Options::default(),
        |files, view| {
            let steps = plan::plan_down(files, view, count, args.allow_missing_down)?;
            // Asked only once the plan is known to be possible, and under the lock, so
            // what is confirmed is what runs.
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
            Ok(steps)
        },
    )
}
