//! The one way the session and the engine speak to the server: simple-query messages
//! (any number of statements in one round trip) whose rows come back as text. A direct
//! connection (`postgres::Client`, the CLI's and the sync library's) speaks it itself; an
//! async caller's connection (tokio-postgres, a pool's, sqlx's) is reached through the
//! bridge in `crate::api::asynchronous`, which hands each message to the task that owns the
//! connection. Text rows and one error type keep the engine blind to the driver below:
//! there is one engine, whichever connection it runs on.

use std::fmt;

use postgres::{Client, SimpleQueryMessage, SimpleQueryRow};

/// A connection the session can send SQL on.
pub(crate) trait Wire {
    /// Runs `sql` as one simple-query message; the rows of every statement, each
    /// statement's end marked by [`Message::Complete`].
    fn simple_query(&mut self, sql: &str) -> Result<Vec<Message>, WireError>;

    /// Runs `sql` as one simple-query message, discarding any rows.
    fn batch_execute(&mut self, sql: &str) -> Result<(), WireError>;

    /// What the connection's owner should send if the run is abandoned from outside
    /// (an async caller dropping the future) before the session can clean up itself:
    /// the session keeps it current as it takes and releases the lock. A connection that
    /// closes with the run (the CLI's) ignores it.
    fn on_abandon(&mut self, _sql: &str) {}

    /// Whether a migration's `COMMIT` must be a message of its own: on a connection that
    /// stays open when the run is abandoned (an async caller's lent client), so that the
    /// clean-up queued behind the message in flight rolls the migration back instead of
    /// finding it committed — what a killed process's connection would do. One more
    /// round trip per migration there; none elsewhere.
    fn commits_apart(&self) -> bool {
        false
    }
}

/// One part of a simple query's answer.
#[derive(Debug)]
pub(crate) enum Message {
    Row(TextRow),
    /// One statement finished.
    Complete,
}

/// A row in text form, as the simple-query protocol sends it: tokio-postgres's own row
/// (not copied: `status` reads a thousand history rows), or another driver's values.
#[derive(Debug)]
pub(crate) enum TextRow {
    Postgres(SimpleQueryRow),
    #[cfg_attr(not(feature = "sqlx"), allow(dead_code))]
    Values(Vec<Option<String>>),
}

impl TextRow {
    /// Column `i`'s text; `None` for NULL or a column that is not there.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        match self {
            TextRow::Postgres(row) => row.try_get(i).ok().flatten(),
            TextRow::Values(values) => values.get(i).and_then(Option::as_deref),
        }
    }

    /// Every column's text, in order.
    pub(crate) fn values(&self) -> Vec<Option<String>> {
        match self {
            TextRow::Postgres(row) => (0..row.len())
                .map(|i| row.try_get(i).ok().flatten().map(str::to_string))
                .collect(),
            TextRow::Values(values) => values.clone(),
        }
    }
}

/// The first row of an answer.
pub(crate) fn first_row(messages: &[Message]) -> Option<&TextRow> {
    messages.iter().find_map(|m| match m {
        Message::Row(row) => Some(row),
        Message::Complete => None,
    })
}

impl Wire for Client {
    fn simple_query(&mut self, sql: &str) -> Result<Vec<Message>, WireError> {
        let messages = Client::simple_query(self, sql)?;
        Ok(from_simple(messages))
    }

    fn batch_execute(&mut self, sql: &str) -> Result<(), WireError> {
        Ok(Client::batch_execute(self, sql)?)
    }
}

/// tokio-postgres's answer (the same type `postgres` returns) in the wire's terms.
pub(crate) fn from_simple(messages: Vec<SimpleQueryMessage>) -> Vec<Message> {
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(Message::Row(TextRow::Postgres(row))),
            SimpleQueryMessage::CommandComplete(_) => Some(Message::Complete),
            _ => None,
        })
        .collect()
}

pub(crate) use crate::sql::server_error::ServerError;

/// A failed message: what the server answered ([`server`](Self::server)), or why there
/// was no answer (the connection is gone). Displays as the driver's own error did.
#[derive(Debug)]
pub(crate) struct WireError {
    server: Option<Box<ServerError>>,
    shown: String,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    Postgres(postgres::Error),
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    Other(Option<Box<dyn std::error::Error + Send + Sync>>),
}

impl WireError {
    /// The server's error, when it answered with one.
    pub(crate) fn server(&self) -> Option<&ServerError> {
        self.server.as_deref()
    }

    /// Whether the session is gone: the connection was lost, or the server ended it with a
    /// FATAL error (shutting down, the backend terminated) — which one the client sees
    /// first is a race, so they are one case.
    pub(crate) fn ended_session(&self) -> bool {
        self.server()
            .is_none_or(|db| matches!(db.severity.as_str(), "FATAL" | "PANIC"))
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    /// An error another driver reported: the server's fields if it answered, and the
    /// driver's error for the chain.
    pub(crate) fn other(
        server: Option<ServerError>,
        shown: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        WireError {
            server: server.map(Box::new),
            shown: shown.into(),
            cause: Cause::Other(source),
        }
    }
}

impl From<postgres::Error> for WireError {
    fn from(err: postgres::Error) -> Self {
        WireError {
            server: err.as_db_error().map(|db| Box::new(ServerError::from(db))),
            shown: err.to_string(),
            cause: Cause::Postgres(err),
        }
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::error::Error for WireError {
    // The driver's error is displayed as this one; its causes follow in the chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Postgres(err) => std::error::Error::source(err),
            Cause::Other(source) => source
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
        }
    }
}
