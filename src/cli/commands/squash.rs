//! `ferry squash --through V`: the migrations through V replaced by one baseline migration
//! (`NNN_baseline.up.sql`, marked `-- ferry:baseline`), written from their replay on the
//! shadow and proved there before any file changes (`shadow::squash`). The files it
//! replaces move to `squashed/` in the migrations directory, which ferry does not read
//! (or are deleted, `--delete`). What a baseline means to the other commands is the
//! plan's: a new database runs it, one whose history reaches V counts it as applied
//! (nothing is written for it), one in between is refused.

use std::path::{Path, PathBuf};

use super::ctx::Ctx;
use crate::cli::args::SquashArgs;
use crate::cli::config::Targets;
use crate::cli::interrupt;
use crate::error;
use crate::migration::SQUASHED_DIR;
use crate::shadow::{self, squash};
use crate::source::markers;

pub(crate) fn run(ctx: &Ctx, args: SquashArgs) -> anyhow::Result<()> {
    if let Some(Targets::Schemas { .. }) = ctx.config.fleet.as_ref().map(|f| &f.targets) {
        return Err(error::usage(
            "squash writes schema-qualified SQL, and a schema-per-tenant fleet's migrations run \
             in each tenant's schema: leave out --schemas (squash reads no database)",
        ));
    }
    let v = args.through;
    let (migrations, repeatables) = ctx.load()?;
    let Some(replaced) = migrations.iter().find(|m| m.version == v) else {
        return Err(error::of(
            error::Kind::NoSuchVersion,
            format!(
                "--through {v}: no migration file has version {v}; `ferry status` lists the \
                 versions there are"
            ),
        ));
    };
    let through: Vec<&crate::migration::Migration> =
        migrations.iter().filter(|m| m.version <= v).collect();
    if let [only] = through.as_slice() {
        if only.baseline.is_some() {
            return Err(error::usage(format!(
                "{} is already the baseline of every version through {v}: nothing to squash",
                only.up.label
            )));
        }
    }
    if let Some(template) = through.iter().find(|m| markers::is_template(&m.up.text)) {
        return Err(error::usage(format!(
            "{} is a template (`-- {}`): a baseline would hold one rendering of it for every \
             target; squash through a version before it",
            template.up.label,
            markers::TEMPLATE_DIRECTIVE
        )));
    }
    let dir = ctx.config.migrations_dir.clone();
    let file_name = baseline_name(&replaced.up.path, v);
    let moves = moves(&dir, &through, args.delete)?;

    let header = format!(
        "-- The baseline of the {} migration(s) through version {v}, {} to {},\n\
         -- written by `ferry squash` and proved on the shadow: on an empty database it\n\
         -- gives what they give. A database whose history reaches {v} counts it as\n\
         -- applied without running it. The files it replaced: {SQUASHED_DIR}/.\n",
        through.len(),
        file_of(&through[0].up.path),
        file_of(&replaced.up.path),
    );
    let extensions = shadow::binaries::extensions_of(&migrations);
    let (mut shadow, _on_quit) = super::schema::open_shadow(ctx, None, &extensions)?;
    let request = squash::Request {
        migrations: &migrations,
        repeatables: &repeatables,
        through: v,
        table: &ctx.config.table,
        keep_data: &args.keep_data,
        schema_only: args.schema_only,
        file_name: &file_name,
        header: &header,
        stop: interrupt::flag(),
    };
    let baseline = squash::squash(&mut shadow, &request, &ctx.events())?;
    let proved = format!(
        "proved on the shadow (PostgreSQL {}): {} objects, {} catalog entries{} the same as the \
         migrations through {v} give{}",
        shadow.major,
        baseline.objects,
        baseline.inventory,
        if baseline.tables > 0 {
            format!(", {} row(s) of {} table(s)", baseline.rows, baseline.tables)
        } else {
            String::new()
        },
        match baseline.after {
            0 => String::new(),
            n => format!(", and the {n} migration(s) after {v} run on it to what all of them give"),
        }
    );
    if args.dry_run {
        ctx.report.result(baseline.text.trim_end());
        ctx.report.info(&format!(
            "{file_name}: {proved}; nothing written (--dry-run)"
        ));
        return Ok(());
    }
    apply(&dir, &file_name, &baseline.text, &moves, args.delete)?;
    ctx.report.info(&format!(
        "wrote {}: the baseline of {} migration(s), {proved}",
        dir.join(&file_name).display(),
        through.len()
    ));
    ctx.report.info(&if args.delete {
        format!("deleted the {} file(s) it replaced", moves.len())
    } else {
        format!(
            "moved the {} file(s) it replaced to {} (ferry does not read it)",
            moves.len(),
            dir.join(SQUASHED_DIR).display()
        )
    });
    ctx.report.info(&format!(
        "a new database runs the baseline, then the rest; one whose history reaches {v} counts \
         it as applied without running it"
    ));
    Ok(())
}

/// `0042_baseline.up.sql` for `0042_add_x.up.sql` (its digits; `.sql` for a single file).
fn baseline_name(replaced: &Path, v: i64) -> String {
    let file = file_of(replaced);
    let width = crate::source::files::version_of(&file).map_or(0, |(_, width)| width);
    let suffix = if file.ends_with(".up.sql") {
        ".up.sql"
    } else {
        ".sql"
    };
    format!("{v:0width$}_baseline{suffix}")
}

fn file_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Each file the baseline replaces (up, down, and data tests of those versions) with
/// where it goes; refuses, before anything is written, a destination already taken.
fn moves(
    dir: &Path,
    through: &[&crate::migration::Migration],
    delete: bool,
) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
    let squashed = dir.join(SQUASHED_DIR);
    let mut files: Vec<PathBuf> = Vec::new();
    for m in through {
        files.push(m.up.path.clone());
        if let Some(down) = &m.down {
            if down.path != m.up.path {
                files.push(down.path.clone());
            }
        }
    }
    let newest = through.last().map_or(i64::MIN, |m| m.version);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if crate::source::datatest::is_test_file(&name)
                && crate::source::files::version_of(&name).is_some_and(|(v, _)| v <= newest)
            {
                files.push(entry.path());
            }
        }
    }
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let to = squashed.join(file_of(&file));
        if !delete && to.exists() {
            return Err(error::usage(format!(
                "{} already exists: move it away first (an earlier squash's files?); nothing \
                 was changed",
                to.display()
            )));
        }
        out.push((file, to));
    }
    Ok(out)
}

/// Writes the baseline through a temporary file, moves (or deletes) the files it
/// replaces, then puts the baseline in place.
fn apply(
    dir: &Path,
    file_name: &str,
    text: &str,
    moves: &[(PathBuf, PathBuf)],
    delete: bool,
) -> anyhow::Result<()> {
    let cannot = |what: &Path, e: std::io::Error| {
        error::usage(format!(
            "could not write {}: {}",
            what.display(),
            error::io_reason(&e, "directory")
        ))
    };
    let temp = dir.join(format!(".{file_name}.ferry-{}", std::process::id()));
    std::fs::write(&temp, text).map_err(|e| cannot(&temp, e))?;
    if !delete {
        let squashed = dir.join(SQUASHED_DIR);
        std::fs::create_dir_all(&squashed).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            cannot(&squashed, e)
        })?;
    }
    for (from, to) in moves {
        let done = if delete {
            std::fs::remove_file(from)
        } else {
            std::fs::rename(from, to)
        };
        done.map_err(|e| {
            error::usage(format!(
                "could not move {}: {}; the baseline is in {} and the files moved so far are \
                 in {SQUASHED_DIR}/: finish by hand",
                from.display(),
                error::io_reason(&e, "file"),
                temp.display()
            ))
        })?;
    }
    let path = dir.join(file_name);
    std::fs::rename(&temp, &path).map_err(|e| cannot(&path, e))
}
