//! `ferry schema dump|diff|check`: a schema read from the catalogs of a database, of the
//! migrations replayed on the shadow, or of a schema file loaded there; printed as
//! canonical SQL or JSON, or compared object by object. Also the `--schema-file` that
//! migrating commands rewrite after they succeed.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::ctx::Ctx;
use crate::cli::args::{
    Format, SchemaCommand, SchemaDiffArgs, SchemaDumpArgs, SchemaFilterArgs, SchemaFormat,
};
use crate::cli::config::Targets;
use crate::cli::interrupt;
use crate::conn::ConnParams;
use crate::error;
use crate::schema::{self, diff, Filter, Snapshot};
use crate::shadow::{self, Shadow};

pub(crate) fn run(ctx: &Ctx, command: SchemaCommand) -> anyhow::Result<()> {
    match command {
        SchemaCommand::Dump(args) => dump(ctx, args),
        SchemaCommand::Diff(args) => compare(ctx, args),
        SchemaCommand::Check(args) => check(ctx, &args),
    }
}

/// Where a schema comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// A database: the configured one, or one a URL names.
    Database(Option<String>),
    /// The migrations replayed on the shadow, through a version or all of them.
    Migrations(Option<i64>),
    /// A schema file loaded into an empty shadow database.
    File(PathBuf),
}

impl Source {
    fn parse(raw: &str) -> anyhow::Result<Source> {
        let bad = || {
            let word = raw.split('@').next().unwrap_or(raw);
            let hint = ["migrations", "database"]
                .into_iter()
                .find(|known| strsim::damerau_levenshtein(word, known) <= 2)
                .map(|known| format!(" (did you mean `{known}{}`?)", &raw[word.len()..]))
                .unwrap_or_default();
            error::usage(format!(
                "schema source `{}`: expected database, a database URL, migrations, migrations@VERSION, or a .sql file{hint}",
                crate::source::files::shown(raw)
            ))
        };
        match raw {
            "database" | "db" => return Ok(Source::Database(None)),
            "migrations" => return Ok(Source::Migrations(None)),
            _ => {}
        }
        if let Some(version) = raw.strip_prefix("migrations@") {
            return version
                .parse()
                .map(|v| Source::Migrations(Some(v)))
                .map_err(|_| bad());
        }
        if raw.contains("://") || (raw.contains('=') && !raw.ends_with(".sql")) {
            return Ok(Source::Database(Some(raw.to_string())));
        }
        let path = PathBuf::from(raw);
        if raw.ends_with(".sql") || path.is_file() {
            return Ok(Source::File(path));
        }
        Err(bad())
    }

    fn shown(&self) -> String {
        match self {
            Source::Database(None) => "the database".into(),
            Source::Database(Some(_)) => "the database URL".into(),
            Source::Migrations(None) => "the migrations".into(),
            Source::Migrations(Some(v)) => format!("the migrations through {v}"),
            Source::File(path) => path.display().to_string(),
        }
    }
}

/// Reads snapshots from sources, opening the shadow the first time one needs it.
struct Reader<'a> {
    ctx: &'a Ctx,
    filter: Filter,
    shadow: Option<Shadow>,
    /// The major of a database read before, which the shadow should match.
    target_major: Option<u32>,
    _on_quit: Option<interrupt::OnQuit>,
}

impl<'a> Reader<'a> {
    fn new(ctx: &'a Ctx, args: &SchemaFilterArgs) -> Self {
        Reader {
            ctx,
            filter: filter(ctx, args),
            shadow: None,
            target_major: None,
            _on_quit: None,
        }
    }

    fn snapshot(&mut self, source: &Source) -> anyhow::Result<Snapshot> {
        match source {
            Source::Database(url) => {
                let params = match url {
                    Some(url) => {
                        ConnParams::parse(url).map_err(|e| error::usage(format!("{e:#}")))?
                    }
                    None => self.ctx.config.conn()?.clone(),
                };
                let snapshot = schema::read(&params, &self.filter)
                    .with_context(|| format!("reading the schema of {}", params.display_url()))?;
                self.target_major.get_or_insert(snapshot.major);
                Ok(snapshot)
            }
            Source::Migrations(upto) => {
                let (migrations, repeatables) = self.ctx.load()?;
                let extensions = shadow::binaries::extensions_of(&migrations);
                let table = self.ctx.config.table.clone();
                let ctx = self.ctx;
                let filter = self.filter.clone();
                let shadow = self.shadow(&extensions)?;
                let events = ctx.events();
                let database = shadow.replayed(
                    &migrations,
                    &repeatables,
                    *upto,
                    &table,
                    &events,
                    interrupt::flag(),
                )?;
                shadow.snapshot(&database, &filter)
            }
            Source::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    error::usage(format!(
                        "schema file {}: {}",
                        path.display(),
                        error::io_reason(&e, "file")
                    ))
                })?;
                let extensions = shadow::binaries::extensions_created(&text);
                let filter = self.filter.clone();
                let shadow = self.shadow(&extensions)?;
                let database = shadow
                    .loaded(&text, &path.display().to_string())
                    .map_err(|e| error::invalid(format!("{e:#}")))?;
                shadow.snapshot(&database, &filter)
            }
        }
    }

    fn shadow(&mut self, extensions: &[String]) -> anyhow::Result<&mut Shadow> {
        if self.shadow.is_none() {
            let (shadow, on_quit) = open_shadow(self.ctx, self.target_major, extensions)?;
            self._on_quit = on_quit;
            self.shadow = Some(shadow);
        }
        Ok(self.shadow.as_mut().expect("opened above"))
    }
}

/// What a schema command (and `ferry test`) looks at: `--schemas` (which names schemas
/// here, not a fleet), `--exclude`, `--privileges`, never ferry's own tables.
pub(crate) fn filter(ctx: &Ctx, args: &SchemaFilterArgs) -> Filter {
    let schemas = match ctx.config.fleet.as_ref().map(|f| &f.targets) {
        Some(Targets::Schemas { patterns, .. }) => patterns.clone(),
        _ => Vec::new(),
    };
    let table = &ctx.config.table;
    Filter {
        schemas,
        exclude: args
            .exclude
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        privileges: args.privileges,
        ..Filter::default()
    }
    .with_bookkeeping(table.schema.as_deref(), &table.name)
}

/// The shadow `--shadow` names, for migrations that create `extensions`; Ctrl-C stops its
/// server while the returned guard lives.
pub(crate) fn open_shadow(
    ctx: &Ctx,
    target_major: Option<u32>,
    extensions: &[String],
) -> anyhow::Result<(Shadow, Option<interrupt::OnQuit>)> {
    let shadow = Shadow::open(&ctx.config.shadow, target_major, extensions, &ctx.events())?;
    let on_quit = shadow.stopper().map(interrupt::on_quit);
    Ok((shadow, on_quit))
}

fn dump(ctx: &Ctx, args: SchemaDumpArgs) -> anyhow::Result<()> {
    let source = match &args.source {
        Some(raw) => Source::parse(raw)?,
        None => Source::Database(None),
    };
    // Said before a replay that may take minutes, not after it.
    if let Some(path) = &args.output {
        let dir = output_dir(path);
        if !dir.is_dir() {
            return Err(error::usage(format!(
                "could not write {}: no such directory",
                path.display()
            )));
        }
    }
    let mut reader = Reader::new(ctx, &args.filter);
    let snapshot = reader.snapshot(&source)?;
    let text = match args.format {
        SchemaFormat::Sql => schema::sql::dump(&snapshot),
        SchemaFormat::Json => {
            let mut text = serde_json::to_string_pretty(&snapshot.to_json())?;
            text.push('\n');
            text
        }
    };
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)?;
            ctx.report.info(&format!(
                "wrote the schema of {} to {} ({} objects)",
                source.shown(),
                path.display(),
                snapshot.objects.len()
            ));
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn compare(ctx: &Ctx, args: SchemaDiffArgs) -> anyhow::Result<()> {
    let (from, to) = (Source::parse(&args.from)?, Source::parse(&args.to)?);
    let mut reader = Reader::new(ctx, &args.filter);
    // Databases first, so that the shadow matches their major.
    let (a, b) = if matches!(to, Source::Database(_)) && !matches!(from, Source::Database(_)) {
        let b = reader.snapshot(&to)?;
        (reader.snapshot(&from)?, b)
    } else {
        let a = reader.snapshot(&from)?;
        (a, reader.snapshot(&to)?)
    };
    let differences = diff::diff(&a, &b);
    report(
        ctx,
        args.format == Format::Json,
        &differences,
        &from.shown(),
        &to.shown(),
    )
}

/// Prints the differences; exit 5 when there are any.
fn report(
    ctx: &Ctx,
    json: bool,
    differences: &[diff::Difference],
    from: &str,
    to: &str,
) -> anyhow::Result<()> {
    if json {
        ctx.report.document(&diff::to_json(differences));
    } else if !differences.is_empty() {
        print!("{}", diff::to_text(differences));
    }
    if differences.is_empty() {
        if !json {
            ctx.report
                .info(&format!("{from} and {to} have the same schema"));
        }
        return Ok(());
    }
    Err(error::invalid(format!(
        "{from} and {to} differ: {} object(s) (listed above)",
        differences.len()
    )))
}

fn check(ctx: &Ctx, args: &SchemaFilterArgs) -> anyhow::Result<()> {
    let Some(file) = ctx.config.schema_file.clone() else {
        return Err(error::usage(
            "ferry schema check compares the migrations with a schema file: give it with --schema-file PATH (or FERRY_SCHEMA_FILE)",
        ));
    };
    if !file.is_file() {
        return Err(error::invalid(format!(
            "schema file {} does not exist: write it with `ferry schema dump migrations --output {}` and commit it",
            file.display(),
            file.display()
        )));
    }
    let mut reader = Reader::new(ctx, args);
    let expected = reader.snapshot(&Source::Migrations(None))?;
    let committed = reader.snapshot(&Source::File(file.clone()))?;
    let differences = diff::diff(&committed, &expected);
    if differences.is_empty() {
        ctx.report.info(&format!(
            "{} is current: the migrations give the same schema",
            file.display()
        ));
        return Ok(());
    }
    print!("{}", diff::to_text(&differences));
    Err(error::invalid(format!(
        "{} is not what the migrations make ({} object(s) differ, listed above): regenerate it with `ferry schema dump migrations --output {}`",
        file.display(),
        differences.len(),
        file.display()
    )))
}

/// After a migrating command succeeded: the database's schema into `--schema-file`.
pub(crate) fn refresh_schema_file(ctx: &Ctx) -> anyhow::Result<()> {
    let Some(path) = &ctx.config.schema_file else {
        return Ok(());
    };
    let snapshot = schema::read(
        ctx.config.conn()?,
        &filter(ctx, &SchemaFilterArgs::default()),
    )?;
    write_atomically(path, &schema::sql::dump(&snapshot))?;
    ctx.report
        .detail(&format!("wrote the schema to {}", path.display()));
    Ok(())
}

/// The directory a file is written in (`.` for a bare name).
fn output_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `text` to `path` through a temporary file beside it, so a reader never sees
/// half a schema.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = output_dir(path);
    let temp = dir.join(format!(
        ".{}.ferry-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&temp, text).map_err(|e| {
        error::usage(format!(
            "could not write {}: {}",
            path.display(),
            error::io_reason(&e, "directory")
        ))
    })?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        error::usage(format!("could not write {}: {e}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse() {
        assert_eq!(
            Source::parse("migrations").unwrap(),
            Source::Migrations(None)
        );
        assert_eq!(
            Source::parse("migrations@7").unwrap(),
            Source::Migrations(Some(7))
        );
        assert_eq!(Source::parse("database").unwrap(), Source::Database(None));
        assert!(matches!(
            Source::parse("postgres://h/db").unwrap(),
            Source::Database(Some(_))
        ));
        assert_eq!(
            Source::parse("schema.sql").unwrap(),
            Source::File("schema.sql".into())
        );
        assert!(Source::parse("migrations@x").is_err());
        assert!(Source::parse("nonsense").is_err());
        let typo = Source::parse("migratons@3").unwrap_err().to_string();
        assert!(typo.ends_with("(did you mean `migrations@3`?)"), "{typo}");
    }
}
