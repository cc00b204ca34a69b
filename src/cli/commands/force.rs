//! `ferry force V`: record version V and clear the dirty flag, running nothing — the way
//! out after a person has repaired what a failed no-transaction migration left behind.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::{ForceArgs, ForceTarget};
use crate::engine::describe;
use crate::error;
use crate::source::files;

pub(crate) fn run(ctx: &Ctx, args: ForceArgs) -> anyhow::Result<()> {
    let version = match args.target {
        ForceTarget::None => None,
        ForceTarget::Version(v) => Some(
            i64::try_from(v)
                .map_err(|_| error::usage(format!("version {v} is too large for a bigint")))?,
        ),
    };
    // Forcing a version no file has is almost always a typo, and would make every later
    // plan wrong; `force none` is the way to record that nothing is applied.
    let loaded = files::load(&ctx.config.migrations_dir, &ctx.config.vars)?;
    let name = match version {
        None => String::new(),
        Some(v) => match loaded.migrations.iter().find(|m| m.version == v) {
            Some(m) => m.name.clone(),
            None => {
                return Err(error::usage(format!(
                "no migration file in {} has version {v}; `ferry status` lists the versions there \
                     are, and `ferry force none` records that nothing is applied",
                ctx.config.migrations_dir.display()
            )))
            }
        },
    };

    let mut session = ctx.open()?;
    ctx.lock(&mut session)?;
    let before = session.prepare()?;
    session.record_forced(version, &name)?;
    session.unlock()?;

    if ctx.report.json() {
        ctx.report.document(&json!({
            "command": "force",
            "version": version,
            "previous": before.version,
            "was_dirty": before.dirty,
        }));
    } else {
        ctx.report.info(&format!(
            "forced {} (was {}{}); nothing was run",
            describe(version),
            describe(before.version),
            if before.dirty { ", dirty" } else { "" }
        ));
    }
    super::schema::refresh_schema_file(ctx)
}
