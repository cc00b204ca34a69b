//! What every command gets: the resolved configuration and the reporter, and the few
//! things each does the same way — open a session, read the migrations, take the lock.

use crate::cli::config::Config;
use crate::cli::interrupt;
use crate::cli::ui::events::CliEvents;
use crate::cli::ui::report::Reporter;
use crate::db::Session;
use crate::source::files;

/// What every command gets.
pub(crate) struct Ctx {
    pub config: Config,
    pub report: Reporter,
}

impl Ctx {
    /// The engine's events, rendered for the terminal.
    pub(crate) fn events(&self) -> CliEvents<'_> {
        CliEvents::new(&self.report)
    }

    /// A session on the configured database. Should ferry quit at once (a second Ctrl-C),
    /// the statement it runs is cancelled first.
    pub(crate) fn open(&self) -> anyhow::Result<Session<'static>> {
        let session = Session::open(
            self.config.conn()?,
            &self.config.table,
            &self.config.lock_mode,
            &self.events(),
        )?;
        if let Some(cancel) = session.canceller() {
            interrupt::on_quit(cancel).forever();
        }
        Ok(session)
    }

    /// The migration files, checked (every problem in one error, exit 5), after a warning
    /// about `.sql` files in subdirectories, which are not read.
    pub(crate) fn migrations(&self) -> anyhow::Result<Vec<crate::migration::Migration>> {
        self.load().map(|(migrations, _)| migrations)
    }

    /// [`migrations`](Self::migrations) and the repeatable ones.
    pub(crate) fn load(
        &self,
    ) -> anyhow::Result<(
        Vec<crate::migration::Migration>,
        Vec<crate::migration::Repeatable>,
    )> {
        let loaded = files::load(&self.config.migrations_dir, &self.config.vars)?;
        self.warn_nested(&loaded);
        loaded.valid(&self.config.migrations_dir.display().to_string())
    }

    pub(crate) fn warn_nested(&self, loaded: &files::Loaded) {
        if let Some(warning) = loaded.nested_warning() {
            self.report.warn(&warning);
        }
    }

    /// Takes the migration lock for a command that does not migrate (force, seed,
    /// restore, drop, adopt) or that empties the database before migrating (reset).
    pub(crate) fn lock(&self, session: &mut Session<'_>) -> anyhow::Result<()> {
        session.lock(
            self.config.settings.lock_timeout,
            &self.events(),
            interrupt::flag(),
        )
    }
}
