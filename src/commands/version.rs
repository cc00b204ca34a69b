//! `ferry version`: the current version, read without locking or creating anything.

use serde_json::json;

use super::Ctx;
use crate::db::Session;

pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let mut session = Session::open(&ctx.config, &ctx.report)?;
    let snapshot = session.snapshot()?;
    if ctx.report.json() {
        ctx.report
            .document(&json!({"version": snapshot.version, "dirty": snapshot.dirty}));
        return Ok(());
    }
    let text = match (snapshot.version, snapshot.dirty) {
        (Some(v), false) => v.to_string(),
        (Some(v), true) => format!("{v} (dirty)"),
        (None, false) => "none".to_string(),
        (None, true) => "none (dirty)".to_string(),
    };
    ctx.report.result(&text);
    Ok(())
}
