//! Where the settings come from, decided once: the flag, `DATABASE_URL`, libpq's `PG*`
//! variables (a service's settings first), the `DB_*` variables, libpq's defaults — the
//! first source present supplies every setting it has; the password file fills in a
//! password none gave (see [`super::params`] for the whole rule).

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use super::defaults::{
    DEFAULT_APPLICATION_NAME, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PORT, FALLBACK_USER, SOCKET_DIRS,
};
use super::pgpass;
use super::redact::redact;
use crate::conn::params::{Source, SslMode};
use crate::conn::syntax::{parse_partial, parse_quoted_table, Partial, QuotedTable};
use crate::internals::ConnParams;

/// libpq variables ferry reads, with the keyword each one sets.
/// Every connection variable libpq reads is here, so none is silently ignored: those
/// ferry cannot honour fail by name (see `syntax::UNSUPPORTED_LIBPQ`). `PGPASSFILE`,
/// `PGSERVICEFILE` and `PGSYSCONFDIR` are locations, read where the files are.
pub(crate) const PG_VARS: [(&str, &str); 36] = [
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
pub(crate) const DB_VARS: [(&str, &str); 5] = [
    ("DB_HOST", "host"),
    ("DB_PORT", "port"),
    ("DB_NAME", "dbname"),
    ("DB_USER", "user"),
    ("DB_PASSWORD", "password"),
];

/// What fills the gaps once a source has said all it has to say.
pub(crate) struct Defaults<'a> {
    pub(crate) user: String,
    /// Where libpq's per-user files are (`~/.postgresql/`), when known.
    pub(crate) home: Option<PathBuf>,
    /// Whether a path exists: a server's socket, a default certificate.
    pub(crate) socket_exists: &'a dyn Fn(&Path) -> bool,
}

pub(crate) fn resolve_with(
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
pub(crate) fn use_passfile(params: &mut ConnParams, env: &dyn Fn(&str) -> Option<String>) {
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
pub(crate) fn resolve_source(
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

pub(crate) fn shadowed_note(vars: &[&str], winner: &str) -> Option<String> {
    if vars.is_empty() {
        return None;
    }
    let verb = if vars.len() == 1 { "is" } else { "are" };
    Some(format!(
        "{} {verb} set but ignored in favour of {winner} (sources are not mixed)",
        vars.join(", ")
    ))
}

/// Fill what the source left open and check what only makes sense whole.
pub(crate) fn finish(mut p: Partial, source: Source, d: &Defaults) -> Result<ConnParams, String> {
    let (migrations_table, migrations_table_quoted) = finish_table(&mut p)?;
    let Tls {
        sslmode,
        sslrootcert,
        sslcert,
        sslkey,
    } = finish_tls(&mut p, d)?;
    let (host, port, alternates) = finish_hosts(&mut p, d, sslmode)?;
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

/// A quoted migrations table, parsed: (schema, table).
type QuotedName = (Option<String>, String);

/// A server of a host list: host and port.
type Server = (String, u16);

/// The migrations table the URL names: its verbatim text (so a caller that only reads it
/// still sees the quoted form), and the parsed pair whenever it was given quoted.
fn finish_table(p: &mut Partial) -> Result<(Option<String>, Option<QuotedName>), String> {
    Ok(
        match (p.migrations_table.take(), p.migrations_table_quoted.take()) {
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
        },
    )
}

/// TLS settings: the mode, and the certificate files (libpq's per-user files when present
/// and not named otherwise), checked as a whole.
fn finish_tls(p: &mut Partial, d: &Defaults) -> Result<Tls, String> {
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

    Ok(Tls {
        sslmode,
        sslrootcert,
        sslcert,
        sslkey,
    })
}

struct Tls {
    sslmode: SslMode,
    sslrootcert: Option<PathBuf>,
    sslcert: Option<PathBuf>,
    sslkey: Option<PathBuf>,
}

/// The first server (host, port) and the others of a host list, each with its port.
fn finish_hosts(
    p: &mut Partial,
    d: &Defaults,
    sslmode: SslMode,
) -> Result<(String, u16, Vec<Server>), String> {
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
    Ok((host, port, alternates))
}

/// libpq's default host: the first socket directory holding this port's
/// socket, else `localhost`.
pub(crate) fn default_host(port: u16, socket_exists: &dyn Fn(&Path) -> bool) -> String {
    SOCKET_DIRS
        .iter()
        .find(|dir| socket_exists(&Path::new(dir).join(format!(".s.PGSQL.{port}"))))
        .map_or_else(|| "localhost".to_string(), |dir| dir.to_string())
}

impl ConnParams {
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
}
