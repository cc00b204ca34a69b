//! Migration files: reading the directory — names, pairing, per-file checks — (`files`)
//! and a file's directives and up/down sections (`markers`), placeholders (`template`),
//! data tests beside migrations (`datatest`). Splitting the SQL itself is
//! `sql`'s; deciding what to run is `plan`'s.

pub(crate) mod datatest;
pub(crate) mod embedded;
pub(crate) mod files;
pub(crate) mod markers;
pub(crate) mod template;
