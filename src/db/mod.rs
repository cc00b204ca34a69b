//! A session with the database: connecting, what the server is, and the bookkeeping
//! tables of this run. Migrating commands additionally take the lock and make sure the
//! tables exist; read-only commands never write.

pub mod lock;
pub mod state;

use anyhow::Context;
use postgres::{Client, SimpleQueryMessage};

use crate::config::Config;
use crate::conn::connect::connect;
use crate::ui::report::Reporter;
use state::{quote_literal, Snapshot, Tables};

/// What `status` shows about the server and the session.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    pub server_version: String,
    pub database: String,
    pub user: String,
    pub tls: bool,
}

pub struct Session {
    pub client: Client,
    pub info: ServerInfo,
    pub tables: Tables,
    versions_exist: bool,
    history_exists: bool,
    lock_key: Option<i64>,
}

impl Session {
    /// Connects and learns, in one round trip, who we are and whether the tables exist.
    pub fn open(config: &Config, report: &Reporter) -> anyhow::Result<Self> {
        let params = config.conn()?;
        for note in &params.notes {
            report.info(&format!("note: {note}"));
        }
        let mut client = connect(params)?;
        let schema = config
            .table
            .schema
            .as_deref()
            .map_or("NULL".to_string(), quote_literal);
        let name = &config.table.name;
        let sql = format!(
            "WITH s AS (SELECT coalesce({schema}, current_schema()) AS schema) \
             SELECT s.schema, current_database(), current_user, current_setting('server_version'), \
               coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false), \
               CASE WHEN s.schema IS NULL THEN false \
                    ELSE to_regclass(format('%I.%I', s.schema, {t})) IS NOT NULL END, \
               CASE WHEN s.schema IS NULL THEN false \
                    ELSE to_regclass(format('%I.%I', s.schema, {h})) IS NOT NULL END \
             FROM s",
            t = quote_literal(name),
            h = quote_literal(&format!("{name}_history")),
        );
        let messages = client
            .simple_query(&sql)
            .context("reading server information")?;
        let row = messages
            .iter()
            .find_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(row),
                _ => None,
            })
            .context("the server returned no session information")?;
        let text = |i: usize| row.get(i).unwrap_or_default().to_string();
        let info = ServerInfo {
            server_version: text(3),
            database: text(1),
            user: text(2),
            tls: row.get(4) == Some("t"),
        };
        let tables = Tables::new(&config.table, row.get(0))?;
        let versions_exist = row.get(5) == Some("t");
        let history_exists = row.get(6) == Some("t");
        Ok(Session {
            client,
            info,
            tables,
            versions_exist,
            history_exists,
            lock_key: None,
        })
    }

    /// Reads the bookkeeping without creating or locking anything.
    pub fn snapshot(&mut self) -> anyhow::Result<Snapshot> {
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
        state::read(&mut self.client, &self.tables, self.versions_exist, false)
    }

    /// For migrating commands: take the lock, create the tables if needed, then read them
    /// (after locking, so the state cannot change underneath).
    pub fn lock(&mut self, config: &Config, report: &Reporter) -> anyhow::Result<Snapshot> {
        let key = lock::key(
            &self.tables.schema,
            &self.tables.name,
            &format!("/{}", self.info.database),
        );
        lock::acquire(&mut self.client, key, config.lock_timeout, report)?;
        self.lock_key = Some(key);
        if !(self.versions_exist && self.history_exists) {
            self.client
                .batch_execute(&self.tables.create_sql())
                .with_context(|| {
                    format!("creating the bookkeeping table {}", self.tables.display())
                })?;
            self.versions_exist = true;
            self.history_exists = true;
        }
        self.snapshot()
    }

    /// Releases the lock if held. Closing the connection would too; this is just prompt.
    pub fn unlock(&mut self) -> anyhow::Result<()> {
        match self.lock_key.take() {
            Some(key) => lock::release(&mut self.client, key),
            None => Ok(()),
        }
    }
}
