//! `ferry drop`: drop everything the migrations made (see `db::wipe`) and apply nothing,
//! leaving a database `pg_dump --schema-only` cannot tell from a fresh one. Asks first.

use super::ctx::Ctx;
use crate::cli::args::DropArgs;
use crate::cli::ui::prompt;

pub(crate) fn run(ctx: &Ctx, args: DropArgs) -> anyhow::Result<()> {
    let what = format!("drop everything in {}", described(ctx)?);
    prompt::confirm(&what, args.yes)?;
    let mut session = ctx.open()?;
    // The lock keeps a concurrent `up` from migrating into a half-dropped database. It
    // may be dirty: emptying a broken development database is what `drop` is for.
    ctx.lock(&mut session)?;
    let summary = session.wipe()?;
    session.unlock()?;
    report(ctx, &summary);
    ctx.report
        .info("the database is empty: no migration is applied (`ferry up` applies them)");
    Ok(())
}

/// `database "app" at localhost:5432`, for the confirmation question.
pub(super) fn described(ctx: &Ctx) -> anyhow::Result<String> {
    let params = ctx.config.conn()?;
    Ok(format!(
        "database \"{}\" at {} (every table, view, sequence, type, function, extension and \
         schema, migration bookkeeping included)",
        params.dbname,
        params.target()
    ))
}

pub(super) fn report(ctx: &Ctx, summary: &crate::db::wipe::Summary) {
    ctx.report.info(&format!("dropped {}", summary.describe()));
    for object in &summary.skipped {
        ctx.report.warn(&format!(
            "left {object} in place: ferry does not know how to drop that kind of object; \
             drop it by hand if a migration made it"
        ));
    }
}
