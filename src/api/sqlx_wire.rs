//! The wire on an sqlx connection (feature `sqlx`): the engine's simple-query messages
//! through `sqlx::raw_sql`, rows read as the text the protocol carries, the server's
//! error fields kept for the engine's reports.

use futures_util::TryStreamExt;
use postgres::error::SqlState;
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
use sqlx::{Either, Row, ValueRef};

use crate::db::wire::{Message, ServerError, TextRow, WireError};

pub(super) async fn run(
    conn: &mut sqlx::PgConnection,
    sql: &str,
    rows: bool,
) -> Result<Vec<Message>, WireError> {
    let mut messages = Vec::new();
    let mut stream = sqlx::raw_sql(sql).fetch_many(conn);
    while let Some(item) = stream.try_next().await.map_err(wire_error)? {
        match item {
            Either::Left(_) => messages.push(Message::Complete),
            Either::Right(_) if !rows => {}
            Either::Right(row) => {
                let mut values = Vec::with_capacity(row.len());
                for i in 0..row.len() {
                    let raw = row.try_get_raw(i).map_err(wire_error)?;
                    values.push(if raw.is_null() {
                        None
                    } else {
                        Some(
                            raw.as_str()
                                .map_err(|e| WireError::other(None, e.to_string(), Some(e)))?
                                .to_string(),
                        )
                    });
                }
                messages.push(Message::Row(TextRow::Values(values)));
            }
        }
    }
    Ok(messages)
}

fn wire_error(err: sqlx::Error) -> WireError {
    let server = match &err {
        sqlx::Error::Database(db) => db.try_downcast_ref::<PgDatabaseError>().map(server_error),
        _ => None,
    };
    let shown = match &server {
        Some(db) => format!("db error: {}: {}", db.severity, db.message),
        None => err.to_string(),
    };
    WireError::other(server, shown, Some(Box::new(err)))
}

fn server_error(db: &PgDatabaseError) -> ServerError {
    ServerError {
        severity: format!("{:?}", db.severity()).to_uppercase(),
        code: SqlState::from_code(db.code()),
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint: db.hint().map(str::to_string),
        where_: db.r#where().map(str::to_string),
        position: match db.position() {
            Some(PgErrorPosition::Original(p)) => u32::try_from(p).ok(),
            _ => None,
        },
    }
}
