//! `ferry version`: the current version, read without locking or creating anything.

use serde_json::json;

use super::ctx::Ctx;

pub(crate) fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let mut session = ctx.open()?;
    let snapshot = session.version()?;
    if ctx.report.json() {
        ctx.report
            .document(&json!({"version": snapshot.version, "dirty": snapshot.dirty}));
        return Ok(());
    }
    ctx.report.result(&snapshot.version_text());
    Ok(())
}
