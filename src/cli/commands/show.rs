//! `ferry show V`: the SQL version V ran, as its `up` history row keeps it — the up file
//! and the down file (or the one file with both sections), templates rendered — read
//! without locking or changing anything.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::ShowArgs;
use crate::error::{self, Kind};

pub(crate) fn run(ctx: &Ctx, args: ShowArgs) -> anyhow::Result<()> {
    let mut session = ctx.open()?;
    let Some(stored) = session.stored_sql(args.version)? else {
        return Err(error::of(
            Kind::AppliedFileMissing,
            format!(
                "the history keeps no SQL for version {}: it was not applied, or it ran before \
                 ferry kept migrations' SQL or with --no-store-sql (`ferry status` lists what \
                 ran)",
                args.version
            ),
        ));
    };
    if ctx.report.json() {
        ctx.report.document(&json!({
            "version": stored.version,
            "name": stored.name,
            "applied_at": stored.applied_at,
            "up_file": stored.up_file,
            "up_sql": stored.up_sql,
            "down_file": stored.down_file,
            "down_sql": stored.down_sql,
        }));
        return Ok(());
    }
    ctx.report.info(&format!(
        "version {} ({}), applied {}: the SQL the history keeps",
        stored.version, stored.name, stored.applied_at
    ));
    ctx.report.result(&format!("-- {}", stored.up_file));
    ctx.report.result(stored.up_sql.trim_end());
    if let (Some(file), Some(sql)) = (&stored.down_file, &stored.down_sql) {
        ctx.report.result(&format!("-- {file}"));
        ctx.report.result(sql.trim_end());
    }
    Ok(())
}
