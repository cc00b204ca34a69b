//! Opening the connection, and saying in one line why it could not be opened.
//!
//! This module owns the moment ferry first talks to the server. The driver's
//! errors ("error connecting to server: Connection refused (os error 111)")
//! are accurate but not actionable; here each common failure becomes a
//! sentence naming the server, the user or the database involved and the
//! next thing to try. Every message goes through
//! [`redact`](super::redact::redact()), so a password can never leak through
//! an echoed server message.
//!
//! The whole attempt (name lookup, TCP or socket connect, TLS, start-up and
//! authentication) is bounded by `connect_timeout`, as in libpq. The driver
//! only bounds the TCP connect, so a server that accepts and then never
//! answers would otherwise hang ferry forever.

use std::error::Error as _;
use std::io;
use std::net::IpAddr;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::anyhow;
use postgres::error::{DbError, SqlState};
use postgres::{Client, NoTls};

use super::params::{ConnParams, Source, SslMode};
use super::pgpass;
use super::redact::redact_showing;
use super::tls;

/// Connect with `params`, within `params.connect_timeout` (zero: no limit).
/// Errors are single-line, actionable, and never contain the password.
pub(crate) fn connect(params: &ConnParams) -> anyhow::Result<Client> {
    open(params, Hint::Wait)
}

/// [`connect`] for `ferry wait` itself, whose errors do not suggest `ferry wait`.
pub(crate) fn connect_while_waiting(params: &ConnParams) -> anyhow::Result<Client> {
    open(params, Hint::None)
}

/// [`connect`] for the async library API: a tokio-postgres client, its connection
/// driven by a task on the caller's runtime; the same TLS, bound and messages.
#[cfg(feature = "tokio")]
pub(crate) async fn connect_async(
    params: &ConnParams,
) -> anyhow::Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>)> {
    let params = &*params.with_current_password()?;
    let password = params.password.as_deref();
    let shown = params.shown_names();
    let fail = |message: String| anyhow!(redact_showing(&message, password, &shown));
    let config = params.tokio_config();
    let tls = if params.is_socket() || params.sslmode == SslMode::Disable {
        None
    } else {
        Some(tls::connector(params).map_err(|e| fail(format!("{e:#}")))?)
    };
    let attempt = async {
        match tls {
            Some(tls) => {
                let (client, connection) = config.connect(tls).await?;
                Ok((client, tokio::spawn(async move { drop(connection.await) })))
            }
            None => {
                let (client, connection) = config.connect(NoTls).await?;
                Ok((client, tokio::spawn(async move { drop(connection.await) })))
            }
        }
    };
    let result = if params.connect_timeout.is_zero() {
        attempt.await
    } else {
        let hosts = u32::try_from(1 + params.alternates.len()).unwrap_or(u32::MAX);
        match tokio::time::timeout(params.connect_timeout.saturating_mul(hosts), attempt).await {
            Ok(result) => result,
            Err(_) => return Err(fail(timeout_message(params, Hint::Wait))),
        }
    };
    result.map_err(|e: postgres::Error| fail(describe(&e, params, Hint::Wait)))
}

/// Whether an error for a server that is not (yet) there suggests `ferry wait`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    Wait,
    None,
}

impl Hint {
    /// `with` when suggesting `ferry wait`, else `without`.
    fn pick<'a>(self, with: &'a str, without: &'a str) -> &'a str {
        if self == Hint::Wait {
            with
        } else {
            without
        }
    }
}

fn open(params: &ConnParams, hint: Hint) -> anyhow::Result<Client> {
    let params = &*params.with_current_password()?;
    let password = params.password.as_deref();
    let shown = params.shown_names();
    let fail = |message: String| anyhow!(redact_showing(&message, password, &shown));
    let config = params.pg_config();
    let tls = if params.is_socket() || params.sslmode == SslMode::Disable {
        None
    } else {
        Some(tls::connector(params).map_err(|e| fail(format!("{e:#}")))?)
    };
    let attempt = move || match tls {
        Some(tls) => config.connect(tls),
        None => config.connect(NoTls),
    };
    let result = if params.connect_timeout.is_zero() {
        attempt()
    } else {
        // On timeout the thread is abandoned: it holds nothing but its own
        // socket, and it ends when the attempt does or the process exits.
        let (sender, receiver) = mpsc::channel();
        thread::Builder::new()
            .name("ferry-connect".to_string())
            .spawn(move || {
                // The receiver is gone only if we already timed out.
                let _ = sender.send(attempt());
            })
            .map_err(|e| fail(format!("could not start connecting: {e}")))?;
        // libpq's connect_timeout is for each host of a list.
        let hosts = u32::try_from(1 + params.alternates.len()).unwrap_or(u32::MAX);
        match receiver.recv_timeout(params.connect_timeout.saturating_mul(hosts)) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => return Err(fail(timeout_message(params, hint))),
            Err(RecvTimeoutError::Disconnected) => {
                return Err(fail(format!(
                    "the connection attempt to {} stopped unexpectedly",
                    params.target()
                )))
            }
        }
    };
    result.map_err(|e| fail(describe(&e, params, hint)))
}

/// Asks the server to cancel what the connection `token` belongs to is running (a
/// migration in flight when ferry is told to quit), over the same kind of connection;
/// gives up after `within`. Best effort: nothing is said when it cannot be done.
pub(crate) fn cancel(
    params: &ConnParams,
    token: &postgres::CancelToken,
    within: std::time::Duration,
) {
    let tls = if params.is_socket() || params.sslmode == SslMode::Disable {
        None
    } else {
        tls::connector(params).ok()
    };
    let token = token.clone();
    let (sender, receiver) = mpsc::channel();
    let _ = thread::Builder::new()
        .name("ferry-cancel".to_string())
        .spawn(move || {
            let _ = match tls {
                Some(tls) => token.cancel_query(tls),
                None => token.cancel_query(NoTls),
            };
            let _ = sender.send(());
        });
    let _ = receiver.recv_timeout(within);
}

/// "at host:port" or "on socket /dir/.s.PGSQL.port".
fn at(params: &ConnParams) -> String {
    if params.is_socket() {
        format!("on {}", params.target())
    } else {
        format!("at {}", params.target())
    }
}

fn seconds(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{d:?}")
    }
}

fn timeout_message(params: &ConnParams, hint: Hint) -> String {
    format!(
        "timed out after {} connecting to server {} — is the host reachable and the port right? (raise --connect-timeout for a slow network{})",
        seconds(params.connect_timeout),
        at(params),
        hint.pick("; `ferry wait` waits for a server that is starting", "")
    )
}

/// Where the password is set for this source.
fn password_home(source: Source) -> &'static str {
    match source {
        Source::Flag => "--database-url",
        Source::DatabaseUrlEnv => "DATABASE_URL",
        Source::PgEnv => "PGPASSWORD",
        Source::DbEnv => "DB_PASSWORD",
        Source::Defaults => "DATABASE_URL, PGPASSWORD or DB_PASSWORD",
    }
}

/// Where the password that was sent came from, for "check the password in
/// …": the password file when it supplied it (libpq says so too), else the
/// source.
fn password_origin(p: &ConnParams) -> String {
    match (&p.passfile, p.password_from_passfile) {
        (Some(file), true) => format!(
            "the password file {} (used because {} gives none)",
            file.display(),
            p.source
        ),
        _ => password_home(p.source).to_string(),
    }
}

/// What to do when the server wants a password and there is none: set it
/// in the source, or add a line to the password file (an example with a
/// placeholder, never a password).
fn missing_password_advice(p: &ConnParams) -> String {
    let mut advice = format!("set it in {}", password_home(p.source));
    if let Some(file) = &p.passfile {
        let key = pgpass::Key {
            host: &p.host,
            port: p.port,
            dbname: &p.dbname,
            user: &p.user,
        };
        advice.push_str(&format!(
            ", or add the line `{}` to {} (mode 0600)",
            pgpass::example_line(&key),
            file.display()
        ));
        if !p.warnings.is_empty() {
            advice.push_str(" — that file was not used: see the warning above");
        }
    }
    advice
}

/// A word safe to paste after a shell command, quoted when it needs it.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn describe(err: &postgres::Error, p: &ConnParams, hint: Hint) -> String {
    let at = at(p);
    if let Some(db) = err.as_db_error() {
        return describe_db(db, p, &at, hint);
    }
    let cause = err.source();
    let cause_text = cause.map(ToString::to_string).unwrap_or_default();
    let io = cause.and_then(|c| c.downcast_ref::<io::Error>());
    // The driver's error kinds are private; their Display text is the only
    // way to tell them apart. The tests pin each one we rely on.
    match (err.to_string().as_str(), io) {
        ("error connecting to server", Some(io)) => describe_connect(io, p, &at, hint),
        ("error performing TLS handshake", _) => describe_tls(&cause_text, p, &at),
        ("invalid configuration", _) if cause_text.contains("password missing") => format!(
            "server {at} asks for a password for user \"{}\" but none is configured — {}",
            p.user,
            missing_password_advice(p)
        ),
        ("error communicating with the server", Some(io))
            if matches!(
                io.kind(),
                io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
            ) =>
        {
            format!(
                "server {at} closed the connection during start-up ({io}) — is it a PostgreSQL server, and a healthy one? (its log will say more)"
            )
        }
        ("authentication error", _) => format!(
            "authentication as user \"{}\" with server {at} failed: {cause_text}",
            p.user
        ),
        (top, _) if cause_text.is_empty() => format!("could not connect to server {at}: {top}"),
        (top, _) => format!("could not connect to server {at}: {top}: {cause_text}"),
    }
}

fn is_lookup_failure(io: &io::Error) -> bool {
    let text = io.to_string();
    [
        "failed to lookup address",
        "could not resolve any addresses",
        "Name or service not known",
        "nodename nor servname",
        "No such host",
        "Temporary failure in name resolution",
        "No address associated",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

fn describe_connect(io: &io::Error, p: &ConnParams, at: &str, hint: Hint) -> String {
    let is_name = !p.is_socket() && p.host.parse::<IpAddr>().is_err();
    match io.kind() {
        io::ErrorKind::ConnectionRefused => format!(
            "could not connect to server {at}: connection refused — is PostgreSQL running and listening on port {}?{}",
            p.port,
            hint.pick(" (`ferry wait` waits for it)", "")
        ),
        io::ErrorKind::TimedOut => timeout_message(p, hint),
        io::ErrorKind::NotFound if p.is_socket() => format!(
            "could not connect to server {at}: no such socket — is PostgreSQL running on this machine with port {}? ({}use host=localhost for TCP)",
            p.port,
            hint.pick("`ferry wait` waits for it; ", "")
        ),
        io::ErrorKind::PermissionDenied => format!(
            "could not connect to server {at}: permission denied — this user may not open the server's socket or address"
        ),
        _ if is_name && is_lookup_failure(io) => format!(
            "could not resolve host \"{}\" ({io}) — check the host name in {}",
            p.host, p.source
        ),
        _ => format!("could not connect to server {at}: {io}"),
    }
}

/// OpenSSL's reason for a failed certificate check, from native-tls's
/// "…certificate verify failed:…: (hostname mismatch)". `None` when the
/// handshake failed for another reason, or on a TLS library that words it
/// differently (the generic message then applies).
fn verify_failure(cause: &str) -> Option<&str> {
    if !cause.contains("certificate verify failed") {
        return None;
    }
    let open = cause.rfind(" (")?;
    cause[open + 2..].strip_suffix(')')
}

fn describe_tls(cause: &str, p: &ConnParams, at: &str) -> String {
    if cause.contains("server does not support TLS") {
        return format!(
            "server {at} does not support TLS, but sslmode={} requires it — enable ssl on the server, or use sslmode=prefer or disable if an unencrypted connection is acceptable",
            p.sslmode
        );
    }
    let trust = match &p.sslrootcert {
        Some(path) => format!("the CA in sslrootcert {}", path.display()),
        None => "a CA in the system trust store".to_string(),
    };
    if let Some(reason) = verify_failure(cause) {
        if reason.contains("hostname mismatch") || reason.contains("IP address mismatch") {
            return format!(
                "TLS: the certificate of server {at} does not name host \"{}\" ({reason}) — sslmode=verify-full checks the name: connect with a host name the certificate lists, or use sslmode=verify-ca to check only that a trusted CA signed it",
                p.host
            );
        }
        let issuer_unknown = [
            "self-signed",
            "self signed",
            "unable to get local issuer",
            "unable to get issuer",
            "unable to verify the first certificate",
        ]
        .iter()
        .any(|needle| reason.contains(needle));
        if !issuer_unknown {
            return format!(
                "TLS: the certificate of server {at} was rejected ({reason}) — sslmode={} checks the server certificate",
                p.sslmode
            );
        }
        let hint = match &p.sslrootcert {
            Some(path) => format!(
                "the CA in sslrootcert {} did not sign it — check that this is the CA file for this server",
                path.display()
            ),
            None => "no CA in the system trust store signed it — pass the CA certificate that did with sslrootcert=/path/to/ca.pem (or PGSSLROOTCERT); managed providers publish theirs".to_string(),
        };
        return format!("TLS: the certificate of server {at} is not trusted ({reason}): {hint}");
    }
    let hint = match p.sslmode {
        SslMode::VerifyFull => format!(
            " — sslmode=verify-full needs a server certificate signed by {trust} and naming host \"{}\"",
            p.host
        ),
        SslMode::VerifyCa => {
            format!(" — sslmode=verify-ca needs a server certificate signed by {trust}")
        }
        SslMode::Require if p.sslrootcert.is_some() => format!(
            " — with sslrootcert, sslmode=require checks that the server certificate is signed by {trust}"
        ),
        _ => String::new(),
    };
    format!("TLS handshake with server {at} failed: {cause}{hint}")
}

fn describe_db(db: &DbError, p: &ConnParams, at: &str, hint: Hint) -> String {
    let message = db.message();
    let code = db.code();
    if *code == SqlState::INVALID_PASSWORD {
        format!(
            "password authentication failed for user \"{}\" {at} — check the password in {}",
            p.user,
            password_origin(p)
        )
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        format!(
            "database \"{}\" does not exist {at} — create it with `createdb {}` or CREATE DATABASE {};",
            p.dbname,
            shell_word(&p.dbname),
            crate::sql::quote::quote_ident(&p.dbname)
        )
    } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
        // Told apart by where in the server the refusal came from (the routine, which
        // `lc_messages` does not translate) and by the file name pg_hba.conf, which stays as
        // it is in every translation; only the certificate case still reads the text.
        let routine = db.routine().unwrap_or_default();
        let hint = if message.contains("pg_hba.conf") {
            " — the server's pg_hba.conf has no rule for this connection; ask its administrator, or try sslmode=require if it only allows TLS".to_string()
        } else if message.contains("client certificate") {
            " — give one with sslcert=… and sslkey=… (or PGSSLCERT and PGSSLKEY, or \
             ~/.postgresql/postgresql.crt and .key)"
                .to_string()
        } else if routine == "InitializeSessionUserId" || message.contains("does not exist") {
            format!(
                " — create the role with `createuser {}` or CREATE ROLE {} LOGIN;",
                shell_word(&p.user),
                crate::sql::quote::quote_ident(&p.user)
            )
        } else {
            String::new()
        };
        format!("server {at} rejected user \"{}\": {message}{hint}", p.user)
    } else if *code == SqlState::CANNOT_CONNECT_NOW {
        format!(
            "server {at} is not accepting connections yet ({message}) — retry in a moment{}",
            hint.pick(", or use `ferry wait`", "")
        )
    } else if *code == SqlState::TOO_MANY_CONNECTIONS {
        format!(
            "server {at} has no free connection slots ({message}) — close idle connections or raise max_connections"
        )
    } else {
        let mut text = format!("server {at} refused the connection: {message}");
        if let Some(detail) = db.detail() {
            text.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            text.push_str(&format!(" — {hint}"));
        }
        // One line, as promised, even if the server's text had several.
        text.replace('\n', " ")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tls::tests::{TempFile, TEST_CA_PEM, TEST_KEY_PEM};
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    const PASSWORD: &str = "s3cr3t-pw";

    fn params(host: &str, port: u16, sslmode: SslMode) -> ConnParams {
        ConnParams {
            host: host.to_string(),
            port,
            user: "bob".to_string(),
            password: Some(PASSWORD.to_string()),
            dbname: "app".to_string(),
            sslmode,
            connect_timeout: Duration::from_secs(5),
            source: Source::DatabaseUrlEnv,
            ..ConnParams::default()
        }
    }

    fn connect_err(params: &ConnParams) -> String {
        match connect(params) {
            Ok(_) => panic!("connected to {}", params.target()),
            Err(e) => {
                let msg = format!("{e:#}");
                assert!(!msg.contains(PASSWORD), "password leaked: {msg}");
                assert!(!msg.contains('\n'), "not one line: {msg}");
                msg
            }
        }
    }

    /// What the fake server answers to the start-up message.
    #[derive(Clone)]
    enum Reply {
        /// A FATAL ErrorResponse with this SQLSTATE and message.
        Fatal(&'static str, String),
        /// AuthenticationCleartextPassword.
        AskPassword,
    }

    /// Just enough of a PostgreSQL server for one connection attempt:
    /// answers an SSLRequest with `S` (then TLS with the test certificate)
    /// or `N`, reads the start-up message, sends `reply`, and waits for the
    /// client to hang up.
    fn fake_server(tls: bool, reply: Reply) -> u16 {
        fake_server_on("127.0.0.1", tls, reply)
    }

    /// The fake server on the address of `host` that the driver tries last,
    /// so that its answer, not a refusal on another address, is the error
    /// the driver reports.
    fn fake_server_on(host: &str, tls: bool, reply: Reply) -> u16 {
        let addr = std::net::ToSocketAddrs::to_socket_addrs(&(host, 0))
            .expect("resolve")
            .last()
            .expect("an address");
        let listener = TcpListener::bind(addr).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut first = [0u8; 8];
            if stream.read_exact(&mut first).is_err() {
                return;
            }
            let ssl_request = first == [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
            if !ssl_request {
                return serve_startup(&mut stream, Some(first), &reply);
            }
            if !tls {
                let _ = stream.write_all(b"N");
                return serve_startup(&mut stream, None, &reply);
            }
            let _ = stream.write_all(b"S");
            let identity =
                native_tls::Identity::from_pkcs8(TEST_CA_PEM.as_bytes(), TEST_KEY_PEM.as_bytes())
                    .expect("identity");
            let acceptor = native_tls::TlsAcceptor::new(identity).expect("acceptor");
            if let Ok(mut tls_stream) = acceptor.accept(stream) {
                serve_startup(&mut tls_stream, None, &reply);
            }
        });
        port
    }

    fn serve_startup<S: Read + Write>(stream: &mut S, first: Option<[u8; 8]>, reply: &Reply) {
        let (len, already) = match first {
            Some(first) => (
                u32::from_be_bytes([first[0], first[1], first[2], first[3]]),
                8,
            ),
            None => {
                let mut len = [0u8; 4];
                if stream.read_exact(&mut len).is_err() {
                    return;
                }
                (u32::from_be_bytes(len), 4)
            }
        };
        let mut rest = vec![0u8; (len as usize).saturating_sub(already)];
        if stream.read_exact(&mut rest).is_err() {
            return;
        }
        let message = match reply {
            Reply::Fatal(code, text) => {
                let mut body = Vec::new();
                for (field, value) in [(b'S', "FATAL"), (b'V', "FATAL"), (b'C', code), (b'M', text)]
                {
                    body.push(field);
                    body.extend_from_slice(value.as_bytes());
                    body.push(0);
                }
                body.push(0);
                let mut message = vec![b'E'];
                message.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
                message.extend_from_slice(&body);
                message
            }
            Reply::AskPassword => vec![b'R', 0, 0, 0, 8, 0, 0, 0, 3],
        };
        let _ = stream.write_all(&message);
        let _ = stream.flush();
        let mut sink = [0u8; 256];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    }

    fn free_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    }

    fn auth_failed() -> Reply {
        Reply::Fatal(
            "28P01",
            "password authentication failed for user \"bob\"".to_string(),
        )
    }

    #[test]
    fn refused_names_host_and_port() {
        let port = free_port();
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
        assert!(msg.contains("connection refused"), "{msg}");
        assert!(msg.contains("ferry wait"), "{msg}");
    }

    #[test]
    fn refused_with_tls_mode_is_still_refused() {
        let port = free_port();
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Require));
        assert!(msg.contains("connection refused"), "{msg}");
    }

    #[test]
    fn unknown_host_is_named() {
        let msg = connect_err(&params("nonexistent.invalid", 5432, SslMode::Disable));
        assert!(msg.contains("could not resolve host"), "{msg}");
        assert!(msg.contains("\"nonexistent.invalid\""), "{msg}");
        assert!(msg.contains("DATABASE_URL"), "{msg}");
    }

    #[test]
    fn missing_socket_names_the_socket_file() {
        let msg = connect_err(&params("/nonexistent/ferry-dir", 5433, SslMode::Require));
        assert!(
            msg.contains("socket /nonexistent/ferry-dir/.s.PGSQL.5433"),
            "{msg}"
        );
        assert!(msg.contains("no such socket"), "{msg}");
    }

    #[test]
    fn require_against_server_without_tls_fails_closed() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 8];
                if stream.read_exact(&mut request).is_ok() {
                    let _ = stream.write_all(b"N");
                }
                let mut sink = [0u8; 64];
                while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            }
        });
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Require));
        assert!(msg.contains("does not support TLS"), "{msg}");
        assert!(msg.contains("sslmode=require"), "{msg}");
        assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    }

    #[test]
    fn prefer_falls_back_to_plain_text() {
        let port = fake_server(false, auth_failed());
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Prefer));
        assert!(msg.contains("password authentication failed"), "{msg}");
    }

    #[test]
    fn whole_attempt_is_bounded_by_connect_timeout() {
        // Accepted by the kernel, never answered.
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut p = params("127.0.0.1", port, SslMode::Disable);
        p.connect_timeout = Duration::from_secs(1);
        let started = std::time::Instant::now();
        let msg = connect_err(&p);
        assert!(started.elapsed() < Duration::from_secs(4), "took too long");
        assert!(msg.contains("timed out after 1s"), "{msg}");
        assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
        drop(listener);
    }

    #[test]
    fn bad_password_names_the_user_and_never_the_password() {
        let reply = Reply::Fatal(
            "28P01",
            format!("password authentication failed for user \"bob\" (got {PASSWORD})"),
        );
        let port = fake_server(false, reply);
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(
            msg.contains("password authentication failed for user \"bob\""),
            "{msg}"
        );
        assert!(msg.contains("DATABASE_URL"), "{msg}");
    }

    #[test]
    fn unmapped_server_errors_are_redacted() {
        let reply = Reply::Fatal("XX000", format!("odd failure mentioning {PASSWORD}"));
        let port = fake_server(false, reply);
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(msg.contains("odd failure mentioning ****"), "{msg}");
    }

    #[test]
    fn missing_database_suggests_creating_it() {
        let reply = Reply::Fatal("3D000", "database \"app\" does not exist".to_string());
        let port = fake_server(false, reply);
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(msg.contains("database \"app\" does not exist"), "{msg}");
        assert!(msg.contains("createdb app"), "{msg}");
        assert!(msg.contains("CREATE DATABASE \"app\""), "{msg}");
    }

    #[test]
    fn missing_role_suggests_creating_it() {
        let reply = Reply::Fatal("28000", "role \"bob\" does not exist".to_string());
        let port = fake_server(false, reply);
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(msg.contains("role \"bob\" does not exist"), "{msg}");
        assert!(msg.contains("createuser bob"), "{msg}");
    }

    #[test]
    fn starting_server_points_at_ferry_wait() {
        let reply = Reply::Fatal("57P03", "the database system is starting up".to_string());
        let port = fake_server(false, reply);
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Disable));
        assert!(msg.contains("starting up"), "{msg}");
        assert!(msg.contains("ferry wait"), "{msg}");
    }

    #[test]
    fn password_required_but_missing_says_where_to_put_it() {
        let port = fake_server(false, Reply::AskPassword);
        let mut p = params("127.0.0.1", port, SslMode::Disable);
        p.password = None;
        p.source = Source::PgEnv;
        let msg = connect_err(&p);
        assert!(
            msg.contains("asks for a password for user \"bob\""),
            "{msg}"
        );
        assert!(msg.contains("PGPASSWORD"), "{msg}");
    }

    #[test]
    fn require_does_not_check_the_certificate() {
        let port = fake_server(true, auth_failed());
        let msg = connect_err(&params("127.0.0.1", port, SslMode::Require));
        // Reaching authentication proves the TLS handshake succeeded.
        assert!(msg.contains("password authentication failed"), "{msg}");
    }

    #[test]
    fn verify_full_rejects_an_untrusted_certificate() {
        let port = fake_server(true, auth_failed());
        let msg = connect_err(&params("127.0.0.1", port, SslMode::VerifyFull));
        assert!(
            msg.starts_with(&format!(
                "TLS: the certificate of server at 127.0.0.1:{port} is not trusted (self"
            )),
            "{msg}"
        );
        assert!(msg.contains("no CA in the system trust store"), "{msg}");
        assert!(msg.contains("sslrootcert=/path/to/ca.pem"), "{msg}");
        assert!(!msg.contains("statem"), "OpenSSL internals shown: {msg}");
    }

    #[test]
    fn verify_full_accepts_a_trusted_certificate_for_the_host() {
        let ca = TempFile::new("ca-full-ok.crt", TEST_CA_PEM.as_bytes());
        let port = fake_server(true, auth_failed());
        let mut p = params("127.0.0.1", port, SslMode::VerifyFull);
        p.sslrootcert = Some(ca.0.clone());
        let msg = connect_err(&p);
        assert!(msg.contains("password authentication failed"), "{msg}");
    }

    #[test]
    fn verify_full_checks_the_host_name() {
        let ca = TempFile::new("ca-full-name.crt", TEST_CA_PEM.as_bytes());
        let port = fake_server_on("localhost", true, auth_failed());
        // The certificate names 127.0.0.1 and ferry-test.invalid, not
        // localhost.
        let mut p = params("localhost", port, SslMode::VerifyFull);
        p.sslrootcert = Some(ca.0.clone());
        let msg = connect_err(&p);
        assert!(
            msg.contains(&format!(
                "the certificate of server at localhost:{port} does not name host \"localhost\" (hostname mismatch)"
            )),
            "{msg}"
        );
        assert!(msg.contains("sslmode=verify-ca"), "{msg}");
    }

    #[test]
    fn verify_failure_reason_is_read_from_openssl_text() {
        let text = "error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1889: (IP address mismatch)";
        assert_eq!(verify_failure(text), Some("IP address mismatch"));
        assert_eq!(verify_failure("handshake failure (alert 40)"), None);
        assert_eq!(verify_failure("certificate verify failed"), None);
    }

    #[test]
    fn other_certificate_problems_are_named_without_ca_advice() {
        let p = params("db", 5432, SslMode::VerifyCa);
        let msg = describe_tls(
            "error:0A000086:SSL routines::certificate verify failed: (certificate has expired)",
            &p,
            "at db:5432",
        );
        assert_eq!(
            msg,
            "TLS: the certificate of server at db:5432 was rejected (certificate has expired) — sslmode=verify-ca checks the server certificate"
        );
    }

    #[test]
    fn untrusted_with_sslrootcert_names_the_file() {
        let mut p = params("db", 5432, SslMode::VerifyFull);
        p.sslrootcert = Some("/etc/ferry/ca.pem".into());
        let msg = describe_tls(
            "error:0A000086:SSL routines::certificate verify failed: (unable to get local issuer certificate)",
            &p,
            "at db:5432",
        );
        assert!(
            msg.contains("the CA in sslrootcert /etc/ferry/ca.pem did not sign it"),
            "{msg}"
        );
    }

    #[test]
    fn missing_password_suggests_a_pgpass_line() {
        let port = fake_server(false, Reply::AskPassword);
        let mut p = params("127.0.0.1", port, SslMode::Disable);
        p.password = None;
        p.passfile = Some("/home/bob/.pgpass".into());
        let msg = connect_err(&p);
        assert!(msg.contains("set it in DATABASE_URL"), "{msg}");
        assert!(
            msg.contains(&format!(
                "add the line `127.0.0.1:{port}:app:bob:<password>` to /home/bob/.pgpass (mode 0600)"
            )),
            "{msg}"
        );
        assert!(!msg.contains("warning above"), "{msg}");
        // The fake server answers once: a new one for the second attempt.
        p.port = fake_server(false, Reply::AskPassword);
        p.warnings
            .push("password file … has group or world access".into());
        let msg = connect_err(&p);
        assert!(msg.contains("see the warning above"), "{msg}");
    }

    #[test]
    fn wrong_password_from_the_password_file_names_the_file() {
        let reply = Reply::Fatal(
            "28P01",
            "password authentication failed for user \"bob\"".to_string(),
        );
        let port = fake_server(false, reply);
        let mut p = params("127.0.0.1", port, SslMode::Disable);
        p.passfile = Some("/home/bob/.pgpass".into());
        p.password_from_passfile = true;
        let msg = connect_err(&p);
        assert!(
            msg.ends_with("check the password in the password file /home/bob/.pgpass (used because DATABASE_URL gives none)"),
            "{msg}"
        );
    }

    #[test]
    fn verify_ca_does_not_check_the_host_name() {
        let ca = TempFile::new("ca-ca.crt", TEST_CA_PEM.as_bytes());
        let port = fake_server_on("localhost", true, auth_failed());
        let mut p = params("localhost", port, SslMode::VerifyCa);
        p.sslrootcert = Some(ca.0.clone());
        let msg = connect_err(&p);
        assert!(msg.contains("password authentication failed"), "{msg}");
    }
}
