//! `ferry drift`: does the database still match its migrations? Its schema, bookkeeping
//! and recorded fingerprint are read together under the migration key (a deploy in flight
//! finishes first); what its history says ran is replayed on the shadow and compared
//! (`shadow::drift`). `--fast` compares the fingerprint the last run recorded instead, and only
//! replays to explain a mismatch. With `--targets`, `--targets-query` or `--schemas`,
//! every target, one replay per set of applied migrations, identical drift grouped.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::ctx::Ctx;
use super::fleet::targets::{self, Target};
use crate::cli::args::{DriftArgs, FindingsFormat};
use crate::cli::config::Targets;
use crate::cli::interrupt;
use crate::conn::redact::redact;
use crate::db::state::Tables;
use crate::db::Session;
use crate::engine::fingerprint::{self, Look, Observed, Scope};
use crate::error;
use crate::events::Quiet;
use crate::migration::{Migration, Repeatable};
use crate::schema::sql::with_schema_renamed;
use crate::schema::{Filter, Snapshot};
use crate::shadow::drift::{self, Applied, Drift};
use crate::shadow::{self, cache, Shadow};

/// The schema a schema-per-tenant fleet's replay runs in, renamed to each tenant's.
const PLACEHOLDER: &str = "ferry_tenant";

pub(crate) fn run(ctx: &Ctx, args: DriftArgs) -> anyhow::Result<()> {
    if ctx.config.fleet.is_some() {
        return fleet(ctx, &args);
    }
    let mut session = ctx.open()?;
    let filter = target_filter(&super::schema::filter(ctx, &args.filter), &session, None);
    let wait = ctx.config.settings.lock_timeout;
    let looked = look(&mut session, &filter, args.fast, wait, &ctx.events())?;
    let verdict = match looked {
        // Settled by the fingerprint: the files are not even read.
        Looked::AsRecorded(verdict) => verdict,
        Looked::Schema(observed, why) => {
            if let Some(why) = why {
                ctx.report
                    .info(&format!("--fast: {why}: comparing in full"));
            }
            let (migrations, repeatables) = ctx.load()?;
            // What ran, where the history keeps it: an applied file edited since, or not
            // in this build, is replayed as it ran.
            let (migrations, kept) = crate::engine::with_kept(&mut session, migrations, true)?;
            for (version, name, edited) in kept {
                ctx.report.info(&format!(
                    "version {version} ({name}) {}: replayed as it ran, from the SQL the history \
                     keeps",
                    if edited {
                        "was edited since it ran"
                    } else {
                        "is not in this build"
                    }
                ));
            }
            Checker::new(ctx, &migrations, &repeatables).check(&observed, &filter, None)?
        }
    };
    drop(session);
    let target = ctx.config.conn()?.display_url();
    for label in verdict.edited() {
        ctx.report.warn(&edited_warning(label));
    }
    match args.format {
        FindingsFormat::Json => ctx.report.document(&verdict.to_json(&target)),
        FindingsFormat::Sarif => ctx.report.document(&crate::cli::ui::report::sarif(
            drift::sarif_rules(),
            verdict.sarif_results(&target),
        )),
        FindingsFormat::Text => {
            if let Verdict::Compared { drifts, .. } = &verdict {
                ctx.report.result(drift::to_text(drifts).trim_end());
            }
        }
    }
    match &verdict {
        Verdict::Compared { drifts, applied } if !drifts.is_empty() => {
            Err(error::invalid(format!(
                "drift: {} object(s) differ from what the migrations through {} make{}: revert \
                 them with the SQL shown, or write a migration that makes them",
                drifts.len(),
                crate::engine::describe(applied.version),
                if args.format == FindingsFormat::Text {
                    " (listed above)"
                } else {
                    ""
                }
            )))
        }
        verdict => {
            if args.format == FindingsFormat::Text {
                ctx.report.info(&verdict.summary());
            }
            Ok(())
        }
    }
}

/// `up --check-drift`: refuses (exit 5) when the database changed since ferry last
/// migrated it. The recorded fingerprint decides when it matches; otherwise the full
/// comparison does.
pub(crate) fn check_before_up(ctx: &Ctx) -> anyhow::Result<()> {
    let mut session = ctx.open()?;
    let filter = target_filter(&Filter::default(), &session, None);
    let wait = ctx.config.settings.lock_timeout;
    let observed = match look(&mut session, &filter, true, wait, &ctx.events())? {
        Looked::AsRecorded(verdict) => {
            ctx.report
                .detail(&format!("--check-drift: {}", verdict.summary()));
            return Ok(());
        }
        Looked::Schema(observed, _) => observed,
    };
    drop(session);
    if observed.state.version.is_none() && observed.state.history.is_empty() {
        ctx.report
            .detail("--check-drift: nothing migrated yet, so nothing to compare");
        return Ok(());
    }
    let (migrations, repeatables) = ctx.load()?;
    let mut checker = Checker::new(ctx, &migrations, &repeatables);
    match checker.check(&observed, &filter, None)? {
        Verdict::Compared { drifts, applied } if !drifts.is_empty() => {
            ctx.report.result(drift::to_text(&drifts).trim_end());
            Err(error::invalid(format!(
                "--check-drift: the database drifted since ferry last migrated it ({} object(s) \
                 differ from what the migrations through {} make, listed above); nothing was \
                 changed. Revert the drift, or write a migration that makes it",
                drifts.len(),
                crate::engine::describe(applied.version)
            )))
        }
        verdict => {
            ctx.report
                .detail(&format!("--check-drift: {}", verdict.summary()));
            Ok(())
        }
    }
}

/// What reading a target gave: the recorded fingerprint matched (`--fast`), or its
/// schema to compare, with why `--fast` did not settle it.
enum Looked {
    AsRecorded(Verdict),
    Schema(Observed, Option<String>),
}

/// Reads a target for `drift`: with `fast` (and the default view of the schema), first
/// only its fingerprint, which settles it when it matches the recorded one; else its
/// schema.
fn look(
    session: &mut Session<'_>,
    filter: &Filter,
    fast: bool,
    wait: std::time::Duration,
    events: &dyn crate::events::Events,
) -> anyhow::Result<Looked> {
    let plain = filter.exclude.is_empty() && !filter.privileges;
    let mut why = None;
    if fast && plain {
        let quick = fingerprint::observe(session, filter, Look::Fingerprint, wait, events)?;
        match (quick.matches_record(), &quick.recorded) {
            (Some(true), Some(recorded)) => {
                return Ok(Looked::AsRecorded(Verdict::AsRecorded {
                    version: recorded.version,
                    at: recorded.at.clone(),
                }))
            }
            (Some(false), Some(recorded)) => {
                why = Some(format!(
                    "the schema's fingerprint differs from the one recorded after the run at {} \
                     (version {})",
                    recorded.at, recorded.version
                ))
            }
            _ => {
                why = Some(
                    "no fingerprint of this build's format is recorded (ferry records one after \
                     each run that changes the schema)"
                        .to_string(),
                )
            }
        }
    } else if fast {
        why = Some("--exclude and --privileges ask for more than the fingerprint covers".into());
    }
    let observed = fingerprint::observe(session, filter, Look::Schema, wait, events)?;
    Ok(Looked::Schema(observed, why))
}

/// What a target is compared with: every user schema but ferry's tables (one schema for
/// a tenant), less what `--exclude` leaves out, with grants when `--privileges` asks.
fn target_filter(wanted: &Filter, session: &Session<'_>, tenant: Option<&str>) -> Filter {
    let scope = tenant.map_or(Scope::Database, Scope::Schema);
    let mut filter = fingerprint::filter(scope, &session.tables);
    filter.exclude = wanted.exclude.clone();
    filter.privileges = wanted.privileges;
    filter
}

/// What one target's check found.
enum Verdict {
    /// The schema's fingerprint is the one the last run recorded.
    AsRecorded { version: i64, at: String },
    /// The full comparison with a replay of the applied migrations.
    Compared {
        applied: Box<Applied>,
        drifts: Vec<Drift>,
    },
}

impl Verdict {
    fn edited(&self) -> &[String] {
        match self {
            Verdict::Compared { applied, .. } => &applied.edited,
            Verdict::AsRecorded { .. } => &[],
        }
    }

    fn drifts(&self) -> &[Drift] {
        match self {
            Verdict::Compared { drifts, .. } => drifts,
            Verdict::AsRecorded { .. } => &[],
        }
    }

    fn summary(&self) -> String {
        match self {
            Verdict::AsRecorded { version, at } => format!(
                "no drift: the schema is as ferry left it after migrating to {version} at {at} \
                 (its fingerprint matches the recorded one)"
            ),
            Verdict::Compared { applied, drifts } if drifts.is_empty() => format!(
                "no drift: the database has exactly the schema the migrations through {} make",
                crate::engine::describe(applied.version)
            ),
            Verdict::Compared { drifts, .. } => {
                format!("{} object(s) differ from the migrations", drifts.len())
            }
        }
    }

    fn to_json(&self, target: &str) -> Value {
        let mut document = drift::to_json(self.drifts());
        document["target"] = json!(target);
        match self {
            Verdict::AsRecorded { version, at } => {
                document["version"] = json!(version);
                document["method"] = json!("fingerprint");
                document["recorded_at"] = json!(at);
            }
            Verdict::Compared { applied, .. } => {
                document["version"] = json!(applied.version);
                document["method"] = json!("replay");
            }
        }
        document["edited"] = json!(self.edited());
        document
    }

    fn sarif_results(&self, target: &str) -> Vec<Value> {
        drift::sarif_results(self.drifts(), target)
    }
}

fn edited_warning(label: &str) -> String {
    format!(
        "{label} was edited after it was applied: the replay ran it as it is now (the text \
         that ran is not kept), so a difference in what it makes may be that edit, not drift"
    )
}

/// Checks targets against their migrations, opening the shadow the first time a replay is
/// needed and replaying each set of applied migrations once.
struct Checker<'a> {
    ctx: &'a Ctx,
    migrations: &'a [Migration],
    repeatables: &'a [Repeatable],
    shadow: Option<Shadow>,
    _on_quit: Option<interrupt::OnQuit>,
    /// What each set of applied migrations (by [`Applied::key`]) makes.
    expected: HashMap<String, Snapshot>,
}

impl<'a> Checker<'a> {
    fn new(ctx: &'a Ctx, migrations: &'a [Migration], repeatables: &'a [Repeatable]) -> Self {
        Checker {
            ctx,
            migrations,
            repeatables,
            shadow: None,
            _on_quit: None,
            expected: HashMap::new(),
        }
    }

    /// The verdict on one target as `observed` (its schema read with `filter`); `tenant`
    /// names the schema of a schema-per-tenant target.
    fn check(
        &mut self,
        observed: &Observed,
        filter: &Filter,
        tenant: Option<&str>,
    ) -> anyhow::Result<Verdict> {
        self.check_with(observed, filter, tenant, self.migrations)
    }

    /// [`check`](Self::check) with the target's own `migrations` (the files, with what its
    /// history keeps of the versions edited since or not here: `engine::with_kept`).
    fn check_with(
        &mut self,
        observed: &Observed,
        filter: &Filter,
        tenant: Option<&str>,
        migrations: &[Migration],
    ) -> anyhow::Result<Verdict> {
        let snapshot = observed.snapshot.as_ref().expect("the schema was read");
        let applied = Applied::of(&observed.state, migrations, self.repeatables)?;
        let expected = self.expected(&applied, filter, tenant.is_some(), snapshot.major)?;
        let privileges = filter.privileges;
        let drifts = match tenant {
            Some(schema) => drift::compare_with(
                &with_schema_renamed(&expected, PLACEHOLDER, schema),
                snapshot,
                privileges,
            ),
            None => drift::compare_with(&expected, snapshot, privileges),
        };
        Ok(Verdict::Compared {
            applied: Box::new(applied),
            drifts,
        })
    }

    /// What `applied` makes, replayed once (in the placeholder schema for a tenant).
    fn expected(
        &mut self,
        applied: &Applied,
        filter: &Filter,
        in_placeholder: bool,
        major: u32,
    ) -> anyhow::Result<Snapshot> {
        let key = applied.key();
        if let Some(found) = self.expected.get(&key) {
            return Ok(found.clone());
        }
        let mut table = self.ctx.config.table.clone();
        let mut filter = filter.clone();
        if in_placeholder {
            table.schema = Some(PLACEHOLDER.to_string());
            filter.schemas = vec![PLACEHOLDER.to_string()];
            filter.bookkeeping_schema = Some(PLACEHOLDER.to_string());
        }
        // A replay's schema kept from an earlier run: no server started at all.
        let config = &self.ctx.config.shadow;
        let kept_key = cache::snapshot_key(&[
            &key,
            &config.describe(),
            &major.to_string(),
            &table.to_string(),
            &format!("{filter:?}"),
        ]);
        if let Some(kept) = cache::kept_snapshot(&config.cache_dir, &kept_key) {
            self.expected.insert(key, kept.clone());
            return Ok(kept);
        }
        if self.shadow.is_none() {
            let extensions = shadow::binaries::extensions_of(self.migrations);
            let (shadow, on_quit) = super::schema::open_shadow(self.ctx, Some(major), &extensions)?;
            self.shadow = Some(shadow);
            self._on_quit = on_quit;
        }
        let shadow = self.shadow.as_mut().expect("opened above");
        let replay = shadow::Replay {
            migrations: &applied.migrations,
            repeatables: &applied.repeatables,
            table: &table,
            stop: interrupt::flag(),
            search_path: in_placeholder.then_some(PLACEHOLDER),
        };
        let database = shadow.replayed_as(&replay, None, &self.ctx.events())?;
        let snapshot = shadow.snapshot(&database, &filter)?;
        cache::keep_snapshot(&config.cache_dir, &kept_key, &snapshot);
        self.expected.insert(key, snapshot.clone());
        Ok(snapshot)
    }
}

/// What reading one target of a fleet gave (`None`: never started), and the filter its
/// schema was read with.
type TargetRead = Option<anyhow::Result<(Looked, Filter)>>;

/// The tenants of a schema-per-tenant fleet read on one connection: with `fast`, every
/// fingerprint in one pass first; then the schemas of those it did not settle, in one more.
fn read_tenants(
    ctx: &Ctx,
    targets: &[Target],
    wanted: &Filter,
    fast: bool,
) -> anyhow::Result<Vec<TargetRead>> {
    let mut session = ctx.open()?;
    let wait = ctx.config.settings.lock_timeout;
    let tables = targets
        .iter()
        .map(|t| Tables::new(&t.table, None))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut looked: Vec<Option<Looked>> = targets.iter().map(|_| None).collect();
    if fast && wanted.exclude.is_empty() && !wanted.privileges {
        let quick = fingerprint::observe_tenants(
            &mut session,
            &tables,
            wanted,
            Look::Fingerprint,
            wait,
            &Quiet,
        )?;
        for (slot, quick) in looked.iter_mut().zip(quick) {
            if let (Some(true), Some(recorded)) = (quick.matches_record(), &quick.recorded) {
                *slot = Some(Looked::AsRecorded(Verdict::AsRecorded {
                    version: recorded.version,
                    at: recorded.at.clone(),
                }));
            }
        }
    }
    let rest: Vec<usize> = (0..targets.len())
        .filter(|&i| looked[i].is_none())
        .collect();
    let rest_tables: Vec<Tables> = rest.iter().map(|&i| tables[i].clone()).collect();
    let full = fingerprint::observe_tenants(
        &mut session,
        &rest_tables,
        wanted,
        Look::Schema,
        wait,
        &Quiet,
    )?;
    for (i, observed) in rest.into_iter().zip(full) {
        looked[i] = Some(Looked::Schema(observed, None));
    }
    Ok(looked
        .into_iter()
        .zip(&tables)
        .map(|(looked, tables)| {
            let mut filter = fingerprint::filter(Scope::Schema(&tables.schema), tables);
            filter.exclude = wanted.exclude.clone();
            filter.privileges = wanted.privileges;
            Some(Ok((looked.expect("every tenant was read"), filter)))
        })
        .collect())
}

/// One target of a fleet: its verdict, or why there is none.
struct Checked {
    verdict: Option<Verdict>,
    /// The drift with the tenant's schema as the placeholder: equal for tenants that
    /// drifted the same way.
    shape: Vec<Drift>,
    failure: Option<(u8, String)>,
}

/// `ferry drift` over a fleet: every target read (`--jobs` at a time), each set of applied
/// migrations replayed once, targets grouped by identical drift.
/// What a fleet's read of one target gives: what it looked like, the filter it was read
/// with, and its own migrations when its history keeps what ran of some version.
type Read = (Looked, Filter, Option<Vec<Migration>>);

fn fleet(ctx: &Ctx, args: &DriftArgs) -> anyhow::Result<()> {
    let fleet = ctx.config.fleet.clone().expect("a fleet");
    let (migrations, repeatables) = ctx.load()?;
    let targets = targets::load_targets(ctx, &fleet.targets)?;
    if targets.is_empty() {
        return Err(super::fleet::no_targets(&fleet.targets));
    }
    let tenants = matches!(fleet.targets, Targets::Schemas { .. });
    let tenant_of = |t: &Target| {
        if tenants {
            t.table.schema.clone()
        } else {
            None
        }
    };
    let wanted = super::schema::filter(ctx, &args.filter);
    let (config, lock_timeout, fast) = (&ctx.config, ctx.config.settings.lock_timeout, args.fast);
    // Read every target first, at once: the replays come after, on one shadow. Tenants'
    // schemas are read together, in one pass over the database's catalogs.
    // (A tenant's history is read with the others', in one transaction: its files are
    // replayed as they are.)
    let read: Vec<Option<anyhow::Result<Read>>> = if tenants {
        read_tenants(ctx, &targets, &wanted, fast)?
            .into_iter()
            .map(|read| read.map(|r| r.map(|(looked, filter)| (looked, filter, None))))
            .collect()
    } else {
        crate::pool::run(
            targets.len(),
            fleet.jobs.min(targets.len()),
            {
                let next = std::sync::atomic::AtomicUsize::new(0);
                let count = targets.len();
                move || {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    (i < count).then_some(i)
                }
            },
            |i| -> anyhow::Result<Read> {
                let target = &targets[i];
                let mut session =
                    Session::open(&target.params, &target.table, &config.lock_mode, &Quiet)?;
                let tenant = tenant_of(target);
                let filter = target_filter(&wanted, &session, tenant.as_deref());
                let looked = look(&mut session, &filter, fast, lock_timeout, &Quiet)?;
                // To compare in full: what this target's history keeps of the versions
                // edited since they ran, or not here, is replayed as it ran.
                let own = match &looked {
                    Looked::Schema(..) => {
                        let (own, kept) =
                            crate::engine::with_kept(&mut session, migrations.clone(), true)?;
                        (!kept.is_empty()).then_some(own)
                    }
                    Looked::AsRecorded(_) => None,
                };
                Ok((looked, filter, own))
            },
        )
    };
    let mut checker = Checker::new(ctx, &migrations, &repeatables);
    let mut checked = Vec::with_capacity(targets.len());
    for (target, read) in targets.iter().zip(read) {
        let tenant = tenant_of(target);
        let result = read
            .unwrap_or_else(|| Err(anyhow::anyhow!("not started")))
            .and_then(|(looked, filter, own)| {
                let observed = match looked {
                    Looked::AsRecorded(verdict) => return Ok((verdict, Vec::new())),
                    Looked::Schema(observed, _) => observed,
                };
                let verdict = checker.check_with(
                    &observed,
                    &filter,
                    tenant.as_deref(),
                    own.as_deref().unwrap_or(&migrations),
                )?;
                let snapshot = observed.snapshot.as_ref().expect("the schema was read");
                let shape = match (&verdict, &tenant) {
                    (Verdict::Compared { applied, drifts }, Some(schema)) if !drifts.is_empty() => {
                        let expected = checker.expected(applied, &filter, true, snapshot.major)?;
                        drift::compare_with(
                            &expected,
                            &with_schema_renamed(snapshot, schema, PLACEHOLDER),
                            filter.privileges,
                        )
                    }
                    (verdict, _) => verdict.drifts().to_vec(),
                };
                Ok((verdict, shape))
            });
        checked.push(match result {
            Ok((verdict, shape)) => Checked {
                verdict: Some(verdict),
                shape,
                failure: None,
            },
            Err(err) => Checked {
                verdict: None,
                shape: Vec::new(),
                failure: Some((
                    error::exit_code(&err),
                    redact(&format!("{err:#}"), target.params.password.as_deref()),
                )),
            },
        });
    }
    report_fleet(ctx, args, &targets, &checked, tenants)
}

fn report_fleet(
    ctx: &Ctx,
    args: &DriftArgs,
    targets: &[Target],
    checked: &[Checked],
    tenants: bool,
) -> anyhow::Result<()> {
    let shapes: Vec<Option<&[Drift]>> = checked
        .iter()
        .map(|c| c.verdict.as_ref().map(|_| c.shape.as_slice()))
        .collect();
    let groups = drift::groups(&shapes);
    let matching = groups
        .iter()
        .filter(|(drift, _)| drift.is_empty())
        .map(|(_, members)| members.len())
        .sum::<usize>();
    // Each group shown as its first target has it: a tenant's objects in its own schema.
    let drifted: Vec<(&[Drift], &[usize])> = groups
        .iter()
        .filter(|(drift, _)| !drift.is_empty())
        .map(|(_, members)| {
            let first = checked[members[0]].verdict.as_ref();
            (first.map_or(&[][..], Verdict::drifts), members.as_slice())
        })
        .collect();
    let each = if tenants {
        " (each in its own schema)"
    } else {
        ""
    };
    let failed: Vec<usize> = (0..checked.len())
        .filter(|&i| checked[i].failure.is_some())
        .collect();
    let label = |i: usize| targets[i].label.as_str();
    match args.format {
        FindingsFormat::Json => {
            for (i, c) in checked.iter().enumerate() {
                let mut line = match &c.verdict {
                    Some(verdict) => verdict.to_json(&targets[i].params.display_url()),
                    None => json!({"target": targets[i].params.display_url()}),
                };
                if let Some((code, message)) = &c.failure {
                    line["error"] = json!(message.lines().next().unwrap_or_default());
                    line["exit_code"] = json!(code);
                }
                ctx.report.built(&line.to_string());
            }
            let groups: Vec<Value> = drifted
                .iter()
                .map(|(drift, members)| {
                    json!({
                        "targets": members.iter().map(|&i| label(i)).collect::<Vec<_>>(),
                        "differences": drift.iter().map(|d| drift::headline(&d.difference)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            ctx.report.built(
                &json!({"summary": {
                    "targets": targets.len(),
                    "match": matching,
                    "drifted": targets.len() - matching - failed.len(),
                    "failed": failed.len(),
                    "groups": groups,
                }})
                .to_string(),
            );
        }
        FindingsFormat::Sarif => {
            let results = checked
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some(c.verdict.as_ref()?.sarif_results(label(i))))
                .flatten()
                .collect();
            ctx.report.document(&crate::cli::ui::report::sarif(
                drift::sarif_rules(),
                results,
            ));
        }
        FindingsFormat::Text => {
            for (drift, members) in &drifted {
                let names: Vec<&str> = members.iter().map(|&i| label(i)).collect();
                let what = match drift {
                    [one] => format!("the same {}{each}", drift::headline(&one.difference)),
                    many => format!("the same {} differences{each}", many.len()),
                };
                ctx.report.result(&match (names.as_slice(), *drift) {
                    ([one], [difference]) => {
                        format!("{one} has {}", drift::headline(&difference.difference))
                    }
                    ([one], many) => format!("{one} has {} differences", many.len()),
                    (names, _) => format!("{} have {what}: {}", names.len(), names.join(", ")),
                });
                for line in drift::to_text(drift).lines() {
                    ctx.report.result(&format!("    {line}"));
                }
            }
            for &i in &failed {
                let (_, message) = checked[i].failure.as_ref().expect("failed");
                ctx.report.warn(&format!(
                    "{}: {}",
                    label(i),
                    message.lines().next().unwrap_or_default()
                ));
            }
            let mut parts = vec![format!("{matching} match")];
            for (drift, members) in &drifted {
                let what = match drift {
                    [one] => drift::headline(&one.difference),
                    many => format!("{} differences", many.len()),
                };
                parts.push(format!("{} with {what}", members.len()));
            }
            if !failed.is_empty() {
                parts.push(format!("{} could not be checked", failed.len()));
            }
            ctx.report.info(&format!(
                "drift on {} targets: {}",
                targets.len(),
                parts.join("; ")
            ));
        }
    }
    if let Some(code) = failed
        .iter()
        .filter_map(|&i| checked[i].failure.as_ref().map(|(code, _)| *code))
        .max_by_key(|code| super::fleet::severity(*code))
    {
        return Err(error::with_code(
            code,
            format!(
                "{} of {} targets could not be checked ({})",
                failed.len(),
                targets.len(),
                failed
                    .iter()
                    .map(|&i| label(i))
                    .take(5)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if !drifted.is_empty() {
        let count: usize = drifted.iter().map(|(_, m)| m.len()).sum();
        return Err(error::invalid(format!(
            "drift on {count} of {} targets, in {} way(s)",
            targets.len(),
            drifted.len()
        )));
    }
    Ok(())
}
