//! Connection settings: where they come from and what they mean.
//!
//! This module owns turning the user's inputs (a `--database-url`, the
//! `DATABASE_URL` variable, libpq's `PG*` variables, the `DB_*` variables
//! common in `.env` files, or nothing at all) into one validated
//! [`ConnParams`], and turning that back into a `postgres::Config` and a
//! printable URL. It parses URLs and libpq keyword strings itself instead of
//! using `postgres::Config::from_str`, because ferry needs things that parser
//! does not offer: golang-migrate's `x-` parameters, `verify-ca` and
//! `verify-full`, client keys, service files (`service=`, see
//! [`super::service`]), knowing which settings were given (precedence needs
//! it), and error messages that name the bad value yet can never echo the
//! password. (The driver's parser refuses every key it does not know, so a step
//! before it would have to tokenize both forms anyway, and its getters return
//! defaults for settings not given.) The test module `agrees_with_the_driver`
//! holds the two parsers to the same meaning on every string both accept; where
//! they differ, ferry follows libpq: `tcp_user_timeout` in milliseconds, a URL's
//! `?host=a,b` as two hosts, a port list that does not match the host list
//! refused. It never reads the process environment; the caller passes a
//! lookup closure, so tests and `.env` handling stay outside.
//!
//! Precedence, decided here once for every command:
//!
//! 1. `--database-url` (the flag only: do not bind it to `DATABASE_URL` with
//!    clap's `env`, or [`ConnParams::source`] is wrong);
//! 2. `DATABASE_URL`;
//! 3. the `PG*` variables, if any libpq connection variable is set (see
//!    `PG_VARS`: `PGHOST`, `PGSERVICE`, `PGSSLCERT`…); a service's settings
//!    win over the other variables, as in libpq;
//! 4. the `DB_*` variables, if any of `DB_HOST DB_PORT DB_NAME DB_USER
//!    DB_PASSWORD` is set;
//! 5. libpq defaults.
//!
//! Sources never mix: the first one present supplies every setting it has
//! and the libpq defaults fill the rest. A URL without a password does not
//! pick up `PGPASSWORD`, and `PGHOST` does not combine with `DB_PASSWORD`,
//! because settings stitched together from two configurations (a shell
//! profile and a project `.env`) connect as the wrong user or to the wrong
//! server in ways that are hard to see. Lower sources that are set but
//! ignored are listed in [`ConnParams::notes`]. Empty variables count as
//! unset, as in libpq.
//!
//! The password file is the one thing every source shares: when the chosen
//! source gives no password, the libpq password file (`PGPASSFILE`, else
//! `~/.pgpass`; see [`pgpass`]) is consulted for the
//! resolved host, port, database and user, as psql and pg_dump do. It is a
//! store of secrets keyed by server, not a second configuration, so it
//! cannot point ferry somewhere else.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::anyhow;
use percent_encoding::utf8_percent_encode;
use postgres::config::{ChannelBinding, TargetSessionAttrs};

use super::defaults::{
    COMPONENT, DEFAULT_APPLICATION_NAME, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PORT, FALLBACK_USER,
    QUERY_VALUE,
};
use super::redact::{redact, MASK};

/// libpq's `sslmode`, minus `allow` (plain first, TLS as fallback), which
/// protects nothing and which the driver cannot do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP only.
    Disable,
    /// TLS if the server offers it, without checking the certificate (libpq's
    /// default).
    Prefer,
    /// TLS or fail; the certificate is not checked (unless `sslrootcert` is
    /// given, where libpq verifies the chain as for `verify-ca`).
    Require,
    /// TLS with the certificate chain checked, not the host name.
    VerifyCa,
    /// TLS with the chain and the host name checked.
    VerifyFull,
}

impl SslMode {
    /// Every mode, in the order error messages list them.
    pub const ALL: [SslMode; 5] = [
        SslMode::Disable,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    pub(crate) fn parse_value(value: &str) -> Result<SslMode, String> {
        if let Some(mode) = SslMode::ALL.into_iter().find(|m| m.as_str() == value) {
            return Ok(mode);
        }
        let valid = SslMode::ALL.map(SslMode::as_str).join(", ");
        let hint = if value == "allow" {
            " (`allow` tries plain text first and is not supported; use prefer)"
        } else {
            ""
        };
        Err(format!(
            "invalid sslmode `{value}`: expected one of {valid}{hint}"
        ))
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SslMode {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<SslMode> {
        SslMode::parse_value(s).map_err(|e| anyhow!(e))
    }
}

/// Where a [`ConnParams`] got its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--database-url` / `--database`.
    Flag,
    /// The `DATABASE_URL` variable.
    DatabaseUrlEnv,
    /// libpq's `PG*` variables.
    PgEnv,
    /// The `DB_*` variables.
    DbEnv,
    /// Nothing was configured; libpq's defaults were used.
    Defaults,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Flag => "--database-url",
            Source::DatabaseUrlEnv => "DATABASE_URL",
            Source::PgEnv => "PG* variables",
            Source::DbEnv => "DB_* variables",
            Source::Defaults => "libpq defaults",
        })
    }
}

/// TCP keepalives when the connection does not set them: first probe after 30 s idle, then
/// every 10 s, the peer given up after 3 unanswered — about a minute.
const DEFAULT_KEEPALIVES: (Duration, Duration, u32) =
    (Duration::from_secs(30), Duration::from_secs(10), 3);
/// How long sent data may stay unacknowledged before the connection is given up, when the
/// connection does not say (`tcp_user_timeout`).
const DEFAULT_TCP_USER_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything needed to open one connection, fully resolved: no field is
/// left for the driver to default.
#[derive(Clone)]
pub struct ConnParams {
    /// Host name, IP literal (IPv6 without brackets), or an absolute Unix
    /// socket directory (starts with `/`).
    pub host: String,
    pub port: u16,
    /// The other servers of a host list (`host=a,b`), tried in order after
    /// [`host`](Self::host) until one answers (and, with
    /// `target_session_attrs=read-write`, accepts writes).
    pub alternates: Vec<(String, u16)>,
    pub user: String,
    /// Never shown: `Debug`, [`display_url`](Self::display_url) and every
    /// error print `****` instead.
    pub password: Option<String>,
    pub dbname: String,
    pub sslmode: SslMode,
    /// CA file for verifying the server (`sslrootcert`). `None` means the
    /// system store; libpq's `sslrootcert=system` also yields `None`.
    pub sslrootcert: Option<PathBuf>,
    /// The client certificate (`sslcert`, `PGSSLCERT`, else libpq's
    /// `~/.postgresql/postgresql.crt` when it exists) and its key (`sslkey`,
    /// `PGSSLKEY`, else `~/.postgresql/postgresql.key`): PEM files.
    pub sslcert: Option<PathBuf>,
    pub sslkey: Option<PathBuf>,
    /// The passphrase of an encrypted `sslkey`. A secret, shown as the
    /// password is: never.
    pub sslpassword: Option<String>,
    /// The server's address, skipping the name lookup (`hostaddr`); `host`
    /// still names the server for TLS and the password file.
    pub hostaddr: Option<std::net::IpAddr>,
    /// TCP keepalive timing (`keepalives_idle`, `keepalives_interval`,
    /// `keepalives_count`) and `tcp_user_timeout`: what keeps a long
    /// `CREATE INDEX CONCURRENTLY` alive through a NAT or a load balancer.
    pub keepalives_idle: Option<Duration>,
    pub keepalives_interval: Option<Duration>,
    pub keepalives_count: Option<u32>,
    pub tcp_user_timeout: Option<Duration>,
    /// `Duration::ZERO` means wait forever (libpq's `connect_timeout=0`).
    pub connect_timeout: Duration,
    pub application_name: String,
    /// libpq `options` (server command-line options such as `-c
    /// search_path=app`). The statement timeout is not folded in here; see
    /// [`server_options`](Self::server_options).
    pub options: Option<String>,
    /// libpq `keepalives`; `None` leaves the driver's default (on).
    pub keepalives: Option<bool>,
    /// libpq `target_session_attrs`; `None` means `any`.
    pub target_session_attrs: Option<TargetSessionAttrs>,
    /// `load_balance_hosts=random`: try a host list in random order.
    pub load_balance_hosts: bool,
    /// libpq `channel_binding`; `None` means `prefer`.
    pub channel_binding: Option<ChannelBinding>,
    /// The migrations table named in the URL, verbatim: the value of
    /// `x-migrations-table`, or of `x-migrations-table-quoted` when that
    /// carries the name itself. It may be `table`, `schema.table` or a quoted
    /// form like `"schema"."table"`. (golang-migrate treats an unquoted value
    /// as one identifier, dots included; how ferry reads it is the caller's
    /// decision.)
    pub migrations_table: Option<String>,
    /// Set, alongside [`migrations_table`](Self::migrations_table), when the
    /// name was given in quoted form, parsed exactly into `(schema, table)`:
    /// from `x-migrations-table="s"."t"` with `x-migrations-table-quoted=true`
    /// (golang-migrate's spelling), or from `x-migrations-table-quoted="s"."t"`
    /// directly. `""` inside a name is unescaped to `"`; `schema` is `None`
    /// for a single quoted name. Prefer this over re-parsing the raw text.
    pub migrations_table_quoted: Option<(Option<String>, String)>,
    /// golang-migrate's `x-statement-timeout`, in milliseconds (0 is `None`).
    pub statement_timeout_ms: Option<u64>,
    /// Where a password is fetched for each connection instead: a shell command
    /// whose standard output it is (`--password-command`), or a library caller's
    /// provider — short-lived tokens (RDS and Cloud SQL IAM authentication). It
    /// replaces any password the source gave.
    pub password_command: Option<PasswordSource>,
    /// The password file consulted because the source gave no password
    /// (whether or not it exists or had a matching line); `None` when a
    /// password was given or no location is known. Named in errors about
    /// a missing or wrong password.
    pub passfile: Option<PathBuf>,
    /// Whether [`password`](Self::password) came from
    /// [`passfile`](Self::passfile).
    pub password_from_passfile: bool,
    /// Things the user may want to know, e.g. ignored `x-` parameters or
    /// variables shadowed by a higher source. Never contain a password.
    pub notes: Vec<String>,
    /// Things the user should fix, e.g. a password file others can read
    /// that was ignored. Never contain a password.
    pub warnings: Vec<String>,
    pub source: Source,
}

impl Default for ConnParams {
    /// libpq's defaults without looking at the machine: TCP to `localhost`,
    /// user and database `postgres`.
    fn default() -> ConnParams {
        ConnParams {
            host: "localhost".to_string(),
            port: DEFAULT_PORT,
            alternates: Vec::new(),
            user: FALLBACK_USER.to_string(),
            password: None,
            dbname: FALLBACK_USER.to_string(),
            sslmode: SslMode::Prefer,
            sslrootcert: None,
            sslcert: None,
            sslkey: None,
            sslpassword: None,
            hostaddr: None,
            keepalives_idle: None,
            keepalives_interval: None,
            keepalives_count: None,
            tcp_user_timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            application_name: DEFAULT_APPLICATION_NAME.to_string(),
            options: None,
            keepalives: None,
            target_session_attrs: None,
            load_balance_hosts: false,
            channel_binding: None,
            migrations_table: None,
            migrations_table_quoted: None,
            statement_timeout_ms: None,
            password_command: None,
            passfile: None,
            password_from_passfile: false,
            notes: Vec::new(),
            warnings: Vec::new(),
            source: Source::Defaults,
        }
    }
}

impl fmt::Debug for ConnParams {
    /// The password field prints as `****`, and the whole text then goes
    /// through [`redact`], so a password equal to some other field's value
    /// does not show there either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            format!("{:#?}", DebugView(self))
        } else {
            format!("{:?}", DebugView(self))
        };
        let mut text = redact(&text, self.password.as_deref());
        // Debug escapes quotes and backslashes, so a password containing
        // them appears in another spelling.
        if let Some(password) = &self.password {
            let escaped = format!("{password:?}");
            let inner = &escaped[1..escaped.len() - 1];
            if inner != password.as_str() {
                text = text.replace(inner, MASK);
            }
        }
        f.write_str(&text)
    }
}

/// The field-by-field view behind `ConnParams`'s `Debug`.
struct DebugView<'a>(&'a ConnParams);

impl fmt::Debug for DebugView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        f.debug_struct("ConnParams")
            .field("host", &p.host)
            .field("port", &p.port)
            .field("alternates", &p.alternates)
            .field("user", &p.user)
            .field("password", &p.password.as_ref().map(|_| MASK))
            .field("dbname", &p.dbname)
            .field("sslmode", &p.sslmode)
            .field("sslrootcert", &p.sslrootcert)
            .field("sslcert", &p.sslcert)
            .field("sslkey", &p.sslkey)
            .field("sslpassword", &p.sslpassword.as_ref().map(|_| MASK))
            .field("hostaddr", &p.hostaddr)
            .field("keepalives_idle", &p.keepalives_idle)
            .field("keepalives_interval", &p.keepalives_interval)
            .field("keepalives_count", &p.keepalives_count)
            .field("tcp_user_timeout", &p.tcp_user_timeout)
            .field("connect_timeout", &p.connect_timeout)
            .field("application_name", &p.application_name)
            .field("options", &p.options)
            .field("keepalives", &p.keepalives)
            .field("target_session_attrs", &p.target_session_attrs)
            .field("load_balance_hosts", &p.load_balance_hosts)
            .field("channel_binding", &p.channel_binding)
            .field("migrations_table", &p.migrations_table)
            .field("migrations_table_quoted", &p.migrations_table_quoted)
            .field("statement_timeout_ms", &p.statement_timeout_ms)
            .field(
                "password_command",
                &p.password_command.as_ref().map(|s| match s {
                    PasswordSource::Command(c) => c.as_str(),
                    PasswordSource::Provider(_) => "(provider)",
                }),
            )
            .field("passfile", &p.passfile)
            .field("password_from_passfile", &p.password_from_passfile)
            .field("notes", &p.notes)
            .field("warnings", &p.warnings)
            .field("source", &p.source)
            .finish()
    }
}

impl ConnParams {
    /// The names ferry prints on purpose (user, database, hosts): the password's text
    /// inside them is not masked (see [`super::redact::redact_showing`]).
    pub fn shown_names(&self) -> Vec<&str> {
        std::iter::once(self.user.as_str())
            .chain([self.dbname.as_str(), self.host.as_str()])
            .chain(self.alternates.iter().map(|(host, _)| host.as_str()))
            .filter(|name| !name.is_empty())
            .collect()
    }

    /// `postgres://user:****@host:port/db?sslmode=…` for display. The
    /// password is always `****` (and the `:****` is left out when there is no
    /// password), a socket host is written `?host=/dir&port=N`, and parameters
    /// other than `sslmode` appear only when they differ from the defaults.
    /// `x-` parameters are not shown.
    ///
    /// Only the password field is masked: ferry built this text from the
    /// settings, so a user or database name that happens to equal the password
    /// (`rekko:rekko`) is shown as it is. Text ferry did not build (a server's
    /// error, a child's stderr) still has the password's text masked wherever
    /// it appears.
    pub fn display_url(&self) -> String {
        let mut url = String::from("postgres://");
        url.push_str(&utf8_percent_encode(&self.user, COMPONENT).to_string());
        if self.password.is_some() {
            url.push(':');
            url.push_str(MASK);
        }
        url.push('@');
        let mut query: Vec<(&str, String)> = Vec::new();
        if self.is_socket() {
            query.push(("host", self.host.clone()));
            query.push(("port", self.port.to_string()));
        } else {
            let servers: Vec<String> = self
                .servers()
                .map(|(host, port)| format!("{}:{port}", url_host(host)))
                .collect();
            url.push_str(&servers.join(","));
        }
        url.push('/');
        url.push_str(&utf8_percent_encode(&self.dbname, COMPONENT).to_string());
        query.push(("sslmode", self.sslmode.as_str().to_string()));
        if let Some(path) = &self.sslrootcert {
            query.push(("sslrootcert", path.display().to_string()));
        }
        if self.connect_timeout != DEFAULT_CONNECT_TIMEOUT {
            query.push((
                "connect_timeout",
                self.connect_timeout.as_secs().to_string(),
            ));
        }
        if self.application_name != DEFAULT_APPLICATION_NAME {
            query.push(("application_name", self.application_name.clone()));
        }
        if let Some(options) = &self.options {
            query.push(("options", options.clone()));
        }
        if let Some(path) = &self.sslcert {
            query.push(("sslcert", path.display().to_string()));
        }
        if let Some(path) = &self.sslkey {
            query.push(("sslkey", path.display().to_string()));
        }
        if let Some(addr) = self.hostaddr {
            query.push(("hostaddr", addr.to_string()));
        }
        if let Some(keepalives) = self.keepalives {
            query.push(("keepalives", u8::from(keepalives).to_string()));
        }
        for (key, value) in [
            ("keepalives_idle", self.keepalives_idle.map(|d| d.as_secs())),
            (
                "keepalives_interval",
                self.keepalives_interval.map(|d| d.as_secs()),
            ),
            ("keepalives_count", self.keepalives_count.map(u64::from)),
            (
                "tcp_user_timeout",
                self.tcp_user_timeout.map(|d| d.as_millis() as u64),
            ),
        ] {
            if let Some(value) = value {
                query.push((key, value.to_string()));
            }
        }
        if let Some(attrs) = self.target_session_attrs {
            query.push(("target_session_attrs", attrs_str(attrs).to_string()));
        }
        if self.load_balance_hosts {
            query.push(("load_balance_hosts", "random".to_string()));
        }
        if let Some(binding) = self.channel_binding {
            query.push(("channel_binding", binding_str(binding).to_string()));
        }
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(&utf8_percent_encode(value, QUERY_VALUE).to_string());
        }
        url
    }

    /// Takes the password from `command` at each connection (see
    /// [`password_command`](Self::password_command)) instead of the source or
    /// the password file.
    pub fn use_password_command(&mut self, command: PasswordSource) {
        if self.password.is_some() && !self.password_from_passfile {
            self.notes.push(format!(
                "the password in {} is not used: --password-command gives it",
                self.source
            ));
        }
        self.password = None;
        self.password_from_passfile = false;
        self.passfile = None;
        self.password_command = Some(command);
    }

    /// These settings with the password a [`password_command`](Self::password_command)
    /// prints now (a token may last minutes only, so each connection asks), or as
    /// they are without one. Its failure is one line with the command's own error; its
    /// output is never shown.
    pub fn with_current_password(&self) -> anyhow::Result<std::borrow::Cow<'_, ConnParams>> {
        let command = match &self.password_command {
            None => return Ok(std::borrow::Cow::Borrowed(self)),
            Some(PasswordSource::Provider(provide)) => {
                let password =
                    provide().map_err(|e| anyhow!("the password provider failed: {e}"))?;
                let mut params = self.clone();
                params.password = Some(password);
                return Ok(std::borrow::Cow::Owned(params));
            }
            Some(PasswordSource::Command(command)) => command,
        };
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
            .map_err(|e| anyhow!("--password-command could not be run: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail = stderr
                .trim()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string();
            return Err(anyhow!(
                "--password-command `{command}` failed ({}){}; fix the command or what it needs (credentials, network)",
                output.status,
                if tail.is_empty() { String::new() } else { format!(": {tail}") }
            ));
        }
        let text = String::from_utf8(output.stdout).map_err(|_| {
            anyhow!("--password-command `{command}` printed something that is not UTF-8")
        })?;
        let password = text.trim_end_matches(['\n', '\r']);
        if password.is_empty() || password.contains('\n') {
            return Err(anyhow!(
                "--password-command `{command}` must print the password alone on one line; it printed {}",
                if password.is_empty() { "nothing".to_string() } else { format!("{} lines", password.lines().count()) }
            ));
        }
        let mut params = self.clone();
        params.password = Some(password.to_string());
        Ok(std::borrow::Cow::Owned(params))
    }

    /// Every server to try, in order: [`host`](Self::host), then the
    /// [`alternates`](Self::alternates).
    pub fn servers(&self) -> impl Iterator<Item = (&str, u16)> {
        std::iter::once((self.host.as_str(), self.port))
            .chain(self.alternates.iter().map(|(h, p)| (h.as_str(), *p)))
    }

    /// Whether `host` is a Unix socket directory rather than a TCP host.
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// The socket file or `host:port` this connects to, for messages.
    pub fn target(&self) -> String {
        if !self.alternates.is_empty() {
            let all: Vec<String> = self
                .servers()
                .map(|(host, port)| format!("{}:{port}", url_host(host)))
                .collect();
            return format!("any of {}", all.join(", "));
        }
        if self.is_socket() {
            format!(
                "socket {}",
                Path::new(&self.host)
                    .join(format!(".s.PGSQL.{}", self.port))
                    .display()
            )
        } else {
            format!("{}:{}", url_host(&self.host), self.port)
        }
    }

    /// The libpq `options` actually sent: the user's `options` plus `-c
    /// statement_timeout=N` when `x-statement-timeout` was given.
    pub fn server_options(&self) -> Option<String> {
        let timeout = self
            .statement_timeout_ms
            .map(|ms| format!("-c statement_timeout={ms}"));
        match (self.options.as_deref(), timeout) {
            (Some(opts), Some(t)) => Some(format!("{opts} {t}")),
            (Some(opts), None) => Some(opts.to_string()),
            (None, t) => t,
        }
    }

    /// The driver configuration. TLS over a Unix socket is never attempted
    /// (PostgreSQL does not offer it, and libpq ignores `sslmode` there), so
    /// a socket connection gets `SslMode::Disable` whatever `sslmode` says.
    pub fn pg_config(&self) -> postgres::Config {
        postgres::Config::from(self.tokio_config())
    }

    /// [`pg_config`](Self::pg_config) for tokio-postgres (the async library API).
    pub fn tokio_config(&self) -> tokio_postgres::Config {
        use postgres::config::SslMode as PgSslMode;

        let mut config = tokio_postgres::Config::new();
        for (host, port) in self.servers() {
            config.host(host).port(port);
        }
        config
            .user(&self.user)
            .dbname(&self.dbname)
            .application_name(&self.application_name);
        if let Some(password) = &self.password {
            config.password(password.as_bytes());
        }
        config.ssl_mode(match self.sslmode {
            _ if self.is_socket() => PgSslMode::Disable,
            SslMode::Disable => PgSslMode::Disable,
            SslMode::Prefer => PgSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
        });
        if !self.connect_timeout.is_zero() {
            config.connect_timeout(self.connect_timeout);
        }
        if let Some(options) = self.server_options() {
            config.options(&options);
        }
        if let Some(keepalives) = self.keepalives {
            config.keepalives(keepalives);
        }
        // Unless told otherwise, a peer gone silent (a cut network, a dead host) is noticed
        // within about a minute, not the system's two hours: a run that holds the
        // migration lock must not hang on it.
        config.keepalives_idle(self.keepalives_idle.unwrap_or(DEFAULT_KEEPALIVES.0));
        config.keepalives_interval(self.keepalives_interval.unwrap_or(DEFAULT_KEEPALIVES.1));
        config.keepalives_retries(self.keepalives_count.unwrap_or(DEFAULT_KEEPALIVES.2));
        config.tcp_user_timeout(self.tcp_user_timeout.unwrap_or(DEFAULT_TCP_USER_TIMEOUT));
        if let Some(addr) = self.hostaddr {
            config.hostaddr(addr);
        }
        if let Some(attrs) = self.target_session_attrs {
            config.target_session_attrs(attrs);
        }
        if self.load_balance_hosts {
            config.load_balance_hosts(postgres::config::LoadBalanceHosts::Random);
        }
        if let Some(binding) = self.channel_binding {
            config.channel_binding(binding);
        }
        config
    }
}

/// A host as written in a URL: IPv6 literals in brackets, `%` (zone ids)
/// escaped.
fn url_host(host: &str) -> String {
    let escaped = host.replace('%', "%25");
    if host.contains(':') {
        format!("[{escaped}]")
    } else {
        escaped
    }
}

pub(crate) fn attrs_str(attrs: TargetSessionAttrs) -> &'static str {
    match attrs {
        TargetSessionAttrs::ReadWrite => "read-write",
        TargetSessionAttrs::ReadOnly => "read-only",
        _ => "any",
    }
}

fn binding_str(binding: ChannelBinding) -> &'static str {
    match binding {
        ChannelBinding::Disable => "disable",
        ChannelBinding::Require => "require",
        _ => "prefer",
    }
}

/// What fetches a password at each connection (see [`ConnParams::password_command`]).
#[derive(Clone)]
pub enum PasswordSource {
    Command(String),
    Provider(std::sync::Arc<dyn Fn() -> Result<String, String> + Send + Sync>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::resolve::resolve_with;
    use postgres::config::{Host, SslMode as PgSslMode};
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    /// `resolve` against a fake environment on a machine without sockets.
    fn resolve_in(flag: Option<&str>, pairs: &[(&str, &str)]) -> anyhow::Result<ConnParams> {
        resolve_with(flag, &env(pairs), &|_: &Path| false)
    }

    fn ok(flag: Option<&str>, pairs: &[(&str, &str)]) -> ConnParams {
        match resolve_in(flag, pairs) {
            Ok(p) => p,
            Err(e) => panic!("unexpected error: {e:#}"),
        }
    }

    fn parse(s: &str) -> ConnParams {
        match ConnParams::parse(s) {
            Ok(p) => p,
            Err(e) => panic!("{s}: {e:#}"),
        }
    }

    fn parse_err(s: &str) -> String {
        match ConnParams::parse(s) {
            Ok(p) => panic!("{s} parsed: {p:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    fn resolve_err(flag: Option<&str>, pairs: &[(&str, &str)]) -> String {
        match resolve_in(flag, pairs) {
            Ok(p) => panic!("resolved: {p:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    // ---- URLs -------------------------------------------------------------

    #[test]
    fn full_url() {
        let p = parse("postgres://alice:pw@db.example.com:6543/app?sslmode=require");
        assert_eq!(p.host, "db.example.com");
        assert_eq!(p.port, 6543);
        assert_eq!(p.user, "alice");
        assert_eq!(p.password.as_deref(), Some("pw"));
        assert_eq!(p.dbname, "app");
        assert_eq!(p.sslmode, SslMode::Require);
        assert_eq!(p.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(p.application_name, "ferry");
        assert!(!p.is_socket());
        assert!(p.notes.is_empty());
        assert_eq!(p.source, Source::Flag);
    }

    #[test]
    fn both_schemes_any_case_and_surrounding_blanks() {
        for url in [
            "postgresql://h/db",
            "postgres://h/db",
            "POSTGRES://h/db",
            "  postgresql://h/db\n",
        ] {
            let p = parse(url);
            assert_eq!((p.host.as_str(), p.dbname.as_str()), ("h", "db"), "{url}");
        }
    }

    #[test]
    fn minimal_urls_take_defaults() {
        let p = parse("postgres://");
        assert_eq!(p.host, "localhost");
        assert_eq!(p.port, 5432);
        assert_eq!(p.user, "postgres");
        assert_eq!(p.dbname, "postgres");
        assert_eq!(p.password, None);
        assert_eq!(p.sslmode, SslMode::Prefer);

        let p = parse("postgres:///app");
        assert_eq!((p.host.as_str(), p.dbname.as_str()), ("localhost", "app"));

        let p = parse("postgres://me@h");
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("me", "me"));
    }

    #[test]
    fn percent_decoding_of_user_password_and_database() {
        let p = parse("postgres://al%40ice:p%40ss%3Aw%2Fd%20x@h/my%20db%2Fx");
        assert_eq!(p.user, "al@ice");
        assert_eq!(p.password.as_deref(), Some("p@ss:w/d x"));
        assert_eq!(p.dbname, "my db/x");
    }

    #[test]
    fn plus_is_not_a_space() {
        let p = parse("postgres://u:a+b@h/db?application_name=x+y");
        assert_eq!(p.password.as_deref(), Some("a+b"));
        assert_eq!(p.application_name, "x+y");
    }

    #[test]
    fn unencoded_at_colon_and_slash_in_password() {
        let p = parse("postgres://u:p@ss/w:rd@h:5433/db");
        assert_eq!(p.user, "u");
        assert_eq!(p.password.as_deref(), Some("p@ss/w:rd"));
        assert_eq!((p.host.as_str(), p.port), ("h", 5433));
        assert_eq!(p.dbname, "db");
    }

    #[test]
    fn invalid_utf8_after_decoding_is_an_error() {
        let msg = parse_err("postgres://h/%FF");
        assert!(msg.contains("database name"), "{msg}");
    }

    #[test]
    fn socket_dir_from_host_query_parameter() {
        let p = parse("postgres://me@/app?host=/var/run/postgresql");
        assert_eq!(p.host, "/var/run/postgresql");
        assert!(p.is_socket());
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("me", "app"));

        let p = parse("postgresql:///app?host=%2Ftmp&port=5433");
        assert_eq!((p.host.as_str(), p.port), ("/tmp", 5433));
    }

    #[test]
    fn socket_dir_from_encoded_host() {
        let p = parse("postgres://%2Fvar%2Frun%2Fpostgresql/app");
        assert_eq!(p.host, "/var/run/postgresql");
        assert!(p.is_socket());
        assert_eq!(p.dbname, "app");

        let p = parse("postgres://me:pw@%2ftmp:5433/app");
        assert_eq!((p.host.as_str(), p.port), ("/tmp", 5433));
        assert_eq!(p.target(), "socket /tmp/.s.PGSQL.5433");
    }

    #[test]
    fn query_parameters_override_the_authority() {
        let p =
            parse("postgres://u1:p1@h1:1111/d1?host=h2&port=2222&user=u2&password=p2&dbname=d2");
        assert_eq!(p.host, "h2");
        assert_eq!(p.port, 2222);
        assert_eq!(p.user, "u2");
        assert_eq!(p.password.as_deref(), Some("p2"));
        assert_eq!(p.dbname, "d2");
    }

    #[test]
    fn ipv6_literals() {
        let p = parse("postgres://u@[::1]:5433/db");
        assert_eq!((p.host.as_str(), p.port), ("::1", 5433));
        assert_eq!(p.target(), "[::1]:5433");

        let p = parse("postgres://[2001:db8::1]/db");
        assert_eq!((p.host.as_str(), p.port), ("2001:db8::1", 5432));
        assert!(p.display_url().contains("@[2001:db8::1]:5432/db"));

        assert!(parse_err("postgres://[::1/db").contains("IPv6"));
        assert!(parse_err("postgres://[::1]x/db").contains("IPv6"));
    }

    #[test]
    fn bad_ports() {
        for url in [
            "postgres://h:abc/db",
            "postgres://h:0/db",
            "postgres://h:70000/db",
            "postgres://h/db?port=x",
        ] {
            let msg = parse_err(url);
            assert!(
                msg.contains("invalid port") || msg.contains("is not a number from 1 to 65535"),
                "{url}: {msg}"
            );
        }
        // An empty port means the default, as in libpq.
        assert_eq!(parse("postgres://h:/db").port, 5432);
    }

    #[test]
    fn a_silent_peer_is_given_up_within_about_a_minute_unless_told_otherwise() {
        let config = parse("postgres://h/db").pg_config();
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(
            config.get_keepalives_interval(),
            Some(Duration::from_secs(10))
        );
        assert_eq!(config.get_keepalives_retries(), Some(3));
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(60))
        );
        let config = parse("postgres://h/db?keepalives_idle=300&tcp_user_timeout=5000").pg_config();
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(300));
        assert_eq!(config.get_tcp_user_timeout(), Some(&Duration::from_secs(5)));
    }

    #[test]
    fn a_url_without_its_at_never_shows_the_password_as_a_port() {
        let msg = parse_err("postgres://user:Sup3rS3cret/db");
        assert!(!msg.contains("Sup3rS3cret"), "{msg}");
        assert!(msg.contains("before an `@` (user:password@host)"), "{msg}");
    }

    #[test]
    fn parameter_without_value_is_an_error() {
        let msg = parse_err("postgres://h/db?sslmode");
        assert!(msg.contains("`sslmode` has no value"), "{msg}");
        // Empty pieces are harmless.
        assert_eq!(
            parse("postgres://h/db?&sslmode=disable&").sslmode,
            SslMode::Disable
        );
    }

    #[test]
    fn later_parameters_win_and_empty_ones_reset() {
        let p = parse(
            "postgres://h/db?sslmode=require&sslmode=disable&application_name=x&application_name=",
        );
        assert_eq!(p.sslmode, SslMode::Disable);
        assert_eq!(p.application_name, "ferry");
    }

    #[test]
    fn unsupported_scheme_and_non_connection_strings() {
        let msg = parse_err("mysql://u:pw@h/db");
        assert!(msg.contains("unsupported URL scheme `mysql`"), "{msg}");
        assert!(!msg.contains("pw"), "{msg}");

        let msg = parse_err("hunter2");
        assert!(msg.contains("not a connection string"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");

        assert!(parse_err("   ").contains("empty"));
    }

    // ---- keyword strings --------------------------------------------------

    #[test]
    fn keyword_string() {
        let p =
            parse("host=localhost port=5432 dbname=app user=me password='it''s' sslmode=disable");
        assert_eq!(p.host, "localhost");
        assert_eq!(p.port, 5432);
        assert_eq!(p.dbname, "app");
        assert_eq!(p.user, "me");
        assert_eq!(p.password.as_deref(), Some("it's"));
        assert_eq!(p.sslmode, SslMode::Disable);
    }

    #[test]
    fn keyword_escapes_and_blanks() {
        let p = parse(r"host = db   port= 6000 password='a\'b\\c d' user=x\ y dbname=''");
        assert_eq!((p.host.as_str(), p.port), ("db", 6000));
        assert_eq!(p.password.as_deref(), Some(r"a'b\c d"));
        assert_eq!(p.user, "x y");
        // An empty value is "not given": dbname defaults to the user.
        assert_eq!(p.dbname, "x y");

        let p = parse("password=''''");
        assert_eq!(p.password.as_deref(), Some("'"));

        let p = parse("host=/var/run/postgresql dbname=app");
        assert!(p.is_socket());
    }

    #[test]
    fn keyword_syntax_errors() {
        assert!(parse_err("host=h port").contains("missing `=` after `port`"));
        let msg = parse_err("host=h password='oops");
        assert!(
            msg.contains("unterminated quoted value for `password`"),
            "{msg}"
        );
        assert!(!msg.contains("oops"), "{msg}");
        // A space in an unquoted password must not quote its second half.
        let msg = parse_err("host=h password=correct horse battery");
        assert!(!msg.contains("horse"), "{msg}");
        assert!(msg.contains("single quotes"), "{msg}");
    }

    #[test]
    fn keyword_string_is_not_mistaken_for_a_url() {
        let p = parse("host=h options='-c search_path=a' application_name=x://y");
        assert_eq!(p.options.as_deref(), Some("-c search_path=a"));
        assert_eq!(p.application_name, "x://y");
    }

    // ---- parameters -------------------------------------------------------

    #[test]
    fn every_sslmode_parses_and_prints_back() {
        for mode in SslMode::ALL {
            let p = parse(&format!("postgres://h/db?sslmode={mode}"));
            assert_eq!(p.sslmode, mode);
            assert_eq!(mode.as_str().parse::<SslMode>().ok(), Some(mode));
        }
    }

    #[test]
    fn bad_sslmode_lists_the_valid_ones() {
        let msg = parse_err("postgres://h/db?sslmode=bogus");
        assert!(msg.contains("invalid sslmode `bogus`"), "{msg}");
        assert!(
            msg.contains("disable, prefer, require, verify-ca, verify-full"),
            "{msg}"
        );
        assert!(parse_err("sslmode=allow").contains("use prefer"));
        assert!("Require".parse::<SslMode>().is_err());
    }

    #[test]
    fn connect_timeout_and_application_name() {
        let p = parse("postgres://h/db?connect_timeout=3&application_name=deploy");
        assert_eq!(p.connect_timeout, Duration::from_secs(3));
        assert_eq!(p.application_name, "deploy");
        assert_eq!(parse("connect_timeout=0").connect_timeout, Duration::ZERO);
        assert_eq!(parse("connect_timeout=-5").connect_timeout, Duration::ZERO);
        assert!(parse_err("connect_timeout=soon").contains("invalid connect_timeout `soon`"));
        assert_eq!(
            parse("fallback_application_name=tool").application_name,
            "tool"
        );
        assert_eq!(
            parse("application_name=a fallback_application_name=b").application_name,
            "a"
        );
    }

    #[test]
    fn other_driver_parameters() {
        let p = parse(
            "postgres://h/db?options=-c%20search_path%3Dapp&keepalives=0&target_session_attrs=read-write&channel_binding=require&client_encoding=UTF8",
        );
        assert_eq!(p.options.as_deref(), Some("-c search_path=app"));
        assert_eq!(p.keepalives, Some(false));
        assert_eq!(p.target_session_attrs, Some(TargetSessionAttrs::ReadWrite));
        assert_eq!(p.channel_binding, Some(ChannelBinding::Require));
        let c = p.pg_config();
        assert_eq!(c.get_options(), Some("-c search_path=app"));
        assert!(!c.get_keepalives());
        assert_eq!(c.get_target_session_attrs(), TargetSessionAttrs::ReadWrite);
        assert_eq!(c.get_channel_binding(), ChannelBinding::Require);

        assert!(parse_err("target_session_attrs=standby").contains("target_session_attrs"));
        assert!(parse_err("channel_binding=maybe").contains("channel_binding"));
        assert!(parse_err("keepalives=yes").contains("keepalives"));
        assert!(parse_err("client_encoding=LATIN1").contains("UTF8"));
    }

    #[test]
    fn sslrootcert() {
        let p = parse("postgres://h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem");
        assert_eq!(p.sslrootcert.as_deref(), Some(Path::new("/etc/ca.pem")));
        assert!(p.notes.is_empty());
        assert_eq!(
            parse("sslmode=verify-full sslrootcert=system").sslrootcert,
            None
        );
        let p = parse("sslrootcert=/etc/ca.pem");
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("sslrootcert is not used")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn unknown_parameters_are_named() {
        let msg = parse_err("postgres://h/db?foo=bar");
        assert!(msg.contains("unknown connection parameter `foo`"), "{msg}");
        let msg = parse_err("postgres://h/db?search_path=app");
        assert!(msg.contains("options=-c search_path="), "{msg}");
        let msg = parse_err("host=h sslcrl=/crl.pem");
        assert!(msg.contains("`sslcrl` is not supported"), "{msg}");
    }

    #[test]
    fn client_certificates_and_tcp_settings() {
        let p = parse(
            "host=db sslmode=verify-full sslcert=/c/client.crt sslkey=/c/client.key sslpassword=Pem-S3cret \
             hostaddr=10.0.0.5 keepalives_idle=30 keepalives_interval=5 keepalives_count=4 tcp_user_timeout=9000",
        );
        assert_eq!(p.sslcert.as_deref(), Some(Path::new("/c/client.crt")));
        assert_eq!(p.sslkey.as_deref(), Some(Path::new("/c/client.key")));
        assert_eq!(p.sslpassword.as_deref(), Some("Pem-S3cret"));
        assert_eq!(p.hostaddr, Some("10.0.0.5".parse().unwrap()));
        assert_eq!(p.keepalives_idle, Some(Duration::from_secs(30)));
        assert_eq!(p.keepalives_interval, Some(Duration::from_secs(5)));
        assert_eq!(p.keepalives_count, Some(4));
        assert_eq!(p.tcp_user_timeout, Some(Duration::from_millis(9000)));
        let shown = format!("{} {:?}", p.display_url(), p);
        assert!(!shown.contains("Pem-S3cret"), "{shown}");
        assert!(shown.contains("sslpassword: Some(\"****\")"), "{shown}");
        assert!(shown.contains("tcp_user_timeout=9000"), "{shown}");
        let config = p.tokio_config();
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_millis(9000))
        );
        assert_eq!(
            config.get_hostaddrs(),
            ["10.0.0.5".parse::<std::net::IpAddr>().unwrap()]
        );

        for (input, expected) in [
            (
                "host=h hostaddr=db.example.com",
                "invalid hostaddr `db.example.com`",
            ),
            (
                "host=h keepalives_idle=soon",
                "invalid keepalives_idle `soon`",
            ),
            (
                "host=h tcp_user_timeout=-1",
                "invalid tcp_user_timeout `-1`",
            ),
            ("host=h sslkey=/k.pem", "sslkey given without sslcert"),
        ] {
            let msg = parse_err(input);
            assert!(msg.contains(expected), "{input}: {msg}");
        }
    }

    #[test]
    fn no_libpq_variable_is_silently_ignored() {
        // Values asking for what ferry does anyway are fine…
        let p = ok(
            None,
            &[
                ("PGGSSENCMODE", "disable"),
                ("PGSSLNEGOTIATION", "postgres"),
                ("PGREQUIRESSL", "1"),
            ],
        );
        assert_eq!(p.source, Source::PgEnv);
        assert_eq!(p.sslmode, SslMode::Require);
        let p = ok(
            None,
            &[
                ("PGHOST", "a,b"),
                ("PGLOADBALANCEHOSTS", "random"),
                ("PGTARGETSESSIONATTRS", "read-write"),
            ],
        );
        assert!(p.load_balance_hosts);
        assert_eq!(p.target_session_attrs, Some(TargetSessionAttrs::ReadWrite));
        assert_eq!(
            ok(None, &[("PGHOSTADDR", "10.0.0.9")]).hostaddr,
            Some("10.0.0.9".parse().unwrap())
        );
        // …anything else is refused by name.
        for (var, value, key) in [
            ("PGGSSENCMODE", "require", "gssencmode"),
            ("PGSSLCRL", "/crl.pem", "sslcrl"),
            ("PGREQUIREAUTH", "scram-sha-256", "require_auth"),
            ("PGKRBSRVNAME", "postgres", "krbsrvname"),
        ] {
            let err = resolve_err(None, &[(var, value)]);
            assert!(
                err.starts_with(&format!(
                    "{var}: connection parameter `{key}` is not supported"
                )),
                "{err}"
            );
        }
        assert!(
            parse_err("host=h oauth_client_id=x").contains("`oauth_client_id` is not supported")
        );
    }

    #[test]
    fn service_files_with_libpqs_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("services.conf");
        std::fs::write(
            &file,
            "[prod]\nhost=db.internal\nport=6432\ndbname=app\nuser=deploy\nsslmode=require\n",
        )
        .unwrap();
        let file_s = file.display().to_string();
        // A connection string's own settings win over the file's.
        let p = ok(
            Some("service=prod dbname=other"),
            &[("PGSERVICEFILE", &file_s)],
        );
        assert_eq!(
            (p.host.as_str(), p.port, p.dbname.as_str()),
            ("db.internal", 6432, "other")
        );
        assert_eq!(p.sslmode, SslMode::Require);
        let p = ok(
            Some("postgres:///?service=prod"),
            &[("PGSERVICEFILE", &file_s)],
        );
        assert_eq!(
            (p.host.as_str(), p.user.as_str()),
            ("db.internal", "deploy")
        );
        // PGSERVICE is a PG variable; the file's settings win over the other PG variables.
        let p = ok(
            None,
            &[
                ("PGSERVICE", "prod"),
                ("PGSERVICEFILE", &file_s),
                ("PGPORT", "1"),
                ("PGPASSWORD", "pw"),
            ],
        );
        assert_eq!((p.port, p.password.as_deref()), (6432, Some("pw")));
        assert_eq!(p.source, Source::PgEnv);
        // Errors name the service and the files.
        let err = resolve_err(Some("service=nope"), &[("PGSERVICEFILE", &file_s)]);
        assert!(
            err.contains("service `nope` is not defined in") && err.contains("services.conf"),
            "{err}"
        );
        std::fs::write(&file, "[prod]\nport=many\n").unwrap();
        let err = resolve_err(None, &[("PGSERVICE", "prod"), ("PGSERVICEFILE", &file_s)]);
        assert!(
            err.starts_with("PGSERVICE: in service `prod` of")
                && err.contains("invalid port `many`"),
            "{err}"
        );
    }

    #[test]
    fn libpq_per_user_files_are_the_defaults_when_present() {
        let home = tempfile::tempdir().unwrap();
        let dot = home.path().join(".postgresql");
        std::fs::create_dir(&dot).unwrap();
        let home_s = home.path().display().to_string();
        let real = |flag: Option<&str>, pairs: &[(&str, &str)]| {
            resolve_with(flag, &env(pairs), &|path: &Path| path.exists()).unwrap()
        };
        let vars = [
            ("HOME", home_s.as_str()),
            ("PGHOST", "db"),
            ("PGSSLMODE", "verify-full"),
        ];
        // Nothing there: nothing used (the system store checks the server).
        let p = real(None, &vars);
        assert_eq!((p.sslcert, p.sslkey, p.sslrootcert), (None, None, None));
        for name in ["postgresql.crt", "postgresql.key", "root.crt"] {
            std::fs::write(dot.join(name), "x").unwrap();
        }
        let p = real(None, &vars);
        assert_eq!(p.sslcert, Some(dot.join("postgresql.crt")));
        assert_eq!(p.sslkey, Some(dot.join("postgresql.key")));
        assert_eq!(p.sslrootcert, Some(dot.join("root.crt")));
        // root.crt only where the server is verified; named files win.
        let p = real(
            Some("host=db sslmode=require sslcert=/c.crt sslkey=/c.key"),
            &vars,
        );
        assert_eq!(p.sslrootcert, None);
        assert_eq!(p.sslcert.as_deref(), Some(Path::new("/c.crt")));
        let p = real(
            None,
            &[
                ("HOME", home_s.as_str()),
                ("PGSSLCERT", "/e.crt"),
                ("PGSSLKEY", "/e.key"),
            ],
        );
        assert_eq!(p.sslkey.as_deref(), Some(Path::new("/e.key")));
    }

    #[test]
    fn host_lists_in_both_forms() {
        let p = parse("postgres://u:pw@h1:5432,h2:5433/db?target_session_attrs=read-write");
        assert_eq!((p.host.as_str(), p.port), ("h1", 5432));
        assert_eq!(p.alternates, [("h2".to_string(), 5433)]);
        assert_eq!(p.target_session_attrs, Some(TargetSessionAttrs::ReadWrite));
        assert_eq!(
            p.display_url(),
            "postgres://u:****@h1:5432,h2:5433/db?sslmode=prefer&target_session_attrs=read-write"
        );
        assert_eq!(p.target(), "any of h1:5432, h2:5433");
        let p = parse("postgres://[::1],[::2]:6000/db");
        assert_eq!(
            p.servers().collect::<Vec<_>>(),
            [("::1", 5432), ("::2", 6000)]
        );
        let p = parse("host=a,b port=6432 dbname=x");
        assert_eq!(p.servers().collect::<Vec<_>>(), [("a", 6432), ("b", 6432)]);
        let p = parse("host=a,b port=1,2");
        assert_eq!(p.servers().collect::<Vec<_>>(), [("a", 1), ("b", 2)]);
        let p = ok(None, &[("PGHOST", "a,b")]);
        assert_eq!(p.alternates.len(), 1);
        let config = parse("host=a,b port=1,2").tokio_config();
        assert_eq!(config.get_ports(), [1, 2]);

        for (input, expected) in [
            ("host=a,b,c port=1,2", "3 hosts but 2 ports given"),
            ("host=a,,b", "empty host in the list"),
            ("postgres://h1,/db", "empty host in the URL's host list"),
            ("host=a,b hostaddr=10.0.0.1", "hostaddr with several hosts"),
            (
                "host=a target_session_attrs=primary",
                "expected any, read-write or read-only",
            ),
        ] {
            let msg = parse_err(input);
            assert!(msg.contains(expected), "{input}: {msg}");
        }
    }

    // ---- golang-migrate parameters -----------------------------------------

    #[test]
    fn migrations_table_plain() {
        let p = parse("postgres://h/db?x-migrations-table=my_migrations");
        assert_eq!(p.migrations_table.as_deref(), Some("my_migrations"));
        assert_eq!(p.migrations_table_quoted, None);
        let p = parse("postgres://h/db?x-migrations-table=s.t&x-migrations-table-quoted=false");
        assert_eq!(p.migrations_table.as_deref(), Some("s.t"));
    }

    #[test]
    fn migrations_table_quoted_golang_migrate_style() {
        let p = parse(
            "postgres://h/db?x-migrations-table=%22migrate%22.%22schema_migrations%22&x-migrations-table-quoted=true",
        );
        assert_eq!(
            p.migrations_table.as_deref(),
            Some(r#""migrate"."schema_migrations""#)
        );
        assert_eq!(
            p.migrations_table_quoted,
            Some((Some("migrate".to_string()), "schema_migrations".to_string()))
        );
        let p = parse(r#"x-migrations-table='"only"' x-migrations-table-quoted=1"#);
        assert_eq!(p.migrations_table_quoted, Some((None, "only".to_string())));

        let msg =
            parse_err("postgres://h/db?x-migrations-table=plain&x-migrations-table-quoted=true");
        assert!(msg.contains("must be quoted"), "{msg}");
        let p = parse("postgres://h/db?x-migrations-table-quoted=true");
        assert!(
            p.notes.iter().any(|n| n.contains("no effect")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn migrations_table_quoted_given_as_the_name() {
        let p = parse("postgres://h/db?x-migrations-table-quoted=%22we%22%22ird%22.%22t.x%22");
        assert_eq!(p.migrations_table.as_deref(), Some(r#""we""ird"."t.x""#));
        assert_eq!(
            p.migrations_table_quoted,
            Some((Some("we\"ird".to_string()), "t.x".to_string()))
        );
        for bad in [r#""a"."b"."c""#, r#""a"b"#, r#""""#, r#""a".b"#, r#""open"#] {
            let msg = parse_err(&format!("x-migrations-table-quoted='{bad}'"));
            assert!(
                msg.contains("invalid quoted migrations table"),
                "{bad}: {msg}"
            );
        }
        assert!(parse_err("x-migrations-table-quoted=maybe").contains("true/false"));
        let msg = parse_err(r#"x-migrations-table=a x-migrations-table-quoted='"b"'"#);
        assert!(msg.contains("both name a table"), "{msg}");
    }

    #[test]
    fn statement_timeout_becomes_a_server_option() {
        let p = parse("postgres://h/db?x-statement-timeout=5000&options=-c%20lock_timeout%3D100");
        assert_eq!(p.statement_timeout_ms, Some(5000));
        assert_eq!(
            p.server_options().as_deref(),
            Some("-c lock_timeout=100 -c statement_timeout=5000")
        );
        assert_eq!(
            p.pg_config().get_options(),
            Some("-c lock_timeout=100 -c statement_timeout=5000")
        );
        let p = parse("postgres://h/db?x-statement-timeout=250");
        assert_eq!(
            p.pg_config().get_options(),
            Some("-c statement_timeout=250")
        );
        assert_eq!(parse("x-statement-timeout=0").statement_timeout_ms, None);
        assert!(parse_err("x-statement-timeout=5s").contains("milliseconds"));
    }

    #[test]
    fn x_parameters_are_noted_and_never_sent() {
        let p = parse(
            "postgres://h/db?x-multi-statement=true&x-multi-statement-max-size=1000&x-no-lock=true&x-migrations-table=m&sslmode=disable",
        );
        assert_eq!(p.sslmode, SslMode::Disable);
        assert_eq!(p.notes.len(), 3, "{:?}", p.notes);
        assert!(p
            .notes
            .contains(&"x-multi-statement is ignored: ferry splits statements itself".to_string()));
        assert!(p
            .notes
            .iter()
            .any(|n| n.starts_with("x-multi-statement-max-size is ignored")));
        assert!(p
            .notes
            .iter()
            .any(|n| n.contains("x-no-lock is not a ferry setting")));
        let config = format!("{:?}", p.pg_config());
        assert!(!config.contains("x-"), "{config}");
        assert!(!p.display_url().contains("x-"));
    }

    // ---- display, Debug, driver config --------------------------------------

    #[test]
    fn display_url_masks_the_password() {
        let p = parse("postgres://alice:hunter2@db.example.com:6543/app?sslmode=require");
        assert_eq!(
            p.display_url(),
            "postgres://alice:****@db.example.com:6543/app?sslmode=require"
        );
        let p = parse("host=db user=me password=hunter2");
        assert_eq!(
            p.display_url(),
            "postgres://me:****@db:5432/me?sslmode=prefer"
        );
        let p = parse("postgres://me@db/app");
        assert_eq!(p.display_url(), "postgres://me@db:5432/app?sslmode=prefer");
    }

    #[test]
    fn display_url_for_sockets_and_odd_names() {
        let p = parse("postgres://me@%2Fvar%2Frun%2Fpostgresql/app");
        assert_eq!(
            p.display_url(),
            "postgres://me@/app?host=/var/run/postgresql&port=5432&sslmode=prefer"
        );
        let p = parse("postgres://a%40b:pw@h/my%20db");
        assert_eq!(
            p.display_url(),
            "postgres://a%40b:****@h:5432/my%20db?sslmode=prefer"
        );
    }

    #[test]
    fn display_url_round_trips_without_a_password() {
        let original = parse(
            "postgres://me@%2Ftmp:5433/app?sslmode=verify-ca&sslrootcert=/ca.pem&connect_timeout=3&application_name=x%20y&options=-c%20a%3Db&keepalives=0&target_session_attrs=read-only&channel_binding=disable",
        );
        let shown = original.display_url();
        let again = parse(&shown);
        assert_eq!(format!("{again:?}"), format!("{original:?}"), "{shown}");
    }

    #[test]
    fn display_url_masks_only_the_password_field_even_where_it_equals_a_name() {
        let p = parse("postgres://rekko:rekko@localhost:5433/rekko_dev");
        assert_eq!(
            p.display_url(),
            "postgres://rekko:****@localhost:5433/rekko_dev?sslmode=prefer"
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = parse("postgres://alice:hunter2@h/db");
        for text in [format!("{p:?}"), format!("{p:#?}")] {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("****"), "{text}");
            assert!(text.contains("alice"), "{text}");
        }
        let p = parse("postgres://alice@h/db");
        assert!(format!("{p:?}").contains("password: None"));
        let p = parse("postgres://alice:alice@h/db");
        let text = format!("{p:?}");
        assert!(!text.contains("alice"), "{text}");
        let p = parse(r#"user='a"b\\c' password='a"b\\c'"#);
        assert_eq!(p.password.as_deref(), Some(r#"a"b\c"#));
        let text = format!("{p:?}");
        assert!(!text.contains(r#"a\"b"#), "{text}");
        assert!(!text.contains(r#"a"b"#), "{text}");
    }

    #[test]
    fn pg_config_carries_every_setting() {
        let p = parse("postgres://alice:pw@db:6543/app?sslmode=verify-full&connect_timeout=7&application_name=deploy");
        let c = p.pg_config();
        assert_eq!(c.get_hosts(), &[Host::Tcp("db".to_string())]);
        assert_eq!(c.get_ports(), &[6543]);
        assert_eq!(c.get_user(), Some("alice"));
        assert_eq!(c.get_password(), Some(&b"pw"[..]));
        assert_eq!(c.get_dbname(), Some("app"));
        assert_eq!(c.get_application_name(), Some("deploy"));
        assert_eq!(c.get_ssl_mode(), PgSslMode::Require);
        assert_eq!(c.get_connect_timeout(), Some(&Duration::from_secs(7)));
        assert_eq!(c.get_options(), None);

        let ssl = |mode: &str| parse(&format!("sslmode={mode}")).pg_config().get_ssl_mode();
        assert_eq!(ssl("disable"), PgSslMode::Disable);
        assert_eq!(ssl("prefer"), PgSslMode::Prefer);
        assert_eq!(ssl("require"), PgSslMode::Require);
        assert_eq!(ssl("verify-ca"), PgSslMode::Require);

        let p = parse("host=/tmp sslmode=require connect_timeout=0");
        assert!(
            p.notes.iter().any(|n| n.contains("never use TLS")),
            "{:?}",
            p.notes
        );
        let c = p.pg_config();
        assert_eq!(c.get_hosts(), &[Host::Unix(PathBuf::from("/tmp"))]);
        assert_eq!(c.get_ssl_mode(), PgSslMode::Disable);
        assert_eq!(c.get_connect_timeout(), None);
        assert_eq!(c.get_password(), None);
    }

    #[test]
    fn errors_never_contain_the_password() {
        for input in [
            "postgres://u:hunter2@h/db?sslmode=bogus",
            "postgres://u:hunter2@h:abc/db",
            "postgres://u:hunter2@h1,/db",
            "postgres://u:hun?ter2@h/db",
            "postgres://u:hunter2?@h/db?x=1",
            "postgres://u:hu%3Fnter2@h/db?nope",
            "host=h password=hunter2 sslmode=bogus",
            "host=h password=hun ter2",
            "host=h password='hunter2",
        ] {
            let msg = parse_err(input);
            for piece in ["hunter2", "ter2", "hun?"] {
                assert!(!msg.contains(piece), "{input}: {msg}");
            }
        }
    }

    #[test]
    fn password_with_question_mark_gets_encoding_advice() {
        let msg = parse_err("postgres://u:pa?ss@h/db");
        assert!(msg.contains("percent-encode"), "{msg}");
        assert!(!msg.contains("ss@h"), "{msg}");
    }

    #[test]
    fn names_and_labels() {
        assert_eq!(Source::Flag.to_string(), "--database-url");
        assert_eq!(Source::DatabaseUrlEnv.to_string(), "DATABASE_URL");
        assert_eq!(Source::PgEnv.to_string(), "PG* variables");
        assert_eq!(Source::DbEnv.to_string(), "DB_* variables");
        assert_eq!(Source::Defaults.to_string(), "libpq defaults");
        assert_eq!(SslMode::VerifyFull.to_string(), "verify-full");
    }

    // ---- resolution order ---------------------------------------------------

    const ALL_SOURCES: &[(&str, &str)] = &[
        ("DATABASE_URL", "postgres://env@envhost/envdb"),
        ("PGHOST", "pghost"),
        ("PGUSER", "pguser"),
        ("DB_HOST", "dbhost"),
        ("DB_USER", "dbuser"),
        ("USER", "carol"),
    ];

    #[test]
    fn flag_beats_everything() {
        let p = ok(Some("postgres://flag@flaghost/flagdb"), ALL_SOURCES);
        assert_eq!(p.source, Source::Flag);
        assert_eq!((p.host.as_str(), p.user.as_str()), ("flaghost", "flag"));
        assert!(
            p.notes.iter().any(|n| n.contains(
                "PGHOST, PGUSER, DB_HOST, DB_USER are set but ignored in favour of --database-url"
            )),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn database_url_beats_pg_and_db_variables() {
        let p = ok(None, ALL_SOURCES);
        assert_eq!(p.source, Source::DatabaseUrlEnv);
        assert_eq!((p.host.as_str(), p.user.as_str()), ("envhost", "env"));
        assert!(p
            .notes
            .iter()
            .any(|n| n.contains("in favour of DATABASE_URL")));
    }

    #[test]
    fn pg_variables_beat_db_variables_without_mixing() {
        let p = ok(None, &ALL_SOURCES[1..]);
        assert_eq!(p.source, Source::PgEnv);
        assert_eq!((p.host.as_str(), p.user.as_str()), ("pghost", "pguser"));
        assert_eq!(
            p.notes,
            vec!["DB_HOST, DB_USER are set but ignored in favour of PG* variables (sources are not mixed)".to_string()]
        );
        // A lone PG variable still shadows every DB_* one.
        let p = ok(
            None,
            &[
                ("PGSSLMODE", "require"),
                ("DB_HOST", "dbhost"),
                ("DB_PASSWORD", "x"),
            ],
        );
        assert_eq!(p.source, Source::PgEnv);
        assert_eq!(p.host, "localhost");
        assert_eq!(p.password, None);
        assert_eq!(p.sslmode, SslMode::Require);
    }

    #[test]
    fn url_does_not_borrow_pgpassword() {
        let p = ok(
            None,
            &[
                ("DATABASE_URL", "postgres://me@h/db"),
                ("PGPASSWORD", "hunter2"),
            ],
        );
        assert_eq!(p.password, None);
        let notes = p.notes.join("\n");
        assert!(notes.contains("PGPASSWORD is set but ignored"), "{notes}");
        assert!(!notes.contains("hunter2"), "{notes}");
    }

    #[test]
    fn db_variables_when_nothing_else_is_set() {
        let p = ok(
            None,
            &[
                ("DB_HOST", "db.internal"),
                ("DB_PORT", "6000"),
                ("DB_NAME", "shop"),
                ("DB_USER", "shopper"),
                ("DB_PASSWORD", "hunter2"),
                ("USER", "carol"),
            ],
        );
        assert_eq!(p.source, Source::DbEnv);
        assert_eq!(p.host, "db.internal");
        assert_eq!(p.port, 6000);
        assert_eq!(p.dbname, "shop");
        assert_eq!(p.user, "shopper");
        assert_eq!(p.password.as_deref(), Some("hunter2"));
        assert_eq!(p.sslmode, SslMode::Prefer);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn partial_db_variables_fill_in_over_defaults() {
        let p = ok(None, &[("DB_NAME", "shop"), ("USER", "carol")]);
        assert_eq!(p.source, Source::DbEnv);
        assert_eq!((p.host.as_str(), p.port), ("localhost", 5432));
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("carol", "shop"));
    }

    #[test]
    fn every_pg_variable_is_read() {
        let p = ok(
            None,
            &[
                ("PGHOST", "pg.example.com"),
                ("PGPORT", "6432"),
                ("PGUSER", "pguser"),
                ("PGPASSWORD", "hunter2"),
                ("PGDATABASE", "pgdb"),
                ("PGSSLMODE", "verify-full"),
                ("PGSSLROOTCERT", "/etc/ca.pem"),
                ("PGCONNECT_TIMEOUT", "4"),
                ("PGAPPNAME", "deployer"),
                ("PGOPTIONS", "-c search_path=app"),
            ],
        );
        assert_eq!(p.source, Source::PgEnv);
        assert_eq!(p.host, "pg.example.com");
        assert_eq!(p.port, 6432);
        assert_eq!(p.user, "pguser");
        assert_eq!(p.password.as_deref(), Some("hunter2"));
        assert_eq!(p.dbname, "pgdb");
        assert_eq!(p.sslmode, SslMode::VerifyFull);
        assert_eq!(p.sslrootcert.as_deref(), Some(Path::new("/etc/ca.pem")));
        assert_eq!(p.connect_timeout, Duration::from_secs(4));
        assert_eq!(p.application_name, "deployer");
        assert_eq!(p.options.as_deref(), Some("-c search_path=app"));
    }

    #[test]
    fn partial_pg_variables_fill_in_over_defaults() {
        let p = ok(None, &[("PGHOST", "pg.example.com"), ("USER", "carol")]);
        assert_eq!(p.source, Source::PgEnv);
        assert_eq!(p.host, "pg.example.com");
        assert_eq!(p.port, 5432);
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("carol", "carol"));
        assert_eq!(p.password, None);
        assert_eq!(p.sslmode, SslMode::Prefer);
        assert_eq!(p.application_name, "ferry");

        let p = ok(None, &[("PGDATABASE", "app")]);
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("postgres", "app"));
    }

    #[test]
    fn unrelated_pg_variables_do_not_count() {
        let p = ok(None, &[("PGDATA", "/var/lib/pg"), ("DB_HOST", "dbhost")]);
        assert_eq!(p.source, Source::DbEnv);
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let p = ok(
            None,
            &[("DATABASE_URL", ""), ("PGHOST", ""), ("DB_HOST", "dbhost")],
        );
        assert_eq!(p.source, Source::DbEnv);
        assert_eq!(p.host, "dbhost");
    }

    #[test]
    fn libpq_defaults_when_nothing_is_set() {
        let p = ok(None, &[("USER", "carol")]);
        assert_eq!(p.source, Source::Defaults);
        assert_eq!((p.host.as_str(), p.port), ("localhost", 5432));
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("carol", "carol"));
        assert!(p.notes.is_empty());

        let p = ok(None, &[("USERNAME", "dave")]);
        assert_eq!(p.user, "dave");
        let p = ok(None, &[]);
        assert_eq!(
            (p.user.as_str(), p.dbname.as_str()),
            ("postgres", "postgres")
        );
    }

    #[test]
    fn default_host_is_the_first_directory_with_a_socket() {
        let probe = |existing: &'static [&'static str]| {
            move |path: &Path| existing.iter().any(|e| Path::new(e) == path)
        };
        let both = probe(&["/var/run/postgresql/.s.PGSQL.5432", "/tmp/.s.PGSQL.5432"]);
        let p = resolve_with(None, &env(&[]), &both).expect("resolve");
        assert_eq!(p.host, "/var/run/postgresql");

        let tmp = probe(&["/tmp/.s.PGSQL.5432"]);
        assert_eq!(
            resolve_with(None, &env(&[]), &tmp).expect("resolve").host,
            "/tmp"
        );

        // The socket name depends on the port.
        let other_port = probe(&["/tmp/.s.PGSQL.5433"]);
        let p = resolve_with(None, &env(&[("PGPORT", "5433")]), &other_port).expect("resolve");
        assert_eq!((p.host.as_str(), p.port), ("/tmp", 5433));
        let p = resolve_with(None, &env(&[]), &other_port).expect("resolve");
        assert_eq!(p.host, "localhost");

        // URLs without a host get the same default; explicit hosts win.
        let p = resolve_with(Some("postgres:///app"), &env(&[]), &tmp).expect("resolve");
        assert_eq!(p.host, "/tmp");
        let p = resolve_with(Some("postgres://db/app"), &env(&[]), &tmp).expect("resolve");
        assert_eq!(p.host, "db");
    }

    #[test]
    fn url_user_defaults_to_user_variable() {
        let p = ok(
            Some("postgres://h"),
            &[("USER", "carol"), ("PGUSER", "ignored")],
        );
        assert_eq!((p.user.as_str(), p.dbname.as_str()), ("carol", "carol"));
    }

    #[test]
    fn keyword_string_in_database_url() {
        let p = ok(None, &[("DATABASE_URL", "host=h dbname=app user=me")]);
        assert_eq!(p.source, Source::DatabaseUrlEnv);
        assert_eq!(
            (p.host.as_str(), p.dbname.as_str(), p.user.as_str()),
            ("h", "app", "me")
        );
    }

    #[test]
    fn errors_name_their_source() {
        let msg = resolve_err(Some("postgres://h/db?sslmode=bogus"), &[]);
        assert!(
            msg.starts_with("--database-url: invalid sslmode `bogus`"),
            "{msg}"
        );
        let msg = resolve_err(None, &[("DATABASE_URL", "postgres://h/db?sslmode=bogus")]);
        assert!(msg.starts_with("DATABASE_URL: invalid sslmode"), "{msg}");
        let msg = resolve_err(None, &[("PGPORT", "abc")]);
        assert!(msg.starts_with("PGPORT: invalid port `abc`"), "{msg}");
        let msg = resolve_err(None, &[("PGSSLMODE", "bogus")]);
        assert!(msg.starts_with("PGSSLMODE: invalid sslmode"), "{msg}");
        let msg = resolve_err(None, &[("DB_PORT", "65536")]);
        assert!(msg.starts_with("DB_PORT: invalid port"), "{msg}");
        let msg = resolve_err(None, &[("DATABASE_URL", "mysql://u:hunter2@h/db")]);
        assert!(
            msg.starts_with("DATABASE_URL: unsupported URL scheme"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    #[test]
    fn empty_flag_is_an_error() {
        let msg = resolve_err(Some("  "), &[("DATABASE_URL", "postgres://h/db")]);
        assert!(msg.contains("--database-url is empty"), "{msg}");
    }

    // ---- the password file --------------------------------------------------

    /// A password file with `contents` and `mode` in a fresh directory.
    fn passfile(contents: &str, mode: u32) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".pgpass");
        std::fs::write(&path, contents).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        let shown = path.to_str().expect("utf-8 temp path").to_string();
        (dir, shown)
    }

    #[test]
    fn passfile_fills_a_missing_password_from_any_source() {
        let (_dir, file) = passfile(
            "h:5432:db:me:from-url\npg:6000:pgdb:pguser:from-pg\ndbhost:5432:shop:dbuser:from-db\nlocalhost:5432:carol:carol:from-defaults\n",
            0o600,
        );
        let pf = ("PGPASSFILE", file.as_str());
        let p = ok(Some("postgres://me@h/db"), &[pf]);
        assert_eq!(p.password.as_deref(), Some("from-url"));
        assert!(p.password_from_passfile);
        assert_eq!(p.passfile.as_deref(), Some(Path::new(&file)));
        assert_eq!(p.source, Source::Flag);

        let p = ok(None, &[("DATABASE_URL", "postgres://me@h/db"), pf]);
        assert_eq!(p.password.as_deref(), Some("from-url"));

        let pg = [
            ("PGHOST", "pg"),
            ("PGPORT", "6000"),
            ("PGDATABASE", "pgdb"),
            ("PGUSER", "pguser"),
            pf,
        ];
        assert_eq!(ok(None, &pg).password.as_deref(), Some("from-pg"));

        let db = [
            ("DB_HOST", "dbhost"),
            ("DB_NAME", "shop"),
            ("DB_USER", "dbuser"),
            pf,
        ];
        assert_eq!(ok(None, &db).password.as_deref(), Some("from-db"));

        // Defaults: user from $USER, database = user, host localhost.
        let p = ok(None, &[("USER", "carol"), pf]);
        assert_eq!(p.source, Source::Defaults);
        assert_eq!(p.password.as_deref(), Some("from-defaults"));
    }

    #[test]
    fn passfile_alone_is_not_a_source_and_is_never_noted() {
        let (_dir, file) = passfile("*:*:*:*:pw\n", 0o600);
        let p = ok(
            None,
            &[("PGPASSFILE", file.as_str()), ("DB_HOST", "dbhost")],
        );
        assert_eq!(p.source, Source::DbEnv);
        assert_eq!(p.host, "dbhost");
        assert!(p.notes.is_empty(), "{:?}", p.notes);
    }

    #[test]
    fn a_given_password_is_never_replaced_by_the_file() {
        let (_dir, file) = passfile("*:*:*:*:from-file\n", 0o600);
        let pf = ("PGPASSFILE", file.as_str());
        for (flag, pairs) in [
            (Some("postgres://me:given@h/db"), vec![pf]),
            (None, vec![("PGHOST", "h"), ("PGPASSWORD", "given"), pf]),
            (None, vec![("DB_HOST", "h"), ("DB_PASSWORD", "given"), pf]),
        ] {
            let p = ok(flag, &pairs);
            assert_eq!(p.password.as_deref(), Some("given"), "{flag:?} {pairs:?}");
            assert!(!p.password_from_passfile);
            assert_eq!(p.passfile, None);
        }
    }

    #[test]
    fn home_pgpass_when_pgpassfile_is_unset() {
        let (dir, _file) = passfile("*:*:*:*:from-home\n", 0o600);
        let home = dir.path().to_str().expect("utf-8").to_string();
        let p = ok(Some("postgres://me@h/db"), &[("HOME", home.as_str())]);
        assert_eq!(p.password.as_deref(), Some("from-home"));
        assert_eq!(p.passfile, Some(dir.path().join(".pgpass")));
        // PGPASSFILE wins over HOME, even when it names a missing file.
        let p = ok(
            Some("postgres://me@h/db"),
            &[
                ("HOME", home.as_str()),
                ("PGPASSFILE", "/nonexistent/pgpass"),
            ],
        );
        assert_eq!(p.password, None);
        assert_eq!(
            p.passfile.as_deref(),
            Some(Path::new("/nonexistent/pgpass"))
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn no_password_and_no_file_location() {
        let p = ok(Some("postgres://me@h/db"), &[]);
        assert_eq!((p.password.as_deref(), p.passfile.as_deref()), (None, None));
    }

    #[cfg(unix)]
    #[test]
    fn group_readable_passfile_is_ignored_with_a_warning() {
        let (_dir, file) = passfile("*:*:*:*:hunter2\n", 0o640);
        let p = ok(Some("postgres://me@h/db"), &[("PGPASSFILE", file.as_str())]);
        assert_eq!(p.password, None);
        assert!(!p.password_from_passfile);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(
            p.warnings[0].contains("group or world access"),
            "{:?}",
            p.warnings
        );
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn default_socket_connection_matches_a_localhost_line() {
        let (_dir, file) = passfile("localhost:5432:app:me:local\n", 0o600);
        let socket = |path: &Path| path == Path::new("/var/run/postgresql/.s.PGSQL.5432");
        let p = resolve_with(
            None,
            &env(&[
                ("PGDATABASE", "app"),
                ("PGUSER", "me"),
                ("PGPASSFILE", &file),
            ]),
            &socket,
        )
        .expect("resolve");
        assert_eq!(p.host, "/var/run/postgresql");
        assert_eq!(p.password.as_deref(), Some("local"));
    }

    #[test]
    fn passfile_parameter_points_to_pgpassfile() {
        let msg = parse_err("postgres://h/db?passfile=/x");
        assert!(msg.contains("`passfile` is not supported"), "{msg}");
        assert!(msg.contains("PGPASSFILE"), "{msg}");
    }

    #[test]
    fn resolve_uses_the_real_probe_without_touching_the_environment() {
        // Only checks that the public entry point works with a closure; the
        // host depends on the machine, so it is not asserted.
        let p = ConnParams::resolve(None, &|name| {
            (name == "PGDATABASE").then(|| "x".to_string())
        })
        .expect("resolve");
        assert_eq!((p.source, p.dbname.as_str()), (Source::PgEnv, "x"));
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    #[test]
    fn a_nul_character_is_refused() {
        let err = ConnParams::parse("host=a\0b password=x").unwrap_err();
        assert!(format!("{err:#}").contains("NUL"), "{err:#}");
    }
}

/// ferry's parser against the driver's own (`postgres::Config::from_str`): on every
/// string both accept they must mean the same connection, and the strings only one
/// accepts are the documented differences.
#[cfg(test)]
mod agrees_with_the_driver {
    use super::*;
    use postgres::config::Host;

    /// What a parsed configuration connects to and how, in the driver's terms.
    #[derive(Debug, PartialEq)]
    struct Meaning {
        servers: Vec<(String, u16)>,
        user: Option<String>,
        password: Option<Vec<u8>>,
        dbname: Option<String>,
        options: Option<String>,
        application_name: Option<String>,
        connect_timeout: Option<Duration>,
        tcp_user_timeout: Option<Duration>,
        keepalives: bool,
        keepalives_idle: Duration,
        keepalives_interval: Option<Duration>,
        keepalives_retries: Option<u32>,
        hostaddrs: Vec<std::net::IpAddr>,
        target_session_attrs: TargetSessionAttrs,
        channel_binding: ChannelBinding,
        load_balance_hosts: bool,
    }

    /// The settings `given` names, as the driver would use them (a port given once
    /// applies to every host, as the driver does when it connects).
    fn meaning(c: &postgres::Config) -> Meaning {
        // A URL's `?host=a,b` is two hosts for libpq (and ferry); the driver's URL
        // parser keeps it as one name with a comma in it.
        let hosts: Vec<String> = c
            .get_hosts()
            .iter()
            .flat_map(|h| match h {
                Host::Tcp(name) => name.split(',').map(str::to_string).collect(),
                Host::Unix(path) => vec![path.display().to_string()],
            })
            .collect();
        let ports = c.get_ports();
        let servers = hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let port = match ports {
                    [] => DEFAULT_PORT,
                    [one] => *one,
                    many => many[i],
                };
                (h.clone(), port)
            })
            .collect();
        Meaning {
            servers,
            user: c.get_user().map(str::to_string),
            password: c.get_password().map(<[u8]>::to_vec),
            dbname: c.get_dbname().map(str::to_string),
            options: c.get_options().map(str::to_string),
            application_name: c.get_application_name().map(str::to_string),
            connect_timeout: c.get_connect_timeout().copied(),
            tcp_user_timeout: c.get_tcp_user_timeout().copied(),
            keepalives: c.get_keepalives(),
            keepalives_idle: c.get_keepalives_idle(),
            keepalives_interval: c.get_keepalives_interval(),
            keepalives_retries: c.get_keepalives_retries(),
            hostaddrs: c.get_hostaddrs().to_vec(),
            target_session_attrs: c.get_target_session_attrs(),
            channel_binding: c.get_channel_binding(),
            load_balance_hosts: matches!(
                c.get_load_balance_hosts(),
                postgres::config::LoadBalanceHosts::Random
            ),
        }
    }

    /// ferry's meaning with its defaults put back to "not given" where the driver's
    /// parse left a setting out, so that only what the string said is compared.
    fn compare(input: &str) -> Result<(), String> {
        let driver = postgres::Config::from_str(input);
        let ours = ConnParams::parse(input);
        match (driver, ours) {
            (Ok(driver), Ok(ours)) => {
                let want = meaning(&driver);
                let mut got = meaning(&ours.pg_config());
                if driver.get_hosts().is_empty() {
                    got.servers = Vec::new();
                }
                if driver.get_user().is_none() {
                    got.user = None;
                }
                if driver.get_dbname().is_none() {
                    got.dbname = None;
                }
                if driver.get_application_name().is_none() {
                    got.application_name = None;
                }
                if driver.get_connect_timeout().is_none() {
                    got.connect_timeout = None;
                }
                // libpq's unit for tcp_user_timeout is milliseconds (ferry's too); the
                // driver's parser reads seconds.
                got.tcp_user_timeout = got.tcp_user_timeout.map(|d| d * 1000);
                // Keepalive timing a string does not set is ferry's default, not parsing.
                if ours.keepalives_idle.is_none() {
                    got.keepalives_idle = want.keepalives_idle;
                }
                if ours.keepalives_interval.is_none() {
                    got.keepalives_interval = want.keepalives_interval;
                }
                if ours.keepalives_count.is_none() {
                    got.keepalives_retries = want.keepalives_retries;
                }
                if ours.tcp_user_timeout.is_none() {
                    got.tcp_user_timeout = want.tcp_user_timeout;
                }
                if want == got {
                    Ok(())
                } else {
                    Err(format!("{input}\n  driver: {want:?}\n  ferry:  {got:?}"))
                }
            }
            (Err(_), Err(_)) => Ok(()),
            (Ok(_), Err(e)) if STRICTER.iter().any(|m| format!("{e:#}").contains(m)) => Ok(()),
            (Ok(_), Err(e)) => Err(format!(
                "{input}: only the driver accepts it (ferry: {e:#})"
            )),
            (Err(e), Ok(_)) => Err(format!("{input}: only ferry accepts it (driver: {e})")),
        }
    }

    /// What ferry refuses that the driver's parser lets through: libpq refuses a port
    /// list that does not match the host list too, and ferry takes `hostaddr` for a
    /// single host only (documented in the README).
    const STRICTER: &[&str] = &[
        "ports given: give one port for all",
        "hostaddr with several hosts",
    ];

    /// Settings both parsers know, each with values either may accept or refuse.
    const SETTINGS: &[(&str, &[&str])] = &[
        (
            "host",
            &[
                "db.example.com",
                "10.0.0.7",
                "/var/run/postgresql",
                "a,b",
                "primary,standby",
            ],
        ),
        ("port", &["5433", "6543", "5432,5433", "x", "70000"]),
        ("user", &["rekko", "app_user", "o'brien"]),
        (
            "password",
            &["s3cret", "with space", "p@ss:w/rd", "back\\slash"],
        ),
        ("dbname", &["rekko_dev", "my db"]),
        (
            "options",
            &["-c search_path=app", "-c statement_timeout=5s"],
        ),
        ("application_name", &["gateway", "ferry ci"]),
        ("sslmode", &["disable", "prefer", "require", "bogus"]),
        ("connect_timeout", &["5", "0", "abc"]),
        ("tcp_user_timeout", &["30000", "0", "slow"]),
        ("keepalives", &["0", "1", "maybe"]),
        ("keepalives_idle", &["60", "0", "idle"]),
        ("keepalives_interval", &["10", "x"]),
        ("hostaddr", &["127.0.0.1", "::1", "not-an-ip"]),
        (
            "target_session_attrs",
            &["any", "read-write", "read-only", "primary-ish"],
        ),
        (
            "channel_binding",
            &["disable", "prefer", "require", "always"],
        ),
        ("load_balance_hosts", &["disable", "random", "sometimes"]),
    ];

    /// The same settings written as libpq keywords (single-quoted where needed).
    fn keywords(pairs: &[(&str, &str)]) -> String {
        pairs
            .iter()
            .map(|(k, v)| {
                if v.contains([' ', '\'', '\\']) {
                    format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
                } else {
                    format!("{k}={v}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// ... and as a URL, everything in the query string (percent-encoded).
    fn url(pairs: &[(&str, &str)]) -> String {
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        format!("postgres:///?{}", query.join("&"))
    }

    /// A fixed-seed walk over combinations of [`SETTINGS`], in both forms.
    fn generated() -> Vec<String> {
        let mut state: u64 = 0x5eed_f3e7;
        let mut next = move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        let mut out = Vec::new();
        for _ in 0..1500 {
            let count = 1 + next(4);
            let mut pairs: Vec<(&str, &str)> = Vec::new();
            for _ in 0..count {
                let (key, values) = SETTINGS[next(SETTINGS.len())];
                if pairs.iter().all(|(k, _)| *k != key) {
                    pairs.push((key, values[next(values.len())]));
                }
            }
            out.push(keywords(&pairs));
            out.push(url(&pairs));
        }
        out
    }

    /// URLs in the shapes users write.
    const URLS: &[&str] = &[
        "postgres://rekko:rekko@localhost:5433/rekko_dev",
        "postgresql://app@db.example.com/app?sslmode=require",
        "postgres://u:p%40ss@h:6543/d?application_name=ci&connect_timeout=3",
        "postgres://u@[::1]:5432/d",
        "postgres://u@a:5432,b:5433/d?target_session_attrs=read-write",
        "postgres://u@/d?host=/var/run/postgresql&port=5433",
        "postgres://h/d?keepalives_idle=30&keepalives_interval=5&tcp_user_timeout=10000",
        "postgres://h/my%20db?options=-c%20search_path%3Dapp",
        "postgres://h:x/d",
        "postgres://h/d?sslmode=bogus",
    ];

    #[test]
    fn both_parsers_read_every_string_the_same_way() {
        let mut failures: Vec<String> = Vec::new();
        for input in URLS.iter().map(|s| s.to_string()).chain(generated()) {
            if let Err(e) = compare(&input) {
                failures.push(e);
            }
        }
        failures.sort();
        failures.dedup();
        assert!(
            failures.is_empty(),
            "{} differences, e.g.:\n{}",
            failures.len(),
            failures
                .iter()
                .take(15)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
