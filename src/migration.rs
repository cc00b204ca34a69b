//! What a migration is, as data every layer shares: a version's scripts ([`Migration`],
//! [`Script`], with their checksums), a repeatable migration, a problem with a file, what
//! planning knows of a migration file ([`Known`]), which way a history row went
//! ([`Direction`]), and a history row ([`HistoryRow`]). No I/O and no decisions here:
//! those are `source` (reading files) and `plan` (what is applied, pending, due).

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::sql::classify::NonTransactional;
use crate::sql::split::Statement;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
    /// Everything up to this version was applied before ferry kept history.
    Baseline,
    /// `ferry force`: the user says the database is at this version.
    Force,
    /// `ferry repair`: an applied file was edited on purpose; the row holds its new checksum.
    Repair,
    /// A repeatable migration (`R__name.sql`) ran; the row's name is its name, its version -1.
    Repeatable,
    /// A migration without a transaction stopped part way; the row's note says which of its
    /// statements ran, for whoever recovers the dirty database.
    Failed,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Baseline => "baseline",
            Direction::Force => "force",
            Direction::Repair => "repair",
            Direction::Repeatable => "repeatable",
            Direction::Failed => "failed",
        }
    }

    /// A history row's direction column; anything unknown reads as a baseline.
    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "up" => Direction::Up,
            "down" => Direction::Down,
            "force" => Direction::Force,
            "repair" => Direction::Repair,
            "repeatable" => Direction::Repeatable,
            "failed" => Direction::Failed,
            _ => Direction::Baseline,
        }
    }
}

/// One row of `<table>_history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryRow {
    pub version: i64,
    pub name: String,
    pub direction: Direction,
    pub checksum: Option<String>,
    /// ISO 8601, UTC.
    pub started_at: String,
    pub duration_ms: Option<i64>,
    /// What a `failed` row says ran.
    pub note: Option<String>,
}

/// What planning needs to know about one migration file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<'a> {
    pub version: i64,
    pub name: &'a str,
    /// The up file's path, as shown in messages.
    pub label: &'a str,
    pub checksum: &'a str,
    /// The raw bytes' checksum, for history rows from before the tagged one (see
    /// [`crate::migration::same_file`]).
    pub checksum_raw: &'a str,
    pub has_down: bool,
    /// The down marker of the tool whose markers the file uses, if a single file does.
    pub down_marker: Option<&'static str>,
    /// A baseline (`ferry squash`): it stands for every version up to its own. Holds the
    /// checksum of the file it replaced at its version (empty: any).
    pub baseline: Option<&'a str>,
}

impl Known<'_> {
    /// Whether `recorded`, a history row's checksum for this version, is this file's: its
    /// own, or for a baseline the one of the file it replaced.
    pub(crate) fn matches(&self, recorded: &str) -> bool {
        same_file(recorded, self.checksum, self.checksum_raw)
            || self
                .baseline
                .is_some_and(|replaced| replaced.is_empty() || replaced == recorded)
    }

    /// How to give this migration a down, in its own file form: the `.down.sql` beside a
    /// pair's up file, the down marker of the tool a single file is written for, or
    /// dbmate's markers for a plain single file.
    pub(crate) fn down_hint(&self) -> String {
        if self.baseline.is_some() {
            return format!(
                "it is the baseline of every version through {}: roll back further from a \
                 checkout from before the squash",
                self.version
            );
        }
        let file = self.label.rsplit('/').next().unwrap_or(self.label);
        match (file.strip_suffix(".up.sql"), self.down_marker) {
            (Some(stem), _) => format!("add {stem}.down.sql"),
            (None, Some(marker)) => format!("add a `{marker}` section"),
            (None, None) => {
                "add `-- migrate:up` as its first line and a `-- migrate:down` section".to_string()
            }
        }
    }
}

/// One version: its up script and, if it can be rolled back, its down script.
#[derive(Debug, Clone)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: String,
    pub up: Script,
    pub down: Option<Script>,
    /// The down marker of the tool whose markers a single file uses (`-- +goose Down`):
    /// what the refusal to roll back without a down suggests adding.
    pub down_marker: Option<&'static str>,
    /// `-- ferry:baseline`: the migration stands for every version up to its own (see
    /// [`Known::baseline`]).
    pub baseline: Option<String>,
}

impl Migration {
    pub(crate) fn known(&self) -> Known<'_> {
        Known {
            version: self.version,
            name: &self.name,
            label: &self.up.label,
            checksum: &self.up.checksum,
            checksum_raw: &self.up.checksum_raw,
            has_down: self.down.is_some(),
            down_marker: self.down_marker,
            baseline: self.baseline.as_deref(),
        }
    }
}

/// The SQL of one direction of a migration, and where it lives.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub path: PathBuf,
    /// The path as shown in messages.
    pub label: String,
    /// The whole file; positions below are byte offsets into it.
    pub text: Arc<str>,
    /// Statements to run, in order (a self-wrapping BEGIN … COMMIT is left out).
    pub statements: Vec<Statement>,
    pub no_transaction: bool,
    /// Why a file without the directive runs outside a transaction: its only statement
    /// is one PostgreSQL refuses inside one (golang-migrate sends such a file as a single
    /// statement, which is never wrapped), e.g. "CREATE INDEX CONCURRENTLY".
    pub alone_outside_transaction: Option<NonTransactional>,
    /// The line of the first top-level BEGIN, COMMIT or ROLLBACK of a file that manages its
    /// own transactions (golang-migrate's files may): it runs as golang-migrate runs it, as
    /// one message without ferry's transaction, under the dirty flag.
    pub own_transactions: Option<usize>,
    /// A statement changes `standard_conforming_strings`, so the statements after it are
    /// read differently: the script is sent one statement at a time.
    pub sets_string_syntax: bool,
    /// A statement may change a session setting (`SET search_path`, …): the session's
    /// settings are put back after the script runs.
    pub changes_session: bool,
    /// `-- ferry:lock-timeout D`: how long this script may wait for a lock.
    pub lock_timeout: Option<std::time::Duration>,
    /// What the history records: sha256 of the file with line endings made LF and a
    /// leading byte-order mark left out, tagged with that algorithm
    /// ([`LINE_ENDING_PROOF`]), so that a Windows checkout's CRLF re-save of an applied
    /// file is still the same file.
    pub checksum: String,
    /// The file's own bytes' sha256, hex: what rows written before [`checksum`](Self::checksum)
    /// was tagged hold.
    pub checksum_raw: String,
}

/// A repeatable migration: `R__name.sql` (Flyway's convention) — a view, a function, a
/// grant written once and edited in place. Applied after the versioned migrations, in name
/// order, whenever its checksum differs from the one it last ran with; `down` leaves it
/// alone. Always in a transaction of its own.
#[derive(Debug, Clone)]
pub(crate) struct Repeatable {
    /// What follows `R__`, without `.sql`: the name the history records.
    pub name: String,
    pub script: Script,
}

/// The folder `ferry squash` moves the files a baseline replaced to, inside the migrations
/// directory: loading neither reads it nor warns about it.
pub(crate) const SQUASHED_DIR: &str = "squashed";

/// The prefix of a repeatable migration's file name.
pub(crate) const REPEATABLE_PREFIX: &str = "R__";

/// The tag of the line-ending-proof checksum: `sha256-lf:<hex>`.
pub(crate) const LINE_ENDING_PROOF: &str = "sha256-lf:";

/// Whether a checksum the history recorded is this file's: the tagged form, or an untagged
/// row from an earlier ferry (the raw bytes' hash, or — written from an LF file that is
/// now CRLF — the normalised text's).
pub(crate) fn same_file(recorded: &str, checksum: &str, checksum_raw: &str) -> bool {
    recorded == checksum
        || recorded == checksum_raw
        || checksum.strip_prefix(LINE_ENDING_PROOF) == Some(recorded)
}

/// The two checksums of a file's bytes (see [`Script::checksum`]); one hash when the file
/// has no CR and no byte-order mark, as most do.
pub(crate) fn checksums(bytes: &[u8]) -> (String, String) {
    let raw = format!("{:x}", Sha256::digest(bytes));
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if body.len() == bytes.len() && !bytes.contains(&b'\r') {
        return (format!("{LINE_ENDING_PROOF}{raw}"), raw);
    }
    let mut hasher = Sha256::new();
    let mut rest = body;
    while let Some(at) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..at]);
        rest = &rest[at + 1..];
    }
    hasher.update(rest);
    (format!("{LINE_ENDING_PROOF}{:x}", hasher.finalize()), raw)
}

impl Script {
    /// The SQL from the first statement to the end of the last, sent as one piece when
    /// the script runs inside a transaction.
    pub(crate) fn body(&self) -> Range<usize> {
        match (self.statements.first(), self.statements.last()) {
            (Some(first), Some(last)) => first.start..last.end,
            _ => 0..0,
        }
    }
}

/// A problem with one file (or several, for duplicates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}
