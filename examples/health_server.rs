//! A small tokio service that migrates itself at start-up, then serves a health line.
//!
//! Its SQL is compiled in (`ferry::embed_migrations!`, no build script), so the binary
//! needs nothing but a database:
//!
//! ```sh
//! DATABASE_URL=postgres://rekko:rekko@localhost:5433/rekko_dev cargo run --features tokio --example health_server -- 127.0.0.1:8080
//! curl http://127.0.0.1:8080/health     # ok: schema version 6
//! ```
//!
//! Start several at once: the migration lock lets one replica migrate while the others
//! wait, then they find nothing left to do. A failure to migrate exits non-zero with the
//! CLI's exit code for it (3 dirty, 4 lock not acquired, 5 invalid files, 1 otherwise).

use std::process::ExitCode;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() -> ExitCode {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) => url,
        Err(_) => {
            eprintln!("error: set DATABASE_URL to the database to migrate");
            return ExitCode::from(2);
        }
    };
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());

    let version = match migrate(url).await {
        Ok(version) => version,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(exit_code(&err));
        }
    };
    match serve(&addr, version).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: serving on {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Applies what is pending and returns the schema version.
async fn migrate(url: String) -> Result<Option<i64>, ferry::Error> {
    let migrator = ferry::Migrator::from_embedded(ferry::embed_migrations!("migrations"))?
        .database_url(url)
        .on_event(|event| {
            if let ferry::Event::StepDone {
                version,
                name,
                duration_ms: Some(ms),
                ..
            } = event
            {
                eprintln!("applied {version} {name} in {ms:.1} ms");
            }
        });
    let db = migrator.on_database_url();
    let applied = db.up().await?;
    eprintln!("migrated: {} migration(s) applied", applied.len());
    Ok(db.version().await?.version)
}

fn exit_code(err: &ferry::Error) -> u8 {
    match err {
        ferry::Error::Dirty { .. } => 3,
        ferry::Error::LockTimeout { .. } => 4,
        ferry::Error::Invalid { .. } => 5,
        _ => 1,
    }
}

async fn serve(addr: &str, version: Option<i64>) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    println!("listening on {}", listener.local_addr()?);
    let body = match version {
        Some(v) => format!("ok: schema version {v}\n"),
        None => "ok: no migrations\n".to_string(),
    };
    loop {
        let (stream, _) = listener.accept().await?;
        let body = body.clone();
        tokio::spawn(async move {
            if let Err(err) = respond(stream, &body).await {
                eprintln!("request failed: {err}");
            }
        });
    }
}

async fn respond(mut stream: TcpStream, body: &str) -> std::io::Result<()> {
    // Read the request head; any path gets the health line.
    let (read, mut write) = stream.split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    while reader.read_line(&mut line).await? > 2 {
        line.clear();
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    write.write_all(response.as_bytes()).await
}
