//! `ferry repair V --reason TEXT`: accept that an applied migration's file was edited on
//! purpose (a comment fixed, a statement reformatted), so that `up` stops warning and
//! `validate` passes. Runs nothing: one history row records the file's new checksum and
//! why, under the migration lock; the version row is left as it is.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::RepairArgs;
use crate::error;

pub(crate) fn run(ctx: &Ctx, args: RepairArgs) -> anyhow::Result<()> {
    let version = i64::try_from(args.target)
        .map_err(|_| error::usage(format!("version {} is too large for a bigint", args.target)))?;
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(error::usage(
            "--reason is empty: say why the applied file was edited (it is kept in the history)",
        ));
    }
    let migrations = ctx.migrations()?;
    let Some(migration) = migrations.iter().find(|m| m.version == version) else {
        return Err(error::usage(format!(
            "no migration file in {} has version {version}; `ferry status` lists the versions \
             there are",
            ctx.config.migrations_dir.display()
        )));
    };
    let mut session = ctx.open()?;
    ctx.lock(&mut session)?;
    let snapshot = session.prepare()?;
    let status = crate::engine::status(&snapshot, &migrations, &[]);
    if !status.view.is_applied(version) {
        return Err(error::usage(format!(
            "version {version} is not applied, so there is nothing to repair: `ferry up` \
             applies {}",
            migration.up.label
        )));
    }
    let modified = status
        .entries
        .iter()
        .any(|e| e.version == version && e.state == crate::plan::State::Modified);
    if modified {
        session.record_repair(version, &migration.name, &migration.up.checksum, reason)?;
    }
    session.unlock()?;

    if ctx.report.json() {
        ctx.report.document(&json!({
            "command": "repair",
            "version": version,
            "repaired": modified,
            "checksum": migration.up.checksum,
        }));
    } else if modified {
        ctx.report.info(&format!(
            "recorded the new checksum of {} (version {version}), because: {reason}; nothing \
             was run",
            migration.up.label
        ));
    } else {
        ctx.report.info(&format!(
            "{} is as it was applied: nothing to repair",
            migration.up.label
        ));
    }
    Ok(())
}
