//! `ferry adopt [TOOL]`: take over a database another tool migrated, so that the first
//! `ferry up` on it runs nothing that already ran. It reads the tool's applied versions
//! (see `db::foreign`) and records them in ferry's bookkeeping: golang-migrate's table at
//! the highest version, and one history row per applied version with the file's checksum
//! where the file exists — in one transaction, under the migration lock, leaving the other
//! tool's table as it was. What to record is decided by a pure function, tested below.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::AdoptArgs;
use crate::db::foreign::{self, Tool, TOOLS};
use crate::db::state::{HistoryEntry, Started};
use crate::db::Session;
use crate::engine::describe;
use crate::error;
use crate::migration::Migration;
use crate::plan::Direction;

pub(crate) fn run(ctx: &Ctx, args: AdoptArgs) -> anyhow::Result<()> {
    let migrations = ctx.migrations()?;
    let mut session = ctx.open()?;
    if session.has_ferry_tables()? {
        return Err(error::usage(format!(
            "ferry already keeps this database's migrations in {}: there is nothing to adopt \
             (`ferry status` shows them)",
            session.tables.display()
        )));
    }
    let found = session.foreign_tools()?;
    let tool = pick(args.tool, &found, &session.tables.schema)?;
    if tool.table() == session.tables.name {
        return Err(error::usage(format!(
            "{}'s table {} has the name ferry's own table would have: adopt it into another \
             table with `ferry --table ferry_migrations adopt {}`, then pass the same --table \
             (or set FERRY_TABLE=ferry_migrations) from then on",
            tool.name(),
            session.tables.display(),
            tool.name()
        )));
    }
    if !args.dry_run {
        ctx.lock(&mut session)?;
    }
    let state = session.foreign_state(tool)?;
    let adoption = adoption(&state, &migrations, args.allow_out_of_order)?;
    for version in &adoption.without_file {
        ctx.report.warn(&format!(
            "version {version} was applied by {} but no file in {} has it: recorded anyway \
             (`ferry status` shows it as applied, not in this build)",
            tool.name(),
            ctx.config.migrations_dir.display()
        ));
    }
    if !args.dry_run {
        let applied: Vec<HistoryEntry<'_>> = adoption
            .records
            .iter()
            .map(|record| HistoryEntry {
                version: record.version,
                name: record.name,
                direction: Direction::Up,
                checksum: record.checksum,
                started_at: record.at.map_or(Started::ClockMinus(0), Started::At),
                stored: None,
            })
            .collect();
        session.record_adopted(adoption.version, &applied, tool.name())?;
        session.unlock()?;
    }
    report(ctx, &args, &state, &session, &adoption);
    Ok(())
}

/// The tool asked for, or the one found when none was named.
fn pick(asked: Option<Tool>, found: &[Tool], schema: &str) -> anyhow::Result<Tool> {
    match (asked, found) {
        (Some(tool), _) if found.contains(&tool) => Ok(tool),
        (Some(tool), _) => Err(error::usage(format!(
            "there is no {} table {schema}.{} in this database{}",
            tool.name(),
            tool.table(),
            match found {
                [] => String::new(),
                _ => format!(
                    "; found {}'s instead: `ferry adopt {}`",
                    found[0].name(),
                    found[0].name()
                ),
            }
        ))),
        (None, [one]) => Ok(*one),
        (None, []) => Err(error::usage(format!(
            "found no other tool's migration table in schema {schema} (looked for {}); a \
             database golang-migrate migrated needs no adopting, and a new one neither: run \
             `ferry up`",
            TOOLS
                .iter()
                .map(|t| format!("{} ({})", t.table(), t.name()))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        (None, several) => Err(error::usage(format!(
            "found the migration tables of several tools: {}; say which one is current: `ferry \
             adopt {}`",
            several
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", "),
            several[0].name()
        ))),
    }
}

/// What adopting records.
#[derive(Debug, PartialEq, Eq)]
struct Adoption<'a> {
    /// The version golang-migrate's table will hold.
    version: Option<i64>,
    records: Vec<Record<'a>>,
    /// ToolApplied versions no file has.
    without_file: Vec<i64>,
}

#[derive(Debug, PartialEq, Eq)]
struct Record<'a> {
    version: i64,
    name: &'a str,
    checksum: Option<&'a str>,
    at: Option<&'a str>,
}

/// Decides what to record: every version the tool applied (with a Flyway baseline, every
/// file up to it too). A file below the latest applied version that the tool never ran is
/// a gap: refused unless `allow_out_of_order`, when it is left pending.
fn adoption<'a>(
    state: &'a foreign::ToolState,
    migrations: &'a [Migration],
    allow_out_of_order: bool,
) -> anyhow::Result<Adoption<'a>> {
    let tool = state.tool.name();
    if !state.unreadable.is_empty() {
        return Err(error::invalid(format!(
            "{tool} recorded versions that are not whole numbers, which ferry's file names cannot \
             have: {}; renumber those migrations (and their rows in {}) first",
            state.unreadable.join(", "),
            state.table
        )));
    }
    let file = |v: i64| migrations.iter().find(|m| m.version == v);
    let mut records: Vec<Record<'a>> = Vec::new();
    if let Some(baseline) = state.baseline {
        for m in migrations.iter().filter(|m| m.version <= baseline) {
            records.push(Record {
                version: m.version,
                name: &m.name,
                checksum: Some(&m.up.checksum),
                at: None,
            });
        }
    }
    for applied in &state.applied {
        records.retain(|r| r.version != applied.version);
        let m = file(applied.version);
        records.push(Record {
            version: applied.version,
            name: m.map_or(applied.name.as_deref().unwrap_or(""), |m| &m.name),
            checksum: m.map(|m| m.up.checksum.as_str()),
            at: applied.at.as_deref(),
        });
    }
    records.sort_by_key(|r| r.version);
    let version = records.last().map(|r| r.version);
    let gaps: Vec<&Migration> = migrations
        .iter()
        .filter(|m| version.is_some_and(|v| m.version < v))
        .filter(|m| !records.iter().any(|r| r.version == m.version))
        .collect();
    if !gaps.is_empty() && !allow_out_of_order {
        return Err(error::invalid(format!(
            "{tool} applied version {} but never {}: {}; nothing was recorded. Adopt with \
             --allow-out-of-order to leave {} pending (then `ferry up --allow-out-of-order` \
             applies {}), or apply {} with {tool} first",
            version.unwrap_or_default(),
            if gaps.len() == 1 {
                "this one below it"
            } else {
                "these below it"
            },
            gaps.iter()
                .map(|m| m.up.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if gaps.len() == 1 { "it" } else { "them" },
            if gaps.len() == 1 { "it" } else { "them" },
            if gaps.len() == 1 { "it" } else { "them" },
        )));
    }
    let without_file = records
        .iter()
        .filter(|r| file(r.version).is_none())
        .map(|r| r.version)
        .collect();
    Ok(Adoption {
        version,
        records,
        without_file,
    })
}

fn report(
    ctx: &Ctx,
    args: &AdoptArgs,
    state: &foreign::ToolState,
    session: &Session<'_>,
    adoption: &Adoption<'_>,
) {
    let tool = state.tool.name();
    if ctx.report.json() {
        let recorded: Vec<_> = adoption
            .records
            .iter()
            .map(|r| json!({"version": r.version, "name": r.name}))
            .collect();
        ctx.report.document(&json!({
            "command": "adopt",
            "tool": tool,
            "from_table": state.table,
            "table": session.tables.display(),
            "dry_run": args.dry_run,
            "version": adoption.version,
            "recorded": recorded,
            "without_file": adoption.without_file,
        }));
        return;
    }
    for r in &adoption.records {
        let verb = if args.dry_run {
            "would record"
        } else {
            "recorded"
        };
        ctx.report
            .result(&format!("{verb} {} {} as applied", r.version, r.name));
    }
    let at = describe(adoption.version);
    if args.dry_run {
        ctx.report.info(&format!(
            "dry run: nothing was changed; adopting {tool}'s {} would put {} at {at}",
            state.table,
            session.tables.display()
        ));
    } else {
        ctx.report.info(&format!(
            "adopted {tool}'s state from {}: {} at {at}, nothing was run, and {}'s table was \
             left as it was; `ferry up` applies what is still pending",
            state.table,
            session.tables.display(),
            tool
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrations(versions: &[i64]) -> Vec<Migration> {
        let dir = tempfile::tempdir().unwrap();
        for v in versions {
            std::fs::write(dir.path().join(format!("{v}_m{v}.sql")), "SELECT 1;").unwrap();
        }
        crate::source::files::load(dir.path(), &Default::default())
            .and_then(|loaded| loaded.valid("the directory"))
            .unwrap()
            .0
    }

    fn state(applied: &[i64], baseline: Option<i64>) -> foreign::ToolState {
        foreign::ToolState {
            tool: Tool::Goose,
            table: "public.goose_db_version".into(),
            applied: applied
                .iter()
                .map(|&version| foreign::ToolApplied {
                    version,
                    name: None,
                    at: Some("2025-01-01 00:00:00".into()),
                })
                .collect(),
            baseline,
            unreadable: Vec::new(),
        }
    }

    fn versions(a: &Adoption<'_>) -> Vec<i64> {
        a.records.iter().map(|r| r.version).collect()
    }

    #[test]
    fn every_applied_version_is_recorded_with_its_files_checksum() {
        let m = migrations(&[1, 2, 3]);
        let s = state(&[1, 2], None);
        let a = adoption(&s, &m, false).unwrap();
        assert_eq!(a.version, Some(2));
        assert_eq!(versions(&a), [1, 2]);
        assert_eq!(a.records[0].checksum, Some(m[0].up.checksum.as_str()));
        assert_eq!(a.records[1].name, "m2");
    }

    #[test]
    fn a_gap_is_named_and_refused_unless_allowed() {
        let m = migrations(&[1, 2, 3]);
        let s = state(&[1, 3], None);
        let err = adoption(&s, &m, false).unwrap_err();
        assert_eq!(error::exit_code(&err), 5);
        assert!(err.to_string().contains("2_m2.sql"), "{err}");
        let a = adoption(&s, &m, true).unwrap();
        assert_eq!(versions(&a), [1, 3]);
    }

    #[test]
    fn a_baseline_covers_the_files_below_it_and_missing_files_are_kept() {
        let m = migrations(&[1, 2, 5]);
        let s = state(&[4, 5], Some(2));
        let a = adoption(&s, &m, false).unwrap();
        assert_eq!(versions(&a), [1, 2, 4, 5]);
        assert_eq!(a.without_file, [4]);
    }

    #[test]
    fn nothing_applied_records_nothing() {
        let m = migrations(&[1]);
        let s = state(&[], None);
        let a = adoption(&s, &m, false).unwrap();
        assert_eq!(a.version, None);
        assert!(a.records.is_empty());
    }
}
