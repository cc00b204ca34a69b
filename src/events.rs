//! What the engine (and the session under it) tells its caller while it works. Nothing
//! below the commands prints: the CLI turns these events into lines and progress bars
//! (`commands::CliEvents`), the library drops them or hands them to the service.

use crate::migration::Direction;

/// One thing that happened.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// Something worth a line (a connection note, say).
    Note(&'a str),
    /// Something that may be wrong but does not stop the run (an edited file).
    Warning(&'a str),
    /// Only for a reader who asked for everything: the SQL about to run, and why.
    Detail(&'a str),
    /// The migration lock is taken; the engine waits for it.
    LockWait { holder: &'a str },
    /// A run of `total` migrations begins.
    RunStarted { total: usize },
    /// One migration starts.
    StepStarted {
        version: i64,
        name: &'a str,
        direction: Direction,
    },
    /// One migration is done and recorded; `duration_ms` is None when nothing ran (a
    /// migration without a down, stepped over).
    StepDone {
        version: i64,
        name: &'a str,
        direction: Direction,
        duration_ms: Option<f64>,
    },
    /// A migration timed out waiting for a lock and was rolled back; it is tried again
    /// after `after`. `holders` names the sessions holding locks on its tables.
    Retry {
        label: &'a str,
        attempt: u32,
        retries: u32,
        after: std::time::Duration,
        holders: &'a str,
    },
    /// The run is over, whatever its end.
    RunFinished,
}

/// Receives the engine's events.
pub(crate) trait Events {
    fn on(&self, event: Event<'_>);
}

/// Drops every event: a fleet reports per target, at the end; a step nobody watches.
pub(crate) struct Quiet;

impl Events for Quiet {
    fn on(&self, _: Event<'_>) {}
}
