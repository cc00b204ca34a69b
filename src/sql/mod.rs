//! SQL text, for migrations and seeds alike: the lexer, splitting into statements,
//! recognising statements by their leading words (`split`), and quoting identifiers and
//! literals (`quote`), and finding the statements that lock or break a live database
//! (`lint`).

pub mod lint;
pub mod quote;
pub mod split;
