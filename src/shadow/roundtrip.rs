//! `ferry test`'s proof: every migration's down undoes its up, and its up runs again
//! after its down to the same schema — replayed on the shadow, never the target. From the
//! schema before V, S(V-1): apply V and snapshot S(V); run V's down and compare with
//! S(V-1); apply V again and compare with S(V). Every difference is named as what the
//! down left, dropped or changed. A migration without a down is one-way.

use crate::migration::Migration;
use crate::plan::Operation;
use crate::schema::diff::{self, Change, Difference};
use crate::schema::{catalog, Filter, Snapshot};
use crate::source::datatest::{Check, DataTest, When};

use super::{error_line, Replay, Shadow};

/// How one migration's round trip went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Ok,
    Failed,
    /// No down: nothing to prove (a failure with `--require-down`).
    OneWay,
}

impl Verdict {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Failed => "failed",
            Verdict::OneWay => "one-way",
        }
    }
}

/// One migration's round trip.
#[derive(Debug, Clone)]
pub(crate) struct Trip {
    pub version: i64,
    pub name: String,
    pub verdict: Verdict,
    /// What the down left different from the schema before the up (`before` → after down).
    pub down: Vec<Difference>,
    /// What the up, run again after the down, made differently (first up → second up).
    pub again: Vec<Difference>,
    /// A step that failed outright, in words ("down of 7 fails: …").
    pub error: Option<String>,
    /// Every problem in one line each (the error, then each difference, then each data
    /// check that failed, with its rows).
    pub problems: Vec<String>,
    /// The migration's data test's checks, with what they returned.
    pub data: Vec<CheckResult>,
    /// Objects the down left that the up had not made (the down made them).
    made_by_down: Vec<String>,
}

/// One data test check and what its query returned (or why it could not run).
#[derive(Debug, Clone)]
pub(crate) struct CheckResult {
    pub file: String,
    pub check: Check,
    pub actual: Result<Vec<String>, String>,
}

impl CheckResult {
    pub(crate) fn passed(&self) -> bool {
        self.actual
            .as_ref()
            .is_ok_and(|rows| *rows == self.check.rows)
    }

    fn problem(&self, version: i64) -> String {
        let query = diff::flat(&self.check.query, usize::MAX);
        let when = match self.check.when {
            When::After => format!("after {version}"),
            When::AfterDown => format!("after the down of {version}"),
        };
        let rows = |rows: &[String]| match rows {
            [] => "(no rows)".to_string(),
            rows => rows.join(" / "),
        };
        match &self.actual {
            Err(e) => format!("{}:{}: {when}: {query}: {e}", self.file, self.check.line),
            Ok(actual) => format!(
                "{}:{}: {when}: {query}\n      expected: {}\n      actual:   {}",
                self.file,
                self.check.line,
                rows(&self.check.rows),
                rows(actual)
            ),
        }
    }
}

impl Trip {
    /// One line per problem, as a tired engineer reads them: "down of 7 leaves column
    /// `public.profiles.picture_mime` (added by its up)".
    fn problems(&self) -> Vec<String> {
        let v = self.version;
        // A step that failed is said where it happened: before the down's differences,
        // or after them when it was the second up.
        let second_up = |e: &&String| e.starts_with(&format!("up of {v} after its down"));
        let mut out: Vec<String> = self
            .error
            .iter()
            .filter(|e| !second_up(e))
            .cloned()
            .collect();
        for d in self.down.iter().filter(|d| !part_of_whole(d, &self.down)) {
            let made_by_up = !self
                .made_by_down
                .contains(&format!("{} {}", d.kind, d.name));
            out.push(match d.change {
                // An extension is often kept on purpose (other schemas use it): say how.
                Change::Added if made_by_up && d.kind == crate::schema::snapshot::Kind::Extension => format!(
                    "down of {v} leaves extension `{}` (added by its up; when it stays on purpose, --exclude {})",
                    d.name, d.name
                ),
                Change::Added if made_by_up => {
                    format!(
                        "down of {v} leaves {} `{}` (added by its up)",
                        d.kind, d.name
                    )
                }
                Change::Added => format!(
                    "down of {v} creates {} `{}`, which was not there before {v}",
                    d.kind, d.name
                ),
                Change::Removed => format!(
                    "down of {v} drops {} `{}`, which existed before {v}",
                    d.kind, d.name
                ),
                Change::Changed => format!(
                    "down of {v} leaves {} `{}` changed: {}",
                    d.kind,
                    d.name,
                    fields(d)
                ),
            });
        }
        out.extend(self.error.iter().filter(second_up).cloned());
        out.extend(
            self.data
                .iter()
                .filter(|c| !c.passed())
                .map(|c| c.problem(v)),
        );
        for d in self.again.iter().filter(|d| !part_of_whole(d, &self.again)) {
            out.push(format!(
                "up of {v} after its down differs: {} `{}` {}",
                d.kind,
                d.name,
                match d.change {
                    Change::Added => "is new".to_string(),
                    Change::Removed => "is missing".to_string(),
                    Change::Changed => format!("changed: {}", fields(d)),
                }
            ));
        }
        out
    }
}

/// Whether `d` belongs to a table that is itself added or removed in `all` (its columns,
/// constraints, indexes, triggers, policies): the table's line says it.
fn part_of_whole(d: &Difference, all: &[Difference]) -> bool {
    if d.change == Change::Changed {
        return false;
    }
    let table = match (
        &d.name.table,
        d.object.as_ref().and_then(|o| o.get("table")),
    ) {
        (Some(table), _) => table.as_str(),
        (None, Some(table)) if d.kind == crate::schema::snapshot::Kind::Index => table,
        _ => return false,
    };
    all.iter().any(|t| {
        t.kind == crate::schema::snapshot::Kind::Table
            && t.change == d.change
            && t.name.schema == d.name.schema
            && t.name.name == table
    })
}

fn fields(d: &Difference) -> String {
    d.fields
        .iter()
        .map(|(field, a, b)| {
            let show = |v: &Option<String>| {
                v.as_deref()
                    .map_or("(none)".to_string(), |t| diff::flat(t, 80))
            };
            format!("{field} {} → {}", show(a), show(b))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What to test.
pub(crate) struct Plan<'a> {
    pub replay: Replay<'a>,
    /// Only the migrations after this version (the rest come from the template cache).
    pub since: Option<i64>,
    pub require_down: bool,
    pub filter: &'a Filter,
    /// Data tests, by the version they test.
    pub data_tests: &'a [DataTest],
    /// How many round trips run side by side (`--jobs`).
    pub jobs: usize,
}

/// Runs every round trip in order, telling `each` as each is done.
pub(crate) fn run(
    shadow: &mut Shadow,
    plan: &Plan<'_>,
    each: &mut dyn FnMut(&Trip),
) -> anyhow::Result<Vec<Trip>> {
    let migrations = plan.replay.migrations;
    let first = match plan.since {
        Some(v) => migrations
            .iter()
            .position(|m| m.version > v)
            .unwrap_or(migrations.len()),
        None => 0,
    };
    let all = first..migrations.len();
    let trips = if plan.jobs > 1 && all.len() >= 2 * plan.jobs {
        side_by_side(shadow, plan, all, each)?
    } else {
        one_after_another(shadow, plan, all, each)?
    };
    // The repeatable migrations, where `up` applies them: after the last migration.
    if !plan.replay.repeatables.is_empty() {
        let database = start_at(shadow, plan, migrations.len())?;
        shadow
            .migrate(&database, &plan.replay, Operation::UP)
            .map_err(|e| e.context("the repeatable migrations fail after the last migration"))?;
        shadow.drop_scratch(&database)?;
    }
    Ok(trips)
}

/// The round trips of the migrations in `range`, one after another on one database.
fn one_after_another(
    shadow: &mut Shadow,
    plan: &Plan<'_>,
    range: std::ops::Range<usize>,
    each: &mut dyn FnMut(&Trip),
) -> anyhow::Result<Vec<Trip>> {
    let migrations = plan.replay.migrations;
    let mut trips = Vec::new();
    if range.is_empty() {
        return Ok(trips);
    }
    let mut database = start_at(shadow, plan, range.start)?;
    // One connection to the database under test for every step and snapshot: one server
    // process with its caches warm, instead of one per step.
    let mut client = shadow.connect(&database)?;
    let mut prepared = catalog::Prepared::new(&mut client)?;
    let mut before = prepared.read(&mut client, plan.filter)?;
    for index in range {
        let migration = &migrations[index];
        if plan.replay.stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(crate::error::interrupted(
                "interrupted: the round trips stopped",
            ));
        }
        // A data test copies the database, which then must have no session.
        let data = match plan
            .data_tests
            .iter()
            .find(|t| t.version == migration.version)
        {
            Some(test) => {
                drop(client);
                let results = data_test(shadow, plan, &database, migration, test);
                client = shadow.connect(&database)?;
                prepared = catalog::Prepared::new(&mut client)?;
                results
            }
            None => Ok(Vec::new()),
        };
        let (trip, after) = trip(&mut client, &prepared, plan, migration, &before, data);
        each(&trip);
        let broken = trip.error.is_some();
        trips.push(trip);
        match after {
            Some(after) if !broken => before = after,
            // The database is wherever the failure left it: the next trips start from a
            // fresh replay through this migration.
            _ => {
                drop(client);
                shadow.drop_scratch(&database)?;
                database = start_at(shadow, plan, index + 1)?;
                client = shadow.connect(&database)?;
                prepared = catalog::Prepared::new(&mut client)?;
                before = prepared.read(&mut client, plan.filter)?;
            }
        }
    }
    drop(client);
    shadow.drop_scratch(&database)?;
    Ok(trips)
}

/// `--jobs N`: the range cut into N runs of consecutive migrations, each on its own copy
/// of the template before it, side by side. A run stops at a failure and the rest of it
/// continues one after another afterwards; data tests, which copy databases, run after
/// them too. The trips and what is said about them are the same as one after another
/// (a test compares them).
fn side_by_side(
    shadow: &mut Shadow,
    plan: &Plan<'_>,
    range: std::ops::Range<usize>,
    each: &mut dyn FnMut(&Trip),
) -> anyhow::Result<Vec<Trip>> {
    let size = range.len().div_ceil(plan.jobs);
    let runs: Vec<std::ops::Range<usize>> = range
        .clone()
        .step_by(size)
        .map(|start| start..(start + size).min(range.end))
        .collect();
    let mut databases = Vec::new();
    for run in &runs {
        databases.push(start_at(shadow, plan, run.start)?);
    }
    let params: Vec<_> = databases.iter().map(|d| shadow.params(d)).collect();
    let results: Vec<anyhow::Result<(Vec<Trip>, usize)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = runs
            .iter()
            .zip(&params)
            .map(|(run, params)| scope.spawn(move || run_alone(params, plan, run.clone())))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a round trip's thread panicked")))
            })
            .collect()
    });
    for database in &databases {
        shadow.drop_scratch(database)?;
    }
    let mut trips = Vec::new();
    for (run, result) in runs.iter().zip(results) {
        let (done, next) = result?;
        for mut trip in done {
            let index = plan
                .replay
                .migrations
                .iter()
                .position(|m| m.version == trip.version);
            if let (Some(index), Some(test)) = (
                index,
                plan.data_tests.iter().find(|t| t.version == trip.version),
            ) {
                let database = start_at(shadow, plan, index)?;
                let data = data_test(
                    shadow,
                    plan,
                    &database,
                    &plan.replay.migrations[index],
                    test,
                );
                shadow.drop_scratch(&database)?;
                match data {
                    Ok(results) => trip.data = results,
                    Err(e) => trip.error = trip.error.or(Some(e)),
                }
                if trip.error.is_some() || trip.data.iter().any(|c| !c.passed()) {
                    trip.verdict = Verdict::Failed;
                }
                trip.problems = trip.problems();
            }
            each(&trip);
            trips.push(trip);
        }
        trips.extend(one_after_another(shadow, plan, next..run.end, each)?);
    }
    Ok(trips)
}

/// One run of `--jobs` on its own database (at the version before `range`): its trips,
/// and where it stopped (the end, or just after a failure).
fn run_alone(
    params: &crate::conn::ConnParams,
    plan: &Plan<'_>,
    range: std::ops::Range<usize>,
) -> anyhow::Result<(Vec<Trip>, usize)> {
    let mut client = crate::conn::connect(params)?;
    let prepared = catalog::Prepared::new(&mut client)?;
    let mut before = prepared.read(&mut client, plan.filter)?;
    let mut trips = Vec::new();
    for index in range.clone() {
        if plan.replay.stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(crate::error::interrupted(
                "interrupted: the round trips stopped",
            ));
        }
        let migration = &plan.replay.migrations[index];
        let (trip, after) = trip(
            &mut client,
            &prepared,
            plan,
            migration,
            &before,
            Ok(Vec::new()),
        );
        let broken = trip.error.is_some();
        trips.push(trip);
        match after {
            Some(after) if !broken => before = after,
            _ => return Ok((trips, index + 1)),
        }
    }
    Ok((trips, range.end))
}

/// A scratch database holding the first `count` migrations, from the template cache.
fn start_at(shadow: &mut Shadow, plan: &Plan<'_>, count: usize) -> anyhow::Result<String> {
    if count == 0 {
        return shadow.scratch(None);
    }
    let upto = plan.replay.migrations[count - 1].version;
    let template = shadow.replayed(
        plan.replay.migrations,
        &[],
        Some(upto),
        plan.replay.table,
        &crate::events::Quiet,
        plan.replay.stop,
    )?;
    shadow.scratch(Some(&template))
}

/// One migration's round trip on `database` (at the version before it, with schema
/// `before`), and the schema after it when the database ends at the migration.
fn trip(
    client: &mut postgres::Client,
    prepared: &catalog::Prepared,
    plan: &Plan<'_>,
    migration: &Migration,
    before: &Snapshot,
    data: Result<Vec<CheckResult>, String>,
) -> (Trip, Option<Snapshot>) {
    let v = migration.version;
    let mut trip = Trip {
        version: v,
        name: migration.name.clone(),
        verdict: Verdict::Ok,
        down: Vec::new(),
        again: Vec::new(),
        error: None,
        problems: Vec::new(),
        data: Vec::new(),
        made_by_down: Vec::new(),
    };
    let up = Operation::UpTo { version: v };
    match data {
        Ok(results) => trip.data = results,
        Err(e) => trip.error = Some(e),
    }
    let fail = |mut trip: Trip, what: String| {
        trip.verdict = Verdict::Failed;
        trip.error = Some(what);
        trip.problems = trip.problems();
        (trip, None)
    };
    let filter = plan.filter;
    let snapshot = |client: &mut postgres::Client| prepared.read(client, filter);
    let replay = Replay {
        repeatables: &[],
        ..plan.replay
    };
    if let Err(e) = super::migrate_on(client, &replay, up) {
        return fail(trip, format!("up of {v} fails: {}", error_line(&e)));
    }
    let after_up = match snapshot(client) {
        Ok(s) => s,
        Err(e) => {
            return fail(
                trip,
                format!("reading the schema after {v}: {}", error_line(&e)),
            )
        }
    };
    if migration.down.is_none() {
        // A baseline (`ferry squash`) is never rolled back: --require-down asks nothing of it.
        let require_down = plan.require_down && migration.baseline.is_none();
        trip.verdict = if require_down {
            Verdict::Failed
        } else {
            Verdict::OneWay
        };
        if require_down {
            trip.error
                .get_or_insert(format!("{v} has no down (--require-down)"));
        }
        if trip.error.is_some() || trip.data.iter().any(|c| !c.passed()) {
            trip.verdict = Verdict::Failed;
        }
        trip.problems = trip.problems();
        return (trip, Some(after_up));
    }
    if let Err(e) = super::migrate_on(client, &replay, Operation::down(1)) {
        return fail(trip, format!("down of {v} fails: {}", error_line(&e)));
    }
    match snapshot(client) {
        Ok(after_down) => trip.down = diff::diff(before, &after_down),
        Err(e) => {
            return fail(
                trip,
                format!(
                    "reading the schema after the down of {v}: {}",
                    error_line(&e)
                ),
            )
        }
    }
    if let Err(e) = super::migrate_on(client, &replay, up) {
        return fail(
            trip,
            format!("up of {v} after its down fails: {}", error_line(&e)),
        );
    }
    let again = match snapshot(client) {
        Ok(s) => s,
        Err(e) => {
            return fail(
                trip,
                format!("reading the schema after {v} again: {}", error_line(&e)),
            )
        }
    };
    trip.again = diff::diff(&after_up, &again);
    let data_failed = trip.error.is_some() || trip.data.iter().any(|c| !c.passed());
    if !trip.down.is_empty() || !trip.again.is_empty() || data_failed {
        trip.verdict = Verdict::Failed;
    }
    trip.made_by_down = trip
        .down
        .iter()
        .filter(|d| {
            d.change == Change::Added && !after_up.objects.contains_key(&(d.kind, d.name.clone()))
        })
        .map(|d| format!("{} {}", d.kind, d.name))
        .collect();
    trip.problems = trip.problems();
    (trip, Some(again))
}

/// Runs `test` on a copy of `database` (at the version before `migration`): its rows
/// loaded, the migration applied and the `after` queries checked, then — when the test
/// has `after-down` queries — the down run and those checked. The copy is dropped.
fn data_test(
    shadow: &mut Shadow,
    plan: &Plan<'_>,
    database: &str,
    migration: &Migration,
    test: &DataTest,
) -> Result<Vec<CheckResult>, String> {
    let v = migration.version;
    let copy = shadow.scratch(Some(database)).map_err(|e| {
        format!(
            "{}: could not copy the database for it: {}",
            test.file,
            error_line(&e)
        )
    })?;
    let replay = Replay {
        repeatables: &[],
        ..plan.replay
    };
    let run = |shadow: &Shadow| -> Result<Vec<CheckResult>, String> {
        let connect = || crate::conn::connect(&shadow.params(&copy)).map_err(|e| error_line(&e));
        connect()?.batch_execute(&test.before).map_err(|e| {
            let why = e
                .as_db_error()
                .map_or(e.to_string(), |d| d.message().to_string());
            format!("{}: the rows before {v} do not load: {why}", test.file)
        })?;
        shadow
            .migrate(&copy, &replay, Operation::UpTo { version: v })
            .map_err(|e| {
                format!(
                    "{}: up of {v} with the test's rows fails: {}",
                    test.file,
                    error_line(&e)
                )
            })?;
        let mut results = checks(&mut connect()?, test, When::After);
        if test.checks.iter().any(|c| c.when == When::AfterDown) {
            if migration.down.is_none() {
                return Err(format!(
                    "{}: after-down queries, but {v} has no down",
                    test.file
                ));
            }
            shadow
                .migrate(&copy, &replay, Operation::down(1))
                .map_err(|e| {
                    format!(
                        "{}: down of {v} with the test's rows fails: {}",
                        test.file,
                        error_line(&e)
                    )
                })?;
            results.extend(checks(&mut connect()?, test, When::AfterDown));
        }
        Ok(results)
    };
    let results = run(shadow);
    let _ = shadow.drop_scratch(&copy);
    results
}

/// The `when` checks of `test`, each query's rows as `a | b` lines (`NULL` for a null).
fn checks(client: &mut postgres::Client, test: &DataTest, when: When) -> Vec<CheckResult> {
    test.checks
        .iter()
        .filter(|c| c.when == when)
        .map(|check| {
            let actual = client
                .simple_query(&check.query)
                .map(|messages| {
                    messages
                        .iter()
                        .filter_map(|m| match m {
                            postgres::SimpleQueryMessage::Row(row) => Some(
                                (0..row.len())
                                    .map(|i| row.get(i).unwrap_or("NULL"))
                                    .collect::<Vec<_>>()
                                    .join(" | "),
                            ),
                            _ => None,
                        })
                        .collect()
                })
                .map_err(|e| {
                    e.as_db_error()
                        .map_or(e.to_string(), |d| d.message().to_string())
                });
            CheckResult {
                file: test.file.clone(),
                check: check.clone(),
                actual,
            }
        })
        .collect()
}
