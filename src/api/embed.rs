//! Migrations compiled into a service binary, so it carries its SQL and needs no files at
//! run time: [`embed_migrations!`](crate::embed_migrations) lists a directory's `.sql`
//! files at compile time (no build script), and
//! [`Migrator::from_embedded`](crate::Migrator::from_embedded) reads them exactly as
//! `ferry` reads the directory, checksums included.
//!
//! ```ignore
//! let migrator = ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?;
//! ```
//!
//! The path is relative to the crate's `Cargo.toml`. Cargo rebuilds when an embedded file
//! changes; a file *added* to the directory is noticed at the next rebuild of the crate —
//! to have cargo watch the directory itself, add a `build.rs` containing
//! `fn main() { println!("cargo:rerun-if-changed=migrations"); }`.

pub use crate::source::embedded::EmbeddedFile;
