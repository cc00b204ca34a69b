//! `ferry lint [FILE…]`: the statements in migrations that would lock or break a live
//! database (see `sql::lint` for the rules), before they run. Without files: the pending
//! migrations when a database is given, every migration otherwise. Text, JSON, or SARIF for
//! code-scanning UIs; exit 5 when a finding is an error.

use std::collections::HashSet;
use std::path::Path;

use serde_json::{json, Value};

use super::ctx::Ctx;
use crate::cli::args::{FindingsFormat, LintArgs};
use crate::engine::{self, Linted};
use crate::error;
use crate::migration::Migration;
use crate::sql::lint::{unknown_allowed, Severity, RULES};

pub(crate) fn run(ctx: &Ctx, args: LintArgs) -> anyhow::Result<()> {
    let migrations = ctx.migrations()?;
    let (versions, what) = if !args.files.is_empty() {
        (named(ctx, &migrations, &args.files)?, "the files given")
    } else if ctx.config.database_given() {
        (pending(ctx, &migrations)?, "the pending migrations")
    } else {
        (
            migrations.iter().map(|m| m.version).collect(),
            "every migration (no database given)",
        )
    };
    for migration in migrations.iter().filter(|m| versions.contains(&m.version)) {
        for id in unknown_allowed(&migration.up.text) {
            ctx.report.warn(&format!(
                "{}: `-- ferry:allow {id}` names no rule; the rules are {}",
                migration.up.label,
                RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let found = engine::lint(&migrations, |m| versions.contains(&m.version), false);
    let errors = found
        .iter()
        .filter(|l| l.finding.rule.severity == Severity::Error)
        .count();
    let warnings = found.len() - errors;
    match args.format {
        FindingsFormat::Text => {
            for linted in &found {
                ctx.report.result(&linted.to_string());
            }
            ctx.report.info(&format!(
                "{errors} error(s), {warnings} warning(s) in {} migration(s): {what}",
                versions.len()
            ));
        }
        FindingsFormat::Json => ctx.report.document(&json!({
            "migrations": versions.len(),
            "errors": errors,
            "warnings": warnings,
            "findings": found.iter().map(finding_json).collect::<Vec<_>>(),
        })),
        FindingsFormat::Sarif => ctx.report.document(&sarif(&found)),
    }
    if errors > 0 {
        return Err(error::invalid(format!(
            "lint found {errors} error(s): use the safe form each names, or allow a rule for a \
             file with `-- ferry:allow RULE-ID`"
        )));
    }
    Ok(())
}

/// The versions of the migration files named on the command line.
pub(crate) fn named(
    ctx: &Ctx,
    migrations: &[Migration],
    files: &[std::path::PathBuf],
) -> anyhow::Result<HashSet<i64>> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    files
        .iter()
        .map(|file| {
            let wanted = canonical(file).ok_or_else(|| {
                error::usage(format!("cannot read {}: check the path", file.display()))
            })?;
            migrations
                .iter()
                .find(|m| {
                    std::iter::once(&m.up)
                        .chain(m.down.as_ref())
                        .any(|s| canonical(&s.path).as_ref() == Some(&wanted))
                })
                .map(|m| m.version)
                .ok_or_else(|| {
                    error::usage(format!(
                        "{} is not a migration file in {}: `ferry lint` reads the migrations \
                         directory (point --path at the one it is in)",
                        file.display(),
                        ctx.config.migrations_dir.display()
                    ))
                })
        })
        .collect()
}

/// The versions not applied yet.
fn pending(ctx: &Ctx, migrations: &[Migration]) -> anyhow::Result<HashSet<i64>> {
    let mut session = ctx.open()?;
    let snapshot = session.snapshot()?;
    Ok(engine::status(&snapshot, migrations, &[])
        .entries
        .iter()
        .filter(|e| e.state.is_pending())
        .map(|e| e.version)
        .collect())
}

fn finding_json(linted: &Linted) -> Value {
    let rule = linted.finding.rule;
    json!({
        "file": linted.label,
        "line": linted.finding.line,
        "version": linted.version,
        "rule": rule.id,
        "severity": rule.severity,
        "message": linted.finding.message,
        "instead": rule.instead,
    })
}

/// SARIF 2.1.0, the format code-scanning UIs read.
fn sarif(found: &[Linted]) -> Value {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ferry",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(|r| json!({
                    "id": r.id,
                    "shortDescription": {"text": r.reason.replace("{}", "the table")},
                    "help": {"text": r.instead},
                    "defaultConfiguration": {"level": level(r.severity)},
                })).collect::<Vec<_>>(),
            }},
            "results": found.iter().map(|l| json!({
                "ruleId": l.finding.rule.id,
                "level": level(l.finding.rule.severity),
                "message": {"text": format!("{}; instead: {}", l.finding.message, l.finding.rule.instead)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": l.label.trim_start_matches("./")},
                    "region": {"startLine": l.finding.line},
                }}],
            })).collect::<Vec<_>>(),
        }],
    })
}
