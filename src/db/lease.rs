//! The pooler-safe half of the migration lock (`--lock-mode transaction`). Behind a
//! transaction pooler (PgBouncer, Supavisor) a session advisory lock stays on whichever
//! server connection took it, so there every migration's own transaction takes
//! golang-migrate's key with `pg_advisory_xact_lock` instead, and checks that the version
//! row is still the one it planned from ([`expect_sql`]). What cannot run inside one
//! transaction — a no-transaction migration, `seed`, `restore`, `force`, `drop`, `adopt` —
//! holds a lease: one row in `<table>_lock` (owner, host, pid, acquired, heartbeat,
//! expires), taken under the same key, renewed while the work goes on, and taken over
//! once a crashed holder's lease has expired.

use std::time::Duration;

use super::wire::{Message, Wire};
use anyhow::Context;

use super::state::{quote_ident, quote_literal, Tables};

/// How long a lease lasts without being renewed: a crashed holder keeps others out this
/// long at most (and a migration it left half done is dirty, which they refuse anyway).
pub(crate) const LEASE: Duration = Duration::from_secs(120);

/// SQLSTATE raised when a migration's transaction finds the database moved since it
/// planned, or leased to another run.
pub(crate) const MOVED: &str = "FE001";

/// `"schema"."<table>_lock"`.
pub(crate) fn table(tables: &Tables) -> String {
    format!(
        "{}.{}",
        quote_ident(&tables.schema),
        quote_ident(&format!("{}_lock", tables.name))
    )
}

pub(crate) fn create_sql(tables: &Tables) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (id int PRIMARY KEY CHECK (id = 1), owner text NOT NULL, \
         host text NOT NULL, pid int NOT NULL, acquired timestamptz NOT NULL, \
         heartbeat timestamptz NOT NULL, expires timestamptz NOT NULL);\n",
        table(tables)
    )
}

/// Gave up waiting (exit 4) for the lease `holder` has.
pub(crate) fn held(holder: &str, waited: Duration) -> anyhow::Error {
    crate::error::lock_held(
        holder,
        format!(
            "the migration lease is held by {holder}; gave up after {}. Wait for that run to \
             finish (or its lease to expire), or raise --lock-timeout",
            humantime::format_duration(waited)
        ),
    )
}

/// SQLSTATE raised by a transaction that found golang-migrate's key taken (see
/// [`xact_lock_sql`]).
pub(crate) const LOCKED: &str = "FE005";

/// Takes golang-migrate's key for the rest of this transaction, without waiting: a
/// transaction that waited for it could be what a session-mode run's `CREATE INDEX
/// CONCURRENTLY` waits for in turn (it waits for every older transaction), a deadlock. So
/// the transaction fails ([`LOCKED`]) and is tried again from outside, after a pause.
pub(crate) fn xact_lock_sql(key: i64) -> String {
    format!(
        "DO $ferry$ BEGIN IF NOT pg_try_advisory_xact_lock({key}) THEN RAISE EXCEPTION \
         'the migration lock is taken' USING ERRCODE = '{LOCKED}'; END IF; END $ferry$;\n"
    )
}

/// [`xact_lock_sql`] for many keys at once (a schema-per-tenant fleet read together).
pub(crate) fn xact_locks_sql(keys: &[i64]) -> String {
    let keys: Vec<String> = keys.iter().map(i64::to_string).collect();
    format!(
        "DO $ferry$ BEGIN IF NOT (SELECT bool_and(pg_try_advisory_xact_lock(k)) FROM \
         unnest(ARRAY[{}]::bigint[]) k) THEN RAISE EXCEPTION 'the migration lock is taken' \
         USING ERRCODE = '{LOCKED}'; END IF; END $ferry$;\n",
        keys.join(", ")
    )
}

/// Whether a failure is [`xact_lock_sql`]'s.
pub(crate) fn is_locked(err: &super::wire::WireError) -> bool {
    err.server().is_some_and(|db| db.code().code() == LOCKED)
}

/// Fails the transaction (SQLSTATE [`MOVED`]) unless the version row is still `current`
/// and clean, and no other run holds a live lease.
pub(crate) fn expect_sql(tables: &Tables, current: Option<i64>, owner: &str) -> String {
    let row = match current {
        Some(v) => format!(
            "EXISTS (SELECT 1 FROM {t} WHERE version = {v} AND NOT dirty)",
            t = tables.versions()
        ),
        None => format!("NOT EXISTS (SELECT 1 FROM {t})", t = tables.versions()),
    };
    format!(
        "DO $ferry$ BEGIN IF NOT ({row}) OR EXISTS (SELECT 1 FROM {l} WHERE owner <> {o} AND \
         expires > now()) THEN RAISE EXCEPTION 'the database moved or is leased to another run' \
         USING ERRCODE = '{MOVED}'; END IF; END $ferry$;\n",
        l = table(tables),
        o = quote_literal(owner)
    )
}

/// Takes the lease for `owner`, or renews it, unless another run holds a live one.
pub(crate) fn take_sql(tables: &Tables, owner: &str, host: &str) -> String {
    let secs = LEASE.as_secs();
    format!(
        "INSERT INTO {l} AS l VALUES (1, {o}, {h}, pg_backend_pid(), now(), now(), \
           now() + interval '{secs} seconds') \
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, host = excluded.host, \
           pid = excluded.pid, acquired = CASE WHEN l.owner = excluded.owner THEN l.acquired \
           ELSE now() END, heartbeat = now(), expires = excluded.expires \
         WHERE l.owner = excluded.owner OR l.expires <= now();\n",
        l = table(tables),
        o = quote_literal(owner),
        h = quote_literal(host)
    )
}

pub(crate) fn release_sql(tables: &Tables, owner: &str) -> String {
    format!(
        "DELETE FROM {} WHERE owner = {};\n",
        table(tables),
        quote_literal(owner)
    )
}

/// Whether `owner` holds a live lease.
pub(crate) fn ours(client: &mut dyn Wire, tables: &Tables, owner: &str) -> anyhow::Result<bool> {
    let sql = format!(
        "SELECT 1 FROM {} WHERE owner = {} AND expires > now()",
        table(tables),
        quote_literal(owner)
    );
    let messages = client
        .simple_query(&sql)
        .context("reading the migration lease")?;
    Ok(messages.iter().any(|m| matches!(m, Message::Row(_))))
}

/// Who holds the lease, if a live one is held by another run: "ferry-deploy@web-1 (host
/// web-1, pid 4242) since 12:00:01, for 80s more".
pub(crate) fn holder(
    client: &mut dyn Wire,
    tables: &Tables,
    owner: &str,
) -> anyhow::Result<Option<String>> {
    let sql = format!(
        "SELECT owner, host, pid, to_char(acquired AT TIME ZONE 'UTC', 'HH24:MI:SS'), \
           ceil(extract(epoch FROM expires - clock_timestamp()))::bigint, \
           floor(extract(epoch FROM clock_timestamp() - heartbeat))::bigint \
         FROM {} WHERE owner <> {} AND expires > now()",
        table(tables),
        quote_literal(owner)
    );
    let messages = client
        .simple_query(&sql)
        .context("reading the migration lease")?;
    Ok(messages.iter().find_map(|m| match m {
        Message::Row(r) => {
            let silent: u64 = r.get(5).and_then(|s| s.parse().ok()).unwrap_or(0);
            let left = r.get(4).unwrap_or_default();
            let state = if silent > 2 * BEAT.as_secs() {
                // A live run renews every BEAT: this one has gone quiet.
                format!(
                    "; it has not renewed the lease for {silent}s (a live run does every {}s), so \
                     its run is likely gone (killed, or its connection lost): the lease expires \
                     in {left}s, and the next run takes over then",
                    BEAT.as_secs()
                )
            } else {
                format!(", for {left}s more unless renewed")
            };
            Some(format!(
                "{} (host {}, pid {}) since {} UTC{state}",
                r.get(0).unwrap_or_default(),
                r.get(1).unwrap_or_default(),
                r.get(2).unwrap_or_default(),
                r.get(3).unwrap_or_default(),
            ))
        }
        _ => None,
    }))
}

/// A name for this run in the lease: host, process and a start time, so two runs on one
/// machine differ.
pub(crate) fn owner_name() -> (String, String) {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".to_string());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (
        format!("ferry:{host}:{}:{nanos:x}", std::process::id()),
        host,
    )
}

/// Extends this run's lease (never takes one it does not hold) from now — the statement's
/// own time, so that inside a transaction it counts from the commit, not from the
/// transaction's start.
pub(crate) fn renew_sql(tables: &Tables, owner: &str) -> String {
    format!(
        "UPDATE {} SET heartbeat = clock_timestamp(), expires = clock_timestamp() + interval '{} seconds' WHERE owner = {};\n",
        table(tables),
        LEASE.as_secs(),
        quote_literal(owner)
    )
}

/// Renews a lease from a connection of its own while the work that holds it runs — a
/// statement that takes an hour, a restore's psql — so that others wait instead of taking
/// it over. Dropped, it stops.
pub(crate) struct Heartbeat {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How often the heartbeat renews: well inside the lease.
const BEAT: Duration = Duration::from_secs(20);

impl Heartbeat {
    pub(crate) fn start(params: crate::conn::ConnParams, renew: String) -> Heartbeat {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("ferry-lease".to_string())
            .spawn(move || {
                let mut client: Option<postgres::Client> = None;
                let mut since = std::time::Instant::now();
                while !stopped.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(100));
                    if since.elapsed() < BEAT {
                        continue;
                    }
                    since = std::time::Instant::now();
                    // A failure is tried again at the next beat; the lease lasts several.
                    if client.is_none() {
                        client = crate::conn::connect(&params).ok();
                    }
                    if let Some(c) = client.as_mut() {
                        if c.batch_execute(&renew).is_err() {
                            client = None;
                        }
                    }
                }
            })
            .ok();
        Heartbeat { stop, thread }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
