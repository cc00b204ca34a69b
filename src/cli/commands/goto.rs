//! `ferry goto V`: up or down until version V is the current one.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::GotoArgs;
use crate::engine::Options;
use crate::error;
use crate::plan::Operation;

pub(crate) fn run(ctx: &Ctx, args: GotoArgs) -> anyhow::Result<()> {
    let target = i64::try_from(args.target)
        .map_err(|_| error::usage(format!("version {} is too large for a bigint", args.target)))?;
    let operation = Operation::Goto {
        version: target,
        allow_out_of_order: args.allow_out_of_order,
        allow_missing_down: args.allow_missing_down,
    };
    migrate(ctx, operation, args.dry_run, Options::default(), |_| Ok(()))
}
