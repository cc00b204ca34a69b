//! SQL text, for migrations and seeds alike: the lexer, splitting into statements,
//! recognising statements by their leading words (`split`), and quoting identifiers and
//! literals (`quote`), and finding the statements that lock or break a live database
//! (`lint`); what the server said about an error, and the caret under its position
//! (`server_error`).

pub mod classify;
pub(crate) mod lexer;
pub(crate) mod lint;
pub(crate) mod quote;
pub(crate) mod server_error;
pub mod split;
