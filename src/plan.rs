//! The pure decisions: which migrations are applied, pending, modified, missing or out of
//! order, and which steps `up`, `down` and `goto` take. No I/O here — files and database
//! rows come in as plain values — so every rule is unit-tested without a server.
//!
//! The database holds two records. golang-migrate's one-row table says the current
//! version; "applied" there means "every version up to it". ferry's history table adds
//! which versions really ran, so a file merged late from another branch (lower than the
//! current version, never run) can be told apart. The history is replayed: a `baseline`
//! or `force` row resets the applied set to "everything up to V", `up`/`down` rows add
//! and remove one version. When the replay disagrees with the version row (golang-migrate
//! moved it, or this is the first time ferry sees the database), the version row wins
//! and migrating commands record a baseline so the next replay agrees.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::{self, Kind};

pub use crate::migration::Direction;
pub(crate) use crate::migration::{HistoryRow, Known};

/// What the last history row says of the migration `interrupted` names, when it is the
/// record of that migration's failure.
pub(crate) fn failure_note(
    history: &[HistoryRow],
    interrupted: Option<Interrupted>,
) -> Option<&str> {
    let last = history.last()?;
    (last.direction == Direction::Failed
        && Some(last.version) == interrupted.map(Interrupted::version))
    .then_some(last.note.as_deref())
    .flatten()
}

/// The applied set, reconciled with the version row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct View {
    pub current: Option<i64>,
    pub dirty: bool,
    /// Applied versions, each with the index of its last `up` history row, if any.
    pub applied: BTreeMap<i64, Option<usize>>,
    /// The history disagreed with the version row: record a baseline before migrating.
    pub adopt: bool,
    /// For a dirty row: which migration stopped part way, and in which direction.
    pub interrupted: Option<Interrupted>,
    /// Applied versions whose file was accepted as edited (`ferry repair`): the index of the
    /// last `repair` row since the version was applied, whose checksum counts instead.
    pub repaired: BTreeMap<i64, usize>,
}

impl View {
    pub(crate) fn is_applied(&self, version: i64) -> bool {
        self.applied.contains_key(&version)
    }
}

/// What a dirty version row says stopped part way. golang-migrate marks the version being
/// applied going up, but the version being *returned to* going down, so the row alone
/// cannot tell "the up of 2 stopped" from "the down of 3 stopped". ferry's history can:
/// a down in progress leaves its version applied above the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interrupted {
    /// The up of this version stopped part way.
    Up(i64),
    /// The down of `version` stopped part way; the row holds `back_to`.
    Down { version: i64, back_to: Option<i64> },
    /// No history says which way (golang-migrate left the row): the up of `at` or the
    /// down of `next` stopped part way.
    Either { at: i64, next: i64 },
}

impl Interrupted {
    /// The migration shown as dirty.
    pub(crate) fn version(self) -> i64 {
        match self {
            Interrupted::Up(v) | Interrupted::Down { version: v, .. } => v,
            Interrupted::Either { at, .. } => at,
        }
    }

    /// What a dirty row means, from the row, the replayed history (when ferry kept one)
    /// and the versions there are.
    fn read(
        current: Option<i64>,
        replayed: Option<&BTreeMap<i64, Option<usize>>>,
        universe: &BTreeSet<i64>,
    ) -> Option<Interrupted> {
        let next_after = |v: i64| universe.range(v + 1..).next().copied();
        let Some(at) = current else {
            // golang-migrate writes "no version, dirty" only while reverting the first
            // migration.
            let first = replayed
                .and_then(|r| r.keys().next().copied())
                .or_else(|| universe.iter().next().copied())?;
            return Some(Interrupted::Down {
                version: first,
                back_to: None,
            });
        };
        let top = replayed.and_then(|r| r.keys().next_back().copied());
        let below = universe.range(..at).next_back().copied();
        match (replayed, top) {
            (Some(_), Some(top)) if top > at => Some(Interrupted::Down {
                version: top,
                back_to: Some(at),
            }),
            (Some(_), top) if top == below => Some(Interrupted::Up(at)),
            _ => Some(match next_after(at) {
                Some(next) => Interrupted::Either { at, next },
                None => Interrupted::Up(at),
            }),
        }
    }
}

/// The applied set and the state of a dirty row. `history_kept` says whether ferry's
/// history table exists: an empty history then means "nothing ran", not "unknown".
pub(crate) fn view(
    current: Option<i64>,
    dirty: bool,
    history: &[HistoryRow],
    history_kept: bool,
    files: &[Known<'_>],
) -> View {
    let universe: BTreeSet<i64> = files
        .iter()
        .map(|f| f.version)
        .chain(history.iter().map(|h| h.version))
        .chain(current)
        .filter(|v| *v >= 0)
        .collect();
    let upto = |limit: i64| -> BTreeMap<i64, Option<usize>> {
        universe.range(..=limit).map(|v| (*v, None)).collect()
    };

    let mut applied = BTreeMap::new();
    let mut repaired = BTreeMap::new();
    for (i, row) in history.iter().enumerate() {
        match row.direction {
            // Everything up to V is applied; a version that ran before keeps its row, so
            // that its time shows and an edit of its file is still seen.
            Direction::Baseline | Direction::Force => {
                let before = std::mem::replace(&mut applied, upto(row.version));
                for (v, last_up) in applied.iter_mut() {
                    *last_up = before.get(v).copied().flatten();
                }
                repaired.retain(|v, _| *v <= row.version);
            }
            Direction::Up => {
                applied.insert(row.version, Some(i));
                repaired.remove(&row.version);
            }
            Direction::Down => {
                applied.remove(&row.version);
                repaired.remove(&row.version);
            }
            Direction::Repair => {
                repaired.insert(row.version, i);
            }
            Direction::Repeatable | Direction::Failed => {}
        }
    }
    let replayed_current = applied.keys().next_back().copied();
    let adopt = !dirty && replayed_current != current;
    let interrupted = dirty
        .then(|| Interrupted::read(current, history_kept.then_some(&applied), &universe))
        .flatten();
    // A dirty row records a migration that did not finish. Where ferry's history agrees
    // with the reading, the replay is the better account of what ran; otherwise every
    // version below the interrupted one is applied (golang-migrate's meaning).
    let trust_replay = match interrupted {
        Some(Interrupted::Up(v)) => {
            history_kept && replayed_current == universe.range(..v).next_back().copied()
        }
        Some(Interrupted::Down { .. }) => history_kept,
        _ => false,
    };
    let rebuild = if dirty {
        (!trust_replay).then(|| interrupted.map(|i| i.version() - 1))
    } else {
        adopt.then_some(current)
    };
    if let Some(limit) = rebuild {
        let kept_rows = applied;
        applied = limit.map(upto).unwrap_or_default();
        for (v, row) in applied.iter_mut() {
            *row = kept_rows.get(v).copied().flatten();
        }
    }
    View {
        current,
        dirty,
        applied,
        adopt,
        interrupted,
        repaired,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Pending,
    Dirty,
    Modified,
    MissingFile,
    /// Applied, and its file replaced by a baseline (`ferry squash`) that stands for it.
    Squashed,
    OutOfOrder,
    /// The file is there but cannot be used (its problem is reported with it).
    Invalid,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Dirty => "dirty",
            State::Modified => "modified",
            State::MissingFile => "applied, not in this build",
            State::Squashed => "applied, squashed into a baseline",
            State::OutOfOrder => "out of order",
            State::Invalid => "invalid file",
        }
    }

    /// Whether `up` would run it: not applied yet, in order or not.
    pub fn is_pending(self) -> bool {
        matches!(self, State::Pending | State::OutOfOrder)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub version: i64,
    pub name: String,
    pub state: State,
    pub applied_at: Option<String>,
    pub duration_ms: Option<i64>,
}

/// Every migration the files or the database know, in version order, with its state.
pub(crate) fn entries(
    files: &[Known<'_>],
    view: &View,
    history: &[HistoryRow],
) -> Vec<MigrationStatus> {
    let by_version: BTreeMap<i64, &Known<'_>> = files.iter().map(|f| (f.version, f)).collect();
    let mut versions: BTreeSet<i64> = by_version.keys().copied().collect();
    versions.extend(view.applied.keys());
    versions.extend(view.interrupted.map(Interrupted::version));
    let top = view.applied.keys().next_back().copied();
    let squashed_through = newest_baseline(files).map(|b| b.version);
    versions
        .into_iter()
        .map(|version| {
            let file = by_version.get(&version);
            let row = view
                .applied
                .get(&version)
                .copied()
                .flatten()
                .map(|i| &history[i]);
            let state = if view.interrupted.map(Interrupted::version) == Some(version) {
                State::Dirty
            } else if view.is_applied(version) {
                let recorded = match view.repaired.get(&version) {
                    Some(&i) => history[i].checksum.as_deref(),
                    None => row.and_then(|r| r.checksum.as_deref()),
                };
                match (file, recorded) {
                    (None, _) if squashed_through.is_some_and(|b| version < b) => State::Squashed,
                    (None, _) => State::MissingFile,
                    (Some(f), Some(sum)) if !f.matches(sum) => State::Modified,
                    _ => State::Applied,
                }
            } else if top.is_some_and(|t| version < t) {
                State::OutOfOrder
            } else {
                State::Pending
            };
            let name = file
                .map(|f| f.name.to_string())
                .or_else(|| {
                    history
                        .iter()
                        .rev()
                        .find(|h| h.version == version)
                        .map(|h| h.name.clone())
                })
                .unwrap_or_default();
            MigrationStatus {
                version,
                name,
                state,
                applied_at: row.map(|r| r.started_at.clone()),
                duration_ms: row.and_then(|r| r.duration_ms),
            }
        })
        .collect()
}

/// The newest baseline among the files (`ferry squash`): it stands for every version below it.
pub(crate) fn newest_baseline<'f, 'a>(files: &'f [Known<'a>]) -> Option<&'f Known<'a>> {
    files.iter().rev().find(|f| f.baseline.is_some())
}

/// Refuses to run a baseline on a database that has migrations applied but not the
/// baseline's version: its history stops inside what the baseline replaced, and running
/// the baseline there would create what exists. A fresh database runs it; one whose
/// history reaches its version counts it as applied.
fn refuse_inside_baseline(files: &[Known<'_>], view: &View, target: i64) -> anyhow::Result<()> {
    match inside_baseline(files, view) {
        Some((baseline, why)) if baseline.version <= target => Err(error::of(
            Kind::Invalid,
            format!(
                "{why}: nothing was changed. {}",
                inside_baseline_help(baseline)
            ),
        )),
        _ => Ok(()),
    }
}

/// Why the database cannot take the newest baseline (`up` refuses; `status` and
/// `validate` say so): migrations are applied, but not the baseline's version. With that
/// baseline.
pub(crate) fn inside_baseline<'f, 'a>(
    files: &'f [Known<'a>],
    view: &View,
) -> Option<(&'f Known<'a>, String)> {
    let baseline = newest_baseline(files)?;
    if view.is_applied(baseline.version) || view.applied.is_empty() {
        return None;
    }
    let v = baseline.version;
    let at = view
        .current
        .or_else(|| view.applied.keys().next_back().copied())
        .unwrap_or_default();
    let why = if at < v {
        format!(
            "the database is at version {at}, inside the baseline {} (it stands for every \
             version through {v}), which runs only on an empty database",
            baseline.label
        )
    } else {
        format!(
            "the database has versions after {v} applied but not {v} itself, which the \
             baseline {} stands for (with every version before it) and which runs only on an \
             empty database",
            baseline.label
        )
    };
    Some((baseline, why))
}

/// What to do about [`inside_baseline`].
pub(crate) fn inside_baseline_help(baseline: &Known<'_>) -> String {
    let v = baseline.version;
    let squashed = std::path::Path::new(baseline.label)
        .parent()
        .map(|dir| {
            dir.join(crate::migration::SQUASHED_DIR)
                .display()
                .to_string()
        })
        .unwrap_or_else(|| crate::migration::SQUASHED_DIR.to_string());
    format!(
        "Bring this database to {v} with the files the baseline replaced (`ferry goto {v} \
         --path {squashed}`, or from a checkout from before the squash), then run `ferry up` \
         again"
    )
}

/// Marks the versions of files that are present but could not be read as migrations
/// (`invalid`: version and name), so they show under their own name instead of as a
/// missing file, or not at all.
pub(crate) fn mark_invalid(entries: &mut Vec<MigrationStatus>, invalid: &[(i64, String)]) {
    for (version, name) in invalid {
        match entries.iter_mut().find(|e| e.version == *version) {
            Some(entry) => {
                entry.state = State::Invalid;
                entry.name.clone_from(name);
            }
            None => entries.push(MigrationStatus {
                version: *version,
                name: name.clone(),
                state: State::Invalid,
                applied_at: None,
                duration_ms: None,
            }),
        }
    }
    entries.sort_by_key(|e| e.version);
}

/// One migration to run, and the version recorded once it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// Index into the files slice.
    pub index: usize,
    pub direction: Direction,
    pub version_after: Option<i64>,
}

/// What a migrating command asks for, read once from its arguments: the CLI's `up`,
/// `down`, `goto` and `reset`, a fleet's targets and the library all plan from it, and
/// it says whether repeatable migrations follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// Apply pending migrations: all of them, or the next `limit`.
    Up {
        limit: Option<usize>,
        allow_out_of_order: bool,
    },
    /// Apply pending migrations up to and including `version` (the library's `up_to`).
    UpTo { version: i64 },
    /// Roll back `count` applied migrations (every one when `None`), newest first.
    Down {
        count: Option<usize>,
        allow_missing_down: bool,
    },
    /// Up or down until `version` is the current one.
    Goto {
        version: i64,
        allow_out_of_order: bool,
        allow_missing_down: bool,
    },
}

impl Operation {
    /// Everything pending, as `up` with no arguments (and `reset` after emptying).
    pub(crate) const UP: Operation = Operation::Up {
        limit: None,
        allow_out_of_order: false,
    };

    /// The last `n` applied migrations rolled back, as `ferry down N` does without its flags.
    pub(crate) fn down(n: usize) -> Operation {
        Operation::Down {
            count: Some(n),
            allow_missing_down: false,
        }
    }

    /// Up or down to `version`, as `ferry goto` does without its flags.
    pub(crate) fn goto(version: i64) -> Operation {
        Operation::Goto {
            version,
            allow_out_of_order: false,
            allow_missing_down: false,
        }
    }

    /// The command a refusal names: `refusing to up: …`.
    pub(crate) fn command(self) -> &'static str {
        match self {
            Operation::Up { .. } | Operation::UpTo { .. } => "up",
            Operation::Down { .. } => "down",
            Operation::Goto { .. } => "goto",
        }
    }

    /// Repeatable migrations follow `up` (with a limit or not); `up_to`, `down` and `goto`
    /// leave them alone.
    pub(crate) fn runs_repeatables(self) -> bool {
        matches!(self, Operation::Up { .. })
    }

    /// The steps on these files and this state.
    pub(crate) fn plan(self, files: &[Known<'_>], view: &View) -> anyhow::Result<Vec<Step>> {
        match self {
            Operation::Up {
                limit,
                allow_out_of_order,
            } => plan_up(files, view, limit, allow_out_of_order),
            Operation::UpTo { version } => plan_up_to(files, view, version, None, false),
            Operation::Down {
                count,
                allow_missing_down,
            } => plan_down(files, view, count, allow_missing_down),
            Operation::Goto {
                version,
                allow_out_of_order,
                allow_missing_down,
            } => plan_goto(files, view, version, allow_out_of_order, allow_missing_down),
        }
    }
}

/// Pending migrations in order, at most `limit` of them.
pub(crate) fn plan_up(
    files: &[Known<'_>],
    view: &View,
    limit: Option<usize>,
    allow_out_of_order: bool,
) -> anyhow::Result<Vec<Step>> {
    plan_up_to(files, view, i64::MAX, limit, allow_out_of_order)
}

/// [`plan_up`] that stops at `target` (included).
pub(crate) fn plan_up_to(
    files: &[Known<'_>],
    view: &View,
    target: i64,
    limit: Option<usize>,
    allow_out_of_order: bool,
) -> anyhow::Result<Vec<Step>> {
    refuse_inside_baseline(files, view, target)?;
    if let Some(current) = view
        .current
        .filter(|v| !files.iter().any(|f| f.version == *v))
    {
        // golang-migrate refuses too: a directory without the current version's file is
        // most often the wrong directory, and "no change" would hide it.
        return Err(error::of(
            Kind::CurrentFileMissing,
            format!(
            "the database is at version {current}, but the migrations directory has no file for \
             it ({}): check --path (or FERRY_PATH), or restore the file",
            match files.last() {
                None => "it has no migrations at all".to_string(),
                Some(newest) =>
                    format!("{} migration(s), the newest {}", files.len(), newest.label),
            }
        ),
        ));
    }
    let top = view.applied.keys().next_back().copied();
    let pending: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].version <= target && !view.is_applied(files[i].version))
        .collect();
    let late: Vec<&Known<'_>> = pending
        .iter()
        .map(|&i| &files[i])
        .filter(|f| top.is_some_and(|t| f.version < t))
        .collect();
    if !late.is_empty() && !allow_out_of_order {
        let names: Vec<&str> = late.iter().map(|f| f.label).collect();
        return Err(error::of(
            Kind::OutOfOrder,
            format!(
            "{} older than the applied version {} but never applied (merged from another branch?): {}; \
             renumber {} or run `ferry up --allow-out-of-order`",
            if late.len() == 1 { "a migration is" } else { "migrations are" },
            top.unwrap_or_default(),
            names.join(", "),
            if late.len() == 1 { "it" } else { "them" },
        ),
        ));
    }
    let mut current = view.current;
    Ok(pending
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .map(|index| {
            current = current.max(Some(files[index].version));
            Step {
                index,
                direction: Direction::Up,
                version_after: current,
            }
        })
        .collect())
}

/// The last `count` applied migrations (all when None), newest first. A migration without
/// a down refuses the whole plan, unless `allow_missing_down`: then stepping over it only
/// moves the version, as golang-migrate and goose do.
pub(crate) fn plan_down(
    files: &[Known<'_>],
    view: &View,
    count: Option<usize>,
    allow_missing_down: bool,
) -> anyhow::Result<Vec<Step>> {
    plan_down_to(files, view, None, count, allow_missing_down)
}

fn plan_down_to(
    files: &[Known<'_>],
    view: &View,
    floor: Option<i64>,
    count: Option<usize>,
    allow_missing_down: bool,
) -> anyhow::Result<Vec<Step>> {
    let reverting: Vec<i64> = view
        .applied
        .keys()
        .rev()
        .copied()
        .filter(|v| floor.is_none_or(|f| *v > f))
        .take(count.unwrap_or(usize::MAX))
        .collect();
    let mut remaining: BTreeSet<i64> = view.applied.keys().copied().collect();
    let mut steps = Vec::with_capacity(reverting.len());
    let mut no_down: Vec<&Known<'_>> = Vec::new();
    for version in reverting {
        let Some(index) = files.iter().position(|f| f.version == version) else {
            return Err(error::of(
                Kind::AppliedFileMissing,
                format!(
                    "version {version} is applied but its migration file is missing, and the \
                     history keeps no SQL for it (it ran before ferry kept SQL, or with \
                     --no-store-sql); restore the file to roll it back, or `ferry force` the \
                     version you want"
                ),
            ));
        };
        if !files[index].has_down {
            no_down.push(&files[index]);
        }
        remaining.remove(&version);
        steps.push(Step {
            index,
            direction: Direction::Down,
            version_after: remaining.iter().next_back().copied(),
        });
    }
    match no_down.as_slice() {
        _ if allow_missing_down => {}
        [] => {}
        [one] => {
            return Err(error::of(
                Kind::NoDown,
                format!(
            "{} cannot be rolled back: it has no down migration ({}); nothing was changed. \
             To move the version past it without running anything, pass --allow-missing-down",
            one.label,
            one.down_hint()
        ),
            ))
        }
        many => {
            return Err(error::of(
                Kind::NoDown,
                format!(
            "{} migrations cannot be rolled back, they have no down migration: {}; nothing was \
             changed. To move the version past them without running anything, pass \
             --allow-missing-down",
            many.len(),
            many.iter()
                .map(|k| format!("{} ({})", k.label, k.down_hint()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
            ))
        }
    }
    Ok(steps)
}

/// Up or down to `target`, which must be the version of a migration file.
pub(crate) fn plan_goto(
    files: &[Known<'_>],
    view: &View,
    target: i64,
    allow_out_of_order: bool,
    allow_missing_down: bool,
) -> anyhow::Result<Vec<Step>> {
    if !files.iter().any(|f| f.version == target) {
        return Err(error::of(
            Kind::NoSuchVersion,
            format!(
                "no migration file has version {target}; `ferry status` lists the versions there are"
            ),
        ));
    }
    let mut steps = plan_down_to(files, view, Some(target), None, allow_missing_down)?;
    steps.extend(plan_up_to(files, view, target, None, allow_out_of_order)?);
    Ok(steps)
}

/// Whether a repeatable migration is due: it never ran, or its file changed since it last
/// did (`history`, oldest first). `Some(false)`: never ran; `Some(true)`: changed.
pub(crate) fn repeatable_due(
    history: &[HistoryRow],
    name: &str,
    checksum: &str,
    checksum_raw: &str,
) -> Option<bool> {
    match history
        .iter()
        .rev()
        .find(|row| row.direction == Direction::Repeatable && row.name == name)
    {
        None => Some(false),
        Some(row) => match row.checksum.as_deref() {
            Some(sum) if crate::migration::same_file(sum, checksum, checksum_raw) => None,
            _ => Some(true),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(versions: &[i64]) -> Vec<Known<'static>> {
        versions
            .iter()
            .map(|&version| Known {
                version,
                name: "m",
                label: Box::leak(format!("{version:03}_m.up.sql").into_boxed_str()),
                checksum: "sum",
                checksum_raw: "sum",
                has_down: true,
                down_marker: None,
                baseline: None,
            })
            .collect()
    }

    fn row(version: i64, direction: Direction) -> HistoryRow {
        HistoryRow {
            version,
            name: "m".into(),
            direction,
            checksum: Some("sum".into()),
            started_at: "2026-01-01T00:00:00Z".into(),
            duration_ms: Some(1),
            note: None,
        }
    }

    fn applied(view: &View) -> Vec<i64> {
        view.applied.keys().copied().collect()
    }

    fn versions(steps: &[Step], f: &[Known<'_>]) -> Vec<i64> {
        steps.iter().map(|s| f[s.index].version).collect()
    }

    #[test]
    fn fresh_database_has_everything_pending() {
        let f = files(&[1, 2, 3]);
        let v = view(None, false, &[], true, &f);
        assert!(v.applied.is_empty() && !v.adopt);
        let steps = plan_up(&f, &v, None, false).unwrap();
        assert_eq!(versions(&steps, &f), [1, 2, 3]);
        assert_eq!(steps.last().unwrap().version_after, Some(3));
    }

    #[test]
    fn golang_migrate_database_is_adopted() {
        let f = files(&[1, 2, 3]);
        let v = view(Some(2), false, &[], true, &f);
        assert!(v.adopt);
        assert_eq!(applied(&v), [1, 2]);
        assert_eq!(versions(&plan_up(&f, &v, None, false).unwrap(), &f), [3]);
    }

    #[test]
    fn history_tells_a_late_merge_from_an_applied_file() {
        let f = files(&[1, 2, 3]);
        let h = [row(1, Direction::Up), row(3, Direction::Up)];
        let v = view(Some(3), false, &h, true, &f);
        assert!(!v.adopt);
        assert_eq!(applied(&v), [1, 3]);
        let err = plan_up(&f, &v, None, false).unwrap_err();
        assert_eq!(error::exit_code(&err), 5);
        assert!(err.to_string().contains("002_m.up.sql"), "{err}");
        let steps = plan_up(&f, &v, None, true).unwrap();
        assert_eq!(versions(&steps, &f), [2]);
        assert_eq!(
            steps[0].version_after,
            Some(3),
            "the version row keeps the highest"
        );
        let e = entries(&f, &v, &h);
        assert_eq!(e[1].state, State::OutOfOrder);
    }

    #[test]
    fn version_moved_by_another_tool_wins_over_history() {
        let f = files(&[1, 2, 3, 4]);
        let h = [row(1, Direction::Up), row(2, Direction::Up)];
        let up = view(Some(4), false, &h, true, &f);
        assert!(up.adopt);
        assert_eq!(applied(&up), [1, 2, 3, 4]);
        assert_eq!(up.applied[&1], Some(0), "known rows keep their history");
        let down = view(Some(1), false, &h, true, &f);
        assert_eq!(applied(&down), [1]);
    }

    #[test]
    fn force_and_baseline_reset_the_applied_set() {
        let f = files(&[1, 2, 3]);
        let h = [
            row(1, Direction::Up),
            row(2, Direction::Up),
            row(3, Direction::Up),
            row(1, Direction::Force),
        ];
        let v = view(Some(1), false, &h, true, &f);
        assert!(!v.adopt);
        assert_eq!(applied(&v), [1]);
        assert_eq!(v.applied[&1], Some(0), "1 keeps the row it ran with");
        // Forced past a dirty 2: 1 keeps its row (its time, its checksum), 2 has none.
        let h = [row(1, Direction::Up), row(2, Direction::Force)];
        let v = view(Some(2), false, &h, true, &f);
        assert_eq!(v.applied.get(&1), Some(&Some(0)));
        assert_eq!(v.applied.get(&2), Some(&None));
        let h = [row(3, Direction::Up), row(-1, Direction::Force)];
        assert!(view(None, false, &h, true, &f).applied.is_empty());
    }

    #[test]
    fn down_reverts_newest_first_and_records_the_previous_version() {
        let f = files(&[1, 2, 5]);
        let v = view(Some(5), false, &[], true, &f);
        let steps = plan_down(&f, &v, Some(2), false).unwrap();
        assert_eq!(versions(&steps, &f), [5, 2]);
        assert_eq!(steps[0].version_after, Some(2));
        assert_eq!(steps[1].version_after, Some(1));
        let all = plan_down(&f, &v, None, false).unwrap();
        assert_eq!(all.last().unwrap().version_after, None);
    }

    #[test]
    fn down_of_an_up_only_file_is_refused_before_anything_runs() {
        let mut f = files(&[1, 2]);
        f[0].has_down = false;
        let v = view(Some(2), false, &[], true, &f);
        assert_eq!(plan_down(&f, &v, Some(1), false).unwrap().len(), 1);
        let err = plan_down(&f, &v, Some(2), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("001_m.up.sql cannot be rolled back"),
            "{err}"
        );
        assert!(err.to_string().contains("(add 001_m.down.sql)"), "{err}");
        assert!(err.to_string().contains("--allow-missing-down"), "{err}");
        let steps = plan_down(&f, &v, Some(2), true).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].version_after, None);
    }

    #[test]
    fn down_of_a_missing_file_names_the_version() {
        let f = files(&[1]);
        let v = view(Some(2), false, &[], true, &f);
        assert!(plan_down(&f, &v, None, false)
            .unwrap_err()
            .to_string()
            .contains("version 2"));
    }

    #[test]
    fn goto_moves_both_ways() {
        let f = files(&[1, 2, 3, 4]);
        let v = view(Some(2), false, &[], true, &f);
        assert_eq!(
            versions(&plan_goto(&f, &v, 4, false, false).unwrap(), &f),
            [3, 4]
        );
        assert_eq!(
            versions(&plan_goto(&f, &v, 1, false, false).unwrap(), &f),
            [2]
        );
        assert!(plan_goto(&f, &v, 2, false, false).unwrap().is_empty());
        assert_eq!(
            error::exit_code(&plan_goto(&f, &v, 9, false, false).unwrap_err()),
            2
        );
    }

    #[test]
    fn limit_takes_the_next_n() {
        let f = files(&[1, 2, 3]);
        let v = view(None, false, &[], true, &f);
        assert_eq!(
            versions(&plan_up(&f, &v, Some(2), false).unwrap(), &f),
            [1, 2]
        );
    }

    /// Files where version `through` is a baseline (replacing a file whose checksum was
    /// "old") and the versions below it are gone.
    fn squashed(through: i64, after: &[i64]) -> Vec<Known<'static>> {
        let mut f = files(&[through]);
        f[0].checksum = "baseline";
        f[0].checksum_raw = "baseline";
        f[0].baseline = Some("old");
        f[0].has_down = false;
        f.extend(files(after));
        f
    }

    #[test]
    fn a_baseline_runs_on_a_fresh_database_and_is_recorded_where_history_reaches_it() {
        let f = squashed(3, &[4]);
        let fresh = view(None, false, &[], true, &f);
        assert_eq!(
            versions(&plan_up(&f, &fresh, None, false).unwrap(), &f),
            [3, 4]
        );

        // Migrated by the files the baseline replaced: 1 and 2 are squashed, 3 is the
        // baseline (its old checksum is the replaced file's), 4 is pending.
        let mut h: Vec<HistoryRow> = [1, 2, 3].map(|v| row(v, Direction::Up)).to_vec();
        h[2].checksum = Some("old".into());
        let v = view(Some(3), false, &h, true, &f);
        assert_eq!(versions(&plan_up(&f, &v, None, false).unwrap(), &f), [4]);
        let states: Vec<State> = entries(&f, &v, &h).iter().map(|e| e.state).collect();
        assert_eq!(
            states,
            [
                State::Squashed,
                State::Squashed,
                State::Applied,
                State::Pending
            ]
        );
        // Another checksum at the baseline's version is an edit.
        h[2].checksum = Some("other".into());
        let v = view(Some(3), false, &h, true, &f);
        assert_eq!(entries(&f, &v, &h)[2].state, State::Modified);

        // golang-migrate's row alone, at the baseline's version or past it.
        let v = view(Some(3), false, &[], false, &f);
        assert_eq!(versions(&plan_up(&f, &v, None, false).unwrap(), &f), [4]);
    }

    #[test]
    fn a_database_inside_a_baseline_is_refused_and_told_what_to_do() {
        let f = squashed(3, &[4]);
        let h = [row(1, Direction::Up)];
        let v = view(Some(1), false, &h, true, &f);
        let e = plan_up(&f, &v, None, false).unwrap_err().to_string();
        assert!(
            e.starts_with("the database is at version 1, inside the baseline 003_m.up.sql"),
            "{e}"
        );
        assert!(e.contains("`ferry goto 3 --path squashed`"), "{e}");
        assert_eq!(
            crate::error::exit_code(&plan_up(&f, &v, None, false).unwrap_err()),
            5
        );
        // A baseline has no down: rolling it back is refused, saying why.
        let h = [row(3, Direction::Up)];
        let v = view(Some(3), false, &h, true, &f);
        let e = plan_down(&f, &v, Some(1), false).unwrap_err().to_string();
        assert!(
            e.contains("it is the baseline of every version through 3"),
            "{e}"
        );
    }

    #[test]
    fn states_cover_modified_missing_and_dirty() {
        let mut f = files(&[1, 2, 3]);
        f[0].checksum = "edited";
        f[0].checksum_raw = "edited";
        let f: Vec<_> = f.into_iter().filter(|k| k.version != 2).collect();
        let h = [row(1, Direction::Up), row(2, Direction::Up)];
        let v = view(Some(3), true, &h, true, &f);
        let states: Vec<State> = entries(&f, &v, &h).iter().map(|e| e.state).collect();
        assert_eq!(states, [State::Modified, State::MissingFile, State::Dirty]);
    }

    #[test]
    fn a_dirty_row_says_which_migration_stopped_and_which_way() {
        let f = files(&[1, 2, 3]);
        let up = [row(1, Direction::Up)];
        let v = view(Some(2), true, &up, true, &f);
        assert_eq!(v.interrupted, Some(Interrupted::Up(2)));
        assert_eq!(applied(&v), [1]);

        // A failed down of 2 leaves golang-migrate's row at 1, dirty; ferry's history
        // still has 2 applied.
        let both = [row(1, Direction::Up), row(2, Direction::Up)];
        let v = view(Some(1), true, &both, true, &f);
        let down = Interrupted::Down {
            version: 2,
            back_to: Some(1),
        };
        assert_eq!(v.interrupted, Some(down));
        let states: Vec<State> = entries(&f, &v, &both).iter().map(|e| e.state).collect();
        assert_eq!(states, [State::Applied, State::Dirty, State::Pending]);

        let v = view(None, true, &up, true, &f);
        let first = Interrupted::Down {
            version: 1,
            back_to: None,
        };
        assert_eq!(v.interrupted, Some(first));
    }

    #[test]
    fn a_golang_migrate_dirty_row_keeps_the_versions_below_applied() {
        let f = files(&[1, 2, 3, 4, 5]);
        let v = view(Some(3), true, &[], false, &f);
        assert_eq!(v.interrupted, Some(Interrupted::Either { at: 3, next: 4 }));
        assert_eq!(applied(&v), [1, 2]);
        let states: Vec<State> = entries(&f, &v, &[]).iter().map(|e| e.state).collect();
        use State::*;
        assert_eq!(states, [Applied, Applied, Dirty, Pending, Pending]);
        // At the last version only an up can have stopped; with no version, only the
        // down of the first.
        let v = view(Some(5), true, &[], false, &f);
        assert_eq!(v.interrupted, Some(Interrupted::Up(5)));
        let v = view(None, true, &[], false, &f);
        assert_eq!(
            v.interrupted,
            Some(Interrupted::Down {
                version: 1,
                back_to: None
            })
        );
        assert!(v.applied.is_empty());
    }

    #[test]
    fn dirty_database_is_not_adopted() {
        let f = files(&[1, 2]);
        let v = view(Some(2), true, &[row(1, Direction::Up)], true, &f);
        assert!(!v.adopt);
        assert_eq!(applied(&v), [1]);
    }
}
