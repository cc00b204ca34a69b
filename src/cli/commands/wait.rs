//! `ferry wait`: block until the server accepts a connection and answers a query — for
//! a CI step or a container entrypoint that starts PostgreSQL and migrates right after.
//! Every error counts as "not yet" (a server that is starting refuses, then rejects with
//! "starting up", then may not have the database yet); the last one is reported when the
//! time is up. Each attempt is cut short at the deadline, so `--timeout` is kept to within
//! a fraction of a second however the server misbehaves.

use std::time::{Duration, Instant};

use anyhow::anyhow;

use super::ctx::Ctx;
use crate::cli::args::WaitArgs;
use crate::conn::connect::connect_while_waiting;

/// Pause between attempts: short, since a server that is starting is usually ready in
/// well under a second.
const PAUSE: Duration = Duration::from_millis(200);
/// The shortest attempt: a zero connect timeout would mean no limit at all.
const SHORTEST: Duration = Duration::from_millis(50);

pub(crate) fn run(ctx: &Ctx, args: WaitArgs) -> anyhow::Result<()> {
    let params = ctx.config.conn()?;
    let started = Instant::now();
    let deadline = started + args.timeout;
    let mut told = false;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut attempt = params.clone();
        attempt.connect_timeout = if params.connect_timeout.is_zero() {
            remaining
        } else {
            params.connect_timeout.min(remaining)
        }
        .max(SHORTEST);
        let result = connect_while_waiting(&attempt).and_then(|mut client| {
            client
                .simple_query("SELECT 1")
                .map(drop)
                .map_err(|e| anyhow!("the server accepted the connection but not a query: {e}"))
        });
        let error = match result {
            Ok(()) => {
                ctx.report.info(&format!(
                    "server at {} is ready ({:.1}s)",
                    params.target(),
                    started.elapsed().as_secs_f64()
                ));
                return Ok(());
            }
            Err(e) => e,
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(error.context(format!(
                "gave up waiting for the server at {} after {}",
                params.target(),
                humantime::format_duration(args.timeout)
            )));
        }
        if !told {
            ctx.report.info(&format!(
                "waiting up to {} for the server at {}: {error:#}",
                humantime::format_duration(args.timeout),
                params.target()
            ));
            told = true;
        }
        std::thread::sleep(PAUSE.min(deadline - now));
    }
}
