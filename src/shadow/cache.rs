//! The template cache on a shadow server: a database per migrations state, named by a
//! hash of everything that decides what replaying gives (the server's major, the
//! bookkeeping table, each migration's version and checksums, the repeatables), so a
//! second run finds the database it needs and replays nothing, and a longer run starts
//! from the longest prefix it finds. Templates are only ever made whole: a replay runs in
//! a throwaway database that is renamed into the cache once it succeeded. Copies are
//! `CREATE DATABASE … TEMPLATE` (file copy).

use anyhow::Context;
use postgres::Client;
use sha2::{Digest, Sha256};

use crate::db::state::TableName;
use crate::migration::{Migration, Repeatable};
use crate::schema::sql::ident;
use crate::schema::Snapshot;
use crate::sql::quote::quote_literal;

/// The prefix of every database ferry makes on a shadow server.
pub(crate) const DATABASE_PREFIX: &str = "ferry_shadow_";

/// The prefix of template databases.
pub(crate) const TEMPLATE_PREFIX: &str = "ferry_shadow_t_";

/// The template name of each prefix of `migrations`: element k holds the first k
/// migrations (element 0 none); the last also holds the repeatables.
pub(crate) fn prefix_keys(
    major: u32,
    table: &TableName,
    migrations: &[&Migration],
    repeatables: &[Repeatable],
) -> Vec<String> {
    let mut hasher = Sha256::new();
    hasher.update(format!("ferry template 1\0{major}\0{table}\0"));
    let name = |h: &Sha256| {
        let hex = format!("{:x}", h.clone().finalize());
        format!("{TEMPLATE_PREFIX}{}", &hex[..40])
    };
    let mut keys = vec![name(&hasher)];
    for m in migrations {
        hasher.update(format!(
            "{}\0{}\0{}\0{}\0",
            m.version,
            m.name,
            m.up.checksum,
            m.down.as_ref().map_or("", |d| d.checksum.as_str())
        ));
        keys.push(name(&hasher));
    }
    if !repeatables.is_empty() {
        for r in repeatables {
            hasher.update(format!("R\0{}\0{}\0", r.name, r.script.checksum));
        }
        *keys.last_mut().expect("one key at least") = name(&hasher);
    }
    keys
}

/// How many migrations the longest cached prefix holds, and its database.
pub(crate) fn longest_cached(
    admin: &mut Client,
    keys: &[String],
) -> anyhow::Result<(usize, Option<String>)> {
    let rows = admin.query(
        "SELECT datname::text FROM pg_catalog.pg_database WHERE datname = ANY($1)",
        &[&keys],
    )?;
    let cached: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    Ok(keys
        .iter()
        .enumerate()
        .rev()
        .find(|(_, k)| cached.contains(k))
        .map_or((0, None), |(i, k)| (i, Some(k.clone()))))
}

/// `CREATE DATABASE name`, a file copy of `template` (else of `template0`), in
/// `tablespace` when given. A file copy costs a checkpoint, cheap on the shadow (fsync is
/// off), and is several times faster than PostgreSQL 15's default page-by-page copy
/// through the WAL for a schema of many small relations.
pub(crate) fn create_database(
    admin: &mut Client,
    name: &str,
    template: Option<&str>,
    tablespace: Option<&str>,
    major: u32,
) -> anyhow::Result<()> {
    let template = template.map_or("template0".to_string(), ident);
    let strategy = if major >= 15 {
        " STRATEGY file_copy"
    } else {
        ""
    };
    let tablespace = tablespace.map_or(String::new(), |t| format!(" TABLESPACE {}", ident(t)));
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {template}{tablespace}{strategy}",
        ident(name)
    );
    // A template another run is reading (a shared `--shadow` server) cannot be copied
    // until it is done: wait a little for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match admin.batch_execute(&sql) {
            Ok(()) => return Ok(()),
            Err(e)
                if e.code() == Some(&postgres::error::SqlState::OBJECT_IN_USE)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "could not create the database {name} on the shadow"
                )))
            }
        }
    }
}

/// The prefix of the tablespaces in memory the shadow's own server keeps scratch copies in.
const MEMORY_TABLESPACE: &str = "ferry_scratch_";

/// A tablespace for this run's scratch copies in `dir` (in memory), after dropping those
/// runs that were killed left (their directories may be gone). `None` when it cannot be
/// made: the copies then go to disk with the cluster.
pub(crate) fn memory_tablespace(admin: &mut Client, dir: &std::path::Path) -> Option<String> {
    let leftovers = admin
        .query(
            "SELECT spcname::text FROM pg_catalog.pg_tablespace WHERE spcname LIKE $1",
            &[&format!("{}%", MEMORY_TABLESPACE.replace('_', "\\_"))],
        )
        .unwrap_or_default();
    for row in leftovers {
        let _ = drop_tablespace(admin, &row.get::<_, String>(0));
    }
    let name = format!("{MEMORY_TABLESPACE}{}", std::process::id());
    admin
        .batch_execute(&format!(
            "CREATE TABLESPACE {} LOCATION {}",
            ident(&name),
            quote_literal(&dir.to_string_lossy())
        ))
        .ok()?;
    Some(name)
}

pub(crate) fn drop_tablespace(admin: &mut Client, name: &str) -> anyhow::Result<()> {
    admin
        .batch_execute(&format!("DROP TABLESPACE IF EXISTS {}", ident(name)))
        .with_context(|| format!("could not drop the shadow's tablespace {name}"))
}

/// `DROP DATABASE`, ending the sessions still connected to it (a test's pool left open).
pub(crate) fn drop_database(admin: &mut Client, name: &str) -> anyhow::Result<()> {
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            ident(name)
        ))
        .with_context(|| format!("could not drop the shadow database {name}"))
}

/// Keeps the replayed database `work` as the template `key`, saying what it holds; when
/// another run kept the same one first, `work` is dropped and theirs is used.
pub(crate) fn keep(
    admin: &mut Client,
    work: &str,
    key: &str,
    migrations: &[&Migration],
) -> anyhow::Result<String> {
    let last = migrations
        .last()
        .map_or("none".to_string(), |m| m.version.to_string());
    let about = format!(
        "ferry template: {} migration(s), through {last}, {}",
        migrations.len(),
        migrations
            .first()
            .and_then(|m| m.up.path.parent())
            .map_or(String::new(), |p| p.display().to_string())
    );
    let renamed = admin.batch_execute(&format!(
        "ALTER DATABASE {} RENAME TO {}; COMMENT ON DATABASE {} IS {}",
        ident(work),
        ident(key),
        ident(key),
        quote_literal(&about)
    ));
    if renamed.is_err() {
        drop_database(admin, work)?;
    }
    Ok(key.to_string())
}

/// The throwaway databases killed runs left that nobody is connected to. On ferry's own
/// server (`own_server`) every one is a leftover, as the cluster's lock says no other run
/// is there; on a server others share, only those of this user, and only `shadow clean`
/// drops them (a run's new database has no connection yet either).
pub(crate) fn leftovers(admin: &mut Client, own_server: bool) -> Vec<String> {
    admin
        .query(
            "SELECT d.datname::text FROM pg_catalog.pg_database d WHERE d.datname LIKE $1 \
             AND d.datname NOT LIKE $2 \
             AND ($3 OR d.datdba = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)) \
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid)",
            &[
                &format!("{}%", DATABASE_PREFIX.replace('_', "\\_")),
                &format!("{}%", TEMPLATE_PREFIX.replace('_', "\\_")),
                &own_server,
            ],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

/// One cached template: its name, what it holds and its size.
pub(crate) struct Template {
    pub name: String,
    pub about: String,
    pub bytes: i64,
}

/// The templates on a shadow server that its user made (on a shared server, others'
/// are theirs to show and drop).
pub(crate) fn templates(admin: &mut Client) -> anyhow::Result<Vec<Template>> {
    let rows = admin.query(
        "SELECT d.datname::text, coalesce(pg_catalog.shobj_description(d.oid, 'pg_database'), ''), \
         pg_catalog.pg_database_size(d.oid) FROM pg_catalog.pg_database d WHERE d.datname LIKE $1 \
         AND d.datdba = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) ORDER BY 1",
        &[&format!("{}%", TEMPLATE_PREFIX.replace('_', "\\_"))],
    )?;
    Ok(rows
        .iter()
        .map(|r| Template {
            name: r.get(0),
            about: r.get(1),
            bytes: r.get(2),
        })
        .collect())
}

/// The clusters under `cache_dir` and their size in bytes.
pub(crate) fn clusters(cache_dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut out: Vec<_> = std::fs::read_dir(cache_dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("ready").is_file() || p.join("data").is_dir())
                .map(|p| {
                    let size = size_of(&p);
                    (p, size)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn size_of(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|d| d.filter_map(Result::ok).map(|e| size_of(&e.path())).sum())
        .unwrap_or(0)
}

/// Removes every cluster under `cache_dir`, each under its lock (a run using one is waited
/// for). Returns how many.
pub(crate) fn remove_clusters(cache_dir: &std::path::Path) -> anyhow::Result<usize> {
    let found = clusters(cache_dir);
    for (path, _) in &found {
        let _lock = super::server::lock(path, &|_| {})?;
        std::fs::remove_dir_all(path.join("data"))
            .or_else(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .with_context(|| format!("could not remove {}", path.display()))?;
        let _ = std::fs::remove_file(path.join("ready"));
        let _ = std::fs::remove_file(path.join("server.log"));
    }
    for (path, _) in &found {
        let _ = std::fs::remove_file(path.join("lock"));
        let _ = std::fs::remove_dir(path);
    }
    Ok(found.len())
}

/// Where the schemas replays gave are kept, beside the clusters: `drift` reads a replay's
/// schema from here without starting a server when its migrations, filter, server
/// choice and ferry build are the same as when it was kept.
fn snapshots_dir(cache_dir: &std::path::Path) -> std::path::PathBuf {
    cache_dir.join("snapshots")
}

/// The name a kept schema goes by: a hash of everything it depends on (`parts`) and of
/// this build.
pub(crate) fn snapshot_key(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("ferry snapshot 1\0{}\0", env!("CARGO_PKG_VERSION")));
    for part in parts {
        hasher.update(part);
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

/// The schema kept under `key`, if it is there and reads back.
pub(crate) fn kept_snapshot(cache_dir: &std::path::Path, key: &str) -> Option<Snapshot> {
    let text = std::fs::read(snapshots_dir(cache_dir).join(format!("{key}.json"))).ok()?;
    Snapshot::from_kept(&text).ok()
}

/// Keeps `snapshot` under `key`, through a temporary file so a reader never sees half of
/// it; a cache that cannot be written only costs the next run a replay.
pub(crate) fn keep_snapshot(cache_dir: &std::path::Path, key: &str, snapshot: &Snapshot) {
    let dir = snapshots_dir(cache_dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join(format!("{key}.json"));
    let temp = dir.join(format!(".{key}.{}", std::process::id()));
    if std::fs::write(&temp, snapshot.to_kept()).is_ok() && std::fs::rename(&temp, &path).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

/// Removes the kept schemas; returns how many there were.
pub(crate) fn remove_snapshots(cache_dir: &std::path::Path) -> usize {
    let dir = snapshots_dir(cache_dir);
    let count = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    count
}

/// The rates `ferry trace` measured on the shadow server named `key`, kept beside the
/// snapshots.
pub(crate) fn kept_rates(cache_dir: &std::path::Path, key: &str) -> Option<super::trace::Rates> {
    let text = std::fs::read(cache_dir.join("rates").join(format!("{key}.json"))).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Keeps `rates` under `key`, through a temporary file; a cache that cannot be written only
/// costs the next run a measurement.
pub(crate) fn keep_rates(cache_dir: &std::path::Path, key: &str, rates: &super::trace::Rates) {
    let dir = cache_dir.join("rates");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join(format!("{key}.json"));
    let temp = dir.join(format!(".{key}.{}", std::process::id()));
    let Ok(text) = serde_json::to_vec(rates) else {
        return;
    };
    if std::fs::write(&temp, text).is_ok() && std::fs::rename(&temp, &path).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
