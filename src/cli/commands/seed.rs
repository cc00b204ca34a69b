//! `ferry seed [PATH…]`: load development or fixture data — `./seeds` by default — in
//! file name order: `.sql` files run as SQL, `.csv` files stream through `COPY … FROM
//! STDIN (FORMAT csv, HEADER)` into the table their name says (`tenants.csv`,
//! `app.tenants.csv`, `002_tenants.csv`), the header row naming the columns.
//!
//! Everything is checked that can be before connecting (paths, table names, headers),
//! and everything runs in one transaction unless `--no-transaction`: a bad row in the
//! last file leaves no row of the first. CSV is copied through a fixed buffer, so memory
//! stays flat however large the file. Seeding a schema that is not fully migrated is
//! refused unless `--force`, since the seeds were written for the latest schema.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context};
use indicatif::BinaryBytes;
use postgres::error::DbError;
use postgres::GenericClient;

use super::ctx::Ctx;
use crate::cli::args::SeedArgs;
use crate::cli::ui::progress::Progress;
use crate::db::state::quote_ident;
use crate::db::wire::ServerError;
use crate::db::Session;
use crate::engine::{self, describe};
use crate::error;
use crate::seed_csv::{header, table_of};
use crate::sql::server_error::{self as sql_error, Location};
use crate::sql::{classify, split};

/// Where seeds live unless PATHs are given.
const DEFAULT_DIR: &str = "./seeds";
/// The copy buffer, and so the size of each COPY data message: memory stays flat whatever
/// the file's size. The server parses a message only once all of it has arrived, so
/// messages much larger than this only make it wait longer before it starts: loading
/// 250 MB, 64 KiB matched psql's \copy and 256 KiB was a few percent slower.
const CHUNK: usize = 64 * 1024;

/// One file to load.
#[derive(Debug)]
struct Seed {
    path: PathBuf,
    label: String,
    size: u64,
    kind: SeedKind,
}

#[derive(Debug)]
enum SeedKind {
    Sql,
    /// `COPY "schema"."table" ("a", "b") FROM STDIN …`, and the quoted table for messages.
    Csv {
        copy: String,
        table: String,
    },
}

pub(crate) fn run(ctx: &Ctx, args: SeedArgs) -> anyhow::Result<()> {
    let seeds = collect(&args.paths)?;
    if seeds.is_empty() {
        ctx.report.info(&format!(
            "nothing to seed: no .sql or .csv files in {}",
            shown_paths(&args.paths)
        ));
        return Ok(());
    }
    let mut session = ctx.open()?;
    ctx.lock(&mut session)?;
    if !args.force {
        check_migrated(ctx, &mut session)?;
    }

    let total: u64 = seeds.iter().map(|s| s.size).sum();
    let progress = Progress::bytes(&ctx.report, Some(total));
    let started = Instant::now();
    let rows = if args.no_transaction {
        let outcome = "seeding stopped there; the files before it stay loaded";
        load_all(session.direct_client()?, &seeds, &progress, ctx, outcome)
    } else {
        let outcome = "every seed file was rolled back: nothing was seeded";
        let mut tx = session
            .direct_client()?
            .transaction()
            .context("starting the seed transaction")?;
        load_all(&mut tx, &seeds, &progress, ctx, outcome)
            .and_then(|rows| tx.commit().context("committing the seeds").map(|()| rows))
    };
    progress.finish();
    let rows = rows?;
    session.unlock()?;
    ctx.report.info(&format!(
        "seeded {} file{} ({}, {rows} row{} by COPY) in {:.1}s",
        seeds.len(),
        if seeds.len() == 1 { "" } else { "s" },
        BinaryBytes(total),
        if rows == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn shown_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return DEFAULT_DIR.to_string();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses (exit 3 when dirty, else 1) unless every migration file is applied.
fn check_migrated(ctx: &Ctx, session: &mut Session) -> anyhow::Result<()> {
    let migrations = ctx.migrations().map_err(|e| {
        e.context("seed checks that every migration is applied first (pass --force to skip that)")
    })?;
    let snapshot = session.snapshot()?;
    if snapshot.dirty {
        return Err(error::dirty_at(
            snapshot.version,
            format!(
                "refusing to seed a dirty database ({}); fix it first, or pass --force",
                describe(snapshot.version)
            ),
        ));
    }
    let pending: Vec<String> = engine::status(&snapshot, &migrations, &[])
        .entries
        .into_iter()
        .filter(|e| e.state.is_pending())
        .map(|e| format!("{} {}", e.version, e.name))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    Err(anyhow!(
        "refusing to seed: {} migration{} pending ({}); run `ferry up` first, or pass --force to seed anyway",
        pending.len(),
        if pending.len() == 1 { " is" } else { "s are" },
        pending.join(", ")
    ))
}

/// The seed files of every PATH (default `./seeds`), each directory's in name order.
fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<Seed>> {
    let defaulted = paths.is_empty();
    let paths = if defaulted {
        vec![PathBuf::from(DEFAULT_DIR)]
    } else {
        paths.to_vec()
    };
    let mut seeds = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(&path).map_err(|e| {
            let what = if defaulted {
                format!(
                    "no seeds directory {}: create it, or name seed files or directories: \
                     ferry seed PATH…",
                    path.display()
                )
            } else {
                format!(
                    "cannot read {}: {}",
                    path.display(),
                    error::io_reason(&e, "file or directory")
                )
            };
            error::usage(what)
        })?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| p.is_file() && kind_of(p).is_some())
                .collect();
            found.sort();
            for file in found {
                seeds.push(prepare(&file)?);
            }
        } else if kind_of(&path).is_some() {
            seeds.push(prepare(&path)?);
        } else {
            return Err(error::usage(format!(
                "{} is not a seed file: seeds are .sql or .csv files",
                path.display()
            )));
        }
    }
    Ok(seeds)
}

fn kind_of(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with('.') {
        return None;
    }
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "sql" => Some("sql"),
        "csv" => Some("csv"),
        _ => None,
    }
}

/// Reads what can be known before connecting: the size, and for a CSV its table and
/// columns.
fn prepare(path: &Path) -> anyhow::Result<Seed> {
    let label = path.display().to_string();
    let file = File::open(path).map_err(|e| {
        error::usage(format!(
            "cannot read {label}: {}",
            error::io_reason(&e, "file or directory")
        ))
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let kind = match kind_of(path) {
        Some("csv") => {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let table = table_of(name).map_err(|e| error::usage(format!("{label}: {e}")))?;
            let columns =
                header(BufReader::new(file)).map_err(|e| error::usage(format!("{label}: {e}")))?;
            let columns = columns
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ");
            SeedKind::Csv {
                copy: format!("COPY {table} ({columns}) FROM STDIN (FORMAT csv, HEADER true)"),
                table,
            }
        }
        _ => SeedKind::Sql,
    };
    Ok(Seed {
        path: path.to_path_buf(),
        label,
        size,
        kind,
    })
}

/// Loads every seed in order; the number of rows COPY loaded.
fn load_all(
    client: &mut impl GenericClient,
    seeds: &[Seed],
    progress: &Progress,
    ctx: &Ctx,
    outcome: &str,
) -> anyhow::Result<u64> {
    let mut rows = 0;
    for seed in seeds {
        progress.start(&seed.label);
        let started = Instant::now();
        let line = match &seed.kind {
            SeedKind::Sql => {
                load_sql(client, seed, outcome)?;
                progress.add(seed.size);
                format!("{} ({:.1}ms)", seed.label, ms(started))
            }
            SeedKind::Csv { copy, table } => {
                let n = load_csv(client, seed, (copy, table), progress, outcome)?;
                rows += n;
                format!(
                    "{} → {table}: {n} row{} ({:.1}ms)",
                    seed.label,
                    if n == 1 { "" } else { "s" },
                    ms(started)
                )
            }
        };
        progress.println(&ctx.report, &line);
    }
    Ok(rows)
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Runs a SQL seed in one message. A seed that wraps itself in BEGIN … COMMIT has the
/// wrapper dropped (ferry's transaction holds every seed); other transaction control would
/// break the all-or-nothing promise and is refused.
fn load_sql(client: &mut impl GenericClient, seed: &Seed, outcome: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&seed.path).map_err(|e| {
        error::usage(format!(
            "cannot read {}: {}",
            seed.label,
            if e.kind() == io::ErrorKind::InvalidData {
                "it is not UTF-8".to_string()
            } else {
                error::io_reason(&e, "file or directory")
            }
        ))
    })?;
    let statements =
        split::split(&text).map_err(|e| error::usage(format!("{}:{e}", seed.label)))?;
    let inner = split::unwrap_transaction(&text, &statements);
    if let Some(stray) = inner
        .iter()
        .find(|s| classify::transaction_control(s.text(&text)).is_some())
    {
        return Err(error::usage(format!(
            "{}:{}: seeds run in one transaction, so a seed cannot control its own; remove \
             this statement, or pass --no-transaction",
            seed.label, stray.line
        )));
    }
    let body = match (inner.first(), inner.last()) {
        (Some(first), Some(last)) => first.start..last.end,
        _ => return Ok(()),
    };
    let sql = &text[body.clone()];
    let Err(err) = client.batch_execute(sql) else {
        return Ok(());
    };
    let headline = format!("seed {} failed; {outcome}", seed.label);
    let Some(db) = err.as_db_error() else {
        return Err(anyhow::Error::new(err).context(headline));
    };
    let db = &ServerError::from(db);
    let offset = sql_error::reported_offset(db, sql, body.start, 0);
    let location = offset.map(|offset| Location {
        label: &seed.label,
        text: &text,
        offset,
    });
    Err(anyhow!(sql_error::render(&headline, location, db)))
}

/// Streams a CSV file into COPY; the number of rows loaded.
fn load_csv(
    client: &mut impl GenericClient,
    seed: &Seed,
    (copy, table): (&str, &str),
    progress: &Progress,
    outcome: &str,
) -> anyhow::Result<u64> {
    let failed = |db: &DbError| {
        let mut headline = format!("loading {} into {table} failed; {outcome}", seed.label);
        if db.code() == &postgres::error::SqlState::UNDEFINED_TABLE {
            headline.push_str(
                "\n(a CSV seed loads into the table its file name says: name it tenants.csv, \
                 app.tenants.csv or 002_tenants.csv)",
            );
        }
        anyhow!(sql_error::render(&headline, None, &ServerError::from(db)))
    };
    let db_failure = |err: postgres::Error| match err.as_db_error() {
        Some(db) => failed(db),
        None => anyhow::Error::new(err).context(format!("loading {} into {table}", seed.label)),
    };
    let file = File::open(&seed.path).map_err(|e| {
        error::usage(format!(
            "cannot read {}: {}",
            seed.label,
            error::io_reason(&e, "file or directory")
        ))
    })?;
    let mut writer = client.copy_in(copy).map_err(db_failure)?;
    let mut lines = crate::seed_csv::CopySafe::reading(io::BufReader::with_capacity(CHUNK, file));
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match lines.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow!("reading {}: {e}", seed.label)),
        };
        if let Err(e) = writer.write_all(&buf[..n]) {
            // The server gave up on the COPY part way; its reason is inside.
            return Err(
                match e
                    .into_inner()
                    .map(|inner| inner.downcast::<postgres::Error>())
                {
                    Some(Ok(err)) => db_failure(*err),
                    Some(Err(other)) => anyhow!("loading {}: {other}", seed.label),
                    None => anyhow!("loading {} into {table} failed", seed.label),
                },
            );
        }
        progress.add(lines.take_read());
    }
    writer.finish().map_err(db_failure)
}
