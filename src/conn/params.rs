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
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use postgres::config::{ChannelBinding, TargetSessionAttrs};

use super::defaults::{
    COMPONENT, DEFAULT_APPLICATION_NAME, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PORT, FALLBACK_USER,
    QUERY_VALUE, SOCKET_DIRS,
};
use super::pgpass;
use super::redact::{redact, MASK};

/// libpq variables ferry reads, with the keyword each one sets.
/// Every connection variable libpq reads is here, so none is silently ignored: those
/// ferry cannot honour fail by name (see [`UNSUPPORTED_LIBPQ`]). `PGPASSFILE`,
/// `PGSERVICEFILE` and `PGSYSCONFDIR` are locations, read where the files are.
const PG_VARS: [(&str, &str); 36] = [
    ("PGHOST", "host"),
    ("PGPORT", "port"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGDATABASE", "dbname"),
    ("PGSSLMODE", "sslmode"),
    ("PGSSLROOTCERT", "sslrootcert"),
    ("PGSSLCERT", "sslcert"),
    ("PGSSLKEY", "sslkey"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGAPPNAME", "application_name"),
    ("PGOPTIONS", "options"),
    ("PGSERVICE", "service"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
    ("PGCHANNELBINDING", "channel_binding"),
    ("PGCLIENTENCODING", "client_encoding"),
    ("PGREQUIRESSL", "requiressl"),
    ("PGSSLNEGOTIATION", "sslnegotiation"),
    ("PGSSLCOMPRESSION", "sslcompression"),
    ("PGSSLCERTMODE", "sslcertmode"),
    ("PGSSLCRL", "sslcrl"),
    ("PGSSLCRLDIR", "sslcrldir"),
    ("PGSSLSNI", "sslsni"),
    ("PGREQUIREPEER", "requirepeer"),
    ("PGSSLMINPROTOCOLVERSION", "ssl_min_protocol_version"),
    ("PGSSLMAXPROTOCOLVERSION", "ssl_max_protocol_version"),
    ("PGGSSENCMODE", "gssencmode"),
    ("PGKRBSRVNAME", "krbsrvname"),
    ("PGGSSLIB", "gsslib"),
    ("PGGSSDELEGATION", "gssdelegation"),
    ("PGMINPROTOCOLVERSION", "min_protocol_version"),
    ("PGMAXPROTOCOLVERSION", "max_protocol_version"),
    ("PGREQUIREAUTH", "require_auth"),
    ("PGSSLKEYLOGFILE", "sslkeylogfile"),
];

/// The `.env`-style variables, with the keyword each one sets.
const DB_VARS: [(&str, &str); 5] = [
    ("DB_HOST", "host"),
    ("DB_PORT", "port"),
    ("DB_NAME", "dbname"),
    ("DB_USER", "user"),
    ("DB_PASSWORD", "password"),
];

/// libpq parameters ferry knows but cannot honour. Naming them as such is
/// kinder than calling a real libpq option "unknown".
const UNSUPPORTED_LIBPQ: [&str; 22] = [
    "require_auth",
    "sslcertmode",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslnegotiation",
    "sslcompression",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "requirepeer",
    "gssencmode",
    "gsslib",
    "gssdelegation",
    "krbsrvname",
    "replication",
    "min_protocol_version",
    "max_protocol_version",
    "sslkeylogfile",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
];

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

    fn parse_value(value: &str) -> Result<SslMode, String> {
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

    /// Resolve the settings in the order described in the module docs.
    ///
    /// `url_flag` is the `--database-url` value (a URL or a libpq keyword
    /// string). `env` looks up a variable; besides `DATABASE_URL`, the `PG*`
    /// and the `DB_*` variables it is asked for `USER` (then `USERNAME`),
    /// libpq's default user, and for `PGPASSFILE` and `HOME` to find the
    /// password file when the source gives no password. The default host
    /// probes `/var/run/postgresql` and `/tmp` for `.s.PGSQL.<port>`.
    ///
    /// Errors start with the source they came from (`DATABASE_URL: invalid
    /// sslmode …`) and never contain the password.
    pub fn resolve(
        url_flag: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<ConnParams> {
        resolve_with(url_flag, env, &|path: &Path| path.exists())
    }

    /// Parse one URL or keyword string with machine-independent defaults:
    /// host `localhost` (no socket probe), port 5432, user `postgres`,
    /// dbname = user. No environment is read. `source` is set to
    /// [`Source::Flag`]; overwrite it if the text came from elsewhere.
    pub fn parse(url_or_keywords: &str) -> anyhow::Result<ConnParams> {
        let defaults = Defaults {
            user: FALLBACK_USER.to_string(),
            home: None,
            socket_exists: &|_: &Path| false,
        };
        parse_partial(url_or_keywords)
            .and_then(|partial| finish(partial, Source::Flag, &defaults))
            .map_err(|e| anyhow!(redact(&e, None)))
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

pub fn attrs_str(attrs: TargetSessionAttrs) -> &'static str {
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

/// What fills the gaps once a source has said all it has to say.
struct Defaults<'a> {
    user: String,
    /// Where libpq's per-user files are (`~/.postgresql/`), when known.
    home: Option<PathBuf>,
    /// Whether a path exists: a server's socket, a default certificate.
    socket_exists: &'a dyn Fn(&Path) -> bool,
}

fn resolve_with(
    url_flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    socket_exists: &dyn Fn(&Path) -> bool,
) -> anyhow::Result<ConnParams> {
    let mut params = resolve_source(url_flag, env, socket_exists)?;
    if params.password.is_none() {
        use_passfile(&mut params, env);
    }
    Ok(params)
}

/// Fill in the password from the password file, as libpq does when the
/// settings have none.
fn use_passfile(params: &mut ConnParams, env: &dyn Fn(&str) -> Option<String>) {
    let Some(path) = pgpass::location(env) else {
        return;
    };
    let key = pgpass::Key {
        host: &params.host,
        port: params.port,
        dbname: &params.dbname,
        user: &params.user,
    };
    match pgpass::lookup(&path, &key) {
        pgpass::Lookup::Found(password) => {
            params.password = Some(password);
            params.password_from_passfile = true;
        }
        pgpass::Lookup::NotFound => {}
        pgpass::Lookup::Ignored(warning) => params.warnings.push(warning),
    }
    params.passfile = Some(path);
}

/// The settings of the first source present (see the module docs), before
/// the password file.
fn resolve_source(
    url_flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    socket_exists: &dyn Fn(&Path) -> bool,
) -> anyhow::Result<ConnParams> {
    let get = |name: &str| env(name).filter(|v| !v.is_empty());
    let defaults = Defaults {
        user: get("USER")
            .or_else(|| get("USERNAME"))
            .unwrap_or_else(|| FALLBACK_USER.to_string()),
        home: get("HOME").map(PathBuf::from),
        socket_exists,
    };
    let set_vars = |vars: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
        vars.iter()
            .copied()
            .filter(|(var, _)| get(var).is_some())
            .collect()
    };
    let pg_set = set_vars(&PG_VARS);
    let db_set = set_vars(&DB_VARS);
    let fail = |label: &str, e: String| anyhow!("{label}: {}", redact(&e, None));

    let url = match url_flag {
        Some(flag) if flag.trim().is_empty() => {
            return Err(anyhow!(
                "--database-url is empty: give a postgres:// URL or key=value settings"
            ))
        }
        Some(flag) => Some((flag.to_string(), Source::Flag)),
        None => get("DATABASE_URL").map(|url| (url, Source::DatabaseUrlEnv)),
    };
    if let Some((url, source)) = url {
        let label = source.to_string();
        let mut partial = parse_partial(&url)
            .and_then(|p| p.with_service(env, false))
            .map_err(|e| fail(&label, e))?;
        let shadowed: Vec<_> = pg_set.iter().chain(&db_set).map(|(var, _)| *var).collect();
        if let Some(note) = shadowed_note(&shadowed, &label) {
            partial.notes.push(note);
        }
        return finish(partial, source, &defaults).map_err(|e| fail(&label, e));
    }

    for (vars, source, shadowed) in [
        (&pg_set, Source::PgEnv, db_set.as_slice()),
        (&db_set, Source::DbEnv, &[][..]),
    ] {
        if vars.is_empty() {
            continue;
        }
        let mut partial = Partial::default();
        for (var, key) in vars {
            let value = get(var).unwrap_or_default();
            partial.set(key, &value).map_err(|e| fail(var, e))?;
        }
        let mut partial = partial
            .with_service(env, true)
            .map_err(|e| fail("PGSERVICE", e))?;
        let shadowed: Vec<_> = shadowed.iter().map(|(var, _)| *var).collect();
        if let Some(note) = shadowed_note(&shadowed, &source.to_string()) {
            partial.notes.push(note);
        }
        return finish(partial, source, &defaults).map_err(|e| fail(&source.to_string(), e));
    }

    finish(Partial::default(), Source::Defaults, &defaults)
        .map_err(|e| fail(&Source::Defaults.to_string(), e))
}

fn shadowed_note(vars: &[&str], winner: &str) -> Option<String> {
    if vars.is_empty() {
        return None;
    }
    let verb = if vars.len() == 1 { "is" } else { "are" };
    Some(format!(
        "{} {verb} set but ignored in favour of {winner} (sources are not mixed)",
        vars.join(", ")
    ))
}

/// How `x-migrations-table-quoted` was given.
enum QuotedTable {
    /// golang-migrate's boolean: whether `x-migrations-table` is quoted.
    Flag(bool),
    /// The quoted name itself, e.g. `"schema"."table"`.
    Name(String),
}

/// What fetches a password at each connection (see [`ConnParams::password_command`]).
#[derive(Clone)]
pub enum PasswordSource {
    Command(String),
    Provider(std::sync::Arc<dyn Fn() -> Result<String, String> + Send + Sync>),
}

/// Settings as given by one source, before defaults. Every field is
/// optional so "not given" and "given" stay distinguishable until the end.
#[derive(Default)]
struct Partial {
    /// libpq's host list (one host, usually); a port list of one applies to all.
    host: Option<Vec<String>>,
    port: Option<Vec<Option<u16>>>,
    user: Option<String>,
    password: Option<String>,
    dbname: Option<String>,
    sslmode: Option<SslMode>,
    sslrootcert: Option<Option<PathBuf>>,
    sslcert: Option<PathBuf>,
    sslkey: Option<PathBuf>,
    sslpassword: Option<String>,
    hostaddr: Option<std::net::IpAddr>,
    keepalives_idle: Option<Duration>,
    keepalives_interval: Option<Duration>,
    keepalives_count: Option<u32>,
    tcp_user_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    application_name: Option<String>,
    fallback_application_name: Option<String>,
    options: Option<String>,
    keepalives: Option<bool>,
    target_session_attrs: Option<TargetSessionAttrs>,
    load_balance_hosts: Option<bool>,
    channel_binding: Option<ChannelBinding>,
    migrations_table: Option<String>,
    migrations_table_quoted: Option<QuotedTable>,
    statement_timeout_ms: Option<u64>,
    /// `service=`: a section of the service file, applied by [`Partial::with_service`].
    service: Option<String>,
    notes: Vec<String>,
}

/// Apply `parse` to a non-empty value; an empty value means "not given",
/// as in libpq.
fn nonempty<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if value.is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

fn text(value: &str) -> Result<String, String> {
    Ok(value.to_string())
}

impl Partial {
    /// Apply one libpq keyword (or `x-` parameter). Error messages may
    /// quote the value, so callers must never route a password through a
    /// key whose parser can fail.
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "host" => self.host = nonempty(value, host_list)?,
            "port" => self.port = nonempty(value, port_list)?,
            "user" => self.user = nonempty(value, text)?,
            "password" => self.password = nonempty(value, text)?,
            "dbname" => self.dbname = nonempty(value, text)?,
            "sslmode" => self.sslmode = nonempty(value, SslMode::parse_value)?,
            "sslrootcert" => {
                self.sslrootcert = nonempty(value, |v| {
                    // libpq 16's "use the system store" spelling.
                    Ok((v != "system").then(|| PathBuf::from(v)))
                })?
            }
            "sslcert" => self.sslcert = nonempty(value, |v| Ok(PathBuf::from(v)))?,
            "sslkey" => self.sslkey = nonempty(value, |v| Ok(PathBuf::from(v)))?,
            "sslpassword" => self.sslpassword = nonempty(value, text)?,
            "hostaddr" => self.hostaddr = nonempty(value, parse_hostaddr)?,
            "keepalives_idle" => {
                self.keepalives_idle = nonempty(value, |v| parse_seconds(key, v))?.flatten()
            }
            "keepalives_interval" => {
                self.keepalives_interval = nonempty(value, |v| parse_seconds(key, v))?.flatten()
            }
            "keepalives_count" => self.keepalives_count = nonempty(value, parse_count)?.flatten(),
            "tcp_user_timeout" => {
                self.tcp_user_timeout = nonempty(value, parse_tcp_user_timeout)?.flatten()
            }
            "connect_timeout" => self.connect_timeout = nonempty(value, parse_connect_timeout)?,
            "application_name" => self.application_name = nonempty(value, text)?,
            "fallback_application_name" => {
                self.fallback_application_name = nonempty(value, text)?
            }
            "options" => self.options = nonempty(value, text)?,
            "service" => self.service = nonempty(value, text)?,
            "keepalives" => self.keepalives = nonempty(value, parse_keepalives)?,
            "target_session_attrs" => {
                self.target_session_attrs = nonempty(value, parse_target_session_attrs)?
            }
            "channel_binding" => self.channel_binding = nonempty(value, parse_channel_binding)?,
            "load_balance_hosts" => {
                self.load_balance_hosts = nonempty(value, |v| match v {
                    "disable" => Ok(false),
                    "random" => Ok(true),
                    _ => Err(format!(
                        "invalid load_balance_hosts `{v}`: expected disable or random"
                    )),
                })?
            }
            // Values that ask for what ferry does anyway are accepted; any other is
            // refused below with the parameter's name.
            "gssencmode" if matches!(value, "" | "disable" | "prefer") => {}
            "sslnegotiation" if matches!(value, "" | "postgres") => {}
            "sslcompression" if matches!(value, "" | "0") => {}
            "sslsni" if matches!(value, "" | "1") => {}
            "requiressl" => match value {
                "" | "0" => {}
                "1" if self.sslmode.is_none() => self.sslmode = Some(SslMode::Require),
                "1" => {}
                _ => return Err(format!("invalid requiressl `{value}`: expected 0 or 1 (or use sslmode)")),
            },
            "client_encoding" => {
                // The driver always speaks UTF8; accept the settings that
                // agree with it rather than failing on harmless URLs.
                let v = value.to_ascii_lowercase();
                if !matches!(v.as_str(), "" | "utf8" | "utf-8" | "unicode" | "auto") {
                    return Err(format!(
                        "client_encoding `{value}` is not supported: ferry always uses UTF8"
                    ));
                }
            }
            "x-migrations-table" => self.migrations_table = nonempty(value, text)?,
            "x-migrations-table-quoted" => {
                self.migrations_table_quoted = nonempty(value, parse_quoted_option)?
            }
            "x-statement-timeout" => {
                self.statement_timeout_ms = nonempty(value, parse_statement_timeout)?.flatten()
            }
            "x-multi-statement" | "x-multi-statement-max-size" => {
                self.note(format!("{key} is ignored: ferry splits statements itself"))
            }
            _ if key.starts_with("x-") => {
                self.note(format!("{key} is not a ferry setting and was ignored"))
            }
            "passfile" => {
                return Err(
                    "connection parameter `passfile` is not supported by ferry: set PGPASSFILE to the password file instead".to_string(),
                )
            }
            _ if UNSUPPORTED_LIBPQ.contains(&key) => {
                return Err(format!(
                    "connection parameter `{key}` is not supported by ferry"
                ))
            }
            _ => {
                return Err(format!(
                    "unknown connection parameter `{key}` (to change a server setting, use options=-c {key}=…)"
                ))
            }
        }
        Ok(())
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// What `under` says, where this says nothing: each unset setting taken from it.
    fn over(mut self, under: Partial) -> Partial {
        macro_rules! fill {
            ($($field:ident),*) => { $( if self.$field.is_none() { self.$field = under.$field; } )* };
        }
        fill!(
            host,
            port,
            user,
            password,
            dbname,
            sslmode,
            sslrootcert,
            sslcert,
            sslkey,
            sslpassword,
            hostaddr,
            keepalives_idle,
            keepalives_interval,
            keepalives_count,
            tcp_user_timeout,
            connect_timeout,
            application_name,
            fallback_application_name,
            options,
            keepalives,
            target_session_attrs,
            load_balance_hosts,
            channel_binding,
            migrations_table,
            migrations_table_quoted,
            statement_timeout_ms,
            service
        );
        for note in under.notes {
            self.note(note);
        }
        self
    }

    /// With the service named (`service=`), its settings from the service file fill
    /// what these leave unset (`env` finds the files); as they are without one. As in
    /// libpq the file is below a connection string's own settings but above the `PG*`
    /// variables (`file_wins`).
    fn with_service(
        self,
        env: &dyn Fn(&str) -> Option<String>,
        file_wins: bool,
    ) -> Result<Partial, String> {
        let Some(name) = self.service.clone() else {
            return Ok(self);
        };
        let (file, settings) = super::service::find(&name, &super::service::locations(env))?;
        let mut from_file = Partial::default();
        for (key, value) in &settings {
            from_file
                .set(key, value)
                .map_err(|e| format!("in service `{name}` of {}: {e}", file.display()))?;
        }
        Ok(if file_wins {
            from_file.over(self)
        } else {
            self.over(from_file)
        })
    }
}

/// `host=a,b`: tried in order (with `target_session_attrs`, until one fits).
fn host_list(value: &str) -> Result<Vec<String>, String> {
    let hosts: Vec<String> = value.split(',').map(|h| h.trim().to_string()).collect();
    if hosts.len() > 1 && hosts.iter().any(String::is_empty) {
        return Err(format!(
            "empty host in the list `{value}`: name every host, separated by commas"
        ));
    }
    Ok(hosts)
}

/// `port=5432` (for every host) or `port=5432,5433` (one per host; an empty
/// one is the default).
fn port_list(value: &str) -> Result<Vec<Option<u16>>, String> {
    value
        .split(',')
        .map(|p| nonempty(p.trim(), parse_port))
        .collect()
}

fn parse_port(value: &str) -> Result<u16, String> {
    match value.trim().parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(format!(
            "invalid port `{value}`: expected a number from 1 to 65535"
        )),
    }
}

fn parse_connect_timeout(value: &str) -> Result<Duration, String> {
    let secs = value.trim().parse::<i64>().map_err(|_| {
        format!("invalid connect_timeout `{value}`: expected whole seconds (0 waits forever)")
    })?;
    // libpq: zero or negative means no timeout.
    Ok(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

fn parse_hostaddr(value: &str) -> Result<std::net::IpAddr, String> {
    if value.contains(',') {
        return Err(format!(
            "several hostaddr given ({value}): ferry takes one, with one host; list the hosts in host instead"
        ));
    }
    value.trim().parse().map_err(|_| {
        format!("invalid hostaddr `{value}`: expected a numeric IPv4 or IPv6 address (a name goes in host)")
    })
}

/// Whole seconds, as libpq's `keepalives_idle` and `keepalives_interval`; 0 is the
/// system's default (`None`), as in libpq.
fn parse_seconds(key: &str, value: &str) -> Result<Option<Duration>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|secs| (secs != 0).then(|| Duration::from_secs(secs)))
        .map_err(|_| format!("invalid {key} `{value}`: expected whole seconds"))
}

/// `keepalives_count`; 0 is the system's default (`None`).
fn parse_count(value: &str) -> Result<Option<u32>, String> {
    value
        .trim()
        .parse::<u32>()
        .map(|n| (n != 0).then_some(n))
        .map_err(|_| format!("invalid keepalives_count `{value}`: expected a whole number"))
}

/// Milliseconds, as libpq's `tcp_user_timeout`; 0 is the system's default (`None`).
/// (The driver's own parser reads seconds here; libpq's unit is the one users copy.)
fn parse_tcp_user_timeout(value: &str) -> Result<Option<Duration>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|ms| (ms != 0).then(|| Duration::from_millis(ms)))
        .map_err(|_| format!("invalid tcp_user_timeout `{value}`: expected milliseconds"))
}

fn parse_keepalives(value: &str) -> Result<bool, String> {
    value
        .trim()
        .parse::<i64>()
        .map(|n| n != 0)
        .map_err(|_| format!("invalid keepalives `{value}`: expected 1 or 0"))
}

fn parse_target_session_attrs(value: &str) -> Result<TargetSessionAttrs, String> {
    match value {
        "any" => Ok(TargetSessionAttrs::Any),
        "read-write" => Ok(TargetSessionAttrs::ReadWrite),
        "read-only" => Ok(TargetSessionAttrs::ReadOnly),
        _ => Err(format!(
            "invalid or unsupported target_session_attrs `{value}`: expected any, read-write or read-only"
        )),
    }
}

fn parse_channel_binding(value: &str) -> Result<ChannelBinding, String> {
    match value {
        "disable" => Ok(ChannelBinding::Disable),
        "prefer" => Ok(ChannelBinding::Prefer),
        "require" => Ok(ChannelBinding::Require),
        _ => Err(format!(
            "invalid channel_binding `{value}`: expected disable, prefer or require"
        )),
    }
}

/// Go's `strconv.ParseBool`, which golang-migrate uses for its flags.
fn parse_go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn parse_quoted_option(value: &str) -> Result<QuotedTable, String> {
    if let Some(flag) = parse_go_bool(value) {
        return Ok(QuotedTable::Flag(flag));
    }
    if value.starts_with('"') {
        return Ok(QuotedTable::Name(value.to_string()));
    }
    Err(format!(
        "invalid x-migrations-table-quoted `{value}`: expected true/false (golang-migrate) or a quoted name like \"schema\".\"table\""
    ))
}

fn parse_statement_timeout(value: &str) -> Result<Option<u64>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|ms| (ms != 0).then_some(ms))
        .map_err(|_| format!("invalid x-statement-timeout `{value}`: expected milliseconds"))
}

/// `"table"` or `"schema"."table"`, with `""` standing for a quote inside a
/// name, into `(schema, table)`.
fn parse_quoted_table(value: &str) -> Result<(Option<String>, String), String> {
    let bad = || {
        format!(
            "invalid quoted migrations table `{value}`: expected \"table\" or \"schema\".\"table\""
        )
    };
    let mut parts = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        if chars.next() != Some('"') {
            return Err(bad());
        }
        let mut ident = String::new();
        loop {
            match chars.next() {
                Some('"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    ident.push('"');
                }
                Some('"') => break,
                Some(c) => ident.push(c),
                None => return Err(bad()),
            }
        }
        if ident.is_empty() {
            return Err(bad());
        }
        parts.push(ident);
        match chars.next() {
            None => break,
            Some('.') => continue,
            Some(_) => return Err(bad()),
        }
    }
    let mut parts = parts.into_iter();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(table), None, None) => Ok((None, table)),
        (Some(schema), Some(table), None) => Ok((Some(schema), table)),
        _ => Err(bad()),
    }
}

/// Split a URL or keyword string into the settings it gives.
fn parse_partial(input: &str) -> Result<Partial, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("the connection string is empty".to_string());
    }
    // libpq passes every value as a C string: a NUL would silently cut it short.
    if s.contains('\0') {
        return Err("the connection string contains a NUL character; remove it".to_string());
    }
    if let Some(idx) = s.find("://") {
        let scheme = &s[..idx];
        let looks_like_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if looks_like_scheme {
            if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
            {
                return parse_url(&s[idx + 3..]);
            }
            return Err(format!(
                "unsupported URL scheme `{scheme}`: expected postgres:// or postgresql://"
            ));
        }
    }
    if s.contains('=') {
        return parse_keywords(s);
    }
    Err(
        "not a connection string: expected a postgres:// URL or libpq key=value settings"
            .to_string(),
    )
}

fn decode(part: &str, what: &str) -> Result<String, String> {
    percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("the URL's {what} is not valid UTF-8 after percent-decoding"))
}

/// `[user[:password]@][host][:port][/dbname][?key=value&…]`, after the
/// scheme. The userinfo ends at the last `@` before the query, so a password
/// with an unencoded `@`, `:` or `/` still parses; a `?` in a password must
/// be written `%3F`. Unlike Go, `+` is not a space (libpq does not decode
/// it either).
fn parse_url(rest: &str) -> Result<Partial, String> {
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    // An '@' after the '?' may mean the userinfo itself contained a '?'
    // and was cut in two. Then any piece of the URL could be a piece of the
    // password, so errors must not quote anything.
    let ambiguous = query.is_some_and(|q| q.contains('@'));
    parse_url_parts(before_query, query).map_err(|e| {
        if ambiguous {
            "could not parse the URL; if the user name or password contains special characters such as @ : / ? percent-encode them (? is %3F, @ is %40)".to_string()
        } else {
            e
        }
    })
}

fn parse_url_parts(before_query: &str, query: Option<&str>) -> Result<Partial, String> {
    let mut p = Partial::default();
    let (userinfo, host_path) = match before_query.rfind('@') {
        Some(at) => (Some(&before_query[..at]), &before_query[at + 1..]),
        None => (None, before_query),
    };
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user, Some(password)),
            None => (userinfo, None),
        };
        p.user = nonempty(&decode(user, "user name")?, text)?;
        if let Some(password) = password {
            p.password = nonempty(&decode(password, "password")?, text)?;
        }
    }
    let (hostspec, path) = match host_path.split_once('/') {
        Some((hostspec, path)) => (hostspec, Some(path)),
        None => (host_path, None),
    };
    parse_hostspec(hostspec, &mut p)?;
    if let Some(path) = path {
        p.dbname = nonempty(&decode(path, "database name")?, text)?;
    }
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
    {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!(
                "URL parameter `{}` has no value (expected key=value)",
                decode(pair, "parameter")?
            ));
        };
        let key = decode(key, "parameter name")?;
        let value = decode(value, "parameter value")?;
        p.set(&key, &value)?;
    }
    Ok(p)
}

/// `host[:port][,host[:port]…]`, libpq's URL host list. Commas cannot occur
/// inside an IPv6 literal, so each one separates two hosts.
fn parse_hostspec(hostspec: &str, p: &mut Partial) -> Result<(), String> {
    if !hostspec.contains(',') {
        let (host, port) = one_hostspec(hostspec)?;
        p.host = host.map(|h| vec![h]);
        p.port = port.map(|port| vec![Some(port)]);
        return Ok(());
    }
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for spec in hostspec.split(',') {
        let (host, port) = one_hostspec(spec)?;
        hosts.push(host.ok_or_else(|| {
            format!("empty host in the URL's host list `{hostspec}`: name every host")
        })?);
        ports.push(port);
    }
    p.host = Some(hosts);
    p.port = ports.iter().any(Option::is_some).then_some(ports);
    Ok(())
}

/// One `host[:port]` of a URL (either may be empty).
fn one_hostspec(hostspec: &str) -> Result<(Option<String>, Option<u16>), String> {
    let (host, port) = if let Some(inner) = hostspec.strip_prefix('[') {
        let (ip, after) = inner
            .split_once(']')
            .ok_or_else(|| format!("unterminated IPv6 address `{hostspec}` in the URL"))?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(|| {
                format!("unexpected `{after}` after the IPv6 address in the URL")
            })?),
        };
        (ip, port)
    } else {
        match hostspec.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostspec, None),
        }
    };
    let host = nonempty(&decode(host, "host")?, text)?;
    let port = match port {
        // Not echoed: in a URL missing its `@`, what stands after `user:` is the password.
        Some(port) => nonempty(port, parse_port).map_err(|_| {
            "the URL's port (after the host and `:`) is not a number from 1 to 65535; if that \
             was `user:password`, it goes before an `@` (user:password@host)"
                .to_string()
        })?,
        None => None,
    };
    Ok((host, port))
}

/// libpq's `key=value …` form. Values are unquoted (ending at whitespace,
/// `\` escaping the next character) or single-quoted (`\'`, `\\`, and, as an
/// extension libpq rejects anyway, SQL-style `''`).
fn parse_keywords(s: &str) -> Result<Partial, String> {
    let mut p = Partial::default();
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let skip_ws = |mut i: usize| {
        while i < n && chars[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = 0;
    let mut after_password = false;
    loop {
        i = skip_ws(i);
        if i >= n {
            break;
        }
        let start = i;
        while i < n && chars[i] != '=' && !chars[i].is_whitespace() {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        i = skip_ws(i);
        if i >= n || chars[i] != '=' {
            // Text right after a password value is likely the rest of an
            // unquoted password with a space in it: do not quote it.
            return Err(if after_password {
                "malformed connection string after the password value (put a password containing spaces in single quotes)".to_string()
            } else {
                format!("missing `=` after `{key}` in the connection string")
            });
        }
        i = skip_ws(i + 1);
        let mut value = String::new();
        if i < n && chars[i] == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(format!(
                            "unterminated quoted value for `{key}` in the connection string"
                        ))
                    }
                    Some('\\') => {
                        if let Some(&c) = chars.get(i + 1) {
                            value.push(c);
                        }
                        i += 2;
                    }
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        value.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < n && !chars[i].is_whitespace() {
                if chars[i] == '\\' {
                    i += 1;
                    if i >= n {
                        break;
                    }
                }
                value.push(chars[i]);
                i += 1;
            }
        }
        p.set(&key, &value)?;
        after_password = key == "password";
    }
    Ok(p)
}

/// Fill what the source left open and check what only makes sense whole.
fn finish(mut p: Partial, source: Source, d: &Defaults) -> Result<ConnParams, String> {
    // `migrations_table` stays the verbatim text in every case, so a caller
    // that only reads it still sees the quoted form; the parsed pair is
    // added whenever the name was given quoted.
    let (migrations_table, migrations_table_quoted) = match (
        p.migrations_table.take(),
        p.migrations_table_quoted.take(),
    ) {
        (table, None) | (table, Some(QuotedTable::Flag(false))) => (table, None),
        (Some(table), Some(QuotedTable::Flag(true))) => {
            if !(table.starts_with('"') && table.ends_with('"')) {
                return Err(format!(
                        "x-migrations-table must be quoted (like \"schema\".\"table\") when x-migrations-table-quoted is true, got `{table}`"
                    ));
            }
            let parsed = parse_quoted_table(&table)?;
            (Some(table), Some(parsed))
        }
        (None, Some(QuotedTable::Flag(true))) => {
            p.note("x-migrations-table-quoted has no effect without x-migrations-table".into());
            (None, None)
        }
        (None, Some(QuotedTable::Name(name))) => {
            let parsed = parse_quoted_table(&name)?;
            (Some(name), Some(parsed))
        }
        (Some(_), Some(QuotedTable::Name(_))) => {
            return Err(
                "x-migrations-table and x-migrations-table-quoted both name a table; give one"
                    .to_string(),
            )
        }
    };

    let sslmode = p.sslmode.unwrap_or(SslMode::Prefer);
    // libpq's per-user files, used when present and not named otherwise.
    let dot = |name: &str| {
        d.home
            .as_ref()
            .map(|home| home.join(".postgresql").join(name))
    };
    let verifies = matches!(sslmode, SslMode::VerifyCa | SslMode::VerifyFull);
    let sslrootcert = match p.sslrootcert.take() {
        Some(given) => given,
        None if verifies => dot("root.crt").filter(|f| (d.socket_exists)(f)),
        None => None,
    };
    let sslcert = p
        .sslcert
        .take()
        .or_else(|| dot("postgresql.crt").filter(|f| (d.socket_exists)(f)));
    let sslkey = match (&sslcert, p.sslkey.take()) {
        (_, Some(key)) => Some(key),
        (Some(_), None) => dot("postgresql.key"),
        (None, None) => None,
    };
    if sslcert.is_none() && sslkey.is_some() {
        return Err("sslkey given without sslcert: give the client certificate too".to_string());
    }
    if sslcert.is_some() && sslkey.is_none() {
        return Err(
            "sslcert given without sslkey, and HOME is not set to find ~/.postgresql/postgresql.key: give sslkey"
                .to_string(),
        );
    }
    if sslrootcert.is_some() && matches!(sslmode, SslMode::Disable | SslMode::Prefer) {
        p.note(format!(
            "sslrootcert is not used with sslmode={sslmode}; use require, verify-ca or verify-full to check the server"
        ));
    }

    let ports = p.port.take().unwrap_or_default();
    let hosts = p.host.take();
    let count = hosts.as_ref().map_or(1, Vec::len);
    if ports.len() > 1 && ports.len() != count {
        return Err(format!(
            "{count} hosts but {} ports given: give one port for all of them, or one per host",
            ports.len()
        ));
    }
    let port_of = |i: usize| {
        ports
            .get(if ports.len() == 1 { 0 } else { i })
            .copied()
            .flatten()
            .unwrap_or(DEFAULT_PORT)
    };
    let port = port_of(0);
    let mut hosts = hosts.unwrap_or_default().into_iter();
    let host = hosts
        .next()
        .unwrap_or_else(|| default_host(port, d.socket_exists));
    let alternates: Vec<(String, u16)> = hosts
        .enumerate()
        .map(|(i, h)| (h, port_of(i + 1)))
        .collect();
    if !alternates.is_empty() && p.hostaddr.is_some() {
        return Err("hostaddr with several hosts: ferry takes hostaddr for a single host only; list the servers in host".to_string());
    }
    if host.starts_with('/') && !matches!(sslmode, SslMode::Disable | SslMode::Prefer) {
        p.note(format!(
            "sslmode={sslmode} does not apply to the Unix socket {host}: socket connections are local and never use TLS (as in libpq)"
        ));
    }
    let user = p.user.unwrap_or_else(|| d.user.clone());
    let dbname = p.dbname.unwrap_or_else(|| user.clone());
    Ok(ConnParams {
        host,
        port,
        user,
        password: p.password,
        dbname,
        sslmode,
        alternates,
        sslrootcert,
        sslcert,
        sslkey,
        sslpassword: p.sslpassword,
        hostaddr: p.hostaddr,
        keepalives_idle: p.keepalives_idle,
        keepalives_interval: p.keepalives_interval,
        keepalives_count: p.keepalives_count,
        tcp_user_timeout: p.tcp_user_timeout,
        connect_timeout: p.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        application_name: p
            .application_name
            .or(p.fallback_application_name)
            .unwrap_or_else(|| DEFAULT_APPLICATION_NAME.to_string()),
        options: p.options,
        keepalives: p.keepalives,
        target_session_attrs: p.target_session_attrs,
        load_balance_hosts: p.load_balance_hosts.unwrap_or(false),
        channel_binding: p.channel_binding,
        migrations_table,
        migrations_table_quoted,
        statement_timeout_ms: p.statement_timeout_ms,
        password_command: None,
        passfile: None,
        password_from_passfile: false,
        notes: p.notes,
        warnings: Vec::new(),
        source,
    })
}

/// libpq's default host: the first socket directory holding this port's
/// socket, else `localhost`.
fn default_host(port: u16, socket_exists: &dyn Fn(&Path) -> bool) -> String {
    SOCKET_DIRS
        .iter()
        .find(|dir| socket_exists(&Path::new(dir).join(format!(".s.PGSQL.{port}"))))
        .map_or_else(|| "localhost".to_string(), |dir| dir.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
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
