//! The binary's front end: the clap model (`args`), golang-migrate's flags rewritten
//! (`compat`), `.env` and the environment resolved into one [`config::Config`] (the only
//! reader of the environment), one thin file per command (`commands`), the terminal
//! (`ui`: reports, progress, prompts) and Ctrl-C (`interrupt`). Nothing outside this
//! module imports it: the library's core knows nothing of clap, terminals or variables.

pub(crate) mod args;
pub(crate) mod commands;
pub(crate) mod compat;
pub(crate) mod config;
pub(crate) mod interrupt;
pub(crate) mod ui;

use std::ffi::OsString;

use args::{Cli, Format};
use clap::Parser;
use commands::ctx::Ctx;
use config::{Config, Env};
use serde_json::json;
use ui::report::Reporter;

use crate::error;
use crate::source;

/// Runs ferry with these arguments (the first is the program name) and returns the exit
/// code: accept golang-migrate's flags, read `.env`, parse the command line, resolve the
/// configuration, dispatch to a command, and turn the outcome into an exit code, printing
/// any error once, redacted, as `error: …`. Even a crash is printed redacted.
#[doc(hidden)]
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = compat::rewrite(args.into_iter().map(Into::into).collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            if let Some(command) = format_not_taken(&err) {
                eprintln!(
                    "error: `ferry {command}` prints no results, so it takes no --format; --format \
                     text|json is an option of {}",
                    args::FORMAT_COMMANDS
                );
                return 2;
            }
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    ui::panic::install(None);
    let format = cli.command.format();
    let json = format == Format::Json;
    // Commands that need no database are not failed by a broken .env: `create` may still
    // find FERRY_PATH in the real environment, `validate` then checks the files alone.
    let env = match (Env::load(&cli.global), cli.command.needs_database()) {
        (Ok(env), _) => env,
        (Err(err), false) => {
            Reporter::new(config::Output::plain(), None).warn(&format!(
                "{err:#}; going on without it, as this command needs no database"
            ));
            Env::default()
        }
        (Err(err), true) => return fail(&err, None, json),
    };
    for ignored in env.ignored() {
        Reporter::new(config::Output::plain(), None).warn(&ignored);
    }
    let mut env_vars = env.prefixed(source::template::ENV_PREFIX);
    env_vars.extend(env.prefixed(source::template::SECRET_ENV_PREFIX));
    let config = match Config::resolve(&cli.global, format, &|name| env.get(name), env_vars) {
        Ok(config) => config,
        Err(err) => return fail(&err, None, json),
    };
    interrupt::install();
    ui::panic::install(config.password());
    let mut report = Reporter::new(config.output, config.password())
        .hiding(config.sslpassword())
        .showing(config.shown_names());
    for secret in config.vars.secret_values() {
        report = report.hiding(Some(secret));
    }
    let ctx = Ctx { config, report };
    let code = match commands::dispatch(cli.command, &ctx) {
        Ok(()) => 0,
        Err(err) => fail(&err, Some(&ctx.report), json),
    };
    // The handler cancelled what ran, which may have ended the command before the handler
    // could exit: the exit code is still the interrupt's.
    if interrupt::quitting() {
        return interrupt::EXIT_CODE;
    }
    code
}

/// The command a `--format` was given to that has none.
fn format_not_taken(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if err.kind() != clap::error::ErrorKind::UnknownArgument {
        return None;
    }
    let arg = match err.get(ContextKind::InvalidArg)? {
        ContextValue::String(arg) => arg,
        _ => return None,
    };
    if arg != "--format" && !arg.starts_with("--format=") {
        return None;
    }
    let usage = err.get(ContextKind::Usage)?.to_string();
    usage
        .split_whitespace()
        .skip_while(|w| !w.ends_with("ferry"))
        .nth(1)
        .map(str::to_string)
}

fn fail(err: &anyhow::Error, report: Option<&Reporter>, json: bool) -> u8 {
    let code = error::exit_code(err);
    let fallback;
    let report = match report {
        Some(r) => r,
        None => {
            fallback = Reporter::new(config::Output::plain(), None);
            &fallback
        }
    };
    let message = format!("{err:#}");
    report.error(&message);
    if json {
        report.document(&json!({"error": {"message": report.clean(&message), "exit_code": code}}));
    }
    code
}
