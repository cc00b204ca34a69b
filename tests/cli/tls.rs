//! `sslmode` with libpq's meaning, against a real server with TLS.
//!
//! The server is a scratch cluster of its own with `ssl = on` and a certificate made here
//! with openssl: a self-signed CA, and a server certificate it signed whose only name is
//! `localhost` (no IP address), so `verify-full` to `localhost` passes and to
//! `127.0.0.1` — the same server — is a genuine host name mismatch. A second,
//! unrelated CA stands for "the wrong root certificate". The server accepts only TLS
//! connections with a SCRAM password, like a managed database.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::OnceLock;

use crate::common::{ferry_in, run_keeping, Cluster, ClusterBuilder, Run, PASSWORD};

pub(crate) const USER: &str = "tls_user";
pub(crate) const USER_PASSWORD: &str = "Tls-only-S3cret";

pub(crate) struct TlsServer {
    pub(crate) cluster: Cluster,
    /// The CA that signed the server certificate.
    pub(crate) ca: PathBuf,
    /// A CA that signed nothing the server has.
    other_ca: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Process::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (needed to make the test certificate)");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed CA certificate and its key, as `<name>.crt` and `<name>.key`.
fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "3650",
            "-subj",
            &format!("/CN=ferry test {name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
        ],
    );
}

pub(crate) fn tls_server() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let work = tempfile::tempdir().expect("temp dir");
        let dir = work.path();
        make_ca(dir, "ca");
        make_ca(dir, "other-ca");
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write extensions");
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=ferry test server",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "2",
                "-days",
                "3650",
                "-extfile",
                "server.ext",
                "-out",
                "server.crt",
            ],
        );
        let read = |name: &str| std::fs::read(dir.join(name)).expect("read certificate");
        let builder = ClusterBuilder::new("tls");
        let (cert, key) = (builder.path("server.crt"), builder.path("server.key"));
        let cluster = builder
            .file("server.crt", &read("server.crt"))
            .file("server.key", &read("server.key"))
            .file("root.crt", &read("ca.crt"))
            .file("other-root.crt", &read("other-ca.crt"))
            .set("ssl", "on")
            .set("ssl_cert_file", &cert.display().to_string())
            .set("ssl_key_file", &key.display().to_string())
            .set("password_encryption", "scram-sha-256")
            .hba("hostssl all all 127.0.0.1/32 scram-sha-256")
            .sql(&format!(
                "CREATE ROLE {USER} LOGIN PASSWORD '{USER_PASSWORD}'"
            ))
            .sql(&format!("CREATE DATABASE app OWNER {USER}"))
            .start();
        TlsServer {
            ca: cluster.path("root.crt"),
            other_ca: cluster.path("other-root.crt"),
            cluster,
        }
    })
}

/// `postgres://tls_user:…@host:port/app?query`.
pub(crate) fn url(host: &str, query: &str) -> String {
    let port = tls_server().cluster.port;
    format!("postgres://{USER}:{USER_PASSWORD}@{host}:{port}/app?{query}")
}

/// Runs ferry in a fresh directory with `args`, checking no password is shown.
fn ferry(args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
    let mut cmd = ferry_in(dir.path());
    cmd.args(args).envs(env.iter().copied());
    run_keeping(&mut cmd, &[USER_PASSWORD, PASSWORD])
}

fn connects(run: &Run) {
    assert_eq!(run.code, Some(0), "{}{}", run.out, run.err);
}

/// Fails with exit 1 and exactly one `error:` line; returns it.
fn refused(run: &Run) -> String {
    assert_eq!(run.code, Some(1), "{}{}", run.out, run.err);
    let errors: Vec<&str> = run
        .err
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.err);
    errors[0].to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn require_connects_and_status_shows_tls_on() {
    if crate::common::built_without_tls() {
        return;
    }
    let url = url("127.0.0.1", "sslmode=require");
    let run = ferry(&["status", "--database-url", &url], &[]);
    connects(&run);
    assert!(
        run.out.contains(&format!("app as {USER}, TLS on")),
        "{}",
        run.out
    );
    assert!(run.out.contains(":****@127.0.0.1:"), "{}", run.out);

    let run = ferry(&["status", "--format", "json", "--database-url", &url], &[]);
    connects(&run);
    assert_eq!(json(&run.out)["tls"], true);
}

#[test]
fn prefer_is_encrypted_when_the_server_offers_tls() {
    if crate::common::built_without_tls() {
        return;
    }
    // No sslmode: libpq's default, prefer.
    let run = ferry(
        &["status", "--format", "json"],
        &[("DATABASE_URL", &url("127.0.0.1", ""))],
    );
    connects(&run);
    assert_eq!(json(&run.out)["tls"], true);
}

#[test]
fn verify_full_with_the_ca_and_the_certificate_host_name_connects() {
    if crate::common::built_without_tls() {
        return;
    }
    let ca = tls_server().ca.display().to_string();
    let run = ferry(
        &["version"],
        &[(
            "DATABASE_URL",
            &url(
                "localhost",
                &format!("sslmode=verify-full&sslrootcert={ca}"),
            ),
        )],
    );
    connects(&run);
    assert_eq!(run.out, "none\n");
}

#[test]
fn verify_full_with_another_host_name_is_refused() {
    if crate::common::built_without_tls() {
        return;
    }
    let server = tls_server();
    let ca = server.ca.display().to_string();
    let run = ferry(
        &["version"],
        &[(
            "DATABASE_URL",
            &url(
                "127.0.0.1",
                &format!("sslmode=verify-full&sslrootcert={ca}"),
            ),
        )],
    );
    let error = refused(&run);
    assert_eq!(
        error,
        format!(
            "error: TLS: the certificate of server at 127.0.0.1:{} does not name host \"127.0.0.1\" (IP address mismatch) — sslmode=verify-full checks the name: connect with a host name the certificate lists, or use sslmode=verify-ca to check only that a trusted CA signed it",
            server.cluster.port
        )
    );
}

#[test]
fn verify_full_without_the_root_certificate_is_refused() {
    if crate::common::built_without_tls() {
        return;
    }
    let port = tls_server().cluster.port;
    let run = ferry(
        &["version"],
        &[("DATABASE_URL", &url("localhost", "sslmode=verify-full"))],
    );
    let error = refused(&run);
    assert!(
        error.starts_with(&format!(
            "error: TLS: the certificate of server at localhost:{port} is not trusted ("
        )),
        "{error}"
    );
    assert!(
        error.ends_with("): no CA in the system trust store signed it — pass the CA certificate that did with sslrootcert=/path/to/ca.pem (or PGSSLROOTCERT); managed providers publish theirs"),
        "{error}"
    );
}

#[test]
fn a_root_certificate_that_did_not_sign_the_server_is_refused() {
    if crate::common::built_without_tls() {
        return;
    }
    let other = tls_server().other_ca.display().to_string();
    // With sslrootcert, libpq's require checks the chain like verify-ca.
    for mode in ["verify-full", "verify-ca", "require"] {
        let run = ferry(
            &["version"],
            &[(
                "DATABASE_URL",
                &url("localhost", &format!("sslmode={mode}&sslrootcert={other}")),
            )],
        );
        let error = refused(&run);
        assert!(error.contains("is not trusted ("), "{mode}: {error}");
        assert!(
            error.contains(&format!(
                "the CA in sslrootcert {other} did not sign it — check that this is the CA file for this server"
            )),
            "{mode}: {error}"
        );
    }
}

#[test]
fn verify_ca_checks_the_chain_but_not_the_host_name() {
    if crate::common::built_without_tls() {
        return;
    }
    let ca = tls_server().ca.display().to_string();
    let run = ferry(
        &["status", "--format", "json"],
        &[(
            "DATABASE_URL",
            &url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        )],
    );
    connects(&run);
    assert_eq!(json(&run.out)["tls"], true);
}

#[test]
fn pg_variables_carry_sslmode_and_sslrootcert() {
    if crate::common::built_without_tls() {
        return;
    }
    let server = tls_server();
    let port = server.cluster.port.to_string();
    let ca = server.ca.display().to_string();
    let run = ferry(
        &["status"],
        &[
            ("PGHOST", "localhost"),
            ("PGPORT", &port),
            ("PGUSER", USER),
            ("PGPASSWORD", USER_PASSWORD),
            ("PGDATABASE", "app"),
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", &ca),
        ],
    );
    connects(&run);
    assert!(run.out.contains("TLS on"), "{}", run.out);
    assert!(
        run.out.contains("sslmode=verify-full&sslrootcert="),
        "{}",
        run.out
    );
}

#[test]
fn plain_connection_to_a_tls_only_server_is_told_to_use_tls() {
    if crate::common::built_without_tls() {
        return;
    }
    let run = ferry(
        &["version"],
        &[("DATABASE_URL", &url("127.0.0.1", "sslmode=disable"))],
    );
    let error = refused(&run);
    assert!(error.contains("no pg_hba.conf entry"), "{error}");
    assert!(error.contains("try sslmode=require"), "{error}");
}

/// A server that admits only clients with a certificate its CA signed (`hostssl … cert`:
/// the certificate's CN is the user), and the client files, in every form of key.
struct CertServer {
    cluster: Cluster,
    /// The client certificates and keys (kept for the life of the test binary).
    files: tempfile::TempDir,
}

const CERT_USER: &str = "cert_user";
const KEY_PASSPHRASE: &str = "Pem-Pass-7788";

fn cert_server() -> &'static CertServer {
    static SERVER: OnceLock<CertServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let files = tempfile::tempdir().expect("temp dir");
        let dir = files.path();
        make_ca(dir, "ca");
        let sign = |name: &str, subject: &str, ext: &str, key_args: &[&str]| {
            std::fs::write(dir.join(format!("{name}.ext")), ext).expect("write extensions");
            let mut req = vec!["req", "-new", "-nodes", "-subj", subject];
            req.extend_from_slice(key_args);
            let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
            req.extend_from_slice(&["-keyout", &key, "-out", &csr]);
            openssl(dir, &req);
            let (crt, extfile) = (format!("{name}.crt"), format!("{name}.ext"));
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.crt",
                    "-CAkey",
                    "ca.key",
                    "-set_serial",
                    "7",
                    "-days",
                    "3650",
                    "-extfile",
                    &extfile,
                    "-out",
                    &crt,
                ],
            );
        };
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        sign(
            "server",
            "/CN=localhost",
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
            &ec,
        );
        sign(
            "client",
            &format!("/CN={CERT_USER}"),
            "extendedKeyUsage=clientAuth\n",
            &ec,
        );
        sign(
            "rsa-client",
            &format!("/CN={CERT_USER}"),
            "extendedKeyUsage=clientAuth\n",
            &["-newkey", "rsa:2048"],
        );
        // The same keys in the other forms libpq reads.
        let pass = format!("pass:{KEY_PASSPHRASE}");
        openssl(
            dir,
            &[
                "rsa",
                "-in",
                "rsa-client.key",
                "-traditional",
                "-out",
                "rsa-traditional.key",
            ],
        );
        openssl(
            dir,
            &[
                "pkcs8",
                "-topk8",
                "-in",
                "client.key",
                "-v2",
                "aes-256-cbc",
                "-passout",
                &pass,
                "-out",
                "client-encrypted.key",
            ],
        );
        openssl(
            dir,
            &[
                "rsa",
                "-in",
                "rsa-client.key",
                "-traditional",
                "-aes256",
                "-passout",
                &pass,
                "-out",
                "rsa-encrypted.key",
            ],
        );
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
        }
        let read = |name: &str| std::fs::read(dir.join(name)).expect("read certificate");
        let builder = ClusterBuilder::new("tls-cert");
        let (cert, key, ca) = (
            builder.path("server.crt"),
            builder.path("server.key"),
            builder.path("root.crt"),
        );
        let cluster = builder
            .file("server.crt", &read("server.crt"))
            .file("server.key", &read("server.key"))
            .file("root.crt", &read("ca.crt"))
            .set("ssl", "on")
            .set("ssl_cert_file", &cert.display().to_string())
            .set("ssl_key_file", &key.display().to_string())
            .set("ssl_ca_file", &ca.display().to_string())
            .hba("hostssl all all 127.0.0.1/32 cert")
            .sql(&format!("CREATE ROLE {CERT_USER} LOGIN"))
            .sql(&format!("CREATE DATABASE app OWNER {CERT_USER}"))
            .start();
        CertServer { cluster, files }
    })
}

/// `host=127.0.0.1 … user=cert_user dbname=app` and `extra`.
fn cert_url(extra: &str) -> String {
    let server = cert_server();
    format!(
        "host=127.0.0.1 port={} user={CERT_USER} dbname=app {extra}",
        server.cluster.port
    )
}

fn client_file(name: &str) -> String {
    cert_server().files.path().join(name).display().to_string()
}

fn with_cert(cert: &str, key: &str, rest: &str) -> String {
    cert_url(&format!(
        "sslmode=verify-full sslrootcert={} sslcert={} sslkey={} {rest}",
        client_file("ca.crt"),
        client_file(cert),
        client_file(key)
    ))
}

fn cert_ferry(args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
    std::fs::write(
        dir.path().join("migrations/1_t.sql"),
        "CREATE TABLE t (id int);",
    )
    .unwrap();
    let mut cmd = ferry_in(dir.path());
    cmd.args(args).envs(env.iter().copied());
    run_keeping(&mut cmd, &[KEY_PASSPHRASE])
}

#[test]
fn a_client_certificate_is_presented_with_every_form_of_key() {
    if crate::common::built_without_tls() {
        return;
    }
    for (cert, key, rest) in [
        ("client.crt", "client.key", ""),
        ("rsa-client.crt", "rsa-traditional.key", ""),
        (
            "client.crt",
            "client-encrypted.key",
            &*format!("sslpassword={KEY_PASSPHRASE}"),
        ),
        (
            "rsa-client.crt",
            "rsa-encrypted.key",
            &*format!("sslpassword={KEY_PASSPHRASE}"),
        ),
    ] {
        let url = with_cert(cert, key, rest);
        let run = cert_ferry(&["up", "--database-url", &url], &[]);
        connects(&run);
        let run = cert_ferry(&["status", "--database-url", &url], &[]);
        connects(&run);
        assert!(
            run.out.contains(&format!("app as {CERT_USER}, TLS on")),
            "{key}: {}",
            run.out
        );
        assert!(run.out.contains("sslcert="), "{}", run.out);
    }
}

#[test]
fn without_a_usable_client_certificate_the_error_says_what_is_wrong() {
    if crate::common::built_without_tls() {
        return;
    }
    let run = cert_ferry(
        &[
            "status",
            "--database-url",
            &cert_url(&format!(
                "sslmode=verify-full sslrootcert={}",
                client_file("ca.crt")
            )),
        ],
        &[("HOME", "/nonexistent")],
    );
    let line = refused(&run);
    assert!(
        line.contains("requires a valid client certificate")
            && line.contains("give one with sslcert="),
        "{line}"
    );

    let encrypted = with_cert("client.crt", "client-encrypted.key", "");
    let line = refused(&cert_ferry(&["status", "--database-url", &encrypted], &[]));
    assert!(
        line.contains("is encrypted: give its passphrase with sslpassword="),
        "{line}"
    );
    let wrong = with_cert("client.crt", "client-encrypted.key", "sslpassword=nope");
    let line = refused(&cert_ferry(&["status", "--database-url", &wrong], &[]));
    assert!(line.contains("sslpassword is wrong"), "{line}");

    let missing = with_cert("absent.crt", "client.key", "");
    let line = refused(&cert_ferry(&["status", "--database-url", &missing], &[]));
    assert!(
        line.contains("cannot read the client certificate sslcert"),
        "{line}"
    );

    let open = cert_server().files.path().join("open.key");
    std::fs::copy(cert_server().files.path().join("client.key"), &open).unwrap();
    std::fs::set_permissions(&open, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let line = refused(&cert_ferry(
        &[
            "status",
            "--database-url",
            &with_cert("client.crt", "open.key", ""),
        ],
        &[],
    ));
    assert!(
        line.contains("can be read by others") && line.contains("chmod 600"),
        "{line}"
    );
}

#[test]
fn client_certificates_from_pg_variables_and_libpqs_own_files() {
    if crate::common::built_without_tls() {
        return;
    }
    let port = cert_server().cluster.port.to_string();
    let (ca, cert, key) = (
        client_file("ca.crt"),
        client_file("client.crt"),
        client_file("client.key"),
    );
    let base = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", CERT_USER),
        ("PGDATABASE", "app"),
        ("PGSSLMODE", "verify-full"),
    ];
    let mut env = base.to_vec();
    env.extend([
        ("PGSSLROOTCERT", ca.as_str()),
        ("PGSSLCERT", cert.as_str()),
        ("PGSSLKEY", key.as_str()),
    ]);
    connects(&cert_ferry(&["status"], &env));

    // ~/.postgresql/postgresql.crt, .key and root.crt, as libpq reads them.
    let home = tempfile::tempdir().unwrap();
    let dot = home.path().join(".postgresql");
    std::fs::create_dir(&dot).unwrap();
    for (from, to) in [
        (&cert, "postgresql.crt"),
        (&key, "postgresql.key"),
        (&ca, "root.crt"),
    ] {
        std::fs::copy(from, dot.join(to)).unwrap();
    }
    let home = home.path().display().to_string();
    let mut env = base.to_vec();
    env.push(("HOME", home.as_str()));
    let run = cert_ferry(&["status"], &env);
    connects(&run);
    assert!(run.out.contains("TLS on"), "{}", run.out);
}
