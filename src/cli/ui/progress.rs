//! Progress bars on a terminal, nothing anywhere else. Callers always go through
//! [`Progress`], so "is this a terminal" is decided once. Two kinds: items (migrations
//! done out of a total, with the current name) and bytes (dump, restore, seed: how much
//! of the data has gone through, and how fast).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::report::Reporter;

/// Cheap to clone: every clone draws the same bar, so a copying thread can own one.
#[derive(Clone)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar counting `total` items, drawn only when interactive and worth drawing.
    pub(crate) fn items(report: &Reporter, total: usize) -> Self {
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

    /// A bar counting bytes out of `total` (with the rate and time left), or — when the
    /// total is unknown — a spinner with the bytes so far and the rate.
    pub(crate) fn bytes(report: &Reporter, total: Option<u64>) -> Self {
        if !report.interactive() {
            return Progress { bar: None };
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{spinner} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} \
                 {eta} {wide_msg}",
            ),
            None => (
                ProgressBar::no_length(),
                "{spinner} {binary_bytes} {binary_bytes_per_sec} {elapsed} {wide_msg}",
            ),
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        // Redrawn on a timer too, so the rate keeps moving while a child works unseen.
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar) }
    }

    /// `n` more bytes (or items) went through.
    pub(crate) fn add(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// The count so far, when it is measured rather than counted (a file's growing size).
    pub(crate) fn set(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(n);
        }
    }

    /// A line printed above the bar (or plainly when there is none).
    pub(crate) fn println(&self, report: &Reporter, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| report.info(line)),
            None => report.info(line),
        }
    }

    pub(crate) fn start(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// A finished item: its line printed above the bar (or plainly when there is none).
    pub(crate) fn done(&self, report: &Reporter, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.suspend(|| report.info(line));
                bar.inc(1);
            }
            None => report.info(line),
        }
    }

    /// A finished item whose line is a result (stdout), printed above the bar.
    pub(crate) fn done_result(&self, report: &Reporter, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.suspend(|| report.result(line));
                bar.inc(1);
            }
            None => report.result(line),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
