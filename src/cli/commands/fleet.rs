//! `--targets FILE` / `--targets-query SQL`: one command (`up`, `down N`, `goto`,
//! `version`, `status`) over many databases — a database per tenant, on several servers.
//!
//! Each target is its own session with its own lock, exactly as a plain `ferry up` on it
//! would be, so two fleet runs (or a fleet run and a plain run) never apply a migration
//! twice. `--jobs N` targets run at once. By default the first failure stops new targets
//! from starting (running ones finish); `--keep-going` runs them all; `--canary N` runs
//! the first N alone, and the rest only if they all succeeded. A re-run changes only the
//! targets not yet at the goal. The report is a table (text) or one JSON object per
//! target and a summary (`--format json`); the exit code is the most severe of the
//! targets' (see [`severity`]).

use std::collections::HashMap;
use std::io::Read as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use anyhow::Context;
use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::Command;
use crate::cli::config::{Config, Targets};
use crate::cli::interrupt;
use crate::cli::ui::progress::Progress;
use crate::conn::params::{ConnParams, Source};
use crate::conn::redact::redact;
use crate::db::state::TableName;
use crate::db::wire::{Message, Wire};
use crate::db::Session;
use crate::engine::{self, describe, Options, Request};
use crate::error;
use crate::events::Quiet;
use crate::plan::{self, Known, State, Step, View};
use crate::source::files::{Migration, Repeatable};
use crate::sql::quote::{quote_ident, quote_literal};

/// What runs on each target.
#[derive(Debug, Clone, Copy)]
enum Call {
    Up {
        limit: Option<usize>,
        allow_out_of_order: bool,
    },
    Down {
        count: usize,
        allow_missing_down: bool,
    },
    Goto {
        version: i64,
        allow_out_of_order: bool,
        allow_missing_down: bool,
    },
    Version,
    Status {
        fail_on_pending: bool,
    },
}

impl Call {
    fn of(command: &Command) -> anyhow::Result<(Call, &'static str)> {
        let refuse_dry_run = |dry_run: bool| {
            if dry_run {
                Err(error::usage(
                    "--dry-run is not available with --targets: run it on one target first",
                ))
            } else {
                Ok(())
            }
        };
        Ok(match command {
            Command::Up(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.single_transaction {
                    return Err(error::usage(
                        "--single-transaction is not available with --targets",
                    ));
                }
                (
                    Call::Up {
                        limit: args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
                        allow_out_of_order: args.allow_out_of_order,
                    },
                    "up",
                )
            }
            Command::Down(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.all {
                    return Err(error::usage(
                        "down --all is not available with --targets: give the number to roll back (down N)",
                    ));
                }
                (
                    Call::Down {
                        count: args
                            .count
                            .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX)),
                        allow_missing_down: args.allow_missing_down,
                    },
                    "down",
                )
            }
            Command::Goto(args) => {
                refuse_dry_run(args.dry_run)?;
                (
                    Call::Goto {
                        version: i64::try_from(args.target).unwrap_or(i64::MAX),
                        allow_out_of_order: args.allow_out_of_order,
                        allow_missing_down: args.allow_missing_down,
                    },
                    "goto",
                )
            }
            Command::Version(_) => (Call::Version, "version"),
            Command::Status(args) => (
                Call::Status {
                    fail_on_pending: args.fail_on_pending,
                },
                "status",
            ),
            _ => {
                return Err(error::usage(
                    "--targets and --targets-query work with up, down N, goto, version and status",
                ))
            }
        })
    }

    fn migrates(self) -> bool {
        !matches!(self, Call::Version | Call::Status { .. })
    }

    fn plan(self, files: &[Known<'_>], view: &View) -> anyhow::Result<Vec<Step>> {
        match self {
            Call::Up {
                limit,
                allow_out_of_order,
            } => plan::plan_up(files, view, limit, allow_out_of_order),
            Call::Down {
                count,
                allow_missing_down,
            } => plan::plan_down(files, view, Some(count), allow_missing_down),
            Call::Goto {
                version,
                allow_out_of_order,
                allow_missing_down,
            } => plan::plan_goto(files, view, version, allow_out_of_order, allow_missing_down),
            Call::Version | Call::Status { .. } => Ok(Vec::new()),
        }
    }
}

/// One database of the fleet.
struct Target {
    /// How it is shown: `host:port/dbname` (and the schema), never a password.
    label: String,
    params: ConnParams,
    /// Its bookkeeping table: the configured one, in the tenant's schema for `--schemas`.
    table: TableName,
}

/// What happened on one target.
#[derive(Debug, Clone)]
struct Outcome {
    from: Option<i64>,
    to: Option<i64>,
    applied: usize,
    dirty: bool,
    pending: usize,
    ms: u128,
    /// `None`: done. Else the exit code the error would have, and its message.
    failure: Option<(u8, String)>,
    /// Whether from, to, applied and dirty were read from the target (not when it could
    /// not be reached, or was lost): shown `?` otherwise.
    known: bool,
}

pub fn run(ctx: &Ctx, command: &Command) -> anyhow::Result<()> {
    let fleet = ctx.config.fleet.clone().context("no fleet configured")?;
    let (call, name) = Call::of(command)?;
    let (migrations, mut repeatables) = if call.migrates() || matches!(call, Call::Status { .. }) {
        ctx.load()?
    } else {
        (Vec::new(), Vec::new())
    };
    // Repeatable migrations follow `up`, as on one database.
    if name != "up" {
        repeatables.clear();
    }
    let targets = load_targets(ctx, &fleet.targets)?;
    // The first Ctrl-C lets the running targets finish their migration; no new one starts.
    let _graceful = call.migrates().then(interrupt::graceful);
    if targets.is_empty() {
        return Err(error::usage(match &fleet.targets {
            Targets::File(file) => format!("--targets {file} lists no database"),
            Targets::Query(_) => "--targets-query returned no rows".to_string(),
            Targets::Schemas { patterns, .. } => format!(
                "no schema matches --schemas {}: `ferry status` with --database-url shows the database; add --create-schema to create named ones",
                patterns.join(",")
            ),
        }));
    }

    let started = Instant::now();
    let results: Vec<Mutex<Option<Outcome>>> = targets.iter().map(|_| Mutex::new(None)).collect();
    let stop = AtomicBool::new(false);
    let progress = Progress::items(&ctx.report, targets.len());
    let canary = fleet.canary.unwrap_or(0).min(targets.len());
    let batches = [0..canary, canary..targets.len()];
    for (i, batch) in batches.into_iter().enumerate() {
        if batch.is_empty() {
            continue;
        }
        if i == 1 && canary > 0 && any_failed(&results[..canary]) {
            ctx.report.warn(&format!(
                "a canary target failed: the other {} targets were not started",
                targets.len() - canary
            ));
            break;
        }
        let queue = Queue::new(batch.clone(), &targets, fleet.max_per_server);
        let config = &ctx.config;
        std::thread::scope(|scope| {
            for _ in 0..fleet.jobs.min(batch.len()) {
                scope.spawn(|| {
                    while let Some(index) = queue.take(&stop) {
                        progress.start(&targets[index].label);
                        let outcome = one(
                            config,
                            &targets[index],
                            call,
                            name,
                            (&migrations, &repeatables),
                        );
                        queue.done(index);
                        progress.add(1);
                        if outcome.failure.is_some() && !fleet.keep_going {
                            stop.store(true, Ordering::SeqCst);
                        }
                        if let Ok(mut slot) = results[index].lock() {
                            *slot = Some(outcome);
                        }
                    }
                });
            }
        });
    }
    progress.finish();
    let results: Vec<Option<Outcome>> = results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or(None))
        .collect();
    report(
        ctx,
        call,
        name,
        &targets,
        &results,
        started.elapsed().as_millis(),
    );

    let failed: Vec<(u8, &str)> = results
        .iter()
        .zip(&targets)
        .filter_map(|(r, t)| {
            r.as_ref()
                .and_then(|o| o.failure.as_ref())
                .map(|(code, _)| (*code, t.label.as_str()))
        })
        .collect();
    let not_started = results.iter().filter(|r| r.is_none()).count();
    if failed.is_empty() && not_started == 0 {
        let behind = results.iter().flatten().filter(|o| o.pending > 0).count();
        if matches!(
            call,
            Call::Status {
                fail_on_pending: true
            }
        ) && behind > 0
        {
            return Err(anyhow::anyhow!(
                "{behind} of {} targets have pending migrations (--fail-on-pending)",
                targets.len()
            ));
        }
        return Ok(());
    }
    let code = failed
        .iter()
        .map(|(code, _)| *code)
        .max_by_key(|code| severity(*code))
        .unwrap_or(1);
    let names: Vec<&str> = failed.iter().map(|(_, label)| *label).take(5).collect();
    let message = format!(
        "{} of {} targets failed{}{}; run the same command again to finish the rest",
        failed.len(),
        targets.len(),
        if names.is_empty() {
            String::new()
        } else {
            format!(
                " ({}{})",
                names.join(", "),
                if failed.len() > names.len() {
                    ", …"
                } else {
                    ""
                }
            )
        },
        if not_started > 0 {
            format!(", {not_started} not started")
        } else {
            String::new()
        }
    );
    Err(error::with_code(code, message))
}

/// The targets of a batch not yet started, handed to the workers in order — skipping
/// those whose server already has `--max-per-server` of them running.
struct Queue<'t> {
    state: Mutex<(Vec<usize>, HashMap<String, usize>)>,
    changed: Condvar,
    targets: &'t [Target],
    max_per_server: Option<usize>,
}

impl<'t> Queue<'t> {
    fn new(
        batch: std::ops::Range<usize>,
        targets: &'t [Target],
        max_per_server: Option<usize>,
    ) -> Self {
        Queue {
            state: Mutex::new((batch.collect(), HashMap::new())),
            changed: Condvar::new(),
            targets,
            max_per_server,
        }
    }

    fn server(&self, index: usize) -> String {
        let (host, port) = self.targets[index]
            .params
            .servers()
            .next()
            .unwrap_or(("", 0));
        format!("{host}:{port}")
    }

    /// The next target to run, waiting while every waiting one's server is busy; `None`
    /// when none is left or `stop` is set.
    fn take(&self, stop: &AtomicBool) -> Option<usize> {
        let Ok(mut state) = self.state.lock() else {
            return None;
        };
        loop {
            if stop.load(Ordering::SeqCst) || interrupt::flag().load(Ordering::SeqCst) {
                return None;
            }
            let (waiting, running) = &mut *state;
            if waiting.is_empty() {
                return None;
            }
            let free = waiting.iter().position(|&i| {
                self.max_per_server
                    .is_none_or(|max| running.get(&self.server(i)).copied().unwrap_or(0) < max)
            });
            if let Some(position) = free {
                let index = waiting.remove(position);
                *running.entry(self.server(index)).or_default() += 1;
                return Some(index);
            }
            state = match self
                .changed
                .wait_timeout(state, std::time::Duration::from_millis(200))
            {
                Ok((state, _)) => state,
                Err(_) => return None,
            };
        }
    }

    fn done(&self, index: usize) {
        if let Ok(mut state) = self.state.lock() {
            if let Some(n) = state.1.get_mut(&self.server(index)) {
                *n = n.saturating_sub(1);
            }
        }
        self.changed.notify_all();
    }
}

/// How bad an exit code is, for the fleet's own: a dirty database (a person must look)
/// before invalid files, a refusal, a failure, a lock not had in time (try again later).
fn severity(code: u8) -> u8 {
    match code {
        3 => 6,
        5 => 5,
        2 => 4,
        1 => 3,
        4 => 2,
        0 => 0,
        _ => 1,
    }
}

fn any_failed(results: &[Mutex<Option<Outcome>>]) -> bool {
    results.iter().any(|r| {
        r.lock()
            .map(|o| o.as_ref().is_none_or(|o| o.failure.is_some()))
            .unwrap_or(true)
    })
}

/// The command on one target, as a plain run would do it.
fn one(
    config: &Config,
    target: &Target,
    call: Call,
    name: &str,
    (migrations, repeatables): (&[Migration], &[Repeatable]),
) -> Outcome {
    let started = Instant::now();
    let mut outcome = Outcome {
        from: None,
        to: None,
        applied: 0,
        dirty: false,
        pending: 0,
        ms: 0,
        failure: None,
        known: false,
    };
    let result = (|| -> anyhow::Result<()> {
        let mut session = Session::open(&target.params, &target.table, &config.lock_mode, &Quiet)?;
        let _cancel = session.canceller().map(interrupt::on_quit);
        match call {
            Call::Version => {
                let snapshot = session.version()?;
                (outcome.from, outcome.to, outcome.dirty) =
                    (snapshot.version, snapshot.version, snapshot.dirty);
                outcome.known = true;
            }
            Call::Status { .. } => {
                let snapshot = session.snapshot()?;
                let status = engine::status(&snapshot, migrations, &[]);
                (outcome.from, outcome.to, outcome.dirty) =
                    (snapshot.version, snapshot.version, snapshot.dirty);
                outcome.pending = status
                    .entries
                    .iter()
                    .filter(|e| matches!(e.state, State::Pending | State::OutOfOrder))
                    .count();
                outcome.known = true;
            }
            _ => {
                let request = Request {
                    command: name,
                    dry_run: false,
                    options: Options {
                        one_at_a_time: config.one_at_a_time,
                        ..Options::default()
                    },
                    lock_timeout: config.lock_timeout,
                    ddl: config.ddl,
                    strict_lint: config.strict_lint,
                    repeatables,
                    stop: interrupt::flag(),
                };
                // Where it started, so that a failure still says how far it got.
                let before = session.snapshot()?;
                let ran = |s: &crate::db::state::Snapshot| {
                    s.history
                        .iter()
                        .filter(|h| {
                            matches!(
                                h.direction,
                                crate::plan::Direction::Up | crate::plan::Direction::Down
                            )
                        })
                        .count()
                };
                (outcome.from, outcome.to, outcome.dirty) =
                    (before.version, before.version, before.dirty);
                outcome.known = true;
                let done = engine::run(&mut session, migrations, &request, &Quiet, |f, v| {
                    call.plan(f, v)
                });
                match done {
                    Ok(done) => {
                        (outcome.to, outcome.applied) = (done.to, done.done.len());
                    }
                    Err(err) => {
                        match session.snapshot() {
                            Ok(after) => {
                                (outcome.to, outcome.dirty) = (after.version, after.dirty);
                                outcome.applied = ran(&after).saturating_sub(ran(&before));
                            }
                            // Lost with the connection: what it reached is not known.
                            Err(_) => outcome.known = false,
                        }
                        return Err(err);
                    }
                }
            }
        }
        Ok(())
    })();
    outcome.ms = started.elapsed().as_millis();
    if let Err(err) = result {
        let message = redact(&format!("{err:#}"), target.params.password.as_deref());
        outcome.failure = Some((error::exit_code(&err), message));
    }
    outcome
}

/// The targets, each parsed as `ferry --database-url` would parse it.
fn load_targets(ctx: &Ctx, targets: &Targets) -> anyhow::Result<Vec<Target>> {
    let mut open_file: Option<(&str, u32)> = None;
    let lines: Vec<(String, String)> = match targets {
        Targets::File(file) => {
            let text = if file == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("reading the targets from standard input")?;
                text
            } else {
                let (text, open) = read_targets_file(file)?;
                open_file = open.map(|mode| (file.as_str(), mode));
                text
            };
            text.lines()
                .enumerate()
                .map(|(i, line)| (format!("{file}:{}", i + 1), line.trim().to_string()))
                .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
                .collect()
        }
        Targets::Query(sql) => query_targets(ctx, sql)?,
        Targets::Schemas { patterns, create } => return schema_targets(ctx, patterns, *create),
    };
    let base = ctx.config.conn().ok();
    // What a query returns is data, never connection settings: a value that looks like a
    // connection string (`host=elsewhere dbname=x`) would send the password where the
    // query chose. Each value is a database name on the base server, whatever it holds.
    let names_only = matches!(targets, Targets::Query(_));
    let mut parsed = Vec::with_capacity(lines.len());
    for (place, line) in lines {
        let mut params = if !names_only && (line.contains("://") || line.contains('=')) {
            let params =
                ConnParams::parse(&line).map_err(|e| error::usage(format!("{place}: {e:#}")))?;
            if let (Some((file, mode)), Some(_)) = (open_file, &params.password) {
                return Err(error::usage(format!(
                    "the targets file {file} holds passwords and others can read it (mode {mode:03o}): chmod 600 {file}"
                )));
            }
            params
        } else {
            // A bare name: that database on the base connection's server.
            let mut params = base.cloned().ok_or_else(|| {
                error::usage(format!(
                    "{place}: `{line}` is a database name, but no --database-url says on which server"
                ))
            })?;
            params.dbname = line.clone();
            params
        };
        params.source = Source::Flag;
        if let Some(base) = base {
            if params.password.is_none() {
                params.password_command = base.password_command.clone();
            }
        }
        let label = format!("{}/{}", params.target(), params.dbname);
        parsed.push(Target {
            label,
            params,
            table: ctx.config.table.clone(),
        });
    }
    Ok(parsed)
}

/// The schemas of the base database that match `patterns` (globs: `*` any run, `?` one
/// character), in name order; with `create`, names without a wildcard are created first
/// when missing. Each target is the base connection with its `search_path` set to the
/// schema, and the bookkeeping table in it — so each schema has its own lock.
fn schema_targets(ctx: &Ctx, patterns: &[String], create: bool) -> anyhow::Result<Vec<Target>> {
    let base = ctx.config.conn()?;
    let mut session = ctx.open()?;
    if create {
        let exact: Vec<&String> = patterns
            .iter()
            .filter(|p| !p.contains(['*', '?']))
            .collect();
        if !exact.is_empty() {
            let sql: String = exact
                .iter()
                .map(|name| format!("CREATE SCHEMA IF NOT EXISTS {};\n", quote_ident(name)))
                .collect();
            session
                .client
                .batch_execute(&sql)
                .context("creating the schemas named in --schemas")?;
        }
    }
    let regexes: Vec<String> = patterns
        .iter()
        .map(|p| quote_literal(&glob_regex(p)))
        .collect();
    let sql = format!(
        "SELECT nspname FROM pg_namespace WHERE nspname ~ ANY (ARRAY[{}]::text[]) \
           AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
        regexes.join(", ")
    );
    let messages = session
        .client
        .simple_query(&sql)
        .context("listing the schemas for --schemas")?;
    let names: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            Message::Row(row) => row.get(0).map(str::to_string),
            Message::Complete => None,
        })
        .collect();
    Ok(names
        .into_iter()
        .map(|schema| {
            let mut params = base.clone();
            let path = format!("-c search_path={}", options_word(&quote_ident(&schema)));
            params.options = Some(match &params.options {
                Some(options) => format!("{options} {path}"),
                None => path,
            });
            Target {
                label: format!("{}/{} schema {schema}", params.target(), params.dbname),
                params,
                table: TableName {
                    schema: Some(schema),
                    name: ctx.config.table.name.clone(),
                },
            }
        })
        .collect())
}

/// A glob as an anchored regular expression.
fn glob_regex(glob: &str) -> String {
    let mut regex = String::from("^");
    for c in glob.chars() {
        match c {
            '*' => regex.push_str(".*"),
            '?' => regex.push('.'),
            c if c.is_alphanumeric() || c == '_' => regex.push(c),
            c => {
                regex.push('\\');
                regex.push(c);
            }
        }
    }
    regex.push('$');
    regex
}

/// A word of libpq's `options`: spaces and backslashes escaped with a backslash.
fn options_word(word: &str) -> String {
    word.replace('\\', "\\\\").replace(' ', "\\ ")
}

/// A targets file, and its mode when others can read it (then it must hold no password,
/// as libpq refuses such a password file).
fn read_targets_file(file: &str) -> anyhow::Result<(String, Option<u32>)> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        error::usage(format!(
            "cannot read the targets file {file}: {}",
            error::io_reason(&e, "file")
        ))
    })?;
    #[cfg(unix)]
    let open = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file)
            .map(|m| m.permissions().mode() & 0o777)
            .ok()
            .filter(|mode| mode & 0o077 != 0)
    };
    #[cfg(not(unix))]
    let open = None;
    Ok((text, open))
}

/// The rows of `sql` on the base connection: a database name or a connection string each.
fn query_targets(ctx: &Ctx, sql: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut session = ctx.open()?;
    let messages = session
        .client
        .simple_query(sql)
        .context("running --targets-query")?;
    Ok(messages
        .iter()
        .filter_map(|m| match m {
            Message::Row(row) => row.get(0).map(str::to_string),
            Message::Complete => None,
        })
        .enumerate()
        .map(|(i, value)| (format!("--targets-query row {}", i + 1), value))
        .collect())
}

fn report(
    ctx: &Ctx,
    call: Call,
    name: &str,
    targets: &[Target],
    results: &[Option<Outcome>],
    total_ms: u128,
) {
    let result_of = |o: &Option<Outcome>| match o {
        None => "not started",
        Some(o) if o.failure.is_some() => "failed",
        Some(o) if o.dirty => "dirty",
        Some(o) if o.pending > 0 => "behind",
        Some(_) => "ok",
    };
    let (mut ok, mut failed, mut not_started) = (0, 0, 0);
    for result in results {
        match result {
            None => not_started += 1,
            Some(o) if o.failure.is_some() => failed += 1,
            Some(_) => ok += 1,
        }
    }
    if ctx.report.json() {
        for (target, result) in targets.iter().zip(results) {
            let value = match result {
                None => json!({"target": target.params.display_url(), "result": "not started"}),
                Some(o) if !o.known => json!({
                    "target": target.params.display_url(),
                    "result": result_of(result),
                    "known": false,
                    "from": null,
                    "to": null,
                    "applied": null,
                    "dirty": null,
                    "pending": null,
                    "duration_ms": o.ms,
                    "error": o.failure.as_ref().map(|(_, m)| first_line(m)),
                    "exit_code": o.failure.as_ref().map_or(0, |(c, _)| *c),
                }),
                Some(o) => json!({
                    "target": target.params.display_url(),
                    "result": result_of(result),
                    "known": true,
                    "from": o.from,
                    "to": o.to,
                    "applied": o.applied,
                    "dirty": o.dirty,
                    "pending": o.pending,
                    "duration_ms": o.ms,
                    "error": o.failure.as_ref().map(|(_, m)| first_line(m)),
                    "exit_code": o.failure.as_ref().map_or(0, |(c, _)| *c),
                }),
            };
            ctx.report.built(&value.to_string());
        }
        ctx.report.built(
            &json!({"summary": {
                "command": name,
                "targets": targets.len(),
                "succeeded": ok,
                "failed": failed,
                "not_started": not_started,
                "duration_ms": total_ms,
            }})
            .to_string(),
        );
        return;
    }
    let width = targets
        .iter()
        .map(|t| t.label.len())
        .max()
        .unwrap_or(6)
        .max(6);
    ctx.report.built(&format!(
        "{:<width$}  {:<13} {:>7} {:>8}  RESULT",
        "TARGET", "VERSION", "APPLIED", "TIME"
    ));
    for (target, result) in targets.iter().zip(results) {
        let line = match result {
            None => format!(
                "{:<width$}  {:<13} {:>7} {:>8}  not started",
                target.label, "-", "-", "-"
            ),
            Some(o) => {
                let version = if !o.known {
                    "?".to_string()
                } else if call.migrates() {
                    format!(
                        "{} → {}{}",
                        show(o.from),
                        show(o.to),
                        if o.dirty { " (dirty)" } else { "" }
                    )
                } else {
                    show(o.to)
                };
                let applied = if o.known {
                    o.applied.to_string()
                } else {
                    "?".to_string()
                };
                let result = match &o.failure {
                    Some((_, message)) => format!("failed: {}", first_line(message)),
                    None if o.pending > 0 => format!("behind: {} pending", o.pending),
                    None => result_of(result).to_string(),
                };
                format!(
                    "{:<width$}  {:<13} {:>7} {:>6}ms  {result}",
                    target.label, version, applied, o.ms
                )
            }
        };
        ctx.report.built(&line);
    }
    if matches!(call, Call::Status { .. } | Call::Version) {
        let mut at: Vec<(Option<i64>, usize)> = Vec::new();
        for o in results.iter().flatten().filter(|o| o.failure.is_none()) {
            match at.iter_mut().find(|(v, _)| *v == o.to) {
                Some((_, n)) => *n += 1,
                None => at.push((o.to, 1)),
            }
        }
        at.sort();
        let skew: Vec<String> = at
            .iter()
            .map(|(v, n)| format!("{n} at {}", describe(*v)))
            .collect();
        let dirty = results.iter().flatten().filter(|o| o.dirty).count();
        ctx.report.info(&format!(
            "{}{}{}",
            skew.join(", "),
            if dirty > 0 {
                format!("; {dirty} dirty")
            } else {
                String::new()
            },
            if failed > 0 {
                format!("; {failed} unreachable or failed")
            } else {
                String::new()
            }
        ));
    }
    ctx.report.info(&format!(
        "{name} on {} targets: {ok} succeeded, {failed} failed{} ({:.1}s)",
        targets.len(),
        if not_started > 0 {
            format!(", {not_started} not started")
        } else {
            String::new()
        },
        total_ms as f64 / 1000.0
    ));
}

fn show(version: Option<i64>) -> String {
    version.map_or("none".to_string(), |v| v.to_string())
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or("")
}
