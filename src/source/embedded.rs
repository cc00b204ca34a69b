//! A migration file compiled into a binary: its name and text, read as the directory's
//! files are (the library re-exports it as `ferry::embed::EmbeddedFile`).

/// One migration file compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// The file name, e.g. `000001_create_tenants.up.sql`.
    pub name: &'static str,
    pub contents: &'static str,
}
