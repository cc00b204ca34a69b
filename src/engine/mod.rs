//! The one engine, for the CLI's commands and the library: [`run`] takes the lock (the
//! session is its guard), reads the state, plans (the pure decisions are in [`plan`]) and
//! executes with golang-migrate's safety protocol, improved; [`status`] is the one
//! reading of the bookkeeping against the files. It tells its caller what happens through
//! [`events`] and prints nothing.
//!
//! A transactional migration is sent as one simple-query message: `BEGIN`, the file's
//! SQL, the version row and the history row, `COMMIT` — one round trip, and on failure
//! nothing changed, not even the dirty flag. A `no-transaction` migration is marked dirty
//! first, run statement by statement, then marked clean: a failure leaves it dirty so a
//! person looks before anything else runs.

mod execute;
mod failure;
pub(crate) mod fingerprint;
mod outside;
mod request;
mod retry;
mod script;
mod window;

use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::db::state::{HistoryEntry, Snapshot, Started};
use crate::db::wire::Wire;
use crate::db::Session;
use crate::engine::execute::execute;
use crate::engine::failure::{baseline_hint, failure};
use crate::engine::script::{opening, push_script};
use crate::error;
use crate::events::{Event, Events};
use crate::migration::{Migration, Repeatable};
use crate::plan::{self, Direction, HistoryRow, Known, State, Step, View};
use crate::sql::server_error::{self as sql_error};

pub use failure::MigrationError;
pub(crate) use failure::{describe, dirty_help};
pub use request::Applied;
pub(crate) use request::{Ddl, Linted, Options, Outcome, Request, Settings, Status};
pub(crate) use script::script_of;

/// The engine, for the CLI's commands and the library alike: take the lock (unless the
/// session holds it already — `reset` empties the database under it first — or this is
/// a dry run, which only looks), refuse a dirty database, plan against the reconciled
/// state, execute, unlock. The session's guard releases the lock on every other path.
pub(crate) fn run(
    session: &mut Session<'_>,
    migrations: &[Migration],
    request: &Request<'_>,
    events: &dyn Events,
    planner: impl FnOnce(&[Known<'_>], &View) -> anyhow::Result<Vec<Step>>,
) -> anyhow::Result<Outcome> {
    let snapshot = read_state(session, request, events)?;
    let known: Vec<Known<'_>> = migrations.iter().map(Migration::known).collect();
    let view = snapshot.view(&known);
    if snapshot.dirty {
        return Err(error::dirty_at(
            snapshot.version,
            format!(
                "refusing to {}: {}",
                request.command,
                dirty_help(
                    snapshot.version,
                    view.interrupted,
                    migrations,
                    plan::failure_note(&snapshot.history, view.interrupted),
                )
            ),
        ));
    }
    warn_modified(events, &known, &view, &snapshot.history);
    let steps = planner(&known, &view)?;
    lint_steps(migrations, &steps, request, events)?;
    let to = steps.last().map_or(view.current, |s| s.version_after);
    let due: Vec<&Repeatable> = request
        .repeatables
        .iter()
        .filter(|r| {
            let script = &r.script;
            plan::repeatable_due(
                &snapshot.history,
                &r.name,
                &script.checksum,
                &script.checksum_raw,
            )
            .is_some()
        })
        .collect();
    let mut outcome = Outcome {
        from: view.current,
        to,
        steps,
        done: Vec::new(),
        repeated: due.iter().map(|r| r.name.clone()).collect(),
    };
    if request.dry_run {
        return Ok(outcome);
    }
    if request.store_sql && outcome.steps.iter().any(|s| s.direction == Direction::Up) {
        session.keep_sql_columns()?;
    }
    let started_bare = view.current.is_none() && snapshot.history.is_empty();
    outcome.done = execute(session, migrations, &outcome.steps, &view, request, events)
        .map_err(|e| if started_bare { baseline_hint(e) } else { e })?;
    for r in &due {
        if request.stop.load(Ordering::SeqCst) {
            return Err(error::interrupted(format!(
                "interrupted: stopped before the repeatable migration {}; the database is at {}",
                r.script.label,
                describe(to)
            )));
        }
        run_repeatable(session, r, to, request, events)?;
    }
    if !outcome.done.is_empty() || !due.is_empty() {
        // Recorded, the run is done: a failure to record costs only `drift --fast`'s
        // shortcut (the next full comparison still decides), never the deploy.
        if let Err(err) = fingerprint::record(session, request.fingerprint, events) {
            events.on(Event::Warning(&format!(
                "could not record the schema's fingerprint ({err:#}); every migration ran and is \
                 recorded, and `ferry drift` compares the full schema instead"
            )));
        }
    }
    // Everything ran and is recorded: a connection lost now costs only the lock, which the
    // server lets go with the session (a lease expires by itself). Not a failed deploy.
    if let Err(err) = session.unlock() {
        events.on(Event::Warning(&format!(
            "{err:#}; every migration ran and is recorded, and the server lets go of a lost \
             session's lock (a lease, of a run through a pooler, expires within {} s)",
            crate::db::lease::LEASE.as_secs()
        )));
    }
    Ok(outcome)
}

/// The versions [`with_kept`] read back from the history: (version, name, whether it
/// replaced a file edited since it ran).
pub(crate) type ReadBack = Vec<(i64, String, bool)>;

/// `migrations` and the applied versions whose files are not among them, read back from
/// the SQL their history rows keep (see `db::state::StoredSql`), so that `down` and `goto`
/// can undo them; with `edited`, an applied file edited since it ran is replaced by what
/// ran too (`drift` replays what ran). Also which were read back. A version with nothing
/// kept stays as it is: rolling a missing one back is refused, naming it.
pub(crate) fn with_kept(
    session: &mut Session<'_>,
    mut migrations: Vec<Migration>,
    edited: bool,
) -> anyhow::Result<(Vec<Migration>, ReadBack)> {
    let snapshot = session.snapshot()?;
    let wanted: Vec<(i64, bool)> = status(&snapshot, &migrations, &[])
        .entries
        .iter()
        .filter_map(|e| match e.state {
            State::MissingFile => Some((e.version, false)),
            State::Modified if edited => Some((e.version, true)),
            _ => None,
        })
        .collect();
    let mut read_back = Vec::new();
    for (version, replaces) in wanted {
        let Some(kept) = session.stored_sql(version)? else {
            continue;
        };
        let mut files = vec![(kept.up_file, kept.up_sql)];
        if let (Some(file), Some(sql)) = (kept.down_file, kept.down_sql) {
            files.push((file, sql));
        }
        let (read, _) = crate::source::files::load_kept(files).valid("the history")?;
        for migration in read {
            read_back.push((migration.version, migration.name.clone(), replaces));
            migrations.retain(|m| m.version != migration.version);
            migrations.push(migration);
        }
    }
    migrations.sort_by_key(|m| m.version);
    Ok((migrations, read_back))
}

/// The state to plan on: read under the lock (taken here unless the session holds it, or
/// this is a dry run, which only looks), with the bookkeeping tables made sure of.
fn read_state(
    session: &mut Session<'_>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<Snapshot> {
    if request.dry_run {
        return session.snapshot();
    }
    if !session.holds_lock() {
        session.lock_for_migrating(request.lock_timeout, events, request.stop)?;
    }
    let snapshot = session.prepare()?;
    // In transaction mode a dirty row may be another run's no-transaction migration still
    // running under its live lease: that run is waited for, as for the lock, and the state
    // read again — a replica starting during a CONCURRENTLY build waits, it does not fail.
    // Read again even when the lease is already gone: that run may have finished (clean
    // row and lease given back, in one transaction) between the two reads.
    if snapshot.dirty && session.mode == crate::db::LockMode::Transaction {
        session.wait_out_lease(request.lock_timeout, events, request.stop)?;
        return session.snapshot();
    }
    Ok(snapshot)
}

/// Runs a repeatable migration in a transaction of its own with its history row, with the
/// database at `version` (which it leaves as it is).
fn run_repeatable(
    session: &mut Session<'_>,
    r: &Repeatable,
    version: Option<i64>,
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    let script = &r.script;
    events.on(Event::StepStarted {
        version: -1,
        name: &r.name,
        direction: Direction::Repeatable,
    });
    events.on(Event::Detail(&format!(
        "-- {}\n{}",
        script.label,
        &script.text[script.body()]
    )));
    let (sql, prefix_chars) = repeatable_sql(session, r, version, request);
    let started = Instant::now();
    let Err(err) = session.under_key(&sql, events) else {
        events.on(Event::StepDone {
            version: -1,
            name: &r.name,
            direction: Direction::Repeatable,
            duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
        });
        return Ok(());
    };
    let _ = session.client.batch_execute("ROLLBACK");
    if let Some(refusal) = session.lock_refusal(&err) {
        return Err(refusal);
    }
    if err
        .server()
        .is_some_and(|db| db.code().code() == crate::db::state::ALREADY_RAN)
    {
        events.on(Event::Detail(&format!(
            "{} was already applied by another run: skipped",
            script.label
        )));
        return Ok(());
    }
    let headline = format!(
        "repeatable migration {} failed and was rolled back; the versioned migrations stay \
         applied and the database is at {} (not dirty)",
        script.label,
        describe(version)
    );
    let Some(db) = err.server() else {
        return Err(anyhow::Error::new(err).context(headline));
    };
    let offset = sql_error::reported_offset(
        db,
        &script.text[script.body()],
        script.body().start,
        prefix_chars,
    )
    .or(match script.statements.as_slice() {
        [only] => Some(only.start),
        _ => None,
    });
    Err(failure(&headline, (-1, script), offset, db, false))
}

/// A repeatable migration's message: its transaction, its script and its history row; and
/// how many characters come before the script (for the server's error positions).
fn repeatable_sql(
    session: &Session<'_>,
    r: &Repeatable,
    version: Option<i64>,
    request: &Request<'_>,
) -> (String, usize) {
    let script = &r.script;
    let mut prefix = opening(
        session,
        version,
        script.lock_timeout.unwrap_or(request.ddl.lock_timeout),
        true,
    );
    if session.mode == crate::db::LockMode::Transaction {
        // Looked at before this transaction took the lock: another run may have applied
        // it in between.
        prefix.push_str(
            &session
                .tables
                .repeatable_still_due_sql(&r.name, &script.checksum),
        );
    }
    let mut close = session.tables.history_sql(&HistoryEntry {
        version: -1,
        name: &r.name,
        direction: Direction::Repeatable,
        checksum: Some(&script.checksum),
        started_at: Started::TransactionStart,
        stored: None,
    });
    close.push_str("COMMIT;\n");
    if script.changes_session {
        close.push_str(&session.restore_settings);
    }
    let mut sql = String::new();
    push_script(&mut sql, &prefix, script, &close);
    (sql, prefix.chars().count())
}

/// The lint findings in the migrations about to be applied, as warnings; with
/// `strict_lint`, a refusal (exit 5) when one is an error.
fn lint_steps(
    migrations: &[Migration],
    steps: &[Step],
    request: &Request<'_>,
    events: &dyn Events,
) -> anyhow::Result<()> {
    if request.options.linted {
        return Ok(());
    }
    let applying: std::collections::HashSet<i64> = steps
        .iter()
        .filter(|s| s.direction == Direction::Up)
        .map(|s| migrations[s.index].version)
        .collect();
    if applying.is_empty() {
        return Ok(());
    }
    let found = lint(migrations, |m| applying.contains(&m.version), true);
    for linted in &found {
        events.on(Event::Warning(&linted.to_string()));
    }
    let errors: Vec<String> = found
        .iter()
        .filter(|l| l.finding.rule.severity == crate::sql::lint::Severity::Error)
        .map(ToString::to_string)
        .collect();
    if request.strict_lint && !errors.is_empty() {
        return Err(error::problems(
            errors.clone(),
            format!(
                "refusing to {} (--strict-lint): {} lint error(s) in the migrations to apply; \
                 use the safe form each names, or allow a rule for a file with \
                 `-- ferry:allow RULE-ID`",
                request.command,
                errors.len()
            ),
        ));
    }
    Ok(())
}

/// The lint findings in the up scripts of the migrations `wanted` picks, reading every
/// migration before them too (what they did, a validated check, counts). `one_run`: they
/// are applied in one run, so a table one of them makes is new to the later ones too.
pub(crate) fn lint(
    migrations: &[Migration],
    wanted: impl Fn(&Migration) -> bool,
    one_run: bool,
) -> Vec<Linted> {
    let mut linter = if one_run {
        crate::sql::lint::Linter::one_run()
    } else {
        crate::sql::lint::Linter::default()
    };
    let last = migrations.iter().rposition(&wanted);
    let mut found = Vec::new();
    for migration in &migrations[..last.map_or(0, |i| i + 1)] {
        let script = &migration.up;
        // A baseline runs only on an empty database: nothing there to lock or rewrite.
        if !wanted(migration) || migration.baseline.is_some() {
            linter.remember(&script.text, &script.statements);
            continue;
        }
        let findings = linter.migration(&script.text, &script.statements);
        found.extend(findings.into_iter().map(|finding| Linted {
            version: migration.version,
            label: script.label.clone(),
            finding,
        }));
    }
    found
}

/// The one reading of the bookkeeping against the files, for `status`, `validate`,
/// `seed` and the library's `status()`. `invalid` are files present but unusable
/// (version and name), shown as such rather than as missing.
pub(crate) fn status(
    snapshot: &Snapshot,
    migrations: &[Migration],
    invalid: &[(i64, String)],
) -> Status {
    let known: Vec<Known<'_>> = migrations.iter().map(Migration::known).collect();
    let view = snapshot.view(&known);
    let mut entries = plan::entries(&known, &view, &snapshot.history);
    plan::mark_invalid(&mut entries, invalid);
    let inside_baseline = plan::inside_baseline(&known, &view).map(|(baseline, why)| {
        (
            baseline.label.to_string(),
            format!(
                "{why}: `ferry up` refuses it. {}",
                plan::inside_baseline_help(baseline)
            ),
        )
    });
    Status {
        view,
        entries,
        inside_baseline,
    }
}

fn warn_modified(events: &dyn Events, known: &[Known<'_>], view: &View, history: &[HistoryRow]) {
    for entry in plan::entries(known, view, history) {
        if entry.state == State::Modified {
            let label = known
                .iter()
                .find(|k| k.version == entry.version)
                .map_or(String::new(), |k| k.label.to_string());
            events.on(Event::Warning(&format!(
                "{label} was edited after it was applied (its checksum changed); \
                 `ferry validate` fails until the file matches what ran, or until \
                 `ferry repair {} --reason \"…\"` accepts the edit",
                entry.version
            )));
        }
    }
}
