//! libpq's connection service file: named sets of connection settings, chosen with
//! `service=NAME` (or `PGSERVICE`), in INI form:
//!
//! ```text
//! # ~/.pg_service.conf
//! [prod]
//! host=db.internal
//! port=6432
//! dbname=app
//! sslmode=verify-full
//! ```
//!
//! As in libpq the user's file (`PGSERVICEFILE`, else `~/.pg_service.conf`) is searched
//! first, then the system's (`PGSYSCONFDIR/pg_service.conf`, else
//! `/etc/postgresql-common/pg_service.conf`, where Debian's libpq looks); the first file
//! holding the service supplies it. Settings given alongside `service=` win over the
//! file's. Like [`super::params`], this reads no environment itself: the caller passes
//! the lookup.

use std::path::{Path, PathBuf};

/// Where Debian's libpq looks when `PGSYSCONFDIR` is unset.
const SYSTEM_DIR: &str = "/etc/postgresql-common";

/// The files searched for a service, in order.
pub(crate) fn locations(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let user = env("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pg_service.conf")));
    let system = Path::new(&env("PGSYSCONFDIR").unwrap_or_else(|| SYSTEM_DIR.to_string()))
        .join("pg_service.conf");
    user.into_iter().chain([system]).collect()
}

/// The `key=value` settings of `service`, from the first of `files` that has it, with
/// the file they came from. A missing file is skipped (as in libpq); an unreadable or
/// malformed one is an error naming the file and line.
pub(crate) fn find(
    service: &str,
    files: &[PathBuf],
) -> Result<(PathBuf, Vec<(String, String)>), String> {
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(format!(
                    "cannot read the service file {}: {e}",
                    file.display()
                ))
            }
        };
        if let Some(settings) = section(&text, service, file)? {
            return Ok((file.clone(), settings));
        }
    }
    let searched: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Err(format!(
        "service `{service}` is not defined in {}; add a [{service}] section, or point PGSERVICEFILE at the file that has it",
        searched.join(" or ")
    ))
}

/// The settings under `[service]` in `text`, if it has that section.
fn section(
    text: &str,
    service: &str,
    file: &Path,
) -> Result<Option<Vec<(String, String)>>, String> {
    let mut current: Option<&str> = None;
    let mut found: Option<Vec<(String, String)>> = None;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", file.display(), number + 1);
        if let Some(name) = line.strip_prefix('[') {
            let name = name
                .strip_suffix(']')
                .ok_or_else(|| format!("{}: a section header must look like [name]", at()))?;
            if found.is_some() {
                break;
            }
            current = Some(name.trim());
            if current == Some(service) {
                found = Some(Vec::new());
            }
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("{}: expected key=value, found `{}`", at(), first_word(line)))?;
        let key = key.trim();
        if current.is_none() {
            return Err(format!(
                "{}: `{key}` is outside any [service] section",
                at()
            ));
        }
        if let Some(settings) = found.as_mut() {
            if key == "service" {
                return Err(format!("{}: a service cannot name another service", at()));
            }
            settings.push((key.to_string(), value.trim().to_string()));
        }
    }
    Ok(found)
}

/// What to quote of a malformed line: its first word (a line may hold a password).
fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# services\n[dev]\nhost=localhost\nport=5433\n\n[prod]\n host = db.internal \ndbname=app\npassword=s3cret\n[other]\nhost=x\n";

    #[test]
    fn reads_the_named_section_only() {
        let file = Path::new("/f.conf");
        let prod = section(FILE, "prod", file).unwrap().unwrap();
        assert_eq!(
            prod,
            [
                ("host".to_string(), "db.internal".to_string()),
                ("dbname".into(), "app".into()),
                ("password".into(), "s3cret".into())
            ]
        );
        assert_eq!(section(FILE, "dev", file).unwrap().unwrap().len(), 2);
        assert_eq!(section(FILE, "absent", file).unwrap(), None);
    }

    #[test]
    fn malformed_files_name_the_line_and_never_quote_a_value() {
        let file = Path::new("/f.conf");
        let err = section("host=x\n", "a", file).unwrap_err();
        assert!(err.contains("/f.conf:1: `host` is outside"), "{err}");
        let err = section("[a]\npassword s3cret\n", "a", file).unwrap_err();
        assert!(
            err.contains("/f.conf:2: expected key=value, found `password`"),
            "{err}"
        );
        assert!(!err.contains("s3cret"));
        let err = section("[a\n", "a", file).unwrap_err();
        assert!(err.contains("[name]"), "{err}");
        let err = section("[a]\nservice=b\n", "a", file).unwrap_err();
        assert!(err.contains("cannot name another service"), "{err}");
    }

    #[test]
    fn the_user_file_comes_before_the_system_file() {
        let env = |name: &str| match name {
            "HOME" => Some("/home/me".to_string()),
            "PGSYSCONFDIR" => Some("/etc/pg".to_string()),
            _ => None,
        };
        assert_eq!(
            locations(&env),
            [
                PathBuf::from("/home/me/.pg_service.conf"),
                PathBuf::from("/etc/pg/pg_service.conf")
            ]
        );
        let env = |name: &str| (name == "PGSERVICEFILE").then(|| "/s.conf".to_string());
        assert_eq!(
            locations(&env),
            [
                PathBuf::from("/s.conf"),
                PathBuf::from("/etc/postgresql-common/pg_service.conf")
            ]
        );
    }

    #[test]
    fn a_missing_service_lists_the_files_searched() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("user.conf");
        std::fs::write(&user, "[dev]\nhost=a\n").unwrap();
        let files = [user.clone(), dir.path().join("absent.conf")];
        let (from, settings) = find("dev", &files).unwrap();
        assert_eq!((from, settings.len()), (user, 1));
        let err = find("prod", &files).unwrap_err();
        assert!(
            err.contains("service `prod` is not defined in") && err.contains("absent.conf"),
            "{err}"
        );
    }
}
