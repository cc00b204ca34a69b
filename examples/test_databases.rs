//! Fresh, migrated databases for tests with `ferry::testing`: the migrations are replayed
//! once into a template (on ferry's own throwaway PostgreSQL, or the server `--server URL`
//! names), then each "test" gets a copy, used and dropped. Prints how long the template
//! took and each copy's median, so it doubles as the benchmark of that path:
//!
//!     cargo run --release --example test_databases -- migrations 20
//!     cargo run --release --example test_databases -- migrations 20 --server postgres://me@localhost/postgres

use std::time::{Duration, Instant};

use ferry::testing::TestDatabases;
use ferry::Migrator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "migrations".to_string());
    let copies: usize = args.next().map_or(Ok(20), |n| n.parse())?;
    let server = match (args.next().as_deref(), args.next()) {
        (Some("--server"), Some(url)) => Some(url),
        _ => None,
    };

    let started = Instant::now();
    let migrator = Migrator::from_dir(&dir)?;
    let databases = match &server {
        Some(url) => TestDatabases::on_server(migrator, url)?,
        None => TestDatabases::new(migrator)?,
    };
    println!("template ready: {} ms", started.elapsed().as_millis());

    let (mut fresh, mut dropped) = (Vec::new(), Vec::new());
    for _ in 0..copies {
        let t = Instant::now();
        let db = databases.fresh()?;
        fresh.push(t.elapsed());
        let mut client = postgres::Client::connect(db.url(), postgres::NoTls)?;
        client.simple_query("SELECT 1")?;
        drop(client);
        let t = Instant::now();
        drop(db);
        dropped.push(t.elapsed());
    }
    println!(
        "fresh database: median {:.1} ms (min {:.1}, max {:.1}) over {copies}; dropping one: median {:.1} ms",
        ms(median(&mut fresh)),
        ms(*fresh.first().unwrap_or(&Duration::ZERO)),
        ms(*fresh.last().unwrap_or(&Duration::ZERO)),
        ms(median(&mut dropped)),
    );
    Ok(())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
