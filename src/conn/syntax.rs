//! The two ways libpq's settings are written — a `postgres://` URL and a keyword string
//! (`host=… port=…`) — read into one [`Partial`]: the settings given, each value
//! checked as libpq checks it, nothing defaulted yet. Errors name the key and the bad
//! value, never the password.

use std::path::PathBuf;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use postgres::config::{ChannelBinding, TargetSessionAttrs};

use crate::conn::params::SslMode;

/// libpq parameters ferry knows but cannot honour. Naming them as such is
/// kinder than calling a real libpq option "unknown".
pub(crate) const UNSUPPORTED_LIBPQ: [&str; 22] = [
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
/// How `x-migrations-table-quoted` was given.
pub(crate) enum QuotedTable {
    /// golang-migrate's boolean: whether `x-migrations-table` is quoted.
    Flag(bool),
    /// The quoted name itself, e.g. `"schema"."table"`.
    Name(String),
}

/// Settings as given by one source, before defaults. Every field is
/// optional so "not given" and "given" stay distinguishable until the end.
#[derive(Default)]
pub(crate) struct Partial {
    /// libpq's host list (one host, usually); a port list of one applies to all.
    pub(crate) host: Option<Vec<String>>,
    pub(crate) port: Option<Vec<Option<u16>>>,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) dbname: Option<String>,
    pub(crate) sslmode: Option<SslMode>,
    pub(crate) sslrootcert: Option<Option<PathBuf>>,
    pub(crate) sslcert: Option<PathBuf>,
    pub(crate) sslkey: Option<PathBuf>,
    pub(crate) sslpassword: Option<String>,
    pub(crate) hostaddr: Option<std::net::IpAddr>,
    pub(crate) keepalives_idle: Option<Duration>,
    pub(crate) keepalives_interval: Option<Duration>,
    pub(crate) keepalives_count: Option<u32>,
    pub(crate) tcp_user_timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) application_name: Option<String>,
    pub(crate) fallback_application_name: Option<String>,
    pub(crate) options: Option<String>,
    pub(crate) keepalives: Option<bool>,
    pub(crate) target_session_attrs: Option<TargetSessionAttrs>,
    pub(crate) load_balance_hosts: Option<bool>,
    pub(crate) channel_binding: Option<ChannelBinding>,
    pub(crate) migrations_table: Option<String>,
    pub(crate) migrations_table_quoted: Option<QuotedTable>,
    pub(crate) statement_timeout_ms: Option<u64>,
    /// `service=`: a section of the service file, applied by [`Partial::with_service`].
    pub(crate) service: Option<String>,
    pub(crate) notes: Vec<String>,
}

/// Apply `parse` to a non-empty value; an empty value means "not given",
/// as in libpq.
pub(crate) fn nonempty<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if value.is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

pub(crate) fn text(value: &str) -> Result<String, String> {
    Ok(value.to_string())
}

impl Partial {
    /// Apply one libpq keyword (or `x-` parameter). Error messages may
    /// quote the value, so callers must never route a password through a
    /// key whose parser can fail.
    pub(crate) fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
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
            "fallback_application_name" => self.fallback_application_name = nonempty(value, text)?,
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
            _ => return self.set_other(key, value),
        }
        Ok(())
    }

    /// The keys [`set`](Self::set) leaves: settings accepted when they ask for what ferry
    /// does anyway, golang-migrate's `x-` parameters, and the refusals.
    fn set_other(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
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

    pub(crate) fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// What `under` says, where this says nothing: each unset setting taken from it.
    pub(crate) fn over(mut self, under: Partial) -> Partial {
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
    pub(crate) fn with_service(
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
pub(crate) fn host_list(value: &str) -> Result<Vec<String>, String> {
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
pub(crate) fn port_list(value: &str) -> Result<Vec<Option<u16>>, String> {
    value
        .split(',')
        .map(|p| nonempty(p.trim(), parse_port))
        .collect()
}

pub(crate) fn parse_port(value: &str) -> Result<u16, String> {
    match value.trim().parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(format!(
            "invalid port `{value}`: expected a number from 1 to 65535"
        )),
    }
}

pub(crate) fn parse_connect_timeout(value: &str) -> Result<Duration, String> {
    let secs = value.trim().parse::<i64>().map_err(|_| {
        format!("invalid connect_timeout `{value}`: expected whole seconds (0 waits forever)")
    })?;
    // libpq: zero or negative means no timeout.
    Ok(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

pub(crate) fn parse_hostaddr(value: &str) -> Result<std::net::IpAddr, String> {
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
pub(crate) fn parse_seconds(key: &str, value: &str) -> Result<Option<Duration>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|secs| (secs != 0).then(|| Duration::from_secs(secs)))
        .map_err(|_| format!("invalid {key} `{value}`: expected whole seconds"))
}

/// `keepalives_count`; 0 is the system's default (`None`).
pub(crate) fn parse_count(value: &str) -> Result<Option<u32>, String> {
    value
        .trim()
        .parse::<u32>()
        .map(|n| (n != 0).then_some(n))
        .map_err(|_| format!("invalid keepalives_count `{value}`: expected a whole number"))
}

/// Milliseconds, as libpq's `tcp_user_timeout`; 0 is the system's default (`None`).
/// (The driver's own parser reads seconds here; libpq's unit is the one users copy.)
pub(crate) fn parse_tcp_user_timeout(value: &str) -> Result<Option<Duration>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|ms| (ms != 0).then(|| Duration::from_millis(ms)))
        .map_err(|_| format!("invalid tcp_user_timeout `{value}`: expected milliseconds"))
}

pub(crate) fn parse_keepalives(value: &str) -> Result<bool, String> {
    value
        .trim()
        .parse::<i64>()
        .map(|n| n != 0)
        .map_err(|_| format!("invalid keepalives `{value}`: expected 1 or 0"))
}

pub(crate) fn parse_target_session_attrs(value: &str) -> Result<TargetSessionAttrs, String> {
    match value {
        "any" => Ok(TargetSessionAttrs::Any),
        "read-write" => Ok(TargetSessionAttrs::ReadWrite),
        "read-only" => Ok(TargetSessionAttrs::ReadOnly),
        _ => Err(format!(
            "invalid or unsupported target_session_attrs `{value}`: expected any, read-write or read-only"
        )),
    }
}

pub(crate) fn parse_channel_binding(value: &str) -> Result<ChannelBinding, String> {
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
pub(crate) fn parse_go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

pub(crate) fn parse_quoted_option(value: &str) -> Result<QuotedTable, String> {
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

pub(crate) fn parse_statement_timeout(value: &str) -> Result<Option<u64>, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|ms| (ms != 0).then_some(ms))
        .map_err(|_| format!("invalid x-statement-timeout `{value}`: expected milliseconds"))
}

/// `"table"` or `"schema"."table"`, with `""` standing for a quote inside a
/// name, into `(schema, table)`.
pub(crate) fn parse_quoted_table(value: &str) -> Result<(Option<String>, String), String> {
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
pub(crate) fn parse_partial(input: &str) -> Result<Partial, String> {
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

pub(crate) fn decode(part: &str, what: &str) -> Result<String, String> {
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
pub(crate) fn parse_url(rest: &str) -> Result<Partial, String> {
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

pub(crate) fn parse_url_parts(before_query: &str, query: Option<&str>) -> Result<Partial, String> {
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
pub(crate) fn parse_hostspec(hostspec: &str, p: &mut Partial) -> Result<(), String> {
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
pub(crate) fn one_hostspec(hostspec: &str) -> Result<(Option<String>, Option<u16>), String> {
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
pub(crate) fn parse_keywords(s: &str) -> Result<Partial, String> {
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
