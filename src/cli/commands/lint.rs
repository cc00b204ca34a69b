//! `ferry lint [FILE…]`: the statements in migrations that would lock or break a live
//! database (see `sql::lint` for the rules), before they run. Without files: the pending
//! migrations when a database is given, every migration otherwise. With `--trace`, the
//! same migrations traced on the shadow (`shadow::trace::judge`) confirm or clear each
//! finding and add those only the trace shows. Text, JSON, or SARIF for code-scanning UIs;
//! exit 5 when a finding that stands is an error.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::ctx::Ctx;
use crate::cli::args::{FindingsFormat, LintArgs};
use crate::engine;
use crate::error;
use crate::migration::Migration;
use crate::shadow::trace::{judge, Evidence, Judged};
use crate::sql::lint::{every_rule, unknown_allowed, Severity};

pub(crate) fn run(ctx: &Ctx, args: LintArgs) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let named_files = if args.files.is_empty() {
        None
    } else {
        Some(super::trace::named(ctx, &migrations, &args.files)?)
    };
    let (versions, what) = if let Some(named) = &named_files {
        (named.clone(), "the files given")
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
                every_rule().map(|r| r.id).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let found = engine::lint(&migrations, |m| versions.contains(&m.version), false);
    let judged = if args.trace {
        let traced = super::trace::traced(
            ctx,
            &migrations,
            &repeatables,
            named_files.as_ref(),
            super::trace::Sizing::Off,
        )?;
        judge(found, &traced.steps, &migrations)
    } else {
        found
            .into_iter()
            .map(|linted| Judged {
                linted,
                evidence: Evidence::NotTraced,
            })
            .collect()
    };
    report(ctx, &judged, args.format, args.trace, versions.len(), what)
}

/// `up --trace`: the migrations `up` is to apply (the first `count` pending ones) linted
/// as one run and traced on a copy of the database's schema; the findings that stand are
/// warnings, and with `--strict-lint` an error among them refuses the run (exit 5) before
/// anything changes. The run itself then lints nothing again.
pub(crate) fn before_up(ctx: &Ctx, count: Option<u64>) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let pending = pending(ctx, &migrations)?;
    let applying: HashSet<i64> = migrations
        .iter()
        .map(|m| m.version)
        .filter(|v| pending.contains(v))
        .take(count.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)))
        .collect();
    if applying.is_empty() {
        return Ok(());
    }
    let found = engine::lint(&migrations, |m| applying.contains(&m.version), true);
    let traced = super::trace::traced(
        ctx,
        &migrations,
        &repeatables,
        Some(&applying),
        super::trace::Sizing::Off,
    )?;
    let judged = judge(found, &traced.steps, &migrations);
    let mut errors = Vec::new();
    for j in &judged {
        let line = match &j.evidence {
            Evidence::Cleared(why) => {
                ctx.report.info(&format!(
                    "{}:{}: {} cleared by the trace: {why}",
                    j.linted.label, j.linted.finding.line, j.linted.finding.rule.id
                ));
                continue;
            }
            Evidence::Confirmed(what) => format!("{} (confirmed by the trace: {what})", j.linted),
            Evidence::FoundByTrace => format!("{} (found by the trace)", j.linted),
            Evidence::Beside | Evidence::NotTraced => j.linted.to_string(),
        };
        ctx.report.warn(&line);
        if j.linted.finding.rule.severity == Severity::Error {
            errors.push(line);
        }
    }
    if ctx.config.settings.strict_lint && !errors.is_empty() {
        return Err(error::problems(
            errors.clone(),
            format!(
                "refusing to up (--strict-lint, traced): {} lint error(s) stand in the migrations \
                 to apply; use the safe form each names, or allow a rule for a file with \
                 `-- ferry:allow RULE-ID`",
                errors.len()
            ),
        ));
    }
    Ok(())
}

/// The findings in `format`, and the verdict: an error (exit 5) when one that stands is.
pub(crate) fn report(
    ctx: &Ctx,
    judged: &[Judged],
    format: FindingsFormat,
    traced: bool,
    migrations: usize,
    what: &str,
) -> anyhow::Result<()> {
    let standing = || judged.iter().filter(|j| j.stands());
    let errors = standing()
        .filter(|j| j.linted.finding.rule.severity == Severity::Error)
        .count();
    let warnings = standing().count() - errors;
    let cleared = judged.len() - standing().count();
    match format {
        FindingsFormat::Text => {
            for j in judged {
                match &j.evidence {
                    Evidence::Cleared(why) => ctx.report.result(&format!(
                        "{}:{}: {} cleared by the trace: {why}",
                        j.linted.label, j.linted.finding.line, j.linted.finding.rule.id
                    )),
                    Evidence::Confirmed(what) => {
                        ctx.report.result(&j.linted.to_string());
                        ctx.report
                            .result(&format!("    confirmed by the trace: {what}"));
                    }
                    Evidence::FoundByTrace => {
                        ctx.report
                            .result(&format!("{} (found by the trace)", j.linted));
                    }
                    Evidence::Beside | Evidence::NotTraced => {
                        ctx.report.result(&j.linted.to_string())
                    }
                }
            }
            let cleared = if traced {
                format!(", {cleared} cleared by the trace")
            } else {
                String::new()
            };
            ctx.report.info(&format!(
                "{errors} error(s), {warnings} warning(s){cleared} in {migrations} migration(s): {what}"
            ));
        }
        FindingsFormat::Json => ctx.report.document(&json!({
            "migrations": migrations,
            "traced": traced,
            "errors": errors,
            "warnings": warnings,
            "cleared": cleared,
            "findings": judged.iter().map(|j| finding_json(j, traced)).collect::<Vec<_>>(),
        })),
        FindingsFormat::Sarif => ctx.report.document(&super::trace::sarif(judged)),
    }
    if errors > 0 {
        return Err(error::invalid(format!(
            "lint found {errors} error(s): use the safe form each names, or allow a rule for a \
             file with `-- ferry:allow RULE-ID`"
        )));
    }
    Ok(())
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

fn finding_json(judged: &Judged, traced: bool) -> Value {
    let linted = &judged.linted;
    let rule = linted.finding.rule;
    let mut value = json!({
        "file": linted.label,
        "line": linted.finding.line,
        "version": linted.version,
        "rule": rule.id,
        "severity": rule.severity,
        "message": linted.finding.message,
        "instead": rule.instead,
    });
    if traced {
        value["trace"] = json!({
            "verdict": judged.evidence.verdict(),
            "evidence": judged.evidence.detail(),
        });
    }
    value
}
