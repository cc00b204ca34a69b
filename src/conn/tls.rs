//! TLS for server connections, with libpq's meaning of each `sslmode`.
//!
//! This module owns building the native-tls connector handed to the driver.
//! The point of keeping it separate is that "what does `require` check?" has
//! one answer in one place, and it is libpq's answer, because that is what
//! users' URLs were written for:
//!
//! | sslmode       | chain checked                  | host name checked |
//! |---------------|--------------------------------|-------------------|
//! | `prefer`      | no                             | no                |
//! | `require`     | only if `sslrootcert` is given | no                |
//! | `verify-ca`   | yes                            | no                |
//! | `verify-full` | yes                            | yes               |
//!
//! When `sslrootcert` is used, it is the only trust anchor (the system store
//! is switched off), as in libpq; otherwise the system store is used.
//!
//! A client certificate (`sslcert` and `sslkey`, see
//! [`ConnParams::sslcert`](super::params::ConnParams::sslcert)) is presented in
//! every mode that uses TLS. The key may be PKCS#8, a traditional RSA or EC key,
//! or either encrypted with `sslpassword`; like libpq, ferry refuses a key file
//! that others can read.
//! Whether TLS is attempted at all, and whether a server without it is
//! acceptable, is decided by the `postgres::Config` sslmode set in
//! [`ConnParams::pg_config`](super::params::ConnParams::pg_config).
//!
//! When nothing is checked (`prefer`, and `require` without `sslrootcert`)
//! the native-tls connector is built only once the server has agreed to
//! TLS. Building one loads the system's CA bundle — tens of milliseconds,
//! more than a whole `ferry version` otherwise takes — which these modes
//! never use, and which a server without TLS under the default `prefer`
//! never needs at all. libpq does not pay it either. When certificates are
//! checked the connector is built up front, so a bad `sslrootcert` is
//! reported before connecting.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use anyhow::{anyhow, Context};
use native_tls::{Certificate, Identity, TlsConnector};
use postgres::tls::{MakeTlsConnect, TlsConnect};
use postgres::Socket;
use postgres_native_tls::TlsStream;

use super::params::{ConnParams, SslMode};

/// The connector for `params.sslmode` (see the module docs). Fails when
/// `sslrootcert` is needed and cannot be read or holds no certificate; the
/// error names the file.
pub(crate) fn connector(params: &ConnParams) -> anyhow::Result<Connector> {
    let verify_chain = match params.sslmode {
        SslMode::Disable | SslMode::Prefer => false,
        // libpq: "if a root CA file exists, the behavior of sslmode=require
        // will be the same as that of verify-ca".
        SslMode::Require => params.sslrootcert.is_some(),
        SslMode::VerifyCa | SslMode::VerifyFull => true,
    };
    let identity = client_identity(params)?;
    if !verify_chain {
        return Ok(Connector {
            built: None,
            identity,
        });
    }
    let mut builder = TlsConnector::builder();
    if let Some(identity) = &identity {
        builder.identity(identity.clone());
    }
    if let Some(path) = &params.sslrootcert {
        for cert in read_root_certs(path)? {
            builder.add_root_certificate(cert);
        }
        builder.disable_built_in_roots(true);
    }
    if params.sslmode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }
    let connector = builder
        .build()
        .map_err(|e| anyhow!("could not set up TLS: {e}"))?;
    Ok(Connector {
        built: Some(connector),
        identity,
    })
}

/// A connector that checks nothing: encryption only (and the client
/// certificate, if there is one).
fn unverified(identity: Option<Identity>) -> Result<TlsConnector, native_tls::Error> {
    let mut builder = TlsConnector::builder();
    builder
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true);
    if let Some(identity) = identity {
        builder.identity(identity);
    }
    builder.build()
}

/// The client certificate and key, read and checked before connecting.
fn client_identity(params: &ConnParams) -> anyhow::Result<Option<Identity>> {
    let (Some(cert_path), Some(key_path)) = (&params.sslcert, &params.sslkey) else {
        return Ok(None);
    };
    let cert = std::fs::read(cert_path).with_context(|| {
        format!(
            "cannot read the client certificate sslcert {}",
            cert_path.display()
        )
    })?;
    check_key_permissions(key_path)?;
    let key = std::fs::read(key_path)
        .with_context(|| format!("cannot read the client key sslkey {}", key_path.display()))?;
    let pkcs8 = pkcs8_key(&key, key_path, params.sslpassword.as_deref())?;
    let identity = Identity::from_pkcs8(&cert, &pkcs8).map_err(|e| {
        anyhow!(
            "the client certificate {} and key {} cannot be used together: {e}; sslcert must be a PEM \
             certificate and sslkey its private key",
            cert_path.display(),
            key_path.display()
        )
    })?;
    Ok(Some(identity))
}

/// libpq's rule: the key file must not be readable by others — at most 0600,
/// or 0640 when root owns it (a key shared with a group through root).
fn check_key_permissions(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)
            .with_context(|| format!("cannot read the client key sslkey {}", path.display()))?;
        let mode = meta.mode() & 0o777;
        let allowed = if meta.uid() == 0 { 0o640 } else { 0o600 };
        if mode & !allowed != 0 {
            return Err(anyhow!(
                "the client key sslkey {} can be read by others (mode {mode:03o}); libpq and ferry refuse \
                 it: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
    Ok(())
}

/// The key as unencrypted PKCS#8 PEM, whatever PEM form it came in. The
/// passphrase is never part of an error.
#[cfg(not(any(target_os = "windows", target_vendor = "apple")))]
fn pkcs8_key(key: &[u8], path: &Path, passphrase: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let encrypted = key.windows(9).any(|w| w == b"ENCRYPTED");
    // An empty passphrase rather than none: OpenSSL would otherwise ask on the terminal.
    let pkey = openssl::pkey::PKey::private_key_from_pem_passphrase(
        key,
        passphrase.unwrap_or("").as_bytes(),
    )
    .map_err(|_| match (encrypted, passphrase) {
        (true, None) => anyhow!(
            "the client key sslkey {} is encrypted: give its passphrase with sslpassword=…",
            path.display()
        ),
        (true, Some(_)) => anyhow!(
            "the client key sslkey {} could not be decrypted: sslpassword is wrong",
            path.display()
        ),
        (false, _) => anyhow!(
            "the client key sslkey {} is not a PEM private key (PKCS#8, RSA or EC)",
            path.display()
        ),
    })?;
    pkey.private_key_to_pem_pkcs8()
        .map_err(|e| anyhow!("converting the client key sslkey {}: {e}", path.display()))
}

/// Elsewhere native-tls takes unencrypted PKCS#8 only.
#[cfg(any(target_os = "windows", target_vendor = "apple"))]
fn pkcs8_key(key: &[u8], path: &Path, passphrase: Option<&str>) -> anyhow::Result<Vec<u8>> {
    if passphrase.is_some() || !key.windows(17).any(|w| w == b"BEGIN PRIVATE KEY") {
        return Err(anyhow!(
            "the client key sslkey {} must be an unencrypted PKCS#8 key on this system: \
             openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8",
            path.display()
        ));
    }
    Ok(key.to_vec())
}

/// What [`connector`] hands the driver: a connector built up front when
/// certificates are checked, or none yet when nothing is (built on the first
/// TLS handshake, see the module docs).
pub(crate) struct Connector {
    built: Option<TlsConnector>,
    identity: Option<Identity>,
}

impl MakeTlsConnect<Socket> for Connector {
    type Stream = TlsStream<Socket>;
    type TlsConnect = Handshake;
    type Error = native_tls::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Handshake, native_tls::Error> {
        Ok(Handshake {
            built: self.built.clone(),
            identity: self.identity.clone(),
            domain: domain.to_string(),
        })
    }
}

/// One TLS handshake with one host; the driver calls it only after the
/// server has answered the SSL request with yes.
pub(crate) struct Handshake {
    built: Option<TlsConnector>,
    identity: Option<Identity>,
    domain: String,
}

type HandshakeFuture =
    Pin<Box<dyn Future<Output = Result<TlsStream<Socket>, native_tls::Error>> + Send>>;

impl TlsConnect<Socket> for Handshake {
    type Stream = TlsStream<Socket>;
    type Error = native_tls::Error;
    type Future = HandshakeFuture;

    fn connect(self, stream: Socket) -> HandshakeFuture {
        let identity = self.identity;
        match self.built.map_or_else(|| unverified(identity), Ok) {
            Ok(connector) => {
                postgres_native_tls::TlsConnector::new(connector, &self.domain).connect(stream)
            }
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
}

/// Every certificate in a PEM bundle, or the single certificate of a DER
/// file.
fn read_root_certs(path: &Path) -> anyhow::Result<Vec<Certificate>> {
    let shown = path.display();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read sslrootcert {shown}"))?;
    let certs = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        Certificate::stack_from_pem(&bytes)
            .map_err(|e| anyhow!("sslrootcert {shown} is not a valid PEM certificate file: {e}"))?
    } else {
        vec![Certificate::from_der(&bytes).map_err(|e| {
            anyhow!("sslrootcert {shown} is neither a PEM nor a DER certificate: {e}")
        })?]
    };
    if certs.is_empty() {
        return Err(anyhow!("sslrootcert {shown} contains no certificate"));
    }
    Ok(certs)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A self-signed CA certificate for `ferry-test.invalid` and
    /// `127.0.0.1`, valid 2000–2100. Test fixture only.
    pub(crate) const TEST_CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBeDCCAR6gAwIBAgIBATAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1mZXJyeS10
ZXN0LWNhMCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAYMRYwFAYD
VQQDDA1mZXJyeS10ZXN0LWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9Bh1
17/qTSQi0jrh/ao1cU5jcEUqAUf9MlTyruSy74DG3ba/yTiQ4d38tfU4/vvdAj0c
vi6+UfmMsLJMvRc556NXMFUwDwYDVR0TAQH/BAUwAwEB/zAjBgNVHREEHDAaghJm
ZXJyeS10ZXN0LmludmFsaWSHBH8AAAEwHQYDVR0OBBYEFK4c6qW/54nLd0u5iVHl
4jDyvkzAMAoGCCqGSM49BAMCA0gAMEUCIQDflJ6imofJoUSA5ludnehdRItT3p2L
xykgsR2fNNsyAQIgUVWE3PpHm8jPxcoZCBGIcsn8/5fXP0r36QnFqOvCkws=
-----END CERTIFICATE-----
";

    /// The private key of [`TEST_CA_PEM`], for the fake TLS server in the
    /// connect tests. Not a secret: it protects nothing.
    pub(crate) const TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgy2Q5KqB768tIePkv
aeHvCIwltGsXd4cbA2smsCvaKRWhRANCAAT0GHXXv+pNJCLSOuH9qjVxTmNwRSoB
R/0yVPKu5LLvgMbdtr/JOJDh3fy19Tj++90CPRy+Lr5R+Yywsky9Fznn
-----END PRIVATE KEY-----
";

    /// A fresh file under the system temp dir, removed on drop.
    pub(crate) struct TempFile(pub std::path::PathBuf);

    impl TempFile {
        pub(crate) fn new(name: &str, contents: &[u8]) -> TempFile {
            static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("ferry-conn-test-{}-{n}-{name}", std::process::id()));
            std::fs::write(&path, contents).expect("write temp file");
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn params(sslmode: SslMode, root: Option<&Path>) -> ConnParams {
        ConnParams {
            sslmode,
            sslrootcert: root.map(Path::to_path_buf),
            ..ConnParams::default()
        }
    }

    #[test]
    fn every_mode_builds_without_a_root_file() {
        for mode in SslMode::ALL {
            assert!(connector(&params(mode, None)).is_ok(), "{mode}");
        }
        assert!(unverified(None).is_ok());
    }

    #[test]
    fn nothing_is_built_until_a_handshake_when_nothing_is_checked() {
        for mode in [SslMode::Prefer, SslMode::Require] {
            assert!(connector(&params(mode, None)).unwrap().built.is_none());
        }
        for mode in [SslMode::VerifyCa, SslMode::VerifyFull] {
            assert!(connector(&params(mode, None)).unwrap().built.is_some());
        }
        let file = TempFile::new("ca-require.crt", TEST_CA_PEM.as_bytes());
        let with_root = connector(&params(SslMode::Require, Some(&file.0))).unwrap();
        assert!(with_root.built.is_some());
    }

    #[test]
    fn missing_root_file_is_named() {
        let path = Path::new("/nonexistent/ferry/root.crt");
        for mode in [SslMode::Require, SslMode::VerifyCa, SslMode::VerifyFull] {
            let err = connector(&params(mode, Some(path))).err().expect("error");
            let msg = format!("{err:#}");
            assert!(msg.contains("/nonexistent/ferry/root.crt"), "{msg}");
            assert!(msg.contains("sslrootcert"), "{msg}");
        }
    }

    #[test]
    fn root_file_is_not_read_when_prefer_does_not_verify() {
        let path = Path::new("/nonexistent/ferry/root.crt");
        assert!(connector(&params(SslMode::Prefer, Some(path))).is_ok());
    }

    #[test]
    fn garbage_root_file_is_named() {
        let file = TempFile::new("garbage.crt", b"this is not a certificate");
        let err = connector(&params(SslMode::VerifyFull, Some(&file.0)))
            .err()
            .expect("error");
        assert!(
            err.to_string().contains(&file.0.display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn pem_root_file_is_accepted() {
        let file = TempFile::new("ca.crt", TEST_CA_PEM.as_bytes());
        assert!(connector(&params(SslMode::VerifyCa, Some(&file.0))).is_ok());
        assert!(connector(&params(SslMode::VerifyFull, Some(&file.0))).is_ok());
    }
}
