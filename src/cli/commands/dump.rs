//! `ferry dump [FILE]`: pg_dump of the database, plain SQL or pg_restore's custom archive.
//!
//! A half-written dump must never pass for a backup, so pg_dump writes into a temporary
//! file beside the target, created 0600 (a dump holds every row), and only a pg_dump that
//! succeeded gets it renamed into place. The bookkeeping tables travel with the schema
//! (also with `--schema-only`, whose rows would otherwise be lost), so a restore knows
//! which migrations it holds; `--data-only` leaves them out, because it is meant for a
//! database that is already migrated and has its own.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use indicatif::BinaryBytes;

use super::ctx::Ctx;
use crate::cli::args::{DumpArgs, DumpFormat};
use crate::cli::ui::progress::Progress;
use crate::conn::pgtools::{self, PgTool, Program, StderrTail};
use crate::error;

/// Where dumps go unless a FILE is given.
const BACKUPS: &str = "backups";

pub(crate) fn run(ctx: &Ctx, args: DumpArgs) -> anyhow::Result<()> {
    let custom = args.format == DumpFormat::Custom;
    let params = ctx.config.conn()?;
    let mut session = ctx.open()?;
    let tool = PgTool::find(
        Program::PgDump,
        &ctx.config.pg_tools,
        &session.info.server_version,
    )?;
    ctx.report.detail(&format!("using {tool}"));
    let relations = session.relations_to_dump()?;
    let database = session.info.database.clone();
    // The lease of --lock-mode transaction belongs to the running database, not its dumps.
    let lease = crate::db::lease::table(&session.tables);
    drop(session);

    let mut command = tool.command(params)?;
    crate::conn::child::dies_with_ferry(&mut command);
    command.args(pg_dump_args(&args, &relations));
    command.arg(format!("--exclude-table={lease}"));

    if args.file.as_deref() == Some(Path::new("-")) {
        let mut child = command
            .stdout(Stdio::inherit())
            .spawn()
            .context("starting pg_dump")?;
        let stderr = StderrTail::start(&mut child);
        let status = child.wait().context("waiting for pg_dump")?;
        return finish(ctx, &tool, status, stderr);
    }

    let path = match args.file {
        Some(path) => path,
        None => default_path(&database, SystemTime::now(), custom),
    };
    let partial = Partial::create(&path)?;
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::from(
            partial
                .file
                .try_clone()
                .context("preparing the dump file")?,
        ))
        .spawn()
        .context("starting pg_dump")?;
    let stderr = StderrTail::start(&mut child);
    let progress = Progress::bytes(&ctx.report, None);
    progress.start(&path.display().to_string());
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for pg_dump")? {
            break status;
        }
        progress.set(partial.len());
        std::thread::sleep(Duration::from_millis(50));
    };
    progress.finish();
    finish(ctx, &tool, status, stderr)?;
    let size = partial.len();
    partial.keep(&path)?;
    ctx.report.info(&format!(
        "dumped database \"{database}\" to {} ({}, {}) with {tool} in {:.1}s",
        path.display(),
        BinaryBytes(size),
        if custom { "custom format" } else { "plain SQL" },
        started.elapsed().as_secs_f64()
    ));
    // The path on stdout, for scripts: FILE=$(ferry dump).
    ctx.report.result(&path.display().to_string());
    Ok(())
}

/// pg_dump's arguments. The connection is in the environment; `-w` because libpq would
/// otherwise ask for a missing password on the terminal, behind ferry's back.
fn pg_dump_args(args: &DumpArgs, relations: &[(String, bool)]) -> Vec<String> {
    let mut out = vec![
        "--no-password".to_string(),
        format!(
            "--format={}",
            if args.format == DumpFormat::Custom {
                "custom"
            } else {
                "plain"
            }
        ),
    ];
    if args.schema_only {
        // The schema, plus the bookkeeping rows: pg_dump cannot combine --schema-only
        // with some tables' data, so everything else's data is excluded one by one.
        out.push("--no-blobs".to_string());
        for (pattern, bookkeeping) in relations {
            if !bookkeeping {
                out.push(format!("--exclude-table-data={pattern}"));
            }
        }
    } else if args.data_only {
        out.push("--data-only".to_string());
        for (pattern, bookkeeping) in relations {
            if *bookkeeping {
                out.push(format!("--exclude-table-data={pattern}"));
            }
        }
    }
    out
}

fn finish(ctx: &Ctx, tool: &PgTool, status: ExitStatus, stderr: StderrTail) -> anyhow::Result<()> {
    let said = stderr.finish();
    pgtools::check(tool, status, &said, ctx.config.password())
        .map_err(|e| e.context("the dump failed; no dump file was written"))?;
    if !said.is_empty() {
        ctx.report.warn(&format!("pg_dump said: {said}"));
    }
    Ok(())
}

/// `backups/<db>-<UTC time>.sql` (`.dump` for the custom format).
fn default_path(database: &str, now: SystemTime, custom: bool) -> PathBuf {
    let safe: String = database
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let extension = if custom { "dump" } else { "sql" };
    Path::new(BACKUPS).join(format!("{safe}-{}.{extension}", utc_stamp(now)))
}

/// `20250214T093000Z` for a moment (UTC): RFC 3339 without its separators.
fn utc_stamp(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time)
        .to_string()
        .replace(['-', ':'], "")
}

/// Removes the partial files of earlier dumps to the same name whose ferry is gone (killed
/// outright, or its machine restarted): `.<name>.partial-<pid>` with no process `pid`.
fn remove_stale_partials(dir: &Path, name: &str) {
    let prefix = format!(".{name}.partial-");
    // Whether a process is alive is read from /proc: without it, nothing is removed.
    let Ok(entries) = fs::read_dir(dir).and_then(|e| fs::metadata("/proc/self").map(|_| e)) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The temporary file a dump is written into: `.<name>.partial-<pid>` beside the target,
/// mode 0600, removed unless [`keep`](Partial::keep) renames it into place.
struct Partial {
    path: PathBuf,
    file: File,
    kept: bool,
    /// Removes the file if ferry quits at once (a second Ctrl-C, SIGTERM outside a
    /// migration), when no destructor runs.
    _on_quit: crate::cli::interrupt::OnQuit,
}

impl Partial {
    fn create(target: &Path) -> anyhow::Result<Partial> {
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                error::usage(format!(
                    "{} is not a file name to dump to; give a path like backups/app.sql",
                    target.display()
                ))
            })?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.exists() {
            create_private_dir(&dir)
                .with_context(|| format!("creating the directory {}", dir.display()))?;
        }
        if target.is_dir() {
            return Err(error::usage(format!(
                "{} is a directory; give a file name to dump to",
                target.display()
            )));
        }
        remove_stale_partials(&dir, name);
        let path = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        let removed = path.clone();
        Ok(Partial {
            path,
            file,
            kept: false,
            _on_quit: crate::cli::interrupt::on_quit(move || {
                let _ = fs::remove_file(&removed);
            }),
        })
    }

    fn len(&self) -> u64 {
        self.file.metadata().map_or(0, |m| m.len())
    }

    /// Makes the dump durable, then renames it to `target` (replacing an older file).
    fn keep(mut self, target: &Path) -> anyhow::Result<()> {
        self.file
            .sync_all()
            .with_context(|| format!("writing {}", self.path.display()))?;
        fs::rename(&self.path, target)
            .with_context(|| format!("renaming the finished dump to {}", target.display()))?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A directory only its owner can enter: dumps in it hold every row of the database.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump_args(format: DumpFormat, schema_only: bool, data_only: bool) -> DumpArgs {
        DumpArgs {
            file: None,
            format,
            schema_only,
            data_only,
        }
    }

    #[test]
    fn utc_stamps_are_calendar_correct() {
        let at = |secs| std::time::UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(utc_stamp(at(0)), "19700101T000000Z");
        assert_eq!(utc_stamp(at(951_782_400)), "20000229T000000Z");
        assert_eq!(utc_stamp(at(1_739_525_400)), "20250214T093000Z");
    }

    #[test]
    fn default_names_land_in_backups_and_name_the_database() {
        let at = std::time::UNIX_EPOCH + Duration::from_secs(1_739_525_400);
        assert_eq!(
            default_path("shop", at, false),
            Path::new("backups/shop-20250214T093000Z.sql")
        );
        assert_eq!(
            default_path("a/b c", at, true),
            Path::new("backups/a_b_c-20250214T093000Z.dump")
        );
    }

    #[test]
    fn schema_only_keeps_the_bookkeeping_rows_and_data_only_drops_them() {
        let relations = vec![
            ("\"public\".\"users\"".to_string(), false),
            ("\"public\".\"schema_migrations\"".to_string(), true),
        ];
        let schema = pg_dump_args(&dump_args(DumpFormat::Plain, true, false), &relations);
        assert!(schema.contains(&"--exclude-table-data=\"public\".\"users\"".to_string()));
        assert!(!schema.iter().any(|a| a.contains("schema_migrations")));
        assert!(!schema.contains(&"--schema-only".to_string()));
        let data = pg_dump_args(&dump_args(DumpFormat::Custom, false, true), &relations);
        assert!(data.contains(&"--data-only".to_string()));
        assert!(data.contains(&"--format=custom".to_string()));
        assert!(data.contains(&"--exclude-table-data=\"public\".\"schema_migrations\"".to_string()));
        let full = pg_dump_args(&dump_args(DumpFormat::Plain, false, false), &relations);
        assert_eq!(full, ["--no-password", "--format=plain"]);
    }
}
