//! Everything that reaches the terminal: results, messages, progress, prompts.

pub mod events;
pub mod panic;
pub mod progress;
pub mod prompt;
pub mod report;
