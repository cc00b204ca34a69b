//! The engine's events as `tracing` events (feature `tracing`), target `ferry`: a
//! service's log shows each migration with its duration, lock waits with the holder, and
//! warnings, in its own format and filters.

use crate::events::Event;

pub(super) fn emit(event: &Event<'_>) {
    match *event {
        Event::Note(text) => tracing::info!(target: "ferry", "{text}"),
        Event::Warning(text) => tracing::warn!(target: "ferry", "{text}"),
        Event::Detail(text) => tracing::debug!(target: "ferry", "{text}"),
        Event::LockWait { holder } => {
            tracing::warn!(target: "ferry", holder, "waiting for the migration lock, held by {holder}")
        }
        Event::RunStarted { total } => {
            tracing::info!(target: "ferry", total, "migrating: {total} to run")
        }
        Event::StepStarted {
            version,
            name,
            direction,
        } => tracing::debug!(
            target: "ferry",
            version,
            name,
            direction = direction.as_str(),
            "{} {version} {name}",
            direction.as_str()
        ),
        Event::StepDone {
            version,
            name,
            direction,
            duration_ms,
        } => match duration_ms {
            Some(ms) => tracing::info!(
                target: "ferry",
                version,
                name,
                direction = direction.as_str(),
                duration_ms = ms,
                "{} {version} {name} ({ms:.1} ms)",
                direction.as_str()
            ),
            None => tracing::info!(
                target: "ferry",
                version,
                name,
                direction = direction.as_str(),
                "{} {version} {name}: the version moved past it (no down migration)",
                direction.as_str()
            ),
        },
        Event::Retry {
            label,
            attempt,
            retries,
            after,
            holders,
        } => tracing::warn!(
            target: "ferry",
            migration = label,
            attempt,
            retries,
            holders,
            "{label} timed out waiting for a lock; try {attempt} of {retries} in {:.1}s (held by {holders})",
            after.as_secs_f64()
        ),
        Event::RunFinished => tracing::debug!(target: "ferry", "run finished"),
    }
}

/// `work`, to run on another thread, inside the caller's current span: the engine runs on
/// a thread of its own, and its events belong to the call that started it. They go to the
/// process's subscriber (`tracing::subscriber::set_global_default`, what a service
/// installs); one set for the calling thread alone does not see them.
pub(super) fn carry<T>(work: impl FnOnce() -> T + Send) -> impl FnOnce() -> T + Send {
    let span = tracing::Span::current();
    move || span.in_scope(work)
}
