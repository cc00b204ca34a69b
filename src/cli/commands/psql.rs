//! `ferry psql [-- ARGS…]`: psql on the connection ferry resolved, so `.env`, `DATABASE_URL`
//! and the `DB_*` variables work for it too. The password travels in psql's environment,
//! never its argv. On Unix ferry becomes psql (exec): Ctrl-C, the exit status and the
//! terminal all belong to psql, as if it had been started by hand.

use std::process::Stdio;

use anyhow::Context;

use super::ctx::Ctx;
use crate::cli::args::PsqlArgs;
use crate::conn::pgtools::{PgTool, Program};

pub(crate) fn run(ctx: &Ctx, args: PsqlArgs) -> anyhow::Result<()> {
    let params = ctx.config.conn()?;
    // Connecting first finds the server's version, and fails with ferry's explanation
    // rather than psql's when the server cannot be reached.
    let session = ctx.open()?;
    let tool = PgTool::find(
        Program::Psql,
        &ctx.config.pg_tools,
        &session.info.server_version,
    )?;
    drop(session);
    let mut command = tool.command(params)?;
    command
        .args(&args.args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        let err = std::os::unix::process::CommandExt::exec(&mut command);
        Err(err).with_context(|| format!("starting {tool}"))
    }
    #[cfg(not(unix))]
    {
        let status = command
            .status()
            .with_context(|| format!("starting {tool}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(anyhow::anyhow!("psql exited with {status}"))
        }
    }
}
