//! The async API (feature `tokio`): the same calls as [`Migrator`]'s, as `async fn`s on a
//! tokio-postgres connection — one ferry opens from the URL, one the service lends (a
//! `tokio_postgres::Client`, or a pooled one from deadpool-postgres or bb8, which
//! dereference to it), or (feature `sqlx`) one from an sqlx `PgPool`.
//!
//! There is one engine, and it is synchronous: it runs on tokio's blocking pool, and each
//! message it sends crosses a channel to the future the caller awaits, which runs it on the
//! caller's connection (the [`Wire`] bridge). The runtime's threads never block, and the
//! connection never leaves its owner.
//!
//! Dropping the future part way (a timeout, a shutdown) is safe. On a connection of
//! ferry's own, or an sqlx one, the connection is closed, as killing the process would:
//! the server rolls back the migration running (within a second even mid-statement, on
//! PostgreSQL 14+) and releases the lock. A lent client stays open: the statements in
//! flight finish on the server, then the clean-up queued behind them rolls back the
//! migration's transaction (on such a client `COMMIT` is a message of its own, one more
//! round trip per migration), releases the lock and the lease and restores the session's
//! settings, and the client is the service's again. Either way the engine stops before
//! the next migration.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Waker};

use tokio::sync::{mpsc, oneshot};

use super::{Applied, MigrationStatus};
use crate::api::{Error, Lent, Migrator, Version};
use crate::db::wire::{from_simple, Message, Wire, WireError};
use crate::db::Conn;
use crate::plan::Operation;

/// A [`Migrator`] bound to an async connection: see [`Migrator::on`],
/// [`Migrator::on_database_url`] and `Migrator::on_pool`. Each call takes the migration
/// lock and gives it back, like the sync calls.
#[derive(Debug, Clone, Copy)]
pub struct AsyncMigrator<'a> {
    migrator: &'a Migrator,
    db: Db<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Db<'a> {
    /// ferry's own connection, from `database_url`, for the length of each call.
    Url,
    Client(&'a tokio_postgres::Client),
    #[cfg(feature = "sqlx")]
    Pool(&'a sqlx::PgPool),
}

impl Migrator {
    /// The async calls on a tokio-postgres client the service keeps; a pooled client
    /// (`deadpool_postgres::Object`, bb8's `PooledConnection`) dereferences to one:
    /// `migrator.on(&client).up().await`. The client must not be used for anything else
    /// until the call returns.
    pub fn on<'a>(&'a self, client: &'a tokio_postgres::Client) -> AsyncMigrator<'a> {
        AsyncMigrator {
            migrator: self,
            db: Db::Client(client),
        }
    }

    /// The async calls on a connection of ferry's own, opened from
    /// [`database_url`](Migrator::database_url) for each call (TLS and every setting as
    /// the CLI has them) and closed after it.
    pub fn on_database_url(&self) -> AsyncMigrator<'_> {
        AsyncMigrator {
            migrator: self,
            db: Db::Url,
        }
    }

    /// The async calls on a connection from an sqlx pool, held for each call: what
    /// replaces `sqlx::migrate!().run(&pool).await`.
    #[cfg(feature = "sqlx")]
    pub fn on_pool<'a>(&'a self, pool: &'a sqlx::PgPool) -> AsyncMigrator<'a> {
        AsyncMigrator {
            migrator: self,
            db: Db::Pool(pool),
        }
    }
}

impl Migrator {
    /// [`Migrator::up_each`] for tokio: `up` on each of `urls`, `jobs` at a time, each on
    /// a connection of its own with its own lock; a result per target, in order.
    pub async fn up_each_async<S: AsRef<str>>(
        &self,
        urls: &[S],
        jobs: usize,
    ) -> Vec<crate::TargetResult> {
        let permits = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, url) in urls.iter().enumerate() {
            let url = url.as_ref().to_string();
            let migrator = self.clone().database_url(url.clone());
            let permits = permits.clone();
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let result = migrator.on_database_url().up().await;
                (
                    i,
                    crate::TargetResult {
                        target: crate::api::shown_target(&url),
                        result,
                    },
                )
            });
        }
        let mut results: Vec<Option<crate::TargetResult>> = urls.iter().map(|_| None).collect();
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok((i, result)) => results[i] = Some(result),
                Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
                Err(_) => {}
            }
        }
        results.into_iter().flatten().collect()
    }
}

impl AsyncMigrator<'_> {
    /// Applies every pending migration; returns what ran (empty when up to date).
    pub async fn up(self) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UP).await
    }

    /// Applies the pending migrations up to and including `version`.
    pub async fn up_to(self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::UpTo { version }).await
    }

    /// Rolls back the last `n` applied migrations, newest first.
    pub async fn down(self, n: usize) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::down(n)).await
    }

    /// Moves up or down until `version` (a migration's version) is the current one.
    pub async fn goto(self, version: i64) -> Result<Vec<Applied>, Error> {
        self.migrate(Operation::goto(version)).await
    }

    /// The current version; reads only.
    pub async fn version(self) -> Result<Version, Error> {
        self.work(|migrator, conn, params, _| migrator.version_on(conn, params))
            .await
    }

    /// Every migration the files or the database know, with its state; reads only.
    pub async fn status(self) -> Result<Vec<MigrationStatus>, Error> {
        self.work(|migrator, conn, params, _| migrator.status_on(conn, params))
            .await
    }

    async fn migrate(self, call: Operation) -> Result<Vec<Applied>, Error> {
        self.work(move |migrator, conn, params, stop| migrator.run_on(conn, params, call, stop))
            .await
    }

    /// Runs `job` (the engine, through the migrator's sync path) on the blocking pool,
    /// serving its messages on this call's connection until it is done.
    async fn work<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Migrator, Conn<'_>, &Lent, &AtomicBool) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let (params, mut peer) = match self.db {
            Db::Client(client) => (Lent::Lent, Peer::Client(client)),
            Db::Url => {
                let params = self.migrator.params()?;
                let (client, connection) = crate::conn::connect::connect_async(&params)
                    .await
                    .map_err(Error::connect)?;
                (Lent::Own(Box::new(params)), Peer::Owned(client, connection))
            }
            #[cfg(feature = "sqlx")]
            Db::Pool(pool) => {
                let conn = pool.acquire().await.map_err(|e| Error::Connect {
                    message: format!("taking a connection from the sqlx pool: {e}"),
                })?;
                (Lent::Lent, Peer::Sqlx(Some(conn)))
            }
        };
        let migrator = self.migrator.clone();
        serve(&mut peer, move |conn, stop| {
            job(&migrator, conn, &params, stop)
        })
        .await
    }
}

/// The connection a call's messages run on.
enum Peer<'a> {
    Client(&'a tokio_postgres::Client),
    /// Opened for this call; its connection task ends when the client is dropped.
    Owned(tokio_postgres::Client, tokio::task::JoinHandle<()>),
    #[cfg(feature = "sqlx")]
    Sqlx(Option<sqlx::pool::PoolConnection<sqlx::Postgres>>),
}

impl Peer<'_> {
    async fn run(&mut self, sql: &str, rows: bool) -> Result<Vec<Message>, WireError> {
        let client = match self {
            Peer::Client(client) => *client,
            Peer::Owned(client, _) => &*client,
            #[cfg(feature = "sqlx")]
            Peer::Sqlx(conn) => {
                let conn = conn.as_mut().ok_or_else(gone)?;
                return crate::api::sqlx_wire::run(conn, sql, rows).await;
            }
        };
        if rows {
            Ok(from_simple(client.simple_query(sql).await?))
        } else {
            client.batch_execute(sql).await?;
            Ok(Vec::new())
        }
    }

    /// Gives the connection back clean when the call is abandoned. A lent client gets
    /// `sql` without waiting for the answer (there is no one left to wait): the first
    /// poll of tokio-postgres's query future queues the message on the connection, behind
    /// the one in flight, which finishes first (a migration's transaction whole); the
    /// connection task sends it and drops the answer. A connection of ferry's own, or
    /// sqlx's, is closed: the server rolls back what was running and releases the lock.
    fn abandon(&mut self, sql: &str) {
        let client = match self {
            Peer::Client(client) => *client,
            // ferry's own connection: closed, as a kill would close it.
            Peer::Owned(_, connection) => return connection.abort(),
            #[cfg(feature = "sqlx")]
            Peer::Sqlx(conn) => {
                // Closing the connection makes the server roll back and unlock.
                if let Some(conn) = conn.take() {
                    drop(conn.detach());
                }
                return;
            }
        };
        let future = pin!(client.batch_execute(sql));
        let _ = future.poll(&mut Context::from_waker(Waker::noop()));
    }
}

/// One message from the engine's thread, and where its answer goes.
struct Forwarded {
    sql: String,
    rows: bool,
    reply: oneshot::Sender<Result<Vec<Message>, WireError>>,
}

/// The engine's end of the bridge: each message is handed to the future serving the
/// call, and the engine's thread waits for the answer.
struct Bridge {
    requests: mpsc::Sender<Forwarded>,
    abandon: Arc<Mutex<String>>,
    /// The connection stays open if the call is abandoned (a lent client).
    stays_open: bool,
}

impl Bridge {
    fn ask(&mut self, sql: &str, rows: bool) -> Result<Vec<Message>, WireError> {
        let (reply, answer) = oneshot::channel();
        let request = Forwarded {
            sql: sql.to_string(),
            rows,
            reply,
        };
        self.requests.blocking_send(request).map_err(|_| gone())?;
        answer.blocking_recv().map_err(|_| gone())?
    }
}

impl Wire for Bridge {
    fn simple_query(&mut self, sql: &str) -> Result<Vec<Message>, WireError> {
        self.ask(sql, true)
    }

    fn batch_execute(&mut self, sql: &str) -> Result<(), WireError> {
        self.ask(sql, false).map(|_| ())
    }

    fn on_abandon(&mut self, sql: &str) {
        if let Ok(mut abandon) = self.abandon.lock() {
            *abandon = sql.to_string();
        }
    }

    fn commits_apart(&self) -> bool {
        self.stays_open
    }
}

fn gone() -> WireError {
    WireError::other(
        None,
        "the call was abandoned (its future was dropped) before the migration ended",
        None,
    )
}

/// If the future is dropped before the engine is done: stop the engine before its next
/// migration, and give the connection back clean.
struct Abandoned<'p, 'a> {
    peer: &'p mut Peer<'a>,
    cleanup: Arc<Mutex<String>>,
    stop: Arc<AtomicBool>,
    done: bool,
}

impl Drop for Abandoned<'_, '_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        let sql = match self.cleanup.lock() {
            Ok(sql) => sql.clone(),
            Err(_) => String::new(),
        };
        self.peer
            .abandon(if sql.is_empty() { "ROLLBACK" } else { &sql });
    }
}

/// Runs `job` on the blocking pool with a [`Bridge`] as its connection, and serves the
/// bridge's messages on `peer` until the job drops it.
async fn serve<T: Send + 'static>(
    peer: &mut Peer<'_>,
    job: impl FnOnce(Conn<'static>, &AtomicBool) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let (requests, mut incoming) = mpsc::channel::<Forwarded>(1);
    let cleanup = Arc::new(Mutex::new(String::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let bridge = Bridge {
        requests,
        abandon: cleanup.clone(),
        stays_open: matches!(peer, Peer::Client(_)),
    };
    let stopped = stop.clone();
    let work = move || job(Conn::Bridged(Box::new(bridge)), &stopped);
    #[cfg(feature = "tracing")]
    let work = crate::api::tracing_events::carry(work);
    let worker = tokio::task::spawn_blocking(work);
    let guard = Abandoned {
        peer,
        cleanup,
        stop,
        done: false,
    };
    let mut guard = guard;
    while let Some(request) = incoming.recv().await {
        let answer = guard.peer.run(&request.sql, request.rows).await;
        let _ = request.reply.send(answer);
    }
    guard.done = true;
    match worker.await {
        Ok(result) => result,
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => Err(Error::Other {
            message: format!("the migration task was cancelled: {err}"),
        }),
    }
}
