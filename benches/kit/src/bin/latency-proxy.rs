//! latency-proxy: a TCP proxy for benchmarks that makes a local PostgreSQL look far away.
//!
//! Every chunk of bytes is held for `--delay-ms` in each direction before it is passed on,
//! so a request and its answer cost two delays, one round trip, as over a network; bytes
//! are not otherwise slowed down (the delay is latency, not bandwidth). Each connection is
//! also accounted with `ferry_bench_kit::wire`: when it closes, one line with its round
//! trips (start-up and after it) and the client's messages by type is appended to
//! `--report` (or printed on stderr), so "at most N round trips" is measured, not assumed.
//!
//! It listens on 127.0.0.1 only, a thread pair per direction per connection, and stops by
//! itself after `--max-seconds` (default 900) or once `--max-connections` connections have
//! closed, whichever comes first.
//!
//! ```text
//! latency-proxy --upstream 127.0.0.1:5432 --delay-ms 5 [--listen 127.0.0.1:0]
//!               [--port-file FILE] [--report FILE] [--max-connections N] [--max-seconds S]
//! ```

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use ferry_bench_kit::wire::Conversation;

struct Args {
    listen: SocketAddr,
    upstream: SocketAddr,
    delay: Duration,
    port_file: Option<PathBuf>,
    report: Option<PathBuf>,
    max_connections: Option<usize>,
    max_seconds: u64,
}

const USAGE: &str =
    "usage: latency-proxy --upstream HOST:PORT --delay-ms MS [--listen 127.0.0.1:PORT] \
                     [--port-file FILE] [--report FILE] [--max-connections N] [--max-seconds S]";

fn parse_args() -> Result<Args, String> {
    let mut listen = "127.0.0.1:0".to_string();
    let mut upstream = None;
    let mut delay_ms = None;
    let mut port_file = None;
    let mut report = None;
    let mut max_connections = None;
    let mut max_seconds = 900;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--listen" => listen = value()?,
            "--upstream" => upstream = Some(value()?),
            "--delay-ms" => delay_ms = Some(number(value()?)?),
            "--port-file" => port_file = Some(PathBuf::from(value()?)),
            "--report" => report = Some(PathBuf::from(value()?)),
            "--max-connections" => max_connections = Some(number(value()?)? as usize),
            "--max-seconds" => max_seconds = number(value()?)?,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let listen: SocketAddr = listen
        .parse()
        .map_err(|_| format!("--listen: not an address: {listen}"))?;
    // A benchmark helper that forwards to a database must not be reachable from outside.
    if !listen.ip().is_loopback() {
        return Err(format!("--listen must be a loopback address, not {listen}"));
    }
    let upstream = upstream.ok_or(format!("--upstream is required\n{USAGE}"))?;
    let upstream = upstream
        .to_socket_addrs()
        .map_err(|e| format!("--upstream {upstream}: {e}"))?
        .next()
        .ok_or(format!("--upstream {upstream}: no address"))?;
    Ok(Args {
        listen,
        upstream,
        delay: Duration::from_millis(delay_ms.ok_or(format!("--delay-ms is required\n{USAGE}"))?),
        port_file,
        report,
        max_connections,
        max_seconds,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("latency-proxy: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(args.listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("latency-proxy: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    if let Some(path) = &args.port_file {
        // Written whole, then renamed: a script polling for it never reads half a number.
        let tmp = path.with_extension("tmp");
        if let Err(e) =
            std::fs::write(&tmp, format!("{port}\n")).and_then(|()| std::fs::rename(&tmp, path))
        {
            eprintln!("latency-proxy: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "latency-proxy: 127.0.0.1:{port} -> {}, {} ms each way",
        args.upstream,
        args.delay.as_millis()
    );

    let deadline = Duration::from_secs(args.max_seconds);
    thread::spawn(move || {
        thread::sleep(deadline);
        eprintln!("latency-proxy: stopping after {}s", deadline.as_secs());
        std::process::exit(0);
    });

    let closed = Arc::new(AtomicUsize::new(0));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let max = args.max_connections;
    let mut accepted = 0usize;
    let mut handles = Vec::new();
    for client in listener.incoming() {
        let client = match client {
            Ok(c) => c,
            Err(e) => {
                eprintln!("latency-proxy: accept: {e}");
                continue;
            }
        };
        accepted += 1;
        let id = accepted;
        let upstream = args.upstream;
        let delay = args.delay;
        let report = args.report.clone();
        let closed = Arc::clone(&closed);
        let done_tx = done_tx.clone();
        handles.push(thread::spawn(move || {
            if let Err(e) = serve(id, client, upstream, delay, report.as_deref()) {
                eprintln!("latency-proxy: connection {id}: {e}");
            }
            closed.fetch_add(1, Ordering::SeqCst);
            let _ = done_tx.send(());
        }));
        if max.is_some_and(|m| accepted >= m) {
            break;
        }
    }
    drop(done_tx);
    // Every accepted connection finishes (and reports) before the count-bounded exit.
    for _ in done_rx.iter() {}
    for h in handles {
        let _ = h.join();
    }
    ExitCode::SUCCESS
}

/// Proxies one connection until both sides have closed, then reports it.
fn serve(
    id: usize,
    client: TcpStream,
    upstream: SocketAddr,
    delay: Duration,
    report: Option<&std::path::Path>,
) -> std::io::Result<()> {
    let started = Instant::now();
    let server = TcpStream::connect(upstream)?;
    // Without this, Nagle's algorithm and delayed ACKs add their own 40 ms stalls.
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let talk = Arc::new(Mutex::new(Conversation::default()));

    let up = pump(
        client.try_clone()?,
        server.try_clone()?,
        delay,
        Arc::clone(&talk),
        true,
    );
    let down = pump(server, client, delay, Arc::clone(&talk), false);
    for half in up.into_iter().chain(down) {
        let _ = half.join();
    }

    let talk = talk
        .lock()
        .map_err(|_| std::io::Error::other("accounting poisoned"))?;
    let line = format!(
        "connection={id} round_trips_after_ready={} round_trips_total={} messages_after_ready={} \
         encrypted={} bytes_up={} bytes_down={} ms={}\n",
        talk.round_trips_after_ready,
        talk.round_trips,
        talk.messages_summary(),
        talk.encrypted,
        talk.bytes_up,
        talk.bytes_down,
        started.elapsed().as_millis()
    );
    match report {
        Some(path) => OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(line.as_bytes())?,
        None => eprint!("latency-proxy: {line}"),
    }
    Ok(())
}

/// One direction: a reader that stamps each chunk with its arrival time and a writer that
/// passes it on `delay` later. Two threads, so a slow write never delays the next read's
/// timestamp.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    delay: Duration,
    talk: Arc<Mutex<Conversation>>,
    from_client: bool,
) -> [thread::JoinHandle<()>; 2] {
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    let reader = thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let arrived = Instant::now();
            if let Ok(mut talk) = talk.lock() {
                if from_client {
                    talk.client(&buf[..n]);
                } else {
                    talk.server(&buf[..n]);
                }
            }
            if tx.send((arrived, buf[..n].to_vec())).is_err() {
                break;
            }
        }
        // End of stream travels through the channel too, delayed like the data.
        drop(tx);
    });
    let writer = thread::spawn(move || {
        for (arrived, chunk) in rx {
            let due = arrived + delay;
            let now = Instant::now();
            if due > now {
                thread::sleep(due - now);
            }
            if to.write_all(&chunk).is_err() {
                break;
            }
        }
        thread::sleep(delay);
        let _ = to.shutdown(Shutdown::Write);
    });
    [reader, writer]
}
