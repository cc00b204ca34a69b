//! The migration lock: one session-level advisory lock per command, keyed exactly as
//! golang-migrate keys it so that ferry and golang-migrate never migrate one database at
//! the same time. ferry waits at most `--lock-timeout` and says who holds the lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::wire::{Message, Wire};
use crate::error;
use crate::events::{Event, Events};

/// golang-migrate's key: crc32(schema \0 table \0 dbname) × 1486364155, wrapped to 32 bits.
///
/// golang-migrate's dbname is the URL path with its leading slash. ferry always uses
/// `/` + current_database(), so every ferry process agrees on the key however it was
/// given the connection, and agrees with golang-migrate for any URL naming the database.
pub fn key(schema: &str, table: &str, dbname: &str) -> i64 {
    let input = format!("{schema}\0{table}\0{dbname}");
    key_of(&input)
}

fn key_of(input: &str) -> i64 {
    const SALT: u32 = 1_486_364_155;
    i64::from(crc32fast::hash(input.as_bytes()).wrapping_mul(SALT))
}

/// The condition on a `pg_locks` row (as `l`) that it is this key's advisory lock, granted.
/// A bigint advisory key appears there split into classid (high 32 bits) and objid (low
/// 32 bits), with objsubid 1.
fn granted(key: i64) -> String {
    format!(
        "l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
         AND l.classid::bigint = ({key}::bigint >> 32) \
         AND l.objid::bigint = ({key}::bigint & 4294967295)"
    )
}

/// Whether the first column of the answer's first row is true.
fn says_true(messages: &[Message]) -> bool {
    messages.iter().any(|m| match m {
        Message::Row(row) => row.get(0) == Some("t"),
        _ => false,
    })
}

/// Takes the lock, polling until `deadline` or until `stop` is set. The first time it is
/// found taken, and when giving up, the holder is named, and the wait the user asked for
/// (`asked`, `--lock-timeout`: the deadline may be what is left of it after a lease was
/// waited out). `pid`: the session's server process when it started; the lock is taken
/// only on that one (see [`try_lock`]).
pub(crate) fn acquire(
    client: &mut dyn Wire,
    key: i64,
    pid: Option<i32>,
    (deadline, asked): (Instant, Duration),
    events: &dyn Events,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let mut told = false;
    loop {
        if try_lock(client, key, pid)? {
            return Ok(());
        }
        if stop.load(Ordering::SeqCst) {
            return Err(error::interrupted(
                "interrupted while waiting for the migration lock; nothing was changed",
            ));
        }
        let holder = holder(client, key).unwrap_or_else(|_| "another session".to_string());
        if Instant::now() >= deadline {
            return Err(error::lock_held(
                &holder,
                format!(
                "the migration lock is held by {holder}; gave up after {}. Wait for that run to \
                 finish, or raise --lock-timeout",
                humantime::format_duration(asked)
            ),
            ));
        }
        if !told {
            events.on(Event::LockWait { holder: &holder });
            told = true;
        }
        std::thread::sleep(Duration::from_millis(100).min(deadline - Instant::now()));
    }
}

/// One round trip. The key is a number ferry computed, so it is sent as a literal in a
/// simple query: a parameter would need a prepared statement, a second round trip.
///
/// A session lock needs a session: behind a transaction pooler (PgBouncer, Supavisor in
/// transaction mode) each statement may run on another server process, and a lock taken
/// there stays on a connection other clients share. So the lock is taken only if the
/// server process is still the one the session started on, and does not hold it already:
/// advisory locks are re-entrant, so a server process that holds it is one another client
/// of the pooler took it on, and a second "taking" would let two runs migrate at once.
/// Either is refused.
fn try_lock(client: &mut dyn Wire, key: i64, pid: Option<i32>) -> anyhow::Result<bool> {
    let same = pid.map_or("true".to_string(), |pid| {
        format!("pg_backend_pid() = {pid}")
    });
    let held = format!(
        "EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = pg_backend_pid() AND {})",
        granted(key)
    );
    let messages = client
        .simple_query(&format!(
            "SELECT CASE WHEN {same} AND NOT {held} THEN pg_try_advisory_lock({key}) END, \
                    pg_backend_pid(), {held}"
        ))
        .context("taking the migration lock")?;
    let row = messages.iter().find_map(|m| match m {
        Message::Row(row) => Some(row),
        _ => None,
    });
    let Some(row) = row else {
        return Ok(false);
    };
    if row.get(0).is_none() {
        let now = row.get(1).unwrap_or("?");
        if row.get(2) == Some("t") {
            return Err(shared(now));
        }
        return Err(pooled(pid, now));
    }
    Ok(row.get(0) == Some("t"))
}

/// SQLSTATE raised by a transaction that runs on another server process than the one that
/// holds the session lock.
pub(crate) const POOLED: &str = "FE004";

/// Fails the transaction ([`POOLED`]) unless it runs on server process `pid`.
pub(crate) fn same_process_sql(pid: i32) -> String {
    format!(
        "DO $ferry$ BEGIN IF pg_backend_pid() <> {pid} THEN RAISE EXCEPTION \
         'not the session''s server process' USING ERRCODE = '{POOLED}'; END IF; END $ferry$;\n"
    )
}

/// The refusal of session mode behind a transaction pooler: the server process changed
/// from `before` to `after` (when known).
pub(crate) fn pooled(before: Option<i32>, after: &str) -> anyhow::Error {
    error::usage(format!(
        "the server process of this session changed between two statements (pid {}, then \
         {after}): a transaction pooler is in between (PgBouncer, Supavisor or a proxy in \
         transaction mode), where a session lock would stay on a server connection others \
         share; run with --lock-mode transaction (or FERRY_LOCK_MODE=transaction)",
        before.map_or("?".to_string(), |p| p.to_string())
    ))
}

/// The refusal of session mode behind a transaction pooler, found because the server
/// process this session's statement ran on holds the lock already, for another client.
fn shared(pid: &str) -> anyhow::Error {
    error::usage(format!(
        "the server process this session's statement ran on (pid {pid}) already holds the \
         migration lock for another client: a transaction pooler is in between (PgBouncer, \
         Supavisor or a proxy in transaction mode), where a session lock would stay on a \
         server connection others share; run with --lock-mode transaction (or \
         FERRY_LOCK_MODE=transaction)"
    ))
}

/// Whether a failure is [`same_process_sql`]'s.
pub(crate) fn is_pooled(err: &super::wire::WireError) -> bool {
    err.server().is_some_and(|db| db.code().code() == POOLED)
}

/// Gives the lock back. `pid`: the server process it was taken on (the session's first).
pub(crate) fn release(client: &mut dyn Wire, key: i64, pid: Option<i32>) -> anyhow::Result<()> {
    let messages = client
        .simple_query(&format!("SELECT pg_advisory_unlock({key})"))
        .context("releasing the migration lock")?;
    if !says_true(&messages) {
        // Not held on this server process: a pooler moved the session; find the one.
        release_anywhere(client, key, pid);
    }
    Ok(())
}

/// Gives the lock back from the server process `pid` that holds it, when the session's
/// statements go to several (a transaction pooler): the unlock is sent again until one
/// reaches it, for two seconds at most. Between tries, that server process is ended if
/// it sits idle in the pooler still holding the lock — nothing else can give it back,
/// and a lock left there would stop every later run. (Only that process: it took the
/// lock for this session, and a process holding the lock refuses to take it for anyone
/// else, see [`try_lock`]. One in another client's transaction is left alone.)
pub(crate) fn release_anywhere(client: &mut dyn Wire, key: i64, pid: Option<i32>) {
    let deadline = Instant::now() + Duration::from_secs(2);
    let end_idle_holder = pid.map(|pid| {
        format!(
            "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a \
             WHERE a.pid = {pid} AND a.pid <> pg_backend_pid() AND a.state = 'idle' \
               AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND {})",
            granted(key)
        )
    });
    let yes = |messages: Vec<Message>| says_true(&messages);
    while Instant::now() < deadline {
        let unlocked = client
            .simple_query(&format!("SELECT pg_advisory_unlock({key})"))
            .ok()
            .map(yes);
        if unlocked != Some(false) {
            return;
        }
        if let Some(sql) = &end_idle_holder {
            if client.simple_query(sql).ok().map(yes) == Some(true) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// "pid 123 (ferry, user app, for 4s)". A simple query (the key is ferry's own number),
/// so a transaction pooler has no statement to lose.
pub(crate) fn holder(client: &mut dyn Wire, key: i64) -> anyhow::Result<String> {
    let messages = client.simple_query(&format!(
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), \
                coalesce(a.usename::text, '?'), \
                coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.backend_start))::bigint, 0) \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE {} \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        granted(key)
    ))?;
    let Some(row) = super::wire::first_row(&messages) else {
        anyhow::bail!("holder not visible");
    };
    let text = |i| row.get(i).unwrap_or("?");
    Ok(format!(
        "pid {} ({}, user {}, for {}s)",
        text(0),
        text(1),
        text(2),
        text(3)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_golang_migrate_check_values() {
        assert_eq!(key("public", "schema_migrations", "/mydb"), 616_192_132);
        assert_eq!(key("public", "schema_migrations", "mydb"), 2_103_762_914);
        assert_eq!(key_of("database_name"), 1_764_327_054);
    }

    #[test]
    fn key_is_non_negative_and_fits_32_bits() {
        for db in ["/a", "/b", "/app_production", "/x"] {
            let k = key("public", "schema_migrations", db);
            assert!((0..=i64::from(u32::MAX)).contains(&k));
        }
    }
}
