//! The shadow's own PostgreSQL: a cluster in ferry's cache (made once per server build
//! with `initdb`), started for one ferry run on a private Unix socket with no TCP port,
//! `fsync` off, and stopped when the run ends — on success, error, panic (the guard's
//! drop), Ctrl-C (the front end's quit action) and even when ferry is killed (the server
//! is told by the kernel, `PR_SET_PDEATHSIG`, and shuts down). One run uses a cluster at a
//! time: the next waits on its lock file, so concurrent runs share the cache safely.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::binaries::Server;

/// The superuser the shadow's clusters are made with.
pub(crate) const SUPERUSER: &str = "ferry";

/// Where scratch copies go when this machine has room in memory for them.
const MEMORY_DIR: &str = "/dev/shm";

/// The room in memory below which scratch copies stay on disk with the cluster.
const MEMORY_NEEDED: u64 = 1 << 30;

/// A running shadow server; stopped when the last of its users drops it.
pub(crate) struct Running {
    pub socket_dir: PathBuf,
    /// The tablespace in memory for scratch copies, made by the first shadow on this
    /// server (its dropping is the next fresh start's, with the leftovers).
    pub tablespace: std::sync::OnceLock<Option<String>>,
    /// An empty directory in memory (tmpfs) for a tablespace of scratch copies, when
    /// there is room: copying a template's few thousand small files to a disk costs
    /// a second, to memory tens of milliseconds. Templates stay on disk, in the cache.
    pub scratch_space: Option<PathBuf>,
    pid: i32,
    exited: std::sync::Mutex<Option<mpsc::Receiver<()>>>,
    _lock: File,
}

/// Who runs the server: ferry's own user, or — as root, which PostgreSQL refuses — the
/// `postgres` user.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

fn run_as() -> anyhow::Result<Option<RunAs>> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = std::ffi::CString::new("postgres").expect("no NUL");
    // SAFETY: a valid C string; the result is read at once, before another getpw call.
    let entry = unsafe { libc::getpwnam(name.as_ptr()) };
    if entry.is_null() {
        bail!(
            "ferry runs as root and PostgreSQL refuses to: the shadow server runs as the `postgres` user, \
             and there is none here (create it: useradd --system postgres), or give a server with --shadow postgres://…"
        );
    }
    // SAFETY: checked non-null above.
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    Ok(Some(RunAs { uid, gid }))
}

fn chown(path: &Path, who: Option<RunAs>) -> anyhow::Result<()> {
    if let Some(who) = who {
        std::os::unix::fs::chown(path, Some(who.uid), Some(who.gid))
            .with_context(|| format!("could not hand {} to the postgres user", path.display()))?;
    }
    Ok(())
}

fn command(program: PathBuf, who: Option<RunAs>) -> Command {
    let mut command = Command::new(program);
    if let Some(who) = who {
        command.uid(who.uid).gid(who.gid);
    }
    command
}

/// The cluster directory for `server` under `cache`: one per major and build.
pub(crate) fn cluster_dir(cache: &Path, server: &Server) -> PathBuf {
    use sha2::{Digest, Sha256};
    let build = format!(
        "{:x}",
        Sha256::digest(server.bindir.to_string_lossy().as_bytes())
    );
    cache.join(format!("pg{}-{}", server.major, &build[..10]))
}

/// The servers this process runs, by cluster: a second shadow on the same cluster in one
/// process (a test binary's `TestDatabases` and its `round_trips`) shares the server
/// rather than wait for the cluster's lock, which this process itself holds.
static RUNNING: std::sync::Mutex<Vec<(PathBuf, std::sync::Weak<Running>)>> =
    std::sync::Mutex::new(Vec::new());

/// A number for names this process makes (socket and scratch directories).
static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The server of `cluster`: the one this process already runs, or — taking the cluster's
/// lock (waiting, after saying so through `note`, while another run has it), making the
/// cluster when it is new — a new one on a socket directory under `runtime_dir`. The
/// flag says whether it was started now (what a killed run left is then to be cleared).
pub(crate) fn start(
    server: &Server,
    cluster: &Path,
    runtime_dir: &Path,
    note: &dyn Fn(&str),
) -> anyhow::Result<(std::sync::Arc<Running>, bool)> {
    let mut registry = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
    registry.retain(|(_, running)| running.strong_count() > 0);
    if let Some(running) = registry
        .iter()
        .find(|(path, _)| path == cluster)
        .and_then(|(_, running)| running.upgrade())
    {
        return Ok((running, false));
    }
    let running = std::sync::Arc::new(start_new(server, cluster, runtime_dir, note)?);
    registry.push((cluster.to_path_buf(), std::sync::Arc::downgrade(&running)));
    Ok((running, true))
}

fn start_new(
    server: &Server,
    cluster: &Path,
    runtime_dir: &Path,
    note: &dyn Fn(&str),
) -> anyhow::Result<Running> {
    let who = run_as()?;
    std::fs::create_dir_all(cluster)
        .with_context(|| format!("could not create the shadow's cache {}", cluster.display()))?;
    let lock = lock(cluster, note)?;
    let data = cluster.join("data");
    if !cluster.join("ready").is_file() {
        make_cluster(server, cluster, &data, who)?;
    }
    stop_leftover(&data);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let socket_dir = runtime_dir.join(format!("ferry-shadow-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&socket_dir);
    std::fs::create_dir_all(&socket_dir)
        .with_context(|| format!("could not create {}", socket_dir.display()))?;
    chown(&socket_dir, who)?;
    let log = cluster.join("server.log");
    let log_file =
        File::create(&log).with_context(|| format!("could not write {}", log.display()))?;
    chown(&log, who)?;
    let mut postgres = command(server.bindir.join("postgres"), who);
    postgres
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&socket_dir)
        .args(["-c", "listen_addresses=", "-c", "port=5432"])
        .args([
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "synchronous_commit=off",
        ])
        .args(["-c", "max_connections=64", "-c", "logging_collector=off"])
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file);
    // SAFETY: prctl is async-signal-safe; it only sets this child's parent-death signal
    // (after the uid change, which would clear it).
    unsafe {
        postgres.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT);
            Ok(())
        });
    }
    // The parent-death signal follows the thread that spawned the child: a thread that
    // lives as long as the server spawns it and waits for it.
    let (spawned_tx, spawned_rx) = mpsc::channel();
    let (exited_tx, exited_rx) = mpsc::channel();
    std::thread::spawn(move || match postgres.spawn() {
        Ok(mut child) => {
            let _ = spawned_tx.send(Ok(child.id() as i32));
            let _ = child.wait();
            let _ = exited_tx.send(());
        }
        Err(e) => {
            let _ = spawned_tx.send(Err(e));
        }
    });
    let pid = spawned_rx
        .recv()
        .context("the shadow server's thread ended")?
        .with_context(|| {
            format!(
                "could not start {}",
                server.bindir.join("postgres").display()
            )
        })?;
    let scratch_space = memory_dir(who, n);
    let mut running = Running {
        socket_dir,
        tablespace: std::sync::OnceLock::new(),
        scratch_space,
        pid,
        exited: std::sync::Mutex::new(Some(exited_rx)),
        _lock: lock,
    };
    running.wait_ready(&data, &log)?;
    Ok(running)
}

impl Running {
    /// Waits until the server says it accepts connections, as `pg_ctl -w` does: the status
    /// line of its pid file reads `ready`.
    fn wait_ready(&mut self, data: &Path, log: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let pid_file = std::fs::read_to_string(data.join("postmaster.pid")).unwrap_or_default();
            let lines: Vec<&str> = pid_file.lines().collect();
            if lines.first().map(|l| l.trim()) == Some(self.pid.to_string().as_str())
                && lines.get(7).map(|l| l.trim()) == Some("ready")
            {
                return Ok(());
            }
            let exited = self.exited.get_mut().unwrap_or_else(|p| p.into_inner());
            let gone = exited.as_ref().is_some_and(|rx| rx.try_recv().is_ok());
            if gone || Instant::now() > deadline {
                *exited = None;
                let text = std::fs::read_to_string(log).unwrap_or_default();
                let last: Vec<&str> = text.lines().rev().take(3).collect();
                bail!(
                    "the shadow PostgreSQL did not start ({}): {}",
                    log.display(),
                    last.into_iter().rev().collect::<Vec<_>>().join(" | ")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (a fast shutdown) and waits until it is gone.
    pub(crate) fn stop(&mut self) {
        let taken = self
            .exited
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(exited) = taken else {
            return;
        };
        stop_pid(self.pid, &exited);
        let _ = std::fs::remove_dir_all(&self.socket_dir);
        if let Some(dir) = &self.scratch_space {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// What stops the server from another thread (Ctrl-C): its process id.
    pub(crate) fn pid(&self) -> i32 {
        self.pid
    }
}

fn stop_pid(pid: i32, exited: &mpsc::Receiver<()>) {
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid, libc::SIGINT) };
    if exited.recv_timeout(Duration::from_secs(20)).is_err() {
        // SAFETY: as above; an immediate shutdown when the fast one hangs.
        unsafe { libc::kill(pid, libc::SIGQUIT) };
        let _ = exited.recv_timeout(Duration::from_secs(5));
    }
}

/// Signals a shadow server to stop, from a thread that does not own it (Ctrl-C).
pub(crate) fn signal_stop(pid: i32) {
    // SAFETY: signalling our own child by its id.
    unsafe { libc::kill(pid, libc::SIGINT) };
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A fresh directory under /dev/shm for scratch copies, when it is a tmpfs with room;
/// one a killed run left is removed first.
fn memory_dir(who: Option<RunAs>, n: usize) -> Option<PathBuf> {
    let base = Path::new(MEMORY_DIR);
    let path = std::ffi::CString::new(MEMORY_DIR).ok()?;
    // SAFETY: statvfs fills the struct it is given for a valid C path.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return None;
    }
    if (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64) < MEMORY_NEEDED {
        return None;
    }
    if let Ok(entries) = std::fs::read_dir(base) {
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().to_string();
            let pid = name
                .strip_prefix("ferry-scratch-")
                .and_then(|p| p.split('-').next())
                .and_then(|p| p.parse::<i32>().ok());
            // SAFETY: probing whether a process id is alive.
            if pid.is_some_and(|p| unsafe { libc::kill(p, 0) } != 0) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = base.join(format!("ferry-scratch-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).ok()?;
    chown(&dir, who).ok()?;
    Some(dir)
}

/// An exclusive lock on the cluster: another run waits, saying so once.
pub(crate) fn lock(cluster: &Path, note: &dyn Fn(&str)) -> anyhow::Result<File> {
    use std::os::fd::AsRawFd;
    let path = cluster.join("lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("could not open {}", path.display()))?;
    // SAFETY: flock on an open descriptor.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        note("waiting for another ferry run to finish with the shadow PostgreSQL");
        // SAFETY: as above.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            bail!("could not lock {}", path.display());
        }
    }
    Ok(file)
}

/// `initdb`: trust on the private socket only, UTF-8, the C locale, no fsync.
fn make_cluster(
    server: &Server,
    cluster: &Path,
    data: &Path,
    who: Option<RunAs>,
) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data)?;
    chown(cluster, who)?;
    chown(data, who)?;
    let out = command(server.bindir.join("initdb"), who)
        .arg("-D")
        .arg(data)
        .args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not run {}", server.bindir.join("initdb").display()))?;
    if !out.status.success() {
        bail!(
            "initdb failed for the shadow PostgreSQL in {}: {}",
            data.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    std::fs::write(
        cluster.join("ready"),
        server.bindir.to_string_lossy().as_bytes(),
    )?;
    Ok(())
}

/// A server a killed run left behind (its parent-death signal lost): stopped before this
/// run starts one, as the lock says no other run uses it.
fn stop_leftover(data: &Path) {
    let Ok(text) = std::fs::read_to_string(data.join("postmaster.pid")) else {
        return;
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
    else {
        return;
    };
    // Only the server of this data directory: a pid file's number may since belong to
    // another process.
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let ours = String::from_utf8_lossy(&cmdline).contains(&*data.to_string_lossy());
    // SAFETY: probing and signalling a process id read from the server's own pid file.
    if pid <= 0 || !ours || unsafe { libc::kill(pid, 0) } != 0 {
        return;
    }
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while unsafe { libc::kill(pid, 0) } == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}
