//! The migration lock: one session-level advisory lock per command, keyed exactly as
//! golang-migrate keys it so that ferry and golang-migrate never migrate one database at
//! the same time. ferry waits at most `--lock-timeout` and says who holds the lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::wire::{Message, Wire};
use anyhow::Context;

use crate::engine::events::{Event, Events};
use crate::error;

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

/// Takes the lock, polling until `timeout` or until `stop` is set. The first time it is
/// found taken, and when giving up, the holder is named.
pub fn acquire(
    client: &mut dyn Wire,
    key: i64,
    timeout: Duration,
    events: &dyn Events,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut told = false;
    loop {
        if try_lock(client, key)? {
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
                humantime::format_duration(timeout)
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
fn try_lock(client: &mut dyn Wire, key: i64) -> anyhow::Result<bool> {
    let messages = client
        .simple_query(&format!("SELECT pg_try_advisory_lock({key})"))
        .context("taking the migration lock")?;
    Ok(messages.iter().any(|m| match m {
        Message::Row(row) => row.get(0) == Some("t"),
        _ => false,
    }))
}

pub fn release(client: &mut dyn Wire, key: i64) -> anyhow::Result<()> {
    client
        .batch_execute(&format!("SELECT pg_advisory_unlock({key})"))
        .context("releasing the migration lock")
}

/// "pid 123 (ferry, user app, for 4s)". A bigint advisory key appears in pg_locks split
/// into classid (high 32 bits) and objid (low 32 bits), with objsubid 1. A simple query
/// (the key is ferry's own number), so a transaction pooler has no statement to lose.
fn holder(client: &mut dyn Wire, key: i64) -> anyhow::Result<String> {
    let messages = client.simple_query(&format!(
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), \
                coalesce(a.usename::text, '?'), \
                coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.backend_start))::bigint, 0) \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
           AND l.classid::bigint = ({key}::bigint >> 32) AND l.objid::bigint = ({key}::bigint & 4294967295) \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
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
