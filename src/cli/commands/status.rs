//! `ferry status`: where we are connected, and every migration with its state. Reads
//! only, so the files are read while the connection is made; `--fail-on-pending` turns it
//! into a CI gate.

use console::Style;
use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::StatusArgs;
use crate::engine;
use crate::plan::{self, MigrationStatus, State};
use crate::source::files;

pub(crate) fn run(ctx: &Ctx, args: StatusArgs) -> anyhow::Result<()> {
    let loading = files::load_in_background(&ctx.config.migrations_dir, &ctx.config.vars)?;
    let mut session = ctx.open()?;
    let snapshot = session.snapshot()?;
    let invalid_indexes = session.info.invalid_indexes.clone();
    let loaded = loading.wait()?;
    ctx.warn_nested(&loaded);
    for problem in &loaded.problems {
        ctx.report
            .warn(&format!("{problem} (`ferry validate` lists every problem)"));
    }
    let engine::Status { view, entries } =
        engine::status(&snapshot, &loaded.migrations, &loaded.invalid_versions());
    let pending = entries
        .iter()
        .filter(|e| matches!(e.state, State::Pending | State::OutOfOrder))
        .count();
    // Repeatable migrations: applied as they are, new (pending), or changed since they ran.
    let repeatables: Vec<(&str, &str, Option<String>)> = loaded
        .repeatables
        .iter()
        .map(|r| {
            let script = &r.script;
            let state = match plan::repeatable_due(
                &snapshot.history,
                &r.name,
                &script.checksum,
                &script.checksum_raw,
            ) {
                None => "applied",
                Some(false) => "pending",
                Some(true) => "changed",
            };
            let at = snapshot
                .history
                .iter()
                .rev()
                .find(|h| h.direction == plan::Direction::Repeatable && h.name == r.name)
                .map(|h| h.started_at.clone());
            (r.name.as_str(), state, at)
        })
        .collect();
    let repeatables_due = repeatables
        .iter()
        .filter(|(_, s, _)| *s != "applied")
        .count();
    let conn = ctx.config.conn()?;
    let url = conn.display_url();
    // Which server of a host list answered, and whether it can be migrated.
    let mut reached = String::new();
    if let (false, Some(address)) = (conn.alternates.is_empty(), &session.info.address) {
        reached.push_str(&format!(", connected to {address}"));
    }
    if session.info.read_only {
        reached.push_str(", read-only (a standby: migrate on the primary)");
    }
    let (mode, why) = &ctx.config.lock_mode;
    let lease = session.lease_holder_seen()?;
    let dir = ctx.config.migrations_dir.display().to_string();

    if ctx.report.json() {
        let migrations: Vec<_> = entries
            .iter()
            .map(|e| {
                json!({
                    "version": e.version,
                    "name": e.name,
                    "state": e.state,
                    "applied_at": e.applied_at,
                    "duration_ms": e.duration_ms,
                })
            })
            .collect();
        ctx.report.document_built(&json!({
            "server": session.info.server_version,
            "url": url,
            "database": session.info.database,
            "user": session.info.user,
            "tls": session.info.tls,
            "address": session.info.address,
            "read_only": session.info.read_only,
            "migrations_dir": dir,
            "table": session.tables.display(),
            "version": snapshot.version,
            "dirty": snapshot.dirty,
            "pending": pending,
            "invalid_indexes": invalid_indexes,
            "lock_mode": mode.as_str(),
            "lease": lease,
            "migrations": migrations,
            "repeatables": repeatables
                .iter()
                .map(|(name, state, at)| json!({"name": name, "state": state, "applied_at": at}))
                .collect::<Vec<_>>(),
        }));
    } else {
        let info = &session.info;
        let version = snapshot.version_text();
        for (key, value) in [
            (
                "server",
                format!("PostgreSQL {} at {url}{reached}", info.server_version),
            ),
            (
                "database",
                format!(
                    "{} as {}, TLS {}",
                    info.database,
                    info.user,
                    if info.tls { "on" } else { "off" }
                ),
            ),
            ("migrations", dir),
            ("table", session.tables.display()),
            ("locking", format!("{} ({why})", mode.as_str())),
            ("version", version),
        ]
        .into_iter()
        .chain(lease.map(|holder| ("lease", format!("held by {holder}"))))
        {
            ctx.report.built(&format!("{key:<11}{value}"));
        }
        ctx.report.result("");
        if entries.is_empty() {
            ctx.report
                .result("no migrations yet: `ferry create NAME` adds one");
        } else {
            print_table(ctx, &entries);
        }
        if !repeatables.is_empty() {
            ctx.report.result("");
            let width = repeatables
                .iter()
                .map(|(n, _, _)| n.len())
                .max()
                .unwrap_or(0)
                .max(10);
            let mut table = format!("{:<width$}  {:<8}  APPLIED AT (UTC)", "REPEATABLE", "STATE");
            for (name, state, at) in &repeatables {
                let at = at
                    .as_deref()
                    .unwrap_or("-")
                    .replace('T', " ")
                    .replace('Z', "");
                table.push_str(&format!("\n{name:<width$}  {state:<8}  {at}"));
            }
            ctx.report.result(&table);
        }
        for index in &invalid_indexes {
            ctx.report.result(&format!(
                "index {index} is INVALID: a CREATE INDEX CONCURRENTLY failed; drop it and build it again"
            ));
        }
        ctx.report.result("");
        let missing = entries
            .iter()
            .filter(|e| e.state == State::MissingFile)
            .count();
        if missing > 0 && missing == view.applied.len() {
            ctx.report.result(&format!(
                "none of the {missing} applied migration(s) has a file in {}: check --path \
                 (or FERRY_PATH)",
                ctx.config.migrations_dir.display()
            ));
        }
        ctx.report.result(&match (pending, snapshot.dirty) {
            (0, false) => "up to date".to_string(),
            (0, true) => "nothing pending, but the database is dirty".to_string(),
            (1, _) => "1 migration pending".to_string(),
            (n, _) => format!("{n} migrations pending"),
        });
        if repeatables_due > 0 {
            ctx.report.result(&format!(
                "{repeatables_due} repeatable migration(s) new or changed: `ferry up` applies them"
            ));
        }
        if snapshot.dirty {
            ctx.report.result(&engine::dirty_help(
                snapshot.version,
                view.interrupted,
                &loaded.migrations,
                plan::failure_note(&snapshot.history, view.interrupted),
            ));
        }
    }

    if args.fail_on_pending && pending + repeatables_due > 0 {
        anyhow::bail!(
            "{} migration(s) pending; run `ferry up`",
            pending + repeatables_due
        );
    }
    Ok(())
}

fn print_table(ctx: &Ctx, entries: &[MigrationStatus]) {
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            [
                e.version.to_string(),
                // A name read back from the history, escaped like a file's.
                crate::source::files::shown(&e.name),
                e.state.as_str().to_string(),
                e.applied_at
                    .clone()
                    .unwrap_or_else(|| "-".into())
                    .replace('T', " ")
                    .replace('Z', ""),
                e.duration_ms.map_or("-".into(), |d| format!("{d} ms")),
            ]
        })
        .collect();
    let header = ["VERSION", "NAME", "STATE", "APPLIED AT (UTC)", "DURATION"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let format_row = |cells: [&str; 5], state: Option<State>| {
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let padded = format!("{cell:<width$}");
            let shown = match (i, state) {
                (2, Some(s)) => ctx.report.paint(&state_style(s), &padded),
                _ => padded,
            };
            line.push_str(&shown);
            line.push_str("  ");
        }
        line.trim_end().to_string()
    };
    // One write for the whole table: thousands of migrations are thousands of lines, and
    // a write per line would cost more than reading the files did.
    let mut table = format_row(header, None);
    for (row, entry) in rows.iter().zip(entries) {
        let cells = [&row[0], &row[1], &row[2], &row[3], &row[4]].map(String::as_str);
        table.push('\n');
        table.push_str(&format_row(cells, Some(entry.state)));
    }
    ctx.report.result(&table);
}

fn state_style(state: State) -> Style {
    match state {
        State::Applied => Style::new().green(),
        State::Pending => Style::new().yellow(),
        _ => Style::new().red().bold(),
    }
}
