//! What `make dist` writes, used as someone without Rust would: the static binary in an
//! empty root (nothing but the binary, a CA bundle and the files a container runtime
//! provides), the wheel in a fresh virtual environment, the npm tarball in a fresh folder,
//! and the checksums. They need the files: `FERRY_DIST_DIR` names the directory (`.ci/run`
//! runs `make dist` and sets it); without it each test says it was skipped.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::common::TestDb;
use crate::tls::{tls_server, url};

/// The dist directory, or None (said) when no build was given.
fn dist() -> Option<PathBuf> {
    match std::env::var_os("FERRY_DIST_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("SHA256SUMS").is_file(),
                "FERRY_DIST_DIR={} holds no `make dist` output",
                dir.display()
            );
            Some(dir)
        }
        None => {
            eprintln!("skipped: FERRY_DIST_DIR is not set (run `make dist`, then set it to dist/)");
            None
        }
    }
}

/// The one file in `dir` whose name ends with `suffix`.
fn file_ending(dir: &Path, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one *{suffix} in {}: {found:?}",
        dir.display()
    );
    found[0].clone()
}

fn run(cmd: &mut Process) -> (i32, String, String) {
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(cmd: &mut Process) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{cmd:?}: {out}{err}");
    format!("{out}{err}")
}

fn is_root() -> bool {
    run(Process::new("id").arg("-u")).1.trim() == "0"
}

/// A DNS server for one test, on 127.0.0.1:53: every A query is answered 127.0.0.1.
const DNS: &str = r#"
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("ready", flush=True)
while True:
    data, addr = s.recvfrom(512)
    ident = struct.unpack(">H", data[:2])[0]
    i = 12
    while data[i] != 0:
        i += data[i] + 1
    qtype = struct.unpack(">H", data[i + 1:i + 3])[0]
    answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1") if qtype == 1 else b""
    s.sendto(struct.pack(">HHHHHH", ident, 0x8180, 1, 1 if answer else 0, 0, 0) + data[12:i + 5] + answer, addr)
"#;

#[test]
fn the_static_binary_runs_in_an_empty_root_with_verify_full() {
    let Some(dist) = dist() else { return };
    if crate::common::built_without_tls() {
        return;
    }
    if !is_root() {
        eprintln!("skipped: an empty root (chroot) needs root");
        return;
    }
    let binary = dist.join("ferry");
    let (_, elf, _) = run(Process::new("readelf").arg("-d").arg(&binary));
    assert!(!elf.contains("NEEDED"), "it needs shared libraries: {elf}");

    // The root: the binary, the CA bundle where Linux keeps it (the test CA is the only
    // one: verify-full must find it there, with no sslrootcert), /etc/hosts as a container
    // runtime writes it, and the migrations.
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    std::fs::create_dir_all(r.join("etc/ssl/certs")).unwrap();
    std::fs::create_dir_all(r.join("migrations")).unwrap();
    std::fs::copy(&binary, r.join("ferry")).unwrap();
    std::fs::copy(
        &tls_server().ca,
        r.join("etc/ssl/certs/ca-certificates.crt"),
    )
    .unwrap();
    std::fs::write(r.join("etc/hosts"), "127.0.0.1 localhost\n").unwrap();
    std::fs::write(
        r.join("migrations/000001_dist.up.sql"),
        "CREATE TABLE dist_static (id int);",
    )
    .unwrap();
    let chroot = |args: &[&str], database_url: &str| {
        let mut cmd = Process::new("chroot");
        cmd.arg(r)
            .arg("/ferry")
            .args(["--path", "/migrations", "--table", "dist_migrations"])
            .args(args)
            .env_clear()
            // Where `chroot` itself is found; nothing is inside the root.
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("DATABASE_URL", database_url)
            .env("NO_COLOR", "1");
        cmd
    };

    let version = ok(&mut chroot(&["--version"], ""));
    assert!(
        version.starts_with(&format!("ferry {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let verify_full = url("localhost", "sslmode=verify-full");
    let said = ok(&mut chroot(&["up"], &verify_full));
    assert!(said.contains("1/u dist"), "{said}");
    let said = ok(&mut chroot(&["status"], &verify_full));
    assert!(
        said.contains("TLS on") && said.contains("up to date"),
        "{said}"
    );
    // sslrootcert named, as a user without the system bundle would.
    std::fs::copy(&tls_server().ca, r.join("ca.pem")).unwrap();
    ok(&mut chroot(
        &["status"],
        &url("localhost", "sslmode=verify-full&sslrootcert=/ca.pem"),
    ));

    // A host name through DNS, as in a cluster: /etc/resolv.conf and no /etc/hosts entry.
    let mut dns = Process::new("python3")
        .args(["-c", DNS])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3");
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(dns.stdout.as_mut().unwrap()),
        &mut ready,
    )
    .unwrap();
    if ready.trim() == "ready" {
        std::fs::write(r.join("etc/resolv.conf"), "nameserver 127.0.0.1\n").unwrap();
        let port = tls_server().cluster.port;
        let by_dns = format!(
            "postgres://{}:{}@db.ferry.test:{port}/app?sslmode=require",
            crate::tls::USER,
            crate::tls::USER_PASSWORD
        );
        let said = ok(&mut chroot(&["status"], &by_dns));
        assert!(said.contains("up to date"), "{said}");
    } else {
        eprintln!("skipped the DNS part: port 53 is taken");
    }
    let _ = dns.kill();
    let _ = dns.wait();
}

#[test]
fn the_wheel_installs_into_a_fresh_virtual_environment() {
    let Some(dist) = dist() else { return };
    let wheel = file_ending(&dist, ".whl");
    let work = tempfile::tempdir().unwrap();
    let venv = work.path().join("venv");
    ok(Process::new("python3").arg("-m").arg("venv").arg(&venv));
    ok(Process::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel));
    up_and_status(&venv.join("bin/ferry"));

    // `uv tool install` and `pipx install` from the file, each into folders of its own.
    let (code, _, err) = run(Process::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "uv",
        "pipx",
    ]));
    if code != 0 {
        eprintln!("skipped uv and pipx: they could not be installed from PyPI: {err}");
        return;
    }
    let tools = work.path();
    ok(Process::new(venv.join("bin/uv"))
        .args(["tool", "install", "--offline"])
        .arg(&wheel)
        .env("UV_TOOL_DIR", tools.join("uv-tools"))
        .env("UV_TOOL_BIN_DIR", tools.join("uv-bin")));
    up_and_status(&tools.join("uv-bin/ferry"));
    ok(Process::new(venv.join("bin/pipx"))
        .arg("install")
        .arg(&wheel)
        .env("PIPX_HOME", tools.join("pipx"))
        .env("PIPX_BIN_DIR", tools.join("pipx-bin")));
    up_and_status(&tools.join("pipx-bin/ferry"));
}

#[test]
fn the_npm_tarball_installs_into_a_fresh_folder() {
    let Some(dist) = dist() else { return };
    if run(Process::new("npm").arg("--version")).0 != 0 {
        eprintln!("skipped: npm is not installed (the tarball itself needs no node to build)");
        return;
    }
    let tarball = file_ending(&dist, ".tgz");
    let work = tempfile::tempdir().unwrap();
    ok(Process::new("npm")
        .args([
            "install",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(work.path())
        .arg(&tarball));
    up_and_status(&work.path().join("node_modules/.bin/ferry"));
    // npx, from the file, nothing installed.
    let said = ok(Process::new("npx")
        .args(["--yes", "--offline", "-p"])
        .arg(&tarball)
        .args(["ferry", "--version"])
        .current_dir(work.path())
        .env("npm_config_cache", work.path().join("npm-cache")));
    assert!(said.contains(env!("CARGO_PKG_VERSION")), "{said}");
}

/// `ferry up` and `ferry status` from `binary` against a fresh database.
fn up_and_status(binary: &Path) {
    let db = TestDb::new();
    db.write("000001_packaged.up.sql", "CREATE TABLE packaged (id int);");
    let ferry = |args: &[&str]| {
        let mut cmd = Process::new(binary);
        cmd.args(args)
            .current_dir(db.path())
            .env("DATABASE_URL", &db.url)
            .env("NO_COLOR", "1");
        cmd
    };
    let version = ok(&mut ferry(&["--version"]));
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
    assert!(ok(&mut ferry(&["up"])).contains("1/u packaged"));
    assert!(ok(&mut ferry(&["status"])).contains("up to date"));
    assert_eq!(db.one("SELECT to_regclass('packaged') IS NOT NULL"), "t");
}

#[test]
fn the_checksums_match_the_files() {
    let Some(dist) = dist() else { return };
    let sums = std::fs::read_to_string(dist.join("SHA256SUMS")).unwrap();
    let files: Vec<&str> = sums
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(_, f)| f)
        .collect();
    for suffix in ["ferry", ".tar.gz", ".whl", ".tgz"] {
        assert!(
            files.iter().any(|f| f.ends_with(suffix)),
            "{suffix}: {sums}"
        );
    }
    let said = ok(Process::new("sha256sum")
        .args(["--check", "--strict", "SHA256SUMS"])
        .current_dir(&dist));
    assert_eq!(said.matches(": OK").count(), files.len(), "{said}");
    // The archive holds the binary, the licences, completions and man pages.
    let archive = file_ending(&dist, ".tar.gz");
    let listing = ok(Process::new("tar").arg("-tzf").arg(&archive));
    for member in [
        "/ferry",
        "/LICENSE-MIT",
        "/LICENSE-APACHE",
        "/completions/ferry.bash",
        "/man/ferry.1",
        "/man/ferry-up.1",
    ] {
        assert!(
            listing.lines().any(|l| l.ends_with(member)),
            "{member}: {listing}"
        );
    }
}
