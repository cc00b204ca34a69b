//! `ferry status`: where we are connected, and every migration with its state. Reads
//! only, so the files are read while the connection is made; `--fail-on-pending` turns it
//! into a CI gate.

use console::Style;
use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::StatusArgs;
use crate::db::state::Snapshot;
use crate::db::Session;
use crate::engine;
use crate::migration::{HistoryRow, Migration, Repeatable};
use crate::plan::{self, MigrationStatus, State};
use crate::source::files;

pub(crate) fn run(ctx: &Ctx, args: StatusArgs) -> anyhow::Result<()> {
    let loading = files::load_in_background(&ctx.config.migrations_dir, &ctx.config.vars)?;
    let mut session = ctx.open()?;
    let snapshot = session.snapshot()?;
    let loaded = loading.wait()?;
    ctx.warn_nested(&loaded);
    for problem in &loaded.problems {
        ctx.report
            .warn(&format!("{problem} (`ferry validate` lists every problem)"));
    }
    let status = engine::status(&snapshot, &loaded.migrations, &loaded.invalid_versions());
    let repeatables = repeatable_rows(&loaded.repeatables, &snapshot.history);
    let overview = Overview {
        pending: status
            .entries
            .iter()
            .filter(|e| e.state.is_pending())
            .count(),
        repeatables_due: repeatables.iter().filter(|r| r.state != "applied").count(),
        url: ctx.config.conn()?.display_url(),
        reached: reached(ctx, &session)?,
        lease: session.lease_holder_seen()?,
        table: session.tables.display(),
        dir: ctx.config.migrations_dir.display().to_string(),
        session: &session,
        snapshot: &snapshot,
        status: &status,
        repeatables: &repeatables,
    };
    if ctx.report.json() {
        print_json(ctx, &overview);
    } else {
        print_text(ctx, &overview, &loaded.migrations);
    }
    let due = overview.pending + overview.repeatables_due;
    if args.fail_on_pending && due > 0 {
        anyhow::bail!("{due} migration(s) pending; run `ferry up`");
    }
    Ok(())
}

/// Everything `status` shows, read once and printed as text or as one JSON document.
struct Overview<'a> {
    session: &'a Session<'static>,
    snapshot: &'a Snapshot,
    status: &'a engine::Status,
    repeatables: &'a [RepeatableRow],
    pending: usize,
    repeatables_due: usize,
    url: String,
    /// Which server of a host list answered, and whether it can be migrated.
    reached: String,
    lease: Option<String>,
    table: String,
    dir: String,
}

/// A repeatable migration: applied as it is, new (pending), or changed since it ran.
struct RepeatableRow {
    name: String,
    state: &'static str,
    applied_at: Option<String>,
}

fn repeatable_rows(repeatables: &[Repeatable], history: &[HistoryRow]) -> Vec<RepeatableRow> {
    repeatables
        .iter()
        .map(|r| {
            let script = &r.script;
            let due =
                plan::repeatable_due(history, &r.name, &script.checksum, &script.checksum_raw);
            let state = match due {
                None => "applied",
                Some(false) => "pending",
                Some(true) => "changed",
            };
            let applied_at = history
                .iter()
                .rev()
                .find(|h| h.direction == plan::Direction::Repeatable && h.name == r.name)
                .map(|h| h.started_at.clone());
            RepeatableRow {
                name: r.name.clone(),
                state,
                applied_at,
            }
        })
        .collect()
}

fn reached(ctx: &Ctx, session: &Session<'_>) -> anyhow::Result<String> {
    let mut reached = String::new();
    if let (false, Some(address)) = (
        ctx.config.conn()?.alternates.is_empty(),
        &session.info.address,
    ) {
        reached.push_str(&format!(", connected to {address}"));
    }
    if session.info.read_only {
        reached.push_str(", read-only (a standby: migrate on the primary)");
    }
    Ok(reached)
}

fn print_json(ctx: &Ctx, o: &Overview<'_>) {
    let info = &o.session.info;
    let migrations: Vec<_> = o
        .status
        .entries
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
    let repeatables: Vec<_> = o
        .repeatables
        .iter()
        .map(|r| json!({"name": r.name, "state": r.state, "applied_at": r.applied_at}))
        .collect();
    ctx.report.document_built(&json!({
        "server": info.server_version,
        "url": o.url,
        "database": info.database,
        "user": info.user,
        "tls": info.tls,
        "address": info.address,
        "read_only": info.read_only,
        "migrations_dir": o.dir,
        "table": o.table,
        "version": o.snapshot.version,
        "dirty": o.snapshot.dirty,
        "pending": o.pending,
        "invalid_indexes": info.invalid_indexes,
        "lock_mode": ctx.config.lock_mode.0.as_str(),
        "lease": o.lease,
        "migrations": migrations,
        "repeatables": repeatables,
    }));
}

fn print_text(ctx: &Ctx, o: &Overview<'_>, migrations: &[Migration]) {
    print_header(ctx, o);
    ctx.report.result("");
    if o.status.entries.is_empty() {
        ctx.report
            .result("no migrations yet: `ferry create NAME` adds one");
    } else {
        print_table(ctx, &o.status.entries);
    }
    if !o.repeatables.is_empty() {
        ctx.report.result("");
        print_repeatables(ctx, o.repeatables);
    }
    for index in &o.session.info.invalid_indexes {
        ctx.report.result(&format!(
            "index {index} is INVALID: a CREATE INDEX CONCURRENTLY failed; drop it and build it again"
        ));
    }
    ctx.report.result("");
    print_summary(ctx, o, migrations);
}

fn print_header(ctx: &Ctx, o: &Overview<'_>) {
    let info = &o.session.info;
    let (mode, why) = &ctx.config.lock_mode;
    let tls = if info.tls { "on" } else { "off" };
    for (key, value) in [
        (
            "server",
            format!(
                "PostgreSQL {} at {}{}",
                info.server_version, o.url, o.reached
            ),
        ),
        (
            "database",
            format!("{} as {}, TLS {tls}", info.database, info.user),
        ),
        ("migrations", o.dir.clone()),
        ("table", o.table.clone()),
        ("locking", format!("{} ({why})", mode.as_str())),
        ("version", o.snapshot.version_text()),
    ]
    .into_iter()
    .chain(
        o.lease
            .as_ref()
            .map(|holder| ("lease", format!("held by {holder}"))),
    ) {
        ctx.report.built(&format!("{key:<11}{value}"));
    }
}

fn print_repeatables(ctx: &Ctx, repeatables: &[RepeatableRow]) {
    let width = repeatables
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0)
        .max(10);
    let mut table = format!("{:<width$}  {:<8}  APPLIED AT (UTC)", "REPEATABLE", "STATE");
    for r in repeatables {
        let at = r
            .applied_at
            .as_deref()
            .unwrap_or("-")
            .replace('T', " ")
            .replace('Z', "");
        table.push_str(&format!("\n{:<width$}  {:<8}  {at}", r.name, r.state));
    }
    ctx.report.result(&table);
}

/// The last lines: a missing-files hint, how many are pending, and a dirty database's help.
fn print_summary(ctx: &Ctx, o: &Overview<'_>, migrations: &[Migration]) {
    let (view, snapshot) = (&o.status.view, o.snapshot);
    let missing = o
        .status
        .entries
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
    if let Some((_, inside)) = &o.status.inside_baseline {
        ctx.report.result(inside);
    }
    ctx.report.result(&match (o.pending, snapshot.dirty) {
        (0, false) => "up to date".to_string(),
        (0, true) => "nothing pending, but the database is dirty".to_string(),
        (1, _) => "1 migration pending".to_string(),
        (n, _) => format!("{n} migrations pending"),
    });
    if o.repeatables_due > 0 {
        ctx.report.result(&format!(
            "{} repeatable migration(s) new or changed: `ferry up` applies them",
            o.repeatables_due
        ));
    }
    if snapshot.dirty {
        ctx.report.result(&engine::dirty_help(
            snapshot.version,
            view.interrupted,
            migrations,
            plan::failure_note(&snapshot.history, view.interrupted),
        ));
    }
}

fn print_table(ctx: &Ctx, entries: &[MigrationStatus]) {
    let row = |e: &MigrationStatus| -> [String; 5] {
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
    };
    // The versions a baseline replaced, one line per run of them: a squash of hundreds
    // would otherwise bury the rest (the JSON lists each).
    let mut shown: Vec<([String; 5], State)> = Vec::with_capacity(entries.len());
    for run in entries.chunk_by(|a, b| a.state == State::Squashed && b.state == State::Squashed) {
        match run {
            [first, .., last] if first.state == State::Squashed && run.len() > 2 => {
                let mut cells = row(last);
                cells[0] = format!("{}…{}", first.version, last.version);
                cells[1] = format!("({} migrations)", run.len());
                cells[4] = "-".into();
                shown.push((cells, State::Squashed));
            }
            _ => shown.extend(run.iter().map(|e| (row(e), e.state))),
        }
    }
    let header = ["VERSION", "NAME", "STATE", "APPLIED AT (UTC)", "DURATION"];
    let mut widths = header.map(str::len);
    for (row, _) in &shown {
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
    for (row, state) in &shown {
        let cells = [&row[0], &row[1], &row[2], &row[3], &row[4]].map(String::as_str);
        table.push('\n');
        table.push_str(&format_row(cells, Some(*state)));
    }
    ctx.report.result(&table);
}

fn state_style(state: State) -> Style {
    match state {
        State::Applied | State::Squashed => Style::new().green(),
        State::Pending => Style::new().yellow(),
        _ => Style::new().red().bold(),
    }
}
