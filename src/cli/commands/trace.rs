//! `ferry trace [FILE…]`: what each migration's statements will lock and rewrite, run on
//! the shadow (`shadow::trace`) — on a copy of the database's schema when one is given
//! (its pending migrations, or the FILEs), else after the migrations before the first one
//! traced. The database is only read. `ferry lint` uses it (`--trace`), the FILEs it names
//! (`named`) and the SARIF of the findings judged (`sarif`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::{json, Value};

use super::ctx::Ctx;
use crate::cli::args::{FindingsFormat, TraceArgs};
use crate::db::state::TableName;
use crate::engine::fingerprint::{self, Look, Scope};
use crate::error;
use crate::migration::{Migration, Repeatable};
use crate::shadow::drift::Applied;
use crate::shadow::trace::{Evidence, Judged};
use crate::shadow::{self, trace::Step, Shadow};
use crate::sql::lint::{every_rule, Severity};

pub(crate) fn run(ctx: &Ctx, args: TraceArgs) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let named: Option<HashSet<i64>> = if args.files.is_empty() {
        None
    } else {
        Some(named(ctx, &migrations, &args.files)?)
    };
    let sizing = if args.calibrate {
        Sizing::Measured
    } else {
        Sizing::Kept
    };
    let Traced {
        versions,
        steps,
        sizes,
        rates,
        measured,
    } = traced(ctx, &migrations, &repeatables, named.as_ref(), sizing)?;
    let estimate = |step: &Step| estimate(step, &sizes, rates);
    match args.format {
        FindingsFormat::Sarif => {
            let found = crate::engine::lint(&migrations, |m| versions.contains(&m.version), false);
            let judged = shadow::trace::judge(found, &steps, &migrations);
            ctx.report.document(&sarif(&judged));
        }
        FindingsFormat::Json => ctx.report.document(&json!({
            "statements": steps.iter().map(|s| json!({
                "file": s.file,
                "line": s.line,
                "sql": s.sql,
                "in_transaction": s.in_transaction,
                "lock_timeout": s.lock_timeout,
                "locks": s.locks.iter().map(|l| json!({
                    "relation": l.relation,
                    "mode": l.mode,
                    "blocks": l.blocks,
                    "held_until": l.held_until,
                    "held_through": l.held_through,
                })).collect::<Vec<_>>(),
                "rewrites": s.rewrites,
                "scans": s.scans,
                "changes": s.changes.iter().map(|c| json!({
                    "kind": c.kind,
                    "relation": c.relation,
                    "name": c.name,
                    "definition": c.definition,
                    "valid": c.valid,
                })).collect::<Vec<_>>(),
                "estimated_seconds": estimate(s),
            })).collect::<Vec<_>>(),
            "sizes": sizes.iter().map(|(name, size)| (name.clone(), json!({
                "rows": size.rows,
                "bytes": size.bytes,
                "writes_per_second": size.writes_per_second,
                "oldest_transaction_seconds": size.oldest_transaction_seconds,
            }))).collect::<serde_json::Map<_, _>>(),
            "rewrite_bytes_per_second": rates.map(|r| r.rewrite),
            "scan_bytes_per_second": rates.map(|r| r.scan),
            "rates": rates.map(|_| if measured { "measured" } else { "kept" }),
        })),
        FindingsFormat::Text => {
            for step in &steps {
                ctx.report.result(&format!(
                    "{}:{}  {}",
                    step.file,
                    step.line,
                    crate::schema::diff::flat(&step.sql, 100)
                ));
                for lock in &step.locks {
                    let blocks = match lock.blocks.as_slice() {
                        [] => "blocks neither reads nor writes".to_string(),
                        what => format!("blocks {}", what.join(" and ")),
                    };
                    let through = if lock.held_through.is_empty() {
                        String::new()
                    } else {
                        let lines: Vec<String> =
                            lock.held_through.iter().map(usize::to_string).collect();
                        format!(", through line(s) {}", lines.join(", "))
                    };
                    ctx.report.result(&format!(
                        "    {} on {}: {blocks} until {}{through}",
                        lock.mode, lock.relation, lock.held_until
                    ));
                }
                for relation in &step.rewrites {
                    ctx.report.result(&format!("    rewrites {relation}"));
                }
                for relation in &step.scans {
                    ctx.report
                        .result(&format!("    scans {relation} (reads every row)"));
                }
                for change in &step.changes {
                    ctx.report.result(&format!("    {}", change_line(change)));
                }
                if let Some(line) = sized_line(step, &sizes, estimate(step)) {
                    ctx.report.result(&format!("    {line}"));
                }
            }
            if measured {
                ctx.report.info(
                    "the shadow's rewrite and scan rates were measured now and are kept for the \
                     next traces (`--calibrate` measures them again)",
                );
            }
            ctx.report.info(&format!(
                "traced {} statement(s) of {} migration(s) on the shadow (lock_timeout as `up` sets it)",
                steps.len(),
                versions.len()
            ));
        }
    }
    Ok(())
}

/// What a trace found: the statements of the migrations traced, sized from the database
/// when one is given.
pub(crate) struct Traced {
    pub versions: Vec<i64>,
    pub steps: Vec<Step>,
    /// The target's statistics of the relations the statements lock or rewrite.
    pub sizes: BTreeMap<String, shadow::trace::Size>,
    /// The shadow's rates, when a rewrite or scan is sized.
    pub rates: Option<shadow::trace::Rates>,
    /// Whether they were measured by this run (else kept from an earlier one).
    pub measured: bool,
}

/// Whether a trace is sized from the database's statistics, and with which rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sizing {
    /// Not sized (`lint --trace`, `up --trace` show no sizes).
    Off,
    /// Sized, at the rates kept from the shadow server's first measurement.
    Kept,
    /// Sized, at rates measured again (`--calibrate`).
    Measured,
}

/// The `named` migrations (default: the pending ones with a database, else all) traced on
/// the shadow; the database is only read.
pub(crate) fn traced(
    ctx: &Ctx,
    migrations: &[Migration],
    repeatables: &[Repeatable],
    named: Option<&HashSet<i64>>,
    sizing: Sizing,
) -> anyhow::Result<Traced> {
    let Setup {
        versions,
        mut shadow,
        _on_quit,
        database,
    } = if ctx.config.database_given() {
        on_copy_of_database(ctx, migrations, repeatables, named)?
    } else {
        after_migrations(ctx, migrations, named)?
    };
    let mut client = shadow.connect(&database)?;
    let mut second = shadow.connect(&database)?;
    let mut steps: Vec<Step> = Vec::new();
    let mut known = shadow::trace::Known::default();
    for migration in migrations.iter().filter(|m| versions.contains(&m.version)) {
        steps.extend(shadow::trace::trace(
            &mut client,
            &mut second,
            migration,
            ctx.config.settings.ddl.lock_timeout,
            &mut known,
        )?);
    }
    // Sized from the database's statistics (read only); a rewrite's or scan's duration
    // from the rates the shadow's server rewrites and scans a table at.
    let mut sizes = BTreeMap::new();
    let mut rates = None;
    let mut measured = false;
    if ctx.config.database_given() && sizing != Sizing::Off {
        let mut relations: Vec<String> = steps
            .iter()
            .flat_map(|s| {
                s.locks
                    .iter()
                    .map(|l| l.relation.clone())
                    .chain(s.rewrites.clone())
                    .chain(s.scans.clone())
            })
            .collect();
        relations.sort();
        relations.dedup();
        let mut target = crate::conn::connect(ctx.config.conn()?)?;
        sizes = shadow::trace::sizes(&mut target, &relations)?;
        if steps.iter().any(|s| {
            s.rewrites
                .iter()
                .chain(&s.scans)
                .any(|r| sizes.contains_key(r))
        }) {
            let cache = &ctx.config.shadow.cache_dir;
            let key = shadow::cache::snapshot_key(&["rates", &shadow.description]);
            let kept = match sizing {
                Sizing::Kept => shadow::cache::kept_rates(cache, &key),
                _ => None,
            };
            rates = Some(match kept {
                Some(kept) => kept,
                None => {
                    let rates = shadow::trace::calibrate(&mut client)?;
                    shadow::cache::keep_rates(cache, &key, &rates);
                    measured = true;
                    rates
                }
            });
        }
    }
    drop((client, second));
    let _ = shadow.drop_scratch(&database);
    Ok(Traced {
        versions,
        steps,
        sizes,
        rates,
        measured,
    })
}

/// How long a statement's rewrites and scans take at the shadow's `rates`, from the
/// tables' sizes.
pub(crate) fn estimate(
    step: &Step,
    sizes: &BTreeMap<String, shadow::trace::Size>,
    rates: Option<shadow::trace::Rates>,
) -> Option<f64> {
    let rates = rates?;
    let sum = |relations: &[String], bytes: fn(&shadow::trace::Size) -> i64| -> f64 {
        relations
            .iter()
            .filter_map(|r| sizes.get(r).map(bytes))
            .sum::<i64>() as f64
    };
    let rewritten = sum(&step.rewrites, |s| s.bytes);
    let scanned = sum(&step.scans, |s| s.table_bytes);
    (rewritten + scanned > 0.0).then(|| rewritten / rates.rewrite + scanned / rates.scan)
}

/// Where the migrations are traced: which versions, on which shadow database.
struct Setup {
    versions: Vec<i64>,
    shadow: Shadow,
    _on_quit: Option<crate::cli::interrupt::OnQuit>,
    database: String,
}

/// With a database: its pending migrations (or the `named` ones), on a copy of it without
/// data — the template of its applied migrations when its fingerprint says ferry left it
/// as it is (no schema to load), else its live schema and bookkeeping.
fn on_copy_of_database(
    ctx: &Ctx,
    migrations: &[Migration],
    repeatables: &[Repeatable],
    named: Option<&HashSet<i64>>,
) -> anyhow::Result<Setup> {
    let events = ctx.events();
    let extensions = shadow::binaries::extensions_of(migrations);
    let mut session = ctx.open()?;
    let filter = fingerprint::filter(Scope::Database, &session.tables);
    let wait = ctx.config.settings.lock_timeout;
    let quick = fingerprint::observe(&mut session, &filter, Look::Fingerprint, wait, &events)?;
    // (Not when an applied file was edited since: its replay is not what ran.)
    let applied = match quick.matches_record() {
        Some(true) => Some(Applied::of(&quick.state, migrations, repeatables)?)
            .filter(|a| a.edited.is_empty()),
        _ => None,
    };
    let observed = if applied.is_some() {
        quick
    } else {
        fingerprint::observe(&mut session, &filter, Look::Schema, wait, &events)?
    };
    let tables = session.tables.clone();
    // The shadow of the target's major, so that a rewrite's rate is measured where it will
    // run (PostgreSQL 18's clusters checksum their pages, earlier ones did not by default).
    let major = session
        .info
        .server_version
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    drop(session);
    let versions: Vec<i64> = match named {
        Some(named) => migrations
            .iter()
            .map(|m| m.version)
            .filter(|v| named.contains(v))
            .collect(),
        None => crate::engine::status(&observed.state, migrations, &[])
            .entries
            .iter()
            .filter(|e| e.state.is_pending())
            .map(|e| e.version)
            .collect(),
    };
    let (shadow, on_quit, database) = match (&applied, &observed.snapshot) {
        (Some(applied), _) => {
            let (mut shadow, on_quit) = super::schema::open_shadow(ctx, major, &extensions)?;
            let table = TableName {
                schema: Some(tables.schema.clone()),
                name: tables.name.clone(),
            };
            let template = shadow.replayed(
                &applied.migrations,
                &applied.repeatables,
                None,
                &table,
                &events,
                crate::cli::interrupt::flag(),
            )?;
            let database = shadow.scratch(Some(&template))?;
            (shadow, on_quit, database)
        }
        (None, snapshot) => {
            let schema = snapshot.as_ref().expect("the schema was read");
            let mut wanted = extensions;
            wanted.extend(shadow::binaries::extensions_created(
                &crate::schema::sql::dump(schema),
            ));
            wanted.sort();
            wanted.dedup();
            let (mut shadow, on_quit) =
                super::schema::open_shadow(ctx, Some(schema.major), &wanted)?;
            let database = shadow::rehearse::copy(&mut shadow, schema, &observed.state, &tables)?;
            (shadow, on_quit, database)
        }
    };
    ctx.report.info(
        "tracing on a copy of the database's schema (no data): the database itself is only read",
    );
    Ok(Setup {
        versions,
        shadow,
        _on_quit: on_quit,
        database,
    })
}

/// Without a database: the `named` migrations (or all), after those before the first.
fn after_migrations(
    ctx: &Ctx,
    migrations: &[Migration],
    named: Option<&HashSet<i64>>,
) -> anyhow::Result<Setup> {
    let versions: Vec<i64> = migrations
        .iter()
        .map(|m| m.version)
        .filter(|v| named.is_none_or(|n| n.contains(v)))
        .collect();
    let first = versions.first().copied().unwrap_or(i64::MAX);
    let before: Vec<Migration> = migrations
        .iter()
        .filter(|m| m.version < first)
        .cloned()
        .collect();
    let extensions = shadow::binaries::extensions_of(migrations);
    let (mut shadow, on_quit) = super::schema::open_shadow(ctx, None, &extensions)?;
    let template = shadow.replayed(
        &before,
        &[],
        None,
        &ctx.config.table,
        &ctx.events(),
        crate::cli::interrupt::flag(),
    )?;
    let database = shadow.scratch(Some(&template))?;
    Ok(Setup {
        versions,
        shadow,
        _on_quit: on_quit,
        database,
    })
}

/// `column public.users.org_id: bigint`, `constraint users_org on public.users: FOREIGN KEY
/// … NOT VALID`, `index public.users_email on public.users: CREATE INDEX …`.
fn change_line(change: &shadow::trace::Change) -> String {
    // (A constraint's definition says NOT VALID itself.)
    let validity = match (change.kind, change.valid) {
        ("index", Some(false)) => " (invalid)",
        _ => "",
    };
    match change.kind {
        "column" if change.definition == "dropped" => {
            format!("column of {} dropped", change.relation)
        }
        "column" => format!(
            "column {}.{}: {}",
            change.relation, change.name, change.definition
        ),
        kind => format!(
            "{kind} {} on {}: {}{validity}",
            change.name, change.relation, change.definition
        ),
    }
}

/// The one line a tired engineer reads for a statement on tables with data: what it
/// rewrites (the largest table, under the ACCESS EXCLUSIVE a rewrite holds), scans (under
/// the lock it took) or locks, how big, who waits and about how long, and the oldest
/// transaction in its way.
fn sized_line(
    step: &Step,
    sizes: &BTreeMap<String, shadow::trace::Size>,
    seconds: Option<f64>,
) -> Option<String> {
    let rewritten = step
        .rewrites
        .iter()
        .filter_map(|r| sizes.get(r).map(|s| (r, s)))
        .max_by_key(|(_, s)| s.bytes);
    let scanned = step
        .scans
        .iter()
        .filter_map(|r| sizes.get(r).map(|s| (r, s)))
        .max_by_key(|(_, s)| s.table_bytes);
    let (what, relation, mode, blocks) = match (rewritten, scanned) {
        (Some((relation, _)), _) => ("rewrites", relation, "AccessExclusiveLock", 2),
        (None, Some((relation, _))) => {
            // Under the lock the statement took on it (or one the migration holds already).
            let lock = step
                .locks
                .iter()
                .filter(|l| &l.relation == relation)
                .max_by_key(|l| l.blocks.len());
            (
                "scans",
                relation,
                lock.map_or("the migration's lock", |l| l.mode.as_str()),
                lock.map_or(2, |l| l.blocks.len()),
            )
        }
        (None, None) => {
            let lock = step
                .locks
                .iter()
                .filter(|l| !l.blocks.is_empty() && sizes.contains_key(&l.relation))
                .max_by_key(|l| l.blocks.len())?;
            (
                "locks",
                &lock.relation,
                lock.mode.as_str(),
                lock.blocks.len(),
            )
        }
    };
    let size = &sizes[relation];
    let work = if what == "rewrites" {
        "rewrite"
    } else {
        "scan"
    };
    let (waits, how_long) = match (blocks, seconds) {
        (0, Some(s)) => (
            ", which blocks neither reads nor writes".to_string(),
            format!(": ≈{} for the {work}", duration(s)),
        ),
        (0, None) => (
            ", which blocks neither reads nor writes".to_string(),
            String::new(),
        ),
        (n, s) => (
            if n == 2 {
                ": every read and write waits"
            } else {
                ": every write waits"
            }
            .to_string(),
            match s {
                Some(s) => format!(" ≈{} for the {work}, then until COMMIT", duration(s)),
                None => " until COMMIT".to_string(),
            },
        ),
    };
    let oldest = size
        .oldest_transaction_seconds
        .map(|s| {
            format!(
                "; the oldest open transaction on {relation} is {} old (this waits for it first)",
                duration(s)
            )
        })
        .unwrap_or_default();
    let rows = size.rows.map_or(
        "no statistics yet: ANALYZE it for a row count".to_string(),
        |n| format!("≈{} rows", count(n)),
    );
    let shown = if what == "scans" {
        size.table_bytes
    } else {
        size.bytes
    };
    Some(format!(
        "{what} {relation} ({rows}, {}, {:.0} writes/s) under {mode}{waits}{how_long}{oldest}",
        bytes(shown),
        size.writes_per_second,
    ))
}

fn count(n: i64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} M", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} k", n as f64 / 1e3),
        n => n.to_string(),
    }
}

fn bytes(n: i64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n => format!("{} kB", n / 1024),
    }
}

fn duration(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{:.0} ms", seconds * 1000.0)
    }
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
                        "{} is not a migration file in {}: ferry reads the migrations \
                         directory (point --path at the one it is in)",
                        file.display(),
                        ctx.config.migrations_dir.display()
                    ))
                })
        })
        .collect()
}

/// The findings as SARIF 2.1.0 (see `ui::report::sarif`); a finding the trace cleared is
/// left out.
pub(crate) fn sarif(judged: &[Judged]) -> Value {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules = every_rule()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.reason.replace("{}", "the table")},
                "help": {"text": r.instead},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results = judged
        .iter()
        .filter(|j| j.stands())
        .map(|j| {
            let l = &j.linted;
            let evidence = match &j.evidence {
                Evidence::Confirmed(what) => format!(" (confirmed by the trace: {what})"),
                Evidence::FoundByTrace => " (found by the trace)".to_string(),
                _ => String::new(),
            };
            json!({
                "ruleId": l.finding.rule.id,
                "level": level(l.finding.rule.severity),
                "message": {"text": format!("{}{evidence}; instead: {}", l.finding.message, l.finding.rule.instead)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": l.label.trim_start_matches("./")},
                    "region": {"startLine": l.finding.line},
                }}],
            })
        })
        .collect();
    crate::cli::ui::report::sarif(rules, results)
}
