//! A session with the database: connecting, what the server is, and the bookkeeping
//! tables of this run (`state`), other tools' tables (`foreign`), the lock (`lock`; the
//! session is its guard) and emptying the database (`wipe`). Migrating commands take the
//! lock and make sure the tables exist; read-only commands never write. A session owns its
//! connection (the CLI) or borrows one (a service using ferry as a library,
//! `Migrator::up_with_client`).

pub mod foreign;
pub mod lease;
pub mod lock;
pub mod state;
pub mod stop;
pub mod wipe;
pub mod wire;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;
use postgres::Client;

use crate::conn::connect::connect;
use crate::events::{Event, Events};
use state::{quote_literal, Snapshot, TableName, Tables};
use wire::{first_row, Message, Wire, WireError};

/// The connection a session works on: its own, one lent by the caller, or an async
/// caller's reached through a [`Wire`] bridge.
pub enum Conn<'c> {
    Owned(Box<Client>),
    Borrowed(&'c mut Client),
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    Bridged(Box<dyn Wire + Send + 'c>),
}

impl Conn<'_> {
    /// The direct connection, for the commands that stream (COPY, dumps) or use the
    /// extended protocol; only the CLI's sessions have one.
    pub fn postgres(&mut self) -> anyhow::Result<&mut Client> {
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
pub struct ServerInfo {
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
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(15);

const INVALID_INDEXES_JSON: &str = "(SELECT coalesce(json_agg(ix.name ORDER BY ix.name), '[]') \
     FROM (SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_index i \
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
         AND n.nspname NOT LIKE 'pg\\_toast%') ix)";

/// The invalid indexes now; see [`ServerInfo::invalid_indexes`] for those at connect time.
pub fn invalid_indexes(client: &mut dyn Wire) -> anyhow::Result<Vec<String>> {
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
pub enum WindowLease {
    Take,
    Renew,
    Release,
}

pub struct Session<'c> {
    pub client: Conn<'c>,
    pub info: ServerInfo,
    pub tables: Tables,
    /// Puts the session's settings back as they were before any migration ran (see
    /// [`Session::capture_settings`]); empty until captured.
    pub restore_settings: String,
    /// Other tools whose migration tables are in the schema of ferry's table, once looked
    /// for (see [`Session::foreign_tools`]).
    foreign: Option<Vec<foreign::Tool>>,
    versions_exist: bool,
    history_exists: bool,
    /// The lease table (`<table>_lock`) exists: seen when the session started, or made
    /// since by this run.
    lease_exists: bool,
    /// A session advisory lock held (`--lock-mode session`).
    lock_key: Option<i64>,
    /// How this run locks, and the key its transactions take in transaction mode.
    pub mode: LockMode,
    xact_key: Option<i64>,
    /// This run's name in the lease table, its host, and whether it holds the lease.
    owner: (String, String),
    leased: bool,
    /// Where to open the lease's heartbeat connection (a session ferry opened itself).
    params: Option<crate::conn::ConnParams>,
    heartbeat: Option<lease::Heartbeat>,
    /// How long to wait for the migration lock (the command's `--lock-timeout`).
    lock_wait: Duration,
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

impl Session<'static> {
    /// Connects with `params`, for the migrations table `table`, taking the lock in
    /// `lock_mode` (the mode, and why it was chosen, which `-v` shows); the settings' notes
    /// and warnings go to `events`.
    pub fn open(
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
        let mut session =
            Session::start(Conn::Owned(Box::new(connect(params)?)), table, lock_mode.0)?;
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
    pub fn on(
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
               pg_backend_pid() \
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
        Ok(Session {
            client,
            info,
            tables,
            foreign: None,
            restore_settings: String::new(),
            versions_exist,
            history_exists,
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

    /// Notes the session's settings, once, before a migration that may change them runs:
    /// afterwards [`restore_settings`](Self::restore_settings) puts them back (`RESET
    /// ALL`, then the values set in the session before — a library caller's own `SET`s —,
    /// its role, and ferry's own), sent in the same message as the migration, so a `SET
    /// search_path` or `SET standard_conforming_strings` in one migration changes neither
    /// the next one nor ferry's own queries. Settings given at connect time (`options`,
    /// `PGOPTIONS`) are what `RESET ALL` returns to anyway.
    pub fn capture_settings(&mut self) -> anyhow::Result<()> {
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

    /// The other tools whose migration tables are in the schema of ferry's table. Looked
    /// for (one round trip, once) only where ferry's own tables are not both there: a
    /// database ferry keeps has a history table no other tool makes.
    pub fn foreign_tools(&mut self) -> anyhow::Result<Vec<foreign::Tool>> {
        if self.versions_exist && self.history_exists {
            return Ok(Vec::new());
        }
        if self.foreign.is_none() {
            let found = foreign::find(&mut self.client, &self.tables.schema)?;
            self.foreign = Some(found);
        }
        Ok(self.foreign.clone().unwrap_or_default())
    }

    /// Whether the database holds tables, views or sequences of its own (outside the system
    /// schemas): a restore into it is likely to meet them.
    pub fn has_relations(&mut self) -> anyhow::Result<bool> {
        let messages = self
            .client
            .simple_query(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
                 AND n.nspname NOT LIKE 'pg\\_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f'))",
            )
            .context("looking for tables in the database")?;
        Ok(first_row(&messages).and_then(|row| row.get(0)) == Some("t"))
    }

    /// Whether ferry's own tables exist (golang-migrate's, at least) and are not another
    /// tool's under the same name.
    pub fn has_ferry_tables(&mut self) -> anyhow::Result<bool> {
        let name = self.tables.name.clone();
        Ok(self.versions_exist && !self.foreign_tools()?.iter().any(|t| t.table() == name))
    }

    /// Refuses (exit 2) when the migrations were recorded by another tool and ferry's own
    /// table is absent (or is that tool's, under the same name): reading or migrating
    /// would take every applied migration for pending. `ferry adopt` records them.
    fn refuse_foreign_state(&mut self) -> anyhow::Result<()> {
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
    pub fn snapshot(&mut self) -> anyhow::Result<Snapshot> {
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
    pub fn version(&mut self) -> anyhow::Result<Snapshot> {
        self.refuse_foreign_state()?;
        state::read(&mut self.client, &self.tables, self.versions_exist, false)
    }

    /// Takes the migration lock, waiting at most `timeout` for another run (and telling
    /// `events` who holds it), unless `stop` is set meanwhile. Nothing is created or read:
    /// a migrating command then calls [`prepare`](Self::prepare), while `restore` holds
    /// the lock as a dump brings its own bookkeeping tables, `reset` and `drop` as they
    /// empty the database, and `adopt` as it records another tool's state. Released by
    /// [`unlock`](Self::unlock) or when the session is dropped.
    pub fn lock(
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
                let pid = self.info.backend_pid;
                let deadline = std::time::Instant::now() + timeout;
                let left = || deadline.saturating_duration_since(std::time::Instant::now());
                loop {
                    lock::acquire(&mut self.client, key, pid, left(), events, stop)?;
                    // A transaction-mode run (through a pooler) excludes others with its
                    // lease, not this lock: a live one is waited out with the lock let go,
                    // so that its run can finish. (No lease table when the session began:
                    // no such run to wait for, and no query spent on it.)
                    if !self.lease_exists
                        || lease::holder(&mut self.client, &self.tables, &self.owner.0)?.is_none()
                    {
                        break;
                    }
                    lock::release(&mut self.client, key)?;
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
    pub fn lock_for_migrating(
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
    fn refuse_read_only(&self) -> anyhow::Result<()> {
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

    fn key(&self) -> i64 {
        lock::key(
            &self.tables.schema,
            &self.tables.name,
            &format!("/{}", self.info.database),
        )
    }

    pub fn holds_lock(&self) -> bool {
        self.lock_key.is_some() || self.xact_key.is_some()
    }

    /// What opens a migration's transaction in transaction mode, after `BEGIN`: the key,
    /// and the check that the version row is still `current` (else SQLSTATE
    /// [`lease::MOVED`]). In session mode, where the session lock excludes the rest, the
    /// check that the transaction runs on the session's own server process (SQLSTATE
    /// [`lock::POOLED`]): behind a transaction pooler it may not, and the lock then
    /// excludes nobody.
    pub fn step_guard(&self, current: Option<i64>) -> String {
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

    /// SQL that takes (or renews) the lease inside a guarded transaction, and that gives it
    /// back: for a no-transaction migration in transaction mode; empty otherwise.
    pub fn lease_sql(&mut self, take: bool) -> String {
        if self.mode != LockMode::Transaction {
            return String::new();
        }
        self.set_leased(take);
        if take {
            lease::take_sql(&self.tables, &self.owner.0, &self.owner.1)
        } else {
            lease::release_sql(&self.tables, &self.owner.0)
        }
    }

    /// In transaction mode, the lease a pipelined window of migrations holds between its
    /// transactions (see `engine::window`): taken by the first, renewed as each commits,
    /// given back by the last, so that no other run's migration comes in between. Empty in
    /// session mode, where the session lock excludes the rest.
    pub fn window_lease_sql(&self, part: WindowLease) -> String {
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
    pub fn holds_live_lease(&mut self) -> anyhow::Result<bool> {
        if self.mode != LockMode::Transaction || !self.lease_table_exists()? {
            return Ok(false);
        }
        lease::ours(&mut self.client, &self.tables, &self.owner.0)
    }

    /// `read` on a connection of its own to the same database, when the session's went
    /// away (a pipelined window lost it; a restarting server takes a few seconds to accept
    /// one): `None` on a lent connection, or when the server cannot be reached within 5 s.
    /// Runs on a thread of its own: the blocking client starts a runtime, which a thread of
    /// tokio's blocking pool (where the async API's engine runs) may not.
    pub fn read_elsewhere<T: Send>(
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

    /// Sends `sql`, a transaction that takes golang-migrate's key without waiting
    /// ([`lease::xact_lock_sql`]): while the key is taken (a session-mode run, or another
    /// run's transaction), it is sent again after a pause, for the lock timeout at most.
    pub fn under_key(&mut self, sql: &str, events: &dyn Events) -> Result<Vec<Message>, WireError> {
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
    pub fn lock_wait(&self) -> Duration {
        self.lock_wait
    }

    /// The refusal a failure of the lock's own guards means, if it is one: the key still
    /// taken when [`under_key`](Self::under_key) gave up, or a session lock behind a
    /// transaction pooler ([`lock::same_process_sql`]).
    pub fn lock_refusal(&mut self, err: &WireError) -> Option<anyhow::Error> {
        if lease::is_locked(err) {
            Some(self.key_held())
        } else if lock::is_pooled(err) {
            Some(self.refuse_pooled())
        } else {
            None
        }
    }

    /// The error after [`under_key`](Self::under_key) gave up: who holds the key.
    fn key_held(&mut self) -> anyhow::Error {
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
    fn refuse_pooled(&mut self) -> anyhow::Error {
        let _ = self.client.batch_execute("ROLLBACK");
        if let Some(key) = self.lock_key.take() {
            lock::release_anywhere(&mut self.client, key);
        }
        lock::pooled(self.info.backend_pid, "another")
    }

    /// What cancels the statement this session runs, from another thread (a signal handler
    /// quitting at once): only for a connection ferry opened itself.
    pub fn canceller(&self) -> Option<Box<dyn Fn() + Send + Sync>> {
        let (Conn::Owned(client), Some(params)) = (&self.client, &self.params) else {
            return None;
        };
        let token = client.cancel_token();
        let params = params.clone();
        Some(Box::new(move || {
            crate::conn::connect::cancel(&params, &token, Duration::from_secs(2));
        }))
    }

    /// What opens each transaction of a pipelined window: the check that this run was not
    /// told to stop (see [`stop`]).
    pub fn stop_check_sql(&self) -> String {
        stop::check_sql(stop::key(&self.owner.0))
    }

    /// Sends a pipelined window's message, watching `stop_flag`: once it is set, the
    /// window's later transactions stop before running anything (see [`stop`]).
    pub fn send_window(
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

    /// [`read_elsewhere`](Self::read_elsewhere) after this session's connection was lost:
    /// its server process may still be running what it was sent (it notices a vanished
    /// client only when it next writes to it), so it is terminated first, and waited for,
    /// before anything is read — or nothing is read (`None`), when that cannot be done.
    /// Session mode only: behind a transaction pooler the process is not the session's.
    pub fn read_after_loss<T: Send>(
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

    /// Renews the lease between the statements of a no-transaction migration.
    pub fn renew_lease(&mut self) -> anyhow::Result<()> {
        if !self.leased {
            return Ok(());
        }
        let sql = lease::renew_sql(&self.tables, &self.owner.0);
        self.client
            .batch_execute(&sql)
            .context("renewing the migration lease")
    }

    /// Who holds a live lease, other than this run.
    pub fn lease_holder(&mut self) -> anyhow::Result<Option<String>> {
        if !self.lease_table_exists()? {
            return Ok(None);
        }
        lease::holder(&mut self.client, &self.tables, &self.owner.0)
    }

    /// Waits (up to `timeout`) while another run holds a live lease, telling `events` who
    /// holds it.
    pub fn wait_out_lease(
        &mut self,
        timeout: Duration,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        let mut waited = false;
        while let Some(holder) = self.lease_holder()? {
            if std::time::Instant::now() >= deadline {
                return Err(lease::held(&holder, timeout));
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
    fn lease_table_exists(&mut self) -> anyhow::Result<bool> {
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
    pub fn lease_holder_seen(&mut self) -> anyhow::Result<Option<String>> {
        if !self.lease_exists {
            return Ok(None);
        }
        lease::holder(&mut self.client, &self.tables, &self.owner.0)
    }

    /// Takes the lease for a whole command (transaction mode), waiting like the session
    /// lock does.
    fn take_lease(
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
                return Err(lease::held(&holder, timeout));
            }
            if !told {
                events.on(Event::LockWait { holder: &holder });
                told = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
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
        self.versions_exist = true;
        self.history_exists = true;
        self.lease_exists |= self.mode == LockMode::Transaction;
        Ok(())
    }

    /// Creates the bookkeeping tables if they are missing, then reads them. Called with
    /// the lock held.
    pub fn prepare(&mut self) -> anyhow::Result<Snapshot> {
        self.refuse_foreign_state()?;
        if !(self.versions_exist && self.history_exists) || self.mode == LockMode::Transaction {
            self.create_tables()?;
        }
        self.snapshot()
    }

    /// Drops everything the migrations made, bookkeeping included (see [`wipe`]). Called
    /// with the lock held; [`prepare`](Self::prepare) recreates the tables for a `reset`.
    pub fn wipe(&mut self) -> anyhow::Result<wipe::Summary> {
        let summary = wipe::wipe(self.client.postgres()?, &self.tables)?;
        self.versions_exist = false;
        self.history_exists = false;
        self.lease_exists = false;
        self.foreign = Some(Vec::new());
        // The lease table went too, and this run's lease with it.
        self.set_leased(false);
        Ok(summary)
    }

    /// Whether this run holds the lease; while it does, a heartbeat renews it from a
    /// connection of its own (when ferry opened the session itself).
    fn set_leased(&mut self, leased: bool) {
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
    pub fn unlock(&mut self) -> anyhow::Result<()> {
        self.xact_key = None;
        self.heartbeat = None;
        if std::mem::take(&mut self.leased) {
            let sql = lease::release_sql(&self.tables, &self.owner.0);
            self.client
                .batch_execute(&sql)
                .context("releasing the migration lease")?;
        }
        let released = match self.lock_key.take() {
            Some(key) => lock::release(&mut self.client, key),
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
    fn held_changed(&mut self) {
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
        if lock::release(&mut self.client, key).is_err() {
            // A failure can leave a transaction open and aborted, where no query runs.
            let _ = self.client.batch_execute("ROLLBACK");
            let _ = lock::release(&mut self.client, key);
        }
    }
}
