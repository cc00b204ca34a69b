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

const USER: &str = "tls_user";
const USER_PASSWORD: &str = "Tls-only-S3cret";

struct TlsServer {
    cluster: Cluster,
    /// The CA that signed the server certificate.
    ca: PathBuf,
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

fn tls_server() -> &'static TlsServer {
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
fn url(host: &str, query: &str) -> String {
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
