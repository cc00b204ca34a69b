//! ferry: PostgreSQL migrations and the everyday database chores around them.
//!
//! `run` is the whole program: accept golang-migrate's flags, read `.env`, parse the
//! command line, resolve the configuration, dispatch to a command, and turn the outcome
//! into an exit code, printing any error once, redacted, as `error: …`. Even a crash is
//! printed redacted.

pub mod cli;
pub mod commands;
pub mod compat;
pub mod config;
pub mod conn;
pub mod db;
pub mod embed;
pub mod engine;
pub mod error;
pub mod interrupt;
mod library;
pub mod seed_csv;
pub mod source;
pub mod sql;
pub mod ui;

pub use library::{
    Applied, Direction, Error, MigrationError, MigrationStatus, Migrator, State, Version,
};

use std::ffi::OsString;

use clap::Parser;
use serde_json::json;

use crate::cli::{Cli, Format};
use crate::commands::Ctx;
use crate::config::{Config, Env};
use crate::ui::report::Reporter;

/// Runs ferry with these arguments (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = compat::rewrite(args.into_iter().map(Into::into).collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    ui::panic::install(None);
    let json = cli.global.format == Format::Json;
    if let Err(message) = cli.check() {
        return fail(&error::usage(message), None, json);
    }
    let env = match Env::load(&cli.global) {
        Ok(env) => env,
        Err(err) => return fail(&err, None, json),
    };
    let config = match Config::resolve(&cli.global, &|name| env.get(name)) {
        Ok(config) => config,
        Err(err) => return fail(&err, None, json),
    };
    interrupt::install();
    ui::panic::install(config.password());
    let report = Reporter::new(config.output, config.password());
    let ctx = Ctx { config, report };
    match commands::dispatch(cli.command, &ctx) {
        Ok(()) => 0,
        Err(err) => fail(&err, Some(&ctx.report), json),
    }
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
