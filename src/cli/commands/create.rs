//! `ferry create NAME`: the next migration's files. The version continues what the
//! directory already does — sequential numbers at its width, or timestamps when its
//! versions are timestamps — and nothing is ever overwritten.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use heck::ToSnakeCase;

use super::ctx::Ctx;
use crate::cli::args::CreateArgs;
use crate::error;
use crate::source::files;

const DEFAULT_DIGITS: usize = 6;
/// A version this long is a timestamp (YYYYMMDDHHMM or longer), not a counter.
const TIMESTAMP_DIGITS: usize = 12;

pub(crate) fn run(ctx: &Ctx, args: CreateArgs) -> anyhow::Result<()> {
    if args.ext != "sql" {
        return Err(error::usage(format!(
            "ferry migrations are .sql files; `--ext {}` is not supported",
            args.ext
        )));
    }
    let name = args.name.to_snake_case();
    if name.is_empty() {
        return Err(error::usage(format!(
            "`{}` has no letters or digits to name a migration with; try `ferry create add_users_table`",
            args.name
        )));
    }
    let dir = &ctx.config.migrations_dir;
    if !dir.exists() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        ctx.report.info(&format!("created {}", dir.display()));
    }
    let existing = existing_versions(dir)?;
    let version = next_version(&existing, &args, utc_timestamp());
    let paths: Vec<PathBuf> = if args.single {
        vec![dir.join(format!("{version}_{name}.sql"))]
    } else {
        ["up", "down"]
            .iter()
            .map(|d| dir.join(format!("{version}_{name}.{d}.sql")))
            .collect()
    };
    // Check every path first, so a clash never leaves half a migration behind.
    if let Some(taken) = paths.iter().find(|p| p.exists()) {
        return Err(already_exists(taken));
    }
    for path in &paths {
        write_new(path, &name)?;
    }
    for path in &paths {
        ctx.report.result(&path.display().to_string());
    }
    Ok(())
}

/// (version, digit width) of every migration file name in the directory; names only, so
/// a file with problems still counts and its version is never reused.
fn existing_versions(dir: &Path) -> anyhow::Result<Vec<(u64, usize)>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    Ok(entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let (version, width) = files::version_of(entry.file_name().to_str()?)?;
            Some((u64::try_from(version).ok()?, width))
        })
        .collect())
}

/// The new version, already zero-padded.
fn next_version(existing: &[(u64, usize)], args: &CreateArgs, now: String) -> String {
    let last = existing.iter().max_by_key(|(v, _)| *v).copied();
    let timestamps = last.is_some_and(|(_, width)| width >= TIMESTAMP_DIGITS);
    if args.timestamp || (timestamps && !args.seq) {
        // Two creates within a second, or a clock behind the newest file, still move forward.
        let now_value: u64 = now.parse().unwrap_or(0);
        return match last {
            Some((v, _)) if v >= now_value => (v + 1).to_string(),
            _ => now,
        };
    }
    let width = args
        .digits
        .map(usize::from)
        .or(last.map(|(_, w)| w))
        .unwrap_or(DEFAULT_DIGITS);
    let next = last.map_or(1, |(v, _)| v + 1);
    format!("{next:0width$}")
}

/// The current UTC time as YYYYMMDDHHMMSS.
fn utc_timestamp() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

fn write_new(path: &Path, name: &str) -> anyhow::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => already_exists(path),
            _ => anyhow::Error::new(e).context(format!("creating {}", path.display())),
        })?;
    writeln!(file, "-- {name}").with_context(|| format!("writing {}", path.display()))
}

fn already_exists(path: &Path) -> anyhow::Error {
    error::usage(format!(
        "{} already exists; ferry never overwrites a migration: pick another name",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(timestamp: bool, seq: bool, digits: Option<u8>) -> CreateArgs {
        CreateArgs {
            name: "x".into(),
            timestamp,
            seq,
            digits,
            single: false,
            ext: "sql".into(),
        }
    }

    const NOW: &str = "20261121123450";

    #[test]
    fn empty_directory_starts_at_six_digits() {
        assert_eq!(
            next_version(&[], &args(false, false, None), NOW.into()),
            "000001"
        );
        assert_eq!(
            next_version(&[], &args(false, false, Some(3)), NOW.into()),
            "001"
        );
    }

    #[test]
    fn sequential_keeps_the_directory_width() {
        assert_eq!(
            next_version(&[(1, 3), (2, 3)], &args(false, false, None), NOW.into()),
            "003"
        );
        assert_eq!(
            next_version(&[(9, 6)], &args(false, false, None), NOW.into()),
            "000010"
        );
    }

    #[test]
    fn timestamps_continue_timestamps() {
        let existing = [(20250214093000, 14)];
        assert_eq!(
            next_version(&existing, &args(false, false, None), NOW.into()),
            NOW
        );
        assert_eq!(
            next_version(&existing, &args(false, true, None), NOW.into()),
            "20250214093001"
        );
        let future = [(20991231000000, 14)];
        assert_eq!(
            next_version(&future, &args(false, false, None), NOW.into()),
            "20991231000001"
        );
    }

    #[test]
    fn timestamp_flag_wins_in_a_sequential_directory() {
        assert_eq!(
            next_version(&[(3, 6)], &args(true, false, None), NOW.into()),
            NOW
        );
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("000001_x.up.sql");
        std::fs::write(&path, "keep me").unwrap();
        let err = write_new(&path, "x").unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(err.to_string().contains("never overwrites"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    }

    #[test]
    fn utc_timestamp_has_fourteen_digits() {
        assert_eq!(utc_timestamp().len(), 14);
    }
}
