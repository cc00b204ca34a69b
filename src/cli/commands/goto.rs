//! `ferry goto V`: up or down until version V is the current one.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::GotoArgs;
use crate::engine::Options;
use crate::error;
use crate::plan;

pub(crate) fn run(ctx: &Ctx, args: GotoArgs) -> anyhow::Result<()> {
    let target = i64::try_from(args.target)
        .map_err(|_| error::usage(format!("version {} is too large for a bigint", args.target)))?;
    migrate(
        ctx,
        "goto",
        args.dry_run,
        Options::default(),
        |files, view| {
            plan::plan_goto(
                files,
                view,
                target,
                args.allow_out_of_order,
                args.allow_missing_down,
            )
        },
    )
}
