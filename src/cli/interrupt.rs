//! Ctrl-C (SIGINT, and SIGTERM from a deploy tool). During a migrating run the first signal
//! is a graceful stop: the migration running finishes — committing or rolling back whole;
//! a no-transaction one is never left half done by us — and no later one starts, even one
//! already sent to the server in a pipelined window (see `db::stop`); then ferry exits with
//! 130. Anywhere else (waiting for a server, a dump, reading files), and on a second signal,
//! ferry quits at once with 130: it first cancels the statement its connections run (so
//! the server rolls a migration back rather than finish a window after ferry is gone),
//! stops the tool it runs and removes what that tool half wrote.
//!
//! Only the CLI installs the handler and hands its flag to the engine; a service using
//! ferry as a library keeps its own signal handling (and its own flag).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// Set once ferry is quitting at once: the statement the handler cancels may end the
/// command first, and its exit code is still this one's.
static QUITTING: AtomicBool = AtomicBool::new(false);
/// How many graceful sections (migrating runs) are under way.
static GRACEFUL: AtomicUsize = AtomicUsize::new(0);
/// What to do before quitting at once, by the id its [`OnQuit`] guard holds.
type Action = Box<dyn Fn() + Send + Sync>;
static ON_QUIT: Mutex<Vec<(usize, Action)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

pub(crate) use crate::error::INTERRUPTED_EXIT_CODE as EXIT_CODE;

pub(crate) fn install() {
    // Failing to install (a handler already set by an embedding program) only loses the
    // graceful stop; the default signal behaviour remains.
    let _ = ctrlc::set_handler(|| {
        let again = REQUESTED.swap(true, Ordering::SeqCst);
        if !again && GRACEFUL.load(Ordering::SeqCst) > 0 {
            eprintln!(
                "\ninterrupted: the migration running finishes and no later one starts; then ferry \
                 stops (Ctrl-C again to quit now)"
            );
            return;
        }
        QUITTING.store(true, Ordering::SeqCst);
        eprintln!("\ninterrupted: quitting");
        // Not waiting on a holder that is itself stuck: then there is nothing to undo.
        if let Ok(actions) = ON_QUIT.try_lock() {
            for (_, action) in actions.iter() {
                action();
            }
        }
        std::process::exit(i32::from(EXIT_CODE));
    });
}

/// Whether ferry is quitting at once (see [`QUITTING`]).
pub(crate) fn quitting() -> bool {
    QUITTING.load(Ordering::SeqCst)
}

/// The flag the handler sets, for the engine's [`Request::stop`](crate::engine::Request).
pub(crate) fn flag() -> &'static AtomicBool {
    &REQUESTED
}

/// While the guard lives, the first signal asks for a graceful stop instead of quitting.
pub(crate) fn graceful() -> Graceful {
    GRACEFUL.fetch_add(1, Ordering::SeqCst);
    Graceful(())
}

pub(crate) struct Graceful(());

impl Drop for Graceful {
    fn drop(&mut self) {
        GRACEFUL.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `action` if ferry quits at once while the guard lives.
pub(crate) fn on_quit(action: impl Fn() + Send + Sync + 'static) -> OnQuit {
    let id = NEXT_ID.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut actions) = ON_QUIT.lock() {
        actions.push((id, Box::new(action)));
    }
    OnQuit(id)
}

#[must_use = "the action is forgotten when the guard is dropped"]
pub(crate) struct OnQuit(usize);

impl OnQuit {
    /// Keeps the action for as long as the process runs.
    pub(crate) fn forever(self) {
        std::mem::forget(self);
    }
}

impl Drop for OnQuit {
    fn drop(&mut self) {
        if let Ok(mut actions) = ON_QUIT.lock() {
            actions.retain(|(id, _)| *id != self.0);
        }
    }
}
