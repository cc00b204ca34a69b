//! `ferry up [N]`: apply pending migrations.

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::UpArgs;
use crate::engine::Options;
use crate::plan::Operation;

pub(crate) fn run(ctx: &Ctx, args: UpArgs) -> anyhow::Result<()> {
    let operation = Operation::Up {
        limit: args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        allow_out_of_order: args.allow_out_of_order,
    };
    let options = Options {
        single_transaction: args.single_transaction,
        ..Options::default()
    };
    migrate(ctx, operation, args.dry_run, options, |_| Ok(()))
}
