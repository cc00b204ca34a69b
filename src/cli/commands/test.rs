//! `ferry test`: every migration's round trip on the shadow — up, down, up again, the
//! schema compared after each — with one line per migration, the problems of the ones
//! that fail, and exit 5 when any does. The target is never connected to.

use serde_json::json;

use super::ctx::Ctx;
use super::schema::{filter, open_shadow};
use crate::cli::args::{Format, TestArgs};
use crate::cli::interrupt;
use crate::cli::ui::progress::Progress;
use crate::error;
use crate::schema::diff;
use crate::shadow::roundtrip::{self, Plan, Trip, Verdict};
use crate::shadow::{binaries, Replay};
use crate::source::datatest;

pub(crate) fn run(ctx: &Ctx, args: TestArgs) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let dir = ctx.config.migrations_dir.display().to_string();
    let since = args.since.and_then(|s| s.0);
    if let Some(v) = since {
        if !migrations.iter().any(|m| m.version == v) {
            return Err(error::usage(format!(
                "--since {v}: there is no migration {v} in {dir}; give the version deployed (ferry version on the target prints it)"
            )));
        }
    }
    let data_tests = datatest::find(&ctx.config.migrations_dir)?;
    if let Some(orphan) = data_tests
        .iter()
        .find(|t| !migrations.iter().any(|m| m.version == t.version))
    {
        return Err(error::invalid(format!(
            "{}: there is no migration {} for it to test; name it after its migration (NNNNNN_name.test.sql)",
            orphan.file, orphan.version
        )));
    }
    let json = args.format == Format::Json;
    let (mut shadow, _on_quit) = open_shadow(ctx, None, &binaries::extensions_of(&migrations))?;
    let filter = filter(ctx, &args.filter);
    let plan = Plan {
        replay: Replay {
            migrations: &migrations,
            repeatables: &repeatables,
            table: &ctx.config.table,
            stop: interrupt::flag(),
            search_path: None,
        },
        since,
        require_down: args.require_down,
        filter: &filter,
        data_tests: &data_tests,
        jobs: ctx.config.jobs.unwrap_or(1),
    };
    let total = migrations
        .iter()
        .filter(|m| since.is_none_or(|v| m.version > v))
        .count();
    let progress = if json {
        Progress::items(&ctx.report, 0)
    } else {
        Progress::items(&ctx.report, total)
    };
    let trips = roundtrip::run(&mut shadow, &plan, &mut |trip| {
        progress.start(&trip.name);
        if !json {
            progress.done_result(&ctx.report, &line(trip));
        }
    });
    progress.finish();
    let trips = trips?;
    let failed = trips
        .iter()
        .filter(|t| t.verdict == Verdict::Failed)
        .count();
    if json {
        ctx.report.document(&json!({
            "passed": failed == 0,
            "migrations": trips.iter().map(trip_json).collect::<Vec<_>>(),
        }));
    } else {
        let one_way = trips
            .iter()
            .filter(|t| t.verdict == Verdict::OneWay)
            .count();
        for trip in trips.iter().filter(|t| t.verdict == Verdict::Failed) {
            ctx.report.result("");
            ctx.report
                .result(&format!("{} {}:", trip.version, trip.name));
            for problem in &trip.problems {
                ctx.report.result(&format!("  {problem}"));
            }
        }
        if failed == 0 {
            ctx.report.info(&format!(
                "{} round trip(s): every down undoes its up{}",
                trips.len() - one_way,
                if one_way > 0 {
                    format!("; {one_way} one-way migration(s) without a down")
                } else {
                    String::new()
                }
            ));
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(error::invalid(format!(
            "{n} of {} migration(s) failed their round trip{}",
            trips.len(),
            if json { "" } else { " (above)" }
        ))),
    }
}

/// `ok       3 create_verifications`, as one line per migration.
fn line(trip: &Trip) -> String {
    let mark = match trip.verdict {
        Verdict::Ok => "ok     ",
        Verdict::Failed => "FAILED ",
        Verdict::OneWay => "one-way",
    };
    format!("{mark} {} {}", trip.version, trip.name)
}

fn trip_json(trip: &Trip) -> serde_json::Value {
    let differences: Vec<serde_json::Value> = [("down", &trip.down), ("up_again", &trip.again)]
        .into_iter()
        .flat_map(|(step, list)| {
            diff::to_json(list)["differences"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |mut d| {
                    d["step"] = json!(step);
                    d
                })
        })
        .collect();
    json!({
        "version": trip.version,
        "name": trip.name,
        "round_trip": trip.verdict.as_str(),
        "differences": differences,
        "problems": trip.problems,
        "error": trip.error,
        "data_tests": trip.data.iter().map(|c| json!({
            "file": c.file,
            "line": c.check.line,
            "when": c.check.when.as_str(),
            "query": c.check.query,
            "expected": c.check.rows,
            "actual": c.actual.as_ref().ok(),
            "error": c.actual.as_ref().err(),
            "passed": c.passed(),
        })).collect::<Vec<_>>(),
    })
}
