//! `ferry reset`: drop everything the migrations made, then apply every migration — the
//! result equals a freshly created database plus `ferry up`. Files are checked before
//! anything is dropped, the question is asked before connecting, and the drop and the
//! migrations run under one hold of the migration lock, through the same path as `up`.

use super::ctx::Ctx;
use super::drop;
use crate::cli::args::ResetArgs;
use crate::cli::ui::prompt;
use crate::engine::Options;
use crate::plan::Operation;

pub(crate) fn run(ctx: &Ctx, args: ResetArgs) -> anyhow::Result<()> {
    // A migration directory with a problem would leave an emptied database behind.
    let (migrations, repeatables) = ctx.load()?;
    let what = format!(
        "drop everything in {}, then apply every migration",
        drop::described(ctx)?
    );
    prompt::confirm(&what, args.yes)?;
    let mut session = ctx.open()?;
    ctx.lock(&mut session)?;
    let summary = session.wipe()?;
    drop::report(ctx, &summary);
    super::migrate::run(
        ctx,
        &mut session,
        (&migrations, &repeatables),
        "reset",
        false,
        Options::default(),
        |files, view| Operation::UP.plan(files, view),
    )
}
