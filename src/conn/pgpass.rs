//! The libpq password file (`~/.pgpass`, or the file `PGPASSFILE` names):
//! where a password comes from when the connection settings have none.
//!
//! This module owns libpq's rules for that file, so that a `.pgpass` written
//! for psql and pg_dump works unchanged with ferry. Each line is
//! `hostname:port:database:username:password`; a field that is exactly `*`
//! matches anything; `\:` and `\\` stand for a literal colon and backslash;
//! lines starting with `#` are comments; the first matching line wins, even
//! when its password is empty. The host `localhost` also matches a
//! connection through the default Unix socket directory, as in libpq. A file
//! that others may read (any group or world permission bit) or that is not a
//! plain file is ignored with a warning, because a password file others can
//! read is a leak the user should hear about rather than one ferry silently
//! relies on. A missing file is not worth a word.
//!
//! It reads the file, never the environment: the caller works out the
//! location from its `env` lookup with [`location`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::defaults::SOCKET_DIRS;

/// The connection a password is wanted for: the fields a line is matched
/// against.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    /// Host name, IP literal (IPv6 without brackets) or socket directory.
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// What looking in a password file gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A line matched and has a non-empty password.
    Found(String),
    /// The file is missing, unreadable as a file, has no matching line, or
    /// the matching line's password is empty (libpq treats that as none).
    NotFound,
    /// The file exists but was not used; the text says why, for the user.
    /// It never contains anything from the file.
    Ignored(String),
}

/// Where libpq looks for the password file: `PGPASSFILE` when set and not
/// empty, else `.pgpass` in `HOME`. `None` when neither is known; libpq
/// would then ask the password database for the home directory, which ferry
/// does not do (it reads nothing about the machine's users).
pub fn location(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let get = |name: &str| env(name).filter(|v| !v.is_empty());
    get("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| get("HOME").map(|home| Path::new(&home).join(".pgpass")))
}

/// Look for `key`'s password in the file at `path`, with libpq's checks on
/// the file itself (see the module docs).
pub fn lookup(path: &Path, key: &Key<'_>) -> Lookup {
    let shown = path.display();
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Lookup::NotFound,
        Err(e) => return Lookup::Ignored(format!("cannot read password file {shown}: {e}")),
    };
    if !meta.is_file() {
        return Lookup::Ignored(format!(
            "password file {shown} is not a plain file; it was ignored"
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Lookup::Ignored(format!(
                "password file {shown} has group or world access (mode {:04o}); permissions should be u=rw (0600) or less — it was ignored (fix with `chmod 600 {shown}`)",
                mode & 0o7777
            ));
        }
    }
    let contents = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Lookup::Ignored(format!("cannot read password file {shown}: {e}")),
    };
    // Non-UTF-8 lines cannot hold a usable password (ferry's passwords are
    // strings), so they are read lossily and simply fail to match.
    match find(&String::from_utf8_lossy(&contents), key) {
        Some(password) if !password.is_empty() => Lookup::Found(password),
        _ => Lookup::NotFound,
    }
}

/// The password of the first line of `contents` that matches `key`, empty
/// if that line's password is empty. Pure: the heart of [`lookup`].
pub fn find(contents: &str, key: &Key<'_>) -> Option<String> {
    let host = match_host(key.host);
    let port = key.port.to_string();
    if key.dbname.is_empty() || key.user.is_empty() {
        return None;
    }
    contents
        .split('\n')
        .map(|line| line.trim_end_matches(['\r', '\n']))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .find_map(|line| {
            let rest = match_field(line, host)?;
            let rest = match_field(rest, &port)?;
            let rest = match_field(rest, key.dbname)?;
            let rest = match_field(rest, key.user)?;
            Some(unescape_password(rest))
        })
}

/// The host as it is looked up: libpq writes the default socket directory
/// as `localhost`. ferry's default socket directories are both of
/// [`SOCKET_DIRS`] (libpq has one, compiled in, which is one of those two).
fn match_host(host: &str) -> &str {
    if host.is_empty() || SOCKET_DIRS.contains(&host) {
        "localhost"
    } else {
        host
    }
}

/// If the field at the start of `line` matches `token` (a lone `*`
/// matches anything; `\` escapes the next character), the text after the
/// field's closing colon. A field must end with a colon: the last field,
/// the password, is not matched here.
fn match_field<'a>(line: &'a str, token: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix("*:") {
        return Some(rest);
    }
    let mut wanted = token.chars();
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        let (c, escaped) = match c {
            '\\' => match chars.next() {
                Some((_, next)) => (next, true),
                None => return None,
            },
            c => (c, false),
        };
        // An unescaped colon ends the field once the whole token has been
        // matched; before that it is compared like any character, so
        // `::1` in the file matches the host `::1` (libpq does the same).
        if c == ':' && !escaped && wanted.as_str().is_empty() {
            return Some(&line[i + 1..]);
        }
        if wanted.next() != Some(c) {
            return None;
        }
    }
    None
}

/// The password field: up to the first unescaped colon, `\x` read as `x`.
fn unescape_password(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        match c {
            ':' => break,
            '\\' => match chars.next() {
                Some(next) => out.push(next),
                // libpq keeps a trailing lone backslash.
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// A line for `key` with `<password>` as a placeholder, escaped as the file
/// wants, for telling the user what to add.
pub fn example_line(key: &Key<'_>) -> String {
    let escape = |s: &str| s.replace('\\', r"\\").replace(':', r"\:");
    let line = format!(
        "{}:{}:{}:{}:<password>",
        escape(match_host(key.host)),
        key.port,
        escape(key.dbname),
        escape(key.user)
    );
    // A line starting with `#` is a comment; escaped, the `#` is part of the host.
    match line.strip_prefix('#') {
        Some(rest) => format!("\\#{rest}"),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key<'static> = Key {
        host: "db.example.com",
        port: 5432,
        dbname: "app",
        user: "alice",
    };

    fn key(
        host: &'static str,
        port: u16,
        dbname: &'static str,
        user: &'static str,
    ) -> Key<'static> {
        Key {
            host,
            port,
            dbname,
            user,
        }
    }

    fn found(contents: &str, key: &Key<'_>) -> Option<String> {
        find(contents, key)
    }

    #[test]
    fn exact_line_matches() {
        assert_eq!(
            found("db.example.com:5432:app:alice:s3cret\n", &KEY).as_deref(),
            Some("s3cret")
        );
    }

    #[test]
    fn each_field_must_match() {
        for line in [
            "other.example.com:5432:app:alice:x",
            "db.example.com:5433:app:alice:x",
            "db.example.com:5432:other:alice:x",
            "db.example.com:5432:app:bob:x",
            // Prefixes and extensions of the value are not matches.
            "db.example:5432:app:alice:x",
            "db.example.com.evil:5432:app:alice:x",
            "db.example.com:5432:ap:alice:x",
            "db.example.com:5432:app:alic:x",
            "db.example.com:5432:app:alicex:x",
        ] {
            assert_eq!(found(line, &KEY), None, "{line}");
        }
    }

    #[test]
    fn star_matches_any_value_but_only_as_a_whole_field() {
        assert_eq!(found("*:*:*:*:any", &KEY).as_deref(), Some("any"));
        assert_eq!(found("*:5432:app:*:some", &KEY).as_deref(), Some("some"));
        // `*` inside a field is a literal star, not a glob.
        assert_eq!(found("db.*:5432:app:alice:x", &KEY), None);
        assert_eq!(found("*.example.com:5432:app:alice:x", &KEY), None);
    }

    #[test]
    fn first_matching_line_wins_and_comments_and_blanks_are_skipped() {
        let file =
            "# production\n\n   \nother:5432:app:alice:no\n*:*:app:alice:first\n*:*:*:*:second\n";
        assert_eq!(found(file, &KEY).as_deref(), Some("first"));
        let file = "#db.example.com:5432:app:alice:commented\n*:*:*:*:live";
        assert_eq!(found(file, &KEY).as_deref(), Some("live"));
    }

    #[test]
    fn first_match_wins_even_with_an_empty_password() {
        assert_eq!(
            found("*:*:app:alice:\n*:*:*:*:later", &KEY).as_deref(),
            Some("")
        );
    }

    #[test]
    fn escaped_colons_and_backslashes_in_fields_and_password() {
        let k = key("::1", 5432, r"we:ird\db", "a:b");
        let file = r"\:\:1:5432:we\:ird\\db:a\:b:pa\:ss\\wo\rd";
        assert_eq!(found(file, &k).as_deref(), Some(r"pa:ss\word"));
        // libpq also lets an unescaped colon match a colon in the value.
        assert_eq!(
            found("::1:5432:we:ird\\\\db:a:b:x", &k).as_deref(),
            Some("x")
        );
        // But a field that has ended cannot continue into the next one.
        assert_eq!(found("::1:5432:we:a:b:x", &k), None);
    }

    #[test]
    fn password_ends_at_an_unescaped_colon() {
        assert_eq!(found("*:*:*:*:pass:extra", &KEY).as_deref(), Some("pass"));
        assert_eq!(
            found(r"*:*:*:*:trailing\", &KEY).as_deref(),
            Some("trailing\\")
        );
    }

    #[test]
    fn crlf_line_endings() {
        assert_eq!(
            found("x:1:x:x:no\r\ndb.example.com:5432:app:alice:pw\r\n", &KEY).as_deref(),
            Some("pw")
        );
    }

    #[test]
    fn too_few_fields_never_match() {
        for line in ["db.example.com:5432:app:alice", "*:*:*", "db.example.com"] {
            assert_eq!(found(line, &KEY), None, "{line}");
        }
    }

    #[test]
    fn localhost_matches_the_default_socket_directories() {
        let line = "localhost:5432:app:alice:local";
        for host in ["localhost", "/var/run/postgresql", "/tmp", ""] {
            let k = key(host, 5432, "app", "alice");
            assert_eq!(found(line, &k).as_deref(), Some("local"), "{host}");
        }
        // Another socket directory is matched by its path, as in libpq.
        let k = key("/srv/pg", 5432, "app", "alice");
        assert_eq!(found(line, &k), None);
        assert_eq!(
            found("/srv/pg:5432:app:alice:sock", &k).as_deref(),
            Some("sock")
        );
        // And `localhost` does not match 127.0.0.1: libpq compares text.
        assert_eq!(found(line, &key("127.0.0.1", 5432, "app", "alice")), None);
    }

    #[test]
    fn empty_user_or_database_never_match() {
        assert_eq!(found("*:*:*:*:x", &key("h", 5432, "", "alice")), None);
        assert_eq!(found("*:*:*:*:x", &key("h", 5432, "app", "")), None);
    }

    #[test]
    fn example_line_is_escaped_and_has_no_password() {
        let k = key("/var/run/postgresql", 5433, "my:db", r"a\b");
        assert_eq!(example_line(&k), r"localhost:5433:my\:db:a\\b:<password>");
        // And the line it suggests matches the connection.
        let line = example_line(&k).replace("<password>", "pw");
        assert_eq!(found(&line, &k).as_deref(), Some("pw"));
    }

    #[test]
    fn location_prefers_pgpassfile_then_home() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            location(&env(&[("PGPASSFILE", "/etc/pw"), ("HOME", "/home/a")])),
            Some(PathBuf::from("/etc/pw"))
        );
        assert_eq!(
            location(&env(&[("PGPASSFILE", ""), ("HOME", "/home/a")])),
            Some(PathBuf::from("/home/a/.pgpass"))
        );
        assert_eq!(location(&env(&[("HOME", "")])), None);
        assert_eq!(location(&env(&[])), None);
    }

    // ---- the file itself ----------------------------------------------------

    fn write(dir: &Path, name: &str, contents: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, contents).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");
        }
        path
    }

    #[test]
    fn private_file_is_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "pgpass", "*:*:app:alice:s3cret\n", 0o600);
        assert_eq!(lookup(&path, &KEY), Lookup::Found("s3cret".to_string()));
        let path = write(dir.path(), "ro", "*:*:app:alice:s3cret\n", 0o400);
        assert_eq!(lookup(&path, &KEY), Lookup::Found("s3cret".to_string()));
    }

    #[test]
    fn empty_or_unmatched_password_is_not_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "pgpass", "*:*:app:alice:\n", 0o600);
        assert_eq!(lookup(&path, &KEY), Lookup::NotFound);
        let path = write(dir.path(), "other", "*:*:other:*:x\n", 0o600);
        assert_eq!(lookup(&path, &KEY), Lookup::NotFound);
    }

    #[test]
    fn missing_file_is_silently_not_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(lookup(&dir.path().join("nope"), &KEY), Lookup::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn group_or_world_access_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        for mode in [0o640, 0o604, 0o660, 0o644, 0o610] {
            let path = write(dir.path(), "pgpass", "*:*:*:*:s3cret\n", mode);
            let Lookup::Ignored(warning) = lookup(&path, &KEY) else {
                panic!("mode {mode:o} was used");
            };
            assert!(warning.contains("group or world access"), "{warning}");
            assert!(warning.contains(&format!("{mode:04o}")), "{warning}");
            assert!(warning.contains(&path.display().to_string()), "{warning}");
            assert!(warning.contains("chmod 600"), "{warning}");
            assert!(!warning.contains("s3cret"), "{warning}");
        }
    }

    #[test]
    fn a_directory_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Lookup::Ignored(warning) = lookup(dir.path(), &KEY) else {
            panic!("a directory was read");
        };
        assert!(warning.contains("not a plain file"), "{warning}");
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    #[test]
    fn suggested_line_for_a_host_starting_with_a_hash_is_not_a_comment() {
        let key = Key {
            host: "#h",
            port: 5432,
            dbname: "d",
            user: "u",
        };
        let line = example_line(&key).replace("<password>", "pw");
        assert_eq!(line, "\\#h:5432:d:u:pw");
        assert_eq!(find(&line, &key).as_deref(), Some("pw"));
    }
}
