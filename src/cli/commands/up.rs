//! `ferry up [N]`: apply pending migrations.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::UpArgs;
use crate::engine::Options;
use crate::plan;

pub(crate) fn run(ctx: &Ctx, args: UpArgs) -> anyhow::Result<()> {
    let limit = args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let options = Options {
        single_transaction: args.single_transaction,
        ..Options::default()
    };
    migrate(ctx, "up", args.dry_run, options, |files, view| {
        plan::plan_up(files, view, limit, args.allow_out_of_order)
    })
}
