//! A plain dump restored through psql runs nothing but SQL. psql obeys backslash
//! meta-commands wherever they appear in its input — `\!` runs a shell command, `\o` writes
//! a file, `\connect` goes to another database, `\set ON_ERROR_STOP 0` turns errors into
//! warnings — and a dump is a file anyone could have written. So psql runs in its
//! restricted mode (`\restrict KEY`, psql 13.22, 14.19, 15.14, 16.10, 17.6, 18 and later),
//! entered with a random key the file cannot know: psql itself refuses every meta-command
//! of the file, wherever it hides in a line.
//!
//! [`SqlOnly`] reads the dump line by line on its way to psql, outside `COPY … FROM stdin`
//! data: it blanks the `\restrict`/`\unrestrict` pair newer pg_dump writes (psql refuses a
//! second `\restrict`), keeping the line numbers psql reports; and in a restore that is one
//! transaction it stops at a line that ends or opens a transaction (`COMMIT;`), before psql
//! sees it, so that "rolled back, the database is unchanged" stays true.

use std::io::{self, BufRead, Read};

use crate::lines::{Rewrite, Rewritten};
use crate::sql::classify::transaction_control;
use crate::sql::split::split;

/// The `\restrict` key of one restore: random, never in the file.
pub(crate) fn restrict_key() -> String {
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // No /dev/urandom: the time and the process, hashed, are as unknown to the file.
        use sha2::Digest;
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        bytes.copy_from_slice(&sha2::Sha256::digest(seed.as_bytes())[..16]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a psql of this version (`15.18`, `18.1`) has `\restrict`.
pub(crate) fn psql_restricts(version: &str) -> bool {
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    match major {
        0..=12 => false,
        13 => minor >= 22,
        14 => minor >= 19,
        15 => minor >= 14,
        16 => minor >= 10,
        17 => minor >= 6,
        _ => true,
    }
}

/// The lines of a plain dump as psql should get them (see the module docs).
pub(crate) struct SqlOnly {
    /// Stop at transaction control (the restore is one transaction).
    one_transaction: bool,
    number: usize,
    in_copy: bool,
    /// The key of the dump's own `\restrict`, once seen.
    dump_key: Option<String>,
    /// The SQL since the last complete statement (a function body spans lines), and the
    /// line it starts on: transaction control is looked for statement by statement, so
    /// that a `BEGIN` inside a function body is not one.
    pending: String,
    pending_line: usize,
}

impl SqlOnly {
    /// `source` as psql should read it.
    pub(crate) fn reading<R: BufRead>(source: R, one_transaction: bool) -> Rewritten<R, SqlOnly> {
        Rewritten::new(
            source,
            SqlOnly {
                one_transaction,
                number: 0,
                in_copy: false,
                dump_key: None,
                pending: String::new(),
                pending_line: 1,
            },
        )
    }

    /// pg_dump's `\restrict KEY` (the first one), and the `\unrestrict KEY` with its key.
    fn is_dumps_restrict_line(&mut self, line: &str) -> bool {
        let key_ok = |key: &str| !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric());
        if let Some(key) = line.strip_prefix("\\restrict ").filter(|k| key_ok(k)) {
            if self.dump_key.is_none() {
                self.dump_key = Some(key.to_string());
                return true;
            }
        }
        let key = line.strip_prefix("\\unrestrict ");
        key.is_some() && key == self.dump_key.as_deref()
    }

    /// Adds `line` to the statement being read; refuses a complete statement that is
    /// transaction control.
    fn look_for_transaction_control(&mut self, line: &str) -> io::Result<()> {
        if self.pending.trim().is_empty() {
            // Between statements, a comment line starts none.
            if line.trim_start().starts_with("--") {
                return Ok(());
            }
            self.pending.clear();
            self.pending_line = self.number;
        }
        self.pending.push_str(line);
        if !line.contains(';') {
            return Ok(());
        }
        // An unterminated string, dollar quote or comment: the statement goes on.
        let Ok(statements) = split(&self.pending) else {
            return Ok(());
        };
        let mut rest = 0;
        for statement in &statements {
            let terminated = self.pending[statement.end..].trim_start().starts_with(';');
            if !terminated {
                break;
            }
            if let Some(control) = transaction_control(statement.text(&self.pending)) {
                return Err(io::Error::other(Refused {
                    line: self.pending_line + statement.line - 1,
                    keyword: control.keyword(),
                }));
            }
            rest = statement.end + self.pending[statement.end..].find(';').map_or(0, |i| i + 1);
        }
        if rest > 0 {
            self.pending_line += self.pending[..rest].matches('\n').count();
            self.pending.drain(..rest);
        }
        Ok(())
    }
}

impl Rewrite for SqlOnly {
    fn line(&mut self, line: &mut Vec<u8>) -> io::Result<()> {
        self.number += 1;
        if self.in_copy {
            // COPY data: only its end matters, and it is most of a dump.
            self.in_copy = line.trim_ascii() != b"\\.";
            return Ok(());
        }
        let text = String::from_utf8_lossy(line).into_owned();
        let trimmed = text.trim();
        if self.pending.trim().is_empty() {
            let upper = trimmed.to_ascii_uppercase();
            if upper.starts_with("COPY ") && upper.ends_with("FROM STDIN;") {
                self.in_copy = true;
                self.pending.clear();
                return Ok(());
            }
            if self.is_dumps_restrict_line(trimmed) {
                // psql is restricted already, by ferry's key, and refuses a second one.
                line.clear();
                line.push(b'\n');
                return Ok(());
            }
        }
        if self.one_transaction {
            self.look_for_transaction_control(&text)?;
        }
        Ok(())
    }
}

/// A line of the dump that would end the restore's one transaction.
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    pub line: usize,
    pub keyword: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} ({}) ends or opens a transaction, so the dump cannot be restored as one: \
             remove that line, or restore with --no-transaction (statement by statement, keeping \
             what ran before an error)",
            self.line, self.keyword
        )
    }
}

impl std::error::Error for Refused {}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(text: &str, one_transaction: bool) -> io::Result<String> {
        let mut out = String::new();
        SqlOnly::reading(text.as_bytes(), one_transaction).read_to_string(&mut out)?;
        Ok(out)
    }

    #[test]
    fn pg_dumps_own_restrict_pair_is_blanked_and_copy_data_left_alone() {
        let dump = "--\n\\restrict abc123\nSET x = 1;\nCOPY public.t (a) FROM stdin;\n\\restrict abc123\nCOMMIT\n\\.\n\n\\unrestrict abc123\n";
        assert_eq!(
            filtered(dump, true).unwrap(),
            "--\n\nSET x = 1;\nCOPY public.t (a) FROM stdin;\n\\restrict abc123\nCOMMIT\n\\.\n\n\n"
        );
        // Another key is no pair of the dump's: psql sees it, and refuses it.
        let guess = "\\restrict abc\n\\unrestrict zzz\n";
        assert_eq!(filtered(guess, true).unwrap(), "\n\\unrestrict zzz\n");
    }

    #[test]
    fn transaction_control_outside_copy_data_stops_a_one_transaction_restore() {
        let dump = "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\nSELECT 1; commit;\nCREATE TABLE b (id int);\n";
        let err = filtered(dump, true).unwrap_err();
        let refused = err.get_ref().unwrap().downcast_ref::<Refused>().unwrap();
        assert_eq!((refused.line, refused.keyword), (7, "COMMIT"));
        assert_eq!(filtered(dump, false).unwrap(), dump);
        let no_commit = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n";
        assert_eq!(filtered(no_commit, true).unwrap(), no_commit);
    }

    #[test]
    fn restrict_came_in_these_minor_releases() {
        for (version, yes) in [
            ("12.22", false),
            ("13.21", false),
            ("13.22", true),
            ("15.13", false),
            ("15.14", true),
            ("15.18", true),
            ("16.9", false),
            ("16.10", true),
            ("17.6", true),
            ("18.0", true),
            ("19devel", true),
        ] {
            assert_eq!(psql_restricts(version), yes, "{version}");
        }
    }

    #[test]
    fn keys_differ() {
        assert_ne!(restrict_key(), restrict_key());
        assert_eq!(restrict_key().len(), 32);
    }
}
