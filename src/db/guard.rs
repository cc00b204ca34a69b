//! The session as the migration lock's guard: taking the lock (an advisory lock held for
//! the session, or a lease row renewed by a heartbeat behind a transaction pooler),
//! framing each step's SQL under it, noticing another run's lock, and giving it back.
//! The SQL of each kind of lock is in `lock` and `lease`; this file decides which.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;

use super::session::{LockMode, Session, WindowLease};
use super::state::quote_literal;
use super::wire::{first_row, Message, Wire, WireError};
use super::{lease, lock, stop};
use crate::events::{Event, Events};

impl<'c> Session<'c> {
    /// Takes the migration lock, waiting at most `timeout` for another run (and telling
    /// `events` who holds it), unless `stop` is set meanwhile. Nothing is created or read:
    /// a migrating command then calls [`prepare`](Self::prepare), while `restore` holds
    /// the lock as a dump brings its own bookkeeping tables, `reset` and `drop` as they
    /// empty the database, and `adopt` as it records another tool's state. Released by
    /// [`unlock`](Self::unlock) or when the session is dropped.
    pub(crate) fn lock(
        &mut self,
        timeout: Duration,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<()> {
        self.refuse_read_only()?;
        self.lock_wait = timeout;
        let key = self.key();
        match self.mode {
            LockMode::Session => {
                let deadline = std::time::Instant::now() + timeout;
                let left = || deadline.saturating_duration_since(std::time::Instant::now());
                let mut reopened = false;
                loop {
                    let acquired = lock::acquire(
                        &mut self.client,
                        key,
                        self.info.backend_pid,
                        (deadline, timeout),
                        events,
                        stop,
                    );
                    // The connection ended while nothing was held: once, a new one.
                    if let Err(e) = &acquired {
                        if !reopened
                            && super::session::closed_before_anything(e)
                            && self.may_reopen()
                        {
                            self.reopen()?;
                            reopened = true;
                            continue;
                        }
                    }
                    acquired?;
                    // A transaction-mode run (through a pooler) excludes others with its
                    // lease, not this lock: a live one is waited out with the lock let go,
                    // so that its run can finish. (No lease table when the session began:
                    // no such run to wait for, and no query spent on it.)
                    if !self.lease_exists
                        || lease::holder(&mut self.client, &self.tables, &self.owner.0)?.is_none()
                    {
                        break;
                    }
                    lock::release(&mut self.client, key, self.info.backend_pid)?;
                    self.wait_out_lease(left(), events, stop)?;
                }
                self.lock_key = Some(key);
                self.held_changed();
            }
            LockMode::Transaction => {
                self.xact_key = Some(key);
                let sql = format!(
                    "BEGIN;\n{}{}COMMIT;",
                    lease::xact_lock_sql(key),
                    lease::create_sql(&self.tables)
                );
                if let Err(err) = self.under_key(&sql, events) {
                    if let Some(refusal) = self.lock_refusal(&err) {
                        return Err(refusal);
                    }
                    return Err(anyhow::Error::new(err))
                        .context("creating the migration lease table");
                }
                self.lease_exists = true;
                self.take_lease(timeout, events, stop)?;
            }
        }
        Ok(())
    }

    /// The lock for migrating: [`lock`](Self::lock) in session mode; in transaction mode
    /// only the key, which each migration's transaction takes (a no-transaction one takes
    /// the lease as well, see [`lease`]).
    pub(crate) fn lock_for_migrating(
        &mut self,
        timeout: Duration,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<()> {
        match self.mode {
            LockMode::Session => self.lock(timeout, events, stop),
            LockMode::Transaction => {
                self.refuse_read_only()?;
                self.lock_wait = timeout;
                self.xact_key = Some(self.key());
                Ok(())
            }
        }
    }

    /// Refuses (exit 2) to change anything on a standby or a read-only session, before
    /// taking the lock (a standby takes no advisory lock either).
    pub(crate) fn refuse_read_only(&self) -> anyhow::Result<()> {
        if !self.info.read_only {
            return Ok(());
        }
        let at = self
            .info
            .address
            .as_deref()
            .map_or(String::new(), |a| format!(" at {a}"));
        Err(crate::error::usage(format!(
            "the server{at} is read-only (a standby in recovery, or default_transaction_read_only): \
             migrations run on the primary; connect to it, or list every server with \
             target_session_attrs=read-write so ferry picks the primary"
        )))
    }

    pub(crate) fn key(&self) -> i64 {
        lock::key(
            &self.tables.schema,
            &self.tables.name,
            &format!("/{}", self.info.database),
        )
    }

    pub(crate) fn holds_lock(&self) -> bool {
        self.lock_key.is_some() || self.xact_key.is_some()
    }

    /// What opens a migration's transaction in transaction mode, after `BEGIN`: the key,
    /// and the check that the version row is still `current` (else SQLSTATE
    /// [`lease::MOVED`]). In session mode, where the session lock excludes the rest, the
    /// check that the transaction runs on the session's own server process (SQLSTATE
    /// [`lock::POOLED`]): behind a transaction pooler it may not, and the lock then
    /// excludes nobody.
    pub(crate) fn step_guard(&self, current: Option<i64>) -> String {
        match self.xact_key {
            Some(key) if self.mode == LockMode::Transaction => format!(
                "{}{}",
                lease::xact_lock_sql(key),
                lease::expect_sql(&self.tables, current, &self.owner.0)
            ),
            _ => match (self.lock_key, self.info.backend_pid) {
                (Some(_), Some(pid)) => lock::same_process_sql(pid),
                _ => String::new(),
            },
        }
    }

    /// SQL that takes (or renews) the lease inside a guarded transaction, for a
    /// no-transaction migration in transaction mode (empty otherwise); the lease's
    /// heartbeat starts with it.
    pub(crate) fn take_lease_sql(&mut self) -> String {
        if self.mode != LockMode::Transaction {
            return String::new();
        }
        self.set_leased(true);
        lease::take_sql(&self.tables, &self.owner.0, &self.owner.1)
    }

    /// SQL that gives the lease back (empty outside transaction mode); the heartbeat stops.
    pub(crate) fn give_back_lease_sql(&mut self) -> String {
        if self.mode != LockMode::Transaction {
            return String::new();
        }
        self.set_leased(false);
        lease::release_sql(&self.tables, &self.owner.0)
    }

    /// The transaction that was to take the lease rolled back: its heartbeat stops.
    pub(crate) fn lease_not_taken(&mut self) {
        if self.mode == LockMode::Transaction {
            self.set_leased(false);
        }
    }

    /// In transaction mode, the lease a pipelined window of migrations holds between its
    /// transactions (see `engine::window`): taken by the first, renewed as each commits,
    /// given back by the last, so that no other run's migration comes in between. Empty in
    /// session mode, where the session lock excludes the rest.
    pub(crate) fn window_lease_sql(&self, part: WindowLease) -> String {
        if self.mode != LockMode::Transaction || self.xact_key.is_none() {
            return String::new();
        }
        match part {
            WindowLease::Take => lease::take_sql(&self.tables, &self.owner.0, &self.owner.1),
            WindowLease::Renew => lease::renew_sql(&self.tables, &self.owner.0),
            WindowLease::Release => lease::release_sql(&self.tables, &self.owner.0),
        }
    }

    /// Whether this run holds a live lease: after a pipelined window failed partway, that
    /// its first transaction committed (and so nobody else moved the database since).
    pub(crate) fn holds_live_lease(&mut self) -> anyhow::Result<bool> {
        if self.mode != LockMode::Transaction || !self.lease_table_exists()? {
            return Ok(false);
        }
        lease::ours(&mut self.client, &self.tables, &self.owner.0)
    }

    /// Sends `sql`, a transaction that takes golang-migrate's key without waiting
    /// ([`lease::xact_lock_sql`]): while the key is taken (a session-mode run, or another
    /// run's transaction), it is sent again after a pause, for the lock timeout at most.
    pub(crate) fn under_key(
        &mut self,
        sql: &str,
        events: &dyn Events,
    ) -> Result<Vec<Message>, WireError> {
        let deadline = std::time::Instant::now() + self.lock_wait;
        let mut told = false;
        loop {
            match self.client.simple_query(sql) {
                Err(err) if lease::is_locked(&err) => {
                    let _ = self.client.batch_execute("ROLLBACK");
                    if std::time::Instant::now() >= deadline {
                        return Err(err);
                    }
                    if !told {
                        let holder = self
                            .xact_key
                            .and_then(|key| lock::holder(&mut self.client, key).ok())
                            .unwrap_or_else(|| "another run".to_string());
                        events.on(Event::LockWait { holder: &holder });
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    /// How long to wait for the migration lock.
    pub(crate) fn lock_wait(&self) -> Duration {
        self.lock_wait
    }

    /// The refusal a failure of the lock's own guards means, if it is one: the key still
    /// taken when [`under_key`](Self::under_key) gave up, or a session lock behind a
    /// transaction pooler ([`lock::same_process_sql`]).
    pub(crate) fn lock_refusal(&mut self, err: &WireError) -> Option<anyhow::Error> {
        if lease::is_locked(err) {
            Some(self.key_held())
        } else if lock::is_pooled(err) {
            Some(self.refuse_pooled())
        } else {
            None
        }
    }

    /// The error after [`under_key`](Self::under_key) gave up: who holds the key.
    pub(crate) fn key_held(&mut self) -> anyhow::Error {
        let holder = self
            .xact_key
            .and_then(|key| lock::holder(&mut self.client, key).ok())
            .unwrap_or_else(|| "another run".to_string());
        crate::error::lock_held(
            &holder,
            format!(
                "the migration lock is held by {holder}; gave up after {}. Wait for that run to \
                 finish, or raise --lock-timeout",
                humantime::format_duration(self.lock_wait)
            ),
        )
    }

    /// The refusal of session mode once a transaction found itself on another server process
    /// ([`lock::same_process_sql`]): the session lock, left on some server connection of the
    /// pooler, is given back from whichever one the unlock reaches, a few tries at most.
    pub(crate) fn refuse_pooled(&mut self) -> anyhow::Error {
        let _ = self.client.batch_execute("ROLLBACK");
        if let Some(key) = self.lock_key.take() {
            lock::release_anywhere(&mut self.client, key, self.info.backend_pid);
        }
        lock::pooled(self.info.backend_pid, "another")
    }

    /// What opens each transaction of a pipelined window: the check that this run was not
    /// told to stop (see [`stop`]).
    pub(crate) fn stop_check_sql(&self) -> String {
        stop::check_sql(stop::key(&self.owner.0))
    }

    /// Sends a pipelined window's message, watching `stop_flag`: once it is set, the
    /// window's later transactions stop before running anything (see [`stop`]).
    pub(crate) fn send_window(
        &mut self,
        sql: &str,
        stop_flag: &AtomicBool,
    ) -> Result<Vec<Message>, WireError> {
        let key = stop::key(&self.owner.0);
        let client = &mut self.client;
        stop::watch(self.params.as_ref(), key, stop_flag, || {
            client.simple_query(sql)
        })
    }

    /// Renews the lease between the statements of a no-transaction migration.
    pub(crate) fn renew_lease(&mut self) -> anyhow::Result<()> {
        if !self.leased {
            return Ok(());
        }
        let sql = lease::renew_sql(&self.tables, &self.owner.0);
        self.client
            .batch_execute(&sql)
            .context("renewing the migration lease")
    }

    /// Who holds a live lease, other than this run.
    pub(crate) fn lease_holder(&mut self) -> anyhow::Result<Option<String>> {
        if !self.lease_table_exists()? {
            return Ok(None);
        }
        lease::holder(&mut self.client, &self.tables, &self.owner.0)
    }

    /// Waits (up to `timeout`) while another run holds a live lease, telling `events` who
    /// holds it. Giving up names the wait the user asked for (`--lock-timeout`): `timeout`
    /// may be what is left of it.
    pub(crate) fn wait_out_lease(
        &mut self,
        timeout: Duration,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        let mut waited = false;
        while let Some(holder) = self.lease_holder()? {
            if std::time::Instant::now() >= deadline {
                return Err(lease::held(&holder, self.lock_wait.max(timeout)));
            }
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(crate::error::interrupted(
                    "interrupted while waiting for another run's lease; nothing was changed",
                ));
            }
            if !waited {
                events.on(Event::LockWait { holder: &holder });
                waited = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Whether the lease table exists, looked for again only when it did not when last
    /// seen (another run may have made it since).
    pub(crate) fn lease_table_exists(&mut self) -> anyhow::Result<bool> {
        if self.lease_exists {
            return Ok(true);
        }
        let sql = format!(
            "SELECT to_regclass({}) IS NOT NULL",
            quote_literal(&lease::table(&self.tables))
        );
        let messages = self
            .client
            .simple_query(&sql)
            .context("looking for the lease table")?;
        self.lease_exists = first_row(&messages).is_some_and(|r| r.get(0) == Some("t"));
        Ok(self.lease_exists)
    }

    /// Who holds a live lease, as the session saw it when it started: no query when the
    /// lease table did not exist then (`status`, which only reports).
    pub(crate) fn lease_holder_seen(&mut self) -> anyhow::Result<Option<String>> {
        if !self.lease_exists {
            return Ok(None);
        }
        lease::holder(&mut self.client, &self.tables, &self.owner.0)
    }

    /// Takes the lease for a whole command (transaction mode), waiting like the session
    /// lock does.
    pub(crate) fn take_lease(
        &mut self,
        timeout: Duration,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        let mut told = false;
        loop {
            let sql = format!(
                "{}RETURNING 1",
                lease::take_sql(&self.tables, &self.owner.0, &self.owner.1).trim_end_matches(";\n")
            );
            let got = self
                .client
                .simple_query(&sql)
                .context("taking the migration lease")?
                .iter()
                .any(|m| matches!(m, Message::Row(_)));
            if got {
                self.set_leased(true);
                return Ok(());
            }
            let holder = self
                .lease_holder()?
                .unwrap_or_else(|| "another run".to_string());
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(crate::error::interrupted(
                    "interrupted while waiting for the migration lease; nothing was changed",
                ));
            }
            if std::time::Instant::now() >= deadline {
                return Err(lease::held(&holder, self.lock_wait.max(timeout)));
            }
            if !told {
                events.on(Event::LockWait { holder: &holder });
                told = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether this run holds the lease; while it does, a heartbeat renews it from a
    /// connection of its own (when ferry opened the session itself).
    pub(crate) fn set_leased(&mut self, leased: bool) {
        self.leased = leased;
        self.held_changed();
        self.heartbeat = match (&self.params, leased) {
            (Some(params), true) => Some(self.heartbeat.take().unwrap_or_else(|| {
                lease::Heartbeat::start(
                    params.clone(),
                    lease::renew_sql(&self.tables, &self.owner.0),
                )
            })),
            _ => None,
        };
    }

    /// Releases the lock (or lease) if held. Dropping the session does too, on every path.
    pub(crate) fn unlock(&mut self) -> anyhow::Result<()> {
        self.xact_key = None;
        self.heartbeat = None;
        if std::mem::take(&mut self.leased) {
            let sql = lease::release_sql(&self.tables, &self.owner.0);
            self.client
                .batch_execute(&sql)
                .context("releasing the migration lease")?;
        }
        let released = match self.lock_key.take() {
            Some(key) => lock::release(&mut self.client, key, self.info.backend_pid),
            None => Ok(()),
        };
        self.held_changed();
        released
    }

    /// Tells the connection what undoes this session's hold on the database should the
    /// run be abandoned from outside, where [`Drop`] cannot reach the server (an async
    /// caller dropping the future; see [`Wire::on_abandon`]): end any transaction, give
    /// back the lease and the lock, put the settings back — what closing the connection
    /// would do, on a connection that stays open.
    pub(crate) fn held_changed(&mut self) {
        let mut sql = String::from("ROLLBACK;\n");
        if self.leased {
            sql.push_str(&lease::release_sql(&self.tables, &self.owner.0));
        }
        if let Some(key) = self.lock_key {
            sql.push_str(&format!("SELECT pg_advisory_unlock({key});\n"));
        }
        sql.push_str(&self.restore_settings);
        self.client.on_abandon(&sql);
    }
}
