//! `ferry trace`: each migration run on the shadow statement by statement, as `up` runs it
//! (inside its transaction, or outside one for a no-transaction file), and after each
//! statement what PostgreSQL itself shows: the relation locks the migration now holds
//! (`pg_locks` of its own backend), which of them block other sessions' reads and
//! writes, and which tables and indexes got a new file (`relfilenode`: a rewrite). A lock
//! taken in a transaction is held until its COMMIT, through every later statement. A
//! no-transaction statement (`CREATE INDEX CONCURRENTLY`) is watched from a second session
//! that holds an old snapshot, so the build waits where its locks can be seen.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use anyhow::Context;
use postgres::{Client, SimpleQueryMessage};

use crate::migration::{Migration, Script};

/// One relation lock a statement took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lock {
    /// `schema.name`, quoted where needed.
    pub relation: String,
    /// PostgreSQL's name: `AccessExclusiveLock`, `ShareRowExclusiveLock`, …
    pub mode: String,
    /// What other sessions wait for while it is held: `reads`, `writes`.
    pub blocks: Vec<&'static str>,
    /// `COMMIT` (a transaction's lock), or `end of statement` (outside one).
    pub held_until: &'static str,
    /// The lines of the statements that run while it is held, after the one that took it.
    pub held_through: Vec<usize>,
}

/// One statement, traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// The migration's version.
    pub version: i64,
    pub file: String,
    pub line: usize,
    pub sql: String,
    /// Locks this statement took that the migration did not hold before.
    pub locks: Vec<Lock>,
    /// Existing tables and indexes given a new file by this statement.
    pub rewrites: Vec<String>,
    /// Existing tables it read every row of without rewriting them (a constraint
    /// validated, `SET NOT NULL` checked): their sequential scans in the transaction's own
    /// statistics went up.
    pub scans: Vec<String>,
    /// Columns, constraints and indexes of existing tables this statement added or changed.
    pub changes: Vec<Change>,
    /// The `lock_timeout` the statement runs under.
    pub lock_timeout: String,
    pub in_transaction: bool,
}

/// A column, constraint or index a statement added to (or changed on) a table that existed
/// before the migration, from the catalog rows the statement wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// `column`, `constraint` or `index`.
    pub kind: &'static str,
    /// The table, schema-qualified.
    pub relation: String,
    /// The column's, constraint's or index's name (an index's schema-qualified).
    pub name: String,
    /// Its definition as PostgreSQL prints it (a column's type and `NOT NULL`; `dropped`).
    pub definition: String,
    /// A constraint's or index's validity: `false` for one added `NOT VALID`.
    pub valid: Option<bool>,
}

/// What sessions a lock mode makes wait: a plain read takes AccessShareLock, a write
/// RowExclusiveLock (PostgreSQL's conflict table).
pub(crate) fn blocks(mode: &str) -> Vec<&'static str> {
    match mode {
        "AccessExclusiveLock" => vec!["reads", "writes"],
        "ExclusiveLock" | "ShareRowExclusiveLock" | "ShareLock" => vec!["writes"],
        _ => Vec::new(),
    }
}

/// The relation locks the session holds, on user relations: (relation, mode).
const LOCKS_SQL: &str = "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
     l.mode, c.oid::text FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE l.locktype = 'relation' \
     AND l.granted AND l.pid = {pid} AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%'";

/// The session's relation locks with each relation's current file: (relation, mode, oid,
/// relfilenode, relkind, sequential scans in this transaction). A rewrite takes ACCESS EXCLUSIVE, so a relation rewritten is
/// among them. A relation this transaction dropped (an index rebuilt under a new oid by
/// `ALTER COLUMN … TYPE`, a view dropped) is still locked but gone from `pg_class`: its
/// row has an empty name and kind.
const LOCKS_AND_FILES_SQL: &str = "SELECT coalesce(pg_catalog.quote_ident(n.nspname) || '.' || \
     pg_catalog.quote_ident(c.relname), ''), l.mode, l.relation::text, coalesce((CASE WHEN c.relkind \
     IN ('r', 'm', 'i') THEN c.relfilenode ELSE 0 END)::text, ''), coalesce(c.relkind::text, ''), \
     pg_catalog.pg_stat_get_xact_numscans(l.relation)::text \
     FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation \
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE l.locktype = 'relation' \
     AND l.granted AND l.pid = pg_backend_pid() AND l.database = (SELECT oid FROM \
     pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AND (c.oid IS NULL OR \
     (n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'))";

/// The tables and materialized views this session has scanned in statistics not yet
/// reported (its transaction's, and earlier ones' still pending): oid → count. Read when a
/// transaction begins; after each statement the locks query reads the count of every
/// relation it locked (a scan needs a lock), so what a statement scanned is the difference
/// from the count last read.
const SCANS_SQL: &str = "SELECT c.oid::text, pg_catalog.pg_stat_get_xact_numscans(c.oid)::text \
     FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'm') \
     AND pg_catalog.pg_stat_get_xact_numscans(c.oid) > 0";

/// The catalog rows of columns, constraints and indexes on the relations the session has
/// locked that this transaction wrote (`xmin` its own), with the command that wrote each
/// (`cmin`): those past the last command already read are the statement's. (kind, table
/// oid, table, name, definition, validity, command.)
const CHANGES_SQL: &str = "WITH mine AS (SELECT DISTINCT l.relation FROM pg_catalog.pg_locks l \
       JOIN pg_catalog.pg_class c ON c.oid = l.relation JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
       WHERE l.locktype = 'relation' AND l.pid = pg_catalog.pg_backend_pid() \
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'), \
     xid AS (SELECT (pg_catalog.txid_current() % 4294967296)::text AS x) \
     SELECT 'column', c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
       CASE WHEN a.attisdropped THEN '' ELSE pg_catalog.quote_ident(a.attname) END, \
       CASE WHEN a.attisdropped THEN 'dropped' ELSE pg_catalog.format_type(a.atttypid, a.atttypmod) \
         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END END, '', a.cmin::text \
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE a.attrelid IN (SELECT relation FROM mine) AND a.attnum > 0 AND c.relkind IN ('r', 'p') \
       AND a.xmin::text = (SELECT x FROM xid) \
     UNION ALL \
     SELECT 'constraint', c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
       pg_catalog.quote_ident(co.conname), pg_catalog.pg_get_constraintdef(co.oid), co.convalidated::text, co.cmin::text \
     FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE co.conrelid IN (SELECT relation FROM mine) AND co.xmin::text = (SELECT x FROM xid) \
     UNION ALL \
     SELECT 'index', c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname), \
       pg_catalog.pg_get_indexdef(i.indexrelid), i.indisvalid::text, i.cmin::text \
     FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
     JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE i.indrelid IN (SELECT relation FROM mine) AND i.xmin::text = (SELECT x FROM xid)";

/// Every user relation: oid → (name, file); the file (`relfilenode`) of a table, a
/// materialized view or an index, `0` for the others (nothing to rewrite).
const FILES_SQL: &str = "SELECT c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || \
     pg_catalog.quote_ident(c.relname), (CASE WHEN c.relkind IN ('r', 'm', 'i') THEN c.relfilenode \
     ELSE 0 END)::text FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'";

type Files = BTreeMap<String, (String, String)>;

fn rows(client: &mut Client, sql: &str) -> anyhow::Result<Vec<Vec<String>>> {
    Ok(rows_of(&client.simple_query(sql)?, 0))
}

/// The rows of statement `statement` (0-based) of a simple-query answer, as text.
fn rows_of(answer: &[SimpleQueryMessage], statement: usize) -> Vec<Vec<String>> {
    let mut completed = 0;
    let mut out = Vec::new();
    for message in answer {
        match message {
            SimpleQueryMessage::CommandComplete(_) => completed += 1,
            SimpleQueryMessage::Row(row) if completed == statement => out.push(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or_default().to_string())
                    .collect(),
            ),
            _ => {}
        }
    }
    out
}

fn files(client: &mut Client) -> anyhow::Result<Files> {
    Ok(rows(client, FILES_SQL)?
        .into_iter()
        .map(|r| (r[0].clone(), (r[1].clone(), r[2].clone())))
        .collect())
}

fn locks_of(client: &mut Client, pid: &str) -> anyhow::Result<Vec<(String, String, String)>> {
    Ok(rows(client, &LOCKS_SQL.replace("{pid}", pid))?
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect())
}

/// The relations whose file changed between `before` and `after` (both existing).
fn rewritten(before: &Files, after: &Files) -> Vec<String> {
    after
        .iter()
        .filter_map(|(oid, (name, file))| {
            let (_, old) = before.get(oid)?;
            (old != file).then(|| name.clone())
        })
        .collect()
}

/// The files of the relations the shadow database has, as the trace last saw them: read
/// once, then kept current from what each statement locks (see [`LOCKS_AND_FILES_SQL`]);
/// and the relations the session has scanned (its own statistics, pending until reported):
/// only a traced statement scans a user table, and every one it scans it locks, so those
/// are all a transaction's starting counts need to be read for. `None`: not known (at
/// first, and after a statement watched from the other session) — every relation's read.
/// Whether the session has the reads after each statement prepared (see [`PREPARE_SQL`]).
#[derive(Default)]
pub(crate) struct Known {
    files: Option<Files>,
    scanned: Option<BTreeSet<String>>,
    prepared: bool,
}

/// The reads after each statement, prepared once per session: planning them cost more than
/// running them (2.2 ms against 0.4 for the changes).
/// (`DEALLOCATE ALL` first: after a statement that looked as if it might drop them, they
/// may still be there.)
const PREPARE_SQL: &str = "DEALLOCATE ALL; PREPARE ferry_trace_locks AS {LOCKS}; \
     PREPARE ferry_trace_changes AS {CHANGES}";
const EXECUTE_SQL: &str = "EXECUTE ferry_trace_locks;\nEXECUTE ferry_trace_changes";

/// Whether a statement may drop the session's prepared statements (`DISCARD`,
/// `DEALLOCATE`): the reads after it are sent in full, and prepared again later.
fn may_deallocate(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    lower.contains("discard") || lower.contains("deallocate")
}

/// Traces `migration`'s up script on `client` (a shadow database at the state before it),
/// leaving it applied (committed) so the next migration is traced after it, `known`
/// carried from one to the next; `second` is another connection to the same database,
/// for no-transaction statements. `lock_timeout` is what `up` would set (the file's own
/// `-- ferry:lock-timeout` wins).
pub(crate) fn trace(
    client: &mut Client,
    second: &mut Client,
    migration: &Migration,
    lock_timeout: Duration,
    known: &mut Known,
) -> anyhow::Result<Vec<Step>> {
    if known.files.is_none() {
        known.files = Some(files(client)?);
    }
    let script = &migration.up;
    let timeout = script.lock_timeout.unwrap_or(lock_timeout);
    let shown = if timeout.is_zero() {
        "0 (no limit)".to_string()
    } else {
        humantime::format_duration(timeout).to_string()
    };
    let in_transaction = !script.no_transaction && script.alone_outside_transaction.is_none();
    let set = format!("SET lock_timeout = '{}ms'", timeout.as_millis());
    if in_transaction {
        // The setting sent with BEGIN, its reset with COMMIT: no round trip of their own.
        return in_one_transaction(client, migration.version, script, &shown, &set, known);
    }
    client.batch_execute(&set)?;
    let steps = outside(client, second, migration.version, script, &shown);
    known.files = None;
    known.scanned = None;
    // (Its statements run outside ferry's reads: prepared again before the next.)
    known.prepared = false;
    client.batch_execute("RESET lock_timeout")?;
    steps
}

fn failed(script: &Script, line: usize, e: postgres::Error) -> anyhow::Error {
    let why = e
        .as_db_error()
        .map_or(e.to_string(), |d| d.message().to_string());
    anyhow::anyhow!("{}:{line}: {why}", script.label)
}

/// `BEGIN` (after `setting`, when one is given), and the scan counts the transaction starts
/// from (see [`SCANS_SQL`]; only those of the relations `scanned` before when they are
/// known): one round trip.
fn begin(
    client: &mut Client,
    setting: Option<&str>,
    scanned: Option<&BTreeSet<String>>,
) -> Result<BTreeMap<String, u64>, postgres::Error> {
    let counts = match scanned {
        None => SCANS_SQL.to_string(),
        Some(oids) => format!(
            "SELECT x::text, pg_catalog.pg_stat_get_xact_numscans(x)::text \
             FROM pg_catalog.unnest('{{{}}}'::pg_catalog.oid[]) x",
            oids.iter().cloned().collect::<Vec<_>>().join(",")
        ),
    };
    let (sql, at) = match setting {
        Some(set) => (format!("{set};\nBEGIN;\n{counts}"), 2),
        None => (format!("BEGIN;\n{counts}"), 1),
    };
    let answer = client.simple_query(&sql)?;
    Ok(rows_of(&answer, at)
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.parse().ok()?)))
        .collect())
}

fn in_one_transaction(
    client: &mut Client,
    version: i64,
    script: &Script,
    timeout: &str,
    setting: &str,
    known: &mut Known,
) -> anyhow::Result<Vec<Step>> {
    let mut files = known.files.take().unwrap_or_default();
    if !known.prepared {
        client.batch_execute(
            &PREPARE_SQL
                .replace("{LOCKS}", LOCKS_AND_FILES_SQL)
                .replace("{CHANGES}", CHANGES_SQL),
        )?;
        known.prepared = true;
    }
    let mut counts = begin(client, Some(setting), known.scanned.as_ref())?;
    let result = (|| -> anyhow::Result<Vec<Step>> {
        // Relations made by this migration are invisible to other sessions until COMMIT.
        let mut made: BTreeSet<String> = BTreeSet::new();
        let mut held: BTreeSet<(String, String)> = BTreeSet::new();
        let mut last = -1;
        let mut steps = Vec::new();
        for statement in &script.statements {
            let sql = statement.text(&script.text);
            let prepared = known.prepared && !may_deallocate(sql);
            known.prepared = prepared;
            let seen = in_transaction(
                client,
                sql,
                prepared,
                &mut files,
                &mut counts,
                &mut made,
                &mut held,
                &mut last,
            )
            .map_err(|e| failed(script, statement.line, e))?;
            steps.push(Step {
                version,
                file: script.label.clone(),
                line: statement.line,
                sql: sql.to_string(),
                locks: seen.locks,
                rewrites: seen.rewrites,
                scans: seen.scans,
                changes: seen.changes,
                lock_timeout: timeout.to_string(),
                in_transaction: true,
            });
        }
        // Held until COMMIT: through every statement after the one that took it.
        let lines: Vec<usize> = steps.iter().map(|s| s.line).collect();
        for (i, step) in steps.iter_mut().enumerate() {
            for lock in &mut step.locks {
                lock.held_through = lines[i + 1..].to_vec();
            }
        }
        Ok(steps)
    })();
    match result {
        Ok(steps) => {
            client.batch_execute("COMMIT; RESET lock_timeout")?;
            known.files = Some(files);
            known.scanned = Some(
                counts
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(oid, _)| oid)
                    .collect(),
            );
            Ok(steps)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK; RESET lock_timeout");
            known.scanned = None;
            Err(e)
        }
    }
}

/// What one statement did, as PostgreSQL shows it.
struct Seen {
    locks: Vec<Lock>,
    rewrites: Vec<String>,
    scans: Vec<String>,
    changes: Vec<Change>,
}

/// One statement in the open transaction, and the locks it took that the transaction did
/// not hold (`held`) on relations it did not make (`made`), the relations it gave a new
/// file, those it scanned, and what it added to them; `files`, the scan `counts` and the
/// `last` command read kept current.
#[allow(clippy::too_many_arguments)]
fn in_transaction(
    client: &mut Client,
    sql: &str,
    prepared: bool,
    files: &mut Files,
    counts: &mut BTreeMap<String, u64>,
    made: &mut BTreeSet<String>,
    held: &mut BTreeSet<(String, String)>,
    last: &mut i64,
) -> Result<Seen, postgres::Error> {
    // The statement, the read of its locks and of the catalog rows it wrote in one round
    // trip: the second and third statements of the answer.
    let answer = if prepared {
        client.simple_query(&format!("{sql};\n{EXECUTE_SQL}"))?
    } else {
        client.simple_query(&format!("{sql};\n{LOCKS_AND_FILES_SQL};\n{CHANGES_SQL}"))?
    };
    let mut scans = Vec::new();
    let mut locks = Vec::new();
    let mut rewrites = Vec::new();
    // Relations this statement dropped, and made: an index dropped and made again under its
    // name with another file was rebuilt (`ALTER COLUMN … TYPE`), one with the same file
    // kept (a varchar made longer).
    let mut dropped: Vec<(String, String)> = Vec::new();
    let mut new: Vec<(String, String)> = Vec::new();
    // What the statement changed in `files`, applied after every row is read: a relation
    // has a row per lock mode, each named as it was before the statement.
    let mut changed: Vec<(String, Option<(String, String)>)> = Vec::new();
    for row in rows_of(&answer, 1) {
        let [current, mode, oid, file, kind, scanned] =
            <[String; 6]>::try_from(row).expect("the locks query has six columns");
        let gone = kind.is_empty();
        let storage = ["r", "m", "i"].contains(&kind.as_str());
        let count = scanned.parse::<u64>().unwrap_or(0);
        let scanned = count > counts.get(&oid).copied().unwrap_or(0);
        counts.insert(oid.clone(), count);
        // Named as it was before the statement (a table renamed is locked under its old name).
        let relation = match files.get(&oid) {
            None if gone => continue,
            None => {
                if made.insert(oid.clone()) && storage {
                    new.push((current.clone(), file.clone()));
                }
                changed.push((oid.clone(), Some((current.clone(), file.clone()))));
                current
            }
            Some((before, known)) => {
                if gone {
                    if !made.contains(&oid) && !dropped.iter().any(|(n, _)| n == before) {
                        dropped.push((before.clone(), known.clone()));
                    }
                    changed.push((oid.clone(), None));
                } else {
                    if *known != file
                        && storage
                        && !made.contains(&oid)
                        && !rewrites.contains(before)
                    {
                        rewrites.push(before.clone());
                    } else if scanned
                        && *known == file
                        && kind != "i"
                        && !made.contains(&oid)
                        && !scans.contains(before)
                    {
                        scans.push(before.clone());
                    }
                    changed.push((oid.clone(), Some((current, file))));
                }
                before.clone()
            }
        };
        if made.contains(&oid) || !held.insert((relation.clone(), mode.clone())) {
            continue;
        }
        locks.push(Lock {
            blocks: blocks(&mode),
            relation,
            mode,
            held_until: "COMMIT",
            held_through: Vec::new(),
        });
    }
    for (oid, now) in changed {
        match now {
            Some(now) => {
                files.insert(oid, now);
            }
            None => {
                files.remove(&oid);
            }
        }
    }
    for (name, file) in &new {
        if dropped.iter().any(|(n, f)| n == name && f != file) && !rewrites.contains(name) {
            rewrites.push(name.clone());
        }
    }
    // In a stable order: pg_locks lists them as its hash table holds them.
    rewrites.sort();
    scans.retain(|s| !rewrites.contains(s));
    scans.sort();
    locks.sort_by(|a, b| (&a.relation, &a.mode).cmp(&(&b.relation, &b.mode)));
    let mut changes = Vec::new();
    let mut newest = *last;
    for row in rows_of(&answer, 2) {
        let [kind, oid, relation, name, definition, valid, command] =
            <[String; 7]>::try_from(row).expect("the changes query has seven columns");
        let command: i64 = command.parse().unwrap_or(-1);
        newest = newest.max(command);
        if command <= *last || made.contains(&oid) {
            continue;
        }
        changes.push(Change {
            kind: match kind.as_str() {
                "column" => "column",
                "constraint" => "constraint",
                _ => "index",
            },
            relation,
            name,
            definition,
            valid: (!valid.is_empty()).then(|| valid == "true"),
        });
    }
    *last = newest;
    changes.sort_by(|a, b| (a.kind, &a.relation, &a.name).cmp(&(b.kind, &b.relation, &b.name)));
    changes.dedup();
    Ok(Seen {
        locks,
        rewrites,
        scans,
        changes,
    })
}

/// A no-transaction migration's statements, each as PostgreSQL runs it there: on its own.
/// One that may run in a transaction block is traced in one of its own (the same locks,
/// read right after it); one that may not (`CONCURRENTLY`, `VACUUM`) is watched from
/// `second` (see [`watched`]).
fn outside(
    client: &mut Client,
    second: &mut Client,
    version: i64,
    script: &Script,
    timeout: &str,
) -> anyhow::Result<Vec<Step>> {
    let mut steps = Vec::new();
    for statement in &script.statements {
        let sql = statement.text(&script.text);
        let mut files = files(client)?;
        let mut counts = begin(client, None, None)?;
        let traced = in_transaction(
            client,
            sql,
            false,
            &mut files,
            &mut counts,
            &mut BTreeSet::new(),
            &mut BTreeSet::new(),
            &mut -1,
        );
        let seen = match traced {
            Ok(mut seen) => {
                client.batch_execute("COMMIT")?;
                for lock in &mut seen.locks {
                    lock.held_until = "end of statement";
                }
                seen
            }
            Err(e) => {
                client.batch_execute("ROLLBACK")?;
                if e.code() != Some(&postgres::error::SqlState::ACTIVE_SQL_TRANSACTION) {
                    return Err(failed(script, statement.line, e));
                }
                watched(client, second, script, statement.line, sql)?
            }
        };
        steps.push(Step {
            version,
            file: script.label.clone(),
            line: statement.line,
            sql: sql.to_string(),
            locks: seen.locks,
            rewrites: seen.rewrites,
            scans: seen.scans,
            changes: seen.changes,
            lock_timeout: timeout.to_string(),
            in_transaction: false,
        });
    }
    Ok(steps)
}

/// A statement that cannot run in a transaction block, watched from `second`: it holds a
/// snapshot older than the statement, so a concurrent index build waits for it with its
/// locks taken; what the watcher saw is reported, then it lets the statement finish.
fn watched(
    client: &mut Client,
    second: &mut Client,
    script: &Script,
    line: usize,
    sql: &str,
) -> anyhow::Result<Seen> {
    let pid = rows(client, "SELECT pg_backend_pid()::text")?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .context("reading the shadow session's pid")?;
    let before = files(second)?;
    second.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1")?;
    let mut seen: Vec<(String, String, String)> = Vec::new();
    let done = std::thread::scope(|scope| -> anyhow::Result<()> {
        let running = scope.spawn(|| client.batch_execute(sql));
        let started = Instant::now();
        let mut released = false;
        while !running.is_finished() {
            for lock in locks_of(second, &pid)? {
                if !seen.contains(&lock) {
                    seen.push(lock);
                }
            }
            // Long enough to see what it takes; then the build may finish.
            if !released && started.elapsed() > Duration::from_millis(200) {
                second.batch_execute("COMMIT")?;
                released = true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if !released {
            second.batch_execute("COMMIT")?;
        }
        running
            .join()
            .map_err(|_| anyhow::anyhow!("the traced statement's thread panicked"))?
            .map_err(|e| failed(script, line, e))
    });
    if done.is_err() {
        let _ = second.batch_execute("ROLLBACK");
    }
    done?;
    let after = files(second)?;
    let locks = seen
        .into_iter()
        .filter(|(_, _, oid)| before.contains_key(oid))
        .map(|(relation, mode, _)| Lock {
            blocks: blocks(&mode),
            relation,
            mode,
            held_until: "end of statement",
            held_through: Vec::new(),
        })
        .collect();
    // (Its scans are in the other session's statistics: not seen from here.)
    Ok(Seen {
        locks,
        rewrites: rewritten(&before, &after),
        scans: Vec::new(),
        changes: Vec::new(),
    })
}

/// What a trace says of a lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// PostgreSQL did what the rule warns of: what it did.
    Confirmed(String),
    /// It did not: why the finding is cleared.
    Cleared(String),
    /// Lint did not see it; the trace did.
    FoundByTrace,
    /// The rule is not about locks or rewrites (code still using a dropped column, a
    /// migration's own COMMIT): the finding stands as lint made it.
    Beside,
    /// The statement was not traced.
    NotTraced,
}

impl Evidence {
    pub(crate) fn verdict(&self) -> &'static str {
        match self {
            Evidence::Confirmed(_) => "confirmed",
            Evidence::Cleared(_) => "cleared",
            Evidence::FoundByTrace => "found by trace",
            Evidence::Beside => "not a lock or rewrite",
            Evidence::NotTraced => "not traced",
        }
    }

    pub(crate) fn detail(&self) -> Option<&str> {
        match self {
            Evidence::Confirmed(s) | Evidence::Cleared(s) => Some(s),
            _ => None,
        }
    }
}

/// A finding of the one verdict `ferry lint --trace` gives.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    pub linted: crate::engine::Linted,
    pub evidence: Evidence,
}

impl Judged {
    /// Whether it counts: a cleared finding does not.
    pub(crate) fn stands(&self) -> bool {
        !matches!(self.evidence, Evidence::Cleared(_))
    }
}

/// Rules whose hazard is a table rewritten, and those whose hazard is a lock other
/// sessions wait for; the trace confirms or clears them (and [`SCAN_RULES`]).
const REWRITE_RULES: &[&str] = &[
    "alter-column-type",
    "add-column-volatile-default",
    "vacuum-full",
    "cluster",
];
/// Rules whose hazard is every row read under a lock: confirmed by a scan.
const SCAN_RULES: &[&str] = &["constraint-not-valid", "set-not-null"];
const LOCK_RULES: &[&str] = &[
    "index-not-concurrent",
    "constraint-builds-index",
    "foreign-key-locks-referenced",
    "drop-index-not-concurrent",
    "detach-partition-not-concurrent",
    "lock-table",
    "truncate",
    "reindex-not-concurrent",
];

/// Lint's findings judged by the trace of the same migrations (`steps`), and the findings
/// only the trace shows: a rewrite no rule named (`table-rewrite`), a lock that blocks reads
/// held through later statements (`lock-held-through`). `migrations` for their
/// `-- ferry:allow` lines.
pub(crate) fn judge(
    found: Vec<crate::engine::Linted>,
    steps: &[Step],
    migrations: &[Migration],
) -> Vec<Judged> {
    use crate::sql::lint::{allowed, rule, Finding};
    let step_at =
        |label: &str, line: usize| steps.iter().find(|s| s.file == label && s.line == line);
    let blocking = |step: &Step| -> Vec<String> {
        step.locks
            .iter()
            .filter(|l| !l.blocks.is_empty())
            .map(|l| {
                format!(
                    "{} on {} blocks {} until {}",
                    l.mode,
                    l.relation,
                    l.blocks.join(" and "),
                    l.held_until
                )
            })
            .collect()
    };
    let mut judged: Vec<Judged> = found
        .into_iter()
        .map(|linted| {
            let id = linted.finding.rule.id;
            let evidence = match step_at(&linted.label, linted.finding.line) {
                None => Evidence::NotTraced,
                Some(step) if REWRITE_RULES.contains(&id) => {
                    if step.rewrites.is_empty() {
                        Evidence::Cleared("nothing rewritten: the table keeps its file".into())
                    } else {
                        Evidence::Confirmed(format!("rewrites {}", step.rewrites.join(", ")))
                    }
                }
                Some(step) if SCAN_RULES.contains(&id) => {
                    if step.scans.is_empty() {
                        Evidence::Cleared("reads no table's rows: nothing is checked".into())
                    } else {
                        let mut what = vec![format!("scans {}", step.scans.join(", "))];
                        what.extend(blocking(step));
                        Evidence::Confirmed(what.join("; "))
                    }
                }
                Some(step) if LOCK_RULES.contains(&id) => match blocking(step).as_slice() {
                    [] => Evidence::Cleared("takes no lock that makes other sessions wait".into()),
                    locks => Evidence::Confirmed(locks.join("; ")),
                },
                Some(_) => Evidence::Beside,
            };
            Judged { linted, evidence }
        })
        .collect();
    let mut extra = Vec::new();
    for step in steps {
        let allows = migrations
            .iter()
            .find(|m| m.version == step.version)
            .map(|m| allowed(&m.up.text))
            .unwrap_or_default();
        // A rewrite a confirmed finding already names (`TRUNCATE`'s new empty file, a
        // `REINDEX`) is not found a second time.
        let named_rewrite = judged.iter().any(|j| {
            j.linted.label == step.file
                && j.linted.finding.line == step.line
                && matches!(j.evidence, Evidence::Confirmed(_))
        });
        let mut add = |id: &str, subject: String| {
            if allows.iter().any(|a| a == id) {
                return;
            }
            let rule = rule(id);
            extra.push(Judged {
                linted: crate::engine::Linted {
                    version: step.version,
                    label: step.file.clone(),
                    finding: Finding {
                        rule,
                        line: step.line,
                        message: rule.reason.replace("{}", &subject),
                    },
                },
                evidence: Evidence::FoundByTrace,
            });
        };
        if !named_rewrite && !step.rewrites.is_empty() {
            add("table-rewrite", step.rewrites.join(", "));
        }
        // Once a migration: the first statement that takes a lock blocking reads opens the
        // window every later statement keeps open.
        let opened = steps
            .iter()
            .filter(|s| s.version == step.version)
            .find(|s| s.locks.iter().any(|l| l.blocks.len() == 2))
            .is_some_and(|s| s.line == step.line);
        if let Some(lock) = step
            .locks
            .iter()
            .find(|l| l.blocks.len() == 2)
            .filter(|_| opened)
        {
            if !lock.held_through.is_empty() {
                let lines: Vec<String> = lock.held_through.iter().map(usize::to_string).collect();
                add(
                    "lock-held-through",
                    format!(
                        "the {} this statement takes on {} is held through line(s) {} until COMMIT",
                        lock.mode,
                        lock.relation,
                        lines.join(", ")
                    ),
                );
            }
        }
    }
    judged.extend(extra);
    judged.sort_by(|a, b| {
        (a.linted.version, a.linted.finding.line).cmp(&(b.linted.version, b.linted.finding.line))
    });
    judged
}

/// What the target's statistics say of one relation a statement locks or rewrites.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Size {
    /// `None`: never analyzed or vacuumed (PostgreSQL 14+ says so; older ones show 0).
    pub rows: Option<i64>,
    /// With its indexes and TOAST (what a rewrite writes).
    pub bytes: i64,
    /// Its rows alone, with TOAST (what a scan reads).
    pub table_bytes: i64,
    /// Rows inserted, updated and deleted per second since the statistics were reset.
    pub writes_per_second: f64,
    /// How long the oldest open transaction holding a lock on it has been running.
    pub oldest_transaction_seconds: Option<f64>,
}

/// The sizes of `relations` (schema-qualified, quoted as in a [`Lock`]) on the database
/// `client` is on — statistics only, nothing written; relations it does not have are left
/// out.
pub(crate) fn sizes(
    client: &mut Client,
    relations: &[String],
) -> anyhow::Result<BTreeMap<String, Size>> {
    if relations.is_empty() {
        return Ok(BTreeMap::new());
    }
    let names: Vec<String> = relations
        .iter()
        .map(|r| format!("({})", crate::sql::quote::quote_literal(r)))
        .collect();
    let sql = format!(
        "SELECT r.name, CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint::text END, \
           pg_catalog.pg_total_relation_size(c.oid)::text, pg_catalog.pg_table_size(c.oid)::text, \
           (coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0) / greatest(1, extract(epoch FROM \
             now() - coalesce((SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = \
             current_database()), pg_catalog.pg_postmaster_start_time()))))::float8::text, \
           (SELECT extract(epoch FROM now() - min(a.xact_start))::float8::text FROM pg_catalog.pg_locks l \
             JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid WHERE l.relation = c.oid \
             AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL) \
         FROM (VALUES {}) r(name) JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(r.name) \
         LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid",
        names.join(", ")
    );
    Ok(rows(client, &sql)?
        .into_iter()
        .map(|r| {
            let number = |i: usize| r.get(i).and_then(|v| v.parse::<f64>().ok());
            (
                r[0].clone(),
                Size {
                    rows: r
                        .get(1)
                        .filter(|v| !v.is_empty())
                        .and(number(1))
                        .map(|n| n as i64),
                    bytes: number(2).unwrap_or(0.0) as i64,
                    table_bytes: number(3).unwrap_or(0.0) as i64,
                    writes_per_second: number(4).unwrap_or(0.0),
                    oldest_transaction_seconds: r.get(5).filter(|v| !v.is_empty()).and(number(5)),
                },
            )
        })
        .collect())
}

/// How fast the shadow's server rewrites and scans a table, bytes a second.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rates {
    pub rewrite: f64,
    pub scan: f64,
}

/// Measures [`Rates`] on the shadow database `client` is on: a table of 200,000 rows and
/// its index made, rewritten once (`ALTER COLUMN … TYPE`: its total size over the time) and
/// checked once (a `CHECK` added: its table's size over the time). On the cluster's disk,
/// not in the memory tablespace scratch databases use, which rewrote twice as fast as a
/// server on disk.
pub(crate) fn calibrate(client: &mut Client) -> anyhow::Result<Rates> {
    client.batch_execute(
        "DROP TABLE IF EXISTS ferry_calibration; \
         CREATE TABLE ferry_calibration TABLESPACE pg_default AS SELECT g::int AS id, \
           pg_catalog.md5(g::text) AS note FROM pg_catalog.generate_series(1, 200000) g; \
         CREATE INDEX ON ferry_calibration (id) TABLESPACE pg_default",
    )?;
    let size = |client: &mut Client, what: &str| -> anyhow::Result<f64> {
        Ok(rows(
            client,
            &format!("SELECT pg_catalog.{what}('ferry_calibration')::text"),
        )?
        .first()
        .and_then(|r| r.first())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0))
    };
    let timed = |client: &mut Client, sql: &str| -> anyhow::Result<f64> {
        let started = Instant::now();
        client.batch_execute(sql)?;
        Ok(started.elapsed().as_secs_f64().max(0.001))
    };
    let total = size(client, "pg_total_relation_size")?;
    let rewrite = total
        / timed(
            client,
            "ALTER TABLE ferry_calibration ALTER COLUMN id TYPE bigint",
        )?;
    let table = size(client, "pg_table_size")?;
    let scan = table
        / timed(
            client,
            "ALTER TABLE ferry_calibration ADD CONSTRAINT ferry_calibration_id CHECK (id > 0)",
        )?;
    client.batch_execute("DROP TABLE ferry_calibration")?;
    Ok(Rates { rewrite, scan })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_each_mode_blocks() {
        assert_eq!(blocks("AccessExclusiveLock"), ["reads", "writes"]);
        assert_eq!(blocks("ShareRowExclusiveLock"), ["writes"]);
        assert_eq!(blocks("ShareLock"), ["writes"]);
        assert!(blocks("ShareUpdateExclusiveLock").is_empty());
        assert!(blocks("RowExclusiveLock").is_empty());
        assert!(blocks("AccessShareLock").is_empty());
    }
}
