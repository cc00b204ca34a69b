//! `ferry restore FILE`: load a dump, all or nothing.
//!
//! The file's first bytes say what it is: a pg_dump archive (custom or tar) goes to
//! pg_restore, anything else is SQL for psql with `ON_ERROR_STOP`. Both run the whole
//! dump as one transaction unless `--no-transaction`, so a dump that fails half way
//! changes nothing. ferry reads the file and feeds it to the child's stdin, which is how
//! it can show progress as the part of the file read so far, and it holds the migration
//! lock meanwhile so no `up` runs into a half-restored schema. A plain dump runs nothing but
//! SQL (see `conn::sql_only`).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

use anyhow::Context;
use indicatif::BinaryBytes;

use super::ctx::Ctx;
use crate::cli::args::RestoreArgs;
use crate::cli::ui::progress::Progress;
use crate::cli::ui::prompt;
use crate::conn::pgtools::{self, PgTool, Program, StderrTail};
use crate::conn::sql_only::{self, SqlOnly};
use crate::conn::ConnParams;
use crate::db::Session;
use crate::engine::describe;
use crate::error;

/// What a dump file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DumpKind {
    /// SQL text, as `pg_dump --format plain` writes it.
    Plain,
    /// pg_dump's custom (`PGDMP`) or tar archive.
    Archive,
}

impl DumpKind {
    fn sniff(head: &[u8]) -> DumpKind {
        let tar = head.get(257..262) == Some(b"ustar");
        if head.starts_with(b"PGDMP") || tar {
            DumpKind::Archive
        } else {
            DumpKind::Plain
        }
    }

    fn describe(self) -> &'static str {
        match self {
            DumpKind::Plain => "plain SQL",
            DumpKind::Archive => "pg_dump archive",
        }
    }
}

pub(crate) fn run(ctx: &Ctx, args: RestoreArgs) -> anyhow::Result<()> {
    let label = args.file.display().to_string();
    let (file, size, kind) = open(&args.file)?;
    let params = ctx.config.conn()?;
    prompt::confirm(
        &format!(
            "restore {label} ({}, {}) into database \"{}\" at {}",
            kind.describe(),
            BinaryBytes(size),
            params.dbname,
            params.target()
        ),
        args.yes,
    )?;

    let mut session = ctx.open()?;
    let tool = find_tool(ctx, &session, kind)?;
    ctx.lock(&mut session)?;
    let had_relations = session.has_relations()?;
    let command = restore_command(&tool, params, kind, args.no_transaction)?;
    let started = Instant::now();
    let (fed, status, said) = feed(ctx, command, &tool, file, (&label, size, kind), &args)?;
    let outcome = if args.no_transaction {
        "stopped at an error (what ran before it stays in the database)"
    } else {
        "failed and was rolled back (the database is unchanged)"
    };
    // A file that could not be read to the end got its reader killed: that, not the
    // signal, is the reason to show.
    fed.map_err(|e| match e.downcast_ref::<sql_only::Refused>() {
        Some(refused) => anyhow::anyhow!(
            "restoring {label} was stopped before anything of it was committed (the database is \
             unchanged): {label}: {refused}"
        ),
        None => e.context(format!("restoring {label} {outcome}: cannot read {label}")),
    })?;
    // The usual cause of a failed restore: a database that already holds what the dump
    // creates.
    let hint = if had_relations {
        format!(
            "; the database was not empty: restore into a new database, or empty this one \
             first with `ferry drop --yes` (it drops everything in \"{}\")",
            params.dbname
        )
    } else {
        String::new()
    };
    pgtools::check(&tool, status, &said, ctx.config.password())
        .map_err(|e| e.context(format!("restoring {label} {outcome}{hint}")))?;
    if !said.is_empty() {
        ctx.report
            .warn(&format!("{} said: {said}", tool.tool.name()));
    }
    session.unlock()?;
    drop(session);
    let restored = format!(
        "restored {label} ({}, {}) with {tool} in {:.1}s",
        kind.describe(),
        BinaryBytes(size),
        started.elapsed().as_secs_f64(),
    );
    report_restored(ctx, &restored)
}

/// psql for a plain dump, pg_restore for an archive; a psql that cannot be kept to SQL is
/// refused.
fn find_tool(ctx: &Ctx, session: &Session<'_>, kind: DumpKind) -> anyhow::Result<PgTool> {
    let tool = PgTool::find(
        match kind {
            DumpKind::Plain => Program::Psql,
            DumpKind::Archive => Program::PgRestore,
        },
        &ctx.config.pg_tools,
        &session.info.server_version,
    )?;
    ctx.report.detail(&format!("using {tool}"));
    if kind == DumpKind::Plain && !sql_only::psql_restricts(&tool.version) {
        return Err(anyhow::anyhow!(
            "{tool} cannot be kept to SQL: a dump may hold psql commands that run programs or \
             write files, and psql refuses them only in its restricted mode (`\\restrict`, in \
             psql 13.22, 14.19, 15.14, 16.10, 17.6, 18 and later); install a newer psql, or \
             point PG_BINDIR at one"
        ));
    }
    Ok(tool)
}

/// The tool's command line: stopping at the first error, in one transaction unless told
/// otherwise, a plain dump restricted to SQL and read from stdin.
fn restore_command(
    tool: &PgTool,
    params: &ConnParams,
    kind: DumpKind,
    no_transaction: bool,
) -> anyhow::Result<Command> {
    let mut command = tool.command(params)?;
    crate::conn::child::dies_with_ferry(&mut command);
    match kind {
        // -X: a user's ~/.psqlrc has no place in a restore. -f - reads stdin, and makes
        // --single-transaction apply to it.
        DumpKind::Plain => command.args(["-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"]),
        // -d "": connect (to PGDATABASE) rather than print the SQL.
        DumpKind::Archive => command.args(["--no-password", "--exit-on-error", "-d", ""]),
    };
    if !no_transaction {
        command.arg("--single-transaction");
    }
    if kind == DumpKind::Plain {
        // Restricted with a key the file cannot know, before the file's first line.
        command
            .arg("-c")
            .arg(format!("\\restrict {}", sql_only::restrict_key()))
            .args(["-f", "-"]);
    }
    Ok(command)
}

/// Runs the tool with the dump on its stdin (a plain one through the SQL-only filter),
/// showing progress: whether the whole file went in, how the tool exited, what it said.
fn feed(
    ctx: &Ctx,
    mut command: Command,
    tool: &PgTool,
    file: File,
    (label, size, kind): (&str, u64, DumpKind),
    args: &RestoreArgs,
) -> anyhow::Result<(anyhow::Result<u64>, ExitStatus, String)> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", tool.tool.name()))?;
    let stderr = StderrTail::start(&mut child);
    let progress = Progress::bytes(&ctx.report, Some(size));
    progress.start(label);
    let fed = match kind {
        DumpKind::Plain => pgtools::feed(
            &mut child,
            SqlOnly::reading(BufReader::new(file), !args.no_transaction),
            &|n| progress.add(n),
        ),
        DumpKind::Archive => pgtools::feed(&mut child, file, &|n| progress.add(n)),
    };
    let status = child
        .wait()
        .with_context(|| format!("waiting for {}", tool.tool.name()))?;
    progress.finish();
    let said = stderr
        .finish()
        .replace("psql:<stdin>:", &format!("{label}:"));
    Ok((fed, status, said))
}

/// What the dump brought, read afresh (its bookkeeping tables may be new): the version
/// the database is at now.
fn report_restored(ctx: &Ctx, restored: &str) -> anyhow::Result<()> {
    let mut session = ctx.open()?;
    match session.snapshot() {
        Ok(snapshot) => ctx.report.info(&format!(
            "{restored}; the database is at {}{}",
            describe(snapshot.version),
            if snapshot.dirty { " (dirty)" } else { "" }
        )),
        // A dump of a database another tool migrated: restored all the same, and the way
        // on is said.
        Err(e) if error::exit_code(&e) == 2 => {
            ctx.report.info(restored);
            ctx.report.warn(&format!("{e:#}"));
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// The dump file, its size and kind; every way it can be unusable is a usage error that
/// names it.
fn open(path: &Path) -> anyhow::Result<(File, u64, DumpKind)> {
    let shown = path.display();
    let unusable = |why: String| {
        error::usage(format!(
            "cannot restore {shown}: {why}; give the path of a dump made by `ferry dump` or pg_dump"
        ))
    };
    let file = File::open(path).map_err(|e| unusable(error::io_reason(&e, "file")))?;
    let meta = file
        .metadata()
        .map_err(|e| unusable(error::io_reason(&e, "file")))?;
    if meta.is_dir() {
        return Err(unusable(
            "it is a directory (pg_dump's directory format is not supported)".to_string(),
        ));
    }
    let mut head = Vec::with_capacity(512);
    (&file)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| unusable(error::io_reason(&e, "file")))?;
    if head.is_empty() {
        return Err(unusable("the file is empty".to_string()));
    }
    let file = File::open(path).map_err(|e| unusable(error::io_reason(&e, "file")))?;
    Ok((file, meta.len(), DumpKind::sniff(&head)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_told_from_sql_by_their_first_bytes() {
        assert_eq!(DumpKind::sniff(b"PGDMP\x01\x0e\x00"), DumpKind::Archive);
        assert_eq!(
            DumpKind::sniff(b"--\n-- PostgreSQL database dump\n"),
            DumpKind::Plain
        );
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(DumpKind::sniff(&tar), DumpKind::Archive);
    }
}
