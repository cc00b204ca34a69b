//! `ferry version`: the current version, read without locking or creating anything.

use serde_json::json;

use super::Ctx;
use crate::db::Session;

pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let mut session = Session::open(&ctx.config, &ctx.report)?;
    let snapshot = session.version()?;
    if ctx.report.json() {
        ctx.report
            .document(&json!({"version": snapshot.version, "dirty": snapshot.dirty}));
        return Ok(());
    }
    ctx.report.result(&snapshot.version_text());
    Ok(())
}
