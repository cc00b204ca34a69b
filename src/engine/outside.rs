//! Migrations that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`, a file with
//! its own `BEGIN`/`COMMIT`): statement by statement under the dirty flag, the
//! bookkeeping after, and a note of what ran when one fails part way.

use std::time::Instant;

use anyhow::Context;

use crate::db::state::Started;
use crate::db::wire::{first_row, Wire, WireError};
use crate::db::Session;
use crate::engine::failure::{dirty_help, failure, failure_note, statement_offset};
use crate::engine::retry::{moved, run_statement, Moved};
use crate::engine::script::{bookkeeping, Run, BEGIN};
use crate::events::Event;
use crate::migration::Migration;
use crate::plan::{Direction, Interrupted};
use crate::sql::server_error::{self as sql_error};

pub(crate) fn run_outside_transaction(
    session: &mut Session<'_>,
    run: &Run<'_>,
    migrations: &[Migration],
) -> anyhow::Result<()> {
    let version = run.migration.version;
    // golang-migrate's convention: going up the dirty version is the one being applied,
    // going down it is the one being returned to.
    let (dirty_at, interrupted) = match run.step.direction {
        Direction::Down => (
            run.step.version_after,
            Interrupted::Down {
                version,
                back_to: run.step.version_after,
            },
        ),
        _ => (Some(version), Interrupted::Up(version)),
    };
    let help = || dirty_help(dirty_at, Some(interrupted), migrations, None);
    let invalid_before = crate::db::invalid_indexes(&mut session.client)?;
    let put_back = mark_dirty(session, run, dirty_at)?;
    let started = Instant::now();
    if let Some(failed) = send_statements(session, run)? {
        return Err(failure_of(session, run, &put_back, failed, &help()));
    }
    refuse_invalid_indexes(session, run, &invalid_before, &help)?;
    let ms = started.elapsed().as_millis() as u64;
    let release = session.give_back_lease_sql();
    let restore = if run.script.changes_session {
        session.restore_settings.as_str()
    } else {
        ""
    };
    let clean = format!(
        "{restore}{put_back}{BEGIN}{}{release}COMMIT;",
        bookkeeping(session, run, Started::ClockMinus(ms), "")
    );
    session
        .client
        .batch_execute(&clean)
        .with_context(|| format!("recording {} as applied; {}", run.script.label, help()))
}

/// Marks the database dirty at `dirty_at` before the statements run, and returns the SQL
/// that puts the session's lock timeout back afterwards.
///
/// The lock timeout is the session's here (there is no transaction to keep it to), set
/// with the mark and put back with the bookkeeping — in session mode only: through a
/// transaction pooler the server connection is shared, each statement may get another,
/// and the setting would stay behind for whoever uses it next.
fn mark_dirty(
    session: &mut Session<'_>,
    run: &Run<'_>,
    dirty_at: Option<i64>,
) -> anyhow::Result<String> {
    let session_level = session.mode == crate::db::LockMode::Session;
    let set_timeout = if session_level {
        format!(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', '{}', false);\n",
            run.lock_timeout.as_millis()
        )
    } else {
        run.events.on(Event::Detail(&format!(
            "{}: no lock timeout for its statements (through a transaction pooler it would stay \
             on the shared server connection)",
            run.script.label
        )));
        String::new()
    };
    let mark = format!(
        "{set_timeout}{BEGIN}{}{}{}COMMIT;",
        session.step_guard(run.current),
        session.take_lease_sql(),
        session.tables.set_version_sql(dirty_at, true)
    );
    let marked = session.under_key(&mark, run.events);
    if let Err(err) = &marked {
        if let Some(refusal) = session.lock_refusal(err) {
            return Err(refusal);
        }
        if moved(err) {
            session.lease_not_taken();
            let _ = session.client.batch_execute("ROLLBACK");
            return Err(anyhow::Error::new(Moved));
        }
    }
    let marked = marked.context("marking the database dirty")?;
    if !session_level {
        return Ok(String::new());
    }
    let previous = first_row(&marked)
        .and_then(|row| row.get(0).map(str::to_string))
        .unwrap_or_else(|| "0".to_string());
    Ok(format!(
        "SELECT set_config('lock_timeout', {}, false);\n",
        crate::sql::quote::quote_literal(&previous)
    ))
}

/// A statement that failed: the error, which statement (when known), and where in the file.
type Failed = (WireError, Option<usize>, Option<usize>);

/// Sends the script's statements; the failure, if one failed.
fn send_statements(session: &mut Session<'_>, run: &Run<'_>) -> anyhow::Result<Option<Failed>> {
    let script = run.script;
    if script.own_transactions.is_some() {
        // As golang-migrate sends it: the file as one message, where the server runs the
        // statements outside its BEGIN … COMMIT blocks as implicit transactions.
        let body = &script.text[script.body()];
        return Ok(session.client.batch_execute(body).err().map(|err| {
            let offset = err
                .server()
                .and_then(|db| sql_error::reported_offset(db, body, script.body().start, 0));
            let at = offset.and_then(|o| script.statements.iter().rposition(|s| s.start <= o));
            (err, at, offset)
        }));
    }
    for (i, statement) in script.statements.iter().enumerate() {
        if i > 0 {
            session.renew_lease()?;
        }
        if let Err(err) = run_statement(session, run, statement) {
            let offset = statement_offset(script, statement, err.server());
            return Ok(Some((err, Some(i), Some(offset))));
        }
    }
    Ok(None)
}

/// The error of a failed statement, after the connection is put back as it came and the
/// history has noted which statements ran.
fn failure_of(
    session: &mut Session<'_>,
    run: &Run<'_>,
    put_back: &str,
    (err, at, offset): Failed,
    help: &str,
) -> anyhow::Error {
    let script = run.script;
    // Best effort: a borrowed connection goes back to its owner as it came (and a block of
    // the file's own that the failure left open is ended).
    let _ = session.client.batch_execute("ROLLBACK");
    let _ = session.client.batch_execute(put_back);
    if script.changes_session {
        let _ = session.client.batch_execute(&session.restore_settings);
    }
    // Kept in the history, so that whoever recovers the dirty database later knows which
    // statements ran (best effort: the connection may be what failed).
    let note = failure_note(script, at, err.server());
    let _ = session.client.batch_execute(&session.tables.failed_sql(
        run.migration.version,
        &run.migration.name,
        &script.checksum,
        &note,
    ));
    let kind = if script.own_transactions.is_some() {
        "its own transactions, sent as one message"
    } else {
        "no-transaction"
    };
    let at = at.map_or(String::new(), |i| {
        format!(" at statement {} of {}", i + 1, script.statements.len())
    });
    let headline = format!("migration {} ({kind}) failed{at}; {help}", script.label);
    match err.server() {
        Some(db) => failure(&headline, (run.migration.version, script), offset, db, true),
        None => anyhow::Error::new(err).context(headline),
    }
}

/// Invalid indexes this migration is responsible for: new ones, or ones it names (a rerun
/// whose `IF NOT EXISTS` found the one a failed attempt left). Others, such as a build in
/// progress elsewhere, are not this migration's business.
fn refuse_invalid_indexes(
    session: &mut Session<'_>,
    run: &Run<'_>,
    invalid_before: &[String],
    help: &dyn Fn() -> String,
) -> anyhow::Result<()> {
    let invalid: Vec<String> = crate::db::invalid_indexes(&mut session.client)?
        .into_iter()
        .filter(|ix| {
            let bare = ix.rsplit('.').next().unwrap_or(ix).trim_matches('"');
            !invalid_before.contains(ix) || run.script.text.contains(bare)
        })
        .collect();
    if invalid.is_empty() {
        return Ok(());
    }
    Err(anyhow::anyhow!(
        "migration {} ran, but {} INVALID (a CONCURRENTLY build failed, now or in an earlier \
         attempt, and `IF NOT EXISTS` kept it); drop {} with DROP INDEX CONCURRENTLY and run \
         the migration's statements again; {}",
        run.script.label,
        if invalid.len() == 1 {
            format!("index {} is", invalid[0])
        } else {
            format!("indexes {} are", invalid.join(", "))
        },
        if invalid.len() == 1 { "it" } else { "them" },
        help()
    ))
}
