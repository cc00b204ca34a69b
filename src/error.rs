//! Typed errors that decide ferry's exit code.
//!
//! Everything else travels as `anyhow::Error` with context; a command that needs a
//! specific exit code wraps its message in [`Error`] with a [`Kind`], and `exit_code`
//! finds it anywhere in the chain. The codes are part of the contract (README, §6).

use std::fmt;

/// The exit code of a process ended by SIGINT, by shell convention.
pub(crate) const INTERRUPTED_EXIT_CODE: u8 = 130;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Bad flag, bad value, bad table name, missing directory: exit 2.
    Usage,
    /// A destructive command that was not confirmed: exit 2.
    Refused,
    /// The database is marked dirty: exit 3.
    Dirty,
    /// The migration lock was not acquired in time: exit 4.
    LockTimeout,
    /// Migration files (or files against the database) failed validation: exit 5.
    Invalid,
    /// Stopped by Ctrl-C between two migrations: exit 130.
    Interrupted,
    /// The database is at a version no file in the directory has: exit 5.
    CurrentFileMissing,
    /// Pending migrations older than the applied version, not allowed: exit 5.
    OutOfOrder,
    /// An applied version to roll back has no file: exit 1.
    AppliedFileMissing,
    /// A migration to roll back has no down: exit 1.
    NoDown,
    /// `goto` to a version no file has: exit 2.
    NoSuchVersion,
}

impl Kind {
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            Kind::AppliedFileMissing | Kind::NoDown => 1,
            Kind::Usage | Kind::Refused | Kind::NoSuchVersion => 2,
            Kind::Dirty => 3,
            Kind::LockTimeout => 4,
            Kind::Invalid | Kind::CurrentFileMissing | Kind::OutOfOrder => 5,
            Kind::Interrupted => INTERRUPTED_EXIT_CODE,
        }
    }
}

/// An error whose kind decides the exit code. The message is complete on its own; the
/// detail carries the same facts as data, for the library's typed errors.
#[derive(Debug)]
pub(crate) struct Error {
    pub kind: Kind,
    pub message: String,
    pub detail: Detail,
}

/// What an error is about, as data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Detail {
    #[default]
    None,
    /// The version row is dirty at this version (none: golang-migrate's -1).
    Dirty { version: Option<i64> },
    /// The migration lock is held by this session (pid, application, user, since).
    LockHeld { holder: String },
    /// Each problem found, one line each.
    Problems(Vec<String>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// An error of `kind`: what happened decides the exit code, in [`Kind::exit_code`].
pub(crate) fn of(kind: Kind, message: impl Into<String>) -> anyhow::Error {
    with_detail(kind, message, Detail::None)
}

fn with_detail(kind: Kind, message: impl Into<String>, detail: Detail) -> anyhow::Error {
    anyhow::Error::new(Error {
        kind,
        message: message.into(),
        detail,
    })
}

/// A dirty database (exit 3), at `version`.
pub(crate) fn dirty_at(version: Option<i64>, message: impl Into<String>) -> anyhow::Error {
    with_detail(Kind::Dirty, message, Detail::Dirty { version })
}

/// The lock was not had in time (exit 4); `holder` has it.
pub(crate) fn lock_held(holder: &str, message: impl Into<String>) -> anyhow::Error {
    with_detail(
        Kind::LockTimeout,
        message,
        Detail::LockHeld {
            holder: holder.to_string(),
        },
    )
}

/// Validation failed (exit 5) on each of `problems`.
pub(crate) fn problems(problems: Vec<String>, message: impl Into<String>) -> anyhow::Error {
    with_detail(Kind::Invalid, message, Detail::Problems(problems))
}

pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    of(Kind::Usage, message)
}

pub(crate) fn refused(message: impl Into<String>) -> anyhow::Error {
    of(Kind::Refused, message)
}

pub(crate) fn invalid(message: impl Into<String>) -> anyhow::Error {
    of(Kind::Invalid, message)
}

/// An error that exits with `code`, as one of the kinds above would (a fleet's, made
/// of its targets').
pub(crate) fn with_code(code: u8, message: impl Into<String>) -> anyhow::Error {
    match code {
        2 => of(Kind::Usage, message),
        3 => of(Kind::Dirty, message),
        4 => of(Kind::LockTimeout, message),
        5 => of(Kind::Invalid, message),
        c if c == INTERRUPTED_EXIT_CODE => of(Kind::Interrupted, message),
        _ => anyhow::anyhow!(message.into()),
    }
}

pub(crate) fn interrupted(message: impl Into<String>) -> anyhow::Error {
    of(Kind::Interrupted, message)
}

/// Why a file (or directory: `what` names which) could not be read, in a few words:
/// "no such file", "permission denied", or the system's own words.
pub(crate) fn io_reason(e: &std::io::Error, what: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("no such {what}"),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The exit code for an error: the first typed [`Error`] in the chain decides, else 1.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .map_or(1, |e| e.kind.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn typed_error_decides_exit_code_even_under_context() {
        let err = Err::<(), _>(dirty_at(Some(3), "dirty at 3"))
            .context("running up")
            .unwrap_err();
        assert_eq!(exit_code(&err), 3);
    }

    #[test]
    fn untyped_error_exits_one() {
        assert_eq!(exit_code(&anyhow::anyhow!("boom")), 1);
    }

    #[test]
    fn each_kind_has_its_documented_code() {
        let codes: Vec<u8> = [
            Kind::Usage,
            Kind::Refused,
            Kind::Dirty,
            Kind::LockTimeout,
            Kind::Invalid,
        ]
        .iter()
        .map(|k| k.exit_code())
        .collect();
        assert_eq!(codes, [2, 2, 3, 4, 5]);
    }
}
