//! `ferry trace [FILE…]`: what each migration's statements will lock and rewrite, run on
//! the shadow (`shadow::trace`) — on a copy of the database's schema when one is given
//! (its pending migrations, or the FILEs), else after the migrations before the first one
//! traced. The database is only read.

use std::collections::HashSet;

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::{Format, TraceArgs};
use crate::db::state::TableName;
use crate::engine::fingerprint::{self, Look, Scope};
use crate::shadow::{self, trace::Step};

pub(crate) fn run(ctx: &Ctx, args: TraceArgs) -> anyhow::Result<()> {
    let (migrations, _) = ctx.load()?;
    let named: Option<HashSet<i64>> = if args.files.is_empty() {
        None
    } else {
        Some(super::lint::named(ctx, &migrations, &args.files)?)
    };
    let events = ctx.events();
    let extensions = shadow::binaries::extensions_of(&migrations);
    let (versions, mut shadow, _on_quit, database) = if ctx.config.database_given() {
        let mut session = ctx.open()?;
        let filter = fingerprint::filter(Scope::Database, &session.tables);
        let observed = fingerprint::observe(
            &mut session,
            &filter,
            Look::Schema,
            ctx.config.settings.lock_timeout,
            &events,
        )?;
        let tables = session.tables.clone();
        drop(session);
        let schema = observed.snapshot.as_ref().expect("the schema was read");
        let versions: Vec<i64> = match &named {
            Some(named) => migrations
                .iter()
                .map(|m| m.version)
                .filter(|v| named.contains(v))
                .collect(),
            None => crate::engine::status(&observed.state, &migrations, &[])
                .entries
                .iter()
                .filter(|e| e.state.is_pending())
                .map(|e| e.version)
                .collect(),
        };
        let mut wanted = extensions.clone();
        wanted.extend(shadow::binaries::extensions_created(
            &crate::schema::sql::dump(schema),
        ));
        wanted.sort();
        wanted.dedup();
        let (mut shadow, on_quit) = super::schema::open_shadow(ctx, Some(schema.major), &wanted)?;
        let database = shadow::rehearse::copy(&mut shadow, schema, &observed.state, &tables)?;
        ctx.report.info(
            "tracing on a copy of the database's schema (no data): the database itself is only read",
        );
        (versions, shadow, on_quit, database)
    } else {
        let versions: Vec<i64> = migrations
            .iter()
            .map(|m| m.version)
            .filter(|v| named.as_ref().is_none_or(|n| n.contains(v)))
            .collect();
        let first = versions.first().copied().unwrap_or(i64::MAX);
        let before: Vec<_> = migrations
            .iter()
            .filter(|m| m.version < first)
            .cloned()
            .collect();
        let (mut shadow, on_quit) = super::schema::open_shadow(ctx, None, &extensions)?;
        let table: &TableName = &ctx.config.table;
        let template = shadow.replayed(
            &before,
            &[],
            None,
            table,
            &events,
            crate::cli::interrupt::flag(),
        )?;
        let database = shadow.scratch(Some(&template))?;
        (versions, shadow, on_quit, database)
    };
    let mut client = shadow.connect(&database)?;
    let mut second = shadow.connect(&database)?;
    let mut steps: Vec<Step> = Vec::new();
    for migration in migrations.iter().filter(|m| versions.contains(&m.version)) {
        steps.extend(shadow::trace::trace(
            &mut client,
            &mut second,
            migration,
            ctx.config.settings.ddl.lock_timeout,
        )?);
    }
    drop((client, second));
    let _ = shadow.drop_scratch(&database);
    match args.format {
        Format::Json => ctx.report.document(&json!({
            "statements": steps.iter().map(|s| json!({
                "file": s.file,
                "line": s.line,
                "sql": s.sql,
                "in_transaction": s.in_transaction,
                "lock_timeout": s.lock_timeout,
                "locks": s.locks.iter().map(|l| json!({
                    "relation": l.relation,
                    "mode": l.mode,
                    "blocks": l.blocks,
                    "held_until": l.held_until,
                    "held_through": l.held_through,
                })).collect::<Vec<_>>(),
                "rewrites": s.rewrites,
            })).collect::<Vec<_>>(),
        })),
        Format::Text => {
            for step in &steps {
                ctx.report.result(&format!(
                    "{}:{}  {}",
                    step.file,
                    step.line,
                    crate::schema::diff::flat(&step.sql, 100)
                ));
                for lock in &step.locks {
                    let blocks = match lock.blocks.as_slice() {
                        [] => "blocks neither reads nor writes".to_string(),
                        what => format!("blocks {}", what.join(" and ")),
                    };
                    let through = if lock.held_through.is_empty() {
                        String::new()
                    } else {
                        let lines: Vec<String> =
                            lock.held_through.iter().map(usize::to_string).collect();
                        format!(", through line(s) {}", lines.join(", "))
                    };
                    ctx.report.result(&format!(
                        "    {} on {}: {blocks} until {}{through}",
                        lock.mode, lock.relation, lock.held_until
                    ));
                }
                for relation in &step.rewrites {
                    ctx.report.result(&format!("    rewrites {relation}"));
                }
            }
            ctx.report.info(&format!(
                "traced {} statement(s) of {} migration(s) on the shadow (lock_timeout as `up` sets it)",
                steps.len(),
                versions.len()
            ));
        }
    }
    Ok(())
}
