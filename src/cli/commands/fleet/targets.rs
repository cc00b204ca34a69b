//! The fleet's databases: from `--targets` (a file or a list), `--targets-query` (a query
//! on the configured database) or `--schemas` (patterns over its schemas), each shown
//! by a label that never holds a password.

use std::io::Read as _;

use anyhow::Context;

use crate::cli::commands::ctx::Ctx;
use crate::cli::config::Targets;
use crate::conn::params::{ConnParams, Source};
use crate::db::state::TableName;
use crate::error;
use crate::sql::quote::quote_ident;

/// One database of the fleet.
pub(crate) struct Target {
    /// How it is shown: `host:port/dbname` (and the schema), never a password.
    pub(crate) label: String,
    pub(crate) params: ConnParams,
    /// Its bookkeeping table: the configured one, in the tenant's schema for `--schemas`.
    pub(crate) table: TableName,
}

/// The targets, each parsed as `ferry --database-url` would parse it.
pub(crate) fn load_targets(ctx: &Ctx, targets: &Targets) -> anyhow::Result<Vec<Target>> {
    let mut open_file: Option<(&str, u32)> = None;
    let lines: Vec<(String, String)> = match targets {
        Targets::File(file) => {
            let text = if file == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("reading the targets from standard input")?;
                text
            } else {
                let (text, open) = read_targets_file(file)?;
                open_file = open.map(|mode| (file.as_str(), mode));
                text
            };
            text.lines()
                .enumerate()
                .map(|(i, line)| (format!("{file}:{}", i + 1), line.trim().to_string()))
                .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
                .collect()
        }
        Targets::Query(sql) => query_targets(ctx, sql)?,
        Targets::Schemas { patterns, create } => return schema_targets(ctx, patterns, *create),
    };
    let base = ctx.config.conn().ok();
    // What a query returns is data, never connection settings: a value that looks like a
    // connection string (`host=elsewhere dbname=x`) would send the password where the
    // query chose. Each value is a database name on the base server, whatever it holds.
    let names_only = matches!(targets, Targets::Query(_));
    let mut parsed = Vec::with_capacity(lines.len());
    for (place, line) in lines {
        let mut params = if !names_only && (line.contains("://") || line.contains('=')) {
            let params =
                ConnParams::parse(&line).map_err(|e| error::usage(format!("{place}: {e:#}")))?;
            if let (Some((file, mode)), Some(_)) = (open_file, &params.password) {
                return Err(error::usage(format!(
                    "the targets file {file} holds passwords and others can read it (mode {mode:03o}): chmod 600 {file}"
                )));
            }
            params
        } else {
            // A bare name: that database on the base connection's server.
            let mut params = base.cloned().ok_or_else(|| {
                error::usage(format!(
                    "{place}: `{line}` is a database name, but no --database-url says on which server"
                ))
            })?;
            params.dbname = line.clone();
            params
        };
        params.source = Source::Flag;
        if let Some(base) = base {
            if params.password.is_none() {
                params.password_command = base.password_command.clone();
            }
        }
        let label = format!("{}/{}", params.target(), params.dbname);
        parsed.push(Target {
            label,
            params,
            table: ctx.config.table.clone(),
        });
    }
    Ok(parsed)
}

/// The schemas of the base database that match `patterns` (globs: `*` any run, `?` one
/// character), in name order; with `create`, names without a wildcard are created first
/// when missing. Each target is the base connection with its `search_path` set to the
/// schema, and the bookkeeping table in it — so each schema has its own lock.
pub(crate) fn schema_targets(
    ctx: &Ctx,
    patterns: &[String],
    create: bool,
) -> anyhow::Result<Vec<Target>> {
    let base = ctx.config.conn()?;
    let mut session = ctx.open()?;
    if create {
        let exact: Vec<&String> = patterns
            .iter()
            .filter(|p| !p.contains(['*', '?']))
            .collect();
        if !exact.is_empty() {
            session.create_schemas(&exact)?;
        }
    }
    let regexes: Vec<String> = patterns.iter().map(|p| glob_regex(p)).collect();
    let names = session.schemas_matching(&regexes)?;
    Ok(names
        .into_iter()
        .map(|schema| {
            let mut params = base.clone();
            let path = format!("-c search_path={}", options_word(&quote_ident(&schema)));
            params.options = Some(match &params.options {
                Some(options) => format!("{options} {path}"),
                None => path,
            });
            Target {
                label: format!("{}/{} schema {schema}", params.target(), params.dbname),
                params,
                table: TableName {
                    schema: Some(schema),
                    name: ctx.config.table.name.clone(),
                },
            }
        })
        .collect())
}

/// A glob as an anchored regular expression.
pub(crate) fn glob_regex(glob: &str) -> String {
    let mut regex = String::from("^");
    for c in glob.chars() {
        match c {
            '*' => regex.push_str(".*"),
            '?' => regex.push('.'),
            c if c.is_alphanumeric() || c == '_' => regex.push(c),
            c => {
                regex.push('\\');
                regex.push(c);
            }
        }
    }
    regex.push('$');
    regex
}

/// A word of libpq's `options`: spaces and backslashes escaped with a backslash.
pub(crate) fn options_word(word: &str) -> String {
    word.replace('\\', "\\\\").replace(' ', "\\ ")
}

/// A targets file, and its mode when others can read it (then it must hold no password,
/// as libpq refuses such a password file).
pub(crate) fn read_targets_file(file: &str) -> anyhow::Result<(String, Option<u32>)> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        error::usage(format!(
            "cannot read the targets file {file}: {}",
            error::io_reason(&e, "file")
        ))
    })?;
    #[cfg(unix)]
    let open = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file)
            .map(|m| m.permissions().mode() & 0o777)
            .ok()
            .filter(|mode| mode & 0o077 != 0)
    };
    #[cfg(not(unix))]
    let open = None;
    Ok((text, open))
}

/// The rows of `sql` on the base connection: a database name or a connection string each.
pub(crate) fn query_targets(ctx: &Ctx, sql: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut session = ctx.open()?;
    Ok(session
        .first_column(sql)
        .context("running --targets-query")?
        .into_iter()
        .enumerate()
        .map(|(i, value)| (format!("--targets-query row {}", i + 1), value))
        .collect())
}
