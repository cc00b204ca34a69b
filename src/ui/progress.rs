//! Progress bars on a terminal, nothing anywhere else. Callers always go through
//! [`Progress`], so "is this a terminal" is decided once.

use indicatif::{ProgressBar, ProgressStyle};

use super::report::Reporter;

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar counting `total` items, drawn only when interactive and worth drawing.
    pub fn items(report: &Reporter, total: usize) -> Self {
        if !report.interactive() || total < 2 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Progress { bar: Some(bar) }
    }

    pub fn start(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// A finished item: its line printed above the bar (or plainly when there is none).
    pub fn done(&self, report: &Reporter, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.suspend(|| report.info(line));
                bar.inc(1);
            }
            None => report.info(line),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
