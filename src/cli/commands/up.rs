//! `ferry up [N]`: apply pending migrations; `--check-drift` first refuses a database that
//! changed since ferry last migrated it, `--rehearse` first applies them on a copy of its
//! schema, `--trace` lints them with their trace (`lint::before_up`).

use super::ctx::Ctx;
use super::migrate::migrate;
use crate::cli::args::UpArgs;
use crate::cli::interrupt;
use crate::db::state::TableName;
use crate::engine::fingerprint::{self, Look, Scope};
use crate::engine::Options;
use crate::plan::Operation;
use crate::shadow::{self, rehearse::rehearse};

pub(crate) fn run(ctx: &Ctx, args: UpArgs) -> anyhow::Result<()> {
    let operation = Operation::Up {
        limit: args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        allow_out_of_order: args.allow_out_of_order,
    };
    let options = Options {
        single_transaction: args.single_transaction,
        linted: args.trace,
        ..Options::default()
    };
    if args.check_drift {
        super::drift::check_before_up(ctx)?;
    }
    if args.rehearse {
        rehearsal(ctx, operation)?;
    }
    if args.trace {
        super::lint::before_up(ctx, args.count)?;
    }
    migrate(ctx, operation, args.dry_run, options, |_| Ok(()))
}

/// The pending migrations applied on a shadow copy of the database's schema (no data):
/// a failure there stops `up` before it touches the database.
fn rehearsal(ctx: &Ctx, operation: Operation) -> anyhow::Result<()> {
    let (migrations, repeatables) = ctx.load()?;
    let mut session = ctx.open()?;
    let filter = fingerprint::filter(Scope::Database, &session.tables);
    let observed = fingerprint::observe(
        &mut session,
        &filter,
        Look::Schema,
        ctx.config.settings.lock_timeout,
        &ctx.events(),
    )?;
    let tables = session.tables.clone();
    drop(session);
    let schema = observed.snapshot.as_ref().expect("the schema was read");
    let mut extensions = shadow::binaries::extensions_of(&migrations);
    extensions.extend(shadow::binaries::extensions_created(
        &crate::schema::sql::dump(schema),
    ));
    extensions.sort();
    extensions.dedup();
    let (mut shadow, _on_quit) = super::schema::open_shadow(ctx, Some(schema.major), &extensions)?;
    let table = TableName {
        schema: Some(tables.schema.clone()),
        name: tables.name.clone(),
    };
    let replay = shadow::Replay {
        migrations: &migrations,
        repeatables: &repeatables,
        table: &table,
        stop: interrupt::flag(),
        search_path: None,
    };
    let outcome = rehearse(
        &mut shadow,
        schema,
        &observed.state,
        &tables,
        &replay,
        operation,
    )
    .map_err(|e| {
        // The engine speaks of "the database": here it is the copy.
        let message = format!("{e:#}").replacen("the database stays at", "the copy stays at", 1);
        crate::error::with_code(
            crate::error::exit_code(&e),
            format!(
                "--rehearse stopped before the database, which is unchanged at {}: on a copy of \
                 its schema (no data), {message}",
                crate::engine::describe(observed.state.version)
            ),
        )
    })?;
    ctx.report.info(&format!(
        "rehearsed on a copy of the database's schema (no data): {} migration(s){} apply; \
         now on the database",
        outcome.done.len(),
        if outcome.repeated.is_empty() {
            String::new()
        } else {
            format!(" and {} repeatable(s)", outcome.repeated.len())
        }
    ));
    Ok(())
}
