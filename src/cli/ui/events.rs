//! The CLI's side of the engine's events: lines in golang-migrate's style on stderr and,
//! on a terminal, a progress bar while several migrations run.

use std::cell::RefCell;
use std::time::Duration;

use super::progress::Progress;
use super::report::Reporter;
use crate::events::{Event, Events};
use crate::plan::Direction;

/// Renders events through the reporter.
pub(crate) struct CliEvents<'r> {
    report: &'r Reporter,
    progress: RefCell<Option<Progress>>,
}

impl<'r> CliEvents<'r> {
    pub(crate) fn new(report: &'r Reporter) -> Self {
        CliEvents {
            report,
            progress: RefCell::new(None),
        }
    }
}

impl Events for CliEvents<'_> {
    fn on(&self, event: Event<'_>) {
        let report = self.report;
        match event {
            Event::Note(text) => report.info(&format!("note: {text}")),
            Event::Warning(text) => report.warn(text),
            Event::Detail(text) => report.detail(text),
            Event::LockWait { holder } => {
                report.info(&format!("waiting for the migration lock, held by {holder}"));
            }
            Event::RunStarted { total } => {
                *self.progress.borrow_mut() = Some(Progress::items(report, total));
            }
            Event::StepStarted { name, .. } => {
                if let Some(progress) = self.progress.borrow().as_ref() {
                    progress.start(name);
                }
            }
            Event::StepDone {
                version,
                name,
                direction,
                duration_ms,
            } => {
                let text = match duration_ms {
                    Some(ms) => line(version, name, direction, Some(ms)),
                    None => format!(
                        "{} (no down migration: only the version moved)",
                        line(version, name, direction, None)
                    ),
                };
                match self.progress.borrow().as_ref() {
                    Some(progress) => progress.done(report, &text),
                    None => report.info(&text),
                }
            }
            Event::Retry {
                label,
                attempt,
                retries,
                after,
                holders,
            } => report.warn(&format!(
                "{label} timed out waiting for a lock and was rolled back; retry {attempt} of \
                 {retries} in {}. Holding the locks: {holders}",
                humantime::format_duration(Duration::from_millis(
                    u64::try_from(after.as_millis()).unwrap_or(u64::MAX)
                ))
            )),
            Event::RunFinished => {
                if let Some(progress) = self.progress.borrow_mut().take() {
                    progress.finish();
                }
            }
        }
    }
}

/// golang-migrate's progress line: `3/u create_faces (12.3ms)`.
pub(crate) fn line(version: i64, name: &str, direction: Direction, ms: Option<f64>) -> String {
    if direction == Direction::Repeatable {
        return match ms {
            Some(ms) => format!("R {name} ({ms:.1}ms)"),
            None => format!("R {name}"),
        };
    }
    let arrow = if direction == Direction::Down {
        'd'
    } else {
        'u'
    };
    match ms {
        Some(ms) => format!("{version}/{arrow} {name} ({ms:.1}ms)"),
        None => format!("{version}/{arrow} {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_read_like_golang_migrate() {
        assert_eq!(
            line(3, "create_faces", Direction::Up, Some(12.34)),
            "3/u create_faces (12.3ms)"
        );
        assert_eq!(
            line(3, "create_faces", Direction::Down, None),
            "3/d create_faces"
        );
    }
}
