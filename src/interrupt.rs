//! Ctrl-C (SIGINT, and SIGTERM from a deploy tool) during a migrating command: the
//! migration running finishes — committing or rolling back whole; a no-transaction one is
//! never left half done by us — and no later one starts, even one already sent to the
//! server in a pipelined window (see `db::stop`); then ferry exits with 130. A second
//! Ctrl-C quits at once; the server then rolls back the migration it was running.
//!
//! Only the CLI installs the handler and hands its flag to the engine; a service using
//! ferry as a library keeps its own signal handling (and its own flag).

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a process ended by SIGINT, by shell convention.
pub const EXIT_CODE: u8 = 130;

pub fn install() {
    // Failing to install (a handler already set by an embedding program) only loses the
    // graceful stop; the default signal behaviour remains.
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_CODE));
        }
        eprintln!(
            "\ninterrupted: the migration running finishes and no later one starts; then ferry \
             stops (Ctrl-C again to quit now)"
        );
    });
}

/// The flag the handler sets, for the engine's [`Request::stop`](crate::engine::Request).
pub fn flag() -> &'static AtomicBool {
    &REQUESTED
}
