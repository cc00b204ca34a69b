//! `ferry validate`: every file problem, and — when a database was given — files edited
//! after they ran, files missing for applied versions, late merges, a dirty flag.
//! Exit 5 when anything is found, so it can gate CI.

use serde_json::json;

use super::ctx::Ctx;
use crate::db::state::Snapshot;
use crate::engine;
use crate::error;
use crate::migration::Problem;
use crate::plan::State;
use crate::source::files;

pub(crate) fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let checked_database = ctx.config.database_given();
    let (loaded, database) = if checked_database {
        // The files are read while the connection is made; neither needs the other.
        let loading = files::load_in_background(&ctx.config.migrations_dir, &ctx.config.vars)?;
        let state = read_database(ctx)?;
        (loading.wait()?, Some(state))
    } else {
        (
            files::load(&ctx.config.migrations_dir, &ctx.config.vars)?,
            None,
        )
    };
    ctx.warn_nested(&loaded);
    let mut problems = loaded.problems.clone();
    if let Some(state) = &database {
        problems.extend(database_problems(state, &loaded));
    }
    // Lint findings are shown, not failed on (`ferry lint` fails on errors): in the pending
    // migrations with a database, in all without.
    let pending: Option<std::collections::HashSet<i64>> = database.as_ref().map(|(snapshot, _)| {
        engine::status(snapshot, &loaded.migrations, &[])
            .entries
            .iter()
            .filter(|e| e.state.is_pending())
            .map(|e| e.version)
            .collect()
    });
    let linted = engine::lint(
        &loaded.migrations,
        |m| pending.as_ref().is_none_or(|p| p.contains(&m.version)),
        false,
    );
    if !ctx.report.json() {
        for finding in &linted {
            ctx.report.warn(&finding.to_string());
        }
    }

    if ctx.report.json() {
        let list: Vec<_> = problems
            .iter()
            .map(|p| json!({"file": p.file, "line": p.line, "message": p.message}))
            .collect();
        ctx.report.document(&json!({
            "ok": problems.is_empty(),
            "migrations": loaded.migrations.len(),
            "checked_database": checked_database,
            "problems": list,
            "lint": linted.len(),
        }));
    } else {
        for problem in &problems {
            ctx.report.result(&problem.to_string());
        }
    }
    match problems.len() {
        0 => {
            if !ctx.report.json() {
                ctx.report.info(&format!(
                    "{} migration(s) valid{}",
                    loaded.migrations.len(),
                    if checked_database {
                        ", and consistent with the database"
                    } else {
                        " (no database given: files only)"
                    }
                ));
            }
            Ok(())
        }
        n => Err(error::invalid(format!(
            "validation failed: {n} problem(s) found"
        ))),
    }
}

/// The bookkeeping, and the invalid indexes a failed concurrent build left.
fn read_database(ctx: &Ctx) -> anyhow::Result<(Snapshot, Vec<String>)> {
    let mut session = ctx.open()?;
    Ok((session.snapshot()?, session.info.invalid_indexes.clone()))
}

fn database_problems(
    (snapshot, invalid_indexes): &(Snapshot, Vec<String>),
    loaded: &files::Loaded,
) -> Vec<Problem> {
    let label = |version: i64| {
        loaded
            .migrations
            .iter()
            .find(|m| m.version == version)
            .map_or(format!("version {version}"), |m| m.up.label.clone())
    };
    let index_problems = invalid_indexes.iter().map(|index| Problem {
        file: format!("index {index}"),
        line: None,
        message: "INVALID: a CREATE INDEX CONCURRENTLY failed part way; drop it with DROP INDEX \
                  CONCURRENTLY and build it again"
            .to_string(),
    });
    let status = engine::status(snapshot, &loaded.migrations, &loaded.invalid_versions());
    let inside_baseline = status.inside_baseline.map(|(file, message)| Problem {
        file,
        line: None,
        message,
    });
    status
        .entries
        .into_iter()
        .filter_map(|entry| {
            let repair;
            let message = match entry.state {
                State::Modified => {
                    repair = format!(
                        "edited after it was applied: its checksum differs from the one recorded; \
                         restore the file as it ran and put the change in a new migration, or, if \
                         the edit changes nothing that ran, accept it with `ferry repair {} \
                         --reason \"…\"`",
                        entry.version
                    );
                    repair.as_str()
                }
                State::MissingFile => "applied to the database, but its migration file is missing; restore it",
                State::OutOfOrder => "pending but older than the applied version (merged from another branch?); \
                                      renumber it or apply it with `ferry up --allow-out-of-order`",
                State::Dirty => "the database is dirty at this version; see `ferry status` and fix it with `ferry force`",
                // Invalid files are reported with their own problem.
                State::Applied | State::Squashed | State::Pending | State::Invalid => return None,
            };
            Some(Problem {
                file: label(entry.version),
                line: None,
                message: message.to_string(),
            })
        })
        .chain(index_problems)
        .chain(inside_baseline)
        .collect()
}
