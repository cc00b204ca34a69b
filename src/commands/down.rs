//! `ferry down [N]` and `ferry down --all`: roll back applied migrations, newest first.
//! `--all` asks first, because it empties the schema the migrations built.

use super::{migrate, Ctx};
use crate::cli::DownArgs;
use crate::migrate::Options;
use crate::migration::plan;
use crate::ui::prompt;

pub fn run(ctx: &Ctx, args: DownArgs) -> anyhow::Result<()> {
    let count = if args.all {
        if !args.dry_run {
            prompt::confirm("roll back every applied migration", args.yes)?;
        }
        None
    } else {
        Some(usize::try_from(args.count.unwrap_or(1)).unwrap_or(usize::MAX))
    };
    migrate(
        ctx,
        "down",
        args.dry_run,
        Options::default(),
        |files, view| plan::plan_down(files, view, count),
    )
}
