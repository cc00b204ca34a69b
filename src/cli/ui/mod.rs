//! Everything that reaches the terminal: results, messages, progress, prompts.

pub(crate) mod events;
pub(crate) mod panic;
pub(crate) mod progress;
pub(crate) mod prompt;
pub(crate) mod report;
