//! What a migration is, as data every layer shares: what planning knows of a migration
//! file ([`Known`]), which way a history row went ([`Direction`]), and a history row
//! ([`HistoryRow`]). No I/O and no decisions here: those are `source` (reading files) and
//! `plan` (what is applied, pending, due).

use serde::Serialize;

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
pub struct HistoryRow {
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
pub struct Known<'a> {
    pub version: i64,
    pub name: &'a str,
    /// The up file's path, as shown in messages.
    pub label: &'a str,
    pub checksum: &'a str,
    /// The raw bytes' checksum, for history rows from before the tagged one (see
    /// [`crate::source::files::same_file`]).
    pub checksum_raw: &'a str,
    pub has_down: bool,
    /// The down marker of the tool whose markers the file uses, if a single file does.
    pub down_marker: Option<&'static str>,
}

impl Known<'_> {
    /// How to give this migration a down, in its own file form: the `.down.sql` beside a
    /// pair's up file, the down marker of the tool a single file is written for, or
    /// dbmate's markers for a plain single file.
    pub(crate) fn down_hint(&self) -> String {
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
