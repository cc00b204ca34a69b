//! SQL text, for migrations and seeds alike: the lexer, splitting into statements,
//! recognising statements by their leading words (`split`), and quoting identifiers and
//! literals (`quote`).

pub mod quote;
pub mod split;
