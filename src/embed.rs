//! Migrations compiled into a service binary, so it carries its SQL.
//!
//! A service's `build.rs` calls [`embed_migrations`] for its migrations directory; the
//! code then takes them with [`embed_migrations!`](crate::embed_migrations) and hands them to
//! [`Migrator::from_embedded`](crate::Migrator::from_embedded):
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     ferry::embed::embed_migrations("migrations").expect("embedding migrations");
//! }
//!
//! // src/main.rs
//! let migrator = ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?;
//! ```
//!
//! Each file becomes an `include_str!`, so a file that is not UTF-8 fails the build, and
//! cargo rebuilds when the directory changes. This module uses only `std`: ferry's own
//! build script includes it as is.

use std::fmt::Write as _;
use std::path::Path;

/// One migration file compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// The file name, e.g. `000001_create_tenants.up.sql`.
    pub name: &'static str,
    pub contents: &'static str,
}

/// For `build.rs`: write the list of `dir`'s `.sql` files (relative to the package) for
/// [`embed_migrations!`](crate::embed_migrations) to include, and ask cargo to rebuild when
/// the directory changes.
pub fn embed_migrations(dir: &str) -> std::io::Result<()> {
    let manifest =
        std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| not_in_build("CARGO_MANIFEST_DIR"))?;
    let out = std::env::var_os("OUT_DIR").ok_or_else(|| not_in_build("OUT_DIR"))?;
    let source = Path::new(&manifest).join(dir);
    println!("cargo:rerun-if-changed={}", source.display());

    let mut names: Vec<String> = std::fs::read_dir(&source)?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".sql") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut code = String::from("&[\n");
    for name in &names {
        let path = source.join(name);
        let _ = writeln!(
            code,
            "    ::ferry::embed::EmbeddedFile {{ name: {name:?}, contents: include_str!({:?}) }},",
            path.display().to_string()
        );
    }
    code.push(']');

    let target = Path::new(&out)
        .join("ferry_embedded")
        .join(format!("{dir}.rs"));
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(target, code)
}

fn not_in_build(var: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "{var} is not set: call embed_migrations from a build script (build.rs)"
    ))
}

/// The migrations `build.rs` embedded with [`embed::embed_migrations`](crate::embed::embed_migrations),
/// as `&'static [EmbeddedFile]`. The directory must be the same string in both places.
#[macro_export]
macro_rules! embed_migrations {
    ($dir:literal) => {
        include!(concat!(env!("OUT_DIR"), "/ferry_embedded/", $dir, ".rs"))
    };
}
