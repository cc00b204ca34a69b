//! A session: its connection, what the server is, its bookkeeping tables, the settings it
//! restores after a migration, and the reads that must survive a lost connection.

use std::time::Duration;

use anyhow::Context;
use postgres::Client;

use super::state::{quote_literal, Snapshot, StoredSql, TableName, Tables};
use super::wire::{first_row, Message, Wire, WireError};
use super::{foreign, lease, lock, state, wipe};
use crate::conn::connect::connect;
use crate::events::{Event, Events};

/// The connection a session works on: its own, one lent by the caller, or an async
/// caller's reached through a [`Wire`] bridge.
pub(crate) enum Conn<'c> {
    Owned(Box<Client>),
    Borrowed(&'c mut Client),
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    Bridged(Box<dyn Wire + Send + 'c>),
}

impl Conn<'_> {
    /// The direct connection, for the commands that stream (COPY, dumps) or use the
    /// extended protocol; only the CLI's sessions have one.
    pub(crate) fn postgres(&mut self) -> anyhow::Result<&mut Client> {
        match self {
            Conn::Owned(c) => Ok(c),
            Conn::Borrowed(c) => Ok(c),
            Conn::Bridged(_) => anyhow::bail!("this needs a direct connection"),
        }
    }

    fn wire(&mut self) -> &mut dyn Wire {
        match self {
            Conn::Owned(c) => c.as_mut(),
            Conn::Borrowed(c) => *c,
            Conn::Bridged(w) => w.as_mut(),
        }
    }
}

impl Wire for Conn<'_> {
    fn simple_query(&mut self, sql: &str) -> Result<Vec<Message>, WireError> {
        self.wire().simple_query(sql)
    }

    fn batch_execute(&mut self, sql: &str) -> Result<(), WireError> {
        self.wire().batch_execute(sql)
    }

    fn on_abandon(&mut self, sql: &str) {
        self.wire().on_abandon(sql);
    }

    fn commits_apart(&self) -> bool {
        matches!(self, Conn::Bridged(w) if w.commits_apart())
    }
}

/// What `status` shows about the server and the session.
#[derive(Debug, Clone)]
pub(crate) struct ServerInfo {
    pub server_version: String,
    pub database: String,
    pub user: String,
    pub tls: bool,
    /// Indexes a failed `CREATE INDEX CONCURRENTLY` left behind, when the session began
    /// (read in the same round trip, for `status` and `validate`).
    pub invalid_indexes: Vec<String>,
    /// The server is a standby (in recovery) or the session is read-only: nothing can
    /// be migrated here.
    pub read_only: bool,
    /// The server's address and port as it sees them (`inet_server_addr()`); `None`
    /// over a Unix socket. Says which host of a list answered.
    pub address: Option<String>,
    /// The server process of this session when it started (direct connections keep it).
    pub backend_pid: Option<i32>,
}

/// Indexes a failed `CREATE INDEX CONCURRENTLY` left behind, as a JSON array of
/// qualified names: a query to embed where a round trip is already being made.
/// How long to wait for the migration lock unless told otherwise.
pub(crate) const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(15);

const INVALID_INDEXES_JSON: &str = "(SELECT coalesce(json_agg(ix.name ORDER BY ix.name), '[]') \
     FROM (SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_index i \
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
         AND n.nspname NOT LIKE 'pg\\_toast%') ix)";

/// The invalid indexes now; see [`ServerInfo::invalid_indexes`] for those at connect time.
pub(crate) fn invalid_indexes(client: &mut dyn Wire) -> anyhow::Result<Vec<String>> {
    let messages = client
        .simple_query(&format!("SELECT {INVALID_INDEXES_JSON}"))
        .context("looking for invalid indexes")?;
    parse_index_list(first_row(&messages).and_then(|row| row.get(0)))
}

fn parse_index_list(json: Option<&str>) -> anyhow::Result<Vec<String>> {
    serde_json::from_str(json.unwrap_or("[]")).context("reading the list of invalid indexes")
}

/// Which part of a pipelined window's lease a transaction carries
/// ([`Session::window_lease_sql`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum WindowLease {
    Take,
    Renew,
    Release,
}

pub(crate) struct Session<'c> {
    pub client: Conn<'c>,
    pub info: ServerInfo,
    pub tables: Tables,
    /// Puts the session's settings back as they were before any migration ran (see
    /// [`Session::capture_settings`]); empty until captured.
    pub restore_settings: String,
    /// Other tools whose migration tables are in the schema of ferry's table, once looked
    /// for (see [`Session::foreign_tools`]).
    pub(super) foreign: Option<Vec<foreign::Tool>>,
    pub(super) versions_exist: bool,
    pub(super) history_exists: bool,
    /// The history table has the columns an `up` row keeps its SQL in (made by this
    /// version of ferry, or given them since).
    pub(super) history_stores_sql: bool,
    /// The lease table (`<table>_lock`) exists: seen when the session started, or made
    /// since by this run.
    pub(super) lease_exists: bool,
    /// A session advisory lock held (`--lock-mode session`).
    pub(super) lock_key: Option<i64>,
    /// How this run locks, and the key its transactions take in transaction mode.
    pub mode: LockMode,
    pub(super) xact_key: Option<i64>,
    /// This run's name in the lease table, its host, and whether it holds the lease.
    pub(super) owner: (String, String),
    pub(super) leased: bool,
    /// Where to open the lease's heartbeat connection (a session ferry opened itself).
    pub(super) params: Option<crate::conn::ConnParams>,
    pub(super) heartbeat: Option<lease::Heartbeat>,
    /// How long to wait for the migration lock (the command's `--lock-timeout`).
    pub(super) lock_wait: Duration,
}

/// How runs exclude each other (`--lock-mode`): `Session` for a direct connection,
/// `Transaction` behind a transaction pooler such as PgBouncer or Supavisor, where a
/// session lock would stay on whichever server connection took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// One session advisory lock for the whole command (golang-migrate's).
    Session,
    /// `pg_advisory_xact_lock` in each migration's transaction, a lease row otherwise:
    /// what works through a transaction pooler.
    Transaction,
}

impl LockMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LockMode::Session => "session",
            LockMode::Transaction => "transaction",
        }
    }
}

/// `RESET ALL`, then each of `settings` set again for the session.
fn restore_sql(settings: &[(String, String)]) -> String {
    let values: Vec<String> = settings
        .iter()
        .map(|(name, value)| format!("({}, {})", quote_literal(name), quote_literal(value)))
        .collect();
    format!(
        "RESET ALL;\nSELECT count(set_config(n, v, false)) FROM (VALUES {}) AS s (n, v);\n",
        values.join(", ")
    )
}

/// Whether `err` is the session ending (the connection closed, or its server process
/// ended with a FATAL error — how another run's clean-up reaches it), as opposed to the
/// server refusing something.
pub(super) fn closed_before_anything(err: &anyhow::Error) -> bool {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<WireError>())
        .is_some_and(WireError::ended_session)
}

impl Session<'static> {
    /// Connects with `params`, for the migrations table `table`, taking the lock in
    /// `lock_mode` (the mode, and why it was chosen, which `-v` shows); the settings' notes
    /// and warnings go to `events`.
    pub(crate) fn open(
        params: &crate::conn::ConnParams,
        table: &TableName,
        lock_mode: &(LockMode, String),
        events: &dyn Events,
    ) -> anyhow::Result<Self> {
        for note in &params.notes {
            events.on(Event::Note(note));
        }
        for warning in &params.warnings {
            events.on(Event::Warning(warning));
        }
        let start = || Session::start(Conn::Owned(Box::new(connect(params)?)), table, lock_mode.0);
        // Behind a transaction pooler the server connection a new client is given can be
        // closed under it before its first answer (another run ending an idle server
        // process that still held the lock, see `lock::release_anywhere`). Nothing has been
        // sent that changes anything yet: connect once more.
        let mut session = match start() {
            Err(e) if closed_before_anything(&e) => start()?,
            other => other?,
        };
        session.params = Some(params.clone());
        events.on(Event::Detail(&format!(
            "lock mode: {} ({})",
            session.mode.as_str(),
            lock_mode.1
        )));
        Ok(session)
    }
}

impl<'c> Session<'c> {
    /// A session on a connection the library was given or opened. `params`, when ferry
    /// opened the connection from them, let a lease's heartbeat open its own (a lent
    /// connection gives ferry nothing to open another with).
    pub(crate) fn on(
        conn: Conn<'c>,
        table: &TableName,
        params: Option<&crate::conn::ConnParams>,
        mode: LockMode,
    ) -> anyhow::Result<Self> {
        let mut session = Session::start(conn, table, mode)?;
        session.params = params.cloned();
        Ok(session)
    }

    /// Learns, in one round trip, who we are and whether the tables exist. On PostgreSQL
    /// 14+, in session lock mode, it also asks the server to notice within a second when
    /// ferry has gone (killed, network lost) even in the middle of a long statement, so the
    /// transaction is rolled back and the lock released instead of lingering until the
    /// statement ends. In transaction mode (through a transaction pooler) it sets nothing
    /// at session level: the server connection is shared, and would keep the setting for
    /// the applications that use it next.
    fn start(mut client: Conn<'c>, table: &TableName, mode: LockMode) -> anyhow::Result<Self> {
        let check_interval = match mode {
            LockMode::Session => {
                "CASE WHEN current_setting('server_version_num')::int >= 140000 \
                 THEN set_config('client_connection_check_interval', '1s', false) END"
            }
            LockMode::Transaction => "NULL",
        };
        let schema = table
            .schema
            .as_deref()
            .map_or("NULL".to_string(), quote_literal);
        let name = &table.name;
        let sql = format!(
            "WITH s AS (SELECT coalesce({schema}, current_schema()) AS schema) \
             SELECT s.schema, current_database(), current_user, current_setting('server_version'), \
               coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false), \
               CASE WHEN s.schema IS NULL THEN false \
                    ELSE to_regclass(format('%I.%I', s.schema, {t})) IS NOT NULL END, \
               CASE WHEN s.schema IS NULL THEN false \
                    ELSE to_regclass(format('%I.%I', s.schema, {h})) IS NOT NULL END, \
               {check_interval}, \
               {INVALID_INDEXES_JSON}, \
               pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on', \
               host(inet_server_addr()) || ':' || inet_server_port(), \
               CASE WHEN s.schema IS NULL THEN false \
                    ELSE to_regclass(format('%I.%I', s.schema, {l})) IS NOT NULL END, \
               pg_backend_pid(), \
               CASE WHEN s.schema IS NULL THEN false ELSE EXISTS (SELECT 1 FROM pg_attribute \
                 WHERE attrelid = to_regclass(format('%I.%I', s.schema, {h})) \
                 AND attname = 'up_sql' AND NOT attisdropped) END \
             FROM s",
            t = quote_literal(name),
            h = quote_literal(&format!("{name}_history")),
            l = quote_literal(&format!("{name}_lock")),
        );
        let messages = client
            .simple_query(&sql)
            .context("reading server information")?;
        let row = first_row(&messages).context("the server returned no session information")?;
        let text = |i: usize| row.get(i).unwrap_or_default().to_string();
        let info = ServerInfo {
            server_version: text(3),
            database: text(1),
            user: text(2),
            tls: row.get(4) == Some("t"),
            invalid_indexes: parse_index_list(row.get(8))?,
            read_only: row.get(9) == Some("t"),
            address: row.get(10).map(str::to_string),
            backend_pid: row.get(12).and_then(|pid| pid.parse().ok()),
        };
        let tables = Tables::new(table, row.get(0))?;
        let versions_exist = row.get(5) == Some("t");
        let history_exists = row.get(6) == Some("t");
        let lease_exists = row.get(11) == Some("t");
        let history_stores_sql = row.get(13) == Some("t");
        Ok(Session {
            client,
            info,
            tables,
            foreign: None,
            restore_settings: String::new(),
            versions_exist,
            history_exists,
            history_stores_sql,
            lease_exists,
            lock_key: None,
            mode,
            xact_key: None,
            owner: lease::owner_name(),
            leased: false,
            params: None,
            heartbeat: None,
            lock_wait: DEFAULT_LOCK_TIMEOUT,
        })
    }

    /// A new connection for a session whose own ended before it held or changed anything
    /// (no lock, no setting captured), started as this one was: behind a transaction pooler
    /// another run's clean-up can end the server process this session was just given.
    pub(super) fn reopen(&mut self) -> anyhow::Result<()> {
        let params = self
            .params
            .clone()
            .context("the connection ended, and a lent one cannot be opened again")?;
        let table = TableName {
            schema: Some(self.tables.schema.clone()),
            name: self.tables.name.clone(),
        };
        let mut fresh: Session<'c> =
            Session::start(Conn::Owned(Box::new(connect(&params)?)), &table, self.mode)?;
        std::mem::swap(&mut self.client, &mut fresh.client);
        std::mem::swap(&mut self.info, &mut fresh.info);
        self.versions_exist = fresh.versions_exist;
        self.history_exists = fresh.history_exists;
        self.history_stores_sql = fresh.history_stores_sql;
        self.lease_exists = fresh.lease_exists;
        Ok(())
    }

    /// Whether the session may open its connection again: ferry opened it, and nothing is
    /// held or changed on it yet.
    pub(super) fn may_reopen(&self) -> bool {
        self.params.is_some()
            && self.lock_key.is_none()
            && !self.leased
            && self.restore_settings.is_empty()
    }

    /// Notes the session's settings, once, before a migration that may change them runs:
    /// afterwards [`restore_settings`](Self::restore_settings) puts them back (`RESET
    /// ALL`, then the values set in the session before — a library caller's own `SET`s —,
    /// its role, and ferry's own), sent in the same message as the migration, so a `SET
    /// search_path` or `SET standard_conforming_strings` in one migration changes neither
    /// the next one nor ferry's own queries. Settings given at connect time (`options`,
    /// `PGOPTIONS`) are what `RESET ALL` returns to anyway.
    pub(crate) fn capture_settings(&mut self) -> anyhow::Result<()> {
        if !self.restore_settings.is_empty() {
            return Ok(());
        }
        let messages = self
            .client
            .simple_query(
                "SELECT current_setting('role'), \
                   (SELECT coalesce(json_agg(json_build_array(name, setting)), '[]') \
                      FROM pg_settings WHERE source = 'session'), \
                   current_setting('server_version_num')::int >= 140000",
            )
            .context("reading the session's settings")?;
        let row = first_row(&messages).context("the server returned no settings")?;
        let mut settings: Vec<(String, String)> = serde_json::from_str(row.get(1).unwrap_or("[]"))
            .context("reading the session's settings")?;
        settings.push(("role".to_string(), row.get(0).unwrap_or("none").to_string()));
        // Set with the session's first query, so already among the session's settings;
        // named again in case it was not.
        if row.get(2) == Some("t")
            && !settings
                .iter()
                .any(|(n, _)| n == "client_connection_check_interval")
        {
            settings.push((
                "client_connection_check_interval".to_string(),
                "1s".to_string(),
            ));
        }
        self.restore_settings = restore_sql(&settings);
        self.held_changed();
        Ok(())
    }

    /// What the history keeps of `version`'s SQL (its last `up` row that holds some), if
    /// anything: nothing when the version never ran, ran before ferry kept SQL, or ran
    /// with `--no-store-sql`.
    pub(crate) fn stored_sql(&mut self, version: i64) -> anyhow::Result<Option<StoredSql>> {
        if !self.history_exists || !self.history_stores_sql {
            return Ok(None);
        }
        let messages = self
            .client
            .simple_query(&self.tables.stored_sql_read(version))
            .context("reading the SQL the history keeps")?;
        Ok(first_row(&messages)
            .filter(|row| row.get(1).is_some())
            .map(|row| {
                let text = |i: usize| row.get(i).map(str::to_string);
                StoredSql {
                    version,
                    up_file: text(0).unwrap_or_default(),
                    up_sql: text(1).unwrap_or_default(),
                    down_file: text(2),
                    down_sql: text(3),
                    name: text(4).unwrap_or_default(),
                    applied_at: text(5).unwrap_or_default(),
                }
            }))
    }

    /// The other tools whose migration tables are in the schema of ferry's table. Looked
    /// for (one round trip, once) only where ferry's own tables are not both there: a
    /// database ferry keeps has a history table no other tool makes.
    pub(crate) fn foreign_tools(&mut self) -> anyhow::Result<Vec<foreign::Tool>> {
        if self.versions_exist && self.history_exists {
            return Ok(Vec::new());
        }
        if self.foreign.is_none() {
            let found = foreign::find(&mut self.client, &self.tables.schema)?;
            self.foreign = Some(found);
        }
        Ok(self.foreign.clone().unwrap_or_default())
    }

    /// Whether ferry's own tables exist (golang-migrate's, at least) and are not another
    /// tool's under the same name.
    pub(crate) fn has_ferry_tables(&mut self) -> anyhow::Result<bool> {
        let name = self.tables.name.clone();
        Ok(self.versions_exist && !self.foreign_tools()?.iter().any(|t| t.table() == name))
    }

    /// Refuses (exit 2) when the migrations were recorded by another tool and ferry's own
    /// table is absent (or is that tool's, under the same name): reading or migrating
    /// would take every applied migration for pending. `ferry adopt` records them.
    pub(crate) fn refuse_foreign_state(&mut self) -> anyhow::Result<()> {
        let found = self.foreign_tools()?;
        if found.is_empty() || self.has_ferry_tables()? {
            return Ok(());
        }
        let schema = self.tables.schema.clone();
        let states = found
            .into_iter()
            .map(|tool| foreign::read(&mut self.client, &schema, tool))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Err(crate::error::usage(foreign::refusal(
            &states,
            &self.tables.display(),
            self.versions_exist,
        )))
    }

    /// Reads the bookkeeping without creating or locking anything.
    pub(crate) fn snapshot(&mut self) -> anyhow::Result<Snapshot> {
        self.refuse_foreign_state()?;
        state::read(
            &mut self.client,
            &self.tables,
            self.versions_exist,
            self.history_exists,
        )
    }

    /// The version row alone, for a command that shows nothing else (`version`): the
    /// history grows with every migration and is not needed there.
    pub(crate) fn version(&mut self) -> anyhow::Result<Snapshot> {
        self.refuse_foreign_state()?;
        state::read(&mut self.client, &self.tables, self.versions_exist, false)
    }

    /// `read` on a connection of its own to the same database, when the session's went
    /// away (a pipelined window lost it; a restarting server takes a few seconds to accept
    /// one): `None` on a lent connection, or when the server cannot be reached within 5 s.
    /// Runs on a thread of its own: the blocking client starts a runtime, which a thread of
    /// tokio's blocking pool (where the async API's engine runs) may not.
    pub(crate) fn read_elsewhere<T: Send>(
        &self,
        read: impl FnOnce(&mut postgres::Client) -> Option<T> + Send,
    ) -> Option<T> {
        let params = self.params.as_ref()?;
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                    let mut client = loop {
                        match crate::conn::connect(params) {
                            Ok(client) => break client,
                            Err(_) if std::time::Instant::now() < deadline => {
                                std::thread::sleep(std::time::Duration::from_millis(250))
                            }
                            Err(_) => return None,
                        }
                    };
                    read(&mut client)
                })
                .join()
                .ok()
                .flatten()
        })
    }

    /// What cancels the statement this session runs, from another thread (a signal handler
    /// quitting at once): only for a connection ferry opened itself.
    pub(crate) fn canceller(&self) -> Option<Box<dyn Fn() + Send + Sync>> {
        let (Conn::Owned(client), Some(params)) = (&self.client, &self.params) else {
            return None;
        };
        let token = client.cancel_token();
        let params = params.clone();
        Some(Box::new(move || {
            crate::conn::connect::cancel(&params, &token, Duration::from_secs(2));
        }))
    }

    /// [`read_elsewhere`](Self::read_elsewhere) after this session's connection was lost:
    /// its server process may still be running what it was sent (it notices a vanished
    /// client only when it next writes to it), so it is terminated first, and waited for,
    /// before anything is read — or nothing is read (`None`), when that cannot be done.
    /// Session mode only: behind a transaction pooler the process is not the session's.
    pub(crate) fn read_after_loss<T: Send>(
        &self,
        read: impl FnOnce(&mut postgres::Client) -> Option<T> + Send,
    ) -> Option<T> {
        if self.mode != LockMode::Session {
            return None;
        }
        let pid = self.info.backend_pid?;
        self.read_elsewhere(move |client| {
            let gone =
                format!("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {pid})");
            let is_gone = |client: &mut postgres::Client| {
                Wire::simple_query(client, &gone)
                    .ok()
                    .and_then(|m| first_row(&m).and_then(|r| r.get(0).map(|v| v == "t")))
            };
            if is_gone(client) == Some(false) {
                Wire::simple_query(
                    client,
                    &format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = {pid}"
                    ),
                )
                .ok()?;
                let deadline = std::time::Instant::now() + Duration::from_secs(5);
                while is_gone(client) != Some(true) {
                    if std::time::Instant::now() >= deadline {
                        return None;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            read(client)
        })
    }

    /// The bookkeeping tables (and, in transaction mode, the lease table), created under
    /// the key so that runs starting together do not race to create them.
    fn create_tables(&mut self) -> anyhow::Result<()> {
        let mut sql = self.tables.create_sql();
        if self.mode == LockMode::Transaction {
            sql = format!(
                "BEGIN;\n{}{sql}\n{}COMMIT;",
                lease::xact_lock_sql(self.key()),
                lease::create_sql(&self.tables)
            );
        } else {
            // Only where the session lock is held (see `step_guard`).
            sql = format!("BEGIN;\n{}{sql}\nCOMMIT;", self.step_guard(None));
        }
        if let Err(err) = self.under_key(&sql, &crate::events::Quiet) {
            if let Some(refusal) = self.lock_refusal(&err) {
                return Err(refusal);
            }
            return Err(anyhow::Error::new(err)).with_context(|| {
                format!("creating the bookkeeping table {}", self.tables.display())
            });
        }
        // A table made now has the columns; one made by an earlier ferry does not (yet).
        self.history_stores_sql |= !self.history_exists;
        self.versions_exist = true;
        self.history_exists = true;
        self.lease_exists |= self.mode == LockMode::Transaction;
        Ok(())
    }

    /// Gives a history table made before ferry kept migrations' SQL the columns it keeps it
    /// in (once; called with the lock held, before a run that applies migrations).
    pub(crate) fn keep_sql_columns(&mut self) -> anyhow::Result<()> {
        if self.history_stores_sql {
            return Ok(());
        }
        let sql = self.tables.stored_sql_columns_sql();
        self.client.batch_execute(&sql).with_context(|| {
            format!(
                "adding the columns that keep migrations' SQL to {}_history (or run with \
                 --no-store-sql)",
                self.tables.display()
            )
        })?;
        self.history_stores_sql = true;
        Ok(())
    }

    /// Creates the bookkeeping tables if they are missing, then reads them. Called with
    /// the lock held.
    pub(crate) fn prepare(&mut self) -> anyhow::Result<Snapshot> {
        self.refuse_foreign_state()?;
        if !(self.versions_exist && self.history_exists) || self.mode == LockMode::Transaction {
            self.create_tables()?;
        }
        self.snapshot()
    }

    /// Drops everything the migrations made, bookkeeping included (see [`wipe`]). Called
    /// with the lock held; [`prepare`](Self::prepare) recreates the tables for a `reset`.
    pub(crate) fn wipe(&mut self) -> anyhow::Result<wipe::Summary> {
        let summary = wipe::wipe(self.client.postgres()?, &self.tables)?;
        self.versions_exist = false;
        self.history_exists = false;
        self.history_stores_sql = false;
        self.lease_exists = false;
        self.foreign = Some(Vec::new());
        // The lease table went too, and this run's lease with it.
        self.set_leased(false);
        Ok(summary)
    }
}

/// The session is the lock's guard: however a command ends — done, failed, refused or
/// panicking — a lock it still holds is released here. On its own connection closing
/// would release it anyway, but a borrowed connection (a service's, through the library)
/// lives on, and with it the lock, which every other replica and the CLI would wait for.
impl Drop for Session<'_> {
    fn drop(&mut self) {
        self.heartbeat = None;
        if std::mem::take(&mut self.leased) {
            let _ = self.client.batch_execute("ROLLBACK");
            let _ = self
                .client
                .batch_execute(&lease::release_sql(&self.tables, &self.owner.0));
        }
        let Some(key) = self.lock_key.take() else {
            return;
        };
        if lock::release(&mut self.client, key, self.info.backend_pid).is_err() {
            // A failure can leave a transaction open and aborted, where no query runs.
            let _ = self.client.batch_execute("ROLLBACK");
            let _ = lock::release(&mut self.client, key, self.info.backend_pid);
        }
    }
}
