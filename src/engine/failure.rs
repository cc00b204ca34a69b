//! Explaining a failed migration: where in the file it failed (line, column, caret), what
//! the server said, who held the lock a statement waited for, and how to recover (the
//! dirty database's help text).

use postgres::error::SqlState;

use crate::db::wire::{Message, ServerError, Wire, WireError};
use crate::db::Session;
use crate::engine::script::{Run, Sent, TxShape};
use crate::migration::{Migration, Script};
use crate::plan::Interrupted;
use crate::sql::quote::quote_literal;
use crate::sql::server_error::{self as sql_error, Location};
use crate::sql::split::line_col;

/// The connection went away (server restart, terminated backend, network) while `run`
/// ran: PostgreSQL rolls back a transaction whose session ends, leaving `version`.
pub(crate) fn lost(err: WireError, run: &Run<'_>, version: Option<i64>) -> anyhow::Error {
    anyhow::Error::new(err).context(format!(
        "lost the connection while running {}; the server rolls back an unfinished \
         transaction, so the database stays at {} (not dirty): check the server and run \
         `ferry up` again",
        run.script.label,
        describe(version)
    ))
}

/// The report on a transactional migration the server refused (and that was rolled back):
/// what happened to the database, where in the file (what was `sent`, and `prefix_chars`:
/// how much of the message came before the file's SQL), the server's fields.
pub(crate) fn explain(
    session: &mut Session<'_>,
    run: &Run<'_>,
    tx: TxShape,
    initial: Option<i64>,
    db: &ServerError,
    (sent, prefix_chars): (Sent<'_>, usize),
    attempt: u32,
) -> anyhow::Error {
    let headline = if db.code() == &SqlState::LOCK_NOT_AVAILABLE {
        format!(
            "migration {} waited longer than its lock timeout ({}) for a lock{} and was rolled back; \
             the database stays at {} (not dirty). Holding the locks it needs: {}. Retry when they \
             are gone, or raise --ddl-lock-timeout (or `-- ferry:lock-timeout` in the file)",
            run.script.label,
            humantime::format_duration(run.lock_timeout),
            match attempt {
                0 => String::new(),
                n => format!(" on each of {} tries", n + 1),
            },
            describe(if tx.single { initial } else { run.current }),
            lock_holders(session, run.script)
        )
    } else if tx.single {
        format!(
            "migration {} failed; the whole --single-transaction run was rolled back: nothing was \
             applied and the database stays at {} (not dirty)",
            run.script.label,
            describe(initial)
        )
    } else {
        format!(
            "migration {} failed and was rolled back; the database stays at {} (not dirty)",
            run.script.label,
            describe(run.current)
        )
    };
    let script = run.script;
    let offset = match sent {
        Sent::Statement(statement) => Some(statement_offset(script, statement, Some(db))),
        Sent::Frame => None,
        Sent::Whole => sql_error::reported_offset(
            db,
            &script.text[script.body()],
            script.body().start,
            prefix_chars,
        )
        .or_else(|| match script.statements.as_slice() {
            [only] => Some(only.start),
            _ if !tx.single && worth_rerunning(db) => locate_by_rerun(session, script),
            _ => None,
        }),
    };
    failure(
        &headline,
        (run.migration.version, run.script),
        offset,
        db,
        false,
    )
}

/// The sessions holding locks on the tables a script names: "pid 123 (reporting, idle in
/// transaction, for 12s: SELECT …)". Read after the wait, when ferry's own request is gone,
/// so it asks who holds a lock on those tables rather than whom ferry waited for.
pub(crate) fn lock_holders(session: &mut Session<'_>, script: &Script) -> String {
    let names = crate::sql::classify::identifiers(&script.text[script.body()]);
    let names: Vec<String> = names.iter().map(|n| quote_literal(n)).collect();
    let sql = format!(
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), \
                coalesce(a.state, '?'), \
                coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint, 0), \
                left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 60) \
         FROM pg_stat_activity a \
         WHERE a.pid <> pg_backend_pid() AND a.pid IN ( \
           SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
           WHERE l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND c.relname = ANY(ARRAY[{}]::text[])) \
         ORDER BY a.pid",
        names.join(", ")
    );
    let holders: Vec<String> = session
        .client
        .simple_query(&sql)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| match m {
                    Message::Row(r) => Some(r),
                    Message::Complete => None,
                })
                .map(|r| {
                    let text = |i| r.get(i).unwrap_or("?");
                    format!(
                        "pid {} ({}, {}, for {}s: {})",
                        text(0),
                        text(1),
                        text(2),
                        text(3),
                        text(4)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if holders.is_empty() {
        "no session holds one any more".to_string()
    } else {
        holders.join("; ")
    }
}

pub(crate) fn locate_by_rerun(session: &mut Session<'_>, script: &Script) -> Option<usize> {
    session.client.batch_execute("BEGIN").ok()?;
    let mut found = None;
    for statement in &script.statements {
        if let Err(err) = session.client.batch_execute(statement.text(&script.text)) {
            found = Some(statement_offset(script, statement, err.server()));
            break;
        }
    }
    let _ = session.client.batch_execute("ROLLBACK");
    found
}

/// Offset of an error inside one statement that was sent on its own.
pub(crate) fn statement_offset(
    script: &Script,
    statement: &crate::sql::split::Statement,
    db: Option<&ServerError>,
) -> usize {
    let text = statement.text(&script.text);
    db.and_then(|db| sql_error::reported_offset(db, text, statement.start, 0))
        .unwrap_or(statement.start)
}

/// Which statements of a migration without a transaction ran before statement `at` (when
/// known) failed with `db`'s error.
pub(crate) fn failure_note(script: &Script, at: Option<usize>, db: Option<&ServerError>) -> String {
    let total = script.statements.len();
    let error = db.map_or("the connection was lost".to_string(), |db| {
        format!("{}: {}", db.severity, db.message)
    });
    let failed = |i: usize| {
        format!(
            "statement {} of {total} (line {}) failed ({error})",
            i + 1,
            script.statements[i].line
        )
    };
    match (script.own_transactions.is_some(), at) {
        (true, Some(i)) => format!(
            "sent as one message, {}; what its COMMITs committed before that stays",
            failed(i)
        ),
        (true, None) => format!(
            "sent as one message, it failed ({error}); what its COMMITs committed before that stays"
        ),
        (false, Some(0)) => format!("none of its statements ran: {}", failed(0)),
        (false, Some(i)) => format!("statements 1 to {i} ran, then {}", failed(i)),
        (false, None) => format!("it failed ({error})"),
    }
}

/// A migration's failure as the error the caller gets: `version`'s `script` refused at
/// `offset` (when known), rendered with `headline` and the server's fields.
pub(crate) fn failure(
    headline: &str,
    (version, script): (i64, &Script),
    offset: Option<usize>,
    db: &ServerError,
    dirty: bool,
) -> anyhow::Error {
    let location = offset.map(|offset| Location {
        label: &script.label,
        text: &script.text,
        offset,
    });
    let (line, column) = offset.map_or((None, None), |o| {
        let (line, column) = line_col(&script.text, o);
        (Some(line), Some(column))
    });
    anyhow::Error::new(MigrationError {
        version,
        file: script.path.clone(),
        line,
        column,
        sqlstate: db.code.code().to_string(),
        message: db.message.clone(),
        dirty,
        rendered: sql_error::render(headline, location, db),
    })
}

/// A first run on a database with no bookkeeping whose migration found its object already
/// there ("relation … already exists"): the schema came from elsewhere, and the way on is to
/// record the version it matches rather than to edit the migrations.
pub(crate) fn baseline_hint(err: anyhow::Error) -> anyhow::Error {
    const ALREADY_EXISTS: [&str; 5] = ["42P07", "42710", "42P06", "42723", "42P04"];
    match err.downcast::<MigrationError>() {
        Ok(mut failed) if ALREADY_EXISTS.contains(&failed.sqlstate.as_str()) => {
            failed.rendered.push_str(
                "\nhint: this database had no migration history when the run started, yet \
                 what the migration creates is already there: its schema came from elsewhere \
                 (a restore, another tool, by hand). If it matches the migrations up to version \
                 V, record that without running them — `ferry force V`, then `ferry up` applies \
                 the rest; `ferry adopt` does it from goose, dbmate, sqlx, Flyway or sql-migrate \
                 tables",
            );
            anyhow::Error::new(failed)
        }
        Ok(failed) => anyhow::Error::new(failed),
        Err(other) => other,
    }
}

/// A migration the server refused: where, what, and whether it left the database dirty.
/// Displayed, it is the whole rendered report (location, source line, caret, fields).
#[derive(Debug, Clone)]
pub struct MigrationError {
    pub version: i64,
    pub file: std::path::PathBuf,
    /// 1-based, when the failing position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub sqlstate: String,
    /// The server's message, e.g. `relation "users" already exists`.
    pub message: String,
    /// Only a no-transaction migration can leave the database dirty.
    pub dirty: bool,
    pub(crate) rendered: String,
}

impl std::fmt::Display for MigrationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for MigrationError {}

/// "version 3", or "no version".
pub(crate) fn describe(version: Option<i64>) -> String {
    version.map_or("no version".to_string(), |v| format!("version {v}"))
}

/// What to do about a dirty database, with the exact `ferry force` commands: which
/// migration stopped part way, in which direction, and what to record once a person has
/// finished or undone it by hand. Where the records cannot tell the direction, both
/// readings are given.
pub(crate) fn dirty_help(
    row: Option<i64>,
    interrupted: Option<Interrupted>,
    migrations: &[Migration],
    note: Option<&str>,
) -> String {
    let ran = note.map_or(String::new(), |note| format!(": {note}"));
    let label = |v: i64| {
        migrations
            .iter()
            .find(|m| m.version == v)
            .map_or(String::new(), |m| format!(" ({})", m.up.label))
    };
    let down_label = |v: i64| {
        migrations
            .iter()
            .find(|m| m.version == v)
            .and_then(|m| m.down.as_ref())
            .map_or(String::new(), |d| format!(" ({})", d.label))
    };
    let previous = |v: i64| {
        migrations
            .iter()
            .rev()
            .map(|m| m.version)
            .find(|&p| p < v)
            .map_or("none".to_string(), |p| p.to_string())
    };
    let shown = |v: Option<i64>| v.map_or("none".to_string(), |v| v.to_string());
    let golang = format!(
        "(golang-migrate: Dirty database version {}. Fix and force version.)",
        row.unwrap_or(-1)
    );
    let at = match row {
        Some(v) => format!("the database is dirty at version {v}"),
        None => "the database is dirty with no version".to_string(),
    };
    let inspect =
        "Inspect the schema and finish or undo its statements by hand, then record the result:";
    match interrupted {
        Some(Interrupted::Up(v)) => format!(
            "{at}: the up migration of version {v}{} stopped part way{ran}. {inspect} `ferry force {v}` if all its changes are in place, `ferry force \
             {}` if none are {golang}",
            label(v),
            previous(v)
        ),
        Some(Interrupted::Down { version, back_to }) => format!(
            "{at}: the down migration of version {version}{} stopped part way{ran} (a down marks \
             the version it returns to). {inspect} `ferry force {}` \
             if the down finished, `ferry force {version}` if none of it ran {golang}",
            down_label(version),
            shown(back_to)
        ),
        Some(Interrupted::Either { at: v, next }) => format!(
            "{at}, and no ferry history says which migration stopped part way (golang-migrate \
             left this row). Either the up migration of version {v}{} stopped: `ferry force {v}` \
             if all its changes are in place, `ferry force {}` if none are; or the down migration \
             of version {next}{} stopped: `ferry force {v}` if it finished, `ferry force {next}` if \
             none of it ran. Inspect the schema to tell which, finish or undo it by hand, then \
             run the one that fits {golang}",
            label(v),
            previous(v),
            down_label(next),
        ),
        None => format!(
            "{at}: a migration without a transaction stopped part way. Inspect the schema, finish \
             or undo it by hand, then run `ferry force V` with the version it is at {golang}"
        ),
    }
}

/// Without a position, which of several statements failed is unknown. Running them one
/// by one in a transaction that is rolled back finds it; not for errors whose cause is
/// time or contention, which would only cost the same wait twice.
pub(crate) fn worth_rerunning(db: &ServerError) -> bool {
    ![
        SqlState::QUERY_CANCELED,
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::ADMIN_SHUTDOWN,
    ]
    .contains(db.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Interrupted;

    #[test]
    fn dirty_help_names_both_force_commands() {
        let help = dirty_help(Some(3), Some(Interrupted::Up(3)), &[], None);
        assert!(
            help.contains("`ferry force 3`") && help.contains("`ferry force none`"),
            "{help}"
        );
        assert!(help.contains("Dirty database version 3. Fix and force version."));
    }

    #[test]
    fn dirty_help_after_a_down_forces_back_or_forward() {
        let down = Interrupted::Down {
            version: 2,
            back_to: Some(1),
        };
        let help = dirty_help(Some(1), Some(down), &[], None);
        assert!(help.contains("down migration of version 2"), "{help}");
        assert!(
            help.contains(
                "`ferry force 1` if the down finished, `ferry force 2` if none of it ran"
            ),
            "{help}"
        );
        let first = Interrupted::Down {
            version: 1,
            back_to: None,
        };
        let help = dirty_help(None, Some(first), &[], None);
        assert!(
            help.contains("`ferry force none` if the down finished, `ferry force 1` if none"),
            "{help}"
        );
        assert!(help.contains("Dirty database version -1."), "{help}");
    }

    #[test]
    fn dirty_help_without_history_gives_both_readings() {
        let help = dirty_help(
            Some(1),
            Some(Interrupted::Either { at: 1, next: 2 }),
            &[],
            None,
        );
        assert!(
            help.contains(
                "`ferry force 1` if all its changes are in place, `ferry force none` if none are"
            ),
            "{help}"
        );
        assert!(
            help.contains("`ferry force 1` if it finished, `ferry force 2` if none of it ran"),
            "{help}"
        );
    }
}
