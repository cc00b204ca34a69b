//! The fleet's report: one line per target (or one JSON document), the totals, and the
//! exit code the worst outcome decides.

use serde_json::json;

use super::call::Call;
use super::targets::Target;
use crate::cli::commands::ctx::Ctx;
use crate::engine::describe;

/// What happened on one target.
#[derive(Debug, Clone)]
pub(crate) struct TargetOutcome {
    pub(crate) from: Option<i64>,
    pub(crate) to: Option<i64>,
    pub(crate) applied: usize,
    pub(crate) dirty: bool,
    pub(crate) pending: usize,
    pub(crate) ms: u128,
    /// `None`: done. Else the exit code the error would have, and its message.
    pub(crate) failure: Option<(u8, String)>,
    /// Whether from, to, applied and dirty were read from the target (not when it could
    /// not be reached, or was lost): shown `?` otherwise.
    pub(crate) known: bool,
}

/// How bad an exit code is, for the fleet's own: a dirty database (a person must look)
/// before invalid files, a refusal, a failure, a lock not had in time (try again later).
pub(crate) fn severity(code: u8) -> u8 {
    match code {
        3 => 6,
        5 => 5,
        2 => 4,
        1 => 3,
        4 => 2,
        0 => 0,
        _ => 1,
    }
}

pub(crate) fn report(
    ctx: &Ctx,
    call: Call,
    name: &str,
    targets: &[Target],
    results: &[Option<TargetOutcome>],
    total_ms: u128,
) {
    let mut counts = Counts::default();
    for result in results {
        match result {
            None => counts.not_started += 1,
            Some(o) if o.failure.is_some() => counts.failed += 1,
            Some(_) => counts.ok += 1,
        }
    }
    if ctx.report.json() {
        report_json(ctx, name, targets, results, &counts, total_ms);
        return;
    }
    let width = targets
        .iter()
        .map(|t| t.label.len())
        .max()
        .unwrap_or(6)
        .max(6);
    ctx.report.built(&format!(
        "{:<width$}  {:<13} {:>7} {:>8}  RESULT",
        "TARGET", "VERSION", "APPLIED", "TIME"
    ));
    for (target, result) in targets.iter().zip(results) {
        ctx.report
            .built(&target_line(call, &target.label, result, width));
    }
    if matches!(call, Call::Status { .. } | Call::Version) {
        ctx.report.info(&skew(results, counts.failed));
    }
    ctx.report.info(&format!(
        "{name} on {} targets: {} succeeded, {} failed{} ({:.1}s)",
        targets.len(),
        counts.ok,
        counts.failed,
        if counts.not_started > 0 {
            format!(", {} not started", counts.not_started)
        } else {
            String::new()
        },
        total_ms as f64 / 1000.0
    ));
}

/// How many targets succeeded, failed, or were never started.
#[derive(Default)]
struct Counts {
    ok: usize,
    failed: usize,
    not_started: usize,
}

/// One word for a target's result.
fn result_of(o: &Option<TargetOutcome>) -> &'static str {
    match o {
        None => "not started",
        Some(o) if o.failure.is_some() => "failed",
        Some(o) if o.dirty => "dirty",
        Some(o) if o.pending > 0 => "behind",
        Some(_) => "ok",
    }
}

/// One JSON line per target, then the summary.
fn report_json(
    ctx: &Ctx,
    name: &str,
    targets: &[Target],
    results: &[Option<TargetOutcome>],
    counts: &Counts,
    total_ms: u128,
) {
    for (target, result) in targets.iter().zip(results) {
        let target_url = target.params.display_url();
        let value = match result {
            None => json!({"target": target_url, "result": "not started"}),
            Some(o) => {
                let known = |value: serde_json::Value| if o.known { value } else { json!(null) };
                json!({
                    "target": target_url,
                    "result": result_of(result),
                    "known": o.known,
                    "from": known(json!(o.from)),
                    "to": known(json!(o.to)),
                    "applied": known(json!(o.applied)),
                    "dirty": known(json!(o.dirty)),
                    "pending": known(json!(o.pending)),
                    "duration_ms": o.ms,
                    "error": o.failure.as_ref().map(|(_, m)| first_line(m)),
                    "exit_code": o.failure.as_ref().map_or(0, |(c, _)| *c),
                })
            }
        };
        ctx.report.built(&value.to_string());
    }
    ctx.report.built(
        &json!({"summary": {
            "command": name,
            "targets": targets.len(),
            "succeeded": counts.ok,
            "failed": counts.failed,
            "not_started": counts.not_started,
            "duration_ms": total_ms,
        }})
        .to_string(),
    );
}

/// A target's row of the table: its label, version (or the move), migrations applied,
/// time, and result.
fn target_line(call: Call, label: &str, result: &Option<TargetOutcome>, width: usize) -> String {
    let Some(o) = result else {
        return format!(
            "{:<width$}  {:<13} {:>7} {:>8}  not started",
            label, "-", "-", "-"
        );
    };
    let version = if !o.known {
        "?".to_string()
    } else if call.migrates() {
        format!(
            "{} → {}{}",
            show(o.from),
            show(o.to),
            if o.dirty { " (dirty)" } else { "" }
        )
    } else {
        show(o.to)
    };
    let applied = if o.known {
        o.applied.to_string()
    } else {
        "?".to_string()
    };
    let shown = match &o.failure {
        Some((_, message)) => format!("failed: {}", first_line(message)),
        None if o.pending > 0 => format!("behind: {} pending", o.pending),
        None => result_of(result).to_string(),
    };
    format!(
        "{:<width$}  {:<13} {:>7} {:>6}ms  {shown}",
        label, version, applied, o.ms
    )
}

/// How many targets are at each version, and how many are dirty or failed: the fleet's
/// skew, after `status` and `version`.
fn skew(results: &[Option<TargetOutcome>], failed: usize) -> String {
    let mut at: Vec<(Option<i64>, usize)> = Vec::new();
    for o in results.iter().flatten().filter(|o| o.failure.is_none()) {
        match at.iter_mut().find(|(v, _)| *v == o.to) {
            Some((_, n)) => *n += 1,
            None => at.push((o.to, 1)),
        }
    }
    at.sort();
    let skew: Vec<String> = at
        .iter()
        .map(|(v, n)| format!("{n} at {}", describe(*v)))
        .collect();
    let dirty = results.iter().flatten().filter(|o| o.dirty).count();
    format!(
        "{}{}{}",
        skew.join(", "),
        if dirty > 0 {
            format!("; {dirty} dirty")
        } else {
            String::new()
        },
        if failed > 0 {
            format!("; {failed} unreachable or failed")
        } else {
            String::new()
        }
    )
}

pub(crate) fn show(version: Option<i64>) -> String {
    version.map_or("none".to_string(), |v| v.to_string())
}

pub(crate) fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or("")
}
