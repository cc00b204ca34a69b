//! `embed_migrations!("migrations")`: the `.sql` files of a directory (relative to the
//! crate using it) compiled into the binary as `&'static [ferry::embed::EmbeddedFile]`,
//! sorted by name, with no build script. Re-exported by ferry as
//! `ferry::embed_migrations!`; use it from there.
//!
//! Each file becomes an `include_str!`, so cargo rebuilds when one of them changes and a
//! file that is not UTF-8 fails the build. Written without `syn`: the input is one string
//! literal, and the output a short list.

use proc_macro::TokenStream;
use std::path::{Path, PathBuf};

#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(code) => code
            .parse()
            .expect("embed_migrations! generated invalid code"),
        Err(message) => format!("::core::compile_error!({message:?})")
            .parse()
            .expect("a compile_error! call"),
    }
}

fn expand(input: TokenStream) -> Result<String, String> {
    let dir = directory_literal(input)?;
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or("embed_migrations!: CARGO_MANIFEST_DIR is not set; build with cargo")?;
    let source = manifest.join(&dir);
    let names = sql_files(&source).map_err(|e| {
        format!(
            "embed_migrations!: cannot read the migrations directory {}: {e}; the path is \
             relative to the crate's Cargo.toml",
            source.display()
        )
    })?;
    let mut code = String::from("{ const FILES: &[::ferry::embed::EmbeddedFile] = &[");
    for name in &names {
        let path = source.join(name);
        let path = path
            .to_str()
            .ok_or_else(|| format!("embed_migrations!: {} is not UTF-8", path.display()))?;
        code.push_str(&format!(
            "::ferry::embed::EmbeddedFile {{ name: {name:?}, contents: ::core::include_str!({path:?}) }},"
        ));
    }
    code.push_str("]; FILES }");
    Ok(code)
}

/// The one string literal the macro takes, unquoted.
fn directory_literal(input: TokenStream) -> Result<String, String> {
    let usage = "embed_migrations! takes the directory as one string literal: \
                 embed_migrations!(\"migrations\")";
    let mut tokens = input.into_iter();
    let (Some(proc_macro::TokenTree::Literal(lit)), None) = (tokens.next(), tokens.next()) else {
        return Err(usage.to_string());
    };
    let text = lit.to_string();
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or_else(|| usage.to_string())?;
    if inner.contains('\\') {
        return Err(format!(
            "embed_migrations!: write the directory without escapes (use / between names): {text}"
        ));
    }
    Ok(inner.to_string())
}

/// The names of the `.sql` files in `dir` (hidden ones left out), sorted.
fn sql_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.ends_with(".sql") && !name.starts_with('.') && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_sql_files_sorted_without_hidden_ones_or_directories() {
        let dir = std::env::temp_dir().join(format!("ferry-macros-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested.sql")).unwrap();
        for name in [
            "2_b.sql",
            "1_a.up.sql",
            ".hidden.sql",
            "notes.md",
            "1_a.down.sql",
        ] {
            std::fs::write(dir.join(name), "SELECT 1;").unwrap();
        }
        let names = sql_files(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(names, ["1_a.down.sql", "1_a.up.sql", "2_b.sql"]);
    }
}
