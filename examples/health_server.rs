//! A tiny service that migrates itself at start-up, then serves a health line.
//!
//! Its SQL is compiled in (`build.rs` embeds `migrations/`), so the binary needs nothing
//! but a database:
//!
//! ```sh
//! DATABASE_URL=postgres://rekko:rekko@localhost:5433/rekko_dev cargo run --example health_server -- 127.0.0.1:8080
//! curl http://127.0.0.1:8080/health     # ok: schema version 5
//! ```
//!
//! Start several at once: the migration lock lets one replica migrate while the others
//! wait, then they find nothing left to do.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

fn main() {
    if let Err(err) = serve() {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL to the database to migrate")?;
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());

    let migrator =
        ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?.database_url(url);
    let applied = migrator.up()?;
    eprintln!("migrated: {} migration(s) applied", applied.len());
    let version = migrator.version()?.version;

    let listener = TcpListener::bind(&addr)?;
    println!("listening on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        let body = match version {
            Some(v) => format!("ok: schema version {v}\n"),
            None => "ok: no migrations\n".to_string(),
        };
        if let Err(err) = respond(stream?, &body) {
            eprintln!("request failed: {err}");
        }
    }
    Ok(())
}

fn respond(mut stream: TcpStream, body: &str) -> std::io::Result<()> {
    // Read the request head; any path gets the health line.
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
